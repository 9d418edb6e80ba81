// Redmine issues (trackers.md §9): the REST API's JSON issue lists and single issues, turned into
// ParsedBug records. Pure: requests are described, answers are read; the engine does every fetch.
//
// A run goes in three steps:
//   1. `<base_url>issue_statuses.json` (optional) says which statuses are closed;
//   2. its handler plans the issue lists and the known issues, carrying that table in `meta`;
//   3. each list page gives its records and the next page: offset + issues received, until
//      `total_count` is reached or a page comes back empty.

import { FetchError, ParseError, errorMessage } from '../src/core/errors.ts';
import type {
  AdapterContext, BugRecord, Credentials, EntryProblem, FetchedResponse, FieldSpec, HandleResult, Json, ParsedBug,
  RequestSpec, TrackerAdapter, TrackerEntry,
} from '../src/core/types.ts';
import {
  commaList, type CommonEntry, deletedRecord, entryState, knownMeta, looksClosed, matchesExactly, polledStamp,
  problemList, projectName, readKnownMeta, stateProblems, text, urlList,
} from './common.ts';
import { absentOrUnreadable, formatUtcSeconds, parseTrackerDate, recordDates } from './dates.ts';
import { isObject, type JsonObject, type JsonRecord, metaRecord, parseJsonBody, scopeOf, stringOr } from './json.ts';
import { baseUrlOf, encodeParam, joinUrl, paramValue, parseHttpUrl, pathBelow, splitUrl, withParam } from './urls.ts';

/** A `redmine` tracker entry. Values come from YAML, so the adapter still narrows each one. */
export interface RedmineEntry extends CommonEntry {
  readonly project?: string;
  readonly state?: string;
  readonly bitesized_type?: string;
  readonly bitesized_text?: string;
  readonly documentation_type?: string;
  readonly documentation_text?: string;
}

const STATES = ['open', 'closed', 'all'];
/** `state` as Redmine's `status_id` filter spells it. */
const STATUS_PARAM: Readonly<Record<string, string>> = { open: 'open', closed: 'closed', all: '*' };
/** Redmine's own maximum; servers may grant less, and the answer says how many (`limit`). */
const PAGE_LIMIT = '100';
/** Statuses taken as closed when the server does not say (no `is_closed`, no status table). */
const CLOSED_NAMES = ['closed', 'rejected'];
const RULE_KINDS = ['tracker', 'category', 'priority'] as const;
const API_KEY_HEADER = 'X-Redmine-API-Key';

const FIELDS: readonly FieldSpec[] = [
  {
    name: 'base_url',
    kind: 'url',
    required: true,
    help: 'The Redmine root, e.g. https://redmine.example.org/ (with its path when Redmine lives below one). The REST API must be enabled by an administrator.',
    example: 'https://www.redmine.org/',
  },
  {
    name: 'project',
    kind: 'string',
    required: false,
    help: 'A project identifier (or numeric id), used to build the query when there are no queries: <base_url>issues.json?project_id=<project>&status_id=<state>&sort=updated_on:desc&limit=100&offset=0. Subprojects are included, as Redmine does. Without it the generated query lists every visible issue of the instance.',
    example: 'redmine',
  },
  {
    name: 'queries',
    kind: 'url-list',
    required: false,
    help: 'Issue lists under base_url: …/issues.json?… or …/projects/<id>/issues.json?… (a web page …/issues?… is read as its .json twin). Each keeps its parameters and gets limit=100, and status_id=<state>, when missing. Never put the API key (key=) in a URL: use token_env.',
    default: '[]',
    example: 'https://www.redmine.org/projects/redmine/issues.json?tracker_id=1',
  },
  {
    name: 'existing_bug_urls',
    kind: 'url-list',
    required: false,
    help: 'Issue URLs you already have (<base_url>issues/<id>). Each run refreshes them one by one; a gone issue (404 or 410) becomes _deleted, a private one (401 or 403) is skipped with a warning.',
    default: '[]',
    example: 'https://www.redmine.org/issues/12345',
  },
  {
    name: 'state',
    kind: 'choice',
    required: false,
    choices: STATES,
    default: 'open',
    help: 'Which issues to import: open, closed or all, sent as status_id=open, closed or *. Used by the generated query and by queries that name no status_id.',
    example: 'open',
  },
  {
    name: 'bitesized_type',
    kind: 'string',
    required: false,
    help: 'What marks a bite-sized issue: tracker, category, priority, or custom_field:<Field name> (e.g. custom_field:Difficulty). The issue\'s value of that field (its name, for tracker, category and priority) must equal a piece of bitesized_text.',
    example: 'custom_field:Difficulty',
  },
  {
    name: 'bitesized_text',
    kind: 'comma-list',
    required: false,
    default: '""',
    help: 'Comma list of values (exact, case-sensitive) of the bitesized_type field that mark a bite-sized issue. A multi-valued custom field matches when any of its values does.',
    example: 'Easy',
  },
  {
    name: 'documentation_type',
    kind: 'string',
    required: false,
    help: 'What marks a documentation issue: tracker, category, priority, or custom_field:<Field name>.',
    example: 'category',
  },
  {
    name: 'documentation_text',
    kind: 'comma-list',
    required: false,
    default: '""',
    help: 'Comma list of values (exact, case-sensitive) of the documentation_type field that mark a documentation issue.',
    example: 'Documentation',
  },
  {
    name: 'bug_project_name_format',
    kind: 'name-format',
    required: false,
    default: '{tracker_name}',
    placeholders: ['product', 'component'],
    help: 'Pattern for _project_name: {tracker_name}, {product} for the issue\'s project name, {component} for its category name.',
    example: '{product}',
  },
  {
    name: 'closed_status',
    kind: 'comma-list',
    required: false,
    help: 'Comma list of status names meaning closed, compared with status.name (case-insensitive). Replaces the server\'s own is_closed flags.',
  },
  {
    name: 'token_env',
    kind: 'env-name',
    required: false,
    help: 'Environment variable holding a Redmine API key (My account → API access key), sent as the X-Redmine-API-Key header to base_url only. No default: public issues need no key.',
    example: 'REDMINE_API_KEY',
  },
];

