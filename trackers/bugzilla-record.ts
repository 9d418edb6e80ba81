// One Bugzilla bug as both interfaces give it (classic XML and REST), and the ParsedBug record
// made from it (trackers.md §2 "Bug details"): closed rule, keywords and whiteboard rules,
// project names, custom parsers, dates in UTC, raw_data for --extended-scrape.

import type { AdapterContext, DeletedBug, Json, ParsedBug, TrackerEntry } from '../src/core/types.ts';
import type { CustomParser } from './bugzilla-parsers.ts';
import { commaList, looksClosed, matchesExactly, matchesSubstring, polledStamp, projectName } from './common.ts';
import { parseTrackerDate } from './dates.ts';

/** The fields of a bug that a record needs, before its comments are read. */
export interface BugFields {
  readonly id: number;
  /** `short_desc` / `summary`. */
  readonly title: string;
  /** `bug_status` / `status`. */
  readonly status: string;
  /** REST `is_open`, when the server sent it. */
  readonly isOpen?: boolean;
  /** `bug_severity` / `severity`: the record's `importance`. */
  readonly severity: string;
  readonly priority: string;
  readonly resolution: string;
  readonly product: string;
  readonly component: string;
  readonly version: string;
  readonly keywords: readonly string[];
  /** `status_whiteboard` / `whiteboard`. */
  readonly whiteboard: string;
  /** Login of the reporter (`<reporter>` / `creator`). */
  readonly reporter: string;
  /** `<reporter name="…">` / `creator_detail.real_name`. */
  readonly reporterName: string;
  readonly assignedTo: string;
  /** `creation_ts` / `creation_time`, as sent. */
  readonly created: string;
  /** `delta_ts` / `last_change_time`, as sent. */
  readonly changed: string;
}

/** A bug with what its comments tell. */
export interface Bug extends BugFields {
  /** Text of the first comment; `""` when there is none. */
  readonly description: string;
  /** Distinct comment authors (an anonymous author counts once). */
  readonly people: number;
}

/** `show_bug.cgi?id=N` under the entry's base URL: the record's key. */
export function bugLink(base: string, id: number): string {
  return `${base}show_bug.cgi?id=${id}`;
}

const CLOSED_STATUSES = ['RESOLVED', 'VERIFIED', 'CLOSED'];

function isClosed(bug: BugFields): boolean {
  if (bug.isOpen !== undefined) return !bug.isOpen;
  return CLOSED_STATUSES.includes(bug.status.toUpperCase());
}

function goodForNewcomers(entry: TrackerEntry, bug: BugFields): boolean {
  const pieces = commaList(entry.bitesized_text);
  switch (entry.bitesized_type) {
    case 'key':
      return matchesExactly(bug.keywords, pieces);
    case 'wboard':
      return matchesSubstring([bug.whiteboard], pieces);
    default:
      return false;
  }
}

function concernsJustDocumentation(entry: TrackerEntry, bug: BugFields): boolean {
  const pieces = commaList(entry.documentation_text);
  switch (entry.documentation_type) {
    case 'key':
      return matchesExactly(bug.keywords, pieces);
    case 'comp':
      return matchesExactly([bug.component], pieces);
    case 'prod':
      return matchesExactly([bug.product], pieces);
    default:
      return false;
  }
}

/**
 * A zone abbreviation the date parser ignored (`2009-08-06 10:38:00 PDT`), said the same way for
 * every bug so that a batch gives one warning, not one per date.
 */
function zoneWarning(warning: string): string {
  const zone = /time zone "([^"]+)"/.exec(warning)?.[1] ?? '?';
  return `dates in the zone "${zone}" are taken as UTC (customs reads no zone abbreviation but UTC and GMT)`;
}

/** Reads a date field into `dates`, or warns that it is left out (§1.7). */
function readDate(
  dates: { date_reported?: string; last_touched?: string },
  field: 'date_reported' | 'last_touched',
  source: string,
  value: string,
  link: string,
  warnings: string[],
): void {
  const parsed = parseTrackerDate(value);
  if (parsed === undefined) {
    warnings.push(`${link}: ${source} ${JSON.stringify(value)} is missing or unreadable; ${field} left out`);
    return;
  }
  dates[field] = parsed.iso;
  if (parsed.warning !== undefined) warnings.push(zoneWarning(parsed.warning));
}

