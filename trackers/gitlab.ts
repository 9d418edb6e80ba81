// GitLab issues (trackers.md §6): API v4 project or group issue lists and single issues, on
// gitlab.com or a self-hosted instance, turned into ParsedBug records. Pure: requests are
// described, answers are read; the engine does every fetch, retry and rate-limit pause
// (`RateLimit-Remaining` / `RateLimit-Reset`, 429 `Retry-After`).

import { ParseError } from '../src/core/errors.ts';
import type {
  AdapterContext, BugRecord, Credentials, EntryProblem, FetchedResponse, FieldSpec, HandleResult, ParsedBug,
  RequestSpec, TrackerAdapter, TrackerEntry,
} from '../src/core/types.ts';
import {
  commaList, type CommonEntry, deletedRecord, emptyListProblems, knownMeta, looksClosed, matchesExactly, polledStamp,
  problemList, projectName, readKnownMeta, requestList, stateProblems, text, textOrNumber, urlList,
} from './common.ts';
import { recordDates } from './dates.ts';
import { countOf, isGoneAnswer, labelNames, listRequest, peopleInvolved } from './forge.ts';
import { isObject, parseJsonBody, scopeOf, stringOr } from './json.ts';
import { parseLinkHeader } from './link-header.ts';
import { decodePart, hostOf, joinUrl, parseHttpUrl, segmentsUnder, type SplitUrl, splitUrl, withParam, withSlash } from './urls.ts';

/** A `gitlab` tracker entry. Values come from YAML, so the adapter still narrows each one. */
export interface GitlabEntry extends CommonEntry {
  /** `group/subgroup/name`, or the numeric id (YAML may give it as a number). */
  readonly project?: string | number;
  readonly state?: string;
  readonly bitesized_tag?: string;
  readonly documentation_tag?: string;
}

const DEFAULT_BASE_URL = 'https://gitlab.com/';
/** The only host that receives `GITLAB_TOKEN`; self-hosted instances need `token_env` (§1.10). */
const PUBLIC_HOST = 'gitlab.com';
const STATES = ['open', 'closed', 'all'];
/** The entry says `open`; GitLab's word is `opened`. */
const API_STATE: Readonly<Record<string, string>> = { open: 'opened', closed: 'closed', all: 'all' };
const PER_PAGE = '100';

export const GITLAB_HEADERS: Readonly<Record<string, string>> = { Accept: 'application/json' };

/** `group/sub-group/name`: two or more segments of letters, digits, `_`, `-`, `.`. */
const PROJECT_PATH = /^[A-Za-z0-9_.][A-Za-z0-9_.-]*(?:\/[A-Za-z0-9_.][A-Za-z0-9_.-]*)+$/;

const FIELDS: readonly FieldSpec[] = [
  {
    name: 'base_url',
    kind: 'url',
    required: false,
    default: DEFAULT_BASE_URL,
    help: 'The GitLab instance, for self-hosted GitLab (https://gitlab.example.org/). GITLAB_TOKEN goes only to gitlab.com; a self-hosted instance needs token_env.',
    example: 'https://gitlab.gnome.org/',
  },
  {
    name: 'project',
    kind: 'string',
    required: 'when there are no queries',
    help: 'The project path as in its web address (group/subgroup/name), or its numeric project id.',
    example: 'fdroid/fdroidclient',
  },
  {
    name: 'queries',
    kind: 'url-list',
    required: false,
    default: '[]',
    help: 'Issue lists of the API to import: <base_url>api/v4/projects/<id or encoded path>/issues?… or …/api/v4/groups/<id>/issues?…. Each keeps its parameters (labels, milestone…) and gets per_page=100 and the entry\'s state when missing. Default: every issue of project in the given state.',
    example: 'https://gitlab.com/api/v4/projects/fdroid%2Ffdroidclient/issues?labels=beginner',
  },
  {
    name: 'existing_bug_urls',
    kind: 'url-list',
    required: false,
    default: '[]',
    help: 'Issue web URLs you already have (…/<path>/-/issues/<iid>, or the older …/<path>/issues/<iid>). Each run refreshes them one by one; an issue answering 404 or 410 (deleted, or confidential and so gone from public view) becomes _deleted.',
    example: 'https://gitlab.com/fdroid/fdroidclient/-/issues/2674',
  },
  {
    name: 'state',
    kind: 'choice',
    required: false,
    choices: STATES,
    default: 'open',
    help: 'Which issues to import: open (sent to GitLab as "opened"), closed or all. Used when a query URL names no state.',
    example: 'open',
  },
  {
    name: 'bitesized_tag',
    kind: 'comma-list',
    required: false,
    default: '""',
    help: 'Comma list of label names (exact, case-sensitive) that mark a bite-sized issue.',
    example: 'good first issue, quick win',
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
    name: 'bug_project_name_format',
    kind: 'name-format',
    required: false,
    default: '{tracker_name}',
    placeholders: ['product'],
    help: 'Pattern for _project_name: {tracker_name}, and {product} for the issue\'s project path (group/name).',
    example: '{product}',
  },
  {
    name: 'closed_status',
    kind: 'comma-list',
    required: false,
    help: 'Comma list of states meaning closed, compared with the issue\'s state (opened/closed), case-insensitive. Replaces the rule "state is closed".',
  },
  {
    name: 'token_env',
    kind: 'env-name',
    required: false,
    help: 'Environment variable holding a GitLab token (sent as PRIVATE-TOKEN) for this instance. Without it, GITLAB_TOKEN is used for gitlab.com only.',
    example: 'GNOME_GITLAB_TOKEN',
  },
];

