// One permanent line of the Run screen's log (printed once above the live area by <Static>):
// a finished tracker, a failed one in red with its reason, a warning, a notice, or the summary.

import { Box, Text } from 'ink';
import type React from 'react';
import { formatBytes, formatSummary } from '../../../src/report/ci-text.ts';
import type { TrackerState } from '../../../src/report/state.ts';
import type { LogEntry } from '../../store.ts';
import { tone } from './format.ts';

function requestsPhrase(t: TrackerState): string {
  const extra = [
    t.cached ? `${t.cached} cached` : '',
    t.revalidated ? `${t.revalidated} not modified` : '',
    t.retries ? `${t.retries} retried` : '',
  ].filter(Boolean);
  return `${t.requests} request${t.requests === 1 ? '' : 's'}${extra.length ? ` (${extra.join(', ')})` : ''}`;
}

function seconds(t: TrackerState): string {
  return t.seconds < 10 ? `${t.seconds.toFixed(1)}s` : `${Math.round(t.seconds)}s`;
}

/** The summary: the table rows are cut to the width (columns stay aligned), the verdict wraps. */
function Summary(props: { readonly text: string; readonly color: boolean; readonly failed: ReadonlySet<string> }): React.ReactElement {
  const lines = props.text.split('\n');
  let separators = 0;
  // The lines never move, so their index is their key.
  return (
    <Box flexDirection="column" marginTop={1}>
      {lines.map((line, i) => {
        if (/^-+$/.test(line)) separators++;
        const inTable = separators < 2 || /^-+$/.test(line);
        const bad = inTable ? i > 1 && line.includes('  FAILED  ') : [...props.failed].some((n) => line.startsWith(`${n} failed: `));
        return (
          <Text key={i} wrap={inTable ? 'truncate-end' : 'wrap'} color={bad ? tone(props.color, 'red') : undefined} bold={i === 0}>
            {line}
          </Text>
        );
      })}
    </Box>
  );
}

export function LogLine(props: { readonly entry: LogEntry; readonly color: boolean }): React.ReactElement {
  const { entry, color } = props;
  switch (entry.kind) {
    case 'done': {
      const t = entry.tracker;
      return (
        <Text wrap="truncate-end">
          <Text color={tone(color, 'green')}>✔ </Text>
          <Text bold>{t.name}</Text>
          {`  ${t.bugs} bug${t.bugs === 1 ? '' : 's'} · ${requestsPhrase(t)} · ${formatBytes(t.bytes)} · ${seconds(t)}${t.warnings ? ` · ${t.warnings} warning${t.warnings === 1 ? '' : 's'}` : ''}`}
        </Text>
      );
    }
    case 'failed':
      return (
        <Text color={tone(color, 'red')} wrap="wrap">
          {`✘ ${entry.tracker.name} failed: ${entry.tracker.error ?? 'unknown error'}`}
        </Text>
      );
    case 'interrupted':
      return <Text color={tone(color, 'yellow')}>{`■ ${entry.tracker.name}: interrupted`}</Text>;
    case 'warning':
      return (
        <Text color={tone(color, 'yellow')} wrap="truncate-end">
          {`! ${entry.text}`}
        </Text>
      );
    case 'notice':
      return <Text wrap="wrap">{entry.text}</Text>;
    case 'summary': {
      const failed = new Set(entry.state.order.filter((n) => entry.state.trackers[n]?.status === 'failed'));
      return <Summary text={formatSummary(entry.state)} color={color} failed={failed} />;
    }
  }
}
