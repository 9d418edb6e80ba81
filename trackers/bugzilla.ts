// Bugzilla (trackers.md §2): the classic interface (buglists, tracking bugs, XML batches from
// show_bug.cgi) and the REST API (Bugzilla ≥ 5). Pure: requests are described, answers are read;
// the engine does every fetch.
//
// How a classic run goes, request by request:
//
//   query 1 ─▶ query 2 ─▶ … ─▶ batches of ids ─▶ records
//
// The queries run one after the other and hand on the ids found so far (in `meta`), so that the
// last one can pool them with the known bugs, de-duplicate and sort them, and ask for each bug
// exactly once, in batches of `batch_size`. With `api: rest`, REST searches give records
// directly (each page, then its comments), and the pooled ids are fetched from `rest/bug?id=…`.

import { CustomsError, ParseError } from '../src/core/errors.ts';
import type {
  AdapterContext, BugRecord, Credentials, EntryProblem, FetchedResponse, FieldSpec, HandleResult, Json, RequestSpec,
  TrackerAdapter, TrackerEntry,
} from '../src/core/types.ts';
import { buglistIds, classifyAnswer, csvIds, type IdList, trackedIds } from './bugzilla-lists.ts';
import { type CustomParser, customParser, DEFAULT_PARSER, PARSER_NAMES } from './bugzilla-parsers.ts';
import { type BugFields, bugLink, deletedRecord, fieldsFromJson, fieldsToJson, makeRecord, type RecordOptions } from './bugzilla-record.ts';
import {
  BUG_ACCESS_DENIED, BUG_DOES_NOT_EXIST, INCLUDE_FIELDS, parseRestJson, restBugFields, restBugItems, restComments,
  restError, restFailure,
} from './bugzilla-rest.ts';
import { bugzillaParam, integerParam, isBuglist, isCsvBuglist, isRestSearch, restRootOf, withBugzillaParam } from './bugzilla-urls.ts';
import { bugError, bugFromXml, bugId, readBugzillaXml } from './bugzilla-xml.ts';
import { commaList, type CommonEntry, text, urlList } from './common.ts';
import { formatUtcSeconds } from './dates.ts';
import { hostOf, joinUrl, paramValue, paramValues, parseHttpUrl, splitUrl } from './urls.ts';

/** A `bugzilla` tracker entry. Values come from YAML, so the adapter still narrows each one. */
export interface BugzillaEntry extends CommonEntry {
  readonly api?: string;
  readonly batch_size?: string | number;
  readonly bitesized_type?: string;
  readonly bitesized_text?: string;
  readonly documentation_type?: string;
  readonly documentation_text?: string;
  readonly custom_parser?: string;
}

const DEFAULT_BATCH_SIZE = 100;
const MAX_BATCH_SIZE = 500;
const DAY_MS = 86_400_000;
/** Statuses a REST request hands to its handler, which reads Bugzilla's error object from them. */
const REST_ERROR_STATUSES = [400, 401, 403, 404];
/** A single REST bug: 404/410 means gone, 401/403 private (trackers.md §1.9). */
const REST_BUG_STATUSES = [400, 401, 403, 404, 410];

