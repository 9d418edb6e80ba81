// The Gitea / Forgejo adapter (trackers.md §10): fields and example, plan for repo/query/known
// forms, incremental parameters, the list and issue handlers on our fixtures, the paging rules
// (Link, X-Total-Count, short page), pull requests left out, deletion, credentials and checks.
// Every record is validated against the schema.

import { describe, expect, test } from 'bun:test';
import { readFileSync } from 'node:fs';
import { parseTrackerText } from '../../src/config/load.ts';
import { ParseError } from '../../src/core/errors.ts';
import type { AdapterContext, BugRecord, DeletedBug, FetchedResponse, HandleResult, ParsedBug, RequestSpec, TrackerAdapter } from '../../src/core/types.ts';
import { GITEA_HEADERS, giteaAdapter, type GiteaEntry } from '../../trackers/gitea.ts';
import { ADAPTERS } from '../../trackers/index.ts';
import { assertValidRecord } from '../helpers/schema.ts';

const NOW = new Date('2024-05-06T07:08:09.123Z');
const BASE = 'https://codeberg.org/';
const REPO_API = 'https://codeberg.org/api/v1/repos/bramble/ledger';
const WEB = 'https://codeberg.org/bramble/ledger';
const DEFAULT_LIST = `${REPO_API}/issues?state=open&type=issues&limit=50&page=1`;
const KNOWN = [401, 403, 404, 410];

function fixture(name: string): string {
  return readFileSync(new URL(`../fixtures/gitea/${name}`, import.meta.url), 'utf8');
}

function entry(extra: Partial<GiteaEntry> = {}): GiteaEntry {
  return { tracker_name: 'Ledger', bugimporter: 'gitea', base_url: BASE, repo: 'bramble/ledger', ...extra };
}

function ctx(e: GiteaEntry, options: { extendedScrape?: boolean; since?: Date } = {}): AdapterContext<GiteaEntry> {
  return { entry: e, now: NOW, extendedScrape: options.extendedScrape ?? false, ...(options.since ? { since: options.since } : {}) };
}

function response(url: string, body: string, status = 200, headers: Record<string, string> = {}): FetchedResponse {
  return { url, status, headers: { 'content-type': 'application/json;charset=utf-8', ...headers }, body };
}

function listRequest(url = DEFAULT_LIST, meta?: RequestSpec['meta']): RequestSpec {
  return { kind: 'list', url, headers: GITEA_HEADERS, ...(meta !== undefined ? { meta } : {}) };
}

function handle(req: RequestSpec, res: FetchedResponse, context: AdapterContext<GiteaEntry>): HandleResult {
  const handler = giteaAdapter.handlers[req.kind];
  if (handler === undefined) throw new Error(`no handler for ${req.kind}`);
  const result = handler(res, req, context);
  for (const bug of [...(result.bugs ?? []), ...(result.updates ?? [])]) assertValidRecord(bug);
  return result;
}

function isDeleted(bug: BugRecord): bug is DeletedBug {
  return '_deleted' in bug;
}

function parsed(bugs: readonly BugRecord[] | undefined): ParsedBug[] {
  return (bugs ?? []).filter((b): b is ParsedBug => !isDeleted(b));
}

function page(name: string, e = entry(), options: { extendedScrape?: boolean; headers?: Record<string, string> } = {}): HandleResult {
  return handle(listRequest(), response(DEFAULT_LIST, fixture(name), 200, options.headers), ctx(e, options));
}

const urls = (requests: readonly RequestSpec[] | undefined): string[] => (requests ?? []).map((r) => r.url);

// ---------------------------------------------------------------------------------------------

