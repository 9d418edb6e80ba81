// The Pagure adapter (trackers.md §11): plans for plain, namespaced and forked repos and for
// queries, list pages following pagination.next, records and tag rules, known issues, the
// project-wide 404s, credentials and checks, all on our own fixtures. Every record a handler
// returns is validated against the output schema.

import { describe, expect, test } from 'bun:test';
import { readFileSync } from 'node:fs';
import { parseTrackerText } from '../../src/config/load.ts';
import { FetchError, ParseError } from '../../src/core/errors.ts';
import type { AdapterContext, BugRecord, DeletedBug, FetchedResponse, HandleResult, ParsedBug, RequestSpec } from '../../src/core/types.ts';
import { ADAPTERS } from '../../trackers/index.ts';
import { pagureAdapter, type PagureEntry } from '../../trackers/pagure.ts';
import { assertValidRecord } from '../helpers/schema.ts';

const NOW = new Date('2026-11-02T07:08:09.123Z');
const ORIGIN = 'https://pagure.example.org';
const BASE = `${ORIGIN}/`;
const LIST_URL = `${BASE}api/0/rosette/issues?status=all&per_page=2`;
const ACCEPT_LIST = [401, 403, 404];
const ACCEPT_ISSUE = [401, 403, 404, 410];

function fixture(name: string): string {
  return readFileSync(new URL(`../fixtures/pagure/${name}`, import.meta.url), 'utf8').replaceAll('{origin}', ORIGIN);
}

function entry(extra: Partial<PagureEntry> = {}): PagureEntry {
  return { tracker_name: 'Rosette', bugimporter: 'pagure', base_url: BASE, repo: 'rosette', ...extra };
}

function ctx(e: PagureEntry, options: { extendedScrape?: boolean; since?: Date } = {}): AdapterContext<PagureEntry> {
  return { entry: e, now: NOW, extendedScrape: options.extendedScrape ?? false, ...(options.since ? { since: options.since } : {}) };
}

function response(url: string, body: string, status = 200): FetchedResponse {
  return { url, status, headers: { 'content-type': 'application/json' }, body };
}

function listRequest(url = LIST_URL, meta: RequestSpec['meta'] = { repo: 'rosette' }): RequestSpec {
  return { kind: 'list', url, meta, acceptStatus: ACCEPT_LIST };
}

/** Calls the handler for `req.kind` and validates every record it returns. */
function handle(req: RequestSpec, res: FetchedResponse, context: AdapterContext<PagureEntry>): HandleResult {
  const handler = pagureAdapter.handlers[req.kind];
  if (handler === undefined) throw new Error(`no handler for ${req.kind}`);
  const result = handler(res, req, context);
  for (const bug of [...(result.bugs ?? []), ...(result.updates ?? [])]) assertValidRecord(bug);
  return result;
}

function parsed(bugs: readonly BugRecord[] | undefined): ParsedBug[] {
  return (bugs ?? []).filter((b): b is ParsedBug => !('_deleted' in b));
}

function byId(bugs: readonly BugRecord[] | undefined, id: number, repo = 'rosette'): ParsedBug {
  const bug = parsed(bugs).find((b) => b.canonical_bug_link === `${BASE}${repo}/issue/${id}`);
  if (bug === undefined) throw new Error(`no record for issue ${id}`);
  return bug;
}

function firstPage(e = entry(), options: { extendedScrape?: boolean } = {}): HandleResult {
  return handle(listRequest(), response(LIST_URL, fixture('issues-page1.json')), ctx(e, options));
}

// ---------------------------------------------------------------------------------------------

