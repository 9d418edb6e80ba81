// The PostgreSQL backend against a real server (CUSTOMS_TEST_POSTGRES_URL, set by .ci/postgres.sh;
// skipped with a message without it): migrations under concurrent first opens, refusals, reads
// that page past one page, values SQLite takes but PostgreSQL would not, and the same answers as
// the SQLite backend for the same file.

import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { join } from 'node:path';
import { SQL } from 'bun';
import type { DbBackend, DbTarget, KnownBug, NewcomerBug } from '../../src/sinks/db.ts';
import { DbError, openDatabase, parseDbTarget } from '../../src/sinks/db.ts';
import { type Line, loadLines } from '../../src/sinks/db-load.ts';
import { LATEST_VERSION } from '../../src/sinks/db-schema.ts';
import { tempDir } from '../helpers/cli.ts';

const ADMIN = process.env.CUSTOMS_TEST_POSTGRES_URL ?? '';
const SKIP = 'PostgreSQL backend tests skipped: CUSTOMS_TEST_POSTGRES_URL is not set (.ci/run sets it through .ci/postgres.sh)';
if (ADMIN === '') {
  console.warn(SKIP);
  test.skip(SKIP, () => {});
}

let root: InstanceType<typeof SQL> | undefined;
const made: string[] = [];

async function freshDatabase(): Promise<DbTarget> {
  root ??= new SQL(ADMIN, { max: 1 });
  const name = `customs_pg_${Date.now().toString(36)}_${made.length}_${Math.floor(Math.random() * 1e6)}`;
  await root.unsafe(`CREATE DATABASE ${name}`);
  made.push(name);
  const url = new URL(ADMIN);
  url.pathname = `/${name}`;
  return parseDbTarget(url.toString(), '.');
}

function record(n: number): Record<string, unknown> {
  return {
    title: `Bug ${String(n).padStart(6, '0')}${n % 7 === 0 ? ' – ünïcode' : ''}`,
    description: n % 11 === 0 ? 'NUL \u0000 and a lone \ud800 surrogate' : `text ${n}`,
    status: n % 3 === 0 ? 'closed' : 'open',
    importance: '',
    people_involved: n % 5,
    date_reported: '2024-05-01T08:00:00Z',
    ...(n % 2 === 0 ? { last_touched: '2024-06-01T08:00:00Z' } : {}),
    last_polled: '2025-02-01T00:00:00.250Z',
    submitter_username: 'u',
    submitter_realname: '',
    canonical_bug_link: `https://example.org/${n % 4 === 0 ? 'alpha' : 'beta'}/issues/${n}`,
    looks_closed: n % 3 === 0,
    good_for_newcomers: n % 2 === 1,
    concerns_just_documentation: n % 10 === 1,
    as_appears_in_distribution: '',
    _project_name: `Project ${n % 4}`,
    _tracker_name: n % 4 === 0 ? 'Alpha' : 'Beta',
    ...(n % 13 === 0 ? { raw_data: { labels: ['x', 'y'], nested: { n, k: 'v\u0000' } } } : {}),
  };
}

async function* lines(count: number): AsyncIterable<Line> {
  for (let n = 1; n <= count; n++) yield { number: n, text: JSON.stringify(record(n)) };
}

async function all<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

async function refusal(target: DbTarget, create: boolean): Promise<DbError> {
  try {
    await (await openDatabase(target, { create })).close();
  } catch (err) {
    if (err instanceof DbError) return err;
    throw err;
  }
  throw new Error('opened');
}