// ---------------------------------------------------------------------------------------------
// Entry values

function baseUrl(entry: TrackerEntry): string {
  return withSlash(textOrNumber(entry.base_url) ?? DEFAULT_BASE_URL);
}

/** `https://gitlab.com/api/v4` */
function apiRoot(entry: TrackerEntry): string {
  return `${baseUrl(entry)}api/v4`;
}

function apiState(entry: TrackerEntry): string {
  const state = text(entry.state)?.toLowerCase();
  return API_STATE[state ?? ''] ?? 'opened';
}

/** The project as given (`group/name`, without slashes around or `.git`), or its numeric id. */
function projectRef(value: unknown): string | undefined {
  const raw = textOrNumber(value);
  if (raw === undefined) return undefined;
  if (/^\d+$/.test(raw)) return raw;
  const path = raw.replace(/^\/+|\/+$/g, '').replace(/\.git$/, '');
  return PROJECT_PATH.test(path) ? path : undefined;
}

/** A project id or path as one path segment: `group/sub/name` → `group%2Fsub%2Fname`. */
function encodeProject(ref: string): string {
  return encodeURIComponent(ref);
}

// ---------------------------------------------------------------------------------------------
// Issue lists

/**
 * A query as an API list URL, or why it is not one. Accepted:
 *   <api>/projects/<id or group%2Fname>/issues?…   <api>/groups/<id or group%2Fsub>/issues?…
 * A path left unencoded (`projects/group/name/issues`, which GitLab answers 404) is encoded.
 */
function listTarget(raw: string, api: string): SplitUrl | string {
  const url = parseHttpUrl(raw);
  if (url === undefined) return 'not an http(s) URL';
  if (url.host.toLowerCase() !== hostOf(api)) return `not on this tracker's GitLab (${api}/); set base_url for a self-hosted GitLab`;
  const [kind, ...rest] = segmentsUnder(url, `${api}/`) ?? [];
  const last = rest.pop();
  if ((kind !== 'projects' && kind !== 'groups') || last !== 'issues' || rest.length === 0) {
    return `not an issue list of the GitLab API (${api}/projects/<id or encoded path>/issues)`;
  }
  const id = rest.map((s) => encodeURIComponent(decodePart(s))).join('%2F');
  return { base: `${api}/${kind}/${id}/issues`, params: splitUrl(raw).params };
}

/** The full-run list URL: `state` and `per_page=100` unless given. */
function fullListUrl(target: SplitUrl, state: string): SplitUrl {
  return withParam(withParam(target, 'state', state), 'per_page', PER_PAGE);
}

// ---------------------------------------------------------------------------------------------
// Known issues

interface IssueRef {
  /** Project path as written in the URL (`wren-labs/audio/chirp`). */
  readonly path: string;
  readonly iid: number;
}

/**
 * `<base>group/name/-/issues/12` (GitLab ≥ 12) or the older `<base>group/name/issues/12`;
 * anchors such as `#note_123` are ignored.
 */
