// The database loader's parts: a line → its operation or the reason it is rejected, the load
// rules (planBatch), --db values and password redaction, the streaming line reader, the batch
// loop (file order kept across a repeated link, one refused record isolated, interruption), and
// the SQLite schema's migrations and refusals.

import { describe, expect, test } from 'bun:test';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Database } from 'bun:sqlite';
import type { DbBackend, KnownBug, LoadCounts, StoredBug } from '../../src/sinks/db.ts';
import { DbError, openDatabase, parseDbTarget, planBatch, redactUrl, scrub, ZERO_COUNTS } from '../../src/sinks/db.ts';
import { type Line, loadLines, readLines } from '../../src/sinks/db-load.ts';
import type { BugRow, LoadOp } from '../../src/sinks/db-record.ts';
import { formatTime, parseLine, parseTime } from '../../src/sinks/db-record.ts';
import { LATEST_VERSION } from '../../src/sinks/db-schema.ts';
import { tempDir } from '../helpers/cli.ts';

type Row = Record<string, unknown>;

function record(n: number, change: Row = {}): Row {
  return {
    title: `Bug ${n}`,
    description: 'text',
    status: 'new',
    importance: '',
    people_involved: 1,
    last_polled: '2025-02-01T00:00:00Z',
    submitter_username: 'bob',
    submitter_realname: '',
    canonical_bug_link: `https://example.org/b/${n}`,
    looks_closed: false,
    good_for_newcomers: true,
    concerns_just_documentation: false,
    as_appears_in_distribution: '',
    _project_name: 'P',
    _tracker_name: 'T',
    ...change,
  };
}

function op(n: number, change: Row = {}): LoadOp {
  const result = parseLine(JSON.stringify(record(n, change)));
  if ('rejected' in result) throw new Error(result.rejected);
  return result.op;
}

function upsertBug(o: LoadOp): BugRow {
  if (o.kind !== 'upsert') throw new Error('not an upsert');
  return o.bug;
}

