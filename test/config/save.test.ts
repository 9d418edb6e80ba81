// Editing a tracker file in place (src/config/save.ts): every change touches only its own text.
// The round-trip tests build the expected file from the original by explicit string edits, so any
// other byte that moves (a comment, a quote, a tag, a blank line) fails them.

import { describe, expect, test } from 'bun:test';
import { chmodSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseTrackerText } from '../../src/config/load.ts';
import {
  copyName,
  deleteEntryKey,
  duplicateEntry,
  entryCount,
  insertEntry,
  newTrackerFileText,
  patchEntry,
  readRawEntries,
  readTrackerSource,
  removeEntry,
  replaceEntry,
  SaveConflictError,
  SaveError,
  setEntryKey,
  writeTrackerSource,
} from '../../src/config/save.ts';

/** An OpenHatch `objects:` export: PyYAML layout, python tags (both spellings), flow lists wrapped over lines. */
const OPENHATCH = `meta: {limit: 20, next: null, offset: 0, previous: null, total_count: 3}
objects:
- as_appears_in_distribution: ''
  bitesized_tag: !!python/unicode 'easy'
  bug_project_name_format: !!python/unicode '{tracker_name}'
  bugimporter: github.GitHubBugImporter
  created_for_project: null
  custom_parser: ''
  documentation_tag: !!python/unicode 'docs, documentation'
  existing_bug_urls: [!!python/unicode 'https://github.com/example-org/widget/issues/12',
    !!python/unicode 'https://github.com/example-org/widget/issues/40']
  get_older_bug_data: null
  github_name: !!python/unicode 'example-org'
  github_repo: !!python/unicode 'widget'
  max_connections: 8
  queries: []
  tracker_name: !!python/unicode 'Widget'
- as_appears_in_distribution: !!python/str 'Fedora'
  base_url: !!python/unicode 'https://bugs.example.net'
  bitesized_text: !!python/unicode 'easy, trivial'
  bitesized_type: !!python/unicode 'key'
  bug_project_name_format: !<tag:yaml.org,2002:python/unicode> '{product}'
  bugimporter: bugzilla.BugzillaBugImporter
  custom_parser: ''
  documentation_text: ''
  documentation_type: ''
  existing_bug_urls: []
  get_older_bug_data: null
  max_connections: 8
  queries: [!!python/unicode 'https://bugs.example.net/buglist.cgi?keywords=easy&ctype=csv']
  query_url_type: !!python/unicode 'csv'
  tracker_name: !!python/unicode 'Example Net'
- bitesized_tag: ''
  bugimporter: github.GitHubBugImporter
  documentation_tag: ''
  get_older_bug_data: !!python/unicode 'https://api.github.com/repos/example-org/gadget/issues?since=2012-05-01T00:00:00Z'
  github_name: !!python/unicode 'example-org'
  github_repo: !!python/unicode 'gadget'
  old_trac: false
  tracker_name: !!python/unicode 'Gadget'
`;

/** A hand-written `trackers:` file: comments everywhere, odd spacing and quoting, settings after the list. */
const COMMENTED = `# Our trackers — keep this list short.
#   (reviewed every spring)

trackers:   # the list
  # --- GitHub ---------------------------------------------------------
  - tracker_name: "Widget"     # quoted on purpose
    bugimporter:   github
    github_name: example-org   # the org
    github_repo: widget
    queries:
        - https://api.github.com/repos/example-org/widget/issues?labels=easy   # easy ones
        - 'https://api.github.com/repos/example-org/widget/issues?labels=docs'
    bitesized_tag: easy

  # --- Trac: retired next year -----------------------------------------
  - tracker_name: Old Trac
    bugimporter: trac
    base_url: https://trac.example.org/   # trailing slash kept
    bitesized_type: keywords
    bitesized_text: easy

  # --- Bugzilla ---------------------------------------------------------
  - tracker_name: Example Bugzilla
    bugimporter: bugzilla
    base_url: https://bugs.example.org
    bitesized_type: key
    bitesized_text: gnome-love    # the GNOME keyword
    # the REST API is faster
    api: rest
# end of the list

settings:
  concurrency: 8   # be polite
`;

