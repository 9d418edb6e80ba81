// Roundup issues (trackers.md §4). A query is a Roundup "Download as CSV" export listing issue
// ids; each issue's HTML page then gives the record (roundup-page.ts reads it). Pure: requests are
// described, answers are read; the engine does every fetch.
//
//   plan ──▶ query (CSV export) ──▶ issue (HTML page `<base_url>issue<id>`, one per row) ──▶ record
//   existing_bug_urls ─────────────▶ issue ─┘   404/410 → _deleted; 401/403 or not an issue page → skipped
//
// Incremental runs (ctx.since) add `activity=<day>;` to each query, and ask the same query once
// more without its status filter: what only that second list finds updates records already held.

import { ParseError } from '../src/core/errors.ts';
import type {
  AdapterContext, BugRecord, EntryProblem, FetchedResponse, FieldSpec, HandleResult, Json, ParsedBug, RequestSpec,
  TrackerAdapter, TrackerEntry,
} from '../src/core/types.ts';
import { commaList, type CommonEntry, deletedRecord, looksClosed, matchesSubstring, polledStamp, projectName, requestList, text, urlList } from './common.ts';
import { looksLikeHtml, parseCsvRecords } from './csv.ts';
import { readRecordDate, type RecordDates } from './dates.ts';
import { metaRecord, stringOr } from './json.ts';
import { fieldMap, fieldValue, parseIssuePage, type IssuePage } from './roundup-page.ts';
import { hostOf, joinUrl, paramName, paramValue, parseHttpUrl, splitUrl } from './urls.ts';

/** A `roundup` tracker entry. Values come from YAML, so the adapter still narrows each one. */
export interface RoundupEntry extends CommonEntry {
  readonly bitesized_field?: string;
  readonly bitesized_text?: string;
  readonly documentation_field?: string;
  readonly documentation_text?: string;
  readonly custom_parser?: string;
}

/** The parser used when `custom_parser` is empty; its name is accepted too and means the same. */
const DEFAULT_PARSER = 'roundup.RoundupBugParser';
/** bugs.python.org's parser: the old class name and the short name. */
const PYTHON_PARSERS = ['python', 'roundup.PythonRoundupBugParser'];
/** Statuses that look closed when the entry gives no `closed_status`. */
const DEFAULT_CLOSED = 'closed, resolved';
/** Answers of an issue page handed to its handler instead of failing the tracker. */
const ISSUE_STATUSES = [401, 403, 404, 410];
const DAY_MS = 24 * 3600 * 1000;

const FIELDS: readonly FieldSpec[] = [
  {
    name: 'base_url',
    kind: 'url',
    required: true,
    help: 'The tracker\'s homepage, without subpaths such as issue42 or user37 (a missing trailing / is added). Issue links are <base_url>issue<id>.',
    example: 'https://bugs.example.org/fernmark/',
  },
  {
    name: 'queries',
    kind: 'url-list',
    required: false,
    default: '[]',
    help: 'The URLs of "Download as CSV" links of Roundup searches (issue?@action=export_csv&@columns=id,…&@filter=…). The export must include the id column. Used as given.',
    example: 'https://bugs.example.org/fernmark/issue?@action=export_csv&@columns=id,title,status&@filter=status&status=-1,1,2,3',
  },
  {
    name: 'existing_bug_urls',
    kind: 'url-list',
    required: false,
    default: '[]',
    help: 'Issue URLs you already have (<base_url>issue<id>). Each run refreshes them; an issue answering 404 or 410 becomes _deleted.',
    example: 'https://bugs.example.org/fernmark/issue42',
  },
  {
    name: 'closed_status',
    kind: 'comma-list',
    required: false,
    default: DEFAULT_CLOSED,
    help: 'What the Status field says when a bug is closed; a comma list for several values. Compared with the page\'s Status, case-insensitively.',
    example: 'closed, resolved, wontfix',
  },
  {
    name: 'bitesized_field',
    kind: 'string',
    required: false,
    help: 'The name of a field as it appears on an issue page (e.g. Keywords) that marks a bite-sized issue. Blank if none.',
    example: 'Keywords',
  },
  {
    name: 'bitesized_text',
    kind: 'comma-list',
    required: false,
    default: '""',
    help: 'Comma list of texts; an issue is bite-sized when one of them occurs in the value of bitesized_field (case-sensitive).',
    example: 'easy',
  },
  {
    name: 'documentation_field',
    kind: 'string',
    required: false,
    help: 'The name of a field as it appears on an issue page (e.g. Components) that marks a documentation issue. Blank if none.',
    example: 'Components',
  },
  {
    name: 'documentation_text',
    kind: 'comma-list',
    required: false,
    default: '""',
    help: 'Comma list of texts; an issue is about documentation when one of them occurs in the value of documentation_field (case-sensitive).',
    example: 'Documentation',
  },
  {
    name: 'custom_parser',
    kind: 'choice',
    required: false,
    choices: [DEFAULT_PARSER, ...PYTHON_PARSERS],
    help: 'python (or roundup.PythonRoundupBugParser) for bugs.python.org-style trackers: an open issue\'s status is its Stage when the Stage is set. Empty or roundup.RoundupBugParser: no custom parser.',
    example: 'python',
  },
  {
    name: 'bug_project_name_format',
    kind: 'name-format',
    required: false,
    default: '{tracker_name}',
    placeholders: [],
    help: 'Pattern for _project_name. Roundup pages give no per-issue placeholder.',
    example: '{tracker_name}',
  },
];

