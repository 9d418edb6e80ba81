// bench/startup.ts — the compiled binary's size and the wall time of `customs --version`,
// `customs --help` and `customs validate small.yaml` (and, for comparison, the same from source).
// With --compare it first builds this machine's binary twice, with and without bytecode, and
// measures both. Measurement only, never a test: numbers depend on the machine.
//
//   bun bench/startup.ts [--binary PATH] [--runs N] [--compare]     (build first: npm run build)

import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { binaryName, buildTarget, ENTRY, GOOD_TRACKERS, gitCommit, hostTarget, ROOT, smokeEnv } from '../build.ts';

export interface Timing {
  readonly label: string;
  readonly medianMs: number;
  readonly minMs: number;
  readonly maxMs: number;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

export interface Case {
  readonly label: string;
  readonly cmd: readonly string[];
}

/**
 * Runs every case once to warm the file cache, then `runs` rounds of every case in turn, so a
 * change in the machine's load hits all cases alike; every run must exit 0.
 */
export function timeAll(cases: readonly Case[], cwd: string, runs: number): Timing[] {
  const env = smokeEnv(cwd);
  const once = (c: Case): number => {
    const started = performance.now();
    const proc = Bun.spawnSync([...c.cmd], { cwd, env, stdin: 'ignore', stdout: 'pipe', stderr: 'pipe' });
    const ms = performance.now() - started;
    if (proc.exitCode !== 0) throw new Error(`${c.cmd.join(' ')} exited ${proc.exitCode}: ${proc.stderr.toString().trim()}`);
    return ms;
  };
  cases.forEach(once);
  const samples = cases.map((): number[] => []);
  for (let round = 0; round < runs; round++) cases.forEach((c, i) => samples[i]?.push(once(c)));
  return cases.map((c, i) => {
    const s = samples[i] ?? [];
    return { label: c.label, medianMs: median(s), minMs: Math.min(...s), maxMs: Math.max(...s) };
  });
}

function show(t: Timing): string {
  return `${t.label.padEnd(52)} median ${t.medianMs.toFixed(1).padStart(7)} ms   (min ${t.minMs.toFixed(1)}, max ${t.maxMs.toFixed(1)})`;
}

/** The three commands against one binary (or `bun src/cli/main.ts` when `cmd` is the source). */
function cases(name: string, cmd: readonly string[]): Case[] {
  return [
    { label: `${name} --version`, cmd: [...cmd, '--version'] },
    { label: `${name} --help`, cmd: [...cmd, '--help'] },
    { label: `${name} validate small.yaml`, cmd: [...cmd, 'validate', 'small.yaml'] },
  ];
}

async function main(): Promise<number> {
  const { values } = parseArgs({ args: Bun.argv.slice(2), options: { binary: { type: 'string' }, runs: { type: 'string' }, compare: { type: 'boolean' } } });
  const host = hostTarget();
  const runs = Math.max(1, Number(values.runs ?? 20) || 20);
  const dir = mkdtempSync(join(tmpdir(), 'customs-bench-'));
  try {
    writeFileSync(join(dir, 'small.yaml'), GOOD_TRACKERS);
    const binaries: { name: string; path: string }[] = [];
    if (values.compare) {
      if (!host) throw new Error(`${process.platform}-${process.arch} is not a target customs is built for`);
      for (const bytecode of [false, true]) {
        const outdir = join(dir, bytecode ? 'bytecode' : 'source');
        const outcome = await buildTarget(host, { outdir, commit: gitCommit(), bytecode, fetch: false });
        if (outcome.status !== 'built') throw new Error(`building ${host.name}: ${outcome.reason}`);
        binaries.push({ name: `customs (${bytecode ? 'bytecode' : 'no bytecode'})`, path: outcome.path });
      }
    } else {
      const path = resolve(values.binary ?? join(ROOT, 'dist', host ? binaryName(host) : 'customs'));
      if (!existsSync(path)) {
        console.error(`no binary at ${path}; build it first with \`npm run build\` (or pass --binary PATH, or --compare)`);
        return 1;
      }
      binaries.push({ name: 'customs', path });
    }
    console.log(`${runs} rounds of every command, after one warm-up; small.yaml holds one GitHub tracker`);
    for (const b of binaries) console.log(`${b.name}: ${b.path}, ${(statSync(b.path).size / 1e6).toFixed(1)} MB`);
    const all = [...binaries.flatMap((b) => cases(b.name, [b.path])), ...cases('(source) bun src/cli/main.ts', [process.execPath, join(ROOT, ENTRY)])];
    for (const t of timeAll(all, dir, runs)) console.log(show(t));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return 0;
}

if (import.meta.main) process.exitCode = await main();
