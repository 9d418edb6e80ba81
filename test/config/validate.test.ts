// Entry validation: every problem collected at once, each with its exact LINE:COL, and the
// normalised entry that `run` receives.

import { describe, expect, test } from 'bun:test';
import { join } from 'node:path';
import { formatProblem, loadTrackerFile, parseTrackerText, type TrackerFile } from '../../src/config/load.ts';
import { looksLikeToken } from '../../src/config/validate.ts';
import type { TrackerAdapter } from '../../src/core/types.ts';
import { brokenAdapter, fakeBugzilla, fakeGithub, TEST_ADAPTERS } from '../fixtures/config/test-adapters.ts';

const FIXTURES = join(import.meta.dir, '../fixtures/config');
const parse = (text: string, adapters: readonly TrackerAdapter[] = TEST_ADAPTERS): TrackerFile => parseTrackerText(text, 'trackers.yaml', adapters);
const lines = (file: TrackerFile): string[] => file.problems.map(formatProblem);
const yaml = (...rows: string[]): string => `${rows.join('\n')}\n`;

describe('a file full of mistakes', () => {
  test('reports every problem at once, in file order', async () => {
    const file = await loadTrackerFile(join(FIXTURES, 'mistakes.yaml'), TEST_ADAPTERS);
    expect(lines(file).map((l) => l.replace(`${FIXTURES}/`, ''))).toEqual([
      'mistakes.yaml:7:14 error: tracker "Twisted": "queries" must be a list of URLs, got a number',
      'mistakes.yaml:8:12 error: tracker "Twisted": "state" must be one of "open", "closed", "all", got "opened" (did you mean "open"?)',
      'mistakes.yaml:9:14 error: tracker "Twisted": "api_url" is not an absolute http(s) URL: "not a url"',
      'mistakes.yaml:10:20 warning: tracker "Twisted": "bitesized_tag" is a comma-separated text, not a list; it was read as "easy, newcomer"',
      'mistakes.yaml:11:24 warning: tracker "Twisted": "documentation_tag" is a number; it was read as the text "7" (quote it to say so)',
      'mistakes.yaml:12:30 error: tracker "Twisted": "bug_project_name_format": unknown placeholder {component}; this type knows {tracker_name}, {product}',
      'mistakes.yaml:13:5 warning: tracker "Twisted": unknown key "foo" (not used by github trackers)',
      'mistakes.yaml:14:5 warning: tracker "Twisted": unknown key "querys" (not used by github trackers; did you mean "queries"?)',
      'mistakes.yaml:16:5 error: tracker "Twisted": "token": secrets are read from the environment only; use token_env',
      'mistakes.yaml:21:9 error: tracker "Secrets": item 2 of "queries" must be an absolute http(s) URL, got a URL starting "ftp:"',
      'mistakes.yaml:22:9 error: tracker "Secrets": item 3 of "queries" must be an absolute http(s) URL, got a number',
      'mistakes.yaml:26:16 warning: tracker "Secrets": "token_env" looks like a token itself; secrets must not be stored in the file: put the token in an environment variable and give its name here',
      'mistakes.yaml:28:18 error: tracker "Launchpad Thing": unknown bugimporter "launchpadd"; known types: github (or github.GitHubBugImporter), bugzilla (or bugzilla.BugzillaBugImporter)',
      'mistakes.yaml:29:5 error: entry 4: "tracker_name" is required (a non-empty text, unique in the file)',
      'mistakes.yaml:29:5 error: entry 4: github_name and github_repo are required when there are no queries',
      'mistakes.yaml:31:5 error: entry 5: a tracker entry must be a mapping of keys (tracker_name, bugimporter, …), got the text "just a string"',
      'mistakes.yaml:32:5 error: tracker "Old Bugzilla": "base_url" is required for bugzilla trackers',
      'mistakes.yaml:35:21 warning: tracker "Old Bugzilla": "bitesized_type" is set but "bitesized_text" is empty, so this rule never matches',
      'mistakes.yaml:36:5 warning: tracker "Old Bugzilla": "get_older_bug_data" is ignored by bugzilla trackers (only github and jira use it)',
      'mistakes.yaml:37:20 error: tracker "Old Bugzilla": "custom_parser" must be one of "bugzilla.BugzillaBugParser", "mozilla", "kde", got "mozila" (did you mean "mozilla"?)',
    ]);
    // Entry problems do not make the file unusable: `run` fails those trackers and runs the others.
    expect(file.fatal).toBe(false);
    expect(file.entries.map((e) => [e.line, e.valid])).toEqual([
      [3, false],
      [17, false],
      [27, false],
      [29, false],
      [31, false],
      [32, false],
    ]);
    const [twisted] = file.entries;
    // Each entry carries its own problems; the secret never reaches the entry.
    expect(twisted?.problems.map((p) => p.line)).toEqual([7, 8, 9, 10, 11, 12, 13, 14, 16]);
    expect(twisted?.problems.every((p) => p.tracker === 'Twisted')).toBe(true);
    expect(twisted?.problems[0]?.field).toBe('queries');
    expect(twisted?.entry).toEqual({
      tracker_name: 'Twisted',
      bugimporter: 'github',
      github_name: 'twisted',
      github_repo: 'twisted',
      bitesized_tag: 'easy, newcomer',
      documentation_tag: '7',
    });
    expect(file.entries[2]?.adapter).toBeUndefined();
  });
});