describe('contract', () => {
  const adapters = [...ADAPTERS.filter((a) => a.type !== 'gitea'), giteaAdapter as unknown as TrackerAdapter];

  test('every field declared once, with help; {product}; forgejo is an alias', () => {
    const names = giteaAdapter.fields.map((f) => f.name);
    expect(new Set(names).size).toBe(names.length);
    for (const name of ['base_url', 'repo', 'queries', 'existing_bug_urls', 'state', 'bitesized_tag', 'documentation_tag', 'bug_project_name_format', 'closed_status', 'token_env']) {
      expect(names).toContain(name);
    }
    for (const field of giteaAdapter.fields) expect(field.help.length).toBeGreaterThan(10);
    expect(giteaAdapter.fields.find((f) => f.name === 'bug_project_name_format')?.placeholders).toEqual(['product']);
    expect(giteaAdapter.fields.find((f) => f.name === 'base_url')?.required).toBe(true);
    expect(giteaAdapter.aliases).toEqual(['forgejo']);
  });

  test('the example entry validates and plans deterministically; forgejo loads the same adapter', () => {
    for (const bugimporter of ['gitea', 'forgejo']) {
      const file = parseTrackerText(JSON.stringify([{ ...giteaAdapter.example, bugimporter }]), 'example.yaml', adapters);
      expect([...file.problems, ...file.entries.flatMap((e) => e.problems)]).toEqual([]);
      expect(file.entries[0]?.adapter?.type).toBe('gitea');
    }
    const first = giteaAdapter.plan(ctx(giteaAdapter.example as GiteaEntry));
    expect(first.length).toBe(2);
    expect(giteaAdapter.plan(ctx(giteaAdapter.example as GiteaEntry))).toEqual(first);
  });

  test('base_url is required by the loader', () => {
    const file = parseTrackerText('- tracker_name: Ledger\n  bugimporter: forgejo\n  repo: bramble/ledger\n', 'trackers.yaml', adapters);
    expect(file.entries[0]?.problems.map((p) => [p.severity, p.field])).toContainEqual(['error', 'base_url']);
  });
});

describe('plan', () => {
  test('repo only: the default list', () => {
    expect(giteaAdapter.plan(ctx(entry()))).toEqual([{ kind: 'list', url: DEFAULT_LIST, headers: { Accept: 'application/json' } }]);
    expect(urls(giteaAdapter.plan(ctx(entry({ state: 'all', base_url: 'https://git.example.org/forge' }))))).toEqual([
      'https://git.example.org/forge/api/v1/repos/bramble/ledger/issues?state=all&type=issues&limit=50&page=1',
    ]);
  });

  test('queries keep their parameters and get state, type=issues and limit=50 when missing; duplicates once', () => {
    const plan = giteaAdapter.plan(
      ctx(
        entry({
          state: 'closed',
          queries: [
            `${REPO_API}/issues?labels=good%20first%20issue`,
            `${REPO_API}/issues?state=all&limit=20&type=issues`,
            `${REPO_API}/issues?labels=good%20first%20issue`,
            `${REPO_API}/issues?labels=good%20first%20issue&state=closed&type=issues&limit=50`,
          ],
        }),
      ),
    );
    expect(urls(plan)).toEqual([
      `${REPO_API}/issues?labels=good%20first%20issue&state=closed&type=issues&limit=50`,
      `${REPO_API}/issues?state=all&limit=20&type=issues`,
    ]);
  });

  test('no base_url or unusable queries: nothing is sent (check() reports them)', () => {
    expect(giteaAdapter.plan(ctx({ tracker_name: 'X', bugimporter: 'gitea', repo: 'a/b' }))).toEqual([]);
    expect(giteaAdapter.plan(ctx(entry({ queries: [`${WEB}/issues`, 'https://gitea.com/api/v1/repos/a/b/issues', `${REPO_API}/pulls`] })))).toEqual([]);
  });

  test('incremental runs: since and state=all, the full-run state kept as scope', () => {
    const since = new Date('2024-05-01T00:00:00.750Z');
    const e = entry({ queries: [`${REPO_API}/issues?labels=Kind%2FBug`, `${REPO_API}/issues?state=closed&since=2030-01-01T00:00:00Z`] });
    expect(giteaAdapter.plan(ctx(e, { since }))).toEqual([
      { kind: 'list', url: `${REPO_API}/issues?labels=Kind%2FBug&state=all&type=issues&limit=50&since=2024-05-01T00:00:00Z`, headers: GITEA_HEADERS, meta: { scope: 'open' } },
      { kind: 'list', url: `${REPO_API}/issues?state=all&since=2030-01-01T00:00:00Z&type=issues&limit=50`, headers: GITEA_HEADERS, meta: { scope: 'closed' } },
    ]);
    expect(urls(giteaAdapter.plan(ctx(entry({ existing_bug_urls: [`${WEB}/issues/57`] }), { since })))).toEqual([
      `${REPO_API}/issues?state=all&type=issues&limit=50&page=1&since=2024-05-01T00:00:00Z`,
      `${REPO_API}/issues/57`,
    ]);
  });

  test('known issues: one request per issue; pull requests and foreign URLs skipped', () => {
    const plan = giteaAdapter.plan(
      ctx(
        entry({
          existing_bug_urls: [
            `${WEB}/issues/57`,
            'https://codeberg.org/Bramble/Ledger/issues/57#issuecomment-1234',
            `${WEB}/pulls/56`,
            `${WEB}/issues/49/`,
            'https://gitea.com/bramble/ledger/issues/3',
            `${WEB}/issues`,
          ],
        }),
      ),
    );
    expect(plan.filter((r) => r.kind === 'issue')).toEqual([
      {
        kind: 'issue',
        url: `${REPO_API}/issues/57`,
        headers: GITEA_HEADERS,
        meta: { knownUrl: `${WEB}/issues/57`, otherKnownUrls: ['https://codeberg.org/Bramble/Ledger/issues/57#issuecomment-1234'] },
        acceptStatus: KNOWN,
      },
      { kind: 'issue', url: `${REPO_API}/issues/49`, headers: GITEA_HEADERS, meta: { knownUrl: `${WEB}/issues/49/` }, acceptStatus: KNOWN },
    ]);
  });
});

