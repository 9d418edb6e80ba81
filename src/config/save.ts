// Editing a tracker file without disturbing it: each change (set or delete one key of one entry,
// add, duplicate or remove one entry) is located with the parsed `yaml` Document and applied as a
// splice of the original text, so comments, key order, quoting, tags and layout everywhere else
// stay byte for byte. New text follows the file's own style (indentation, block or flow, JSON,
// CRLF). Saving is atomic. React-free: the TUI editor and tests call these functions.

import { chmodSync, readFileSync, statSync } from 'node:fs';
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, stringify, type Document, type Node, type Pair, type YAMLMap, type YAMLSeq } from 'yaml';
import { writeFileAtomic } from '../sinks/atomic.ts';
import { YAML_OPTIONS } from './load.ts';

/** A change the file cannot take (not YAML, no list of entries, an index out of range…). */
export class SaveError extends Error {
  override readonly name = 'SaveError';
}

/** The file changed on disk since it was read: saving would overwrite someone else's edit. */
export class SaveConflictError extends SaveError {}

/** One value of an entry: what the editor writes. `undefined` in a patch deletes the key. */
export type EntryValue = string | number | boolean | null | readonly string[];

/** Keys to set (in this order for keys the entry does not have yet) or delete (`undefined`). */
export type EntryPatch = readonly (readonly [key: string, value: EntryValue | undefined])[];

/** One entry as written in the file, before validation (python tags resolved, keys in file order). */
export interface RawEntry {
  /** Plain values by key; the first of duplicate keys wins, as in validation. */
  readonly values: Readonly<Record<string, unknown>>;
  /** 1-based lines the entry spans (its leading `- ` line to its last line). */
  readonly startLine: number;
  readonly endLine: number;
  /** false when the item is not a mapping (validation reports it). */
  readonly isMap: boolean;
}

/** The text a new tracker file starts with: valid, empty, and saying what it is. */
export function newTrackerFileText(): string {
  return [
    '# customs tracker file: one entry per bug tracker to import.',
    '# Edit it with `customs edit`, check it with `customs validate`, import with `customs run`.',
    '# The keys of every tracker type are described in docs/trackers.md.',
    'trackers: []',
    '',
  ].join('\n');
}

// ---------------------------------------------------------------------------------------------
// Reading and writing the file

/** A tracker file as the editor holds it. `bom` is put back on save. */
export interface TrackerSource {
  readonly exists: boolean;
  /** The text without a byte-order mark. */
  readonly text: string;
  readonly bom: boolean;
}

/** Read the file for editing; a missing file gives `exists: false` and empty text. Throws for other errors. */
export function readTrackerSource(path: string): TrackerSource {
  let raw: string;
  try {
    raw = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as { code?: string }).code === 'ENOENT') return { exists: false, text: '', bom: false };
    throw err;
  }
  const bom = raw.startsWith('\uFEFF');
  return { exists: true, text: bom ? raw.slice(1) : raw, bom };
}

/**
 * Write `text` to `path` atomically, keeping the file's permissions. With `expected` (the text
 * last read, or `null` for "did not exist"), refuses with SaveConflictError when the file on
 * disk is no longer that text.
 */
export function writeTrackerSource(path: string, text: string, options: { readonly bom?: boolean; readonly expected?: string | null } = {}): void {
  let mode: number | undefined;
  let current: string | null = null;
  try {
    mode = statSync(path).mode & 0o7777;
    current = readTrackerSource(path).text;
  } catch {
    current = null;
  }
  if (options.expected !== undefined && current !== options.expected) {
    throw new SaveConflictError(current === null ? `${path} was deleted since it was opened` : `${path} changed on disk since it was opened`);
  }
  writeFileAtomic(path, `${options.bom ? '\uFEFF' : ''}${text}`);
  if (mode !== undefined && mode !== 0o644) {
    try {
      chmodSync(path, mode);
    } catch {
      // The content is saved; permissions we cannot restore are not worth failing for.
    }
  }
}

// ---------------------------------------------------------------------------------------------
// The parsed file

interface Located {
  readonly text: string;
  readonly doc: Document;
  readonly lines: LineCounter;
  /** The list of entries, when there is one. */
  readonly seq: YAMLSeq | undefined;
  /** The `trackers:`/`objects:` pair holding the list (absent for a top-level list). */
  readonly holder: Pair | undefined;
  readonly style: Style;
}

