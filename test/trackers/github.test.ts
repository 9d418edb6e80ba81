// The GitHub adapter (trackers.md §5): plan for every query form, the list / search / older /
// issue handlers on our fixtures, known-bug refresh and deletion, credentials, and the checks.
// Every record a handler returns is validated against schema/parsed-bug.schema.json.

import { describe, expect, test } from 'bun:test';
import { existsSync, readFileSync } from 'node:fs';
import { ParseError } from '../../src/core/errors.ts';
import type {
  AdapterContext,
  BugRecord,
  DeletedBug,
  FetchedResponse,
  HandleResult,
  ParsedBug,
  RequestSpec,
} from '../../src/core/types.ts';
import { GITHUB_HEADERS, githubAdapter, type GithubEntry } from '../../trackers/github.ts';
import { findAdapter } from '../../trackers/index.ts';
import { assertValidRecord } from '../helpers/schema.ts';

const NOW = new Date('2024-05-06T07:08:09.123Z');
const API = 'https://api.github.com';
const REPO_API = `${API}/repos/lanternfish/tidepool`;
const HEADERS = { Accept: 'application/vnd.github+json', 'X-GitHub-Api-Version': '2022-11-28' };

function fixture(name: string): string {
  return readFileSync(new URL(`../fixtures/github/${name}`, import.meta.url), 'utf8');
}

function entry(extra: Partial<GithubEntry> = {}): GithubEntry {
  return { tracker_name: 'Tidepool', bugimporter: 'github', github_name: 'lanternfish', github_repo: 'tidepool', ...extra };
}

function ctx(e: GithubEntry, options: { extendedScrape?: boolean; since?: Date } = {}): AdapterContext<GithubEntry> {
  return { entry: e, now: NOW, extendedScrape: options.extendedScrape ?? false, ...(options.since ? { since: options.since } : {}) };
}

function response(url: string, body: string, status = 200, headers: Record<string, string> = {}): FetchedResponse {
  return { url, status, headers: { 'content-type': 'application/json; charset=utf-8', ...headers }, body };
}

function listRequest(url = `${REPO_API}/issues?state=open&per_page=100`): RequestSpec {
  return { kind: 'list', url, headers: GITHUB_HEADERS };
}

/** Calls the handler for `req.kind` and validates every record it returns. */
function handle(req: RequestSpec, res: FetchedResponse, context: AdapterContext<GithubEntry>): HandleResult {
  const handler = githubAdapter.handlers[req.kind];
  if (handler === undefined) throw new Error(`no handler for ${req.kind}`);
  const result = handler(res, req, context);
  for (const bug of result.bugs ?? []) assertValidRecord(bug);
  return result;
}

function isDeleted(bug: BugRecord): bug is DeletedBug {
  return '_deleted' in bug;
}

function parsed(result: HandleResult): ParsedBug[] {
  return (result.bugs ?? []).filter((b): b is ParsedBug => !isDeleted(b));
}

function byLink(result: HandleResult, link: string): ParsedBug {
  const bug = parsed(result).find((b) => b.canonical_bug_link === link);
  if (bug === undefined) throw new Error(`no record for ${link}`);
  return bug;
}

function urls(requests: readonly RequestSpec[]): string[] {
  return requests.map((r) => r.url);
}

function modernPage(e: GithubEntry, options: { extendedScrape?: boolean } = {}): HandleResult {
  return handle(listRequest(), response(listRequest().url, fixture('list-modern.json')), ctx(e, options));
}

// ---------------------------------------------------------------------------------------------

describe('registry and fields', () => {
  test('found by type and by the old class name', () => {
    expect(findAdapter('github')?.type).toBe('github');
    expect(findAdapter('github.GitHubBugImporter')?.type).toBe('github');
    expect(githubAdapter.description).not.toContain('\n');
  });

  test('every field has help; bug_project_name_format knows {product}', () => {
    const names = githubAdapter.fields.map((f) => f.name);
    for (const name of [
      'github_name', 'github_repo', 'state', 'bitesized_tag', 'documentation_tag', 'api_url',
      'bug_project_name_format', 'queries', 'existing_bug_urls', 'get_older_bug_data',
    ]) {
      expect(names).toContain(name);
    }
    for (const field of githubAdapter.fields) expect(field.help.length).toBeGreaterThan(10);
    expect(githubAdapter.fields.find((f) => f.name === 'bug_project_name_format')?.placeholders).toEqual(['product']);
    expect(githubAdapter.fields.find((f) => f.name === 'state')).toMatchObject({ kind: 'choice', choices: ['open', 'closed', 'all'] });
    expect(githubAdapter.fields.find((f) => f.name === 'api_url')?.kind).toBe('url');
  });
});

