// Scheduler limits: global and per-host concurrency, the per-host gap between starts, pauses.
import { describe, expect, test } from 'bun:test';
import { AbortedError } from '../../src/core/errors.ts';
import { Scheduler, sleep } from '../../src/core/scheduler.ts';

function tracker() {
  let active = 0;
  let peak = 0;
  const perHost = new Map<string, number>();
  const peakPerHost = new Map<string, number>();
  const starts: { host: string; at: number }[] = [];
  const task = (host: string, ms: number) => async () => {
    active++;
    peak = Math.max(peak, active);
    perHost.set(host, (perHost.get(host) ?? 0) + 1);
    peakPerHost.set(host, Math.max(peakPerHost.get(host) ?? 0, perHost.get(host) ?? 0));
    starts.push({ host, at: Date.now() });
    await Bun.sleep(ms);
    active--;
    perHost.set(host, (perHost.get(host) ?? 1) - 1);
  };
  return { task, peak: () => peak, peakPerHost, starts };
}

describe('Scheduler', () => {
  test('never exceeds the global limit', async () => {
    const s = new Scheduler({ concurrency: 3, perHost: 10, delayMs: 0 });
    const t = tracker();
    const signal = new AbortController().signal;
    await Promise.all(Array.from({ length: 12 }, (_, i) => s.run(`h${i % 6}`, signal, t.task(`h${i % 6}`, 10))));
    expect(t.peak()).toBe(3);
  });

  test('never exceeds the per-host limit, while other hosts proceed', async () => {
    const s = new Scheduler({ concurrency: 10, perHost: 2, delayMs: 0 });
    const t = tracker();
    const signal = new AbortController().signal;
    await Promise.all([
      ...Array.from({ length: 8 }, () => s.run('a', signal, t.task('a', 10))),
      ...Array.from({ length: 8 }, () => s.run('b', signal, t.task('b', 10))),
    ]);
    expect(t.peakPerHost.get('a')).toBe(2);
    expect(t.peakPerHost.get('b')).toBe(2);
    expect(t.peak()).toBe(4);
  });

  test('keeps the minimum gap between two starts on one host', async () => {
    const s = new Scheduler({ concurrency: 10, perHost: 10, delayMs: 40 });
    const t = tracker();
    const signal = new AbortController().signal;
    await Promise.all(Array.from({ length: 4 }, () => s.run('a', signal, t.task('a', 1))));
    const gaps = t.starts.slice(1).map((s2, i) => s2.at - (t.starts[i]?.at ?? 0));
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(38);
  });

  test('a paused host starts nothing before the pause ends; others go on', async () => {
    const s = new Scheduler({ concurrency: 10, perHost: 10, delayMs: 0 });
    const t = tracker();
    const signal = new AbortController().signal;
    const until = Date.now() + 80;
    s.pauseHost('a', until);
    await Promise.all([s.run('a', signal, t.task('a', 1)), s.run('b', signal, t.task('b', 1))]);
    const a = t.starts.find((x) => x.host === 'a');
    const b = t.starts.find((x) => x.host === 'b');
    expect(a?.at ?? 0).toBeGreaterThanOrEqual(until - 2);
    expect(t.starts[0]?.host).toBe('b');
  });

  test('an aborted waiter leaves the queue with AbortedError', async () => {
    const s = new Scheduler({ concurrency: 1, perHost: 1, delayMs: 0 });
    const signal = new AbortController().signal;
    const blocker = s.run('a', signal, () => Bun.sleep(50));
    const ctl = new AbortController();
    const waiting = s.run('a', ctl.signal, async () => 'ran');
    ctl.abort();
    await expect(waiting).rejects.toBeInstanceOf(AbortedError);
    await blocker;
    expect(await s.run('a', signal, async () => 'next')).toBe('next');
  });

  test('sleep ends early on abort', async () => {
    const ctl = new AbortController();
    const p = sleep(10_000, ctl.signal);
    ctl.abort();
    await expect(p).rejects.toBeInstanceOf(AbortedError);
  });
});
