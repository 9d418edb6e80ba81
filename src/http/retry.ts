// Retry and rate-limit policy: pure decisions about one HTTP answer (which statuses to retry,
// how long to wait, when a host must pause). The fetcher applies them.

export const RETRIABLE_STATUSES: readonly number[] = [408, 429, 500, 502, 503, 504];

/** GitHub's secondary limit has no reset header; wait at least this long (trackers.md §5). */
export const SECONDARY_LIMIT_MIN_WAIT_MS = 60_000;

export interface RetryPolicy {
  /** Retries after the first try (so `retries + 1` tries in all). */
  readonly retries: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { retries: 4, baseDelayMs: 1000, maxDelayMs: 60_000 };

/** Exponential backoff with jitter: attempt 1 waits ~base, attempt 2 ~2×base… never above max. */
export function backoffDelay(attempt: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/** `Retry-After` as seconds or an HTTP date, in ms from `now`; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/**
 * When a rate-limit header says nothing is left, the moment (ms epoch) the host may be asked again.
 * GitHub and Gitea: `x-ratelimit-remaining: 0`, `x-ratelimit-reset: 1700000000` (epoch seconds).
 * GitLab: `ratelimit-remaining` / `ratelimit-reset` (epoch seconds). The IETF draft's
 * `ratelimit-reset` is a number of seconds from now, told apart by its size.
 */
export function rateLimitResetAt(headers: Readonly<Record<string, string>>, now: number): number | undefined {
  const remaining = headers['x-ratelimit-remaining'] ?? headers['ratelimit-remaining'];
  const reset = headers['x-ratelimit-reset'] ?? headers['ratelimit-reset'];
  if (remaining === undefined || reset === undefined) return undefined;
  if (Number(remaining.trim()) !== 0) return undefined;
  const value = Number(reset.trim());
  if (!Number.isFinite(value) || value < 0) return undefined;
  const at = value > 1_000_000_000 ? value * 1000 : now + value * 1000;
  return Math.max(now, at);
}

export type AnswerVerdict =
  | { readonly action: 'accept' }
  | { readonly action: 'retry'; readonly waitMs: number; readonly reason: string; readonly rateLimited: boolean };

/**
 * What to do with an answer on try `attempt` (1-based). Rate-limit waits come from the server's
 * own headers; other retriable statuses back off exponentially unless `Retry-After` says more.
 */
export function judgeAnswer(
  status: number,
  headers: Readonly<Record<string, string>>,
  body: string,
  attempt: number,
  policy: RetryPolicy,
  now: number,
  random: () => number = Math.random,
): AnswerVerdict {
  const retryAfter = parseRetryAfter(headers['retry-after'], now);
  const resetAt = rateLimitResetAt(headers, now);
  if (status === 403 || status === 429) {
    if (resetAt !== undefined) {
      return { action: 'retry', waitMs: resetAt - now + 1000, reason: `${status} rate limit exhausted`, rateLimited: true };
    }
    if (retryAfter !== undefined) {
      return { action: 'retry', waitMs: retryAfter, reason: `${status} Retry-After ${Math.round(retryAfter / 1000)}s`, rateLimited: true };
    }
    if (status === 403 && /rate limit/i.test(body)) {
      const wait = Math.max(SECONDARY_LIMIT_MIN_WAIT_MS, backoffDelay(attempt, policy, random));
      return { action: 'retry', waitMs: wait, reason: '403 secondary rate limit', rateLimited: true };
    }
  }
  if (!RETRIABLE_STATUSES.includes(status)) return { action: 'accept' };
  if (attempt > policy.retries) return { action: 'accept' };
  const waitMs = retryAfter ?? backoffDelay(attempt, policy, random);
  return { action: 'retry', waitMs, reason: `HTTP ${status}`, rateLimited: false };
}
