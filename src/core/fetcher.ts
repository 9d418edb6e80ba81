// The fetch stage: one RequestSpec → one FetchedResponse, through the in-run dedupe, the cache,
// the scheduler and the transport, with retries and rate-limit pauses. Emits request events.

import type { CacheMode } from '../http/cache-policy.ts';
import { decide, policyFor, revalidated, shouldStore } from '../http/cache-policy.ts';
import type { CacheStore, CachedResponse } from '../http/cache-store.ts';
import { decodeText } from '../http/decode.ts';
import { identityHash, redactUrl, requestFingerprint } from '../http/fingerprint.ts';
import type { RetryPolicy } from '../http/retry.ts';
import { backoffDelay, judgeAnswer, rateLimitResetAt } from '../http/retry.ts';
import type { HttpTransport, RawResponse } from '../http/transport.ts';
import { AbortedError, FetchError, OfflineMissError } from './errors.ts';
import type { RequestSource, RunEvent } from './events.ts';
import type { Scheduler } from './scheduler.ts';
import { sleep } from './scheduler.ts';
import type { Credentials, FetchedResponse, RequestSpec } from './types.ts';

export interface FetchOutcome {
  readonly response: FetchedResponse;
  readonly source: RequestSource;
  readonly bytes: number;
  readonly retries: number;
}

export interface FetcherDeps {
  readonly transport: HttpTransport;
  readonly scheduler: Scheduler;
  readonly cache: CacheStore | undefined;
  readonly mode: CacheMode;
  readonly retry: RetryPolicy;
  readonly emit: (event: RunEvent) => void;
  readonly clock: () => number;
  readonly random?: () => number;
}

/** Most rate-limit pauses one request may sit through before its tracker is failed. */
const MAX_RATE_LIMIT_WAITS = 5;

export class Fetcher {
  /** Requests on the wire: a second asker for the same fingerprint waits for the same answer. */
  private readonly inFlight = new Map<string, Promise<FetchOutcome>>();
  /**
   * Fingerprints answered earlier in this run. Their bodies are not kept in memory (memory
   * stays flat however big the run); a later asker reads the answer back from the cache.
   */
  private readonly answered = new Set<string>();

  constructor(private readonly deps: FetcherDeps) {}

  /** The fingerprint the engine uses to recognise a repeated request. */
  keyOf(req: RequestSpec, credentials: Credentials | undefined): string {
    return requestFingerprint(req.url, req.headers ?? {}, identityOf(credentials));
  }

  fetch(req: RequestSpec, credentials: Credentials | undefined, tracker: string, signal: AbortSignal): Promise<FetchOutcome> {
    const key = this.keyOf(req, credentials);
    const pending = this.inFlight.get(key);
    if (pending) {
      // Shared: report it as a cache answer for this tracker, without counting bytes twice.
      return pending.then((outcome) => ({ ...outcome, source: 'cache' as const, bytes: 0, retries: 0 }));
    }
    const stored = this.answered.has(key) ? this.deps.cache?.get(key) : undefined;
    if (stored) {
      const outcome: FetchOutcome = { response: fromStored(stored), source: 'cache', bytes: 0, retries: 0 };
      this.done(tracker, req.url, outcome, this.deps.clock());
      return Promise.resolve(outcome);
    }
    const started = this.fetchOnce(key, req, credentials, tracker, signal);
    this.inFlight.set(key, started);
    started.then(
      () => {
        this.inFlight.delete(key);
        this.answered.add(key);
      },
      // A failed or aborted fetch may be tried again by another tracker later in the run.
      () => this.inFlight.delete(key),
    );
    return started;
  }

