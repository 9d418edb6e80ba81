// The Run screen, keys in and frames out (ink-testing-library): RunEvents go through the real
// store; the clock is fixed, so countdowns and elapsed times are exact. Frames are polled until
// the expected text shows (never a timing threshold).

import { afterEach, describe, expect, test } from 'bun:test';
import chalk from 'chalk';
import { Box } from 'ink';
import { render } from 'ink-testing-library';
import type { RunEvent, TrackerStats } from '../../src/core/events.ts';
import { formatSummary } from '../../src/report/ci-text.ts';
import { App } from '../../tui/App.tsx';
import { RunLog } from '../../tui/components/run/RunLog.tsx';
import { RunScreen } from '../../tui/screens/RunScreen.tsx';
import { RunStore } from '../../tui/store.ts';

const T0 = Date.parse('2026-03-01T12:00:00.000Z');
const at = (seconds: number): string => new Date(T0 + seconds * 1000).toISOString();
const NOW = (): number => T0 + 10_000;
const STATS: TrackerStats = { bugs: 0, requests: 0, cached: 0, revalidated: 0, retries: 0, bytes: 0, seconds: 0 };

type Rendered = ReturnType<typeof render>;

async function waitFor(r: Rendered, wanted: (frame: string) => boolean, what: string): Promise<string> {
  for (let i = 0; i < 400; i++) {
    const frame = r.lastFrame() ?? '';
    if (wanted(frame)) return frame;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`never showed ${what}; last frame:\n${r.lastFrame() ?? ''}`);
}

const shows = (r: Rendered, text: string): Promise<string> => waitFor(r, (f) => f.includes(text), JSON.stringify(text));

/** Keys are handled after Ink's input parser and React's effects: wait a little after each. */
async function press(r: Rendered, key: string): Promise<void> {
  r.stdin.write(key);
  await new Promise((resolve) => setTimeout(resolve, 30));
}

/** Resizes the fake terminal the way a real one reports it. */
function resize(r: Rendered, columns: number, rows: number): void {
  Object.defineProperty(r.stdout, 'columns', { value: columns, configurable: true });
  Object.defineProperty(r.stdout, 'rows', { value: rows, configurable: true });
  r.stdout.emit('resize');
}

interface Harness {
  readonly r: Rendered;
  readonly store: RunStore;
  readonly calls: string[];
  emit(...events: RunEvent[]): void;
}

function harness(options: { color?: boolean; leave?: 'quit' | 'back' } = {}): Harness {
  const store = new RunStore({ intervalMs: 0 });
  const calls: string[] = [];
  const r = render(
    <Box flexDirection="column">
      <RunLog stores={[store]} color={options.color ?? false} />
      <RunScreen
        store={store}
        color={options.color ?? false}
        now={NOW}
        tickMs={0}
        leave={options.leave ?? 'quit'}
        onCancel={() => calls.push('cancel')}
        onFinish={(next) => calls.push(next)}
      />
    </Box>,
  );
  return {
    r,
    store,
    calls,
    emit: (...events) => {
      for (const e of events) store.onEvent(e);
    },
  };
}

const START: RunEvent = { type: 'run-start', at: at(0), trackers: [{ name: 'Alpha', type: 'github' }, { name: 'Beta', type: 'trac' }, { name: 'Gamma', type: 'bugzilla' }] };

function busyRun(): RunEvent[] {
  return [
    START,
    { type: 'tracker-start', at: at(0), tracker: 'Alpha' },
    { type: 'tracker-start', at: at(1), tracker: 'Beta' },
    { type: 'request-done', at: at(2), tracker: 'Alpha', url: 'u1', status: 200, source: 'network', bytes: 2000, ms: 5 },
    { type: 'request-done', at: at(2), tracker: 'Alpha', url: 'u2', status: 200, source: 'cache', bytes: 10, ms: 0 },
    { type: 'request-done', at: at(3), tracker: 'Alpha', url: 'u3', status: 304, source: 'revalidated', bytes: 10, ms: 3 },
    { type: 'request-retry', at: at(3), tracker: 'Alpha', url: 'u4', attempt: 1, reason: 'HTTP 503', delayMs: 1000 },
    { type: 'bugs', at: at(3), tracker: 'Alpha', count: 120 },
    { type: 'rate-limited', at: at(4), tracker: 'Beta', host: 'api.example.org', until: at(33), reason: 'x-ratelimit-remaining is 0' },
  ];
}

