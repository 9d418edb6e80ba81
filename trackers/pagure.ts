// Pagure issues (trackers.md §11): API 0 issue lists and single issues of pagure.io,
// src.fedoraproject.org or a self-hosted instance, turned into ParsedBug records. Pure: requests
// are described, answers are read; the engine does every fetch.
//
// A list answer carries everything a record needs, comments included, and its own next page:
//   {"issues": [...], "pagination": {"next": "https://pagure.io/api/0/<repo>/issues?…&page=2", …},
//    "total_issues": 130, "args": {…}}

import { FetchError, ParseError } from '../src/core/errors.ts';
import type {
  AdapterContext, BugRecord, Credentials, EntryProblem, FetchedResponse, FieldSpec, HandleResult, Json, ParsedBug,
  RequestSpec, TrackerAdapter, TrackerEntry,
} from '../src/core/types.ts';
import {
  commaList, type CommonEntry, deletedRecord, emptyListProblems, entryState, knownMeta, looksClosed, matchesExactly,
  polledStamp, problemList, projectName, readKnownMeta, stateProblems, text, urlList,
} from './common.ts';
import { absentOrUnreadable, laterSince, recordDates } from './dates.ts';
import { isObject, type JsonObject, type JsonRecord, metaString, parseJsonBody, scopeOf, stringOr } from './json.ts';
import { baseUrlOf, joinUrl, paramValue, parseHttpUrl, pathBelow, splitUrl, withParam } from './urls.ts';

/** A `pagure` tracker entry. Values come from YAML, so the adapter still narrows each one. */
export interface PagureEntry extends CommonEntry {
  readonly repo?: string;
  readonly state?: string;
  readonly bitesized_tag?: string;
  readonly documentation_tag?: string;
}

const DEFAULT_BASE_URL = 'https://pagure.io/';
const STATES = ['open', 'closed', 'all'];
/** `state` as Pagure's `status` filter spells it. */
const STATUS_PARAM: Readonly<Record<string, string>> = { open: 'Open', closed: 'Closed', all: 'all' };
/** Pagure's maximum (it refuses more with a 400). */
const PER_PAGE = '100';

const FIELDS: readonly FieldSpec[] = [
  {
    name: 'base_url',
    kind: 'url',
    required: false,
    default: DEFAULT_BASE_URL,
    help: 'The Pagure instance root: https://pagure.io/, https://src.fedoraproject.org/ or a self-hosted one.',
    example: 'https://src.fedoraproject.org/',
  },
  {
    name: 'repo',
    kind: 'string',
    required: 'if there are no queries',
    help: 'The project as in its web address: name, namespace/name, or fork/<user>/name. The generated query is <base_url>api/0/<repo>/issues?status=<state>&per_page=100&page=1.',
    example: 'fedora-infrastructure',
  },
  {
    name: 'queries',
    kind: 'url-list',
    required: false,
    help: 'Issue lists of the API under base_url: …/api/0/<repo>/issues?… (tags=, author=, assignee=… are kept). Each gets per_page=100, and status=<state>, when missing.',
    default: '[]',
    example: 'https://pagure.io/api/0/fedora-infrastructure/issues?tags=easyfix',
  },
  {
    name: 'existing_bug_urls',
    kind: 'url-list',
    required: false,
    help: 'Issue URLs you already have (<base_url><repo>/issue/<id>). Each run refreshes them one by one; a gone issue (404 or 410) becomes _deleted, a private one (401 or 403) is skipped with a warning.',
    default: '[]',
    example: 'https://pagure.io/fedora-infrastructure/issue/1234',
  },
  {
    name: 'state',
    kind: 'choice',
    required: false,
    choices: STATES,
    default: 'open',
    help: 'Which issues to import: open, closed or all, sent as status=Open, Closed or all. Used by the generated query and by queries that name no status.',
    example: 'open',
  },
  {
    name: 'bitesized_tag',
    kind: 'comma-list',
    required: false,
    default: '""',
    help: 'Comma list of tags (exact, case-sensitive) that mark a bite-sized issue.',
    example: 'easyfix',
  },
  {
    name: 'documentation_tag',
    kind: 'comma-list',
    required: false,
    default: '""',
    help: 'Comma list of tags (exact, case-sensitive) that mark a documentation issue.',
    example: 'documentation',
  },
  {
    name: 'bug_project_name_format',
    kind: 'name-format',
    required: false,
    default: '{tracker_name}',
    placeholders: ['product'],
    help: 'Pattern for _project_name: {tracker_name}, and {product} for the repo path (name, namespace/name or fork/<user>/name).',
    example: '{product}',
  },
  {
    name: 'closed_status',
    kind: 'comma-list',
    required: false,
    help: 'Comma list of statuses meaning closed, compared with status (Open/Closed), case-insensitive. Replaces the rule "status is Closed".',
  },
  {
    name: 'token_env',
    kind: 'env-name',
    required: false,
    help: 'Environment variable holding a Pagure API token, sent as "Authorization: token <t>" to base_url only (private issues need one). No default.',
    example: 'PAGURE_TOKEN',
  },
];

