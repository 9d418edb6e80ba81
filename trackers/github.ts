// GitHub issues (trackers.md §5): REST API v3 issue lists, searches and single issues, on
// github.com or GitHub Enterprise, turned into ParsedBug records. Pure: requests are described,
// answers are read; the engine does every fetch.

import { ParseError } from '../src/core/errors.ts';
import type {
  AdapterContext, BugRecord, Credentials, EntryProblem, FetchedResponse, FieldSpec, HandleResult, ParsedBug,
  RequestSpec, TrackerAdapter, TrackerEntry,
} from '../src/core/types.ts';
import {
  basicAuth, commaList, type CommonEntry, deletedRecord, emptyListProblems, entryState, knownMeta, looksClosed,
  matchesExactly, polledStamp, problemList, projectName, readKnownMeta, requestList, stateProblems, text, urlList,
} from './common.ts';
import { recordDates } from './dates.ts';
import { incrementalListUrl, labelNames, peopleInvolved } from './forge.ts';
import { isObject, type JsonObject, parseJsonBody, scopeOf, stringOr } from './json.ts';
import { parseLinkHeader } from './link-header.ts';
import { decodePart, hostOf, joinUrl, paramName, paramValue, parseHttpUrl, splitUrl, withParam } from './urls.ts';

/** A `github` tracker entry. Values come from YAML, so the adapter still narrows each one. */
export interface GithubEntry extends CommonEntry {
  readonly github_name?: string;
  readonly github_repo?: string;
  readonly get_older_bug_data?: string | null;
  readonly state?: string;
  readonly bitesized_tag?: string;
  readonly documentation_tag?: string;
  readonly api_url?: string;
}

const DEFAULT_API_URL = 'https://api.github.com';
const PUBLIC_API_HOST = 'api.github.com';
const STATES = ['open', 'closed', 'all'];
const PER_PAGE = '100';
/** GitHub's search API stops at this many results, whatever `total_count` says. */
const SEARCH_CAP = 1000;

/** Sent with every request: the documented media type and a pinned REST API version. */
export const GITHUB_HEADERS: Readonly<Record<string, string>> = {
  Accept: 'application/vnd.github+json',
  'X-GitHub-Api-Version': '2022-11-28',
};

/** Parameters of the old issues web page (`/o/r/issues?labels=easy&state=open`) the API also knows. */
const WEB_PARAMS_KEPT = ['state', 'labels', 'milestone', 'assignee', 'creator', 'mentioned', 'sort', 'direction', 'since'];

