// Trac tickets (trackers.md §3). A query is a Trac CSV export listing tickets; each ticket is then
// read twice: its CSV export gives the fields, its HTML page the people and the dates
// (trac-page.ts). Pure: requests are described, answers are read; the engine does every fetch.
//
//   plan ──▶ query (CSV) ──▶ ticket (CSV, one per row) ──▶ page (HTML, optional) ──▶ record
//   existing_bug_urls ─────▶ ticket ─┘   404/410 → _deleted; page failure → record from the CSV

import { CustomsError, ParseError } from '../src/core/errors.ts';
import type {
  AdapterContext, BugRecord, EntryProblem, FetchedResponse, FieldSpec, HandleResult, Json, ParsedBug, RequestSpec,
  TrackerAdapter, TrackerEntry,
} from '../src/core/types.ts';
import { commaList, type CommonEntry, deletedRecord, looksClosed, matchesSubstring, polledStamp, problemList, projectName, text, urlList } from './common.ts';
import { parseCsvRecords } from './csv.ts';
import { readRecordDate, type RecordDates } from './dates.ts';
import { metaRecord } from './json.ts';
import { cleanTimelineTitle, parseTicketPage, type DateMention, type TicketPage } from './trac-page.ts';
import { hostOf, joinUrl, paramName, parseHttpUrl, splitUrl } from './urls.ts';

/** A `trac` tracker entry. Values come from YAML, so the adapter still narrows each one. */
export interface TracEntry extends CommonEntry {
  readonly bitesized_type?: string;
  readonly bitesized_text?: string;
  readonly documentation_type?: string;
  readonly documentation_text?: string;
}

const FIELDS: readonly FieldSpec[] = [
  {
    name: 'base_url',
    kind: 'url',
    required: true,
    help: 'The Trac homepage, without subpaths such as ticket/ or query (a missing trailing / is added). Ticket links are <base_url>ticket/<id>.',
    example: 'https://trac.example.org/inkwell/',
  },
  {
    name: 'queries',
    kind: 'url-list',
    required: false,
    default: '[]',
    help: 'Trac query URLs listing the tickets to import (…/query?status=!closed&keywords=~easy). format=csv and max=0 are added when the URL names no format or max.',
    example: 'https://trac.example.org/inkwell/query?status=!closed&keywords=~easy&format=csv',
  },
  {
    name: 'existing_bug_urls',
    kind: 'url-list',
    required: false,
    default: '[]',
    help: 'Ticket URLs you already have (…/ticket/<id>). Each run refreshes them; a ticket answering 404 or 410 becomes _deleted.',
    example: 'https://trac.example.org/inkwell/ticket/42',
  },
  {
    name: 'bitesized_type',
    kind: 'string',
    required: false,
    help: 'The ticket CSV column that marks a bite-sized ticket: keywords, priority, difficulty, or any other column name.',
    example: 'keywords',
  },
  {
    name: 'bitesized_text',
    kind: 'comma-list',
    required: false,
    default: '""',
    help: 'Comma list of texts; a ticket is bite-sized when one of them occurs in its bitesized_type column (case-sensitive).',
    example: 'easy, bitesized',
  },
  {
    name: 'documentation_type',
    kind: 'string',
    required: false,
    help: 'The ticket CSV column that marks a documentation ticket: keywords, component, or any other column name.',
    example: 'component',
  },
  {
    name: 'documentation_text',
    kind: 'comma-list',
    required: false,
    default: '""',
    help: 'Comma list of texts; a ticket is about documentation when one of them occurs in its documentation_type column (case-sensitive).',
    example: 'documentation',
  },
  {
    name: 'bug_project_name_format',
    kind: 'name-format',
    required: false,
    default: '{tracker_name}',
    placeholders: ['component'],
    help: 'Pattern for _project_name: {tracker_name}, and {component} for the ticket\'s component.',
    example: '{tracker_name} {component}',
  },
  {
    name: 'closed_status',
    kind: 'comma-list',
    required: false,
    help: 'Comma list of statuses meaning closed, compared with the ticket\'s status (case-insensitive). Replaces the rule "status is closed".',
    example: 'closed, resolved',
  },
];