const FIELDS: readonly FieldSpec[] = [
  {
    name: 'base_url',
    kind: 'url',
    required: true,
    help: 'The Bugzilla homepage, without a homepage file such as index.cgi (customs removes one). Bug links are <base_url>show_bug.cgi?id=N.',
    example: 'https://bugs.kde.org/',
  },
  {
    name: 'queries',
    kind: 'url-list',
    required: false,
    default: '[]',
    help: 'What to import. Each URL is a buglist (buglist.cgi?…, as an HTML page or with ctype=csv), an XML document of tracking bugs (show_bug.cgi?ctype=xml&id=N: their "depends on" bugs are imported), or a REST search (rest/bug?…). Buglists get limit=0 (a CSV is paged with limit/offset instead) and REST searches limit=<batch_size> and include_fields when missing.',
    example: 'https://bugs.kde.org/buglist.cgi?keywords=junior-jobs&bug_status=CONFIRMED',
  },
  {
    name: 'existing_bug_urls',
    kind: 'url-list',
    required: false,
    default: '[]',
    help: 'Bugs you already have (show_bug.cgi?id=N URLs on the base_url host). Each run refreshes them in the same batches as the queries\' bugs; a bug Bugzilla reports as not found becomes _deleted.',
    example: 'https://bugs.kde.org/show_bug.cgi?id=117760',
  },
  {
    name: 'api',
    kind: 'choice',
    required: false,
    choices: ['xml', 'rest'],
    default: 'rest if any query is a REST URL, else xml',
    help: 'The interface for bug details and known bugs: xml (show_bug.cgi?ctype=xml batches, every Bugzilla) or rest (rest/bug, Bugzilla 5.0 and later).',
    example: 'xml',
  },
  {
    name: 'batch_size',
    kind: 'integer',
    min: 1,
    max: MAX_BATCH_SIZE,
    required: false,
    default: String(DEFAULT_BATCH_SIZE),
    help: `Bugs per request, from 1 to ${MAX_BATCH_SIZE}: ids per XML batch, REST page size, ids per REST comment or refresh batch. Lower it when the server refuses long URLs or times out.`,
    example: '50',
  },
  {
    name: 'bug_project_name_format',
    kind: 'name-format',
    required: false,
    default: '{tracker_name}',
    placeholders: ['product', 'component'],
    help: 'Pattern for _project_name: {tracker_name}, {product} and {component} are the bug\'s; any other text is used verbatim. A custom_parser names projects itself.',
    example: '{product}',
  },
  {
    name: 'bitesized_type',
    kind: 'choice',
    required: false,
    choices: ['key', 'wboard'],
    help: 'How bite-sized bugs are marked: key (a keyword equals a piece of bitesized_text) or wboard (a piece occurs in the status whiteboard).',
    example: 'key',
  },
  {
    name: 'bitesized_text',
    kind: 'comma-list',
    required: false,
    default: '""',
    help: 'Comma list: the keywords or whiteboard texts that mark a bite-sized bug (case-sensitive).',
    example: 'easy, junior-jobs',
  },
  {
    name: 'documentation_type',
    kind: 'choice',
    required: false,
    choices: ['key', 'comp', 'prod'],
    help: 'How documentation bugs are marked: key (a keyword), comp (the component) or prod (the product) equals a piece of documentation_text.',
    example: 'comp',
  },
  {
    name: 'documentation_text',
    kind: 'comma-list',
    required: false,
    default: '""',
    help: 'Comma list: the keywords, components or products that mark a documentation bug (case-sensitive).',
    example: 'Documentation',
  },
  {
    name: 'closed_status',
    kind: 'comma-list',
    required: false,
    help: 'Comma list of bug_status values meaning closed (case-insensitive). Replaces the rule "RESOLVED, VERIFIED or CLOSED" (REST: is_open false).',
    example: 'RESOLVED, VERIFIED, CLOSED, WONTFIX',
  },
  {
    name: 'custom_parser',
    kind: 'choice',
    required: false,
    choices: PARSER_NAMES,
    help: `Site rules kept from oh-bugimporters: kde (bugzilla.KDEBugzilla: junior-jobs keyword, "JJ:" titles, docs product), gnome (bugzilla.GnomeBugzilla), mozilla (bugzilla.MozillaBugParser), mediawiki (bugzilla.MediaWikiBugParser); each names projects from the product. ${DEFAULT_PARSER} means none.`,
    example: 'kde',
  },
  {
    name: 'token_env',
    kind: 'env-name',
    required: false,
    help: 'Environment variable holding a Bugzilla API key, sent as the X-BUGZILLA-API-KEY header to the REST API on the base_url host only (never in a URL).',
    example: 'BUGZILLA_API_KEY',
  },
];