describe.skipIf(ADMIN === '')('PostgreSQL backend', () => {
  afterAll(async () => {
    for (const name of made) await root?.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await root?.close();
  });

  test('three first opens at once: one migration, recorded once', async () => {
    const target = await freshDatabase();
    const dbs = await Promise.all([1, 2, 3].map(() => openDatabase(target, { create: true })));
    await Promise.all(dbs.map((d) => d.close()));
    if (target.kind !== 'postgres') throw new Error('not postgres');
    const sql = new SQL(target.url, { max: 1 });
    expect([...(await sql`SELECT version FROM customs_schema_version`)]).toEqual([{ version: LATEST_VERSION }]);
    await sql.close();
  });

  test('refuses a newer schema, a foreign bugs table, and an empty database for a reader', async () => {
    const newer = await freshDatabase();
    await (await openDatabase(newer, { create: true })).close();
    if (newer.kind !== 'postgres') throw new Error('not postgres');
    const sql = new SQL(newer.url, { max: 1 });
    await sql`INSERT INTO customs_schema_version (version, description) VALUES (${99}, ${'from the future'})`;
    await sql.close();
    expect(await refusal(newer, true)).toMatchObject({ kind: 'schema', message: expect.stringContaining('version 99, newer than this customs knows') });

    const foreign = await freshDatabase();
    if (foreign.kind !== 'postgres') throw new Error('not postgres');
    const other = new SQL(foreign.url, { max: 1 });
    await other`CREATE TABLE bugs (id integer)`;
    await other.close();
    expect(await refusal(foreign, true)).toMatchObject({ kind: 'schema', message: expect.stringContaining('"bugs" table that customs did not make') });

    expect(await refusal(await freshDatabase(), false)).toMatchObject({ kind: 'schema', message: expect.stringContaining('holds no customs data') });
  });

  test('a record PostgreSQL refuses (year 0, which SQLite takes) is rejected alone, with its line', async () => {
    const db = await openDatabase(await freshDatabase(), { create: true });
    async function* some(): AsyncIterable<Line> {
      for (let n = 1; n <= 5; n++) yield { number: n, text: JSON.stringify({ ...record(n), ...(n === 3 ? { date_reported: '0000-01-01T00:00:00Z' } : {}) }) };
    }
    const rejected: [number, string][] = [];
    try {
      const result = await loadLines(some(), db, { onReject: (line, reason) => rejected.push([line, reason]) });
      expect(result.failure).toBeUndefined();
      expect(result.counts.inserted).toBe(4);
      expect(rejected).toEqual([[3, expect.stringContaining('date/time field value out of range')]]);
      expect(rejected[0]?.[1]).toContain('postgres://customs:***@');
    } finally {
      await db.close();
    }
  });

  describe('12,000 bugs, also loaded into SQLite', () => {
    let pg: DbBackend;
    let lite: DbBackend;
    beforeAll(async () => {
      pg = await openDatabase(await freshDatabase(), { create: true });
      lite = await openDatabase(parseDbTarget(join(tempDir('customs-pg-cmp-'), 'b.sqlite'), '.'), { create: true });
    });
    afterAll(async () => {
      await pg.close();
      await lite.close();
    });

    test('loads the same counts, then again unchanged', async () => {
      const first = await loadLines(lines(12_000), pg, { batchSize: 1500 });
      expect(first.failure).toBeUndefined();
      expect(first.counts).toMatchObject({ inserted: 12_000, updated: 0, unchanged: 0 });
      expect((await loadLines(lines(12_000), lite)).counts).toEqual(first.counts);
      const again = await loadLines(lines(12_000), pg, { batchSize: 5000 });
      expect(again.counts).toMatchObject({ inserted: 0, updated: 0, unchanged: 12_000 });
    }, 60_000);

    test('reads page past 5000 rows and answer exactly as SQLite does', async () => {
      const pgKnown = await all<KnownBug>(pg.knownBugs());
      expect(pgKnown.length).toBe(12_000);
      expect(pgKnown).toEqual(await all<KnownBug>(lite.knownBugs()));
      expect(await all<KnownBug>(pg.knownBugs(['Alpha']))).toEqual(pgKnown.filter((k) => k.tracker === 'Alpha'));

      const query = { projects: [], openOnly: false };
      const pgNew = await all<NewcomerBug>(pg.newcomers(query));
      expect(pgNew.length).toBe(6000);
      expect(pgNew).toEqual(await all<NewcomerBug>(lite.newcomers(query)));
      const open = { projects: ['Project 1'], openOnly: true };
      expect(await all<NewcomerBug>(pg.newcomers(open))).toEqual(await all<NewcomerBug>(lite.newcomers(open)));
    });

    test('stores what PostgreSQL cannot take as is (NUL, lone surrogates) and raw_data as jsonb', async () => {
      if (pg.target.kind !== 'postgres') throw new Error('not postgres');
      const sql = new SQL(pg.target.url, { max: 1 });
      const [row] = await sql<{ description: string; raw: unknown; kind: string }[]>`
        SELECT description, raw_data AS raw, jsonb_typeof(raw_data) AS kind FROM bugs WHERE canonical_bug_link = ${'https://example.org/beta/issues/143'}`;
      await sql.close();
      expect(row?.description).toBe('NUL \uFFFD and a lone \uFFFD surrogate');
      expect(row?.kind).toBe('object');
      expect(row?.raw).toEqual({ labels: ['x', 'y'], nested: { n: 143, k: 'v\uFFFD' } });
    });
  });
});