function parseIssueUrl(raw: string, base: string): IssueRef | undefined {
  const url = parseHttpUrl(raw);
  const segments = url === undefined ? undefined : segmentsUnder(url, base);
  if (segments === undefined) return undefined;
  const iid = segments.pop();
  if (iid === undefined || !/^\d+$/.test(iid) || segments.pop() !== 'issues') return undefined;
  if (segments.at(-1) === '-') segments.pop();
  const path = segments.map(decodePart).join('/');
  return PROJECT_PATH.test(path) ? { path, iid: Number(iid) } : undefined;
}

/** Known URLs grouped by issue (GitLab paths are case-insensitive), in the order listed. */
function knownIssues(entry: TrackerEntry): { ref: IssueRef; urls: string[] }[] {
  const base = baseUrl(entry);
  const byIssue = new Map<string, { ref: IssueRef; urls: string[] }>();
  for (const url of urlList(entry.existing_bug_urls, textOrNumber)) {
    const ref = parseIssueUrl(url, base);
    if (ref === undefined) continue;
    const key = `${ref.path.toLowerCase()}#${ref.iid}`;
    const group = byIssue.get(key);
    if (group) group.urls.push(url);
    else byIssue.set(key, { ref, urls: [url] });
  }
  return [...byIssue.values()];
}

// ---------------------------------------------------------------------------------------------
// Answers

/** One issue of an answer, narrowed to what a record needs. */
interface GitlabIssue {
  readonly web_url: string;
  readonly iid: number | null;
  readonly title: string;
  readonly description: string;
  readonly state: string;
  readonly author: string;
  readonly authorName: string;
  readonly assignees: readonly string[];
  readonly user_notes_count: number;
  readonly created_at: unknown;
  readonly updated_at: unknown;
  readonly closed_at: string | null;
  readonly labels: readonly string[];
  readonly milestone: string | null;
  readonly confidential: boolean;
  /** `references.full` without `#iid` (GitLab ≥ 12.6), e.g. `fdroid/fdroidclient`. */
  readonly fullPath?: string;
}

function usernameOf(user: unknown): string {
  return isObject(user) && typeof user.username === 'string' ? user.username : '';
}

/** Descriptions typed in the web form keep Windows line ends: `"From: …\r\n\r\n```\r\nFAILURE…"`. */
function lf(value: string): string {
  return value.replace(/\r\n/g, '\n');
}

