// The database behind `customs db …` and `customs run --known-bugs-from`: which database a
// `--db` value names (SQLite file or PostgreSQL URL, the password never shown), the backend
// contract both databases implement, and the pure rule that turns a batch of records plus what
// the database already holds into inserts, updates, deletes and last_polled bumps.

import { existsSync } from 'node:fs';
import type { BugRow, LoadOp } from './db-record.ts';

export type DbErrorKind =
  /** The --db value itself is wrong. */
  | 'usage'
  /** The database cannot be opened or reached (refused, bad password, no such file or database). */
  | 'connect'
  /** The schema is not one this customs can use (newer, or tables of another program). */
  | 'schema'
  /** The database refused one record's values; the loader then rejects that record alone. */
  | 'data'
  /** Anything else the database said while working. */
  | 'query';

export class DbError extends Error {
  constructor(
    readonly kind: DbErrorKind,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'DbError';
  }
}

export type DbTarget =
  | { readonly kind: 'sqlite'; readonly path: string; readonly label: string }
  | { readonly kind: 'postgres'; readonly url: string; readonly label: string; readonly secret?: string };

/**
 * `--db` → the database. No value: `<dataDir>/bugs.sqlite`. `postgres://` / `postgresql://`: a
 * PostgreSQL server. `sqlite:PATH`, `sqlite:///abs/path`, `file:PATH` or a plain path: SQLite.
 */
export function parseDbTarget(value: string | undefined, dataDir: string): DbTarget {
  if (value === undefined || value.trim() === '') {
    const path = `${dataDir.replace(/\/+$/, '') || '.'}/bugs.sqlite`;
    return { kind: 'sqlite', path, label: path };
  }
  const text = value.trim();
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(text)?.[1]?.toLowerCase();
  if (scheme === 'postgres' || scheme === 'postgresql') {
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      throw new DbError('usage', `--db: not a valid PostgreSQL URL: ${redactUrl(text)} (expected postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE)`);
    }
    if (url.hostname === '' && !url.searchParams.has('host') && !url.searchParams.has('path')) {
      throw new DbError('usage', `--db: the PostgreSQL URL names no host: ${redactUrl(text)}`);
    }
    const secret = url.password !== '' ? decodeURIComponent(url.password) : undefined;
    return { kind: 'postgres', url: text, label: redactUrl(text), ...(secret !== undefined ? { secret } : {}) };
  }
  if (scheme === 'sqlite' || scheme === 'file') {
    const path = text.slice(scheme.length + 1).replace(/^\/\/(?=\/)/, '').replace(/^\/\/(?!\/)/, '');
    if (path === '') throw new DbError('usage', `--db: ${text} names no file`);
    return { kind: 'sqlite', path, label: path };
  }
  // A Windows drive letter (C:\…) is a path; any other URL scheme is not a database we speak.
  if (scheme !== undefined && scheme.length > 1 && text.slice(scheme.length + 1).startsWith('//')) {
    throw new DbError('usage', `--db: unsupported database "${scheme}:"; use a SQLite file (a path or sqlite:PATH) or PostgreSQL (postgres://…)`);
  }
  return { kind: 'sqlite', path: text, label: text };
}

/** The URL with its password replaced by `***` (also in the odd URL that `URL` cannot parse). */
export function redactUrl(text: string): string {
  try {
    const url = new URL(text);
    if (url.password !== '') url.password = '***';
    return url.toString();
  } catch {
    return text.replace(/(\/\/[^/:@\s]*:)[^@/\s]*@/, '$1***@');
  }
}

/** Removes a password from any text about to be shown (database messages included). */
export function scrub(text: string, target: DbTarget): string {
  if (target.kind !== 'postgres') return text;
  let out = text.replaceAll(target.url, target.label);
  if (target.secret !== undefined && target.secret.length >= 3) {
    out = out.replaceAll(target.secret, '***').replaceAll(encodeURIComponent(target.secret), '***');
  }
  return out;
}

export interface KnownBug {
  readonly tracker: string;
  readonly link: string;
}

export interface NewcomerQuery {
  /** Only these projects (exact names); empty for every project. */
  readonly projects: readonly string[];
  /** Leave out bugs that look closed. */
  readonly openOnly: boolean;
}

export interface NewcomerBug {
  readonly title: string;
  readonly project: string;
  readonly tracker: string;
  readonly link: string;
  readonly status: string;
  readonly looks_closed: boolean;
  readonly concerns_just_documentation: boolean;
  readonly last_touched: string | null;
}

