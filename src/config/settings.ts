// The `settings:` block of a tracker file (contract.md, shape 3): defaults for the run options.
// Keys are spelled as in the file; each value is checked with its position, unknown keys warn.

import { isMap, isPair, isScalar } from 'yaml';
import { describe, suggest, type Position, type Problem, type SourceFile } from './validate.ts';

/** Run defaults from the file. Command-line options win over them. All optional. */
export interface RunSettings {
  /** Most requests in flight at once, all hosts together (≥ 1). */
  readonly concurrency?: number;
  /** Most requests in flight per host (≥ 1). */
  readonly per_host?: number;
  /** Least time between two request starts on one host, in ms (≥ 0). */
  readonly delay_ms?: number;
  /** Where the JSON Lines go; `-` is stdout. */
  readonly output?: string;
  readonly data_dir?: string;
  readonly cache_dir?: string;
  /** Per-request timeout in ms (≥ 1). */
  readonly timeout_ms?: number;
  /** Retries after a failed request (≥ 0). */
  readonly retries?: number;
  /** Largest response body accepted, in MB (> 0). */
  readonly max_body_mb?: number;
  /** An e-mail or URL added to the User-Agent so tracker admins can reach the operator. */
  readonly user_agent_contact?: string;
}

type Rule =
  | { readonly kind: 'int'; readonly min: number }
  | { readonly kind: 'number'; readonly above: number }
  | { readonly kind: 'string' };

const RULES: Readonly<Record<keyof RunSettings, Rule>> = {
  concurrency: { kind: 'int', min: 1 },
  per_host: { kind: 'int', min: 1 },
  delay_ms: { kind: 'int', min: 0 },
  output: { kind: 'string' },
  data_dir: { kind: 'string' },
  cache_dir: { kind: 'string' },
  timeout_ms: { kind: 'int', min: 1 },
  retries: { kind: 'int', min: 0 },
  max_body_mb: { kind: 'number', above: 0 },
  user_agent_contact: { kind: 'string' },
};

/** One line per setting, for the generated docs. */
export const SETTINGS_DOCS: readonly (readonly [keyof RunSettings, string])[] = [
  ['concurrency', 'Most requests in flight at once, all hosts together. Default 16.'],
  ['per_host', 'Most requests in flight per host. Default 4.'],
  ['delay_ms', 'Least time between two request starts on one host, in ms. Default 0.'],
  ['timeout_ms', 'Connect and response timeout per request, in ms. Default 30000.'],
  ['retries', 'Retries of a failed request (network error, 408, 429, 5xx), with exponential backoff. Default 4.'],
  ['max_body_mb', 'Largest response body accepted, in MB (after decompression). Default 50.'],
  ['output', 'Where the JSON Lines go; `-` is stdout. Default `<data_dir>/bugs.jsonl`.'],
  ['data_dir', 'Folder of the output, the cache and report.json. Default `customs-data`.'],
  ['cache_dir', 'The HTTP cache. Default `<data_dir>/cache`.'],
  ['user_agent_contact', 'An e-mail or URL added to the User-Agent, so tracker admins can reach you.'],
];

const SETTING_NAMES = Object.keys(RULES) as (keyof RunSettings)[];

function isSetting(key: string): key is keyof RunSettings {
  return (SETTING_NAMES as string[]).includes(key);
}

/** The problem with one value, or undefined. */
function checkValue(rule: Rule, value: unknown): string | undefined {
  switch (rule.kind) {
    case 'int':
      if (typeof value !== 'number' || !Number.isInteger(value)) return `must be a whole number, got ${describe(value)}`;
      if (value < rule.min) return `must be at least ${rule.min}, got ${value}`;
      return undefined;
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value)) return `must be a number, got ${describe(value)}`;
      if (value <= rule.above) return `must be more than ${rule.above}, got ${value}`;
      return undefined;
    case 'string':
      return typeof value === 'string' ? undefined : `must be a text, got ${describe(value)}`;
  }
}

/**
 * Read the `settings:` node. `null` (an empty block) gives no settings. Problems are positioned at
 * the offending value (or key); errors here are problems of the whole file.
 */
export function parseSettings(node: unknown, src: SourceFile, at: Position): { settings: RunSettings; problems: Problem[] } {
  const problems: Problem[] = [];
  const target = src.deref(node);
  if (target === null || target === undefined || (isScalar(target) && target.value === null)) return { settings: {}, problems };
  if (!isMap(target)) {
    const got = describe(src.plain(target));
    problems.push(src.problem(src.at(target, at), 'error', `"settings" must be a mapping of run options (concurrency, per_host, delay_ms, output, …), got ${got}`, { field: 'settings' }));
    return { settings: {}, problems };
  }
  const settings: Record<string, unknown> = {};
  const seen = new Set<string>();
  for (const pair of target.items) {
    if (!isPair(pair)) continue;
    const keyAt = src.at(pair.key, at);
    const key = String(src.plain(pair.key));
    const valueAt = src.at(pair.value, keyAt);
    if (seen.has(key)) {
      problems.push(src.problem(keyAt, 'error', `setting "${key}" appears twice`, { field: key }));
      continue;
    }
    seen.add(key);
    if (!isSetting(key)) {
      problems.push(src.problem(keyAt, 'warning', `unknown setting "${key}"${suggest(key, SETTING_NAMES)}; known settings: ${SETTING_NAMES.join(', ')}`, { field: key }));
      continue;
    }
    const value = src.plain(pair.value);
    if (value === null || (typeof value === 'string' && value.trim() === '')) continue;
    const problem = checkValue(RULES[key], value);
    if (problem) problems.push(src.problem(valueAt, 'error', `setting "${key}" ${problem}`, { field: key }));
    else settings[key] = typeof value === 'string' ? value.trim() : value;
  }
  return { settings: settings as RunSettings, problems };
}