function valuesOf(text: string): Record<string, unknown>[] {
  return readRawEntries(text).map((e) => ({ ...e.values }));
}

function expectValid(text: string): void {
  const parsed = parseTrackerText(text, 'x.yaml');
  expect(parsed.problems.filter((p) => p.severity === 'error').map((p) => p.message)).toEqual([]);
}

/** Replace exactly one occurrence of `find` (fails when it occurs 0 or 2+ times). */
function once(text: string, find: string, replace: string): string {
  const at = text.indexOf(find);
  expect(at).toBeGreaterThanOrEqual(0);
  expect(text.indexOf(find, at + 1)).toBe(-1);
  return text.slice(0, at) + replace + text.slice(at + find.length);
}

describe('round trip: change a key, add an entry, delete another', () => {
  test('an OpenHatch objects: export with python tags', () => {
    let text = setEntryKey(OPENHATCH, 0, 'github_repo', 'widget-ng');
    text = insertEntry(text, { tracker_name: 'Sprocket', bugimporter: 'github', github_name: 'sprocket-ssg', github_repo: 'sprocket' });
    text = removeEntry(text, 1);

    // The tag goes (customs reads plain strings), the quoting style stays.
    let expected = once(OPENHATCH, "  github_repo: !!python/unicode 'widget'\n", "  github_repo: 'widget-ng'\n");
    const bugzilla = expected.slice(expected.indexOf('- as_appears_in_distribution: !!python/str'), expected.indexOf('- bitesized_tag:'));
    expected = once(expected, bugzilla, '');
    expected += '- tracker_name: Sprocket\n  bugimporter: github\n  github_name: sprocket-ssg\n  github_repo: sprocket\n';
    expect(text).toBe(expected);
    expectValid(text);
    expect(valuesOf(text).map((e) => e.tracker_name)).toEqual(['Widget', 'Gadget', 'Sprocket']);
    expect(valuesOf(text)[0]?.github_repo).toBe('widget-ng');
  });

  test('a trackers: file with comments between entries and after keys', () => {
    let text = setEntryKey(COMMENTED, 2, 'bitesized_text', 'gnome-love, easy');
    text = insertEntry(text, { tracker_name: 'Requests', bugimporter: 'github', queries: ['https://api.github.com/repos/psf/requests/issues'] });
    text = removeEntry(text, 1);

    let expected = once(COMMENTED, 'bitesized_text: gnome-love    # the GNOME keyword', 'bitesized_text: gnome-love, easy    # the GNOME keyword');
    // The Trac entry goes with its own comment line above it, and one of the blank lines around it.
    expected = once(
      expected,
      `  # --- Trac: retired next year -----------------------------------------
  - tracker_name: Old Trac
    bugimporter: trac
    base_url: https://trac.example.org/   # trailing slash kept
    bitesized_type: keywords
    bitesized_text: easy

`,
      '',
    );
    // The new entry follows the last one, in the file's layout (a blank line between entries).
    expected = once(
      expected,
      '    api: rest\n',
      '    api: rest\n\n  - tracker_name: Requests\n    bugimporter: github\n    queries:\n        - https://api.github.com/repos/psf/requests/issues\n',
    );
    expect(text).toBe(expected);
    expectValid(text);
    expect(parseTrackerText(text, 'x.yaml').settings.concurrency).toBe(8);
  });

  test('a plain list of entries', () => {
    const list = readFileSync(join(import.meta.dir, '../fixtures/config/list.yaml'), 'utf8');
    let text = setEntryKey(list, 0, 'state', 'open');
    text = insertEntry(text, { tracker_name: 'New', bugimporter: 'gitlab', project: 'a/b' });
    text = removeEntry(text, 1);
    let expected = once(list, '  state: all\n', '  state: open\n');
    const requests = expected.slice(expected.indexOf('- tracker_name: Requests'), expected.indexOf('- tracker_name: GNOME Bugzilla'));
    expected = once(expected, requests, '');
    expected = `${expected}\n- tracker_name: New\n  bugimporter: gitlab\n  project: a/b\n`;
    expect(text).toBe(expected);
    expectValid(text);
  });
});