describe('plan', () => {
  test('github_name and github_repo only: the default query', () => {
    expect(githubAdapter.plan(ctx(entry()))).toEqual([
      { kind: 'list', url: `${REPO_API}/issues?state=open&per_page=100`, headers: HEADERS },
    ]);
  });

  test('the entry state is used', () => {
    expect(urls(githubAdapter.plan(ctx(entry({ state: 'all' }))))).toEqual([`${REPO_API}/issues?state=all&per_page=100`]);
    expect(urls(githubAdapter.plan(ctx(entry({ state: 'Closed' }))))).toEqual([`${REPO_API}/issues?state=closed&per_page=100`]);
  });

  test('API URLs keep their parameters and get state and per_page when missing', () => {
    const plan = githubAdapter.plan(
      ctx(
        entry({
          state: 'closed',
          queries: [
            `${REPO_API}/issues?labels=good%20first%20issue&sort=updated`,
            `${REPO_API}/issues?state=all&per_page=30&labels=bug`,
            `${REPO_API}/issues`,
            `${API}/orgs/lanternfish/issues?filter=all`,
          ],
        }),
      ),
    );
    expect(urls(plan)).toEqual([
      `${REPO_API}/issues?labels=good%20first%20issue&sort=updated&state=closed&per_page=100`,
      `${REPO_API}/issues?state=all&per_page=30&labels=bug`,
      `${REPO_API}/issues?state=closed&per_page=100`,
      `${API}/orgs/lanternfish/issues?filter=all&state=closed&per_page=100`,
    ]);
    for (const req of plan) expect(req).toMatchObject({ kind: 'list', headers: HEADERS });
  });

  test('github.com repository and issues pages become API URLs', () => {
    const plan = githubAdapter.plan(
      ctx(
        entry({
          queries: [
            'https://github.com/lanternfish/tidepool',
            'https://github.com/quillwork/inkpot.git',
            'https://github.com/lanternfish/kelp-ui/issues/?labels=easy&state=closed&utf8=%E2%9C%93#top',
          ],
        }),
      ),
    );
    expect(urls(plan)).toEqual([
      `${REPO_API}/issues?state=open&per_page=100`,
      `${API}/repos/quillwork/inkpot/issues?state=open&per_page=100`,
      `${API}/repos/lanternfish/kelp-ui/issues?labels=easy&state=closed&per_page=100`,
    ]);
  });

  test('search URLs get per_page but no state, and keep their query text as written', () => {
    const search = `${API}/search/issues?q=repo:lanternfish/tidepool+label:"good first issue"+is:issue`;
    expect(urls(githubAdapter.plan(ctx(entry({ queries: [search] }))))).toEqual([`${search}&per_page=100`]);
    const paged = `${API}/search/issues?q=user:lanternfish&per_page=50`;
    expect(urls(githubAdapter.plan(ctx(entry({ queries: [paged] }))))).toEqual([paged]);
  });

  test('identical query URLs are fetched once', () => {
    const plan = githubAdapter.plan(
      ctx(
        entry({
          queries: [
            `${REPO_API}/issues?labels=easy`,
            `${REPO_API}/issues?labels=easy`,
            'https://github.com/lanternfish/tidepool/issues?labels=easy',
            `${REPO_API}/issues?labels=easy&state=open&per_page=100`,
          ],
        }),
      ),
    );
    expect(urls(plan)).toEqual([`${REPO_API}/issues?labels=easy&state=open&per_page=100`]);
  });

  test('a single query given as a string', () => {
    expect(urls(githubAdapter.plan(ctx(entry({ queries: `${REPO_API}/issues?labels=docs` }))))).toEqual([
      `${REPO_API}/issues?labels=docs&state=open&per_page=100`,
    ]);
  });

  test('unusable queries are left to check() and send nothing', () => {
    expect(githubAdapter.plan(ctx(entry({ queries: ['https://gitlab.com/a/b/-/issues', `${REPO_API}/pulls`] })))).toEqual([]);
  });

  test('GitHub Enterprise api_url', () => {
    const ghe = entry({
      api_url: 'https://ghe.example.com/api/v3/',
      existing_bug_urls: ['https://ghe.example.com/infra/pager/issues/7', 'https://github.com/lanternfish/tidepool/issues/1'],
    });
    expect(githubAdapter.plan(ctx(ghe))).toEqual([
      { kind: 'list', url: 'https://ghe.example.com/api/v3/repos/lanternfish/tidepool/issues?state=open&per_page=100', headers: HEADERS },
      {
        kind: 'issue',
        url: 'https://ghe.example.com/api/v3/repos/infra/pager/issues/7',
        headers: HEADERS,
        meta: { knownUrl: 'https://ghe.example.com/infra/pager/issues/7' },
        acceptStatus: [401, 403, 404, 410],
      },
    ]);
    const queries = entry({
      api_url: 'https://ghe.example.com/api/v3',
      queries: [
        'https://ghe.example.com/infra/pager/issues?labels=oncall',
        'https://ghe.example.com/api/v3/repos/infra/pager/issues?state=all',
      ],
    });
    expect(urls(githubAdapter.plan(ctx(queries)))).toEqual([
      'https://ghe.example.com/api/v3/repos/infra/pager/issues?labels=oncall&state=open&per_page=100',
      'https://ghe.example.com/api/v3/repos/infra/pager/issues?state=all&per_page=100',
    ]);
  });

  test('incremental runs: since and state=all on list requests', () => {
    const since = new Date('2024-05-01T00:00:00.750Z');
    const e = entry({
      queries: [
        `${REPO_API}/issues?labels=easy`,
        `${REPO_API}/issues?state=closed&since=2011-01-01T00:00:00Z`,
        `${REPO_API}/issues?since=2030-01-01T00:00:00Z`,
        `${API}/search/issues?q=user:lanternfish`,
      ],
      existing_bug_urls: ['https://github.com/lanternfish/tidepool/issues/41'],
    });
    expect(urls(githubAdapter.plan(ctx(e, { since })))).toEqual([
      `${REPO_API}/issues?labels=easy&state=all&per_page=100&since=2024-05-01T00:00:00Z`,
      `${REPO_API}/issues?state=all&since=2024-05-01T00:00:00Z&per_page=100`,
      `${REPO_API}/issues?since=2030-01-01T00:00:00Z&state=all&per_page=100`,
      `${API}/search/issues?q=user:lanternfish&per_page=100`,
      `${REPO_API}/issues/41`,
    ]);
    expect(urls(githubAdapter.plan(ctx(entry(), { since })))).toEqual([
      `${REPO_API}/issues?state=all&per_page=100&since=2024-05-01T00:00:00Z`,
    ]);
  });

  test('known issues: one request each, pull requests and foreign URLs skipped', () => {
    const plan = githubAdapter.plan(
      ctx(
        entry({
          existing_bug_urls: [
            'https://github.com/lanternfish/tidepool/issues/41',
            'https://github.com/lanternfish/tidepool/pull/57',
            'https://gitlab.com/lanternfish/tidepool/-/issues/3',
            'http://www.github.com/LanternFish/Tidepool/issues/41/',
            'https://github.com/lanternfish/tidepool/issues/12#issuecomment-1',
            'https://github.com/lanternfish/tidepool',
          ],
        }),
      ),
    );
    expect(plan.filter((r) => r.kind === 'issue')).toEqual([
      {
        kind: 'issue',
        url: `${REPO_API}/issues/41`,
        headers: HEADERS,
        meta: {
          knownUrl: 'https://github.com/lanternfish/tidepool/issues/41',
          otherKnownUrls: ['http://www.github.com/LanternFish/Tidepool/issues/41/'],
        },
        acceptStatus: [401, 403, 404, 410],
      },
      {
        kind: 'issue',
        url: `${REPO_API}/issues/12`,
        headers: HEADERS,
        meta: { knownUrl: 'https://github.com/lanternfish/tidepool/issues/12#issuecomment-1' },
        acceptStatus: [401, 403, 404, 410],
      },
    ]);
  });

  test('get_older_bug_data replaces the one-by-one refresh', () => {
    const e = entry({
      existing_bug_urls: ['https://github.com/lanternfish/tidepool/issues/58', 'https://github.com/lanternfish/tidepool/issues/54'],
      get_older_bug_data: `${REPO_API}/issues?since=2024-01-01T00:00:00Z`,
    });
    expect(githubAdapter.plan(ctx(e))).toEqual([
      { kind: 'list', url: `${REPO_API}/issues?state=open&per_page=100`, headers: HEADERS },
      { kind: 'older', url: `${REPO_API}/issues?since=2024-01-01T00:00:00Z&state=all&per_page=100`, headers: HEADERS },
    ]);
    const ownState = { ...e, get_older_bug_data: `${REPO_API}/issues?state=closed&per_page=50` };
    expect(urls(githubAdapter.plan(ctx(ownState)))[1]).toBe(`${REPO_API}/issues?state=closed&per_page=50`);
  });

  test('get_older_bug_data without known issues asks nothing more', () => {
    const e = entry({ get_older_bug_data: `${REPO_API}/issues?since=2024-01-01T00:00:00Z` });
    expect(githubAdapter.plan(ctx(e)).map((r) => r.kind)).toEqual(['list']);
  });

  test('the plan is deterministic', () => {
    const e = entry({ queries: ['https://github.com/lanternfish/tidepool'], existing_bug_urls: ['https://github.com/lanternfish/tidepool/issues/5'] });
    expect(githubAdapter.plan(ctx(e))).toEqual(githubAdapter.plan(ctx(e)));
  });
});

