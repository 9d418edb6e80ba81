// A list field (queries, existing_bug_urls) opened for editing: one row per URL with its own
// problems marked, and a last row to add one. The editor screen owns the keys.

import { Box, Text } from 'ink';
import type { ReactElement } from 'react';
import type { Problem } from '../../src/config/validate.ts';
import { scrollTop } from './SelectList.tsx';
import { TextField, type TextState } from './TextInput.tsx';
import { MARK, tint } from './Theme.tsx';

/** The problems of item `index` (0-based) of a list field: validation names it `item N of "field"`. */
export function itemProblems(problems: readonly Problem[], field: string, index: number): Problem[] {
  const prefix = `item ${index + 1} of "${field}"`;
  return problems.filter((p) => p.field === field && p.message.includes(prefix));
}

export interface UrlListProps {
  readonly field: string;
  readonly items: readonly string[];
  /** 0..items.length; items.length is the "add" row. */
  readonly selected: number;
  readonly problems: readonly Problem[];
  /** The row being edited (items.length for a new item) and its text. */
  readonly editing?: { readonly index: number; readonly state: TextState };
  readonly height: number;
  readonly width: number;
}

export function UrlList(props: UrlListProps): ReactElement {
  const { items, selected, width, field } = props;
  const rows = items.length + 1;
  const height = Math.max(1, props.height);
  const top = scrollTop(selected, rows, height);
  const indices = Array.from({ length: Math.min(height, rows - top) }, (_, i) => top + i);
  return (
    <Box flexDirection="column" width={width}>
      {indices.map((index) => {
        const focused = index === selected;
        const editing = props.editing?.index === index ? props.editing.state : undefined;
        const isAdd = index === items.length;
        const worst = isAdd ? undefined : itemProblems(props.problems, field, index)[0]?.severity;
        const mark = worst === 'error' ? MARK.error : worst === 'warning' ? MARK.warning : ' ';
        return (
          <Box key={`${field}-${index}`} width={width}>
            <Text bold color={focused ? tint('cyan') : undefined}>
              {focused ? MARK.focus : ' '}
            </Text>
            <Text color={worst === 'error' ? tint('red') : tint('yellow')}>{mark}</Text>
            <Box width={5} flexShrink={0}>
              <Text dimColor>{isAdd ? '' : `${index + 1}.`}</Text>
            </Box>
            <Box width={Math.max(8, width - 8)} overflow="hidden">
              {editing ? (
                <TextField state={editing} width={Math.max(8, width - 8)} placeholder="https://…" />
              ) : isAdd ? (
                <Text dimColor={!focused} bold={focused} inverse={focused && !tint('cyan')} color={focused ? tint('cyan') : undefined}>
                  + add a URL
                </Text>
              ) : (
                <Text wrap="truncate-middle" bold={focused} inverse={focused && !tint('cyan')} color={focused ? tint('cyan') : undefined}>
                  {items[index] ?? ''}
                </Text>
              )}
            </Box>
          </Box>
        );
      })}
    </Box>
  );
}
