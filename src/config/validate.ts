// Validation of tracker entries (trackers.md §1.2–1.4): every key is checked against the shared
// and per-type FieldSpecs, every problem is collected with its file position, and each entry is
// returned normalised (plain JS values) and marked valid or not. Nothing here throws on content.

import { isAlias, isMap, isPair, isScalar, isSeq, type Document, type LineCounter } from 'yaml';
import { checkNameFormat, commaList, COMMON_FIELDS, IGNORED_KEYS, parseNameFormat } from '../../trackers/common.ts';
import type { EntryProblem, FieldSpec, TrackerAdapter, TrackerEntry } from '../core/types.ts';

export interface Problem {
  readonly file: string;
  readonly line: number;
  readonly col: number;
  readonly severity: 'error' | 'warning';
  /** The entry's `tracker_name`, when the problem belongs to a named entry. */
  readonly tracker?: string;
  /** The key the problem is about. */
  readonly field?: string;
  /** One sentence, without the tracker prefix (formatProblem adds it). */
  readonly message: string;
}

export interface LoadedEntry {
  /** Normalised: python tags resolved, `null`/`""` optional keys, unknown and ignored keys left out. */
  readonly entry: TrackerEntry;
  /** The adapter for `bugimporter`; absent when the type is unknown. */
  readonly adapter?: TrackerAdapter;
  readonly line: number;
  /** false when the entry has at least one error: `run` reports it failed ("configuration"). */
  readonly valid: boolean;
  readonly problems: readonly Problem[];
}

export interface Position {
  readonly line: number;
  readonly col: number;
}

/** `FILE:LINE:COL severity: [tracker "NAME": ]message` */
export function formatProblem(p: Problem): string {
  const who = p.tracker !== undefined ? `tracker "${p.tracker}": ` : '';
  return `${p.file}:${p.line}:${p.col} ${p.severity}: ${who}${p.message}`;
}

/** Problems in file order: by line, then column. Stable for equal positions. */
export function sortProblems(problems: readonly Problem[]): Problem[] {
  return [...problems].sort((a, b) => a.line - b.line || a.col - b.col);
}

/** Values past this many nodes (alias bombs) are cut off and reported. */
const MAX_NODES = 200_000;

/** One parsed file: turns yaml nodes into positions, plain values and problems. */
export class SourceFile {
  private visited = 0;
  private readonly aliases = new Map<object, unknown>();
  /** Set when alias expansion went past MAX_NODES. */
  overflow = false;

  constructor(
    readonly file: string,
    private readonly lines: LineCounter,
    private readonly doc: Document,
  ) {}

  /** The start of a node (or `fallback`, or 1:1, when it has no range). */
  at(node: unknown, fallback?: Position): Position {
    const range = isNodeLike(node) ? node.range : undefined;
    if (range) return this.pos(range[0]);
    return fallback ?? { line: 1, col: 1 };
  }

  pos(offset: number): Position {
    const { line, col } = this.lines.linePos(offset);
    return { line, col };
  }

  problem(
    at: Position,
    severity: Problem['severity'],
    message: string,
    about: { readonly tracker?: string; readonly field?: string } = {},
  ): Problem {
    return {
      file: this.file,
      line: at.line,
      col: at.col,
      severity,
      ...(about.tracker !== undefined ? { tracker: about.tracker } : {}),
      ...(about.field !== undefined ? { field: about.field } : {}),
      message,
    };
  }

  /** Follow aliases to the node they name (memoised: yaml's resolve walks the document). */
  deref(node: unknown): unknown {
    let current = node;
    for (let hops = 0; isAlias(current) && hops < 100; hops++) {
      const alias = current;
      if (!this.aliases.has(alias)) this.aliases.set(alias, alias.resolve(this.doc));
      current = this.aliases.get(alias);
    }
    return current;
  }

