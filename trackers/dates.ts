// The one date parser of every tracker type (trackers.md §1.7): reads the date shapes trackers
// send and writes UTC `YYYY-MM-DDTHH:MM:SSZ` (fraction truncated); and a record's two dates read
// with it, each left out with a warning when unreadable. Pure: no clock, no local zone.

/** A date read from a tracker, and a warning when part of it (a zone abbreviation) was ignored. */
export interface TrackerDate {
  readonly iso: string;
  readonly warning?: string;
}

/** `2012-03-12T19:24:42Z`: UTC, whole seconds (any milliseconds are dropped, not rounded). */
export function formatUtcSeconds(date: Date): string {
  return `${date.toISOString().slice(0, 19)}Z`;
}

// The time of day and zone that may follow every date shape:
//   `19:24`, `19:24:42`, `19:24:42.123456`, `7:24:42 PM`, then `Z`, `+02:00`, `-0500`, `+05`,
//   `UTC`, `GMT+2`-style offsets, or an abbreviation such as `PDT` (ignored with a warning).
const TIME = String.raw`(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?(?:\s*([AaPp])\.?[Mm]\.?(?![A-Za-z]))?`;
const ZONE = String.raw`(?:\s*(Z|(?:(?:UTC|GMT)\s*)?[+-]\d{2}(?::?\d{2})?|[A-Za-z]{1,5}))?`;

// 2012-03-12T19:24:42Z (RFC 3339), 2012-03-12 19:24:42.5+02:00, Bugzilla `2009-08-06 10:38 -0400`,
// Roundup `2011-04-13.18:26:03`, and a bare `2012-03-12`.
const YEAR_FIRST = new RegExp(String.raw`^(\d{4})[-/](\d{2})[-/](\d{2})(?:(?:[Tt.]|\s+)${TIME})?${ZONE}$`);
// Trac `04/02/2010 11:25:34 AM`, `11/07/12 13:45:03` (month first; two-digit years allowed).
const MONTH_FIRST = new RegExp(String.raw`^(\d{1,2})/(\d{1,2})/(\d{4}|\d{2})(?:,?\s+${TIME})?${ZONE}$`);
// Trac `See timeline at Mar 12, 2012 7:24:42 PM` (the caller strips the prose), `Tuesday, March 12, 2012`.
const MONTH_NAME_FIRST = new RegExp(
  String.raw`^(?:[A-Za-z]+,?\s+)??([A-Za-z]+)\.?\s+(\d{1,2}),?\s+(\d{4})(?:,?\s+(?:at\s+)?${TIME})?${ZONE}$`,
);
// RFC 2822 / HTTP dates: `Tue, 12 Mar 2012 19:24:42 GMT`.
const DAY_FIRST = new RegExp(String.raw`^(?:[A-Za-z]+,?\s+)?(\d{1,2})\s+([A-Za-z]+)\.?\s+(\d{4})(?:\s+${TIME})?${ZONE}$`);
// Epoch seconds as text: `1331580282`, `1331580282.75`.
const EPOCH = /^\d{1,11}(?:\.\d+)?$/;

const MONTHS = [
  'january', 'february', 'march', 'april', 'may', 'june',
  'july', 'august', 'september', 'october', 'november', 'december',
];

/** 1–12 for an English month name, full or abbreviated to at least three letters (`Sept` too). */
function monthNumber(name: string): number | undefined {
  const lower = name.toLowerCase();
  if (lower.length < 3) return undefined;
  const index = MONTHS.findIndex((full) => full.startsWith(lower));
  return index < 0 ? undefined : index + 1;
}

/** Two-digit years: 00–68 are 20xx, 69–99 are 19xx (§1.7). */
function fullYear(text: string): number {
  const year = Number(text);
  if (text.length > 2) return year;
  return year <= 68 ? 2000 + year : 1900 + year;
}

interface Parts {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour?: string | undefined;
  readonly minute?: string | undefined;
  readonly second?: string | undefined;
  readonly meridiem?: string | undefined;
  readonly zone?: string | undefined;
}

