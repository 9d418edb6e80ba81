// Jira issues (trackers.md §7), through either search interface:
//   v2  <base>rest/api/2/search?jql=…&startAt=0&maxResults=100      Server, Data Center, old Cloud
//   v3  <base>rest/api/3/search/jql?jql=…&maxResults=100&fields=…   Jira Cloud (v2 search answers 410)
// chosen by `api`, else by the query URLs, else by the host (*.atlassian.net is Cloud). Known
// issues are refreshed by key, in batched `key in (…)` searches, then one by one for the keys a
// batch leaves out. Pure: requests are described, answers are read; the engine does every fetch.

import { FetchError, ParseError } from '../src/core/errors.ts';
import type {
  AdapterContext, BugRecord, Credentials, EntryProblem, FetchedResponse, FieldSpec, HandleResult, Json, ParsedBug,
  RequestSpec, TrackerAdapter, TrackerEntry,
} from '../src/core/types.ts';
import {
  basicAuth, commaList, type CommonEntry, deletedRecord, emptyListProblems, looksClosed, matchesExactly, polledStamp,
  problemList, projectName, requestList, text, urlList,
} from './common.ts';
import { recordDates } from './dates.ts';
import { adfToText } from './jira-adf.ts';
import { isObject, type JsonRecord, metaRecord, parseJsonBody, stringOr } from './json.ts';
import { hostOf, parseHttpUrl } from './urls.ts';

/** A `jira` tracker entry. Values come from YAML, so the adapter still narrows each one. */
export interface JiraEntry extends CommonEntry {
  readonly jql?: string;
  readonly api?: string;
  readonly get_older_bug_data?: string | null;
  readonly bitesized_type?: string;
  readonly bitesized_text?: string;
  readonly documentation_type?: string;
  readonly documentation_text?: string;
}

export type JiraApi = 'v2' | 'v3';

export const JIRA_HEADERS: Readonly<Record<string, string>> = { Accept: 'application/json' };
/** The fields a record needs (v3 answers only `id` when none are named). */
export const JIRA_FIELDS = 'summary,description,status,priority,labels,components,created,updated,reporter,assignee,comment,project';
/** With --extended-scrape, raw_data also wants the resolution. */
const EXTENDED_FIELDS = `${JIRA_FIELDS},resolution`;
const PAGE_SIZE = 100;
/** Known keys per `key in (…)` search. */
export const KEY_BATCH = 50;
const DAY_MS = 86_400_000;

const FIELDS: readonly FieldSpec[] = [
  {
    name: 'base_url',
    kind: 'url',
    required: true,
    help: 'The homepage of the Jira instance, with its path if it has one (https://issues.example.org/jira/). Issue links are <base_url>browse/<KEY>.',
    example: 'https://issues.apache.org/jira/',
  },
  {
    name: 'queries',
    kind: 'url-list',
    required: false,
    default: '[]',
    help:
      'Search URLs of either API: <base_url>rest/api/2/search?jql=… or <base_url>rest/api/3/search/jql?jql=…. Page size (maxResults=100) and the fields customs needs are added unless given. Default: one search built from jql.',
    example: 'https://issues.apache.org/jira/rest/api/2/search?jql=project%20%3D%20THRIFT%20AND%20labels%20%3D%20newbie',
  },
  {
    name: 'jql',
    kind: 'string',
    required: 'when there are no queries',
    help: 'A JQL query, used to build the search URL. Jira Cloud (v3) refuses an empty one.',
    example: 'project = THRIFT AND resolution = Unresolved ORDER BY updated DESC',
  },
  {
    name: 'api',
    kind: 'choice',
    required: false,
    choices: ['v2', 'v3'],
    help:
      'The search interface: v2 (/rest/api/2/search: Server, Data Center) or v3 (/rest/api/3/search/jql: Jira Cloud). Query URLs are converted to it. Default: the query URLs\' own; otherwise v3 for *.atlassian.net and v2 elsewhere.',
    example: 'v3',
  },
  {
    name: 'existing_bug_urls',
    kind: 'url-list',
    required: false,
    default: '[]',
    help:
      'Issue URLs you already have (<base_url>browse/<KEY>). Each run refreshes them by key, 50 at a time; a gone or moved issue becomes _deleted.',
    example: 'https://issues.apache.org/jira/browse/THRIFT-1234',
  },
  {
    name: 'get_older_bug_data',
    kind: 'url',
    required: false,
    help:
      'A search URL (either API) that answers many known issues at once, e.g. jql=updated >= -7d. Only known issues it lists get records; the others get none, and no deletion can be seen.',
    example: 'https://issues.apache.org/jira/rest/api/2/search?jql=project%20%3D%20THRIFT%20AND%20updated%20%3E%3D%20-7d',
  },
  {
    name: 'bitesized_type',
    kind: 'choice',
    required: false,
    choices: ['label', 'priority'],
    help: 'What bitesized_text is compared with: label (an issue label equals a piece) or priority (the priority name equals a piece). Unset: no issue is bite-sized.',
    example: 'label',
  },
  {
    name: 'bitesized_text',
    kind: 'comma-list',
    required: false,
    default: '""',
    help: 'Comma list of label names or priority names (exact, case-sensitive) that mark a bite-sized issue.',
    example: 'newbie, beginner',
  },
  {
    name: 'documentation_type',
    kind: 'choice',
    required: false,
    choices: ['label', 'component'],
    default: 'label',
    help: 'What documentation_text is compared with: label, or component (a component name equals a piece).',
    example: 'component',
  },
  {
    name: 'documentation_text',
    kind: 'comma-list',
    required: false,
    default: '""',
    help: 'Comma list of label names or component names (exact, case-sensitive) that mark a documentation issue.',
    example: 'Documentation',
  },
  {
    name: 'bug_project_name_format',
    kind: 'name-format',
    required: false,
    default: '{tracker_name}',
    placeholders: ['product'],
    help: "Pattern for _project_name: {tracker_name}, and {product} for the Jira project's name.",
    example: '{product}',
  },
  {
    name: 'closed_status',
    kind: 'comma-list',
    required: false,
    help: 'Comma list of status names meaning closed (case-insensitive). Replaces the rule "the status category is Done" (or, without categories, "the status is Closed").',
    example: 'Resolved, Closed',
  },
  {
    name: 'token_env',
    kind: 'env-name',
    required: false,
    help:
      'Environment variable holding a token, sent only to base_url\'s host. A value with a colon (Cloud email:api_token) is sent as HTTP Basic; otherwise as Bearer (a Data Center personal access token). Unset: anonymous.',
    example: 'JIRA_TOKEN',
  },
];

