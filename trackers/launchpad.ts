// Launchpad bugs (trackers.md §8), through the anonymous web-service API (JSON). Each bug is a
// chain of four GETs, carried from handler to handler in `meta`:
//
//   task list (searchTasks, paged by next_collection_link) → bug → subscriptions → bug owner
//
// The engine fetches each URL once per run and hands every waiting request the answer, so bugs
// that share an owner, or tasks that share a bug, each still reach a record. Known bugs are
// refreshed through the bug's `bug_tasks` collection and then join the chain at the bug step.
// Pure: requests are described, answers are read; the engine does every fetch.

import { ParseError } from '../src/core/errors.ts';
import type {
  AdapterContext, EntryProblem, FetchedResponse, FieldSpec, HandleResult, Json, ParsedBug, RequestSpec,
  TrackerAdapter, TrackerEntry,
} from '../src/core/types.ts';
import {
  commaList, type CommonEntry, deletedRecord, emptyListProblems, entryState, looksClosed, matchesExactly,
  polledStamp, problemList, projectName, requestList, text, urlList,
} from './common.ts';
import { laterSince, recordDates } from './dates.ts';
import { isObject, parseJsonBody, stringOr } from './json.ts';
import { hostOf, joinUrl, paramName, paramValue, paramValues, parseHttpUrl, splitUrl, type SplitUrl } from './urls.ts';

/** A `launchpad` tracker entry. Values come from YAML, so the adapter still narrows each one. */
export interface LaunchpadEntry extends CommonEntry {
  readonly launchpad_name?: string;
  readonly state?: string;
  readonly bitesized_tag?: string;
  readonly documentation_tag?: string;
  readonly api_url?: string;
}

export const DEFAULT_LAUNCHPAD_API_URL = 'https://api.launchpad.net/1.0/';
/** Sent with every request: the API answers HTML to browsers otherwise. */
export const LAUNCHPAD_HEADERS: Readonly<Record<string, string>> = { Accept: 'application/json' };
const STATES = ['open', 'all'];
const PAGE_SIZE = '75';

/** Every task status, for `state: all` and incremental runs (Launchpad leaves closed ones out by default). */
export const ALL_STATUSES: readonly string[] = [
  'New',
  'Incomplete',
  'Opinion',
  'Invalid',
  "Won't Fix",
  'Expired',
  'Confirmed',
  'Triaged',
  'In Progress',
  'Fix Committed',
  'Fix Released',
  'Incomplete (with response)',
  'Incomplete (without response)',
];

/** Statuses searchTasks leaves out when a query names none (Launchpad's "unresolved" default). */
const RESOLVED_STATUSES: readonly string[] = ['Opinion', 'Invalid', "Won't Fix", 'Expired', 'Fix Released'];

