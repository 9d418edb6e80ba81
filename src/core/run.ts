// The engine: plan → fetch → parse → sink for every tracker at once, one failure isolated to its
// tracker, everything reported as RunEvents. The only place where adapters meet I/O.

import type { CacheMode } from '../http/cache-policy.ts';
import { CacheStore } from '../http/cache-store.ts';
import { redactUrl } from '../http/fingerprint.ts';
import type { RetryPolicy } from '../http/retry.ts';
import type { TransportOptions } from '../http/transport.ts';
import { HttpTransport } from '../http/transport.ts';
import type { RunState, TrackerState } from '../report/state.ts';
import { INITIAL_STATE, reduce, statsOf } from '../report/state.ts';
import type { RecordSink } from '../sinks/jsonl.ts';
import { AbortedError, CustomsError, FetchError, errorMessage } from './errors.ts';
import type { RunEvent, TrackerStats } from './events.ts';
import { Fetcher } from './fetcher.ts';
import { carryOver, loadMarks, previousLinks, saveMarks, sinceFor } from './incremental.ts';
import type { SchedulerLimits } from './scheduler.ts';
import { Scheduler } from './scheduler.ts';
import type { AdapterContext, FetchedResponse, RequestSpec, TrackerAdapter, TrackerEntry } from './types.ts';

/** One tracker to import; `configErrors` non-empty means it fails without a request. */
export interface RunTracker {
  readonly entry: TrackerEntry;
  readonly adapter: TrackerAdapter | undefined;
  readonly configErrors: readonly string[];
}

export interface ImportOptions {
  readonly trackers: readonly RunTracker[];
  readonly sink: RecordSink;
  readonly limits: SchedulerLimits;
  readonly retry: RetryPolicy;
  readonly transport: TransportOptions;
  readonly cacheMode: CacheMode;
  readonly cacheDir: string;
  readonly extendedScrape: boolean;
  /** The environment secrets are read from (adapters choose; the engine never logs them). */
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly signal: AbortSignal;
  readonly emit: (event: RunEvent) => void;
  /** Shown in run-done. */
  readonly outputLabel?: string;
  /** Incremental runs: where the marks live and the output they describe (absent: always full). */
  readonly incremental?: { readonly marksPath: string; readonly output: string; readonly full: boolean };
  readonly clock?: () => number;
  readonly random?: () => number;
}

export interface ImportResult {
  readonly exitCode: 0 | 1 | 130;
  readonly state: RunState;
}

