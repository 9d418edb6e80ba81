// Reading a Roundup issue page (trackers.md §4 "Reading the issue page"): the field map of every
// `th` and its neighbour, the "Created on … by …, last changed … by …" header line, the message
// authors and bodies, and the attached files. One reader for the layouts seen on real servers:
// the classic template (Mercurial's tracker: `<b>` dates such as `2011-04-13.18:26:03`, authors as
// bare logins) and the Python tracker's (fieldsets, a Stage field, `<strong>` header dates such as
// `2010-03-30 10:52`, "Author: Real Name (login)" with badges). Pure: text in, values out.

import { parse, type HTMLElement } from 'node-html-parser';

/** One `th` of the page and the text of the element after it, in document order. */
export interface PageField {
  /** The `th` text, trimmed, without its last `:` and what follows (`Status:` → `Status`). */
  readonly key: string;
  readonly value: string;
}

/** The four values of the header line: "Created on D1 by U1, last changed D2 by U2." */
export interface HeaderLine {
  readonly created: string;
  readonly creator: string;
  readonly changed: string;
  readonly changer: string;
}

/** A message author as its header cell names it. */
export interface MessageAuthor {
  readonly login: string;
  /** `""` when the cell shows only the login. */
  readonly realname: string;
}

export interface PageMessage {
  /** `undefined` when no author row came before the body. */
  readonly author: MessageAuthor | undefined;
  /** The author cell after `Author:`, badges dropped: `Ben Hayden (benjhayden)` or `mpm`. */
  readonly authorText: string;
  /** The body as HTML (usually one `<pre>`), trimmed. */
  readonly html: string;
  /** The body as text, trimmed. */
  readonly text: string;
}

export interface PageFile {
  /** The download link as written (`file8863/pydocbug.patch`, relative to the tracker). */
  readonly url: string;
  /** Who uploaded it. */
  readonly author: string;
}

export interface IssuePage {
  /** Every `th` that has a following sibling element, in document order (keys may repeat). */
  readonly fields: readonly PageField[];
  /** `undefined` when the page has no readable header line (a login or error page). */
  readonly header: HeaderLine | undefined;
  /** The page has a `table.messages`. */
  readonly hasMessages: boolean;
  readonly messages: readonly PageMessage[];
  readonly files: readonly PageFile[];
}