// ---------------------------------------------------------------------------------------------
// Entry values

/** `base_url` with one trailing slash and no query: `https://host/jira/`. */
function baseUrl(entry: TrackerEntry): string | undefined {
  const raw = text(entry.base_url);
  const url = raw === undefined ? undefined : parseHttpUrl(raw);
  if (url === undefined) return undefined;
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}/`;
}

/** Jira Cloud hosts: `<site>.atlassian.net`, and the older `<site>.jira.com`. */
function isCloudHost(url: string): boolean {
  const host = parseHttpUrl(url)?.hostname.toLowerCase() ?? '';
  return host.endsWith('.atlassian.net') || host.endsWith('.jira.com');
}

function explicitApi(entry: TrackerEntry): JiraApi | undefined {
  const api = text(entry.api)?.toLowerCase();
  return api === 'v2' || api === 'v3' ? api : undefined;
}

// ---------------------------------------------------------------------------------------------
// Search URLs, kept as a root, an interface and an ordered list of decoded parameters.

interface Search {
  readonly api: JiraApi;
  /** Everything before `rest/api/…`, with a trailing slash: `https://host/jira/`. */
  readonly root: string;
  readonly params: readonly (readonly [string, string])[];
}

/** A search URL of either interface, or why it is not one. */
function parseSearch(raw: string): Search | string {
  const url = parseHttpUrl(raw);
  if (url === undefined) return 'not an http(s) URL';
  const path = url.pathname.replace(/\/+$/, '');
  const v2 = /^(.*\/)rest\/api\/(?:2|latest)\/search$/.exec(path);
  const v3 = /^(.*\/)rest\/api\/3\/search\/jql$/.exec(path);
  const prefix = v2?.[1] ?? v3?.[1];
  if (prefix === undefined) {
    if (/\/rest\/api\/3\/search$/.test(path)) return 'the old v3 search; Jira Cloud answers /rest/api/3/search/jql';
    return 'not a Jira search URL (…/rest/api/2/search?jql=… or …/rest/api/3/search/jql?jql=…)';
  }
  return { api: v2 ? 'v2' : 'v3', root: `${url.origin}${prefix}`, params: [...url.searchParams] };
}

function param(search: Search, name: string): string | undefined {
  return search.params.find(([n]) => n === name)?.[1];
}

/** Sets `name` in place, or appends it; `undefined` removes it. */
function withParam(search: Search, name: string, value: string | undefined): Search {
  const exists = search.params.some(([n]) => n === name);
  let params: (readonly [string, string])[];
  if (value === undefined) params = search.params.filter(([n]) => n !== name);
  else if (exists) params = search.params.map(([n, v]) => [n, n === name ? value : v] as const);
  else params = [...search.params, [name, value] as const];
  return { ...search, params };
}

