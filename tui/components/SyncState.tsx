// State that key handlers can read back at once, and key handlers that are never stale. Several keys can arrive before React renders
// again (a held arrow key, keys sent by tmux or a test in one burst); handlers that read the
// rendered value would all see the same old one. `get()` always gives the latest value.

import { useInput, type Key } from 'ink';
import { useCallback, useRef, useState } from 'react';

export function useSyncState<T>(initial: T | (() => T)): readonly [T, () => T, (next: T | ((previous: T) => T)) => void] {
  const [value, setValue] = useState<T>(initial);
  const ref = useRef<T>(value);
  const get = useCallback(() => ref.current, []);
  const set = useCallback((next: T | ((previous: T) => T)) => {
    ref.current = typeof next === 'function' ? (next as (previous: T) => T)(ref.current) : next;
    setValue(ref.current);
  }, []);
  return [value, get, set] as const;
}

/** What a screen does with one key. */
export type KeyHandler = (input: string, key: Key) => void;

/**
 * `useInput` with a handler that always sees the latest render. Ink re-subscribes a changed
 * handler only after React's passive effects run, so a key arriving in between would reach the
 * previous render's closure; this keeps one subscription and calls the newest handler.
 */
export function useLatestInput(handler: KeyHandler, options: { readonly isActive?: boolean } = {}): void {
  const ref = useRef(handler);
  ref.current = handler;
  const stable = useCallback((input: string, key: Key) => ref.current(input, key), []);
  useInput(stable, options);
}