export async function runImport(options: ImportOptions): Promise<ImportResult> {
  const clock = options.clock ?? Date.now;
  let state = INITIAL_STATE;
  const emit = (event: RunEvent): void => {
    state = reduce(state, event);
    options.emit(event);
  };
  const at = (): string => new Date(clock()).toISOString();

  const cache = options.cacheMode === 'off' ? undefined : CacheStore.open(options.cacheDir);
  const transport = new HttpTransport(options.transport);
  const scheduler = new Scheduler(options.limits, clock);
  const fetcher = new Fetcher({ transport, scheduler, cache, mode: options.cacheMode, retry: options.retry, emit, clock, random: options.random });

  emit({
    type: 'run-start',
    at: at(),
    trackers: options.trackers.map((t) => ({ name: t.entry.tracker_name, type: t.adapter?.type ?? String(t.entry.bugimporter) })),
  });
  for (const warning of cache?.warnings ?? []) emit({ type: 'warning', at: at(), message: warning });

  let lastStamp = 0;
  /** Record time never goes backwards within a run (trackers.md §1.7, last_polled). */
  const now = (): Date => {
    lastStamp = Math.max(lastStamp, clock());
    return new Date(lastStamp);
  };

  const incremental = options.incremental;
  const offline = options.cacheMode === 'offline';
  // Offline replays answer from the cache as it is: always full, and they move no mark.
  const previousMarks = incremental && !offline ? loadMarks(incremental.marksPath, incremental.output) : undefined;
  const marks = incremental?.full ? undefined : previousMarks;
  const sinceOf = (t: RunTracker): Date | undefined => (t.adapter?.incremental ? sinceFor(marks, t.entry) : undefined);
  const incrementalNames = new Set(options.trackers.filter((t) => sinceOf(t) !== undefined).map((t) => t.entry.tracker_name));
  const updatable = incremental ? await previousLinks(incremental.output, incrementalNames) : new Set<string>();

  const results = await Promise.all(
    options.trackers.map((tracker) =>
      runTracker(tracker, { options, fetcher, emit, at, now, stateOf: (name) => state.trackers[name], since: sinceOf(tracker), updatable }),
    ),
  );
  const interrupted = options.signal.aborted;
  // When every tracker failed there is nothing new to say: the previous output stays as it was.
  const keepPrevious = interrupted || !results.some((r) => r.ok);
  try {
    if (keepPrevious) {
      options.sink.abort();
    } else {
      if (incremental) {
        // Bugs unchanged since the mark, and every bug of a failed tracker, keep their last record.
        const carry = new Set(results.filter((r) => !r.ok || r.since !== undefined).map((r) => r.name));
        const carried = await carryOver(incremental.output, carry, options.sink);
        for (const r of results) {
          const n = carried.get(r.name) ?? 0;
          if (!r.ok && n > 0) emit({ type: 'warning', at: at(), tracker: r.name, message: `kept its ${n} records of the previous run` });
        }
      }
      options.sink.commit();
      if (incremental && !offline) {
        saveMarks(incremental.marksPath, incremental.output, previousMarks, results.filter((r) => r.ok).map((r) => ({ entry: r.entry, started: r.started })));
      }
    }
  } finally {
    cache?.close();
    await transport.close();
  }
  const exitCode = interrupted ? 130 : results.every((r) => r.ok) ? 0 : 1;
  emit({
    type: 'run-done',
    at: at(),
    exitCode,
    interrupted,
    ...(keepPrevious ? {} : { output: options.outputLabel, records: options.sink.written }),
  });
  return { exitCode, state };
}

interface TrackerRunDeps {
  readonly options: ImportOptions;
  readonly fetcher: Fetcher;
  readonly emit: (event: RunEvent) => void;
  readonly at: () => string;
  readonly now: () => Date;
  readonly stateOf: (tracker: string) => TrackerState | undefined;
  /** The incremental window of this tracker, when it has a valid mark. */
  readonly since: Date | undefined;
  /** Links of the previous output that `updates` records may replace. */
  readonly updatable: ReadonlySet<string>;
}

interface TrackerOutcome {
  readonly name: string;
  readonly entry: TrackerEntry;
  readonly ok: boolean;
  /** When the tracker started: its next mark, if it succeeded. */
  readonly started: string;
  readonly since: Date | undefined;
}

