// build.ts — compiles src/cli/main.ts into self-contained `customs` binaries, one per target
// (dist/customs-<target>[.exe]), writes dist/SHA256SUMS, and with --smoke runs the host binary
// alone in an empty folder. Each target's Bun runtime is its `@oven/bun-<platform>` npm package:
// installed, or fetched once with `npm pack` (checked against package-lock.json) into
// node_modules/.cache/customs-build/, so later builds need no network at all.
//
//   bun build.ts [--target NAME|host|all]… [--outdir DIR] [--smoke] [--no-fetch] [--no-bytecode] [--no-sourcemap]

import { chmodSync, closeSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, readSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { BunPlugin } from 'bun';
import pkg from './package.json' with { type: 'json' };
import { TRACKER_FILES } from './src/cli/completion.ts';

export const ROOT: string = import.meta.dir;
export const ENTRY = 'src/cli/main.ts';

type Os = 'linux' | 'darwin' | 'windows';
type Arch = 'x64' | 'arm64';

/** One platform the binary can be built for, and the npm package holding that platform's Bun. */
export interface TargetSpec {
  readonly name: string;
  readonly os: Os;
  readonly arch: Arch;
  readonly bunTarget: Bun.Build.CompileTarget;
  /** The npm package with that platform's Bun runtime (npm spells arm64 "aarch64"). */
  readonly pkg: string;
  /** The runtime's path inside the package. */
  readonly exe: string;
}

export const TARGETS: readonly TargetSpec[] = [
  { name: 'linux-x64', os: 'linux', arch: 'x64', bunTarget: 'bun-linux-x64', pkg: '@oven/bun-linux-x64', exe: 'bin/bun' },
  { name: 'linux-arm64', os: 'linux', arch: 'arm64', bunTarget: 'bun-linux-arm64', pkg: '@oven/bun-linux-aarch64', exe: 'bin/bun' },
  { name: 'darwin-x64', os: 'darwin', arch: 'x64', bunTarget: 'bun-darwin-x64', pkg: '@oven/bun-darwin-x64', exe: 'bin/bun' },
  { name: 'darwin-arm64', os: 'darwin', arch: 'arm64', bunTarget: 'bun-darwin-arm64', pkg: '@oven/bun-darwin-aarch64', exe: 'bin/bun' },
  { name: 'windows-x64', os: 'windows', arch: 'x64', bunTarget: 'bun-windows-x64', pkg: '@oven/bun-windows-x64', exe: 'bin/bun.exe' },
];

/** The target of the machine this runs on, if it is one we build for. */
export function hostTarget(): TargetSpec | undefined {
  const os = process.platform === 'win32' ? 'windows' : process.platform;
  return TARGETS.find((t) => t.os === os && t.arch === process.arch);
}

/** `dist/customs-linux-x64`, `dist/customs-windows-x64.exe`. */
export function binaryName(target: TargetSpec): string {
  return `customs-${target.name}${target.os === 'windows' ? '.exe' : ''}`;
}

// ---------------------------------------------------------------------------------------------
// Finding a runtime: installed npm package, build cache, or `npm pack` from the registry

export type RuntimeLookup =
  | { readonly ok: true; readonly path: string; readonly source: string }
  | { readonly ok: false; readonly reason: string };

interface Candidate {
  readonly path: string;
  readonly version: string | undefined;
  readonly source: string;
}

/** Where fetched runtimes are kept (ignored by git with the rest of node_modules). */
export function runtimeCacheDir(root: string = ROOT): string {
  return join(root, 'node_modules', '.cache', 'customs-build');
}

/** The folder holding `target`'s fetched package (package.json, bin/bun[.exe]) for Bun `version`. */
export function cachedPackageDir(target: TargetSpec, version: string, root: string = ROOT): string {
  return join(runtimeCacheDir(root), `${target.pkg.replace(/^@oven\//, '')}-${version}`);
}

function packageDir(pkg: string, root: string): string | undefined {
  try {
    return dirname(Bun.resolveSync(`${pkg}/package.json`, root));
  } catch {
    const dir = join(root, 'node_modules', pkg);
    return existsSync(join(dir, 'package.json')) ? dir : undefined;
  }
}

function packageVersion(dir: string): string | undefined {
  try {
    const parsed: unknown = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    if (typeof parsed === 'object' && parsed !== null && 'version' in parsed && typeof parsed.version === 'string') return parsed.version;
  } catch {
    // unreadable: treated as unknown below
  }
  return undefined;
}

/** What kind of executable `path` is, from its first bytes (enough to catch a wrong or placeholder file). */
export function executableKind(path: string): { readonly os: Os; readonly arch: Arch | undefined } | undefined {
  const head = Buffer.alloc(20);
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    if (readSync(fd, head, 0, head.length, 0) < head.length) return undefined;
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
  if (head.readUInt32BE(0) === 0x7f454c46) {
    const machine = head.readUInt16LE(18);
    return { os: 'linux', arch: machine === 0x3e ? 'x64' : machine === 0xb7 ? 'arm64' : undefined };
  }
  if (head.readUInt32LE(0) === 0xfeedfacf) {
    const cpu = head.readUInt32LE(4);
    return { os: 'darwin', arch: cpu === 0x01000007 ? 'x64' : cpu === 0x0100000c ? 'arm64' : undefined };
  }
  if (head.toString('latin1', 0, 2) === 'MZ') return { os: 'windows', arch: undefined };
  return undefined;
}

/** Why `c` cannot be `target`'s runtime of Bun `version`, or undefined when it can. */
function rejection(c: Candidate, target: TargetSpec, version: string): string | undefined {
  const kind = existsSync(c.path) ? executableKind(c.path) : undefined;
  if (!kind) return `${c.path}: missing or not an executable`;
  if (kind.os !== target.os || (kind.arch !== undefined && kind.arch !== target.arch)) return `${c.path}: a ${kind.os}-${kind.arch ?? '?'} executable, not ${target.name}`;
  if (c.version !== version) return `${c.path}: Bun ${c.version ?? 'of unknown version'}, but this build runs Bun ${version}`;
  return undefined;
}

/**
 * The Bun runtime to put into `target`'s binary, found locally: the target's installed
 * `@oven/bun-*` package, the copy an earlier build fetched into the build cache, and for the
 * host also `node_modules/bun/bin/bun.exe` (where the `bun` package's postinstall moves the host
 * package's binary) and the running Bun. A candidate must be this Bun's version, so the bundle
 * and the runtime agree. Never touches the network (see fetchRuntime).
 */
export function findRuntime(target: TargetSpec, root: string = ROOT): RuntimeLookup {
  const candidates: Candidate[] = [];
  const dir = packageDir(target.pkg, root);
  if (dir) candidates.push({ path: join(dir, target.exe), version: packageVersion(dir), source: target.pkg });
  const cached = cachedPackageDir(target, Bun.version, root);
  if (existsSync(cached)) candidates.push({ path: join(cached, target.exe), version: packageVersion(cached), source: `${target.pkg} (build cache)` });
  if (target === hostTarget()) {
    const bunDir = packageDir('bun', root);
    if (bunDir) candidates.push({ path: join(bunDir, 'bin', 'bun.exe'), version: packageVersion(bunDir), source: 'the bun package (host runtime)' });
    candidates.push({ path: process.execPath, version: Bun.version, source: 'the running Bun' });
  }
  const rejected: string[] = [];
  for (const c of candidates) {
    const problem = rejection(c, target, Bun.version);
    if (problem === undefined) return { ok: true, path: c.path, source: c.source };
    rejected.push(problem);
  }
  const why = rejected.length > 0 ? rejected.join('; ') : `${target.pkg} is neither installed nor in the build cache`;
  return { ok: false, reason: `no local Bun runtime for ${target.name} (${why})` };
}

/** The `integrity` package-lock.json records for `pkg` at `version` (the `bun` package pins every platform's). */
export function lockedIntegrity(pkg: string, version: string, root: string = ROOT): string | undefined {
  try {
    const lock: unknown = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8'));
    if (typeof lock !== 'object' || lock === null || !('packages' in lock)) return undefined;
    const packages: unknown = lock.packages;
    if (typeof packages !== 'object' || packages === null) return undefined;
    const entry: unknown = (packages as Record<string, unknown>)[`node_modules/${pkg}`];
    if (typeof entry !== 'object' || entry === null || !('version' in entry) || !('integrity' in entry)) return undefined;
    return entry.version === version && typeof entry.integrity === 'string' ? entry.integrity : undefined;
  } catch {
    return undefined;
  }
}

/** `sha512-<base64>`, as npm writes integrity. */
export function sha512Integrity(bytes: Uint8Array): string {
  return `sha512-${new Bun.CryptoHasher('sha512').update(bytes).digest('base64')}`;
}

export interface FetchOptions {
  readonly root?: string;
  /** The Bun version to fetch; default the running one. */
  readonly version?: string;
  /** The npm command (tests point it at a registry on 127.0.0.1 through `env`). */
  readonly npm?: readonly string[];
  readonly env?: Record<string, string | undefined>;
}

function npmCommand(): string[] {
  return [process.platform === 'win32' ? 'npm.cmd' : 'npm'];
}

/**
 * Gets `target`'s runtime package from the npm registry with the user's own npm (`npm pack`, so
 * its registry, proxy and auth settings apply), checks the tarball against the integrity that
 * package-lock.json pins, and unpacks package.json and the executable into the build cache,
 * where findRuntime finds it next time without any network.
 */
export async function fetchRuntime(target: TargetSpec, options: FetchOptions = {}): Promise<RuntimeLookup> {
  const root = options.root ?? ROOT;
  const version = options.version ?? Bun.version;
  const spec = `${target.pkg}@${version}`;
  const finalDir = cachedPackageDir(target, version, root);
  mkdirSync(runtimeCacheDir(root), { recursive: true });
  const work = mkdtempSync(join(runtimeCacheDir(root), '.fetch-'));
  try {
    const cmd = [...(options.npm ?? npmCommand()), 'pack', spec, '--pack-destination', work, '--loglevel=error'];
    let exitCode: number;
    let stderr: string;
    try {
      const proc = Bun.spawn(cmd, { cwd: root, env: options.env ?? process.env, stdin: 'ignore', stdout: 'ignore', stderr: 'pipe', timeout: 600_000 });
      [stderr, exitCode] = await Promise.all([new Response(proc.stderr).text(), proc.exited]);
    } catch (err) {
      return { ok: false, reason: `could not run \`${cmd.join(' ')}\`: ${err instanceof Error ? err.message : String(err)}` };
    }
    if (exitCode !== 0) {
      const tail = stderr.trim().split('\n').slice(-4).join(' / ');
      return { ok: false, reason: `\`npm pack ${spec}\` failed (exit ${exitCode}): ${tail || 'no message'}` };
    }
    const tarballs = readdirSync(work).filter((f) => f.endsWith('.tgz'));
    const tarball = tarballs[0];
    if (tarball === undefined || tarballs.length !== 1) return { ok: false, reason: `\`npm pack ${spec}\` left ${tarballs.length} tarballs, expected one` };
    const bytes = await Bun.file(join(work, tarball)).bytes();
    const integrity = sha512Integrity(bytes);
    const locked = lockedIntegrity(target.pkg, version, root);
    if (locked !== undefined && locked !== integrity) {
      return { ok: false, reason: `${spec} from the registry does not match package-lock.json (got ${integrity}, the lockfile pins ${locked})` };
    }
    const unpacked = join(work, 'unpacked');
    await new Bun.Archive(bytes).extract(unpacked, { glob: ['package/package.json', `package/${target.exe}`] });
    const pkgDir = join(unpacked, 'package');
    const problem = rejection({ path: join(pkgDir, target.exe), version: packageVersion(pkgDir), source: spec }, target, version);
    if (problem !== undefined) return { ok: false, reason: `${spec} from the registry is unusable: ${problem}` };
    if (target.os !== 'windows') chmodSync(join(pkgDir, target.exe), 0o755);
    rmSync(finalDir, { recursive: true, force: true });
    renameSync(pkgDir, finalDir);
    return { ok: true, path: join(finalDir, target.exe), source: `${spec} via npm pack${locked ? ' (lockfile integrity checked)' : ''}` };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** findRuntime, then (unless `fetch` is false) fetchRuntime. */
export async function resolveRuntime(target: TargetSpec, options: FetchOptions & { readonly fetch?: boolean } = {}): Promise<RuntimeLookup> {
  const local = findRuntime(target, options.root);
  if (local.ok) return local;
  if (options.fetch === false) return { ok: false, reason: `${local.reason}; not fetched (--no-fetch)` };
  const fetched = await fetchRuntime(target, options);
  return fetched.ok ? fetched : { ok: false, reason: `${local.reason}; ${fetched.reason}` };
}

// ---------------------------------------------------------------------------------------------
// Building

/** Ink imports `react-devtools-core` (optional, not installed) when DEV=true; a no-op module stands in. */
export const stubDevtoolsPlugin: BunPlugin = {
  name: 'customs-stub-react-devtools-core',
  setup(build) {
    build.onResolve({ filter: /^react-devtools-core$/ }, () => ({ path: 'react-devtools-core', namespace: 'customs-stub' }));
    build.onLoad({ filter: /.*/, namespace: 'customs-stub' }, () => ({
      contents: 'export default { initialize() {}, connectToDevTools() {} };',
      loader: 'js',
    }));
  },
};

/** `git rev-parse --short=10 HEAD` (a fixed length, so every machine bakes in the same), or "unknown" outside a checkout. */
export function gitCommit(root: string = ROOT): string {
  try {
    const proc = Bun.spawnSync(['git', 'rev-parse', '--short=10', 'HEAD'], { cwd: root, stdout: 'pipe', stderr: 'ignore' });
    const sha = proc.stdout.toString().trim();
    return proc.exitCode === 0 && /^[0-9a-f]{4,40}$/.test(sha) ? sha : 'unknown';
  } catch {
    return 'unknown';
  }
}

export interface BuildOptions extends FetchOptions {
  readonly outdir: string;
  readonly commit: string;
  readonly sourcemap?: boolean;
  /** Precompile to bytecode (ESM; the default): about twice as fast to start, ~8 MB larger. */
  readonly bytecode?: boolean;
  /** Fetch a runtime that is not found locally with `npm pack` (default true). */
  readonly fetch?: boolean;
}

export type BuildOutcome =
  | {
      readonly target: TargetSpec;
      readonly status: 'built';
      readonly path: string;
      readonly runtime: string;
      readonly seconds: number;
      /** Things wrong with a binary that was written, e.g. a macOS signature that will not verify. */
      readonly warnings: readonly string[];
    }
  | { readonly target: TargetSpec; readonly status: 'skipped' | 'failed'; readonly reason: string };

/** Compiles one target's binary into `outdir`. */
export async function buildTarget(target: TargetSpec, options: BuildOptions): Promise<BuildOutcome> {
  const root = options.root ?? ROOT;
  const outfile = join(resolve(options.outdir), binaryName(target));
  // A target that fails must not leave an older binary behind for SHA256SUMS to list.
  for (const stale of [outfile, outfile.replace(/(\.exe)?$/, '.map')]) rmSync(stale, { force: true });
  const runtime = await resolveRuntime(target, options);
  if (!runtime.ok) return { target, status: options.fetch === false ? 'skipped' : 'failed', reason: runtime.reason };
  const started = performance.now();
  try {
    const result = await Bun.build({
      entrypoints: [join(root, ENTRY)],
      compile: {
        target: target.bunTarget,
        outfile,
        executablePath: runtime.path,
        // The binary must behave the same in any folder: ignore a stray bunfig.toml, .env,
        // tsconfig.json or package.json where the user runs it.
        autoloadBunfig: false,
        autoloadDotenv: false,
        autoloadTsconfig: false,
        autoloadPackageJson: false,
      },
      minify: true,
      sourcemap: options.sourcemap === false ? 'none' : 'linked',
      ...(options.bytecode === false ? {} : { bytecode: true, format: 'esm' as const }),
      define: { CUSTOMS_COMMIT: JSON.stringify(options.commit) },
      plugins: [stubDevtoolsPlugin],
      throw: false,
    });
    // Bun can report success with an error in its logs (e.g. "Failed to generate bytecode")
    // and a binary that does not start, so any error fails the target.
    const errors = result.logs.filter((log) => log.level === 'error').map(String);
    if (!result.success || errors.length > 0) {
      return { target, status: 'failed', reason: errors.join('\n') || result.logs.map(String).join('\n') || 'Bun.build failed with no message' };
    }
    for (const log of result.logs) if (log.level === 'warning') console.warn(`  warning  ${target.name}: ${String(log)}`);
  } catch (err) {
    return { target, status: 'failed', reason: err instanceof Error ? err.message : String(err) };
  }
  if (!existsSync(outfile)) return { target, status: 'failed', reason: `Bun.build succeeded but ${outfile} is missing` };
  const seconds = (performance.now() - started) / 1000;
  const warnings: string[] = [];
  if (target.os === 'darwin') {
    const problem = machoSignatureProblem(await Bun.file(outfile).bytes());
    if (problem !== undefined)
      warnings.push(`its code signature is invalid (${problem}); macOS may refuse to start it until it is re-signed on a Mac with \`codesign --force --sign - ${binaryName(target)}\` (the release workflow does this)`);
  }
  return { target, status: 'built', path: outfile, runtime: `${runtime.source} (${runtime.path})`, seconds, warnings };
}

/** sha256 of a file, hex. */
export async function sha256File(path: string): Promise<string> {
  const hasher = new Bun.CryptoHasher('sha256');
  for await (const chunk of Bun.file(path).stream()) hasher.update(chunk);
  return hasher.digest('hex');
}

/**
 * Writes `outdir/SHA256SUMS` for every customs binary now in `outdir` (as `sha256sum` prints:
 * hash, two spaces, file name), so the file always matches the folder. Returns its lines.
 */
export async function writeChecksums(outdir: string): Promise<string[]> {
  const names = new Set(TARGETS.map(binaryName));
  const files = readdirSync(outdir).filter((f) => names.has(f)).sort();
  const lines: string[] = [];
  for (const f of files) lines.push(`${await sha256File(join(outdir, f))}  ${f}`);
  writeFileSync(join(outdir, 'SHA256SUMS'), lines.length ? `${lines.join('\n')}\n` : '');
  return lines;
}

// ---------------------------------------------------------------------------------------------
// macOS code signatures

const LC_CODE_SIGNATURE = 0x1d;
const CSMAGIC_EMBEDDED_SIGNATURE = 0xfade0cc0;
const CSMAGIC_CODEDIRECTORY = 0xfade0c02;

/**
 * Why the embedded code signature of a 64-bit Mach-O file would not verify, or undefined when
 * every page hash matches. Apple Silicon refuses to start a binary whose signature is invalid,
 * and Bun (1.4.x) re-signs only the darwin-arm64 binaries it cross-compiles; the darwin-x64 one
 * keeps the runtime's old signature over bytes that have changed. The release workflow
 * re-signs both on a Mac (`codesign --force --sign -`); this check makes a local build say so.
 */
export function machoSignatureProblem(bytes: Uint8Array): string | undefined {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.byteLength < 32 || view.getUint32(0, true) !== 0xfeedfacf) return 'not a 64-bit Mach-O file';
  const ncmds = view.getUint32(16, true);
  let sig: { offset: number; size: number } | undefined;
  for (let i = 0, at = 32; i < ncmds && at + 8 <= bytes.byteLength; i++) {
    const cmd = view.getUint32(at, true);
    if (cmd === LC_CODE_SIGNATURE) sig = { offset: view.getUint32(at + 8, true), size: view.getUint32(at + 12, true) };
    at += view.getUint32(at + 4, true);
  }
  if (!sig) return 'not signed (no LC_CODE_SIGNATURE)';
  if (sig.offset + sig.size > bytes.byteLength || view.getUint32(sig.offset) !== CSMAGIC_EMBEDDED_SIGNATURE) return 'the signature blob is missing or malformed';
  const count = view.getUint32(sig.offset + 8);
  for (let i = 0; i < count; i++) {
    const cd = sig.offset + view.getUint32(sig.offset + 12 + i * 8 + 4);
    if (view.getUint32(cd) !== CSMAGIC_CODEDIRECTORY) continue;
    const hashOffset = view.getUint32(cd + 16);
    const nCodeSlots = view.getUint32(cd + 28);
    const codeLimit = view.getUint32(cd + 32);
    const hashSize = view.getUint8(cd + 36);
    const hashType = view.getUint8(cd + 37);
    const pageSize = 2 ** view.getUint8(cd + 39);
    if (codeLimit !== sig.offset) return `the signature covers ${codeLimit} bytes, but the code before it is ${sig.offset} bytes`;
    const algorithm = hashType === 2 ? 'sha256' : hashType === 1 ? 'sha1' : undefined;
    if (!algorithm) return `unknown hash type ${hashType}`;
    let bad = 0;
    for (let page = 0; page < nCodeSlots; page++) {
      const start = page * pageSize;
      const digest = new Bun.CryptoHasher(algorithm).update(bytes.subarray(start, Math.min(start + pageSize, codeLimit))).digest();
      const stored = bytes.subarray(cd + hashOffset + page * hashSize, cd + hashOffset + (page + 1) * hashSize);
      if (!digest.subarray(0, hashSize).equals(stored)) bad++;
    }
    return bad === 0 ? undefined : `${bad} of ${nCodeSlots} page hashes do not match`;
  }
  return 'no CodeDirectory in the signature';
}

// ---------------------------------------------------------------------------------------------
// Smoke test: the host binary alone in an empty folder

/** A good and a bad tracker file for `customs validate`. */
export const GOOD_TRACKERS = '- tracker_name: X\n  bugimporter: github\n  github_name: a\n  github_repo: b\n';
export const BAD_TRACKERS =
  '- tracker_name: X\n  bugimporter: github\n  github_name: a\n  github_repo: b\n  state: sometimes\n- tracker_name: Y\n  github_name: c\n  github_repo: d\n';

export interface SmokeContext {
  /** The copy of the binary inside `dir`. */
  readonly binary: string;
  readonly dir: string;
  readonly version: string;
  /** When known, `--version` must show it. */
  readonly commit: string | undefined;
  /** Records of the first demo run, for the offline replay to match. */
  demoRecords: number | undefined;
}

export interface RunResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly ms: number;
}

/** The environment the binary gets: no tokens, no Bun/Node switches, no colours. */
export function smokeEnv(home: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v === undefined || /TOKEN|GITHUB_USERNAME|^BUN_|^NODE_OPTIONS$|^FORCE_COLOR$/.test(k)) continue;
    env[k] = v;
  }
  return { ...env, HOME: home, NO_COLOR: '1', CUSTOMS_HEARTBEAT_MS: '0' };
}

