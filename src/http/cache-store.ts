// The on-disk HTTP cache: one SQLite file (`cache.sqlite`, WAL) holding every stored GET answer
// with its status, headers, decoded body, fetch time and cache policy. Entries are kept until
// pruned, whatever their freshness, so their validators keep saving bodies. Every write is one
// SQLite transaction, so a `kill -9` at any moment leaves a cache the next run can use; a file
// that is not a usable database is moved aside. No credential is ever written: headers, URL and
// policy are scrubbed here too, whatever the caller already did.

import { Database, SQLiteError, type Statement } from 'bun:sqlite';
import { existsSync, mkdirSync, renameSync, statSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { redactUrl, storableHeaders } from './fingerprint.ts';

export const CACHE_FILE_NAME = 'cache.sqlite';

/** Bump with a migration when the table changes; a newer file than this code is moved aside. */
const SCHEMA_VERSION = 1;

/** How long a writer waits for another process's lock before failing (ms). */
const BUSY_TIMEOUT_MS = 10_000;

export interface CachedResponse {
  /** `requestFingerprint(...)` of the request. */
  readonly key: string;
  /** The URL answered, secret query parameters redacted. */
  readonly url: string;
  readonly status: number;
  /** Lower-case names, secrets stripped. */
  readonly headers: Record<string, string>;
  /** Decoded (not compressed) bytes. */
  readonly body: Uint8Array;
  /** When the answer was fetched or last revalidated, ms epoch. */
  readonly storedAt: number;
  /** `CachePolicy.toObject()`, secrets stripped. */
  readonly policy: object;
}

export interface HostStats {
  readonly host: string;
  readonly entries: number;
  readonly bytes: number;
}

export interface CacheStats {
  readonly entries: number;
  /** Sum of the stored (decoded) body sizes. */
  readonly bytes: number;
  /** Size on disk of the database file and its write-ahead log. */
  readonly fileBytes: number;
  readonly oldest?: number;
  readonly newest?: number;
  /** Busiest first (entries, then bytes). */
  readonly hosts: readonly HostStats[];
  readonly path: string;
}

export interface OpenOptions {
  /** Clock for the name of a moved-aside file (ms epoch). */
  readonly now?: number;
  /** Called with each warning as it happens (they are also kept in `store.warnings`). */
  readonly onWarning?: (message: string) => void;
}

interface Row {
  key: string;
  url: string;
  status: number;
  headers: string;
  policy: string;
  body: Uint8Array;
  stored_at: number;
}

interface TotalsRow {
  entries: number;
  bytes: number;
  oldest: number | null;
  newest: number | null;
}

type Binding = string | number | Uint8Array;

/** The file is not a database of ours (garbage, a foreign table, a newer schema). */
class IncompatibleCacheError extends Error {}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS responses (
  key TEXT PRIMARY KEY NOT NULL,
  url TEXT NOT NULL,
  host TEXT NOT NULL,
  status INTEGER NOT NULL,
  headers TEXT NOT NULL,
  policy TEXT NOT NULL,
  size INTEGER NOT NULL,
  stored_at INTEGER NOT NULL,
  body BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS responses_stored_at ON responses (stored_at);
CREATE INDEX IF NOT EXISTS responses_host ON responses (host);
`;
const COLUMNS = ['key', 'url', 'host', 'status', 'headers', 'policy', 'size', 'stored_at', 'body'];

function isUnusableFileError(err: unknown): boolean {
  if (err instanceof IncompatibleCacheError) return true;
  if (!(err instanceof SQLiteError)) return false;
  const code = err.code ?? '';
  return code.startsWith('SQLITE_NOTADB') || code.startsWith('SQLITE_CORRUPT');
}

function hostOf(url: string): string {
  try {
    return new URL(url).host.toLowerCase();
  } catch {
    return '';
  }
}

function isStringRecord(value: unknown): value is Record<string, string> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.values(value).every((v) => typeof v === 'string');
}

/** The policy object with its header sets scrubbed and its URL redacted (defence in depth). */
function scrubPolicy(policy: object): object {
  const out: Record<string, unknown> = { ...policy };
  for (const field of ['resh', 'reqh']) {
    const headers = out[field];
    if (typeof headers === 'object' && headers !== null) out[field] = storableHeaders(headers as Record<string, unknown>);
  }
  if (typeof out.u === 'string') out.u = redactUrl(out.u);
  return out;
}

function fileSize(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

function timestampForFileName(now: number): string {
  return new Date(now).toISOString().replace(/[:.]/g, '-');
}

/** A `responses` table that is not ours means the file belongs to something else. */
function assertOurShape(db: Database, mayBeMissing: boolean): void {
  const columns = db.query<{ name: string }, []>('PRAGMA table_info(responses)').all().map((c) => c.name);
  if (columns.length === 0 && mayBeMissing) return;
  if (!COLUMNS.every((c) => columns.includes(c))) throw new IncompatibleCacheError('its responses table is not a customs cache');
}

/** Open (creating if needed) and migrate; throws on an unusable file. */
function openDatabase(path: string): Database {
  const db = new Database(path, { create: true, strict: true });
  try {
    db.run(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`);
    // Takes effect only on a new, empty file (before its first table); lets prune give space back.
    db.run('PRAGMA auto_vacuum = INCREMENTAL');
    db.run('PRAGMA journal_mode = WAL');
    db.run('PRAGMA synchronous = NORMAL');
    const version = db.query<{ user_version: number }, []>('PRAGMA user_version').get()?.user_version ?? 0;
    if (version > SCHEMA_VERSION) {
      throw new IncompatibleCacheError(`schema version ${version} is newer than this program's ${SCHEMA_VERSION}`);
    }
    if (version < SCHEMA_VERSION) {
      db.transaction(() => {
        assertOurShape(db, true);
        db.run(SCHEMA);
        db.run(`PRAGMA user_version = ${SCHEMA_VERSION}`);
      }).immediate();
    }
    assertOurShape(db, false);
    return db;
  } catch (err) {
    db.close(false);
    throw err;
  }
}

