// The PostgreSQL backend (Bun's built-in SQL client). A batch is one transaction of a handful
// of statements whatever its size: the batch travels as one JSON parameter and is unpacked
// server-side with jsonb_to_recordset, so nothing is ever spliced into SQL text. Batches of
// concurrent loaders are serialised by an advisory lock; long reads page by key (constant memory).

import { SQL } from 'bun';
import type { DbBackend, DbTarget, KnownBug, LoadCounts, NewcomerBug, NewcomerQuery, OpenOptions, StoredBug } from './db.ts';
import { DbError, planBatch, scrub } from './db.ts';
import type { BugRow, LoadOp } from './db-record.ts';
import { formatTime } from './db-record.ts';
import { BUG_COLUMNS, LATEST_VERSION, newerSchemaMessage, pendingMigrations, VERSION_TABLE } from './db-schema.ts';

type PgTarget = Extract<DbTarget, { kind: 'postgres' }>;
type Sql = InstanceType<typeof SQL>;

/** Key of the advisory locks taken by migrations and batches ("customs" in a 32-bit number). */
const LOCK_KEY = 0x63757374;
const PAGE = 5000;

/** `r(col type, …)` of jsonb_to_recordset for a batch of bugs: our constants, never input. */
const BUG_RECORD = `r(canonical_bug_link text, title text, description text, status text, importance text,
  people_involved integer, date_reported timestamptz, last_touched timestamptz, last_polled timestamptz,
  submitter_username text, submitter_realname text, looks_closed boolean, good_for_newcomers boolean,
  concerns_just_documentation boolean, as_appears_in_distribution text, raw_data text, content_hash text,
  project text, tracker text)`;
const BUG_VALUES = BUG_COLUMNS.map((c) => (c === 'raw_data' ? 'r.raw_data::jsonb' : `r.${c}`));

function pgCode(err: unknown): { code: string; state: string } {
  if (typeof err !== 'object' || err === null) return { code: '', state: '' };
  const code = 'code' in err ? String(err.code) : '';
  const state = 'errno' in err && err.errno !== undefined ? String(err.errno) : '';
  return { code, state };
}

function describe(err: unknown, target: PgTarget): string {
  const message = err instanceof Error ? err.message : String(err);
  const { code, state } = pgCode(err);
  const detail = state !== '' ? ` (SQLSTATE ${state})` : code !== '' && code !== 'ERR_POSTGRES_SERVER_ERROR' ? ` (${code})` : '';
  return scrub(`${message}${detail}`, target);
}

/** Connection-level failures: refused, closed, timed out, TLS, authentication, no such database. */
function isConnectionError(err: unknown): boolean {
  const { code, state } = pgCode(err);
  if (state.startsWith('08') || state.startsWith('28') || state === '3D000' || state === '57P03') return true;
  return /CONNECTION|TIMEOUT|TLS|SSL|AUTH|PASSWORD|SASL/.test(code);
}

/** Data exceptions (22), integrity (23), program limits (54): one record's values. */
function isDataError(err: unknown): boolean {
  const { state } = pgCode(err);
  return state.startsWith('22') || state.startsWith('23') || state.startsWith('54');
}

export async function openPostgres(target: PgTarget, options: OpenOptions): Promise<DbBackend> {
  let sql: Sql;
  try {
    // One connection: batches are sequential, and a failure should not spawn retries elsewhere.
    sql = new SQL(target.url, { max: 1, connectionTimeout: 10, idleTimeout: 0, onclose: () => undefined });
  } catch (err) {
    throw new DbError('usage', `--db ${target.label}: ${describe(err, target)}`, { cause: err });
  }
  try {
    await sql`SELECT 1`;
  } catch (err) {
    await sql.close().catch(() => undefined);
    throw new DbError('connect', `cannot connect to ${target.label}: ${describe(err, target)}`, { cause: err });
  }
  try {
    await migrate(sql, target, options);
  } catch (err) {
    await sql.close().catch(() => undefined);
    if (err instanceof DbError) throw err;
    const kind = isConnectionError(err) ? 'connect' : 'schema';
    throw new DbError(kind, `cannot set up the schema of ${target.label}: ${describe(err, target)}`, { cause: err });
  }
  return new PostgresBackend(sql, target);
}

