// Adapter replay through the real engine: a Bun.serve on 127.0.0.1 answers from a table of
// routes (our own fixtures), runImport runs the adapter against it, and the records, events and
// requests come back for assertions. Used by every tracker's replay test.

import { join } from 'node:path';
import type { RunEvent } from '../../src/core/events.ts';
import type { ImportResult } from '../../src/core/run.ts';
import { runImport } from '../../src/core/run.ts';
import type { TrackerAdapter, TrackerEntry } from '../../src/core/types.ts';
import { JsonlFileSink } from '../../src/sinks/jsonl.ts';
import { readJsonl, tempDir } from './cli.ts';

/** One canned answer. `body` may be a string or bytes (for odd charsets). */
export interface Route {
  readonly status?: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body: string | Uint8Array;
}

/** Routes keyed by path+query as requested (`/show_bug.cgi?ctype=xml&id=1`), or a function. */
export type Routes = Readonly<Record<string, Route>> | ((url: URL) => Route | undefined);

export interface ReplayResult {
  readonly result: ImportResult;
  readonly events: readonly RunEvent[];
  readonly records: Record<string, unknown>[];
  /** Path+query of every request the server saw, in order. */
  readonly requests: readonly string[];
  readonly warnings: readonly string[];
  /** The server's origin, e.g. http://127.0.0.1:41234 (what `{origin}` in entries became). */
  readonly origin: string;
}

export interface ReplayOptions {
  readonly extendedScrape?: boolean;
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Reuse a data folder (and so its cache) between two replays. */
  readonly dir?: string;
}

/** Replaces `{origin}` in every string of the entry (deeply) with the server's origin. */
function withOrigin(value: unknown, origin: string): unknown {
  if (typeof value === 'string') return value.replaceAll('{origin}', origin);
  if (Array.isArray(value)) return value.map((v) => withOrigin(v, origin));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withOrigin(v, origin)]));
  return value;
}

export async function replay(adapter: TrackerAdapter, entries: TrackerEntry | readonly TrackerEntry[], routes: Routes, options: ReplayOptions = {}): Promise<ReplayResult> {
  const requests: string[] = [];
  const server = Bun.serve({
    hostname: '127.0.0.1',
    port: 0,
    fetch(req) {
      const url = new URL(req.url);
      const key = url.pathname + url.search;
      requests.push(key);
      const route = typeof routes === 'function' ? routes(url) : routes[key];
      if (!route) return new Response(`no fixture for ${key}`, { status: 404, headers: { 'content-type': 'text/plain' } });
      return new Response(route.body, { status: route.status ?? 200, headers: route.headers });
    },
  });
  const origin = server.url.origin;
  const dir = options.dir ?? tempDir('customs-replay-');
  const events: RunEvent[] = [];
  try {
    const list = (Array.isArray(entries) ? entries : [entries]) as TrackerEntry[];
    const result = await runImport({
      trackers: list.map((e) => ({ entry: withOrigin(e, origin) as TrackerEntry, adapter, configErrors: [] })),
      sink: new JsonlFileSink(join(dir, 'bugs.jsonl')),
      limits: { concurrency: 8, perHost: 4, delayMs: 0 },
      retry: { retries: 1, baseDelayMs: 5, maxDelayMs: 20 },
      transport: { userAgent: 'customs/test', connectionsPerHost: 4, connectTimeoutMs: 2000, headersTimeoutMs: 5000, bodyTimeoutMs: 5000, maxBodyBytes: 10_000_000, maxRedirects: 5 },
      cacheMode: 'normal',
      cacheDir: join(dir, 'cache'),
      extendedScrape: options.extendedScrape ?? false,
      env: options.env ?? {},
      signal: new AbortController().signal,
      emit: (e) => events.push(e),
    });
    const file = Bun.file(join(dir, 'bugs.jsonl'));
    const records = (await file.exists()) ? readJsonl(await file.text()) : [];
    const warnings = events.flatMap((e) => (e.type === 'warning' ? [e.message] : []));
    return { result, events, records, requests, warnings, origin };
  } finally {
    server.stop(true);
  }
}
