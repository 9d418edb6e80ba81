// The Jira adapter (trackers.md §7): plans for jql, query URLs of both interfaces, known keys and
// incremental runs; v2 pages (a server granting fewer than asked) and v3 token pages on our
// fixtures, driven by a tiny in-memory loop (jira-replay.test.ts runs the real engine); records,
// rules, known-key refresh and deletion, the Cloud fallback, credentials and checks.
// Every record a handler returns is validated against schema/parsed-bug.schema.json.

import { describe, expect, test } from 'bun:test';
import { readFileSync } from 'node:fs';
import { FetchError, ParseError } from '../../src/core/errors.ts';
import type { AdapterContext, BugRecord, DeletedBug, FetchedResponse, HandleResult, ParsedBug, RequestSpec } from '../../src/core/types.ts';
import { adfToText } from '../../trackers/jira-adf.ts';
import { JIRA_FIELDS, jiraAdapter, jqlSince, splitOrderBy, type JiraEntry } from '../../trackers/jira.ts';
import { assertValidRecord } from '../helpers/schema.ts';

const NOW = new Date('2024-07-01T09:30:00.250Z');
const BASE = 'https://issues.example.org/jira';
const CLOUD = 'https://lantern.atlassian.net';
const ACCEPT = { Accept: 'application/json' };
const F = JIRA_FIELDS;

function fixture(name: string, base = BASE): string {
  return readFileSync(new URL(`../fixtures/jira/${name}`, import.meta.url), 'utf8').replaceAll('{base}', base);
}

function entry(extra: Partial<JiraEntry> = {}): JiraEntry {
  return { tracker_name: 'Lantern', bugimporter: 'jira', base_url: `${BASE}/`, jql: 'project = LTN ORDER BY key ASC', ...extra };
}

function ctx(e: JiraEntry, options: { extendedScrape?: boolean; since?: Date } = {}): AdapterContext<JiraEntry> {
  return { entry: e, now: NOW, extendedScrape: options.extendedScrape ?? false, ...(options.since ? { since: options.since } : {}) };
}

function response(url: string, body: string, status = 200): FetchedResponse {
  return { url, status, headers: { 'content-type': 'application/json;charset=UTF-8' }, body };
}

function handle(req: RequestSpec, res: FetchedResponse, context: AdapterContext<JiraEntry>): HandleResult {
  const handler = jiraAdapter.handlers[req.kind];
  if (handler === undefined) throw new Error(`no handler for ${req.kind}`);
  const result = handler(res, req, context);
  for (const bug of result.bugs ?? []) assertValidRecord(bug);
  return result;
}

const V2_FIRST = `${BASE}/rest/api/2/search?jql=project%20%3D%20LTN%20ORDER%20BY%20key%20ASC&startAt=0&maxResults=100&fields=${F}`;

/** The v2 fixtures: the server grants 2 issues a page, whatever is asked. */
function serveV2(url: string): FetchedResponse {
  const start = new URL(url).searchParams.get('startAt');
  const name = start === '0' ? 'search-v2-page-1.json' : start === '2' ? 'search-v2-page-2.json' : start === '4' ? 'search-v2-page-3.json' : undefined;
  if (name === undefined) throw new Error(`no fixture for ${url}`);
  return response(url, fixture(name));
}

interface Driven {
  readonly bugs: BugRecord[];
  readonly warnings: string[];
  readonly fetched: string[];
}

/** A stand-in for the engine: every request answered by `serve`, until none is left. */
function drive(context: AdapterContext<JiraEntry>, serve: (url: string) => FetchedResponse): Driven {
  const out: Driven = { bugs: [], warnings: [], fetched: [] };
  const queue = [...jiraAdapter.plan(context)];
  for (let req = queue.shift(); req !== undefined; req = queue.shift()) {
    out.fetched.push(req.url);
    const res = serve(req.url);
    if (res.status >= 300 && !(req.acceptStatus ?? []).includes(res.status)) throw new Error(`HTTP ${res.status} for ${req.url}`);
    const result = handle(req, res, context);
    out.bugs.push(...(result.bugs ?? []));
    out.warnings.push(...(result.warnings ?? []));
    queue.push(...(result.requests ?? []));
  }
  return out;
}

function isDeleted(bug: BugRecord): bug is DeletedBug {
  return '_deleted' in bug;
}