  /** Plain JS value of a node: scalars as parsed, maps as objects with string keys, aliases followed. */
  plain(node: unknown): unknown {
    if (++this.visited > MAX_NODES) {
      this.overflow = true;
      return null;
    }
    const target = this.deref(node);
    if (target === null || target === undefined) return null;
    if (isScalar(target)) return target.value ?? null;
    if (isSeq(target)) return target.items.map((item) => this.plain(item));
    if (isMap(target)) {
      const out: Record<string, unknown> = {};
      for (const pair of target.items) {
        const key = this.plain(pair.key);
        out[String(key)] = this.plain(pair.value);
      }
      return out;
    }
    return null;
  }
}

function isNodeLike(value: unknown): value is { range?: readonly [number, number, number] | null } {
  return typeof value === 'object' && value !== null && 'range' in value;
}

/** A short description of a value's kind, for "got …" in messages. Never echoes long text. */
export function describe(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  if (typeof value === 'string') return value.length > 40 ? 'a long text' : `the text "${value}"`;
  if (typeof value === 'number') return 'a number';
  if (typeof value === 'boolean') return `${value}`;
  if (Array.isArray(value)) return 'a list';
  return 'a mapping';
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** Edit distance, for "did you mean" hints. */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0] ?? 0;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j] ?? 0;
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row[j] = Math.min(above + 1, (row[j - 1] ?? 0) + 1, diagonal + cost);
      diagonal = above;
    }
  }
  return row[b.length] ?? 0;
}

/** The closest of `names` within two edits (or equal ignoring case), for "did you mean" hints. */
export function closest(word: string, names: readonly string[]): string | undefined {
  const lower = word.toLowerCase();
  let best: string | undefined;
  let bestScore = 3;
  for (const name of names) {
    const score = name.toLowerCase() === lower ? 0 : distance(lower, name.toLowerCase());
    if (score < bestScore) {
      best = name;
      bestScore = score;
    }
  }
  return best !== word ? best : undefined;
}

/** ` (did you mean "x"?)`, or `` when nothing is close. */
export function suggest(word: string, names: readonly string[]): string {
  const best = closest(word, names);
  return best !== undefined ? ` (did you mean "${best}"?)` : '';
}

// ---------------------------------------------------------------------------------------------
// Field kinds

/** Keys that would hold a secret. Secrets come from the environment only (contract.md). */
const SECRET_KEY = /^(?:.*_)?(?:token|password|passwd|secret|api_?key|apikey)$/i;
/** Query parameters that carry a secret in a URL (it would reach the cache key and the logs). */
const SECRET_PARAM = /^(?:access_token|private_token|token|api_?key|apikey|password|client_secret|bugzilla_api_key|bugzilla_password|bugzilla_token)$/i;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Types that read `get_older_bug_data` (trackers.md §1.3). */
const OLDER_DATA_TYPES: readonly string[] = ['github', 'jira'];
const BOOLEAN_WORDS: Readonly<Record<string, boolean>> = {
  true: true,
  yes: true,
  on: true,
  false: false,
  no: false,
  off: false,
};

/** Does a text look like a token itself rather than the name of a variable holding one? */
export function looksLikeToken(text: string): boolean {
  const t = text.trim();
  if (/^(?:ghp_|gho_|ghu_|ghs_|ghr_|github_pat_|glpat-|gldt-|glrt-|xox[abpr]-|ATATT)/.test(t)) return true;
  if (/^[0-9a-f]{32,}$/i.test(t)) return true;
  return t.length >= 20 && /[a-z]/.test(t) && /[A-Z]/.test(t) && /[0-9]/.test(t) && !/\s/.test(t);
}

interface Finding {
  readonly severity: Problem['severity'];
  readonly message: string;
  /** Where, when not at the value itself (e.g. one item of a list). */
  readonly at?: Position;
}

interface Checked {
  /** The normalised value; `undefined` leaves the key out of the entry. */
  readonly value: unknown;
  readonly findings: readonly Finding[];
}

function fail(message: string, at?: Position): Checked {
  return { value: undefined, findings: [{ severity: 'error', message, ...(at ? { at } : {}) }] };
}

const HTTP_URL = 'an absolute http(s) URL';

