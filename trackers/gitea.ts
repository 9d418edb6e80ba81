// Gitea and Forgejo issues (trackers.md §10): API v1 repository issue lists and single issues,
// on any instance (Codeberg among them), turned into ParsedBug records. Pure: requests are
// described, answers are read; the engine does every fetch.

import { ParseError } from '../src/core/errors.ts';
import type {
  AdapterContext, BugRecord, Credentials, EntryProblem, FetchedResponse, FieldSpec, HandleResult, Json, ParsedBug,
  RequestSpec, TrackerAdapter, TrackerEntry,
} from '../src/core/types.ts';
import {
  commaList, type CommonEntry, deletedRecord, emptyListProblems, entryState, knownMeta, looksClosed, matchesExactly,
  polledStamp, problemList, projectName, readKnownMeta, requestList, stateProblems, text, textOrNumber, urlList,
} from './common.ts';
import { recordDates } from './dates.ts';
import { countOf, isGoneAnswer, labelNames, listRequest, peopleInvolved } from './forge.ts';
import { isObject, metaField, parseJsonBody, scopeOf, stringOr } from './json.ts';
import { parseLinkHeader } from './link-header.ts';
import { decodePart, hostOf, joinUrl, paramValue, parseHttpUrl, segmentsUnder, type SplitUrl, splitUrl, withParam, withSlash } from './urls.ts';

/** A `gitea` (or `forgejo`) tracker entry. Values come from YAML, so the adapter narrows each one. */
export interface GiteaEntry extends CommonEntry {
  /** `owner/name` */
  readonly repo?: string;
  readonly state?: string;
  readonly bitesized_tag?: string;
  readonly documentation_tag?: string;
}

const STATES = ['open', 'closed', 'all'];
/** What customs asks for a page. Gitea clamps `limit` to its MAX_RESPONSE_ITEMS, 50 by default. */
const LIMIT = 50;
/** Gitea's page size when a URL names no `limit` (DEFAULT_PAGING_NUM). */
const DEFAULT_LIMIT = 30;

export const GITEA_HEADERS: Readonly<Record<string, string>> = { Accept: 'application/json' };

/** Owner and repository names: letters, digits, `_`, `-`, `.`. */
const NAME = /^[A-Za-z0-9_.-]+$/;

const FIELDS: readonly FieldSpec[] = [
  {
    name: 'base_url',
    kind: 'url',
    required: true,
    help: 'The Gitea or Forgejo instance root, e.g. https://codeberg.org/.',
    example: 'https://codeberg.org/',
  },
  {
    name: 'repo',
    kind: 'string',
    required: 'when there are no queries',
    help: 'The repository as owner/name.',
    example: 'forgejo/forgejo',
  },
  {
    name: 'queries',
    kind: 'url-list',
    required: false,
    default: '[]',
    help: 'Issue lists of the API to import: <base_url>api/v1/repos/<owner>/<name>/issues?…. Each keeps its parameters (labels, milestones…) and gets the entry\'s state, type=issues and limit=50 when missing. Default: every issue of repo in the given state.',
    example: 'https://codeberg.org/api/v1/repos/forgejo/forgejo/issues?labels=good%20first%20issue',
  },
  {
    name: 'existing_bug_urls',
    kind: 'url-list',
    required: false,
    default: '[]',
    help: 'Issue URLs you already have (<base_url><owner>/<name>/issues/<index>). Each run refreshes them one by one; an issue answering 404 or 410 becomes _deleted. Pull requests are skipped.',
    example: 'https://codeberg.org/forgejo/forgejo/issues/1234',
  },
  {
    name: 'state',
    kind: 'choice',
    required: false,
    choices: STATES,
    default: 'open',
    help: 'Which issues to import: open, closed or all. Used when a query URL names no state.',
    example: 'open',
  },
  {
    name: 'bitesized_tag',
    kind: 'comma-list',
    required: false,
    default: '""',
    help: 'Comma list of label names (exact, case-sensitive) that mark a bite-sized issue.',
    example: 'good first issue',
  },
  {
    name: 'documentation_tag',
    kind: 'comma-list',
    required: false,
    default: '""',
    help: 'Comma list of label names (exact, case-sensitive; scoped labels in full) that mark a documentation issue.',
    example: 'Kind/Documentation',
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
    help: 'Environment variable holding an access token for this instance (sent as "Authorization: token …"). Without it, requests go without a token.',
    example: 'CODEBERG_TOKEN',
  },
];