describe('parseLine', () => {
  test('a full record becomes an upsert with every field', () => {
    const bug = upsertBug(op(1, { date_reported: '2010-02-23T02:46:30+02:00', raw_data: { b: 1, a: [2] } }));
    expect(bug).toMatchObject({ canonical_bug_link: 'https://example.org/b/1', title: 'Bug 1', project: 'P', tracker: 'T', good_for_newcomers: true, last_touched: null });
    expect(formatTime(bug.date_reported ?? 0)).toBe('2010-02-23T00:46:30Z');
    expect(bug.raw_data).toBe('{"a":[2],"b":1}');
  });

  test('the content hash ignores last_polled and key order, and sees every other field', () => {
    const base = upsertBug(op(1, { raw_data: { x: 1, y: 2 } })).content_hash;
    expect(upsertBug(op(1, { raw_data: { y: 2, x: 1 }, last_polled: '2030-01-01T00:00:00.123Z' })).content_hash).toBe(base);
    for (const change of [{ title: 'other' }, { looks_closed: true }, { people_involved: 2 }, { _project_name: 'Q' }, { raw_data: { x: 1 } }, { last_touched: '2025-01-01T00:00:00Z' }]) {
      expect(upsertBug(op(1, { raw_data: { x: 1, y: 2 }, ...change })).content_hash).not.toBe(base);
    }
  });

  test('every missing or mistyped required field is named', () => {
    const { title: _t, looks_closed: _l, ...rest } = record(1);
    expect(parseLine(JSON.stringify({ ...rest, people_involved: 1.5, status: 3, last_touched: 'yesterday', canonical_bug_link: 'ftp://x' }))).toEqual({
      rejected:
        'missing title, looks_closed; canonical_bug_link must be an http(s) URL; status must be a string; people_involved must be a whole number from 0 to 2147483647; last_touched must be an RFC 3339 time such as 2010-02-23T00:46:30Z',
    });
    expect(parseLine('{"a": 1')).toMatchObject({ rejected: expect.stringMatching(/^not JSON/) });
    expect(parseLine('"text"')).toEqual({ rejected: 'not a JSON object (got string)' });
    expect(parseLine(JSON.stringify(record(1, { _tracker_name: ' ' })))).toEqual({ rejected: '_tracker_name must not be empty' });
  });

  test('_deleted and _no_update need only their four fields; both at once is rejected', () => {
    const base = { canonical_bug_link: 'https://example.org/b/1', _tracker_name: 'T', _project_name: 'P', last_polled: '2025-02-01T00:00:00.500Z' };
    expect(parseLine(JSON.stringify({ ...base, _deleted: true }))).toEqual({ op: { kind: 'delete', link: base.canonical_bug_link, polled: Date.parse(base.last_polled) } });
    expect(parseLine(JSON.stringify({ ...base, _no_update: true }))).toEqual({ op: { kind: 'touch', link: base.canonical_bug_link, polled: Date.parse(base.last_polled) } });
    expect(parseLine(JSON.stringify({ ...base, _deleted: true, _no_update: true }))).toEqual({ rejected: '_deleted and _no_update cannot both be true' });
    expect(parseLine(JSON.stringify({ canonical_bug_link: base.canonical_bug_link, _deleted: true }))).toEqual({ rejected: 'missing _tracker_name, _project_name, last_polled' });
    // `_deleted: false` is a normal record (OpenHatch read it so).
    expect(parseLine(JSON.stringify(record(1, { _deleted: false })))).toMatchObject({ op: { kind: 'upsert' } });
  });

  test('NUL and lone surrogates, which PostgreSQL refuses, become U+FFFD', () => {
    const bug = upsertBug(op(1, { title: 'a\u0000b', description: 'x\ud800y', raw_data: { 'k\u0000': 'v\udc00' } }));
    expect(bug.title).toBe('a\uFFFDb');
    expect(bug.description).toBe('x\uFFFDy');
    expect(bug.raw_data).toBe('{"k\uFFFD":"v\uFFFD"}');
    expect(upsertBug(op(1, { title: '😀' })).title).toBe('😀');
  });

  test('times: Z, offsets, fractions, and the zone-less form of old files (UTC)', () => {
    expect(parseTime('2010-02-23T00:46:30Z')).toBe(Date.UTC(2010, 1, 23, 0, 46, 30));
    expect(parseTime('2010-02-23T00:46:30.5Z')).toBe(Date.UTC(2010, 1, 23, 0, 46, 30, 500));
    expect(parseTime('2010-02-23T01:46:30+0100')).toBe(Date.UTC(2010, 1, 23, 0, 46, 30));
    expect(parseTime('2010-02-23T00:46:30')).toBe(Date.UTC(2010, 1, 23, 0, 46, 30));
    expect(parseTime('2010-02-30T00:46:30Z')).toBeUndefined();
    expect(parseTime('2012-02-29T00:00:00Z')).toBe(Date.UTC(2012, 1, 29));
    expect(parseTime('2010-02-23T24:00:00Z')).toBeUndefined();
    expect(parseTime('23/02/2010')).toBeUndefined();
  });
});

