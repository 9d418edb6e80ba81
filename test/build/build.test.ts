// build.ts without compiling anything: argument parsing, finding a target's Bun runtime (its npm
// package, the build cache, or `npm pack` from a fake registry on 127.0.0.1), SHA256SUMS, the
// macOS signature check, and the react-devtools-core stub plugin.

import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  binaryName,
  cachedPackageDir,
  executableKind,
  fetchRuntime,
  findRuntime,
  hostTarget,
  lockedIntegrity,
  machoSignatureProblem,
  parseBuildArgs,
  resolveRuntime,
  ROOT,
  sha512Integrity,
  stubDevtoolsPlugin,
  TARGETS,
  writeChecksums,
} from '../../build.ts';
import type { BuildArgs, TargetSpec } from '../../build.ts';

const dirs: string[] = [];
function temp(): string {
  const dir = mkdtempSync(join(tmpdir(), 'customs-build-test-'));
  dirs.push(dir);
  return dir;
}
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function target(name: string): TargetSpec {
  const t = TARGETS.find((x) => x.name === name);
  if (!t) throw new Error(`no target ${name}`);
  return t;
}

function parsed(argv: string[]): BuildArgs {
  const args = parseBuildArgs(argv);
  if (typeof args === 'string') throw new Error(args);
  return args;
}

/** A fake `@oven/bun-*` package under `root`: package.json with `version`, and `exe` holding `bytes`. */
function fakePackage(root: string, t: TargetSpec, version: string, bytes: Uint8Array | string): string {
  const dir = join(root, 'node_modules', t.pkg);
  mkdirSync(join(dir, 'bin'), { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: t.pkg, version }));
  writeFileSync(join(dir, t.exe), bytes);
  return join(dir, t.exe);
}

/** The first 20 bytes of a little-endian ELF executable for AArch64. */
function elfArm64Header(): Uint8Array {
  const b = Buffer.alloc(64);
  b.writeUInt32BE(0x7f454c46, 0);
  b.writeUInt16LE(0xb7, 18);
  return b;
}

describe('targets', () => {
  test('the five targets, named like their binaries', () => {
    expect(TARGETS.map((t) => t.name)).toEqual(['linux-x64', 'linux-arm64', 'darwin-x64', 'darwin-arm64', 'windows-x64']);
    expect(binaryName(target('linux-x64'))).toBe('customs-linux-x64');
    expect(binaryName(target('windows-x64'))).toBe('customs-windows-x64.exe');
    // npm spells arm64 "aarch64" in the runtime packages' names.
    expect(target('darwin-arm64').pkg).toBe('@oven/bun-darwin-aarch64');
  });

  test('the host target matches the running Bun', () => {
    const host = hostTarget();
    if (!host) return; // not one of the five platforms: nothing to compare
    expect(executableKind(process.execPath)).toEqual({ os: host.os, arch: host.os === 'windows' ? undefined : host.arch });
  });
});

describe('parseBuildArgs', () => {
  test('defaults: every target into dist/, bytecode, fetching what is missing, no smoke', () => {
    const args = parsed([]);
    expect(args.targets).toEqual(TARGETS);
    expect(args.outdir).toBe(join(ROOT, 'dist'));
    expect(args.smoke).toBe(false);
    expect(args.sourcemap).toBe(true);
    expect(args.bytecode).toBe(true);
    expect(args.fetch).toBe(true);
    expect(args.smokeBinary).toBeUndefined();
  });

  test('--target all/host, repeated and comma-separated names, --outdir, --smoke', () => {
    expect(parsed(['--target', 'all']).targets).toEqual(TARGETS);
    const host = hostTarget();
    if (host) expect(parsed(['--target', 'host']).targets).toEqual([host]);
    else expect(parseBuildArgs(['--target', 'host'])).toContain('not a known target');
    const args = parsed(['--target', 'darwin-arm64,linux-x64', '--target=darwin-arm64', '--outdir', '/tmp/x', '--smoke']);
    expect(args.targets.map((t) => t.name)).toEqual(['darwin-arm64', 'linux-x64']);
    expect(args.outdir).toBe('/tmp/x');
    expect(args.smoke).toBe(true);
  });

  test('--no-fetch, --no-bytecode, --no-sourcemap, --smoke-binary', () => {
    const args = parsed(['--no-fetch', '--no-bytecode', '--no-sourcemap', '--smoke-binary', 'dist/customs-darwin-arm64']);
    expect(args.fetch).toBe(false);
    expect(args.bytecode).toBe(false);
    expect(args.sourcemap).toBe(false);
    expect(args.smokeBinary).toBe(join(process.cwd(), 'dist/customs-darwin-arm64'));
    expect(parsed(['--bytecode']).bytecode).toBe(true);
  });

  test('an unknown target or option is a usage error', () => {
    expect(parseBuildArgs(['--target', 'solaris-sparc'])).toContain('unknown target "solaris-sparc"');
    expect(typeof parseBuildArgs(['--frobnicate'])).toBe('string');
    expect(parseBuildArgs(['--bytecode', '--no-bytecode'])).toContain('contradict');
  });
});

