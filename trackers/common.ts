// Rules shared by every tracker type (trackers.md §1): the common entry keys, entry values and
// comma lists, matching and closed rules, the project-name format, and known bugs: their
// requests' meta and the _deleted records of gone ones. Also the small plumbing every `check`
// and `plan` repeats: a problem list, the `state` field, a request list without repeats.

import type { AdapterContext, DeletedBug, EntryProblem, FieldSpec, Json, RequestSpec, TrackerEntry } from '../src/core/types.ts';
import { metaRecord, type JsonRecord } from './json.ts';

/** Keys every entry may have (trackers.md §1.3). Types add their own in `fields`. */
export const COMMON_FIELDS: readonly FieldSpec[] = [
  { name: 'tracker_name', kind: 'string', required: true, help: 'The tracker\'s name: becomes _tracker_name of every record and the default project name. Unique in the file.', example: 'Twisted' },
  { name: 'bugimporter', kind: 'choice', required: true, help: 'The tracker type (github, bugzilla, trac, …) or its old module.ClassName form.', example: 'github' },
  { name: 'base_url', kind: 'url', required: false, help: 'The tracker\'s root URL. A missing trailing / is added.' },
  { name: 'queries', kind: 'url-list', required: false, help: 'URLs that list bugs to import.', default: '[]' },
  { name: 'existing_bug_urls', kind: 'url-list', required: false, help: 'Public URLs of bugs you already have; each run refreshes them (gone bugs become _deleted).', default: '[]' },
  { name: 'get_older_bug_data', kind: 'url', required: false, help: 'One URL answering many known bugs at once (GitHub and Jira only).' },
  { name: 'bug_project_name_format', kind: 'name-format', required: false, help: 'Pattern for _project_name; {tracker_name} and the type\'s placeholders.', default: '{tracker_name}' },
  { name: 'closed_status', kind: 'comma-list', required: false, help: 'Comma list of status words meaning closed (case-insensitive); replaces the type\'s closed rule.' },
  { name: 'custom_parser', kind: 'string', required: false, help: 'Bugzilla and Roundup only: a custom parser name.' },
  { name: 'as_appears_in_distribution', kind: 'string', required: false, help: 'If the tracker serves one distribution effort (Fedora, Debian…), its name; otherwise blank.', default: '""' },
  { name: 'token_env', kind: 'env-name', required: false, help: 'Name of the environment variable holding this tracker\'s token (never the token itself).' },
];

/**
 * The keys of COMMON_FIELDS the adapters read, as YAML gives them (still to be narrowed). Each
 * type's entry adds its own keys.
 */
export interface CommonEntry extends TrackerEntry {
  readonly base_url?: string;
  readonly queries?: readonly string[] | string;
  readonly existing_bug_urls?: readonly string[] | string;
  readonly bug_project_name_format?: string;
  readonly closed_status?: string;
  readonly as_appears_in_distribution?: string;
  readonly token_env?: string;
}

/** Keys OpenHatch exports carry that customs accepts silently (trackers.md §1.2). */
export const IGNORED_KEYS: readonly string[] = ['query_url_type', 'old_trac', 'max_connections', 'created_for_project'];

/** A non-blank string, trimmed; anything else (numbers included) is undefined. */
export function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/**
 * `text`, but a finite number becomes its text too (a GitLab project id written bare in YAML).
 * GitLab and Gitea read their entries this way; the other types treat a number as missing.
 */
export function textOrNumber(value: unknown): string | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? String(value) : text(value);
}

/**
 * A list of URLs; a single string is a one-item list (the loader warns about that). Each item is
 * read with `read`; items it rejects are dropped.
 */
export function urlList(value: unknown, read: (item: unknown) => string | undefined = text): string[] {
  const items: readonly unknown[] = typeof value === 'string' ? [value] : Array.isArray(value) ? value : [];
  return items.map(read).filter((item): item is string => item !== undefined);
}