describe('setting and deleting keys', () => {
  test('a tagged value is replaced with its tag, a comment after it stays', () => {
    const text = setEntryKey(COMMENTED, 0, 'tracker_name', 'Widget 2');
    expect(text).toBe(once(COMMENTED, '"Widget"     # quoted on purpose', '"Widget 2"     # quoted on purpose'));
    const tagged = setEntryKey(OPENHATCH, 1, 'bug_project_name_format', '{product} ({component})');
    expect(tagged).toBe(once(OPENHATCH, "!<tag:yaml.org,2002:python/unicode> '{product}'", "'{product} ({component})'"));
  });

  test('an empty value gets one; a new key goes after the last key', () => {
    const empty = 'trackers:\n  - tracker_name: A\n    bugimporter: github\n    github_name:\n    github_repo: r\n';
    expect(setEntryKey(empty, 0, 'github_name', 'o')).toBe(empty.replace('github_name:\n', 'github_name: o\n'));
    expect(setEntryKey(COMMENTED, 1, 'closed_status', 'fixed, wontfix')).toBe(
      once(COMMENTED, '    bitesized_text: easy\n\n  # --- Bugzilla', '    bitesized_text: easy\n    closed_status: fixed, wontfix\n\n  # --- Bugzilla'),
    );
  });

  test('lists: block lists keep their indentation; flow lists stay flow; empty lists become block lists', () => {
    const urls = ['https://api.github.com/repos/o/r/issues?labels=a', 'https://api.github.com/repos/o/r/issues?labels=b'];
    const block = setEntryKey(COMMENTED, 0, 'queries', urls);
    expect(block).toBe(
      once(
        COMMENTED,
        `        - https://api.github.com/repos/example-org/widget/issues?labels=easy   # easy ones
        - 'https://api.github.com/repos/example-org/widget/issues?labels=docs'`,
        `        - ${urls[0]}\n        - ${urls[1]}`,
      ),
    );
    const flow = setEntryKey(OPENHATCH, 0, 'existing_bug_urls', ['https://github.com/example-org/widget/issues/12']);
    expect(flow).toBe(
      once(
        OPENHATCH,
        `[!!python/unicode 'https://github.com/example-org/widget/issues/12',
    !!python/unicode 'https://github.com/example-org/widget/issues/40']`,
        '[https://github.com/example-org/widget/issues/12]',
      ),
    );
    // PyYAML files put list items at the key's column.
    const fromEmpty = setEntryKey(OPENHATCH, 0, 'queries', ['https://api.github.com/repos/o/r/issues']);
    expect(fromEmpty).toBe(once(OPENHATCH, '  queries: []\n', '  queries:\n  - https://api.github.com/repos/o/r/issues\n'));
    const cleared = setEntryKey(COMMENTED, 0, 'queries', []);
    expect(valuesOf(cleared)[0]?.queries).toEqual([]);
    expect(cleared).toContain('    queries: []\n    bitesized_tag: easy\n');
  });

  test('texts that YAML would misread are quoted', () => {
    const base = 'trackers:\n  - tracker_name: A\n    bugimporter: github\n';
    for (const value of ['{product}', 'yes', '123', 'a: b', '#x', ' lead', 'line\nbreak', "it's", '']) {
      const text = setEntryKey(base, 0, 'bitesized_tag', value);
      expect(valuesOf(text)[0]?.bitesized_tag).toBe(value);
    }
    expect(setEntryKey(base, 0, 'batch_size', 50)).toContain('batch_size: 50\n');
  });

  test('deleting keys: own line, first key after "- ", comments of other keys kept', () => {
    expect(deleteEntryKey(COMMENTED, 0, 'github_name')).toBe(once(COMMENTED, '    github_name: example-org   # the org\n', ''));
    expect(deleteEntryKey(COMMENTED, 0, 'queries')).toBe(
      once(
        COMMENTED,
        `    queries:
        - https://api.github.com/repos/example-org/widget/issues?labels=easy   # easy ones
        - 'https://api.github.com/repos/example-org/widget/issues?labels=docs'
`,
        '',
      ),
    );
    expect(deleteEntryKey(COMMENTED, 0, 'tracker_name')).toBe(once(COMMENTED, '- tracker_name: "Widget"     # quoted on purpose\n    bugimporter:', '- bugimporter:'));
    expect(deleteEntryKey(COMMENTED, 0, 'no_such_key')).toBe(COMMENTED);
  });

  test('patchEntry and replaceEntry touch only what changed', () => {
    const patched = patchEntry(COMMENTED, 2, [
      ['api', undefined],
      ['batch_size', 50],
    ]);
    // The comment line above a deleted key goes with it.
    expect(patched).toBe(once(COMMENTED, '    # the REST API is faster\n    api: rest\n', '    batch_size: 50\n'));
    const entry = { ...valuesOf(COMMENTED)[1], bitesized_text: 'easy, trivial' } as Record<string, string>;
    expect(replaceEntry(COMMENTED, 1, entry)).toBe(once(COMMENTED, '    bitesized_text: easy\n\n  # --- Bugzilla', '    bitesized_text: easy, trivial\n\n  # --- Bugzilla'));
  });
});

