// build.ts without compiling anything: argument parsing, finding a target's Bun runtime from
// its npm package (never downloading), SHA256SUMS, and the react-devtools-core stub plugin.

import { afterAll, describe, expect, test } from 'bun:test';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { binaryName, executableKind, findRuntime, hostTarget, parseBuildArgs, ROOT, stubDevtoolsPlugin, TARGETS, writeChecksums } from '../../build.ts';
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
  test('defaults: the host target into dist/, no smoke', () => {
    const host = hostTarget();
    if (!host) {
      expect(typeof parseBuildArgs([])).toBe('string');
      return;
    }
    const args = parsed([]);
    expect(args.targets).toEqual([host]);
    expect(args.all).toBe(false);
    expect(args.outdir).toBe(join(ROOT, 'dist'));
    expect(args.smoke).toBe(false);
    expect(args.sourcemap).toBe(true);
  });

  test('--target all, repeated and comma-separated names, --outdir, --smoke', () => {
    expect(parsed(['--target', 'all']).targets).toEqual(TARGETS);
    expect(parsed(['--target', 'all']).all).toBe(true);
    const args = parsed(['--target', 'darwin-arm64,linux-x64', '--target=darwin-arm64', '--outdir', '/tmp/x', '--smoke']);
    expect(args.targets.map((t) => t.name)).toEqual(['darwin-arm64', 'linux-x64']);
    expect(args.all).toBe(false);
    expect(args.outdir).toBe('/tmp/x');
    expect(args.smoke).toBe(true);
  });

  test('an unknown target or option is a usage error', () => {
    expect(parseBuildArgs(['--target', 'solaris-sparc'])).toContain('unknown target "solaris-sparc"');
    expect(typeof parseBuildArgs(['--frobnicate'])).toBe('string');
  });
});

describe('findRuntime (never downloads)', () => {
  const arm = target('linux-arm64');

  test('a target whose package is not installed is skipped, naming the package', () => {
    const found = findRuntime(arm, temp());
    expect(found.ok).toBe(false);
    if (!found.ok) {
      expect(found.reason).toContain('@oven/bun-linux-aarch64 is not installed');
      expect(found.reason).toContain('never downloads');
    }
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