const FIELDS: readonly FieldSpec[] = [
  {
    name: 'github_name',
    kind: 'string',
    required: 'with github_repo, when there are no queries',
    help: 'The user or organisation that owns the project on GitHub.',
    example: 'openhatch',
  },
  {
    name: 'github_repo',
    kind: 'string',
    required: 'with github_name, when there are no queries',
    help: 'The repository name.',
    example: 'oh-mainline',
  },
  {
    name: 'queries',
    kind: 'url-list',
    required: false,
    help:
      'Issue lists to import: API URLs (https://api.github.com/repos/<owner>/<repo>/issues?labels=…), repository or issues pages on github.com (converted to the API), or searches (/search/issues?q=…). per_page=100 and the entry\'s state are added when missing. Default: all issues of github_name/github_repo in the given state.',
    default: '[]',
    example: 'https://api.github.com/repos/openhatch/oh-mainline/issues?labels=bitesize',
  },
  {
    name: 'existing_bug_urls',
    kind: 'url-list',
    required: false,
    help: 'Issue URLs you already have (https://github.com/<owner>/<repo>/issues/<n>). Each run refreshes them one by one; a gone or transferred issue becomes _deleted. Pull requests are skipped.',
    default: '[]',
    example: 'https://github.com/openhatch/oh-mainline/issues/42',
  },
  {
    name: 'get_older_bug_data',
    kind: 'url',
    required: false,
    help: 'An issue-list URL, usually with since=, answering many known issues at once (state=all is added when it names no state). Known issues it leaves out get no record; no deletion can be seen this way.',
    example: 'https://api.github.com/repos/openhatch/oh-mainline/issues?since=2012-03-01T00:00:00Z',
  },
  {
    name: 'state',
    kind: 'choice',
    required: false,
    choices: STATES,
    default: 'open',
    help: 'Which issues to import when a query URL names no state: open, closed or all.',
    example: 'open',
  },
  {
    name: 'bitesized_tag',
    kind: 'comma-list',
    required: false,
    default: '""',
    help: 'Comma list of label names (exact, case-sensitive) that mark a bite-sized issue.',
    example: 'good first issue, easy',
  },
  {
    name: 'documentation_tag',
    kind: 'comma-list',
    required: false,
    default: '""',
    help: 'Comma list of label names (exact, case-sensitive) that mark a documentation issue.',
    example: 'documentation',
  },
  {
    name: 'api_url',
    kind: 'url',
    required: false,
    default: DEFAULT_API_URL,
    help: 'The API root, for GitHub Enterprise (https://<host>/api/v3). Tokens from GITHUB_TOKEN and friends go only to api.github.com; an Enterprise host needs token_env.',
    example: 'https://github.example.com/api/v3',
  },
  {
    name: 'bug_project_name_format',
    kind: 'name-format',
    required: false,
    default: '{tracker_name}',
    placeholders: ['product'],
    help: 'Pattern for _project_name: {tracker_name}, and {product} for the repository as owner/name.',
    example: '{product}',
  },
  {
    name: 'closed_status',
    kind: 'comma-list',
    required: false,
    help: 'Comma list of states meaning closed, compared with the issue\'s state (open/closed), case-insensitive. Replaces the rule "state is closed".',
  },
  {
    name: 'token_env',
    kind: 'env-name',
    required: false,
    help: 'Environment variable holding a token for this tracker\'s API host (needed for Enterprise). Without it, GITHUB_TOKEN, GH_TOKEN, or GITHUB_USERNAME + GITHUB_PERSONAL_ACCESS_TOKEN are used for api.github.com.',
    example: 'GITHUB_ENTERPRISE_TOKEN',
  },
];

// ---------------------------------------------------------------------------------------------
// Entry values

function apiRoot(entry: TrackerEntry): string {
  return (text(entry.api_url) ?? DEFAULT_API_URL).replace(/\/+$/, '');
}

/**
 * Hosts of the web pages that belong to an API root: `api.github.com` → `github.com`;
 * Enterprise Server `https://ghe.example.com/api/v3` → `ghe.example.com`;
 * `https://api.acme.ghe.com` → `acme.ghe.com`.
 */
function webHosts(root: string): string[] {
  const host = hostOf(root);
  if (host === undefined) return [];
  if (host === PUBLIC_API_HOST) return ['github.com', 'www.github.com'];
  return host.startsWith('api.') ? [host.slice(4), host] : [host];
}

// ---------------------------------------------------------------------------------------------
// Which URLs are issue lists

interface ListTarget {
  /** The API URL, before `per_page` / `state` / `since` are added. */
  readonly url: string;
  /** `/search/issues`: reads `items`, and takes no `state` or `since` parameter. */
  readonly search: boolean;
  /** A github.com page whose `q=` search terms could not be carried over. */
  readonly droppedTerms: boolean;
}

/** Path segments after the API root, or undefined when `url` is not on the API. */
function apiPath(url: URL, root: string): string[] | undefined {
  const rootUrl = parseHttpUrl(root);
  const segments = (path: string): string[] => path.split('/').filter((s) => s !== '');
  if (rootUrl !== undefined && url.host.toLowerCase() === rootUrl.host.toLowerCase()) {
    const rootSegments = segments(rootUrl.pathname);
    const own = segments(url.pathname);
    if (rootSegments.every((s, i) => own[i] === s)) return own.slice(rootSegments.length);
  }
  if (url.host.toLowerCase() === PUBLIC_API_HOST) return segments(url.pathname);
  return undefined;
}

