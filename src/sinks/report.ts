// report.json: the last run's summary per tracker (contract.md "Next to the output"),
// written atomically from the reducer's final state.

import type { RunState } from '../report/state.ts';
import { writeFileAtomic } from './atomic.ts';

export interface TrackerReport {
  readonly name: string;
  readonly type: string;
  readonly status: 'ok' | 'failed';
  readonly error?: string;
  readonly bugs: number;
  readonly requests: number;
  readonly cached: number;
  readonly revalidated: number;
  readonly retried: number;
  readonly bytes: number;
  readonly seconds: number;
  readonly warnings: number;
}

export interface RunReport {
  readonly customs: string;
  readonly started_at?: string;
  readonly finished_at?: string;
  readonly exit_code?: number;
  readonly interrupted: boolean;
  readonly output?: string;
  /** Records in the output, including those kept from the previous run. */
  readonly records?: number;
  readonly trackers: readonly TrackerReport[];
}

export function buildReport(state: RunState, version: string): RunReport {
  return {
    customs: version,
    started_at: state.startedAt,
    finished_at: state.finishedAt,
    exit_code: state.exitCode,
    interrupted: state.interrupted,
    output: state.output,
    records: state.records,
    trackers: state.order.flatMap((name) => {
      const t = state.trackers[name];
      if (!t) return [];
      return [
        {
          name,
          type: t.type,
          status: t.status === 'ok' ? 'ok' : 'failed',
          ...(t.error !== undefined && t.status !== 'ok' ? { error: t.error } : {}),
          bugs: t.bugs,
          requests: t.requests,
          cached: t.cached,
          revalidated: t.revalidated,
          retried: t.retries,
          bytes: t.bytes,
          seconds: Math.round(t.seconds * 1000) / 1000,
          warnings: t.warnings,
        },
      ];
    }),
  };
}

export function writeReport(path: string, report: RunReport): void {
  writeFileAtomic(path, `${JSON.stringify(report, null, 2)}\n`);
}