describe('check', () => {
  const check = (extra: Partial<GithubEntry>) => githubAdapter.check({ tracker_name: 'T', bugimporter: 'github', ...extra });

  test('needs queries or both github_name and github_repo', () => {
    expect(check({})).toEqual([expect.objectContaining({ severity: 'error', field: 'github_name' })]);
    expect(check({ github_name: 'lanternfish' })).toEqual([expect.objectContaining({ severity: 'error', field: 'github_repo' })]);
    expect(check({ github_name: 'lanternfish', github_repo: 'tidepool' })).toEqual([]);
    expect(check({ queries: [`${REPO_API}/issues`] })).toEqual([]);
  });

  test('names must look like GitHub names', () => {
    expect(check({ github_name: 'lanternfish/tidepool', github_repo: 'tidepool' })).toEqual([
      expect.objectContaining({ severity: 'error', field: 'github_name' }),
    ]);
  });

  test('known URLs that are not GitHub issues are warned about, pull requests too', () => {
    const problems = check({
      github_name: 'lanternfish',
      github_repo: 'tidepool',
      existing_bug_urls: [
        'https://github.com/lanternfish/tidepool/issues/41',
        'https://github.com/lanternfish/tidepool/pull/57',
        'https://bugs.example.org/show_bug.cgi?id=3',
        'https://github.com/lanternfish/tidepool/issues/new',
      ],
    });
    expect(problems).toEqual([
      { severity: 'warning', field: 'existing_bug_urls', index: 1, message: 'https://github.com/lanternfish/tidepool/pull/57: pull request, skipped' },
      expect.objectContaining({ severity: 'warning', field: 'existing_bug_urls', index: 2 }),
      expect.objectContaining({ severity: 'warning', field: 'existing_bug_urls', index: 3 }),
    ]);
    expect(problems[1]?.message).toContain('not a GitHub issue URL');
  });

  test('state, api_url, queries, get_older_bug_data and tags', () => {
    const base = { github_name: 'lanternfish', github_repo: 'tidepool' };
    expect(check({ ...base, state: 'opened' })).toEqual([expect.objectContaining({ severity: 'error', field: 'state' })]);
    expect(check({ ...base, state: 'ALL' })).toEqual([]);
    expect(check({ ...base, api_url: 'ftp://ghe.example.com/api/v3' })).toEqual([
      expect.objectContaining({ severity: 'error', field: 'api_url' }),
    ]);
    expect(check({ ...base, api_url: 'https://ghe.example.com/api/v3' })).toEqual([]);
    expect(check({ queries: ['https://gitlab.com/a/b/-/issues', `${REPO_API}/issues`] })).toEqual([
      expect.objectContaining({ severity: 'error', field: 'queries', index: 0 }),
    ]);
    expect(check({ queries: ['https://github.com/lanternfish/tidepool/issues?q=is%3Aopen+label%3Abug'] })).toEqual([
      expect.objectContaining({ severity: 'warning', field: 'queries', index: 0 }),
    ]);
    expect(check({ ...base, get_older_bug_data: `${API}/search/issues?q=x`, existing_bug_urls: ['https://github.com/a/b/issues/1'] })).toEqual([
      expect.objectContaining({ severity: 'error', field: 'get_older_bug_data' }),
    ]);
    expect(check({ ...base, get_older_bug_data: `${REPO_API}/issues?since=2024-01-01T00:00:00Z` })).toEqual([
      expect.objectContaining({ severity: 'warning', field: 'get_older_bug_data' }),
    ]);
    expect(check({ ...base, bitesized_tag: ' , ', documentation_tag: '' })).toEqual([
      expect.objectContaining({ severity: 'warning', field: 'bitesized_tag' }),
    ]);
  });

  test('an Enterprise entry reads its own web host only', () => {
    const problems = check({
      github_name: 'infra',
      github_repo: 'pager',
      api_url: 'https://ghe.example.com/api/v3',
      queries: ['https://github.com/lanternfish/tidepool'],
      existing_bug_urls: ['https://ghe.example.com/infra/pager/issues/7', 'https://github.com/infra/pager/issues/7'],
    });
    expect(problems).toEqual([
      expect.objectContaining({ severity: 'error', field: 'queries', index: 0 }),
      expect.objectContaining({ severity: 'warning', field: 'existing_bug_urls', index: 1 }),
    ]);
  });
});

