// The program's version and commit, baked in at build time (build.ts defines CUSTOMS_COMMIT).

import pkg from '../package.json' with { type: 'json' };

declare const CUSTOMS_COMMIT: string | undefined;

export const VERSION: string = pkg.version;
export const COMMIT: string = typeof CUSTOMS_COMMIT === 'string' ? CUSTOMS_COMMIT : 'dev';
export const USER_AGENT = `customs/${VERSION} (+https://github.com/openhatch/customs; bug importer)`;
