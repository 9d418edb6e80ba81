// The key hints at the bottom of a screen: `key label` pairs, wrapped to the terminal's width.

import { Box, Text } from 'ink';
import type { ReactElement } from 'react';

export type KeyHint = readonly [key: string, label: string];

/** How many lines the hints take at `width` columns (for layouts that count rows). */
export function footerLines(hints: readonly KeyHint[], width: number): number {
  let lines = 1;
  let used = 0;
  for (const [key, label] of hints) {
    const size = key.length + 1 + label.length + 2;
    if (used > 0 && used + size > width) {
      lines++;
      used = 0;
    }
    used += size;
  }
  return lines;
}

export function KeyFooter(props: { readonly hints: readonly KeyHint[]; readonly width: number }): ReactElement {
  return (
    <Box flexWrap="wrap" width={props.width} columnGap={2}>
      {props.hints.map(([key, label]) => (
        <Text key={key + label}>
          <Text bold>{key}</Text> <Text dimColor>{label}</Text>
        </Text>
      ))}
    </Box>
  );
}
