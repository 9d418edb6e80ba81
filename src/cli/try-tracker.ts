// "Try it" for the editor: one page of a tracker's first query through the real engine (cache,
// politeness, retries, credentials from the environment), before the entry is saved. The entry is
// cut down to its first query; the list's next pages are not followed, and the follow-ups a page
// needs to make its records (Trac's ticket pages, Launchpad's bug details…) stop at a small budget.
// Also where the editor finds the data folder, cache and report of a tracker file.

import { dirname, isAbsolute, join, resolve } from 'node:path';
import type { RunSettings } from '../config/load.ts';
import { errorMessage } from '../core/errors.ts';
import type { RunEvent } from '../core/events.ts';
import type { BugRecord, Handler, RequestSpec, TrackerAdapter, TrackerEntry } from '../core/types.ts';
import { redactUrl } from '../http/fingerprint.ts';
import type { RecordSink } from '../sinks/jsonl.ts';
import { USER_AGENT } from '../version.ts';

/** Where `customs run FILE` (without options) keeps its output, cache and report. */
export interface DataPaths {
  readonly dataDir: string;
  readonly cacheDir: string;
  readonly report: string;
}

/** The default data folder (contract.md; the same as DEFAULTS.dataDir of run.ts, which a test checks). */
export const DEFAULT_DATA_DIR = 'customs-data';

/** Paths in `settings:` are relative to the file; the default data folder to the working directory (as in run.ts). */
export function dataPathsFor(file: string, settings: RunSettings): DataPaths {
  const fromFile = (path: string | undefined): string | undefined => (path === undefined ? undefined : isAbsolute(path) ? path : join(dirname(resolve(file)), path));
  const dataDir = fromFile(settings.data_dir) ?? DEFAULT_DATA_DIR;
  const cacheDir = fromFile(settings.cache_dir) ?? join(dataDir, 'cache');
  return { dataDir, cacheDir, report: join(dataDir, 'report.json') };
}

export interface TryOptions {
  /** The HTTP cache to use (the tracker file's own, so a later run profits). */
  readonly cacheDir: string;
  /** Where secrets come from (the process environment in the TUI). */
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly signal?: AbortSignal;
  /** Per request. Default 20 s. */
  readonly timeoutMs?: number;
  /** Most requests made in all. Default 60. */
  readonly maxRequests?: number;
  /** Most follow-ups one answer may start (records completed from a list page). Default 8. */
  readonly fanOut?: number;
  /** How many titles to return. Default 5. */
  readonly titles?: number;
  readonly settings?: RunSettings;
  /** Dial these origins elsewhere (the demo's fixed public names). */
  readonly originOverrides?: Readonly<Record<string, string>>;
}

export interface TryResult {
  readonly ok: boolean;
  /** The first request's URL, secrets removed; absent when the entry plans no request. */
  readonly url?: string;
  /** Records the page gave (refreshed or deleted known bugs included). */
  readonly bugs: number;
  /** The first few titles, in the order they came. */
  readonly titles: readonly string[];
  readonly requests: number;
  /** The first page links to more pages (a full run reads them). */
  readonly morePages: boolean;
  /** Follow-up requests left out because the budget was spent (a full run makes them). */
  readonly skipped: number;
  readonly warnings: readonly string[];
  /** Why it failed, as the run would say it. */
  readonly error?: string;
  readonly seconds: number;
}

/** Keys that plan requests besides the queries: left out so that the first request is the first query. */
const EXTRA_REQUEST_KEYS = ['existing_bug_urls', 'get_older_bug_data'];

/** The entry cut down to its first query (when it has queries and still plans a request without the rest). */
export function firstQueryEntry(entry: TrackerEntry, adapter: TrackerAdapter, now: Date = new Date()): TrackerEntry {
  const trimmed: Record<string, unknown> = { ...entry };
  for (const key of EXTRA_REQUEST_KEYS) delete trimmed[key];
  if (Array.isArray(entry.queries) && entry.queries.length > 1) trimmed.queries = entry.queries.slice(0, 1);
  const candidate = trimmed as TrackerEntry;
  try {
    if (adapter.plan({ entry: candidate, now, extendedScrape: false }).length > 0) return candidate;
  } catch {
    // The adapter could not plan the cut-down entry: try the entry as it is.
  }
  return entry;
}

/** Keeps records in memory: the count and the first titles. Nothing is written anywhere. */
class TrySink implements RecordSink {
  private readonly links = new Set<string>();
  readonly titles: string[] = [];
  written = 0;

  constructor(private readonly keep: number) {}

  write(record: BugRecord): boolean {
    if (this.links.has(record.canonical_bug_link)) return false;
    this.links.add(record.canonical_bug_link);
    this.written++;
    if (this.titles.length < this.keep) {
      this.titles.push('title' in record ? record.title : `(gone) ${record.canonical_bug_link}`);
    }
    return true;
  }

