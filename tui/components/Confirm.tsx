// A question on one line with its answers as keys: `Delete "Twisted"?  y delete  n keep`.
// The screen that owns the keyboard reads the answer with `answerFor`.

import { Box, Text } from 'ink';
import type { Key } from 'ink';
import type { ReactElement } from 'react';
import { tint } from './Theme.tsx';

export interface Answer<T extends string> {
  /** The key that gives this answer: one character, or "esc" / "enter". */
  readonly key: string;
  readonly label: string;
  readonly value: T;
}

/** The answer a key gives, if any. */
export function answerFor<T extends string>(answers: readonly Answer<T>[], input: string, key: Key): T | undefined {
  for (const a of answers) {
    if (a.key === 'esc' && key.escape) return a.value;
    if (a.key === 'enter' && key.return) return a.value;
    if (a.key.length === 1 && input.toLowerCase() === a.key) return a.value;
  }
  return undefined;
}

export function Confirm<T extends string>(props: { readonly question: string; readonly answers: readonly Answer<T>[]; readonly width: number }): ReactElement {
  return (
    <Box flexDirection="column" width={props.width} borderStyle="round" borderColor={tint('yellow')} paddingX={1}>
      <Text bold>{props.question}</Text>
      <Box columnGap={2} flexWrap="wrap">
        {props.answers.map((a) => (
          <Text key={a.key}>
            <Text bold inverse>
              {` ${a.key === 'esc' ? 'Esc' : a.key === 'enter' ? 'Enter' : a.key} `}
            </Text>{' '}
            {a.label}
          </Text>
        ))}
      </Box>
    </Box>
  );
}

/** Lines the confirmation box takes (borders, question, answers) at `width`. */
export function confirmLines<T extends string>(question: string, answers: readonly Answer<T>[], width: number): number {
  const inner = Math.max(10, width - 4);
  let answerLines = 1;
  let used = 0;
  for (const a of answers) {
    const size = (a.key === 'esc' ? 3 : a.key === 'enter' ? 5 : a.key.length) + 3 + a.label.length + 2;
    if (used > 0 && used + size > inner + 2) {
      answerLines++;
      used = 0;
    }
    used += size;
  }
  return 2 + Math.max(1, Math.ceil(question.length / inner)) + answerLines;
}