describe('list handler', () => {
  test('a modern page: pull requests excluded, every field per §5', () => {
    const result = modernPage(entry({ bitesized_tag: ' good first issue , easy ', documentation_tag: 'docs' }));
    expect(parsed(result).map((b) => b.canonical_bug_link)).toEqual([
      'https://github.com/lanternfish/tidepool/issues/58',
      'https://github.com/lanternfish/tidepool/issues/55',
      'https://github.com/lanternfish/tidepool/issues/54',
    ]);
    expect(result.requests).toEqual([]);
    expect(result.warnings).toEqual([]);
    expect(byLink(result, 'https://github.com/lanternfish/tidepool/issues/58')).toEqual({
      title: 'Tide table export drops the last row',
      description: '',
      status: 'open',
      importance: '',
      // pbrandt (reporter), marisol-dev and okonkwo (assignees), + 1 for the comments
      people_involved: 4,
      date_reported: '2024-02-11T09:15:02Z',
      last_touched: '2024-03-01T17:40:55Z',
      last_polled: '2024-05-06T07:08:09.123Z',
      submitter_username: 'pbrandt',
      submitter_realname: '',
      canonical_bug_link: 'https://github.com/lanternfish/tidepool/issues/58',
      looks_closed: false,
      good_for_newcomers: true,
      concerns_just_documentation: true,
      as_appears_in_distribution: '',
      _project_name: 'Tidepool',
      _tracker_name: 'Tidepool',
    });
    const closed = byLink(result, 'https://github.com/lanternfish/tidepool/issues/55');
    expect(closed).toMatchObject({ status: 'closed', looks_closed: true, people_involved: 1, good_for_newcomers: false });
    expect(closed.description).toContain('<b>not html-escaped</b> & kept as is');
    // "Easy" is not "easy": exact and case-sensitive.
    const readme = byLink(result, 'https://github.com/lanternfish/tidepool/issues/54');
    expect(readme).toMatchObject({ good_for_newcomers: false, concerns_just_documentation: true, people_involved: 2 });
  });

  test('a 2012 page: all-null pull_request objects are issues, `assignee` only', () => {
    const url = `${API}/repos/quillwork/inkpot/issues?state=all&per_page=100`;
    const result = handle(listRequest(url), response(url, fixture('list-2012.json')), ctx(entry({ bitesized_tag: 'bitesize' })));
    expect(parsed(result).map((b) => b.canonical_bug_link)).toEqual([
      'https://github.com/quillwork/inkpot/issues/17',
      'https://github.com/quillwork/inkpot/issues/16',
    ]);
    expect(byLink(result, 'https://github.com/quillwork/inkpot/issues/17')).toMatchObject({
      people_involved: 3,
      good_for_newcomers: true,
      submitter_username: 'halvorsen',
      date_reported: '2012-03-12T19:24:42Z',
    });
    expect(byLink(result, 'https://github.com/quillwork/inkpot/issues/16')).toMatchObject({
      people_involved: 1,
      looks_closed: true,
      description: '',
    });
  });

  test('an empty page gives nothing', () => {
    expect(handle(listRequest(), response(listRequest().url, fixture('list-empty.json')), ctx(entry()))).toEqual({
      bugs: [],
      updates: [],
      requests: [],
      warnings: [],
    });
  });

  test('empty tags never match', () => {
    for (const tags of [{}, { bitesized_tag: '', documentation_tag: '' }, { bitesized_tag: ' , ', documentation_tag: ',' }]) {
      for (const bug of parsed(modernPage(entry(tags)))) {
        expect(bug.good_for_newcomers).toBe(false);
        expect(bug.concerns_just_documentation).toBe(false);
      }
    }
  });

  test('closed_status overrides the closed rule, case-insensitively', () => {
    const result = modernPage(entry({ closed_status: 'OPEN' }));
    expect(byLink(result, 'https://github.com/lanternfish/tidepool/issues/58').looks_closed).toBe(true);
    expect(byLink(result, 'https://github.com/lanternfish/tidepool/issues/55').looks_closed).toBe(false);
  });

  test('raw_data only with --extended-scrape', () => {
    for (const bug of parsed(modernPage(entry()))) expect(bug.raw_data).toBeUndefined();
    const result = modernPage(entry(), { extendedScrape: true });
    expect(byLink(result, 'https://github.com/lanternfish/tidepool/issues/58').raw_data).toEqual({
      number: 58,
      labels: ['good first issue', 'docs'],
      comments: 3,
      assignees: ['marisol-dev', 'okonkwo'],
      closed_at: null,
      milestone: 'v0.4',
    });
    expect(byLink(result, 'https://github.com/lanternfish/tidepool/issues/55').raw_data).toEqual({
      number: 55,
      labels: ['bug'],
      comments: 0,
      assignees: [],
      closed_at: '2023-12-02T06:30:00Z',
      milestone: null,
    });
  });

  test('project name format with {product}, and as_appears_in_distribution', () => {
    const result = modernPage(entry({ bug_project_name_format: '{tracker_name} – {product} {{x}}', as_appears_in_distribution: 'Debian' }));
    for (const bug of parsed(result)) {
      expect(bug._project_name).toBe('Tidepool – lanternfish/tidepool {x}');
      expect(bug.as_appears_in_distribution).toBe('Debian');
    }
  });

  test('follows the Link header rel="next", resolving it against the answered URL', () => {
    const req = listRequest();
    const next = 'https://api.github.com/repositories/7700001/issues?state=open&per_page=100&page=2';
    const link = `<${next}>; rel="next", <https://api.github.com/repositories/7700001/issues?state=open&per_page=100&page=3>; rel="last"`;
    const result = handle(req, response(req.url, fixture('list-modern.json'), 200, { link }), ctx(entry()));
    expect(result.requests).toEqual([{ kind: 'list', url: next, headers: HEADERS }]);
    const relative = handle(req, response(req.url, '[]', 200, { link: '</repositories/7700001/issues?page=2>; rel="next"' }), ctx(entry()));
    expect(urls(relative.requests ?? [])).toEqual(['https://api.github.com/repositories/7700001/issues?page=2']);
    const last = handle(req, response(req.url, '[]', 200, { link: `<${next}>; rel="prev"` }), ctx(entry()));
    expect(last.requests).toEqual([]);
  });

  test('a search answer reads `items`, one {product} per repository', () => {
    const url = `${API}/search/issues?q=user:lanternfish+label:"good first issue"&per_page=100`;
    const result = handle(listRequest(url), response(url, fixture('search.json')), ctx(entry({ bug_project_name_format: '{product}' })));
    expect(parsed(result).map((b) => [b.canonical_bug_link, b._project_name, b.date_reported])).toEqual([
      ['https://github.com/lanternfish/tidepool/issues/58', 'lanternfish/tidepool', '2024-02-11T09:15:02Z'],
      ['https://github.com/lanternfish/kelp-ui/issues/9', 'lanternfish/kelp-ui', '2024-01-30T16:20:00Z'],
    ]);
    expect(result.warnings).toEqual([]);
  });

  test('search answers over the cap or incomplete are warned about', () => {
    const url = `${API}/search/issues?q=is:issue&per_page=100`;
    const body = JSON.stringify({ total_count: 48213, incomplete_results: true, items: [] });
    const result = handle(listRequest(url), response(url, body), ctx(entry()));
    expect(result.warnings).toHaveLength(2);
    expect(result.warnings?.join('\n')).toContain('48213');
    expect(result.warnings?.join('\n')).toContain('incomplete');
    const page2 = handle(listRequest(`${url}&page=2`), response(`${url}&page=2`, JSON.stringify({ total_count: 48213, incomplete_results: false, items: [] })), ctx(entry()));
    expect(page2.warnings).toEqual([]);
  });

  test('labels given as plain names', () => {
    const items: unknown[] = JSON.parse(fixture('list-modern.json'));
    const first = items[0] as Record<string, unknown>;
    const body = JSON.stringify([{ ...first, labels: ['docs', 'good first issue'] }]);
    const [bug] = parsed(handle(listRequest(), response(listRequest().url, body), ctx(entry({ bitesized_tag: 'good first issue', documentation_tag: 'docs' }))));
    expect(bug).toMatchObject({ good_for_newcomers: true, concerns_just_documentation: true });
  });

  test('unreadable or missing dates are left out, with a warning naming the bug', () => {
    const items: unknown[] = JSON.parse(fixture('list-modern.json'));
    const first = items[0] as Record<string, unknown>;
    const { updated_at: _dropped, ...withoutUpdated } = first;
    const body = JSON.stringify([{ ...withoutUpdated, created_at: 'sometime in 2024' }]);
    const result = handle(listRequest(), response(listRequest().url, body), ctx(entry()));
    const [bug] = parsed(result);
    expect(bug).toBeDefined();
    expect(bug?.date_reported).toBeUndefined();
    expect(bug?.last_touched).toBeUndefined();
    expect('date_reported' in (bug ?? {})).toBe(false);
    expect(result.warnings).toHaveLength(2);
    for (const warning of result.warnings ?? []) expect(warning).toContain('https://github.com/lanternfish/tidepool/issues/58');
  });

  test('an item without html_url is skipped with a warning', () => {
    const result = handle(listRequest(), response(listRequest().url, '[{"number": 1, "title": "x"}]'), ctx(entry()));
    expect(result.bugs).toEqual([]);
    expect(result.warnings).toHaveLength(1);
  });

  test('HTML, broken JSON and error objects are ParseErrors naming the URL', () => {
    const url = listRequest().url;
    const cases = [
      '<!DOCTYPE html>\n<html><head><title>Sign in to GitHub</title></head><body><form action="/session"></form></body></html>',
      '[{"number": 1,',
      '',
      '{"message": "Bad credentials", "documentation_url": "https://docs.github.com/rest"}',
    ];
    for (const body of cases) {
      let caught: unknown;
      try {
        handle(listRequest(), response(url, body), ctx(entry()));
      } catch (err) {
        caught = err;
      }
      expect(caught).toBeInstanceOf(ParseError);
      expect((caught as ParseError).message).toContain(url);
      expect((caught as ParseError).url).toBe(url);
    }
  });
});

