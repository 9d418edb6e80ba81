// Jira through the real engine: our fixtures served on 127.0.0.1 under a base path (/jira/).
// A v2 server granting fewer issues than asked (every page, nothing twice), known keys that are
// found, moved or gone, v3 token pages, an incremental run, an HTML login page, and the real
// recordings in ../shared/reference when they are there.

import { describe, expect, test } from 'bun:test';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AdapterContext, Handler, TrackerAdapter } from '../../src/core/types.ts';
import { jiraAdapter, type JiraEntry } from '../../trackers/jira.ts';
import { replay, type Route } from '../helpers/replay.ts';
import { assertValidRecord } from '../helpers/schema.ts';

const adapter = jiraAdapter as unknown as TrackerAdapter;
const JSON_TYPE = { 'content-type': 'application/json;charset=UTF-8' };

function fixture(name: string, base: string): Route {
  return { headers: JSON_TYPE, body: readFileSync(join(import.meta.dir, '../fixtures/jira', name), 'utf8').replaceAll('{base}', base) };
}

/** The Lantern Jira at `<origin>/jira/`: v2 search granting 2 a page, key searches, single issues, v3. */
function lantern(url: URL): Route | undefined {
  const base = `${url.origin}/jira`;
  const q = url.searchParams;
  const jql = q.get('jql') ?? '';
  if (url.pathname === '/jira/rest/api/2/search') {
    if (jql.startsWith('key in')) return fixture('search-v2-keys.json', base);
    const page = { '0': 'search-v2-page-1.json', '2': 'search-v2-page-2.json', '4': 'search-v2-page-3.json' }[q.get('startAt') ?? ''];
    return page === undefined ? undefined : fixture(page, base);
  }
  if (url.pathname === '/jira/rest/api/3/search/jql') return fixture(q.has('nextPageToken') ? 'search-v3-page-2.json' : 'search-v3-page-1.json', base);
  if (url.pathname === '/jira/rest/api/2/issue/LTN-7') return fixture('issue-moved.json', base);
  if (url.pathname.startsWith('/jira/rest/api/2/issue/')) return { ...fixture('issue-not-found.json', base), status: 404 };
  return undefined;
}

const ENTRY: JiraEntry = {
  tracker_name: 'Lantern',
  bugimporter: 'jira',
  base_url: '{origin}/jira/',
  jql: 'project = LTN ORDER BY key ASC',
  bitesized_type: 'label',
  bitesized_text: 'newbie',
  documentation_type: 'component',
  documentation_text: 'Documentation',
  existing_bug_urls: ['{origin}/jira/browse/LTN-2', '{origin}/jira/browse/LTN-7', '{origin}/jira/browse/LTN-9'],
};

function withSince(since: Date): TrackerAdapter {
  const handlers: Record<string, Handler<JiraEntry>> = {};
  for (const [kind, handler] of Object.entries(jiraAdapter.handlers)) handlers[kind] = (res, req, ctx) => handler(res, req, { ...ctx, since });
  return { ...jiraAdapter, plan: (ctx: AdapterContext<JiraEntry>) => jiraAdapter.plan({ ...ctx, since }), handlers } as unknown as TrackerAdapter;
}

test('v2: every page of a server granting fewer than asked, known keys found, moved and gone', async () => {
  const { result, records, requests, origin, warnings } = await replay(adapter, ENTRY, lantern);
  expect(result.exitCode).toBe(0);
  records.forEach(assertValidRecord);
  const searches = requests.filter((r) => r.startsWith('/jira/rest/api/2/search') && !r.includes('key%20in'));
  expect(searches.map((r) => [new URL(`http://x${r}`).searchParams.get('startAt'), new URL(`http://x${r}`).searchParams.get('maxResults')])).toEqual([
    ['0', '100'],
    ['2', '2'],
    ['4', '2'],
  ]);
  expect(new Set(requests).size).toBe(requests.length);
  const links = records.map((r) => r.canonical_bug_link);
  expect(new Set(links).size).toBe(links.length);
  expect(records.filter((r) => r._deleted !== true).map((r) => r.canonical_bug_link)).toEqual(
    expect.arrayContaining([1, 2, 3, 4, 5].map((n) => `${origin}/jira/browse/LTN-${n}`)),
  );
  expect(records.filter((r) => r._deleted === true).map((r) => r.canonical_bug_link).sort()).toEqual([`${origin}/jira/browse/LTN-7`, `${origin}/jira/browse/LTN-9`]);
  expect(records).toHaveLength(7);
  expect(records.find((r) => r.canonical_bug_link === `${origin}/jira/browse/LTN-1`)).toMatchObject({ good_for_newcomers: true, date_reported: '2023-11-21T22:22:59Z' });
  expect(records.find((r) => r.canonical_bug_link === `${origin}/jira/browse/LTN-2`)).toMatchObject({ concerns_just_documentation: true, looks_closed: true });
  expect(warnings.filter((w) => w.includes('repeated'))).toEqual([]);
});

test('v3: nextPageToken pages through the real engine', async () => {
  const { result, records, requests, origin } = await replay(adapter, { ...ENTRY, api: 'v3', existing_bug_urls: [] }, lantern);
  expect(result.exitCode).toBe(0);
  records.forEach(assertValidRecord);
  expect(requests).toHaveLength(2);
  expect(requests[1]).toContain('nextPageToken=CAEaAggCIgIIAg');
  expect(records.map((r) => r.canonical_bug_link)).toEqual([101, 102, 103].map((n) => `${origin}/jira/browse/LTN-${n}`));
});

