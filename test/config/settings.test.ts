// The settings: block: each run default checked with its position; unknown settings warn.

import { describe, expect, test } from 'bun:test';
import { formatProblem, parseTrackerText, type TrackerFile } from '../../src/config/load.ts';
import { TEST_ADAPTERS } from '../fixtures/config/test-adapters.ts';

const parse = (text: string): TrackerFile => parseTrackerText(text, 'trackers.yaml', TEST_ADAPTERS);
const lines = (file: TrackerFile): string[] => file.problems.map(formatProblem);

describe('settings', () => {
  test('every value of the wrong kind or range, at its position', () => {
    const file = parse(
      [
        'settings:',
        '  concurrency: 0',
        '  per_host: 1.5',
        '  delay_ms: -1',
        '  output: 3',
        '  data_dir: [a]',
        '  cache_dir: true',
        '  timeout_ms: "30s"',
        '  retries: -2',
        '  max_body_mb: 0',
        '  user_agent_contact: {mail: x}',
        '  concurency: 4',
        'trackers: []',
      ].join('\n'),
    );
    expect(lines(file)).toEqual([
      'trackers.yaml:2:16 error: setting "concurrency" must be at least 1, got 0',
      'trackers.yaml:3:13 error: setting "per_host" must be a whole number, got a number',
      'trackers.yaml:4:13 error: setting "delay_ms" must be at least 0, got -1',
      'trackers.yaml:5:11 error: setting "output" must be a text, got a number',
      'trackers.yaml:6:13 error: setting "data_dir" must be a text, got a list',
      'trackers.yaml:7:14 error: setting "cache_dir" must be a text, got true',
      'trackers.yaml:8:15 error: setting "timeout_ms" must be a whole number, got the text "30s"',
      'trackers.yaml:9:12 error: setting "retries" must be at least 0, got -2',
      'trackers.yaml:10:16 error: setting "max_body_mb" must be more than 0, got 0',
      'trackers.yaml:11:23 error: setting "user_agent_contact" must be a text, got a mapping',
      'trackers.yaml:12:3 warning: unknown setting "concurency" (did you mean "concurrency"?); known settings: concurrency, per_host, delay_ms, output, data_dir, cache_dir, timeout_ms, retries, max_body_mb, user_agent_contact',
    ]);
    expect(file.fatal).toBe(true);
    expect(file.settings).toEqual({});
  });

  test('good values are kept; null and "" mean unset; an unknown setting alone only warns', () => {
    const file = parse(['settings:', '  concurrency: 16', '  delay_ms: 0', '  retries: 0', '  max_body_mb: 0.5', '  output: "-"', '  cache_dir: null', "  data_dir: ''", '  colour: blue', 'trackers: []'].join('\n'));
    expect(lines(file)).toEqual([
      'trackers.yaml:9:3 warning: unknown setting "colour"; known settings: concurrency, per_host, delay_ms, output, data_dir, cache_dir, timeout_ms, retries, max_body_mb, user_agent_contact',
    ]);
    expect(file.fatal).toBe(false);
    expect(file.settings).toEqual({ concurrency: 16, delay_ms: 0, retries: 0, max_body_mb: 0.5, output: '-' });
  });

  test('settings must be a mapping; an empty block is no settings', () => {
    expect(lines(parse('trackers: []\nsettings: fast\n'))).toEqual([
      'trackers.yaml:2:11 error: "settings" must be a mapping of run options (concurrency, per_host, delay_ms, output, …), got the text "fast"',
    ]);
    const empty = parse('trackers: []\nsettings:\n');
    expect(empty.problems).toEqual([]);
    expect(empty.settings).toEqual({});
  });

  test('a setting given twice', () => {
    expect(lines(parse('settings:\n  retries: 1\n  retries: 2\ntrackers: []\n'))).toEqual(['trackers.yaml:3:3 error: setting "retries" appears twice']);
  });
});
