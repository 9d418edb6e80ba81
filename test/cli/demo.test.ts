// `customs demo` as a new user runs it: a full import of the fake GitHub, schema-valid records
// with a _deleted one, then the same records again from the cache alone (--offline).
import { expect, test } from 'bun:test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readJsonl, runCli, tempDir } from '../helpers/cli.ts';
import { ADAPTERS } from '../../trackers/index.ts';
import { assertValidRecord } from '../helpers/schema.ts';

test('demo imports hundreds of bugs, shows a rate-limit pause, and replays offline', async () => {
  const cwd = tempDir('customs-demo-');
  const first = await runCli(['demo'], { cwd });
  expect(first.code).toBe(0);
  expect(first.stderr).toMatch(/\[pause\] github\.demo\.localhost rate limited/);
  // Every tracker succeeded, and the demo shows every type the registry knows.
  expect(first.stderr).toMatch(/\d+ bugs from (\d+)\/\1 trackers/);
  const report = JSON.parse(readFileSync(join(cwd, 'customs-demo', 'report.json'), 'utf8')) as { trackers: { type: string }[] };
  expect(new Set(report.trackers.map((t) => t.type))).toEqual(new Set(ADAPTERS.map((a) => a.type)));
  const records = readJsonl(readFileSync(join(cwd, 'customs-demo', 'bugs.jsonl'), 'utf8'));
  expect(records.length).toBeGreaterThan(300);
  records.forEach(assertValidRecord);
  expect(records.filter((r) => r._deleted === true).length).toBeGreaterThanOrEqual(ADAPTERS.length);
  expect(records.some((r) => r.good_for_newcomers === true)).toBe(true);
  expect(records.some((r) => r.concerns_just_documentation === true)).toBe(true);

  const offline = await runCli(['demo', '--offline'], { cwd });
  expect(offline.code).toBe(0);
  const replayed = readJsonl(readFileSync(join(cwd, 'customs-demo', 'bugs.jsonl'), 'utf8'));
  const strip = (rs: Record<string, unknown>[]) => rs.map(({ last_polled: _, ...rest }) => rest).sort((a, b) => String(a.canonical_bug_link).localeCompare(String(b.canonical_bug_link)));
  expect(strip(replayed)).toEqual(strip(records));
});