// ---------------------------------------------------------------------------------------------
// Entry values

function baseUrl(entry: TrackerEntry): string | undefined {
  const base = textOrNumber(entry.base_url);
  return base === undefined ? undefined : withSlash(base);
}

/** `https://codeberg.org/api/v1` */
function apiRoot(base: string): string {
  return `${base}api/v1`;
}

interface Repo {
  readonly owner: string;
  readonly name: string;
}

function repoRef(value: unknown): Repo | undefined {
  const parts = (textOrNumber(value) ?? '').replace(/^\/+|\/+$/g, '').replace(/\.git$/, '').split('/');
  const [owner, name, ...rest] = parts;
  if (owner === undefined || name === undefined || rest.length > 0 || !NAME.test(owner) || !NAME.test(name)) return undefined;
  return { owner, name };
}

function repoPath({ owner, name }: Repo): string {
  return `${encodeURIComponent(owner)}/${encodeURIComponent(name)}`;
}

// ---------------------------------------------------------------------------------------------
// Issue lists

/** A query as an API list URL (`<api>/repos/<owner>/<name>/issues?…`), or why it is not one. */
function listTarget(raw: string, api: string): SplitUrl | string {
  const url = parseHttpUrl(raw);
  if (url === undefined) return 'not an http(s) URL';
  if (url.host.toLowerCase() !== hostOf(api)) return `not on this tracker's instance (${api}/)`;
  const [repos, owner, name, issues, ...rest] = segmentsUnder(url, `${api}/`) ?? [];
  if (repos !== 'repos' || owner === undefined || name === undefined || issues !== 'issues' || rest.length > 0) {
    return `not an issue list of the API (${api}/repos/<owner>/<name>/issues)`;
  }
  return splitUrl(raw);
}

/** The full-run list URL: `state`, `type=issues` and `limit=50` unless given. */
function fullListUrl(target: SplitUrl, state: string): SplitUrl {
  return withParam(withParam(withParam(target, 'state', state), 'type', 'issues'), 'limit', String(LIMIT));
}

// ---------------------------------------------------------------------------------------------
// Known issues

interface IssueRef extends Repo {
  readonly index: number;
  readonly pull: boolean;
}

/** `<base>owner/name/issues/12` (or `/pulls/12`); anchors such as `#issuecomment-5` are ignored. */
function parseIssueUrl(raw: string, base: string): IssueRef | undefined {
  const url = parseHttpUrl(raw);
  const segments = url === undefined ? undefined : segmentsUnder(url, base);
  if (segments === undefined) return undefined;
  const [owner, name, kind, index, ...rest] = segments.map(decodePart);
  if (owner === undefined || name === undefined || index === undefined || rest.length > 0) return undefined;
  if ((kind !== 'issues' && kind !== 'pulls') || !/^\d+$/.test(index) || !NAME.test(owner) || !NAME.test(name)) return undefined;
  return { owner, name, index: Number(index), pull: kind === 'pulls' };
}

/** Known issue URLs grouped by issue (names are case-insensitive), pull requests left out. */
function knownIssues(entry: TrackerEntry, base: string): { ref: IssueRef; urls: string[] }[] {
  const byIssue = new Map<string, { ref: IssueRef; urls: string[] }>();
  for (const url of urlList(entry.existing_bug_urls, textOrNumber)) {
    const ref = parseIssueUrl(url, base);
    if (ref === undefined || ref.pull) continue;
    const key = `${ref.owner}/${ref.name}#${ref.index}`.toLowerCase();
    const group = byIssue.get(key);
    if (group) group.urls.push(url);
    else byIssue.set(key, { ref, urls: [url] });
  }
  return [...byIssue.values()];
}

// ---------------------------------------------------------------------------------------------
// Answers

/** One issue of an answer, narrowed to what a record needs. */
interface GiteaIssue {
  readonly html_url: string;
  readonly number: number | null;
  readonly title: string;
  readonly body: string;
  readonly state: string;
  readonly user: string;
  readonly userFullName: string;
  readonly assignees: readonly string[];
  readonly comments: number;
  readonly created_at: unknown;
  readonly updated_at: unknown;
  readonly labels: readonly string[];
  readonly milestone: string | null;
  readonly pull_request: boolean;
  /** `repository.full_name`, e.g. `forgejo/forgejo`. */
  readonly repository?: string;
}

