// Redmine through the real engine: our fixtures served on 127.0.0.1 by replay() (a server that
// grants fewer issues per page than asked, a gone known issue, a login page instead of JSON),
// the reference recordings when ../shared/reference is there, and the fake Redmine for the API
// key header and an incremental second run.

import { describe, expect, test } from 'bun:test';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunEvent } from '../../src/core/events.ts';
import { runImport } from '../../src/core/run.ts';
import type { TrackerAdapter, TrackerEntry } from '../../src/core/types.ts';
import { startFakeRedmine, type FakeRedmine } from '../../src/demo/fake-redmine.ts';
import { JsonlFileSink } from '../../src/sinks/jsonl.ts';
import { redmineAdapter } from '../../trackers/redmine.ts';
import { readJsonl, tempDir } from '../helpers/cli.ts';
import { replay, type Route } from '../helpers/replay.ts';
import { assertValidRecord } from '../helpers/schema.ts';

const fixture = (name: string): string => readFileSync(join(import.meta.dir, '../fixtures/redmine', name), 'utf8');
const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8' };
const adapter = redmineAdapter as unknown as TrackerAdapter;

/** The five issues of the two Spanish pages, served again by a server that grants `granted` per page. */
function pagedRoutes(granted: number): (url: URL) => Route | undefined {
  const pool = [fixture('issues-es.json'), fixture('issues-es-next.json')].flatMap((page) => (JSON.parse(page) as { issues: unknown[] }).issues);
  return (url) => {
    const path = url.pathname;
    if (path === '/issue_statuses.json') return { headers: JSON_HEADERS, body: fixture('issue-statuses.json') };
    if (path === '/issues.json' && url.searchParams.get('project_id') === 'brujula' && url.searchParams.get('limit') === '100') {
      const offset = Number(url.searchParams.get('offset'));
      const body = JSON.stringify({ issues: pool.slice(offset, offset + granted), total_count: pool.length, offset, limit: granted });
      return { headers: JSON_HEADERS, body };
    }
    if (path === '/issues/4101.json') return { headers: JSON_HEADERS, body: fixture('issue.json') };
    if (path === '/issues/999.json') return { status: 404, body: '' };
    return undefined;
  };
}

const brujula = {
  tracker_name: 'Brújula',
  bugimporter: 'redmine',
  base_url: '{origin}',
  project: 'brujula',
  existing_bug_urls: ['{origin}/issues/4101', '{origin}/issues/999'],
};

test('every page is fetched when the server grants fewer than asked, nothing twice; a gone issue is _deleted', async () => {
  const { result, records, requests, origin } = await replay(adapter, brujula, pagedRoutes(2));
  expect(result.exitCode).toBe(0);
  // The status table first; then the pages (in order) and the known issues, in any interleaving.
  expect(requests[0]).toBe('/issue_statuses.json');
  const list = '/issues.json?project_id=brujula&status_id=open&sort=updated_on:desc&limit=100&offset=';
  expect(requests.filter((r) => r.startsWith('/issues.json'))).toEqual([`${list}0`, `${list}2`, `${list}4`]);
  expect([...requests].sort()).toEqual(['/issue_statuses.json', `${list}0`, `${list}2`, `${list}4`, '/issues/4101.json', '/issues/999.json'].sort());
  records.forEach(assertValidRecord);
  const links = records.map((r) => String(r.canonical_bug_link));
  expect(new Set(links).size).toBe(links.length);
  expect(links.sort()).toEqual([4101, 4288, 4290, 4305, 4312, 999].map((id) => `${origin}/issues/${id}`).sort());
  expect(records.find((r) => r.canonical_bug_link === `${origin}/issues/999`)).toMatchObject({ _deleted: true, _tracker_name: 'Brújula' });
  // Closed by the server's status table, though the install names its statuses in Spanish.
  expect(records.find((r) => r.canonical_bug_link === `${origin}/issues/4312`)?.looks_closed).toBe(true);
});

test('a login page instead of JSON fails the tracker, naming the URL', async () => {
  const { result, events, records } = await replay(adapter, { ...brujula, existing_bug_urls: [] }, (url) => {
    if (url.pathname === '/issue_statuses.json') return { headers: JSON_HEADERS, body: fixture('issue-statuses.json') };
    return { headers: { 'content-type': 'text/html; charset=utf-8' }, body: fixture('login.html') };
  });
  expect(result.exitCode).toBe(1);
  const error = events.find((e): e is Extract<RunEvent, { type: 'tracker-error' }> => e.type === 'tracker-error');
  expect(error?.kind).toBe('parse');
  expect(error?.message).toContain('/issues.json?project_id=brujula');
  expect(records).toEqual([]);
});

test('without a status table, the run goes on and names decide', async () => {
  const routes = pagedRoutes(100);
  const { result, records, warnings, origin } = await replay(adapter, { ...brujula, existing_bug_urls: [] }, (url) =>
    url.pathname === '/issue_statuses.json' ? { status: 403, body: '' } : routes(url),
  );
  expect(result.exitCode).toBe(0);
  expect(records).toHaveLength(5);
  expect(warnings.some((w) => w.includes('issue_statuses.json'))).toBe(true);
  expect(records.find((r) => r.canonical_bug_link === `${origin}/issues/4312`)?.looks_closed).toBe(false);
});

// ---------------------------------------------------------------------------------------------
// The real recordings (never copied into the project: read in place when present).

const REFERENCE = join(import.meta.dir, '../../../shared/reference/perceval/redmine');

