// Colours for the home and editor screens, and the NO_COLOR rule (https://no-color.org): when
// NO_COLOR is set to anything but "", no colour is used; bold, dim and inverse still mark things.

/** Whether colours may be used now (read on every render, so tests can switch it). */
export function colorsEnabled(): boolean {
  const value = process.env.NO_COLOR;
  return value === undefined || value === '';
}

/** A colour for Ink's `color` prop, or `undefined` under NO_COLOR. */
export function tint(color: string): string | undefined {
  return colorsEnabled() ? color : undefined;
}

/** Marks used beside fields and rows: always text, so they survive NO_COLOR and screen readers. */
export const MARK = {
  error: '✗',
  warning: '!',
  ok: '✓',
  focus: '›',
  changed: '●',
} as const;