/** Percent-encoding for a parameter: `project = X AND created >= -1d` → `project%20%3D%20X%20AND%20created%20%3E%3D%20-1d`. Commas stay readable. */
function encode(value: string): string {
  return encodeURIComponent(value).replace(/%2C/gi, ',');
}

function searchUrl(search: Search): string {
  const path = search.api === 'v2' ? 'rest/api/2/search' : 'rest/api/3/search/jql';
  const query = search.params.map(([n, v]) => `${encode(n)}=${encode(v)}`).join('&');
  return `${search.root}${path}${query === '' ? '' : `?${query}`}`;
}

/** The same search on the other interface: v3 pages by token and knows no `startAt` or `validateQuery`. */
function onApi(search: Search, api: JiraApi): Search {
  if (search.api === api) return search;
  let converted: Search = { ...search, api };
  if (api === 'v3') converted = withParam(withParam(converted, 'startAt', undefined), 'validateQuery', undefined);
  else converted = withParam(converted, 'nextPageToken', undefined);
  return converted;
}

/** The first page of a search: `startAt=0` (v2), `maxResults` and the fields customs needs, unless given. */
function firstPage(search: Search, pageSize: number, extended: boolean): Search {
  let s = search;
  if (s.api === 'v2' && param(s, 'startAt') === undefined) s = withParam(s, 'startAt', '0');
  if (param(s, 'maxResults') === undefined) s = withParam(s, 'maxResults', String(pageSize));
  if (param(s, 'fields') === undefined) s = withParam(s, 'fields', extended ? EXTENDED_FIELDS : JIRA_FIELDS);
  return s;
}

// ---------------------------------------------------------------------------------------------
// JQL

/**
 * Splits `project = X ORDER BY updated DESC` at a top-level ORDER BY (not one inside quotes:
 * `summary ~ "sort order by date"`).
 */
export function splitOrderBy(jql: string): { readonly where: string; readonly orderBy: string } {
  let quote: string | undefined;
  for (let i = 0; i < jql.length; i++) {
    const ch = jql.charAt(i);
    if (quote !== undefined) {
      if (ch === '\\') i++;
      else if (ch === quote) quote = undefined;
      continue;
    }
    if (ch === '"' || ch === "'") {
      quote = ch;
      continue;
    }
    const atWordStart = i === 0 || /[\s)]/.test(jql.charAt(i - 1));
    if (atWordStart && /^order\s+by\b/i.test(jql.slice(i))) {
      return { where: jql.slice(0, i).trim(), orderBy: jql.slice(i).trim() };
    }
  }
  return { where: jql.trim(), orderBy: '' };
}

/** `2024/05/05 07:08`: JQL's date form. JQL reads it in the server's zone, hence the caller's day of margin. */
function jqlDate(date: Date): string {
  const iso = date.toISOString();
  return `${iso.slice(0, 4)}/${iso.slice(5, 7)}/${iso.slice(8, 10)} ${iso.slice(11, 16)}`;
}

/** Incremental runs (§1.11): `(<query>) AND updated >= "<since − 1 day>"`, ORDER BY kept at the end. */
export function jqlSince(jql: string, since: Date): string {
  const { where, orderBy } = splitOrderBy(jql);
  const clause = `updated >= "${jqlDate(new Date(since.getTime() - DAY_MS))}"`;
  const filtered = where === '' ? clause : `(${where}) AND ${clause}`;
  return orderBy === '' ? filtered : `${filtered} ${orderBy}`;
}

// ---------------------------------------------------------------------------------------------
// Known issues

const ISSUE_KEY = /^[A-Za-z][A-Za-z0-9_]*-\d+$/;

/** `https://host/jira/browse/MKY-1` → `MKY-1`, when the URL is on base_url's host. */
function keyOfUrl(raw: string, base: string | undefined): string | undefined {
  const url = parseHttpUrl(raw);
  if (url === undefined || base === undefined || url.host.toLowerCase() !== hostOf(base)) return undefined;
  const m = /\/browse\/([^/]+)\/?$/.exec(url.pathname);
  const key = m?.[1];
  return key !== undefined && ISSUE_KEY.test(key) ? key.toUpperCase() : undefined;
}

/** Known URLs by issue key, in the order first listed. */
function knownKeys(entry: TrackerEntry): Map<string, string[]> {
  const base = baseUrl(entry);
  const byKey = new Map<string, string[]>();
  for (const url of urlList(entry.existing_bug_urls)) {
    const key = keyOfUrl(url, base);
    if (key !== undefined) byKey.set(key, [...(byKey.get(key) ?? []), url]);
  }
  return byKey;
}

// ---------------------------------------------------------------------------------------------
// Answers