describe('whole entries', () => {
  test('a new file, its first entry, and back to empty', () => {
    const fresh = newTrackerFileText();
    expect(parseTrackerText(fresh, 'x.yaml').problems).toEqual([]);
    expect(entryCount(fresh)).toBe(0);
    const one = insertEntry(fresh, { tracker_name: 'A', bugimporter: 'github', github_name: 'o', github_repo: 'r' });
    expect(one).toBe(fresh.replace('trackers: []\n', 'trackers:\n  - tracker_name: A\n    bugimporter: github\n    github_name: o\n    github_repo: r\n'));
    expectValid(one);
    expect(removeEntry(one, 0)).toBe(fresh);
    expect(insertEntry('', { tracker_name: 'A', bugimporter: 'github' })).toBe('trackers:\n  - tracker_name: A\n    bugimporter: github\n');
    expect(insertEntry('# mine\n', { tracker_name: 'A', bugimporter: 'github' })).toBe('# mine\ntrackers:\n  - tracker_name: A\n    bugimporter: github\n');
  });

  test('removing the only entry of a list leaves []', () => {
    const list = '# one\n- tracker_name: A\n  bugimporter: github\n';
    expect(removeEntry(list, 0)).toBe('# one\n[]\n');
    const objects = 'objects:\n- tracker_name: A\n  bugimporter: github\nmeta: {}\n';
    expect(removeEntry(objects, 0)).toBe('objects: []\nmeta: {}\n');
  });

  test('insert in the middle, duplicate with the entry\'s own text', () => {
    const middle = insertEntry(COMMENTED, { tracker_name: 'Mid', bugimporter: 'github', github_name: 'a', github_repo: 'b' }, 1);
    expect(valuesOf(middle).map((e) => e.tracker_name)).toEqual(['Widget', 'Mid', 'Old Trac', 'Example Bugzilla']);
    expect(middle).toContain('    bitesized_tag: easy\n\n  - tracker_name: Mid\n    bugimporter: github\n    github_name: a\n    github_repo: b\n\n  # --- Trac');

    const copy = duplicateEntry(OPENHATCH, 2, copyName('Gadget', ['Gadget']));
    const gadget = OPENHATCH.slice(OPENHATCH.indexOf('- bitesized_tag:'));
    expect(copy).toBe(OPENHATCH + gadget.replace("tracker_name: !!python/unicode 'Gadget'", "tracker_name: 'Gadget (copy)'"));
    expect(copyName('Gadget (copy)', ['Gadget', 'Gadget (copy)'])).toBe('Gadget (copy 2)');
    const commented = duplicateEntry(COMMENTED, 0, 'Widget (copy)');
    expect(valuesOf(commented).map((e) => e.tracker_name)).toEqual(['Widget', 'Widget (copy)', 'Old Trac', 'Example Bugzilla']);
    expect(commented).toContain('  - tracker_name: "Widget (copy)"     # quoted on purpose\n    bugimporter:   github\n');
  });

  test('JSON files stay JSON', () => {
    const json = readFileSync(join(import.meta.dir, '../fixtures/config/trackers.json'), 'utf8');
    let text = setEntryKey(json, 1, 'state', 'open');
    text = setEntryKey(text, 1, 'github_name', 'example-org');
    text = setEntryKey(text, 1, 'github_repo', 'gadget');
    text = deleteEntryKey(text, 0, 'queries');
    text = insertEntry(text, { tracker_name: 'N', bugimporter: 'github', queries: ['https://api.github.com/repos/a/b/issues'] });
    text = removeEntry(text, 0);
    const data = JSON.parse(text) as { trackers: Record<string, unknown>[]; settings: unknown };
    expect(data.trackers).toEqual([
      { tracker_name: 'Gadget', bugimporter: 'github', state: 'open', github_name: 'example-org', github_repo: 'gadget' },
      { tracker_name: 'N', bugimporter: 'github', queries: ['https://api.github.com/repos/a/b/issues'] },
    ]);
    expect(text.endsWith('  "settings": { "concurrency": 0 }\n}\n')).toBe(true);
  });

  test('CRLF files keep CRLF', () => {
    const crlf = COMMENTED.replace(/\n/g, '\r\n');
    const text = insertEntry(setEntryKey(crlf, 0, 'github_repo', 'w2'), { tracker_name: 'N', bugimporter: 'github', github_name: 'a', github_repo: 'b' });
    expect(text.replace(/\r\n/g, '')).not.toContain('\n');
    expect(valuesOf(text).map((e) => e.tracker_name)).toEqual(['Widget', 'Old Trac', 'Example Bugzilla', 'N']);
  });

  test('files that cannot be edited say why', () => {
    expect(() => insertEntry('trackers: [unclosed\n', { tracker_name: 'A', bugimporter: 'github' })).toThrow(SaveError);
    expect(() => removeEntry(COMMENTED, 7)).toThrow('no entry number 8');
    expect(() => setEntryKey('- just a text\n', 0, 'a', 'b')).toThrow('not a mapping');
  });
});