describe('known issues (issue handler)', () => {
  const known = 'https://github.com/lanternfish/tidepool/issues/41';
  const issueReq = (knownUrl = known, otherKnownUrls?: string[]): RequestSpec => ({
    kind: 'issue',
    url: `${REPO_API}/issues/41`,
    headers: GITHUB_HEADERS,
    meta: otherKnownUrls ? { knownUrl, otherKnownUrls } : { knownUrl },
    acceptStatus: [401, 403, 404, 410],
  });

  test('the request planned for a known URL reads a fresh record', () => {
    const [req] = githubAdapter.plan(ctx(entry({ queries: [`${REPO_API}/issues?labels=none`], existing_bug_urls: [known] }))).filter((r) => r.kind === 'issue');
    expect(req).toBeDefined();
    if (req === undefined) return;
    const result = handle(req, response(req.url, fixture('issue.json')), ctx(entry({ bitesized_tag: 'good first issue' })));
    expect(parsed(result)).toEqual([
      expect.objectContaining({
        canonical_bug_link: known,
        status: 'closed',
        looks_closed: true,
        good_for_newcomers: true,
        people_involved: 3,
        description: '"Lübeck-Travemünde" shows as "L".',
        date_reported: '2023-08-03T12:45:00Z',
        last_touched: '2023-09-14T18:02:27Z',
      }),
    ]);
  });

  test('404 and 410 give _deleted with the known URL exactly as listed', () => {
    const odd = 'http://www.github.com/LanternFish/Tidepool/issues/41/';
    for (const status of [404, 410]) {
      const body = '{"message": "Not Found", "documentation_url": "https://docs.github.com/rest/issues/issues#get-an-issue"}';
      const result = handle(issueReq(odd), response(issueReq().url, body, status), ctx(entry()));
      expect(result.bugs).toEqual([
        { canonical_bug_link: odd, _deleted: true, _tracker_name: 'Tidepool', _project_name: 'Tidepool', last_polled: '2024-05-06T07:08:09.123Z' },
      ]);
    }
  });

  test('_deleted project name: per-bug placeholders give tracker_name, the rest is formatted', () => {
    const gone = (format: string) =>
      (handle(issueReq(), response(issueReq().url, '', 404), ctx(entry({ bug_project_name_format: format }))).bugs ?? [])[0];
    expect(gone('{product}')).toMatchObject({ _project_name: 'Tidepool' });
    expect(gone('{tracker_name} (GitHub)')).toMatchObject({ _project_name: 'Tidepool (GitHub)' });
  });

  test('every spelling of a gone issue is deleted', () => {
    const other = 'https://github.com/LanternFish/tidepool/issues/41';
    const result = handle(issueReq(known, [other]), response(issueReq().url, '', 404), ctx(entry()));
    expect((result.bugs ?? []).map((b) => b.canonical_bug_link)).toEqual([known, other]);
  });

  test('401 and 403 skip the issue with a warning, no record', () => {
    for (const status of [401, 403]) {
      const result = handle(issueReq(), response(issueReq().url, '{"message": "Must have admin rights to Repository."}', status), ctx(entry()));
      expect(result.bugs ?? []).toEqual([]);
      expect(result.warnings).toHaveLength(1);
      expect(result.warnings?.[0]).toContain(known);
      expect(result.warnings?.[0]).toContain(String(status));
    }
  });

  test('an issue answered from another repository was transferred: _deleted', () => {
    const moved = 'https://github.com/lanternfish/tidepool/issues/12';
    const result = handle(
      { ...issueReq(moved), url: `${REPO_API}/issues/12` },
      response('https://api.github.com/repositories/9900003/issues/3', fixture('issue-transferred.json')),
      ctx(entry()),
    );
    expect(result.bugs).toEqual([
      { canonical_bug_link: moved, _deleted: true, _tracker_name: 'Tidepool', _project_name: 'Tidepool', last_polled: '2024-05-06T07:08:09.123Z' },
    ]);
  });

  test('the owner and repository are compared case-insensitively', () => {
    const result = handle(issueReq('https://github.com/LanternFish/TidePool/issues/41'), response(issueReq().url, fixture('issue.json')), ctx(entry()));
    expect(parsed(result).map((b) => b.canonical_bug_link)).toEqual([known]);
  });

  test('a known URL that answers a pull request is skipped with a warning', () => {
    const url = 'https://github.com/lanternfish/tidepool/issues/57';
    const result = handle({ ...issueReq(url), url: `${REPO_API}/issues/57` }, response(`${REPO_API}/issues/57`, fixture('issue-pull-request.json')), ctx(entry()));
    expect(result.bugs ?? []).toEqual([]);
    expect(result.warnings).toEqual([`${url}: is a pull request, skipped`]);
  });

  test('an HTML answer is a ParseError naming the URL', () => {
    expect(() => handle(issueReq(), response(issueReq().url, '<html><body>Whoa there!</body></html>'), ctx(entry()))).toThrow(ParseError);
    expect(() => handle(issueReq(), response(issueReq().url, '<html><body>Whoa there!</body></html>'), ctx(entry()))).toThrow(
      `${REPO_API}/issues/41`,
    );
  });
});

