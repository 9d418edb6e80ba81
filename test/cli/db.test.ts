// `customs db load | export-trackers | query` and `customs run --known-bugs-from`, through the
// real CLI, against SQLite (a file in a temp folder) always and against PostgreSQL when
// CUSTOMS_TEST_POSTGRES_URL names a server (.ci/postgres.sh starts one; a fresh database per
// suite). The same cases run on both: insert, update, delete, no-update, rejected lines with
// their numbers, idempotent re-load, stdin, export-trackers, query, and the loop from the database
// back into a run that reports a bug the tracker now answers 404 for as `_deleted`.

import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Database } from 'bun:sqlite';
import { SQL } from 'bun';
import { fakeIssue, startFakeGithub } from '../../src/demo/fake-github.ts';
import { cleanEnv, MAIN, readJsonl, runCli, tempDir, type CliResult } from '../helpers/cli.ts';

const PG_URL = process.env.CUSTOMS_TEST_POSTGRES_URL;
const PG_SKIP = 'PostgreSQL cases skipped: CUSTOMS_TEST_POSTGRES_URL is not set (.ci/run sets it through .ci/postgres.sh)';
if (!PG_URL) console.warn(PG_SKIP);

type Row = Record<string, unknown>;

function bug(n: number, change: Row = {}): Row {
  return {
    title: `Bug number ${n}`,
    description: `What goes wrong in ${n}`,
    status: 'new',
    importance: 'normal',
    people_involved: 2,
    date_reported: '2025-01-01T10:00:00Z',
    last_touched: '2025-01-02T10:00:00Z',
    last_polled: '2025-02-01T00:00:00.000Z',
    submitter_username: 'alice',
    submitter_realname: 'Alice A.',
    canonical_bug_link: `https://tracker.example.org/widgets/${n}`,
    looks_closed: false,
    good_for_newcomers: n % 2 === 1,
    concerns_just_documentation: n === 3,
    as_appears_in_distribution: '',
    _project_name: 'Widgets',
    _tracker_name: 'Widgets',
    ...change,
  };
}

const jsonl = (rows: readonly (Row | string)[]): string => rows.map((r) => (typeof r === 'string' ? r : JSON.stringify(r))).join('\n') + '\n';

interface LoadSummary {
  inserted: number;
  updated: number;
  deleted: number;
  unchanged: number;
  rejected: number;
  records: number;
  stale: number;
  unknown: number;
}

function summary(result: CliResult): LoadSummary {
  const line = result.stdout.trim().split('\n').at(-1) ?? '';
  try {
    return JSON.parse(line) as LoadSummary;
  } catch {
    throw new Error(`no JSON summary (exit ${result.code}):\n${result.stdout}\n${result.stderr}`);
  }
}

/** A database for one suite: its --db value, a way to read its bugs table, and clean-up. */
interface TestDb {
  readonly arg: string;
  dump(): Promise<Row[]>;
  drop(): Promise<void>;
}

function sqliteDb(): TestDb {
  const path = join(tempDir('customs-db-'), 'bugs.sqlite');
  return {
    arg: path,
    async dump() {
      const db = new Database(path, { readonly: true });
      try {
        return db.query<Row, []>('SELECT * FROM bugs ORDER BY canonical_bug_link').all();
      } finally {
        db.close();
      }
    },
    async drop() {},
  };
}

async function postgresDb(admin: string): Promise<TestDb> {
  const name = `customs_cli_${Date.now().toString(36)}_${Math.floor(Math.random() * 1e6)}`;
  const root = new SQL(admin, { max: 1 });
  await root.unsafe(`CREATE DATABASE ${name}`);
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return {
    arg: url.toString(),
    async dump() {
      const sql = new SQL(url.toString(), { max: 1 });
      try {
        return [...(await sql<Row[]>`SELECT * FROM bugs ORDER BY canonical_bug_link`)];
      } finally {
        await sql.close();
      }
    },
    async drop() {
      await root.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await root.close();
    },
  };
}

const backends: { name: string; make: () => Promise<TestDb> | TestDb; enabled: boolean }[] = [
  { name: 'SQLite', make: sqliteDb, enabled: true },
  { name: 'PostgreSQL', make: () => postgresDb(PG_URL ?? ''), enabled: PG_URL !== undefined && PG_URL !== '' },
];

if (!PG_URL) test.skip(PG_SKIP, () => {});