describe('findRuntime (never downloads)', () => {
  const arm = target('linux-arm64');

  test('a target whose package is neither installed nor cached is not found, naming the package', async () => {
    const root = temp();
    const found = findRuntime(arm, root);
    expect(found.ok ? '' : found.reason).toContain('@oven/bun-linux-aarch64 is neither installed nor in the build cache');
    const unfetched = await resolveRuntime(arm, { root, fetch: false });
    expect(unfetched.ok ? '' : unfetched.reason).toContain('not fetched (--no-fetch)');
  });

  test('a runtime in the build cache is found like an installed one', () => {
    const root = temp();
    const dir = cachedPackageDir(arm, Bun.version, root);
    expect(dir).toBe(join(root, 'node_modules/.cache/customs-build', `bun-linux-aarch64-${Bun.version}`));
    mkdirSync(join(dir, 'bin'), { recursive: true });
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: arm.pkg, version: Bun.version }));
    writeFileSync(join(dir, 'bin/bun'), elfArm64Header());
    expect(findRuntime(arm, root)).toEqual({ ok: true, path: join(dir, 'bin/bun'), source: '@oven/bun-linux-aarch64 (build cache)' });
  });

  test('the runtime comes from the target package when it holds the right executable of this Bun version', () => {
    const root = temp();
    const exe = fakePackage(root, arm, Bun.version, elfArm64Header());
    expect(findRuntime(arm, root)).toEqual({ ok: true, path: exe, source: '@oven/bun-linux-aarch64' });
  });

  test('a package of another Bun version, a placeholder or another platform is refused', () => {
    const other = temp();
    fakePackage(other, arm, '0.0.1', elfArm64Header());
    const old = findRuntime(arm, other);
    expect(old.ok ? '' : old.reason).toContain('Bun 0.0.1');

    const placeholder = temp();
    fakePackage(placeholder, arm, Bun.version, 'placeholder, replaced by postinstall\n');
    const ph = findRuntime(arm, placeholder);
    expect(ph.ok ? '' : ph.reason).toContain('not an executable');

    const wrong = temp();
    fakePackage(wrong, target('darwin-arm64'), Bun.version, elfArm64Header());
    const w = findRuntime(target('darwin-arm64'), wrong);
    expect(w.ok ? '' : w.reason).toContain('not darwin-arm64');
  });

  test('the host target finds a runtime in this checkout', () => {
    const host = hostTarget();
    if (!host) return;
    const found = findRuntime(host);
    expect(found.ok ? found.path : found.reason).toBeTruthy();
    expect(found.ok).toBe(true);
  });
});

describe('writeChecksums', () => {
  test('one sha256sum line per customs binary in the folder, nothing else', async () => {
    const dir = temp();
    writeFileSync(join(dir, 'customs-linux-x64'), 'abc');
    writeFileSync(join(dir, 'customs-windows-x64.exe'), '');
    writeFileSync(join(dir, 'customs-linux-x64.map'), '{}');
    writeFileSync(join(dir, 'notes.txt'), 'x');
    const lines = await writeChecksums(dir);
    const empty = createHash('sha256').update('').digest('hex');
    expect(lines).toEqual([
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad  customs-linux-x64',
      `${empty}  customs-windows-x64.exe`,
    ]);
    expect(readFileSync(join(dir, 'SHA256SUMS'), 'utf8')).toBe(`${lines.join('\n')}\n`);
  });
});

