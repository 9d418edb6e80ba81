// The Run screen's live area: one row per running tracker, the waiting ones, an overall bar and
// the keys. Above it, RunLog (rendered by the App, as it must never unmount) prints finished
// trackers, failures in red and at the end the same summary as `--ci`. It reads the RunStore,
// which batches renders; a slow clock only moves the spinner and countdowns.

import { Box, Text } from 'ink';
import type React from 'react';
import { useEffect, useLayoutEffect, useRef, useState, useSyncExternalStore } from 'react';
import type { TrackerState } from '../../src/report/state.ts';
import { OverallBar } from '../components/run/OverallBar.tsx';
import { rowHeader, TrackerRow } from '../components/run/TrackerRow.tsx';
import { cell, spinnerFrame, tone } from '../components/run/format.ts';
import { useTerminalSize } from '../components/run/use-terminal-size.ts';
import { footerText, isCtrlC, isLeave, RUN_KEYS_RUNNING, runKeysDone, useKeys } from '../keys.ts';
import type { RunSnapshot, RunStore } from '../store.ts';

export interface RunScreenProps {
  readonly store: RunStore;
  /** Colours on (false under NO_COLOR). */
  readonly color: boolean;
  /** `c` or Ctrl-C: stop the run as SIGINT does (a second Ctrl-C quits at once). */
  readonly onCancel: () => void;
  /** After the run: open the results browser, or leave. */
  readonly onFinish: (next: 'results' | 'quit') => void;
  /** What leaving means here: quit the program, or back to Home. */
  readonly leave?: 'quit' | 'back';
  readonly now?: () => number;
  /**
   * How often the screen redraws for the clock alone (countdowns, elapsed time), ms; 0 stops it
   * (tests). Store updates redraw it too, and the spinner moves with every redraw.
   */
  readonly tickMs?: number;
}

/** Whether the output file was written and can be browsed. */
export function canBrowse(snapshot: RunSnapshot): boolean {
  const s = snapshot.state;
  if (s.finishedAt === undefined || s.interrupted || s.output === undefined || s.output === 'stdout') return false;
  return s.order.some((n) => s.trackers[n]?.status === 'ok');
}

/**
 * The time, redrawn every `tickMs` while `running` — unless something else redrew the screen
 * meanwhile (`lastDrawn`): store updates already move the clock.
 */
function useClock(now: () => number, tickMs: number, running: boolean, lastDrawn: { readonly current: number }): number {
  const [time, setTime] = useState(now);
  useEffect(() => {
    if (!running || tickMs <= 0) return undefined;
    const timer = setInterval(() => {
      if (now() - lastDrawn.current >= tickMs - 10) setTime(now());
    }, tickMs);
    return () => clearInterval(timer);
  }, [now, tickMs, running, lastDrawn]);
  return time;
}

export function RunScreen(props: RunScreenProps): React.ReactElement {
  const { store, color } = props;
  const leave = props.leave ?? 'quit';
  const now = props.now ?? Date.now;
  store.renderStarted();
  const lastDrawn = useRef(0);
  // After the commit and Ink's frame: how long this render took (the store paces itself on it).
  useLayoutEffect(() => {
    lastDrawn.current = now();
    store.renderDone();
  });
  const snapshot = useSyncExternalStore(store.subscribe, store.getSnapshot);
  const { state } = snapshot;
  const finished = state.finishedAt !== undefined || snapshot.ended !== undefined;
  // The clock alone redraws no more often than the store may (slow renders stretch both).
  const tickMs = props.tickMs === 0 ? 0 : Math.max(props.tickMs ?? 500, Math.round(store.currentIntervalMs / 100) * 100);
  const ticked = useClock(now, tickMs, !finished, lastDrawn);
  // A store update re-renders too: read the clock then as well, so countdowns never lag behind.
  const nowMs = Math.max(ticked, finished ? 0 : now());
  const { columns, rows } = useTerminalSize();
  const browse = canBrowse(snapshot);
  const left = useRef(false);

  const finish = (next: 'results' | 'quit'): void => {
    if (left.current) return;
    left.current = true;
    props.onFinish(next);
  };

  useKeys((input, key) => {
    if (!finished) {
      if (input === 'c' && !key.ctrl && !snapshot.cancelling) {
        store.markCancelling();
        props.onCancel();
      } else if (isCtrlC(input, key)) {
        store.markCancelling();
        props.onCancel();
      }
      return;
    }
    if (input === 'r' && browse) finish('results');
    else if (isLeave(input, key) || key.return || isCtrlC(input, key)) finish('quit');
  });

  // Cancelled: nothing to browse, nothing to wait for.
  useEffect(() => {
    if (finished && state.interrupted) finish('quit');
  });

  const all = state.order.map((n) => state.trackers[n]).filter((t): t is TrackerState => t !== undefined);
  const running = all.filter((t) => t.status === 'running');
  const waiting = all.filter((t) => t.status === 'waiting');
  const longest = Math.max(7, ...all.map((t) => t.name.length));
  const nameWidth = Math.max(8, Math.min(longest + 1, 28, columns - 48));
  // The live area stays below the terminal's height, so Ink never has to clear the screen.
  const fixedLines = 4 + (snapshot.cancelling ? 1 : 0) + (waiting.length > 0 ? 1 : 0);
  const room = Math.max(1, rows - 1 - fixedLines);
  const shown = running.length > room ? running.slice(0, room - 1) : running;
  const hidden = running.length - shown.length;

  return (
    <Box flexDirection="column">
      {finished ? (
        <Box flexDirection="column" marginTop={1}>
          {snapshot.ended !== undefined && state.startedAt === undefined ? (
            <Text color={tone(color, 'red')}>{`The run did not start (exit code ${snapshot.ended}).`}</Text>
          ) : null}
          <Text dimColor wrap="truncate-end">
            {`exit code ${snapshot.ended ?? state.exitCode ?? 0} · ${footerText(runKeysDone(browse, leave), columns - 16)}`}
          </Text>
        </Box>
      ) : state.startedAt === undefined ? (
        <Text>
          <Text color={tone(color, 'cyan')}>{spinnerFrame(nowMs)}</Text> starting…
        </Text>
      ) : (
        <Box flexDirection="column">
          <Text dimColor wrap="truncate-end">
            {running.length > 0 ? rowHeader(nameWidth) : ' '}
          </Text>
          {shown.map((t) => (
            <TrackerRow key={t.name} tracker={t} nameWidth={nameWidth} nowMs={nowMs} color={color} />
          ))}
          {hidden > 0 ? <Text dimColor>{`  … and ${hidden} more running`}</Text> : null}
          {waiting.length > 0 ? (
            <Text dimColor wrap="truncate-end">
              {`  waiting: ${cell(waiting.map((t) => t.name).join(', '), Math.max(10, columns - 12))}`}
            </Text>
          ) : null}
          {snapshot.cancelling ? (
            <Text color={tone(color, 'yellow')} wrap="truncate-end">
              cancelling: stopping the requests in flight (Ctrl-C again quits at once)
            </Text>
          ) : null}
          <OverallBar state={state} nowMs={nowMs} width={columns} />
          <Text dimColor wrap="truncate-end">
            {footerText(RUN_KEYS_RUNNING, columns)}
          </Text>
        </Box>
      )}
    </Box>
  );
}