describe('planBatch', () => {
  const held = (hash: string, polled: string): StoredBug => ({ hash, polled: Date.parse(polled) });

  test('insert, update, unchanged with and without a later last_polled, stale', () => {
    const fresh = op(1);
    const same = op(2);
    const later = op(3, { last_polled: '2025-03-01T00:00:00Z' });
    const changed = op(4, { title: 'new title' });
    const old = op(5, { title: 'old title', last_polled: '2024-01-01T00:00:00Z' });
    const stored = new Map<string, StoredBug>([
      [same.link, held(upsertBug(op(2)).content_hash, '2025-02-01T00:00:00Z')],
      [later.link, held(upsertBug(op(3)).content_hash, '2025-02-01T00:00:00Z')],
      [changed.link, held('other', '2025-02-01T00:00:00Z')],
      [old.link, held('other', '2025-02-01T00:00:00Z')],
    ]);
    const plan = planBatch([fresh, same, later, changed, old], stored);
    expect(plan.inserts.map((b) => b.canonical_bug_link)).toEqual([fresh.link]);
    expect(plan.updates.map((b) => b.canonical_bug_link)).toEqual([changed.link]);
    expect(plan.touches).toEqual([{ link: later.link, polled: Date.parse('2025-03-01T00:00:00Z') }]);
    expect(plan.counts).toEqual({ inserted: 1, updated: 1, deleted: 0, unchanged: 3, stale: 1, unknown: 0 });
  });

  test('_deleted and _no_update on held, unknown and newer bugs', () => {
    const del = (n: number, polled = '2025-02-01T00:00:00Z'): LoadOp => ({ kind: 'delete', link: `https://example.org/b/${n}`, polled: Date.parse(polled) });
    const touch = (n: number, polled: string): LoadOp => ({ kind: 'touch', link: `https://example.org/b/${n}`, polled: Date.parse(polled) });
    const stored = new Map<string, StoredBug>([
      ['https://example.org/b/1', held('h', '2025-01-01T00:00:00Z')],
      ['https://example.org/b/2', held('h', '2025-06-01T00:00:00Z')],
      ['https://example.org/b/4', held('h', '2025-01-01T00:00:00Z')],
    ]);
    const plan = planBatch([del(1), del(2), del(3), touch(4, '2025-02-01T00:00:00Z'), touch(5, '2025-02-01T00:00:00Z')], stored);
    expect(plan.deletes).toEqual(['https://example.org/b/1']);
    expect(plan.touches).toEqual([{ link: 'https://example.org/b/4', polled: Date.parse('2025-02-01T00:00:00Z') }]);
    expect(plan.counts).toEqual({ inserted: 0, updated: 0, deleted: 1, unchanged: 4, stale: 1, unknown: 2 });
  });
});

describe('--db values', () => {
  test('default, paths, sqlite: and file: forms', () => {
    expect(parseDbTarget(undefined, 'customs-data')).toEqual({ kind: 'sqlite', path: 'customs-data/bugs.sqlite', label: 'customs-data/bugs.sqlite' });
    expect(parseDbTarget(undefined, 'out/')).toMatchObject({ path: 'out/bugs.sqlite' });
    expect(parseDbTarget('my.db', 'x')).toMatchObject({ kind: 'sqlite', path: 'my.db' });
    expect(parseDbTarget('sqlite:///var/lib/bugs.db', 'x')).toMatchObject({ kind: 'sqlite', path: '/var/lib/bugs.db' });
    expect(parseDbTarget('sqlite://rel/bugs.db', 'x')).toMatchObject({ kind: 'sqlite', path: 'rel/bugs.db' });
    expect(parseDbTarget('sqlite:bugs.db', 'x')).toMatchObject({ kind: 'sqlite', path: 'bugs.db' });
    expect(parseDbTarget('file:bugs.db', 'x')).toMatchObject({ kind: 'sqlite', path: 'bugs.db' });
    expect(parseDbTarget('C:\\data\\bugs.db', 'x')).toMatchObject({ kind: 'sqlite', path: 'C:\\data\\bugs.db' });
  });

  test('PostgreSQL URLs keep the URL and show a label without the password', () => {
    const t = parseDbTarget('postgres://app:p%40ss-word@db.example:6543/bugs?sslmode=require', 'x');
    expect(t).toEqual({ kind: 'postgres', url: 'postgres://app:p%40ss-word@db.example:6543/bugs?sslmode=require', label: 'postgres://app:***@db.example:6543/bugs?sslmode=require', secret: 'p@ss-word' });
    expect(parseDbTarget('postgresql://app@localhost/bugs', 'x')).toMatchObject({ kind: 'postgres', label: 'postgresql://app@localhost/bugs' });
    expect(scrub('failed for p@ss-word at postgres://app:p%40ss-word@db.example:6543/bugs?sslmode=require', t)).toBe('failed for *** at postgres://app:***@db.example:6543/bugs?sslmode=require');
  });

  test('other schemes and broken URLs are usage errors that never show the password', () => {
    const fail = (value: string): DbError => {
      try {
        parseDbTarget(value, 'x');
      } catch (err) {
        if (err instanceof DbError) return err;
      }
      throw new Error(`accepted ${value}`);
    };
    expect(fail('mysql://root:pw-123@localhost/db')).toMatchObject({ kind: 'usage', message: expect.stringContaining('unsupported database "mysql:"') });
    const broken = fail('postgres://u:pw-123@[bad/db');
    expect(broken.kind).toBe('usage');
    expect(broken.message).not.toContain('pw-123');
    expect(redactUrl('postgres://u:pw-123@[bad/db')).toBe('postgres://u:***@[bad/db');
  });
});