const FIELDS: readonly FieldSpec[] = [
  {
    name: 'launchpad_name',
    kind: 'string',
    required: 'when there are no queries',
    help: 'The name Launchpad uses for the project (bzr in https://launchpad.net/bzr). A distribution source package works too: ubuntu/+source/<package>.',
    example: 'bzr',
  },
  {
    name: 'queries',
    kind: 'url-list',
    required: false,
    default: '[]',
    help:
      'searchTasks URLs of the API (https://api.launchpad.net/1.0/<target>?ws.op=searchTasks&tags=bitesize…). ws.size=75 is added unless given, and every status when state is all and the URL names none. Default: the tasks of launchpad_name.',
    example: 'https://api.launchpad.net/1.0/bzr?ws.op=searchTasks&tags=easy',
  },
  {
    name: 'existing_bug_urls',
    kind: 'url-list',
    required: false,
    default: '[]',
    help:
      'Bug URLs you already have (https://bugs.launchpad.net/<target>/+bug/<id> or …/bugs/<id>). Each run refreshes them through the bug\'s tasks; a bug that is gone, or no longer has a task for that target, becomes _deleted.',
    example: 'https://bugs.launchpad.net/bzr/+bug/839461',
  },
  {
    name: 'state',
    kind: 'choice',
    required: false,
    choices: STATES,
    default: 'open',
    help:
      "open: Launchpad's default, which leaves closed statuses (Fix Released, Invalid, Won't Fix, Expired, Opinion) out. all: every status, named with a repeated status= parameter. Used when a query names no status.",
    example: 'all',
  },
  {
    name: 'bitesized_tag',
    kind: 'comma-list',
    required: false,
    default: '""',
    help: 'Comma list of bug tags (exact, case-sensitive) that mark a bite-sized bug.',
    example: 'bitesize, easy',
  },
  {
    name: 'documentation_tag',
    kind: 'comma-list',
    required: false,
    default: '""',
    help: 'Comma list of bug tags (exact, case-sensitive) that mark a documentation bug.',
    example: 'doc',
  },
  {
    name: 'api_url',
    kind: 'url',
    required: false,
    default: DEFAULT_LAUNCHPAD_API_URL,
    help: 'The API root, with its version (e.g. https://api.staging.launchpad.net/devel/). A missing trailing / is added.',
    example: 'https://api.launchpad.net/1.0/',
  },
  {
    name: 'bug_project_name_format',
    kind: 'name-format',
    required: false,
    default: '{tracker_name}',
    placeholders: ['product'],
    help: "Pattern for _project_name: {tracker_name}, and {product} for the task's target as Launchpad shows it (bug_target_display_name, e.g. \"Bazaar\" or \"synaptic (Ubuntu)\").",
    example: '{product}',
  },
  {
    name: 'closed_status',
    kind: 'comma-list',
    required: false,
    help: "Comma list of task statuses meaning closed (case-insensitive). Replaces the rule \"the task has a date_closed\".",
    example: "Fix Released, Won't Fix",
  },
];

// ---------------------------------------------------------------------------------------------
// Entry values

/** The API root with one trailing slash: `https://api.launchpad.net/1.0/`. */
function apiRoot(entry: TrackerEntry): string {
  return `${(text(entry.api_url) ?? DEFAULT_LAUNCHPAD_API_URL).replace(/\/+$/, '')}/`;
}

/** `bzr`, `ubuntu/+source/synaptic`, `ubuntu/jammy/+source/synaptic`. */
const TARGET_NAME = /^[a-z0-9][a-z0-9+.-]*(?:\/[a-z0-9+][a-z0-9+.-]*)*$/i;

function launchpadName(entry: TrackerEntry): string | undefined {
  const name = text(entry.launchpad_name)?.replace(/^\/+|\/+$/g, '');
  return name !== undefined && name !== '' ? name : undefined;
}

// ---------------------------------------------------------------------------------------------
// Query strings: split and read with urls.ts, but written in Launchpad's own form encoding
// (urls.ts's withParam leaves `:` readable and writes a space as %20).