/** The problem with one URL text, if any. */
function urlProblem(text: string): string | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return `is not ${HTTP_URL}: "${text.length > 80 ? `${text.slice(0, 77)}...` : text}"`;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return `must be ${HTTP_URL}, got a URL starting "${url.protocol}"`;
  if (url.hostname === '') return `is not ${HTTP_URL} (no host): "${text}"`;
  if (url.username !== '' || url.password !== '') {
    return 'carries a user name or password; secrets are read from the environment only; use token_env';
  }
  for (const name of url.searchParams.keys()) {
    if (SECRET_PARAM.test(name)) return `carries a secret in "${name}="; secrets are read from the environment only; use token_env`;
  }
  return undefined;
}

/** A string field's value: texts as they are, numbers as written in the file (with a warning). */
function checkText(name: string, value: unknown, source: string | undefined, what = 'a text'): Checked {
  if (typeof value === 'string') return { value, findings: [] };
  if (typeof value === 'number' && source !== undefined) {
    return {
      value: source,
      findings: [{ severity: 'warning', message: `"${name}" is a number; it was read as the text "${source}" (quote it to say so)` }],
    };
  }
  return fail(`"${name}" must be ${what}, got ${describe(value)}`);
}

function checkUrl(name: string, value: unknown): Checked {
  if (typeof value !== 'string') return fail(`"${name}" must be ${HTTP_URL}, got ${describe(value)}`);
  const text = value.trim();
  const problem = urlProblem(text);
  if (problem) return fail(`"${name}" ${problem}`);
  return { value: name === 'base_url' && !text.endsWith('/') ? `${text}/` : text, findings: [] };
}

function checkUrlList(name: string, value: unknown, itemAt: (index: number) => Position | undefined): Checked {
  if (typeof value === 'string') {
    const single = checkUrl(name, value);
    if (single.value === undefined) return single;
    return {
      value: [single.value],
      findings: [{ severity: 'warning', message: `"${name}" should be a list of URLs; the single URL was read as a one-item list` }],
    };
  }
  if (!Array.isArray(value)) return fail(`"${name}" must be a list of URLs, got ${describe(value)}`);
  const findings: Finding[] = [];
  const urls: string[] = [];
  value.forEach((item: unknown, index) => {
    const at = itemAt(index);
    const where = `item ${index + 1} of "${name}"`;
    if (typeof item !== 'string') {
      findings.push({ severity: 'error', message: `${where} must be ${HTTP_URL}, got ${describe(item)}`, ...(at ? { at } : {}) });
      return;
    }
    const text = item.trim();
    const problem = urlProblem(text);
    if (problem) findings.push({ severity: 'error', message: `${where} ${problem}`, ...(at ? { at } : {}) });
    else urls.push(text);
  });
  return { value: findings.length > 0 ? value : urls, findings };
}

function checkBoolean(name: string, value: unknown): Checked {
  if (typeof value === 'boolean') return { value, findings: [] };
  const word = typeof value === 'string' ? BOOLEAN_WORDS[value.trim().toLowerCase()] : undefined;
  if (word !== undefined) return { value: word, findings: [] };
  return fail(`"${name}" must be true or false, got ${describe(value)}`);
}

function checkChoice(spec: FieldSpec, value: unknown): Checked {
  const choices = spec.choices ?? [];
  const expected = `one of ${choices.map((c) => `"${c}"`).join(', ')}`;
  if (typeof value !== 'string') return fail(`"${spec.name}" must be ${expected}, got ${describe(value)}`);
  const text = value.trim();
  if (choices.length > 0 && !choices.includes(text)) {
    return fail(`"${spec.name}" must be ${expected}, got "${text}"${suggest(text, choices)}`);
  }
  return { value: text, findings: [] };
}

function checkCommaList(name: string, value: unknown, source: string | undefined): Checked {
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) {
    const joined = value.join(', ');
    return {
      value: joined,
      findings: [{ severity: 'warning', message: `"${name}" is a comma-separated text, not a list; it was read as "${joined}"` }],
    };
  }
  return checkText(name, value, source, 'a comma-separated text such as "easy, bitesize"');
}