describe('required keys and types', () => {
  test('missing bugimporter lists the known names; a wrong kind of bugimporter too', () => {
    const file = parse(yaml('- tracker_name: A', '- tracker_name: B', '  bugimporter: [github]'));
    expect(lines(file)).toEqual([
      'trackers.yaml:1:3 error: tracker "A": "bugimporter" is required; known types: github (or github.GitHubBugImporter), bugzilla (or bugzilla.BugzillaBugImporter)',
      'trackers.yaml:3:16 error: tracker "B": "bugimporter" must be a type name, got a list; known types: github (or github.GitHubBugImporter), bugzilla (or bugzilla.BugzillaBugImporter)',
    ]);
  });

  test('bugimporter is matched exactly, with a hint for near misses', () => {
    const file = parse(yaml('- tracker_name: A', '  bugimporter: GitHub'));
    expect(file.problems[0]?.message).toStartWith('unknown bugimporter "GitHub" (did you mean "github"?); known types: ');
  });

  test('tracker_name must be a non-empty text; a number is read as written, with a warning', () => {
    const file = parse(yaml('- tracker_name: ""', '  bugimporter: bugzilla', '  base_url: https://b.example.org', '- tracker_name: 1.10', '  bugimporter: bugzilla', '  base_url: https://c.example.org', '- tracker_name: [x]', '  bugimporter: bugzilla'));
    expect(lines(file)).toEqual([
      'trackers.yaml:1:17 error: entry 1: "tracker_name" is required (a non-empty text, unique in the file)',
      'trackers.yaml:4:17 warning: tracker "1.10": "tracker_name" is a number; it was read as the text "1.10" (quote it to say so)',
      'trackers.yaml:7:3 error: entry 3: "base_url" is required for bugzilla trackers',
      'trackers.yaml:7:17 error: entry 3: "tracker_name" must be a text, got a list',
    ]);
    expect(file.entries[1]?.entry.tracker_name).toBe('1.10');
    expect(file.entries[1]?.valid).toBe(true);
  });

  test('a key that appears twice in one entry', () => {
    const file = parse(yaml('- tracker_name: A', '  bugimporter: github', '  github_name: o', '  github_repo: r', '  github_repo: s'));
    expect(lines(file)).toEqual(['trackers.yaml:5:3 error: tracker "A": key "github_repo" appears twice (first at line 4); the first value is used']);
    expect(file.entries[0]?.entry.github_repo).toBe('r');
    expect(file.entries[0]?.valid).toBe(false);
  });

  test('an unknown type keeps its keys, still checks the shared ones, and is invalid', () => {
    const file = parse(
      yaml('- tracker_name: Tickets', '  bugimporter: trac', '  base_url: trac.example.org', '  bitesized_type: keywords', "  bug_project_name_format: '{component}'", "  closed_status: ''"),
    );
    expect(lines(file)).toEqual([
      'trackers.yaml:2:16 error: tracker "Tickets": unknown bugimporter "trac"; known types: github (or github.GitHubBugImporter), bugzilla (or bugzilla.BugzillaBugImporter)',
      'trackers.yaml:3:13 error: tracker "Tickets": "base_url" is not an absolute http(s) URL: "trac.example.org"',
    ]);
    // The type's placeholders are unknown, so {component} is not judged.
    expect(file.entries[0]?.entry).toEqual({ tracker_name: 'Tickets', bugimporter: 'trac', bitesized_type: 'keywords', bug_project_name_format: '{component}' });
    expect(file.entries[0]?.valid).toBe(false);
  });
});