describe('stubDevtoolsPlugin', () => {
  // Ink's devtools module imports react-devtools-core, which is not installed.
  const devtools = join(ROOT, 'node_modules/ink/build/devtools.js');

  test("bundles Ink's devtools module, which fails without it", async () => {
    const without = await Bun.build({ entrypoints: [devtools], target: 'bun', throw: false });
    expect(without.success).toBe(false);
    expect(without.logs.map(String).join('\n')).toContain('react-devtools-core');

    const withStub = await Bun.build({ entrypoints: [devtools], target: 'bun', plugins: [stubDevtoolsPlugin], throw: false });
    expect(withStub.logs.map(String)).toEqual([]);
    expect(withStub.success).toBe(true);
    const code = (await withStub.outputs[0]?.text()) ?? '';
    expect(code).toContain('connectToDevTools');
  });
});

describe.skipIf(Bun.which('npm') === null)('fetchRuntime: npm pack from a registry on 127.0.0.1', () => {
  const arm = target('linux-arm64');
  let requests: string[] = [];
  let tarball = new Uint8Array();
  let server: ReturnType<typeof Bun.serve> | undefined;
  let registry = '';

  /** A registry serving one package version whose tarball holds an arm64 ELF "runtime". */
  async function startRegistry(): Promise<string> {
    const pkgJson = JSON.stringify({ name: arm.pkg, version: Bun.version });
    const archive = new Bun.Archive({ 'package/package.json': pkgJson, 'package/bin/bun': elfArm64Header(), 'package/README.md': 'fake' }, { compress: 'gzip' });
    tarball = await (await archive.blob()).bytes();
    server = Bun.serve({
      hostname: '127.0.0.1',
      port: 0,
      fetch(req) {
        const url = new URL(req.url);
        requests.push(url.pathname);
        if (url.pathname === '/t.tgz') return new Response(tarball, { headers: { 'content-type': 'application/octet-stream' } });
        if (decodeURIComponent(url.pathname).toLowerCase() === `/${arm.pkg}`) {
          const tarballUrl = `http://127.0.0.1:${server?.port ?? 0}/t.tgz`;
          const dist = { tarball: tarballUrl, integrity: sha512Integrity(tarball), shasum: new Bun.CryptoHasher('sha1').update(tarball).digest('hex') };
          return Response.json({ name: arm.pkg, 'dist-tags': { latest: Bun.version }, versions: { [Bun.version]: { name: arm.pkg, version: Bun.version, dist } } });
        }
        return new Response('not found', { status: 404 });
      },
    });
    return `http://127.0.0.1:${server.port}/`;
  }

  beforeAll(async () => {
    registry = await startRegistry();
  });
  afterAll(() => {
    void server?.stop(true);
  });

  /** npm pointed at the fake registry, with a private cache and no user config or proxy. */
  function npmEnv(registry: string, root: string): Record<string, string | undefined> {
    const env: Record<string, string | undefined> = {};
    for (const [k, v] of Object.entries(process.env)) if (!/proxy|^npm_/i.test(k)) env[k] = v;
    writeFileSync(join(root, 'empty.npmrc'), '');
    return { ...env, npm_config_registry: registry, npm_config_cache: join(root, 'npm-cache'), npm_config_userconfig: join(root, 'empty.npmrc'), npm_config_update_notifier: 'false' };
  }

  function lockfile(root: string, integrity: string): void {
    const lock = { name: 'x', lockfileVersion: 3, packages: { [`node_modules/${arm.pkg}`]: { version: Bun.version, integrity, optional: true } } };
    writeFileSync(join(root, 'package-lock.json'), JSON.stringify(lock));
  }

  test('fetches the package, checks it against package-lock.json, and later finds it in the cache', async () => {
    const root = temp();
    lockfile(root, sha512Integrity(tarball));
    expect(lockedIntegrity(arm.pkg, Bun.version, root)).toBe(sha512Integrity(tarball));
    requests = [];
    const fetched = await resolveRuntime(arm, { root, env: npmEnv(registry, root) });
    if (!fetched.ok) throw new Error(fetched.reason);
    expect(fetched.source).toBe(`${arm.pkg}@${Bun.version} via npm pack (lockfile integrity checked)`);
    expect(fetched.path).toBe(join(cachedPackageDir(arm, Bun.version, root), 'bin/bun'));
    expect(statSync(fetched.path).mode & 0o111).not.toBe(0);
    expect(requests).toContain('/t.tgz');
    expect(readdirSync(join(root, 'node_modules/.cache/customs-build'))).toEqual([`bun-linux-aarch64-${Bun.version}`]);

    requests = [];
    const again = await resolveRuntime(arm, { root, env: npmEnv(registry, root) });
    expect(again).toEqual({ ok: true, path: fetched.path, source: `${arm.pkg} (build cache)` });
    expect(requests).toEqual([]);
  }, 60_000);

  test('a tarball that does not match the lockfile is refused and not cached', async () => {
    const root = temp();
    lockfile(root, sha512Integrity(new TextEncoder().encode('something else')));
    const fetched = await fetchRuntime(arm, { root, env: npmEnv(registry, root) });
    expect(fetched.ok ? '' : fetched.reason).toContain('does not match package-lock.json');
    expect(existsSync(cachedPackageDir(arm, Bun.version, root))).toBe(false);
  }, 60_000);

  test('a version the registry does not have is a reason naming `npm pack`', async () => {
    const root = temp();
    const fetched = await fetchRuntime(arm, { root, version: '0.0.1', env: npmEnv(registry, root) });
    expect(fetched.ok ? '' : fetched.reason).toContain(`npm pack ${arm.pkg}@0.0.1\` failed`);
  }, 60_000);
});