/** An issue list, search, repository page or issues page URL as an API list URL, or why not. */
function listTarget(raw: string, root: string): ListTarget | string {
  const url = parseHttpUrl(raw);
  if (url === undefined) return 'not an http(s) URL';
  const api = apiPath(url, root);
  if (api !== undefined) {
    const [a, b, c, d, ...rest] = api;
    const isList =
      (a === 'repos' && b !== undefined && c !== undefined && d === 'issues' && rest.length === 0) ||
      (a === 'orgs' && b !== undefined && c === 'issues' && d === undefined) ||
      (a === 'user' && b === 'issues' && c === undefined) ||
      (a === 'issues' && b === undefined);
    const isSearch = a === 'search' && b === 'issues' && c === undefined;
    if (!isList && !isSearch) return 'not an issue list or /search/issues URL of the GitHub API';
    return { url: raw.split('#', 1)[0] ?? raw, search: isSearch, droppedTerms: false };
  }
  if (webHosts(root).includes(url.host.toLowerCase())) {
    // https://github.com/<owner>/<repo>[.git] or …/<repo>/issues
    const parts = url.pathname.split('/').filter((s) => s !== '');
    const [owner, repoPart, page, ...rest] = parts;
    if (owner !== undefined && repoPart !== undefined && (page === undefined || page === 'issues') && rest.length === 0) {
      const repo = repoPart.replace(/\.git$/, '');
      const own = splitUrl(raw);
      const kept = own.params.filter((p) => WEB_PARAMS_KEPT.includes(paramName(p)));
      return {
        url: joinUrl({ base: `${root}/repos/${owner}/${repo}/issues`, params: kept }),
        search: false,
        droppedTerms: own.params.some((p) => paramName(p) === 'q'),
      };
    }
    return 'not a repository or issues page (https://github.com/<owner>/<repo>/issues)';
  }
  return `not on the GitHub API (${root}) or its web host`;
}

/**
 * The request URL of a list: `per_page=100` unless given, `state` unless given (not for
 * searches); on incremental runs `since` (the later of the URL's and the run's) and `state=all`.
 */
function listUrl(target: ListTarget, state: string, since: Date | undefined): string {
  let url = splitUrl(target.url);
  if (!target.search) url = withParam(url, 'state', state);
  url = withParam(url, 'per_page', PER_PAGE);
  if (since !== undefined && !target.search) url = incrementalListUrl(url, since, 'since');
  return joinUrl(url);
}

// ---------------------------------------------------------------------------------------------
// Known issues

interface IssueRef {
  readonly owner: string;
  readonly repo: string;
  readonly number: number;
  readonly pull: boolean;
}

const ISSUE_PATH = /^\/([^/]+)\/([^/]+)\/(issues|pull|pulls)\/(\d+)\/?$/;

/** `https://github.com/<o>/<r>/issues/<n>` (or `/pull/<n>`); `hosts` undefined accepts any host. */
function parseIssueUrl(raw: string, hosts?: readonly string[]): IssueRef | undefined {
  const url = parseHttpUrl(raw);
  if (url === undefined) return undefined;
  if (hosts !== undefined && !hosts.includes(url.host.toLowerCase())) return undefined;
  const m = ISSUE_PATH.exec(url.pathname);
  if (!m) return undefined;
  return { owner: decodePart(m[1] ?? ''), repo: decodePart(m[2] ?? ''), number: Number(m[4]), pull: m[3] !== 'issues' };
}

function issueKey(owner: string, repo: string, number: number): string {
  return `${owner.toLowerCase()}/${repo.toLowerCase()}#${number}`;
}

interface KnownIssue extends IssueRef {
  readonly url: string;
}

/** The entry's known URLs that are readable issue URLs (pull requests and others are skipped). */
function knownIssues(entry: TrackerEntry): KnownIssue[] {
  const hosts = webHosts(apiRoot(entry));
  const known: KnownIssue[] = [];
  for (const url of urlList(entry.existing_bug_urls)) {
    const ref = parseIssueUrl(url, hosts);
    if (ref !== undefined && !ref.pull) known.push({ ...ref, url });
  }
  return known;
}

// ---------------------------------------------------------------------------------------------
// Answers

/** One issue of an answer, narrowed to what a record needs. */
interface GithubIssue {
  readonly html_url: string;
  readonly repository_url?: string;
  readonly number?: number;
  readonly title: string;
  readonly body: string;
  readonly state: string;
  readonly user: string;
  readonly assignees: readonly string[];
  readonly comments: number;
  readonly created_at: unknown;
  readonly updated_at: unknown;
  readonly closed_at: string | null;
  readonly labels: readonly string[];
  readonly milestone: string | null;
  readonly pull_request: boolean;
}