describe('optional values', () => {
  test('null and "" mean absent, as in OpenHatch exports', () => {
    const file = parse(
      yaml(
        '- tracker_name: Widget',
        '  bugimporter: github',
        '  github_name: o',
        '  github_repo: r',
        '  get_older_bug_data: null',
        "  custom_parser: ''",
        '  bitesized_tag: ~',
        '  api_url: ""',
        '  as_appears_in_distribution:',
        '  existing_bug_urls: null',
      ),
    );
    expect(file.problems).toEqual([]);
    expect(file.entries[0]?.entry).toEqual({ tracker_name: 'Widget', bugimporter: 'github', github_name: 'o', github_repo: 'r' });
  });

  test('null for a required key is a missing key', () => {
    expect(lines(parse(yaml('- tracker_name: B', '  bugimporter: bugzilla', '  base_url: null')))).toEqual([
      'trackers.yaml:1:3 error: tracker "B": "base_url" is required for bugzilla trackers',
    ]);
  });

  test('keys OpenHatch exports carry are accepted silently and left out', () => {
    const file = parse(
      yaml('- tracker_name: B', '  bugimporter: bugzilla', '  base_url: https://b.example.org/', '  query_url_type: xml', '  old_trac: false', '  max_connections: 8', '  created_for_project: 12'),
    );
    expect(file.problems).toEqual([]);
    expect(file.entries[0]?.entry).toEqual({ tracker_name: 'B', bugimporter: 'bugzilla', base_url: 'https://b.example.org/' });
  });
});

describe('field kinds', () => {
  test('a single URL for a list is a one-item list, with a warning', () => {
    const file = parse(yaml('- tracker_name: W', '  bugimporter: github', '  queries: https://api.github.com/repos/o/r/issues?labels=easy'));
    expect(lines(file)).toEqual(['trackers.yaml:3:12 warning: tracker "W": "queries" should be a list of URLs; the single URL was read as a one-item list']);
    expect(file.entries[0]?.entry.queries).toEqual(['https://api.github.com/repos/o/r/issues?labels=easy']);
    expect(file.entries[0]?.valid).toBe(true);
  });

  test('URLs: absolute http(s), trimmed; base_url gets its trailing slash', () => {
    const file = parse(
      yaml(
        '- tracker_name: B',
        '  bugimporter: bugzilla',
        "  base_url: ' https://bugs.example.org/bugzilla '",
        '  queries:',
        '    - /buglist.cgi?keywords=easy',
        '    - mailto:bugs@example.org',
        '    - "https://bugs.example.org/buglist.cgi?keywords=easy "',
        '  existing_bug_urls: {a: 1}',
      ),
    );
    expect(lines(file)).toEqual([
      'trackers.yaml:5:7 error: tracker "B": item 1 of "queries" is not an absolute http(s) URL: "/buglist.cgi?keywords=easy"',
      'trackers.yaml:6:7 error: tracker "B": item 2 of "queries" must be an absolute http(s) URL, got a URL starting "mailto:"',
      'trackers.yaml:8:22 error: tracker "B": "existing_bug_urls" must be a list of URLs, got a mapping',
    ]);
    expect(file.entries[0]?.entry.base_url).toBe('https://bugs.example.org/bugzilla/');
  });

  test('unknown placeholders and unbalanced braces in the name format', () => {
    const file = parse(
      yaml(
        '- tracker_name: B',
        '  bugimporter: bugzilla',
        '  base_url: https://b.example.org/',
        "  bug_project_name_format: '{product} {{literal}} {component}'",
        '- tracker_name: C',
        '  bugimporter: bugzilla',
        '  base_url: https://c.example.org/',
        "  bug_project_name_format: '{tracker_name'",
        '- tracker_name: D',
        '  bugimporter: github',
        '  github_name: o',
        '  github_repo: r',
        "  bug_project_name_format: '{tracker_name} – {component}'",
      ),
    );
    expect(lines(file)).toEqual([
      'trackers.yaml:8:28 error: tracker "C": "bug_project_name_format": unbalanced "{" at character 1',
      'trackers.yaml:13:28 error: tracker "D": "bug_project_name_format": unknown placeholder {component}; this type knows {tracker_name}, {product}',
    ]);
    expect(file.entries[0]?.entry.bug_project_name_format).toBe('{product} {{literal}} {component}');
  });

  test('choices, comma lists and booleans', () => {
    const withFlag: TrackerAdapter = {
      ...fakeGithub,
      fields: [...fakeGithub.fields, { name: 'include_prs', kind: 'boolean', required: false, help: 'Also pull requests.' }],
    };
    const file = parse(
      yaml(
        '- tracker_name: A',
        '  bugimporter: github',
        '  github_name: o',
        '  github_repo: r',
        '  state: 1',
        '  bitesized_tag: {easy: true}',
        '  include_prs: maybe',
        '- tracker_name: B',
        '  bugimporter: github',
        '  github_name: o',
        '  github_repo: s',
        '  state: " closed "',
        '  include_prs: yes',
      ),
      [withFlag],
    );
    expect(lines(file)).toEqual([
      'trackers.yaml:5:10 error: tracker "A": "state" must be one of "open", "closed", "all", got a number',
      'trackers.yaml:6:18 error: tracker "A": "bitesized_tag" must be a comma-separated text such as "easy, bitesize", got a mapping',
      'trackers.yaml:7:16 error: tracker "A": "include_prs" must be true or false, got the text "maybe"',
    ]);
    expect(file.entries[1]?.entry).toMatchObject({ state: 'closed', include_prs: true });
  });

  test('a rule whose type is set but whose text is empty never matches', () => {
    const file = parse(
      yaml(
        '- tracker_name: B',
        '  bugimporter: bugzilla',
        '  base_url: https://b.example.org/',
        '  bitesized_type: wboard',
        "  documentation_type: ''",
        "  documentation_text: ''",
        '- tracker_name: C',
        '  bugimporter: bugzilla',
        '  base_url: https://c.example.org/',
        '  documentation_type: comp',
        '  documentation_text: Docs',
      ),
    );
    expect(lines(file)).toEqual(['trackers.yaml:4:19 warning: tracker "B": "bitesized_type" is set but "bitesized_text" is empty, so this rule never matches']);
    expect(file.entries.map((e) => e.valid)).toEqual([true, true]);
  });

  test('custom_parser on a type without custom parsers: only its default parser name', () => {
    const file = parse(
      yaml(
        '- tracker_name: A',
        '  bugimporter: github',
        '  github_name: o',
        '  github_repo: r',
        '  custom_parser: github.GitHubBugParser',
        '- tracker_name: B',
        '  bugimporter: github',
        '  github_name: o',
        '  github_repo: s',
        '  custom_parser: fancy',
      ),
    );
    expect(lines(file)).toEqual(['trackers.yaml:10:18 error: tracker "B": "custom_parser": github trackers have no custom parsers; leave it empty']);
    expect(file.entries[0]?.entry.custom_parser).toBeUndefined();
  });
});

