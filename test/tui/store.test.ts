// The Run screen's store: every event folded in at once, listeners told at most once per
// interval (fake timers: no timing in pass/fail), the permanent log filled in order.

import { describe, expect, test } from 'bun:test';
import type { RunEvent } from '../../src/core/events.ts';
import { INITIAL_STATE, reduce } from '../../src/report/state.ts';
import type { StoreTimers } from '../../tui/store.ts';
import { MAX_LOGGED_WARNINGS, RunStore } from '../../tui/store.ts';

/** A hand-driven clock: timers fire only when `advance` passes their time. */
class FakeTimers implements StoreTimers {
  private time = 0;
  private nextId = 1;
  private readonly pending = new Map<number, { at: number; fn: () => void }>();
  readonly now = (): number => this.time;
  readonly setTimeout = (fn: () => void, ms: number): unknown => {
    const id = this.nextId++;
    this.pending.set(id, { at: this.time + ms, fn });
    return id;
  };
  readonly clearTimeout = (handle: unknown): void => {
    this.pending.delete(handle as number);
  };
  /** Time passing inside a listener: a render that costs `ms`. */
  spend(ms: number): void {
    this.time += ms;
  }
  get waiting(): number {
    return this.pending.size;
  }
  advance(ms: number): void {
    const until = this.time + ms;
    for (;;) {
      const due = [...this.pending.entries()].filter(([, t]) => t.at <= until).sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      this.pending.delete(due[0]);
      this.time = due[1].at;
      due[1].fn();
    }
    this.time = until;
  }
}

const AT = '2026-01-01T00:00:00.000Z';
const STATS = { bugs: 0, requests: 0, cached: 0, revalidated: 0, retries: 0, bytes: 0, seconds: 0 };

function requestDone(tracker: string, i: number): RunEvent {
  return { type: 'request-done', at: AT, tracker, url: `https://example.org/${i}`, status: 200, source: i % 3 === 0 ? 'cache' : 'network', bytes: 100, ms: 1 };
}