// ---------------------------------------------------------------------------------------------
// Entry values and URLs

/** `base_url` with its trailing `/` (the loader adds it too; replayed entries skip the loader). */
function baseUrl(entry: TrackerEntry): string | undefined {
  const base = text(entry.base_url);
  if (base === undefined) return undefined;
  return base.endsWith('/') ? base : `${base}/`;
}

/** `python` or `roundup.PythonRoundupBugParser`: the Stage rule applies. */
export function usesPythonParser(entry: TrackerEntry): boolean {
  const parser = text(entry.custom_parser);
  return parser !== undefined && PYTHON_PARSERS.includes(parser);
}

/** The last path segment of an issue URL: `…/bts/issue1550`. */
const ISSUE_SEGMENT = /^issue(\d+)$/;
/** Subpaths the OpenHatch form asked people to remove from base_url: `issue42`, `user37`, `msg9`, `file3`. */
const ITEM_SEGMENT = /^(?:issue|user|msg|file)\d+$/;

function lastSegment(url: URL): string {
  const segments = url.pathname.split('/');
  return segments[segments.length - 1] ?? '';
}

/**
 * A known URL this type can read: an `issueN` page on the tracker's host. Returns why not, or
 * undefined when it is fine. Known URLs are then used verbatim.
 */
function knownUrlProblem(raw: string, base: string | undefined): string | undefined {
  const url = parseHttpUrl(raw);
  if (url === undefined) return 'not an http(s) URL';
  if (!ISSUE_SEGMENT.test(lastSegment(url))) return 'not a Roundup issue URL (…/issue<number>)';
  const baseHost = base === undefined ? undefined : hostOf(base);
  if (baseHost !== undefined && url.host.toLowerCase() !== baseHost) return `not on the tracker's host ${baseHost}`;
  return undefined;
}

function knownUrls(entry: TrackerEntry): string[] {
  const base = baseUrl(entry);
  return [...new Set(urlList(entry.existing_bug_urls).filter((url) => knownUrlProblem(url, base) === undefined))];
}

// Query strings are edited as text (urls.ts), so that the user's own parameters stay exactly as
// written (`@columns=id,title` must not become `%40columns=id%2Ctitle`).

/** `@filter=status,assignedto` as a list of property names. */
function filterList(params: readonly string[]): string[] {
  return (paramValue(params, '@filter') ?? '').split(',').map((p) => p.trim()).filter((p) => p !== '');
}

/** The same parameters with `@filter` set to `names` (added at the end when it was missing). */
function withFilter(params: readonly string[], names: readonly string[]): string[] {
  const part = `@filter=${names.join(',')}`;
  const index = params.findIndex((p) => paramName(p) === '@filter');
  return index < 0 ? [...params, part] : params.map((p, i) => (i === index ? part : p));
}

/** The query restricts statuses (`status=-1,1,3`; `-1` means "not set"). */
function filtersStatus(url: string): boolean {
  return (paramValue(splitUrl(url).params, 'status') ?? '').trim() !== '';
}

/**
 * A query's incremental form (trackers.md §1.11): `activity=<since − 1 day>;` (Roundup's range
 * "from that day on"), with `activity` added to `@filter`. With `allStatuses`, the `status` filter
 * is dropped too, so an issue closed since the last run is listed. A query that filters on
 * activity itself cannot carry the parameter: undefined (it runs in full).
 */