function parsed(records: readonly BugRecord[]): ParsedBug[] {
  return records.filter((b): b is ParsedBug => !isDeleted(b));
}

function byKey(records: readonly BugRecord[], key: string, base = BASE): ParsedBug {
  const bug = parsed(records).find((b) => b.canonical_bug_link === `${base}/browse/${key}`);
  if (bug === undefined) throw new Error(`no record for ${key}`);
  return bug;
}

function params(url: string | undefined): URLSearchParams {
  return new URL(url ?? 'http://invalid/').searchParams;
}

// ---------------------------------------------------------------------------------------------

describe('fields', () => {
  test('every key is declared with help, choices and the {product} placeholder', () => {
    const names = jiraAdapter.fields.map((f) => f.name);
    for (const name of ['base_url', 'queries', 'jql', 'api', 'existing_bug_urls', 'get_older_bug_data', 'bitesized_type', 'bitesized_text', 'documentation_type', 'documentation_text', 'bug_project_name_format', 'closed_status', 'token_env']) {
      expect(names).toContain(name);
    }
    for (const field of jiraAdapter.fields) expect(field.help.length).toBeGreaterThan(10);
    expect(jiraAdapter.fields.find((f) => f.name === 'bug_project_name_format')?.placeholders).toEqual(['product']);
    expect(jiraAdapter.fields.find((f) => f.name === 'api')).toMatchObject({ kind: 'choice', choices: ['v2', 'v3'] });
    expect(jiraAdapter.fields.find((f) => f.name === 'bitesized_type')).toMatchObject({ kind: 'choice', choices: ['label', 'priority'] });
    expect(jiraAdapter.fields.find((f) => f.name === 'documentation_type')).toMatchObject({ kind: 'choice', choices: ['label', 'component'], default: 'label' });
    expect(jiraAdapter.fields.find((f) => f.name === 'base_url')?.required).toBe(true);
    expect(jiraAdapter.aliases).toEqual(['jira.JiraBugImporter']);
  });

  test('the example entry passes its own checks and plans deterministically', () => {
    expect(jiraAdapter.check(jiraAdapter.example as JiraEntry).filter((p) => p.severity === 'error')).toEqual([]);
    const example = ctx(jiraAdapter.example as JiraEntry);
    expect(jiraAdapter.plan(example).length).toBeGreaterThan(0);
    expect(jiraAdapter.plan(example)).toEqual(jiraAdapter.plan(example));
  });
});