function streamOf(...chunks: (string | Uint8Array)[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const c of chunks) controller.enqueue(typeof c === 'string' ? encoder.encode(c) : c);
      controller.close();
    },
  });
}

async function collect(lines: AsyncIterable<Line>): Promise<Line[]> {
  const out: Line[] = [];
  for await (const line of lines) out.push(line);
  return out;
}

describe('readLines', () => {
  test('numbers lines across chunks; CRLF, BOM, a split UTF-8 character and a last line without newline', async () => {
    const euro = new TextEncoder().encode('€');
    const lines = await collect(readLines(streamOf('\uFEFFa\r\nb', 'c\n\n', euro.slice(0, 1), euro.slice(1), 'x\nlast')));
    expect(lines).toEqual([
      { number: 1, text: 'a' },
      { number: 2, text: 'bc' },
      { number: 3, text: '' },
      { number: 4, text: '€x' },
      { number: 5, text: 'last' },
    ]);
  });

  test('a line longer than the limit is reported, not held', async () => {
    const lines = await collect(readLines(streamOf('ok\n', 'x'.repeat(30), 'y'.repeat(30), 'z\nnext\n'), 40));
    expect(lines).toEqual([{ number: 1, text: 'ok' }, { number: 2, tooLong: true }, { number: 3, text: 'next' }]);
  });
});

async function* linesOf(rows: readonly (Row | string)[]): AsyncIterable<Line> {
  let number = 0;
  for (const r of rows) yield { number: ++number, text: typeof r === 'string' ? r : JSON.stringify(r) };
}

describe('loadLines on SQLite', () => {
  test('a link seen twice applies in file order, across batches', async () => {
    const dir = tempDir('customs-db-unit-');
    const db = await openDatabase(parseDbTarget(join(dir, 'b.sqlite'), dir), { create: true });
    try {
      const gone = { canonical_bug_link: 'https://example.org/b/1', _deleted: true, _tracker_name: 'T', _project_name: 'P', last_polled: '2025-02-01T00:00:00Z' };
      const result = await loadLines(linesOf([record(1), record(2), gone, record(3), record(1, { title: 'back', last_polled: '2025-02-02T00:00:00Z' })]), db, { batchSize: 10 });
      expect(result.counts).toEqual({ inserted: 4, updated: 0, deleted: 1, unchanged: 0, stale: 0, unknown: 0 });
      const known: KnownBug[] = [];
      for await (const k of db.knownBugs()) known.push(k);
      expect(known.map((k) => k.link)).toEqual(['https://example.org/b/1', 'https://example.org/b/2', 'https://example.org/b/3']);
    } finally {
      await db.close();
    }
  });

  test('stops between records when interrupted; what was read is committed', async () => {
    const dir = tempDir('customs-db-unit-');
    const db = await openDatabase(parseDbTarget(join(dir, 'b.sqlite'), dir), { create: true });
    const controller = new AbortController();
    async function* lines(): AsyncIterable<Line> {
      for (let n = 1; n <= 10; n++) {
        if (n === 6) controller.abort();
        yield { number: n, text: JSON.stringify(record(n)) };
      }
    }
    try {
      const result = await loadLines(lines(), db, { batchSize: 3, signal: controller.signal });
      expect(result.interrupted).toBe(true);
      expect(result.counts.inserted).toBe(5);
    } finally {
      await db.close();
    }
  });
});