// ---------------------------------------------------------------------------------------------
// Entry values

/** `base_url` as a URL whose path ends with `/`, without query or fragment. */
function baseOf(entry: TrackerEntry): URL | undefined {
  return baseUrlOf(text(entry.base_url));
}

/** Whether a URL carries Redmine's `key=` parameter, i.e. an API key that would leak into caches and logs. */
function carriesKey(url: URL): boolean {
  return [...url.searchParams.keys()].some((name) => name.toLowerCase() === 'key');
}

// ---------------------------------------------------------------------------------------------
// Which URLs are issue lists and issues

const LIST_PATH = /^(?:projects\/[^/]+\/)?issues(\.json)?\/?$/;
const ISSUE_PATH = /^issues\/(\d+)(?:\.json)?\/?$/;

/** A query as the `issues.json` URL to fetch (before limit/status/since are added), or why not. */
function listTarget(raw: string, base: URL): string | { readonly problem: string } {
  const url = parseHttpUrl(raw);
  if (url === undefined) return { problem: 'not an http(s) URL' };
  if (carriesKey(url)) return { problem: 'carries an API key (key=); secrets are read from the environment only: use token_env' };
  const below = pathBelow(url, base);
  if (below === undefined) return { problem: `not under base_url (${base.href})` };
  const m = LIST_PATH.exec(below);
  if (!m) return { problem: 'not an issue list (…/issues.json?… or …/projects/<id>/issues.json?…)' };
  const { base: path, params } = splitUrl(raw);
  // The web page `…/issues?tracker_id=1` and the API `…/issues.json?tracker_id=1` take the same filters.
  return joinUrl({ base: m[1] === undefined ? path.replace(/\/?$/, '.json') : path, params });
}

/** The issue id of a known URL `<base_url>issues/<id>`, or undefined. */
function knownIssueId(raw: string, base: URL): number | undefined {
  const url = parseHttpUrl(raw);
  if (url === undefined || carriesKey(url)) return undefined;
  const below = pathBelow(url, base);
  const m = below === undefined ? null : ISSUE_PATH.exec(below);
  return m ? Number(m[1]) : undefined;
}

/**
 * The list URL to fetch: `limit=100` and `status_id=<state>` unless given. On incremental runs
 * every status (`status_id=*`) and `updated_on=>=<since>`; a query's own `updated_on=>=…` is kept
 * when it is later. `scope` is the status filter of a full run, for the records' scope check.
 */