describe('reading and writing the file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'customs-save-'));

  test('missing file, BOM kept, permissions kept, atomic write', () => {
    const path = join(dir, 'trackers.yaml');
    expect(readTrackerSource(path)).toEqual({ exists: false, text: '', bom: false });
    writeFileSync(path, `\uFEFF${COMMENTED}`);
    chmodSync(path, 0o600);
    const source = readTrackerSource(path);
    expect(source.bom).toBe(true);
    expect(source.text).toBe(COMMENTED);
    const changed = setEntryKey(source.text, 0, 'github_repo', 'w2');
    writeTrackerSource(path, changed, { bom: true, expected: source.text });
    expect(readFileSync(path, 'utf8')).toBe(`\uFEFF${changed}`);
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  test('a file changed on disk since it was read is not overwritten', () => {
    const path = join(dir, 'conflict.yaml');
    writeFileSync(path, COMMENTED);
    const source = readTrackerSource(path);
    writeFileSync(path, `${COMMENTED}# edited elsewhere\n`);
    expect(() => writeTrackerSource(path, source.text, { expected: source.text })).toThrow(SaveConflictError);
    expect(readFileSync(path, 'utf8')).toContain('# edited elsewhere');
    expect(() => writeTrackerSource(join(dir, 'new.yaml'), 'trackers: []\n', { expected: null })).not.toThrow();
    expect(() => writeTrackerSource(join(dir, 'new.yaml'), 'trackers: []\n', { expected: null })).toThrow(SaveConflictError);
  });
});