// ---------------------------------------------------------------------------------------------
// Entry values

/** `base_url` (default pagure.io) as a URL whose path ends with `/`, without query or fragment. */
function baseOf(entry: TrackerEntry): URL | undefined {
  return baseUrlOf(text(entry.base_url) ?? DEFAULT_BASE_URL);
}

// Project names: letters, digits and `_.+-` (`python-fedora`, `fedora-infrastructure`, `rpms/nano`).
const NAME = String.raw`[A-Za-z0-9_.+-]+`;
/** `name`, `namespace/name`, `fork/<user>/name`, `fork/<user>/namespace/name`. */
const REPO = String.raw`(?:fork/${NAME}/)?(?:${NAME}/)?${NAME}`;
const REPO_ONLY = new RegExp(`^${REPO}$`);
const LIST_PATH = new RegExp(`^api/0/(${REPO})/issues/?$`);
const ISSUE_PATH = new RegExp(`^(${REPO})/issue/(\\d+)/?$`);

function isRepo(value: string): boolean {
  return REPO_ONLY.test(value);
}

// ---------------------------------------------------------------------------------------------
// Which URLs are issue lists and issues

interface ListTarget {
  /** The API URL, before `status` / `per_page` / `since` are added. */
  readonly url: string;
  readonly repo: string;
}

/** A query URL `<base_url>api/0/<repo>/issues?…`, or why it is not one. */
function listTarget(raw: string, base: URL): ListTarget | { readonly problem: string } {
  const url = parseHttpUrl(raw);
  if (url === undefined) return { problem: 'not an http(s) URL' };
  const below = pathBelow(url, base);
  if (below === undefined) return { problem: `not under base_url (${base.href})` };
  const m = LIST_PATH.exec(below);
  if (!m?.[1] || !isRepo(m[1])) return { problem: 'not an issue list of the API (…/api/0/<repo>/issues?…)' };
  return { url: raw.split('#', 1)[0] ?? raw, repo: m[1] };
}

interface KnownIssue {
  readonly url: string;
  readonly repo: string;
  readonly id: number;
}

/** A known URL `<base_url><repo>/issue/<id>`, or undefined. */
function knownIssue(raw: string, base: URL): KnownIssue | undefined {
  const url = parseHttpUrl(raw);
  const below = url === undefined ? undefined : pathBelow(url, base);
  const m = below === undefined ? null : ISSUE_PATH.exec(below);
  if (!m?.[1] || !isRepo(m[1])) return undefined;
  return { url: raw, repo: m[1], id: Number(m[2]) };
}

/**
 * The list URL to fetch: `status=<state>` and `per_page=100` unless given. On incremental runs
 * every status (`status=all`) and `since=<epoch seconds>`; a query's own `since` (epoch or
 * `YYYY-MM-DD`) is kept when it is later. `scope` is the status filter of a full run.
 */
function listUrl(target: string, state: string, since: Date | undefined): { readonly url: string; readonly scope: string } {
  let url = splitUrl(target);
  url = withParam(url, 'status', STATUS_PARAM[state] ?? 'Open');
  url = withParam(url, 'per_page', PER_PAGE);
  const scope = paramValue(url.params, 'status') ?? 'Open';
  if (since !== undefined) {
    url = withParam(url, 'status', 'all', true);
    const later = laterSince(paramValue(url.params, 'since'), since);
    url = withParam(url, 'since', String(Date.parse(later) / 1000), true);
  }
  return { url: joinUrl(url), scope };
}

// ---------------------------------------------------------------------------------------------
// Answers

/** Pagure's errors: `{"error": "Issue tracker disabled", "error_code": "ETRACKERDISABLED"}`. */
function apiError(res: FetchedResponse): { readonly message: string; readonly code: string } {
  try {
    const data: unknown = JSON.parse(res.body);
    if (isObject(data)) {
      return { message: typeof data.error === 'string' ? data.error : '', code: typeof data.error_code === 'string' ? data.error_code : '' };
    }
  } catch {
    // Not JSON (a proxy's page): only the status is known.
  }
  return { message: '', code: '' };
}