describe('RunStore', () => {
  test('100,000 events in one burst: no render while they come, then exactly one with everything in it', () => {
    const timers = new FakeTimers();
    const store = new RunStore({ intervalMs: 50, timers });
    let renders = 0;
    store.subscribe(() => renders++);
    const events: RunEvent[] = [{ type: 'run-start', at: AT, trackers: [{ name: 'A', type: 'github' }] }, { type: 'tracker-start', at: AT, tracker: 'A' }];
    for (let i = 0; i < 100_000; i++) events.push(requestDone('A', i));
    for (const e of events) store.onEvent(e);
    expect(renders).toBe(0);
    expect(timers.waiting).toBe(1);
    timers.advance(0);
    expect(renders).toBe(1);
    expect(store.getSnapshot().state).toEqual(events.reduce(reduce, INITIAL_STATE));
    expect(store.getSnapshot().state.trackers.A?.requests).toBe(100_000);
    // A second burst right after: held until 50 ms after the first render.
    for (let i = 0; i < 1000; i++) store.onEvent(requestDone('A', i));
    timers.advance(49);
    expect(renders).toBe(1);
    timers.advance(1);
    expect(renders).toBe(2);
    timers.advance(1000);
    expect(renders).toBe(2);
    expect(store.getSnapshot().state.trackers.A?.requests).toBe(101_000);
  });

  test('a steady stream renders at most once per interval (1,000 events a second for 10 s: ≤ 200 renders)', () => {
    const timers = new FakeTimers();
    const store = new RunStore({ intervalMs: 50, timers });
    let renders = 0;
    store.subscribe(() => renders++);
    store.onEvent({ type: 'run-start', at: AT, trackers: [{ name: 'A', type: 'github' }] });
    for (let i = 0; i < 10_000; i++) {
      store.onEvent(requestDone('A', i));
      timers.advance(1);
    }
    timers.advance(50);
    expect(store.events).toBe(10_001);
    expect(renders).toBeLessThanOrEqual(10_000 / 50 + 1);
    expect(renders).toBeGreaterThanOrEqual(10_000 / 50 - 1);
    expect(store.notifications).toBe(renders);
    expect(store.getSnapshot().state.trackers.A?.requests).toBe(10_000);
  });

  test('the first event after a quiet spell renders on the next tick, not 50 ms later', () => {
    const timers = new FakeTimers();
    const store = new RunStore({ intervalMs: 50, timers });
    let renders = 0;
    store.subscribe(() => renders++);
    timers.advance(500);
    store.onEvent({ type: 'run-start', at: AT, trackers: [] });
    expect(renders).toBe(0);
    timers.advance(0);
    expect(renders).toBe(1);
  });

  test('expensive renders stretch the interval so they take at most a few % of the time; cheap ones bring it back', () => {
    const timers = new FakeTimers();
    const store = new RunStore({ intervalMs: 50, maxIntervalMs: 1000, renderBudget: 0.03, timers });
    let cost = 9;
    let renders = 0;
    store.subscribe(() => {
      renders++;
      store.renderStarted();
      timers.spend(cost);
      store.renderDone();
    });
    store.onEvent({ type: 'run-start', at: AT, trackers: [{ name: 'A', type: 'github' }] });
    // 20 s of events, one every ms.
    for (let i = 0; i < 20_000; i++) {
      store.onEvent(requestDone('A', i));
      timers.advance(1);
    }
    expect(store.currentIntervalMs).toBeCloseTo(300, 0);
    expect(store.renderMs / 20_000).toBeLessThanOrEqual(0.035);
    expect(renders).toBeLessThan(80);
    cost = 0.5;
    for (let i = 0; i < 20_000; i++) {
      store.onEvent(requestDone('A', i));
      timers.advance(1);
    }
    expect(store.currentIntervalMs).toBe(50);
    // Rare but huge renders: never less than one a second.
    cost = 500;
    for (let i = 0; i < 20_000; i++) {
      store.onEvent(requestDone('A', i));
      timers.advance(1);
    }
    expect(store.currentIntervalMs).toBe(1000);
  });

  test('the log: finished, failed and interrupted trackers in order, warnings up to a cap, the summary last', () => {
    const timers = new FakeTimers();
    const store = new RunStore({ timers });
    const names = ['A', 'B', 'C'];
    store.onEvent({ type: 'run-start', at: AT, trackers: names.map((name) => ({ name, type: 'github' })) });
    for (let i = 0; i < MAX_LOGGED_WARNINGS + 5; i++) store.onEvent({ type: 'warning', at: AT, tracker: 'A', message: `odd thing ${i}` });
    store.onEvent({ type: 'tracker-done', at: AT, tracker: 'B', status: 'failed', error: 'HTTP 500', stats: STATS });
    store.onEvent({ type: 'tracker-done', at: AT, tracker: 'A', status: 'ok', stats: STATS });
    store.onEvent({ type: 'tracker-done', at: AT, tracker: 'C', status: 'failed', error: 'interrupted', stats: STATS });
    store.onEvent({ type: 'run-done', at: AT, exitCode: 130, interrupted: true });
    timers.advance(50);
    const kinds = store.getSnapshot().log.map((e) => e.kind);
    expect(kinds.filter((k) => k === 'warning')).toHaveLength(MAX_LOGGED_WARNINGS + 1);
    expect(kinds.slice(-4)).toEqual(['failed', 'done', 'interrupted', 'summary']);
    const ids = store.getSnapshot().log.map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  test('the log array is shared between snapshots until it grows (cheap renders)', () => {
    const timers = new FakeTimers();
    const store = new RunStore({ timers });
    store.onEvent({ type: 'run-start', at: AT, trackers: [{ name: 'A', type: 'github' }] });
    timers.advance(50);
    const before = store.getSnapshot();
    store.onEvent(requestDone('A', 1));
    timers.advance(50);
    expect(store.getSnapshot()).not.toBe(before);
    expect(store.getSnapshot().log).toBe(before.log);
  });

  test('cancelling shows at once and ends with the run; end() notifies at once', () => {
    const timers = new FakeTimers();
    const store = new RunStore({ timers });
    let renders = 0;
    store.subscribe(() => renders++);
    store.onEvent({ type: 'run-start', at: AT, trackers: [] });
    store.markCancelling();
    timers.advance(50);
    expect(store.getSnapshot().cancelling).toBe(true);
    store.onEvent({ type: 'run-done', at: AT, exitCode: 130, interrupted: true });
    store.end(130);
    expect(store.getSnapshot()).toMatchObject({ cancelling: false, ended: 130 });
    expect(renders).toBe(2);
    store.dispose();
    expect(timers.waiting).toBe(0);
  });
});