function loginOf(user: unknown): string | undefined {
  return isObject(user) && typeof user.login === 'string' && user.login !== '' ? user.login : undefined;
}

/**
 * Pull requests: an object `pull_request` with a non-null `html_url` or `url`. Answers of 2012
 * put an all-null object on every issue, and those are issues:
 *   "pull_request": { "patch_url": null, "diff_url": null, "html_url": null }
 * Today only pull requests carry it:
 *   "pull_request": { "url": "https://api.github.com/repos/o/r/pulls/7", "html_url": "https://github.com/o/r/pull/7", … }
 */
function isPullRequest(item: JsonObject): boolean {
  const pr = item.pull_request;
  return isObject(pr) && ((pr.html_url !== null && pr.html_url !== undefined) || (pr.url !== null && pr.url !== undefined));
}

function readIssue(item: unknown): GithubIssue | undefined {
  if (!isObject(item) || typeof item.html_url !== 'string' || item.html_url === '') return undefined;
  // Answers since 2016 carry `assignees` next to `assignee`; 2012 answers only `assignee`.
  const assignees = new Set<string>();
  for (const a of [...(Array.isArray(item.assignees) ? item.assignees : []), item.assignee]) {
    const login = loginOf(a);
    if (login !== undefined) assignees.add(login);
  }
  const comments = typeof item.comments === 'number' && Number.isFinite(item.comments) ? item.comments : 0;
  const milestone = isObject(item.milestone) && typeof item.milestone.title === 'string' ? item.milestone.title : null;
  return {
    html_url: item.html_url,
    ...(typeof item.repository_url === 'string' ? { repository_url: item.repository_url } : {}),
    ...(typeof item.number === 'number' ? { number: item.number } : {}),
    title: stringOr(item.title, ''),
    body: stringOr(item.body, ''),
    state: stringOr(item.state, ''),
    user: loginOf(item.user) ?? '',
    assignees: [...assignees],
    comments,
    created_at: item.created_at,
    updated_at: item.updated_at,
    closed_at: typeof item.closed_at === 'string' ? item.closed_at : null,
    labels: labelNames(item.labels),
    milestone,
    pull_request: isPullRequest(item) || /\/pull\/\d+\/?$/.test(item.html_url),
  };
}

/** `owner/name` of an issue, from `html_url`, else `repository_url` (`…/repos/<o>/<r>`). */
function repositoryOf(issue: GithubIssue): { readonly owner: string; readonly repo: string } | undefined {
  const ref = parseIssueUrl(issue.html_url);
  if (ref !== undefined) return ref;
  const m = issue.repository_url === undefined ? null : /\/repos\/([^/]+)\/([^/]+)\/?$/.exec(issue.repository_url);
  return m ? { owner: decodePart(m[1] ?? ''), repo: decodePart(m[2] ?? '') } : undefined;
}

function issueNumber(issue: GithubIssue): number | undefined {
  return issue.number ?? parseIssueUrl(issue.html_url)?.number;
}

function makeRecord(issue: GithubIssue, ctx: AdapterContext<GithubEntry>, warnings: string[]): ParsedBug {
  const entry = ctx.entry;
  const repo = repositoryOf(issue);
  const state = issue.state;
  return {
    title: issue.title,
    description: issue.body,
    status: state,
    importance: '',
    people_involved: peopleInvolved([issue.user, ...issue.assignees], issue.comments > 0),
    ...recordDates(issue.html_url, ['created_at', issue.created_at], ['updated_at', issue.updated_at], warnings),
    last_polled: polledStamp(ctx.now),
    submitter_username: issue.user,
    submitter_realname: '',
    canonical_bug_link: issue.html_url,
    looks_closed: looksClosed(entry, state, () => state === 'closed'),
    good_for_newcomers: matchesExactly(issue.labels, commaList(entry.bitesized_tag)),
    concerns_just_documentation: matchesExactly(issue.labels, commaList(entry.documentation_tag)),
    as_appears_in_distribution: stringOr(entry.as_appears_in_distribution, ''),
    _project_name: projectName(entry, { product: repo === undefined ? '' : `${repo.owner}/${repo.repo}` }),
    _tracker_name: entry.tracker_name,
    ...(ctx.extendedScrape
      ? {
          raw_data: {
            number: issueNumber(issue) ?? null,
            labels: issue.labels,
            comments: issue.comments,
            assignees: issue.assignees,
            closed_at: issue.closed_at,
            milestone: issue.milestone,
          },
        }
      : {}),
  };
}

