// Politeness: at most N requests in flight overall, M per host, a minimum gap between two
// starts on the same host, and host-wide pauses (rate limits). FIFO, so nobody starves.

import { AbortedError } from './errors.ts';

export interface SchedulerLimits {
  readonly concurrency: number;
  readonly perHost: number;
  readonly delayMs: number;
}

interface HostState {
  active: number;
  lastStart: number;
  pausedUntil: number;
}

interface Waiter {
  readonly host: string;
  readonly grant: () => void;
  readonly reject: (err: unknown) => void;
  readonly signal: AbortSignal;
}

export class Scheduler {
  private active = 0;
  private readonly hosts = new Map<string, HostState>();
  private queue: Waiter[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly limits: SchedulerLimits,
    private readonly clock: () => number = Date.now,
  ) {}

  private host(name: string): HostState {
    let state = this.hosts.get(name);
    if (!state) {
      state = { active: 0, lastStart: -Infinity, pausedUntil: 0 };
      this.hosts.set(name, state);
    }
    return state;
  }

  /** Holds every new start on `host` until `untilMs` (requests in flight finish). */
  pauseHost(host: string, untilMs: number): void {
    const state = this.host(host);
    state.pausedUntil = Math.max(state.pausedUntil, untilMs);
    this.pump();
  }

  pausedUntil(host: string): number {
    return this.host(host).pausedUntil;
  }

  /** Runs `task` when the limits allow, releasing its slot when it settles. */
  async run<T>(host: string, signal: AbortSignal, task: () => Promise<T>): Promise<T> {
    await this.acquire(host, signal);
    try {
      return await task();
    } finally {
      this.active--;
      this.host(host).active--;
      this.pump();
    }
  }

  private acquire(host: string, signal: AbortSignal): Promise<void> {
    if (signal.aborted) return Promise.reject(new AbortedError());
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = { host, grant: resolve, reject, signal };
      const onAbort = (): void => {
        this.queue = this.queue.filter((w) => w !== waiter);
        reject(new AbortedError());
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.queue.push({
        ...waiter,
        grant: () => {
          signal.removeEventListener('abort', onAbort);
          resolve();
        },
      });
      this.pump();
    });
  }

  private pump(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    const now = this.clock();
    let wakeAt = Infinity;
    const remaining: Waiter[] = [];
    for (const waiter of this.queue) {
      if (waiter.signal.aborted) continue;
      const state = this.host(waiter.host);
      const readyAt = Math.max(state.pausedUntil, state.lastStart + this.limits.delayMs);
      const slotFree = this.active < this.limits.concurrency && state.active < this.limits.perHost;
      if (slotFree && readyAt <= now) {
        this.active++;
        state.active++;
        state.lastStart = now;
        waiter.grant();
      } else {
        if (slotFree) wakeAt = Math.min(wakeAt, readyAt);
        remaining.push(waiter);
      }
    }
    this.queue = remaining;
    if (wakeAt !== Infinity) this.timer = setTimeout(() => this.pump(), Math.max(1, wakeAt - now));
  }
}

/** A sleep that ends early (rejecting) when `signal` aborts. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.reject(new AbortedError());
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(new AbortedError());
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