/** Jira's error body: `{"errorMessages": ["The value 'NOPE' does not exist for the field 'project'."], "errors": {}}`. */
function jiraMessages(body: string): string {
  try {
    const data: unknown = JSON.parse(body);
    if (!isObject(data)) return '';
    const messages = Array.isArray(data.errorMessages) ? data.errorMessages.filter((m): m is string => typeof m === 'string') : [];
    const errors = isObject(data.errors) ? Object.values(data.errors).filter((m): m is string => typeof m === 'string') : [];
    return [...messages, ...errors].join(' ');
  } catch {
    return '';
  }
}

function nameOf(value: unknown): string {
  return isObject(value) ? stringOr(value.name, '') : '';
}

interface JiraPerson {
  /** `name` (Server), else `accountId` (Cloud hides names), else `key`. */
  readonly id: string;
  readonly username: string;
  readonly displayName: string;
}

function readPerson(value: unknown): JiraPerson | undefined {
  if (!isObject(value)) return undefined;
  const name = text(value.name);
  const accountId = text(value.accountId);
  const id = name ?? accountId ?? text(value.key);
  if (id === undefined) return undefined;
  return { id, username: name ?? accountId ?? '', displayName: stringOr(value.displayName, '') };
}

/** One issue of an answer, narrowed to what a record needs. */
interface JiraIssue {
  readonly key: string;
  readonly summary: string;
  readonly description: string;
  readonly status: string;
  /** `new`, `indeterminate`, `done`; absent on old servers. */
  readonly statusCategory: string | undefined;
  readonly priority: string;
  readonly labels: readonly string[];
  readonly components: readonly string[];
  readonly created: unknown;
  readonly updated: unknown;
  readonly reporter: JiraPerson | undefined;
  readonly assignee: JiraPerson | undefined;
  /** Comment authors; undefined when the answer has no comment field. */
  readonly commenters: readonly string[] | undefined;
  readonly project: string;
  readonly resolution: string | null;
}

/**
 * v2 sends wiki text (`"description": "h2. Steps\n* run it"`); v3 a document (see jira-adf.ts).
 */
function descriptionText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (isObject(value)) return adfToText(value);
  return '';
}

function readIssue(item: unknown): JiraIssue | undefined {
  if (!isObject(item) || typeof item.key !== 'string' || !ISSUE_KEY.test(item.key)) return undefined;
  const fields = isObject(item.fields) ? item.fields : {};
  const status = isObject(fields.status) ? fields.status : {};
  const category = isObject(status.statusCategory) ? text(status.statusCategory.key) : undefined;
  const comment = fields.comment;
  const comments = isObject(comment) && Array.isArray(comment.comments) ? comment.comments : undefined;
  const commenters = comments
    ?.map((c) => (isObject(c) ? readPerson(c.author)?.id : undefined))
    .filter((id): id is string => id !== undefined);
  return {
    key: item.key,
    summary: stringOr(fields.summary, ''),
    description: descriptionText(fields.description),
    status: nameOf(fields.status),
    statusCategory: category,
    priority: nameOf(fields.priority),
    labels: Array.isArray(fields.labels) ? fields.labels.filter((l): l is string => typeof l === 'string') : [],
    components: Array.isArray(fields.components) ? fields.components.map(nameOf).filter((n) => n !== '') : [],
    created: fields.created,
    updated: fields.updated,
    reporter: readPerson(fields.reporter),
    assignee: readPerson(fields.assignee),
    commenters,
    project: nameOf(fields.project),
    resolution: isObject(fields.resolution) ? stringOr(fields.resolution.name, '') : null,
  };
}

/** One page of a search, and the request for the next one when there is more. */
interface SearchPage {
  readonly issues: readonly unknown[];
  readonly next?: string;
}

/**
 * v2: `{"startAt": 0, "maxResults": 50, "total": 120, "issues": […]}`. The server caps the page
 * size, and the `maxResults` it sends back is the one it granted: asked 100, granted 50. The next
 * page starts after the issues received; the end is an empty page or `startAt` reaching `total`.
 * Answers trimmed to `{"issues": […]}` stop at a short page.
 * v3: `{"issues": […], "nextPageToken": "CAEaAggB", "isLast": false}`, and no total.
 */