test('incremental: the JQL gains an updated >= clause before its ORDER BY', async () => {
  const { result, requests } = await replay(withSince(new Date('2024-06-20T10:00:00Z')), { ...ENTRY, existing_bug_urls: [] }, lantern);
  expect(result.exitCode).toBe(0);
  expect(new URL(`http://x${requests[0] ?? ''}`).searchParams.get('jql')).toBe('(project = LTN) AND updated >= "2024/06/19 10:00" ORDER BY key ASC');
});

test('an HTML login page instead of JSON fails the tracker with an error naming the URL', async () => {
  const login: Route = { headers: { 'content-type': 'text/html;charset=UTF-8' }, body: '<html><head><title>Log in - Lantern Jira</title></head><body><form id="login-form"></form></body></html>' };
  const { result, events } = await replay(adapter, { ...ENTRY, existing_bug_urls: [] }, (url) => (url.searchParams.get('startAt') === '2' ? login : lantern(url)));
  expect(result.exitCode).toBe(1);
  const error = events.find((e) => e.type === 'tracker-error');
  const message = error?.type === 'tracker-error' ? error.message : '';
  expect(message).toContain('HTML');
  expect(message).toContain('/jira/rest/api/2/search?jql=project%20%3D%20LTN%20ORDER%20BY%20key%20ASC&startAt=2&maxResults=2');
});

test('a query Jira refuses (400) fails the tracker with Jira\'s own message', async () => {
  const { result, events } = await replay(adapter, { ...ENTRY, existing_bug_urls: [] }, (url) => ({ ...fixture('error-400.json', url.origin), status: 400 }));
  expect(result.exitCode).toBe(1);
  const error = events.find((e) => e.type === 'tracker-error');
  expect(error?.type === 'tracker-error' ? error.message : '').toContain("The value 'NOPE' does not exist for the field 'project'.");
});

// ---------------------------------------------------------------------------------------------
// The real recordings, read (never copied) when ../shared/reference is there.

const REFERENCE = join(import.meta.dir, '../../../shared/reference');
const haveReference = existsSync(join(REFERENCE, 'perceval/jira/jira_issues_page_1.json'));

describe.skipIf(!haveReference)('real Jira recordings (read-only, when present)', () => {
  const served = (path: string): Route => ({ headers: JSON_TYPE, body: readFileSync(join(REFERENCE, path), 'utf8') });

  test('Perceval: two v2 pages (startAt, maxResults 2, total 3) with status categories', async () => {
    const { result, records, requests, origin } = await replay(adapter, { tracker_name: 'FIWARE', bugimporter: 'jira', base_url: '{origin}/', jql: 'project = HELP', bitesized_type: 'priority', bitesized_text: 'Major' }, (url) => {
      if (url.pathname !== '/rest/api/2/search') return undefined;
      const start = url.searchParams.get('startAt');
      return served(start === '0' ? 'perceval/jira/jira_issues_page_1.json' : start === '2' ? 'perceval/jira/jira_issues_page_2.json' : 'perceval/jira/jira_issues_page_empty.json');
    });
    expect(result.exitCode).toBe(0);
    records.forEach(assertValidRecord);
    expect(requests).toHaveLength(2);
    expect(records.map((r) => r.canonical_bug_link)).toEqual(['HELP-6043', 'HELP-6042', 'HELP-6041'].map((k) => `${origin}/browse/${k}`));
    expect(records.map((r) => [r.status, r.looks_closed])).toEqual([
      ['open', false],
      ['closed', true],
      ['open', false],
    ]);
    for (const record of records) expect(record).toMatchObject({ importance: 'Major', good_for_newcomers: true, submitter_username: 'user2', last_touched: expect.stringMatching(/^2016-03-03T\d\d:\d\d:\d\dZ$/) });
  });

  test('oh-bugimporters: a trimmed answer ({"issues": […]} only) under /jira stops after its short page', async () => {
    const { result, records, requests, origin } = await replay(adapter, { tracker_name: 'Monkey', bugimporter: 'jira', base_url: '{origin}/jira', jql: 'project = MKY' }, (url) =>
      url.pathname === '/jira/rest/api/2/search' ? served('oh-bugimporters/jira/issue-list') : undefined,
    );
    expect(result.exitCode).toBe(0);
    records.forEach(assertValidRecord);
    expect(requests).toHaveLength(1);
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({
      canonical_bug_link: `${origin}/jira/browse/MKY-1`,
      title: 'First Test Issue',
      description: 'A description',
      status: 'open',
      looks_closed: false,
      importance: 'Major',
      // Reporter, assignee and the one commenter are all "admin".
      people_involved: 1,
      submitter_username: 'admin',
      submitter_realname: 'Administrator',
      date_reported: '2011-11-21T22:22:59Z',
      last_touched: '2011-11-21T22:23:02Z',
    });
  });

  test('oh-bugimporters: the closed answer — no status category, so "Closed" is closed', async () => {
    const { records } = await replay(adapter, { tracker_name: 'Monkey', bugimporter: 'jira', base_url: '{origin}/jira/', jql: 'status = Closed', documentation_text: 'docs' }, (url) =>
      url.pathname === '/jira/rest/api/2/search' ? served('oh-bugimporters/jira/issue-list-closed') : undefined,
    );
    records.forEach(assertValidRecord);
    expect(records[0]).toMatchObject({ status: 'closed', looks_closed: true, importance: 'Trivial', concerns_just_documentation: true });
  });
});