function loginOf(user: unknown): string {
  return isObject(user) && typeof user.login === 'string' ? user.login : '';
}

function readIssue(item: unknown): GiteaIssue | undefined {
  if (!isObject(item) || typeof item.html_url !== 'string' || item.html_url === '') return undefined;
  // No assignee is `"assignees": null`, not `[]`.
  const assignees = (Array.isArray(item.assignees) ? item.assignees : [item.assignee]).map(loginOf);
  const user = isObject(item.user) ? item.user : {};
  const repository = isObject(item.repository) ? item.repository : {};
  // Issues carry `"pull_request": null`; pull requests an object:
  //   "pull_request": {"merged": false, "merged_at": null, "draft": false, "html_url": "https://codeberg.org/o/r/pulls/7"}
  const pull = (item.pull_request !== null && item.pull_request !== undefined) || /\/pulls\/\d+\/?$/.test(item.html_url);
  return {
    html_url: item.html_url,
    number: typeof item.number === 'number' ? item.number : null,
    title: stringOr(item.title, ''),
    body: stringOr(item.body, ''),
    state: stringOr(item.state, ''),
    // Issues migrated from another forge belong to the migrating account (or "Ghost") and name
    // the original author in `original_author`; customs reports `user`, as §10 says.
    user: loginOf(user),
    userFullName: stringOr(user.full_name, ''),
    assignees,
    comments: countOf(item.comments),
    created_at: item.created_at,
    updated_at: item.updated_at,
    labels: labelNames(item.labels),
    milestone: isObject(item.milestone) && typeof item.milestone.title === 'string' ? item.milestone.title : null,
    pull_request: pull,
    ...(typeof repository.full_name === 'string' && repository.full_name !== '' ? { repository: repository.full_name } : {}),
  };
}