describe('get_older_bug_data (older handler)', () => {
  const e = entry({
    existing_bug_urls: [
      'https://github.com/LanternFish/tidepool/issues/58',
      'https://github.com/lanternfish/tidepool/issues/54',
      'https://github.com/lanternfish/tidepool/issues/99',
      'https://github.com/lanternfish/tidepool/pull/57',
    ],
    get_older_bug_data: `${REPO_API}/issues?since=2023-01-01T00:00:00Z`,
  });

  test('only known issues in the answer get records; the absent ones none', () => {
    const [req] = githubAdapter.plan(ctx(e)).filter((r) => r.kind === 'older');
    expect(req?.url).toBe(`${REPO_API}/issues?since=2023-01-01T00:00:00Z&state=all&per_page=100`);
    if (req === undefined) return;
    const next = `${REPO_API}/issues?since=2023-01-01T00:00:00Z&state=all&per_page=100&page=2`;
    const result = handle(req, response(req.url, fixture('list-modern.json'), 200, { link: `<${next}>; rel="next"` }), ctx(e));
    expect(parsed(result).map((b) => b.canonical_bug_link)).toEqual([
      'https://github.com/lanternfish/tidepool/issues/58',
      'https://github.com/lanternfish/tidepool/issues/54',
    ]);
    expect(result.requests).toEqual([{ ...req, url: next }]);
  });
});

