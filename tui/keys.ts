// Key bindings of the Run screen and the Results browser, written once: the screens' input
// handlers test keys with these helpers, and the footers and `?` help are printed from the lists.

import type { Key } from 'ink';
import { useInput } from 'ink';
import { useCallback, useRef } from 'react';

export interface KeyHelp {
  /** As shown: "c", "↑/↓", "Enter". */
  readonly keys: string;
  /** Short, for the footer. */
  readonly label: string;
  /** Longer, for the `?` help (the label when absent). */
  readonly help?: string;
}

export const RUN_KEYS_RUNNING: readonly KeyHelp[] = [
  { keys: 'c', label: 'cancel', help: 'cancel the run gracefully, as Ctrl-C does: the previous output stays as it was' },
  { keys: 'Ctrl-C', label: 'cancel (twice: quit now)' },
];

export function runKeysDone(canBrowse: boolean, leave: 'quit' | 'back'): readonly KeyHelp[] {
  return [
    ...(canBrowse ? [{ keys: 'r', label: 'browse results' }] : []),
    { keys: 'q', label: leave },
  ];
}

export const RESULTS_KEYS: readonly KeyHelp[] = [
  { keys: '↑/↓', label: 'move', help: 'move the selection (also j/k); PgUp/PgDn a page, g/G or Home/End the first/last bug' },
  { keys: 'Enter', label: 'details', help: 'show every field of the selected bug and its link (Enter/Esc back, ←/→ previous/next bug, ↑/↓ scroll)' },
  { keys: '/', label: 'search', help: 'search titles, projects, statuses and trackers as you type (Enter keeps, Esc undoes)' },
  { keys: 't', label: 'tracker', help: 'show one tracker after the other, then all again (T goes backwards)' },
  { keys: 'n', label: 'newcomers', help: 'only bugs good for newcomers (NEW)' },
  { keys: 'd', label: 'docs', help: 'only documentation bugs (DOC)' },
  { keys: 'o', label: 'open/closed', help: 'all bugs, then open ones, then closed ones (deleted upstream counts as closed)' },
  { keys: 'x', label: 'clear', help: 'clear every filter and the search' },
  { keys: '?', label: 'help' },
];

export function resultsLeaveKey(leave: 'quit' | 'back'): KeyHelp {
  return { keys: 'q', label: leave, help: leave === 'quit' ? 'quit (also Esc)' : 'back to where you came from (also Esc)' };
}

/** "c cancel · q quit" cut to `width` columns. */
export function footerText(keys: readonly KeyHelp[], width: number): string {
  let text = '';
  for (const k of keys) {
    const part = `${text === '' ? '' : ' · '}${k.keys} ${k.label}`;
    if (text.length + part.length > width) break;
    text += part;
  }
  return text;
}

export function isUp(input: string, key: Key): boolean {
  return key.upArrow || input === 'k';
}

export function isDown(input: string, key: Key): boolean {
  return key.downArrow || input === 'j';
}

export function isCtrlC(input: string, key: Key): boolean {
  return key.ctrl && input === 'c';
}

/** Backspace arrives as DEL (0x7f) in most terminals, which Ink names `delete`. */
export function isBackspace(key: Key): boolean {
  return key.backspace || key.delete;
}

export function isLeave(input: string, key: Key): boolean {
  return input === 'q' || key.escape;
}

/**
 * useInput with the handler of the latest render. Ink re-subscribes a new handler only in a
 * passive effect, so with plain useInput a key typed right after another can still meet the
 * previous render's closure (stale filters, stale cursor).
 */
export function useKeys(handler: (input: string, key: Key) => void, options: { readonly isActive?: boolean } = {}): void {
  const latest = useRef(handler);
  latest.current = handler;
  const stable = useCallback((input: string, key: Key) => latest.current(input, key), []);
  useInput(stable, options.isActive === undefined ? {} : { isActive: options.isActive });
}
