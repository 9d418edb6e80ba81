// Loading a tracker file (contract.md "The tracker file"): YAML or JSON with line/column for every
// node, old Python string tags read as plain strings, and the three accepted shapes (a list;
// `objects:` + `meta:` from OpenHatch; `trackers:` + `settings:`). Bad content never throws: it
// becomes problems, and a file-level problem marks the whole file unusable.

import { readFile } from 'node:fs/promises';
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type ParseOptions, type DocumentOptions, type ScalarTag, type SchemaOptions } from 'yaml';
import { ADAPTERS } from '../../trackers/index.ts';
import type { TrackerAdapter } from '../core/types.ts';
import { parseSettings, type RunSettings } from './settings.ts';
import { describe, sortProblems, SourceFile, validateEntries, type LoadedEntry, type Position, type Problem } from './validate.ts';

export { formatProblem, type LoadedEntry, type Problem } from './validate.ts';
export type { RunSettings } from './settings.ts';

export interface TrackerFile {
  readonly path: string;
  readonly entries: readonly LoadedEntry[];
  readonly settings: RunSettings;
  /** Every problem of the file and of its entries, by line then column. */
  readonly problems: readonly Problem[];
  /** true when the file itself is unusable (not YAML, wrong shape, duplicate names, bad settings) */
  readonly fatal: boolean;
}

/**
 * Python string tags written by old OpenHatch exporters (PyYAML):
 * `tracker_name: !!python/unicode 'Twisted'`. Read as plain strings.
 */
export const PYTHON_STRING_TAGS: readonly ScalarTag[] = ['unicode', 'str', 'bytes'].map((name) => ({
  tag: `tag:yaml.org,2002:python/${name}`,
  resolve: (text: string) => text,
}));

/** The options every reader of a tracker file uses (the editor's round trip too). */
export const YAML_OPTIONS: ParseOptions & DocumentOptions & SchemaOptions = {
  customTags: [...PYTHON_STRING_TAGS],
  prettyErrors: false,
  // Duplicate keys are reported by validation, per entry, rather than failing the whole file.
  uniqueKeys: false,
};

const EXPECTED = 'expected a list of tracker entries, or a mapping with "trackers:" or "objects:"';
const TOP_KEYS = ['trackers', 'objects', 'settings', 'meta'];

/** Read and validate a tracker file. Never throws for bad or missing content. */
export async function loadTrackerFile(path: string, adapters: readonly TrackerAdapter[] = ADAPTERS): Promise<TrackerFile> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (err) {
    return unusable(path, readFailure(err, path));
  }
  if (bytes.includes(0)) return unusable(path, 'the file is not text (it holds binary data); ' + EXPECTED);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return unusable(path, 'the file is not UTF-8 text; save it as UTF-8');
  }
  return parseTrackerText(text, path, adapters);
}

/** Validate tracker-file text (tests, the TUI editor). `path` is used in problems only. */
export function parseTrackerText(text: string, path: string, adapters: readonly TrackerAdapter[] = ADAPTERS): TrackerFile {
  const source = text.startsWith('\uFEFF') ? text.slice(1) : text;
  if (source.includes('\0')) return unusable(path, 'the file is not text (it holds binary data); ' + EXPECTED);
  const lines = new LineCounter();
  const doc = parseDocument(source, { ...YAML_OPTIONS, lineCounter: lines });
  const src = new SourceFile(path, lines, doc);

  const syntax = doc.errors[0];
  if (syntax) {
    const at = src.pos(syntax.pos[0]);
    return unusable(path, `not valid YAML: ${oneSentence(syntax.message)}`, at);
  }
  const problems: Problem[] = doc.warnings.map((w) => src.problem(src.pos(w.pos[0]), 'warning', oneSentence(w.message)));

  const root = doc.contents;
  if (root === null || (isScalar(root) && root.value === null)) {
    return unusable(path, `the file is empty; ${EXPECTED}`);
  }

  let list: unknown = undefined;
  let listAt: Position = src.at(root);
  let settings: RunSettings = {};
  let fatal = false;

  if (isSeq(root)) {
    list = root;
  } else if (isMap(root)) {
    const top = new Map<string, { key: unknown; value: unknown }>();
    for (const pair of root.items) {
      if (!isPair(pair)) continue;
      const key = String(src.plain(pair.key));
      if (!top.has(key)) top.set(key, { key: pair.key, value: pair.value });
    }
    const trackers = top.get('trackers');
    const objects = top.get('objects');
    if (trackers && objects) {
      return unusable(path, 'the file has both "trackers:" and "objects:"; keep one list of tracker entries', src.at(objects.key));
    }
    const holder = trackers ?? objects;
    if (!holder) {
      const why = top.has('tracker_name') || top.has('bugimporter')
        ? 'the file holds a single tracker entry; start it with "- " to make a list of entries, or put it under "trackers:"'
        : `the file is a mapping without "trackers:" or "objects:"; ${EXPECTED}`;
      return unusable(path, why, src.at(root));
    }
    const name = trackers ? 'trackers' : 'objects';
    list = src.deref(holder.value);
    listAt = src.at(holder.value, src.at(holder.key));
    if (list !== null && list !== undefined && !isSeq(list) && !(isScalar(list) && list.value === null)) {
      return unusable(path, `"${name}" must be a list of tracker entries, got ${describe(src.plain(list))}`, src.at(list, listAt));
    }
    for (const [key, { key: keyNode }] of top) {
      if (!TOP_KEYS.includes(key)) problems.push(src.problem(src.at(keyNode), 'warning', `unknown top-level key "${key}" (the file may have "trackers:", "settings:", "objects:" and "meta:")`));
    }
    const block = top.get('settings');
    if (block) {
      const parsed = parseSettings(block.value, src, src.at(block.key));
      settings = parsed.settings;
      problems.push(...parsed.problems);
      if (parsed.problems.some((p) => p.severity === 'error')) fatal = true;
    }
  } else {
    return unusable(path, `the file holds ${describe(src.plain(root))}; ${EXPECTED}`, src.at(root));
  }

  const items = isSeq(list) ? list.items : [];
  const { entries, fileProblems } = validateEntries(items, src, adapters, listAt);
  if (src.overflow) return unusable(path, 'the file expands to too many values (aliases); write the entries out', src.at(root));
  if (fileProblems.length > 0) fatal = true;
  problems.push(...fileProblems);
  for (const entry of entries) problems.push(...entry.problems);
  return { path, entries, settings, problems: sortProblems(problems), fatal };
}

/** A file that cannot be used at all: one problem, no entries. */
function unusable(path: string, message: string, at: Position = { line: 1, col: 1 }): TrackerFile {
  return {
    path,
    entries: [],
    settings: {},
    problems: [{ file: path, line: at.line, col: at.col, severity: 'error', message }],
    fatal: true,
  };
}

function readFailure(err: unknown, path: string): string {
  const code = typeof err === 'object' && err !== null && 'code' in err ? String(err.code) : '';
  switch (code) {
    case 'ENOENT':
      return `the file does not exist; write one (the README has an example), or run \`customs demo\` to see customs work`;
    case 'EISDIR':
      return 'this is a folder, not a tracker file';
    case 'EACCES':
    case 'EPERM':
      return 'the file cannot be read: permission denied';
    default:
      return `the file cannot be read: ${err instanceof Error ? err.message : String(err)}`;
  }
}

/** The yaml library's message as one line without a trailing period. */
function oneSentence(message: string): string {
  return message.split('\n')[0]?.trim().replace(/[.:]$/, '') ?? message;
}