// ---------------------------------------------------------------------------------------------
// Entry values

/** A list of URLs (common.ts), each once: a URL listed twice is asked and checked once. */
function uniqueUrls(value: unknown): string[] {
  return [...new Set(urlList(value))];
}

/** `https://bugs.example.org/index.cgi` → `https://bugs.example.org/` (the OpenHatch form's rule). */
const HOMEPAGE_FILE = /\/index\.(?:cgi|html?)$/i;

/** The base URL with a trailing `/` and no homepage file; undefined when unusable. */
function baseUrl(entry: TrackerEntry): string | undefined {
  const url = parseHttpUrl(text(entry.base_url) ?? '');
  if (url === undefined) return undefined;
  const path = url.pathname.replace(HOMEPAGE_FILE, '/');
  return `${url.origin}${path.endsWith('/') ? path : `${path}/`}`;
}

/** `batch_size` as an integer in 1–500, or undefined when it is not one. */
function readBatchSize(value: unknown): number | undefined {
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : NaN;
  return Number.isInteger(n) && n >= 1 && n <= MAX_BATCH_SIZE ? n : undefined;
}

/**
 * The bug id of a known URL: its `id` parameter, or a numeric last path segment
 * (`…/show_bug.cgi?id=117760`, `https://bugzilla.example.org/117760`). Why not, otherwise.
 */
function knownBugId(url: string, base: string | undefined): number | string {
  const parsed = parseHttpUrl(url);
  if (parsed === undefined) return 'not an http(s) URL';
  const baseHost = base === undefined ? undefined : hostOf(base);
  if (baseHost !== undefined && parsed.host.toLowerCase() !== baseHost) return `not on the base_url host (${baseHost})`;
  const id = parsed.searchParams.get('id') ?? (/\/(\d+)\/?$/.exec(parsed.pathname)?.[1] ?? null);
  if (id === null) return 'no bug id (show_bug.cgi?id=N)';
  return /^\d+$/.test(id.trim()) ? Number(id.trim()) : `the id "${id}" is not a bug number`;
}

/** Everything a request or handler derives from the entry, computed once per entry object. */
interface Setup {
  readonly base: string | undefined;
  readonly api: 'xml' | 'rest';
  readonly batchSize: number;
  /** Queries read for ids, one after the other (the chain). */
  readonly chained: readonly string[];
  /** REST searches that give records themselves (`api: rest`). */
  readonly searches: readonly string[];
  /** Known bug id → the URLs listing it, exactly as written. */
  readonly known: ReadonlyMap<number, readonly string[]>;
  /** Where rest/bug lives: the form the REST queries use, else `<base_url>rest/`. */
  readonly restRoot: string;
  readonly parser: CustomParser | undefined;
  readonly record: RecordOptions;
}

const setups = new WeakMap<TrackerEntry, Setup>();

function setupOf(entry: TrackerEntry): Setup {
  const cached = setups.get(entry);
  if (cached !== undefined) return cached;
  const base = baseUrl(entry);
  const queries = uniqueUrls(entry.queries);
  const restQueries = queries.filter(isRestSearch);
  const api = entry.api === 'xml' || entry.api === 'rest' ? entry.api : restQueries.length > 0 ? 'rest' : 'xml';
  const known = new Map<number, string[]>();
  for (const url of uniqueUrls(entry.existing_bug_urls)) {
    const id = knownBugId(url, base);
    if (typeof id === 'number') known.set(id, [...(known.get(id) ?? []), url]);
  }
  const firstRest = restQueries[0];
  const parser = customParser(entry.custom_parser);
  const setup: Setup = {
    base,
    api,
    batchSize: readBatchSize(entry.batch_size) ?? DEFAULT_BATCH_SIZE,
    chained: api === 'rest' ? queries.filter((q) => !isRestSearch(q)) : queries,
    searches: api === 'rest' ? restQueries : [],
    known,
    restRoot: (firstRest === undefined ? undefined : restRootOf(firstRest)) ?? `${base ?? ''}rest/`,
    parser,
    record: { base: base ?? '', parser, dateNames: api === 'rest' ? ['creation_time', 'last_change_time'] : ['creation_ts', 'delta_ts'] },
  };
  setups.set(entry, setup);
  return setup;
}