/** Without a known type its placeholders are unknown, so only the braces are checked. */
function checkNameFormatField(spec: FieldSpec, value: unknown, source: string | undefined, typeKnown: boolean): Checked {
  const text = checkText(spec.name, value, source);
  if (typeof text.value !== 'string') return text;
  const parts = parseNameFormat(text.value);
  const problem = typeof parts === 'string' ? parts : typeKnown ? checkNameFormat(text.value, spec.placeholders ?? []) : undefined;
  return problem ? fail(`"${spec.name}": ${problem}`) : text;
}

function checkEnvName(name: string, value: unknown): Checked {
  if (typeof value !== 'string') return fail(`"${name}" must be the name of an environment variable, got ${describe(value)}`);
  const text = value.trim();
  const isName = ENV_NAME.test(text);
  if (looksLikeToken(text)) {
    const message = `"${name}" looks like a token itself; secrets must not be stored in the file: put the token in an environment variable and give its name here`;
    return isName ? { value: text, findings: [{ severity: 'warning', message }] } : fail(message);
  }
  if (!isName) return fail(`"${name}" must be the name of an environment variable (letters, digits and _, such as GITHUB_TOKEN), got "${text}"`);
  return { value: text, findings: [] };
}

function checkInteger(spec: FieldSpec, value: unknown): Checked {
  const number = typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : value;
  const range = spec.min !== undefined && spec.max !== undefined ? ` from ${spec.min} to ${spec.max}` : '';
  if (typeof number !== 'number' || !Number.isInteger(number)) return fail(`"${spec.name}" must be a whole number${range}, got ${describe(value)}`);
  if ((spec.min !== undefined && number < spec.min) || (spec.max !== undefined && number > spec.max)) {
    return fail(`"${spec.name}" must be a whole number${range}, got ${number}`);
  }
  return { value: number, findings: [] };
}

function checkField(
  spec: FieldSpec,
  value: unknown,
  source: string | undefined,
  itemAt: (index: number) => Position | undefined,
  typeKnown: boolean,
): Checked {
  switch (spec.kind) {
    case 'string':
      return checkText(spec.name, value, source);
    case 'url':
      return checkUrl(spec.name, value);
    case 'url-list':
      return checkUrlList(spec.name, value, itemAt);
    case 'boolean':
      return checkBoolean(spec.name, value);
    case 'integer':
      return checkInteger(spec, value);
    case 'choice':
      return checkChoice(spec, value);
    case 'comma-list':
      return checkCommaList(spec.name, value, source);
    case 'name-format':
      return checkNameFormatField(spec, value, source, typeKnown);
    case 'env-name':
      return checkEnvName(spec.name, value);
  }
}

// ---------------------------------------------------------------------------------------------
// Entries

/** Where a key and its value sit in the file. */
interface KeyPlace {
  readonly key: Position;
  readonly value: Position;
  readonly items: readonly Position[];
  /** The raw scalar text, for numbers read as text. */
  readonly source?: string;
}

/** The adapter for a `bugimporter` value among `adapters` (same rule as trackers/index.ts). */
export function findIn(adapters: readonly TrackerAdapter[], bugimporter: string): TrackerAdapter | undefined {
  const wanted = bugimporter.trim();
  return adapters.find((a) => a.type === wanted || a.aliases.includes(wanted));
}

function knownNames(adapters: readonly TrackerAdapter[]): string {
  return adapters.map((a) => (a.aliases.length > 0 ? `${a.type} (or ${a.aliases.join(', ')})` : a.type)).join(', ');
}

/** `null` or `""` (or blank text) for a key means the key is absent (OpenHatch exports both). */
function isBlank(value: unknown): boolean {
  return value === null || value === undefined || (typeof value === 'string' && value.trim() === '');
}

/** Default parser names an adapter accepts as "no custom parser": `github.GitHubBugImporter` → `github.GitHubBugParser`. */
function defaultParserNames(adapter: TrackerAdapter): string[] {
  return adapter.aliases.filter((a) => a.endsWith('BugImporter')).map((a) => a.replace(/BugImporter$/, 'BugParser'));
}