test.skipIf(!existsSync(REFERENCE))('the reference recordings import as valid, sensible records', async () => {
  const recording = (name: string): Route => ({ headers: JSON_HEADERS, body: readFileSync(join(REFERENCE, name), 'utf8') });
  const { result, records, requests, origin } = await replay(
    adapter,
    { tracker_name: 'GrimoireLab', bugimporter: 'redmine', base_url: '{origin}', state: 'all', existing_bug_urls: ['{origin}/issues/7311'] },
    (url) => {
      if (url.pathname === '/issue_statuses.json') return { headers: JSON_HEADERS, body: fixture('issue-statuses.json') };
      // The recording answers limit=3 however many were asked for.
      if (url.pathname === '/issues.json') return recording(url.searchParams.get('offset') === '0' ? 'redmine_issues.json' : 'redmine_issues_next.json');
      if (url.pathname === '/issues/7311.json') return recording('redmine_issue_7311.json');
      return undefined;
    },
  );
  expect(result.exitCode).toBe(0);
  expect(requests.filter((r) => r.startsWith('/issues.json'))).toHaveLength(2);
  records.forEach(assertValidRecord);
  expect(records).toHaveLength(4);
  for (const record of records) {
    expect(String(record.canonical_bug_link)).toMatch(new RegExp(`^${origin}/issues/\\d+$`));
    expect(String(record.title)).not.toBe('');
    expect(String(record.submitter_realname)).not.toBe('');
    expect(String(record.date_reported) <= String(record.last_touched)).toBe(true);
  }
  // "Cerrada" (id 5) is closed, "Resuelta" (id 3) is not, by the status table.
  expect(records.filter((r) => r.looks_closed === true)).toHaveLength(3);
});

// ---------------------------------------------------------------------------------------------
// Against the fake Redmine: what reaches the server, and a second, incremental run.

interface EngineRun {
  readonly exitCode: number;
  readonly records: Record<string, unknown>[];
  readonly events: RunEvent[];
}

async function runAgainst(fake: FakeRedmine, entry: TrackerEntry, dir: string, env: Record<string, string> = {}): Promise<EngineRun> {
  const events: RunEvent[] = [];
  const output = join(dir, 'bugs.jsonl');
  const result = await runImport({
    trackers: [{ entry, adapter, configErrors: [] }],
    sink: new JsonlFileSink(output),
    limits: { concurrency: 8, perHost: 4, delayMs: 0 },
    retry: { retries: 1, baseDelayMs: 5, maxDelayMs: 20 },
    transport: { userAgent: 'customs/test', connectionsPerHost: 4, connectTimeoutMs: 2000, headersTimeoutMs: 5000, bodyTimeoutMs: 5000, maxBodyBytes: 10_000_000, maxRedirects: 5 },
    cacheMode: 'normal',
    cacheDir: join(dir, 'cache'),
    extendedScrape: false,
    env,
    signal: new AbortController().signal,
    emit: (e) => events.push(e),
    incremental: { marksPath: join(dir, 'marks.json'), output, full: false },
  });
  return { exitCode: result.exitCode, records: readJsonl(readFileSync(output, 'utf8')), events };
}

describe('against the fake Redmine', () => {
  test('the API key travels in X-Redmine-API-Key, never in a URL', async () => {
    const fake = startFakeRedmine({ maxLimit: 100 });
    try {
      const key = 'f00dfacecafe0123456789abcdef0123456789ab';
      const entry = { tracker_name: 'Notewell', bugimporter: 'redmine', base_url: `${fake.url}/`, project: 'notewell', token_env: 'QUILL_KEY' };
      const run = await runAgainst(fake, entry, tempDir('customs-redmine-'), { QUILL_KEY: key });
      expect(run.exitCode).toBe(0);
      expect(fake.requests.length).toBeGreaterThan(1);
      for (const req of fake.requests) {
        expect(req.headers['x-redmine-api-key']).toBe(key);
        expect(req.path).not.toContain(key);
      }
    } finally {
      await fake.stop();
    }
  });

  test('a second run asks only for what changed, and the output still holds every issue', async () => {
    const fake = startFakeRedmine();
    const dir = tempDir('customs-redmine-');
    try {
      const entry = { tracker_name: 'Notewell', bugimporter: 'redmine', base_url: `${fake.url}/`, project: 'notewell', state: 'open' };
      const first = await runAgainst(fake, entry, dir);
      expect(first.exitCode).toBe(0);
      const openIds = first.records.map((r) => Number(String(r.canonical_bug_link).split('/').pop()));
      const [closeMe, renameMe] = openIds;
      if (closeMe === undefined || renameMe === undefined) throw new Error('too few open issues');
      expect(fake.requests.filter((r) => r.path.startsWith('/issues.json')).length).toBeGreaterThan(1);

      fake.updateIssue(closeMe, { status: 'Closed' });
      fake.updateIssue(renameMe, { subject: 'Renamed between runs' });
      fake.requests.length = 0;
      const second = await runAgainst(fake, entry, dir);
      expect(second.exitCode).toBe(0);
      const lists = fake.requests.filter((r) => r.path.startsWith('/issues.json'));
      expect(lists).toHaveLength(1);
      expect(lists[0]?.path).toContain('status_id=*');
      expect(lists[0]?.path).toContain('updated_on=%3E%3D');
      second.records.forEach(assertValidRecord);
      expect(second.records).toHaveLength(first.records.length);
      const byId = (id: number): Record<string, unknown> | undefined => second.records.find((r) => String(r.canonical_bug_link).endsWith(`/issues/${id}`));
      expect(byId(closeMe)?.looks_closed).toBe(true);
      expect(byId(renameMe)?.title).toBe('Renamed between runs');
    } finally {
      await fake.stop();
    }
  });
});
