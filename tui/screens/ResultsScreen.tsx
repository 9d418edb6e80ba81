// The Results browser: a bugs.jsonl file as a scrollable table with filters (tracker, good for
// newcomers, documentation, open/closed), a search as you type, a detail pane with every field,
// and `?` help. The file is indexed in the background (see bug-index.ts), so a file of hundreds
// of thousands of records is browsable while it loads; the screen stays one line shorter than the
// terminal, so Ink redraws in place.

import { Box, Text } from 'ink';
import type React from 'react';
import { useEffect, useMemo, useRef, useState } from 'react';
import type { Filters } from '../components/results/bug-index.ts';
import { BugIndex, FilteredRows, NO_FILTERS } from '../components/results/bug-index.ts';
import type { DetailLine } from '../components/results/DetailPane.tsx';
import { DetailPane, detailLines } from '../components/results/DetailPane.tsx';
import { KeyHelpList } from '../components/results/KeyHelpList.tsx';
import { ResultsTable, TableHeader } from '../components/results/ResultsTable.tsx';
import { count, tone } from '../components/run/format.ts';
import { useTerminalSize } from '../components/run/use-terminal-size.ts';
import { footerText, isBackspace, isCtrlC, isDown, isLeave, isUp, RESULTS_KEYS, resultsLeaveKey, useKeys } from '../keys.ts';

export interface ResultsScreenProps {
  /** A JSON Lines file of ParsedBug records. */
  readonly file: string;
  readonly color: boolean;
  /** `q`/Esc: leave (quit the program, or back to where the browser was opened from). */
  readonly onLeave: () => void;
  readonly leave?: 'quit' | 'back';
  /** Least time between two renders while the file loads, ms. */
  readonly progressMs?: number;
}

type Mode = 'table' | 'detail' | 'help' | 'search';

/** Lines the screen uses besides the table: title, filters, column header, footer. */
const CHROME = 4;

/** The position in `rows` of record `record`, or of the first record after it. */
function nearest(rows: FilteredRows, record: number): number {
  let lo = 0;
  let hi = rows.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((rows.rows[mid] ?? 0) < record) lo = mid + 1;
    else hi = mid;
  }
  return Math.min(lo, Math.max(0, rows.length - 1));
}

/** The first visible row: `top` moved just enough to show `position`, and never past the end. */
function scrolled(top: number, position: number, height: number, length: number): number {
  let t = Math.min(top, Math.max(0, length - height));
  if (position < t) t = position;
  else if (position >= t + height) t = position - height + 1;
  return Math.max(0, t);
}

function describeFilters(f: Filters, shown: number): string {
  const parts = [
    f.tracker !== undefined ? `tracker ${f.tracker}` : '',
    f.newcomers ? 'newcomers (NEW)' : '',
    f.docs ? 'documentation (DOC)' : '',
    f.open !== 'all' ? `${f.open} only` : '',
    f.search.trim() !== '' ? `"${f.search.trim()}"` : '',
  ].filter(Boolean);
  return parts.length === 0 ? 'all bugs · t tracker · n newcomers · d docs · o open/closed · / search' : `${count(shown)} shown: ${parts.join(' · ')}`;
}

function openIndex(file: string): { readonly index?: BugIndex; readonly error?: string } {
  try {
    return { index: new BugIndex(file) };
  } catch (err) {
    return { error: err instanceof Error ? err.message : String(err) };
  }
}

