// Memory stays flat however many bugs: imports N issues from the fake GitHub (in a child
// process) and prints the child's peak RSS for a small and a large run. A measurement, not a test.
// Usage: bun bench/memory.ts [small=2000] [large=40000]

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fakeIssue, startFakeGithub } from '../src/demo/fake-github.ts';

const main = resolve(import.meta.dir, '../src/cli/main.ts');

async function measure(count: number): Promise<{ rssMb: number; seconds: number; records: number }> {
  const issues = Array.from({ length: count }, (_, i) => fakeIssue(i + 1, { state: 'open', body: `Body of issue ${i + 1}. `.repeat(20) }));
  const server = startFakeGithub({ repos: [{ owner: 'bench', name: 'big', issues }], cacheControl: 'no-cache' });
  const dir = mkdtempSync(join(tmpdir(), 'customs-bench-'));
  const file = join(dir, 'trackers.yaml');
  writeFileSync(file, `- tracker_name: Big\n  bugimporter: github\n  api_url: ${server.url}\n  github_name: bench\n  github_repo: big\n`);
  const started = performance.now();
  // /usr/bin/time -v would do too; Bun reports the child's max RSS itself.
  const proc = Bun.spawn([process.execPath, main, 'run', file, '--data-dir', join(dir, 'out'), '--ci'], { stdout: 'ignore', stderr: 'ignore' });
  await proc.exited;
  const seconds = (performance.now() - started) / 1000;
  const usage = proc.resourceUsage();
  await server.stop();
  const text = await Bun.file(join(dir, 'out', 'bugs.jsonl')).text();
  return { rssMb: Number(usage?.maxRSS ?? 0) / 1024 / 1024, seconds, records: text.split('\n').filter(Boolean).length };
}

const small = Number(process.argv[2] ?? 2000);
const large = Number(process.argv[3] ?? 40000);
for (const n of [small, large]) {
  const r = await measure(n);
  console.log(`${n} issues: ${r.records} records, peak RSS ${r.rssMb.toFixed(1)} MB, ${r.seconds.toFixed(1)} s`);
}