function readSearch(res: FetchedResponse, req: RequestSpec): SearchPage {
  const data = parseJsonBody(res, 'Jira');
  if (!isObject(data) || !Array.isArray(data.issues)) {
    const message = jiraMessages(res.body);
    throw new ParseError(`expected a Jira search answer ({"issues": […]})${message === '' ? '' : ` ("${message}")`}: ${res.url}`, res.url);
  }
  const issues = data.issues;
  const asked = parseSearch(req.url);
  if (typeof asked === 'string') return { issues };
  if (asked.api === 'v3') {
    const token = text(data.nextPageToken);
    if (token === undefined || data.isLast === true) return { issues };
    return { issues, next: searchUrl(withParam(asked, 'nextPageToken', token)) };
  }
  const number = (value: unknown): number | undefined => (typeof value === 'number' && Number.isFinite(value) ? value : undefined);
  const startAt = number(data.startAt) ?? Number(param(asked, 'startAt') ?? '0');
  const granted = number(data.maxResults) ?? Number(param(asked, 'maxResults') ?? String(PAGE_SIZE));
  const total = number(data.total);
  const nextStart = startAt + issues.length;
  const more = issues.length > 0 && (total !== undefined ? nextStart < total : issues.length >= granted);
  if (!more) return { issues };
  let next = withParam(asked, 'startAt', String(nextStart));
  if (granted > 0) next = withParam(next, 'maxResults', String(granted));
  return { issues, next: searchUrl(next) };
}

// ---------------------------------------------------------------------------------------------
// Records

function canonicalLink(entry: TrackerEntry, key: string): string {
  return `${baseUrl(entry) ?? ''}browse/${key}`;
}

function peopleInvolved(issue: JiraIssue): number {
  const people = new Set<string>();
  if (issue.reporter !== undefined) people.add(issue.reporter.id);
  if (issue.assignee !== undefined) people.add(issue.assignee.id);
  for (const id of issue.commenters ?? []) people.add(id);
  return people.size;
}

function makeRecord(issue: JiraIssue, ctx: AdapterContext<JiraEntry>, warnings: string[]): ParsedBug {
  const entry = ctx.entry;
  const link = canonicalLink(entry, issue.key);
  // "2011-11-22T09:22:59.899+1100" → 2011-11-21T22:22:59Z
  const dates = recordDates(link, ['created', issue.created], ['updated', issue.updated], warnings);
  const status = issue.status;
  const bitesized = text(entry.bitesized_type)?.toLowerCase();
  const bitesizedPieces = commaList(entry.bitesized_text);
  const documentation = text(entry.documentation_type)?.toLowerCase() ?? 'label';
  const documentationPieces = commaList(entry.documentation_text);
  return {
    title: issue.summary,
    description: issue.description,
    status: status.toLowerCase(),
    importance: issue.priority,
    people_involved: peopleInvolved(issue),
    ...dates,
    last_polled: polledStamp(ctx.now),
    submitter_username: issue.reporter?.username ?? '',
    submitter_realname: issue.reporter?.displayName ?? '',
    canonical_bug_link: link,
    looks_closed: looksClosed(entry, status, () =>
      issue.statusCategory !== undefined ? issue.statusCategory === 'done' : status.toLowerCase() === 'closed',
    ),
    good_for_newcomers:
      bitesized === 'label'
        ? matchesExactly(issue.labels, bitesizedPieces)
        : bitesized === 'priority'
          ? matchesExactly([issue.priority], bitesizedPieces)
          : false,
    concerns_just_documentation: matchesExactly(documentation === 'component' ? issue.components : issue.labels, documentationPieces),
    as_appears_in_distribution: stringOr(entry.as_appears_in_distribution, ''),
    _project_name: projectName(entry, { product: issue.project }),
    _tracker_name: entry.tracker_name,
    ...(ctx.extendedScrape
      ? {
          raw_data: {
            key: issue.key,
            labels: [...issue.labels],
            components: [...issue.components],
            priority: issue.priority,
            status_category: issue.statusCategory ?? null,
            resolution: issue.resolution,
          },
        }
      : {}),
  };
}

// ---------------------------------------------------------------------------------------------
// Meta

/** `{"MKY-1": ["https://host/jira/browse/MKY-1"]}` */
function readKeyMap(value: Json | undefined): Map<string, string[]> {
  const map = new Map<string, string[]>();
  if (!isObject(value)) return map;
  for (const [key, urls] of Object.entries(value)) {
    if (Array.isArray(urls)) map.set(key, urls.filter((u): u is string => typeof u === 'string'));
  }
  return map;
}

function keyMapJson(map: ReadonlyMap<string, readonly string[]>): Json {
  return Object.fromEntries([...map].map(([k, urls]) => [k, [...urls]]));
}

/**
 * Cloud sites have removed the v2 search (410, sometimes 404). When the interface was chosen
 * automatically, such an answer retries the search once on v3 and tells the user to set `api: v3`.
 */