describe('plan', () => {
  test('jql on a Server host: the v2 search, percent-encoded, with the fields customs needs', () => {
    expect(jiraAdapter.plan(ctx(entry()))).toEqual([{ kind: 'search', url: V2_FIRST, headers: ACCEPT, acceptStatus: [400] }]);
    const [req] = jiraAdapter.plan(ctx(entry({ jql: 'project = LTN AND updated >= -1d' })));
    expect(req?.url).toContain('jql=project%20%3D%20LTN%20AND%20updated%20%3E%3D%20-1d&');
    expect(params(req?.url).get('fields')).toBe('summary,description,status,priority,labels,components,created,updated,reporter,assignee,comment,project');
  });

  test('jql on *.atlassian.net, or api: v3: the v3 search/jql with maxResults and fields', () => {
    const [cloud] = jiraAdapter.plan(ctx(entry({ base_url: `${CLOUD}/` })));
    expect(cloud?.url).toBe(`${CLOUD}/rest/api/3/search/jql?jql=project%20%3D%20LTN%20ORDER%20BY%20key%20ASC&maxResults=100&fields=${F}`);
    const [forced] = jiraAdapter.plan(ctx(entry({ api: 'v3' })));
    expect(forced?.url).toBe(`${BASE}/rest/api/3/search/jql?jql=project%20%3D%20LTN%20ORDER%20BY%20key%20ASC&maxResults=100&fields=${F}`);
    const [server] = jiraAdapter.plan(ctx(entry({ base_url: `${CLOUD}/`, api: 'v2' })));
    expect(server?.url).toStartWith(`${CLOUD}/rest/api/2/search?`);
    expect(server?.meta).toBeUndefined();
  });

  test('query URLs keep their base path and own values; api converts them', () => {
    const queries = [
      `${BASE}/rest/api/2/search?jql=project=LTN+AND+labels=newbie&maxResults=25`,
      `${BASE}/rest/api/latest/search?jql=project%3DLTN&fields=summary,status`,
      `${BASE}/rest/api/3/search/jql?jql=project%3DLTN`,
    ];
    expect(jiraAdapter.plan(ctx(entry({ queries }))).map((r) => r.url)).toEqual([
      `${BASE}/rest/api/2/search?jql=project%3DLTN%20AND%20labels%3Dnewbie&maxResults=25&startAt=0&fields=${F}`,
      `${BASE}/rest/api/2/search?jql=project%3DLTN&fields=summary,status&startAt=0&maxResults=100`,
      `${BASE}/rest/api/3/search/jql?jql=project%3DLTN&maxResults=100&fields=${F}`,
    ]);
    expect(jiraAdapter.plan(ctx(entry({ api: 'v3', queries: [`${BASE}/rest/api/2/search?jql=project%3DLTN&startAt=0&validateQuery=warn`] }))).map((r) => r.url)).toEqual([
      `${BASE}/rest/api/3/search/jql?jql=project%3DLTN&maxResults=100&fields=${F}`,
    ]);
    expect(jiraAdapter.plan(ctx(entry({ api: 'v2', queries: [`${BASE}/rest/api/3/search/jql?jql=project%3DLTN&nextPageToken=abc`] }))).map((r) => r.url)).toEqual([
      `${BASE}/rest/api/2/search?jql=project%3DLTN&startAt=0&maxResults=100&fields=${F}`,
    ]);
  });

  test('a v2 query on a Cloud host, chosen automatically, may fall back to v3 (404/410 accepted)', () => {
    const [req] = jiraAdapter.plan(ctx(entry({ base_url: `${CLOUD}/`, queries: [`${CLOUD}/rest/api/2/search?jql=project%3DLTN`] })));
    expect(req?.meta).toEqual({ fallback: true });
    expect(req?.acceptStatus).toEqual([400, 404, 410]);
  });

  test('--extended-scrape also asks for the resolution', () => {
    const [req] = jiraAdapter.plan(ctx(entry(), { extendedScrape: true }));
    expect(params(req?.url).get('fields')).toBe(`${F},resolution`);
  });

  test('known URLs: key searches of 50, v2 with validateQuery=warn; other hosts and non-issue URLs skipped', () => {
    const keys = Array.from({ length: 51 }, (_, i) => `${BASE}/browse/LTN-${i + 1}`);
    const plan = jiraAdapter.plan(ctx(entry({ existing_bug_urls: [...keys, `${BASE}/browse/ltn-1/`, 'https://other.example.org/jira/browse/LTN-99', `${BASE}/projects/LTN`] })));
    const batches = plan.filter((r) => r.kind === 'keys');
    expect(batches).toHaveLength(2);
    const first = params(batches[0]?.url);
    expect(first.get('jql')).toBe(`key in (${Array.from({ length: 50 }, (_, i) => `LTN-${i + 1}`).join(', ')})`);
    expect(first.get('maxResults')).toBe('50');
    expect(first.get('validateQuery')).toBe('warn');
    expect((batches[0]?.meta as { keys: Record<string, string[]> }).keys['LTN-1']).toEqual([`${BASE}/browse/LTN-1`, `${BASE}/browse/ltn-1/`]);
    expect(params(batches[1]?.url).get('jql')).toBe('key in (LTN-51)');
    expect(batches[0]?.acceptStatus).toEqual([400]);

    const [v3] = jiraAdapter.plan(ctx(entry({ api: 'v3', jql: undefined, queries: [], existing_bug_urls: [`${BASE}/browse/LTN-1`] })));
    expect(v3?.url).toBe(`${BASE}/rest/api/3/search/jql?jql=key%20in%20(LTN-1)&maxResults=50&fields=${F}`);
  });

  test('get_older_bug_data replaces the key searches', () => {
    const plan = jiraAdapter.plan(ctx(entry({ existing_bug_urls: [`${BASE}/browse/LTN-2`], get_older_bug_data: `${BASE}/rest/api/2/search?jql=project%3DLTN%20AND%20updated%3E%3D-7d` })));
    expect(plan.map((r) => [r.kind, r.url])).toEqual([
      ['search', V2_FIRST],
      ['older', `${BASE}/rest/api/2/search?jql=project%3DLTN%20AND%20updated%3E%3D-7d&startAt=0&maxResults=100&fields=${F}`],
    ]);
  });

  test('incremental: an updated >= clause a day before since, ORDER BY kept last; known keys unchanged', () => {
    const since = new Date('2024-06-20T10:00:59.500Z');
    const plan = jiraAdapter.plan(
      ctx(entry({ existing_bug_urls: [`${BASE}/browse/LTN-2`], queries: [`${BASE}/rest/api/2/search?jql=project%3DLTN%20order%20by%20updated%20DESC`, `${BASE}/rest/api/3/search/jql?jql=labels%3Dnewbie`] }), { since }),
    );
    expect(plan.map((r) => params(r.url).get('jql'))).toEqual([
      '(project=LTN) AND updated >= "2024/06/19 10:00" order by updated DESC',
      '(labels=newbie) AND updated >= "2024/06/19 10:00"',
      'key in (LTN-2)',
    ]);
    expect(plan[0]?.url).toContain('updated%20%3E%3D%20%222024%2F06%2F19%2010%3A00%22');
  });
});

