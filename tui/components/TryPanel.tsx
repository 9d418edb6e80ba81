// What "Try it" shows: the request under way, or what one page of the first query gave (how many
// bugs, the first titles, whether more pages or follow-ups were left for a real run), or the error.

import { Box, Text } from 'ink';
import type { ReactElement } from 'react';
import type { TryResult } from '../../src/cli/try-tracker.ts';
import { MARK, tint } from './Theme.tsx';

export type TryState =
  | { readonly kind: 'running'; readonly name: string }
  | { readonly kind: 'blocked'; readonly reason: string }
  | { readonly kind: 'done'; readonly name: string; readonly result: TryResult };

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** The one-sentence summary of a result (also used in tests). */
export function trySummary(result: TryResult): string {
  if (!result.ok) return `${MARK.error} ${result.error ?? 'failed'}`;
  const more: string[] = [];
  if (result.morePages) more.push('more pages follow');
  if (result.skipped > 0) more.push(`${result.skipped} more requests left for a real run`);
  const tail = more.length > 0 ? ` (${more.join('; ')})` : '';
  return `${MARK.ok} ${plural(result.bugs, 'bug')} from the first page, ${plural(result.requests, 'request')}, ${result.seconds.toFixed(1)} s${tail}`;
}

export function TryPanel(props: { readonly state: TryState; readonly width: number; readonly height: number; readonly spinner: string }): ReactElement {
  const { state, width } = props;
  const height = Math.max(2, props.height);
  if (state.kind === 'running') {
    return (
      <Box flexDirection="column" width={width} height={height}>
        <Text>
          <Text color={tint('cyan')}>{props.spinner}</Text> Trying "{state.name}": fetching one page of its first query…
        </Text>
        <Text dimColor>Esc stops.</Text>
      </Box>
    );
  }
  if (state.kind === 'blocked') {
    return (
      <Box flexDirection="column" width={width} height={height} overflow="hidden">
        <Text color={tint('red')} wrap="wrap">
          {MARK.error} Cannot try yet: {state.reason}
        </Text>
      </Box>
    );
  }
  const { result } = state;
  const warning = result.warnings[0];
  const titleLines = Math.max(0, height - 1 - (result.url ? 1 : 0) - (warning ? 1 : 0));
  return (
    <Box flexDirection="column" width={width} height={height} overflow="hidden">
      <Text color={result.ok ? tint('green') : tint('red')} wrap="truncate-end">
        {trySummary(result)}
      </Text>
      {result.url ? (
        <Text dimColor wrap="truncate-middle">
          {result.url}
        </Text>
      ) : null}
      {result.titles.slice(0, titleLines).map((title, i) => (
        <Text key={`${i}-${title}`} wrap="truncate-end">
          {`  ${i + 1}. ${title}`}
        </Text>
      ))}
      {warning ? (
        <Text color={tint('yellow')} wrap="truncate-end">
          {MARK.warning} {warning}
        </Text>
      ) : null}
    </Box>
  );
}