/** Items of a list page (a JSON array) or of a search answer (`{"total_count": …, "items": […]}`). */
function listItems(res: FetchedResponse, warnings: string[]): readonly unknown[] {
  const data = parseJsonBody(res, 'GitHub');
  if (Array.isArray(data)) return data;
  if (isObject(data) && Array.isArray(data.items)) {
    if (data.incomplete_results === true) {
      warnings.push(`GitHub marked the search answer incomplete (it timed out), so issues may be missing: ${res.url}`);
    }
    const firstPage = (paramValue(splitUrl(res.url).params, 'page') ?? '1') === '1';
    if (firstPage && typeof data.total_count === 'number' && data.total_count > SEARCH_CAP) {
      warnings.push(`the search matches ${data.total_count} issues but GitHub answers only the first ${SEARCH_CAP}: ${res.url}`);
    }
    return data.items;
  }
  const message = isObject(data) && typeof data.message === 'string' ? ` ("${data.message}")` : '';
  throw new ParseError(`expected a JSON list of issues${message}: ${res.url}`, res.url);
}

/** Pagination: the `Link` header's rel="next", never a page number of our own. */
function nextPage(res: FetchedResponse, req: RequestSpec): RequestSpec[] {
  const next = parseLinkHeader(res.headers.link, res.url).next;
  return next === undefined ? [] : [{ ...req, url: next }];
}

function readList(
  res: FetchedResponse,
  req: RequestSpec,
  ctx: AdapterContext<GithubEntry>,
  keep: (issue: GithubIssue) => boolean,
): HandleResult {
  const warnings: string[] = [];
  const bugs: BugRecord[] = [];
  const updates: BugRecord[] = [];
  const scope = scopeOf(req.meta);
  for (const item of listItems(res, warnings)) {
    const issue = readIssue(item);
    if (issue === undefined) {
      warnings.push(`an item without html_url was skipped: ${res.url}`);
    } else if (!issue.pull_request && keep(issue)) {
      const inScope = scope === undefined || scope === 'all' || scope === issue.state;
      (inScope ? bugs : updates).push(makeRecord(issue, ctx, warnings));
    }
  }
  return { bugs, updates, requests: nextPage(res, req), warnings };
}

function handleList(res: FetchedResponse, req: RequestSpec, ctx: AdapterContext<GithubEntry>): HandleResult {
  return readList(res, req, ctx, () => true);
}

/** `get_older_bug_data`: only issues listed in `existing_bug_urls` get records. */
function handleOlder(res: FetchedResponse, req: RequestSpec, ctx: AdapterContext<GithubEntry>): HandleResult {
  const known = new Set(knownIssues(ctx.entry).map((k) => issueKey(k.owner, k.repo, k.number)));
  return readList(res, req, ctx, (issue) => {
    const repo = repositoryOf(issue);
    const number = issueNumber(issue);
    return repo !== undefined && number !== undefined && known.has(issueKey(repo.owner, repo.repo, number));
  });
}