/** Whitespace runs (markup indentation, `&nbsp;`) become one space. */
function collapse(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** Text of an element with CRLF line ends made LF (recorded pages mix both), trimmed. */
function textOf(element: HTMLElement): string {
  return element.text.replace(/\r\n?/g, '\n').trim();
}

/**
 * The field-map key of a `th`: its trimmed text without everything from the last `:`.
 *   `Status:` → `Status`;  `Keywords` → `Keywords`;  `Date: 2007-12-03 16:34` → `Date: 2007-12-03 16`
 * The last example is a message header cell: the map keeps such keys, as oh-bugimporters did.
 */
export function fieldKey(thText: string): string {
  const trimmed = thText.replace(/\r\n?/g, '\n').trim();
  const colon = trimmed.lastIndexOf(':');
  return (colon < 0 ? trimmed : trimmed.slice(0, colon)).trim();
}

/**
 * An author cell, after `Author:`. The Python tracker writes the real name and the login in
 * parentheses, then badges that are ignored:
 *   `Author: R. David Murray (r.david.murray) <span title="Contributor form received">*</span> <img …>`
 * The classic template writes only the login: `Author: mpm`.
 */
export function readAuthor(cellText: string): { readonly author: MessageAuthor | undefined; readonly text: string } | undefined {
  const m = /^author\s*:\s*(.*)$/is.exec(collapse(cellText));
  if (!m) return undefined;
  const rest = m[1] ?? '';
  const named = /^([^()]*?)\s*\(([^()]*)\)/.exec(rest);
  if (named) {
    const realname = (named[1] ?? '').trim();
    const login = (named[2] ?? '').trim();
    return { author: login === '' ? undefined : { login, realname }, text: named[0] };
  }
  const login = rest.split(' ')[0] ?? '';
  return { author: login === '' ? undefined : { login, realname: '' }, text: login };
}

/** Every `th` and the text of its next sibling element. A `th` with no sibling is skipped. */
function readFields(root: HTMLElement): PageField[] {
  const fields: PageField[] = [];
  for (const th of root.querySelectorAll('th')) {
    const next = th.nextElementSibling;
    if (next === null) continue;
    fields.push({ key: fieldKey(th.text), value: textOf(next) });
  }
  return fields;
}

/** The `b`/`strong` children of a paragraph, as collapsed texts. */
function boldTexts(p: HTMLElement): string[] {
  return p.children.filter((child) => child.tagName === 'B' || child.tagName === 'STRONG').map((child) => collapse(child.text));
}

function headerFrom(values: readonly string[]): HeaderLine | undefined {
  const [created, creator, changed, changer] = values;
  if (created === undefined || creator === undefined || changed === undefined || changer === undefined) return undefined;
  return { created, creator, changed, changer };
}

/**
 * The header line: the paragraph right after the `itemSynopsis` form (an `hr` may sit between),
 *   <p>Created on <b>2007-12-03 16:34</b> by <b>benjhayden</b>, last changed <b>2008-01-13 11:32</b> by <b>ping</b>.</p>
 * possibly followed by "This issue is now <strong>closed</strong>." (a fifth bold text, ignored).
 * Should the markup put the form elsewhere, a paragraph starting "Created on" with four bold
 * texts is read instead.
 */
function readHeader(root: HTMLElement): HeaderLine | undefined {
  const form = root.querySelector('form[name="itemSynopsis"]');
  let next = form?.nextElementSibling ?? null;
  while (next !== null && next.tagName === 'HR') next = next.nextElementSibling;
  if (next !== null && next.tagName === 'P') {
    const header = headerFrom(boldTexts(next));
    if (header !== undefined) return header;
  }
  for (const p of root.querySelectorAll('p')) {
    if (!/^created on\b/i.test(collapse(p.text))) continue;
    const header = headerFrom(boldTexts(p));
    if (header !== undefined) return header;
  }
  return undefined;
}

/**
 * The rows of `table.messages`: a header row per message (`msgN - (view)`, `Author: …`,
 * `Date: …`), then a row whose `td.content` holds the body.
 */
function readMessages(table: HTMLElement | null): PageMessage[] {
  if (table === null) return [];
  const messages: PageMessage[] = [];
  let author: MessageAuthor | undefined;
  let authorText = '';
  for (const row of table.querySelectorAll('tr')) {
    for (const th of row.querySelectorAll('th')) {
      const read = readAuthor(th.text);
      if (read !== undefined) {
        author = read.author;
        authorText = read.text;
      }
    }
    const content = row.querySelector('td.content');
    if (content !== null) {
      messages.push({ author, authorText, html: content.innerHTML.replace(/\r\n?/g, '\n').trim(), text: textOf(content) });
      author = undefined;
      authorText = '';
    }
  }
  return messages;
}

/**
 * The rows of `table.files` below its two header rows:
 *   <td><a href="file8863/pydocbug.patch">pydocbug.patch</a></td>
 *   <td><span>benjhayden</span>, <span>2007-12-03 16:34</span></td>
 */
function readFiles(table: HTMLElement | null): PageFile[] {
  if (table === null) return [];
  const files: PageFile[] = [];
  for (const row of table.querySelectorAll('tr')) {
    const cells = row.children.filter((cell) => cell.tagName === 'TD');
    const href = cells[0]?.querySelector('a')?.getAttribute('href');
    if (href === undefined) continue;
    const uploaded = cells[1];
    const span = uploaded?.querySelector('span');
    const author = span !== null && span !== undefined ? collapse(span.text) : collapse(uploaded?.text.split(',')[0] ?? '');
    files.push({ url: href, author });
  }
  return files;
}

/** Parse an issue page. Never throws: a page of another kind simply yields no header. */
export function parseIssuePage(html: string): IssuePage {
  // `pre` must be parsed as markup: message bodies are `<pre>` with links inside, and by default
  // node-html-parser would keep their raw HTML as text.
  const root = parse(html, { blockTextElements: { script: true, noscript: true, style: true } });
  const messagesTable = root.querySelector('table.messages');
  return {
    fields: readFields(root),
    header: readHeader(root),
    hasMessages: messagesTable !== null,
    messages: readMessages(messagesTable),
    files: readFiles(root.querySelector('table.files')),
  };
}

/** The field map: later keys replace earlier ones, as in oh-bugimporters' `raw_data`. */
export function fieldMap(fields: readonly PageField[]): Record<string, string> {
  // No prototype: a `th` reading `__proto__` is a key like any other.
  const map: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const { key, value } of fields) map[key] = value;
  return map;
}

/** A field's value by name, case-insensitively; the last `th` of that name wins. */
export function fieldValue(fields: readonly PageField[], name: string): string | undefined {
  const wanted = name.trim().toLowerCase();
  let found: string | undefined;
  for (const { key, value } of fields) if (key.toLowerCase() === wanted) found = value;
  return found;
}
