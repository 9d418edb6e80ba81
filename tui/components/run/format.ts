// Small text helpers shared by the Run screen and the Results browser: durations, counts, fixed
// width cells, a progress bar, and `tone`, which drops every colour when NO_COLOR asks for it.

/** The colour name, or undefined when colours are off (NO_COLOR): Ink then adds no escape code. */
export function tone(color: boolean, name: string): string | undefined {
  return color ? name : undefined;
}

/** 75 → "1:15", 3725 → "1:02:05". */
export function clock(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${rest}` : `${m}:${rest}`;
}

/** 1234567 → "1,234,567". */
export function count(n: number): string {
  return n.toLocaleString('en-US');
}

export function plural(n: number, word: string, many = `${word}s`): string {
  return `${count(n)} ${n === 1 ? word : many}`;
}

/** Cuts `text` to `width` columns with an ellipsis, then pads it (right-aligned with `right`). */
export function cell(text: string, width: number, right = false): string {
  if (width <= 0) return '';
  const flat = text.replace(/\s+/g, ' ');
  const cut = flat.length > width ? `${flat.slice(0, Math.max(0, width - 1))}…` : flat;
  return right ? cut.padStart(width) : cut.padEnd(width);
}

/** `[████░░░░]` of `width` cells inside the brackets; ASCII when `ascii`. */
export function bar(done: number, total: number, width: number, ascii = false): string {
  const inner = Math.max(1, width);
  const filled = total > 0 ? Math.min(inner, Math.round((done / total) * inner)) : 0;
  return `[${(ascii ? '#' : '█').repeat(filled)}${(ascii ? '-' : '░').repeat(inner - filled)}]`;
}

export const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'] as const;

export function spinnerFrame(nowMs: number): string {
  return SPINNER[Math.floor(nowMs / 100) % SPINNER.length] ?? '-';
}