interface EntryResult {
  readonly loaded: LoadedEntry;
  /** Where the tracker_name value sits, for the duplicate check. */
  readonly namePos?: Position;
}

class EntryChecker {
  private readonly problems: Problem[] = [];
  private tracker: string | undefined;
  private readonly label: string;

  constructor(
    private readonly src: SourceFile,
    index: number,
    private readonly start: Position,
  ) {
    this.label = `entry ${index + 1}`;
  }

  report(at: Position, severity: Problem['severity'], message: string, field?: string): void {
    const text = this.tracker === undefined ? `${this.label}: ${message}` : message;
    this.problems.push(this.src.problem(at, severity, text, { ...(this.tracker !== undefined ? { tracker: this.tracker } : {}), ...(field !== undefined ? { field } : {}) }));
  }

  hasErrors(): boolean {
    return this.problems.some((p) => p.severity === 'error');
  }

  check(node: unknown, adapters: readonly TrackerAdapter[]): EntryResult {
    const map = this.src.deref(node);
    if (!isMap(map)) {
      const got = isSeq(map) ? 'a list' : describe(isScalar(map) ? map.value : null);
      this.report(this.start, 'error', `a tracker entry must be a mapping of keys (tracker_name, bugimporter, …), got ${got}`);
      return { loaded: this.done({ tracker_name: '', bugimporter: '' }, undefined) };
    }

    // Keys and their places, first occurrence wins; duplicates are errors (reported once the
    // tracker's name is known, so that they carry it).
    const raw = new Map<string, unknown>();
    const places = new Map<string, KeyPlace>();
    const badKeys: { at: Position; message: string; key?: string }[] = [];
    for (const pair of map.items) {
      if (!isPair(pair)) continue;
      const keyNode = this.src.deref(pair.key);
      const keyAt = this.src.at(pair.key, this.start);
      if (!isScalar(keyNode) || keyNode.value === null || typeof keyNode.value === 'object') {
        badKeys.push({ at: keyAt, message: 'a key must be a plain word such as "queries"' });
        continue;
      }
      const key = String(keyNode.value);
      const first = places.get(key);
      if (first) {
        badKeys.push({ at: keyAt, message: `key "${key}" appears twice (first at line ${first.key.line}); the first value is used`, key });
        continue;
      }
      const valueNode = this.src.deref(pair.value);
      const valueAt = this.src.at(pair.value, keyAt);
      const items = isSeq(valueNode) ? valueNode.items.map((item) => this.src.at(item, valueAt)) : [];
      const source = isScalar(valueNode) && typeof valueNode.value === 'number' ? valueNode.source : undefined;
      places.set(key, { key: keyAt, value: valueAt, items, ...(source !== undefined ? { source } : {}) });
      raw.set(key, this.src.plain(pair.value));
    }

    // tracker_name first, so that every later problem carries it.
    const name = this.trackerName(raw, places);
    for (const bad of badKeys) this.report(bad.at, 'error', bad.message, bad.key);
    const namePos = places.get('tracker_name')?.value;
    const adapter = this.bugimporter(raw, places, adapters);
    const bugimporter = typeof raw.get('bugimporter') === 'string' ? String(raw.get('bugimporter')).trim() : '';

    const entry: Record<string, unknown> = { tracker_name: name, bugimporter };
    const erred = new Set<string>();
    const specs = new Map<string, FieldSpec>();
    for (const spec of COMMON_FIELDS) specs.set(spec.name, spec);
    for (const spec of adapter?.fields ?? []) specs.set(spec.name, spec);
    const typeName = adapter?.type;

    for (const [key, value] of raw) {
      if (key === 'tracker_name' || key === 'bugimporter') continue;
      const place = places.get(key);
      if (!place) continue;
      const spec = specs.get(key);
      if (SECRET_KEY.test(key) && spec?.kind !== 'env-name' && !isBlank(value)) {
        this.report(place.key, 'error', `"${key}": secrets are read from the environment only; use token_env`, key);
        erred.add(key);
        continue;
      }
      if (IGNORED_KEYS.includes(key)) continue;
      if (!spec) {
        if (adapter) {
          const best = closest(key, [...specs.keys()]);
          const hint = best !== undefined ? `; did you mean "${best}"?` : '';
          this.report(place.key, 'warning', `unknown key "${key}" (not used by ${adapter.type} trackers${hint})`, key);
        } else if (!isBlank(value)) {
          entry[key] = value;
        }
        continue;
      }
      if (isBlank(value)) continue;
      if (key === 'get_older_bug_data' && typeName !== undefined && !OLDER_DATA_TYPES.includes(typeName) && !adapter?.fields.some((f) => f.name === key)) {
        this.report(place.key, 'warning', `"get_older_bug_data" is ignored by ${typeName} trackers (only github and jira use it)`, key);
        continue;
      }
      if (key === 'custom_parser' && adapter && !adapter.fields.some((f) => f.name === key)) {
        const text = typeof value === 'string' ? value.trim() : '';
        if (!defaultParserNames(adapter).includes(text)) {
          this.report(place.value, 'error', `"custom_parser": ${adapter.type} trackers have no custom parsers; leave it empty`, key);
          erred.add(key);
        }
        continue;
      }
      const checked = checkField(spec, value, place.source, (i) => place.items[i], adapter !== undefined);
      for (const finding of checked.findings) this.report(finding.at ?? place.value, finding.severity, finding.message, key);
      if (checked.findings.some((f) => f.severity === 'error')) erred.add(key);
      else if (checked.value !== undefined) entry[key] = checked.value;
    }

    if (adapter) {
      this.emptyRules(raw, places, specs);
      for (const spec of adapter.fields) {
        if (spec.required === true && !(spec.name in entry) && !erred.has(spec.name)) {
          this.report(this.start, 'error', `"${spec.name}" is required for ${adapter.type} trackers`, spec.name);
        }
      }
    }

    // The adapter's cross-field rules only make sense on values of the right kinds.
    const finalEntry = entry as TrackerEntry;
    if (adapter && erred.size === 0) this.adapterCheck(adapter, finalEntry, places);
    return { loaded: this.done(finalEntry, adapter), ...(namePos ? { namePos } : {}) };
  }