/** A known issue's own request: a record, `_deleted` (404, 410, transferred), or a skip. */
function handleIssue(res: FetchedResponse, req: RequestSpec, ctx: AdapterContext<GithubEntry>): HandleResult {
  const { knownUrl, otherKnownUrls } = readKnownMeta(req.meta);
  const allKnown = [knownUrl, ...otherKnownUrls];
  if (res.status === 404 || res.status === 410) {
    return { bugs: allKnown.map((url) => deletedRecord(url, ctx)) };
  }
  if (res.status === 401 || res.status === 403) {
    return { warnings: [`${knownUrl}: GitHub answered ${res.status}; the issue may have become private, skipped`] };
  }
  const data = parseJsonBody(res, 'GitHub');
  const issue = readIssue(data);
  if (issue === undefined) throw new ParseError(`expected a JSON issue with html_url: ${res.url}`, res.url);
  if (issue.pull_request) return { warnings: [`${knownUrl}: is a pull request, skipped`] };
  // A transferred issue answers (after GitHub's 301) from its new repository:
  //   known https://github.com/old-owner/tool/issues/12 → "html_url": "https://github.com/new-owner/tool/issues/3"
  const known = parseIssueUrl(knownUrl);
  const now = repositoryOf(issue);
  if (
    known !== undefined &&
    now !== undefined &&
    (known.owner.toLowerCase() !== now.owner.toLowerCase() || known.repo.toLowerCase() !== now.repo.toLowerCase())
  ) {
    return { bugs: allKnown.map((url) => deletedRecord(url, ctx)) };
  }
  const warnings: string[] = [];
  return { bugs: [makeRecord(issue, ctx, warnings)], warnings };
}

// ---------------------------------------------------------------------------------------------
// Plan

function plan(ctx: AdapterContext<GithubEntry>): RequestSpec[] {
  const entry = ctx.entry;
  const root = apiRoot(entry);
  const state = entryState(entry, STATES);
  const { requests, add } = requestList((request) => `${request.kind} ${request.url}`);

  const queries = urlList(entry.queries);
  const targets: ListTarget[] = [];
  if (queries.length > 0) {
    for (const query of queries) {
      const target = listTarget(query, root);
      if (typeof target !== 'string') targets.push(target);
    }
  } else {
    const name = text(entry.github_name);
    const repo = text(entry.github_repo);
    if (name !== undefined && repo !== undefined) {
      targets.push({ url: `${root}/repos/${encodeURIComponent(name)}/${encodeURIComponent(repo)}/issues`, search: false, droppedTerms: false });
    }
  }
  for (const target of targets) {
    // Incremental runs ask for every state; the scope of a full run travels along, so that an
    // issue now outside it (closed since the last run) only updates a record already held.
    const scope = ctx.since !== undefined && !target.search ? paramValue(splitUrl(listUrl(target, state, undefined)).params, 'state') : undefined;
    add({ kind: 'list', url: listUrl(target, state, ctx.since), headers: GITHUB_HEADERS, ...(scope ? { meta: { scope } } : {}) });
  }

  const known = knownIssues(entry);
  if (known.length === 0) return requests;
  const older = text(entry.get_older_bug_data);
  if (older !== undefined) {
    const target = listTarget(older, root);
    if (typeof target !== 'string') add({ kind: 'older', url: listUrl(target, 'all', ctx.since), headers: GITHUB_HEADERS });
    return requests;
  }
  // One request per issue, even when existing_bug_urls spells it twice.
  const byIssue = new Map<string, KnownIssue[]>();
  for (const issue of known) {
    const key = issueKey(issue.owner, issue.repo, issue.number);
    byIssue.set(key, [...(byIssue.get(key) ?? []), issue]);
  }
  for (const [first, ...others] of byIssue.values()) {
    if (first === undefined) continue;
    add({
      kind: 'issue',
      url: `${root}/repos/${encodeURIComponent(first.owner)}/${encodeURIComponent(first.repo)}/issues/${first.number}`,
      headers: GITHUB_HEADERS,
      meta: knownMeta([first.url, ...others.map((o) => o.url)]),
      acceptStatus: [401, 403, 404, 410],
    });
  }
  return requests;
}

// ---------------------------------------------------------------------------------------------
// Check