for (const backend of backends) {
  describe.skipIf(!backend.enabled)(`db on ${backend.name}`, () => {
    let db: TestDb;
    let dir: string;
    const file = (name: string, rows: readonly (Row | string)[]): string => {
      const path = join(dir, name);
      writeFileSync(path, jsonl(rows));
      return path;
    };
    const load = (path: string, ...extra: string[]): Promise<CliResult> => runCli(['db', 'load', path, '--db', db.arg, '--json', ...extra]);
    const newcomers = async (...extra: string[]): Promise<Row[]> => {
      const r = await runCli(['db', 'query', '--newcomers', '--json', '--db', db.arg, ...extra]);
      expect(r.code).toBe(0);
      return readJsonl(r.stdout);
    };

    beforeAll(async () => {
      db = await backend.make();
      dir = tempDir('customs-db-cli-');
    });
    afterAll(async () => {
      await db.drop();
    });

    test('insert, then the same file again changes nothing', async () => {
      const path = file('first.jsonl', [bug(1), bug(2), bug(3), bug(4)]);
      const first = await load(path);
      expect(first.code).toBe(0);
      expect(summary(first)).toMatchObject({ inserted: 4, updated: 0, deleted: 0, unchanged: 0, rejected: 0, records: 4 });
      const before = await db.dump();
      expect(before.map((r) => r.canonical_bug_link)).toEqual([1, 2, 3, 4].map((n) => `https://tracker.example.org/widgets/${n}`));

      const again = await load(path);
      expect(again.code).toBe(0);
      expect(summary(again)).toMatchObject({ inserted: 0, updated: 0, deleted: 0, unchanged: 4, rejected: 0 });
      expect(await db.dump()).toEqual(before);

      const listed = await newcomers();
      expect(listed.map((r) => r.title)).toEqual(['Bug number 1', 'Bug number 3']);
      expect(listed[1]).toMatchObject({ project: 'Widgets', tracker: 'Widgets', link: 'https://tracker.example.org/widgets/3', concerns_just_documentation: true, looks_closed: false, last_touched: '2025-01-02T10:00:00Z' });
    });

    test('update counts only real changes; a later last_polled alone is unchanged but kept', async () => {
      const later = '2025-03-01T00:00:00.000Z';
      const path = file('second.jsonl', [bug(1, { title: 'Bug number 1, retitled', last_polled: later }), bug(2, { last_polled: later }), bug(3, { looks_closed: true, status: 'fixed', last_polled: later })]);
      const r = await load(path);
      expect(r.code).toBe(0);
      expect(summary(r)).toMatchObject({ inserted: 0, updated: 2, unchanged: 1, deleted: 0, stale: 0 });
      expect((await newcomers()).map((b) => b.title)).toEqual(['Bug number 1, retitled', 'Bug number 3']);
      expect((await newcomers('--open')).map((b) => b.title)).toEqual(['Bug number 1, retitled']);
      // Bug 2's last_polled moved: its older record is now stale and changes nothing.
      const old = await load(file('old.jsonl', [bug(2, { title: 'an older title' })]));
      expect(summary(old)).toMatchObject({ updated: 0, unchanged: 1, stale: 1 });
    });

    test('_no_update only bumps last_polled; _deleted deletes, and again is a no-op', async () => {
      const noUpdate = { canonical_bug_link: 'https://tracker.example.org/widgets/4', _no_update: true, _tracker_name: 'Widgets', _project_name: 'Widgets', last_polled: '2025-04-01T00:00:00.000Z' };
      const r1 = await load(file('touch.jsonl', [noUpdate]));
      expect(summary(r1)).toMatchObject({ inserted: 0, updated: 0, deleted: 0, unchanged: 1, unknown: 0 });
      const row = (await db.dump()).find((b) => b.canonical_bug_link === noUpdate.canonical_bug_link);
      expect(row?.title).toBe('Bug number 4');
      expect(new Date(String(row?.last_polled instanceof Date ? row.last_polled.toISOString() : row?.last_polled)).toISOString()).toBe('2025-04-01T00:00:00.000Z');

      const gone = { canonical_bug_link: 'https://tracker.example.org/widgets/3', _deleted: true, _tracker_name: 'Widgets', _project_name: 'Widgets', last_polled: '2025-04-01T00:00:00.000Z' };
      const r2 = await load(file('gone.jsonl', [gone]));
      expect(r2.code).toBe(0);
      expect(summary(r2)).toMatchObject({ deleted: 1, unchanged: 0 });
      expect((await db.dump()).map((b) => b.canonical_bug_link)).not.toContain(gone.canonical_bug_link);
      const r3 = await load(file('gone.jsonl', [gone]));
      expect(summary(r3)).toMatchObject({ deleted: 0, unchanged: 1, unknown: 1 });
    });

    test('bad lines are rejected with their numbers, the others load, exit 1', async () => {
      const path = file('mixed.jsonl', [bug(10), '{"title": "broken', '', { ...bug(11), title: undefined, people_involved: -1 }, '[1, 2]', bug(12)]);
      const r = await runCli(['db', 'load', path, '--db', db.arg]);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`${path}:2: rejected: not JSON`);
      expect(r.stderr).toContain(`${path}:4: rejected: missing title; people_involved must be a whole number`);
      expect(r.stderr).toContain(`${path}:5: rejected: not a JSON object (got an array)`);
      expect(r.stdout).toMatch(/2 inserted, 0 updated, 0 deleted, 0 unchanged, 3 rejected \(5 records/);
      expect(r.stderr).not.toMatch(/\n\s+at /);
      const links = (await db.dump()).map((b) => b.canonical_bug_link);
      expect(links).toContain('https://tracker.example.org/widgets/10');
      expect(links).toContain('https://tracker.example.org/widgets/12');
    });

    test('reads stdin with "-"', async () => {
      const path = file('stdin.jsonl', [bug(20), bug(21, { _project_name: 'Gadgets' })]);
      const proc = Bun.spawn([process.execPath, MAIN, 'db', 'load', '-', '--db', db.arg, '--json'], { stdin: Bun.file(path), stdout: 'pipe', stderr: 'pipe', env: cleanEnv() });
      const [stdout, stderr, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
      expect(code).toBe(0);
      expect(summary({ code, stdout, stderr })).toMatchObject({ inserted: 2, rejected: 0 });
      expect((await newcomers('--project', 'Gadgets')).map((b) => b.link)).toEqual(['https://tracker.example.org/widgets/21']);
    });

    test('export-trackers prints the known links, alone or merged into a tracker file it leaves as it is', async () => {
      const alone = await runCli(['db', 'export-trackers', '--db', db.arg]);
      expect(alone.code).toBe(0);
      const { parse } = await import('yaml');
      const fragment = parse(alone.stdout) as { tracker_name: string; existing_bug_urls: string[] }[];
      expect(fragment.map((e) => e.tracker_name)).toEqual(['Widgets']);
      expect(fragment[0]?.existing_bug_urls).toContain('https://tracker.example.org/widgets/1');
      expect(fragment[0]?.existing_bug_urls).not.toContain('https://tracker.example.org/widgets/3');

      const trackers = join(dir, 'trackers.yaml');
      const text = [
        '# my trackers',
        'trackers:',
        '  - tracker_name: Widgets   # the widgets',
        '    bugimporter: github',
        '    github_name: example',
        '    github_repo: widgets',
        '    existing_bug_urls:',
        '      - https://tracker.example.org/widgets/99',
        '  - tracker_name: Other',
        '    bugimporter: github',
        '    github_name: example',
        '    github_repo: other',
        '',
      ].join('\n');
      writeFileSync(trackers, text);
      const merged = await runCli(['db', 'export-trackers', trackers, '--db', db.arg]);
      expect(merged.code).toBe(0);
      expect(readFileSync(trackers, 'utf8')).toBe(text);
      expect(merged.stdout).toContain('# my trackers');
      expect(merged.stdout).toContain('# the widgets');
      const doc = parse(merged.stdout) as { trackers: { tracker_name: string; existing_bug_urls?: string[] }[] };
      const widgets = doc.trackers[0]?.existing_bug_urls ?? [];
      expect(widgets[0]).toBe('https://tracker.example.org/widgets/99');
      expect(widgets).toContain('https://tracker.example.org/widgets/12');
      expect(new Set(widgets).size).toBe(widgets.length);
      expect(doc.trackers[1]?.existing_bug_urls).toBeUndefined();
    });
  });
}

for (const backend of backends) {
  describe.skipIf(!backend.enabled)(`the loop on ${backend.name}`, () => {
    test('run → db load → query; then a run --known-bugs-from the database reports the bug the server lost as _deleted', async () => {
      const db = await backend.make();
      const server = startFakeGithub({
        repos: [{ owner: 'octo', name: 'widgets', issues: [fakeIssue(1, { labels: ['good first issue'] }), fakeIssue(2), fakeIssue(3)] }],
        cacheControl: 'no-cache',
      });
      try {
        const dir = tempDir('customs-db-loop-');
        const trackers = join(dir, 'trackers.yaml');
        writeFileSync(trackers, `- tracker_name: Widgets\n  bugimporter: github\n  api_url: ${server.url}\n  github_name: octo\n  github_repo: widgets\n  bitesized_tag: good first issue\n`);
        const data = join(dir, 'data');
        const run1 = await runCli(['run', trackers, '--data-dir', data, '--ci']);
        expect(run1.code).toBe(0);
        const load1 = await runCli(['db', 'load', join(data, 'bugs.jsonl'), '--db', db.arg, '--json']);
        expect(summary(load1)).toMatchObject({ inserted: 3, rejected: 0 });
        const query = await runCli(['db', 'query', '--newcomers', '--db', db.arg]);
        expect(query.stdout).toBe(`Widgets: Issue 1\n  ${server.url}/octo/widgets/issues/1\n`);

        // The tracker file names no known bugs; the database does. Issue 2 is gone upstream.
        server.deleteIssue('octo', 'widgets', 2);
        const run2 = await runCli(['run', trackers, '--data-dir', data, '--ci', '--known-bugs-from', db.arg]);
        expect(run2.code).toBe(0);
        expect(run2.stderr).toContain('3 known bug links added to 1 of 1 trackers');
        const records = readJsonl(readFileSync(join(data, 'bugs.jsonl'), 'utf8'));
        const gone = records.find((r) => r.canonical_bug_link === `${server.url}/octo/widgets/issues/2`);
        expect(gone).toMatchObject({ _deleted: true, _tracker_name: 'Widgets' });
        expect(server.requests.some((r) => r.path === '/repos/octo/widgets/issues/2' && r.status === 404)).toBe(true);

        const load2 = await runCli(['db', 'load', join(data, 'bugs.jsonl'), '--db', db.arg, '--json']);
        expect(summary(load2)).toMatchObject({ inserted: 0, deleted: 1, rejected: 0 });
        const exported = await runCli(['db', 'export-trackers', '--db', db.arg]);
        expect(exported.stdout).toContain(`${server.url}/octo/widgets/issues/1`);
        expect(exported.stdout).not.toContain(`${server.url}/octo/widgets/issues/2`);
      } finally {
        await server.stop();
        await db.drop();
      }
    }, 60_000);
  });
}

describe('db errors: clear messages, exit 2, no stack trace, no password', () => {
  test('a missing input file, an unknown database scheme, a reader on a missing database', async () => {
    const dir = tempDir('customs-db-err-');
    const missing = await runCli(['db', 'load', join(dir, 'nope.jsonl'), '--db', join(dir, 'x.sqlite')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('nope.jsonl does not exist');
    const scheme = await runCli(['db', 'query', '--newcomers', '--db', 'mysql://root:s3cret-pw@localhost/db']);
    expect(scheme.code).toBe(2);
    expect(scheme.stderr).toContain('unsupported database "mysql:"');
    expect(scheme.stderr).not.toContain('s3cret-pw');
    const reader = await runCli(['db', 'export-trackers', '--db', join(dir, 'none.sqlite')]);
    expect(reader.code).toBe(2);
    expect(reader.stderr).toContain('no database at');
    const noQuery = await runCli(['db', 'query', '--db', join(dir, 'none.sqlite')]);
    expect(noQuery.code).toBe(2);
    expect(noQuery.stderr).toContain('needs --newcomers');
    const run = await runCli(['run', join(dir, 't.yaml'), '--known-bugs-from', join(dir, 'none.sqlite')]);
    expect(run.code).toBe(2);
  });

  test('a mistyped option loads nothing (not even into the default database)', async () => {
    const dir = tempDir('customs-db-err-');
    writeFileSync(join(dir, 'one.jsonl'), jsonl([bug(1)]));
    const r = await runCli(['db', 'load', 'one.jsonl', '--dbb', 'postgres://x@127.0.0.1:1/db'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Unknown argument: dbb');
    expect(existsSync(join(dir, 'customs-data'))).toBe(false);
  });

  test('an unreachable PostgreSQL server: the password never shows', async () => {
    const dir = tempDir('customs-db-err-');
    const path = join(dir, 'one.jsonl');
    writeFileSync(path, jsonl([bug(1)]));
    // Port 1 on 127.0.0.1: nothing listens, the connection is refused at once.
    const r = await runCli(['db', 'load', path, '--db', 'postgres://customs:Very-S3cret-Pass@127.0.0.1:1/bugs']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('cannot connect to postgres://customs:***@127.0.0.1:1/bugs');
    expect(r.stdout + r.stderr).not.toContain('Very-S3cret-Pass');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  test.skipIf(!PG_URL)('a wrong PostgreSQL password: refused, and neither password shows', async () => {
    const url = new URL(PG_URL ?? '');
    const real = decodeURIComponent(url.password);
    url.password = 'Wrong-Pass-123';
    const dir = tempDir('customs-db-err-');
    const path = join(dir, 'one.jsonl');
    writeFileSync(path, jsonl([bug(1)]));
    const r = await runCli(['db', 'load', path, '--db', url.toString()]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('password authentication failed');
    expect(r.stdout + r.stderr).not.toContain('Wrong-Pass-123');
    expect(r.stdout + r.stderr).not.toContain(real);
  });
});