// ---------------------------------------------------------------------------------------------
// Requests

/** A CSV buglist without its own `limit` is paged by customs. */
function csvPaged(query: string): boolean {
  return isCsvBuglist(query) && paramValue(splitUrl(query).params, 'limit') === undefined;
}

/**
 * The first page of a query. Buglists get `limit=0` (every result) or, as CSV, `limit` and
 * `offset` pages; REST searches get `include_fields` and `limit`. On incremental runs, lists ask
 * only for bugs changed since: `chfieldfrom` (a day earlier, as Bugzilla reads the date in its own
 * zone) or REST `last_change_time`. Tracking-bug XML and other URLs run in full (§1.11).
 */
function firstPageUrl(query: string, setup: Setup, since: Date | undefined): string {
  let url = splitUrl(query);
  if (isRestSearch(query)) {
    url = withBugzillaParam(url, 'include_fields', INCLUDE_FIELDS);
    url = withBugzillaParam(url, 'limit', String(setup.batchSize));
    if (since !== undefined) url = withBugzillaParam(url, 'last_change_time', formatUtcSeconds(since));
  } else if (isBuglist(query)) {
    if (csvPaged(query)) url = withBugzillaParam(withBugzillaParam(url, 'limit', String(setup.batchSize)), 'offset', '0');
    else url = withBugzillaParam(url, 'limit', '0');
    if (since !== undefined && paramValue(url.params, 'chfieldfrom') === undefined) {
      url = withBugzillaParam(url, 'chfieldfrom', new Date(since.getTime() - DAY_MS).toISOString().slice(0, 10));
      url = withBugzillaParam(url, 'chfieldto', 'Now');
    }
  }
  return joinUrl(url);
}

/** The next `offset` page of `url`, when a page of `received` items filled the `limit` asked. */
function nextOffsetPage(url: string, received: number): string | undefined {
  const limit = integerParam(url, 'limit');
  if (limit === undefined || limit === 0 || received < limit) return undefined;
  const offset = integerParam(url, 'offset') ?? 0;
  return joinUrl(withBugzillaParam(splitUrl(url), 'offset', String(offset + received), true));
}

interface ChainMeta {
  /** Index in `Setup.chained` of the query this page belongs to. */
  readonly query: number;
  /** Ids found by the queries so far, in the order found. */
  readonly ids: readonly number[];
}

/** One field of a request's `meta` object. */
function metaField(meta: Json | undefined, name: string): Json | undefined {
  return typeof meta === 'object' && meta !== null && !Array.isArray(meta) ? (meta as { readonly [key: string]: Json })[name] : undefined;
}

