// The tracker editor: pick a type (add), then a form built from that type's field declarations.
// Every change is checked as you type (debounced) by validating the would-be file text, so the
// messages are those of `customs validate`. "Try it" fetches one page of the first query through
// the real engine. The editor never writes the file itself: it hands the new text to Home, which
// keeps it as an unsaved change or saves it.

import { Box, Text } from 'ink';
import type { Key } from 'ink';
import { useEffect, useMemo, useRef, useState, type ReactElement } from 'react';
import { ADAPTERS, findAdapter } from '../../trackers/index.ts';
import { dataPathsFor, tryTracker } from '../../src/cli/try-tracker.ts';
import { parseTrackerText, type LoadedEntry, type Problem } from '../../src/config/load.ts';
import { entryCount, insertEntry, patchEntry, readRawEntries, type EntryValue } from '../../src/config/save.ts';
import { countProblems, looksLikeToken } from '../../src/config/validate.ts';
import type { FieldSpec, TrackerAdapter } from '../../src/core/types.ts';
import { answerFor, Confirm, confirmLines, type Answer } from '../components/Confirm.tsx';
import { describeSpec, entryValue, fieldProblems, FieldRows, formSpecs, initialValue, otherKeys, sameValue, valueWidthFor, wrapLines, type FieldValue } from '../components/EntryForm.tsx';
import { HelpOverlay, helpLength, type HelpSection } from '../components/HelpOverlay.tsx';
import { footerLines, KeyFooter, type KeyHint } from '../components/KeyFooter.tsx';
import { moveSelection, SelectList } from '../components/SelectList.tsx';
import { applyTextKey, TextField, textState, type TextState } from '../components/TextInput.tsx';
import { useLatestInput, useSyncState, type KeyHandler } from '../components/SyncState.tsx';
import { useTerminalSize } from '../components/TerminalSize.tsx';
import { TryPanel, type TryState } from '../components/TryPanel.tsx';
import { itemProblems, UrlList } from '../components/UrlList.tsx';
import { MARK, tint } from '../components/Theme.tsx';

export type EditorTarget = { readonly kind: 'add' } | { readonly kind: 'edit'; readonly index: number };

/** How the editor was left: nothing to keep, or the file text with the change (to keep, or to save now). */
export type EditorOutcome =
  | { readonly kind: 'cancel' }
  | { readonly kind: 'keep' | 'save'; readonly text: string; readonly index: number; readonly name: string };

export interface EditorScreenProps {
  /** The tracker file's path: named in problems, and where Try it finds the cache. */
  readonly file: string;
  /** The file's current text (with Home's unsaved changes). */
  readonly text: string;
  readonly target: EditorTarget;
  readonly onDone: (outcome: EditorOutcome) => void;
  /**
   * When given, the parent screen feeds the keys through it (one subscription for both screens,
   * so no key typed while the screens change is lost); otherwise the editor listens itself.
   */
  readonly keys?: { current: KeyHandler | undefined };
}

type Phase =
  | { readonly kind: 'pick-type'; readonly selected: number }
  | { readonly kind: 'form' }
  | { readonly kind: 'text'; readonly field: string; readonly state: TextState }
  | { readonly kind: 'choice'; readonly field: string; readonly selected: number }
  | { readonly kind: 'list'; readonly field: string; readonly selected: number; readonly editing?: { readonly index: number; readonly state: TextState } }
  | { readonly kind: 'leave' }
  | { readonly kind: 'save-errors' }
  | { readonly kind: 'help'; readonly offset: number };

interface Checked {
  readonly text: string | undefined;
  /** Why the change cannot be placed in the file (rare: a hand-made layout). */
  readonly failure?: string;
  readonly problems: readonly Problem[];
  readonly loaded?: LoadedEntry;
  readonly settings: ReturnType<typeof parseTrackerText>['settings'];
}

const VALIDATE_DELAY_MS = 150;
const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/** An option of a choice field: its value ('' for "not set") and what the list shows. */
interface ChoiceOption {
  readonly value: string;
  readonly label: string;
  readonly description?: string;
}

