// The Results browser's view of a bugs.jsonl file, built for files of hundreds of thousands of
// records. The file is read once, in 1 MB chunks with a pause for the UI between chunks; each
// line is parsed once and only what the table and the filters need is kept: the title, the
// byte range of the line, interned project/status/tracker numbers and a flag byte. The detail
// pane reads and parses the one selected line again from its byte range (the file descriptor
// stays open, so a run that replaces the file meanwhile does not move the ranges).

import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

export const FLAG_NEW = 1;
export const FLAG_DOC = 2;
export const FLAG_CLOSED = 4;
export const FLAG_DELETED = 8;
export const FLAG_NO_UPDATE = 16;
/** A line that is not a JSON object. */
export const FLAG_BROKEN = 32;

const CHUNK_BYTES = 1 << 20;

/** Strings seen many times (projects, statuses, trackers) stored once, rows keep a number. */
class Interner {
  readonly values: string[] = [];
  private readonly ids = new Map<string, number>();
  id(value: string): number {
    let id = this.ids.get(value);
    if (id === undefined) {
      id = this.values.length;
      this.values.push(value);
      this.ids.set(value, id);
    }
    return id;
  }
}

/** Growable typed column. */
class Column<T extends Float64Array | Uint32Array | Uint8Array> {
  constructor(
    public data: T,
    private readonly make: (n: number) => T,
  ) {}
  set(i: number, value: number): void {
    if (i >= this.data.length) {
      const next = this.make(Math.max(1024, this.data.length * 2));
      next.set(this.data);
      this.data = next;
    }
    this.data[i] = value;
  }
}

function str(value: unknown): string {
  return typeof value === 'string' ? value : value === undefined || value === null ? '' : String(value);
}

export class BugIndex {
  readonly path: string;
  private fd: number | undefined;
  private readonly titles: string[] = [];
  private readonly offsets = new Column(new Float64Array(1024), (n) => new Float64Array(n));
  private readonly lengths = new Column(new Uint32Array(1024), (n) => new Uint32Array(n));
  private readonly flagColumn = new Column(new Uint8Array(1024), (n) => new Uint8Array(n));
  private readonly projectColumn = new Column(new Uint32Array(1024), (n) => new Uint32Array(n));
  private readonly statusColumn = new Column(new Uint32Array(1024), (n) => new Uint32Array(n));
  private readonly trackerColumn = new Column(new Uint32Array(1024), (n) => new Uint32Array(n));
  readonly projects = new Interner();
  readonly statuses = new Interner();
  readonly trackers = new Interner();
  /** Records indexed so far. */
  count = 0;
  /** Bytes of the file read so far, and its size. */
  bytesRead = 0;
  readonly size: number;
  done = false;
  cancelled = false;
  error: string | undefined;

  constructor(path: string) {
    this.path = path;
    this.fd = openSync(path, 'r');
    this.size = fstatSync(this.fd).size;
  }

  title(i: number): string {
    return this.titles[i] ?? '';
  }
  flags(i: number): number {
    return this.flagColumn.data[i] ?? 0;
  }
  project(i: number): string {
    return this.projects.values[this.projectColumn.data[i] ?? 0] ?? '';
  }
  projectId(i: number): number {
    return this.projectColumn.data[i] ?? 0;
  }
  status(i: number): string {
    return this.statuses.values[this.statusColumn.data[i] ?? 0] ?? '';
  }
  statusId(i: number): number {
    return this.statusColumn.data[i] ?? 0;
  }
  tracker(i: number): string {
    return this.trackers.values[this.trackerColumn.data[i] ?? 0] ?? '';
  }
  trackerId(i: number): number {
    return this.trackerColumn.data[i] ?? 0;
  }

  /**
   * Reads the whole file, calling `onProgress` after every chunk (and at the end). Yields to the
   * event loop between chunks, so keys and renders go on while a big file loads.
   */
  async load(onProgress: () => void, yieldEvery: () => Promise<void> = () => new Promise((r) => setImmediate(r))): Promise<void> {
    const buffer = Buffer.allocUnsafe(CHUNK_BYTES);
    let carry: Buffer | undefined;
    let position = 0;
    try {
      while (!this.cancelled && this.fd !== undefined) {
        const n = readSync(this.fd, buffer, 0, CHUNK_BYTES, position);
        if (n === 0) break;
        const chunk: Buffer = carry ? Buffer.concat([carry, buffer.subarray(0, n)]) : buffer.subarray(0, n);
        const chunkStart = position - (carry?.length ?? 0);
        position += n;
        let start = 0;
        for (let nl = chunk.indexOf(10, start); nl !== -1; nl = chunk.indexOf(10, start)) {
          this.addLine(chunk, start, nl, chunkStart);
          start = nl + 1;
        }
        carry = start < chunk.length ? Buffer.from(chunk.subarray(start)) : undefined;
        this.bytesRead = position;
        onProgress();
        await yieldEvery();
      }
      if (carry && !this.cancelled) this.addLine(carry, 0, carry.length, position - carry.length);
    } catch (err) {
      this.error = err instanceof Error ? err.message : String(err);
    }
    this.done = true;
    onProgress();
  }