/** Answers of a ticket's CSV request handed to its handler instead of failing the tracker. */
const TICKET_STATUSES = [401, 403, 404, 410];

// ---------------------------------------------------------------------------------------------
// Entry values and URLs

/** `base_url` with its trailing `/` (the loader adds it too; replayed entries skip the loader). */
function baseUrl(entry: TrackerEntry): string | undefined {
  const base = text(entry.base_url);
  if (base === undefined) return undefined;
  return base.endsWith('/') ? base : `${base}/`;
}

function withoutFragment(url: string): string {
  return url.split('#', 1)[0] ?? url;
}

// Query strings are edited as text (urls.ts), so that the user's parameters stay exactly as
// written (`status=!closed&keywords=~easy` must not be re-encoded).

/** The first `name` parameter's value as written, not decoded: `check` quotes it back. */
function rawParamValue(url: string, name: string): string | undefined {
  const part = splitUrl(url).params.find((p) => paramName(p) === name);
  return part === undefined ? undefined : part.slice(name.length + 1);
}

/**
 * The query as requested: `format=csv` unless the URL names a format, `max=0` unless it names a
 * max (Trac versions that page their exports then send every row).
 */
export function queryUrl(url: string): string {
  const { base, params } = splitUrl(url);
  const names = params.map(paramName);
  const added = [...(names.includes('format') ? [] : ['format=csv']), ...(names.includes('max') ? [] : ['max=0'])];
  return joinUrl({ base, params: [...params, ...added] });
}

/**
 * The incremental form of a query (trackers.md §1.11): every status (the `status` filters are
 * dropped, so a ticket closed since the last run is seen) and `changetime=<since − 1 day>..`.
 */
export function incrementalQueryUrl(url: string, since: Date): string {
  const { base, params } = splitUrl(queryUrl(url));
  const kept = params.filter((p) => paramName(p) !== 'status');
  const day = new Date(since.getTime() - 24 * 3600 * 1000).toISOString().slice(0, 10);
  if (!kept.some((p) => paramName(p) === 'changetime')) kept.push(`changetime=${day}..`);
  return joinUrl({ base, params: kept });
}

/** `…/ticket/12` → `…/ticket/12?format=csv`; a URL with a query gets `&format=csv`. */
export function ticketCsvUrl(ticketUrl: string): string {
  const url = withoutFragment(ticketUrl);
  return `${url}${url.includes('?') ? '&' : '?'}format=csv`;
}

const TICKET_PATH = /\/ticket\/(\d+)\/?$/;

/** Why a known URL cannot be read as a ticket of this Trac, or undefined when it can. */
function knownUrlProblem(url: string, base: string | undefined): string | undefined {
  const parsed = parseHttpUrl(url);
  if (parsed === undefined) return 'not an http(s) URL';
  if (!TICKET_PATH.test(parsed.pathname)) return 'not a Trac ticket URL (…/ticket/<id>)';
  const baseHost = base === undefined ? undefined : hostOf(base);
  if (baseHost !== undefined && parsed.host.toLowerCase() !== baseHost) return `not on this tracker's host (${baseHost})`;
  return undefined;
}

/** A ticket URL compared loosely: `…/ticket/42#comment:3` and `…/ticket/42/` are `…/ticket/42`. */
function ticketKey(url: string): string {
  return withoutFragment(url).replace(/\/+$/, '');
}

/** The readable known URLs, each once, as written in the file. */
function knownTickets(entry: TrackerEntry): string[] {
  const base = baseUrl(entry);
  return [...new Set(urlList(entry.existing_bug_urls))].filter((url) => knownUrlProblem(url, base) === undefined);
}

// ---------------------------------------------------------------------------------------------
// Request metadata: what a ticket carries from one step to the next

interface QueryMeta {
  /** Incremental runs: the unfiltered query, asked when the server refuses the filtered one. */
  readonly fullUrl?: string;
  /** This query reports a missing bitesized/documentation column (once per tracker, see plan). */
  readonly checkColumns?: boolean;
}

interface TicketMeta {
  readonly ticketUrl: string;
  /** The query row's `time` and `changetime`, for a record built without its page. */
  readonly time?: string;
  readonly changetime?: string;
  readonly checkColumns?: boolean;
}

