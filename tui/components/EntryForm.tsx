// The editor's form, built from field declarations: which fields a tracker type shows (the shared
// ones plus the type's own, the type's spec winning), the value each field holds while editing,
// how it becomes a YAML value again, and the rows the editor draws.

import { Box, Text } from 'ink';
import type { ReactElement } from 'react';
import { COMMON_FIELDS } from '../../trackers/common.ts';
import type { EntryValue } from '../../src/config/save.ts';
import { looksLikeToken, type Problem } from '../../src/config/validate.ts';
import type { FieldSpec, TrackerAdapter } from '../../src/core/types.ts';
import { scrollTop } from './SelectList.tsx';
import { MARK, tint } from './Theme.tsx';

/** What one field holds while it is edited. */
export type FieldValue =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'list'; readonly items: readonly string[] }
  | { readonly kind: 'bool'; readonly value: boolean | undefined };

/** Common keys every type uses (the others appear only for the types that declare them, or when set). */
const ALWAYS_SHOWN = ['tracker_name', 'bugimporter', 'as_appears_in_distribution'];

function isBlank(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === 'string' && value.trim() === '') || (Array.isArray(value) && value.length === 0);
}

/**
 * The fields of the form, in order: tracker_name and bugimporter, the type's own fields as it
 * declares them, then shared fields that apply (or that the entry sets, so nothing is hidden).
 */
export function formSpecs(adapter: TrackerAdapter | undefined, raw: Readonly<Record<string, unknown>>): FieldSpec[] {
  const common = new Map(COMMON_FIELDS.map((f) => [f.name, f]));
  const out: FieldSpec[] = [];
  const seen = new Set<string>();
  const push = (spec: FieldSpec): void => {
    if (seen.has(spec.name)) return;
    seen.add(spec.name);
    out.push(spec);
  };
  for (const name of ['tracker_name', 'bugimporter']) {
    const spec = common.get(name);
    if (spec) push(spec);
  }
  for (const spec of adapter?.fields ?? []) push(spec);
  for (const spec of COMMON_FIELDS) {
    if (ALWAYS_SHOWN.includes(spec.name) || !isBlank(raw[spec.name])) push(spec);
  }
  return out;
}

/** Keys the entry has that the form does not show (kept as they are when saving). */
export function otherKeys(specs: readonly FieldSpec[], raw: Readonly<Record<string, unknown>>): string[] {
  const names = new Set(specs.map((s) => s.name));
  return Object.keys(raw).filter((k) => !names.has(k));
}

function asText(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value.join(', ');
  return JSON.stringify(value);
}

/** The form value of a field from the entry's raw value. */
export function initialValue(spec: FieldSpec, raw: unknown): FieldValue {
  switch (spec.kind) {
    case 'url-list':
      if (Array.isArray(raw)) return { kind: 'list', items: raw.map((v: unknown) => asText(v)) };
      return { kind: 'list', items: isBlank(raw) ? [] : [asText(raw)] };
    case 'boolean': {
      if (typeof raw === 'boolean') return { kind: 'bool', value: raw };
      const word = typeof raw === 'string' ? raw.trim().toLowerCase() : '';
      return { kind: 'bool', value: ['true', 'yes', 'on'].includes(word) ? true : ['false', 'no', 'off'].includes(word) ? false : undefined };
    }
    default:
      return { kind: 'text', text: asText(raw) };
  }
}

/** The value written to the file; `undefined` means "leave the key out". */
export function entryValue(spec: FieldSpec, value: FieldValue): EntryValue | undefined {
  switch (value.kind) {
    case 'list': {
      const items = value.items.map((i) => i.trim()).filter((i) => i !== '');
      return items.length > 0 ? items : undefined;
    }
    case 'bool':
      return value.value;
    case 'text': {
      const text = value.text.trim();
      if (text === '') return undefined;
      if (spec.kind === 'integer' && /^-?\d+$/.test(text)) return Number(text);
      return text;
    }
  }
}

export function sameValue(a: FieldValue | undefined, b: FieldValue | undefined): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

const KIND_WORDS: Readonly<Record<FieldSpec['kind'], string>> = {
  string: 'text',
  url: 'URL',
  'url-list': 'list of URLs',
  boolean: 'yes / no',
  integer: 'whole number',
  choice: 'choice',
  'comma-list': 'comma list',
  'name-format': 'pattern',
  'env-name': 'name of an environment variable',
};

/** `URL · required`, `choice of key, wboard · optional · default open` … */
export function describeSpec(spec: FieldSpec): string {
  let kind = KIND_WORDS[spec.kind];
  if (spec.kind === 'choice' && spec.choices && spec.choices.length > 0) kind = `one of ${spec.choices.join(', ')}`;
  if (spec.kind === 'integer' && spec.min !== undefined && spec.max !== undefined) kind += ` from ${spec.min} to ${spec.max}`;
  const required = spec.required === true ? 'required' : spec.required === false ? 'optional' : `required ${spec.required}`;
  const parts = [kind, required];
  if (spec.default !== undefined && spec.default !== '""' && spec.default !== '[]') parts.push(`default ${spec.default}`);
  return parts.join(' · ');
}

/** A token typed where a variable name belongs is never shown in full. */
export function maskSecret(text: string): string {
  return looksLikeToken(text) ? `${text.slice(0, 4)}${'•'.repeat(Math.min(12, Math.max(4, text.length - 4)))}` : text;
}