  private addLine(chunk: Buffer, start: number, end: number, chunkStart: number): void {
    let stop = end;
    if (stop > start && chunk[stop - 1] === 13) stop--;
    if (stop <= start) return;
    const text = chunk.toString('utf8', start, stop);
    if (text.trim() === '') return;
    const i = this.count;
    let record: unknown;
    try {
      record = JSON.parse(text);
    } catch {
      record = undefined;
    }
    this.offsets.set(i, chunkStart + start);
    this.lengths.set(i, stop - start);
    if (typeof record !== 'object' || record === null || Array.isArray(record)) {
      this.titles.push(`(line ${i + 1} is not a JSON object)`);
      this.flagColumn.set(i, FLAG_BROKEN);
      this.projectColumn.set(i, this.projects.id(''));
      this.statusColumn.set(i, this.statuses.id(''));
      this.trackerColumn.set(i, this.trackers.id(''));
      this.count++;
      return;
    }
    const r = record as Record<string, unknown>;
    let flags = 0;
    if (r.good_for_newcomers === true) flags |= FLAG_NEW;
    if (r.concerns_just_documentation === true) flags |= FLAG_DOC;
    if (r.looks_closed === true) flags |= FLAG_CLOSED;
    if (r._deleted === true) flags |= FLAG_DELETED;
    if (r._no_update === true) flags |= FLAG_NO_UPDATE;
    const title = str(r.title);
    this.titles.push(title !== '' ? title : str(r.canonical_bug_link));
    this.flagColumn.set(i, flags);
    this.projectColumn.set(i, this.projects.id(str(r._project_name)));
    this.statusColumn.set(i, this.statuses.id(str(r.status)));
    this.trackerColumn.set(i, this.trackers.id(str(r._tracker_name)));
    this.count++;
  }

  /** The full record of row `i`, read again from the file. */
  record(i: number): { readonly record?: Record<string, unknown>; readonly text: string; readonly error?: string } {
    if (this.fd === undefined || i < 0 || i >= this.count) return { text: '', error: 'no such record' };
    const length = this.lengths.data[i] ?? 0;
    const buffer = Buffer.allocUnsafe(length);
    readSync(this.fd, buffer, 0, length, this.offsets.data[i] ?? 0);
    const text = buffer.toString('utf8');
    try {
      const parsed: unknown = JSON.parse(text);
      if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) return { record: parsed as Record<string, unknown>, text };
      return { text, error: 'not a JSON object' };
    } catch (err) {
      return { text, error: err instanceof Error ? err.message : String(err) };
    }
  }

  close(): void {
    this.cancelled = true;
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}

export type OpenState = 'all' | 'open' | 'closed';

export interface Filters {
  /** Tracker name, or undefined for all. */
  readonly tracker?: string;
  readonly newcomers: boolean;
  readonly docs: boolean;
  readonly open: OpenState;
  /** Case-insensitive text searched in title, project, status and tracker. */
  readonly search: string;
}

export const NO_FILTERS: Filters = { newcomers: false, docs: false, open: 'all', search: '' };

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The rows that pass the filters, in file order, as an Int32Array grown as the file loads:
 * `extend` only looks at records added since the last call. Interned values are matched once
 * per filter, not once per row.
 */
export class FilteredRows {
  rows = new Int32Array(1024);
  length = 0;
  private scanned = 0;
  private readonly pattern: RegExp | undefined;
  private readonly projectHit: boolean[] = [];
  private readonly statusHit: boolean[] = [];
  private readonly trackerHit: boolean[] = [];

  constructor(
    private readonly index: BugIndex,
    readonly filters: Filters,
  ) {
    const search = filters.search.trim();
    this.pattern = search === '' ? undefined : new RegExp(escapeRegExp(search), 'i');
  }

  /** Looks at the records indexed since the last call. */
  extend(): this {
    const { index, filters, pattern } = this;
    const tracker = filters.tracker === undefined ? -1 : index.trackers.values.indexOf(filters.tracker);
    if (filters.tracker !== undefined && tracker === -1) {
      this.scanned = index.count;
      return this;
    }
    let need = 0;
    if (filters.newcomers) need |= FLAG_NEW;
    if (filters.docs) need |= FLAG_DOC;
    for (let i = this.scanned; i < index.count; i++) {
      const flags = index.flags(i);
      if ((flags & need) !== need) continue;
      if (filters.open === 'open' && (flags & (FLAG_CLOSED | FLAG_DELETED)) !== 0) continue;
      if (filters.open === 'closed' && (flags & (FLAG_CLOSED | FLAG_DELETED)) === 0) continue;
      if (tracker !== -1 && index.trackerId(i) !== tracker) continue;
      if (pattern && !this.searchHit(i, pattern)) continue;
      if (this.length === this.rows.length) {
        const next = new Int32Array(this.rows.length * 2);
        next.set(this.rows);
        this.rows = next;
      }
      this.rows[this.length++] = i;
    }
    this.scanned = index.count;
    return this;
  }

  at(position: number): number | undefined {
    return position >= 0 && position < this.length ? this.rows[position] : undefined;
  }

  private searchHit(i: number, pattern: RegExp): boolean {
    return (
      hit(this.projectHit, this.index.projectId(i), this.index.projects.values, pattern) ||
      hit(this.statusHit, this.index.statusId(i), this.index.statuses.values, pattern) ||
      hit(this.trackerHit, this.index.trackerId(i), this.index.trackers.values, pattern) ||
      pattern.test(this.index.title(i))
    );
  }
}

function hit(memo: boolean[], id: number, values: readonly string[], pattern: RegExp): boolean {
  let known = memo[id];
  if (known === undefined) {
    known = pattern.test(values[id] ?? '');
    memo[id] = known;
  }
  return known;
}
