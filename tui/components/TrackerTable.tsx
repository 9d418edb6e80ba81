// Home's table of trackers: name, type, number of queries, the last run's result, and a mark for
// the entry's problems. Columns shrink with the terminal; the name column takes what is left.

import { Box, Text } from 'ink';
import type { ReactElement } from 'react';
import type { TrackerReport } from '../../src/sinks/report.ts';
import { scrollTop } from './SelectList.tsx';
import { MARK, tint } from './Theme.tsx';

export interface TrackerRow {
  readonly name: string;
  readonly type: string;
  /** Number of query URLs, or a word when the type needs none (`repo`). */
  readonly queries: string;
  readonly severity?: 'error' | 'warning';
  readonly lastRun?: TrackerReport;
}

/** `5 min ago`, `3 h ago`, `2 days ago`, or the date, for a report's time stamp. */
export function relativeTime(iso: string | undefined, now: number = Date.now()): string {
  if (!iso) return '';
  const then = Date.parse(iso);
  if (Number.isNaN(then)) return '';
  const s = Math.max(0, Math.round((now - then) / 1000));
  if (s < 60) return 'just now';
  if (s < 3600) return `${Math.round(s / 60)} min ago`;
  if (s < 86_400) return `${Math.round(s / 3600)} h ago`;
  if (s < 86_400 * 14) return `${Math.round(s / 86_400)} day${Math.round(s / 86_400) === 1 ? '' : 's'} ago`;
  return iso.slice(0, 10);
}

/** The last-run cell: `✓ 120 bugs · 2 h ago`, `✗ failed · 2 h ago`, or `not run yet`. */
export function lastRunText(report: TrackerReport | undefined, when: string | undefined, hasReport: boolean, now?: number): string {
  if (!report) return hasReport ? 'not in the last run' : 'not run yet';
  const age = relativeTime(when, now);
  const result = report.status === 'ok' ? `${MARK.ok} ${report.bugs} bug${report.bugs === 1 ? '' : 's'}` : `${MARK.error} failed${report.bugs > 0 ? ` (${report.bugs} bugs)` : ''}`;
  return age ? `${result} · ${age}` : result;
}

export function TrackerTable(props: {
  readonly rows: readonly TrackerRow[];
  readonly selected: number;
  readonly height: number;
  readonly width: number;
  readonly reportTime: string | undefined;
  readonly hasReport: boolean;
}): ReactElement {
  const { rows, width } = props;
  const height = Math.max(1, props.height - 1);
  const typeWidth = width >= 70 ? 11 : 9;
  const queriesWidth = width >= 70 ? 9 : 8;
  const runWidth = Math.max(12, Math.min(32, Math.floor(width * 0.36)));
  const nameWidth = Math.max(8, width - 4 - typeWidth - queriesWidth - runWidth);
  const top = scrollTop(props.selected, rows.length, height);
  const shown = rows.slice(top, top + height);
  return (
    <Box flexDirection="column" width={width}>
      <Box width={width}>
        <Text dimColor>{'    '}</Text>
        <Box width={nameWidth} flexShrink={0}>
          <Text dimColor bold>
            NAME
          </Text>
        </Box>
        <Box width={typeWidth} flexShrink={0}>
          <Text dimColor bold>
            TYPE
          </Text>
        </Box>
        <Box width={queriesWidth} flexShrink={0}>
          <Text dimColor bold>
            QUERIES
          </Text>
        </Box>
        <Text dimColor bold>
          LAST RUN
        </Text>
      </Box>
      {shown.map((row, i) => {
        const index = top + i;
        const focused = index === props.selected;
        const mark = row.severity === 'error' ? MARK.error : row.severity === 'warning' ? MARK.warning : ' ';
        const runText = lastRunText(row.lastRun, props.reportTime, props.hasReport);
        const runColor = row.lastRun ? (row.lastRun.status === 'ok' ? 'green' : 'red') : undefined;
        const more = i === 0 && top > 0 ? '↑' : i === shown.length - 1 && top + shown.length < rows.length ? '↓' : ' ';
        return (
          <Box key={`${index}-${row.name}`} width={width}>
            <Text bold color={focused ? tint('cyan') : undefined}>
              {focused ? MARK.focus : ' '}
            </Text>
            <Text color={row.severity === 'error' ? tint('red') : tint('yellow')}>{mark}</Text>
            <Text dimColor>{more} </Text>
            <Box width={nameWidth} flexShrink={0}>
              <Text bold={focused} inverse={focused && !tint('cyan')} color={focused ? tint('cyan') : undefined} wrap="truncate-end">
                {row.name}
              </Text>
            </Box>
            <Box width={typeWidth} flexShrink={0}>
              <Text wrap="truncate-end">{row.type}</Text>
            </Box>
            <Box width={queriesWidth} flexShrink={0}>
              <Text wrap="truncate-end">{row.queries}</Text>
            </Box>
            <Box width={runWidth} flexShrink={0}>
              <Text color={runColor ? tint(runColor) : undefined} dimColor={!row.lastRun} wrap="truncate-end">
                {runText}
              </Text>
            </Box>
          </Box>
        );
      })}
    </Box>
  );
}