/** Split a comma list, trim each piece, drop empty pieces (§1.4). */
export function commaList(value: unknown): string[] {
  if (typeof value !== 'string') return [];
  return value.split(',').map((piece) => piece.trim()).filter((piece) => piece !== '');
}

/** Exact rule: one of `values` equals one piece of `list`. An empty list never matches. */
export function matchesExactly(values: readonly string[], list: readonly string[]): boolean {
  return list.length > 0 && values.some((value) => list.includes(value));
}

/** Substring rule: one piece occurs inside one of `values`. */
export function matchesSubstring(values: readonly string[], list: readonly string[]): boolean {
  return list.length > 0 && values.some((value) => list.some((piece) => value.includes(piece)));
}

/** `looks_closed`: `closed_status` (case-insensitive) when given, else the type's own rule (§1.5). */
export function looksClosed(entry: TrackerEntry, status: string, typeRule: () => boolean): boolean {
  const closed = commaList(entry.closed_status).map((piece) => piece.toLowerCase());
  if (typeof entry.closed_status === 'string' && entry.closed_status.trim() !== '') {
    return closed.includes(status.toLowerCase());
  }
  return typeRule();
}

type FormatPart = { readonly text: string } | { readonly placeholder: string };

/** Parse `{tracker_name} – {product}` into parts; `{{`/`}}` are literal braces. Error text on failure. */
export function parseNameFormat(format: string): FormatPart[] | string {
  const parts: FormatPart[] = [];
  let text = '';
  for (let i = 0; i < format.length; i++) {
    const ch = format[i];
    const next = format[i + 1];
    if ((ch === '{' && next === '{') || (ch === '}' && next === '}')) {
      text += ch;
      i++;
    } else if (ch === '{') {
      const end = format.indexOf('}', i);
      const name = end < 0 ? '' : format.slice(i + 1, end);
      if (end < 0 || name.includes('{')) return `unbalanced "{" at character ${i + 1}`;
      if (text) parts.push({ text });
      text = '';
      parts.push({ placeholder: name });
      i = end;
    } else if (ch === '}') {
      return `unbalanced "}" at character ${i + 1}`;
    } else {
      text += ch;
    }
  }
  if (text) parts.push({ text });
  return parts;
}

/** The problem with a format for a type that knows `placeholders` (plus tracker_name), if any. */
export function checkNameFormat(format: string, placeholders: readonly string[]): string | undefined {
  const parts = parseNameFormat(format);
  if (typeof parts === 'string') return parts;
  const known = ['tracker_name', ...placeholders];
  for (const part of parts) {
    if ('placeholder' in part && !known.includes(part.placeholder)) {
      return `unknown placeholder {${part.placeholder}}; this type knows ${known.map((k) => `{${k}}`).join(', ')}`;
    }
  }
  return undefined;
}

/**
 * `_project_name` (§1.6). `values` holds the per-bug placeholders; missing ones become "".
 * `values === undefined` means a _deleted record: a format using per-bug data gives tracker_name.
 */
export function projectName(entry: TrackerEntry, values: Readonly<Record<string, string>> | undefined): string {
  const format = typeof entry.bug_project_name_format === 'string' ? entry.bug_project_name_format : '';
  if (format.trim() === '') return entry.tracker_name;
  const parts = parseNameFormat(format);
  if (typeof parts === 'string') return entry.tracker_name;
  if (values === undefined && parts.some((p) => 'placeholder' in p && p.placeholder !== 'tracker_name')) {
    return entry.tracker_name;
  }
  return parts
    .map((p) => ('text' in p ? p.text : p.placeholder === 'tracker_name' ? entry.tracker_name : (values?.[p.placeholder] ?? '')))
    .join('');
}

/** RFC 3339 UTC with milliseconds, for `last_polled`. */
export function polledStamp(now: Date): string {
  return now.toISOString();
}