function choiceOptions(spec: FieldSpec, current: string): ChoiceOption[] {
  if (spec.name === 'bugimporter') {
    const options: ChoiceOption[] = ADAPTERS.map((a) => ({ value: a.type, label: a.type, description: a.description }));
    if (current !== '' && !options.some((o) => o.value === current)) {
      const adapter = findAdapter(current);
      options.unshift({ value: current, label: current, description: adapter ? `the old name of ${adapter.type}: ${adapter.description}` : 'not a known type' });
    }
    return options;
  }
  const options: ChoiceOption[] = (spec.choices ?? []).map((c) => ({ value: c, label: c }));
  if (spec.required !== true) options.unshift({ value: '', label: `(not set${spec.default !== undefined ? `: ${spec.default}` : ''})` });
  if (current !== '' && !options.some((o) => o.value === current)) options.push({ value: current, label: `${current} (not one of the choices)` });
  return options;
}

const EDITOR_HELP: readonly HelpSection[] = [
  {
    title: 'The tracker form',
    text: 'Fields marked * are required. ✗ marks an error and ! a warning, with the same messages as `customs validate`; ● marks a field you changed. Changes go to the file only when you save.',
    keys: [
      ['↑ ↓ PgUp PgDn', 'move between fields'],
      ['Enter', 'change the field: type text, pick a choice, or open a list of URLs'],
      ['← → Space', 'switch a choice field to its previous / next value'],
      ['t', 'Try it: fetch one page of the first query and show what it gives'],
      ['s  Ctrl-S', 'save the tracker to the file'],
      ['Esc  q', 'back to the tracker list (asks what to do with changes)'],
      ['?', 'this help'],
    ],
  },
  {
    title: 'Typing in a field',
    keys: [
      ['Enter  ↑ ↓', 'keep the text (↑ ↓ also move to the next field)'],
      ['Esc', 'undo the typing'],
      ['← → Home End', 'move the cursor'],
      ['Ctrl-U  Ctrl-K', 'clear before / after the cursor'],
      ['Ctrl-W', 'delete the word before the cursor'],
    ],
  },
  {
    title: 'A list of URLs (queries, existing_bug_urls)',
    keys: [
      ['a', 'add a URL'],
      ['Enter', 'edit the selected URL (or add, on the last row)'],
      ['x  Delete', 'remove the selected URL'],
      ['Esc  ←', 'back to the form'],
    ],
  },
  {
    title: 'Secrets',
    text: 'A tracker file never holds a token. token_env takes the NAME of an environment variable (such as GITHUB_TOKEN); customs reads the token from that variable when it runs.',
    keys: [],
  },
];

/** `values` with the text being typed (in a field or a list item) applied. */
function withDraft(values: Readonly<Record<string, FieldValue>>, phase: Phase): Record<string, FieldValue> {
  if (phase.kind === 'text') return { ...values, [phase.field]: { kind: 'text', text: phase.state.value } };
  if (phase.kind === 'list' && phase.editing) {
    const current = values[phase.field];
    const items = current?.kind === 'list' ? [...current.items] : [];
    if (phase.editing.index >= items.length) items.push(phase.editing.state.value);
    else items[phase.editing.index] = phase.editing.state.value;
    return { ...values, [phase.field]: { kind: 'list', items } };
  }
  return { ...values };
}