interface Style {
  readonly eol: string;
  /** The file is JSON (flow collections, double-quoted keys): new text is JSON too. */
  readonly json: boolean;
  /** Columns from a key to the `-` of its block-list value (`queries:\n  - x` is 2, PyYAML's `- x` is 0). */
  readonly seqIndent: number;
  /** A blank line separates the entries. */
  readonly spaced: boolean;
}

function locate(text: string): Located {
  const lines = new LineCounter();
  const doc = parseDocument(text, { ...YAML_OPTIONS, lineCounter: lines });
  const error = doc.errors[0];
  if (error) throw new SaveError(`the file is not valid YAML (${error.message.split('\n')[0] ?? ''}); fix it by hand first`);
  const root = doc.contents;
  let seq: YAMLSeq | undefined;
  let holder: Pair | undefined;
  if (isSeq(root)) seq = root;
  else if (isMap(root)) {
    const named = (name: string): Pair | undefined => root.items.find((p) => isScalar(p.key) && String(p.key.value) === name);
    const trackers = named('trackers');
    const objects = named('objects');
    if (trackers && objects) throw new SaveError('the file has both "trackers:" and "objects:"; keep one list of entries');
    holder = trackers ?? objects;
    const value = holder?.value;
    if (isSeq(value)) seq = value;
    else if (holder && value !== null && value !== undefined && !(isScalar(value) && value.value === null)) {
      throw new SaveError(`"${String((holder.key as { value?: unknown }).value)}" is not a list of entries; fix it by hand first`);
    }
  } else if (root !== null && !(isScalar(root) && root.value === null)) {
    throw new SaveError('the file does not hold a list of tracker entries');
  }
  return { text, doc, lines, seq, holder, style: styleOf(text, doc, seq) };
}

