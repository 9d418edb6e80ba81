// bench/startup.ts — the compiled binary's size and the median wall time of `customs --version`
// and `customs validate small.yaml` (and, for comparison, the same from source). Measurement
// only, never a test: numbers depend on the machine.
//
//   bun bench/startup.ts [--binary PATH] [--runs N]     (build first: npm run build)

import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { binaryName, ENTRY, GOOD_TRACKERS, hostTarget, ROOT, smokeEnv } from '../build.ts';

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

/** Runs `cmd` once to warm the file cache, then `runs` times; every run must exit 0. */
export function time(label: string, cmd: readonly string[], cwd: string, runs: number): Timing {
  const env = smokeEnv(cwd);
  const once = (): number => {
    const started = performance.now();
    const proc = Bun.spawnSync([...cmd], { cwd, env, stdin: 'ignore', stdout: 'pipe', stderr: 'pipe' });
    const ms = performance.now() - started;
    if (proc.exitCode !== 0) throw new Error(`${cmd.join(' ')} exited ${proc.exitCode}: ${proc.stderr.toString().trim()}`);
    return ms;
  };
  once();
  const samples = Array.from({ length: runs }, once);
  return { label, medianMs: median(samples), minMs: Math.min(...samples), maxMs: Math.max(...samples) };
}

function show(t: Timing): string {
  return `${t.label.padEnd(50)} median ${t.medianMs.toFixed(1).padStart(7)} ms   (min ${t.minMs.toFixed(1)}, max ${t.maxMs.toFixed(1)})`;
}

async function main(): Promise<number> {
  const { values } = parseArgs({ args: Bun.argv.slice(2), options: { binary: { type: 'string' }, runs: { type: 'string' } } });
  const host = hostTarget();
  const binary = resolve(values.binary ?? join(ROOT, 'dist', host ? binaryName(host) : 'customs'));
  const runs = Math.max(1, Number(values.runs ?? 10) || 10);
  if (!existsSync(binary)) {
    console.error(`no binary at ${binary}; build it first with \`npm run build\` (or pass --binary PATH)`);
    return 1;
  }
  const dir = mkdtempSync(join(tmpdir(), 'customs-bench-'));
  try {
    writeFileSync(join(dir, 'small.yaml'), GOOD_TRACKERS);
    console.log(`${binary}: ${(statSync(binary).size / 1e6).toFixed(1)} MB; ${runs} runs each, after one warm-up`);
    const source = [process.execPath, join(ROOT, ENTRY)];
    for (const t of [
      time('customs --version', [binary, '--version'], dir, runs),
      time('customs validate small.yaml', [binary, 'validate', 'small.yaml'], dir, runs),
      time('(source) bun src/cli/main.ts --version', [...source, '--version'], dir, runs),
      time('(source) bun src/cli/main.ts validate small.yaml', [...source, 'validate', 'small.yaml'], dir, runs),
    ])
      console.log(show(t));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return 0;
}

if (import.meta.main) process.exitCode = await main();
