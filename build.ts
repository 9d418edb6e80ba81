// build.ts — compiles src/cli/main.ts into self-contained `customs` binaries (dist/customs-<target>),
// taking each target's Bun runtime from its npm package (never downloading one), writes
// dist/SHA256SUMS, and with --smoke runs the host binary alone in an empty folder.
//
//   bun build.ts [--target NAME|all]… [--outdir DIR] [--smoke] [--no-sourcemap] [--bytecode]

import { chmodSync, closeSync, copyFileSync, existsSync, mkdtempSync, openSync, readdirSync, readFileSync, readSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { BunPlugin } from 'bun';
import pkg from './package.json' with { type: 'json' };

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
// Finding a runtime without downloading one

export type RuntimeLookup =
  | { readonly ok: true; readonly path: string; readonly source: string }
  | { readonly ok: false; readonly reason: string };

interface Candidate {
  readonly path: string;
  readonly version: string | undefined;
  readonly source: string;
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

/**
 * The Bun runtime to put into `target`'s binary: the target's `@oven/bun-*` package; for the
 * host also `node_modules/bun/bin/bun.exe` (where the `bun` package's postinstall moves the host
 * package's binary) and the running Bun. A candidate must be this Bun's version, so the bundle
 * and the runtime agree. Never downloads: a missing runtime is a reason to skip the target.
 */
export function findRuntime(target: TargetSpec, root: string = ROOT): RuntimeLookup {
  const candidates: Candidate[] = [];
  const dir = packageDir(target.pkg, root);
  if (dir) candidates.push({ path: join(dir, target.exe), version: packageVersion(dir), source: target.pkg });
  if (target === hostTarget()) {
    const bunDir = packageDir('bun', root);
    if (bunDir) candidates.push({ path: join(bunDir, 'bin', 'bun.exe'), version: packageVersion(bunDir), source: 'the bun package (host runtime)' });
    candidates.push({ path: process.execPath, version: Bun.version, source: 'the running Bun' });
  }
  const rejected: string[] = [];
  for (const c of candidates) {
    const kind = existsSync(c.path) ? executableKind(c.path) : undefined;
    if (!kind) rejected.push(`${c.path}: missing or not an executable`);
    else if (kind.os !== target.os || (kind.arch !== undefined && kind.arch !== target.arch))
      rejected.push(`${c.path}: a ${kind.os}-${kind.arch ?? '?'} executable, not ${target.name}`);
    else if (c.version !== Bun.version) rejected.push(`${c.path}: Bun ${c.version ?? 'of unknown version'}, but this build runs Bun ${Bun.version}`);
    else return { ok: true, path: c.path, source: c.source };
  }
  const why = dir ? rejected.join('; ') : `${target.pkg} is not installed`;
  return {
    ok: false,
    reason:
      `no Bun runtime for ${target.name} (${why}); this build never downloads one. To build ${target.name}, install that ` +
      `package first (npm skips other platforms' packages; e.g. \`npm install --no-save --force ${target.pkg}@${Bun.version}\`).`,
  };
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

/** `git rev-parse --short HEAD`, or "unknown" outside a checkout. */
export function gitCommit(root: string = ROOT): string {
  try {
    const proc = Bun.spawnSync(['git', 'rev-parse', '--short', 'HEAD'], { cwd: root, stdout: 'pipe', stderr: 'ignore' });
    const sha = proc.stdout.toString().trim();
    return proc.exitCode === 0 && /^[0-9a-f]{4,40}$/.test(sha) ? sha : 'unknown';
  } catch {
    return 'unknown';
  }
}

export interface BuildOptions {
  readonly outdir: string;
  readonly commit: string;
  readonly root?: string;
  readonly sourcemap?: boolean;
  /** Precompile to bytecode (ESM): about twice as fast to start, a few MB larger. */
  readonly bytecode?: boolean;
}

export type BuildOutcome =
  | { readonly target: TargetSpec; readonly status: 'built'; readonly path: string; readonly runtime: string; readonly seconds: number }
  | { readonly target: TargetSpec; readonly status: 'skipped' | 'failed'; readonly reason: string };

/** Compiles one target's binary into `outdir`. */
export async function buildTarget(target: TargetSpec, options: BuildOptions): Promise<BuildOutcome> {
  const root = options.root ?? ROOT;
  const runtime = findRuntime(target, root);
  if (!runtime.ok) return { target, status: 'skipped', reason: runtime.reason };
  const outfile = join(resolve(options.outdir), binaryName(target));
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
      ...(options.bytecode ? { bytecode: true, format: 'esm' as const } : {}),
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
  return { target, status: 'built', path: outfile, runtime: `${runtime.source} (${runtime.path})`, seconds: (performance.now() - started) / 1000 };
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
      const missing = ['run', 'validate', 'demo', 'cache'].filter((c) => !r.stdout.includes(`customs ${c}`));
      return { problem: expectExit(r, 0) ?? (missing.length ? `--help does not list: ${missing.join(', ')}` : undefined), note: `${r.stdout.split('\n').length} lines` };
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
  /** True for `--target all`: a target with no runtime is skipped, not an error. */
  readonly all: boolean;
  readonly outdir: string;
  readonly smoke: boolean;
  readonly sourcemap: boolean;
  readonly bytecode: boolean;
}

const USAGE = `usage: bun build.ts [--target NAME|all]… [--outdir DIR] [--smoke] [--no-sourcemap] [--bytecode]
targets: ${TARGETS.map((t) => t.name).join(', ')} (default: this machine's)`;

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
  const all = names.includes('all');
  let targets: TargetSpec[];
  if (all) targets = [...TARGETS];
  else if (names.length === 0) {
    const host = hostTarget();
    if (!host) return `this machine (${process.platform}-${process.arch}) is not a known target; name one with --target\n${USAGE}`;
    targets = [host];
  } else {
    targets = [];
    for (const n of names) {
      const t = TARGETS.find((x) => x.name === n);
      if (!t) return `unknown target "${n}"\n${USAGE}`;
      if (!targets.includes(t)) targets.push(t);
    }
  }
  return {
    targets,
    all,
    outdir: resolve(values.outdir ?? join(ROOT, 'dist')),
    smoke: values.smoke === true,
    sourcemap: values['no-sourcemap'] !== true,
    bytecode: values.bytecode === true,
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
  console.log(`customs ${version} (${commit}), Bun ${Bun.version} → ${args.outdir}`);
  let problems = 0;
  const built: { target: TargetSpec; path: string }[] = [];
  for (const target of args.targets) {
    const outcome = await buildTarget(target, { outdir: args.outdir, commit, sourcemap: args.sourcemap, bytecode: args.bytecode });
    if (outcome.status === 'built') {
      const mb = (statSync(outcome.path).size / 1e6).toFixed(1);
      console.log(`  built    ${target.name.padEnd(13)} ${outcome.path} (${mb} MB, ${outcome.seconds.toFixed(1)} s; runtime from ${outcome.runtime})`);
      built.push({ target, path: outcome.path });
    } else if (outcome.status === 'skipped') {
      console.log(`  skipped  ${target.name.padEnd(13)} ${outcome.reason}`);
      if (!args.all) problems++;
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