function chainMeta(meta: Json | undefined): ChainMeta {
  const query = metaField(meta, 'query');
  const ids = metaField(meta, 'ids');
  if (typeof query !== 'number' || !Array.isArray(ids)) throw new Error('query request without meta.query and meta.ids');
  return { query, ids: ids.filter((id): id is number => typeof id === 'number') };
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Every id found plus every known id, once each, ascending, in batches of the chosen interface. */
function detailRequests(setup: Setup, found: readonly number[]): RequestSpec[] {
  if (setup.base === undefined) return [];
  const base = setup.base;
  const pool = [...new Set([...found, ...setup.known.keys()])].sort((a, b) => a - b);
  return chunks(pool, setup.batchSize).map((batch): RequestSpec => {
    if (setup.api === 'rest') {
      return {
        kind: 'rest-ids',
        url: `${setup.restRoot}bug?id=${batch.join(',')}&${bugzillaParam('include_fields', INCLUDE_FIELDS)}`,
        acceptStatus: REST_ERROR_STATUSES,
      };
    }
    return { kind: 'batch', url: `${base}show_bug.cgi?ctype=xml&excludefield=attachmentdata&${batch.map((id) => `id=${id}`).join('&')}` };
  });
}

/** The chain's next step: query `index` with the ids so far, or, after the last, the batches. */
function continueChain(setup: Setup, index: number, ids: readonly number[], since: Date | undefined): RequestSpec[] {
  const query = setup.chained[index];
  if (query === undefined) return detailRequests(setup, ids);
  const request: RequestSpec = { kind: 'query', url: firstPageUrl(query, setup, since), meta: { query: index, ids: [...ids] } };
  return [isRestSearch(query) ? { ...request, acceptStatus: REST_ERROR_STATUSES } : request];
}

/** Comments for REST bugs, `batch_size` bugs per request; the bugs wait in `meta`. */
function commentRequests(root: string, bugs: readonly BugFields[], setup: Setup): RequestSpec[] {
  return chunks(bugs, setup.batchSize).flatMap((batch): RequestSpec[] => {
    const first = batch[0];
    if (first === undefined) return [];
    return [
      {
        kind: 'comments',
        url: `${root}bug/${first.id}/comment?${batch.map((b) => `ids=${b.id}`).join('&')}`,
        meta: { bugs: batch.map(fieldsToJson) },
        acceptStatus: REST_ERROR_STATUSES,
      },
    ];
  });
}

function plan(ctx: AdapterContext<BugzillaEntry>): RequestSpec[] {
  const setup = setupOf(ctx.entry);
  if (setup.base === undefined) throw new CustomsError('config', 'base_url is missing or not an http(s) URL');
  const searches = setup.searches.map(
    (query): RequestSpec => ({ kind: 'search', url: firstPageUrl(query, setup, ctx.since), acceptStatus: REST_ERROR_STATUSES }),
  );
  return [...searches, ...continueChain(setup, 0, [], ctx.since)];
}

// ---------------------------------------------------------------------------------------------
// Handlers

/** Identical warnings of one answer said once (a zone abbreviation on every date of a batch). */
function once(warnings: readonly string[]): string[] {
  return [...new Set(warnings)];
}

/** A REST answer's JSON; an error object or an unexpected status fails the request. */
function restData(res: FetchedResponse): unknown {
  const data = parseRestJson(res);
  const error = restError(data);
  if (error !== undefined) throw restFailure(error, res);
  if (res.status >= 400) throw new ParseError(`HTTP ${res.status} from the Bugzilla REST API: ${res.url}`, res.url);
  return data;
}

function readRestBugs(res: FetchedResponse, warnings: string[]): { bugs: BugFields[]; received: number } {
  const items = restBugItems(restData(res), res);
  const bugs: BugFields[] = [];
  for (const item of items) {
    const bug = restBugFields(item);
    if (bug === undefined) warnings.push(`a bug without a numeric id was skipped: ${res.url}`);
    else bugs.push(bug);
  }
  return { bugs, received: items.length };
}

/** One page of a query in the chain: its ids, and the URL of its next page when there is one. */
function readQueryPage(res: FetchedResponse, req: RequestSpec, query: string): IdList & { readonly next?: string } {
  if (isRestSearch(query)) {
    const warnings: string[] = [];
    const { bugs, received } = readRestBugs(res, warnings);
    const next = nextOffsetPage(req.url, received);
    return { ids: bugs.map((b) => b.id), warnings, ...(next !== undefined ? { next } : {}) };
  }
  const kind = classifyAnswer(res.body);
  if (kind === 'html' && isCsvBuglist(query)) {
    throw new ParseError(`expected a CSV bug list (ctype=csv) but got an HTML page (a login or error page?): ${res.url}`, res.url);
  }
  if (kind === 'xml') return trackedIds(res.body, res.url);
  if (kind === 'html') return buglistIds(res.body, res.url);
  const page = csvIds(res.body, res.url);
  const next = csvPaged(query) ? nextOffsetPage(req.url, page.rows) : undefined;
  return { ids: page.ids, warnings: page.warnings, ...(next !== undefined ? { next } : {}) };
}

/** A query of the chain: collect its ids, then its next page, the next query, or the batches. */
function handleQuery(res: FetchedResponse, req: RequestSpec, ctx: AdapterContext<BugzillaEntry>): HandleResult {
  const setup = setupOf(ctx.entry);
  const meta = chainMeta(req.meta);
  const query = setup.chained[meta.query];
  if (query === undefined) throw new Error(`query request for query ${meta.query}, which the entry does not have`);
  const page = readQueryPage(res, req, query);
  const pool = new Set(meta.ids);
  const before = pool.size;
  for (const id of page.ids) pool.add(id);
  const ids = [...pool];
  const warnings = [...page.warnings];
  if (page.next !== undefined) {
    if (pool.size > before) {
      const next: RequestSpec = { ...req, url: page.next, meta: { query: meta.query, ids } };
      return { warnings, requests: [next] };
    }
    // A server that ignores `offset` answers the same page again and again.
    warnings.push(`the page lists no bug that earlier pages did not; paging stopped: ${res.url}`);
  }
  return { warnings, requests: continueChain(setup, meta.query + 1, ids, ctx.since) };
}

/** An XML batch: one record per readable bug, `_deleted` for a known bug Bugzilla cannot find. */
function handleBatch(res: FetchedResponse, req: RequestSpec, ctx: AdapterContext<BugzillaEntry>): HandleResult {
  const setup = setupOf(ctx.entry);
  const asked = paramValues(splitUrl(req.url).params, 'id').map(Number);
  const answer = readBugzillaXml(res.body, res.url);
  if (answer.bugs.length === 0 && asked.length > 0) {
    throw new ParseError(`no <bug> element in the answer to a batch of ${asked.length} bugs: ${res.url}`, res.url);
  }
  const warnings = [...answer.warnings];
  const bugs: BugRecord[] = [];
  const answered = new Set<number>();
  for (const element of answer.bugs) {
    const id = bugId(element);
    if (id !== undefined) answered.add(id);
    const what = id === undefined ? `a bug of ${res.url}` : bugLink(setup.record.base, id);
    // <bug error="NotFound"><bug_id>999999</bug_id></bug> — also NotPermitted, InvalidBugId …
    const error = bugError(element);
    if (error !== undefined) {
      const known = id === undefined ? undefined : setup.known.get(id);
      if (error === 'NotFound' && known !== undefined) bugs.push(...known.map((url) => deletedRecord(url, ctx, setup.parser)));
      else warnings.push(`${what}: Bugzilla answered error="${error}"; skipped`);
      continue;
    }
    const bug = bugFromXml(element);
    if (typeof bug === 'string') {
      warnings.push(`${what}: ${bug}; skipped`);
      continue;
    }
    bugs.push(makeRecord(bug, ctx, setup.record, warnings));
  }
  const missing = asked.filter((id) => !answered.has(id));
  if (missing.length > 0) warnings.push(`bugs ${missing.join(', ')} were not in the answer; skipped: ${res.url}`);
  return { bugs, warnings: once(warnings) };
}

/** A REST search page (`api: rest`): its bugs wait for their comments; then the next page. */
function handleSearch(res: FetchedResponse, req: RequestSpec, ctx: AdapterContext<BugzillaEntry>): HandleResult {
  const setup = setupOf(ctx.entry);
  const warnings: string[] = [];
  const { bugs, received } = readRestBugs(res, warnings);
  const requests = commentRequests(restRootOf(req.url) ?? setup.restRoot, bugs, setup);
  const next = nextOffsetPage(req.url, received);
  if (next !== undefined) {
    // A server that ignores `offset` answers the same page again: the first bug tells.
    const first = bugs[0]?.id ?? null;
    if (first !== null && first === metaField(req.meta, 'first')) warnings.push(`the page repeats the previous one; paging stopped: ${res.url}`);
    else requests.push({ ...req, url: next, meta: { first } });
  }
  return { requests, warnings };
}

/** Known (and pooled) bugs from `rest/bug?id=a,b,…`; a known bug left out is asked alone. */
function handleRestIds(res: FetchedResponse, req: RequestSpec, ctx: AdapterContext<BugzillaEntry>): HandleResult {
  const setup = setupOf(ctx.entry);
  const warnings: string[] = [];
  const { bugs } = readRestBugs(res, warnings);
  const requests = commentRequests(setup.restRoot, bugs, setup);
  const found = new Set(bugs.map((b) => b.id));
  const asked = (paramValue(splitUrl(req.url).params, 'id') ?? '').split(',').filter((id) => /^\d+$/.test(id)).map(Number);
  const missing: number[] = [];
  for (const id of asked) {
    if (found.has(id)) continue;
    if (setup.known.has(id)) {
      requests.push({
        kind: 'rest-bug',
        url: `${setup.restRoot}bug/${id}?${bugzillaParam('include_fields', INCLUDE_FIELDS)}`,
        acceptStatus: REST_BUG_STATUSES,
      });
    } else {
      missing.push(id);
    }
  }
  if (missing.length > 0) warnings.push(`bugs ${missing.join(', ')} were not in the answer (private or gone?); skipped: ${res.url}`);
  return { requests, warnings };
}

/** One known bug asked alone: gone (404, 410, code 101), private (401, 403, code 102) or a bug. */
function handleRestBug(res: FetchedResponse, req: RequestSpec, ctx: AdapterContext<BugzillaEntry>): HandleResult {
  const setup = setupOf(ctx.entry);
  const id = Number(/\/bug\/(\d+)/.exec(splitUrl(req.url).base)?.[1] ?? NaN);
  const known = setup.known.get(id) ?? [];
  const link = bugLink(setup.record.base, id);
  const gone = (): HandleResult => ({ bugs: known.map((url) => deletedRecord(url, ctx, setup.parser)) });
  const denied = (why: string): HandleResult => ({ warnings: [`${link}: ${why}; the bug may have become private, skipped`] });
  if (res.status === 404 || res.status === 410) return gone();
  if (res.status === 401 || res.status === 403) return denied(`Bugzilla answered ${res.status}`);
  const data = parseRestJson(res);
  const error = restError(data);
  if (error?.code === BUG_DOES_NOT_EXIST) return gone();
  if (error?.code === BUG_ACCESS_DENIED) return denied(`access denied (${error.message})`);
  const warnings: string[] = [];
  const { bugs } = readRestBugs(res, warnings);
  if (bugs.length === 0) warnings.push(`${link}: not in the answer; skipped`);
  return { requests: commentRequests(setup.restRoot, bugs, setup), warnings };
}

/** Comments of REST bugs: the description and the people, then the records. */
function handleComments(res: FetchedResponse, req: RequestSpec, ctx: AdapterContext<BugzillaEntry>): HandleResult {
  const setup = setupOf(ctx.entry);
  const summaries = restComments(restData(res), res);
  const waiting = metaField(req.meta, 'bugs');
  if (!Array.isArray(waiting)) throw new Error('comments request without meta.bugs');
  const warnings: string[] = [];
  const bugs: BugRecord[] = [];
  for (const item of waiting) {
    const fields = fieldsFromJson(item);
    if (fields === undefined) continue;
    const summary = summaries.get(fields.id);
    if (summary === undefined) warnings.push(`${bugLink(setup.record.base, fields.id)}: no comments in the answer, so no description`);
    bugs.push(makeRecord({ ...fields, description: summary?.description ?? '', people: summary?.people ?? 0 }, ctx, setup.record, warnings));
  }
  return { bugs, warnings: once(warnings) };
}

// ---------------------------------------------------------------------------------------------
// Check

function check(entry: BugzillaEntry): EntryProblem[] {
  const problems: EntryProblem[] = [];
  const warn = (field: string, message: string, index?: number): void => {
    problems.push(index === undefined ? { severity: 'warning', field, message } : { severity: 'warning', field, index, message });
  };
  const base = baseUrl(entry);
  const given = text(entry.base_url);
  if (given !== undefined && base !== undefined && HOMEPAGE_FILE.test(parseHttpUrl(given)?.pathname ?? '')) {
    warn('base_url', `base_url names a homepage file; customs uses ${base}`);
  }
  if (entry.batch_size !== undefined && entry.batch_size !== null && readBatchSize(entry.batch_size) === undefined) {
    problems.push({ severity: 'error', field: 'batch_size', message: `batch_size must be a whole number from 1 to ${MAX_BATCH_SIZE}` });
  }
  uniqueUrls(entry.queries).forEach((query, index) => {
    const path = parseHttpUrl(query)?.pathname ?? '';
    if (!isRestSearch(query) && !isBuglist(query) && !path.endsWith('show_bug.cgi')) {
      warn('queries', `${query}: not a buglist.cgi, show_bug.cgi?ctype=xml or rest/bug URL; its answer is read by its content`, index);
    }
  });
  uniqueUrls(entry.existing_bug_urls).forEach((url, index) => {
    const id = knownBugId(url, base);
    if (typeof id === 'string') warn('existing_bug_urls', `${url}: ${id}; skipped`, index);
  });
  for (const rule of ['bitesized', 'documentation'] as const) {
    if (commaList(entry[`${rule}_text`]).length > 0 && text(entry[`${rule}_type`]) === undefined) {
      warn(`${rule}_text`, `${rule}_text has no effect without ${rule}_type`);
    }
  }
  const parser = customParser(entry.custom_parser);
  if (parser !== undefined && text(entry.bug_project_name_format) !== undefined) {
    warn('bug_project_name_format', `the ${parser.name} custom_parser names projects itself, so bug_project_name_format is not used`);
  }
  if (text(entry.token_env) !== undefined && setupOf(entry).api === 'xml') {
    warn('token_env', 'the API key is sent to the REST API only, which this entry does not use (api: xml)');
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------
// Credentials

/** The API key of `token_env`, as `X-BUGZILLA-API-KEY`, to REST URLs on the base_url host only. */
function credentials(entry: BugzillaEntry, url: string, env: Readonly<Record<string, string | undefined>>): Credentials | undefined {
  const variable = text(entry.token_env);
  const key = variable === undefined ? undefined : text(env[variable]);
  if (variable === undefined || key === undefined) return undefined;
  const host = hostOf(url);
  const baseHost = hostOf(baseUrl(entry) ?? '');
  if (host === undefined || host !== baseHost || restRootOf(url) === undefined) return undefined;
  return { headers: { 'X-BUGZILLA-API-KEY': key }, source: variable };
}

export const bugzillaAdapter: TrackerAdapter<BugzillaEntry> = {
  type: 'bugzilla',
  aliases: ['bugzilla.BugzillaBugImporter'],
  description: 'Bugzilla: buglists, tracking bugs and XML batches (every version), or the REST API (5.0 and later).',
  fields: FIELDS,
  example: {
    tracker_name: 'KDE',
    bugimporter: 'bugzilla',
    base_url: 'https://bugs.kde.org/',
    queries: ['https://bugs.kde.org/buglist.cgi?keywords=junior-jobs&bug_status=UNCONFIRMED&bug_status=CONFIRMED&bug_status=ASSIGNED&bug_status=REOPENED'],
    existing_bug_urls: ['https://bugs.kde.org/show_bug.cgi?id=117760'],
    custom_parser: 'bugzilla.KDEBugzilla',
  },
  check,
  plan,
  handlers: {
    query: handleQuery,
    batch: handleBatch,
    search: handleSearch,
    'rest-ids': handleRestIds,
    'rest-bug': handleRestBug,
    comments: handleComments,
  },
  incremental: true,
  credentials,
};
