// One line of a ParsedBug JSON Lines file → one database operation, or the reason it is rejected
// (contract.md "The output"). Pure: no I/O. A normal record upserts its bug, `_deleted: true`
// deletes it, `_no_update: true` only moves its `last_polled`. Unknown fields are ignored (the
// contract lets later versions add fields); a missing or mistyped required field rejects the line.

import { createHash } from 'node:crypto';

/** A bug as the database stores it: every ParsedBug field, dates as epoch milliseconds. */
export interface BugRow {
  readonly canonical_bug_link: string;
  readonly title: string;
  readonly description: string;
  readonly status: string;
  readonly importance: string;
  readonly people_involved: number;
  readonly date_reported: number | null;
  readonly last_touched: number | null;
  readonly last_polled: number;
  readonly submitter_username: string;
  readonly submitter_realname: string;
  readonly looks_closed: boolean;
  readonly good_for_newcomers: boolean;
  readonly concerns_just_documentation: boolean;
  readonly as_appears_in_distribution: string;
  readonly project: string;
  readonly tracker: string;
  /** `raw_data` as JSON text, or null. */
  readonly raw_data: string | null;
  /** Hash of every field except `last_polled`: equal hashes mean "nothing changed". */
  readonly content_hash: string;
}

export type LoadOp =
  | { readonly kind: 'upsert'; readonly link: string; readonly polled: number; readonly bug: BugRow }
  | { readonly kind: 'delete'; readonly link: string; readonly polled: number }
  | { readonly kind: 'touch'; readonly link: string; readonly polled: number };

export type LineResult = { readonly op: LoadOp } | { readonly rejected: string };

const STRING_FIELDS = [
  'title',
  'description',
  'status',
  'importance',
  'submitter_username',
  'submitter_realname',
  'as_appears_in_distribution',
  '_project_name',
] as const;
const BOOLEAN_FIELDS = ['looks_closed', 'good_for_newcomers', 'concerns_just_documentation'] as const;

// RFC 3339 as the contract writes it (`2010-02-23T00:46:30Z`, optionally with a fraction); an
// offset is converted to UTC, and a time without a zone (old oh-bugimporters output) is UTC.
const DATE = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}:?\d{2})?$/i;
const LINK = /^https?:\/\/\S+$/;
/** Longer links cannot be a primary key everywhere (PostgreSQL's btree rows stop near 2.7 kB). */
const MAX_LINK_CHARS = 2000;
const MAX_INT32 = 2 ** 31 - 1;
// NUL and lone surrogates: valid in a JSON string, refused by PostgreSQL text and jsonb.
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** The text with what no database stores replaced by U+FFFD. */
export function storable(text: string): string {
  return text.replace(UNSTORABLE, '\uFFFD');
}