/** `{product}`: `repository.full_name` when sent, else `owner/name` of the request URL. */
function productOf(issue: GiteaIssue, requestUrl: string): string {
  if (issue.repository !== undefined) return issue.repository;
  const m = /\/repos\/([^/]+)\/([^/?#]+)\/issues/.exec(requestUrl);
  return m ? `${decodePart(m[1] ?? '')}/${decodePart(m[2] ?? '')}` : '';
}

function makeRecord(issue: GiteaIssue, req: RequestSpec, ctx: AdapterContext<GiteaEntry>, warnings: string[]): ParsedBug {
  const entry = ctx.entry;
  const state = issue.state;
  return {
    title: issue.title,
    description: issue.body,
    status: state,
    importance: '',
    people_involved: peopleInvolved([issue.user, ...issue.assignees], issue.comments > 0),
    // Gitea writes times in the server's own zone: "2024-03-05T11:12:13+01:00".
    ...recordDates(issue.html_url, ['created_at', issue.created_at], ['updated_at', issue.updated_at], warnings),
    last_polled: polledStamp(ctx.now),
    submitter_username: issue.user,
    submitter_realname: issue.userFullName,
    canonical_bug_link: issue.html_url,
    looks_closed: looksClosed(entry, state, () => state === 'closed'),
    good_for_newcomers: matchesExactly(issue.labels, commaList(entry.bitesized_tag)),
    concerns_just_documentation: matchesExactly(issue.labels, commaList(entry.documentation_tag)),
    as_appears_in_distribution: stringOr(entry.as_appears_in_distribution, ''),
    _project_name: projectName(entry, { product: productOf(issue, req.url) }),
    _tracker_name: entry.tracker_name,
    ...(ctx.extendedScrape
      ? { raw_data: { number: issue.number, labels: issue.labels, comments: issue.comments, milestone: issue.milestone } }
      : {}),
  };
}

/**
 * The next page (§10):
 * 1. the `Link` header's rel="next" — Gitea sends it whenever there is more:
 *      <https://codeberg.org/api/v1/repos/o/r/issues?limit=50&page=2&state=open&type=issues>; rel="next",<…&page=4…>; rel="last"
 * 2. a `Link` header without rel="next" is the last page;
 * 3. without any `Link` (old servers, or one page only), `X-Total-Count` against the items seen
 *    so far, or else a page shorter than the limit applied (at most 50) ends the list.
 */
function nextPage(res: FetchedResponse, req: RequestSpec, count: number): RequestSpec[] {
  const seen = Number(metaField(req.meta, 'seen') ?? 0) + count;
  const scope = scopeOf(req.meta);
  const meta: Json = scope === undefined ? { seen } : { scope, seen };
  const links = parseLinkHeader(res.headers.link, res.url);
  if (links.next !== undefined) return [{ ...req, url: links.next, meta }];
  if (Object.keys(links).length > 0 || count === 0) return [];
  const url = splitUrl(res.url);
  const total = Number.parseInt(res.headers['x-total-count'] ?? '', 10);
  if (Number.isFinite(total)) {
    if (seen >= total) return [];
  } else {
    const asked = Number.parseInt(paramValue(url.params, 'limit') ?? '', 10);
    const applied = Math.min(Number.isFinite(asked) && asked > 0 ? asked : DEFAULT_LIMIT, LIMIT);
    if (count < applied) return [];
  }
  const page = Number.parseInt(paramValue(url.params, 'page') ?? '1', 10);
  const nextNumber = Number.isFinite(page) && page > 0 ? page + 1 : 2;
  return [{ ...req, url: joinUrl(withParam(url, 'page', String(nextNumber), true)), meta }];
}

function handleList(res: FetchedResponse, req: RequestSpec, ctx: AdapterContext<GiteaEntry>): HandleResult {
  const data = parseJsonBody(res, 'Gitea');
  if (!Array.isArray(data)) {
    const message = isObject(data) && typeof data.message === 'string' ? ` ("${data.message}")` : '';
    throw new ParseError(`expected a JSON list of issues${message}: ${res.url}`, res.url);
  }
  const warnings: string[] = [];
  const bugs: BugRecord[] = [];
  const updates: BugRecord[] = [];
  const scope = scopeOf(req.meta);
  for (const item of data) {
    const issue = readIssue(item);
    if (issue === undefined) {
      warnings.push(`an item without html_url was skipped: ${res.url}`);
      continue;
    }
    // `type=issues` already leaves pull requests out; an older server may not know it.
    if (issue.pull_request) continue;
    const inScope = scope === undefined || scope === 'all' || scope === issue.state;
    (inScope ? bugs : updates).push(makeRecord(issue, req, ctx, warnings));
  }
  return { bugs, updates, requests: nextPage(res, req, data.length), warnings };
}

/** A known issue's own request: a fresh record, `_deleted` (404, 410), or a skip. */
function handleIssue(res: FetchedResponse, req: RequestSpec, ctx: AdapterContext<GiteaEntry>): HandleResult {
  const { knownUrl, otherKnownUrls } = readKnownMeta(req.meta);
  // `{"errors": null, "message": "The target couldn't be found.", "url": "https://codeberg.org/api/swagger"}`
  if (isGoneAnswer(res, 'Gitea')) return { bugs: [knownUrl, ...otherKnownUrls].map((url) => deletedRecord(url, ctx)) };
  if (res.status === 401 || res.status === 403) {
    return { warnings: [`${knownUrl}: the server answered ${res.status}; the issue may have become private, skipped`] };
  }
  const issue = readIssue(parseJsonBody(res, 'Gitea'));
  if (issue === undefined) throw new ParseError(`expected a JSON issue with html_url: ${res.url}`, res.url);
  // Issues and pull requests share one numbering, and /issues/<n> answers both.
  if (issue.pull_request) return { warnings: [`${knownUrl}: is a pull request, skipped`] };
  const warnings: string[] = [];
  return { bugs: [makeRecord(issue, req, ctx, warnings)], warnings };
}

// ---------------------------------------------------------------------------------------------
// Plan

function plan(ctx: AdapterContext<GiteaEntry>): RequestSpec[] {
  const entry = ctx.entry;
  const base = baseUrl(entry);
  if (base === undefined) return [];
  const api = apiRoot(base);
  const state = entryState(entry, STATES);
  const { requests, add } = requestList();

  const targets: SplitUrl[] = [];
  const queries = urlList(entry.queries, textOrNumber);
  if (queries.length > 0) {
    for (const query of queries) {
      const target = listTarget(query, api);
      if (typeof target !== 'string') targets.push(target);
    }
  } else {
    const repo = repoRef(entry.repo);
    if (repo !== undefined) {
      targets.push({ base: `${api}/repos/${repoPath(repo)}/issues`, params: [`state=${state}`, 'type=issues', `limit=${LIMIT}`, 'page=1'] });
    }
  }
  for (const target of targets) add(listRequest(fullListUrl(target, state), GITEA_HEADERS, ctx.since, 'since'));

  for (const { ref, urls } of knownIssues(entry, base)) {
    add({
      kind: 'issue',
      url: `${api}/repos/${repoPath(ref)}/issues/${ref.index}`,
      headers: GITEA_HEADERS,
      meta: knownMeta(urls),
      acceptStatus: [401, 403, 404, 410],
    });
  }
  return requests;
}

// ---------------------------------------------------------------------------------------------
// Check

function check(entry: GiteaEntry): EntryProblem[] {
  const { problems, report } = problemList();

  const base = baseUrl(entry);
  if (base === undefined || parseHttpUrl(base) === undefined) {
    report('error', 'base_url', 'base_url must be the instance\'s http(s) root, e.g. https://codeberg.org/');
    return problems;
  }
  problems.push(...stateProblems(entry, STATES));

  const queries = urlList(entry.queries, textOrNumber);
  const repo = textOrNumber(entry.repo);
  if (queries.length === 0 && repo === undefined) report('error', 'repo', 'give repo (owner/name), or queries');
  if (repo !== undefined && repoRef(repo) === undefined) {
    const hint = parseHttpUrl(repo) !== undefined ? ' (give owner/name, not the web address)' : '';
    report('error', 'repo', `"${repo}" is not a repository as owner/name${hint}`);
  }

  const api = apiRoot(base);
  queries.forEach((query, index) => {
    const target = listTarget(query, api);
    if (typeof target === 'string') report('error', 'queries', `${query}: ${target}`, index);
    else if (paramValue(target.params, 'type') === 'pulls') {
      report('warning', 'queries', `${query}: lists pull requests (type=pulls), which customs does not import`, index);
    }
  });

  urlList(entry.existing_bug_urls, textOrNumber).forEach((url, index) => {
    const ref = parseIssueUrl(url, base);
    if (ref === undefined) {
      report('warning', 'existing_bug_urls', `${url}: not an issue URL of ${base} (${base}<owner>/<name>/issues/<index>), skipped`, index);
    } else if (ref.pull) {
      report('warning', 'existing_bug_urls', `${url}: pull request, skipped`, index);
    }
  });

  problems.push(...emptyListProblems(entry, ['bitesized_tag', 'documentation_tag'], 'label name'));
  return problems;
}

// ---------------------------------------------------------------------------------------------
// Credentials

/** Only through `token_env`, and only to the entry's own host: Gitea has no public host. */
function credentials(
  entry: GiteaEntry,
  url: string,
  env: Readonly<Record<string, string | undefined>>,
): Credentials | undefined {
  const tokenEnv = textOrNumber(entry.token_env);
  const base = baseUrl(entry);
  if (tokenEnv === undefined || base === undefined) return undefined;
  const host = hostOf(url);
  if (host === undefined || host !== hostOf(base)) return undefined;
  const token = text(env[tokenEnv]);
  return token === undefined ? undefined : { headers: { Authorization: `token ${token}` }, source: tokenEnv };
}

export const giteaAdapter: TrackerAdapter<GiteaEntry> = {
  type: 'gitea',
  aliases: ['forgejo'],
  description: 'Gitea and Forgejo issues (Codeberg and self-hosted), through the REST API v1 (pull requests excluded).',
  fields: FIELDS,
  example: {
    tracker_name: 'Forgejo',
    bugimporter: 'gitea',
    base_url: 'https://codeberg.org/',
    repo: 'forgejo/forgejo',
    state: 'open',
    bitesized_tag: 'good first issue',
    documentation_tag: 'Kind/Documentation',
    bug_project_name_format: '{product}',
    existing_bug_urls: ['https://codeberg.org/forgejo/forgejo/issues/1234'],
  },
  check,
  plan,
  handlers: { list: handleList, issue: handleIssue },
  incremental: true,
  credentials,
};
