// Bugzilla query answers that list bugs (trackers.md §2 "Queries"): classified by content, then
// read for bug ids. An XML document of tracking bugs gives its `dependson` bugs; an HTML buglist
// gives the ids of its XML-export form (or of its rows); a CSV buglist its `bug_id` column.

import { parse as parseHtml } from 'node-html-parser';
import { ParseError } from '../src/core/errors.ts';
import { bugError, bugId, dependsOn, readBugzillaXml } from './bugzilla-xml.ts';
import { looksLikeHtml, parseCsvRecords } from './csv.ts';

export type AnswerKind = 'xml' | 'html' | 'csv';

/**
 * What a query answer is, from its first non-blank bytes (after a BOM): `<?xml` or `<bugzilla`
 * is XML (unless it is an XHTML page), any other markup is an HTML buglist, the rest is CSV.
 */
export function classifyAnswer(body: string): AnswerKind {
  const start = body.replace(/^\uFEFF/, '').trimStart().slice(0, 512);
  if (looksLikeHtml(start)) return 'html';
  if (/^(<\?xml|<bugzilla)/i.test(start)) return 'xml';
  return start.startsWith('<') ? 'html' : 'csv';
}

export interface IdList {
  readonly ids: readonly number[];
  readonly warnings: readonly string[];
}

/** Tracking bugs: the `dependson` ids of every top-level bug (one level, the tracker not itself). */
export function trackedIds(body: string, url: string): IdList {
  const answer = readBugzillaXml(body, url);
  const warnings = [...answer.warnings];
  const ids: number[] = [];
  for (const bug of answer.bugs) {
    const error = bugError(bug);
    if (error !== undefined) {
      warnings.push(`tracking bug ${bugId(bug) ?? '?'} skipped: Bugzilla answered error="${error}" (${url})`);
      continue;
    }
    ids.push(...dependsOn(bug));
  }
  return { ids, warnings };
}

function integer(text: string | undefined): number | undefined {
  const trimmed = text?.trim() ?? '';
  return /^\d+$/.test(trimmed) ? Number(trimmed) : undefined;
}

/**
 * An HTML buglist. The ids come from the XML-export form at the foot of the list:
 *
 *   <form method="post" action="show_bug.cgi">
 *     <input type="hidden" name="ctype" value="xml">
 *     <input type="hidden" name="id" value="8670"> …
 *     <input type="submit" value="XML" id="xml">
 *
 * (Bugzilla 4.0 has the hidden `ctype=xml`; bugs.kde.org's skin also an upper-case "XML" button.)
 * Without that form, from the rows `<tr id="b8670" class="bz_bugitem …">`. "Zarro Boogs found"
 * is Bugzilla's empty result. Anything else is not a bug list.
 */
export function buglistIds(body: string, url: string): IdList {
  const root = parseHtml(body);
  for (const form of root.querySelectorAll('form')) {
    const action = (form.getAttribute('action') ?? '').split(/[?#]/, 1)[0] ?? '';
    if (!action.endsWith('show_bug.cgi')) continue;
    const inputs = form.querySelectorAll('input');
    if (!inputs.some((input) => (input.getAttribute('value') ?? '').trim().toLowerCase() === 'xml')) continue;
    const ids = inputs
      .filter((input) => input.getAttribute('name') === 'id')
      .map((input) => integer(input.getAttribute('value')))
      .filter((id): id is number => id !== undefined);
    return { ids, warnings: [] };
  }
  const rows = root
    .querySelectorAll('tr')
    .filter((tr) => /(^|\s)bz_bugitem(\s|$)/.test(tr.getAttribute('class') ?? ''))
    .map((tr) => integer(/^b(\d+)$/.exec(tr.getAttribute('id') ?? '')?.[1]))
    .filter((id): id is number => id !== undefined);
  if (rows.length > 0) return { ids: rows, warnings: [] };
  if (/zarro\s+boogs\s+found/i.test(root.textContent)) return { ids: [], warnings: [] };
  throw new ParseError(`no bug list found in the HTML page (no XML-export form, no bug rows; a login or error page?): ${url}`, url);
}

/** The rows of a CSV page, for paging, and their ids. */
export interface CsvIdList extends IdList {
  readonly rows: number;
}

/**
 * A CSV buglist (`buglist.cgi?ctype=csv`):
 *
 *   "bug_id","product","component","assigned_to","bug_status","resolution","short_desc","changeddate"
 *   15,"LibreGeoSocial (Android)","general","rocapal","RESOLVED","FIXED","The location service…","2009-07-22 15:27:25"
 */
export function csvIds(body: string, url: string): CsvIdList {
  if (body.trim() === '') throw new ParseError(`empty answer where a CSV bug list was expected: ${url}`, url);
  const { header, records } = parseCsvRecords(body);
  if (!header.includes('bug_id')) {
    throw new ParseError(`the CSV bug list has no bug_id column (columns: ${header.slice(0, 8).join(', ') || 'none'}): ${url}`, url);
  }
  const ids: number[] = [];
  const warnings: string[] = [];
  for (const record of records) {
    const id = integer(record.bug_id);
    if (id === undefined) warnings.push(`a CSV row without a numeric bug_id (${JSON.stringify(record.bug_id ?? '')}) was skipped: ${url}`);
    else ids.push(id);
  }
  return { ids, rows: records.length, warnings };
}