function listUrl(target: string, state: string, since: Date | undefined): { readonly url: string; readonly scope: string } {
  let url = splitUrl(target);
  url = withParam(url, 'status_id', STATUS_PARAM[state] ?? 'open');
  url = withParam(url, 'limit', PAGE_LIMIT);
  const scope = paramValue(url.params, 'status_id') ?? 'open';
  if (since !== undefined) {
    const runSince = formatUtcSeconds(since);
    url = withParam(url, 'status_id', '*', true);
    const own = paramValue(url.params, 'updated_on');
    const ownSince = own === undefined ? undefined : /^>=(.+)$/.exec(own)?.[1];
    const ownIso = ownSince === undefined ? undefined : parseTrackerDate(ownSince)?.iso;
    // Another operator (`><a|b`, `<=…`) is the user's own window: the query then runs as written.
    if (own === undefined || (ownIso !== undefined && ownIso < runSince)) {
      url = withParam(url, 'updated_on', `>=${runSince}`, true);
    }
  }
  return { url: joinUrl(url), scope };
}

// ---------------------------------------------------------------------------------------------
// Request metadata: the status table travels with every list page and known issue.

/** Status id → `is_closed`, from `issue_statuses.json`. */
type StatusTable = Readonly<Record<string, boolean>>;

function statusesOf(meta: Json | undefined): StatusTable | undefined {
  const value = metaRecord(meta).statuses;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const table: Record<string, boolean> = {};
  for (const [id, closed] of Object.entries(value as JsonRecord)) if (typeof closed === 'boolean') table[id] = closed;
  return table;
}

// ---------------------------------------------------------------------------------------------
// Answers

interface RedmineStatus {
  readonly id?: number;
  readonly name: string;
  /** Redmine ≥ 5.1 puts it on every issue: `"status": {"id": 5, "name": "Closed", "is_closed": true}`. */
  readonly is_closed?: boolean;
}

interface CustomField {
  readonly name: string;
  /** Every value as text: a multi-valued field has several, an empty one none. */
  readonly values: readonly string[];
  /** As sent, for raw_data: a string, a list of strings, or null. */
  readonly raw: Json;
}

/** One issue of an answer, narrowed to what a record needs. */
interface RedmineIssue {
  readonly id: number;
  readonly subject: string;
  readonly description: string;
  readonly status: RedmineStatus;
  readonly priority: string;
  readonly tracker: string;
  readonly category: string;
  readonly project: string;
  readonly author: { readonly id?: number; readonly name: string };
  readonly assigneeId?: number;
  readonly created_on: unknown;
  readonly updated_on: unknown;
  readonly done_ratio: number | null;
  readonly custom_fields: readonly CustomField[];
}

/** `"tracker": {"id": 1, "name": "Bug"}` → `Bug`; "" when absent. */
function nameOf(value: unknown): string {
  return isObject(value) && typeof value.name === 'string' ? value.name : '';
}

function idOf(value: unknown): number | undefined {
  return isObject(value) && typeof value.id === 'number' && Number.isFinite(value.id) ? value.id : undefined;
}

function toJson(value: unknown): Json {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' || value === null) return value;
  if (Array.isArray(value)) return value.map(toJson);
  if (isObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toJson(v)]));
  return null;
}

/**
 * Custom fields: `[{"id": 2, "name": "Difficulty", "value": "Easy"},
 * {"id": 5, "name": "Platforms", "multiple": true, "value": ["Linux", "macOS"]}]`.
 */
function customFields(value: unknown): CustomField[] {
  if (!Array.isArray(value)) return [];
  const fields: CustomField[] = [];
  for (const field of value) {
    if (!isObject(field) || typeof field.name !== 'string') continue;
    const raw = toJson(field.value ?? null);
    const list: readonly unknown[] = Array.isArray(field.value) ? field.value : [field.value];
    const values = list
      .map((v) => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : ''))
      .filter((v) => v !== '');
    fields.push({ name: field.name, values, raw });
  }
  return fields;
}