interface PageMeta extends TicketMeta {
  /** The ticket's CSV row, line breaks already normalised. */
  readonly row: Readonly<Record<string, string>>;
}

function optionalString(value: Json | undefined): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function readQueryMeta(meta: Json | undefined): QueryMeta {
  const m = metaRecord(meta);
  const fullUrl = optionalString(m.fullUrl);
  return { ...(fullUrl !== undefined ? { fullUrl } : {}), checkColumns: m.checkColumns === true };
}

function readTicketMeta(meta: Json | undefined): TicketMeta {
  const m = metaRecord(meta);
  const ticketUrl = optionalString(m.ticketUrl);
  if (ticketUrl === undefined) throw new CustomsError('parse', 'trac: ticket request without its ticket URL');
  const time = optionalString(m.time);
  const changetime = optionalString(m.changetime);
  return {
    ticketUrl,
    ...(time !== undefined ? { time } : {}),
    ...(changetime !== undefined ? { changetime } : {}),
    checkColumns: m.checkColumns === true,
  };
}

function readPageMeta(meta: Json | undefined): PageMeta {
  const row = metaRecord(metaRecord(meta).row);
  const fields: Record<string, string> = {};
  for (const [key, value] of Object.entries(row)) if (typeof value === 'string') fields[key] = value;
  return { ...readTicketMeta(meta), row: fields };
}

function ticketMetaJson(meta: TicketMeta): { [key: string]: Json } {
  return {
    ticketUrl: meta.ticketUrl,
    ...(meta.time !== undefined ? { time: meta.time } : {}),
    ...(meta.changetime !== undefined ? { changetime: meta.changetime } : {}),
    ...(meta.checkColumns === true ? { checkColumns: true } : {}),
  };
}

function ticketRequest(meta: TicketMeta): RequestSpec {
  return { kind: 'ticket', url: ticketCsvUrl(meta.ticketUrl), acceptStatus: TICKET_STATUSES, meta: ticketMetaJson(meta) };
}

function queryRequest(url: string, checkColumns: boolean, since: Date | undefined): RequestSpec {
  const flag: { [key: string]: Json } = checkColumns ? { checkColumns: true } : {};
  if (since === undefined) return { kind: 'query', url: queryUrl(url), ...(checkColumns ? { meta: flag } : {}) };
  // The filtered query is optional: a Trac older than 0.12 may refuse `changetime=`, and the
  // handler then asks the full query instead.
  return { kind: 'query', url: incrementalQueryUrl(url, since), optional: true, meta: { ...flag, fullUrl: queryUrl(url) } };
}

// ---------------------------------------------------------------------------------------------
// CSV

/** Trac's CSV sends `\r\n`, even inside quoted multi-line descriptions; every value gets `\n`. */
function normaliseBreaks(value: string): string {
  return value.replace(/\r\n?/g, '\n');
}

/** An error page or login form where CSV was expected starts with `<`. */
function isMarkup(body: string): boolean {
  return /^\s*</.test(body);
}

function readCsv(res: FetchedResponse): { readonly header: readonly string[]; readonly rows: Record<string, string>[] } {
  if (isMarkup(res.body)) throw new ParseError(`got HTML instead of CSV: ${res.url}`, res.url);
  const { header, records } = parseCsvRecords(res.body);
  const rows = records.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, normaliseBreaks(v)])));
  return { header, rows };
}

/** A query row's ticket id: `581`, or `#581` as some reports write it. */
function ticketId(value: string | undefined): string | undefined {
  const m = /^#?(\d+)$/.exec((value ?? '').trim());
  return m ? String(Number(m[1])) : undefined;
}