describe('JQL helpers', () => {
  test('splitOrderBy finds a top-level ORDER BY only', () => {
    expect(splitOrderBy('project = X ORDER BY key')).toEqual({ where: 'project = X', orderBy: 'ORDER BY key' });
    expect(splitOrderBy('summary ~ "sort order by date" and project = X')).toEqual({ where: 'summary ~ "sort order by date" and project = X', orderBy: '' });
    expect(splitOrderBy("summary ~ 'it\\'s order by' ORDER  BY created DESC")).toEqual({ where: "summary ~ 'it\\'s order by'", orderBy: 'ORDER  BY created DESC' });
    expect(splitOrderBy('ORDER BY key')).toEqual({ where: '', orderBy: 'ORDER BY key' });
    expect(splitOrderBy('project = BORDER BYTES')).toEqual({ where: 'project = BORDER BYTES', orderBy: '' });
  });

  test('jqlSince wraps the query and handles an empty one', () => {
    const since = new Date('2024-01-01T00:30:00Z');
    expect(jqlSince('a = 1 OR b = 2', since)).toBe('(a = 1 OR b = 2) AND updated >= "2023/12/31 00:30"');
    expect(jqlSince('ORDER BY key', since)).toBe('updated >= "2023/12/31 00:30" ORDER BY key');
    expect(jqlSince('', since)).toBe('updated >= "2023/12/31 00:30"');
  });
});

