// The render store of the Run screen: takes every RunEvent at the engine's pace, folds it into
// RunState with the pure reducer at once (cheap), and tells React at most once per interval, so a
// run of a million events costs at most 20 renders a second. The interval is 50 ms while renders
// are cheap and stretches when they are not (Ink redraws the whole live area: several ms a frame
// on a slow machine), so that rendering takes at most ~4 % of the time. It also keeps the
// append-only log printed above the live area (finished trackers, warnings, the summary).

import type { RunEvent } from '../src/core/events.ts';
import type { RunState, TrackerState } from '../src/report/state.ts';
import { INITIAL_STATE, reduce } from '../src/report/state.ts';

/** One permanent line above the live area (Ink's <Static>): never changes once added. */
export type LogEntry =
  | { readonly id: number; readonly kind: 'done'; readonly tracker: TrackerState }
  | { readonly id: number; readonly kind: 'failed'; readonly tracker: TrackerState }
  | { readonly id: number; readonly kind: 'interrupted'; readonly tracker: TrackerState }
  | { readonly id: number; readonly kind: 'warning'; readonly text: string }
  | { readonly id: number; readonly kind: 'notice'; readonly text: string }
  | { readonly id: number; readonly kind: 'summary'; readonly state: RunState };

export interface RunSnapshot {
  readonly state: RunState;
  readonly log: readonly LogEntry[];
  /** Set once `cancel` was asked for (key `c` or Ctrl-C), until the run ends. */
  readonly cancelling: boolean;
  /** The exit code, once the run is over (also when it ended before starting, e.g. a bad file). */
  readonly ended?: number;
  /** Bumped by every notification; handy in tests and benchmarks. */
  readonly version: number;
}

/** The timer functions the store uses; tests and benchmarks pass fakes. */
export interface StoreTimers {
  readonly now: () => number;
  readonly setTimeout: (fn: () => void, ms: number) => unknown;
  readonly clearTimeout: (handle: unknown) => void;
}

