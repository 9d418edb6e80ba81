// `customs db load` speed and memory: writes N generated ParsedBug records (with descriptions of a
// realistic size) to a temp file, loads it with the real CLI in a child process — first load
// (inserts), the same file again (unchanged), a file where every bug changed (updates) — and
// prints seconds and the child's peak RSS. A small run next to it shows memory does not grow with
// N. A measurement, not a test.
// Usage: bun bench/db-load.ts [N=100000] [--db URL]   (default: a SQLite file in a temp folder;
// the PostgreSQL database given must exist and be one you can throw away)

import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { once } from 'node:events';

const main = resolve(import.meta.dir, '../src/cli/main.ts');
const args = process.argv.slice(2);
const dbIndex = args.indexOf('--db');
const dbUrl = dbIndex >= 0 ? args[dbIndex + 1] : undefined;
const count = Number(args.find((a, i) => /^\d+$/.test(a) && i !== dbIndex + 1) ?? 100_000);
const dir = mkdtempSync(join(tmpdir(), 'customs-bench-db-'));

async function writeRecords(path: string, n: number, version: number): Promise<void> {
  const out = createWriteStream(path);
  let buffer = '';
  for (let i = 1; i <= n; i++) {
    buffer += `${JSON.stringify({
      title: `Issue ${i}: something is wrong with part ${i % 97}${version > 1 ? ' (edited)' : ''}`,
      description: `Steps to reproduce issue ${i}. `.repeat(20),
      status: i % 5 === 0 ? 'closed' : 'open',
      importance: i % 3 === 0 ? 'high' : 'normal',
      people_involved: i % 7,
      date_reported: '2024-01-02T03:04:05Z',
      last_touched: '2024-06-07T08:09:10Z',
      last_polled: `2025-0${version}-01T00:00:00.000Z`,
      submitter_username: `user${i % 1000}`,
      submitter_realname: `User ${i % 1000}`,
      canonical_bug_link: `https://bugs.example.org/project-${i % 50}/issues/${i}`,
      looks_closed: i % 5 === 0,
      good_for_newcomers: i % 9 === 0,
      concerns_just_documentation: i % 11 === 0,
      as_appears_in_distribution: '',
      _project_name: `Project ${i % 50}`,
      _tracker_name: `Tracker ${i % 50}`,
    })}\n`;
    if (buffer.length > 1 << 20) {
      if (!out.write(buffer)) await once(out, 'drain');
      buffer = '';
    }
  }
  out.end(buffer);
  await once(out, 'finish');
}

interface Measured {
  readonly seconds: number;
  readonly rssMb: number;
  readonly summary: string;
}

async function load(file: string, db: string): Promise<Measured> {
  const started = performance.now();
  const proc = Bun.spawn([process.execPath, main, 'db', 'load', file, '--db', db, '--json'], { stdout: 'pipe', stderr: 'inherit' });
  const stdout = await new Response(proc.stdout).text();
  const code = await proc.exited;
  const seconds = (performance.now() - started) / 1000;
  if (code !== 0) throw new Error(`db load exited ${code}: ${stdout}`);
  const s = JSON.parse(stdout) as Record<string, number>;
  return {
    seconds,
    rssMb: Number(proc.resourceUsage()?.maxRSS ?? 0) / 1024 / 1024,
    summary: `${s.inserted} inserted, ${s.updated} updated, ${s.unchanged} unchanged`,
  };
}

async function scenario(n: number, db: string): Promise<void> {
  const first = join(dir, `bugs-${n}.jsonl`);
  const edited = join(dir, `bugs-${n}-edited.jsonl`);
  await writeRecords(first, n, 1);
  await writeRecords(edited, n, 2);
  const mb = statSync(first).size / 1e6;
  console.log(`${n} records (${mb.toFixed(0)} MB) into ${db.replace(/:[^:@/]+@/, ':***@')}`);
  for (const [name, file] of [['first load', first], ['same file again', first], ['every bug changed', edited]] as const) {
    const m = await load(file, db);
    console.log(`  ${name.padEnd(18)} ${m.seconds.toFixed(1).padStart(5)} s  ${Math.round(n / m.seconds).toString().padStart(7)} records/s  peak RSS ${m.rssMb.toFixed(0)} MB  (${m.summary})`);
  }
}

try {
  const small = Math.max(1000, Math.round(count / 10));
  for (const n of [small, count]) {
    if (dbUrl !== undefined) {
      const { SQL } = await import('bun');
      const sql = new SQL(dbUrl, { max: 1 });
      await sql.unsafe('DROP TABLE IF EXISTS bugs, projects, trackers, customs_schema_version');
      await sql.close();
    }
    await scenario(n, dbUrl ?? join(dir, `bench-${n}.sqlite`));
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