/** The value as a row shows it (one line). */
export function displayValue(spec: FieldSpec, value: FieldValue | undefined): { readonly text: string; readonly placeholder: boolean } {
  if (!value) return { text: '', placeholder: true };
  switch (value.kind) {
    case 'list': {
      const n = value.items.length;
      if (n === 0) return { text: '(none) · Enter to add', placeholder: true };
      return { text: `${n} URL${n === 1 ? '' : 's'}: ${value.items[0] ?? ''}${n > 1 ? ' …' : ''}`, placeholder: false };
    }
    case 'bool':
      return value.value === undefined ? { text: `(not set${spec.default !== undefined ? `: ${spec.default}` : ''})`, placeholder: true } : { text: value.value ? 'yes' : 'no', placeholder: false };
    case 'text': {
      if (value.text === '') {
        if (spec.kind === 'choice') return { text: `(not set${spec.default !== undefined ? `: ${spec.default}` : ''})`, placeholder: true };
        if (spec.example !== undefined) return { text: `e.g. ${spec.example}`, placeholder: true };
        return { text: '', placeholder: true };
      }
      return { text: spec.kind === 'env-name' ? maskSecret(value.text) : value.text, placeholder: false };
    }
  }
}

/** Problems of one field, worst first. */
export function fieldProblems(problems: readonly Problem[], name: string): Problem[] {
  return problems.filter((p) => p.field === name).sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1));
}

export interface FieldRowsProps {
  readonly specs: readonly FieldSpec[];
  readonly values: Readonly<Record<string, FieldValue>>;
  readonly changed: ReadonlySet<string>;
  readonly problems: readonly Problem[];
  readonly selected: number;
  readonly height: number;
  readonly width: number;
  /** The row being edited, drawn by the caller (a text field). */
  readonly editing?: { readonly index: number; readonly node: ReactElement };
}

/** The form's rows: marker, key (with * when required), value, and ✗ / ! for its problems. */
export function FieldRows(props: FieldRowsProps): ReactElement {
  const { specs, values, selected, width } = props;
  const height = Math.max(1, props.height);
  const labelWidth = labelWidthFor(specs, width);
  const top = scrollTop(selected, specs.length, height);
  const shown = specs.slice(top, top + height);
  const valueWidth = Math.max(8, width - labelWidth - 5);
  return (
    <Box flexDirection="column" width={width}>
      {shown.map((spec, i) => {
        const index = top + i;
        const focused = index === selected;
        const problems = fieldProblems(props.problems, spec.name);
        const worst = problems[0]?.severity;
        const mark = worst === 'error' ? MARK.error : worst === 'warning' ? MARK.warning : props.changed.has(spec.name) ? MARK.changed : ' ';
        const markColor = worst === 'error' ? 'red' : worst === 'warning' ? 'yellow' : 'cyan';
        const shownValue = displayValue(spec, values[spec.name]);
        const more = i === 0 && top > 0 ? '↑' : i === shown.length - 1 && top + shown.length < specs.length ? '↓' : ' ';
        return (
          <Box key={spec.name} width={width}>
            <Text color={focused ? tint('cyan') : undefined} bold>
              {focused ? MARK.focus : ' '}
            </Text>
            <Text color={mark === ' ' ? undefined : tint(markColor)}>{mark} </Text>
            <Box width={labelWidth} flexShrink={0}>
              <Text bold={focused} inverse={focused && !tint('cyan')} color={focused ? tint('cyan') : undefined}>
                {`${spec.name}${spec.required === true ? ' *' : ''}`.slice(0, labelWidth - 1)}
              </Text>
            </Box>
            <Box width={valueWidth} overflow="hidden">
              {props.editing && props.editing.index === index ? (
                props.editing.node
              ) : (
                <Text dimColor={shownValue.placeholder} wrap="truncate-end">
                  {shownValue.text}
                </Text>
              )}
            </Box>
            <Text dimColor>{more}</Text>
          </Box>
        );
      })}
    </Box>
  );
}

/** The width left for a value when editing it in place (same arithmetic as FieldRows). */
export function valueWidthFor(specs: readonly FieldSpec[], width: number): number {
  return Math.max(8, width - labelWidthFor(specs, width) - 5);
}

/** The key column: the longest key, within 14..28 columns and at most 40% of the width. */
function labelWidthFor(specs: readonly FieldSpec[], width: number): number {
  return Math.max(10, Math.min(28, Math.floor(width * 0.4), Math.max(14, ...specs.map((s) => s.name.length + 3))));
}

/** Word-wrap `text` to lines of at most `width` columns (long words are cut). */
export function wrapLines(text: string, width: number): string[] {
  const max = Math.max(4, width);
  const lines: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = '';
    for (const word of paragraph.split(/\s+/).filter((w) => w !== '')) {
      let piece = word;
      while (piece.length > max) {
        if (line) lines.push(line);
        lines.push(piece.slice(0, max));
        piece = piece.slice(max);
        line = '';
      }
      if (line === '') line = piece;
      else if (line.length + 1 + piece.length <= max) line += ` ${piece}`;
      else {
        lines.push(line);
        line = piece;
      }
    }
    lines.push(line);
  }
  return lines;
}
