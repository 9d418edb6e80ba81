// The live row of one running tracker: spinner, requests (pages) so far, bugs, cache hits, 304s,
// retries, and a countdown while a rate limit pauses its host.

import { Text } from 'ink';
import type React from 'react';
import type { TrackerState } from '../../../src/report/state.ts';
import { cell, clock, spinnerFrame, tone } from './format.ts';

/** The columns after the name: widths shared with the header. */
export const STAT_COLUMNS = [
  { title: 'reqs', width: 6 },
  { title: 'bugs', width: 7 },
  { title: 'cached', width: 7 },
  { title: '304', width: 5 },
  { title: 'retry', width: 6 },
] as const;

export function rowHeader(nameWidth: number): string {
  return `  ${cell('running', nameWidth)}${STAT_COLUMNS.map((c) => cell(c.title, c.width, true)).join('')}`;
}

/** Seconds left of a rate-limit pause at `nowMs`, or undefined when not paused. */
export function pauseLeft(t: TrackerState, nowMs: number): number | undefined {
  if (t.pausedUntil === undefined) return undefined;
  const left = (Date.parse(t.pausedUntil) - nowMs) / 1000;
  return left > 0 ? left : undefined;
}

export function TrackerRow(props: { readonly tracker: TrackerState; readonly nameWidth: number; readonly nowMs: number; readonly color: boolean }): React.ReactElement {
  const { tracker: t, nowMs, color } = props;
  const numbers = [t.requests, t.bugs, t.cached, t.revalidated, t.retries];
  const paused = pauseLeft(t, nowMs);
  const started = t.startedAt ? (nowMs - Date.parse(t.startedAt)) / 1000 : undefined;
  return (
    <Text wrap="truncate-end">
      <Text color={tone(color, paused === undefined ? 'cyan' : 'yellow')}>{paused === undefined ? spinnerFrame(nowMs) : '‖'} </Text>
      {cell(t.name, props.nameWidth)}
      {STAT_COLUMNS.map((c, i) => cell(String(numbers[i] ?? 0), c.width, true)).join('')}
      {paused !== undefined ? (
        <Text color={tone(color, 'yellow')}>{`  paused ${clock(Math.ceil(paused))} (rate limit)`}</Text>
      ) : (
        <Text dimColor>{started !== undefined ? `  ${clock(started)}` : ''}</Text>
      )}
    </Text>
  );
}
