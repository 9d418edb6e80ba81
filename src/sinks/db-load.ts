// `customs db load`: streams a JSON Lines file (or stdin) into a database in batches, each one
// transaction. Memory holds two batches at most, whatever the file's size. A bad line is rejected with its
// number and the rest still load; a record the database itself refuses is found by retrying its
// batch one record at a time, and rejected alone.

import type { DbBackend, LoadCounts } from './db.ts';
import { addCounts, DbError, ZERO_COUNTS } from './db.ts';
import type { LoadOp } from './db-record.ts';
import { parseLine } from './db-record.ts';

/** Records per transaction: big enough to amortise a commit, small enough to stay cheap.
 * Memory holds at most two batches (one being written, one being read). */
export const DEFAULT_BATCH_SIZE = 2000;
/** A longer line is rejected without being held in memory (a record is rarely above 1 MB). */
export const MAX_LINE_CHARS = 64 * 1024 * 1024;

export type Line = { readonly number: number; readonly text: string } | { readonly number: number; readonly tooLong: true };

/** The lines of a byte stream, numbered from 1; `\r\n` endings and a leading BOM are removed. */
export async function* readLines(stream: ReadableStream<Uint8Array>, maxChars = MAX_LINE_CHARS): AsyncGenerator<Line> {
  const decoder = new TextDecoder('utf-8');
  let pending = '';
  let number = 1;
  let skipping = false;
  const finish = (text: string): Line => {
    const line = number === 1 && text.startsWith('\uFEFF') ? text.slice(1) : text;
    return { number, text: line.endsWith('\r') ? line.slice(0, -1) : line };
  };
  for await (const chunk of stream) {
    pending += decoder.decode(chunk, { stream: true });
    let start = 0;
    let end = pending.indexOf('\n', start);
    while (end !== -1) {
      if (skipping) {
        yield { number, tooLong: true };
        skipping = false;
      } else {
        yield finish(pending.slice(start, end));
      }
      number++;
      start = end + 1;
      end = pending.indexOf('\n', start);
    }
    pending = pending.slice(start);
    if (pending.length > maxChars) {
      skipping = true;
      pending = '';
    }
  }
  pending += decoder.decode();
  if (skipping) yield { number, tooLong: true };
  else if (pending !== '') yield finish(pending);
}

export interface LoadOptions {
  readonly batchSize?: number;
  /** Stops between two records; what was committed stays. */
  readonly signal?: AbortSignal;
  readonly onReject?: (line: number, reason: string) => void;
  /** Called after each committed batch with the lines read so far. */
  readonly onBatch?: (linesRead: number, counts: LoadCounts) => void;
}

export interface LoadResult {
  readonly counts: LoadCounts;
  readonly rejected: number;
  /** Records read (non-blank lines). */
  readonly records: number;
  readonly interrupted: boolean;
  /** A database failure that stopped the load; batches before it are committed. */
  readonly failure?: { readonly error: DbError; readonly line: number };
}

interface Pending {
  readonly line: number;
  readonly op: LoadOp;
}

/** A database failure that ends the load, with the line whose batch it hit. */
class LoadStop extends Error {
  constructor(
    readonly error: DbError,
    readonly line: number,
  ) {
    super(error.message);
  }
}

const asDbError = (err: unknown): DbError => (err instanceof DbError ? err : new DbError('query', err instanceof Error ? err.message : String(err), { cause: err }));

export async function loadLines(lines: AsyncIterable<Line>, db: DbBackend, options: LoadOptions = {}): Promise<LoadResult> {
  const batchSize = Math.max(1, options.batchSize ?? DEFAULT_BATCH_SIZE);
  let counts = ZERO_COUNTS;
  let rejected = 0;
  let records = 0;
  let lastLine = 0;
  let batch: Pending[] = [];
  let links = new Set<string>();
  const reject = (line: number, reason: string): void => {
    rejected++;
    options.onReject?.(line, reason);
  };

  const apply = async (items: readonly Pending[], upTo: number): Promise<void> => {
    try {
      counts = addCounts(counts, await db.applyBatch(items.map((p) => p.op)));
    } catch (err) {
      if (!(err instanceof DbError) || err.kind !== 'data') throw new LoadStop(asDbError(err), items[0]?.line ?? upTo);
      // One record the database refuses: find it, reject it, keep the others.
      for (const item of items) {
        try {
          counts = addCounts(counts, await db.applyBatch([item.op]));
        } catch (single) {
          if (single instanceof DbError && single.kind === 'data') reject(item.line, `the database refused it: ${single.message}`);
          else throw new LoadStop(asDbError(single), item.line);
        }
      }
    }
    options.onBatch?.(upTo, counts);
  };

  // The next batch is read and checked while the database works on the previous one (a server
  // database does that in parallel); batches still apply one after the other, in file order.
  let inflight: Promise<void> | undefined;
  const flush = async (): Promise<void> => {
    if (batch.length === 0) return;
    const items = batch;
    batch = [];
    links = new Set();
    if (inflight !== undefined) await inflight;
    inflight = apply(items, lastLine);
    // Rethrown by the next await of `inflight`; this only keeps it from counting as unhandled.
    inflight.catch(() => undefined);
  };
  const drain = async (): Promise<void> => {
    await flush();
    if (inflight !== undefined) await inflight;
    inflight = undefined;
  };

  try {
    for await (const line of lines) {
      if (options.signal?.aborted) {
        await drain();
        return { counts, rejected, records, interrupted: true };
      }
      lastLine = line.number;
      if ('tooLong' in line) {
        records++;
        reject(line.number, `longer than ${MAX_LINE_CHARS / 1024 / 1024} MiB, not read`);
        continue;
      }
      if (line.text.trim() === '') continue;
      records++;
      const result = parseLine(line.text);
      if ('rejected' in result) {
        reject(line.number, result.rejected);
        continue;
      }
      // A link seen again in this batch: commit the batch first, so records apply in file order.
      if (links.has(result.op.link)) await flush();
      batch.push({ line: line.number, op: result.op });
      links.add(result.op.link);
      if (batch.length >= batchSize) await flush();
    }
    await drain();
  } catch (err) {
    const failure = err instanceof LoadStop ? { error: err.error, line: err.line } : { error: asDbError(err), line: lastLine };
    return { counts, rejected, records, interrupted: false, failure };
  }
  return { counts, rejected, records, interrupted: options.signal?.aborted ?? false };
}