describe('list handler', () => {
  test('every field per §10; the pull request item is dropped', () => {
    const result = page('list-page-1.json', entry({ bitesized_tag: 'good first issue', documentation_tag: 'Kind/Documentation' }));
    expect(result.warnings).toEqual([]);
    const bugs = parsed(result.bugs);
    expect(bugs.map((b) => b.canonical_bug_link)).toEqual([`${WEB}/issues/57`, `${WEB}/issues/54`]);
    expect(bugs[0]).toEqual({
      title: 'Balance report rounds negative amounts the wrong way',
      description: '`ledger bal` shows -0.01 as 0.00 when the commodity has two decimals.\n\nExpected: -0.01',
      status: 'open',
      importance: '',
      // ines-b (author and assignee) and jokull, plus 1 for the comments
      people_involved: 3,
      // +02:00 on the server, UTC here
      date_reported: '2024-04-02T19:14:09Z',
      last_touched: '2024-05-06T06:01:33Z',
      last_polled: '2024-05-06T07:08:09.123Z',
      submitter_username: 'ines-b',
      submitter_realname: 'Inès Brandt',
      canonical_bug_link: `${WEB}/issues/57`,
      looks_closed: false,
      good_for_newcomers: true,
      concerns_just_documentation: false,
      as_appears_in_distribution: '',
      _project_name: 'Ledger',
      _tracker_name: 'Ledger',
    });
    // `"assignees": null`, no comments, an empty full_name.
    expect(bugs[1]).toMatchObject({ people_involved: 1, description: '', submitter_realname: 'Pia Marsh', concerns_just_documentation: true, good_for_newcomers: false });
  });

  test('a closed, migrated issue; {product} from repository.full_name', () => {
    const result = page('list-page-2.json', entry({ bug_project_name_format: '{product} ({tracker_name})' }));
    expect(parsed(result.bugs)).toEqual([
      expect.objectContaining({
        status: 'closed',
        looks_closed: true,
        people_involved: 3,
        submitter_username: 'bramble',
        submitter_realname: '',
        date_reported: '2023-11-30T22:59:59Z',
        _project_name: 'bramble/ledger (Ledger)',
        description: 'Migrated from GitHub.\r\n\r\nBanks export very different CSV files.',
      }),
    ]);
  });

  test('{product} from the request URL when the answer has no repository', () => {
    const items = (JSON.parse(fixture('list-page-1.json')) as Record<string, unknown>[]).map(({ repository: _, ...rest }) => rest);
    const result = handle(listRequest(), response(DEFAULT_LIST, JSON.stringify(items)), ctx(entry({ bug_project_name_format: '{product}' })));
    expect(parsed(result.bugs).map((b) => b._project_name)).toEqual(['bramble/ledger', 'bramble/ledger']);
  });

  test('closed_status, empty tags and raw_data', () => {
    expect(parsed(page('list-page-1.json', entry({ closed_status: 'Open' })).bugs).map((b) => b.looks_closed)).toEqual([true, true]);
    expect(parsed(page('list-page-1.json', entry({ documentation_tag: ',' })).bugs).some((b) => b.concerns_just_documentation)).toBe(false);
    expect(parsed(page('list-page-1.json').bugs)[0]?.raw_data).toBeUndefined();
    expect(parsed(page('list-page-1.json', entry(), { extendedScrape: true }).bugs)[0]?.raw_data).toEqual({
      number: 57,
      labels: ['Kind/Bug', 'good first issue'],
      comments: 4,
      milestone: 'v0.9',
    });
  });

  test('incremental lists: issues outside the full-run state only update known records', () => {
    const req = listRequest(`${REPO_API}/issues?state=all&type=issues&limit=50&since=2024-01-01T00:00:00Z`, { scope: 'open' });
    const result = handle(req, response(req.url, fixture('list-page-2.json')), ctx(entry()));
    expect(result.bugs).toEqual([]);
    expect(parsed(result.updates).map((b) => b.canonical_bug_link)).toEqual([`${WEB}/issues/49`]);
  });

  test('items without html_url are skipped with a warning; dates that cannot be read too', () => {
    const result = handle(listRequest(), response(DEFAULT_LIST, JSON.stringify([{ number: 1 }, { html_url: `${WEB}/issues/2`, created_at: '0001-13-01' }])), ctx(entry()));
    expect(parsed(result.bugs).map((b) => [b.canonical_bug_link, b.date_reported])).toEqual([[`${WEB}/issues/2`, undefined]]);
    expect(result.warnings).toEqual([
      `an item without html_url was skipped: ${DEFAULT_LIST}`,
      `${WEB}/issues/2: created_at "0001-13-01" is missing or unreadable; date_reported left out`,
      `${WEB}/issues/2: updated_at missing is missing or unreadable; last_touched left out`,
    ]);
  });
});