const CHALK_LEVEL = chalk.level;
afterEach(() => {
  chalk.level = CHALK_LEVEL;
});

describe('Run screen', () => {
  test('one live row per running tracker: requests, bugs, cached, 304s, retries; the waiting ones; the overall bar', async () => {
    const h = harness();
    h.emit(...busyRun());
    const frame = await shows(h.r, 'Alpha');
    const alpha = frame.split('\n').find((l) => l.includes('Alpha')) ?? '';
    // reqs bugs cached 304 retry, then the tracker's elapsed time
    expect(alpha.replace(/\s+/g, ' ')).toContain('Alpha 3 120 1 1 1 0:10');
    expect(frame).toContain('waiting: Gamma');
    expect(frame).toContain('0/3 trackers · 120 bugs · 3 requests · 0:10');
    expect(frame).toContain('c cancel');
    h.r.unmount();
  });

  test('a tracker paused by a rate limit shows a countdown instead of its spinner', async () => {
    const h = harness();
    h.emit(...busyRun());
    const frame = await shows(h.r, 'paused');
    const beta = frame.split('\n').find((l) => l.includes('Beta')) ?? '';
    // until = start + 33 s, now = start + 10 s
    expect(beta).toContain('paused 0:23 (rate limit)');
    expect(beta.startsWith('‖')).toBe(true);
    h.r.unmount();
  });

  test('finished trackers move into the log above; a failed one in red with its reason', async () => {
    chalk.level = 1;
    const h = harness({ color: true });
    h.emit(...busyRun(), { type: 'tracker-done', at: at(5), tracker: 'Alpha', status: 'ok', stats: STATS }, { type: 'tracker-error', at: at(6), tracker: 'Beta', kind: 'fetch', message: 'HTTP 500 from https://trac.example.org/query' }, { type: 'tracker-done', at: at(6), tracker: 'Beta', status: 'failed', error: 'HTTP 500 from https://trac.example.org/query', stats: STATS });
    const frame = await shows(h.r, 'Beta failed');
    expect(frame).toContain('\u001B[31m✘ Beta failed: HTTP 500 from https://trac.example.org/query');
    expect(frame).toMatch(/✔ .*Alpha.*120 bugs · 3 requests \(1 cached, 1 not modified, 1 retried\)/);
    // Above the live area, which now shows neither of them as running.
    const lines = frame.split('\n');
    const logAt = lines.findIndex((l) => l.includes('Beta failed'));
    const barAt = lines.findIndex((l) => l.includes('2/3 trackers'));
    expect(logAt).toBeGreaterThanOrEqual(0);
    expect(barAt).toBeGreaterThan(logAt);
    expect(lines.slice(logAt + 1).some((l) => l.includes('⠋ Alpha'))).toBe(false);
    h.r.unmount();
  });

  test('at the end: the same summary as --ci, the exit code, r opens the results, q quits', async () => {
    const h = harness();
    const done: RunEvent[] = [
      ...busyRun(),
      { type: 'tracker-done', at: at(5), tracker: 'Alpha', status: 'ok', stats: STATS },
      { type: 'tracker-done', at: at(6), tracker: 'Beta', status: 'failed', error: 'HTTP 500', stats: STATS },
      { type: 'tracker-start', at: at(6), tracker: 'Gamma' },
      { type: 'tracker-done', at: at(7), tracker: 'Gamma', status: 'ok', stats: STATS },
      { type: 'run-done', at: at(8), exitCode: 1, interrupted: false, output: 'out/bugs.jsonl', records: 120 },
    ];
    h.emit(...done);
    const frame = await shows(h.r, 'exit code 1');
    const summary = formatSummary(h.store.getSnapshot().state);
    for (const line of summary.split('\n')) expect(frame).toContain(line);
    expect(frame).toContain('exit code 1 · r browse results · q quit');
    await press(h.r, 'c');
    expect(h.calls).toEqual([]);
    await press(h.r, 'r');
    expect(h.calls).toEqual(['results']);
    h.r.unmount();

    const again = harness({ leave: 'back' });
    again.emit(...done);
    await shows(again.r, 'q back');
    await press(again.r, 'q');
    expect(again.calls).toEqual(['quit']);
    again.r.unmount();
  });

  test('c cancels: the cancel function runs once and the screen says so; Ctrl-C cancels too', async () => {
    const h = harness();
    h.emit(...busyRun());
    await shows(h.r, 'Alpha');
    await press(h.r, 'c');
    expect(h.calls).toEqual(['cancel']);
    await shows(h.r, 'cancelling');
    await press(h.r, 'c');
    expect(h.calls).toEqual(['cancel']);
    // A second Ctrl-C reaches the CLI, which then quits at once.
    await press(h.r, '\u0003');
    expect(h.calls).toEqual(['cancel', 'cancel']);
    h.emit({ type: 'run-done', at: at(9), exitCode: 130, interrupted: true });
    await shows(h.r, 'interrupted: no output written');
    // Cancelled: nothing to browse, the screen leaves by itself.
    await waitFor(h.r, () => h.calls.includes('quit'), 'leaving');
    h.r.unmount();
  });

  test('NO_COLOR: not one colour escape, even with colours available', async () => {
    chalk.level = 3;
    const h = harness({ color: false });
    h.emit(...busyRun(), { type: 'warning', at: at(5), tracker: 'Alpha', message: 'issue 3 has no date' }, { type: 'tracker-done', at: at(6), tracker: 'Beta', status: 'failed', error: 'HTTP 500', stats: STATS });
    const frame = await shows(h.r, 'Beta failed');
    // Foreground/background colours: 30–37, 39-free 38;…, 40–47, 48;…, 90–97, 100–107.
    expect(frame).not.toMatch(/\u001B\[(3[0-8]|4[0-8]|9[0-7]|10[0-7])(;[\d;]*)?m/);
    expect(frame).toContain('! Alpha: issue 3 has no date');
    h.r.unmount();
  });

  test('80×24 with 40 trackers running: the live area stays below the terminal height, and follows a resize', async () => {
    const h = harness();
    const names = Array.from({ length: 40 }, (_, i) => `Tracker number ${i + 1}`);
    h.emit({ type: 'run-start', at: at(0), trackers: names.map((name) => ({ name, type: 'github' })) }, ...names.map((tracker): RunEvent => ({ type: 'tracker-start', at: at(0), tracker })));
    resize(h.r, 80, 24);
    let frame = await shows(h.r, 'more running');
    let lines = frame.split('\n');
    expect(lines.length).toBeLessThanOrEqual(23);
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThanOrEqual(80);
    resize(h.r, 60, 12);
    frame = await waitFor(h.r, (f) => f.split('\n').length <= 11, 'a frame of at most 11 lines');
    lines = frame.split('\n');
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThanOrEqual(60);
    expect(frame).toContain('0/40 trackers');
    h.r.unmount();
  });

  test('in the App: r opens the results browser on the run\'s output, q there quits', async () => {
    const store = new RunStore({ intervalMs: 0 });
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const output = join(mkdtempSync(join(tmpdir(), 'customs-tui-')), 'bugs.jsonl');
    writeFileSync(output, `${JSON.stringify({ title: 'The only bug', canonical_bug_link: 'https://example.org/1', _tracker_name: 'Alpha', _project_name: 'alpha', status: 'open' })}\n`);
    let exited = 0;
    const r = render(<App start={{ screen: 'run', session: { store, cancel: () => {} } }} file="trackers.yaml" resultsFile="none" color={false} onExit={() => exited++} />);
    for (const e of [START, { type: 'tracker-start', at: at(0), tracker: 'Alpha' } as const, { type: 'tracker-done', at: at(1), tracker: 'Alpha', status: 'ok', stats: STATS } as const]) store.onEvent(e);
    store.onEvent({ type: 'run-done', at: at(2), exitCode: 0, interrupted: false, output, records: 1 });
    await shows(r, 'r browse results');
    await press(r, 'r');
    await shows(r, 'The only bug');
    // The run's log stays above the browser.
    expect(r.lastFrame()).toContain(`-> ${output}`);
    await press(r, 'q');
    await waitFor(r, () => exited === 1, 'the app leaving');
    r.unmount();
  });
});