describe('type, fields and example', () => {
  test('named pagure, incremental', () => {
    expect(pagureAdapter.type).toBe('pagure');
    expect(pagureAdapter.aliases).toEqual([]);
    expect(pagureAdapter.incremental).toBe(true);
  });

  test('every key of §11 is declared', () => {
    const names = pagureAdapter.fields.map((f) => f.name);
    for (const key of ['base_url', 'repo', 'queries', 'existing_bug_urls', 'state', 'bitesized_tag', 'documentation_tag', 'bug_project_name_format', 'closed_status', 'token_env']) {
      expect(names).toContain(key);
    }
    expect(pagureAdapter.fields.find((f) => f.name === 'base_url')?.default).toBe('https://pagure.io/');
    expect(pagureAdapter.fields.find((f) => f.name === 'bug_project_name_format')?.placeholders).toEqual(['product']);
  });

  test('the example entry is a valid tracker file entry, planned deterministically', () => {
    const file = parseTrackerText(JSON.stringify([pagureAdapter.example]), 'example.yaml', [...ADAPTERS, pagureAdapter]);
    const errors = [...file.problems, ...file.entries.flatMap((e) => e.problems)].filter((p) => p.severity === 'error');
    expect(errors).toEqual([]);
    expect(pagureAdapter.check(pagureAdapter.example)).toEqual([]);
    expect(pagureAdapter.plan(ctx(pagureAdapter.example))).toEqual(pagureAdapter.plan(ctx(pagureAdapter.example)));
  });
});

describe('plan', () => {
  test('the generated list, on pagure.io by default', () => {
    expect(pagureAdapter.plan(ctx(entry({ base_url: undefined, repo: 'fedora-infrastructure' })))).toEqual([
      { kind: 'list', url: 'https://pagure.io/api/0/fedora-infrastructure/issues?status=Open&per_page=100&page=1', meta: { repo: 'fedora-infrastructure' }, acceptStatus: ACCEPT_LIST },
    ]);
  });

  test('state becomes status; namespaced and forked repos keep their path', () => {
    const url = (extra: Partial<PagureEntry>): string | undefined => pagureAdapter.plan(ctx(entry(extra)))[0]?.url;
    expect(url({ state: 'all' })).toBe(`${BASE}api/0/rosette/issues?status=all&per_page=100&page=1`);
    expect(url({ state: 'closed', repo: 'rpms/rosette' })).toBe(`${BASE}api/0/rpms/rosette/issues?status=Closed&per_page=100&page=1`);
    expect(url({ repo: 'fork/rpatel/rosette' })).toBe(`${BASE}api/0/fork/rpatel/rosette/issues?status=Open&per_page=100&page=1`);
    expect(url({ base_url: 'https://example.org/pagure', repo: 'rosette' })).toBe('https://example.org/pagure/api/0/rosette/issues?status=Open&per_page=100&page=1');
  });

  test('queries keep their parameters and get status and per_page when missing; duplicates and foreign URLs drop out', () => {
    const requests = pagureAdapter.plan(
      ctx(
        entry({
          state: 'all',
          queries: [`${BASE}api/0/rosette/issues?tags=easyfix`, `${BASE}api/0/rpms/rosette/issues?status=Closed&per_page=20`, `${BASE}api/0/rosette/issues?tags=easyfix`, 'https://pagure.io/api/0/rosette/issues'],
        }),
      ),
    );
    expect(requests.map((r) => [r.url, r.meta])).toEqual([
      [`${BASE}api/0/rosette/issues?tags=easyfix&status=all&per_page=100`, { repo: 'rosette' }],
      [`${BASE}api/0/rpms/rosette/issues?status=Closed&per_page=20`, { repo: 'rpms/rosette' }],
    ]);
  });

  test('incremental runs: status=all, since in epoch seconds, and the full run\'s scope in meta', () => {
    const since = new Date('2026-11-01T10:00:00.750Z');
    expect(pagureAdapter.plan(ctx(entry(), { since }))).toEqual([
      { kind: 'list', url: `${BASE}api/0/rosette/issues?status=all&per_page=100&page=1&since=1793527200`, meta: { repo: 'rosette', scope: 'Open' }, acceptStatus: ACCEPT_LIST },
    ]);
    const own = pagureAdapter.plan(ctx(entry({ queries: [`${BASE}api/0/rosette/issues?since=2026-11-20&status=Fixed`, `${BASE}api/0/rosette/issues?since=1500000000`] }), { since }));
    expect(own.map((r) => [r.url, r.meta])).toEqual([
      [`${BASE}api/0/rosette/issues?since=1795132800&status=all&per_page=100`, { repo: 'rosette', scope: 'Fixed' }],
      [`${BASE}api/0/rosette/issues?since=1793527200&status=all&per_page=100`, { repo: 'rosette', scope: 'Open' }],
    ]);
  });

  test('known issues: one request each, other spellings carried along, others skipped', () => {
    const requests = pagureAdapter.plan(
      ctx(
        entry({
          existing_bug_urls: [`${BASE}rosette/issue/42`, `${BASE}rosette/issue/42/`, `${BASE}fork/rpatel/rosette/issue/3#comment-12`, 'https://pagure.io/rosette/issue/7', `${BASE}rosette/pull-request/5`],
        }),
      ),
    ).filter((r) => r.kind === 'issue');
    expect(requests).toEqual([
      { kind: 'issue', url: `${BASE}api/0/rosette/issue/42`, meta: { repo: 'rosette', knownUrl: `${BASE}rosette/issue/42`, otherKnownUrls: [`${BASE}rosette/issue/42/`] }, acceptStatus: ACCEPT_ISSUE },
      { kind: 'issue', url: `${BASE}api/0/fork/rpatel/rosette/issue/3`, meta: { repo: 'fork/rpatel/rosette', knownUrl: `${BASE}fork/rpatel/rosette/issue/3#comment-12` }, acceptStatus: ACCEPT_ISSUE },
    ]);
  });
});