export function ResultsScreen(props: ResultsScreenProps): React.ReactElement {
  const { color } = props;
  const leave = props.leave ?? 'quit';
  const { columns, rows: termRows } = useTerminalSize();
  const opened = useMemo(() => openIndex(props.file), [props.file]);
  const index = opened.index;
  const [, setVersion] = useState(0);
  const [filtered, setFiltered] = useState<FilteredRows | undefined>(() => (index ? new FilteredRows(index, NO_FILTERS).extend() : undefined));
  const filters = filtered?.filters ?? NO_FILTERS;
  const [cursor, setCursor] = useState(0);
  const [top, setTop] = useState(0);
  const [mode, setMode] = useState<Mode>('table');
  const [draft, setDraft] = useState('');
  const [detailScroll, setDetailScroll] = useState(0);
  const searchBefore = useRef('');

  const filteredRef = useRef(filtered);
  filteredRef.current = filtered;

  useEffect(() => {
    if (!index) return undefined;
    let last = 0;
    const progressMs = props.progressMs ?? 100;
    void index.load(() => {
      filteredRef.current?.extend();
      const now = performance.now();
      if (index.done || now - last >= progressMs) {
        last = now;
        setVersion((v) => v + 1);
      }
    });
    return () => index.close();
  }, [index, props.progressMs]);

  const tableHeight = Math.max(1, termRows - 1 - CHROME);
  const shown = filtered?.length ?? 0;
  const position = Math.min(cursor, Math.max(0, shown - 1));
  const selected = filtered?.at(position);
  const viewTop = scrolled(top, position, tableHeight, shown);

  const detail = useMemo((): { readonly lines: DetailLine[]; readonly title: string } | undefined => {
    if (mode !== 'detail' || !index || selected === undefined) return undefined;
    const r = index.record(selected);
    if (!r.record) return { title: `line ${selected + 1}`, lines: [{ text: `This line cannot be read: ${r.error ?? 'unknown error'}`, color: 'red' }, ...r.text.split('\n').map((text) => ({ text }))] };
    return { title: String(r.record.canonical_bug_link ?? `line ${selected + 1}`), lines: detailLines(r.record, columns) };
  }, [mode, index, selected, columns]);
  const detailHeight = termRows - 1 - 2;
  const maxDetailScroll = Math.max(0, (detail?.lines.length ?? 0) - detailHeight);

  const move = (to: number): void => {
    const next = Math.max(0, Math.min(to, shown - 1));
    setCursor(next);
    setDetailScroll(0);
    setTop(scrolled(viewTop, next, tableHeight, shown));
  };

  const applyFilters = (next: Filters): void => {
    if (!index) return;
    const rows = new FilteredRows(index, next).extend();
    const keep = selected === undefined ? 0 : nearest(rows, selected);
    setFiltered(rows);
    setCursor(keep);
    setTop(Math.max(0, keep - Math.floor(tableHeight / 2)));
  };

  useKeys((input, key) => {
    if (isCtrlC(input, key)) {
      props.onLeave();
      return;
    }
    if (mode === 'help') {
      setMode('table');
      return;
    }
    if (mode === 'search') {
      if (key.return) {
        setMode('table');
      } else if (key.escape) {
        setDraft(searchBefore.current);
        applyFilters({ ...filters, search: searchBefore.current });
        setMode('table');
      } else if (isBackspace(key)) {
        const next = draft.slice(0, -1);
        setDraft(next);
        applyFilters({ ...filters, search: next });
      } else if (input !== '' && !key.ctrl && !key.meta && !key.upArrow && !key.downArrow && !key.tab) {
        const next = draft + input;
        setDraft(next);
        applyFilters({ ...filters, search: next });
      }
      return;
    }
    if (mode === 'detail') {
      if (key.return || isLeave(input, key)) setMode('table');
      else if (isUp(input, key)) setDetailScroll((s) => Math.max(0, s - 1));
      else if (isDown(input, key)) setDetailScroll((s) => Math.min(maxDetailScroll, s + 1));
      else if (key.pageUp) setDetailScroll((s) => Math.max(0, s - detailHeight));
      else if (key.pageDown || input === ' ') setDetailScroll((s) => Math.min(maxDetailScroll, s + detailHeight));
      else if (key.leftArrow || input === 'h') move(position - 1);
      else if (key.rightArrow || input === 'l') move(position + 1);
      else if (input === '?') setMode('help');
      return;
    }
    if (isLeave(input, key)) props.onLeave();
    else if (isUp(input, key)) move(position - 1);
    else if (isDown(input, key)) move(position + 1);
    else if (key.pageUp) move(position - tableHeight);
    else if (key.pageDown || input === ' ') move(position + tableHeight);
    else if (key.home || input === 'g') move(0);
    else if (key.end || input === 'G') move(shown - 1);
    else if (key.return && selected !== undefined) {
      setDetailScroll(0);
      setMode('detail');
    } else if (input === '/') {
      searchBefore.current = filters.search;
      setDraft(filters.search);
      setMode('search');
    } else if (input === '?') setMode('help');
    else if (input === 'n') applyFilters({ ...filters, newcomers: !filters.newcomers });
    else if (input === 'd') applyFilters({ ...filters, docs: !filters.docs });
    else if (input === 'o') applyFilters({ ...filters, open: filters.open === 'all' ? 'open' : filters.open === 'open' ? 'closed' : 'all' });
    else if (input === 'x') {
      setDraft('');
      applyFilters(NO_FILTERS);
    } else if ((input === 't' || input === 'T') && index) {
      const names = index.trackers.values.filter((n) => n !== '');
      if (names.length === 0) return;
      const at = filters.tracker === undefined ? -1 : names.indexOf(filters.tracker);
      // -1 stands for "all trackers" in the cycle.
      const next = input === 't' ? (at + 2) % (names.length + 1) - 1 : ((at + names.length + 1) % (names.length + 1)) - 1;
      const { tracker: _drop, ...rest } = filters;
      applyFilters(next === -1 ? rest : { ...rest, tracker: names[next] });
    }
  });

  const total = index?.count ?? 0;
  const loading = index !== undefined && !index.done;
  const percent = index && index.size > 0 ? Math.floor((index.bytesRead / index.size) * 100) : 100;
  const titleLine = index
    ? `${props.file} · ${count(total)} record${total === 1 ? '' : 's'}${loading ? ` · reading ${percent}%` : ''}${index.error ? ` · read error: ${index.error}` : ''}`
    : props.file;
  const footerKeys = mode === 'detail' ? [{ keys: 'Enter/Esc', label: 'back' }, { keys: '↑/↓', label: 'scroll' }, { keys: '←/→', label: 'previous/next bug' }] : [...RESULTS_KEYS, resultsLeaveKey(leave)];

  if (!index) {
    return (
      <Box flexDirection="column">
        <Text color={tone(color, 'red')} wrap="wrap">{`Cannot open ${props.file}: ${opened.error ?? 'unknown error'}`}</Text>
        <Text dimColor>{footerText([resultsLeaveKey(leave)], columns)}</Text>
      </Box>
    );
  }

  if (mode === 'help') {
    return (
      <KeyHelpList
        title="Results browser: keys (any key closes this help)"
        keys={[...RESULTS_KEYS, resultsLeaveKey(leave)]}
        width={columns}
        height={termRows - 1}
        notes={['Flags: NEW good for newcomers, DOC documentation only, closed (looks closed), deleted (gone upstream), kept (no update). The file is read once; the detail pane reads its one record again.']}
      />
    );
  }

  return (
    <Box flexDirection="column">
      <Text bold wrap="truncate-end">
        {mode === 'detail' && detail ? `bug ${count(position + 1)} of ${count(shown)} · ${detail.title}` : titleLine}
      </Text>
      {mode === 'detail' && detail ? (
        <>
          <Text dimColor wrap="truncate-end">
            {detail.lines.length > detailHeight ? `lines ${detailScroll + 1}–${Math.min(detail.lines.length, detailScroll + detailHeight)} of ${detail.lines.length}` : ' '}
          </Text>
          <DetailPane lines={detail.lines} scroll={Math.min(detailScroll, maxDetailScroll)} height={detailHeight} color={color} />
        </>
      ) : (
        <>
          <Text wrap="truncate-end" color={shown === 0 && total > 0 ? tone(color, 'yellow') : undefined}>
            {shown === 0 && total > 0 && !loading ? `no bug matches: ${describeFilters(filters, shown)} (x clears)` : describeFilters(filters, shown)}
          </Text>
          <TableHeader width={columns} />
          {filtered ? <ResultsTable index={index} rows={filtered} top={viewTop} height={tableHeight} cursor={position} width={columns} color={color} /> : null}
        </>
      )}
      {mode === 'search' ? (
        <Text wrap="truncate-end">
          <Text bold>/</Text>
          {draft}
          <Text inverse> </Text>
          <Text dimColor>{`  ${count(shown)} match${shown === 1 ? '' : 'es'} · Enter keep · Esc undo`}</Text>
        </Text>
      ) : (
        <Text dimColor wrap="truncate-end">
          {footerText(footerKeys, columns)}
        </Text>
      )}
    </Box>
  );
}