function readIssue(item: unknown): RedmineIssue | undefined {
  if (!isObject(item) || typeof item.id !== 'number' || !Number.isInteger(item.id) || item.id <= 0) return undefined;
  const status = isObject(item.status) ? item.status : {};
  const statusId = idOf(status);
  const authorId = idOf(item.author);
  const assigneeId = idOf(item.assigned_to);
  return {
    id: item.id,
    subject: typeof item.subject === 'string' ? item.subject : '',
    // Descriptions typed in the web form keep the browser's line ends: "Steps:\r\n1. Open …".
    description: typeof item.description === 'string' ? item.description.replace(/\r\n?/g, '\n') : '',
    status: {
      name: nameOf(status),
      ...(statusId !== undefined ? { id: statusId } : {}),
      ...(typeof status.is_closed === 'boolean' ? { is_closed: status.is_closed } : {}),
    },
    priority: nameOf(item.priority),
    tracker: nameOf(item.tracker),
    category: nameOf(item.category),
    project: nameOf(item.project),
    author: { name: nameOf(item.author), ...(authorId !== undefined ? { id: authorId } : {}) },
    ...(assigneeId !== undefined ? { assigneeId } : {}),
    created_on: item.created_on,
    updated_on: item.updated_on,
    done_ratio: typeof item.done_ratio === 'number' ? item.done_ratio : null,
    custom_fields: customFields(item.custom_fields),
  };
}

/**
 * Is the status closed on the server? Status names may be translated (a Spanish install sends
 * `"status": {"id": 5, "name": "Cerrada"}`), so the name is the last resort: the issue's own
 * `is_closed`, else the table from issue_statuses.json, else `Closed` / `Rejected`.
 */
function closedOnServer(status: RedmineStatus, statuses: StatusTable | undefined): boolean {
  if (status.is_closed !== undefined) return status.is_closed;
  const known = status.id === undefined ? undefined : statuses?.[String(status.id)];
  if (known !== undefined) return known;
  return CLOSED_NAMES.includes(status.name.toLowerCase());
}

/**
 * Whether a list of a full run would hold this issue. `scope` is that run's `status_id`:
 * `open`, `closed`, `*`, ids such as `1|2`, or a negation `!5`.
 */
function inScope(scope: string | undefined, status: RedmineStatus, closed: boolean): boolean {
  if (scope === undefined || scope === '*') return true;
  if (scope === 'open' || scope === 'o') return !closed;
  if (scope === 'closed' || scope === 'c') return closed;
  const negated = scope.startsWith('!');
  const ids = (negated ? scope.slice(1) : scope).split(/[|,]/).map(Number);
  if (status.id === undefined || ids.some((id) => !Number.isInteger(id))) return true;
  return ids.includes(status.id) !== negated;
}

// ---------------------------------------------------------------------------------------------
// Bite-sized and documentation rules: `tracker`, `category`, `priority` or `custom_field:<Name>`.

type RuleField = { readonly kind: (typeof RULE_KINDS)[number] } | { readonly kind: 'custom_field'; readonly name: string };

function ruleField(value: unknown): RuleField | undefined {
  const raw = text(value);
  if (raw === undefined) return undefined;
  const kind = RULE_KINDS.find((k) => k === raw.toLowerCase());
  if (kind !== undefined) return { kind };
  const m = /^custom_field\s*:\s*(.+)$/i.exec(raw);
  const name = m?.[1]?.trim();
  return name ? { kind: 'custom_field', name } : undefined;
}

function ruleValues(issue: RedmineIssue, field: RuleField | undefined): string[] {
  if (field === undefined) return [];
  switch (field.kind) {
    case 'tracker':
      return [issue.tracker];
    case 'category':
      return [issue.category];
    case 'priority':
      return [issue.priority];
    case 'custom_field':
      return issue.custom_fields.filter((f) => f.name === field.name).flatMap((f) => f.values);
  }
}

function matchesRule(issue: RedmineIssue, type: unknown, pieces: unknown): boolean {
  return matchesExactly(ruleValues(issue, ruleField(type)).filter((v) => v !== ''), commaList(pieces));
}

// ---------------------------------------------------------------------------------------------
// Records

function issueLink(base: URL, id: number): string {
  return `${base.href}issues/${id}`;
}