describe('v2 search', () => {
  test('a server granting 2 where 100 were asked: pages start after the issues received, at the granted size', () => {
    const run = drive(ctx(entry()), serveV2);
    expect(run.fetched).toEqual([
      V2_FIRST,
      `${BASE}/rest/api/2/search?jql=project%20%3D%20LTN%20ORDER%20BY%20key%20ASC&startAt=2&maxResults=2&fields=${F}`,
      `${BASE}/rest/api/2/search?jql=project%20%3D%20LTN%20ORDER%20BY%20key%20ASC&startAt=4&maxResults=2&fields=${F}`,
    ]);
    expect(parsed(run.bugs).map((b) => b.canonical_bug_link)).toEqual([1, 2, 3, 4, 5].map((n) => `${BASE}/browse/LTN-${n}`));
    expect(run.warnings).toEqual([]);
  });

  test('records: status lower-cased, UTC dates, people, rules and names', () => {
    const run = drive(ctx(entry({ bitesized_type: 'label', bitesized_text: 'newbie', documentation_type: 'component', documentation_text: 'Documentation' })), serveV2);
    expect(byKey(run.bugs, 'LTN-1')).toEqual({
      title: 'Tray icon stays grey after reconnect',
      description: 'h3. Steps\n# Disconnect the network\n# Reconnect\n\nThe tray icon stays *grey*.',
      status: 'open',
      importance: 'Major',
      people_involved: 2,
      date_reported: '2023-11-21T22:22:59Z',
      last_touched: '2023-11-22T23:00:00Z',
      last_polled: '2024-07-01T09:30:00.250Z',
      submitter_username: 'asha',
      submitter_realname: 'Asha Verma',
      canonical_bug_link: `${BASE}/browse/LTN-1`,
      looks_closed: false,
      good_for_newcomers: true,
      concerns_just_documentation: false,
      as_appears_in_distribution: '',
      _project_name: 'Lantern',
      _tracker_name: 'Lantern',
    });
    // Resolved in the done category; documentation by component; reporter + assignee.
    expect(byKey(run.bugs, 'LTN-2')).toMatchObject({ status: 'resolved', looks_closed: true, concerns_just_documentation: true, people_involved: 2, good_for_newcomers: false });
    // No status category (old server): "Closed" is closed. A null description is "".
    expect(byKey(run.bugs, 'LTN-3')).toMatchObject({ status: 'closed', looks_closed: true, description: '', date_reported: '2022-05-05T12:05:05Z', people_involved: 2 });
    // No comment field: reporter and assignee, here the same person.
    expect(byKey(run.bugs, 'LTN-4')).toMatchObject({ status: 'in progress', looks_closed: false, people_involved: 1 });
  });

  test('a priority rule compares the pieces; documentation labels by default; closed_status overrides', () => {
    const run = drive(ctx(entry({ bitesized_type: 'priority', bitesized_text: 'Trivial, Minor', documentation_text: 'docs', closed_status: 'Open' })), serveV2);
    expect(parsed(run.bugs).filter((b) => b.good_for_newcomers).map((b) => b.canonical_bug_link.split('/').pop())).toEqual(['LTN-2', 'LTN-3', 'LTN-5']);
    expect(parsed(run.bugs).filter((b) => b.concerns_just_documentation).map((b) => b.canonical_bug_link.split('/').pop())).toEqual(['LTN-3']);
    expect(parsed(run.bugs).filter((b) => b.looks_closed).map((b) => b.canonical_bug_link.split('/').pop())).toEqual(['LTN-1', 'LTN-5']);
    // No bitesized_type: never bite-sized.
    expect(parsed(drive(ctx(entry({ bitesized_text: 'newbie' })), serveV2).bugs).some((b) => b.good_for_newcomers)).toBe(false);
  });

  test('{product} is the project name; --extended-scrape keeps key, labels, components, priority, category, resolution', () => {
    const run = drive(ctx(entry({ bug_project_name_format: '{product} ({tracker_name})', as_appears_in_distribution: 'Debian' }), { extendedScrape: true }), (url) =>
      serveV2(url.replace(`,resolution`, '')),
    );
    expect(byKey(run.bugs, 'LTN-2')).toMatchObject({ _project_name: 'Lantern (Lantern)', as_appears_in_distribution: 'Debian' });
    expect(byKey(run.bugs, 'LTN-2').raw_data).toEqual({ key: 'LTN-2', labels: [], components: ['Documentation'], priority: 'Minor', status_category: 'done', resolution: 'Fixed' });
    expect(byKey(run.bugs, 'LTN-3').raw_data).toMatchObject({ status_category: null, labels: ['docs'] });
  });

  test('an answer trimmed to {"issues": […]} stops at a short page; an empty page stops', () => {
    const trimmed = JSON.stringify({ issues: (JSON.parse(fixture('search-v2-page-3.json')) as { issues: unknown[] }).issues });
    const req: RequestSpec = { kind: 'search', url: V2_FIRST, headers: ACCEPT };
    const result = handle(req, response(req.url, trimmed), ctx(entry()));
    expect(parsed(result.bugs ?? []).map((b) => b.canonical_bug_link)).toEqual([`${BASE}/browse/LTN-5`]);
    expect(result.requests).toEqual([]);
    expect(handle(req, response(req.url, fixture('search-v2-empty.json')), ctx(entry())).requests).toEqual([]);
  });

  test('a 400 is Jira refusing the query, with its own message', () => {
    const req: RequestSpec = { kind: 'search', url: V2_FIRST, headers: ACCEPT, acceptStatus: [400] };
    const run = (): HandleResult => handle(req, response(req.url, fixture('error-400.json'), 400), ctx(entry()));
    expect(run).toThrow(FetchError);
    expect(run).toThrow("Jira refused the search (HTTP 400): The value 'NOPE' does not exist for the field 'project'.");
  });

  test('HTML (a login page) instead of JSON is a ParseError naming the URL', () => {
    const req: RequestSpec = { kind: 'search', url: V2_FIRST, headers: ACCEPT };
    const html = '<!DOCTYPE html><html><head><title>Log in - Jira</title></head><body><form id="login-form"></form></body></html>';
    expect(() => handle(req, response(req.url, html), ctx(entry()))).toThrow(ParseError);
    expect(() => handle(req, response(req.url, html), ctx(entry()))).toThrow(V2_FIRST);
  });
});

