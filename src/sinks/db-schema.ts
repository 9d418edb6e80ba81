// The database schema, as numbered migrations for SQLite and PostgreSQL. A database records the
// migrations it has had in `customs_schema_version`; opening it applies the missing ones in
// order, in one transaction, and refuses a database newer than this customs. Add a migration at
// the end to change the schema; never edit one that has shipped.
//
// bugs: one row per canonical_bug_link with every ParsedBug field (`_project_name` and
// `_tracker_name` through projects and trackers), `raw_data` as JSON, and `content_hash` — a hash
// of every field but last_polled, which tells an update from a mere re-poll. Indexes: the link
// (the key), tracker + link (the known-bug lists of the loop back), and the newcomer bugs by
// project and title. In SQLite the link is a UNIQUE column of a rowid table: rows hold whole
// descriptions, which WITHOUT ROWID tables store badly.

export interface Migration {
  readonly version: number;
  readonly description: string;
  readonly sqlite: readonly string[];
  readonly postgres: readonly string[];
}

export const VERSION_TABLE = 'customs_schema_version';

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'bugs, projects, trackers',
    sqlite: [
      `CREATE TABLE projects (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE
      )`,
      `CREATE TABLE trackers (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE
      )`,
      `CREATE TABLE bugs (
        id INTEGER PRIMARY KEY,
        canonical_bug_link TEXT NOT NULL UNIQUE,
        title TEXT NOT NULL,
        description TEXT NOT NULL,
        status TEXT NOT NULL,
        importance TEXT NOT NULL,
        people_involved INTEGER NOT NULL,
        date_reported TEXT,
        last_touched TEXT,
        last_polled TEXT NOT NULL,
        submitter_username TEXT NOT NULL,
        submitter_realname TEXT NOT NULL,
        looks_closed INTEGER NOT NULL CHECK (looks_closed IN (0, 1)),
        good_for_newcomers INTEGER NOT NULL CHECK (good_for_newcomers IN (0, 1)),
        concerns_just_documentation INTEGER NOT NULL CHECK (concerns_just_documentation IN (0, 1)),
        as_appears_in_distribution TEXT NOT NULL,
        project_id INTEGER NOT NULL REFERENCES projects (id),
        tracker_id INTEGER NOT NULL REFERENCES trackers (id),
        raw_data TEXT,
        content_hash TEXT NOT NULL
      )`,
      'CREATE INDEX bugs_tracker ON bugs (tracker_id, canonical_bug_link)',
      'CREATE INDEX bugs_newcomers ON bugs (project_id, title) WHERE good_for_newcomers = 1',
    ],
    postgres: [
      `CREATE TABLE projects (
        id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        name TEXT NOT NULL UNIQUE
      )`,
      `CREATE TABLE trackers (
        id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        name TEXT NOT NULL UNIQUE
      )`,
      `CREATE TABLE bugs (
        canonical_bug_link TEXT PRIMARY KEY,
        title TEXT NOT NULL,
        description TEXT NOT NULL,
        status TEXT NOT NULL,
        importance TEXT NOT NULL,
        people_involved INTEGER NOT NULL,
        date_reported TIMESTAMPTZ,
        last_touched TIMESTAMPTZ,
        last_polled TIMESTAMPTZ NOT NULL,
        submitter_username TEXT NOT NULL,
        submitter_realname TEXT NOT NULL,
        looks_closed BOOLEAN NOT NULL,
        good_for_newcomers BOOLEAN NOT NULL,
        concerns_just_documentation BOOLEAN NOT NULL,
        as_appears_in_distribution TEXT NOT NULL,
        project_id BIGINT NOT NULL REFERENCES projects (id),
        tracker_id BIGINT NOT NULL REFERENCES trackers (id),
        raw_data JSONB,
        content_hash TEXT NOT NULL
      )`,
      'CREATE INDEX bugs_tracker ON bugs (tracker_id, canonical_bug_link)',
      'CREATE INDEX bugs_newcomers ON bugs (project_id, title) WHERE good_for_newcomers',
    ],
  },
];

export const LATEST_VERSION = MIGRATIONS.reduce((max, m) => Math.max(max, m.version), 0);

/** The migrations a database at `current` still needs, in order. */
export function pendingMigrations(current: number): readonly Migration[] {
  return MIGRATIONS.filter((m) => m.version > current).sort((a, b) => a.version - b.version);
}

export function newerSchemaMessage(current: number): string {
  return `the database's customs schema is version ${current}, newer than this customs knows (${LATEST_VERSION}): use a newer customs`;
}

/** The columns the loader writes, in one order for both databases. */
export const BUG_COLUMNS = [
  'canonical_bug_link',
  'title',
  'description',
  'status',
  'importance',
  'people_involved',
  'date_reported',
  'last_touched',
  'last_polled',
  'submitter_username',
  'submitter_realname',
  'looks_closed',
  'good_for_newcomers',
  'concerns_just_documentation',
  'as_appears_in_distribution',
  'raw_data',
  'content_hash',
] as const;
