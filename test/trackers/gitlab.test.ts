// The GitLab adapter (trackers.md §6): fields and example, plan for project/query/known forms,
// incremental parameters, the list and issue handlers on our fixtures, paging signals, known-bug
// refresh and deletion, credentials, and the checks. Every record is validated against the schema.

import { describe, expect, test } from 'bun:test';
import { existsSync, readFileSync } from 'node:fs';
import { parseTrackerText } from '../../src/config/load.ts';
import { ParseError } from '../../src/core/errors.ts';
import type { AdapterContext, BugRecord, DeletedBug, FetchedResponse, HandleResult, ParsedBug, RequestSpec, TrackerAdapter } from '../../src/core/types.ts';
import { GITLAB_HEADERS, gitlabAdapter, type GitlabEntry } from '../../trackers/gitlab.ts';
import { ADAPTERS } from '../../trackers/index.ts';
import { assertValidRecord } from '../helpers/schema.ts';

const NOW = new Date('2024-05-06T07:08:09.123Z');
const API = 'https://gitlab.com/api/v4';
const PROJECT_API = `${API}/projects/wren-labs%2Faudio%2Fchirp`;
const WEB = 'https://gitlab.com/wren-labs/audio/chirp';
const DEFAULT_LIST = `${PROJECT_API}/issues?scope=all&order_by=updated_at&sort=desc&state=opened&per_page=100`;

function fixture(name: string): string {
  return readFileSync(new URL(`../fixtures/gitlab/${name}`, import.meta.url), 'utf8');
}

function entry(extra: Partial<GitlabEntry> = {}): GitlabEntry {
  return { tracker_name: 'Chirp', bugimporter: 'gitlab', project: 'wren-labs/audio/chirp', ...extra };
}

function ctx(e: GitlabEntry, options: { extendedScrape?: boolean; since?: Date } = {}): AdapterContext<GitlabEntry> {
  return { entry: e, now: NOW, extendedScrape: options.extendedScrape ?? false, ...(options.since ? { since: options.since } : {}) };
}

function response(url: string, body: string, status = 200, headers: Record<string, string> = {}): FetchedResponse {
  return { url, status, headers: { 'content-type': 'application/json', ...headers }, body };
}

function listRequest(url = DEFAULT_LIST, meta?: RequestSpec['meta']): RequestSpec {
  return { kind: 'list', url, headers: GITLAB_HEADERS, ...(meta !== undefined ? { meta } : {}) };
}