// ---------------------------------------------------------------------------------------------
// Known bugs (`existing_bug_urls`)

/** The meta of a known bug's own request. */
export interface KnownMeta {
  readonly knownUrl: string;
  /** Other spellings of the same bug in `existing_bug_urls` (`…/-/issues/5` and `…/issues/5`). */
  readonly otherKnownUrls: readonly string[];
}

/** The meta of a request for one known bug, listed in `existing_bug_urls` as `urls` (at least one). */
export function knownMeta(urls: readonly string[]): JsonRecord {
  const [first = '', ...others] = urls;
  return others.length > 0 ? { knownUrl: first, otherKnownUrls: others } : { knownUrl: first };
}

export function readKnownMeta(meta: Json | undefined): KnownMeta {
  const record = metaRecord(meta);
  const knownUrl = record.knownUrl;
  if (typeof knownUrl !== 'string') throw new Error('issue request without meta.knownUrl');
  const others = record.otherKnownUrls;
  return { knownUrl, otherKnownUrls: Array.isArray(others) ? others.filter((o): o is string => typeof o === 'string') : [] };
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

// ---------------------------------------------------------------------------------------------
// check and plan

/** A `check`'s problems, and `report` to add one (`index`: the item of a list field it is about). */
export function problemList(): {
  readonly problems: EntryProblem[];
  readonly report: (severity: EntryProblem['severity'], field: string, message: string, index?: number) => void;
} {
  const problems: EntryProblem[] = [];
  const report = (severity: EntryProblem['severity'], field: string, message: string, index?: number): void => {
    problems.push(index === undefined ? { severity, field, message } : { severity, field, index, message });
  };
  return { problems, report };
}

/** The entry's `state` when it is one of `states`, else `open`, the default of every type that has one. */
export function entryState(entry: TrackerEntry, states: readonly string[]): string {
  const state = text(entry.state)?.toLowerCase();
  return state !== undefined && states.includes(state) ? state : 'open';
}

/** The error for a `state` that is given but is not one of `states` (case-insensitive). */
export function stateProblems(entry: TrackerEntry, states: readonly string[]): EntryProblem[] {
  const state = entry.state;
  if (state === undefined || state === null || (typeof state === 'string' && states.includes(state.trim().toLowerCase()))) return [];
  return [{ severity: 'error', field: 'state', message: `state must be one of ${states.join(', ')}` }];
}

/**
 * Warnings for the comma lists of `fields` that hold only commas (`bitesized_tag: ", "`): they
 * name no `what` (label name, tag…), so they never match.
 */
export function emptyListProblems(entry: TrackerEntry, fields: readonly string[], what: string): EntryProblem[] {
  const problems: EntryProblem[] = [];
  for (const field of fields) {
    const value = entry[field];
    if (typeof value === 'string' && value.trim() !== '' && commaList(value).length === 0) {
      problems.push({ severity: 'warning', field, message: `${field} holds no ${what}, so it never matches` });
    }
  }
  return problems;
}

/** `Authorization: Basic …` for `user:secret`, encoded as UTF-8 the way browsers send it. */
export function basicAuth(userAndSecret: string): string {
  let binary = '';
  for (const byte of new TextEncoder().encode(userAndSecret)) binary += String.fromCharCode(byte);
  return `Basic ${btoa(binary)}`;
}

/**
 * A plan's requests, and `add`, which takes each request once: one whose `key` (its URL unless
 * told otherwise) an earlier request had is left out.
 */
export function requestList(key: (request: RequestSpec) => string = (request) => request.url): {
  readonly requests: RequestSpec[];
  readonly add: (request: RequestSpec) => void;
} {
  const requests: RequestSpec[] = [];
  const seen = new Set<string>();
  const add = (request: RequestSpec): void => {
    const k = key(request);
    if (seen.has(k)) return;
    seen.add(k);
    requests.push(request);
  };
  return { requests, add };
}