/** Epoch milliseconds of an RFC 3339 time, or undefined when it is not one. */
export function parseTime(value: string): number | undefined {
  const m = DATE.exec(value);
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  // Date.parse rolls 30 February over into March; PostgreSQL would refuse it.
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
  if (days === undefined || day < 1 || day > days) return undefined;
  if (hour > 23 || minute > 59 || second > 60) return undefined;
  const zone = m[8] === undefined ? 'Z' : m[8].toUpperCase() === 'Z' ? 'Z' : m[8].replace(/^([+-]\d{2})(\d{2})$/, '$1:$2');
  const fraction = m[7] === undefined ? '' : m[7].slice(0, 4).padEnd(4, '0');
  const ms = Date.parse(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}${fraction}${zone}`);
  return Number.isNaN(ms) ? undefined : ms;
}

/** The contract's form: whole seconds as `…:30Z`, else with milliseconds. */
export function formatTime(ms: number): string {
  const iso = new Date(ms).toISOString();
  return iso.endsWith('.000Z') ? `${iso.slice(0, -5)}Z` : iso;
}

type Json = Record<string, unknown>;

/** Parses and checks one non-blank line. */
export function parseLine(text: string): LineResult {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return { rejected: `not JSON (${err instanceof Error ? err.message : String(err)})` };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { rejected: `not a JSON object (got ${Array.isArray(value) ? 'an array' : value === null ? 'null' : typeof value})` };
  }
  return recordOp(value as Json);
}

/** Checks one parsed record and turns it into its operation. */
export function recordOp(record: Json): LineResult {
  const problems: string[] = [];
  const missing: string[] = [];
  const str = (name: string, nonEmpty = false): string => {
    const v = record[name];
    if (v === undefined || v === null) missing.push(name);
    else if (typeof v !== 'string') problems.push(`${name} must be a string`);
    else if (nonEmpty && v.trim() === '') problems.push(`${name} must not be empty`);
    return typeof v === 'string' ? storable(v) : '';
  };
  const time = (name: string, required: boolean): number | null => {
    const v = record[name];
    if (v === undefined || v === null) {
      if (required) missing.push(name);
      return null;
    }
    const ms = typeof v === 'string' ? parseTime(v) : undefined;
    if (ms === undefined) problems.push(`${name} must be an RFC 3339 time such as 2010-02-23T00:46:30Z`);
    return ms ?? null;
  };

  const link = str('canonical_bug_link');
  if (link !== '' && !LINK.test(link)) problems.push('canonical_bug_link must be an http(s) URL');
  else if (link.length > MAX_LINK_CHARS) problems.push(`canonical_bug_link is longer than ${MAX_LINK_CHARS} characters`);
  const tracker = str('_tracker_name', true);
  const project = str('_project_name');
  const polled = time('last_polled', true) ?? 0;

  const deleted = record._deleted;
  const noUpdate = record._no_update;
  if (deleted !== undefined && typeof deleted !== 'boolean') problems.push('_deleted must be true or false');
  if (noUpdate !== undefined && typeof noUpdate !== 'boolean') problems.push('_no_update must be true or false');
  if (deleted === true && noUpdate === true) problems.push('_deleted and _no_update cannot both be true');
  if (deleted === true || noUpdate === true) {
    const reason = rejection(missing, problems);
    if (reason !== undefined) return { rejected: reason };
    return { op: { kind: deleted === true ? 'delete' : 'touch', link, polled } };
  }

  const fields: Record<(typeof STRING_FIELDS)[number], string> = {
    title: str('title'),
    description: str('description'),
    status: str('status'),
    importance: str('importance'),
    submitter_username: str('submitter_username'),
    submitter_realname: str('submitter_realname'),
    as_appears_in_distribution: str('as_appears_in_distribution'),
    _project_name: project,
  };
  const flags = {} as Record<(typeof BOOLEAN_FIELDS)[number], boolean>;
  for (const name of BOOLEAN_FIELDS) {
    const v = record[name];
    if (v === undefined || v === null) missing.push(name);
    else if (typeof v !== 'boolean') problems.push(`${name} must be true or false`);
    flags[name] = v === true;
  }
  const people = record.people_involved;
  if (people === undefined || people === null) missing.push('people_involved');
  else if (typeof people !== 'number' || !Number.isInteger(people) || people < 0 || people > MAX_INT32) {
    problems.push('people_involved must be a whole number from 0 to 2147483647');
  }
  const reported = time('date_reported', false);
  const touched = time('last_touched', false);
  const raw = record.raw_data;
  if (raw !== undefined && raw !== null && (typeof raw !== 'object' || Array.isArray(raw))) problems.push('raw_data must be an object');

  const reason = rejection(missing, problems);
  if (reason !== undefined) return { rejected: reason };

  const rawText = raw !== undefined && raw !== null ? stableJson(raw) : null;
  const content = [
    fields.title,
    fields.description,
    fields.status,
    fields.importance,
    people,
    reported,
    touched,
    fields.submitter_username,
    fields.submitter_realname,
    flags.looks_closed,
    flags.good_for_newcomers,
    flags.concerns_just_documentation,
    fields.as_appears_in_distribution,
    project,
    tracker,
    rawText,
  ];
  const bug: BugRow = {
    canonical_bug_link: link,
    title: fields.title,
    description: fields.description,
    status: fields.status,
    importance: fields.importance,
    people_involved: people as number,
    date_reported: reported,
    last_touched: touched,
    last_polled: polled,
    submitter_username: fields.submitter_username,
    submitter_realname: fields.submitter_realname,
    looks_closed: flags.looks_closed,
    good_for_newcomers: flags.good_for_newcomers,
    concerns_just_documentation: flags.concerns_just_documentation,
    as_appears_in_distribution: fields.as_appears_in_distribution,
    project,
    tracker,
    raw_data: rawText,
    content_hash: createHash('sha1').update(JSON.stringify(content)).digest('base64url'),
  };
  return { op: { kind: 'upsert', link, polled, bug } };
}

function rejection(missing: readonly string[], problems: readonly string[]): string | undefined {
  const parts = [...(missing.length > 0 ? [`missing ${missing.join(', ')}`] : []), ...problems];
  return parts.length > 0 ? parts.join('; ') : undefined;
}

/** JSON with object keys sorted, so the same data always hashes the same. */
function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    typeof v === 'string'
      ? storable(v)
      : typeof v === 'object' && v !== null && !Array.isArray(v)
        ? Object.fromEntries(Object.entries(v as Json).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, x]) => [storable(k), x]))
        : v,
  );
}
