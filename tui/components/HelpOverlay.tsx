// The `?` screen: what each key does, in sections, scrolled when the terminal is short.

import { Box, Text } from 'ink';
import type { ReactElement } from 'react';

export interface HelpSection {
  readonly title: string;
  readonly keys: readonly (readonly [key: string, meaning: string])[];
  readonly text?: string;
}

/** Every line of the help, flattened for scrolling. */
function helpLines(sections: readonly HelpSection[]): { readonly key: string; readonly node: ReactElement }[] {
  const out: { key: string; node: ReactElement }[] = [];
  sections.forEach((section, s) => {
    if (s > 0) out.push({ key: `gap${s}`, node: <Text> </Text> });
    out.push({ key: `t${s}`, node: <Text bold underline>{section.title}</Text> });
    if (section.text) out.push({ key: `x${s}`, node: <Text wrap="wrap">{section.text}</Text> });
    section.keys.forEach(([key, meaning], k) =>
      out.push({
        key: `k${s}.${k}`,
        node: (
          <Box>
            <Box width={14} flexShrink={0}>
              <Text bold>{key}</Text>
            </Box>
            <Text wrap="wrap">{meaning}</Text>
          </Box>
        ),
      }),
    );
  });
  return out;
}

export function HelpOverlay(props: { readonly sections: readonly HelpSection[]; readonly width: number; readonly height: number; readonly offset: number }): ReactElement {
  const lines = helpLines(props.sections);
  const height = Math.max(3, props.height - 1);
  const offset = Math.max(0, Math.min(props.offset, Math.max(0, lines.length - height)));
  const shown = lines.slice(offset, offset + height);
  const more = offset + height < lines.length;
  return (
    <Box flexDirection="column" width={props.width} height={props.height} overflow="hidden">
      {shown.map((line) => (
        <Box key={line.key}>{line.node}</Box>
      ))}
      <Text dimColor>{more ? '↓ more below (↓/PgDn) · ' : ''}Esc or ? closes the help</Text>
    </Box>
  );
}

/** How many lines the help has (for scrolling limits). */
export function helpLength(sections: readonly HelpSection[]): number {
  return helpLines(sections).length;
}