  commit(): void {}
  abort(): void {}
}

/**
 * Fetch one page of the tracker's first query and report what it gave. `entry` is a validated
 * entry (LoadedEntry.entry) and `adapter` its type. Never throws: failures come back as `error`.
 */
export async function tryTracker(entry: TrackerEntry, adapter: TrackerAdapter, options: TryOptions): Promise<TryResult> {
  const started = Date.now();
  const budget = options.maxRequests ?? 60;
  const fanOut = options.fanOut ?? 8;
  const sink = new TrySink(options.titles ?? 5);
  const events: RunEvent[] = [];
  let planned = 0;
  let morePages = false;
  let skipped = 0;
  let firstUrl: string | undefined;

  const trimmed = firstQueryEntry(entry, adapter);
  // Depth of each request: 0 for the planned one. A follow-up of its parent's kind is the next
  // page: not followed. Other follow-ups complete records: each answer may start `fanOut` of them
  // (so that a few records finish rather than many half-way), all of them together `budget`.
  const depth = new WeakMap<RequestSpec, number>();
  const limit = (requests: readonly RequestSpec[] | undefined, parent: RequestSpec): RequestSpec[] => {
    const kept: RequestSpec[] = [];
    const level = (depth.get(parent) ?? 0) + 1;
    for (const next of requests ?? []) {
      if (next.kind === parent.kind) {
        if (level <= 2) morePages = true;
      } else if (kept.length >= fanOut || planned >= budget) skipped++;
      else {
        planned++;
        depth.set(next, level);
        kept.push(next);
      }
    }
    return kept;
  };
  const handlers: Record<string, Handler<TrackerEntry>> = {};
  for (const [kind, handler] of Object.entries(adapter.handlers)) {
    handlers[kind] = (res, req, ctx) => {
      const result = handler(res, req, ctx);
      return { ...result, requests: limit(result.requests, req) };
    };
  }
  const limited: TrackerAdapter = {
    ...adapter,
    check: (e) => adapter.check(e),
    plan: (ctx) => {
      const first = adapter.plan(ctx)[0];
      if (!first) return [];
      depth.set(first, 0);
      firstUrl = redactUrl(first.url);
      planned = 1;
      return [first];
    },
    handlers,
    ...(adapter.credentials ? { credentials: (e, url, env) => adapter.credentials?.(e, url, env) } : {}),
  };

  const settings = options.settings ?? {};
  const timeoutMs = options.timeoutMs ?? 20_000;
  const perHost = Math.min(settings.per_host ?? 2, 4);
  const controller = new AbortController();
  const onAbort = (): void => controller.abort();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  if (options.signal?.aborted) controller.abort();
  try {
    // The engine (and undici) load only when something is tried, not when the editor opens.
    const { runImport } = await import('../core/run.ts');
    const result = await runImport({
      trackers: [{ entry: trimmed, adapter: limited, configErrors: [] }],
      sink,
      limits: { concurrency: 4, perHost, delayMs: settings.delay_ms ?? 0 },
      retry: { retries: 1, baseDelayMs: 500, maxDelayMs: 5_000 },
      transport: {
        userAgent: `${USER_AGENT}${settings.user_agent_contact ? ` ${settings.user_agent_contact}` : ''}`,
        connectionsPerHost: perHost,
        connectTimeoutMs: Math.min(timeoutMs, 15_000),
        headersTimeoutMs: timeoutMs,
        bodyTimeoutMs: timeoutMs,
        maxBodyBytes: Math.round((settings.max_body_mb ?? 50) * 1_000_000),
        maxRedirects: 5,
        ...(options.originOverrides ? { originOverrides: options.originOverrides } : {}),
      },
      cacheMode: 'normal',
      cacheDir: options.cacheDir,
      extendedScrape: false,
      env: options.env,
      signal: controller.signal,
      emit: (event) => events.push(event),
    });
    const tracker = result.state.trackers[trimmed.tracker_name];
    const warnings = events.flatMap((e) => (e.type === 'warning' && e.tracker !== undefined ? [e.message] : []));
    const failure = events.find((e) => e.type === 'tracker-error');
    const error = failure?.type === 'tracker-error' ? failure.message : firstUrl === undefined ? 'the entry plans no request: give it a query' : undefined;
    return {
      ok: error === undefined,
      ...(firstUrl !== undefined ? { url: firstUrl } : {}),
      bugs: sink.written,
      titles: sink.titles,
      requests: tracker?.requests ?? 0,
      morePages,
      skipped,
      warnings,
      ...(error !== undefined ? { error } : {}),
      seconds: (Date.now() - started) / 1000,
    };
  } catch (err) {
    return { ok: false, bugs: sink.written, titles: sink.titles, requests: 0, morePages, skipped, warnings: [], error: errorMessage(err), seconds: (Date.now() - started) / 1000 };
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
  }
}