export interface LoadCounts {
  readonly inserted: number;
  readonly updated: number;
  readonly deleted: number;
  readonly unchanged: number;
  /** Among `unchanged`: records older (by last_polled) than the bug the database holds. */
  readonly stale: number;
  /** Among `unchanged`: `_no_update` or `_deleted` records for bugs the database does not hold. */
  readonly unknown: number;
}

export const ZERO_COUNTS: LoadCounts = { inserted: 0, updated: 0, deleted: 0, unchanged: 0, stale: 0, unknown: 0 };

export function addCounts(a: LoadCounts, b: LoadCounts): LoadCounts {
  return {
    inserted: a.inserted + b.inserted,
    updated: a.updated + b.updated,
    deleted: a.deleted + b.deleted,
    unchanged: a.unchanged + b.unchanged,
    stale: a.stale + b.stale,
    unknown: a.unknown + b.unknown,
  };
}

/** What the database holds of one bug, for the planner. */
export interface StoredBug {
  readonly hash: string;
  /** last_polled, epoch ms */
  readonly polled: number;
}

export interface BatchPlan {
  readonly inserts: readonly BugRow[];
  readonly updates: readonly BugRow[];
  /** Bugs whose only news is a later last_polled. */
  readonly touches: readonly { readonly link: string; readonly polled: number }[];
  readonly deletes: readonly string[];
  readonly counts: LoadCounts;
}

/**
 * The load rules, for a batch whose links are all different (the loader sees to that):
 * - a normal record: inserted when new; updated when any field but last_polled differs;
 *   otherwise unchanged, though a later last_polled is still stored;
 * - `_deleted`: deleted when held; unchanged when the database does not hold it;
 * - `_no_update`: unchanged; a later last_polled is stored;
 * - a record older than the database's copy (by last_polled) changes nothing (loading
 *   yesterday's file after today's does not undo today's).
 */
export function planBatch(ops: readonly LoadOp[], stored: ReadonlyMap<string, StoredBug>): BatchPlan {
  const inserts: BugRow[] = [];
  const updates: BugRow[] = [];
  const touches: { link: string; polled: number }[] = [];
  const deletes: string[] = [];
  let inserted = 0;
  let updated = 0;
  let deleted = 0;
  let unchanged = 0;
  let stale = 0;
  let unknown = 0;
  for (const op of ops) {
    const prev = stored.get(op.link);
    if (prev === undefined) {
      if (op.kind === 'upsert') {
        inserts.push(op.bug);
        inserted++;
      } else {
        unchanged++;
        unknown++;
      }
      continue;
    }
    if (op.polled < prev.polled) {
      unchanged++;
      stale++;
      continue;
    }
    if (op.kind === 'delete') {
      deletes.push(op.link);
      deleted++;
    } else if (op.kind === 'upsert' && op.bug.content_hash !== prev.hash) {
      updates.push(op.bug);
      updated++;
    } else {
      if (op.polled > prev.polled) touches.push({ link: op.link, polled: op.polled });
      unchanged++;
    }
  }
  return { inserts, updates, touches, deletes, counts: { inserted, updated, deleted, unchanged, stale, unknown } };
}

/** What `customs db …` needs of a database; SQLite and PostgreSQL implement it. */
export interface DbBackend {
  readonly target: DbTarget;
  /** Applies one batch (distinct links) in one transaction; returns its counts. */
  applyBatch(ops: readonly LoadOp[]): Promise<LoadCounts>;
  /** Every bug link by tracker name, ordered by tracker then link; only `trackers` when given. */
  knownBugs(trackers?: readonly string[]): AsyncIterable<KnownBug>;
  /** Good-for-newcomers bugs, ordered by project, title, link. */
  newcomers(query: NewcomerQuery): AsyncIterable<NewcomerBug>;
  close(): Promise<void>;
}

export interface OpenOptions {
  /**
   * true (loading): create the database and its schema when missing. false (reading): a missing
   * database, or one without customs' tables, is an error.
   */
  readonly create: boolean;
}

/** Opens the database and brings its schema up to date. Throws DbError. */
export async function openDatabase(target: DbTarget, options: OpenOptions): Promise<DbBackend> {
  if (target.kind === 'sqlite') {
    if (!options.create && !existsSync(target.path)) {
      throw new DbError('connect', `no database at ${target.path}: load a file into it first (customs db load FILE.jsonl)`);
    }
    const { openSqlite } = await import('./db-sqlite.ts');
    return openSqlite(target, options);
  }
  const { openPostgres } = await import('./db-postgres.ts');
  return openPostgres(target, options);
}