const REAL_TIMERS: StoreTimers = {
  now: () => performance.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** Warnings printed in the log; later ones are only counted (the summary says how many). */
export const MAX_LOGGED_WARNINGS = 20;

export interface RunStoreOptions {
  /** Least time between two notifications, ms (default 50). */
  readonly intervalMs?: number;
  /** Most time between two notifications however slow renders are, ms (default 1000). */
  readonly maxIntervalMs?: number;
  /** Share of the time renders may take before the interval stretches (default 0.04). */
  readonly renderBudget?: number;
  readonly timers?: StoreTimers;
}

export class RunStore {
  private snapshot: RunSnapshot = { state: INITIAL_STATE, log: [], cancelling: false, version: 0 };
  private state: RunState = INITIAL_STATE;
  private log: LogEntry[] = [];
  private logChanged = false;
  private cancelling = false;
  private ended: number | undefined;
  private dirty = false;
  private timer: unknown;
  private lastNotify = Number.NEGATIVE_INFINITY;
  private nextId = 0;
  private warningsLogged = 0;
  private readonly listeners = new Set<() => void>();
  private readonly intervalMs: number;
  private readonly maxIntervalMs: number;
  private readonly renderBudget: number;
  private readonly timers: StoreTimers;
  /** Smoothed time a render (React, then Ink drawing the frame) takes, ms. */
  private renderCost: number | undefined;
  private renderStart: number | undefined;
  /** The interval now in force, ms. */
  currentIntervalMs: number;
  /** Renders and the time they took so far (as reported by renderStarted/renderDone), ms. */
  renders = 0;
  renderMs = 0;
  /** Notifications sent so far (every one is at most one React render). */
  notifications = 0;
  /** Events taken so far. */
  events = 0;

  constructor(options: RunStoreOptions = {}) {
    this.intervalMs = options.intervalMs ?? 50;
    this.maxIntervalMs = Math.max(this.intervalMs, options.maxIntervalMs ?? 1000);
    this.renderBudget = options.renderBudget ?? 0.04;
    this.currentIntervalMs = this.intervalMs;
    this.timers = options.timers ?? REAL_TIMERS;
  }

  /** The engine's `emit`: fold the event in now, render later. */
  readonly onEvent = (event: RunEvent): void => {
    this.events++;
    this.state = reduce(this.state, event);
    this.addLogFor(event);
    if (event.type === 'run-done') this.cancelling = false;
    this.schedule();
  };

  /** A line of the CLI's own (e.g. a signal notice, a configuration problem), kept in the log. */
  readonly notice = (text: string): void => {
    this.append({ id: this.nextId++, kind: 'notice', text });
    this.schedule();
  };

  /** Marks the run as being cancelled (shown at once; the run ends with run-done). */
  markCancelling(): void {
    if (this.state.finishedAt !== undefined || this.cancelling) return;
    this.cancelling = true;
    this.schedule();
  }

  /** The run is over with this exit code: shown at once. */
  end(exitCode: number): void {
    this.ended = exitCode;
    this.cancelling = false;
    this.dirty = true;
    this.flush();
  }

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  };

  readonly getSnapshot = (): RunSnapshot => this.snapshot;

  /** Notifies now if anything changed (also cancels a pending timer). */
  flush(): void {
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.dirty) return;
    this.dirty = false;
    this.lastNotify = this.timers.now();
    this.snapshot = {
      state: this.state,
      log: this.logChanged ? [...this.log] : this.snapshot.log,
      cancelling: this.cancelling,
      ...(this.ended === undefined ? {} : { ended: this.ended }),
      version: this.snapshot.version + 1,
    };
    this.logChanged = false;
    this.notifications++;
    for (const listener of [...this.listeners]) listener();
  }

  /**
   * The screen calls this when it starts rendering, and `renderDone` from a layout effect, which
   * runs after React's commit and Ink's drawing of the frame: the time between is what a render
   * costs, and it sets the interval. (Timing the listeners would not do: React renders later, in
   * a microtask, among the engine's own.)
   */
  renderStarted(): void {
    // The latest start: React may render and then bail out without a commit (state unchanged).
    this.renderStart = this.timers.now();
  }

  renderDone(): void {
    if (this.renderStart === undefined) return;
    const cost = this.timers.now() - this.renderStart;
    this.renderStart = undefined;
    this.renderMs += cost;
    this.renders++;
    // The first render mounts the screen (and warms up Ink): not what an update costs.
    if (this.renders === 1) return;
    this.renderCost = this.renderCost === undefined ? cost : this.renderCost * 0.8 + cost * 0.2;
    this.currentIntervalMs = Math.min(this.maxIntervalMs, Math.max(this.intervalMs, this.renderCost / this.renderBudget));
  }

  /** Stops the pending timer (the store can still be read). */
  dispose(): void {
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer);
    this.timer = undefined;
  }

  private schedule(): void {
    this.dirty = true;
    if (this.timer !== undefined) return;
    // Never synchronously: events of one tick (a page of bugs) land in one render.
    const wait = Math.max(0, this.lastNotify + this.currentIntervalMs - this.timers.now());
    this.timer = this.timers.setTimeout(() => {
      this.timer = undefined;
      this.flush();
    }, wait);
  }

  private append(entry: LogEntry): void {
    this.log.push(entry);
    this.logChanged = true;
  }

  private addLogFor(event: RunEvent): void {
    switch (event.type) {
      case 'tracker-done': {
        const tracker = this.state.trackers[event.tracker];
        if (!tracker) return;
        const kind = event.status === 'ok' ? 'done' : event.error === 'interrupted' ? 'interrupted' : 'failed';
        this.append({ id: this.nextId++, kind, tracker });
        return;
      }
      case 'warning':
        this.warningsLogged++;
        if (this.warningsLogged <= MAX_LOGGED_WARNINGS) {
          this.append({ id: this.nextId++, kind: 'warning', text: event.tracker ? `${event.tracker}: ${event.message}` : event.message });
        } else if (this.warningsLogged === MAX_LOGGED_WARNINGS + 1) {
          this.append({ id: this.nextId++, kind: 'warning', text: 'more warnings: not shown here; the summary counts them (`customs run --ci` prints each)' });
        }
        return;
      case 'run-done':
        this.append({ id: this.nextId++, kind: 'summary', state: this.state });
        return;
      default:
        return;
    }
  }
}