function refusal(res: FetchedResponse): FetchError {
  const { message, code } = apiError(res);
  const detail = message === '' ? '' : `: ${message}${code === '' ? '' : ` (${code})`}`;
  return new FetchError(`Pagure answered ${res.status}${detail}: ${res.url}`, res.url, false, res.status);
}

interface PagureUser {
  readonly name: string;
  readonly fullname: string;
}

/** One issue of an answer, narrowed to what a record needs. */
interface PagureIssue {
  readonly id: number;
  readonly title: string;
  readonly content: string;
  readonly status: string;
  readonly close_status: string | null;
  readonly user: PagureUser;
  readonly assignee: string;
  /** The `user.name` of every entry in `comments`. */
  readonly commenters: readonly string[];
  readonly date_created: unknown;
  readonly last_updated: unknown;
  readonly tags: readonly string[];
  readonly priority: Json;
  readonly milestone: Json;
}

/** `{"fullname": "Ada Lovelace", "name": "ada"}`; `null` when nobody is assigned. */
function userOf(value: unknown): PagureUser {
  if (!isObject(value)) return { name: '', fullname: '' };
  return { name: typeof value.name === 'string' ? value.name : '', fullname: typeof value.fullname === 'string' ? value.fullname : '' };
}

function readIssue(item: unknown): PagureIssue | undefined {
  if (!isObject(item)) return undefined;
  const id = typeof item.id === 'string' && /^\d+$/.test(item.id) ? Number(item.id) : item.id;
  if (typeof id !== 'number' || !Number.isInteger(id) || id <= 0) return undefined;
  const comments: readonly unknown[] = Array.isArray(item.comments) ? item.comments : [];
  return {
    id,
    title: typeof item.title === 'string' ? item.title : '',
    content: typeof item.content === 'string' ? item.content : '',
    status: typeof item.status === 'string' ? item.status : '',
    close_status: typeof item.close_status === 'string' ? item.close_status : null,
    user: userOf(item.user),
    assignee: userOf(item.assignee).name,
    commenters: comments.map((c) => (isObject(c) ? userOf(c.user).name : '')),
    // Epoch seconds as strings: "date_created": "1583508459", "last_updated": "1583508642".
    date_created: item.date_created,
    last_updated: item.last_updated,
    tags: Array.isArray(item.tags) ? item.tags.filter((t): t is string => typeof t === 'string') : [],
    // `priority` is the key of the project's priority table ("1" → "High"), or null.
    priority: typeof item.priority === 'number' || typeof item.priority === 'string' ? item.priority : null,
    // A milestone is its name (older servers) or an object with one.
    milestone: typeof item.milestone === 'string' ? item.milestone : isObject(item.milestone) && typeof item.milestone.name === 'string' ? item.milestone.name : null,
  };
}

/**
 * Whether a list of a full run would hold this issue. `scope` is that run's `status`: `Open`,
 * `Closed`, `all`, or a close status such as `Fixed` (Pagure reads it case-insensitively).
 */
function inScope(scope: string | undefined, issue: PagureIssue): boolean {
  const wanted = scope?.toLowerCase();
  if (wanted === undefined || wanted === 'all') return true;
  if (wanted === 'open' || wanted === 'closed') return issue.status.toLowerCase() === wanted;
  return issue.close_status?.toLowerCase() === wanted;
}

// ---------------------------------------------------------------------------------------------
// Records

function issueLink(base: URL, repo: string, id: number): string {
  return `${base.href}${repo}/issue/${id}`;
}

function makeRecord(issue: PagureIssue, base: URL, repo: string, ctx: AdapterContext<PagureEntry>, warnings: string[]): ParsedBug {
  const entry = ctx.entry;
  const link = issueLink(base, repo, issue.id);
  const people = new Set([issue.user.name, issue.assignee, ...issue.commenters].filter((name) => name !== ''));
  const dates = recordDates(link, ['date_created', issue.date_created], ['last_updated', issue.last_updated], warnings, absentOrUnreadable);
  return {
    title: issue.title,
    description: issue.content,
    status: issue.status,
    importance: '',
    people_involved: people.size,
    ...dates,
    last_polled: polledStamp(ctx.now),
    submitter_username: issue.user.name,
    submitter_realname: issue.user.fullname,
    canonical_bug_link: link,
    looks_closed: looksClosed(entry, issue.status, () => issue.status === 'Closed'),
    good_for_newcomers: matchesExactly(issue.tags, commaList(entry.bitesized_tag)),
    concerns_just_documentation: matchesExactly(issue.tags, commaList(entry.documentation_tag)),
    as_appears_in_distribution: stringOr(entry.as_appears_in_distribution, ''),
    _project_name: projectName(entry, { product: repo }),
    _tracker_name: entry.tracker_name,
    ...(ctx.extendedScrape
      ? {
          raw_data: {
            id: issue.id,
            tags: issue.tags,
            priority: issue.priority,
            close_status: issue.close_status,
            milestone: issue.milestone,
          },
        }
      : {}),
  };
}