describe('v3 search', () => {
  const first = `${CLOUD}/rest/api/3/search/jql?jql=project%20%3D%20LTN%20ORDER%20BY%20key%20ASC&maxResults=100&fields=${F}`;
  const serveV3 = (url: string): FetchedResponse => {
    const token = new URL(url).searchParams.get('nextPageToken');
    return response(url, fixture(token === null ? 'search-v3-page-1.json' : 'search-v3-page-2.json', CLOUD));
  };

  test('nextPageToken is followed until isLast; documents become plain text; accountIds identify people', () => {
    const run = drive(ctx(entry({ base_url: `${CLOUD}/`, bitesized_type: 'label', bitesized_text: 'newbie' })), serveV3);
    expect(run.fetched).toEqual([first, `${first}&nextPageToken=CAEaAggCIgIIAg`]);
    expect(parsed(run.bugs).map((b) => b.canonical_bug_link)).toEqual([101, 102, 103].map((n) => `${CLOUD}/browse/LTN-${n}`));
    expect(byKey(run.bugs, 'LTN-101', CLOUD)).toMatchObject({
      description: 'Steps to reproduce:\nHide the tray\nOpen settings\nExpected: no crash\nActual: segfault',
      submitter_username: '5b10ac8d82e05b22cc7d4ef5',
      submitter_realname: 'Asha Verma',
      people_involved: 2,
      date_reported: '2024-03-31T23:00:00Z',
      good_for_newcomers: true,
      status: 'to do',
    });
    expect(byKey(run.bugs, 'LTN-102', CLOUD)).toMatchObject({ description: '', looks_closed: true, people_involved: 2 });
  });

  test('a 410 from an automatically chosen v2 search on Cloud retries once on v3, with a warning', () => {
    const [req] = jiraAdapter.plan(ctx(entry({ base_url: `${CLOUD}/`, queries: [`${CLOUD}/rest/api/2/search?jql=project%20%3D%20LTN%20ORDER%20BY%20key%20ASC`] })));
    if (req === undefined) throw new Error('no plan');
    const gone = '{"errorMessages":["The requested API has been removed. Please migrate to the /rest/api/3/search/jql API."],"errors":{}}';
    const result = handle(req, response(req.url, gone, 410), ctx(entry({ base_url: `${CLOUD}/` })));
    expect(result.requests).toEqual([{ kind: 'search', url: first, headers: ACCEPT, meta: {}, acceptStatus: [400] }]);
    expect(result.warnings?.[0]).toContain('set "api: v3"');
  });
});