/** Minutes east of UTC for `Z`, `+02:00`, `-0500`, `+05`, `UTC`, `GMT+01:00`; `'unknown'` for an abbreviation such as `PDT`; `'invalid'` for an impossible offset. */
function offsetMinutes(zone: string): number | 'unknown' | 'invalid' {
  const upper = zone.toUpperCase();
  if (upper === 'Z' || upper === 'UTC' || upper === 'GMT' || upper === 'UT') return 0;
  const m = /^(?:(?:UTC|GMT)\s*)?([+-])(\d{2})(?::?(\d{2}))?$/i.exec(zone);
  if (!m) return 'unknown';
  const hours = Number(m[2]);
  const minutes = Number(m[3] ?? '0');
  if (hours > 23 || minutes > 59) return 'invalid';
  return (m[1] === '-' ? -1 : 1) * (hours * 60 + minutes);
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysInMonth(year: number, month: number): number {
  return month === 2 && isLeap(year) ? 29 : (DAYS_IN_MONTH[month - 1] ?? 0);
}

function isLeap(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function build(parts: Parts, original: string): TrackerDate | undefined {
  const { year, month, day } = parts;
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  let hour = parts.hour === undefined ? 0 : Number(parts.hour);
  const minute = parts.minute === undefined ? 0 : Number(parts.minute);
  // A leap second (`23:59:60`) is kept inside its minute.
  const second = parts.second === undefined ? 0 : Math.min(Number(parts.second), 59);
  if (parts.meridiem !== undefined) {
    if (hour > 12) return undefined;
    const pm = parts.meridiem.toLowerCase() === 'p';
    if (hour === 12) hour = pm ? 12 : 0;
    else if (pm) hour += 12;
  }
  if (hour > 23 || minute > 59 || Number(parts.second ?? '0') > 60) return undefined;

  let warning: string | undefined;
  let offset = 0;
  if (parts.zone !== undefined) {
    const found = offsetMinutes(parts.zone);
    if (found === 'invalid') return undefined;
    if (found === 'unknown') {
      warning = `time zone "${parts.zone}" ignored, "${original}" taken as UTC`;
    } else {
      offset = found;
    }
  }
  // setUTCFullYear, unlike Date.UTC, keeps years 0–99 as written.
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute - offset, second, 0);
  return finish(date, warning);
}

function finish(date: Date, warning?: string): TrackerDate | undefined {
  const year = date.getUTCFullYear();
  if (Number.isNaN(date.getTime()) || year < 0 || year > 9999) return undefined;
  const iso = formatUtcSeconds(date);
  return warning === undefined ? { iso } : { iso, warning };
}

function fromEpochSeconds(seconds: number): TrackerDate | undefined {
  if (!Number.isFinite(seconds)) return undefined;
  return finish(new Date(Math.floor(seconds) * 1000));
}

/**
 * Read a tracker's date (§1.7). `undefined` when the value is missing or unreadable; the caller
 * then leaves the field out and warns, naming the bug. A value without a zone is UTC.
 */
export function parseTrackerDate(value: unknown): TrackerDate | undefined {
  if (typeof value === 'number') return fromEpochSeconds(value);
  if (value instanceof Date) return finish(value);
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  if (text === '') return undefined;
  if (EPOCH.test(text)) return fromEpochSeconds(Number(text));

  let m = YEAR_FIRST.exec(text);
  if (m) {
    return build(
      { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]), hour: m[4], minute: m[5], second: m[6], meridiem: m[7], zone: m[8] },
      text,
    );
  }
  m = MONTH_FIRST.exec(text);
  if (m) {
    return build(
      { year: fullYear(m[3] ?? ''), month: Number(m[1]), day: Number(m[2]), hour: m[4], minute: m[5], second: m[6], meridiem: m[7], zone: m[8] },
      text,
    );
  }
  m = MONTH_NAME_FIRST.exec(text);
  if (m) {
    const month = monthNumber(m[1] ?? '');
    if (month === undefined) return undefined;
    return build(
      { year: Number(m[3]), month, day: Number(m[2]), hour: m[4], minute: m[5], second: m[6], meridiem: m[7], zone: m[8] },
      text,
    );
  }
  m = DAY_FIRST.exec(text);
  if (m) {
    const month = monthNumber(m[2] ?? '');
    if (month === undefined) return undefined;
    return build(
      { year: Number(m[3]), month, day: Number(m[1]), hour: m[4], minute: m[5], second: m[6], meridiem: m[7], zone: m[8] },
      text,
    );
  }
  return undefined;
}

/**
 * An incremental run's "updated since" value (§1.11): the run's `since`, or the URL's own value
 * when that is later (a query that already asks for less keeps asking for less).
 */
export function laterSince(own: string | undefined, since: Date): string {
  const parsed = parseTrackerDate(own);
  const run = formatUtcSeconds(since);
  return parsed !== undefined && parsed.iso > run ? parsed.iso : run;
}

// ---------------------------------------------------------------------------------------------
// Record dates

/** `date_reported` and `last_touched` of a record; each is left out when it cannot be read. */
export interface RecordDates {
  date_reported?: string;
  last_touched?: string;
}

/**
 * Puts one tracker date into `dates[field]` (§1.7). A missing or unreadable value leaves the field
 * out with the warning `<link>: <problem()>; <field> left out`; a zone the parser ignored adds
 * `<link>: <that warning>`.
 */
export function readRecordDate(
  dates: RecordDates,
  field: keyof RecordDates,
  value: unknown,
  link: string,
  warnings: string[],
  problem: () => string,
): void {
  const parsed = parseTrackerDate(value);
  if (parsed === undefined) {
    warnings.push(`${link}: ${problem()}; ${field} left out`);
    return;
  }
  dates[field] = parsed.iso;
  if (parsed.warning !== undefined) warnings.push(`${link}: ${parsed.warning}`);
}

/** How a warning words a date left out, from the tracker's name for the date and its value. */
export type DateProblem = (source: string, value: unknown) => string;

/** `created_at "yesterday" is missing or unreadable`, `updated_at missing is missing or unreadable`. */
export const missingOrUnreadable: DateProblem = (source, value) =>
  `${source} ${JSON.stringify(value) ?? 'missing'} is missing or unreadable`;

/** The wording of Pagure and Redmine: `no last_updated`, `created_on "yesterday" is unreadable`. */
export const absentOrUnreadable: DateProblem = (source, value) =>
  value === undefined || value === null ? `no ${source}` : `${source} ${JSON.stringify(value)} is unreadable`;

/**
 * Both dates of a record (§1.7) from the tracker's created and updated values, each with the
 * name the tracker gives it: `recordDates(link, ['created_at', issue.created_at], […], warnings)`.
 */
export function recordDates(
  link: string,
  created: readonly [source: string, value: unknown],
  updated: readonly [source: string, value: unknown],
  warnings: string[],
  problem: DateProblem = missingOrUnreadable,
): RecordDates {
  const dates: RecordDates = {};
  readRecordDate(dates, 'date_reported', created[1], link, warnings, () => problem(...created));
  readRecordDate(dates, 'last_touched', updated[1], link, warnings, () => problem(...updated));
  return dates;
}