describe('paging', () => {
  /** The next requests after a page of `count` generated items answered with `headers`. */
  const next = (count: number, headers: Record<string, string>, url = DEFAULT_LIST, meta?: RequestSpec['meta']): RequestSpec[] => {
    const items = Array.from({ length: count }, (_, i) => ({ html_url: `${WEB}/issues/${i + 1}`, state: 'open', created_at: '2024-01-01T00:00:00Z', updated_at: '2024-01-01T00:00:00Z' }));
    return [...(handle(listRequest(url, meta), response(url, JSON.stringify(items), 200, headers), ctx(entry())).requests ?? [])];
  };

  test('Link rel="next" is followed (as Gitea writes it: no space after the comma)', () => {
    const link = `<${REPO_API}/issues?limit=50&page=2&state=open&type=issues>; rel="next",<${REPO_API}/issues?limit=50&page=3&state=open&type=issues>; rel="last"`;
    expect(next(50, { link, 'x-total-count': '120' })).toEqual([
      { kind: 'list', url: `${REPO_API}/issues?limit=50&page=2&state=open&type=issues`, headers: GITEA_HEADERS, meta: { seen: 50 } },
    ]);
  });

  test('a Link header without rel="next" is the last page', () => {
    const link = `<${REPO_API}/issues?limit=50&page=1&state=open&type=issues>; rel="first",<${REPO_API}/issues?limit=50&page=2&state=open&type=issues>; rel="prev"`;
    expect(next(50, { link, 'x-total-count': '150' })).toEqual([]);
  });

  test('no Link: X-Total-Count against the items seen so far, whatever limit the server applied', () => {
    // The server clamped limit=50 to 20 and sends no Link.
    expect(urls(next(20, { 'x-total-count': '45' }))).toEqual([`${REPO_API}/issues?state=open&type=issues&limit=50&page=2`]);
    const page2 = `${REPO_API}/issues?state=open&type=issues&limit=50&page=2`;
    expect(next(20, { 'x-total-count': '45' }, page2, { seen: 20 })).toEqual([
      { kind: 'list', url: `${REPO_API}/issues?state=open&type=issues&limit=50&page=3`, headers: GITEA_HEADERS, meta: { seen: 40 } },
    ]);
    expect(next(5, { 'x-total-count': '45' }, `${REPO_API}/issues?state=open&type=issues&limit=50&page=3`, { seen: 40 })).toEqual([]);
    expect(next(12, { 'x-total-count': '12' })).toEqual([]);
  });

  test('neither Link nor X-Total-Count: a full page asks for the next, a short one ends', () => {
    expect(urls(next(50, {}))).toEqual([`${REPO_API}/issues?state=open&type=issues&limit=50&page=2`]);
    expect(next(49, {})).toEqual([]);
    // No limit in the URL: Gitea's default page size, 30.
    expect(urls(next(30, {}, `${REPO_API}/issues?state=open`))).toEqual([`${REPO_API}/issues?state=open&page=2`]);
    expect(next(0, {})).toEqual([]);
  });

  test('the scope of an incremental run travels with every page', () => {
    const link = `<${REPO_API}/issues?page=2>; rel="next"`;
    expect(next(50, { link }, DEFAULT_LIST, { scope: 'open' })[0]?.meta).toEqual({ scope: 'open', seen: 50 });
  });

  test('pull requests count as seen items, though they make no record', () => {
    const result = handle(listRequest(), response(DEFAULT_LIST, fixture('list-page-1.json'), 200, { 'x-total-count': '4' }), ctx(entry()));
    expect(result.requests?.[0]?.meta).toEqual({ seen: 3 });
  });
});