describe('known issues', () => {
  const keysEntry = entry({ jql: undefined, queries: [`${BASE}/rest/api/2/search?jql=project%3DNONE`], existing_bug_urls: [`${BASE}/browse/LTN-2`, `${BASE}/browse/LTN-7`, `${BASE}/browse/LTN-9`] });
  const serveKeys = (url: string): FetchedResponse => {
    if (url.includes('project%3DNONE')) return response(url, fixture('search-v2-empty.json'));
    if (url.includes('/search?jql=key%20in')) return response(url, fixture('search-v2-keys.json'));
    if (url.startsWith(`${BASE}/rest/api/2/issue/LTN-7?`)) return response(url, fixture('issue-moved.json'));
    if (url.startsWith(`${BASE}/rest/api/2/issue/LTN-9?`)) return response(url, fixture('issue-not-found.json'), 404);
    throw new Error(`no fixture for ${url}`);
  };

  test('a key search; keys it leaves out are fetched alone: moved or 404 gives _deleted', () => {
    const run = drive(ctx(keysEntry), serveKeys);
    expect(run.fetched.slice(1)).toEqual([
      `${BASE}/rest/api/2/search?jql=key%20in%20(LTN-2,%20LTN-7,%20LTN-9)&startAt=0&maxResults=50&fields=${F}&validateQuery=warn`,
      `${BASE}/rest/api/2/issue/LTN-7?fields=${F}`,
      `${BASE}/rest/api/2/issue/LTN-9?fields=${F}`,
    ]);
    expect(parsed(run.bugs).map((b) => b.canonical_bug_link)).toEqual([`${BASE}/browse/LTN-2`]);
    expect(run.bugs.filter(isDeleted).map((b) => b.canonical_bug_link)).toEqual([`${BASE}/browse/LTN-7`, `${BASE}/browse/LTN-9`]);
  });

  test('a batch the server refuses (400) is fetched key by key; 401 skips with a warning', () => {
    const [batch] = jiraAdapter.plan(ctx({ ...keysEntry, queries: [], jql: 'x = 1' })).filter((r) => r.kind === 'keys');
    if (batch === undefined) throw new Error('no batch');
    const refused = handle(batch, response(batch.url, fixture('error-400.json'), 400), ctx(keysEntry));
    expect((refused.requests ?? []).map((r) => r.url)).toEqual(['LTN-2', 'LTN-7', 'LTN-9'].map((k) => `${BASE}/rest/api/2/issue/${k}?fields=${F}`));
    const single = refused.requests?.[0];
    if (single === undefined) throw new Error('no single request');
    expect(single.acceptStatus).toEqual([401, 403, 404, 410]);
    const denied = handle(single, response(single.url, '', 401), ctx(keysEntry));
    expect(denied.bugs ?? []).toEqual([]);
    expect(denied.warnings?.[0]).toContain(`${BASE}/browse/LTN-2: Jira answered 401`);
  });

  test('a key search paged by the server remembers what it found', () => {
    const [batch] = jiraAdapter.plan(ctx(keysEntry)).filter((r) => r.kind === 'keys');
    if (batch === undefined) throw new Error('no batch');
    const page1 = JSON.parse(fixture('search-v2-keys.json')) as { maxResults: number; total: number; issues: unknown[] };
    page1.maxResults = 1;
    page1.issues = page1.issues.slice(0, 1);
    const first = handle(batch, response(batch.url, JSON.stringify(page1)), ctx(keysEntry));
    expect(parsed(first.bugs ?? []).map((b) => b.canonical_bug_link)).toEqual([`${BASE}/browse/LTN-2`]);
    const next = first.requests?.[0];
    expect(params(next?.url).get('startAt')).toBe('1');
    expect((next?.meta as { found: string[] }).found).toEqual(['LTN-2']);
    if (next === undefined) throw new Error('no next page');
    const last = handle(next, response(next.url, JSON.stringify({ startAt: 1, maxResults: 1, total: 2, issues: [] })), ctx(keysEntry));
    expect((last.requests ?? []).map((r) => r.url.split('?')[0])).toEqual([`${BASE}/rest/api/2/issue/LTN-7`, `${BASE}/rest/api/2/issue/LTN-9`]);
  });

  test('get_older_bug_data: only known keys get records, absent ones get none', () => {
    const older = `${BASE}/rest/api/2/search?jql=updated%3E%3D-7d`;
    const run = drive(ctx(entry({ existing_bug_urls: [`${BASE}/browse/LTN-2`, `${BASE}/browse/LTN-77`], get_older_bug_data: older, jql: 'project = NONE' })), (url) =>
      url.includes('NONE') ? response(url, fixture('search-v2-empty.json')) : serveV2(url),
    );
    expect(run.bugs.map((b) => b.canonical_bug_link)).toEqual([`${BASE}/browse/LTN-2`]);
    expect(run.fetched).toHaveLength(4);
  });
});

describe('Atlassian documents', () => {
  test('text joined, a newline between blocks, hardBreak as a newline, mentions and links kept', () => {
    const doc = {
      type: 'doc',
      version: 1,
      content: [
        { type: 'heading', attrs: { level: 2 }, content: [{ type: 'text', text: 'Summary' }] },
        { type: 'paragraph', content: [{ type: 'text', text: 'Ping ' }, { type: 'mention', attrs: { id: '5b10', text: '@Asha' } }, { type: 'hardBreak' }, { type: 'inlineCard', attrs: { url: 'https://example.org/x' } }] },
        { type: 'codeBlock', attrs: { language: 'sh' }, content: [{ type: 'text', text: 'lantern --quiet' }] },
        { type: 'orderedList', content: [{ type: 'listItem', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'one' }] }] }] },
        { type: 'rule' },
      ],
    };
    expect(adfToText(doc)).toBe('Summary\nPing @Asha\nhttps://example.org/x\nlantern --quiet\none\n');
    expect(adfToText(null)).toBe('');
    expect(adfToText({ type: 'doc', content: 'nonsense' })).toBe('');
  });
});