function makeRecord(issue: RedmineIssue, base: URL, statuses: StatusTable | undefined, ctx: AdapterContext<RedmineEntry>, warnings: string[]): ParsedBug {
  const entry = ctx.entry;
  const link = issueLink(base, issue.id);
  const people = new Set<number>();
  if (issue.author.id !== undefined) people.add(issue.author.id);
  if (issue.assigneeId !== undefined) people.add(issue.assigneeId);
  const dates = recordDates(link, ['created_on', issue.created_on], ['updated_on', issue.updated_on], warnings, absentOrUnreadable);
  return {
    title: issue.subject,
    description: issue.description,
    status: issue.status.name,
    importance: issue.priority,
    people_involved: people.size,
    ...dates,
    last_polled: polledStamp(ctx.now),
    submitter_username: '',
    submitter_realname: issue.author.name,
    canonical_bug_link: link,
    looks_closed: looksClosed(entry, issue.status.name, () => closedOnServer(issue.status, statuses)),
    good_for_newcomers: matchesRule(issue, entry.bitesized_type, entry.bitesized_text),
    concerns_just_documentation: matchesRule(issue, entry.documentation_type, entry.documentation_text),
    as_appears_in_distribution: stringOr(entry.as_appears_in_distribution, ''),
    _project_name: projectName(entry, { product: issue.project, component: issue.category }),
    _tracker_name: entry.tracker_name,
    ...(ctx.extendedScrape
      ? {
          raw_data: {
            tracker: issue.tracker,
            category: issue.category,
            priority: issue.priority,
            done_ratio: issue.done_ratio,
            custom_fields: Object.fromEntries(issue.custom_fields.map((f) => [f.name, f.raw])),
          },
        }
      : {}),
  };
}

function requireBase(ctx: AdapterContext<RedmineEntry>): URL {
  const base = baseOf(ctx.entry);
  if (base === undefined) throw new ParseError('the entry has no usable base_url');
  return base;
}

// ---------------------------------------------------------------------------------------------
// Handlers

/** Redmine's error answers: `{"errors": ["Status is not included in the list"]}` (422), or empty. */
function refusal(res: FetchedResponse): string {
  let detail = '';
  try {
    const data: unknown = JSON.parse(res.body);
    if (isObject(data) && Array.isArray(data.errors)) detail = data.errors.filter((e) => typeof e === 'string').join('; ');
  } catch {
    // Not JSON: only the status is known.
  }
  const hint =
    res.status === 401 || res.status === 403
      ? ' (the project may be private or the REST API disabled; an API key goes in token_env)'
      : res.status === 404
        ? ' (no such project?)'
        : '';
  return `Redmine answered ${res.status}${detail ? `: ${detail}` : ''}${hint}: ${res.url}`;
}

/** Step 1: the status table (or nothing, when the server would not say), then every list and known issue. */
function handleStatuses(res: FetchedResponse, _req: RequestSpec, ctx: AdapterContext<RedmineEntry>): HandleResult {
  const warnings: string[] = [];
  let statuses: Record<string, boolean> | undefined;
  if (res.failure === undefined) {
    // {"issue_statuses": [{"id": 1, "name": "New", "is_closed": false}, {"id": 5, "name": "Closed", "is_closed": true}]}
    let data: unknown;
    try {
      data = parseJsonBody(res, 'Redmine', 'a login or error page, or the REST API is disabled?');
    } catch (err) {
      warnings.push(`${errorMessage(err)}; closed statuses are recognised by name`);
    }
    if (isObject(data) && Array.isArray(data.issue_statuses)) {
      statuses = {};
      for (const status of data.issue_statuses) {
        const id = idOf(status);
        if (id !== undefined && isObject(status) && typeof status.is_closed === 'boolean') statuses[String(id)] = status.is_closed;
      }
    } else if (data !== undefined) {
      warnings.push(`expected {"issue_statuses": […]} from ${res.url}; closed statuses are recognised by name`);
    }
  }
  return { requests: issueRequests(ctx, statuses), warnings };
}

function handleList(res: FetchedResponse, req: RequestSpec, ctx: AdapterContext<RedmineEntry>): HandleResult {
  if (res.status < 200 || res.status >= 300) throw new FetchError(refusal(res), res.url, false, res.status);
  const base = requireBase(ctx);
  const data = parseJsonBody(res, 'Redmine', 'a login or error page, or the REST API is disabled?');
  // {"issues": [...], "total_count": 4, "offset": 0, "limit": 3}
  if (!isObject(data) || !Array.isArray(data.issues)) {
    throw new ParseError(`expected a Redmine issue list ({"issues": […], "total_count": …}): ${res.url}`, res.url);
  }
  const statuses = statusesOf(req.meta);
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
    const record = makeRecord(issue, base, statuses, ctx, warnings);
    (inScope(scope, issue.status, closedOnServer(issue.status, statuses)) ? bugs : updates).push(record);
  }
  return { bugs, updates, requests: nextPage(req, data, data.issues.length), warnings };
}