/** A column by its exact name, else ignoring case (`Keywords` in an entry still finds `keywords`). */
function column(row: Readonly<Record<string, string>>, name: string): string | undefined {
  if (Object.hasOwn(row, name)) return row[name];
  const key = Object.keys(row).find((k) => k.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : row[key];
}

const RULES = [
  { type: 'bitesized_type', text: 'bitesized_text' },
  { type: 'documentation_type', text: 'documentation_text' },
] as const;

/** A rule is true when a piece of its text occurs in the value of the column it names. */
function columnRule(row: Readonly<Record<string, string>>, entry: TrackerEntry, rule: (typeof RULES)[number]): boolean {
  const name = text(entry[rule.type]);
  if (name === undefined) return false;
  const value = column(row, name);
  return value !== undefined && matchesSubstring([value], commaList(entry[rule.text]));
}

function missingColumnWarnings(row: Readonly<Record<string, string>>, entry: TrackerEntry, url: string): string[] {
  const warnings: string[] = [];
  for (const rule of RULES) {
    const name = text(entry[rule.type]);
    if (name !== undefined && column(row, name) === undefined) {
      warnings.push(`${rule.type} names the column "${name}", which this Trac's ticket CSV does not have (${url}); that rule never matches`);
    }
  }
  return warnings;
}

// ---------------------------------------------------------------------------------------------
// Records

/** Distinct non-empty names: reporter, owner, each Cc entry, each change author. */
function peopleInvolved(row: Readonly<Record<string, string>>, page: TicketPage | undefined): number {
  // The page's value when it has one, else the CSV's: `Reported by: thijs` / reporter column.
  const pick = (fromPage: string | undefined, csvColumn: string): string => text(fromPage) ?? row[csvColumn] ?? '';
  const names = new Set<string>();
  const add = (name: string): void => {
    const trimmed = name.trim();
    if (trimmed !== '') names.add(trimmed);
  };
  add(pick(page?.reportedBy, 'reporter'));
  add(pick(page?.owner, 'owner'));
  // `Cc: thijs, exarkun`; an empty Cc adds nobody.
  for (const cc of pick(page?.cc, 'cc').split(',')) add(cc);
  for (const author of page?.changeAuthors ?? []) add(author);
  return names.size;
}

/** A date title or CSV value as UTC, or a warning naming the ticket. */
function readDate(value: string | undefined, what: string, field: keyof RecordDates, ticketUrl: string, dates: RecordDates, warnings: string[]): void {
  readRecordDate(dates, field, value, ticketUrl, warnings, () => `${what} is ${value === undefined ? 'missing' : `unreadable ("${value}")`}`);
}

/**
 * Dates from the page's titles. A ticket never modified has no "Last modified" line, so
 * `last_touched` is `date_reported`; a line without a readable title leaves it out.
 */
function pageDates(opened: DateMention, lastModified: DateMention, ticketUrl: string, warnings: string[]): RecordDates {
  const dates: RecordDates = {};
  const title = (mention: DateMention): string | undefined =>
    mention?.title === undefined ? undefined : cleanTimelineTitle(mention.title);
  readDate(title(opened), 'the "Opened" date of the page', 'date_reported', ticketUrl, dates, warnings);
  if (lastModified === undefined) {
    if (dates.date_reported !== undefined) dates.last_touched = dates.date_reported;
  } else {
    readDate(title(lastModified), 'the "Last modified" date of the page', 'last_touched', ticketUrl, dates, warnings);
  }
  return dates;
}

/** Without the page: the query row's `time` and `changetime` when the query listed them. */
function queryRowDates(meta: TicketMeta, warnings: string[]): RecordDates {
  const dates: RecordDates = {};
  if (meta.time === undefined && meta.changetime === undefined) return dates;
  readDate(meta.time, 'the query\'s "time" column', 'date_reported', meta.ticketUrl, dates, warnings);
  readDate(meta.changetime, 'the query\'s "changetime" column', 'last_touched', meta.ticketUrl, dates, warnings);
  return dates;
}

function makeRecord(meta: PageMeta, page: TicketPage | undefined, dates: RecordDates, ctx: AdapterContext<TracEntry>): ParsedBug {
  const { entry } = ctx;
  const row = meta.row;
  const status = row.status ?? '';
  return {
    title: row.summary ?? '',
    description: row.description ?? '',
    status,
    importance: row.priority ?? '',
    people_involved: peopleInvolved(row, page),
    ...dates,
    last_polled: polledStamp(ctx.now),
    submitter_username: row.reporter ?? '',
    submitter_realname: '',
    canonical_bug_link: meta.ticketUrl,
    looks_closed: looksClosed(entry, status, () => status === 'closed'),
    good_for_newcomers: columnRule(row, entry, RULES[0]),
    concerns_just_documentation: columnRule(row, entry, RULES[1]),
    as_appears_in_distribution: typeof entry.as_appears_in_distribution === 'string' ? entry.as_appears_in_distribution : '',
    _project_name: projectName(entry, { component: row.component ?? '' }),
    _tracker_name: entry.tracker_name,
    ...(ctx.extendedScrape
      ? {
          raw_data: {
            csv: { ...row },
            properties: Object.fromEntries((page?.properties ?? []).map((p) => [p.label, p.text])),
          },
        }
      : {}),
  };
}

// ---------------------------------------------------------------------------------------------
// Handlers

/** A query's CSV: one ticket request per row (known tickets are already planned). */
function handleQuery(res: FetchedResponse, req: RequestSpec, ctx: AdapterContext<TracEntry>): HandleResult {
  const meta = readQueryMeta(req.meta);
  if (meta.fullUrl !== undefined && (res.failure !== undefined || isMarkup(res.body))) {
    const why = res.failure ?? 'it answered a page instead of CSV';
    return {
      warnings: [`the server refused the incremental query ${req.url} (${why}); it runs in full instead`],
      requests: [queryRequest(meta.fullUrl, meta.checkColumns === true, undefined)],
    };
  }
  if (res.body.trim() === '') return { warnings: [`the query answered nothing at all, not even a CSV header: ${res.url}`] };
  const { header, rows } = readCsv(res);
  if (!header.includes('id')) throw new ParseError(`the query CSV has no "id" column (columns: ${header.join(', ')}): ${res.url}`, res.url);

  const base = baseUrl(ctx.entry);
  if (base === undefined) throw new CustomsError('config', 'trac trackers need base_url to turn query rows into ticket URLs');
  const known = new Set(knownTickets(ctx.entry).map(ticketKey));
  const seen = new Set<string>();
  const warnings: string[] = [];
  const requests: RequestSpec[] = [];
  let checkColumns = meta.checkColumns === true;
  rows.forEach((row, index) => {
    const id = ticketId(row.id);
    if (id === undefined) {
      warnings.push(`row ${index + 1} of ${res.url} has no numeric id ("${row.id ?? ''}"), skipped`);
      return;
    }
    const ticketUrl = `${base}ticket/${id}`;
    // A known ticket is already planned (with its own spelling as canonical_bug_link).
    if (seen.has(ticketUrl) || known.has(ticketKey(ticketUrl))) return;
    seen.add(ticketUrl);
    const time = text(row.time);
    const changetime = text(row.changetime);
    requests.push(
      ticketRequest({
        ticketUrl,
        ...(time !== undefined ? { time } : {}),
        ...(changetime !== undefined ? { changetime } : {}),
        checkColumns,
      }),
    );
    checkColumns = false;
  });
  return { requests, warnings };
}

/** A ticket's CSV: the fields; then its page. 404/410 means the ticket is gone. */
function handleTicket(res: FetchedResponse, req: RequestSpec, ctx: AdapterContext<TracEntry>): HandleResult {
  const meta = readTicketMeta(req.meta);
  if (res.status === 404 || res.status === 410) return { bugs: [deletedRecord(meta.ticketUrl, ctx)] };
  if (res.status === 401 || res.status === 403) {
    return { warnings: [`${meta.ticketUrl}: Trac answered ${res.status}; the ticket may have become private, skipped`] };
  }
  const { rows } = readCsv(res);
  const row = rows[0];
  if (row === undefined) throw new ParseError(`the ticket CSV holds no ticket row: ${res.url}`, res.url);
  const warnings = meta.checkColumns === true ? missingColumnWarnings(row, ctx.entry, res.url) : [];
  const pageMeta: { [key: string]: Json } = { ...ticketMetaJson({ ...meta, checkColumns: false }), row };
  return {
    requests: [{ kind: 'page', url: withoutFragment(meta.ticketUrl), optional: true, meta: pageMeta }],
    warnings,
  };
}

/** A ticket's page: people and dates. When it failed, the record comes from the CSV alone. */
function handlePage(res: FetchedResponse, req: RequestSpec, ctx: AdapterContext<TracEntry>): HandleResult {
  const meta = readPageMeta(req.meta);
  const warnings: string[] = [];
  let bug: BugRecord;
  if (res.failure !== undefined) {
    const dates = queryRowDates(meta, warnings);
    const datesNote = dates.date_reported === undefined && dates.last_touched === undefined ? ', without dates' : '';
    warnings.unshift(`${meta.ticketUrl}: the ticket page failed (${res.failure}); record written from the CSV${datesNote}`);
    bug = makeRecord(meta, undefined, dates, ctx);
  } else {
    const page = parseTicketPage(res.body);
    if (!page.hasProperties) warnings.push(`${meta.ticketUrl}: the page has no properties table; people come from the CSV and the change history`);
    bug = makeRecord(meta, page, pageDates(page.opened, page.lastModified, meta.ticketUrl, warnings), ctx);
  }
  return { bugs: [bug], warnings };
}

// ---------------------------------------------------------------------------------------------
// Plan and check

/**
 * Every query, then every known ticket. A missing bitesized/documentation column is reported
 * once per tracker: by the first ticket of the first query, or, without queries, by the first
 * known ticket (adapters keep no state between answers, so the plan chooses who reports it).
 */
function plan(ctx: AdapterContext<TracEntry>): RequestSpec[] {
  const { entry } = ctx;
  const queries = [...new Set(urlList(entry.queries))].filter((q) => parseHttpUrl(q) !== undefined);
  if (queries.length > 0 && baseUrl(entry) === undefined) {
    throw new CustomsError('config', 'trac trackers need base_url to turn query rows into ticket URLs');
  }
  const requests = queries.map((query, i) => queryRequest(query, i === 0, ctx.since));
  knownTickets(entry).forEach((ticketUrl, i) => {
    requests.push(ticketRequest({ ticketUrl, checkColumns: queries.length === 0 && i === 0 }));
  });
  return requests;
}

function check(entry: TracEntry): EntryProblem[] {
  const { problems, report } = problemList();
  const base = baseUrl(entry);
  const basePath = base === undefined ? undefined : parseHttpUrl(base)?.pathname;
  const subpath = basePath === undefined ? null : /\/(ticket|query|report|timeline|newticket|wiki)(\/.*)?$/.exec(basePath);
  if (subpath) report('warning', 'base_url', `base_url should be the Trac homepage: remove the "${subpath[0].replace(/\/+$/, '')}" subpath`);

  const queries = urlList(entry.queries);
  queries.forEach((query, index) => {
    const url = parseHttpUrl(query);
    if (url === undefined) return;
    if (!/\/query\/?$/.test(url.pathname)) report('warning', 'queries', `${query}: does not look like a Trac query URL (…/query?…)`, index);
    const format = rawParamValue(query, 'format');
    if (format !== undefined && format.toLowerCase() !== 'csv') {
      report('warning', 'queries', `${query}: asks for format=${format}; customs reads the query as CSV, so use format=csv or leave format out`, index);
    }
  });

  const known = urlList(entry.existing_bug_urls);
  known.forEach((url, index) => {
    const problem = knownUrlProblem(url, base);
    if (problem !== undefined) report('warning', 'existing_bug_urls', `${url}: ${problem}, skipped`, index);
  });
  if (queries.length === 0 && known.length === 0) report('warning', 'queries', 'no queries and no existing_bug_urls: this tracker imports nothing');
  return problems;
}

export const tracAdapter: TrackerAdapter<TracEntry> = {
  type: 'trac',
  aliases: ['trac.TracBugImporter'],
  description: 'Trac tickets: CSV queries, then each ticket\'s CSV export and HTML page.',
  fields: FIELDS,
  incremental: true,
  example: {
    tracker_name: 'Inkwell',
    bugimporter: 'trac',
    base_url: 'https://trac.example.org/inkwell/',
    queries: ['https://trac.example.org/inkwell/query?status=!closed&keywords=~easy&format=csv'],
    existing_bug_urls: ['https://trac.example.org/inkwell/ticket/42'],
    bitesized_type: 'keywords',
    bitesized_text: 'easy',
    documentation_type: 'component',
    documentation_text: 'documentation',
    bug_project_name_format: '{tracker_name}',
  },
  check,
  plan,
  handlers: { query: handleQuery, ticket: handleTicket, page: handlePage },
};
