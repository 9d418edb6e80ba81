// The SQLite backend (bun:sqlite): one file, WAL, prepared statements with `?` parameters, one
// BEGIN IMMEDIATE transaction per batch. Times are stored as ISO 8601 UTC text with
// milliseconds (`2010-02-23T00:46:30.000Z`), which sorts and compares as text.

import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { Database, type SQLQueryBindings } from 'bun:sqlite';
import type { DbBackend, DbTarget, KnownBug, LoadCounts, NewcomerBug, NewcomerQuery, OpenOptions, StoredBug } from './db.ts';
import { DbError, planBatch } from './db.ts';
import type { BugRow, LoadOp } from './db-record.ts';
import { formatTime } from './db-record.ts';
import { BUG_COLUMNS, LATEST_VERSION, newerSchemaMessage, pendingMigrations, VERSION_TABLE } from './db-schema.ts';

type SqliteTarget = Extract<DbTarget, { kind: 'sqlite' }>;

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

function sqliteMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function errorCode(err: unknown): string {
  return typeof err === 'object' && err !== null && 'code' in err ? String(err.code) : '';
}

/** Opens (and when allowed creates) the file, then migrates its schema. */
export function openSqlite(target: SqliteTarget, options: OpenOptions): DbBackend {
  let db: Database;
  try {
    if (options.create) mkdirSync(dirname(target.path), { recursive: true });
    db = new Database(target.path, { create: options.create, readwrite: true, strict: true });
    db.run('PRAGMA busy_timeout = 10000');
    db.run('PRAGMA journal_mode = WAL');
    db.run('PRAGMA synchronous = NORMAL');
    db.run('PRAGMA foreign_keys = ON');
  } catch (err) {
    const why = errorCode(err) === 'SQLITE_NOTADB' ? 'the file is not a SQLite database' : sqliteMessage(err);
    throw new DbError('connect', `cannot open the SQLite database ${target.path}: ${why}`, { cause: err });
  }
  try {
    migrate(db, target, options);
  } catch (err) {
    db.close();
    if (err instanceof DbError) throw err;
    const why = errorCode(err) === 'SQLITE_NOTADB' ? 'the file is not a SQLite database' : sqliteMessage(err);
    throw new DbError('schema', `cannot set up the schema of ${target.path}: ${why}`, { cause: err });
  }
  return new SqliteBackend(db, target);
}

function migrate(db: Database, target: SqliteTarget, options: OpenOptions): void {
  const hasTable = (name: string): boolean =>
    db.query<{ n: number }, [string]>("SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name = ?").get(name)?.n === 1;
  if (!hasTable(VERSION_TABLE)) {
    if (!options.create) throw new DbError('schema', `${target.path} holds no customs data: load a file into it first (customs db load FILE.jsonl)`);
    if (hasTable('bugs')) throw new DbError('schema', `${target.path} already has a "bugs" table that customs did not make: use another database file`);
  }
  const run = db.transaction(() => {
    db.run(`CREATE TABLE IF NOT EXISTS ${VERSION_TABLE} (version INTEGER PRIMARY KEY, description TEXT NOT NULL, applied_at TEXT NOT NULL)`);
    const current = db.query<{ v: number | null }, []>(`SELECT max(version) AS v FROM ${VERSION_TABLE}`).get()?.v ?? 0;
    if (current > LATEST_VERSION) throw new DbError('schema', `${target.path}: ${newerSchemaMessage(current)}`);
    for (const migration of pendingMigrations(current)) {
      for (const statement of migration.sqlite) db.run(statement);
      db.query(`INSERT INTO ${VERSION_TABLE} (version, description, applied_at) VALUES (?, ?, ?)`).run(migration.version, migration.description, new Date().toISOString());
    }
  });
  run.immediate();
}

const INSERT_BUG = `INSERT INTO bugs (${BUG_COLUMNS.join(', ')}, project_id, tracker_id)
  VALUES (${BUG_COLUMNS.map(() => '?').join(', ')}, (SELECT id FROM projects WHERE name = ?), (SELECT id FROM trackers WHERE name = ?))`;
const UPDATE_BUG = `UPDATE bugs SET ${BUG_COLUMNS.filter((c) => c !== 'canonical_bug_link').map((c) => `${c} = ?`).join(', ')},
  project_id = (SELECT id FROM projects WHERE name = ?), tracker_id = (SELECT id FROM trackers WHERE name = ?)
  WHERE canonical_bug_link = ?`;

function bugValues(bug: BugRow): SQLQueryBindings[] {
  const byColumn: Record<(typeof BUG_COLUMNS)[number], SQLQueryBindings> = {
    canonical_bug_link: bug.canonical_bug_link,
    title: bug.title,
    description: bug.description,
    status: bug.status,
    importance: bug.importance,
    people_involved: bug.people_involved,
    date_reported: iso(bug.date_reported),
    last_touched: iso(bug.last_touched),
    last_polled: iso(bug.last_polled),
    submitter_username: bug.submitter_username,
    submitter_realname: bug.submitter_realname,
    looks_closed: bug.looks_closed ? 1 : 0,
    good_for_newcomers: bug.good_for_newcomers ? 1 : 0,
    concerns_just_documentation: bug.concerns_just_documentation ? 1 : 0,
    as_appears_in_distribution: bug.as_appears_in_distribution,
    raw_data: bug.raw_data,
    content_hash: bug.content_hash,
  };
  return BUG_COLUMNS.map((c) => byColumn[c]);
}

