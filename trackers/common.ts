// Rules shared by every tracker type (trackers.md §1): the common entry keys, comma lists,
// matching and closed rules, and the project-name format.

import type { FieldSpec, TrackerEntry } from '../src/core/types.ts';

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

/** Keys OpenHatch exports carry that customs accepts silently (trackers.md §1.2). */
export const IGNORED_KEYS: readonly string[] = ['query_url_type', 'old_trac', 'max_connections', 'created_for_project'];

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
