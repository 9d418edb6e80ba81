// How the Results browser's index copes with a big bugs.jsonl: writes N demo-like records, then
// times the one streaming pass, a search and a filter, and prints the memory the index holds.
// A measurement, never a test.   bun bench/results-index.ts [records=300000]

import { mkdtempSync, statSync, writeFileSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BugIndex, FilteredRows, NO_FILTERS } from '../tui/components/results/bug-index.ts';

const N = Number(process.argv[2] ?? 300_000);
const file = join(mkdtempSync(join(tmpdir(), 'customs-bench-results-')), 'bugs.jsonl');
writeFileSync(file, '');
let batch: string[] = [];
for (let n = 1; n <= N; n++) {
  batch.push(
    JSON.stringify({
      title: `Crash in module ${n % 977} when the config has ${n % 13} entries`,
      description: `Steps to reproduce bug ${n}: `.repeat(12),
      status: n % 3 ? 'open' : 'closed',
      importance: 'normal',
      people_involved: n % 9,
      date_reported: '2025-01-02T03:04:05Z',
      last_touched: '2025-02-03T04:05:06Z',
      last_polled: '2026-03-01T12:00:00.000Z',
      submitter_username: `user${n % 5000}`,
      submitter_realname: '',
      canonical_bug_link: `https://tracker${n % 40}.example.org/issues/${n}`,
      looks_closed: n % 3 === 0,
      good_for_newcomers: n % 11 === 0,
      concerns_just_documentation: n % 17 === 0,
      as_appears_in_distribution: '',
      _project_name: `project-${n % 300}`,
      _tracker_name: `Tracker ${n % 40}`,
    }),
  );
  if (batch.length === 10_000) {
    appendFileSync(file, `${batch.join('\n')}\n`);
    batch = [];
  }
}
if (batch.length) appendFileSync(file, `${batch.join('\n')}\n`);
const mb = statSync(file).size / 1e6;
Bun.gc(true);
const before = process.memoryUsage().heapUsed;
const index = new BugIndex(file);
let t = performance.now();
let chunks = 0;
await index.load(() => chunks++);
const loadMs = performance.now() - t;
Bun.gc(true);
const heapMb = (process.memoryUsage().heapUsed - before) / 1e6;
t = performance.now();
const found = new FilteredRows(index, { ...NO_FILTERS, search: 'module 42 ' }).extend();
const searchMs = performance.now() - t;
t = performance.now();
const newcomers = new FilteredRows(index, { ...NO_FILTERS, newcomers: true, open: 'open', tracker: 'Tracker 7' }).extend();
const filterMs = performance.now() - t;
t = performance.now();
const record = index.record(N - 1);
const recordMs = performance.now() - t;
console.log(`${N} records, ${mb.toFixed(0)} MB: indexed in ${(loadMs / 1000).toFixed(2)} s (${chunks} chunks of 1 MB, a yield to the UI after each), index heap ≈ ${heapMb.toFixed(0)} MB`);
console.log(`search "module 42 ": ${found.length} rows in ${searchMs.toFixed(0)} ms; newcomers+open+one tracker: ${newcomers.length} rows in ${filterMs.toFixed(0)} ms; one record read back in ${recordMs.toFixed(2)} ms (${String(record.record?.canonical_bug_link)})`);
index.close();