function fallbackToV3(res: FetchedResponse, req: RequestSpec): HandleResult | undefined {
  const meta = metaRecord(req.meta);
  if (meta.fallback !== true || (res.status !== 404 && res.status !== 410)) return undefined;
  const search = parseSearch(req.url);
  if (typeof search === 'string') return undefined;
  const rest = Object.fromEntries(Object.entries(meta).filter(([name]) => name !== 'fallback'));
  const retry: RequestSpec = {
    ...req,
    url: searchUrl(onApi(search, 'v3')),
    meta: rest,
    acceptStatus: (req.acceptStatus ?? []).filter((s) => s !== 404 && s !== 410),
  };
  return {
    requests: [retry],
    warnings: [`the v2 search answered ${res.status}: this looks like Jira Cloud, so the v3 search is used; set "api: v3" in the entry (${req.url})`],
  };
}

/** A 400 to a search is Jira refusing the JQL; say why. */
function refused(res: FetchedResponse, req: RequestSpec): FetchError {
  const message = jiraMessages(res.body);
  return new FetchError(`Jira refused the search (HTTP ${res.status})${message === '' ? '' : `: ${message}`} (${req.url})`, req.url, false, res.status);
}

// ---------------------------------------------------------------------------------------------
// Handlers

/** A page of a query: every issue is a record; the next page follows. */
function handleSearch(res: FetchedResponse, req: RequestSpec, ctx: AdapterContext<JiraEntry>): HandleResult {
  const fallback = fallbackToV3(res, req);
  if (fallback !== undefined) return fallback;
  if (res.status === 400) throw refused(res, req);
  const page = readSearch(res, req);
  const warnings: string[] = [];
  const bugs: BugRecord[] = [];
  let skipped = 0;
  for (const item of page.issues) {
    const issue = readIssue(item);
    if (issue === undefined) skipped++;
    else bugs.push(makeRecord(issue, ctx, warnings));
  }
  if (skipped > 0) warnings.push(`${skipped} issue(s) without a key skipped: ${res.url}`);
  return { bugs, warnings, requests: page.next === undefined ? [] : [{ ...req, url: page.next }] };
}

/** `get_older_bug_data`: only issues whose key is a known key get records. */
function handleOlder(res: FetchedResponse, req: RequestSpec, ctx: AdapterContext<JiraEntry>): HandleResult {
  const fallback = fallbackToV3(res, req);
  if (fallback !== undefined) return fallback;
  if (res.status === 400) throw refused(res, req);
  const known = knownKeys(ctx.entry);
  const page = readSearch(res, req);
  const warnings: string[] = [];
  const bugs: BugRecord[] = [];
  for (const item of page.issues) {
    const issue = readIssue(item);
    if (issue !== undefined && known.has(issue.key.toUpperCase())) bugs.push(makeRecord(issue, ctx, warnings));
  }
  return { bugs, warnings, requests: page.next === undefined ? [] : [{ ...req, url: page.next }] };
}

function issueRequest(entry: TrackerEntry, api: JiraApi, key: string, urls: readonly string[], extended: boolean): RequestSpec {
  const version = api === 'v2' ? '2' : '3';
  return {
    kind: 'issue',
    url: `${baseUrl(entry) ?? ''}rest/api/${version}/issue/${encodeURIComponent(key)}?fields=${extended ? EXTENDED_FIELDS : JIRA_FIELDS}`,
    headers: JIRA_HEADERS,
    meta: { key, urls: [...urls] },
    acceptStatus: [401, 403, 404, 410],
  };
}

/**
 * A batch of known keys: `key in (MKY-1, MKY-2, …)`. Known issues in the answer get records; the
 * keys it leaves out (deleted, moved, private), or every key of a batch the server refuses (400,
 * e.g. "An issue with key 'MKY-9' does not exist"), are fetched one by one.
 */
function handleKeys(res: FetchedResponse, req: RequestSpec, ctx: AdapterContext<JiraEntry>): HandleResult {
  const fallback = fallbackToV3(res, req);
  if (fallback !== undefined) return fallback;
  const meta = metaRecord(req.meta);
  const keys = readKeyMap(meta.keys);
  const asked = parseSearch(req.url);
  const api: JiraApi = typeof asked === 'string' ? 'v2' : asked.api;
  if (res.status === 400) {
    return { requests: [...keys].map(([key, urls]) => issueRequest(ctx.entry, api, key, urls, ctx.extendedScrape)) };
  }
  const page = readSearch(res, req);
  const found = new Set(Array.isArray(meta.found) ? meta.found.filter((k): k is string => typeof k === 'string') : []);
  const warnings: string[] = [];
  const bugs: BugRecord[] = [];
  for (const item of page.issues) {
    const issue = readIssue(item);
    const key = issue?.key.toUpperCase();
    if (issue === undefined || key === undefined || !keys.has(key)) continue;
    found.add(key);
    bugs.push(makeRecord(issue, ctx, warnings));
  }
  if (page.next !== undefined) {
    return { bugs, warnings, requests: [{ ...req, url: page.next, meta: { ...meta, found: [...found] } }] };
  }
  const missing = [...keys].filter(([key]) => !found.has(key));
  return { bugs, warnings, requests: missing.map(([key, urls]) => issueRequest(ctx.entry, api, key, urls, ctx.extendedScrape)) };
}