function readIssue(item: unknown): GitlabIssue | undefined {
  if (!isObject(item) || typeof item.web_url !== 'string' || item.web_url === '') return undefined;
  // `assignees` since GitLab 9 (several on paid tiers); before, only `assignee`.
  const assignees = (Array.isArray(item.assignees) ? item.assignees : [item.assignee]).map(usernameOf);
  const author = isObject(item.author) ? item.author : {};
  const references = isObject(item.references) ? item.references : {};
  const full = typeof references.full === 'string' ? references.full.replace(/#\d+$/, '') : '';
  return {
    web_url: item.web_url,
    iid: typeof item.iid === 'number' ? item.iid : null,
    title: lf(stringOr(item.title, '')),
    description: lf(stringOr(item.description, '')),
    state: stringOr(item.state, ''),
    author: usernameOf(author),
    authorName: stringOr(author.name, ''),
    assignees,
    user_notes_count: countOf(item.user_notes_count),
    created_at: item.created_at,
    updated_at: item.updated_at,
    closed_at: typeof item.closed_at === 'string' ? item.closed_at : null,
    labels: labelNames(item.labels),
    milestone: isObject(item.milestone) && typeof item.milestone.title === 'string' ? item.milestone.title : null,
    confidential: item.confidential === true,
    ...(full !== '' ? { fullPath: full } : {}),
  };
}

/**
 * `{product}`: the project path. From `references.full` when sent, else from `web_url`, e.g.
 * `https://gitlab.com/fdroid/fdroiddata/issues/639` (old form) → `fdroid/fdroiddata`.
 */
function productOf(issue: GitlabIssue, base: string): string {
  if (issue.fullPath !== undefined) return issue.fullPath;
  const url = parseHttpUrl(issue.web_url);
  if (url === undefined) return '';
  const segments = segmentsUnder(url, base) ?? url.pathname.split('/').filter((s) => s !== '');
  const at = segments.lastIndexOf('issues');
  const project = at < 0 ? segments : segments.slice(0, segments[at - 1] === '-' ? at - 1 : at);
  return project.map(decodePart).join('/');
}

function makeRecord(issue: GitlabIssue, ctx: AdapterContext<GitlabEntry>, warnings: string[]): ParsedBug {
  const entry = ctx.entry;
  const state = issue.state;
  return {
    title: issue.title,
    description: issue.description,
    status: state,
    importance: '',
    people_involved: peopleInvolved([issue.author, ...issue.assignees], issue.user_notes_count > 0),
    ...recordDates(issue.web_url, ['created_at', issue.created_at], ['updated_at', issue.updated_at], warnings),
    last_polled: polledStamp(ctx.now),
    submitter_username: issue.author,
    submitter_realname: issue.authorName,
    canonical_bug_link: issue.web_url,
    looks_closed: looksClosed(entry, state, () => state === 'closed'),
    good_for_newcomers: matchesExactly(issue.labels, commaList(entry.bitesized_tag)),
    concerns_just_documentation: matchesExactly(issue.labels, commaList(entry.documentation_tag)),
    as_appears_in_distribution: stringOr(entry.as_appears_in_distribution, ''),
    _project_name: projectName(entry, { product: productOf(issue, baseUrl(entry)) }),
    _tracker_name: entry.tracker_name,
    ...(ctx.extendedScrape
      ? {
          raw_data: {
            iid: issue.iid,
            labels: issue.labels,
            user_notes_count: issue.user_notes_count,
            milestone: issue.milestone,
            confidential: issue.confidential,
            closed_at: issue.closed_at,
          },
        }
      : {}),
  };
}

/**
 * The next page: the `Link` header's rel="next", or else `x-next-page` (offset pagination sends
 * both; keyset pagination only Link). Above 10,000 results GitLab leaves out `x-total`,
 * `x-total-pages` and rel="last", so they are never read:
 *   x-next-page: 101      x-page: 100      x-per-page: 100      (no x-total)
 * An empty `x-next-page` (or none) ends the list.
 */
function nextPage(res: FetchedResponse, req: RequestSpec): RequestSpec[] {
  const next = parseLinkHeader(res.headers.link, res.url).next;
  if (next !== undefined) return [{ ...req, url: next }];
  const page = (res.headers['x-next-page'] ?? '').trim();
  if (!/^\d+$/.test(page)) return [];
  return [{ ...req, url: joinUrl(withParam(splitUrl(res.url), 'page', page, true)) }];
}

function handleList(res: FetchedResponse, req: RequestSpec, ctx: AdapterContext<GitlabEntry>): HandleResult {
  const data = parseJsonBody(res, 'GitLab');
  if (!Array.isArray(data)) {
    const message = isObject(data) && data.message !== undefined ? ` (${JSON.stringify(data.message)})` : '';
    throw new ParseError(`expected a JSON list of issues${message}: ${res.url}`, res.url);
  }
  const warnings: string[] = [];
  const bugs: BugRecord[] = [];
  const updates: BugRecord[] = [];
  const scope = scopeOf(req.meta);
  for (const item of data) {
    const issue = readIssue(item);
    if (issue === undefined) {
      warnings.push(`an item without web_url was skipped: ${res.url}`);
      continue;
    }
    const inScope = scope === undefined || scope === 'all' || scope === issue.state;
    (inScope ? bugs : updates).push(makeRecord(issue, ctx, warnings));
  }
  return { bugs, updates, requests: nextPage(res, req), warnings };
}

/** A known issue's own request: a fresh record, `_deleted` (404, 410), or a skip (401, 403). */
function handleIssue(res: FetchedResponse, req: RequestSpec, ctx: AdapterContext<GitlabEntry>): HandleResult {
  const { knownUrl, otherKnownUrls } = readKnownMeta(req.meta);
  // `{"message":"404 Not found"}`: deleted, or confidential and asked without a token.
  if (isGoneAnswer(res, 'GitLab')) return { bugs: [knownUrl, ...otherKnownUrls].map((url) => deletedRecord(url, ctx)) };
  if (res.status === 401 || res.status === 403) {
    return { warnings: [`${knownUrl}: GitLab answered ${res.status}; the issue may have become private, skipped`] };
  }
  const issue = readIssue(parseJsonBody(res, 'GitLab'));
  if (issue === undefined) throw new ParseError(`expected a JSON issue with web_url: ${res.url}`, res.url);
  const warnings: string[] = [];
  return { bugs: [makeRecord(issue, ctx, warnings)], warnings };
}

// ---------------------------------------------------------------------------------------------
// Plan

function plan(ctx: AdapterContext<GitlabEntry>): RequestSpec[] {
  const entry = ctx.entry;
  const api = apiRoot(entry);
  const state = apiState(entry);
  const { requests, add } = requestList();

  const targets: SplitUrl[] = [];
  const queries = urlList(entry.queries, textOrNumber);
  if (queries.length > 0) {
    for (const query of queries) {
      const target = listTarget(query, api);
      if (typeof target !== 'string') targets.push(target);
    }
  } else {
    const project = projectRef(entry.project);
    if (project !== undefined) {
      targets.push({
        base: `${api}/projects/${encodeProject(project)}/issues`,
        params: ['scope=all', 'order_by=updated_at', 'sort=desc'],
      });
    }
  }
  for (const target of targets) add(listRequest(fullListUrl(target, state), GITLAB_HEADERS, ctx.since, 'updated_after'));

  for (const { ref, urls } of knownIssues(entry)) {
    add({
      kind: 'issue',
      url: `${api}/projects/${encodeProject(ref.path)}/issues/${ref.iid}`,
      headers: GITLAB_HEADERS,
      meta: knownMeta(urls),
      acceptStatus: [401, 403, 404, 410],
    });
  }
  return requests;
}

// ---------------------------------------------------------------------------------------------
// Check

function check(entry: GitlabEntry): EntryProblem[] {
  const { problems, report } = problemList();

  const base = entry.base_url;
  if (base !== undefined && base !== null && (typeof base !== 'string' || (base.trim() !== '' && parseHttpUrl(base.trim()) === undefined))) {
    report('error', 'base_url', 'base_url must be an http(s) URL, e.g. https://gitlab.example.org/');
  }
  problems.push(...stateProblems(entry, STATES));

  const queries = urlList(entry.queries, textOrNumber);
  const project = textOrNumber(entry.project);
  if (queries.length === 0 && project === undefined) {
    report('error', 'project', 'give project (group/name or a numeric id), or queries');
  }
  if (project !== undefined && projectRef(project) === undefined) {
    const hint = parseHttpUrl(project) !== undefined ? ' (give the path, not the web address)' : '';
    report('error', 'project', `"${project}" is not a GitLab project path (group/name) or numeric id${hint}`);
  }

  const api = apiRoot(entry);
  queries.forEach((query, index) => {
    const target = listTarget(query, api);
    if (typeof target === 'string') report('error', 'queries', `${query}: ${target}`, index);
  });

  const root = baseUrl(entry);
  urlList(entry.existing_bug_urls, textOrNumber).forEach((url, index) => {
    if (parseIssueUrl(url, root) === undefined) {
      report('warning', 'existing_bug_urls', `${url}: not a GitLab issue URL of ${root} (${root}<group>/<name>/-/issues/<iid>), skipped`, index);
    }
  });

  problems.push(...emptyListProblems(entry, ['bitesized_tag', 'documentation_tag'], 'label name'));
  return problems;
}

// ---------------------------------------------------------------------------------------------
// Credentials

/** `token_env` goes only to the entry's own host; `GITLAB_TOKEN` only to gitlab.com. */
function credentials(
  entry: GitlabEntry,
  url: string,
  env: Readonly<Record<string, string | undefined>>,
): Credentials | undefined {
  const host = hostOf(url);
  if (host === undefined) return undefined;
  const tokenEnv = textOrNumber(entry.token_env);
  if (tokenEnv !== undefined && host === hostOf(baseUrl(entry))) {
    const token = text(env[tokenEnv]);
    if (token !== undefined) return { headers: { 'PRIVATE-TOKEN': token }, source: tokenEnv };
  }
  if (host !== PUBLIC_HOST) return undefined;
  const token = text(env.GITLAB_TOKEN);
  return token === undefined ? undefined : { headers: { 'PRIVATE-TOKEN': token }, source: 'GITLAB_TOKEN' };
}

export const gitlabAdapter: TrackerAdapter<GitlabEntry> = {
  type: 'gitlab',
  aliases: [],
  description: 'GitLab issues (gitlab.com or self-hosted), through the REST API v4.',
  fields: FIELDS,
  example: {
    tracker_name: 'F-Droid client',
    bugimporter: 'gitlab',
    project: 'fdroid/fdroidclient',
    state: 'open',
    bitesized_tag: 'beginner',
    documentation_tag: 'documentation',
    bug_project_name_format: '{product}',
    existing_bug_urls: ['https://gitlab.com/fdroid/fdroidclient/-/issues/2674'],
  },
  check,
  plan,
  handlers: { list: handleList, issue: handleIssue },
  incremental: true,
  credentials,
};