function check(entry: GithubEntry): EntryProblem[] {
  const { problems, report } = problemList();

  const apiUrl = entry.api_url;
  if (apiUrl !== undefined && apiUrl !== null && (typeof apiUrl !== 'string' || (apiUrl.trim() !== '' && parseHttpUrl(apiUrl.trim()) === undefined))) {
    report('error', 'api_url', 'api_url must be an http(s) URL, e.g. https://github.example.com/api/v3');
  }
  const root = apiRoot(entry);

  problems.push(...stateProblems(entry, STATES));

  const queries = urlList(entry.queries);
  const name = text(entry.github_name);
  const repo = text(entry.github_repo);
  if (queries.length === 0 && (name === undefined || repo === undefined)) {
    report('error', name === undefined ? 'github_name' : 'github_repo', 'give github_name and github_repo, or queries');
  }
  const ownerName = /^[A-Za-z0-9_.-]+$/;
  if (name !== undefined && !ownerName.test(name)) report('error', 'github_name', `"${name}" is not a GitHub user or organisation name`);
  if (repo !== undefined && !ownerName.test(repo)) report('error', 'github_repo', `"${repo}" is not a GitHub repository name`);

  queries.forEach((query, index) => {
    const target = listTarget(query, root);
    if (typeof target === 'string') report('error', 'queries', `${query}: ${target}`, index);
    else if (target.droppedTerms) {
      report('warning', 'queries', `${query}: the page's search terms (q=) are not carried over to the API; use a https://api.github.com/search/issues?q=… URL to search`, index);
    }
  });

  const hosts = webHosts(root);
  urlList(entry.existing_bug_urls).forEach((url, index) => {
    const ref = parseIssueUrl(url, hosts);
    if (ref === undefined) {
      report('warning', 'existing_bug_urls', `${url}: not a GitHub issue URL (https://${hosts[0] ?? 'github.com'}/<owner>/<repo>/issues/<n>), skipped`, index);
    } else if (ref.pull) {
      report('warning', 'existing_bug_urls', `${url}: pull request, skipped`, index);
    }
  });

  const older = text(entry.get_older_bug_data);
  if (older !== undefined) {
    const target = listTarget(older, root);
    if (typeof target === 'string') report('error', 'get_older_bug_data', `${older}: ${target}`);
    else if (target.search) report('error', 'get_older_bug_data', `${older}: must be an issue list, not a search`);
    else if (urlList(entry.existing_bug_urls).length === 0) report('warning', 'get_older_bug_data', 'has no effect without existing_bug_urls');
  }

  problems.push(...emptyListProblems(entry, ['bitesized_tag', 'documentation_tag'], 'label name'));
  return problems;
}

// ---------------------------------------------------------------------------------------------
// Credentials

/**
 * `token_env` goes only to the entry's own API host; GITHUB_TOKEN, GH_TOKEN and the old
 * GITHUB_USERNAME + GITHUB_PERSONAL_ACCESS_TOKEN pair only to api.github.com.
 */
function credentials(
  entry: GithubEntry,
  url: string,
  env: Readonly<Record<string, string | undefined>>,
): Credentials | undefined {
  const host = hostOf(url);
  if (host === undefined) return undefined;
  const tokenEnv = text(entry.token_env);
  if (tokenEnv !== undefined && host === hostOf(apiRoot(entry))) {
    const token = text(env[tokenEnv]);
    if (token !== undefined) return { headers: { Authorization: `Bearer ${token}` }, source: tokenEnv };
  }
  if (host !== PUBLIC_API_HOST) return undefined;
  for (const variable of ['GITHUB_TOKEN', 'GH_TOKEN']) {
    const token = text(env[variable]);
    if (token !== undefined) return { headers: { Authorization: `Bearer ${token}` }, source: variable };
  }
  const user = text(env.GITHUB_USERNAME);
  const token = text(env.GITHUB_PERSONAL_ACCESS_TOKEN);
  if (user !== undefined && token !== undefined) {
    return {
      headers: { Authorization: basicAuth(`${user}:${token}`) },
      source: 'GITHUB_USERNAME + GITHUB_PERSONAL_ACCESS_TOKEN',
    };
  }
  return undefined;
}

export const githubAdapter: TrackerAdapter<GithubEntry> = {
  type: 'github',
  aliases: ['github.GitHubBugImporter'],
  description: 'GitHub and GitHub Enterprise issues, through the REST API (pull requests excluded).',
  fields: FIELDS,
  incremental: true,
  example: {
    tracker_name: 'Sphinx',
    bugimporter: 'github',
    github_name: 'sphinx-doc',
    github_repo: 'sphinx',
    state: 'open',
    bitesized_tag: 'good first issue',
    documentation_tag: 'type:docs',
    existing_bug_urls: ['https://github.com/sphinx-doc/sphinx/issues/1234'],
  },
  check,
  plan,
  handlers: { list: handleList, older: handleOlder, issue: handleIssue },
  credentials,
};