interface NewcomerRow {
  title: string;
  project: string;
  tracker: string;
  link: string;
  status: string;
  looks_closed: number;
  concerns_just_documentation: number;
  last_touched: string | null;
}

class SqliteBackend implements DbBackend {
  constructor(
    private readonly db: Database,
    readonly target: SqliteTarget,
  ) {}

  async applyBatch(ops: readonly LoadOp[]): Promise<LoadCounts> {
    const db = this.db;
    const apply = db.transaction((): LoadCounts => {
      const stored = new Map<string, StoredBug>();
      const rows = db
        .query<{ link: string; hash: string; polled: string }, [string]>(
          'SELECT canonical_bug_link AS link, content_hash AS hash, last_polled AS polled FROM bugs WHERE canonical_bug_link IN (SELECT value FROM json_each(?))',
        )
        .all(JSON.stringify(ops.map((op) => op.link)));
      for (const row of rows) stored.set(row.link, { hash: row.hash, polled: Date.parse(row.polled) });
      const plan = planBatch(ops, stored);

      const addProject = db.query<unknown, [string]>('INSERT INTO projects (name) VALUES (?) ON CONFLICT (name) DO NOTHING');
      const addTracker = db.query<unknown, [string]>('INSERT INTO trackers (name) VALUES (?) ON CONFLICT (name) DO NOTHING');
      const written = [...plan.inserts, ...plan.updates];
      for (const name of new Set(written.map((b) => b.project))) addProject.run(name);
      for (const name of new Set(written.map((b) => b.tracker))) addTracker.run(name);

      const insert = db.query<unknown, SQLQueryBindings[]>(INSERT_BUG);
      for (const bug of plan.inserts) insert.run(...bugValues(bug), bug.project, bug.tracker);
      const update = db.query<unknown, SQLQueryBindings[]>(UPDATE_BUG);
      for (const bug of plan.updates) update.run(...bugValues(bug).slice(1), bug.project, bug.tracker, bug.canonical_bug_link);
      const touch = db.query<unknown, [string, string]>('UPDATE bugs SET last_polled = ? WHERE canonical_bug_link = ?');
      for (const t of plan.touches) touch.run(new Date(t.polled).toISOString(), t.link);
      const remove = db.query<unknown, [string]>('DELETE FROM bugs WHERE canonical_bug_link = ?');
      for (const link of plan.deletes) remove.run(link);
      return plan.counts;
    });
    try {
      return apply.immediate();
    } catch (err) {
      const code = errorCode(err);
      const kind = code.startsWith('SQLITE_CONSTRAINT') || code === 'SQLITE_TOOBIG' || code === 'SQLITE_MISMATCH' ? 'data' : 'query';
      throw new DbError(kind, `${this.target.path}: ${sqliteMessage(err)}`, { cause: err });
    }
  }

  async *knownBugs(trackers?: readonly string[]): AsyncIterable<KnownBug> {
    const statement = this.db.prepare<KnownBug, [number, string]>(
      `SELECT t.name AS tracker, b.canonical_bug_link AS link
         FROM bugs b JOIN trackers t ON t.id = b.tracker_id
        WHERE ? OR t.name IN (SELECT value FROM json_each(?))
        ORDER BY t.name, b.canonical_bug_link`,
    );
    try {
      yield* this.rows(() => statement.iterate(trackers === undefined ? 1 : 0, JSON.stringify(trackers ?? [])));
    } finally {
      statement.finalize();
    }
  }

  async *newcomers(query: NewcomerQuery): AsyncIterable<NewcomerBug> {
    const statement = this.db.prepare<NewcomerRow, [number, number, string]>(
      `SELECT b.title, p.name AS project, t.name AS tracker, b.canonical_bug_link AS link, b.status,
              b.looks_closed, b.concerns_just_documentation, b.last_touched
         FROM bugs b JOIN projects p ON p.id = b.project_id JOIN trackers t ON t.id = b.tracker_id
        WHERE b.good_for_newcomers = 1
          AND (? = 0 OR b.looks_closed = 0)
          AND (? = 1 OR p.name IN (SELECT value FROM json_each(?)))
        ORDER BY p.name, b.title, b.canonical_bug_link`,
    );
    try {
      const rows = this.rows(() => statement.iterate(query.openOnly ? 1 : 0, query.projects.length === 0 ? 1 : 0, JSON.stringify(query.projects)));
      for await (const row of rows) {
        yield {
          ...row,
          looks_closed: row.looks_closed === 1,
          concerns_just_documentation: row.concerns_just_documentation === 1,
          last_touched: row.last_touched === null ? null : formatTime(Date.parse(row.last_touched)),
        };
      }
    } finally {
      statement.finalize();
    }
  }

  private async *rows<T>(start: () => IterableIterator<T>): AsyncIterable<T> {
    let iterator: IterableIterator<T>;
    try {
      iterator = start();
    } catch (err) {
      throw new DbError('query', `${this.target.path}: ${sqliteMessage(err)}`, { cause: err });
    }
    while (true) {
      let next: IteratorResult<T>;
      try {
        next = iterator.next();
      } catch (err) {
        throw new DbError('query', `${this.target.path}: ${sqliteMessage(err)}`, { cause: err });
      }
      if (next.done) return;
      yield next.value;
    }
  }

  async close(): Promise<void> {
    this.db.close();
  }
}