function requireBase(ctx: AdapterContext<PagureEntry>): URL {
  const base = baseOf(ctx.entry);
  if (base === undefined) throw new ParseError('the entry has no usable base_url');
  return base;
}

function requireRepo(req: RequestSpec): string {
  const repo = metaString(req.meta, 'repo');
  if (repo === undefined) throw new Error(`${req.kind} request without meta.repo`);
  return repo;
}

// ---------------------------------------------------------------------------------------------
// Handlers

/**
 * One page of a list. A 404 here is about the whole project ("Issue tracker disabled",
 * "Project not found"), so the tracker fails with Pagure's own words.
 */
function handleList(res: FetchedResponse, req: RequestSpec, ctx: AdapterContext<PagureEntry>): HandleResult {
  if (res.status < 200 || res.status >= 300) throw refusal(res);
  const base = requireBase(ctx);
  const repo = requireRepo(req);
  const data = parseJsonBody(res, 'Pagure');
  if (!isObject(data) || !Array.isArray(data.issues)) {
    throw new ParseError(`expected a Pagure issue list ({"issues": […], "pagination": …}): ${res.url}`, res.url);
  }
  const scope = scopeOf(req.meta);
  const warnings: string[] = [];
  const bugs: BugRecord[] = [];
  const updates: BugRecord[] = [];
  for (const item of data.issues) {
    const issue = readIssue(item);
    if (issue === undefined) {
      warnings.push(`an item without a numeric id was skipped: ${res.url}`);
      continue;
    }
    (inScope(scope, issue) ? bugs : updates).push(makeRecord(issue, base, repo, ctx, warnings));
  }
  return { bugs, updates, requests: nextPage(res, req, data), warnings };
}

/** Paging follows `pagination.next` until it is null; servers older than 5.0 send one page and no `pagination`. */
function nextPage(res: FetchedResponse, req: RequestSpec, data: JsonObject): RequestSpec[] {
  const next = isObject(data.pagination) ? data.pagination.next : undefined;
  if (typeof next !== 'string' || next.trim() === '') return [];
  let url: string;
  try {
    url = new URL(next, res.url).href;
  } catch {
    throw new ParseError(`pagination.next is not a URL (${JSON.stringify(next)}): ${res.url}`, res.url);
  }
  return [{ ...req, url }];
}

/** A known issue's own request: a record, `_deleted` (404, 410), or a skip (401, 403). */
function handleIssue(res: FetchedResponse, req: RequestSpec, ctx: AdapterContext<PagureEntry>): HandleResult {
  const { knownUrl, otherKnownUrls } = readKnownMeta(req.meta);
  const allKnown = [knownUrl, ...otherKnownUrls];
  if (res.status === 404 || res.status === 410) {
    // A disabled tracker answers 404 for every issue; that says nothing about this one.
    //   {"error": "Issue tracker disabled", "error_code": "ETRACKERDISABLED"}
    if (apiError(res).code === 'ETRACKERDISABLED') throw refusal(res);
    return { bugs: allKnown.map((url) => deletedRecord(url, ctx)) };
  }
  if (res.status === 401 || res.status === 403) {
    return { warnings: [`${knownUrl}: Pagure answered ${res.status}; the issue may be private, skipped`] };
  }
  const issue = readIssue(parseJsonBody(res, 'Pagure'));
  if (issue === undefined) throw new ParseError(`expected a Pagure issue ({"id": …, "title": …}): ${res.url}`, res.url);
  const warnings: string[] = [];
  return { bugs: [makeRecord(issue, requireBase(ctx), requireRepo(req), ctx, warnings)], warnings };
}

// ---------------------------------------------------------------------------------------------
// Plan