  private async fetchOnce(
    key: string,
    req: RequestSpec,
    credentials: Credentials | undefined,
    tracker: string,
    signal: AbortSignal,
  ): Promise<FetchOutcome> {
    const { cache, mode, clock } = this.deps;
    const baseHeaders = { ...(req.headers ?? {}) };
    const started = clock();
    const stored = mode === 'off' ? undefined : cache?.get(key);
    const decision = decide(mode, stored, baseHeaders, started);
    if (decision.action === 'miss-offline') throw new OfflineMissError(redactUrl(req.url));
    if (decision.action === 'use' && stored) {
      const outcome = { response: fromStored(stored), source: 'cache' as const, bytes: 0, retries: 0 };
      this.done(tracker, req.url, outcome, started);
      return outcome;
    }
    const conditional = decision.action === 'revalidate' ? decision.headers : {};
    const sendHeaders = { ...baseHeaders, ...conditional, ...(credentials?.headers ?? {}) };
    const { raw, retries } = await this.send(req.url, sendHeaders, tracker, signal);
    const now = clock();
    if (raw.status === 304 && stored) {
      const fresh = revalidated(stored, baseHeaders, raw.headers, now);
      cache?.touch(key, fresh.headers, now, fresh.policy);
      const outcome = { response: { ...fromStored(stored), headers: fresh.headers }, source: 'revalidated' as const, bytes: raw.wireBytes, retries };
      this.done(tracker, req.url, outcome, started);
      return outcome;
    }
    if (raw.status === 304) {
      throw new FetchError('server answered 304 Not Modified to an unconditional request', req.url, false, 304);
    }
    if (cache && mode !== 'off' && shouldStore(raw.status, baseHeaders, raw.headers)) {
      cache.put({
        key,
        url: redactUrl(req.url),
        status: raw.status,
        headers: raw.headers,
        body: raw.body,
        storedAt: now,
        policy: policyFor(req.url, baseHeaders, raw.status, raw.headers, now),
      });
    }
    const response: FetchedResponse = { url: raw.url, status: raw.status, headers: raw.headers, body: decodeText(raw.body, raw.headers['content-type']) };
    const outcome = { response, source: 'network' as const, bytes: raw.wireBytes, retries };
    this.done(tracker, req.url, outcome, started);
    return outcome;
  }

  /** Sends with retries; pauses the host when a rate limit says so. */
  private async send(
    url: string,
    headers: Record<string, string>,
    tracker: string,
    signal: AbortSignal,
  ): Promise<{ raw: RawResponse; retries: number }> {
    const { transport, scheduler, retry, clock, emit } = this.deps;
    const host = new URL(url).host;
    let retries = 0;
    let rateLimitWaits = 0;
    for (let attempt = 1; ; attempt++) {
      let raw: RawResponse;
      try {
        raw = await scheduler.run(host, signal, () => transport.get(url, headers, signal));
      } catch (err) {
        if (err instanceof AbortedError || signal.aborted) throw new AbortedError();
        if (!(err instanceof FetchError) || !err.retriable || attempt > retry.retries) throw err;
        const waitMs = backoffDelay(attempt, retry, this.deps.random);
        retries++;
        emit({ type: 'request-retry', at: iso(clock()), tracker, url: redactUrl(url), attempt, reason: err.message, delayMs: waitMs });
        await sleep(waitMs, signal);
        continue;
      }
      const now = clock();
      const resetAt = rateLimitResetAt(raw.headers, now);
      if (resetAt !== undefined && resetAt > now && raw.status < 400) {
        // The quota is spent: nobody asks this host again before the reset.
        if (scheduler.pausedUntil(host) < resetAt) {
          scheduler.pauseHost(host, resetAt);
          emit({ type: 'rate-limited', at: iso(now), tracker, host, until: iso(resetAt), reason: 'x-ratelimit-remaining is 0' });
        }
      }
      const verdict = judgeAnswer(raw.status, raw.headers, raw.status >= 400 ? new TextDecoder().decode(raw.body.subarray(0, 4096)) : '', attempt, retry, now, this.deps.random);
      if (verdict.action === 'accept') return { raw, retries };
      if (verdict.rateLimited) {
        rateLimitWaits++;
        if (rateLimitWaits > MAX_RATE_LIMIT_WAITS) {
          throw new FetchError(`still rate limited after ${MAX_RATE_LIMIT_WAITS} waits`, url, false, raw.status);
        }
        attempt--; // a rate-limit wait is not a failed try
        const until = now + verdict.waitMs;
        if (scheduler.pausedUntil(host) < until) {
          scheduler.pauseHost(host, until);
          emit({ type: 'rate-limited', at: iso(now), tracker, host, until: iso(until), reason: verdict.reason });
        }
      } else {
        emit({ type: 'request-retry', at: iso(now), tracker, url: redactUrl(url), attempt, reason: verdict.reason, delayMs: verdict.waitMs });
        await sleep(verdict.waitMs, signal);
      }
      retries++;
    }
  }

  private done(tracker: string, url: string, outcome: FetchOutcome, started: number): void {
    const now = this.deps.clock();
    this.deps.emit({
      type: 'request-done',
      at: iso(now),
      tracker,
      url: redactUrl(url),
      status: outcome.response.status,
      source: outcome.source,
      bytes: outcome.bytes,
      ms: now - started,
    });
  }
}

function identityOf(credentials: Credentials | undefined): string {
  if (!credentials) return identityHash(undefined);
  const secret = Object.entries(credentials.headers)
    .map(([k, v]) => `${k.toLowerCase()}:${v}`)
    .sort()
    .join('\n');
  return identityHash(secret);
}

function fromStored(stored: CachedResponse): FetchedResponse {
  return { url: stored.url, status: stored.status, headers: stored.headers, body: decodeText(stored.body, stored.headers['content-type']) };
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