/** One known issue: a record, `_deleted` (404, 410, or answered under another key: moved), or a skip. */
function handleIssue(res: FetchedResponse, req: RequestSpec, ctx: AdapterContext<JiraEntry>): HandleResult {
  const meta = metaRecord(req.meta);
  const key = typeof meta.key === 'string' ? meta.key : '';
  const urls = Array.isArray(meta.urls) ? meta.urls.filter((u): u is string => typeof u === 'string') : [];
  if (res.status === 404 || res.status === 410) return { bugs: urls.map((url) => deletedRecord(url, ctx)) };
  if (res.status === 401 || res.status === 403) {
    return { warnings: urls.map((url) => `${url}: Jira answered ${res.status}; the issue may have become private, skipped`) };
  }
  const issue = readIssue(parseJsonBody(res, 'Jira'));
  if (issue === undefined) throw new ParseError(`expected a Jira issue with a key: ${res.url}`, res.url);
  // A moved issue answers under its new key: asked MKY-7, got {"key": "OTHER-3", …}.
  if (issue.key.toUpperCase() !== key.toUpperCase()) return { bugs: urls.map((url) => deletedRecord(url, ctx)) };
  const warnings: string[] = [];
  return { bugs: [makeRecord(issue, ctx, warnings)], warnings };
}

// ---------------------------------------------------------------------------------------------
// Plan

/** The interface for searches customs builds itself: `api`, else the first query's, else by host. */
function defaultApi(entry: TrackerEntry): JiraApi {
  const explicit = explicitApi(entry);
  if (explicit !== undefined) return explicit;
  for (const query of urlList(entry.queries)) {
    const search = parseSearch(query);
    if (typeof search !== 'string') return search.api;
  }
  return isCloudHost(baseUrl(entry) ?? '') ? 'v3' : 'v2';
}

/** A search as the entry wants it: converted to an explicit `api`, first page, fields, since. */
function prepare(search: Search, entry: TrackerEntry, ctx: AdapterContext<JiraEntry>, pageSize: number, withSince: boolean): Search {
  const explicit = explicitApi(entry);
  let s = firstPage(onApi(search, explicit ?? search.api), pageSize, ctx.extendedScrape);
  if (withSince && ctx.since !== undefined) s = withParam(s, 'jql', jqlSince(param(s, 'jql') ?? '', ctx.since));
  return s;
}

function searchRequest(kind: string, search: Search, entry: TrackerEntry, meta: JsonRecord, acceptStatus: readonly number[]): RequestSpec {
  // Only an automatic choice of v2 on a Cloud host may fall back to v3.
  const fallback = explicitApi(entry) === undefined && search.api === 'v2' && isCloudHost(search.root);
  return {
    kind,
    url: searchUrl(search),
    headers: JIRA_HEADERS,
    ...(fallback || Object.keys(meta).length > 0 ? { meta: { ...meta, ...(fallback ? { fallback: true } : {}) } } : {}),
    acceptStatus: fallback ? [...acceptStatus, 404, 410] : acceptStatus,
  };
}

function plan(ctx: AdapterContext<JiraEntry>): RequestSpec[] {
  const entry = ctx.entry;
  const base = baseUrl(entry);
  if (base === undefined) return [];
  const api = defaultApi(entry);
  const { requests, add } = requestList();

  const queries = urlList(entry.queries);
  if (queries.length > 0) {
    for (const query of queries) {
      const search = parseSearch(query);
      if (typeof search !== 'string') add(searchRequest('search', prepare(search, entry, ctx, PAGE_SIZE, true), entry, {}, [400]));
    }
  } else {
    const jql = text(entry.jql);
    if (jql !== undefined) {
      const search: Search = { api, root: base, params: [['jql', jql]] };
      add(searchRequest('search', prepare(search, entry, ctx, PAGE_SIZE, true), entry, {}, [400]));
    }
  }

  const known = knownKeys(entry);
  if (known.size === 0) return requests;
  const older = text(entry.get_older_bug_data);
  if (older !== undefined) {
    const search = parseSearch(older);
    if (typeof search !== 'string') add(searchRequest('older', prepare(search, entry, ctx, PAGE_SIZE, true), entry, {}, [400]));
    return requests;
  }
  const entries = [...known];
  for (let i = 0; i < entries.length; i += KEY_BATCH) {
    const batch = new Map(entries.slice(i, i + KEY_BATCH));
    let search: Search = { api, root: base, params: [['jql', `key in (${[...batch.keys()].join(', ')})`]] };
    search = firstPage(search, KEY_BATCH, ctx.extendedScrape);
    // v2 ignores keys that do not exist (with a warning) instead of refusing the whole batch.
    if (api === 'v2') search = withParam(search, 'validateQuery', 'warn');
    add(searchRequest('keys', search, entry, { keys: keyMapJson(batch) }, [400]));
  }
  return requests;
}

