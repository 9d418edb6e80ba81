// Home: the trackers of the file with their type, queries and last run's result; add, edit,
// duplicate and delete them; save; start a run or open the results. Home owns the file's text:
// every change is a splice of it (src/config/save.ts), kept unsaved until `s`, undoable with `u`.
// A missing file is created with one key. Leaving with unsaved changes always asks first.

import { Box, Text } from 'ink';
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { useMemo, useRef, useState, type ReactElement } from 'react';
import { findAdapter } from '../../trackers/index.ts';
import { dataPathsFor } from '../../src/cli/try-tracker.ts';
import { parseTrackerText, type Problem } from '../../src/config/load.ts';
import {
  copyName,
  duplicateEntry,
  newTrackerFileText,
  readRawEntries,
  readTrackerSource,
  removeEntry,
  SaveConflictError,
  writeTrackerSource,
  type RawEntry,
  type TrackerSource,
} from '../../src/config/save.ts';
import { countProblems } from '../../src/config/validate.ts';
import type { RunReport, TrackerReport } from '../../src/sinks/report.ts';
import { answerFor, Confirm, confirmLines, type Answer } from '../components/Confirm.tsx';
import { HelpOverlay, helpLength, type HelpSection } from '../components/HelpOverlay.tsx';
import { footerLines, KeyFooter, type KeyHint } from '../components/KeyFooter.tsx';
import { moveSelection } from '../components/SelectList.tsx';
import { useLatestInput, useSyncState, type KeyHandler } from '../components/SyncState.tsx';
import { useTerminalSize } from '../components/TerminalSize.tsx';
import { MARK, tint } from '../components/Theme.tsx';
import { relativeTime, TrackerTable, type TrackerRow } from '../components/TrackerTable.tsx';
import { EditorScreen, type EditorOutcome, type EditorTarget } from './EditorScreen.tsx';

export interface HomeScreenProps {
  readonly file: string;
  readonly onRun: () => void;
  readonly onResults: () => void;
  readonly onQuit: () => void;
}

/** What to do once the unsaved changes are dealt with. */
type Next = 'run' | 'results' | 'quit';

type Mode =
  | { readonly kind: 'list' }
  | { readonly kind: 'editor'; readonly target: EditorTarget }
  | { readonly kind: 'delete'; readonly index: number; readonly name: string }
  | { readonly kind: 'unsaved'; readonly next: Next }
  | { readonly kind: 'overwrite'; readonly text: string; readonly next?: Next; readonly why: string }
  | { readonly kind: 'help'; readonly offset: number };

interface Message {
  readonly text: string;
  readonly tone: 'ok' | 'error' | 'info';
}

interface LastRun {
  readonly finishedAt?: string;
  readonly trackers: ReadonlyMap<string, TrackerReport>;
}

/** The last run's report: the file's data folder (settings), else customs-data/ here or next to the file. */
function readLastRun(file: string, settings: Parameters<typeof dataPathsFor>[1]): LastRun | undefined {
  const candidates = [dataPathsFor(file, settings).report, join(dirname(file), 'customs-data', 'report.json')];
  for (const path of candidates) {
    if (!existsSync(path)) continue;
    try {
      const report = JSON.parse(readFileSync(path, 'utf8')) as RunReport;
      if (!Array.isArray(report.trackers)) continue;
      return { ...(report.finished_at ? { finishedAt: report.finished_at } : {}), trackers: new Map(report.trackers.map((t) => [t.name, t])) };
    } catch {
      // An unreadable report is as good as none.
    }
  }
  return undefined;
}

/** The number of query URLs; a valid entry without any uses its type's default list (a repository, a project…). */
function queriesOf(values: Readonly<Record<string, unknown>>, valid: boolean): string {
  const q = values.queries;
  const n = Array.isArray(q) ? q.length : typeof q === 'string' && q.trim() !== '' ? 1 : 0;
  return n === 0 && valid ? 'default' : String(n);
}