export async function runBinary(ctx: SmokeContext, args: readonly string[], timeoutMs = 90_000): Promise<RunResult> {
  const started = performance.now();
  const proc = Bun.spawn([ctx.binary, ...args], {
    cwd: ctx.dir,
    env: smokeEnv(ctx.dir),
    stdin: 'ignore',
    stdout: 'pipe',
    stderr: 'pipe',
    timeout: timeoutMs,
    killSignal: 'SIGKILL',
  });
  const [stdout, stderr, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  return { code: proc.signalCode ? null : code, stdout, stderr, ms: performance.now() - started };
}

/**
 * Copies `binary` alone into a fresh temp folder (no node_modules anywhere above it), with the
 * tracker files the steps use and stray bunfig.toml/.env/package.json/tsconfig.json the binary
 * must ignore (the bunfig preloads a file that does not exist, so loading it would fail).
 */
export function prepareSmoke(binary: string, version: string, commit?: string): SmokeContext {
  const dir = mkdtempSync(join(tmpdir(), 'customs-smoke-'));
  for (let d = dir; ; d = dirname(d)) {
    if (existsSync(join(d, 'node_modules'))) throw new Error(`smoke folder ${dir} has a node_modules above it (${d}); set TMPDIR elsewhere`);
    if (dirname(d) === d) break;
  }
  const copy = join(dir, basename(binary));
  copyFileSync(binary, copy);
  chmodSync(copy, 0o755);
  writeFileSync(join(dir, 'good.yaml'), GOOD_TRACKERS);
  writeFileSync(join(dir, 'bad.yaml'), BAD_TRACKERS);
  writeFileSync(join(dir, 'bunfig.toml'), 'preload = ["./no-such-preload.ts"]\n');
  writeFileSync(join(dir, '.env'), 'CUSTOMS_SMOKE_DOTENV=loaded\n');
  writeFileSync(join(dir, 'package.json'), '{ "name": "not-customs", "version": "9.9.9" }\n');
  writeFileSync(join(dir, 'tsconfig.json'), '{ "compilerOptions": { "jsx": "nonsense" } }\n');
  return { binary: copy, dir, version, commit, demoRecords: undefined };
}

function describeRun(r: RunResult): string {
  const tail = (s: string): string => s.trim().split('\n').slice(-6).join('\n    ');
  return `exit ${r.code ?? 'killed (timeout)'}${r.stdout.trim() ? `\n  stdout: ${tail(r.stdout)}` : ''}${r.stderr.trim() ? `\n  stderr: ${tail(r.stderr)}` : ''}`;
}

function expectExit(r: RunResult, code: number): string | undefined {
  return r.code === code ? undefined : `expected exit ${code}, got ${describeRun(r)}`;
}

function countRecords(ctx: SmokeContext): number {
  const path = join(ctx.dir, 'customs-demo', 'bugs.jsonl');
  if (!existsSync(path)) return 0;
  return readFileSync(path, 'utf8').split('\n').filter((l) => l.trim() !== '').length;
}

export interface SmokeStep {
  readonly name: string;
  /** Returns a problem, or undefined when the step passed; `note` is shown after a pass. */
  readonly run: (ctx: SmokeContext) => Promise<{ readonly problem?: string; readonly note: string }>;
}

/** The steps, in order (the offline demo replays what the first demo cached). */
export const SMOKE_STEPS: readonly SmokeStep[] = [
  {
    name: '--version',
    run: async (ctx) => {
      const r = await runBinary(ctx, ['--version']);
      const out = r.stdout.trim();
      const expected = ctx.commit === undefined ? undefined : `${ctx.version} (${ctx.commit})`;
      const problem =
        expectExit(r, 0) ??
        (expected !== undefined && out !== expected
          ? `expected "${expected}", got "${out}"`
          : !out.startsWith(`${ctx.version} (`) || out.endsWith('(dev)')
            ? `expected "${ctx.version} (<commit>)", got "${out}"`
            : undefined);
      return { problem, note: out };
    },
  },
  {
    name: '--help',
    run: async (ctx) => {
      const r = await runBinary(ctx, ['--help']);
      const missing = ['run', 'validate', 'demo', 'cache', 'completion'].filter((c) => !r.stdout.includes(`customs ${c}`));
      return { problem: expectExit(r, 0) ?? (missing.length ? `--help does not list: ${missing.join(', ')}` : undefined), note: `${r.stdout.split('\n').length} lines` };
    },
  },
  {
    name: 'completion',
    run: async (ctx) => {
      const script = await runBinary(ctx, ['completion', 'bash']);
      const commands = await runBinary(ctx, ['--get-yargs-completions', 'customs', '']);
      const files = await runBinary(ctx, ['--get-yargs-completions', 'customs', 'validate', '']);
      const problem =
        expectExit(script, 0) ??
        expectExit(commands, 0) ??
        expectExit(files, 0) ??
        (!script.stdout.includes('complete -o bashdefault -o default -F')
          ? 'completion bash printed no bash completion script'
          : !commands.stdout.split('\n').includes('validate')
            ? `the commands offered do not include validate: ${commands.stdout.trim()}`
            : files.stdout.trim() !== TRACKER_FILES
              ? `after "validate" expected tracker files, got: ${files.stdout.trim()}`
              : undefined);
      return { problem, note: `${commands.stdout.trim().split('\n').length} commands` };
    },
  },
  {
    name: 'validate good.yaml',
    run: async (ctx) => {
      const r = await runBinary(ctx, ['validate', 'good.yaml']);
      return { problem: expectExit(r, 0), note: r.stdout.trim().split('\n').at(-1) ?? '' };
    },
  },
  {
    name: 'validate bad.yaml',
    run: async (ctx) => {
      const r = await runBinary(ctx, ['validate', 'bad.yaml']);
      const problem = expectExit(r, 2) ?? (/bad\.yaml:\d+:\d+ error: .*state/.test(r.stdout) ? undefined : `no located "state" error in:\n${r.stdout}`);
      return { problem, note: r.stdout.trim().split('\n').at(-1) ?? '' };
    },
  },
  {
    name: 'demo --ci',
    run: async (ctx) => {
      const r = await runBinary(ctx, ['demo', '--ci'], 120_000);
      ctx.demoRecords = countRecords(ctx);
      const problem = expectExit(r, 0) ?? (ctx.demoRecords > 0 ? undefined : 'customs-demo/bugs.jsonl is missing or empty');
      return { problem, note: `${ctx.demoRecords} records` };
    },
  },
  {
    name: 'demo --offline',
    run: async (ctx) => {
      const r = await runBinary(ctx, ['demo', '--offline'], 120_000);
      const records = countRecords(ctx);
      const problem =
        expectExit(r, 0) ?? (ctx.demoRecords !== undefined && records === ctx.demoRecords ? undefined : `${records} records, the online demo wrote ${ctx.demoRecords ?? 'none'}`);
      return { problem, note: `${records} records` };
    },
  },
];

/** Runs every smoke step against `binary`, printing each; true when all passed. */
export async function smoke(binary: string, options: { version: string; commit?: string; log?: (line: string) => void; keep?: boolean }): Promise<boolean> {
  const log = options.log ?? ((line: string) => console.log(line));
  const ctx = prepareSmoke(binary, options.version, options.commit);
  log(`smoke: ${basename(binary)} alone in ${ctx.dir}`);
  let failed = 0;
  try {
    for (const step of SMOKE_STEPS) {
      const started = performance.now();
      const { problem, note } = await step.run(ctx);
      const ms = Math.round(performance.now() - started);
      if (problem === undefined) log(`  ok    ${step.name} (${ms} ms) ${note}`);
      else {
        failed++;
        log(`  FAIL  ${step.name} (${ms} ms): ${problem}`);
      }
    }
  } finally {
    if (!options.keep && failed === 0) rmSync(ctx.dir, { recursive: true, force: true });
  }
  log(failed === 0 ? `smoke: all ${SMOKE_STEPS.length} steps passed` : `smoke: ${failed} of ${SMOKE_STEPS.length} steps failed (folder kept: ${ctx.dir})`);
  return failed === 0;
}

// ---------------------------------------------------------------------------------------------
// Command line

export interface BuildArgs {
  readonly targets: readonly TargetSpec[];
  readonly outdir: string;
  readonly smoke: boolean;
  readonly sourcemap: boolean;
  readonly bytecode: boolean;
  /** false with --no-fetch: a target with no local runtime is skipped instead of fetched. */
  readonly fetch: boolean;
  /** --smoke-binary PATH: build nothing, run the smoke test against that binary. */
  readonly smokeBinary?: string;
}

const USAGE = `usage: bun build.ts [--target NAME|host|all]… [--outdir DIR] [--smoke] [--no-fetch] [--no-bytecode] [--no-sourcemap]
       bun build.ts --smoke-binary PATH
targets: ${TARGETS.map((t) => t.name).join(', ')} (default: all; "host" is this machine's)
  --smoke        then run the smoke test against the host binary, alone in an empty folder
  --smoke-binary run only the smoke test, against a binary built earlier (e.g. on another machine)
  --no-fetch     never run \`npm pack\`: skip a target whose runtime is neither installed nor cached
  --no-bytecode  ship source only (bytecode starts about twice as fast; the default)`;

/** Parses build.ts's arguments; a string is a usage error. */
export function parseBuildArgs(argv: readonly string[]): BuildArgs | string {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        target: { type: 'string', multiple: true },
        outdir: { type: 'string' },
        smoke: { type: 'boolean' },
        'no-sourcemap': { type: 'boolean' },
        bytecode: { type: 'boolean' },
        'no-bytecode': { type: 'boolean' },
        'no-fetch': { type: 'boolean' },
        'smoke-binary': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
  if (values.help) return USAGE;
  const names = (values.target ?? []).flatMap((t) => t.split(',')).map((t) => t.trim()).filter(Boolean);
  const targets: TargetSpec[] = [];
  for (const n of names.length === 0 ? ['all'] : names) {
    let found: readonly TargetSpec[];
    if (n === 'all') found = TARGETS;
    else if (n === 'host') {
      const host = hostTarget();
      if (!host) return `this machine (${process.platform}-${process.arch}) is not a known target; name one with --target\n${USAGE}`;
      found = [host];
    } else {
      const t = TARGETS.find((x) => x.name === n);
      if (!t) return `unknown target "${n}"\n${USAGE}`;
      found = [t];
    }
    for (const t of found) if (!targets.includes(t)) targets.push(t);
  }
  if (values.bytecode && values['no-bytecode']) return `--bytecode and --no-bytecode contradict each other\n${USAGE}`;
  return {
    targets,
    outdir: resolve(values.outdir ?? join(ROOT, 'dist')),
    smoke: values.smoke === true,
    sourcemap: values['no-sourcemap'] !== true,
    bytecode: values['no-bytecode'] !== true,
    fetch: values['no-fetch'] !== true,
    ...(values['smoke-binary'] === undefined ? {} : { smokeBinary: resolve(values['smoke-binary']) }),
  };
}

export async function main(argv: readonly string[]): Promise<number> {
  const args = parseBuildArgs(argv);
  if (typeof args === 'string') {
    if (args === USAGE) console.log(args);
    else console.error(args);
    return args === USAGE ? 0 : 2;
  }
  const commit = gitCommit();
  const version = pkg.version;
  if (args.smokeBinary !== undefined) {
    if (!existsSync(args.smokeBinary)) {
      console.error(`--smoke-binary: no file ${args.smokeBinary}`);
      return 2;
    }
    return (await smoke(args.smokeBinary, { version, ...(commit === 'unknown' ? {} : { commit }) })) ? 0 : 1;
  }
  console.log(`customs ${version} (${commit}), Bun ${Bun.version}${args.bytecode ? ', bytecode' : ''} → ${args.outdir}`);
  let problems = 0;
  const built: { target: TargetSpec; path: string }[] = [];
  for (const target of args.targets) {
    if (args.fetch && !findRuntime(target).ok) console.log(`  fetching ${target.pkg}@${Bun.version} with npm pack (once; then cached in ${runtimeCacheDir()})`);
    const outcome = await buildTarget(target, { outdir: args.outdir, commit, sourcemap: args.sourcemap, bytecode: args.bytecode, fetch: args.fetch });
    if (outcome.status === 'built') {
      const mb = (statSync(outcome.path).size / 1e6).toFixed(1);
      console.log(`  built    ${target.name.padEnd(13)} ${outcome.path} (${mb} MB, ${outcome.seconds.toFixed(1)} s; runtime from ${outcome.runtime})`);
      for (const warning of outcome.warnings) console.warn(`  warning  ${target.name.padEnd(13)} ${warning}`);
      built.push({ target, path: outcome.path });
    } else if (outcome.status === 'skipped') {
      console.log(`  skipped  ${target.name.padEnd(13)} ${outcome.reason}`);
    } else {
      console.error(`  FAILED   ${target.name.padEnd(13)} ${outcome.reason}`);
      problems++;
    }
  }
  if (built.length > 0) {
    const sums = await writeChecksums(args.outdir);
    console.log(`  wrote    ${join(args.outdir, 'SHA256SUMS')} (${sums.length} file${sums.length === 1 ? '' : 's'})`);
  } else {
    console.error('nothing was built');
    problems++;
  }
  if (args.smoke) {
    const host = hostTarget();
    const hostBinary = built.find((b) => b.target === host);
    if (!hostBinary) {
      console.error(`--smoke needs the host binary (${host?.name ?? `${process.platform}-${process.arch}`}), which this run did not build`);
      problems++;
    } else if (!(await smoke(hostBinary.path, { version, commit }))) problems++;
  }
  return problems === 0 ? 0 : 1;
}

if (import.meta.main) process.exitCode = await main(Bun.argv.slice(2));