/** A backend whose database refuses one link, as PostgreSQL refuses a value it cannot store. */
class RefusingBackend implements DbBackend {
  readonly target = parseDbTarget('fake.sqlite', '.');
  readonly batches: number[] = [];
  constructor(private readonly refused: string) {}
  async applyBatch(ops: readonly LoadOp[]): Promise<LoadCounts> {
    this.batches.push(ops.length);
    if (ops.some((o) => o.link === this.refused)) throw new DbError('data', 'value too long for type character varying(5)');
    return { ...ZERO_COUNTS, inserted: ops.length };
  }
  async *knownBugs(): AsyncIterable<KnownBug> {}
  async *newcomers(): AsyncIterable<never> {}
  async close(): Promise<void> {}
}

test('a record the database refuses is rejected alone, with its line; its batch still loads', async () => {
  const db = new RefusingBackend('https://example.org/b/3');
  const rejected: [number, string][] = [];
  const result = await loadLines(linesOf([record(1), record(2), record(3), record(4), record(5)]), db, { batchSize: 4, onReject: (line, reason) => rejected.push([line, reason]) });
  expect(rejected).toEqual([[3, 'the database refused it: value too long for type character varying(5)']]);
  expect(result.counts.inserted).toBe(4);
  expect(result.rejected).toBe(1);
  expect(db.batches).toEqual([4, 1, 1, 1, 1, 1]);
});

test('a database failure stops the load and says at which line', async () => {
  const db = new RefusingBackend('none');
  db.applyBatch = async () => {
    throw new DbError('connect', 'connection closed');
  };
  const result = await loadLines(linesOf([record(1), record(2), record(3)]), db, { batchSize: 2 });
  expect(result.failure).toMatchObject({ line: 1, error: { kind: 'connect', message: 'connection closed' } });
});

describe('SQLite schema', () => {
  test('created with its version, and reopened without change', async () => {
    const path = join(tempDir('customs-db-unit-'), 'deep', 'er', 'b.sqlite');
    await (await openDatabase(parseDbTarget(path, '.'), { create: true })).close();
    await (await openDatabase(parseDbTarget(path, '.'), { create: false })).close();
    const raw = new Database(path, { readonly: true });
    expect(raw.query<{ version: number }, []>('SELECT version FROM customs_schema_version').all()).toEqual([{ version: LATEST_VERSION }]);
    expect(raw.query<{ name: string }, []>("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all().map((r) => r.name)).toEqual(['bugs', 'customs_schema_version', 'projects', 'trackers']);
    raw.close();
  });

  const refusal = async (path: string, create: boolean): Promise<DbError> => {
    try {
      await (await openDatabase(parseDbTarget(path, '.'), { create })).close();
    } catch (err) {
      if (err instanceof DbError) return err;
      throw err;
    }
    throw new Error('opened');
  };

  test('a newer schema, a foreign bugs table, a file that is not SQLite, an empty database for a reader', async () => {
    const dir = tempDir('customs-db-unit-');
    const newer = join(dir, 'newer.sqlite');
    await (await openDatabase(parseDbTarget(newer, '.'), { create: true })).close();
    const raw = new Database(newer);
    raw.run("INSERT INTO customs_schema_version VALUES (99, 'from the future', '2030-01-01')");
    raw.close();
    expect(await refusal(newer, true)).toMatchObject({ kind: 'schema', message: expect.stringContaining('version 99, newer than this customs knows') });

    const foreign = join(dir, 'foreign.sqlite');
    const other = new Database(foreign);
    other.run('CREATE TABLE bugs (id INTEGER)');
    other.close();
    expect(await refusal(foreign, true)).toMatchObject({ kind: 'schema', message: expect.stringContaining('"bugs" table that customs did not make') });

    const text = join(dir, 'text.sqlite');
    writeFileSync(text, 'this is not a database, just some text that is long enough to have a header\n'.repeat(20));
    expect(await refusal(text, true)).toMatchObject({ message: expect.stringContaining('not a SQLite database') });

    const empty = join(dir, 'empty.sqlite');
    new Database(empty).close();
    expect(await refusal(empty, false)).toMatchObject({ kind: 'schema', message: expect.stringContaining('holds no customs data') });
    expect(await refusal(join(dir, 'missing.sqlite'), false)).toMatchObject({ kind: 'connect', message: expect.stringContaining('no database at') });
  });
});