const HOME_HELP: readonly HelpSection[] = [
  {
    title: 'customs: the tracker file',
    text: 'Each row is one bug tracker of the file. Changes stay in memory until you save with s; u undoes the last one. ✗ marks a tracker with errors (customs run fails it), ! one with warnings.',
    keys: [
      ['↑ ↓ PgUp PgDn', 'select a tracker'],
      ['Enter  e', 'edit the selected tracker'],
      ['a', 'add a tracker: pick its type, fill in the form'],
      ['d', 'duplicate the selected tracker (as "NAME (copy)")'],
      ['x  Delete', 'delete the selected tracker (asks first)'],
      ['u', 'undo the last change'],
      ['s', 'save the file (comments and layout are kept)'],
      ['r', 'run: import every tracker of the saved file'],
      ['b', 'browse the results of the last run'],
      ['l', 'load the file again (after editing it elsewhere)'],
      ['?', 'this help'],
      ['q  Ctrl-C', 'quit (asks first when there are unsaved changes)'],
    ],
  },
  {
    title: 'In the editor',
    text: 'The form shows the fields of the tracker type. Validation runs as you type and gives the messages of `customs validate`. t (Try it) fetches one page of the first query and shows what it would import. Press ? there for its keys.',
    keys: [],
  },
];

export function HomeScreen(props: HomeScreenProps): ReactElement {
  const { file } = props;
  const { columns, rows } = useTerminalSize();
  const width = Math.max(20, columns);
  const height = Math.max(8, rows - 1);

  const [source, setSource] = useState<TrackerSource | { readonly failure: string }>(() => {
    try {
      return readTrackerSource(file);
    } catch (err) {
      return { failure: err instanceof Error ? err.message : String(err) };
    }
  });
  const disk: TrackerSource = 'failure' in source ? { exists: false, text: '', bom: false } : source;
  const [draft, , setDraft] = useSyncState(disk.text);
  const [undo, setUndo] = useState<readonly string[]>([]);
  const [selected, getSelected, setSelected] = useSyncState(0);
  const [mode, getMode, setMode] = useSyncState<Mode>({ kind: 'list' });
  const [message, setMessage] = useState<Message | undefined>();
  /** The editor's key handler while it is open: Home's one subscription feeds it. */
  const editorKeys = useRef<KeyHandler | undefined>(undefined);

  const parsed = useMemo(() => parseTrackerText(draft, file), [draft, file]);
  const raws = useMemo<readonly RawEntry[] | string>(() => {
    if (draft.trim() === '') return [];
    try {
      return readRawEntries(draft);
    } catch (err) {
      return err instanceof Error ? err.message : String(err);
    }
  }, [draft]);
  const lastRun = useMemo(() => readLastRun(file, parsed.settings), [file, parsed.settings]);

  const missing = 'failure' in source ? false : !disk.exists && draft === '';
  const dirty = disk.exists ? draft !== disk.text : draft !== '';
  const editable = typeof raws !== 'string' && !('failure' in source);
  const entries = typeof raws === 'string' ? [] : raws;
  const count = entries.length;
  const current = Math.min(selected, Math.max(0, count - 1));

  const tableRows: TrackerRow[] = entries.map((raw, i) => {
    const loaded = parsed.entries[i];
    const name = typeof raw.values.tracker_name === 'string' || typeof raw.values.tracker_name === 'number' ? String(raw.values.tracker_name) : '';
    const type = loaded?.adapter?.type ?? (typeof raw.values.bugimporter === 'string' ? raw.values.bugimporter : '?');
    const problems = problemsOf(parsed.problems, raw);
    const { errors, warnings } = countProblems(problems);
    const report = name ? lastRun?.trackers.get(name) : undefined;
    return {
      name: name || '(no name)',
      type,
      queries: queriesOf(raw.values, loaded?.valid ?? false),
      ...(errors > 0 ? { severity: 'error' as const } : warnings > 0 ? { severity: 'warning' as const } : {}),
      ...(report ? { lastRun: report } : {}),
    };
  });

  const say = (text: string, tone: Message['tone'] = 'info'): void => setMessage({ text, tone });

  const change = (text: string, note: string): void => {
    setUndo((u) => [...u.slice(-49), draft]);
    setDraft(text);
    say(note);
  };

  /** Write `text`; true when it is on disk. A conflict asks whether to overwrite. */
  const save = (text: string, next?: Next, force = false): boolean => {
    try {
      writeTrackerSource(file, text, { bom: disk.bom, ...(force ? {} : { expected: disk.exists ? disk.text : null }) });
    } catch (err) {
      if (err instanceof SaveConflictError) {
        setMode({ kind: 'overwrite', text, why: err.message, ...(next ? { next } : {}) });
        return false;
      }
      say(`Could not save ${file}: ${err instanceof Error ? err.message : String(err)}`, 'error');
      return false;
    }
    setSource({ exists: true, text, bom: disk.bom });
    setDraft(text);
    const { errors } = countProblems(parseTrackerText(text, file).problems);
    say(`Saved ${basename(file)}${errors > 0 ? ` (${errors} error${errors === 1 ? '' : 's'} left: customs run fails those trackers)` : ''}.`, errors > 0 ? 'info' : 'ok');
    return true;
  };

  const proceed = (next: Next): void => {
    if (next === 'quit') props.onQuit();
    else if (next === 'results') props.onResults();
    else {
      let onDisk: TrackerSource;
      try {
        onDisk = readTrackerSource(file);
      } catch (err) {
        return say(`Cannot read ${file}: ${err instanceof Error ? err.message : String(err)}`, 'error');
      }
      if (!onDisk.exists) return say(`${basename(file)} does not exist yet: add a tracker and save first.`, 'error');
      const check = parseTrackerText(onDisk.text, file);
      if (check.entries.length === 0) return say('The file has no trackers yet: press a to add one.', 'error');
      if (check.fatal) {
        const first = check.problems.find((p) => p.severity === 'error');
        return say(`customs run would stop: ${first ? `line ${first.line}: ${first.message}` : 'the file has errors'}. Fix that first.`, 'error');
      }
      props.onRun();
    }
  };

  const leaveTo = (next: Next): void => {
    if (dirty) setMode({ kind: 'unsaved', next });
    else proceed(next);
  };

  const onEditorDone = (outcome: EditorOutcome): void => {
    editorKeys.current = undefined;
    setMode({ kind: 'list' });
    if (outcome.kind === 'cancel') {
      // Adding the first tracker of a file that does not exist, then giving up: still no file.
      if (!disk.exists && draft === newTrackerFileText()) setDraft('');
      return;
    }
    setUndo((u) => [...u.slice(-49), draft]);
    setSelected(outcome.index);
    if (outcome.kind === 'save') {
      setDraft(outcome.text);
      save(outcome.text);
    } else {
      setDraft(outcome.text);
      say(`Changes to "${outcome.name}" kept; press s to save them to the file.`);
    }
  };

  const create = (): void => {
    const text = newTrackerFileText();
    if (save(text)) say(`Created ${basename(file)}. Press a to add a tracker.`, 'ok');
  };

  const unsavedAnswers: readonly Answer<'save' | 'discard' | 'stay'>[] = [
    { key: 'y', label: 'save, then go on', value: 'save' },
    { key: 'n', label: 'discard the changes', value: 'discard' },
    { key: 'esc', label: 'stay here', value: 'stay' },
  ];
  const deleteAnswers: readonly Answer<'yes' | 'no'>[] = [
    { key: 'y', label: 'delete it', value: 'yes' },
    { key: 'n', label: 'keep it', value: 'no' },
    { key: 'esc', label: '', value: 'no' },
  ];
  const overwriteAnswers: readonly Answer<'yes' | 'no'>[] = [
    { key: 'y', label: 'overwrite it with this version', value: 'yes' },
    { key: 'n', label: 'do not save', value: 'no' },
    { key: 'esc', label: '', value: 'no' },
  ];

  useLatestInput(
    (input, key) => {
      const mode = getMode();
      if (mode.kind === 'editor') {
        editorKeys.current?.(input, key);
        return;
      }
      setMessage(undefined);
      switch (mode.kind) {
        case 'help': {
          const total = helpLength(HOME_HELP);
          if (key.escape || input === '?' || input === 'q') setMode({ kind: 'list' });
          else if (key.downArrow || key.pageDown) setMode({ kind: 'help', offset: Math.min(total, mode.offset + (key.pageDown ? height - 2 : 1)) });
          else if (key.upArrow || key.pageUp) setMode({ kind: 'help', offset: Math.max(0, mode.offset - (key.pageUp ? height - 2 : 1)) });
          return;
        }
        case 'delete': {
          const answer = answerFor(deleteAnswers, input, key);
          if (answer === 'yes') {
            try {
              change(removeEntry(draft, mode.index), `Deleted "${mode.name}"; press s to save, u to undo.`);
              setSelected(Math.max(0, Math.min(mode.index, count - 2)));
            } catch (err) {
              say(err instanceof Error ? err.message : String(err), 'error');
            }
          }
          if (answer !== undefined) setMode({ kind: 'list' });
          return;
        }
        case 'unsaved': {
          if (key.ctrl && input === 'c' && mode.next === 'quit') return props.onQuit();
          const answer = answerFor(unsavedAnswers, input, key);
          if (answer === 'stay') setMode({ kind: 'list' });
          else if (answer === 'save') {
            setMode({ kind: 'list' });
            if (save(draft, mode.next)) proceed(mode.next);
          } else if (answer === 'discard') {
            setDraft(disk.text);
            setMode({ kind: 'list' });
            proceed(mode.next);
          }
          return;
        }
        case 'overwrite': {
          const answer = answerFor(overwriteAnswers, input, key);
          if (answer === 'yes') {
            setMode({ kind: 'list' });
            if (save(mode.text, mode.next, true) && mode.next) proceed(mode.next);
          } else if (answer === 'no') {
            setMode({ kind: 'list' });
            say('Not saved. Your changes are still here (unsaved).', 'info');
          }
          return;
        }
        case 'list':
          break;
      }

      if ((key.ctrl && input === 'c') || input === 'q') return leaveTo('quit');
      if (input === '?') return setMode({ kind: 'help', offset: 0 });
      if ('failure' in source) return;
      if (missing) {
        if (input === 'c' || key.return) create();
        else if (input === 'a') {
          setDraft(newTrackerFileText());
          setMode({ kind: 'editor', target: { kind: 'add' } });
        } else if (input === 'b') props.onResults();
        return;
      }
      const at = Math.min(getSelected(), Math.max(0, count - 1));
      const move = moveSelection(at, count, input, key, Math.max(3, height - 10));
      if (move !== undefined) return setSelected(move);
      if (input === 'r') return leaveTo('run');
      if (input === 'b') return leaveTo('results');
      if (input === 's') {
        if (!dirty) return say('No changes to save.');
        save(draft);
        return;
      }
      if (input === 'u') {
        const previous = undo[undo.length - 1];
        if (previous === undefined) return say('Nothing to undo.');
        setUndo(undo.slice(0, -1));
        setDraft(previous);
        return say('Undone.');
      }
      if (input === 'l') {
        if (dirty) return say('There are unsaved changes: save (s) or undo (u) them before reloading.', 'error');
        try {
          const fresh = readTrackerSource(file);
          setSource(fresh);
          setDraft(fresh.text);
          setUndo([]);
          return say(`Reloaded ${basename(file)}.`);
        } catch (err) {
          return say(err instanceof Error ? err.message : String(err), 'error');
        }
      }
      if (!editable) return say('Fix the file in a text editor first, then press l to reload it.', 'error');
      if (input === 'a') return setMode({ kind: 'editor', target: { kind: 'add' } });
      const entry = entries[at];
      if (!entry) return;
      const name = tableRows[at]?.name ?? '';
      if (key.return || input === 'e') {
        if (!entry.isMap) return say('This entry is not a mapping of keys; fix it in a text editor.', 'error');
        return setMode({ kind: 'editor', target: { kind: 'edit', index: at } });
      }
      if (input === 'd') {
        const taken = entries.map((e) => String(e.values.tracker_name ?? ''));
        const copy = copyName(name, taken);
        try {
          change(duplicateEntry(draft, at, copy), `Duplicated as "${copy}"; Enter edits it, s saves.`);
          setSelected(at + 1);
        } catch (err) {
          say(err instanceof Error ? err.message : String(err), 'error');
        }
        return;
      }
      if (input === 'x' || key.delete) return setMode({ kind: 'delete', index: at, name });
    },
  );

  // ------------------------------------------------------------------------------------------
  // Drawing

  if (mode.kind === 'editor') {
    return <EditorScreen file={file} text={draft} target={mode.target} onDone={onEditorDone} keys={editorKeys} />;
  }
  if (mode.kind === 'help') {
    return <HelpOverlay sections={HOME_HELP} width={width} height={height} offset={mode.offset} />;
  }

  const title = (
    <Box width={width}>
      <Box flexGrow={1} flexShrink={1}>
        <Text wrap="truncate-end">
          <Text bold color={tint('cyan')}>
            customs
          </Text>
          <Text> · {file}</Text>
        </Text>
      </Box>
      <Text>
        {missing ? '' : `${count} tracker${count === 1 ? '' : 's'}`}
        <Text color={tint('yellow')}>{dirty ? ` · ${MARK.changed} unsaved` : ''}</Text>
      </Text>
    </Box>
  );

  const messageLine = message ? (
    <Text color={message.tone === 'error' ? tint('red') : message.tone === 'ok' ? tint('green') : undefined} wrap="truncate-end">
      {message.text}
    </Text>
  ) : (
    <Text> </Text>
  );

  if ('failure' in source || missing) {
    const hints: KeyHint[] = missing
      ? [
          ['c', 'create it'],
          ['a', 'create it and add a tracker'],
          ['?', 'help'],
          ['q', 'quit'],
        ]
      : [
          ['?', 'help'],
          ['q', 'quit'],
        ];
    return (
      <Box flexDirection="column" width={width} height={height}>
        {title}
        <Text> </Text>
        {missing ? (
          <Box flexDirection="column">
            <Text>
              <Text bold>{file}</Text> does not exist yet.
            </Text>
            <Text> </Text>
            <Text>
              Press <Text bold>c</Text> to create it: an empty tracker file with a short comment on top.
            </Text>
            <Text>
              Then press <Text bold>a</Text> to add your first tracker (GitHub, Bugzilla, Trac, …).
            </Text>
          </Box>
        ) : (
          <Text color={tint('red')} wrap="wrap">
            {MARK.error} {'failure' in source ? source.failure : ''}
          </Text>
        )}
        <Box flexGrow={1} />
        {messageLine}
        <KeyFooter hints={hints} width={width} />
      </Box>
    );
  }

  const prompt = promptFor(mode, file);
  const hints: KeyHint[] = prompt ? [] : [
    ['↑↓', 'select'],
    ['Enter', 'edit'],
    ['a', 'add'],
    ['d', 'duplicate'],
    ['x', 'delete'],
    ['s', 'save'],
    ['u', 'undo'],
    ['r', 'run'],
    ['b', 'results'],
    ['?', 'help'],
    ['q', 'quit'],
  ];
  const footerHeight = hints.length > 0 ? footerLines(hints, width) : 0;
  const promptAnswers = mode.kind === 'delete' ? deleteAnswers.filter((a) => a.label) : mode.kind === 'overwrite' ? overwriteAnswers.filter((a) => a.label) : unsavedAnswers;
  const promptHeight = prompt ? confirmLines(prompt, promptAnswers, width) : 0;
  // Title, table, rule, detail, status, message, prompt, footer.
  const spare = height - 4 - footerHeight - promptHeight;
  const detailHeight = Math.max(1, Math.min(4, spare - 4));
  const tableHeight = Math.max(2, spare - detailHeight);
  const selectedRaw = entries[current];
  const fileProblems = parsed.problems.filter((p) => !entries.some((e) => p.line >= e.startLine && p.line <= e.endLine));
  const counts = countProblems(parsed.problems);

  return (
    <Box flexDirection="column" width={width} height={height} overflow="hidden">
      {title}
      <Box height={tableHeight} flexDirection="column" overflow="hidden">
        {!editable ? (
          <Box flexDirection="column">
            <Text color={tint('red')} wrap="wrap">
              {MARK.error} This file cannot be edited here: {typeof raws === 'string' ? raws : ''}
            </Text>
            {parsed.problems.slice(0, 3).map((p, i) => (
              <Text key={`${i}-${p.message}`} wrap="truncate-end">
                {`${p.line}:${p.col} ${p.message}`}
              </Text>
            ))}
            <Text dimColor>Fix it in a text editor, then press l to load it again.</Text>
          </Box>
        ) : count === 0 ? (
          <Box flexDirection="column">
            <Text> </Text>
            <Text>No trackers in this file yet.</Text>
            <Text>
              Press <Text bold>a</Text> to add one: choose its type, fill in the form, try it, save.
            </Text>
          </Box>
        ) : (
          <TrackerTable rows={tableRows} selected={current} height={tableHeight} width={width} reportTime={lastRun?.finishedAt} hasReport={lastRun !== undefined} />
        )}
      </Box>
      <Text dimColor>{'─'.repeat(Math.min(width, 200))}</Text>
      <Box height={detailHeight} flexDirection="column" overflow="hidden">
        {selectedRaw ? <TrackerDetail raw={selectedRaw} problems={problemsOf(parsed.problems, selectedRaw)} report={tableRows[current]?.lastRun} when={lastRun?.finishedAt} width={width} /> : null}
      </Box>
      <Text wrap="truncate-end" color={counts.errors > 0 ? tint('red') : counts.warnings > 0 ? tint('yellow') : tint('green')}>
        {counts.errors + counts.warnings === 0
          ? `${MARK.ok} No problems (customs validate agrees)`
          : `${counts.errors > 0 ? MARK.error : MARK.warning} ${[counts.errors > 0 ? `${counts.errors} error${counts.errors === 1 ? '' : 's'}` : '', counts.warnings > 0 ? `${counts.warnings} warning${counts.warnings === 1 ? '' : 's'}` : ''].filter(Boolean).join(', ')} in the file${fileProblems[0] ? ` · line ${fileProblems[0].line}: ${fileProblems[0].message}` : ''}`}
      </Text>
      {messageLine}
      {prompt ? (
        <Confirm question={prompt} answers={promptAnswers} width={width} />
      ) : null}
      <KeyFooter hints={hints} width={width} />
    </Box>
  );
}