describe('credentials', () => {
  const url = `${REPO_API}/issues?state=open&per_page=100`;
  const all = {
    TIDEPOOL_TOKEN: 'tok-entry',
    GITHUB_TOKEN: 'tok-github',
    GH_TOKEN: 'tok-gh',
    GITHUB_USERNAME: 'marisol-dev',
    GITHUB_PERSONAL_ACCESS_TOKEN: 'tok-pat',
  };
  const creds = githubAdapter.credentials;
  if (creds === undefined) throw new Error('github has credentials');

  test('order: token_env, GITHUB_TOKEN, GH_TOKEN, then the old pair as Basic', () => {
    const e = entry({ token_env: 'TIDEPOOL_TOKEN' });
    expect(creds(e, url, all)).toEqual({ headers: { Authorization: 'Bearer tok-entry' }, source: 'TIDEPOOL_TOKEN' });
    expect(creds(entry(), url, all)).toEqual({ headers: { Authorization: 'Bearer tok-github' }, source: 'GITHUB_TOKEN' });
    expect(creds(e, url, { ...all, TIDEPOOL_TOKEN: '', GITHUB_TOKEN: undefined })).toEqual({
      headers: { Authorization: 'Bearer tok-gh' },
      source: 'GH_TOKEN',
    });
    const pair = creds(entry(), url, { GITHUB_USERNAME: 'marisol-dev', GITHUB_PERSONAL_ACCESS_TOKEN: 'tok-pat' });
    expect(pair).toEqual({
      headers: { Authorization: `Basic ${btoa('marisol-dev:tok-pat')}` },
      source: 'GITHUB_USERNAME + GITHUB_PERSONAL_ACCESS_TOKEN',
    });
    expect(creds(entry(), url, { GITHUB_USERNAME: 'marisol-dev' })).toBeUndefined();
    expect(creds(entry(), url, {})).toBeUndefined();
  });

  test('the default variables go only to api.github.com', () => {
    const ghe = entry({ api_url: 'https://ghe.example.com/api/v3' });
    const gheUrl = 'https://ghe.example.com/api/v3/repos/infra/pager/issues';
    expect(creds(ghe, gheUrl, all)).toBeUndefined();
    expect(creds({ ...ghe, token_env: 'TIDEPOOL_TOKEN' }, gheUrl, all)).toEqual({
      headers: { Authorization: 'Bearer tok-entry' },
      source: 'TIDEPOOL_TOKEN',
    });
    expect(creds(entry(), 'https://evil.example.net/repos/a/b/issues', all)).toBeUndefined();
  });

  test("token_env goes only to the entry's own API host", () => {
    const ghe = entry({ api_url: 'https://ghe.example.com/api/v3', token_env: 'TIDEPOOL_TOKEN' });
    // A query on api.github.com in an Enterprise entry gets the public defaults, never the Enterprise token.
    expect(creds(ghe, url, all)).toEqual({ headers: { Authorization: 'Bearer tok-github' }, source: 'GITHUB_TOKEN' });
    expect(creds(entry({ token_env: 'TIDEPOOL_TOKEN' }), 'https://ghe.example.com/api/v3/issues', all)).toBeUndefined();
  });

  test('the source never holds the secret', () => {
    for (const e of [entry(), entry({ token_env: 'TIDEPOOL_TOKEN' })]) {
      const found = creds(e, url, all);
      expect(found?.source).not.toContain('tok-');
    }
  });
});