async function migrate(sql: Sql, target: PgTarget, options: OpenOptions): Promise<void> {
  const [found] = await sql<{ versions: boolean; bugs: boolean }[]>`
    SELECT to_regclass(${VERSION_TABLE}) IS NOT NULL AS versions, to_regclass('bugs') IS NOT NULL AS bugs`;
  if (!found?.versions) {
    if (!options.create) throw new DbError('schema', `${target.label} holds no customs data: load a file into it first (customs db load FILE.jsonl --db URL)`);
    if (found?.bugs) throw new DbError('schema', `${target.label} already has a "bugs" table that customs did not make: use another database`);
  } else {
    const [row] = await sql<{ v: number | null }[]>`SELECT max(version) AS v FROM customs_schema_version`;
    if ((row?.v ?? 0) === LATEST_VERSION) return;
  }
  await sql.begin(async (tx) => {
    await tx.unsafe(`SELECT pg_advisory_xact_lock(${LOCK_KEY})`);
    await tx.unsafe(`CREATE TABLE IF NOT EXISTS ${VERSION_TABLE} (version INTEGER PRIMARY KEY, description TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())`);
    const [row] = await tx<{ v: number | null }[]>`SELECT max(version) AS v FROM customs_schema_version`;
    const current = row?.v ?? 0;
    if (current > LATEST_VERSION) throw new DbError('schema', `${target.label}: ${newerSchemaMessage(current)}`);
    for (const migration of pendingMigrations(current)) {
      for (const statement of migration.postgres) await tx.unsafe(statement);
      await tx`INSERT INTO customs_schema_version (version, description) VALUES (${migration.version}, ${migration.description})`;
    }
  });
}

function bugJson(bug: BugRow): Record<string, string | number | boolean | null> {
  const time = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());
  return {
    canonical_bug_link: bug.canonical_bug_link,
    title: bug.title,
    description: bug.description,
    status: bug.status,
    importance: bug.importance,
    people_involved: bug.people_involved,
    date_reported: time(bug.date_reported),
    last_touched: time(bug.last_touched),
    last_polled: time(bug.last_polled),
    submitter_username: bug.submitter_username,
    submitter_realname: bug.submitter_realname,
    looks_closed: bug.looks_closed,
    good_for_newcomers: bug.good_for_newcomers,
    concerns_just_documentation: bug.concerns_just_documentation,
    as_appears_in_distribution: bug.as_appears_in_distribution,
    raw_data: bug.raw_data,
    content_hash: bug.content_hash,
    project: bug.project,
    tracker: bug.tracker,
  };
}

interface NewcomerRow {
  title: string;
  project: string;
  tracker: string;
  link: string;
  status: string;
  looks_closed: boolean;
  concerns_just_documentation: boolean;
  last_touched: Date | null;
}

class PostgresBackend implements DbBackend {
  constructor(
    private readonly sql: Sql,
    readonly target: PgTarget,
  ) {}

  async applyBatch(ops: readonly LoadOp[]): Promise<LoadCounts> {
    try {
      return await this.sql.begin(async (tx) => {
        await tx.unsafe(`SELECT pg_advisory_xact_lock(${LOCK_KEY})`);
        const links = JSON.stringify(ops.map((op) => op.link));
        const rows = await tx<{ link: string; hash: string; polled: Date }[]>`
          SELECT canonical_bug_link AS link, content_hash AS hash, last_polled AS polled
            FROM bugs WHERE canonical_bug_link IN (SELECT jsonb_array_elements_text(${links}::text::jsonb))
             FOR UPDATE`;
        const stored = new Map<string, StoredBug>();
        for (const row of rows) stored.set(row.link, { hash: row.hash, polled: row.polled.getTime() });
        const plan = planBatch(ops, stored);

        const written = [...plan.inserts, ...plan.updates];
        if (written.length > 0) {
          const projects = JSON.stringify([...new Set(written.map((b) => b.project))]);
          const trackers = JSON.stringify([...new Set(written.map((b) => b.tracker))]);
          await tx`INSERT INTO projects (name)
                   SELECT n FROM jsonb_array_elements_text(${projects}::text::jsonb) AS n
                    WHERE NOT EXISTS (SELECT 1 FROM projects p WHERE p.name = n)
                   ON CONFLICT (name) DO NOTHING`;
          await tx`INSERT INTO trackers (name)
                   SELECT n FROM jsonb_array_elements_text(${trackers}::text::jsonb) AS n
                    WHERE NOT EXISTS (SELECT 1 FROM trackers t WHERE t.name = n)
                   ON CONFLICT (name) DO NOTHING`;
        }
        if (plan.deletes.length > 0) {
          await tx`DELETE FROM bugs WHERE canonical_bug_link IN (SELECT jsonb_array_elements_text(${JSON.stringify(plan.deletes)}::text::jsonb))`;
        }
        if (plan.inserts.length > 0) {
          const payload = JSON.stringify(plan.inserts.map(bugJson));
          const result = await tx`
            INSERT INTO bugs (${tx.unsafe(BUG_COLUMNS.join(', '))}, project_id, tracker_id)
            SELECT ${tx.unsafe(BUG_VALUES.join(', '))}, p.id, t.id
              FROM json_to_recordset(${payload}::text::json) AS ${tx.unsafe(BUG_RECORD)}
              JOIN projects p ON p.name = r.project JOIN trackers t ON t.name = r.tracker`;
          if (result.count !== plan.inserts.length) throw new DbError('query', `inserted ${result.count} of ${plan.inserts.length} bugs`);
        }
        if (plan.updates.length > 0) {
          const payload = JSON.stringify(plan.updates.map(bugJson));
          const assignments = BUG_COLUMNS.filter((c) => c !== 'canonical_bug_link').map((c, i) => `${c} = ${BUG_VALUES[i + 1] ?? ''}`);
          await tx`
            UPDATE bugs AS b SET ${tx.unsafe(assignments.join(', '))}, project_id = p.id, tracker_id = t.id
              FROM json_to_recordset(${payload}::text::json) AS ${tx.unsafe(BUG_RECORD)}
              JOIN projects p ON p.name = r.project JOIN trackers t ON t.name = r.tracker
             WHERE b.canonical_bug_link = r.canonical_bug_link`;
        }
        if (plan.touches.length > 0) {
          const payload = JSON.stringify(plan.touches.map((t) => ({ link: t.link, polled: new Date(t.polled).toISOString() })));
          await tx`
            UPDATE bugs AS b SET last_polled = r.polled
              FROM json_to_recordset(${payload}::text::json) AS r(link text, polled timestamptz)
             WHERE b.canonical_bug_link = r.link`;
        }
        return plan.counts;
      });
    } catch (err) {
      if (err instanceof DbError) throw err;
      const kind = isConnectionError(err) ? 'connect' : isDataError(err) ? 'data' : 'query';
      throw new DbError(kind, `${this.target.label}: ${describe(err, this.target)}`, { cause: err });
    }
  }