describe('secrets', () => {
  test('keys that hold a secret are errors, and the value is neither echoed nor kept', () => {
    const file = parse(
      yaml(
        '- tracker_name: A',
        '  bugimporter: github',
        '  github_name: o',
        '  github_repo: r',
        '  github_personal_access_token: s3cr3t-value',
        '  password: hunter2',
        '  api_key: k3y-value',
        "  token: ''",
      ),
    );
    expect(lines(file)).toEqual([
      'trackers.yaml:5:3 error: tracker "A": "github_personal_access_token": secrets are read from the environment only; use token_env',
      'trackers.yaml:6:3 error: tracker "A": "password": secrets are read from the environment only; use token_env',
      'trackers.yaml:7:3 error: tracker "A": "api_key": secrets are read from the environment only; use token_env',
      'trackers.yaml:8:3 warning: tracker "A": unknown key "token" (not used by github trackers)',
    ]);
    expect(JSON.stringify(file)).not.toContain('s3cr3t');
    expect(JSON.stringify(file)).not.toContain('hunter2');
  });

  test('token_env must name a variable; a token itself warns (or fails) without being echoed', () => {
    const file = parse(
      yaml(
        '- tracker_name: A',
        '  bugimporter: github',
        '  github_name: o',
        '  github_repo: a',
        '  token_env: WIDGET_GITHUB_TOKEN',
        '- tracker_name: B',
        '  bugimporter: github',
        '  github_name: o',
        '  github_repo: b',
        '  token_env: Xk9fQ2LmZp7RtW3vBn8Y',
        '- tracker_name: C',
        '  bugimporter: github',
        '  github_name: o',
        '  github_repo: c',
        '  token_env: glpat-Example0nlyValue1',
        '- tracker_name: D',
        '  bugimporter: github',
        '  github_name: o',
        '  github_repo: d',
        '  token_env: my token',
      ),
    );
    const secret = 'looks like a token itself; secrets must not be stored in the file: put the token in an environment variable and give its name here';
    expect(lines(file)).toEqual([
      `trackers.yaml:10:14 warning: tracker "B": "token_env" ${secret}`,
      `trackers.yaml:15:14 error: tracker "C": "token_env" ${secret}`,
      'trackers.yaml:20:14 error: tracker "D": "token_env" must be the name of an environment variable (letters, digits and _, such as GITHUB_TOKEN), got "my token"',
    ]);
    expect(file.entries.map((e) => e.valid)).toEqual([true, true, false, false]);
    expect(JSON.stringify(file.problems)).not.toContain('Xk9fQ2');
    expect(JSON.stringify(file.problems)).not.toContain('glpat-');
  });

  test('looksLikeToken', () => {
    for (const t of ['ghp_example', 'github_pat_11AAAA', 'glpat-xyz', '0123456789abcdef0123456789abcdef01234567', 'Xk9fQ2LmZp7RtW3vBn8Y']) expect(looksLikeToken(t)).toBe(true);
    for (const t of ['GITHUB_TOKEN', 'GH_TOKEN', 'MY_VERY_LONG_PROJECT_GITHUB_TOKEN_2', 'JiraToken']) expect(looksLikeToken(t)).toBe(false);
  });

  test('URLs that carry a secret', () => {
    const file = parse(
      yaml(
        '- tracker_name: A',
        '  bugimporter: github',
        '  queries:',
        '    - https://api.github.com/repos/o/r/issues?access_token=abc123',
        '  api_url: https://me:pw@github.example.org/api/v3',
      ),
    );
    expect(lines(file)).toEqual([
      'trackers.yaml:4:7 error: tracker "A": item 1 of "queries" carries a secret in "access_token="; secrets are read from the environment only; use token_env',
      'trackers.yaml:5:12 error: tracker "A": "api_url" carries a user name or password; secrets are read from the environment only; use token_env',
    ]);
    expect(JSON.stringify(file.problems)).not.toContain('abc123');
  });
});