describe('list pages', () => {
  test('a record: epoch dates, commenters among the people, tags', () => {
    const result = firstPage(entry({ bitesized_tag: 'easyfix', documentation_tag: 'documentation' }));
    expect(result.bugs).toHaveLength(2);
    expect(byId(result.bugs, 42)).toEqual({
      title: 'Changelog entries duplicated on rebuild',
      description: 'Running `rosette build` twice writes the changelog twice.\r\n\r\nExpected: one entry per release.',
      status: 'Open',
      importance: '',
      people_involved: 2,
      date_reported: '2023-11-14T22:13:20Z',
      last_touched: '2023-11-15T12:23:20Z',
      last_polled: '2026-11-02T07:08:09.123Z',
      submitter_username: 'tdavies',
      submitter_realname: 'Tom Davies',
      canonical_bug_link: `${BASE}rosette/issue/42`,
      looks_closed: false,
      good_for_newcomers: true,
      concerns_just_documentation: false,
      as_appears_in_distribution: '',
      _project_name: 'Rosette',
      _tracker_name: 'Rosette',
    });
    const closed = byId(result.bugs, 40);
    expect(closed.looks_closed).toBe(true);
    expect(closed.concerns_just_documentation).toBe(true);
    expect(closed.people_involved).toBe(1);
  });

  test('people: user, assignee and every commenter, each once', () => {
    const last = handle(listRequest(), response(LIST_URL, fixture('issues-page2.json')), ctx(entry()));
    const bug = byId(last.bugs, 37);
    expect(bug.people_involved).toBe(2);
    expect(bug.description).toBe('');
  });

  test('closed_status replaces "status is Closed"; tags match exactly', () => {
    const result = firstPage(entry({ closed_status: 'open', bitesized_tag: 'EasyFix, easy' }));
    expect(byId(result.bugs, 42).looks_closed).toBe(true);
    expect(byId(result.bugs, 40).looks_closed).toBe(false);
    expect(parsed(result.bugs).some((b) => b.good_for_newcomers)).toBe(false);
  });

  test('{product} is the repo path; extended scrape keeps id, tags, priority, close_status, milestone', () => {
    const meta = { repo: 'rpms/rosette' };
    const url = `${BASE}api/0/rpms/rosette/issues?status=Open&per_page=100&page=1`;
    const result = handle(listRequest(url, meta), response(url, fixture('issues-namespace.json')), ctx(entry({ bug_project_name_format: '{product}' }), { extendedScrape: true }));
    const bug = byId(result.bugs, 3, 'rpms/rosette');
    expect(bug._project_name).toBe('rpms/rosette');
    expect(bug.raw_data).toEqual({ id: 3, tags: ['packaging'], priority: null, close_status: null, milestone: null });
    expect(byId(firstPage(entry(), { extendedScrape: true }).bugs, 40).raw_data).toEqual({ id: 40, tags: ['documentation'], priority: null, close_status: 'Fixed', milestone: null });
    expect(byId(firstPage(entry(), { extendedScrape: true }).bugs, 42).raw_data).toMatchObject({ priority: 2, milestone: '1.0' });
  });

  test('paging follows pagination.next until it is null', () => {
    expect(firstPage().requests).toEqual([listRequest(`${BASE}api/0/rosette/issues?status=all&per_page=2&page=2`)]);
    const last = handle(listRequest(), response(LIST_URL, fixture('issues-page2.json')), ctx(entry()));
    expect(last.requests).toEqual([]);
  });

  test('an old server without pagination gives one page; a missing last_updated is a warning', () => {
    const result = handle(listRequest(), response(LIST_URL, fixture('issues-old.json')), ctx(entry()));
    expect(result.requests).toEqual([]);
    const bug = byId(result.bugs, 1);
    expect(bug.date_reported).toBe('2015-05-12T07:13:20Z');
    expect(bug.last_touched).toBeUndefined();
    expect(result.warnings).toEqual([`${BASE}rosette/issue/1: no last_updated; last_touched left out`]);
  });

  test('an empty answer ends the list', () => {
    const result = handle(listRequest(), response(LIST_URL, fixture('issues-empty.json')), ctx(entry()));
    expect(result.bugs).toEqual([]);
    expect(result.requests).toEqual([]);
  });

  test('incremental pages: issues outside the full run\'s scope only update known records', () => {
    const since = new Date('2023-01-01T00:00:00Z');
    const open = handle(listRequest(LIST_URL, { repo: 'rosette', scope: 'Open' }), response(LIST_URL, fixture('issues-page1.json')), ctx(entry(), { since }));
    expect(parsed(open.bugs).map((b) => b.canonical_bug_link)).toEqual([`${BASE}rosette/issue/42`]);
    expect(parsed(open.updates).map((b) => b.canonical_bug_link)).toEqual([`${BASE}rosette/issue/40`]);
    const fixed = handle(listRequest(LIST_URL, { repo: 'rosette', scope: 'fixed' }), response(LIST_URL, fixture('issues-page1.json')), ctx(entry(), { since }));
    expect(parsed(fixed.bugs).map((b) => b.canonical_bug_link)).toEqual([`${BASE}rosette/issue/40`]);
  });

  test('HTML, broken JSON or a bare list is a parse error naming the URL', () => {
    for (const body of [fixture('login.html'), '{"issues": [', '[]']) {
      let error: unknown;
      try {
        handle(listRequest(), response(LIST_URL, body), ctx(entry()));
      } catch (err) {
        error = err;
      }
      expect(error).toBeInstanceOf(ParseError);
      expect((error as ParseError).message).toContain(LIST_URL);
    }
  });

  test('a 404 for the list fails the tracker with Pagure\'s message', () => {
    expect(() => handle(listRequest(), response(LIST_URL, fixture('error-tracker-disabled.json'), 404), ctx(entry()))).toThrow(
      `Pagure answered 404: Issue tracker disabled (ETRACKERDISABLED): ${LIST_URL}`,
    );
    expect(() => handle(listRequest(), response(LIST_URL, fixture('error-no-project.json'), 404), ctx(entry()))).toThrow(FetchError);
    expect(() => handle(listRequest(), response(LIST_URL, 'Not Found', 404), ctx(entry()))).toThrow(`Pagure answered 404: ${LIST_URL}`);
  });
});

