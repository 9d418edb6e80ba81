// The pure reducer over RunEvents: (RunState, RunEvent) → RunState. The TUI, the --ci renderer,
// report.json and the engine's own per-tracker stats all read the state it builds.

import type { RunEvent, TrackerStats } from '../core/events.ts';

export type TrackerStatus = 'waiting' | 'running' | 'ok' | 'failed';

export interface TrackerState extends TrackerStats {
  readonly name: string;
  readonly type: string;
  readonly status: TrackerStatus;
  readonly startedAt?: string;
  readonly finishedAt?: string;
  readonly error?: string;
  readonly warnings: number;
  /** Set while a host this tracker uses is paused by a rate limit. */
  readonly pausedUntil?: string;
}

export interface RunState {
  readonly startedAt?: string;
  readonly finishedAt?: string;
  readonly trackers: Readonly<Record<string, TrackerState>>;
  /** Tracker names in file order. */
  readonly order: readonly string[];
  readonly warnings: number;
  readonly exitCode?: number;
  readonly interrupted: boolean;
  readonly output?: string;
  /** Records in the output, kept ones included. */
  readonly records?: number;
}

export const INITIAL_STATE: RunState = { trackers: {}, order: [], warnings: 0, interrupted: false };

const ZERO: TrackerStats = { bugs: 0, requests: 0, cached: 0, revalidated: 0, retries: 0, bytes: 0, seconds: 0 };

function emptyTracker(name: string, type: string): TrackerState {
  return { name, type, status: 'waiting', warnings: 0, ...ZERO };
}

function seconds(from: string | undefined, to: string): number {
  return from ? Math.max(0, (Date.parse(to) - Date.parse(from)) / 1000) : 0;
}

function update(state: RunState, name: string, change: (t: TrackerState) => TrackerState): RunState {
  const current = state.trackers[name] ?? emptyTracker(name, '');
  const order = state.trackers[name] ? state.order : [...state.order, name];
  return { ...state, order, trackers: { ...state.trackers, [name]: change(current) } };
}

export function reduce(state: RunState, event: RunEvent): RunState {
  switch (event.type) {
    case 'run-start': {
      const trackers: Record<string, TrackerState> = {};
      for (const t of event.trackers) trackers[t.name] = emptyTracker(t.name, t.type);
      return { ...INITIAL_STATE, startedAt: event.at, trackers, order: event.trackers.map((t) => t.name) };
    }
    case 'tracker-start':
      return update(state, event.tracker, (t) => ({ ...t, status: 'running', startedAt: event.at }));
    case 'request-done':
      return update(state, event.tracker, (t) => ({
        ...t,
        requests: t.requests + 1,
        cached: t.cached + (event.source === 'cache' ? 1 : 0),
        revalidated: t.revalidated + (event.source === 'revalidated' ? 1 : 0),
        bytes: t.bytes + event.bytes,
        pausedUntil: t.pausedUntil && t.pausedUntil > event.at ? t.pausedUntil : undefined,
      }));
    case 'request-retry':
      return update(state, event.tracker, (t) => ({ ...t, retries: t.retries + 1 }));
    case 'rate-limited':
      return update(state, event.tracker, (t) => ({ ...t, retries: t.retries, pausedUntil: event.until }));
    case 'bugs':
      return update(state, event.tracker, (t) => ({ ...t, bugs: t.bugs + event.count }));
    case 'warning':
      return event.tracker === undefined
        ? { ...state, warnings: state.warnings + 1 }
        : update({ ...state, warnings: state.warnings + 1 }, event.tracker, (t) => ({ ...t, warnings: t.warnings + 1 }));
    case 'tracker-error':
      return update(state, event.tracker, (t) => ({ ...t, error: t.error ?? event.message }));
    case 'tracker-done':
      return update(state, event.tracker, (t) => ({
        ...t,
        status: event.status,
        finishedAt: event.at,
        error: event.error ?? t.error,
        seconds: seconds(t.startedAt, event.at),
        pausedUntil: undefined,
      }));
    case 'run-done':
      return { ...state, finishedAt: event.at, exitCode: event.exitCode, interrupted: event.interrupted, output: event.output, records: event.records };
  }
}

/** The stats a tracker-done event carries, read off the state. */
export function statsOf(t: TrackerState | undefined, at: string): TrackerStats {
  if (!t) return ZERO;
  return { bugs: t.bugs, requests: t.requests, cached: t.cached, revalidated: t.revalidated, retries: t.retries, bytes: t.bytes, seconds: seconds(t.startedAt, at) };
}
