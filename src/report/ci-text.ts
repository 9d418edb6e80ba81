// The headless renderers: --ci text lines (stderr) and --events jsonl (stdout). `ciLine` and
// `formatSummary` are pure; CiRenderer adds the heartbeat timer.

import type { RunEvent } from '../core/events.ts';
import type { RunState, TrackerState } from './state.ts';
import { INITIAL_STATE, reduce } from './state.ts';

function secs(ms: number): string {
  return ms < 10_000 ? `${(ms / 1000).toFixed(1)}s` : `${Math.round(ms / 1000)}s`;
}

function clockTime(iso: string): string {
  return iso.slice(11, 19);
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

function requestsPhrase(t: TrackerState): string {
  const parts = [`${t.requests} request${t.requests === 1 ? '' : 's'}`];
  const extra: string[] = [];
  if (t.cached) extra.push(`${t.cached} cached`);
  if (t.revalidated) extra.push(`${t.revalidated} not modified`);
  if (t.retries) extra.push(`${t.retries} retried`);
  return extra.length ? `${parts[0]} (${extra.join(', ')})` : parts[0] ?? '';
}

/** The log line an event deserves in --ci mode, if any. `state` already includes the event. */
export function ciLine(event: RunEvent, state: RunState): string | undefined {
  switch (event.type) {
    case 'run-start':
      return `customs: importing ${event.trackers.length} tracker${event.trackers.length === 1 ? '' : 's'}`;
    case 'tracker-start': {
      const t = state.trackers[event.tracker];
      const window = event.since ? `, changes since ${event.since.slice(0, 16).replace('T', ' ')} UTC` : '';
      return `[start] ${event.tracker}${t?.type ? ` (${t.type}${window})` : ''}`;
    }
    case 'request-retry':
      return `[retry] ${event.tracker}: try ${event.attempt + 1} in ${secs(event.delayMs)} after ${event.reason}: ${event.url}`;
    case 'rate-limited':
      return `[pause] ${event.host} rate limited (${event.reason}); ${event.tracker} waits until ${clockTime(event.until)} UTC`;
    case 'warning':
      return `[warn]  ${event.tracker ? `${event.tracker}: ` : ''}${event.message}`;
    case 'tracker-done': {
      const t = state.trackers[event.tracker];
      if (!t) return undefined;
      if (event.status === 'failed' && event.error === 'interrupted') return `[stop]  ${event.tracker}: interrupted`;
      if (event.status === 'failed') return `[FAIL]  ${event.tracker}: ${event.error ?? 'failed'}`;
      return `[done]  ${event.tracker}: ${t.bugs} bug${t.bugs === 1 ? '' : 's'}, ${requestsPhrase(t)}, ${secs(t.seconds * 1000)}`;
    }
    case 'run-done':
      return formatSummary(state);
    case 'tracker-error':
    case 'request-done':
    case 'bugs':
      return undefined;
  }
}

/** One line of progress for long runs. */
export function heartbeatLine(state: RunState, nowMs: number): string {
  const all = state.order.length;
  const done = state.order.filter((n) => {
    const s = state.trackers[n]?.status;
    return s === 'ok' || s === 'failed';
  }).length;
  const totals = Object.values(state.trackers).reduce((a, t) => ({ bugs: a.bugs + t.bugs, requests: a.requests + t.requests }), { bugs: 0, requests: 0 });
  const elapsed = state.startedAt ? nowMs - Date.parse(state.startedAt) : 0;
  const running = state.order.filter((n) => state.trackers[n]?.status === 'running');
  return `[....]  ${secs(elapsed)}: ${done}/${all} trackers done, ${totals.bugs} bugs, ${totals.requests} requests${running.length ? `; running: ${running.slice(0, 4).join(', ')}${running.length > 4 ? ', …' : ''}` : ''}`;
}

function pad(text: string, width: number, right = false): string {
  const cut = text.length > width ? `${text.slice(0, width - 1)}…` : text;
  return right ? cut.padStart(width) : cut.padEnd(width);
}

/** The end-of-run table (also shown by the TUI). */
export function formatSummary(state: RunState): string {
  const rows = state.order.map((n) => state.trackers[n]).filter((t): t is TrackerState => t !== undefined);
  const nameWidth = Math.min(28, Math.max(7, ...rows.map((t) => t.name.length)));
  const header = `${pad('tracker', nameWidth)}  ${pad('status', 6)}  ${pad('bugs', 6, true)}  ${pad('reqs', 5, true)}  ${pad('cached', 6, true)}  ${pad('304', 5, true)}  ${pad('retry', 5, true)}  ${pad('bytes', 9, true)}  ${pad('time', 6, true)}`;
  const lines = [header, '-'.repeat(header.length)];
  for (const t of rows) {
    lines.push(
      `${pad(t.name, nameWidth)}  ${pad(t.status === 'ok' ? 'ok' : t.status === 'failed' ? 'FAILED' : t.status, 6)}  ${pad(String(t.bugs), 6, true)}  ${pad(String(t.requests), 5, true)}  ${pad(String(t.cached), 6, true)}  ${pad(String(t.revalidated), 5, true)}  ${pad(String(t.retries), 5, true)}  ${pad(formatBytes(t.bytes), 9, true)}  ${pad(secs(t.seconds * 1000), 6, true)}`,
    );
  }
  const failed = rows.filter((t) => t.status === 'failed');
  const bugs = rows.reduce((n, t) => n + t.bugs, 0);
  lines.push('-'.repeat(header.length));
  for (const t of failed) lines.push(`${t.name} failed: ${t.error ?? 'unknown error'}`);
  const kept = (state.records ?? 0) - bugs;
  const elapsed = state.startedAt && state.finishedAt ? Date.parse(state.finishedAt) - Date.parse(state.startedAt) : 0;
  const verdict = state.interrupted
    ? 'interrupted: no output written, the previous output is unchanged'
    : failed.length === rows.length
    ? 'every tracker failed: no output written, the previous output is unchanged'
    : `${bugs} bug${bugs === 1 ? '' : 's'} from ${rows.length - failed.length}/${rows.length} trackers in ${secs(elapsed)}${state.output ? ` -> ${state.output}` : ''}${kept > 0 ? ` (with ${kept} unchanged kept from the last run: ${state.records} in all)` : ''}`;
  lines.push(`${verdict}${state.warnings ? ` (${state.warnings} warning${state.warnings === 1 ? '' : 's'})` : ''}`);
  return lines.join('\n');
}

/** Writes --ci lines as events arrive, plus a heartbeat every `heartbeatMs` while running. */
export class CiRenderer {
  private state: RunState = INITIAL_STATE;
  private timer: ReturnType<typeof setInterval> | undefined;

  constructor(
    private readonly write: (line: string) => void,
    private readonly heartbeatMs = 30_000,
  ) {}

  readonly onEvent = (event: RunEvent): void => {
    this.state = reduce(this.state, event);
    if (event.type === 'run-start' && this.heartbeatMs > 0) {
      this.timer = setInterval(() => this.write(heartbeatLine(this.state, Date.now())), this.heartbeatMs);
      this.timer.unref?.();
    }
    if (event.type === 'run-done' && this.timer) clearInterval(this.timer);
    const line = ciLine(event, this.state);
    if (line !== undefined) this.write(line);
  };
}

/** --events jsonl: every event as one JSON line. */
export function eventJsonLine(event: RunEvent): string {
  return JSON.stringify(event);
}