export interface RecordOptions {
  readonly base: string;
  readonly parser: CustomParser | undefined;
  /** Field names for warnings: `creation_ts` (XML) or `creation_time` (REST). */
  readonly dateNames: readonly [string, string];
}

/** The ParsedBug of one bug. Warnings (unreadable dates) go to `warnings`. */
export function makeRecord(bug: Bug, ctx: AdapterContext, options: RecordOptions, warnings: string[]): ParsedBug {
  const entry = ctx.entry;
  const parser = options.parser;
  const link = bugLink(options.base, bug.id);
  const dates: { date_reported?: string; last_touched?: string } = {};
  readDate(dates, 'date_reported', options.dateNames[0], bug.created, link, warnings);
  readDate(dates, 'last_touched', options.dateNames[1], bug.changed, link, warnings);
  const distribution = entry.as_appears_in_distribution;
  return {
    title: parser?.title?.(bug) ?? bug.title,
    description: bug.description.trim() === '' ? '(Empty description)' : bug.description,
    status: bug.status,
    importance: bug.severity,
    people_involved: bug.people,
    ...dates,
    last_polled: polledStamp(ctx.now),
    submitter_username: bug.reporter,
    submitter_realname: bug.reporterName,
    canonical_bug_link: link,
    looks_closed: looksClosed(entry, bug.status, () => isClosed(bug)),
    good_for_newcomers: parser?.goodForNewcomers?.(bug) ?? goodForNewcomers(entry, bug),
    concerns_just_documentation: parser?.concernsJustDocumentation?.(bug) ?? concernsJustDocumentation(entry, bug),
    as_appears_in_distribution: typeof distribution === 'string' ? distribution : '',
    _project_name: parser ? parser.projectName(bug) : projectName(entry, { product: bug.product, component: bug.component }),
    _tracker_name: entry.tracker_name,
    ...(ctx.extendedScrape
      ? {
          raw_data: {
            priority: bug.priority,
            resolution: bug.resolution,
            product: bug.product,
            component: bug.component,
            keywords: [...bug.keywords],
            status_whiteboard: bug.whiteboard,
            assigned_to: bug.assignedTo,
            version: bug.version,
          },
        }
      : {}),
  };
}

/**
 * A known bug the tracker says is gone. Its project has no per-bug data: a custom parser (which
 * names projects per bug) or a format with `{product}`/`{component}` gives the tracker name (§1.6).
 */
export function deletedRecord(knownUrl: string, ctx: AdapterContext, parser: CustomParser | undefined): DeletedBug {
  return {
    canonical_bug_link: knownUrl,
    _deleted: true,
    _tracker_name: ctx.entry.tracker_name,
    _project_name: parser ? ctx.entry.tracker_name : projectName(ctx.entry, undefined),
    last_polled: polledStamp(ctx.now),
  };
}

// ---------------------------------------------------------------------------------------------
// A REST bug waits for its comments in a request's `meta`.

export function fieldsToJson(bug: BugFields): Json {
  return {
    id: bug.id,
    title: bug.title,
    status: bug.status,
    ...(bug.isOpen !== undefined ? { isOpen: bug.isOpen } : {}),
    severity: bug.severity,
    priority: bug.priority,
    resolution: bug.resolution,
    product: bug.product,
    component: bug.component,
    version: bug.version,
    keywords: [...bug.keywords],
    whiteboard: bug.whiteboard,
    reporter: bug.reporter,
    reporterName: bug.reporterName,
    assignedTo: bug.assignedTo,
    created: bug.created,
    changed: bug.changed,
  };
}

export function fieldsFromJson(value: unknown): BugFields | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const v = value as { readonly [key: string]: unknown };
  if (typeof v.id !== 'number') return undefined;
  const s = (key: string): string => {
    const field = v[key];
    return typeof field === 'string' ? field : '';
  };
  return {
    id: v.id,
    title: s('title'),
    status: s('status'),
    ...(typeof v.isOpen === 'boolean' ? { isOpen: v.isOpen } : {}),
    severity: s('severity'),
    priority: s('priority'),
    resolution: s('resolution'),
    product: s('product'),
    component: s('component'),
    version: s('version'),
    keywords: Array.isArray(v.keywords) ? v.keywords.filter((k): k is string => typeof k === 'string') : [],
    whiteboard: s('whiteboard'),
    reporter: s('reporter'),
    reporterName: s('reporterName'),
    assignedTo: s('assignedTo'),
    created: s('created'),
    changed: s('changed'),
  };
}