function count(value: unknown): number | undefined {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof n === 'number' && Number.isInteger(n) && n >= 0 ? n : undefined;
}

/**
 * Offset paging. The next offset is this page's offset plus the issues received, so a server
 * that grants fewer than asked (`limit=100` → `"limit": 25`) is still read to the end. Stop on
 * an empty page or when the offset reaches `total_count`; an answer without `total_count`
 * (`nometa=1`) ends with a page shorter than the `limit` it reports.
 */
function nextPage(req: RequestSpec, data: JsonObject, received: number): RequestSpec[] {
  if (received === 0) return [];
  const url = splitUrl(req.url);
  const offset = count(data.offset) ?? count(paramValue(url.params, 'offset')) ?? 0;
  const next = offset + received;
  const total = count(data.total_count);
  if (total !== undefined) {
    if (next >= total) return [];
  } else {
    const limit = count(data.limit) ?? count(paramValue(url.params, 'limit')) ?? 25;
    if (received < limit) return [];
  }
  return [{ ...req, url: joinUrl(withParam(url, 'offset', String(next), true)) }];
}

/** A known issue's own request: a record, `_deleted` (404, 410), or a skip (401, 403). */
function handleIssue(res: FetchedResponse, req: RequestSpec, ctx: AdapterContext<RedmineEntry>): HandleResult {
  const { knownUrl, otherKnownUrls } = readKnownMeta(req.meta);
  const allKnown = [knownUrl, ...otherKnownUrls];
  if (res.status === 404 || res.status === 410) return { bugs: allKnown.map((url) => deletedRecord(url, ctx)) };
  if (res.status === 401 || res.status === 403) {
    return { warnings: [`${knownUrl}: Redmine answered ${res.status}; the issue may have become private, skipped`] };
  }
  const data = parseJsonBody(res, 'Redmine', 'a login or error page, or the REST API is disabled?');
  // {"issue": {"id": 7311, "subject": "…", …}}
  const issue = isObject(data) ? readIssue(data.issue) : undefined;
  if (issue === undefined) throw new ParseError(`expected a Redmine issue ({"issue": {"id": …}}): ${res.url}`, res.url);
  const warnings: string[] = [];
  return { bugs: [makeRecord(issue, requireBase(ctx), statusesOf(req.meta), ctx, warnings)], warnings };
}

// ---------------------------------------------------------------------------------------------
// Plan

/** The issue lists and known issues, planned once the status table is known (step 2). */
function issueRequests(ctx: AdapterContext<RedmineEntry>, statuses: StatusTable | undefined): RequestSpec[] {
  const entry = ctx.entry;
  const base = baseOf(entry);
  if (base === undefined) return [];
  const state = entryState(entry, STATES);
  const requests: RequestSpec[] = [];
  const seen = new Set<string>();
  const statusMeta: JsonRecord = statuses === undefined ? {} : { statuses };

  const targets: string[] = [];
  const queries = urlList(entry.queries);
  if (queries.length > 0) {
    for (const query of queries) {
      const target = listTarget(query, base);
      if (typeof target === 'string') targets.push(target);
    }
  } else {
    const project = text(entry.project);
    const params = [
      ...(project !== undefined ? [encodeParam('project_id', project)] : []),
      encodeParam('status_id', STATUS_PARAM[state] ?? 'open'),
      'sort=updated_on:desc',
      `limit=${PAGE_LIMIT}`,
      'offset=0',
    ];
    targets.push(joinUrl({ base: `${base.href}issues.json`, params }));
  }
  for (const target of targets) {
    const { url, scope } = listUrl(target, state, ctx.since);
    if (seen.has(url)) continue;
    seen.add(url);
    // Incremental runs ask for every status; the full run's scope travels along, so that an
    // issue now outside it (closed since the last run) only updates a record already held.
    const meta: JsonRecord = ctx.since === undefined ? statusMeta : { ...statusMeta, scope };
    requests.push({ kind: 'list', url, meta, acceptStatus: [401, 403, 404, 422] });
  }

  // One request per issue, even when existing_bug_urls spells it twice (`issues/5`, `issues/5.json`).
  const byId = new Map<number, string[]>();
  for (const url of urlList(entry.existing_bug_urls)) {
    const id = knownIssueId(url, base);
    if (id !== undefined) byId.set(id, [...(byId.get(id) ?? []), url]);
  }
  for (const [id, urls] of byId) {
    requests.push({
      kind: 'issue',
      url: `${base.href}issues/${id}.json`,
      meta: { ...statusMeta, ...knownMeta(urls) },
      acceptStatus: [401, 403, 404, 410],
    });
  }
  return requests;
}