export function EditorScreen(props: EditorScreenProps): ReactElement {
  const { file, text: baseText, target } = props;
  const { columns, rows } = useTerminalSize();
  const width = Math.max(20, columns);
  const height = Math.max(8, rows - 1);

  const raw = useMemo<Readonly<Record<string, unknown>>>(() => {
    if (target.kind === 'add') return {};
    try {
      return readRawEntries(baseText)[target.index]?.values ?? {};
    } catch {
      return {};
    }
  }, [baseText, target]);
  const insertAt = useMemo(() => {
    try {
      return entryCount(baseText);
    } catch {
      return 0;
    }
  }, [baseText]);
  const entryIndex = target.kind === 'edit' ? target.index : insertAt;

  const initialFor = (adapter: TrackerAdapter | undefined, bugimporter?: string): Record<string, FieldValue> => {
    const out: Record<string, FieldValue> = {};
    for (const spec of formSpecs(adapter, raw)) out[spec.name] = initialValue(spec, raw[spec.name]);
    if (bugimporter !== undefined) out.bugimporter = { kind: 'text', text: bugimporter };
    return out;
  };
  const [initial, setInitial] = useState<Record<string, FieldValue>>(() =>
    target.kind === 'edit' ? initialFor(findAdapter(String(raw.bugimporter ?? ''))) : {},
  );
  const [values, getValues, setValues] = useSyncState<Record<string, FieldValue>>(initial);
  const [phase, getPhase, setPhase] = useSyncState<Phase>(target.kind === 'add' ? { kind: 'pick-type', selected: 0 } : { kind: 'form' });
  const [selected, getSelected, setSelected] = useSyncState(0);
  const [tryState, setTryState] = useState<TryState | undefined>();
  const [spin, setSpin] = useState(0);
  const tryAbort = useRef<AbortController | undefined>(undefined);

  const typeName = values.bugimporter?.kind === 'text' ? values.bugimporter.text : '';
  const adapter = findAdapter(typeName);
  const specs = useMemo(() => formSpecs(adapter, raw), [adapter, raw]);
  const extraKeys = useMemo(() => otherKeys(specs, raw), [specs, raw]);
  const focusedSpec = specs[Math.min(selected, specs.length - 1)];

  /** The values with the text being typed applied (what validation sees while typing). */
  const effective = useMemo(() => withDraft(values, phase), [values, phase]);

  /** A field's value, or what the entry holds for it (a field that appears when the type changes). */
  const valueOf = (vals: Readonly<Record<string, FieldValue>>, spec: FieldSpec): FieldValue => vals[spec.name] ?? initialValue(spec, raw[spec.name]);
  const shown = useMemo(() => Object.fromEntries(specs.map((s) => [s.name, valueOf(effective, s)])), [specs, effective]);
  const changedFields = useMemo(() => new Set(specs.filter((s) => !sameValue(valueOf(effective, s), valueOf(initial, s))).map((s) => s.name)), [specs, effective, initial]);
  const dirty = changedFields.size > 0;

  const specsOf = (vals: Readonly<Record<string, FieldValue>>): FieldSpec[] => {
    const type = vals.bugimporter?.kind === 'text' ? vals.bugimporter.text : '';
    return formSpecs(findAdapter(type), raw);
  };
  const compose = (vals: Readonly<Record<string, FieldValue>>, start: Readonly<Record<string, FieldValue>> = initial): Checked => {
    const specs = specsOf(vals);
    const initial = start;
    let text: string;
    try {
      if (target.kind === 'edit') {
        const patch: [string, EntryValue | undefined][] = [];
        for (const spec of specs) {
          const now = valueOf(vals, spec);
          if (!sameValue(now, valueOf(initial, spec))) patch.push([spec.name, entryValue(spec, now)]);
        }
        text = patchEntry(baseText, target.index, patch);
      } else {
        const entry: Record<string, EntryValue> = {};
        for (const spec of specs) {
          const value = entryValue(spec, valueOf(vals, spec));
          if (value !== undefined) entry[spec.name] = value;
        }
        text = insertEntry(baseText, entry);
      }
    } catch (err) {
      return { text: undefined, failure: err instanceof Error ? err.message : String(err), problems: [], settings: {} };
    }
    const parsed = parseTrackerText(text, file);
    let span: { startLine: number; endLine: number } | undefined;
    try {
      span = readRawEntries(text)[entryIndex];
    } catch {
      span = undefined;
    }
    const problems = span ? parsed.problems.filter((p) => p.line >= (span?.startLine ?? 0) && p.line <= (span?.endLine ?? 0)) : parsed.problems;
    const loaded = parsed.entries[entryIndex];
    return { text, problems, settings: parsed.settings, ...(loaded ? { loaded } : {}) };
  };

  const [checked, setChecked] = useState<Checked>(() => (target.kind === 'add' ? { text: undefined, problems: [], settings: {} } : compose(values)));
  useEffect(() => {
    if (phase.kind === 'pick-type') return undefined;
    // compose reads the values passed in and what is fixed for the editing session (file, entry).
    const timer = setTimeout(() => setChecked(compose(effective)), VALIDATE_DELAY_MS);
    return () => clearTimeout(timer);
  }, [effective, specs]);

  useEffect(() => {
    if (tryState?.kind !== 'running') return undefined;
    const timer = setInterval(() => setSpin((s) => s + 1), 100);
    return () => clearInterval(timer);
  }, [tryState?.kind]);
  useEffect(() => () => tryAbort.current?.abort(), []);

  const name = (effective.tracker_name?.kind === 'text' ? effective.tracker_name.text.trim() : '') || '(no name yet)';

  const finish = (kind: 'keep' | 'save'): void => {
    const result = compose(getValues());
    if (result.text === undefined) return;
    tryAbort.current?.abort();
    props.onDone({ kind, text: result.text, index: entryIndex, name });
  };
  const leave = (): void => {
    tryAbort.current?.abort();
    if (dirty) setPhase({ kind: 'leave' });
    else props.onDone({ kind: 'cancel' });
  };
  const requestSave = (): void => {
    const result = compose(getValues());
    if (result.text === undefined) return;
    if (countProblems(result.problems).errors > 0) setPhase({ kind: 'save-errors' });
    else finish('save');
  };

  const startTry = (): void => {
    const result = compose(getValues());
    setChecked(result);
    const loaded = result.loaded;
    const errors = result.problems.filter((p) => p.severity === 'error');
    if (!loaded?.adapter) {
      setTryState({ kind: 'blocked', reason: 'choose a known tracker type (bugimporter) first' });
      return;
    }
    if (errors.length > 0 || !loaded.valid) {
      const first = errors[0];
      setTryState({ kind: 'blocked', reason: `fix ${errors.length === 1 ? 'the error' : `the ${errors.length} errors`} first${first ? `: ${first.message}` : ''}` });
      return;
    }
    const controller = new AbortController();
    tryAbort.current?.abort();
    tryAbort.current = controller;
    const trying = loaded.entry.tracker_name;
    setTryState({ kind: 'running', name: trying });
    const paths = dataPathsFor(file, result.settings);
    void tryTracker(loaded.entry, loaded.adapter, { cacheDir: paths.cacheDir, env: process.env, signal: controller.signal, settings: result.settings }).then((outcome) => {
      if (tryAbort.current !== controller) return;
      tryAbort.current = undefined;
      setTryState({ kind: 'done', name: trying, result: outcome });
    });
  };

  const setField = (field: string, value: FieldValue): void =>
    setValues((v) => {
      const next = { ...v, [field]: value };
      // A new type shows new fields: they start from what the entry already holds.
      if (field === 'bugimporter') for (const spec of specsOf(next)) next[spec.name] ??= initialValue(spec, raw[spec.name]);
      return next;
    });

  const pickType = (type: string): void => {
    const chosen = findAdapter(type);
    const fresh = initialFor(chosen, type);
    setInitial(fresh);
    setValues(fresh);
    setChecked(compose(fresh, fresh));
    setSelected(0);
    setPhase({ kind: 'form' });
  };

  const cycleChoice = (spec: FieldSpec, step: number): void => {
    const current = valueOf(getValues(), spec);
    const text = current.kind === 'text' ? current.text : '';
    const options = choiceOptions(spec, text);
    const at = Math.max(0, options.findIndex((o) => o.value === text));
    const next = options[(at + step + options.length) % options.length];
    if (next) setField(spec.name, { kind: 'text', text: next.value });
  };

  const openField = (spec: FieldSpec): void => {
    const value = valueOf(getValues(), spec);
    setTryState(undefined);
    if (value.kind === 'bool') {
      setField(spec.name, { kind: 'bool', value: value.value === undefined ? true : value.value ? false : undefined });
    } else if (value.kind === 'list') {
      setPhase({ kind: 'list', field: spec.name, selected: 0, ...(value.items.length === 0 ? { editing: { index: 0, state: textState('') } } : {}) });
    } else if (spec.kind === 'choice') {
      const options = choiceOptions(spec, value.text);
      setPhase({ kind: 'choice', field: spec.name, selected: Math.max(0, options.findIndex((o) => o.value === value.text)) });
    } else {
      setPhase({ kind: 'text', field: spec.name, state: textState(value.text) });
    }
  };

  const formPage = Math.max(3, height - 12);

  const onFormKey = (input: string, key: Key): void => {
    if (tryState?.kind === 'running') {
      if (key.escape) {
        tryAbort.current?.abort();
      }
      return;
    }
    const move = moveSelection(getSelected(), specs.length, input, key, formPage);
    if (move !== undefined) {
      setSelected(move);
      setTryState(undefined);
      return;
    }
    const focusedSpec = specs[Math.min(getSelected(), specs.length - 1)];
    if (!focusedSpec) return;
    if (key.return || input === 'e') openField(focusedSpec);
    else if ((key.leftArrow || key.rightArrow || input === ' ') && focusedSpec.kind === 'choice') cycleChoice(focusedSpec, key.leftArrow ? -1 : 1);
    else if (input === ' ' && focusedSpec.kind === 'boolean') openField(focusedSpec);
    else if (input === 't') startTry();
    else if (input === 's' || (key.ctrl && input === 's')) requestSave();
    else if (key.escape || input === 'q') {
      if (tryState) setTryState(undefined);
      else leave();
    } else if (input === '?') setPhase({ kind: 'help', offset: 0 });
  };

  const onTextKey = (p: Extract<Phase, { kind: 'text' }>, input: string, key: Key): void => {
    const { state, action } = applyTextKey(p.state, input, key);
    if (action === 'cancel') setPhase({ kind: 'form' });
    else if (action === 'submit' || action === 'up' || action === 'down') {
      setField(p.field, { kind: 'text', text: state.value });
      setPhase({ kind: 'form' });
      if (action === 'up') setSelected((s) => Math.max(0, s - 1));
      if (action === 'down') setSelected((s) => Math.min(specs.length - 1, s + 1));
    } else setPhase({ ...p, state });
  };

  const onChoiceKey = (p: Extract<Phase, { kind: 'choice' }>, input: string, key: Key): void => {
    const spec = specs.find((s) => s.name === p.field);
    if (!spec) return setPhase({ kind: 'form' });
    const current = valueOf(getValues(), spec);
    const options = choiceOptions(spec, current.kind === 'text' ? current.text : '');
    const move = moveSelection(p.selected, options.length, input, key, 8);
    if (move !== undefined) setPhase({ ...p, selected: move });
    else if (key.return || input === ' ') {
      const option = options[p.selected];
      if (option) setField(p.field, { kind: 'text', text: option.value });
      setPhase({ kind: 'form' });
    } else if (key.escape || key.leftArrow) setPhase({ kind: 'form' });
  };

  const onListKey = (p: Extract<Phase, { kind: 'list' }>, input: string, key: Key): void => {
    const current = getValues()[p.field];
    const items = current?.kind === 'list' ? current.items : [];
    if (p.editing) {
      const { state, action } = applyTextKey(p.editing.state, input, key);
      if (action === 'cancel') setPhase({ kind: 'list', field: p.field, selected: p.selected });
      else if (action === 'submit') {
        const text = state.value.trim();
        const next = [...items];
        if (p.editing.index >= items.length) {
          if (text !== '') next.push(text);
        } else if (text === '') next.splice(p.editing.index, 1);
        else next[p.editing.index] = text;
        setField(p.field, { kind: 'list', items: next });
        // A new URL stays selected, so that its problems show below and Enter edits it again.
        setPhase({ kind: 'list', field: p.field, selected: Math.min(p.editing.index >= items.length ? (text !== '' ? next.length - 1 : next.length) : p.selected, next.length) });
      } else if (action === undefined) setPhase({ ...p, editing: { ...p.editing, state } });
      return;
    }
    const move = moveSelection(p.selected, items.length + 1, input, key, 8);
    if (move !== undefined) setPhase({ ...p, selected: move });
    else if (input === 'a') setPhase({ ...p, selected: items.length, editing: { index: items.length, state: textState('') } });
    else if (key.return || input === 'e') setPhase({ ...p, editing: { index: p.selected, state: textState(items[p.selected] ?? '') } });
    else if ((input === 'x' || key.delete || key.backspace) && p.selected < items.length) {
      const next = items.filter((_, i) => i !== p.selected);
      setField(p.field, { kind: 'list', items: next });
      setPhase({ ...p, selected: Math.min(p.selected, next.length) });
    } else if (key.escape || key.leftArrow || input === 'q') setPhase({ kind: 'form' });
  };

  const leaveAnswers: readonly Answer<'keep' | 'save' | 'discard' | 'stay'>[] = [
    { key: 'y', label: 'keep them (unsaved)', value: 'keep' },
    { key: 's', label: 'save to the file', value: 'save' },
    { key: 'n', label: 'discard them', value: 'discard' },
    { key: 'esc', label: 'go on editing', value: 'stay' },
  ];
  const saveErrorAnswers: readonly Answer<'save' | 'stay'>[] = [
    { key: 'y', label: 'save anyway (customs run will fail this tracker)', value: 'save' },
    { key: 'n', label: 'go on editing', value: 'stay' },
    { key: 'esc', label: '', value: 'stay' },
  ];

  const onKey: KeyHandler = (input, key) => {
    const phase = getPhase();
    // Ctrl-C leaves the editor (asking about changes); a second one discards them.
    if (key.ctrl && input === 'c') {
      tryAbort.current?.abort();
      // Text being typed counts as a change to keep.
      setValues(withDraft(getValues(), phase));
      if (phase.kind === 'leave' || phase.kind === 'pick-type' || !dirty) props.onDone({ kind: 'cancel' });
      else setPhase({ kind: 'leave' });
      return;
    }
    switch (phase.kind) {
      case 'pick-type': {
        const move = moveSelection(phase.selected, ADAPTERS.length, input, key, 8);
        if (move !== undefined) setPhase({ ...phase, selected: move });
        else if (key.return) {
          const chosen = ADAPTERS[phase.selected];
          if (chosen) pickType(chosen.type);
        } else if (key.escape || input === 'q') props.onDone({ kind: 'cancel' });
        else if (input === '?') setPhase({ kind: 'help', offset: 0 });
        return;
      }
      case 'form':
        return onFormKey(input, key);
      case 'text':
        return onTextKey(phase, input, key);
      case 'choice':
        return onChoiceKey(phase, input, key);
      case 'list':
        return onListKey(phase, input, key);
      case 'leave': {
        const answer = answerFor(leaveAnswers, input, key);
        if (answer === 'keep') finish('keep');
        else if (answer === 'save') requestSave();
        else if (answer === 'discard') props.onDone({ kind: 'cancel' });
        else if (answer === 'stay') setPhase({ kind: 'form' });
        return;
      }
      case 'save-errors': {
        const answer = answerFor(saveErrorAnswers, input, key);
        if (answer === 'save') finish('save');
        else if (answer === 'stay') setPhase({ kind: 'form' });
        return;
      }
      case 'help': {
        const total = helpLength(EDITOR_HELP);
        if (key.escape || input === '?' || input === 'q') setPhase(typeName === '' && target.kind === 'add' ? { kind: 'pick-type', selected: 0 } : { kind: 'form' });
        else if (key.downArrow || key.pageDown) setPhase({ kind: 'help', offset: Math.min(total, phase.offset + (key.pageDown ? height - 2 : 1)) });
        else if (key.upArrow || key.pageUp) setPhase({ kind: 'help', offset: Math.max(0, phase.offset - (key.pageUp ? height - 2 : 1)) });
        return;
      }
    }
  };
  if (props.keys) props.keys.current = onKey;
  useLatestInput(onKey, { isActive: props.keys === undefined });

  // ------------------------------------------------------------------------------------------
  // Drawing

  if (phase.kind === 'help') {
    return <HelpOverlay sections={EDITOR_HELP} width={width} height={height} offset={phase.offset} />;
  }

  if (phase.kind === 'pick-type') {
    const hints: KeyHint[] = [
      ['↑↓', 'choose'],
      ['Enter', 'use this type'],
      ['Esc', 'back'],
      ['?', 'help'],
    ];
    const listHeight = Math.max(3, height - 3 - footerLines(hints, width));
    const typeWidth = Math.max(...ADAPTERS.map((a) => a.type.length)) + 2;
    return (
      <Box flexDirection="column" width={width} height={height}>
        <Text bold>Add a tracker: which kind of bug tracker is it?</Text>
        <Text dimColor>{'─'.repeat(Math.min(width, 80))}</Text>
        <Box height={listHeight}>
          <SelectList
            width={width}
            height={listHeight}
            selected={phase.selected}
            rows={ADAPTERS.map((a) => ({
              key: a.type,
              content: (
                <>
                  <Text bold>{a.type.padEnd(typeWidth)}</Text>
                  {a.description}
                </>
              ),
            }))}
          />
        </Box>
        <Box flexGrow={1} />
        <KeyFooter hints={hints} width={width} />
      </Box>
    );
  }

  const title = target.kind === 'add' ? `New ${adapter?.type ?? typeName} tracker "${name}"` : `Tracker "${name}" (${adapter?.type ?? (typeName || 'unknown type')})`;
  const counts = countProblems(checked.problems);

  let hints: KeyHint[];
  if (phase.kind === 'text') {
    hints = [
      ['Enter', 'keep'],
      ['Esc', 'undo typing'],
      ['^U', 'clear'],
      ['↑↓', 'keep and move'],
    ];
  } else if (phase.kind === 'choice') {
    hints = [
      ['↑↓', 'choose'],
      ['Enter', 'use it'],
      ['Esc', 'cancel'],
    ];
  } else if (phase.kind === 'list') {
    hints = phase.editing
      ? [
          ['Enter', 'keep'],
          ['Esc', 'undo typing'],
          ['^U', 'clear'],
        ]
      : [
          ['↑↓', 'select'],
          ['a', 'add'],
          ['Enter', 'edit'],
          ['x', 'remove'],
          ['Esc', 'back to the form'],
        ];
  } else if (tryState?.kind === 'running') {
    hints = [['Esc', 'stop trying']];
  } else {
    hints = [
      ['↑↓', 'field'],
      ['Enter', 'change'],
      ['t', 'try it'],
      ['s', 'save'],
      ['Esc', 'back'],
      ['?', 'help'],
    ];
  }

  if (phase.kind === 'leave' || phase.kind === 'save-errors') hints = [];
  const footerHeight = hints.length > 0 ? footerLines(hints, width) : 0;
  const prompt = phase.kind === 'leave' ? `Keep your changes to "${name}"?` : phase.kind === 'save-errors' ? `"${name}" has ${counts.errors} error${counts.errors === 1 ? '' : 's'}. Save anyway?` : undefined;
  const promptAnswers = phase.kind === 'leave' ? leaveAnswers : saveErrorAnswers.filter((a) => a.label !== '');
  const promptHeight = prompt ? confirmLines(prompt, promptAnswers, width) : 0;
  // Title, rule, body, rule, detail, status, prompt, footer: the body and the detail share what is left.
  const spare = height - 4 - footerHeight - promptHeight;
  const detailHeight = Math.max(1, Math.min(7, Math.floor(spare / 3), spare - 2));
  const bodyHeight = Math.max(2, spare - detailHeight);

  let body: ReactElement;
  let detail: ReactElement;
  const listSpec = phase.kind === 'list' || phase.kind === 'choice' ? specs.find((s) => s.name === phase.field) : undefined;
  if (phase.kind === 'choice' && listSpec) {
    const current = valueOf(values, listSpec);
    const options = choiceOptions(listSpec, current.kind === 'text' ? current.text : '');
    body = (
      <Box flexDirection="column">
        <Text bold>{listSpec.name}: choose one</Text>
        <SelectList
          width={width}
          height={bodyHeight - 1}
          selected={phase.selected}
          rows={options.map((o) => ({ key: o.value || '(unset)', content: o.description ? `${o.label.padEnd(12)} ${o.description}` : o.label }))}
        />
      </Box>
    );
    detail = <FieldDetail spec={listSpec} value={effective[listSpec.name]} problems={checked.problems} width={width} height={detailHeight} />;
  } else if (phase.kind === 'list' && listSpec) {
    const committed = valueOf(values, listSpec);
    const shownItems = committed.kind === 'list' ? committed.items : [];
    body = (
      <Box flexDirection="column">
        <Text bold>
          {listSpec.name}: {shownItems.length} URL{shownItems.length === 1 ? '' : 's'}
        </Text>
        <UrlList
          field={listSpec.name}
          items={shownItems}
          selected={phase.editing ? phase.editing.index : phase.selected}
          problems={checked.problems}
          height={bodyHeight - 1}
          width={width}
          {...(phase.editing ? { editing: phase.editing } : {})}
        />
      </Box>
    );
    const index = phase.editing ? phase.editing.index : phase.selected;
    detail = <FieldDetail spec={listSpec} value={effective[listSpec.name]} problems={checked.problems} width={width} height={detailHeight} itemIndex={index < shownItems.length ? index : undefined} />;
  } else {
    const editingIndex = phase.kind === 'text' ? specs.findIndex((s) => s.name === phase.field) : -1;
    body = (
      <Box flexDirection="column">
        <FieldRows
          specs={specs}
          values={shown}
          changed={changedFields}
          problems={checked.problems}
          selected={Math.min(selected, specs.length - 1)}
          height={bodyHeight - (extraKeys.length > 0 ? 1 : 0)}
          width={width}
          {...(phase.kind === 'text' && editingIndex >= 0
            ? { editing: { index: editingIndex, node: <TextField state={phase.state} width={valueWidthFor(specs, width)} {...(focusedSpec?.example ? { placeholder: `e.g. ${focusedSpec.example}` } : {})} /> } }
            : {})}
        />
        {extraKeys.length > 0 ? (
          <Text dimColor wrap="truncate-end">
            {'  '}also in the entry, kept as they are: {extraKeys.join(', ')}
          </Text>
        ) : null}
      </Box>
    );
    detail = tryState ? (
      <TryPanel state={tryState} width={width} height={detailHeight} spinner={SPINNER[spin % SPINNER.length] ?? '*'} />
    ) : focusedSpec ? (
      <FieldDetail spec={focusedSpec} value={effective[focusedSpec.name]} problems={checked.problems} width={width} height={detailHeight} />
    ) : (
      <Text> </Text>
    );
  }

  // The status line names the worst problem the detail area does not already show.
  const shownField = phase.kind === 'form' || phase.kind === 'text' ? focusedSpec?.name : phase.kind === 'list' || phase.kind === 'choice' ? phase.field : undefined;
  const elsewhere = [...checked.problems]
    .filter((p) => p.field === undefined || p.field !== shownField)
    .sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1));
  const unplaced = elsewhere.map((p) => ({ ...p, message: p.field !== undefined && specs.some((s) => s.name === p.field) && !p.message.includes(`"${p.field}"`) ? `${p.field}: ${p.message}` : p.message }));
  const status = checked.failure ? (
    <Text color={tint('red')} wrap="truncate-end">
      {MARK.error} This change cannot be written into the file: {checked.failure}
    </Text>
  ) : counts.errors + counts.warnings === 0 ? (
    <Text color={tint('green')} wrap="truncate-end">
      {MARK.ok} No problems: customs validate would accept this tracker.
    </Text>
  ) : (
    <Text color={counts.errors > 0 ? tint('red') : tint('yellow')} wrap="truncate-end">
      {counts.errors > 0 ? MARK.error : MARK.warning} {[counts.errors > 0 ? `${counts.errors} error${counts.errors === 1 ? '' : 's'}` : '', counts.warnings > 0 ? `${counts.warnings} warning${counts.warnings === 1 ? '' : 's'}` : ''].filter(Boolean).join(', ')}
      {unplaced[0] ? ` · ${unplaced[0].message}` : ''}
    </Text>
  );

  return (
    <Box flexDirection="column" width={width} height={height} overflow="hidden">
      <Box width={width} flexShrink={0}>
        <Box flexGrow={1} flexShrink={1}>
          <Text bold wrap="truncate-end">
            {title}
          </Text>
        </Box>
        <Text color={tint('yellow')}>{dirty ? ` ${MARK.changed} changed` : ''}</Text>
      </Box>
      <Text dimColor>{'─'.repeat(Math.min(width, 200))}</Text>
      <Box height={bodyHeight} flexDirection="column" overflow="hidden">
        {body}
      </Box>
      <Text dimColor>{'─'.repeat(Math.min(width, 200))}</Text>
      <Box height={detailHeight} flexDirection="column" overflow="hidden">
        {detail}
      </Box>
      {status}
      {prompt ? <Confirm question={prompt} answers={promptAnswers} width={width} /> : null}
      <KeyFooter hints={hints} width={width} />
    </Box>
  );
}