// The real recordings in ../shared/reference show the formats; read them when they are there.
const REFERENCE = new URL('../../../shared/reference/', import.meta.url);
const haveReference = existsSync(new URL('oh-bugimporters/github/issue-list', REFERENCE));

describe.skipIf(!haveReference)('real GitHub recordings (read-only, when present)', () => {
  const read = (path: string): string => readFileSync(new URL(path, REFERENCE), 'utf8');
  const links = (path: string): string[] =>
    parsed(handle(listRequest(), response(listRequest().url, read(path)), ctx(entry()))).map((b) => b.canonical_bug_link);

  test('2012 lists: the all-null pull_request object is an issue', () => {
    expect(links('oh-bugimporters/github/issue-list')).toHaveLength(1);
    expect(links('oh-bugimporters/github/issue-list-closed')).toHaveLength(1);
    expect(links('oh-bugimporters/github/issue-query-with-date-constraint.json').length).toBeGreaterThan(0);
  });

  test('modern lists: pull requests excluded, issues kept', () => {
    expect(links('perceval/github/github_request')).toEqual([]);
    expect(links('perceval/github/github_issue_2')).toHaveLength(1);
    expect(links('perceval/github/github_issue_2_with_pr')).toEqual([]);
    expect(links('perceval/github/github_empty_request')).toEqual([]);
  });

  test('a 2012 single issue', () => {
    const knownUrl = 'https://github.com/openhatch/tests/issues/42';
    const req: RequestSpec = { kind: 'issue', url: `${API}/repos/openhatch/tests/issues/42`, meta: { knownUrl }, acceptStatus: [404] };
    const result = handle(req, response(req.url, read('oh-bugimporters/github/issue-show')), ctx(entry()));
    expect(parsed(result).map((b) => b.canonical_bug_link)).toEqual([knownUrl]);
  });
});