describe('known issues', () => {
  const URL42 = `${BASE}api/0/rosette/issue/42`;
  const issueRequest = (meta: RequestSpec['meta'] = { repo: 'rosette', knownUrl: `${BASE}rosette/issue/42` }): RequestSpec => ({ kind: 'issue', url: URL42, meta, acceptStatus: ACCEPT_ISSUE });

  test('refreshed from its own answer', () => {
    const bug = byId(handle(issueRequest(), response(URL42, fixture('issue.json')), ctx(entry())).bugs, 42);
    expect(bug.status).toBe('Closed');
    expect(bug.looks_closed).toBe(true);
    expect(bug.people_involved).toBe(2);
    expect(bug.last_touched).toBe('2023-11-25T08:13:20Z');
  });

  test('404 (issue or project not found) and 410 give _deleted for every spelling', () => {
    const meta = { repo: 'rosette', knownUrl: `${BASE}rosette/issue/42`, otherKnownUrls: [`${BASE}rosette/issue/42/`] };
    for (const [status, body] of [
      [404, fixture('error-no-issue.json')],
      [404, fixture('error-no-project.json')],
      [410, ''],
    ] as const) {
      const result = handle(issueRequest(meta), response(URL42, body, status), ctx(entry()));
      expect(result.bugs).toEqual([
        { canonical_bug_link: `${BASE}rosette/issue/42`, _deleted: true, _tracker_name: 'Rosette', _project_name: 'Rosette', last_polled: '2026-11-02T07:08:09.123Z' },
        { canonical_bug_link: `${BASE}rosette/issue/42/`, _deleted: true, _tracker_name: 'Rosette', _project_name: 'Rosette', last_polled: '2026-11-02T07:08:09.123Z' },
      ]);
    }
  });

  test('a disabled tracker says nothing about the issue: the tracker fails', () => {
    expect(() => handle(issueRequest(), response(URL42, fixture('error-tracker-disabled.json'), 404), ctx(entry()))).toThrow('Issue tracker disabled');
  });

  test('401 and 403 skip the issue with a warning; a login page is a parse error', () => {
    for (const status of [401, 403]) {
      const result = handle(issueRequest(), response(URL42, '{"error": "You are not allowed to view this issue", "error_code": "EISSUENOTALLOWED"}', status), ctx(entry()));
      expect(result.bugs ?? []).toEqual([]);
      expect(result.warnings?.[0]).toContain('may be private');
    }
    expect(() => handle(issueRequest(), response(URL42, fixture('login.html')), ctx(entry()))).toThrow(ParseError);
  });
});