describe('credentials', () => {
  const env = { JIRA_PAT: 'NjE2NzA0MjQ2OTI5OrandomPAT', JIRA_CLOUD: 'me@example.org:ATATT3xFfGF0', JIRA_TOKEN: 'should-not-be-read' };

  test('token_env only, only to base_url\'s host: Basic for email:token, Bearer otherwise', () => {
    expect(jiraAdapter.credentials?.(entry({ token_env: 'JIRA_PAT' }), V2_FIRST, env)).toEqual({ headers: { Authorization: 'Bearer NjE2NzA0MjQ2OTI5OrandomPAT' }, source: 'JIRA_PAT' });
    expect(jiraAdapter.credentials?.(entry({ token_env: 'JIRA_CLOUD' }), V2_FIRST, env)).toEqual({
      headers: { Authorization: `Basic ${btoa('me@example.org:ATATT3xFfGF0')}` },
      source: 'JIRA_CLOUD',
    });
    expect(jiraAdapter.credentials?.(entry({ token_env: 'JIRA_PAT' }), 'https://elsewhere.example.org/jira/rest/api/2/search', env)).toBeUndefined();
    expect(jiraAdapter.credentials?.(entry({ token_env: 'UNSET' }), V2_FIRST, env)).toBeUndefined();
    expect(jiraAdapter.credentials?.(entry(), V2_FIRST, env)).toBeUndefined();
  });
});

describe('check', () => {
  const problems = (e: JiraEntry): string[] => jiraAdapter.check(e).map((p) => `${p.severity} ${p.field ?? ''}${p.index !== undefined ? `[${p.index}]` : ''}: ${p.message}`);

  test('jql or queries; search URLs only; v3 needs JQL', () => {
    expect(problems(entry())).toEqual([]);
    expect(problems(entry({ jql: undefined }))).toEqual(['error jql: give jql or queries']);
    expect(problems(entry({ jql: undefined, queries: [`${BASE}/issues/?jql=project%3DLTN`, `${BASE}/rest/api/3/search?jql=x`, `${CLOUD}/rest/api/3/search/jql?maxResults=10`] }))).toEqual([
      `error queries[0]: ${BASE}/issues/?jql=project%3DLTN: not a Jira search URL (…/rest/api/2/search?jql=… or …/rest/api/3/search/jql?jql=…)`,
      `error queries[1]: ${BASE}/rest/api/3/search?jql=x: the old v3 search; Jira Cloud answers /rest/api/3/search/jql`,
      `error queries[2]: ${CLOUD}/rest/api/3/search/jql?maxResults=10: Jira Cloud (v3) refuses a search without JQL; add jql=…`,
    ]);
    expect(problems(entry({ api: 'v3', jql: undefined, queries: [`${BASE}/rest/api/2/search`] }))[0]).toContain('refuses a search without JQL');
    expect(problems(entry({ queries: [`${BASE}/rest/api/2/search?jql=a%3D1`] }))).toEqual(['warning jql: jql is not used when queries are given']);
  });

  test('known URLs, get_older_bug_data and rule warnings', () => {
    expect(problems(entry({ existing_bug_urls: [`${BASE}/browse/LTN-1`, 'https://other.example.org/browse/LTN-1', `${BASE}/browse/nope`] }))).toEqual([
      `warning existing_bug_urls[1]: https://other.example.org/browse/LTN-1: not an issue URL of this Jira (${BASE}/browse/<KEY>), skipped`,
      `warning existing_bug_urls[2]: ${BASE}/browse/nope: not an issue URL of this Jira (${BASE}/browse/<KEY>), skipped`,
    ]);
    expect(problems(entry({ get_older_bug_data: `${BASE}/browse/LTN-1` }))[0]).toContain('error get_older_bug_data');
    expect(problems(entry({ get_older_bug_data: `${BASE}/rest/api/2/search?jql=a%3D1` }))).toEqual(['warning get_older_bug_data: has no effect without existing_bug_urls']);
    expect(problems(entry({ bitesized_text: 'newbie' }))).toEqual(['warning bitesized_text: bitesized_text is not used without bitesized_type (label or priority)']);
  });
});