/** Calls the handler for `req.kind` and validates every record it returns. */
function handle(req: RequestSpec, res: FetchedResponse, context: AdapterContext<GitlabEntry>): HandleResult {
  const handler = gitlabAdapter.handlers[req.kind];
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

function byLink(result: HandleResult, link: string): ParsedBug {
  const bug = parsed(result.bugs).find((b) => b.canonical_bug_link === link);
  if (bug === undefined) throw new Error(`no record for ${link}`);
  return bug;
}

function page(name: string, e = entry(), options: { extendedScrape?: boolean; headers?: Record<string, string> } = {}): HandleResult {
  return handle(listRequest(), response(DEFAULT_LIST, fixture(name), 200, options.headers), ctx(e, options));
}

const urls = (requests: readonly RequestSpec[] | undefined): string[] => (requests ?? []).map((r) => r.url);

// ---------------------------------------------------------------------------------------------

describe('contract', () => {
  test('every field declared once, with help; {product} placeholder; state choices', () => {
    const names = gitlabAdapter.fields.map((f) => f.name);
    expect(new Set(names).size).toBe(names.length);
    for (const name of ['base_url', 'project', 'queries', 'existing_bug_urls', 'state', 'bitesized_tag', 'documentation_tag', 'bug_project_name_format', 'closed_status', 'token_env']) {
      expect(names).toContain(name);
    }
    for (const field of gitlabAdapter.fields) expect(field.help.length).toBeGreaterThan(10);
    expect(gitlabAdapter.fields.find((f) => f.name === 'bug_project_name_format')?.placeholders).toEqual(['product']);
    expect(gitlabAdapter.fields.find((f) => f.name === 'state')).toMatchObject({ kind: 'choice', choices: ['open', 'closed', 'all'] });
    expect(gitlabAdapter.description).not.toContain('\n');
    expect(gitlabAdapter.aliases).toEqual([]);
  });

  test('the example entry validates as a tracker file and plans deterministically', () => {
    const adapters = [...ADAPTERS.filter((a) => a.type !== 'gitlab'), gitlabAdapter as unknown as TrackerAdapter];
    const file = parseTrackerText(JSON.stringify([gitlabAdapter.example]), 'example.yaml', adapters);
    const problems = [...file.problems, ...file.entries.flatMap((e) => e.problems)];
    expect(problems).toEqual([]);
    expect(file.entries[0]?.adapter?.type).toBe('gitlab');
    const loaded = file.entries[0]?.entry as GitlabEntry;
    const first = gitlabAdapter.plan(ctx(loaded));
    expect(first.length).toBe(2);
    expect(gitlabAdapter.plan(ctx(loaded))).toEqual(first);
    for (const req of first) expect(gitlabAdapter.handlers[req.kind]).toBeDefined();
  });

  test('an entry written by hand loads with positions for its problems', () => {
    const adapters = [...ADAPTERS.filter((a) => a.type !== 'gitlab'), gitlabAdapter as unknown as TrackerAdapter];
    const yaml = [
      '- tracker_name: GNOME Settings',
      '  bugimporter: gitlab',
      '  base_url: https://gitlab.gnome.org',
      '  project: GNOME/gnome-control-center',
      '  state: opened',
      '  bitesized_tag: "4. Newcomers"',
      '  existing_bug_urls:',
      '    - https://gitlab.gnome.org/GNOME/gnome-control-center/-/issues/12',
      '    - https://gitlab.com/GNOME/gnome-control-center/-/issues/12',
    ].join('\n');
    const file = parseTrackerText(yaml, 'trackers.yaml', adapters);
    const loaded = file.entries[0];
    expect(loaded?.entry.base_url).toBe('https://gitlab.gnome.org/');
    expect(loaded?.problems.map((p) => [p.severity, p.line, p.field])).toEqual([['error', 5, 'state']]);
    const fixed = parseTrackerText(yaml.replace('state: opened', 'state: open'), 'trackers.yaml', adapters).entries[0];
    expect(fixed?.problems.map((p) => [p.severity, p.line, p.field])).toEqual([['warning', 9, 'existing_bug_urls']]);
  });
});

describe('plan', () => {
  test('project only: the default list, every issue in the entry\'s state', () => {
    expect(gitlabAdapter.plan(ctx(entry()))).toEqual([{ kind: 'list', url: DEFAULT_LIST, headers: { Accept: 'application/json' } }]);
    expect(urls(gitlabAdapter.plan(ctx(entry({ state: 'closed' }))))).toEqual([DEFAULT_LIST.replace('state=opened', 'state=closed')]);
    expect(urls(gitlabAdapter.plan(ctx(entry({ state: 'all' }))))).toEqual([DEFAULT_LIST.replace('state=opened', 'state=all')]);
  });

  test('numeric project ids, slashes and .git around a path, and self-hosted base_url', () => {
    expect(urls(gitlabAdapter.plan(ctx(entry({ project: 278964 }))))).toEqual([
      `${API}/projects/278964/issues?scope=all&order_by=updated_at&sort=desc&state=opened&per_page=100`,
    ]);
    expect(urls(gitlabAdapter.plan(ctx(entry({ project: '/wren-labs/audio/chirp.git/' }))))).toEqual([DEFAULT_LIST]);
    const selfHosted = entry({ base_url: 'https://code.example.org/gitlab', project: 'tools/chirp' });
    expect(urls(gitlabAdapter.plan(ctx(selfHosted)))).toEqual([
      'https://code.example.org/gitlab/api/v4/projects/tools%2Fchirp/issues?scope=all&order_by=updated_at&sort=desc&state=opened&per_page=100',
    ]);
  });

  test('queries keep their parameters and get state and per_page when missing', () => {
    const plan = gitlabAdapter.plan(
      ctx(
        entry({
          state: 'all',
          queries: [
            `${PROJECT_API}/issues?labels=good%20first%20issue&order_by=created_at`,
            `${PROJECT_API}/issues?state=closed&per_page=20`,
            `${API}/groups/wren-labs/issues?labels=documentation`,
            `${API}/groups/wren-labs%2Faudio/issues`,
          ],
        }),
      ),
    );
    expect(urls(plan)).toEqual([
      `${PROJECT_API}/issues?labels=good%20first%20issue&order_by=created_at&state=all&per_page=100`,
      `${PROJECT_API}/issues?state=closed&per_page=20`,
      `${API}/groups/wren-labs/issues?labels=documentation&state=all&per_page=100`,
      `${API}/groups/wren-labs%2Faudio/issues?state=all&per_page=100`,
    ]);
    for (const req of plan) expect(req).toMatchObject({ kind: 'list', headers: GITLAB_HEADERS });
  });

  test('an unencoded project path in a query is encoded; identical queries are fetched once', () => {
    const plan = gitlabAdapter.plan(
      ctx(entry({ queries: [`${API}/projects/wren-labs/audio/chirp/issues?labels=bug`, `${PROJECT_API}/issues?labels=bug`] })),
    );
    expect(urls(plan)).toEqual([`${PROJECT_API}/issues?labels=bug&state=opened&per_page=100`]);
  });

  test('queries that are not issue lists of this instance send nothing (check() reports them)', () => {
    const e = entry({ queries: [`${WEB}/-/issues`, 'https://gitlab.example.org/api/v4/projects/1/issues', `${PROJECT_API}/merge_requests`] });
    expect(gitlabAdapter.plan(ctx(e))).toEqual([]);
  });

  test('incremental runs: updated_after and state=all, the full-run state kept as scope', () => {
    const since = new Date('2024-05-01T00:00:00.750Z');
    const e = entry({
      queries: [
        `${PROJECT_API}/issues?labels=bug`,
        `${PROJECT_API}/issues?state=closed&updated_after=2011-01-01T00:00:00Z`,
        `${PROJECT_API}/issues?updated_after=2030-01-01T00:00:00Z`,
      ],
      existing_bug_urls: [`${WEB}/-/issues/41`],
    });
    expect(gitlabAdapter.plan(ctx(e, { since }))).toEqual([
      { kind: 'list', url: `${PROJECT_API}/issues?labels=bug&state=all&per_page=100&updated_after=2024-05-01T00:00:00Z`, headers: GITLAB_HEADERS, meta: { scope: 'opened' } },
      { kind: 'list', url: `${PROJECT_API}/issues?state=all&updated_after=2024-05-01T00:00:00Z&per_page=100`, headers: GITLAB_HEADERS, meta: { scope: 'closed' } },
      { kind: 'list', url: `${PROJECT_API}/issues?updated_after=2030-01-01T00:00:00Z&state=all&per_page=100`, headers: GITLAB_HEADERS, meta: { scope: 'opened' } },
      // Known bugs are refreshed on every run.
      { kind: 'issue', url: `${PROJECT_API}/issues/41`, headers: GITLAB_HEADERS, meta: { knownUrl: `${WEB}/-/issues/41` }, acceptStatus: [401, 403, 404, 410] },
    ]);
    expect(urls(gitlabAdapter.plan(ctx(entry(), { since })))).toEqual([
      `${PROJECT_API}/issues?scope=all&order_by=updated_at&sort=desc&state=all&per_page=100&updated_after=2024-05-01T00:00:00Z`,
    ]);
  });

  test('known issues: both URL forms, one request per issue, other URLs skipped', () => {
    const plan = gitlabAdapter.plan(
      ctx(
        entry({
          existing_bug_urls: [
            `${WEB}/-/issues/41`,
            `${WEB}/issues/41`,
            'https://gitlab.com/Wren-Labs/Audio/Chirp/-/issues/41#note_1811',
            `${WEB}/-/issues/12/`,
            `${WEB}/-/merge_requests/3`,
            'https://github.com/wren-labs/chirp/issues/2',
            `${WEB}/-/issues/new`,
          ],
        }),
      ),
    );
    expect(plan.filter((r) => r.kind === 'issue')).toEqual([
      {
        kind: 'issue',
        url: `${PROJECT_API}/issues/41`,
        headers: GITLAB_HEADERS,
        meta: { knownUrl: `${WEB}/-/issues/41`, otherKnownUrls: [`${WEB}/issues/41`, 'https://gitlab.com/Wren-Labs/Audio/Chirp/-/issues/41#note_1811'] },
        acceptStatus: [401, 403, 404, 410],
      },
      { kind: 'issue', url: `${PROJECT_API}/issues/12`, headers: GITLAB_HEADERS, meta: { knownUrl: `${WEB}/-/issues/12/` }, acceptStatus: [401, 403, 404, 410] },
    ]);
  });

  test('known issues of a self-hosted instance in a sub-folder', () => {
    const e = entry({ base_url: 'https://code.example.org/gitlab/', existing_bug_urls: ['https://code.example.org/gitlab/tools/chirp/-/issues/3'] });
    expect(urls(gitlabAdapter.plan(ctx(e)))[1]).toBe('https://code.example.org/gitlab/api/v4/projects/tools%2Fchirp/issues/3');
  });
});

describe('list handler', () => {
  test('a modern page: every field per §6', () => {
    const result = page('list-page-1.json', entry({ bitesized_tag: 'good first issue', documentation_tag: 'documentation' }));
    expect(result.warnings).toEqual([]);
    expect(result.updates).toEqual([]);
    expect(parsed(result.bugs).map((b) => b.canonical_bug_link)).toEqual([`${WEB}/-/issues/41`, `${WEB}/-/issues/38`, `${WEB}/-/issues/35`]);
    expect(byLink(result, `${WEB}/-/issues/41`)).toEqual({
      title: 'Spectrogram view freezes when the window is resized',
      // CRLF → LF
      description: 'Steps:\n\n1. Open `birdsong.wav`\n2. Switch to the spectrogram\n3. Drag the window edge\n\nThe view stops redrawing until the next file is opened.',
      status: 'opened',
      importance: '',
      // mhollis (author and assignee) and tkoval, plus 1 for the notes
      people_involved: 3,
      date_reported: '2024-02-11T09:15:27Z',
      last_touched: '2024-04-30T18:02:55Z',
      last_polled: '2024-05-06T07:08:09.123Z',
      submitter_username: 'mhollis',
      submitter_realname: 'Maren Hollis',
      canonical_bug_link: `${WEB}/-/issues/41`,
      looks_closed: false,
      good_for_newcomers: true,
      concerns_just_documentation: false,
      as_appears_in_distribution: '',
      _project_name: 'Chirp',
      _tracker_name: 'Chirp',
    });
    expect(byLink(result, `${WEB}/-/issues/38`)).toMatchObject({
      description: '',
      status: 'closed',
      looks_closed: true,
      people_involved: 1,
      good_for_newcomers: false,
      concerns_just_documentation: true,
    });
    expect(byLink(result, `${WEB}/-/issues/35`)).toMatchObject({ people_involved: 3, submitter_username: 'chirp-triage-bot' });
  });

  test('an old page: `assignee` only, web_url without /-/, labels compared exactly', () => {
    const result = page('list-page-2.json', entry({ documentation_tag: 'documentation', bug_project_name_format: '{tracker_name}: {product}' }));
    const first = byLink(result, `${WEB}/issues/12`);
    expect(first).toMatchObject({ people_involved: 3, description: 'Space would be natural.\n', concerns_just_documentation: false, status: 'opened' });
    // {product} from web_url when there is no `references`.
    expect(first._project_name).toBe('Chirp: wren-labs/audio/chirp');
    expect(byLink(result, `${WEB}/issues/7`)).toMatchObject({ people_involved: 1, looks_closed: true, last_touched: '2023-05-04T10:45:19Z' });
  });

  test('labels given as objects (with_labels_details=true)', () => {
    const result = page('list-labels-details.json', entry({ bitesized_tag: 'good first issue' }));
    expect(parsed(result.bugs).map((b) => b.good_for_newcomers)).toEqual([true]);
  });

  test('{product} from references.full; as_appears_in_distribution copied', () => {
    const result = page('list-page-1.json', entry({ bug_project_name_format: '{product}', as_appears_in_distribution: 'Debian' }));
    expect(parsed(result.bugs).map((b) => [b._project_name, b.as_appears_in_distribution])).toEqual([
      ['wren-labs/audio/chirp', 'Debian'],
      ['wren-labs/audio/chirp', 'Debian'],
      ['wren-labs/audio/chirp', 'Debian'],
    ]);
  });

  test('empty tags never match; closed_status overrides the closed rule, case-insensitively', () => {
    const plain = page('list-page-1.json', entry({ bitesized_tag: ' , ' }));
    expect(parsed(plain.bugs).some((b) => b.good_for_newcomers || b.concerns_just_documentation)).toBe(false);
    const custom = page('list-page-1.json', entry({ closed_status: 'OPENED' }));
    expect(parsed(custom.bugs).map((b) => b.looks_closed)).toEqual([true, false, true]);
  });

  test('raw_data only with --extended-scrape', () => {
    expect(parsed(page('list-page-1.json').bugs)[0]?.raw_data).toBeUndefined();
    const bug = byLink(page('list-page-1.json', entry(), { extendedScrape: true }), `${WEB}/-/issues/41`);
    expect(bug.raw_data).toEqual({
      iid: 41,
      labels: ['good first issue', 'frontend'],
      user_notes_count: 3,
      milestone: '1.4',
      confidential: false,
      closed_at: null,
    });
  });

  test('an empty page ends the list', () => {
    expect(page('list-empty.json', entry(), { headers: { 'x-next-page': '' } })).toEqual({ bugs: [], updates: [], requests: [], warnings: [] });
  });

  test('unreadable or missing dates are left out, with a warning naming the bug', () => {
    const items = JSON.parse(fixture('list-page-2.json')) as Record<string, unknown>[];
    const broken = [{ ...items[0], created_at: 'yesterday', updated_at: null }];
    const result = handle(listRequest(), response(DEFAULT_LIST, JSON.stringify(broken)), ctx(entry()));
    const bug = parsed(result.bugs)[0];
    expect(bug?.date_reported).toBeUndefined();
    expect(bug?.last_touched).toBeUndefined();
    expect(result.warnings).toEqual([
      `${WEB}/issues/12: created_at "yesterday" is missing or unreadable; date_reported left out`,
      `${WEB}/issues/12: updated_at null is missing or unreadable; last_touched left out`,
    ]);
  });

  test('an item without web_url is skipped with a warning', () => {
    const result = handle(listRequest(), response(DEFAULT_LIST, '[{"iid": 3, "title": "?"}]'), ctx(entry()));
    expect(result.bugs).toEqual([]);
    expect(result.warnings).toEqual([`an item without web_url was skipped: ${DEFAULT_LIST}`]);
  });

  test('incremental lists: issues outside the full-run state only update known records', () => {
    const req = listRequest(`${PROJECT_API}/issues?state=all&updated_after=2024-01-01T00:00:00Z`, { scope: 'opened' });
    const result = handle(req, response(req.url, fixture('list-page-1.json')), ctx(entry(), { since: new Date('2024-01-01T00:00:00Z') }));
    expect(parsed(result.bugs).map((b) => b.canonical_bug_link)).toEqual([`${WEB}/-/issues/41`, `${WEB}/-/issues/35`]);
    expect(parsed(result.updates).map((b) => b.canonical_bug_link)).toEqual([`${WEB}/-/issues/38`]);
    const all = handle(listRequest(req.url, { scope: 'all' }), response(req.url, fixture('list-page-1.json')), ctx(entry()));
    expect(all.updates).toEqual([]);
  });
});

describe('paging', () => {
  const next = (headers: Record<string, string>, url = DEFAULT_LIST): string[] =>
    urls(handle(listRequest(url, { scope: 'opened' }), response(url, fixture('list-page-2.json'), 200, headers), ctx(entry())).requests);

  test('Link rel="next" first, resolved against the answered URL, keeping the request kind and meta', () => {
    const link = '<https://gitlab.com/api/v4/projects/51234567/issues?page=2&per_page=100&state=opened>; rel="next", <https://gitlab.com/api/v4/projects/51234567/issues?page=1&per_page=100&state=opened>; rel="first", <https://gitlab.com/api/v4/projects/51234567/issues?page=9&per_page=100&state=opened>; rel="last"';
    expect(next({ link, 'x-next-page': '7' })).toEqual(['https://gitlab.com/api/v4/projects/51234567/issues?page=2&per_page=100&state=opened']);
    const req = listRequest(DEFAULT_LIST, { scope: 'opened' });
    const result = handle(req, response(DEFAULT_LIST, fixture('list-page-2.json'), 200, { link: '</api/v4/projects/1/issues?page=2>; rel="next"' }), ctx(entry()));
    expect(result.requests).toEqual([{ ...req, url: `${API}/projects/1/issues?page=2` }]);
  });

  test('x-next-page when there is no Link: the page parameter is set on the answered URL', () => {
    expect(next({ 'x-next-page': '2', 'x-page': '1', 'x-per-page': '100', 'x-total': '180', 'x-total-pages': '2' })).toEqual([`${DEFAULT_LIST}&page=2`]);
    expect(next({ 'x-next-page': '102', 'x-page': '101' }, `${DEFAULT_LIST}&page=101`)).toEqual([`${DEFAULT_LIST}&page=102`]);
  });

  test('past 10,000 results: no totals and no rel="last", still followed', () => {
    const link = `<${DEFAULT_LIST}&page=102>; rel="next", <${DEFAULT_LIST}&page=1>; rel="first", <${DEFAULT_LIST}&page=100>; rel="prev"`;
    expect(next({ link, 'x-next-page': '102', 'x-page': '101', 'x-per-page': '100' }, `${DEFAULT_LIST}&page=101`)).toEqual([`${DEFAULT_LIST}&page=102`]);
  });

  test('the last page: no rel="next" and an empty x-next-page', () => {
    expect(next({ link: `<${DEFAULT_LIST}&page=1>; rel="first", <${DEFAULT_LIST}&page=2>; rel="last"`, 'x-next-page': '' })).toEqual([]);
    expect(next({})).toEqual([]);
    expect(next({ 'x-next-page': 'soon' })).toEqual([]);
  });
});

describe('malformed answers', () => {
  test('HTML (a sign-in page), broken JSON and error objects are ParseErrors naming the URL', () => {
    const run = (body: string): (() => void) => () => handle(listRequest(), response(DEFAULT_LIST, body), ctx(entry()));
    expect(run(fixture('sign-in.html'))).toThrow(ParseError);
    expect(run(fixture('sign-in.html'))).toThrow(`got HTML (a login or error page?): ${DEFAULT_LIST}`);
    expect(run('[{"iid": 1,')).toThrow(`malformed JSON from ${DEFAULT_LIST}`);
    expect(run('{"message":"403 Forbidden"}')).toThrow(`expected a JSON list of issues ("403 Forbidden"): ${DEFAULT_LIST}`);
  });
});

describe('known issues (issue handler)', () => {
  const knownUrl = `${WEB}/-/issues/41`;
  const issueRequest = (meta: RequestSpec['meta'] = { knownUrl }): RequestSpec => ({
    kind: 'issue',
    url: `${PROJECT_API}/issues/41`,
    headers: GITLAB_HEADERS,
    meta: meta ?? null,
    acceptStatus: [401, 403, 404, 410],
  });
  const answer = (body: string, status = 200, meta?: RequestSpec['meta']): HandleResult =>
    handle(issueRequest(meta), response(`${PROJECT_API}/issues/41`, body, status), ctx(entry({ bug_project_name_format: '{product}' })));

  test('the planned request reads a fresh record', () => {
    const [req] = gitlabAdapter.plan(ctx(entry({ queries: [`${PROJECT_API}/issues`], existing_bug_urls: [knownUrl] }))).filter((r) => r.kind === 'issue');
    expect(req).toBeDefined();
    const result = answer(fixture('issue.json'));
    expect(parsed(result.bugs)).toEqual([
      expect.objectContaining({ canonical_bug_link: knownUrl, status: 'closed', looks_closed: true, people_involved: 3, last_touched: '2024-05-09T12:00:01Z', _project_name: 'wren-labs/audio/chirp' }),
    ]);
  });

  test('404 and 410 give _deleted with every known spelling exactly as listed', () => {
    const meta = { knownUrl, otherKnownUrls: [`${WEB}/issues/41`] };
    for (const status of [404, 410]) {
      const result = answer(fixture('not-found.json'), status, meta);
      expect(result.bugs).toEqual([
        { canonical_bug_link: knownUrl, _deleted: true, _tracker_name: 'Chirp', _project_name: 'Chirp', last_polled: '2024-05-06T07:08:09.123Z' },
        { canonical_bug_link: `${WEB}/issues/41`, _deleted: true, _tracker_name: 'Chirp', _project_name: 'Chirp', last_polled: '2024-05-06T07:08:09.123Z' },
      ]);
    }
    // An empty body is still GitLab saying "gone".
    expect(answer('', 404).bugs?.length).toBe(1);
  });

  test('a 404 that is an HTML page is not a deletion: a ParseError naming the URL', () => {
    expect(() => answer('<html><body>nginx 404</body></html>', 404)).toThrow(`HTTP 404 with an HTML page instead of the GitLab API's answer (is base_url right?): ${PROJECT_API}/issues/41`);
  });

  test('401 and 403 skip the issue with a warning, no record', () => {
    for (const status of [401, 403]) {
      expect(answer('{"message":"403 Forbidden"}', status)).toEqual({ warnings: [`${knownUrl}: GitLab answered ${status}; the issue may have become private, skipped`] });
    }
  });

  test('an HTML or shapeless answer is a ParseError naming the URL', () => {
    expect(() => answer(fixture('sign-in.html'))).toThrow(`${PROJECT_API}/issues/41`);
    expect(() => answer('{"iid": 41}')).toThrow(`expected a JSON issue with web_url: ${PROJECT_API}/issues/41`);
  });
});

describe('credentials', () => {
  const env = { GITLAB_TOKEN: 'glpat-public', GNOME_TOKEN: 'glpat-gnome' };

  test('GITLAB_TOKEN goes to gitlab.com only, as PRIVATE-TOKEN', () => {
    expect(gitlabAdapter.credentials?.(entry(), DEFAULT_LIST, env)).toEqual({ headers: { 'PRIVATE-TOKEN': 'glpat-public' }, source: 'GITLAB_TOKEN' });
    const selfHosted = entry({ base_url: 'https://gitlab.gnome.org/' });
    expect(gitlabAdapter.credentials?.(selfHosted, 'https://gitlab.gnome.org/api/v4/projects/1/issues', env)).toBeUndefined();
    expect(gitlabAdapter.credentials?.(entry(), DEFAULT_LIST, {})).toBeUndefined();
  });

  test("token_env goes only to the entry's own host, and wins on gitlab.com", () => {
    const selfHosted = entry({ base_url: 'https://gitlab.gnome.org/', token_env: 'GNOME_TOKEN' });
    expect(gitlabAdapter.credentials?.(selfHosted, 'https://gitlab.gnome.org/api/v4/projects/1/issues', env)).toEqual({
      headers: { 'PRIVATE-TOKEN': 'glpat-gnome' },
      source: 'GNOME_TOKEN',
    });
    expect(gitlabAdapter.credentials?.(selfHosted, 'https://evil.example.com/api/v4/projects/1/issues', env)).toBeUndefined();
    expect(gitlabAdapter.credentials?.(entry({ token_env: 'GNOME_TOKEN' }), DEFAULT_LIST, env)?.source).toBe('GNOME_TOKEN');
    // An unset token_env on gitlab.com falls back to GITLAB_TOKEN.
    expect(gitlabAdapter.credentials?.(entry({ token_env: 'UNSET' }), DEFAULT_LIST, env)?.source).toBe('GITLAB_TOKEN');
  });

  test('no secret in any planned URL or header', () => {
    const e = entry({ token_env: 'GNOME_TOKEN', existing_bug_urls: [`${WEB}/-/issues/1`] });
    for (const req of gitlabAdapter.plan(ctx(e))) {
      expect(`${req.url} ${JSON.stringify(req.headers)}`).not.toContain('glpat');
    }
  });
});

describe('check', () => {
  const check = (extra: Partial<GitlabEntry>) => gitlabAdapter.check({ tracker_name: 'T', bugimporter: 'gitlab', ...extra });

  test('needs project or queries', () => {
    expect(check({})).toEqual([{ severity: 'error', field: 'project', message: 'give project (group/name or a numeric id), or queries' }]);
    expect(check({ project: 'wren-labs/chirp' })).toEqual([]);
    expect(check({ project: 42 })).toEqual([]);
    expect(check({ queries: [`${PROJECT_API}/issues`] })).toEqual([]);
  });

  test('a project must be a path or an id', () => {
    expect(check({ project: 'chirp' })).toEqual([expect.objectContaining({ severity: 'error', field: 'project' })]);
    expect(check({ project: 'https://gitlab.com/wren-labs/chirp' })[0]?.message).toContain('give the path, not the web address');
  });

  test('queries must be API issue lists on base_url', () => {
    const problems = check({
      queries: [`${PROJECT_API}/issues`, `${WEB}/-/issues?label_name[]=bug`, 'https://gitlab.example.org/api/v4/projects/3/issues'],
    });
    expect(problems).toEqual([
      {
        severity: 'error',
        field: 'queries',
        index: 1,
        message: `${WEB}/-/issues?label_name[]=bug: not an issue list of the GitLab API (https://gitlab.com/api/v4/projects/<id or encoded path>/issues)`,
      },
      {
        severity: 'error',
        field: 'queries',
        index: 2,
        message: 'https://gitlab.example.org/api/v4/projects/3/issues: not on this tracker\'s GitLab (https://gitlab.com/api/v4/); set base_url for a self-hosted GitLab',
      },
    ]);
  });

  test('known URLs that are not issues of this instance are warned about', () => {
    const problems = check({ project: 'wren-labs/chirp', existing_bug_urls: [`${WEB}/-/issues/41`, `${WEB}/-/merge_requests/3`, 'https://gitlab.gnome.org/a/b/-/issues/1'] });
    expect(problems.map((p) => [p.severity, p.field, p.index])).toEqual([
      ['warning', 'existing_bug_urls', 1],
      ['warning', 'existing_bug_urls', 2],
    ]);
  });

  test('state, base_url and tags', () => {
    expect(check({ project: 'a/b', state: 'opened' })).toEqual([expect.objectContaining({ severity: 'error', field: 'state' })]);
    expect(check({ project: 'a/b', base_url: 'ftp://example.org/' })).toEqual([expect.objectContaining({ severity: 'error', field: 'base_url' })]);
    expect(check({ project: 'a/b', bitesized_tag: ' , ' })).toEqual([expect.objectContaining({ severity: 'warning', field: 'bitesized_tag' })]);
  });
});

// The real recordings in ../shared/reference show the formats; read them when they are there.
const REFERENCE = new URL('../../../shared/reference/perceval/gitlab/', import.meta.url);
const haveReference = existsSync(new URL('issue_page_1', REFERENCE));

describe.skipIf(!haveReference)('real GitLab recordings (read-only, when present)', () => {
  const read = (name: string): string => readFileSync(new URL(name, REFERENCE), 'utf8');

  test('issue pages: string labels, old web_url form, CRLF descriptions', () => {
    const e = entry({ project: 'fdroid/fdroiddata', bug_project_name_format: '{product}' });
    const bugs = ['issue_page_1', 'issue_page_2'].flatMap((name) => parsed(handle(listRequest(), response(DEFAULT_LIST, read(name)), ctx(e)).bugs));
    expect(bugs.length).toBe(4);
    for (const bug of bugs) {
      expect(bug.canonical_bug_link).toMatch(/^https:\/\/gitlab\.com\/fdroid\/fdroiddata\/issues\/\d+$/);
      expect(bug._project_name).toBe('fdroid/fdroiddata');
      expect(bug.description).not.toContain('\r');
      expect(bug.title).not.toBe('');
    }
  });

  test('single issues and the empty page', () => {
    for (const name of ['issue_1', 'issue_2', 'issue_3', 'issue_4']) {
      const req: RequestSpec = { kind: 'issue', url: `${API}/projects/fdroid%2Ffdroiddata/issues/1`, meta: { knownUrl: 'https://gitlab.com/fdroid/fdroiddata/issues/1' } };
      expect(parsed(handle(req, response(req.url, read(name)), ctx(entry())).bugs)).toHaveLength(1);
    }
    expect(handle(listRequest(), response(DEFAULT_LIST, read('empty_response')), ctx(entry())).bugs).toEqual([]);
  });
});