/** The problems of one entry: those located in its lines (its own and file-level ones like duplicate names). */
function problemsOf(problems: readonly Problem[], raw: RawEntry): Problem[] {
  return problems.filter((p) => p.line >= raw.startLine && p.line <= raw.endLine);
}

function promptFor(mode: Mode, file: string): string | undefined {
  switch (mode.kind) {
    case 'delete':
      return `Delete the tracker "${mode.name}"?`;
    case 'unsaved':
      return `${basename(file)} has unsaved changes. Save them before you ${mode.next === 'quit' ? 'quit' : mode.next === 'run' ? 'run it' : 'open the results'}?`;
    case 'overwrite':
      return `${mode.why}. Overwrite it?`;
    default:
      return undefined;
  }
}

/** The selected tracker in a few lines: its problems (as `customs validate` says them), its last run, its queries. */
function TrackerDetail(props: { readonly raw: RawEntry; readonly problems: readonly Problem[]; readonly report: TrackerReport | undefined; readonly when: string | undefined; readonly width: number }): ReactElement {
  const { raw, problems, report } = props;
  const type = typeof raw.values.bugimporter === 'string' ? findAdapter(raw.values.bugimporter) : undefined;
  const queries = Array.isArray(raw.values.queries) ? raw.values.queries.map(String) : typeof raw.values.queries === 'string' ? [raw.values.queries] : [];
  const lines: ReactElement[] = [];
  for (const p of problems.slice(0, 2)) {
    lines.push(
      <Text key={`p${p.line}:${p.col}:${p.message}`} color={p.severity === 'error' ? tint('red') : tint('yellow')} wrap="truncate-end">
        {p.severity === 'error' ? MARK.error : MARK.warning} {`line ${p.line}: ${p.message}`}
      </Text>,
    );
  }
  if (problems.length > 2) lines.push(<Text key="more" dimColor>{`  … and ${problems.length - 2} more (Enter opens the editor)`}</Text>);
  if (report) {
    const age = relativeTime(props.when);
    const text =
      report.status === 'ok'
        ? `Last run${age ? ` ${age}` : ''}: ${report.bugs} bugs, ${report.requests} requests (${report.cached} from cache, ${report.revalidated} revalidated) in ${report.seconds.toFixed(1)} s`
        : `Last run${age ? ` ${age}` : ''} failed: ${report.error ?? 'unknown error'}`;
    lines.push(
      <Text key="run" color={report.status === 'ok' ? undefined : tint('red')} wrap="truncate-end">
        {text}
      </Text>,
    );
  }
  if (type) lines.push(<Text key="type" dimColor wrap="truncate-end">{`${type.type}: ${type.description}`}</Text>);
  for (const q of queries.slice(0, 2)) lines.push(<Text key={`q${q}`} dimColor wrap="truncate-middle">{`  ${q}`}</Text>);
  return (
    <Box flexDirection="column" width={props.width}>
      {lines}
    </Box>
  );
}