/** A minimal 64-bit Mach-O: one LC_CODE_SIGNATURE, `codeBytes` of code, an ad-hoc CodeDirectory over them. */
function fakeMachO(codeBytes: number, options: { codeLimit?: number } = {}): Uint8Array {
  const pageSize = 4096;
  const pages = Math.ceil(codeBytes / pageSize);
  const cdHeader = 44;
  const cdLength = cdHeader + pages * 32;
  const sigSize = 20 + cdLength;
  const out = new Uint8Array(codeBytes + sigSize);
  const view = new DataView(out.buffer);
  view.setUint32(0, 0xfeedfacf, true);
  view.setUint32(16, 1, true); // ncmds
  view.setUint32(20, 16, true); // sizeofcmds
  view.setUint32(32, 0x1d, true); // LC_CODE_SIGNATURE
  view.setUint32(36, 16, true);
  view.setUint32(40, codeBytes, true); // dataoff
  view.setUint32(44, sigSize, true); // datasize
  for (let i = 48; i < codeBytes; i++) out[i] = i % 251;
  const sig = codeBytes;
  view.setUint32(sig, 0xfade0cc0);
  view.setUint32(sig + 4, sigSize);
  view.setUint32(sig + 8, 1);
  view.setUint32(sig + 12, 0); // CSSLOT_CODEDIRECTORY
  view.setUint32(sig + 16, 20);
  const cd = sig + 20;
  view.setUint32(cd, 0xfade0c02);
  view.setUint32(cd + 4, cdLength);
  view.setUint32(cd + 16, cdHeader); // hashOffset
  view.setUint32(cd + 28, pages);
  view.setUint32(cd + 32, options.codeLimit ?? codeBytes);
  view.setUint8(cd + 36, 32);
  view.setUint8(cd + 37, 2); // SHA-256
  view.setUint8(cd + 39, 12);
  for (let p = 0; p < pages; p++) {
    const digest = new Bun.CryptoHasher('sha256').update(out.subarray(p * pageSize, Math.min((p + 1) * pageSize, codeBytes))).digest();
    out.set(digest, cd + cdHeader + p * 32);
  }
  return out;
}

describe('machoSignatureProblem', () => {
  test('a signature whose page hashes all match, including a short last page, is valid', () => {
    expect(machoSignatureProblem(fakeMachO(3 * 4096 + 100))).toBeUndefined();
  });

  test('a changed byte, a signature that stops short, or no signature at all is a problem', () => {
    const changed = fakeMachO(3 * 4096 + 100);
    changed[5000] = (changed[5000] ?? 0) ^ 0xff;
    expect(machoSignatureProblem(changed)).toBe('1 of 4 page hashes do not match');
    // What Bun 1.4 leaves in a cross-compiled darwin-x64 binary: the runtime's old signature.
    expect(machoSignatureProblem(fakeMachO(3 * 4096, { codeLimit: 2 * 4096 }))).toContain('covers 8192 bytes, but the code before it is 12288 bytes');
    const unsigned = fakeMachO(4096);
    new DataView(unsigned.buffer).setUint32(32, 0x19, true);
    expect(machoSignatureProblem(unsigned)).toBe('not signed (no LC_CODE_SIGNATURE)');
    expect(machoSignatureProblem(elfArm64Header())).toBe('not a 64-bit Mach-O file');
  });
});