describe('credentials', () => {
  const env = { PAGURE_TOKEN: 'PAGUREAPITOKEN0123456789ABCDEFGHIJKLMNOPQRSTUV' };

  test('the token goes as "Authorization: token …" to base_url only', () => {
    const e = entry({ token_env: 'PAGURE_TOKEN' });
    expect(pagureAdapter.credentials?.(e, LIST_URL, env)).toEqual({ headers: { Authorization: `token ${env.PAGURE_TOKEN}` }, source: 'PAGURE_TOKEN' });
    expect(pagureAdapter.credentials?.(e, 'https://pagure.io/api/0/rosette/issues', env)).toBeUndefined();
    expect(pagureAdapter.credentials?.(entry(), LIST_URL, env)).toBeUndefined();
    expect(pagureAdapter.credentials?.(entry({ token_env: 'UNSET' }), LIST_URL, env)).toBeUndefined();
  });
});

describe('check', () => {
  const problems = (extra: Partial<PagureEntry>): string[] => pagureAdapter.check(entry(extra)).map((p) => `${p.severity} ${p.field ?? ''}: ${p.message}`);

  test('a plain entry is fine; repo or queries is needed', () => {
    expect(problems({ state: 'all', existing_bug_urls: [`${BASE}rosette/issue/1`] })).toEqual([]);
    expect(problems({ repo: undefined })).toEqual(['error repo: give repo (name, namespace/name or fork/<user>/name), or queries']);
    expect(problems({ repo: 'a/b/c' })[0]).toStartWith('error repo');
  });

  test('queries must be API issue lists under base_url; known URLs must be issues', () => {
    const found = problems({
      repo: undefined,
      queries: [`${BASE}rosette/issues`, 'https://pagure.io/api/0/rosette/issues', `${BASE}api/0/rosette/issues?tags=easyfix`],
      existing_bug_urls: [`${BASE}rosette/pull-request/3`],
    });
    expect(found).toEqual([
      expect.stringMatching(/^error queries: .*not an issue list of the API/),
      expect.stringMatching(/^error queries: .*not under base_url/),
      expect.stringMatching(/^warning existing_bug_urls: .*skipped$/),
    ]);
  });

  test('state and empty tag lists', () => {
    expect(problems({ state: 'Opened' })[0]).toStartWith('error state');
    expect(problems({ bitesized_tag: ' , ' })).toEqual(['warning bitesized_tag: bitesized_tag holds no tag, so it never matches']);
  });
});
