// A scrolling list with one selected row: the view, and a pure helper turning arrow, page and
// Home/End keys into the next selected index. The screen owning the keyboard calls the helper.

import { Box, Text } from 'ink';
import type { Key } from 'ink';
import type { ReactElement, ReactNode } from 'react';
import { MARK, tint } from './Theme.tsx';

/** The selection after a movement key, or undefined when the key is not one. */
export function moveSelection(index: number, count: number, input: string, key: Key, page: number): number | undefined {
  if (count === 0) return undefined;
  const clamp = (i: number): number => Math.max(0, Math.min(count - 1, i));
  if (key.upArrow || input === 'k') return clamp(index - 1);
  if (key.downArrow || input === 'j') return clamp(index + 1);
  if (key.pageUp) return clamp(index - Math.max(1, page - 1));
  if (key.pageDown) return clamp(index + Math.max(1, page - 1));
  if (key.home) return 0;
  if (key.end) return count - 1;
  return undefined;
}

/** The first row to show so that `selected` is visible in a window of `height` rows. */
export function scrollTop(selected: number, count: number, height: number): number {
  if (count <= height) return 0;
  const top = selected - Math.floor(height / 2);
  return Math.max(0, Math.min(count - height, top));
}

export interface SelectRow {
  readonly key: string;
  readonly content: ReactNode;
}

/** Rows in a window of `height` lines around the selection, with "more" hints at the edges. */
export function SelectList(props: { readonly rows: readonly SelectRow[]; readonly selected: number; readonly height: number; readonly width: number; readonly focused?: boolean }): ReactElement {
  const { rows, selected, width } = props;
  const height = Math.max(1, props.height);
  const top = scrollTop(selected, rows.length, height);
  const visible = rows.slice(top, top + height);
  const above = top;
  const below = rows.length - top - visible.length;
  return (
    <Box flexDirection="column" width={width}>
      {visible.map((row, i) => {
        const index = top + i;
        const isSelected = index === selected && props.focused !== false;
        const hint = i === 0 && above > 0 ? `↑ ${above} more` : i === visible.length - 1 && below > 0 ? `↓ ${below} more` : '';
        return (
          <Box key={row.key} width={width}>
            <Text color={isSelected ? tint('cyan') : undefined} bold={isSelected}>
              {isSelected ? `${MARK.focus} ` : '  '}
            </Text>
            <Box flexGrow={1} flexShrink={1} overflow="hidden">
              <Text inverse={isSelected && !tint('cyan')} wrap="truncate-end">
                {row.content}
              </Text>
            </Box>
            {hint ? <Text dimColor> {hint}</Text> : null}
          </Box>
        );
      })}
    </Box>
  );
}
