// What the fake-tracker tests share: a `start` that stops every fake it started after each test, a
// JSON GET, and an import of a tracker entry through the real engine into a folder that keeps its
// cache (and marks) between runs, so that a second run revalidates.

import { afterEach } from 'bun:test';
import { join } from 'node:path';
import type { RunEvent } from '../../src/core/events.ts';
import { runImport } from '../../src/core/run.ts';
import type { TrackerAdapter, TrackerEntry } from '../../src/core/types.ts';
import { JsonlFileSink } from '../../src/sinks/jsonl.ts';
import { readJsonl } from './cli.ts';

export type Json = Record<string, unknown>;

/** `startFake`, with every server it starts stopped after each test of the calling file. */
export function stoppedAfterEach<A extends unknown[], F extends { stop(): Promise<void> }>(startFake: (...args: A) => F): (...args: A) => F {
  const running: F[] = [];
  afterEach(async () => {
    await Promise.all(running.splice(0).map((fake) => fake.stop()));
  });
  return (...args) => {
    const fake = startFake(...args);
    running.push(fake);
    return fake;
  };
}

/** A GET asking for JSON; a body that is not a JSON object comes back as `{ text }`. */
export async function getJson(url: string, headers: Record<string, string> = {}): Promise<{ res: Response; body: Json }> {
  const res = await fetch(url, { headers: { accept: 'application/json', ...headers } });
  const text = await res.text();
  return { res, body: text.startsWith('{') ? (JSON.parse(text) as Json) : { text } };
}

export interface EngineRun {
  readonly exitCode: number;
  readonly events: RunEvent[];
  /** What the output file holds after the run. */
  readonly records: Json[];
}

export interface EngineRunOptions {
  /** Where secrets are read from (default: nothing). */
  readonly env?: Readonly<Record<string, string>>;
  /** The output file's name in the folder (default `bugs.jsonl`). */
  readonly output?: string;
  /** Incremental, with its marks in the folder, instead of a full run every time. */
  readonly incremental?: boolean;
}

/** One import of `tracker` through the real engine into `dir`, whose cache is kept between runs. */
export async function importEntry(tracker: { readonly entry: TrackerEntry; readonly adapter?: TrackerAdapter | undefined }, dir: string, options: EngineRunOptions = {}): Promise<EngineRun> {
  const output = join(dir, options.output ?? 'bugs.jsonl');
  const events: RunEvent[] = [];
  const result = await runImport({
    trackers: [{ entry: tracker.entry, adapter: tracker.adapter, configErrors: [] }],
    sink: new JsonlFileSink(output),
    limits: { concurrency: 8, perHost: 4, delayMs: 0 },
    retry: { retries: 1, baseDelayMs: 5, maxDelayMs: 20 },
    transport: { userAgent: 'customs/test', connectionsPerHost: 4, connectTimeoutMs: 2000, headersTimeoutMs: 5000, bodyTimeoutMs: 5000, maxBodyBytes: 10_000_000, maxRedirects: 5 },
    cacheMode: 'normal',
    cacheDir: join(dir, 'cache'),
    extendedScrape: false,
    env: options.env ?? {},
    signal: new AbortController().signal,
    emit: (e) => events.push(e),
    ...(options.incremental === true ? { incremental: { marksPath: join(dir, 'marks.json'), output, full: false } } : {}),
  });
  return { exitCode: result.exitCode, events, records: readJsonl(await Bun.file(output).text()) };
}
