// Retry policy: which answers are retried, backoff growth, Retry-After and rate-limit headers.
import { describe, expect, test } from 'bun:test';
import { backoffDelay, judgeAnswer, parseRetryAfter, rateLimitResetAt } from '../../src/http/retry.ts';

const policy = { retries: 3, baseDelayMs: 100, maxDelayMs: 1000 };
const NOW = Date.parse('2026-01-01T00:00:00Z');

describe('retry policy', () => {
  test('backoff doubles with jitter and stays under the ceiling', () => {
    expect(backoffDelay(1, policy, () => 0)).toBe(50);
    expect(backoffDelay(1, policy, () => 1)).toBe(100);
    expect(backoffDelay(2, policy, () => 1)).toBe(200);
    expect(backoffDelay(3, policy, () => 1)).toBe(400);
    expect(backoffDelay(10, policy, () => 1)).toBe(1000);
  });

  test('Retry-After in seconds or as an HTTP date', () => {
    expect(parseRetryAfter('3', NOW)).toBe(3000);
    expect(parseRetryAfter(new Date(NOW + 5000).toUTCString(), NOW)).toBe(5000);
    expect(parseRetryAfter('soon', NOW)).toBeUndefined();
    expect(parseRetryAfter(undefined, NOW)).toBeUndefined();
  });

  test('retriable statuses are retried until the retries run out', () => {
    for (const status of [408, 429, 500, 502, 503, 504]) {
      expect(judgeAnswer(status, {}, '', 1, policy, NOW, () => 1)).toMatchObject({ action: 'retry', waitMs: 100 });
      expect(judgeAnswer(status, {}, '', 4, policy, NOW).action).toBe('accept');
    }
    for (const status of [200, 304, 400, 401, 404, 410, 501]) expect(judgeAnswer(status, {}, '', 1, policy, NOW).action).toBe('accept');
  });

  test('Retry-After overrides the backoff', () => {
    expect(judgeAnswer(503, { 'retry-after': '2' }, '', 1, policy, NOW)).toMatchObject({ action: 'retry', waitMs: 2000, rateLimited: false });
    expect(judgeAnswer(429, { 'retry-after': '7' }, '', 9, policy, NOW)).toMatchObject({ action: 'retry', waitMs: 7000, rateLimited: true });
  });

  test('GitHub primary limit: 403 with remaining 0 waits until the reset', () => {
    const headers = { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String((NOW + 30_000) / 1000) };
    expect(rateLimitResetAt(headers, NOW)).toBe(NOW + 30_000);
    expect(judgeAnswer(403, headers, '{"message":"API rate limit exceeded"}', 1, policy, NOW)).toMatchObject({ action: 'retry', waitMs: 31_000, rateLimited: true });
  });

  test('GitHub secondary limit without Retry-After waits at least a minute', () => {
    const verdict = judgeAnswer(403, {}, '{"message":"You have exceeded a secondary rate limit"}', 1, policy, NOW);
    expect(verdict).toMatchObject({ action: 'retry', rateLimited: true });
    expect(verdict.action === 'retry' && verdict.waitMs).toBeGreaterThanOrEqual(60_000);
  });

  test('a plain 403 is not retried', () => {
    expect(judgeAnswer(403, {}, '{"message":"Must have admin rights"}', 1, policy, NOW).action).toBe('accept');
  });

  test('rate-limit headers: remaining above 0 means no pause; GitLab names and delta resets', () => {
    expect(rateLimitResetAt({ 'x-ratelimit-remaining': '4', 'x-ratelimit-reset': '1' }, NOW)).toBeUndefined();
    expect(rateLimitResetAt({ 'ratelimit-remaining': '0', 'ratelimit-reset': String(NOW / 1000 + 60) }, NOW)).toBe(NOW + 60_000);
    expect(rateLimitResetAt({ 'ratelimit-remaining': '0', 'ratelimit-reset': '30' }, NOW)).toBe(NOW + 30_000);
  });
});