// ---------------------------------------------------------------------------------------------
// Check

function check(entry: JiraEntry): EntryProblem[] {
  const { problems, report } = problemList();

  const base = baseUrl(entry);
  // A missing base_url is reported by the loader (the field is required); a bad one here.
  if (base === undefined && text(entry.base_url) !== undefined) report('error', 'base_url', 'base_url must be the http(s) homepage of the Jira instance');
  const explicit = explicitApi(entry);
  const queries = urlList(entry.queries);
  const jql = text(entry.jql);
  if (queries.length === 0 && jql === undefined) report('error', 'jql', 'give jql or queries');
  if (queries.length > 0 && jql !== undefined) report('warning', 'jql', 'jql is not used when queries are given');

  const unbounded = 'Jira Cloud (v3) refuses a search without JQL; add jql=…';
  queries.forEach((query, index) => {
    const search = parseSearch(query);
    if (typeof search === 'string') report('error', 'queries', `${query}: ${search}`, index);
    else if ((explicit ?? search.api) === 'v3' && text(param(search, 'jql')) === undefined) report('error', 'queries', `${query}: ${unbounded}`, index);
  });

  const older = text(entry.get_older_bug_data);
  if (older !== undefined) {
    const search = parseSearch(older);
    if (typeof search === 'string') report('error', 'get_older_bug_data', `${older}: ${search}`);
    else if ((explicit ?? search.api) === 'v3' && text(param(search, 'jql')) === undefined) report('error', 'get_older_bug_data', `${older}: ${unbounded}`);
    else if (urlList(entry.existing_bug_urls).length === 0) report('warning', 'get_older_bug_data', 'has no effect without existing_bug_urls');
  }

  urlList(entry.existing_bug_urls).forEach((url, index) => {
    if (keyOfUrl(url, base) === undefined) {
      report('warning', 'existing_bug_urls', `${url}: not an issue URL of this Jira (${base ?? '<base_url>'}browse/<KEY>), skipped`, index);
    }
  });

  if (text(entry.bitesized_text) !== undefined && text(entry.bitesized_type) === undefined) {
    report('warning', 'bitesized_text', 'bitesized_text is not used without bitesized_type (label or priority)');
  }
  problems.push(...emptyListProblems(entry, ['bitesized_text', 'documentation_text'], 'name'));
  return problems;
}

// ---------------------------------------------------------------------------------------------
// Credentials

/**
 * The `token_env` variable, only to base_url's host: `email:api_token` (Cloud) as HTTP Basic,
 * anything else (a Data Center personal access token) as Bearer. No default variable.
 */
function credentials(entry: JiraEntry, url: string, env: Readonly<Record<string, string | undefined>>): Credentials | undefined {
  const variable = text(entry.token_env);
  const base = baseUrl(entry);
  if (variable === undefined || base === undefined) return undefined;
  if (hostOf(url) !== hostOf(base)) return undefined;
  const token = text(env[variable]);
  if (token === undefined) return undefined;
  const header = token.includes(':') ? basicAuth(token) : `Bearer ${token}`;
  return { headers: { Authorization: header }, source: variable };
}

export const jiraAdapter: TrackerAdapter<JiraEntry> = {
  type: 'jira',
  aliases: ['jira.JiraBugImporter'],
  description: 'Jira issues: Server and Data Center (v2 search) or Jira Cloud (v3 search/jql), every page, refreshed by key.',
  fields: FIELDS,
  incremental: true,
  example: {
    tracker_name: 'Apache Thrift',
    bugimporter: 'jira',
    base_url: 'https://issues.apache.org/jira/',
    jql: 'project = THRIFT AND resolution = Unresolved ORDER BY key ASC',
    bitesized_type: 'label',
    bitesized_text: 'newbie',
    documentation_type: 'component',
    documentation_text: 'Documentation',
    existing_bug_urls: ['https://issues.apache.org/jira/browse/THRIFT-1234'],
  },
  check,
  plan,
  handlers: { search: handleSearch, older: handleOlder, keys: handleKeys, issue: handleIssue },
  credentials,
};
