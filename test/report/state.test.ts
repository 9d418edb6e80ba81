// The pure reducer and the --ci text built from it.
import { describe, expect, test } from 'bun:test';
import type { RunEvent } from '../../src/core/events.ts';
import { ciLine, formatSummary, heartbeatLine } from '../../src/report/ci-text.ts';
import { INITIAL_STATE, reduce } from '../../src/report/state.ts';

const stats = { bugs: 0, requests: 0, cached: 0, revalidated: 0, retries: 0, bytes: 0, seconds: 0 };
const events: RunEvent[] = [
  { type: 'run-start', at: '2026-01-01T00:00:00.000Z', trackers: [{ name: 'Alpha', type: 'github' }, { name: 'Beta', type: 'github' }] },
  { type: 'tracker-start', at: '2026-01-01T00:00:00.000Z', tracker: 'Alpha' },
  { type: 'tracker-start', at: '2026-01-01T00:00:00.000Z', tracker: 'Beta' },
  { type: 'request-done', at: '2026-01-01T00:00:01.000Z', tracker: 'Alpha', url: 'u1', status: 200, source: 'network', bytes: 2048, ms: 5 },
  { type: 'request-done', at: '2026-01-01T00:00:01.000Z', tracker: 'Alpha', url: 'u2', status: 200, source: 'revalidated', bytes: 10, ms: 5 },
  { type: 'request-done', at: '2026-01-01T00:00:01.000Z', tracker: 'Alpha', url: 'u3', status: 200, source: 'cache', bytes: 0, ms: 0 },
  { type: 'request-retry', at: '2026-01-01T00:00:01.000Z', tracker: 'Beta', url: 'u4', attempt: 1, reason: 'HTTP 503', delayMs: 1000 },
  { type: 'rate-limited', at: '2026-01-01T00:00:01.000Z', tracker: 'Beta', host: 'api.github.com', until: '2026-01-01T00:10:00.000Z', reason: 'x-ratelimit-remaining is 0' },
  { type: 'bugs', at: '2026-01-01T00:00:02.000Z', tracker: 'Alpha', count: 120 },
  { type: 'warning', at: '2026-01-01T00:00:02.000Z', tracker: 'Alpha', message: 'issue 3 has no created_at' },
  { type: 'tracker-done', at: '2026-01-01T00:00:03.000Z', tracker: 'Alpha', status: 'ok', stats },
  { type: 'tracker-error', at: '2026-01-01T00:00:04.000Z', tracker: 'Beta', kind: 'fetch', message: 'HTTP 500 from u4' },
  { type: 'tracker-done', at: '2026-01-01T00:00:04.000Z', tracker: 'Beta', status: 'failed', error: 'HTTP 500 from u4', stats },
  { type: 'run-done', at: '2026-01-01T00:00:05.000Z', exitCode: 1, interrupted: false, output: 'out/bugs.jsonl' },
];

describe('reduce', () => {
  const final = events.reduce(reduce, INITIAL_STATE);

  test('counts requests by source, bytes, retries, bugs and warnings per tracker', () => {
    expect(final.trackers.Alpha).toMatchObject({ status: 'ok', requests: 3, cached: 1, revalidated: 1, bytes: 2058, bugs: 120, warnings: 1, seconds: 3 });
    expect(final.trackers.Beta).toMatchObject({ status: 'failed', retries: 1, error: 'HTTP 500 from u4', seconds: 4 });
    expect(final).toMatchObject({ exitCode: 1, interrupted: false, warnings: 1, order: ['Alpha', 'Beta'] });
  });

  test('a rate-limit pause is visible until the tracker finishes', () => {
    const paused = events.slice(0, 8).reduce(reduce, INITIAL_STATE);
    expect(paused.trackers.Beta?.pausedUntil).toBe('2026-01-01T00:10:00.000Z');
    expect(final.trackers.Beta?.pausedUntil).toBeUndefined();
  });

  test('is pure: the input state is not changed', () => {
    const before = events.slice(0, 3).reduce(reduce, INITIAL_STATE);
    const snapshot = JSON.stringify(before);
    reduce(before, events[3] as RunEvent);
    expect(JSON.stringify(before)).toBe(snapshot);
  });
});

describe('--ci text', () => {
  test('one line per start, finish, retry, pause and warning; none per request', () => {
    let state = INITIAL_STATE;
    const lines: string[] = [];
    for (const e of events.slice(0, -1)) {
      state = reduce(state, e);
      const line = ciLine(e, state);
      if (line !== undefined) lines.push(line);
    }
    expect(lines).toEqual([
      'customs: importing 2 trackers',
      '[start] Alpha (github)',
      '[start] Beta (github)',
      '[retry] Beta: try 2 in 1.0s after HTTP 503: u4',
      '[pause] api.github.com rate limited (x-ratelimit-remaining is 0); Beta waits until 00:10:00 UTC',
      '[warn]  Alpha: issue 3 has no created_at',
      '[done]  Alpha: 120 bugs, 3 requests (1 cached, 1 not modified), 3.0s',
      '[FAIL]  Beta: HTTP 500 from u4',
    ]);
  });

  test('the summary table lists every tracker, the failures and the total', () => {
    const summary = formatSummary(events.reduce(reduce, INITIAL_STATE));
    expect(summary).toMatch(/^tracker\s+status\s+bugs/);
    expect(summary).toMatch(/\nAlpha\s+ok\s+120\s+3\s+1\s+1\s+0\s+2\.0 KB\s+3\.0s/);
    expect(summary).toMatch(/\nBeta\s+FAILED/);
    expect(summary).toContain('Beta failed: HTTP 500 from u4');
    expect(summary).toContain('120 bugs from 1/2 trackers in 5.0s -> out/bugs.jsonl (1 warning)');
  });

  test('heartbeat tells progress', () => {
    const state = events.slice(0, 11).reduce(reduce, INITIAL_STATE);
    expect(heartbeatLine(state, Date.parse('2026-01-01T00:01:00Z'))).toBe('[....]  60s: 1/2 trackers done, 120 bugs, 3 requests; running: Beta');
  });
});
