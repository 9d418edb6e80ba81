// A one-line text field: a pure key reducer (the screen owning the keyboard calls it) and a view
// that scrolls horizontally to keep the cursor in sight. Keys: arrows, Home/End (^A/^E), Backspace,
// ^U/^K (clear before/after the cursor), ^W (word), Enter, Esc. Pasted text arrives in one piece.

import { Text } from 'ink';
import type { Key } from 'ink';
import type { ReactElement } from 'react';

export interface TextState {
  readonly value: string;
  /** 0..value.length */
  readonly cursor: number;
}

export type TextAction = 'submit' | 'cancel' | 'up' | 'down' | undefined;

export function textState(value: string): TextState {
  return { value, cursor: value.length };
}

/** Apply one key. Returns the new state and what the key asked for beyond editing. */
export function applyTextKey(state: TextState, input: string, key: Key): { state: TextState; action: TextAction } {
  const { value, cursor } = state;
  const at = (v: string, c: number): { state: TextState; action: TextAction } => ({ state: { value: v, cursor: Math.max(0, Math.min(v.length, c)) }, action: undefined });
  if (key.return) return { state, action: 'submit' };
  if (key.escape) return { state, action: 'cancel' };
  if (key.upArrow) return { state, action: 'up' };
  if (key.downArrow) return { state, action: 'down' };
  if (key.leftArrow) return at(value, cursor - 1);
  if (key.rightArrow) return at(value, cursor + 1);
  if (key.home || (key.ctrl && input === 'a')) return at(value, 0);
  if (key.end || (key.ctrl && input === 'e')) return at(value, value.length);
  if (key.backspace || key.delete) return cursor === 0 ? { state, action: undefined } : at(value.slice(0, cursor - 1) + value.slice(cursor), cursor - 1);
  if (key.ctrl && input === 'u') return at(value.slice(cursor), 0);
  if (key.ctrl && input === 'k') return at(value.slice(0, cursor), cursor);
  if (key.ctrl && input === 'w') {
    const before = value.slice(0, cursor).replace(/\S+\s*$/, '');
    return at(before + value.slice(cursor), before.length);
  }
  if (key.ctrl || key.meta || key.tab) return { state, action: undefined };
  // Printable text (typed or pasted). A pasted line break ends the field, like Enter; other
  // control characters are dropped.
  const lineBreak = input.search(/[\r\n]/);
  const piece = lineBreak >= 0 ? input.slice(0, lineBreak) : input;
  const text = piece.replace(/[\u0000-\u001f\u007f]/g, '');
  const next = text === '' ? state : { value: value.slice(0, cursor) + text + value.slice(cursor), cursor: cursor + text.length };
  return { state: next, action: lineBreak >= 0 ? 'submit' : undefined };
}

/** The field, `width` columns wide, with the cursor shown inverse. */
export function TextField(props: { readonly state: TextState; readonly width: number; readonly placeholder?: string }): ReactElement {
  const { value, cursor } = props.state;
  const width = Math.max(4, props.width);
  if (value === '' && props.placeholder) {
    return (
      <Text>
        <Text inverse> </Text>
        <Text dimColor>{props.placeholder.slice(0, width - 1)}</Text>
      </Text>
    );
  }
  // Scroll so that the cursor stays inside the window, with a "…" where text is cut off.
  let start = 0;
  if (cursor >= width - 1) start = cursor - (width - 2);
  const shown = value.slice(start, start + width - 1);
  const pos = cursor - start;
  const before = (start > 0 ? '…' : '') + shown.slice(start > 0 ? 1 : 0, pos);
  const under = shown[pos] ?? ' ';
  const after = shown.slice(pos + 1);
  const cut = start + width - 1 < value.length;
  return (
    <Text>
      {before}
      <Text inverse>{under}</Text>
      {cut ? `${after.slice(0, -1)}…` : after}
    </Text>
  );
}