/** Step 1: the status table only; its handler plans the rest. */
function plan(ctx: AdapterContext<RedmineEntry>): RequestSpec[] {
  const base = baseOf(ctx.entry);
  if (base === undefined) return [];
  return [{ kind: 'statuses', url: `${base.href}issue_statuses.json`, optional: true }];
}

// ---------------------------------------------------------------------------------------------
// Check

function check(entry: RedmineEntry): EntryProblem[] {
  const { problems, report } = problemList();

  // A missing base_url is reported by the loader (the field is required); the rest needs one.
  if (text(entry.base_url) === undefined) return problems;
  const base = baseOf(entry);
  if (base === undefined) {
    report('error', 'base_url', 'base_url must be the http(s) root of the Redmine, e.g. https://redmine.example.org/');
    return problems;
  }
  if (carriesKey(new URL(text(entry.base_url) ?? base.href))) {
    report('error', 'base_url', 'base_url carries an API key (key=); secrets are read from the environment only: use token_env');
  }

  const project = entry.project;
  if (project !== undefined && project !== null && (typeof project !== 'string' || (project.trim() !== '' && !/^[A-Za-z0-9_-]+$/.test(project.trim())))) {
    report('error', 'project', 'project must be a Redmine project identifier (letters, digits, - and _) or a numeric id');
  }
  const queries = urlList(entry.queries);
  if (queries.length > 0 && text(entry.project) !== undefined) {
    report('warning', 'project', 'project is only used when there are no queries; it is ignored here');
  }
  queries.forEach((query, index) => {
    const target = listTarget(query, base);
    if (typeof target !== 'string') report('error', 'queries', `${query}: ${target.problem}`, index);
  });

  urlList(entry.existing_bug_urls).forEach((url, index) => {
    const parsed = parseHttpUrl(url);
    if (parsed !== undefined && carriesKey(parsed)) {
      report('error', 'existing_bug_urls', `${url}: carries an API key (key=); secrets are read from the environment only: use token_env`, index);
    } else if (knownIssueId(url, base) === undefined) {
      report('warning', 'existing_bug_urls', `${url}: not a Redmine issue URL (${base.href}issues/<id>), skipped`, index);
    }
  });

  problems.push(...stateProblems(entry, STATES));

  for (const rule of ['bitesized', 'documentation'] as const) {
    const typeKey = `${rule}_type`;
    const textKey = `${rule}_text`;
    const type = entry[typeKey];
    if (text(type) !== undefined && ruleField(type) === undefined) {
      report('error', typeKey, `${typeKey} must be tracker, category, priority or custom_field:<Field name>, got "${String(type)}"`);
    }
    if (text(type) === undefined && commaList(entry[textKey]).length > 0) {
      report('warning', textKey, `${textKey} has no effect without ${typeKey}`);
    }
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------
// Credentials

/** The API key from `token_env`, in the X-Redmine-API-Key header, for URLs under base_url only. */
function credentials(entry: RedmineEntry, url: string, env: Readonly<Record<string, string | undefined>>): Credentials | undefined {
  const variable = text(entry.token_env);
  const base = baseOf(entry);
  const target = parseHttpUrl(url);
  if (variable === undefined || base === undefined || target === undefined || pathBelow(target, base) === undefined) return undefined;
  const key = text(env[variable]);
  return key === undefined ? undefined : { headers: { [API_KEY_HEADER]: key }, source: variable };
}

export const redmineAdapter: TrackerAdapter<RedmineEntry> = {
  type: 'redmine',
  aliases: ['redmine.RedmineBugImporter'],
  description: 'Redmine issues, through the REST API (JSON), paged by offset and total_count.',
  fields: FIELDS,
  example: {
    tracker_name: 'Redmine',
    bugimporter: 'redmine',
    base_url: 'https://www.redmine.org/',
    project: 'redmine',
    state: 'open',
    documentation_type: 'category',
    documentation_text: 'Documentation',
    bug_project_name_format: '{tracker_name} – {component}',
    existing_bug_urls: ['https://www.redmine.org/issues/12345'],
  },
  check,
  plan,
  handlers: { statuses: handleStatuses, list: handleList, issue: handleIssue },
  incremental: true,
  credentials,
};