  async *knownBugs(trackers?: readonly string[]): AsyncIterable<KnownBug> {
    const all = trackers === undefined;
    const names = JSON.stringify(trackers ?? []);
    const found = await this.read(
      () => this.sql<{ id: string; name: string }[]>`
        SELECT id, name FROM trackers
         WHERE ${all} OR name IN (SELECT jsonb_array_elements_text(${names}::text::jsonb))
         ORDER BY name`,
    );
    // Tracker by tracker, each paged along the (tracker_id, canonical_bug_link) index.
    for (const tracker of found) {
      let after = '';
      while (true) {
        const page = await this.read(
          () => this.sql<{ link: string }[]>`
            SELECT canonical_bug_link AS link FROM bugs
             WHERE tracker_id = ${tracker.id} AND canonical_bug_link > ${after}
             ORDER BY canonical_bug_link
             LIMIT ${PAGE}`,
        );
        for (const row of page) yield { tracker: tracker.name, link: row.link };
        const last = page[page.length - 1];
        if (page.length < PAGE || last === undefined) break;
        after = last.link;
      }
    }
  }

  async *newcomers(query: NewcomerQuery): AsyncIterable<NewcomerBug> {
    const anyProject = query.projects.length === 0;
    const names = JSON.stringify(query.projects);
    let after = { project: '', title: '', link: '' };
    while (true) {
      const page = await this.read(
        () => this.sql<NewcomerRow[]>`
          SELECT b.title, p.name AS project, t.name AS tracker, b.canonical_bug_link AS link, b.status,
                 b.looks_closed, b.concerns_just_documentation, b.last_touched
            FROM bugs b JOIN projects p ON p.id = b.project_id JOIN trackers t ON t.id = b.tracker_id
           WHERE b.good_for_newcomers
             AND (NOT ${query.openOnly} OR NOT b.looks_closed)
             AND (${anyProject} OR p.name IN (SELECT jsonb_array_elements_text(${names}::text::jsonb)))
             AND (p.name, b.title, b.canonical_bug_link) > (${after.project}, ${after.title}, ${after.link})
           ORDER BY p.name, b.title, b.canonical_bug_link
           LIMIT ${PAGE}`,
      );
      for (const row of page) yield { ...row, last_touched: row.last_touched === null ? null : formatTime(row.last_touched.getTime()) };
      const last = page[page.length - 1];
      if (page.length < PAGE || last === undefined) return;
      after = { project: last.project, title: last.title, link: last.link };
    }
  }

  private async read<T>(run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (err) {
      throw new DbError(isConnectionError(err) ? 'connect' : 'query', `${this.target.label}: ${describe(err, this.target)}`, { cause: err });
    }
  }

  async close(): Promise<void> {
    await this.sql.close({ timeout: 5 }).catch(() => undefined);
  }
}
