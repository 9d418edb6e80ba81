// Incremental runs (trackers.md §1.11): a high-water mark per tracker, kept in marks.json next
// to the cache; the next run asks only for what changed since (minus an overlap) and merges the
// answer with the previous output, so bugs.jsonl stays complete. A failed tracker keeps its mark.

import { createHash } from 'node:crypto';
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { writeFileAtomic } from '../sinks/atomic.ts';
import type { RecordSink } from '../sinks/jsonl.ts';
import type { BugRecord, TrackerEntry } from './types.ts';

/** How far before the mark the next run starts asking: clock skew and slow indexing. */
export const SAFETY_OVERLAP_MS = 60 * 60 * 1000;
const HOUR_MS = 60 * 60 * 1000;

interface TrackerMark {
  /** When the last successful run of this tracker started (ISO). */
  readonly mark: string;
  /** Hash of the entry that run used: a changed entry runs in full. */
  readonly entry: string;
}

interface MarksFile {
  readonly version: 1;
  /** The output the marks belong to, and its size and time when it was written. */
  readonly output: string;
  readonly outputSize: number;
  readonly outputMtimeMs: number;
  readonly trackers: Readonly<Record<string, TrackerMark>>;
}

export function entryHash(entry: TrackerEntry): string {
  const sorted = Object.fromEntries(Object.entries(entry).sort(([a], [b]) => a.localeCompare(b)));
  return createHash('sha256').update(JSON.stringify(sorted)).digest('hex').slice(0, 16);
}

/** The marks, when they still describe `output` as it is on disk; otherwise none (full runs). */
export function loadMarks(marksPath: string, output: string): MarksFile | undefined {
  if (!existsSync(marksPath) || !existsSync(output)) return undefined;
  try {
    const marks = JSON.parse(readFileSync(marksPath, 'utf8')) as MarksFile;
    const stat = statSync(output);
    if (marks.version !== 1 || marks.output !== output) return undefined;
    if (marks.outputSize !== stat.size || Math.abs(marks.outputMtimeMs - stat.mtimeMs) > 1) return undefined;
    return marks;
  } catch {
    return undefined;
  }
}

/** The `since` instant for one tracker, or undefined for a full run. */
export function sinceFor(marks: MarksFile | undefined, entry: TrackerEntry): Date | undefined {
  const mark = marks?.trackers[entry.tracker_name];
  if (!mark || mark.entry !== entryHash(entry)) return undefined;
  const at = Date.parse(mark.mark);
  if (Number.isNaN(at)) return undefined;
  // Rounded down to the hour, so runs close together ask the very same URLs, which the cache
  // then revalidates (304) instead of fetching anew.
  return new Date(Math.floor((at - SAFETY_OVERLAP_MS) / HOUR_MS) * HOUR_MS);
}

/** Writes the new marks: successful trackers move to `started`, every other mark is kept. */
export function saveMarks(
  marksPath: string,
  output: string,
  previous: MarksFile | undefined,
  succeeded: readonly { readonly entry: TrackerEntry; readonly started: string }[],
): void {
  const trackers: Record<string, TrackerMark> = { ...(previous?.trackers ?? {}) };
  for (const { entry, started } of succeeded) trackers[entry.tracker_name] = { mark: started, entry: entryHash(entry) };
  const stat = statSync(output);
  const marks: MarksFile = { version: 1, output, outputSize: stat.size, outputMtimeMs: stat.mtimeMs, trackers };
  writeFileAtomic(marksPath, `${JSON.stringify(marks, null, 2)}\n`);
}

function readRecord(line: string): BugRecord | undefined {
  try {
    const value = JSON.parse(line) as unknown;
    if (typeof value !== 'object' || value === null) return undefined;
    const record = value as { canonical_bug_link?: unknown; _tracker_name?: unknown };
    return typeof record.canonical_bug_link === 'string' && typeof record._tracker_name === 'string' ? (value as BugRecord) : undefined;
  } catch {
    return undefined;
  }
}

/** Streams the previous output's records of `trackers` (memory holds one line at a time). */
async function* previousRecords(output: string, trackers: ReadonlySet<string>): AsyncGenerator<BugRecord> {
  if (!existsSync(output) || trackers.size === 0) return;
  const lines = createInterface({ input: createReadStream(output, 'utf8'), crlfDelay: Infinity });
  for await (const line of lines) {
    if (line.trim() === '') continue;
    const record = readRecord(line);
    if (record && trackers.has(record._tracker_name)) yield record;
  }
}

/** Links of the previous output's records of `trackers`: what an `updates` record may update. */
export async function previousLinks(output: string, trackers: ReadonlySet<string>): Promise<Set<string>> {
  const links = new Set<string>();
  for await (const record of previousRecords(output, trackers)) links.add(record.canonical_bug_link);
  return links;
}

/**
 * Copies into the sink the previous records of `trackers` that this run did not write again
 * (the sink skips links it already has). Returns how many were carried over, per tracker.
 */
export async function carryOver(output: string, trackers: ReadonlySet<string>, sink: RecordSink): Promise<Map<string, number>> {
  const carried = new Map<string, number>();
  for await (const record of previousRecords(output, trackers)) {
    if (sink.write(record)) carried.set(record._tracker_name, (carried.get(record._tracker_name) ?? 0) + 1);
  }
  return carried;
}