function styleOf(text: string, doc: Document, seq: YAMLSeq | undefined): Style {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const root = doc.contents;
  const json = (isMap(root) || isSeq(root)) && root.flow === true && /^\s*[[{]/.test(text);
  // How far list items sit from their key: measured inside the entries first (where new lists
  // go), else on the `trackers:` list itself.
  const measure = (pair: Pair): number | undefined => {
    const value = pair.value;
    if (!isSeq(value) || value.flow || !isNodeWithRange(pair.key)) return undefined;
    const first = value.items[0];
    return isNodeWithRange(first) ? Math.max(0, col(text, dashOf(text, first)) - col(text, pair.key.range[0])) : undefined;
  };
  let seqIndent: number | undefined;
  for (const item of seq?.items ?? []) {
    if (!isMap(item)) continue;
    for (const pair of item.items) seqIndent ??= measure(pair);
    if (seqIndent !== undefined) break;
  }
  if (seqIndent === undefined && isMap(root)) for (const pair of root.items) seqIndent ??= measure(pair);
  let spaced = false;
  if (seq && !seq.flow) {
    for (let i = 1; i < seq.items.length && !spaced; i++) {
      const prev = seq.items[i - 1];
      const next = seq.items[i];
      if (isNodeWithRange(prev) && isNodeWithRange(next)) {
        const gap = text.slice(lineEnd(text, contentEnd(text, prev)), lineStart(text, dashOf(text, next)));
        spaced = /\n[ \t]*\r?\n/.test(gap);
      }
    }
  }
  return { eol, json, seqIndent: seqIndent ?? 2, spaced };
}

type Ranged = Node & { range: [number, number, number] };

function isNodeWithRange(node: unknown): node is Ranged {
  return typeof node === 'object' && node !== null && 'range' in node && Array.isArray((node as { range?: unknown }).range);
}

function entryAt(loc: Located, index: number): Ranged {
  const item = loc.seq?.items[index];
  if (!isNodeWithRange(item)) throw new SaveError(`there is no entry number ${index + 1} in the file`);
  return item;
}

function entryMap(loc: Located, index: number): YAMLMap & Ranged {
  const item = entryAt(loc, index);
  if (!isMap(item)) throw new SaveError(`entry number ${index + 1} is not a mapping of keys; fix it by hand first`);
  return item as YAMLMap & Ranged;
}

function keyName(pair: Pair): string | undefined {
  return isScalar(pair.key) && pair.key.value !== null && typeof pair.key.value !== 'object' ? String(pair.key.value) : undefined;
}

/** The entries of the file with their raw values. Throws SaveError when the file cannot be edited. */
export function readRawEntries(text: string): RawEntry[] {
  const loc = locate(text);
  const items = loc.seq?.items ?? [];
  return items.map((item) => {
    const start = isNodeWithRange(item) ? (loc.seq?.flow ? item.range[0] : lineStart(text, dashOf(text, item))) : 0;
    const end = isNodeWithRange(item) ? contentEnd(text, item) : start;
    const values: Record<string, unknown> = {};
    if (isMap(item)) {
      for (const pair of item.items) {
        const key = keyName(pair);
        if (key === undefined || key in values) continue;
        values[key] = isNodeWithRange(pair.value) ? pair.value.toJS(loc.doc) : null;
      }
    }
    return { values, startLine: loc.lines.linePos(start).line, endLine: loc.lines.linePos(Math.max(start, end - 1)).line, isMap: isMap(item) };
  });
}

// ---------------------------------------------------------------------------------------------
// Positions in the text

function lineStart(text: string, pos: number): number {
  return text.lastIndexOf('\n', pos - 1) + 1;
}

/** The index of the line break ending the line of `pos` (or the text's length). */
function lineEnd(text: string, pos: number): number {
  const i = text.indexOf('\n', pos);
  if (i < 0) return text.length;
  return i > 0 && text[i - 1] === '\r' ? i - 1 : i;
}

/** Just past the line break ending the line of `pos`. */
function afterLine(text: string, pos: number): number {
  const i = text.indexOf('\n', pos);
  return i < 0 ? text.length : i + 1;
}

function col(text: string, pos: number): number {
  return pos - lineStart(text, pos);
}

/** The end of a node's own text: its range, less the white space it may include at the end. */
function contentEnd(text: string, node: Ranged): number {
  const [start, end] = node.range;
  let i = end;
  while (i > start && /\s/.test(text[i - 1] ?? '')) i--;
  return i;
}

/** The `-` of a block-list item (the item's range starts after it). */
function dashOf(text: string, item: Ranged): number {
  let i = item.range[0] - 1;
  while (i >= 0 && (text[i] === ' ' || text[i] === '\t')) i--;
  if (text[i] === '-') return i;
  // An item with a tag or anchor (`- !!map {…}`): look back to the line's dash.
  const start = lineStart(text, item.range[0]);
  const dash = text.indexOf('-', start);
  return dash >= 0 && dash < item.range[0] ? dash : item.range[0];
}

/** Just past the `:` that follows a key. */
function colonEnd(text: string, key: Ranged): number {
  let i = contentEnd(text, key);
  while (i < text.length && (text[i] === ' ' || text[i] === '\t')) i++;
  if (text[i] !== ':') throw new SaveError(`cannot find the ":" after key at offset ${key.range[0]}; edit this entry by hand`);
  return i + 1;
}

/** Where a value's text starts, its tag or anchor included (`!!python/unicode 'x'`). */
function valueStart(text: string, afterColon: number, value: Ranged): number {
  let i = afterColon;
  while (i < value.range[0] && /\s/.test(text[i] ?? '')) i++;
  return i < value.range[0] && (text[i] === '!' || text[i] === '&') ? i : value.range[0];
}

function isEmptyValue(node: unknown): boolean {
  return !isNodeWithRange(node) || (isScalar(node) && node.value === null && node.range[0] === node.range[1]);
}

function splice(text: string, start: number, end: number, insert: string): string {
  return text.slice(0, start) + insert + text.slice(end);
}

// ---------------------------------------------------------------------------------------------
// Rendering new values in the file's style

const YAML11_WORDS = /^(?:y|n|yes|no|on|off)$/i;

/** A scalar in the file's style; `quotes` keeps the quoting of the value it replaces. */
function renderScalar(value: Exclude<EntryValue, readonly string[]>, flow: boolean, style: Style, quotes?: string): string {
  if (style.json || value === null || typeof value !== 'string') return JSON.stringify(value);
  if (quotes === 'QUOTE_DOUBLE') return JSON.stringify(value);
  if (quotes === 'QUOTE_SINGLE' && !/[\r\n]/.test(value)) return `'${value.replace(/'/g, "''")}'`;
  let text = stringify(value, { lineWidth: 0 }).replace(/\r?\n$/, '');
  // Block scalars, YAML 1.1 booleans (PyYAML reads `yes` as true) and flow indicators get double quotes.
  if (text.includes('\n') || YAML11_WORDS.test(text) || (flow && !/^["']/.test(text) && /[,[\]{}]/.test(text))) text = JSON.stringify(value);
  return text;
}

function renderFlow(value: EntryValue, style: Style): string {
  if (Array.isArray(value)) return `[${value.map((v: string) => renderScalar(v, true, style)).join(', ')}]`;
  return renderScalar(value as Exclude<EntryValue, readonly string[]>, true, style);
}

/** The text after `key:` in block style: ` value`, ` []`, or the lines of a block list. */
function renderAfterKey(value: EntryValue, keyCol: number, style: Style): string {
  if (Array.isArray(value)) {
    if (value.length === 0) return ' []';
    const indent = ' '.repeat(keyCol + style.seqIndent);
    return value.map((item: string) => `${style.eol}${indent}- ${renderScalar(item, false, style)}`).join('');
  }
  return ` ${renderScalar(value as Exclude<EntryValue, readonly string[]>, false, style)}`;
}

function renderKey(key: string, style: Style): string {
  return style.json ? JSON.stringify(key) : renderScalar(key, true, style);
}

function renderBlockEntry(entry: Readonly<Record<string, EntryValue>>, dashCol: number, keyCol: number, style: Style): string {
  const lines = Object.entries(entry).map(([key, value], i) => {
    const lead = i === 0 ? `${' '.repeat(dashCol)}-${' '.repeat(Math.max(1, keyCol - dashCol - 1))}` : ' '.repeat(keyCol);
    return `${lead}${renderKey(key, style)}:${renderAfterKey(value, keyCol, style)}`;
  });
  return lines.join(style.eol);
}

/** A flow (or JSON) mapping; `indent` is the column of its `{` when spread over lines. */
function renderFlowEntry(entry: Readonly<Record<string, EntryValue>>, multiline: boolean, indent: number, style: Style): string {
  const pairs = Object.entries(entry).map(([key, value]) => `${renderKey(key, style)}: ${renderFlow(value, style)}`);
  if (!multiline) return `{${style.json ? '' : ' '}${pairs.join(', ')}${style.json ? '' : ' '}}`;
  const inner = ' '.repeat(indent + 2);
  return `{${style.eol}${pairs.map((p) => inner + p).join(`,${style.eol}`)}${style.eol}${' '.repeat(indent)}}`;
}

// ---------------------------------------------------------------------------------------------
// Keys of one entry

/** Set one key of entry `index` (0-based). A new key goes after the entry's last key. */
export function setEntryKey(text: string, index: number, key: string, value: EntryValue): string {
  const loc = locate(text);
  const map = entryMap(loc, index);
  const pair = map.items.find((p) => keyName(p) === key);
  if (!pair) return addKey(loc, map, key, value);
  const keyNode = pair.key;
  if (!isNodeWithRange(keyNode)) throw new SaveError(`cannot place key "${key}"; edit this entry by hand`);
  const style = loc.style;
  const colon = colonEnd(text, keyNode);
  const old = pair.value;
  if (isEmptyValue(old)) {
    if (!map.flow && Array.isArray(value) && value.length > 0) return blockAfterColon(text, colon, colon, renderAfterKey(value, col(text, keyNode.range[0]), style));
    return splice(text, colon, colon, map.flow ? ` ${renderFlow(value, style)}` : renderAfterKey(value, col(text, keyNode.range[0]), style));
  }
  if (!isNodeWithRange(old)) throw new SaveError(`cannot place the value of "${key}"; edit this entry by hand`);
  const start = valueStart(text, colon, old);
  const end = contentEnd(text, old);
  if (map.flow) return splice(text, start, end, Array.isArray(value) || !isScalar(old) ? renderFlow(value, style) : renderScalar(value as Exclude<EntryValue, readonly string[]>, true, style, old.type));
  const blockSeq = isSeq(old) && !old.flow && old.items.length > 0;
  const blockMap = isMap(old) && !old.flow;
  if (Array.isArray(value) && value.length > 0) {
    if (blockSeq) {
      const dash = dashOf(text, old.items[0] as Ranged);
      const indent = ' '.repeat(col(text, dash));
      return splice(text, dash, end, value.map((item: string) => `- ${renderScalar(item, false, style)}`).join(style.eol + indent));
    }
    if (isSeq(old) && old.flow && old.items.length > 0) return splice(text, start, end, renderFlow(value, style));
    return blockAfterColon(text, colon, end, renderAfterKey(value, col(text, keyNode.range[0]), style));
  }
  const quotes = isScalar(old) ? old.type : undefined;
  const rendered = Array.isArray(value) ? '[]' : renderScalar(value as Exclude<EntryValue, readonly string[]>, false, style, quotes);
  if (blockSeq || blockMap) return splice(text, colon, end, ` ${rendered}`);
  return splice(text, start, end, rendered);
}

/**
 * Put block content (starting with a line break) after a key's colon, replacing [colon, end):
 * a comment left on the key's line stays there, above the new lines.
 */
function blockAfterColon(text: string, colon: number, end: number, block: string): string {
  const close = lineEnd(text, end);
  return text.slice(0, colon) + text.slice(end, close) + block + text.slice(close);
}

function addKey(loc: Located, map: YAMLMap & Ranged, key: string, value: EntryValue): string {
  const { text, style } = loc;
  const last = map.items[map.items.length - 1];
  const first = map.items[0];
  if (!last || !first || !isNodeWithRange(last.key) || !isNodeWithRange(first.key)) {
    throw new SaveError('cannot add a key to an empty entry; edit it by hand');
  }
  const lastEnd = isNodeWithRange(last.value) && !isEmptyValue(last.value) ? contentEnd(text, last.value) : colonEnd(text, last.key);
  if (map.flow) {
    const multiline = text.slice(map.range[0], first.key.range[0]).includes('\n');
    const pair = `${renderKey(key, style)}: ${renderFlow(value, style)}`;
    const sep = multiline ? `,${style.eol}${' '.repeat(col(text, last.key.range[0]))}` : ', ';
    return splice(text, lastEnd, lastEnd, sep + pair);
  }
  const keyCol = col(text, first.key.range[0]);
  const at = lineEnd(text, lastEnd);
  return splice(text, at, at, `${style.eol}${' '.repeat(keyCol)}${renderKey(key, style)}:${renderAfterKey(value, keyCol, style)}`);
}

/** Delete one key of entry `index`; nothing happens when the entry does not have it. */
export function deleteEntryKey(text: string, index: number, key: string): string {
  const loc = locate(text);
  const map = entryMap(loc, index);
  const at = map.items.findIndex((p) => keyName(p) === key);
  const pair = map.items[at];
  if (!pair) return text;
  if (!isNodeWithRange(pair.key)) throw new SaveError(`cannot find key "${key}"; edit this entry by hand`);
  if (map.items.length === 1) throw new SaveError(`"${key}" is the entry's only key; delete the entry instead`);
  const keyStart = pair.key.range[0];
  const end = isNodeWithRange(pair.value) && !isEmptyValue(pair.value) ? contentEnd(text, pair.value) : colonEnd(text, pair.key);
  const next = map.items[at + 1];
  const nextStart = next && isNodeWithRange(next.key) ? next.key.range[0] : undefined;
  if (map.flow) {
    if (nextStart !== undefined) return splice(text, keyStart, nextStart, '');
    const prev = map.items[at - 1];
    const prevEnd = prev && isNodeWithRange(prev.value) && !isEmptyValue(prev.value) ? contentEnd(text, prev.value) : prev && isNodeWithRange(prev.key) ? colonEnd(text, prev.key) : keyStart;
    return splice(text, prevEnd, end, '');
  }
  let start = lineStart(text, keyStart);
  if (text.slice(start, keyStart).trim() === '') {
    // Comment lines right above the key (indented like it) are about it, and go with it.
    const prev = map.items[at - 1];
    const prevEnd = prev && isNodeWithRange(prev.value) && !isEmptyValue(prev.value) ? contentEnd(text, prev.value) : prev && isNodeWithRange(prev.key) ? colonEnd(text, prev.key) : start;
    const floor = afterLine(text, prevEnd);
    const keyCol = col(text, keyStart);
    while (start > floor) {
      const above = lineStart(text, start - 1);
      const line = text.slice(above, start).replace(/\r?\n$/, '');
      if (!/^\s*#/.test(line) || line.search(/\S/) !== keyCol) break;
      start = above;
    }
    return splice(text, start, afterLine(text, end), '');
  }
  // The key shares its line with the entry's `- `: the next key moves up to take its place.
  if (nextStart !== undefined) return splice(text, keyStart, nextStart, '');
  return splice(text, keyStart, end, '');
}

/** Apply several key changes to entry `index`, in order. */
export function patchEntry(text: string, index: number, patch: EntryPatch): string {
  let out = text;
  for (const [key, value] of patch) out = value === undefined ? deleteEntryKey(out, index, key) : setEntryKey(out, index, key, value);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Whole entries

/** How many entries the file has (0 for an empty file). Throws SaveError when it cannot be edited. */
export function entryCount(text: string): number {
  return locate(text).seq?.items.length ?? 0;
}

/**
 * Insert a new entry so that it becomes number `at` (0-based; default: after the last one), in
 * the style of the entries around it. An empty file gets a `trackers:` list.
 */
export function insertEntry(text: string, entry: Readonly<Record<string, EntryValue>>, at?: number): string {
  const loc = locate(text);
  const { style } = loc;
  const items = loc.seq?.items ?? [];
  const index = at ?? items.length;
  if (index < 0 || index > items.length) throw new SaveError(`cannot insert an entry at position ${index + 1}`);
  const seq = loc.seq;
  if (seq && items.length > 0) {
    const near = items[Math.max(0, index - 1)];
    if (!isNodeWithRange(near)) throw new SaveError('cannot place a new entry; edit the file by hand');
    if (seq.flow) {
      const first = items[0] as Ranged;
      const multiline = text.slice(seq.range?.[0] ?? first.range[0], first.range[0]).includes('\n');
      const indent = col(text, first.range[0]);
      const innerMultiline = isMap(near) && text.slice(near.range[0], contentEnd(text, near)).includes('\n');
      const rendered = renderFlowEntry(entry, innerMultiline, indent, style);
      const sep = multiline ? `,${style.eol}${' '.repeat(indent)}` : ', ';
      if (index === 0) return splice(text, first.range[0], first.range[0], rendered + sep);
      const end = contentEnd(text, near);
      return splice(text, end, end, sep + rendered);
    }
    const dash = dashOf(text, near);
    const dashCol = col(text, dash);
    const keyCol = isMap(near) && isNodeWithRange(near.items[0]?.key) ? col(text, (near.items[0]?.key as Ranged).range[0]) : dashCol + 2;
    const block = renderBlockEntry(entry, dashCol, keyCol, style);
    const gap = style.spaced ? style.eol : '';
    if (index === 0) {
      const start = lineStart(text, dash);
      return splice(text, start, start, block + style.eol + gap);
    }
    const end = lineEnd(text, contentEnd(text, near));
    return splice(text, end, end, style.eol + gap + block);
  }
  // No entries yet.
  const holder = loc.holder;
  if (holder && isNodeWithRange(holder.key)) {
    const keyCol = col(text, holder.key.range[0]);
    const colon = colonEnd(text, holder.key);
    const value = holder.value;
    const end = isNodeWithRange(value) && !isEmptyValue(value) ? contentEnd(text, value) : colon;
    if (style.json) {
      const start = isNodeWithRange(value) && !isEmptyValue(value) ? valueStart(text, colon, value) : colon;
      const inner = keyCol + 2;
      const rendered = `[${style.eol}${' '.repeat(inner)}${renderFlowEntry(entry, true, inner, style)}${style.eol}${' '.repeat(keyCol)}]`;
      return splice(text, start, end, (start === colon ? ' ' : '') + rendered);
    }
    const dashCol = keyCol + style.seqIndent;
    return blockAfterColon(text, colon, end, style.eol + renderBlockEntry(entry, dashCol, dashCol + 2, style));
  }
  const root = loc.doc.contents;
  if (seq && isNodeWithRange(root)) {
    // A top-level empty list `[]`.
    const start = root.range[0];
    const rendered = style.json ? `[${style.eol}  ${renderFlowEntry(entry, true, 2, style)}${style.eol}]` : renderBlockEntry(entry, 0, 2, style);
    return splice(text, start, contentEnd(text, root), rendered);
  }
  if (isMap(root) && style.json) throw new SaveError('the file has no "trackers" list; add `"trackers": []` by hand first');
  const body = `trackers:${style.eol}${renderBlockEntry(entry, style.seqIndent, style.seqIndent + 2, style)}${style.eol}`;
  if (text.trim() === '') return body;
  const tail = text.endsWith('\n') ? '' : style.eol;
  return text + tail + body;
}

/** Remove entry `index` with its own lines (and comment lines directly above it). */
export function removeEntry(text: string, index: number): string {
  const loc = locate(text);
  const seq = loc.seq;
  const item = entryAt(loc, index);
  if (!seq) throw new SaveError('the file has no entries');
  const items = seq.items;
  if (seq.flow) {
    const next = items[index + 1];
    if (isNodeWithRange(next)) return splice(text, item.range[0], next.range[0], '');
    const prev = items[index - 1];
    if (isNodeWithRange(prev)) return splice(text, contentEnd(text, prev), contentEnd(text, item), '');
    return splice(text, item.range[0], contentEnd(text, item), '');
  }
  const dash = dashOf(text, item);
  const dashCol = col(text, dash);
  let start = lineStart(text, dash);
  // Comment lines right above the entry (no blank line between, indented like its `-`) go with it;
  // above the first entry they are more likely the file's or the list's header, and stay.
  const prev = items[index - 1];
  const floor = isNodeWithRange(prev) ? afterLine(text, contentEnd(text, prev)) : start;
  while (start > floor) {
    const above = lineStart(text, start - 1);
    const line = text.slice(above, start).replace(/\r?\n$/, '');
    if (!/^\s*#/.test(line) || line.search(/\S/) < dashCol) break;
    start = above;
  }
  let end = afterLine(text, contentEnd(text, item));
  const blank = (pos: number): boolean => pos < text.length && text.slice(pos, afterLine(text, pos)).trim() === '';
  const blankBefore = start > 0 && text.slice(lineStart(text, start - 1), start).trim() === '';
  if (blank(end) && (blankBefore || index === 0)) end = afterLine(text, end);
  let out = splice(text, start, end, '');
  if (items.length === 1) {
    // The list is now empty: say so with `[]`, or the file would read as "no list at all".
    if (loc.holder && isNodeWithRange(loc.holder.key)) {
      const colon = colonEnd(out, loc.holder.key);
      out = splice(out, colon, colon, ' []');
    } else {
      out = `${out}${out === '' || out.endsWith('\n') ? '' : loc.style.eol}[]${loc.style.eol}`;
    }
  }
  return out;
}

/** Replace entry `index` by `entry`: changed keys set in place, missing keys deleted, new keys added at the end. */
export function replaceEntry(text: string, index: number, entry: Readonly<Record<string, EntryValue>>): string {
  const current = readRawEntries(text)[index];
  if (!current) throw new SaveError(`there is no entry number ${index + 1} in the file`);
  const patch: [string, EntryValue | undefined][] = [];
  for (const [key, value] of Object.entries(entry)) {
    if (JSON.stringify(current.values[key]) !== JSON.stringify(value)) patch.push([key, value]);
  }
  for (const key of Object.keys(current.values)) if (!(key in entry)) patch.push([key, undefined]);
  return patchEntry(text, index, patch);
}

/**
 * Copy entry `index` (its own text: layout, tags and inline comments included) right after it,
 * with `tracker_name` set to `name`. The copy is entry `index + 1`.
 */
export function duplicateEntry(text: string, index: number, name: string): string {
  const loc = locate(text);
  const seq = loc.seq;
  const item = entryAt(loc, index);
  if (!seq) throw new SaveError('the file has no entries');
  if (!isMap(item)) throw new SaveError(`entry number ${index + 1} is not a mapping of keys; fix it by hand first`);
  const end = contentEnd(text, item);
  let out: string;
  if (seq.flow) {
    const copy = text.slice(item.range[0], end);
    const multiline = text.slice(seq.range?.[0] ?? item.range[0], (seq.items[0] as Ranged).range[0]).includes('\n');
    const sep = multiline ? `,${loc.style.eol}${' '.repeat(col(text, item.range[0]))}` : ', ';
    out = splice(text, end, end, sep + copy);
  } else {
    const start = lineStart(text, dashOf(text, item));
    const close = lineEnd(text, end);
    const copy = text.slice(start, close);
    const gap = loc.style.spaced ? loc.style.eol : '';
    out = splice(text, close, close, loc.style.eol + gap + copy);
  }
  return setEntryKey(out, index + 1, 'tracker_name', name);
}

/** `Name (copy)`, `Name (copy 2)`… : the first that no entry of `taken` uses. */
export function copyName(name: string, taken: readonly string[]): string {
  const base = name.replace(/ \(copy(?: \d+)?\)$/, '');
  for (let n = 1; ; n++) {
    const candidate = `${base} (copy${n === 1 ? '' : ` ${n}`})`;
    if (!taken.includes(candidate)) return candidate;
  }
}