/** Rename the database and its write-ahead log out of the way (a stale log must never meet a new file). */
function moveAside(path: string, now: number): string {
  const aside = `${path}.corrupt-${timestampForFileName(now)}`;
  renameSync(path, aside);
  if (existsSync(`${path}-wal`)) renameSync(`${path}-wal`, `${aside}-wal`);
  if (existsSync(`${path}-shm`)) unlinkSync(`${path}-shm`);
  return aside;
}

export class CacheStore {
  /** The database file. */
  readonly path: string;
  /** What happened while opening (e.g. a corrupt file moved aside). */
  readonly warnings: readonly string[];

  private readonly db: Database;
  private closed = false;
  private readonly selectOne: Statement<Row, [string]>;
  private readonly upsert: Statement<unknown, Binding[]>;
  private readonly update: Statement<unknown, Binding[]>;
  private readonly deleteOlder: Statement<unknown, [number]>;
  private readonly deleteAll: Statement<unknown, []>;
  private readonly totals: Statement<TotalsRow, []>;
  private readonly perHost: Statement<HostStats, []>;

  private constructor(db: Database, path: string, warnings: readonly string[]) {
    this.db = db;
    this.path = path;
    this.warnings = warnings;
    this.selectOne = db.prepare<Row, [string]>(
      'SELECT key, url, status, headers, policy, body, stored_at FROM responses WHERE key = ?',
    );
    this.upsert = db.prepare<unknown, Binding[]>(
      'INSERT OR REPLACE INTO responses (key, url, host, status, headers, policy, size, stored_at, body) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    this.update = db.prepare<unknown, Binding[]>('UPDATE responses SET headers = ?, policy = ?, stored_at = ? WHERE key = ?');
    this.deleteOlder = db.prepare<unknown, [number]>('DELETE FROM responses WHERE stored_at < ?');
    this.deleteAll = db.prepare<unknown, []>('DELETE FROM responses');
    this.totals = db.prepare<TotalsRow, []>(
      'SELECT COUNT(*) AS entries, COALESCE(SUM(size), 0) AS bytes, MIN(stored_at) AS oldest, MAX(stored_at) AS newest FROM responses',
    );
    this.perHost = db.prepare<HostStats, []>(
      'SELECT host, COUNT(*) AS entries, COALESCE(SUM(size), 0) AS bytes FROM responses GROUP BY host ORDER BY entries DESC, bytes DESC, host',
    );
  }

  /**
   * Open the cache in `dir` (created with its parents). A file that is not a usable database of
   * ours is renamed to `cache.sqlite.corrupt-<time>` and an empty cache started, with a warning.
   * Lock contention (another process writing) is waited for, never treated as corruption.
   */
  static open(dir: string, options: OpenOptions = {}): CacheStore {
    mkdirSync(dir, { recursive: true });
    const path = join(dir, CACHE_FILE_NAME);
    const warnings: string[] = [];
    let db: Database;
    try {
      db = openDatabase(path);
    } catch (err) {
      if (!isUnusableFileError(err)) throw err;
      const aside = moveAside(path, options.now ?? Date.now());
      const reason = err instanceof Error ? err.message : String(err);
      const warning = `cache file ${path} was not usable (${reason}); moved it to ${aside} and started an empty cache`;
      warnings.push(warning);
      options.onWarning?.(warning);
      db = openDatabase(path);
    }
    return new CacheStore(db, path, warnings);
  }

  get(key: string): CachedResponse | undefined {
    const row = this.selectOne.get(key);
    if (row === null) return undefined;
    let headers: unknown;
    let policy: unknown;
    try {
      headers = JSON.parse(row.headers);
      policy = JSON.parse(row.policy);
    } catch {
      return undefined;
    }
    if (!isStringRecord(headers) || typeof policy !== 'object' || policy === null) return undefined;
    return { key: row.key, url: row.url, status: row.status, headers, body: row.body, storedAt: row.stored_at, policy };
  }

  /** Store (or replace) one answer, in one transaction. Secrets are stripped here as well. */
  put(entry: Omit<CachedResponse, 'headers'> & { readonly headers: Readonly<Record<string, string>> }): void {
    const url = redactUrl(entry.url);
    const body = entry.body;
    this.upsert.run(
      entry.key,
      url,
      hostOf(url),
      Math.trunc(entry.status),
      JSON.stringify(storableHeaders(entry.headers)),
      JSON.stringify(scrubPolicy(entry.policy)),
      body.byteLength,
      Math.trunc(entry.storedAt),
      body,
    );
  }

  /** After a 304: new headers, time and policy; the body is kept. False when nothing is stored under `key`. */
  touch(key: string, headers: Readonly<Record<string, string>>, storedAt: number, policy: object): boolean {
    const result = this.update.run(JSON.stringify(storableHeaders(headers)), JSON.stringify(scrubPolicy(policy)), Math.trunc(storedAt), key);
    return result.changes > 0;
  }

  stats(): CacheStats {
    const totals = this.totals.get() ?? { entries: 0, bytes: 0, oldest: null, newest: null };
    return {
      entries: totals.entries,
      bytes: totals.bytes,
      fileBytes: fileSize(this.path) + fileSize(`${this.path}-wal`),
      ...(totals.oldest === null ? {} : { oldest: totals.oldest }),
      ...(totals.newest === null ? {} : { newest: totals.newest }),
      hosts: this.perHost.all(),
      path: this.path,
    };
  }

  /** Delete the entries fetched before `now - olderThanMs`; returns how many, and gives the space back. */
  prune(olderThanMs: number, now: number): number {
    const removed = this.deleteOlder.run(now - olderThanMs).changes;
    if (removed > 0) this.reclaim();
    return removed;
  }

  /** Delete every entry; returns how many. */
  clear(): number {
    const removed = this.deleteAll.run().changes;
    if (removed > 0) this.reclaim();
    return removed;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const statement of [this.selectOne, this.upsert, this.update, this.deleteOlder, this.deleteAll, this.totals, this.perHost]) {
      statement.finalize();
    }
    this.db.close(false);
  }

  /** Free pages go back to the file system, and the write-ahead log is emptied when no reader holds it. */
  private reclaim(): void {
    const mode = this.db.query<{ auto_vacuum: number }, []>('PRAGMA auto_vacuum').get()?.auto_vacuum ?? 0;
    if (mode === 2) this.db.query('PRAGMA incremental_vacuum').all();
    else this.db.run('VACUUM');
    this.db.query('PRAGMA wal_checkpoint(TRUNCATE)').all();
  }
}
