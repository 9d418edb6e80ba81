// The `?` help of the Results browser: every key with what it does, from the same list as the
// footer, wrapped to the width and cut to the height (the screen never grows past the terminal).

import { Box, Text } from 'ink';
import type React from 'react';
import type { KeyHelp } from '../../keys.ts';
import { wrapText } from './DetailPane.tsx';

const KEY_WIDTH = 8;

export function KeyHelpList(props: {
  readonly title: string;
  readonly keys: readonly KeyHelp[];
  readonly width: number;
  readonly height: number;
  readonly notes?: readonly string[];
}): React.ReactElement {
  // `keys` undefined: a note line, not indented.
  const lines: { readonly keys?: string; readonly text: string }[] = [];
  for (const k of props.keys) {
    wrapText(k.help ?? k.label, props.width - KEY_WIDTH - 1).forEach((text, n) => lines.push({ keys: n === 0 ? k.keys : '', text }));
  }
  for (const note of props.notes ?? []) {
    lines.push({ text: '' });
    for (const text of wrapText(note, props.width - 1)) lines.push({ text });
  }
  const room = Math.max(0, props.height - 2);
  const filler = Math.max(0, room - lines.length);
  return (
    <Box flexDirection="column">
      <Text bold wrap="truncate-end">
        {props.title}
      </Text>
      <Text> </Text>
      {lines.slice(0, room).map((l, k) => (
        <Text key={`line-${k}`} wrap="truncate-end">
          {l.keys !== undefined ? <Text bold>{l.keys.padEnd(KEY_WIDTH)}</Text> : null}
          {l.text === '' ? ' ' : l.text}
        </Text>
      ))}
      {Array.from({ length: filler }, (_, k) => (
        <Text key={`empty-${k}`}> </Text>
      ))}
    </Box>
  );
}
