// The Results browser's table: one line per bug (flags, title, project, status), the selected
// one marked with `›` (and shown inverse when styles are on), cut to the terminal's width.

import { Box, Text } from 'ink';
import type React from 'react';
import { cell, tone } from '../run/format.ts';
import type { BugIndex, FilteredRows } from './bug-index.ts';
import { FLAG_BROKEN, FLAG_CLOSED, FLAG_DELETED, FLAG_DOC, FLAG_NEW, FLAG_NO_UPDATE } from './bug-index.ts';

export interface ColumnWidths {
  readonly title: number;
  readonly project: number;
  readonly status: number;
}

const FLAGS_WIDTH = 16;

export function columnWidths(width: number): ColumnWidths {
  const project = width >= 100 ? 20 : width >= 70 ? 14 : 0;
  const status = width >= 100 ? 12 : width >= 60 ? 9 : 0;
  const title = Math.max(10, width - 2 - FLAGS_WIDTH - (project ? project + 1 : 0) - (status ? status + 1 : 0) - 1);
  return { title, project, status };
}

/** The third flag: closed, deleted upstream, no update, or a broken line. */
function stateFlag(flags: number): { readonly text: string; readonly color: string } | undefined {
  if (flags & FLAG_BROKEN) return { text: 'broken', color: 'red' };
  if (flags & FLAG_DELETED) return { text: 'deleted', color: 'red' };
  if (flags & FLAG_NO_UPDATE) return { text: 'kept', color: 'gray' };
  if (flags & FLAG_CLOSED) return { text: 'closed', color: 'gray' };
  return undefined;
}

export function TableHeader(props: { readonly width: number }): React.ReactElement {
  const w = columnWidths(props.width);
  return (
    <Text bold wrap="truncate-end">
      {`  ${cell('flags', FLAGS_WIDTH)}${cell('title', w.title)}${w.project ? ` ${cell('project', w.project)}` : ''}${w.status ? ` ${cell('status', w.status)}` : ''}`}
    </Text>
  );
}

export function ResultsTable(props: {
  readonly index: BugIndex;
  readonly rows: FilteredRows;
  readonly top: number;
  readonly height: number;
  readonly cursor: number;
  readonly width: number;
  readonly color: boolean;
}): React.ReactElement {
  const { index, rows, color } = props;
  const w = columnWidths(props.width);
  const lines: React.ReactElement[] = [];
  for (let p = props.top; p < Math.min(rows.length, props.top + props.height); p++) {
    const i = rows.at(p);
    if (i === undefined) continue;
    const flags = index.flags(i);
    const selected = p === props.cursor;
    const state = stateFlag(flags);
    const gone = (flags & (FLAG_DELETED | FLAG_BROKEN)) !== 0;
    lines.push(
      <Text key={i} wrap="truncate-end" inverse={selected}>
        {selected ? '› ' : '  '}
        <Text color={tone(color, 'green')} bold={(flags & FLAG_NEW) !== 0}>
          {flags & FLAG_NEW ? 'NEW ' : '    '}
        </Text>
        <Text color={tone(color, 'cyan')}>{flags & FLAG_DOC ? 'DOC ' : '    '}</Text>
        <Text color={state ? tone(color, state.color) : undefined}>{cell(state?.text ?? '', 8)}</Text>
        <Text strikethrough={gone && color} dimColor={(flags & FLAG_CLOSED) !== 0}>
          {cell(index.title(i), w.title)}
        </Text>
        {w.project ? ` ${cell(index.project(i), w.project)}` : ''}
        {w.status ? ` ${cell(index.status(i), w.status)}` : ''}
      </Text>,
    );
  }
  for (let k = lines.length; k < props.height; k++) lines.push(<Text key={`empty-${k}`}> </Text>);
  return <Box flexDirection="column">{lines}</Box>;
}