/** The focused field explained: kind, required, its problems, help and example, in that order of importance. */
function FieldDetail(props: { readonly spec: FieldSpec; readonly value: FieldValue | undefined; readonly problems: readonly Problem[]; readonly width: number; readonly height: number; readonly itemIndex?: number | undefined }): ReactElement {
  const { spec, width, height } = props;
  const problems = props.itemIndex !== undefined ? itemProblems(props.problems, spec.name, props.itemIndex) : fieldProblems(props.problems, spec.name);
  const envName = spec.kind === 'env-name' ? envHint(props.value?.kind === 'text' ? props.value.text.trim() : '') : undefined;
  const lines: ReactElement[] = [
    <Text key="head" wrap="truncate-end">
      <Text bold>{spec.name}</Text>
      <Text dimColor> · {describeSpec(spec)}</Text>
    </Text>,
  ];
  // Explicit lines, so that a short terminal drops the least important ones (help, then the example).
  const add = (key: string, texts: readonly string[], style: { readonly color?: string | undefined; readonly dim?: boolean }): void => {
    texts.forEach((text, i) =>
      lines.push(
        <Text key={`${key}${i}`} color={style.color} dimColor={style.dim === true} wrap="truncate-end">
          {text}
        </Text>,
      ),
    );
  };
  problems.slice(0, 2).forEach((p, i) => add(`p${i}`, wrapLines(`${p.severity === 'error' ? MARK.error : MARK.warning} ${p.message}`, width), { color: p.severity === 'error' ? tint('red') : tint('yellow') }));
  if (envName) add('env', wrapLines(envName, width), { color: tint('cyan') });
  const room = Math.max(0, height - lines.length);
  const help = wrapLines(spec.help, width);
  add('help', help.slice(0, room), {});
  if (spec.example !== undefined && room > help.length) add('ex', [`Example: ${spec.example}`], { dim: true });
  return (
    <Box flexDirection="column" width={width} height={height} overflow="hidden">
      {lines.slice(0, height)}
    </Box>
  );
}

/** What token_env means, and whether the named variable is set here (its value is never shown). */
function envHint(name: string): string {
  const what = 'The NAME of an environment variable (such as GITHUB_TOKEN), never the token itself.';
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name) || looksLikeToken(name)) return what;
  const set = (process.env[name] ?? '') !== '';
  return `${what} ${name} is ${set ? 'set in this terminal' : `not set in this terminal: export ${name}=… before running`}.`;
}
