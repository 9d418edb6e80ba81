// `customs validate FILE`: every problem printed, a one-line summary, exit code 0 or 2.

import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { validateCommand } from '../../src/cli/validate.ts';
import { TEST_ADAPTERS } from '../fixtures/config/test-adapters.ts';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'customs-validate-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function run(name: string, text: string | undefined): Promise<{ code: number; out: string[] }> {
  const path = join(dir, name);
  if (text !== undefined) await writeFile(path, text);
  const out: string[] = [];
  const code = await validateCommand(path, (line) => out.push(line.replace(`${dir}/`, '')), TEST_ADAPTERS);
  return { code, out };
}

const widget = ['- tracker_name: Widget', '  bugimporter: github', '  github_name: o', '  github_repo: widget'];

describe('validateCommand', () => {
  test('a good file', async () => {
    const r = await run('good.yaml', [...widget, '- tracker_name: Gadget', '  bugimporter: github', '  github_name: o', '  github_repo: gadget'].join('\n'));
    expect(r).toEqual({ code: 0, out: ['good.yaml: OK, 2 trackers'] });
  });

  test('warnings only still pass', async () => {
    const r = await run('warn.yaml', [...widget, '  colour: blue'].join('\n'));
    expect(r).toEqual({
      code: 0,
      out: ['warn.yaml:5:3 warning: tracker "Widget": unknown key "colour" (not used by github trackers)', 'warn.yaml: OK, 1 tracker, 1 warning'],
    });
  });

  test('errors and warnings, then the counts', async () => {
    const r = await run(
      'bad.yaml',
      [...widget, '  queries: 7', '- tracker_name: Gadget', '  bugimporter: github', '  github_name: o', '  github_repo: g', '  state: shut', '  colour: blue', '- tracker_name: Tool', '  bugimporter: github', '  github_name: o', '  github_repo: t'].join('\n'),
    );
    expect(r).toEqual({
      code: 2,
      out: [
        'bad.yaml:5:12 error: tracker "Widget": "queries" must be a list of URLs, got a number',
        'bad.yaml:10:10 error: tracker "Gadget": "state" must be one of "open", "closed", "all", got "shut"',
        'bad.yaml:11:3 warning: tracker "Gadget": unknown key "colour" (not used by github trackers)',
        'bad.yaml: 3 trackers, 2 errors, 1 warning',
      ],
    });
  });

  test('a missing file', async () => {
    const r = await run('missing.yaml', undefined);
    expect(r.code).toBe(2);
    expect(r.out).toEqual([`missing.yaml:1:1 error: the file does not exist; write one (the README has an example), or run \`customs demo\` to see customs work`, 'missing.yaml: 0 trackers, 1 error']);
  });
});
