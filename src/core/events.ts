// RunEvent: the one stream every stage writes to and every view (TUI, --ci, --events jsonl) reads.
// Payloads are plain JSON so they can be written as JSON Lines unchanged.

export type RequestSource = 'network' | 'cache' | 'revalidated';

export interface TrackerStats {
  readonly bugs: number;
  readonly requests: number;
  /** Answered from the cache without asking the server. */
  readonly cached: number;
  /** Asked conditionally and answered 304. */
  readonly revalidated: number;
  readonly retries: number;
  readonly bytes: number;
  readonly seconds: number;
}

export type RunEvent =
  | { readonly type: 'run-start'; readonly at: string; readonly trackers: readonly { readonly name: string; readonly type: string }[] }
  | {
      readonly type: 'tracker-start';
      readonly at: string;
      readonly tracker: string;
      /** Set on incremental runs: only what changed since this instant is asked for. */
      readonly since?: string;
    }
  | {
      readonly type: 'request-done';
      readonly at: string;
      readonly tracker: string;
      readonly url: string;
      readonly status: number;
      readonly source: RequestSource;
      readonly bytes: number;
      readonly ms: number;
    }
  | {
      readonly type: 'request-retry';
      readonly at: string;
      readonly tracker: string;
      readonly url: string;
      readonly attempt: number;
      readonly reason: string;
      readonly delayMs: number;
    }
  | { readonly type: 'rate-limited'; readonly at: string; readonly tracker: string; readonly host: string; readonly until: string; readonly reason: string }
  | { readonly type: 'bugs'; readonly at: string; readonly tracker: string; readonly count: number }
  | { readonly type: 'warning'; readonly at: string; readonly tracker?: string; readonly message: string }
  | { readonly type: 'tracker-error'; readonly at: string; readonly tracker: string; readonly kind: string; readonly message: string }
  | {
      readonly type: 'tracker-done';
      readonly at: string;
      readonly tracker: string;
      readonly status: 'ok' | 'failed';
      readonly error?: string;
      readonly stats: TrackerStats;
    }
  | {
      readonly type: 'run-done';
      readonly at: string;
      readonly exitCode: number;
      readonly interrupted: boolean;
      readonly output?: string;
      /** Records in the output: this run's, plus those kept from the previous run. */
      readonly records?: number;
    };

export type RunEventType = RunEvent['type'];
export type EventListener = (event: RunEvent) => void;