describe('malformed answers', () => {
  test('HTML, broken JSON and error objects are ParseErrors naming the URL', () => {
    const run = (body: string): (() => void) => () => handle(listRequest(), response(DEFAULT_LIST, body), ctx(entry()));
    expect(run(fixture('error-page.html'))).toThrow(ParseError);
    expect(run(fixture('error-page.html'))).toThrow(`expected JSON from the Gitea API but got HTML (a login or error page?): ${DEFAULT_LIST}`);
    expect(run('[{')).toThrow(`malformed JSON from ${DEFAULT_LIST}`);
    expect(run(fixture('not-found.json'))).toThrow(`expected a JSON list of issues ("The target couldn't be found."): ${DEFAULT_LIST}`);
  });
});

describe('known issues (issue handler)', () => {
  const knownUrl = `${WEB}/issues/57`;
  const answer = (body: string, status = 200, meta: RequestSpec['meta'] = { knownUrl }): HandleResult =>
    handle({ kind: 'issue', url: `${REPO_API}/issues/57`, meta, acceptStatus: KNOWN }, response(`${REPO_API}/issues/57`, body, status), ctx(entry()));

  test('a fresh record', () => {
    expect(parsed(answer(fixture('issue.json')).bugs)).toEqual([
      expect.objectContaining({ canonical_bug_link: knownUrl, status: 'closed', looks_closed: true, last_touched: '2024-05-10T15:45:00Z' }),
    ]);
  });

  test('404 and 410 give _deleted for every spelling; an HTML 404 is an error instead', () => {
    const meta = { knownUrl, otherKnownUrls: ['https://codeberg.org/Bramble/Ledger/issues/57'] };
    for (const status of [404, 410]) {
      expect(answer(fixture('not-found.json'), status, meta).bugs).toEqual([
        { canonical_bug_link: knownUrl, _deleted: true, _tracker_name: 'Ledger', _project_name: 'Ledger', last_polled: '2024-05-06T07:08:09.123Z' },
        { canonical_bug_link: 'https://codeberg.org/Bramble/Ledger/issues/57', _deleted: true, _tracker_name: 'Ledger', _project_name: 'Ledger', last_polled: '2024-05-06T07:08:09.123Z' },
      ]);
    }
    expect(() => answer(fixture('error-page.html'), 404)).toThrow(`${REPO_API}/issues/57`);
  });

  test('a pull request is skipped with a warning; 401 and 403 too', () => {
    expect(answer(fixture('issue-pull.json'))).toEqual({ warnings: [`${knownUrl}: is a pull request, skipped`] });
    expect(answer('{"message":"token is required"}', 401).warnings).toEqual([`${knownUrl}: the server answered 401; the issue may have become private, skipped`]);
    expect(answer('{}', 403).bugs).toBeUndefined();
  });

  test('an answer without html_url is a ParseError naming the URL', () => {
    expect(() => answer('{"number": 57}')).toThrow(`expected a JSON issue with html_url: ${REPO_API}/issues/57`);
  });
});

