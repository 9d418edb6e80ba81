// Reading a Trac ticket page (trackers.md §3 "Record"): the properties table, the "Opened" and
// "Last modified" dates, and the authors of the change history. One reader for every layout seen
// on real servers: Trac 0.11 (`.date` spans), 0.12+ (`a.timeline` links), 0.13/1.x ("See timeline
// at …" titles, a hidden draft preview) and themed pages (titles on the `.date` paragraphs, dates
// as rows of the properties table, authors outside the headings). Pure: text in, values out.

import { parse, type HTMLElement } from 'node-html-parser';

/** What the page says about one date: `undefined` when nothing mentions it. */
export type DateMention = { readonly title: string | undefined } | undefined;

export interface TicketPage {
  /** The page has a `table.properties`. */
  readonly hasProperties: boolean;
  /** Every labelled row of the table in page order: label without its colon → cell text. */
  readonly properties: readonly { readonly label: string; readonly text: string }[];
  /** `Reported by`; undefined when the table has no such row. */
  readonly reportedBy: string | undefined;
  /** `Assigned to`, or else `Owned by`. */
  readonly owner: string | undefined;
  readonly cc: string | undefined;
  /** The author of every change heading of `#changelog`, in page order (repeats kept). */
  readonly changeAuthors: readonly string[];
  readonly opened: DateMention;
  readonly lastModified: DateMention;
}

/** Whitespace runs (newlines and indentation of the markup) become one space. */
function collapse(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** `Reported by:` → `reported by`; `Priority` (no colon, themed pages) → `priority`. */
function labelKey(label: string): string {
  return collapse(label).replace(/\s*:$/, '').toLowerCase();
}

/**
 * A title attribute as a date text: the prose Trac wraps around it is removed.
 *   `2010-02-22T19:46:30-0500 in Timeline` → `2010-02-22T19:46:30-0500`
 *   `See timeline at Jun 16, 2006 3:01:52 PM` → `Jun 16, 2006 3:01:52 PM`
 */
export function cleanTimelineTitle(title: string): string {
  return collapse(title.replace(/\bsee\s+timeline\s+at\b/gi, ' ').replace(/\bin\s+timeline\b/gi, ' '));
}

/**
 * The author named by a change heading: whatever follows the first `by` after `changed`.
 *   old:  `2010-02-23 04:01:34+00:00 changed by itamar` → `itamar`
 *   0.12: `Changed 6 weeks ago by DefaultCC Plugin` → `DefaultCC Plugin`
 *   1.0:  `comment:1 Changed 8 days ago by jezdez` → `jezdez`
 * A heading without that pattern (a themed page's bare timeline link) names nobody.
 */
export function changeAuthor(heading: string): string | undefined {
  const text = collapse(heading);
  const changed = /\bchanged\b/i.exec(text);
  if (!changed) return undefined;
  const rest = text.slice(changed.index + changed[0].length);
  const by = /\bby\b/i.exec(rest);
  if (!by) return undefined;
  const name = rest.slice(by.index + by[0].length).trim();
  return name === '' ? undefined : name;
}

interface Row {
  readonly key: string;
  readonly label: string;
  readonly cell: HTMLElement | undefined;
  readonly text: string;
}

/**
 * Rows of `table.properties`: each `th` and the cell after it. Trac puts two pairs in one `tr`
 *   <th id="h_reporter">Reported by:</th><td>thijs</td><th id="h_owner">Assigned to:</th><td>…</td>
 * and themed pages put dates there too (`<th>Opened:</th><td><a class="timeline" title="…">`).
 * Empty `th` cells (padding at the end of the table) are skipped.
 */
function propertyRows(root: HTMLElement): Row[] {
  const rows: Row[] = [];
  for (const th of root.querySelectorAll('table.properties th')) {
    const label = collapse(th.text).replace(/\s*:$/, '');
    if (label === '') continue;
    const next = th.nextElementSibling;
    const cell = next !== null && next.tagName === 'TD' ? next : undefined;
    rows.push({ key: labelKey(label), label, cell, text: cell === undefined ? '' : collapse(cell.text) });
  }
  return rows;
}

function titleIn(element: HTMLElement): string | undefined {
  return element.querySelector('span[title], a[title]')?.getAttribute('title');
}

/**
 * Where a date is said, in the spec's order of preference:
 *  1. the `.date` paragraph containing the phrase: its `span`/`a` title, or its own title
 *       0.11:     <p>Opened <span title="02/22/2010 07:46:30 PM">2 days</span> ago</p>
 *       themed:   <p title="06/19/10 08:15:37">Opened 2 years ago</p>
 *  2. the properties row labelled with the phrase (themed pages);
 *  3. for "Opened" only, the first `a.timeline` of the page (the caller passes it as `fallback`).
 */
function findDate(root: HTMLElement, rows: readonly Row[], phrase: string, fallback?: () => string | undefined): DateMention {
  const says = new RegExp(`\\b${phrase}\\b`, 'i');
  let mentioned = false;
  for (const p of root.querySelectorAll('.date p, p.date')) {
    if (!says.test(collapse(p.text))) continue;
    mentioned = true;
    const title = titleIn(p) ?? p.getAttribute('title');
    if (title !== undefined) return { title };
  }
  for (const row of rows) {
    if (row.key !== phrase) continue;
    mentioned = true;
    const title = row.cell === undefined ? undefined : titleIn(row.cell);
    if (title !== undefined) return { title };
  }
  const last = fallback?.();
  if (last !== undefined) return { title: last };
  return mentioned ? { title: undefined } : undefined;
}

/** Parse a ticket page. Never throws: a page of another kind simply yields nothing. */
export function parseTicketPage(html: string): TicketPage {
  const root = parse(html);
  const rows = propertyRows(root);
  const value = (key: string): string | undefined => rows.find((r) => r.key === key)?.text;

  const changeAuthors: string[] = [];
  // Only real changes: `#changelog` leaves out the hidden draft preview of Trac ≥ 0.13
  //   <div id="ticketchange" class="ticketdraft" style="display: none"><h3 class="change">Changed by anonymous
  // and a wiki heading written inside a comment is not a change heading.
  for (const h3 of root.querySelectorAll('#changelog div.change h3')) {
    if (h3.closest('.comment') !== null) continue;
    const author = changeAuthor(h3.text);
    if (author !== undefined) changeAuthors.push(author);
  }

  return {
    hasProperties: root.querySelector('table.properties') !== null,
    properties: rows.map((r) => ({ label: r.label, text: r.text })),
    reportedBy: value('reported by'),
    owner: value('assigned to') ?? value('owned by'),
    cc: value('cc'),
    changeAuthors,
    opened: findDate(root, rows, 'opened', () => root.querySelector('a.timeline')?.getAttribute('title')),
    lastModified: findDate(root, rows, 'last modified'),
  };
}
