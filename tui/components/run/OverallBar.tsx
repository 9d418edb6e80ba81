// The Run screen's overall line: trackers done of all as a bar, totals, elapsed time and an
// estimate of the time left (from the pace of the trackers finished so far).

import { Text } from 'ink';
import type React from 'react';
import type { RunState } from '../../../src/report/state.ts';
import { bar, clock, count } from './format.ts';

export interface Progress {
  readonly done: number;
  readonly total: number;
  readonly bugs: number;
  readonly requests: number;
  readonly elapsed: number;
  /** Seconds, once at least one tracker finished and some remain. */
  readonly left?: number;
}

export function progressOf(state: RunState, nowMs: number): Progress {
  let done = 0;
  let bugs = 0;
  let requests = 0;
  for (const name of state.order) {
    const t = state.trackers[name];
    if (!t) continue;
    if (t.status === 'ok' || t.status === 'failed') done++;
    bugs += t.bugs;
    requests += t.requests;
  }
  const total = state.order.length;
  const end = state.finishedAt ? Date.parse(state.finishedAt) : nowMs;
  const elapsed = state.startedAt ? Math.max(0, (end - Date.parse(state.startedAt)) / 1000) : 0;
  const left = done > 0 && done < total && !state.finishedAt ? (elapsed / done) * (total - done) : undefined;
  return { done, total, bugs, requests, elapsed, ...(left === undefined ? {} : { left }) };
}

export function OverallBar(props: { readonly state: RunState; readonly nowMs: number; readonly width: number }): React.ReactElement {
  const p = progressOf(props.state, props.nowMs);
  const text = ` ${p.done}/${p.total} trackers · ${count(p.bugs)} bugs · ${count(p.requests)} requests · ${clock(p.elapsed)}${p.left !== undefined ? ` · about ${clock(p.left)} left` : ''}`;
  const barWidth = Math.max(10, Math.min(30, props.width - text.length - 2));
  return (
    <Text wrap="truncate-end">
      <Text bold>{bar(p.done, p.total, barWidth)}</Text>
      {text}
    </Text>
  );
}