/** Path segments keep `+` (`ubuntu/+source/synaptic`); only query strings use it for spaces. */
function decodePath(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

/**
 * Form encoding as Launchpad writes its own links: spaces as `+`, and `+ : ' ( )` escaped, e.g.
 *   status=Won%27t+Fix   modified_since=2024-05-06T07%3A08%3A09%2B00%3A00
 * A raw `+` in `+00:00` would reach the server as a space.
 */
function formEncode(value: string): string {
  return encodeURIComponent(value)
    .replace(/%20/g, '+')
    .replace(/[!'()*]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** Appends `name=value`, even when `name` is there already (`status` is repeated). */
function appendParam(url: SplitUrl, name: string, value: string): SplitUrl {
  return { base: url.base, params: [...url.params, `${formEncode(name)}=${formEncode(value)}`] };
}

function withoutParam(url: SplitUrl, name: string): SplitUrl {
  return { base: url.base, params: url.params.filter((p) => paramName(p) !== name) };
}

function withStatuses(url: SplitUrl, statuses: readonly string[]): SplitUrl {
  return statuses.reduce((u, status) => appendParam(u, 'status', status), url);
}

/** `2024-05-06T07:08:09Z` → `2024-05-06T07:08:09+00:00`, the form of Launchpad's own `modified_since` links. */
function launchpadInstant(iso: string): string {
  return `${iso.slice(0, 19)}+00:00`;
}

// ---------------------------------------------------------------------------------------------
// Task lists

/** Why a query is not a searchTasks URL, or undefined when it is one. */
function queryProblem(raw: string): string | undefined {
  if (parseHttpUrl(raw) === undefined) return 'not an http(s) URL';
  if (!paramValues(splitUrl(raw).params, 'ws.op').includes('searchTasks')) {
    return 'not a searchTasks URL of the Launchpad API (https://api.launchpad.net/1.0/<target>?ws.op=searchTasks&…)';
  }
  return undefined;
}

/** The statuses a task list covers in a full run: the URL's own, else Launchpad's default. */
function fullRunStatuses(url: SplitUrl, state: string): readonly string[] {
  const own = paramValues(url.params, 'status');
  if (own.length > 0) return own;
  return state === 'all' ? ALL_STATUSES : ALL_STATUSES.filter((s) => !RESOLVED_STATUSES.includes(s));
}

/**
 * A list request: `ws.size=75` unless given, every status for `state: all` when the URL names
 * none. Incremental runs (§1.11) ask for every status and add `modified_since` (the later of the
 * URL's own and the run's); the full run's statuses travel in `meta.scope`, so that a task now
 * outside them (closed since the last run) only updates a record the output already holds.
 */
function listRequest(raw: string, state: string, since: Date | undefined): RequestSpec {
  let url = splitUrl(raw);
  if (paramValues(url.params, 'ws.size').length === 0) url = appendParam(url, 'ws.size', PAGE_SIZE);
  if (since === undefined) {
    if (state === 'all' && paramValues(url.params, 'status').length === 0) url = withStatuses(url, ALL_STATUSES);
    return { kind: 'tasks', url: joinUrl(url), headers: LAUNCHPAD_HEADERS };
  }
  const scope = fullRunStatuses(url, state);
  const from = laterSince(paramValue(url.params, 'modified_since'), since);
  url = withStatuses(withoutParam(url, 'status'), ALL_STATUSES);
  url = appendParam(withoutParam(url, 'modified_since'), 'modified_since', launchpadInstant(from));
  return { kind: 'tasks', url: joinUrl(url), headers: LAUNCHPAD_HEADERS, meta: { scope: [...scope] } };
}

// ---------------------------------------------------------------------------------------------
// Known bugs

interface KnownBug {
  readonly url: string;
  readonly id: number;
  /** `bzr` in …/bzr/+bug/839461; null for …/bugs/839461, which names no target. */
  readonly target: string | null;
}

/** `https://bugs.launchpad.net/<target>/+bug/<id>` or `https://bugs.launchpad.net/bugs/<id>`. */
function parseBugUrl(raw: string): KnownBug | undefined {
  const url = parseHttpUrl(raw);
  if (url === undefined) return undefined;
  const path = url.pathname.replace(/\/+$/, '');
  const withTarget = /^\/(.+)\/\+bug\/(\d+)$/.exec(path);
  if (withTarget) return { url: raw, id: Number(withTarget[2]), target: decodePath(withTarget[1] ?? '').toLowerCase() };
  const bare = /^\/bugs\/(\d+)$/.exec(path);
  if (bare) return { url: raw, id: Number(bare[1]), target: null };
  return undefined;
}

/**
 * Web hosts of an API root: `api.launchpad.net` → `bugs.launchpad.net`, `launchpad.net`;
 * `api.staging.launchpad.net` → `bugs.staging.launchpad.net`, …; any other host serves both.
 */
function webHosts(root: string): string[] {
  const host = hostOf(root);
  if (host === undefined) return [];
  if (!host.startsWith('api.')) return [host];
  const rest = host.slice(4);
  return [`bugs.${rest}`, rest, host];
}

function knownBugs(entry: TrackerEntry): KnownBug[] {
  const hosts = webHosts(apiRoot(entry));
  const known: KnownBug[] = [];
  for (const url of urlList(entry.existing_bug_urls)) {
    const bug = parseBugUrl(url);
    if (bug !== undefined && hosts.includes(hostOf(url) ?? '')) known.push(bug);
  }
  return known;
}

/** The target of a task's web_link: `https://bugs.launchpad.net/ubuntu/+source/synaptic/+bug/1` → `ubuntu/+source/synaptic`. */
function targetOfLink(link: string): string | undefined {
  const bug = parseBugUrl(link);
  return bug?.target ?? undefined;
}

// ---------------------------------------------------------------------------------------------
// Answers

function linkOf(value: unknown): string | undefined {
  return typeof value === 'string' && parseHttpUrl(value) !== undefined ? value : undefined;
}

/**
 * A collection: `{"total_size": 3, "start": 0, "entries": [...], "next_collection_link": "…"}`.
 * Large collections send `"total_size_link": "…?ws.show=total_size"` instead of `total_size`.
 */
interface Collection {
  readonly entries: readonly unknown[];
  readonly next?: string;
  readonly totalSize?: number;
  readonly totalSizeLink?: string;
}

function readCollection(data: unknown, url: string): Collection {
  if (!isObject(data) || !Array.isArray(data.entries)) {
    throw new ParseError(`expected a Launchpad collection ({"entries": […]}): ${url}`, url);
  }
  const next = linkOf(data.next_collection_link);
  const totalSizeLink = linkOf(data.total_size_link);
  return {
    entries: data.entries,
    ...(next !== undefined ? { next } : {}),
    ...(typeof data.total_size === 'number' ? { totalSize: data.total_size } : {}),
    ...(totalSizeLink !== undefined ? { totalSizeLink } : {}),
  };
}

/** What a record needs from a bug task; it travels in `meta` through the chain. */
interface TaskData {
  readonly [key: string]: Json;
  readonly link: string;
  readonly bugLink: string;
  readonly title: string;
  readonly status: string;
  readonly importance: string;
  readonly closed: boolean;
  readonly created: string | null;
  readonly target: string;
  readonly targetName: string;
}

/**
 * A bug task entry (`resource_type_link` ending in `#bug_task`):
 *   {"title": "Bug #839461 in Bazaar: \"can't run selftest…\"", "status": "Confirmed",
 *    "bug_link": "https://api.launchpad.net/1.0/bugs/839461", "date_closed": null,
 *    "web_link": "https://bugs.launchpad.net/bzr/+bug/839461", "bug_target_display_name": "Bazaar", …}
 */
function readTask(item: unknown): TaskData | string {
  if (!isObject(item)) return 'not an object';
  const type = stringOr(item.resource_type_link, '');
  if (type !== '' && !type.endsWith('#bug_task')) return `not a bug task (${type})`;
  const link = linkOf(item.web_link);
  const bugLink = linkOf(item.bug_link);
  if (link === undefined || bugLink === undefined) return 'a task without web_link or bug_link';
  return {
    link,
    bugLink,
    title: stringOr(item.title, ''),
    status: stringOr(item.status, ''),
    importance: stringOr(item.importance, ''),
    closed: typeof item.date_closed === 'string' && item.date_closed !== '',
    created: typeof item.date_created === 'string' ? item.date_created : null,
    target: stringOr(item.bug_target_display_name, ''),
    targetName: stringOr(item.bug_target_name, ''),
  };
}

/** What a record needs from the bug object. */
interface BugData {
  readonly [key: string]: Json;
  readonly id: number | null;
  readonly description: string;
  readonly updated: string | null;
  readonly tags: readonly string[];
  readonly heat: number | null;
  readonly messages: number | null;
  readonly ownerLink: string | null;
  readonly subscriptionsLink: string | null;
}

function readBug(data: unknown, url: string): BugData {
  if (!isObject(data)) throw new ParseError(`expected a Launchpad bug object: ${url}`, url);
  const type = stringOr(data.resource_type_link, '');
  if (type !== '' && !type.endsWith('#bug')) throw new ParseError(`expected a Launchpad bug but got ${type}: ${url}`, url);
  const number = (value: unknown): number | null => (typeof value === 'number' && Number.isFinite(value) ? value : null);
  return {
    id: number(data.id),
    description: stringOr(data.description, ''),
    updated: typeof data.date_last_updated === 'string' ? data.date_last_updated : null,
    tags: Array.isArray(data.tags) ? data.tags.filter((t): t is string => typeof t === 'string') : [],
    heat: number(data.heat),
    messages: number(data.message_count),
    ownerLink: linkOf(data.owner_link) ?? null,
    subscriptionsLink: linkOf(data.subscriptions_collection_link) ?? null,
  };
}

// ---------------------------------------------------------------------------------------------
// The chain's meta: {task, from?, outOfScope?, bug?, people?}

interface Chain {
  readonly task: TaskData;
  /** Set when the task lies outside the full run's scope (incremental runs only). */
  readonly outOfScope?: boolean;
  /** The page that listed the task, so that two lists naming one task stay two chains. */
  readonly from?: string;
  readonly bug?: BugData;
  readonly people?: number;
}

function chainMeta(chain: Chain): Json {
  return { ...chain } as unknown as Json;
}

/** The meta of a chain request was written by `chainMeta` above, so its shape is known. */
function readChain(meta: Json | undefined): Chain {
  if (!isObject(meta) || !isObject(meta.task)) throw new Error('Launchpad request without its task in meta');
  return meta as unknown as Chain;
}

function request(kind: string, url: string, chain: Chain, acceptStatus?: readonly number[]): RequestSpec {
  return { kind, url, headers: LAUNCHPAD_HEADERS, meta: chainMeta(chain), ...(acceptStatus ? { acceptStatus } : {}) };
}

/** Step 2: a task's bug. A bug that became private answers 401 or 404 to anonymous requests. */
function bugRequest(chain: Chain): RequestSpec {
  return request('bug', chain.task.bugLink, chain, [401, 403, 404, 410]);
}

/** Step 4 (or the record, when the bug names no owner). */
function ownerStep(chain: Chain, ctx: AdapterContext<LaunchpadEntry>): HandleResult {
  const ownerLink = chain.bug?.ownerLink;
  if (ownerLink === null || ownerLink === undefined) {
    return finish(chain, { name: '', displayName: '' }, ctx, []);
  }
  // A deleted or suspended account answers 404 or 410; the bug is still written.
  return { requests: [request('person', ownerLink, chain, [404, 410])] };
}

// ---------------------------------------------------------------------------------------------
// Records

interface Person {
  readonly name: string;
  readonly displayName: string;
}

function makeRecord(chain: Chain, person: Person, ctx: AdapterContext<LaunchpadEntry>, warnings: string[]): ParsedBug {
  const { task } = chain;
  const bug = chain.bug;
  const entry = ctx.entry;
  const tags = bug?.tags ?? [];
  // Launchpad times carry microseconds and +00:00: "2011-09-02T10:42:43.883929+00:00".
  const dates = recordDates(task.link, ["the task's date_created", task.created], ["the bug's date_last_updated", bug?.updated ?? null], warnings);
  return {
    title: task.title,
    description: bug?.description ?? '',
    status: task.status,
    importance: task.importance,
    people_involved: Math.max(0, Math.trunc(chain.people ?? 0)),
    ...dates,
    last_polled: polledStamp(ctx.now),
    submitter_username: person.name,
    submitter_realname: person.displayName,
    canonical_bug_link: task.link,
    looks_closed: looksClosed(entry, task.status, () => task.closed),
    good_for_newcomers: matchesExactly(tags, commaList(entry.bitesized_tag)),
    concerns_just_documentation: matchesExactly(tags, commaList(entry.documentation_tag)),
    as_appears_in_distribution: stringOr(entry.as_appears_in_distribution, ''),
    _project_name: projectName(entry, { product: task.target }),
    _tracker_name: entry.tracker_name,
    ...(ctx.extendedScrape
      ? {
          raw_data: {
            id: bug?.id ?? null,
            tags: [...tags],
            heat: bug?.heat ?? null,
            message_count: bug?.messages ?? null,
            bug_target_name: task.targetName,
          },
        }
      : {}),
  };
}

function finish(chain: Chain, person: Person, ctx: AdapterContext<LaunchpadEntry>, warnings: string[]): HandleResult {
  const record = makeRecord(chain, person, ctx, warnings);
  return chain.outOfScope === true ? { updates: [record], warnings } : { bugs: [record], warnings };
}

// ---------------------------------------------------------------------------------------------
// Handlers

function readScope(meta: Json | undefined): readonly string[] | undefined {
  if (!isObject(meta) || !Array.isArray(meta.scope)) return undefined;
  return meta.scope.filter((s): s is string => typeof s === 'string');
}

/**
 * Is a task status inside a list's statuses? The search names the two Incomplete variants, but a
 * task only ever says "Incomplete".
 */
function inScope(status: string, scope: readonly string[]): boolean {
  const lower = status.toLowerCase();
  return scope.some((s) => {
    const wanted = s.toLowerCase();
    return wanted === lower || (lower === 'incomplete' && wanted.startsWith('incomplete'));
  });
}

/** Step 1: a page of bug tasks; each task starts a chain, and the next page follows. */
function handleTasks(res: FetchedResponse, req: RequestSpec, _ctx: AdapterContext<LaunchpadEntry>): HandleResult {
  const collection = readCollection(parseJsonBody(res, 'Launchpad', 'an error page?'), res.url);
  const scope = readScope(req.meta);
  const requests: RequestSpec[] = [];
  const warnings: string[] = [];
  let skipped = 0;
  for (const item of collection.entries) {
    const task = readTask(item);
    if (typeof task === 'string') {
      skipped++;
      continue;
    }
    const outOfScope = scope !== undefined && !inScope(task.status, scope);
    requests.push(bugRequest({ task, from: res.url, ...(outOfScope ? { outOfScope } : {}) }));
  }
  if (skipped > 0) warnings.push(`${skipped} entr${skipped === 1 ? 'y that is' : 'ies that are'} not bug tasks skipped: ${res.url}`);
  if (collection.next !== undefined) requests.push({ ...req, url: collection.next });
  return { requests, warnings };
}

interface KnownBugsMeta {
  readonly known: readonly { readonly url: string; readonly target: string | null }[];
}

function readKnownBugs(meta: Json | undefined): KnownBugsMeta {
  if (!isObject(meta) || !Array.isArray(meta.known)) throw new Error('bug_tasks request without meta.known');
  const known = meta.known.filter(
    (k): k is { url: string; target: string | null } => isObject(k) && typeof k.url === 'string' && (typeof k.target === 'string' || k.target === null),
  );
  return { known };
}

/**
 * A known bug's tasks (`<api_url>bugs/<id>/bug_tasks`): the task whose web_link names the known
 * URL's target (the first task for a URL without one) continues at the bug step. 404 or 410, or
 * no task for that target, gives `_deleted`. A single task object is accepted too (old answers).
 */
function handleBugTasks(res: FetchedResponse, req: RequestSpec, ctx: AdapterContext<LaunchpadEntry>): HandleResult {
  const { known } = readKnownBugs(req.meta);
  if (res.status === 404 || res.status === 410) {
    return { bugs: known.map((k) => deletedRecord(k.url, ctx)) };
  }
  if (res.status === 401 || res.status === 403) {
    return { warnings: known.map((k) => `${k.url}: Launchpad answered ${res.status}; the bug may have become private, skipped`) };
  }
  const data = parseJsonBody(res, 'Launchpad', 'an error page?');
  let entries: readonly unknown[];
  let next: string | undefined;
  if (isObject(data) && Array.isArray(data.entries)) {
    const collection = readCollection(data, res.url);
    entries = collection.entries;
    next = collection.next;
  } else if (isObject(data) && typeof data.web_link === 'string') {
    entries = [data];
  } else {
    throw new ParseError(`expected a collection of bug tasks: ${res.url}`, res.url);
  }
  const tasks = entries.map(readTask).filter((t): t is TaskData => typeof t !== 'string');

  const requests: RequestSpec[] = [];
  const missing: { url: string; target: string | null }[] = [];
  const started = new Set<string>();
  for (const k of known) {
    const task = k.target === null ? tasks[0] : tasks.find((t) => targetOfLink(t.link) === k.target);
    if (task === undefined) {
      missing.push(k);
    } else if (!started.has(task.link)) {
      // Two known spellings of one task make one chain; the sink keeps one record per link.
      started.add(task.link);
      requests.push(bugRequest({ task }));
    }
  }
  // Bugs with very many tasks page their collection; look for the others on the next page.
  if (missing.length > 0 && next !== undefined) {
    return { requests: [...requests, { ...req, url: next, meta: { known: missing } }] };
  }
  return { requests, bugs: missing.map((k) => deletedRecord(k.url, ctx)) };
}

/** Step 2: the bug; then its subscriptions. */
function handleBug(res: FetchedResponse, req: RequestSpec, ctx: AdapterContext<LaunchpadEntry>): HandleResult {
  const chain = readChain(req.meta);
  if (res.status < 200 || res.status >= 300) {
    return { warnings: [`${chain.task.link}: Launchpad answered ${res.status} for the bug (private or gone?), skipped`] };
  }
  const bug = readBug(parseJsonBody(res, 'Launchpad', 'an error page?'), res.url);
  const next: Chain = { ...chain, bug };
  if (bug.subscriptionsLink === null) {
    const result = ownerStep({ ...next, people: 0 }, ctx);
    return { ...result, warnings: [...(result.warnings ?? []), `${chain.task.link}: the bug names no subscriptions; people_involved is 0`] };
  }
  return { requests: [request('subscriptions', bug.subscriptionsLink, next)] };
}

/** Step 3: the subscriptions' `total_size`, or its `total_size_link` when the collection sends that instead. */
function handleSubscriptions(res: FetchedResponse, req: RequestSpec, ctx: AdapterContext<LaunchpadEntry>): HandleResult {
  const chain = readChain(req.meta);
  const collection = readCollection(parseJsonBody(res, 'Launchpad', 'an error page?'), res.url);
  if (collection.totalSize !== undefined) return ownerStep({ ...chain, people: collection.totalSize }, ctx);
  if (collection.totalSizeLink !== undefined) return { requests: [request('subscriptions_total', collection.totalSizeLink, chain)] };
  const people = collection.entries.length;
  const warnings = collection.next === undefined ? [] : [`${chain.task.link}: the subscriptions give no total_size; people_involved counts the first page only`];
  const result = ownerStep({ ...chain, people }, ctx);
  return { ...result, warnings: [...(result.warnings ?? []), ...warnings] };
}

/** `total_size_link` answers a bare number: `7`. */
function handleSubscriptionsTotal(res: FetchedResponse, req: RequestSpec, ctx: AdapterContext<LaunchpadEntry>): HandleResult {
  const chain = readChain(req.meta);
  const data = parseJsonBody(res, 'Launchpad', 'an error page?');
  if (typeof data !== 'number' || !Number.isFinite(data) || data < 0) {
    throw new ParseError(`expected a number (total_size) but got ${JSON.stringify(data)?.slice(0, 40) ?? 'nothing'}: ${res.url}`, res.url);
  }
  return ownerStep({ ...chain, people: data }, ctx);
}

/** `https://api.launchpad.net/1.0/~vila` → `vila`. */
function nameFromLink(link: string): string {
  const segment = (parseHttpUrl(link)?.pathname ?? '').split('/').filter((s) => s !== '').pop() ?? '';
  return decodePath(segment).replace(/^~/, '');
}

/** Step 4: the bug owner; the chain ends in a record. */
function handlePerson(res: FetchedResponse, req: RequestSpec, ctx: AdapterContext<LaunchpadEntry>): HandleResult {
  const chain = readChain(req.meta);
  if (res.status === 404 || res.status === 410) {
    // A deleted or suspended account: keep the name the link gives.
    return finish(chain, { name: nameFromLink(req.url), displayName: '' }, ctx, []);
  }
  const data = parseJsonBody(res, 'Launchpad', 'an error page?');
  if (!isObject(data)) throw new ParseError(`expected a Launchpad person object: ${res.url}`, res.url);
  const person = { name: stringOr(data.name, nameFromLink(req.url)), displayName: stringOr(data.display_name, '') };
  return finish(chain, person, ctx, []);
}

// ---------------------------------------------------------------------------------------------
// Plan

function plan(ctx: AdapterContext<LaunchpadEntry>): RequestSpec[] {
  const entry = ctx.entry;
  const root = apiRoot(entry);
  const state = entryState(entry, STATES);
  const { requests, add } = requestList();

  const queries = urlList(entry.queries);
  if (queries.length > 0) {
    for (const query of queries) if (queryProblem(query) === undefined) add(listRequest(query, state, ctx.since));
  } else {
    const name = launchpadName(entry);
    if (name !== undefined && TARGET_NAME.test(name)) add(listRequest(`${root}${name}?ws.op=searchTasks`, state, ctx.since));
  }

  // One bug_tasks request per bug, even when several known URLs name it (other targets).
  const byId = new Map<number, KnownBug[]>();
  for (const bug of knownBugs(entry)) byId.set(bug.id, [...(byId.get(bug.id) ?? []), bug]);
  for (const [id, bugs] of byId) {
    add({
      kind: 'bug_tasks',
      url: `${root}bugs/${id}/bug_tasks`,
      headers: LAUNCHPAD_HEADERS,
      meta: { known: bugs.map((b) => ({ url: b.url, target: b.target })) },
      acceptStatus: [401, 403, 404, 410],
    });
  }
  return requests;
}

// ---------------------------------------------------------------------------------------------
// Check

function check(entry: LaunchpadEntry): EntryProblem[] {
  const { problems, report } = problemList();

  const queries = urlList(entry.queries);
  const name = launchpadName(entry);
  if (queries.length === 0 && name === undefined) report('error', 'launchpad_name', 'give launchpad_name or queries');
  if (name !== undefined && !TARGET_NAME.test(name)) {
    report('error', 'launchpad_name', `"${name}" is not a Launchpad name (such as bzr or ubuntu/+source/synaptic)`);
  }
  queries.forEach((query, index) => {
    const problem = queryProblem(query);
    if (problem !== undefined) report('error', 'queries', `${query}: ${problem}`, index);
  });

  const hosts = webHosts(apiRoot(entry));
  urlList(entry.existing_bug_urls).forEach((url, index) => {
    const bug = parseBugUrl(url);
    if (bug === undefined || !hosts.includes(hostOf(url) ?? '')) {
      report('warning', 'existing_bug_urls', `${url}: not a Launchpad bug URL (https://${hosts[0] ?? 'bugs.launchpad.net'}/<target>/+bug/<id>), skipped`, index);
    }
  });

  problems.push(...emptyListProblems(entry, ['bitesized_tag', 'documentation_tag'], 'tag'));
  if (text(entry.token_env) !== undefined) {
    report('warning', 'token_env', 'Launchpad is read anonymously; token_env is not used');
  }
  return problems;
}

export const launchpadAdapter: TrackerAdapter<LaunchpadEntry> = {
  type: 'launchpad',
  aliases: ['launchpad.LaunchpadBugImporter'],
  description: 'Launchpad bugs, through the anonymous web-service API (searchTasks, then each bug, its subscriptions and owner).',
  fields: FIELDS,
  incremental: true,
  example: {
    tracker_name: 'Bazaar',
    bugimporter: 'launchpad',
    launchpad_name: 'bzr',
    state: 'open',
    bitesized_tag: 'easy',
    documentation_tag: 'doc',
    existing_bug_urls: ['https://bugs.launchpad.net/bzr/+bug/839461'],
  },
  check,
  plan,
  handlers: {
    tasks: handleTasks,
    bug_tasks: handleBugTasks,
    bug: handleBug,
    subscriptions: handleSubscriptions,
    subscriptions_total: handleSubscriptionsTotal,
    person: handlePerson,
  },
};