describe('the adapter\'s own check', () => {
  test('problems are placed at the named field and list item, else at the entry', () => {
    const file = parse(
      yaml(
        '- tracker_name: A',
        '  bugimporter: github',
        '  existing_bug_urls:',
        '    - https://github.com/o/r/issues/1',
        '    - https://github.com/o/r/pull/2',
        '  queries: []',
        '  state: open',
      ),
    );
    expect(lines(file)).toEqual([
      'trackers.yaml:1:3 error: tracker "A": github_name and github_repo are required when there are no queries',
      'trackers.yaml:5:7 warning: tracker "A": item 2 of "existing_bug_urls": not a GitHub issue URL, skipped: https://github.com/o/r/pull/2',
    ]);
    expect(file.problems[0]?.field).toBe('github_repo');
    expect(file.problems[1]?.field).toBe('existing_bug_urls');
  });

  test('is given the normalised entry, and only when its fields are of the right kinds', () => {
    const seen: unknown[] = [];
    const spy: TrackerAdapter = { ...fakeBugzilla, check: (entry) => (seen.push(entry), []) };
    parse(yaml('- tracker_name: B', '  bugimporter: bugzilla.BugzillaBugImporter', '  base_url: https://b.example.org', '  queries: https://b.example.org/buglist.cgi', '- tracker_name: C', '  bugimporter: bugzilla', '  base_url: 12'), [spy]);
    expect(seen).toEqual([
      { tracker_name: 'B', bugimporter: 'bugzilla.BugzillaBugImporter', base_url: 'https://b.example.org/', queries: ['https://b.example.org/buglist.cgi'] },
    ]);
  });

  test('an adapter that throws becomes a problem of that entry', () => {
    const file = parse(yaml('- tracker_name: X', '  bugimporter: broken', '- tracker_name: Y', '  bugimporter: github', '  github_name: o', '  github_repo: r'), [brokenAdapter, fakeGithub]);
    expect(lines(file)).toEqual(['trackers.yaml:1:3 error: tracker "X": the broken checks failed on this entry: boom']);
    expect(file.entries.map((e) => e.valid)).toEqual([false, true]);
  });
});

describe('formatProblem', () => {
  test('with and without a tracker', () => {
    expect(formatProblem({ file: 't.yaml', line: 3, col: 5, severity: 'warning', message: 'm' })).toBe('t.yaml:3:5 warning: m');
    expect(formatProblem({ file: 't.yaml', line: 7, col: 14, severity: 'error', tracker: 'Twisted', field: 'queries', message: 'm' })).toBe(
      't.yaml:7:14 error: tracker "Twisted": m',
    );
  });
});