function plan(ctx: AdapterContext<PagureEntry>): RequestSpec[] {
  const entry = ctx.entry;
  const base = baseOf(entry);
  if (base === undefined) return [];
  const state = entryState(entry, STATES);
  const requests: RequestSpec[] = [];
  const seen = new Set<string>();

  const targets: ListTarget[] = [];
  const queries = urlList(entry.queries);
  if (queries.length > 0) {
    for (const query of queries) {
      const target = listTarget(query, base);
      if ('url' in target) targets.push(target);
    }
  } else {
    const repo = text(entry.repo);
    if (repo !== undefined && isRepo(repo)) {
      targets.push({ url: `${base.href}api/0/${repo}/issues?status=${STATUS_PARAM[state] ?? 'Open'}&per_page=${PER_PAGE}&page=1`, repo });
    }
  }
  for (const target of targets) {
    const { url, scope } = listUrl(target.url, state, ctx.since);
    if (seen.has(url)) continue;
    seen.add(url);
    // Incremental runs ask for every status; the full run's scope travels along, so that an
    // issue now outside it (closed since the last run) only updates a record already held.
    const meta: JsonRecord = ctx.since === undefined ? { repo: target.repo } : { repo: target.repo, scope };
    requests.push({ kind: 'list', url, meta, acceptStatus: [401, 403, 404] });
  }

  // One request per issue, even when existing_bug_urls spells it twice.
  const byIssue = new Map<string, KnownIssue[]>();
  for (const url of urlList(entry.existing_bug_urls)) {
    const known = knownIssue(url, base);
    if (known === undefined) continue;
    const key = `${known.repo}#${known.id}`;
    byIssue.set(key, [...(byIssue.get(key) ?? []), known]);
  }
  for (const [first, ...others] of byIssue.values()) {
    if (first === undefined) continue;
    requests.push({
      kind: 'issue',
      url: `${base.href}api/0/${first.repo}/issue/${first.id}`,
      meta: { repo: first.repo, ...knownMeta([first.url, ...others.map((o) => o.url)]) },
      acceptStatus: [401, 403, 404, 410],
    });
  }
  return requests;
}

// ---------------------------------------------------------------------------------------------
// Check

function check(entry: PagureEntry): EntryProblem[] {
  const { problems, report } = problemList();

  const base = baseOf(entry);
  if (base === undefined) {
    report('error', 'base_url', 'base_url must be the http(s) root of the Pagure instance, e.g. https://pagure.io/');
    return problems;
  }

  const queries = urlList(entry.queries);
  const repo = text(entry.repo);
  if (queries.length === 0 && repo === undefined) report('error', 'repo', 'give repo (name, namespace/name or fork/<user>/name), or queries');
  if (repo !== undefined && !isRepo(repo)) {
    report('error', 'repo', `"${repo}" is not a Pagure repo path (name, namespace/name or fork/<user>/name)`);
  } else if (repo !== undefined && queries.length > 0) {
    report('warning', 'repo', 'repo is only used when there are no queries; it is ignored here');
  }
  queries.forEach((query, index) => {
    const target = listTarget(query, base);
    if ('problem' in target) report('error', 'queries', `${query}: ${target.problem}`, index);
  });

  urlList(entry.existing_bug_urls).forEach((url, index) => {
    if (knownIssue(url, base) === undefined) {
      report('warning', 'existing_bug_urls', `${url}: not a Pagure issue URL (${base.href}<repo>/issue/<id>), skipped`, index);
    }
  });

  problems.push(...stateProblems(entry, STATES));
  problems.push(...emptyListProblems(entry, ['bitesized_tag', 'documentation_tag'], 'tag'));
  return problems;
}

// ---------------------------------------------------------------------------------------------
// Credentials

/** The token from `token_env`, as `Authorization: token <t>`, for URLs under base_url only. */
function credentials(entry: PagureEntry, url: string, env: Readonly<Record<string, string | undefined>>): Credentials | undefined {
  const variable = text(entry.token_env);
  const base = baseOf(entry);
  const target = parseHttpUrl(url);
  if (variable === undefined || base === undefined || target === undefined || pathBelow(target, base) === undefined) return undefined;
  const token = text(env[variable]);
  return token === undefined ? undefined : { headers: { Authorization: `token ${token}` }, source: variable };
}

export const pagureAdapter: TrackerAdapter<PagureEntry> = {
  type: 'pagure',
  aliases: [],
  description: 'Pagure issues (pagure.io, src.fedoraproject.org, self-hosted), through API 0.',
  fields: FIELDS,
  example: {
    tracker_name: 'Fedora Infrastructure',
    bugimporter: 'pagure',
    base_url: 'https://pagure.io/',
    repo: 'fedora-infrastructure',
    state: 'open',
    bitesized_tag: 'easyfix',
    documentation_tag: 'documentation',
    existing_bug_urls: ['https://pagure.io/fedora-infrastructure/issue/1234'],
  },
  check,
  plan,
  handlers: { list: handleList, issue: handleIssue },
  incremental: true,
  credentials,
};
