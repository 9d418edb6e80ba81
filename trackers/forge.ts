// Helpers shared by the JSON "forge" adapters (GitLab, Gitea/Forgejo; GitHub reads the same
// kinds of answers): reading a JSON body or failing with the URL, editing query strings as text,
// label names, people counting, record dates, known-bug metadata and _deleted records.
// Pure, like every module in trackers/.

import { ParseError, errorMessage } from '../src/core/errors.ts';
import type { AdapterContext, DeletedBug, FetchedResponse, Json, TrackerEntry } from '../src/core/types.ts';
import { polledStamp, projectName } from './common.ts';
import { formatUtcSeconds, parseTrackerDate } from './dates.ts';

export type JsonObject = { readonly [key: string]: unknown };

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The body as JSON. HTML (a login page, a proxy's error page) and broken JSON are ParseErrors
 * naming the URL, so the tracker fails with a clear message and the run goes on.
 */
export function parseJsonBody(res: FetchedResponse, service: string): unknown {
  const body = res.body.trim();
  if (body.startsWith('<')) {
    throw new ParseError(`expected JSON from the ${service} API but got HTML (a login or error page?): ${res.url}`, res.url);
  }
  try {
    return JSON.parse(body);
  } catch (err) {
    throw new ParseError(`malformed JSON from ${res.url}: ${errorMessage(err)}`, res.url);
  }
}

// ---------------------------------------------------------------------------------------------
// Entry values

/** A non-blank text, trimmed; numbers (a GitLab project id written bare) become their text. */
export function text(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/** A list of URLs; a single string is a one-item list (the loader warns about that). */
export function urlList(value: unknown): string[] {
  const items: readonly unknown[] = typeof value === 'string' ? [value] : Array.isArray(value) ? value : [];
  return items.map(text).filter((item): item is string => item !== undefined);
}

export function parseHttpUrl(value: string): URL | undefined {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url : undefined;
  } catch {
    return undefined;
  }
}

/** `base_url` with exactly one trailing `/` (the loader adds it; tests and examples may not). */
export function withSlash(url: string): string {
  return url.replace(/\/*$/, '/');
}

export function hostOf(url: string): string | undefined {
  return parseHttpUrl(url)?.host.toLowerCase();
}

/**
 * Path segments of `url` after the path of `base` (still percent-encoded), or undefined when
 * `url` is on another host or not under that path: a self-hosted instance may live in a folder
 * (`https://example.org/gitlab/`).
 */
export function segmentsUnder(url: URL, base: string): string[] | undefined {
  const root = parseHttpUrl(base);
  if (root === undefined || url.host.toLowerCase() !== root.host.toLowerCase()) return undefined;
  if (!url.pathname.startsWith(root.pathname)) return undefined;
  return url.pathname.slice(root.pathname.length).split('/').filter((s) => s !== '');
}

// ---------------------------------------------------------------------------------------------
// Query strings, edited as text so that the user's own parameters stay exactly as written.

export interface SplitUrl {
  readonly base: string;
  readonly params: readonly string[];
}

export function splitUrl(url: string): SplitUrl {
  const withoutHash = url.split('#', 1)[0] ?? '';
  const mark = withoutHash.indexOf('?');
  if (mark < 0) return { base: withoutHash, params: [] };
  return { base: withoutHash.slice(0, mark), params: withoutHash.slice(mark + 1).split('&').filter((p) => p !== '') };
}

export function joinUrl({ base, params }: SplitUrl): string {
  return params.length > 0 ? `${base}?${params.join('&')}` : base;
}

export function decodePart(raw: string): string {
  try {
    return decodeURIComponent(raw.replace(/\+/g, ' '));
  } catch {
    return raw;
  }
}

function paramName(part: string): string {
  return decodePart(part.split('=', 1)[0] ?? '');
}

export function paramValue(url: SplitUrl, name: string): string | undefined {
  const part = url.params.find((p) => paramName(p) === name);
  if (part === undefined) return undefined;
  const eq = part.indexOf('=');
  return eq < 0 ? '' : decodePart(part.slice(eq + 1));
}

/** `name=value` with the value encoded, but `:` left readable (`since=2024-01-02T03:04:05Z`). */
function encodeParam(name: string, value: string): string {
  return `${encodeURIComponent(name)}=${encodeURIComponent(value).replace(/%3A/gi, ':')}`;
}

/** Adds `name=value` when absent; with `replace`, an existing value is overwritten in place. */
export function withParam(url: SplitUrl, name: string, value: string, replace = false): SplitUrl {
  const index = url.params.findIndex((p) => paramName(p) === name);
  if (index < 0) return { base: url.base, params: [...url.params, encodeParam(name, value)] };
  if (!replace) return url;
  return { base: url.base, params: url.params.map((p, i) => (i === index ? encodeParam(name, value) : p)) };
}

/**
 * An incremental run's "updated since" value: the run's `since`, or the URL's own value when
 * that is later (a query that already asks for less keeps asking for less).
 */
export function laterSince(own: string | undefined, since: Date): string {
  const parsed = parseTrackerDate(own);
  const run = formatUtcSeconds(since);
  return parsed !== undefined && parsed.iso > run ? parsed.iso : run;
}

// ---------------------------------------------------------------------------------------------
// Request metadata

function metaObject(meta: Json | undefined): { readonly [key: string]: Json } | undefined {
  return typeof meta === 'object' && meta !== null && !Array.isArray(meta) ? (meta as { readonly [key: string]: Json }) : undefined;
}

/** A string or number field of a request's meta. */
export function metaField(meta: Json | undefined, name: string): string | number | undefined {
  const value = metaObject(meta)?.[name];
  return typeof value === 'string' || typeof value === 'number' ? value : undefined;
}

/**
 * The state a list covers in a full run. Incremental runs ask for every state and carry this
 * along, so an issue now outside it (closed since the last run) only updates a record the
 * previous output already holds (HandleResult.updates).
 */
export function scopeOf(meta: Json | undefined): string | undefined {
  const scope = metaField(meta, 'scope');
  return typeof scope === 'string' ? scope : undefined;
}

export interface KnownMeta {
  readonly knownUrl: string;
  /** Other spellings of the same issue in `existing_bug_urls` (`…/-/issues/5` and `…/issues/5`). */
  readonly otherKnownUrls: readonly string[];
}

export function knownMeta(urls: readonly string[]): Json {
  const [first = '', ...others] = urls;
  return others.length > 0 ? { knownUrl: first, otherKnownUrls: others } : { knownUrl: first };
}

export function readKnownMeta(meta: Json | undefined): KnownMeta {
  const record = metaObject(meta);
  const knownUrl = record?.knownUrl;
  if (typeof knownUrl !== 'string') throw new Error('issue request without meta.knownUrl');
  const others = record?.otherKnownUrls;
  return { knownUrl, otherKnownUrls: Array.isArray(others) ? others.filter((o): o is string => typeof o === 'string') : [] };
}

// ---------------------------------------------------------------------------------------------
// Records

/**
 * Label names. GitHub and Gitea send objects (`{"id": 3, "name": "bug", "color": "ee0701"}`);
 * GitLab sends plain names (`["CI/CD", "Deliverable"]`), or objects with `with_labels_details`.
 */
export function labelNames(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  const names: string[] = [];
  for (const label of value) {
    if (typeof label === 'string') names.push(label);
    else if (isObject(label) && typeof label.name === 'string') names.push(label.name);
  }
  return names;
}

/** `people_involved` of the forges: the distinct non-empty names, plus 1 when there are comments. */
export function peopleInvolved(names: readonly string[], commented: boolean): number {
  return new Set(names.filter((name) => name !== '')).size + (commented ? 1 : 0);
}

/** A count the API sends as a number (`comments`, `user_notes_count`); 0 when missing. */
export function countOf(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : 0;
}

export function stringOr(value: unknown, fallback: string): string {
  return typeof value === 'string' ? value : fallback;
}

/**
 * `date_reported` and `last_touched` (§1.7): each is left out when missing or unreadable, with a
 * warning naming the bug.
 */
export function recordDates(
  link: string,
  created: unknown,
  updated: unknown,
  warnings: string[],
): { date_reported?: string; last_touched?: string } {
  const dates: { date_reported?: string; last_touched?: string } = {};
  for (const [field, source, value] of [
    ['date_reported', 'created_at', created],
    ['last_touched', 'updated_at', updated],
  ] as const) {
    const parsed = parseTrackerDate(value);
    if (parsed === undefined) {
      warnings.push(`${link}: ${source} ${JSON.stringify(value) ?? 'missing'} is missing or unreadable; ${field} left out`);
    } else {
      dates[field] = parsed.iso;
      if (parsed.warning !== undefined) warnings.push(`${link}: ${parsed.warning}`);
    }
  }
  return dates;
}

/** A known bug the tracker says is gone (§1.8): the known URL exactly as listed. */
export function deletedRecord(url: string, ctx: AdapterContext<TrackerEntry>): DeletedBug {
  return {
    canonical_bug_link: url,
    _deleted: true,
    _tracker_name: ctx.entry.tracker_name,
    _project_name: projectName(ctx.entry, undefined),
    last_polled: polledStamp(ctx.now),
  };
}

/**
 * The answer to a known bug's own request that says it is gone: 404 or 410 from the API. An
 * HTML page with that status comes from something else (a proxy, a wrong base_url), which is an
 * answer of the wrong kind, never a deletion (§1.9, §1.10).
 */
export function isGoneAnswer(res: FetchedResponse, service: string): boolean {
  if (res.status !== 404 && res.status !== 410) return false;
  if (res.body.trim().startsWith('<')) {
    throw new ParseError(
      `HTTP ${res.status} with an HTML page instead of the ${service} API's answer (is base_url right?): ${res.url}`,
      res.url,
    );
  }
  return true;
}