/** Runs one tracker to the end. Never throws. */
async function runTracker(tracker: RunTracker, deps: TrackerRunDeps): Promise<TrackerOutcome> {
  const { options, fetcher, emit, at, since } = deps;
  const name = tracker.entry.tracker_name;
  const started = at();
  emit({ type: 'tracker-start', at: started, tracker: name, ...(since ? { since: since.toISOString() } : {}) });
  const outcome = (ok: boolean): TrackerOutcome => ({ name, entry: tracker.entry, ok, started, since });

  const fail = (kind: string, message: string): TrackerOutcome => {
    emit({ type: 'tracker-error', at: at(), tracker: name, kind, message });
    const doneAt = at();
    emit({ type: 'tracker-done', at: doneAt, tracker: name, status: 'failed', error: message, stats: statsOf(undefined, doneAt) });
    return outcome(false);
  };
  const adapter = tracker.adapter;
  if (tracker.configErrors.length > 0 || !adapter) {
    return fail('config', `configuration: ${tracker.configErrors.join('; ') || 'unknown tracker type'}`);
  }

  const tokenEnv = tracker.entry.token_env;
  if (typeof tokenEnv === 'string' && tokenEnv !== '' && !options.env[tokenEnv]) {
    emit({ type: 'warning', at: at(), tracker: name, message: `token_env names ${tokenEnv}, which is not set: requests go without a token` });
  }

  const controller = new AbortController();
  const onAbort = (): void => controller.abort();
  options.signal.addEventListener('abort', onAbort, { once: true });
  let failure: unknown;
  let bugs = 0;
  const seen = new Set<string>();
  const warned = new Set<string>();
  const pending = new Set<Promise<void>>();

  const context = (): AdapterContext => ({ entry: tracker.entry, now: deps.now(), extendedScrape: options.extendedScrape, ...(since ? { since } : {}) });
  const credentialsFor = (url: string) => adapter.credentials?.(tracker.entry, url, options.env);

  const process = async (req: RequestSpec): Promise<void> => {
    const handler = adapter.handlers[req.kind];
    if (!handler) throw new CustomsError('parse', `adapter ${adapter.type} has no handler for "${req.kind}" requests`);
    let response: FetchedResponse;
    try {
      response = (await fetcher.fetch(req, credentialsFor(req.url), name, controller.signal)).response;
      const ok = response.status >= 200 && response.status < 300;
      if (!ok && !(req.acceptStatus ?? []).includes(response.status)) {
        throw new FetchError(`HTTP ${response.status} from ${redactUrl(req.url)}`, req.url, false, response.status);
      }
    } catch (err) {
      if (!req.optional || err instanceof AbortedError || controller.signal.aborted) throw err;
      const failure = describeFailure(err);
      emit({ type: 'warning', at: at(), tracker: name, message: `could do without ${redactUrl(req.url)}: ${failure}` });
      response = { url: req.url, status: err instanceof FetchError ? (err.status ?? 0) : 0, headers: {}, body: '', failure };
    }
    const result = handler(response, req, context());
    for (const warning of result.warnings ?? []) {
      // The same sentence twice (a zone abbreviation on every bug…) is said once per tracker.
      if (warned.has(warning)) continue;
      warned.add(warning);
      emit({ type: 'warning', at: at(), tracker: name, message: warning });
    }
    let written = 0;
    for (const record of result.bugs ?? []) if (options.sink.write(record)) written++;
    for (const record of result.updates ?? []) {
      if (deps.updatable.has(record.canonical_bug_link) && options.sink.write(record)) written++;
    }
    if (written > 0) {
      bugs += written;
      emit({ type: 'bugs', at: at(), tracker: name, count: written });
    }
    for (const next of result.requests ?? []) submit(next);
  };

  const submit = (req: RequestSpec): void => {
    if (failure !== undefined || controller.signal.aborted) return;
    const key = `${req.kind}\n${fetcher.keyOf(req, credentialsFor(req.url))}\n${JSON.stringify(req.meta ?? null)}`;
    if (seen.has(key)) {
      emit({ type: 'warning', at: at(), tracker: name, message: `request repeated, not followed again (pagination loop?): ${redactUrl(req.url)}` });
      return;
    }
    seen.add(key);
    const task = process(req)
      .catch((err: unknown) => {
        if (failure === undefined) {
          failure = err;
          controller.abort();
        }
      })
      .finally(() => pending.delete(task));
    pending.add(task);
  };

  try {
    for (const req of adapter.plan(context())) submit(req);
  } catch (err) {
    failure = err;
  }
  while (pending.size > 0) await Promise.all([...pending]);
  options.signal.removeEventListener('abort', onAbort);

  const doneAt = at();
  if (failure !== undefined || options.signal.aborted) {
    const message = options.signal.aborted ? 'interrupted' : describeFailure(failure);
    const kind = options.signal.aborted ? 'aborted' : failure instanceof CustomsError ? failure.kind : 'internal';
    emit({ type: 'tracker-error', at: doneAt, tracker: name, kind, message });
    emit({ type: 'tracker-done', at: doneAt, tracker: name, status: 'failed', error: message, stats: { ...statsAt(deps, name, doneAt), bugs } });
    return outcome(false);
  }
  emit({ type: 'tracker-done', at: doneAt, tracker: name, status: 'ok', stats: { ...statsAt(deps, name, doneAt), bugs } });
  return outcome(true);
}

function statsAt(deps: TrackerRunDeps, name: string, at: string): TrackerStats {
  return statsOf(deps.stateOf(name), at);
}

function describeFailure(err: unknown): string {
  if (err instanceof AbortedError) return 'interrupted';
  if (err instanceof FetchError) {
    const where = redactUrl(err.url);
    return err.message.includes(where) ? err.message : `${err.message} (${where})`;
  }
  if (err instanceof CustomsError) return err.message;
  return `internal error: ${errorMessage(err)}`;
}