  private trackerName(raw: ReadonlyMap<string, unknown>, places: ReadonlyMap<string, KeyPlace>): string {
    const place = places.get('tracker_name');
    const value = raw.get('tracker_name');
    if (!place || isBlank(value)) {
      this.report(place?.value ?? this.start, 'error', '"tracker_name" is required (a non-empty text, unique in the file)', 'tracker_name');
      return '';
    }
    const checked = checkText('tracker_name', value, place.source);
    if (typeof checked.value !== 'string') {
      for (const f of checked.findings) this.report(place.value, f.severity, f.message, 'tracker_name');
      return '';
    }
    this.tracker = checked.value.trim();
    for (const f of checked.findings) this.report(place.value, f.severity, f.message, 'tracker_name');
    return this.tracker;
  }

  private bugimporter(raw: ReadonlyMap<string, unknown>, places: ReadonlyMap<string, KeyPlace>, adapters: readonly TrackerAdapter[]): TrackerAdapter | undefined {
    const place = places.get('bugimporter');
    const value = raw.get('bugimporter');
    const known = knownNames(adapters);
    if (!place || isBlank(value)) {
      this.report(place?.value ?? this.start, 'error', `"bugimporter" is required; known types: ${known}`, 'bugimporter');
      return undefined;
    }
    if (typeof value !== 'string') {
      this.report(place.value, 'error', `"bugimporter" must be a type name, got ${describe(value)}; known types: ${known}`, 'bugimporter');
      return undefined;
    }
    const adapter = findIn(adapters, value);
    if (!adapter) {
      const hint = suggest(value.trim(), adapters.flatMap((a) => [a.type, ...a.aliases]));
      this.report(place.value, 'error', `unknown bugimporter "${value.trim()}"${hint}; known types: ${known}`, 'bugimporter');
    }
    return adapter;
  }