export function incrementalQueryUrl(url: string, since: Date, allStatuses: boolean): string | undefined {
  const split = splitUrl(url);
  if (split.params.some((p) => paramName(p) === 'activity')) return undefined;
  const day = new Date(since.getTime() - DAY_MS).toISOString().slice(0, 10);
  let params = [...split.params];
  let filters = filterList(params);
  if (allStatuses) {
    params = params.filter((p) => paramName(p) !== 'status');
    filters = filters.filter((name) => name !== 'status');
  }
  if (!filters.includes('activity')) filters.push('activity');
  params = withFilter(params, filters);
  params.push(`activity=${day};`);
  return joinUrl({ base: split.base, params });
}

/** What a query URL lacks to be a usable CSV export, if anything (warnings of `check`). */
function queryProblems(url: string): string[] {
  const params = splitUrl(url).params;
  const problems: string[] = [];
  const action = paramValue(params, '@action');
  if (action === undefined || !action.startsWith('export_csv')) {
    problems.push('is not a CSV export (no @action=export_csv): Roundup answers it with an HTML page, which fails the tracker');
  }
  const columns = paramValue(params, '@columns');
  if (columns !== undefined && !columns.split(',').some((c) => c.trim() === 'id')) {
    problems.push('has no id in @columns: the export then names no issue');
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------
// Request metadata

/**
 * Incremental runs also list every status; what only that list finds lies outside the scope of a
 * full run and is an `update` (written only when it replaces a record the last output holds).
 */
function isUpdate(meta: Json | undefined): boolean {
  return metaRecord(meta).update === true;
}

function issueRequest(url: string, update: boolean): RequestSpec {
  return { kind: 'issue', url, acceptStatus: ISSUE_STATUSES, ...(update ? { meta: { update: true } } : {}) };
}

// ---------------------------------------------------------------------------------------------
// Query: the CSV export

/** A CSV id: `1550`, with surrounding spaces allowed. */
function issueId(value: string | undefined): string | undefined {
  const m = /^\s*(\d+)\s*$/.exec(value ?? '');
  return m ? String(Number(m[1])) : undefined;
}

/**
 * A query answer, e.g. (the Mercurial tracker's export, a short row leaving columns empty):
 *   id,activity,title,creator,status
 *   1550,2012-08-31.07:28:13,"help('modules') broken by several 3rd party libraries"
 */
function handleQuery(res: FetchedResponse, req: RequestSpec, ctx: AdapterContext<RoundupEntry>): HandleResult {
  // A login or error page answered in place of the export: `<!DOCTYPE html …` or `<html>`.
  if (looksLikeHtml(res.body) || res.body.trimStart().startsWith('<')) {
    throw new ParseError(`expected the CSV export of a Roundup query but got an HTML page (a login or error page, or a query without @action=export_csv?): ${res.url}`, res.url);
  }
  if (res.body.trim() === '') {
    return { warnings: [`the query answered an empty body instead of a CSV export with a header row, so it listed no issue: ${res.url}`] };
  }
  const base = baseUrl(ctx.entry);
  if (base === undefined) throw new ParseError(`the entry has no base_url to make issue links from: ${res.url}`, res.url);
  const { header, records } = parseCsvRecords(res.body);
  const idColumn = header.find((name) => name === 'id') ?? header.find((name) => name.toLowerCase() === 'id');
  if (idColumn === undefined) {
    return { warnings: [`the CSV export has no id column (columns: ${header.join(', ') || 'none'}), so it lists no issue; add id to @columns: ${res.url}`] };
  }
  const update = isUpdate(req.meta);
  const requests: RequestSpec[] = [];
  const seen = new Set<string>();
  const skipped: string[] = [];
  for (const row of records) {
    const id = issueId(row[idColumn]);
    if (id === undefined) {
      skipped.push(JSON.stringify(row[idColumn] ?? ''));
      continue;
    }
    if (seen.has(id)) continue;
    seen.add(id);
    requests.push(issueRequest(`${base}issue${id}`, update));
  }
  const warnings =
    skipped.length === 0
      ? []
      : [`${skipped.length} row(s) of the CSV export without a numeric id were skipped (id ${skipped.slice(0, 3).join(', ')}${skipped.length > 3 ? ', …' : ''}): ${res.url}`];
  return { requests, warnings };
}

// ---------------------------------------------------------------------------------------------
// Issue: the HTML page

/** Records of a bug: in scope (`bugs`) or, for an incremental run's extra list, `updates`. */
function place(records: readonly BugRecord[], req: RequestSpec, warnings: readonly string[] = []): HandleResult {
  return isUpdate(req.meta) ? { updates: records, warnings } : { bugs: records, warnings };
}

/** A `*_field` / `*_text` rule: one piece of the text occurs in the field's value (§4). */
function fieldRule(page: IssuePage, field: unknown, pieces: unknown): boolean {
  const name = text(field);
  if (name === undefined) return false;
  return matchesSubstring([fieldValue(page.fields, name) ?? ''], commaList(pieces));
}

/**
 * `status`: the page's Status. The Python parser shows the Stage of an open issue instead:
 *   Status: open, Stage: needs patch → "needs patch";  Status: open, Stage: "" → "open"
 */
function statusOf(page: IssuePage, entry: TrackerEntry): string {
  const status = fieldValue(page.fields, 'Status') ?? '';
  if (!usesPythonParser(entry) || status.toLowerCase() !== 'open') return status;
  const stage = fieldValue(page.fields, 'Stage') ?? '';
  return stage !== '' ? stage : status;
}

/** `raw_data` with --extended-scrape: the field map, `files` and `messages`, as oh-bugimporters wrote it. */
function rawData(page: IssuePage): Record<string, unknown> {
  return {
    ...fieldMap(page.fields),
    files: page.files.map((f) => ({ url: f.url, author: f.author })),
    messages: page.messages.map((m) => ({ author: m.authorText, message: m.html })),
  };
}

/**
 * The record of a read issue page, or undefined (with a warning) when the page has no header
 * line. `url` is the canonical link. Warnings about the page are pushed onto `warnings`.
 */
export function makeRecord(page: IssuePage, url: string, ctx: AdapterContext<RoundupEntry>, warnings: string[]): ParsedBug | undefined {
  const entry = ctx.entry;
  const header = page.header;
  if (header === undefined) {
    warnings.push(`${url}: not a Roundup issue page (no "Created on … by …, last changed … by …" line; a login or error page?), skipped`);
    return undefined;
  }
  const dates: RecordDates = {};
  for (const [field, value] of [['date_reported', header.created], ['last_touched', header.changed]] as const) {
    readRecordDate(dates, field, value, url, warnings, () => `the date "${value}" of the header line is unreadable`);
  }
  const logins = new Set<string>();
  let realname = '';
  for (const message of page.messages) {
    if (message.author === undefined) continue;
    logins.add(message.author.login);
    if (realname === '' && message.author.login === header.creator) realname = message.author.realname;
  }
  const title = fieldValue(page.fields, 'Title');
  if (title === undefined) warnings.push(`${url}: the issue page has no Title field (no properties table?); title left empty`);
  // looks_closed compares the page's own Status, even when the Python parser shows the Stage.
  const status = fieldValue(page.fields, 'Status') ?? '';
  const defaultClosed = commaList(DEFAULT_CLOSED);
  return {
    title: title ?? '',
    description: page.messages[0]?.text ?? '',
    status: statusOf(page, entry),
    importance: fieldValue(page.fields, 'Priority') ?? '',
    people_involved: logins.size,
    ...dates,
    last_polled: polledStamp(ctx.now),
    submitter_username: header.creator,
    submitter_realname: realname,
    canonical_bug_link: url,
    looks_closed: looksClosed(entry, status, () => defaultClosed.includes(status.toLowerCase())),
    good_for_newcomers: fieldRule(page, entry.bitesized_field, entry.bitesized_text),
    concerns_just_documentation: fieldRule(page, entry.documentation_field, entry.documentation_text),
    as_appears_in_distribution: stringOr(entry.as_appears_in_distribution, ''),
    _project_name: projectName(entry, {}),
    _tracker_name: entry.tracker_name,
    ...(ctx.extendedScrape ? { raw_data: rawData(page) } : {}),
  };
}

/** An issue page: a record, `_deleted` (404, 410), or a skip with a warning. */
function handleIssue(res: FetchedResponse, req: RequestSpec, ctx: AdapterContext<RoundupEntry>): HandleResult {
  // The issue URL is the canonical link: a query's `<base_url>issue<id>`, or a known URL verbatim.
  const url = req.url;
  // The issue's own request says it is gone (known or just listed, the answer is as explicit).
  if (res.status === 404 || res.status === 410) return place([deletedRecord(url, ctx)], req);
  if (res.status === 401 || res.status === 403) {
    return { warnings: [`${url}: Roundup answered ${res.status}; the issue may have become private, skipped`] };
  }
  const warnings: string[] = [];
  const record = makeRecord(parseIssuePage(res.body), url, ctx, warnings);
  return place(record === undefined ? [] : [record], req, warnings);
}

// ---------------------------------------------------------------------------------------------
// Plan

function plan(ctx: AdapterContext<RoundupEntry>): RequestSpec[] {
  const entry = ctx.entry;
  const { requests, add } = requestList((request) => `${request.kind} ${request.url} ${JSON.stringify(request.meta ?? null)}`);

  for (const query of urlList(entry.queries)) {
    const since = ctx.since;
    const scoped = since === undefined ? undefined : incrementalQueryUrl(query, since, false);
    if (since === undefined || scoped === undefined) {
      add({ kind: 'query', url: query });
      continue;
    }
    // Incremental: what changed in the query's own scope gives records; what changed among the
    // statuses it leaves out (an issue closed since the last run) only updates records held.
    add({ kind: 'query', url: scoped });
    const every = filtersStatus(query) ? incrementalQueryUrl(query, since, true) : undefined;
    if (every !== undefined) add({ kind: 'query', url: every, meta: { update: true } });
  }
  for (const url of knownUrls(entry)) add(issueRequest(url, false));
  return requests;
}

// ---------------------------------------------------------------------------------------------
// Check

function check(entry: RoundupEntry): EntryProblem[] {
  const problems: EntryProblem[] = [];
  const base = baseUrl(entry);
  const baseParsed = base === undefined ? undefined : parseHttpUrl(base);
  if (base !== undefined && baseParsed !== undefined) {
    if (baseParsed.search !== '' || baseParsed.hash !== '') {
      problems.push({ severity: 'error', field: 'base_url', message: `base_url must be the tracker's homepage, without a query or fragment: ${base}` });
    }
    const segments = baseParsed.pathname.split('/').filter((s) => s !== '');
    const item = segments.find((s) => ITEM_SEGMENT.test(s));
    if (item !== undefined) {
      problems.push({ severity: 'error', field: 'base_url', message: `base_url must be the tracker's homepage: remove the subpath "${item}" (issue links are <base_url>issue<id>)` });
    }
  }
  urlList(entry.queries).forEach((query, index) => {
    for (const problem of queryProblems(query)) problems.push({ severity: 'warning', field: 'queries', index, message: `${query} ${problem}` });
  });
  urlList(entry.existing_bug_urls).forEach((url, index) => {
    const problem = knownUrlProblem(url, base);
    if (problem !== undefined) problems.push({ severity: 'warning', field: 'existing_bug_urls', index, message: `${url}: ${problem}, skipped` });
  });
  // The loader already warns about a field without text; this is the other way round.
  for (const rule of ['bitesized', 'documentation'] as const) {
    if (commaList(entry[`${rule}_text`]).length > 0 && text(entry[`${rule}_field`]) === undefined) {
      problems.push({ severity: 'warning', field: `${rule}_text`, message: `${rule}_text has no effect without ${rule}_field (the name of a field of the issue page, e.g. ${rule === 'bitesized' ? 'Keywords' : 'Components'})` });
    }
  }
  return problems;
}

export const roundupAdapter: TrackerAdapter<RoundupEntry> = {
  type: 'roundup',
  aliases: ['roundup.RoundupBugImporter'],
  description: 'Roundup trackers (bugs.python.org style): CSV-export queries, then each issue\'s page.',
  fields: FIELDS,
  incremental: true,
  example: {
    tracker_name: 'Fernmark',
    bugimporter: 'roundup',
    base_url: 'https://bugs.example.org/fernmark/',
    queries: ['https://bugs.example.org/fernmark/issue?@action=export_csv&@columns=id,activity,title,creator,status&@sort=-activity&@filter=status&status=-1,1,2,3'],
    existing_bug_urls: ['https://bugs.example.org/fernmark/issue42'],
    closed_status: 'closed, resolved',
    bitesized_field: 'Keywords',
    bitesized_text: 'easy',
    documentation_field: 'Components',
    documentation_text: 'Documentation',
  },
  check,
  plan,
  handlers: { query: handleQuery, issue: handleIssue },
};
