// The Results browser's detail pane: every field of one record (read again from the file), in
// the order of the record schema, long text wrapped to the width, scrollable, the link on top.

import { Box, Text } from 'ink';
import type React from 'react';
import { tone } from '../run/format.ts';

/** ParsedBug fields in the order of schema/parsed-bug.schema.json; others follow as they come. */
export const FIELD_ORDER = [
  'canonical_bug_link',
  'title',
  '_tracker_name',
  '_project_name',
  'status',
  'importance',
  'looks_closed',
  'good_for_newcomers',
  'concerns_just_documentation',
  '_deleted',
  '_no_update',
  'date_reported',
  'last_touched',
  'last_polled',
  'submitter_username',
  'submitter_realname',
  'people_involved',
  'as_appears_in_distribution',
  'description',
  'raw_data',
] as const;

export interface DetailLine {
  readonly text: string;
  readonly label?: string;
  readonly color?: string;
}

const LABEL_WIDTH = 29;

/** Hard-wraps `text` (its own newlines kept) to `width` columns. */
export function wrapText(text: string, width: number): string[] {
  const out: string[] = [];
  const w = Math.max(10, width);
  for (const raw of text.replace(/\r\n?/g, '\n').replace(/\t/g, '  ').split('\n')) {
    let line = raw;
    while (line.length > w) {
      const space = line.lastIndexOf(' ', w);
      const cut = space > w / 2 ? space : w;
      out.push(line.slice(0, cut));
      line = line.slice(cut).replace(/^ /, '');
    }
    out.push(line);
  }
  return out;
}

function show(value: unknown): string {
  if (typeof value === 'string') return value === '' ? '""' : value;
  if (value === undefined) return '';
  return typeof value === 'object' && value !== null ? JSON.stringify(value, null, 2) : String(value);
}

/** Every field of `record` as display lines of at most `width` columns. */
export function detailLines(record: Readonly<Record<string, unknown>>, width: number): DetailLine[] {
  const keys = [...FIELD_ORDER.filter((k) => k in record), ...Object.keys(record).filter((k) => !(FIELD_ORDER as readonly string[]).includes(k))];
  const lines: DetailLine[] = [];
  if (record._deleted === true) lines.push({ text: 'deleted upstream: the tracker no longer has this bug (404/410 on refresh)', color: 'red' });
  if (record._no_update === true) lines.push({ text: 'no update: a refresh found nothing new; the earlier record stands', color: 'yellow' });
  for (const key of keys) {
    const value = show(record[key]);
    const long = key === 'description' || key === 'raw_data' || value.includes('\n') || value.length > width - LABEL_WIDTH;
    if (!long) {
      lines.push({ label: key, text: value });
      continue;
    }
    lines.push({ label: key, text: '' });
    for (const line of wrapText(value, width - 2)) lines.push({ text: `  ${line}` });
  }
  return lines;
}

export function DetailPane(props: {
  readonly lines: readonly DetailLine[];
  readonly scroll: number;
  readonly height: number;
  readonly color: boolean;
}): React.ReactElement {
  const visible = props.lines.slice(props.scroll, props.scroll + props.height);
  const filler = Math.max(0, props.height - visible.length);
  return (
    <Box flexDirection="column">
      {visible.map((line, k) => (
        <Text key={`${props.scroll + k}`} wrap="truncate-end" color={line.color ? tone(props.color, line.color) : undefined}>
          {line.label !== undefined ? <Text bold>{`${line.label}:`.padEnd(LABEL_WIDTH)}</Text> : null}
          {line.label === 'canonical_bug_link' ? <Text color={tone(props.color, 'blue')} underline>{line.text}</Text> : line.text}
        </Text>
      ))}
      {Array.from({ length: filler }, (_, k) => (
        <Text key={`empty-${k}`}> </Text>
      ))}
    </Box>
  );
}