  /** A rule whose `X_type`/`X_field` is set but whose `X_text`/`X_tag` is empty never matches (§1.4). */
  private emptyRules(raw: ReadonlyMap<string, unknown>, places: ReadonlyMap<string, KeyPlace>, specs: ReadonlyMap<string, FieldSpec>): void {
    for (const [key, value] of raw) {
      const match = /^(.+)_(type|field)$/.exec(key);
      if (!match || !specs.has(key) || isBlank(value) || typeof value !== 'string') continue;
      const prefix = match[1] ?? '';
      const textKeys = [`${prefix}_text`, `${prefix}_tag`].filter((k) => specs.has(k) || raw.has(k));
      const textKey = textKeys[0] ?? `${prefix}_text`;
      const pieces = textKeys.flatMap((k) => commaList(raw.get(k)));
      if (pieces.length > 0) continue;
      const at = places.get(textKey)?.value ?? places.get(key)?.value ?? this.start;
      this.report(at, 'warning', `"${key}" is set but "${textKey}" is empty, so this rule never matches`, textKey);
    }
  }

  /** The adapter's own cross-field rules, positioned at the named field (and list item). */
  private adapterCheck(adapter: TrackerAdapter, entry: TrackerEntry, places: ReadonlyMap<string, KeyPlace>): void {
    let found: readonly EntryProblem[];
    try {
      found = adapter.check(entry);
    } catch (err) {
      const why = err instanceof Error ? err.message : String(err);
      this.report(this.start, 'error', `the ${adapter.type} checks failed on this entry: ${why}`);
      return;
    }
    for (const p of found) {
      const place = p.field !== undefined ? places.get(p.field) : undefined;
      const at = (p.index !== undefined ? place?.items[p.index] : undefined) ?? place?.value ?? this.start;
      // Name the field (and item) when the adapter's message does not.
      const where = p.index !== undefined ? `item ${p.index + 1} of "${p.field}"` : `"${p.field}"`;
      const named = p.field === undefined || p.message.includes(p.field) ? p.message : `${where}: ${p.message}`;
      this.report(at, p.severity, named, p.field);
    }
  }

  private done(entry: TrackerEntry, adapter: TrackerAdapter | undefined): LoadedEntry {
    return {
      entry,
      ...(adapter ? { adapter } : {}),
      line: this.start.line,
      valid: adapter !== undefined && !this.hasErrors(),
      problems: sortProblems(this.problems),
    };
  }
}

/**
 * Validate the entry nodes of one file. Returns each entry (valid or not) and the file-level
 * problems (duplicate tracker names), which make the file unusable.
 */
export function validateEntries(
  items: readonly unknown[],
  src: SourceFile,
  adapters: readonly TrackerAdapter[],
  listAt: Position,
): { entries: LoadedEntry[]; fileProblems: Problem[] } {
  const entries: LoadedEntry[] = [];
  const fileProblems: Problem[] = [];
  const firstLine = new Map<string, number>();
  items.forEach((node, index) => {
    const start = src.at(node, listAt);
    const { loaded, namePos } = new EntryChecker(src, index, start).check(node, adapters);
    entries.push(loaded);
    const name = loaded.entry.tracker_name;
    if (name === '') return;
    const first = firstLine.get(name);
    if (first === undefined) firstLine.set(name, namePos?.line ?? start.line);
    else {
      fileProblems.push(
        src.problem(namePos ?? start, 'error', `this tracker_name is already used by the entry at line ${first}; each tracker needs its own name`, {
          tracker: name,
          field: 'tracker_name',
        }),
      );
    }
  });
  return { entries, fileProblems };
}

/** The summary counts of a problem list. */
export function countProblems(problems: readonly Problem[]): { errors: number; warnings: number } {
  const errors = problems.filter((p) => p.severity === 'error').length;
  return { errors, warnings: problems.length - errors };
}

/** `3 trackers, 2 errors, 1 warning` style counts. */
export function describeCounts(trackers: number, errors: number, warnings: number): string {
  const parts = [plural(trackers, 'tracker')];
  if (errors > 0) parts.push(plural(errors, 'error'));
  if (warnings > 0) parts.push(plural(warnings, 'warning'));
  return parts.join(', ');
}