describe('credentials', () => {
  const env = { CODEBERG_TOKEN: 'cbtoken123', GITEA_TOKEN: 'never-sent' };

  test('only through token_env, as "Authorization: token …", only to the entry\'s host', () => {
    expect(giteaAdapter.credentials?.(entry(), DEFAULT_LIST, env)).toBeUndefined();
    const e = entry({ token_env: 'CODEBERG_TOKEN' });
    expect(giteaAdapter.credentials?.(e, DEFAULT_LIST, env)).toEqual({ headers: { Authorization: 'token cbtoken123' }, source: 'CODEBERG_TOKEN' });
    expect(giteaAdapter.credentials?.(e, 'https://gitea.com/api/v1/repos/a/b/issues', env)).toBeUndefined();
    expect(giteaAdapter.credentials?.(e, DEFAULT_LIST, {})).toBeUndefined();
  });
});

describe('check', () => {
  const check = (extra: Partial<GiteaEntry>) => giteaAdapter.check({ tracker_name: 'T', bugimporter: 'gitea', base_url: BASE, ...extra });

  test('needs repo or queries; repo is owner/name', () => {
    expect(check({})).toEqual([{ severity: 'error', field: 'repo', message: 'give repo (owner/name), or queries' }]);
    expect(check({ repo: 'bramble/ledger' })).toEqual([]);
    expect(check({ repo: 'ledger' })).toEqual([expect.objectContaining({ severity: 'error', field: 'repo' })]);
    expect(check({ repo: 'https://codeberg.org/bramble/ledger' })[0]?.message).toContain('not the web address');
    expect(check({ queries: [`${REPO_API}/issues`] })).toEqual([]);
  });

  test('base_url must be there', () => {
    expect(giteaAdapter.check({ tracker_name: 'T', bugimporter: 'gitea', repo: 'a/b' })).toEqual([expect.objectContaining({ severity: 'error', field: 'base_url' })]);
  });

  test('queries, known URLs, state and tags', () => {
    const problems = check({
      state: 'opened',
      bitesized_tag: ' ,',
      queries: [`${REPO_API}/issues?type=pulls`, `${WEB}/issues`],
      existing_bug_urls: [`${WEB}/issues/57`, `${WEB}/pulls/56`, 'https://gitea.com/a/b/issues/1'],
    });
    expect(problems.map((p) => [p.severity, p.field, p.index])).toEqual([
      ['error', 'state', undefined],
      ['warning', 'queries', 0],
      ['error', 'queries', 1],
      ['warning', 'existing_bug_urls', 1],
      ['warning', 'existing_bug_urls', 2],
      ['warning', 'bitesized_tag', undefined],
    ]);
  });
});
