// Loading tracker files: the three shapes, OpenHatch exports with Python tags, JSON, and every way a
// file can be unusable (one clear sentence, exact position, never a throw).

import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatProblem, loadTrackerFile, parseTrackerText, type TrackerFile } from '../../src/config/load.ts';
import { TEST_ADAPTERS } from '../fixtures/config/test-adapters.ts';

const FIXTURES = join(import.meta.dir, '../fixtures/config');
const fixture = (name: string): Promise<TrackerFile> => loadTrackerFile(join(FIXTURES, name), TEST_ADAPTERS);
const parse = (text: string): TrackerFile => parseTrackerText(text, 'trackers.yaml', TEST_ADAPTERS);
const lines = (file: TrackerFile): string[] => file.problems.map(formatProblem);

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'customs-config-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('the three shapes', () => {
  test('1: a top-level list of entries', async () => {
    const file = await fixture('list.yaml');
    expect(file.problems).toEqual([]);
    expect(file.fatal).toBe(false);
    expect(file.settings).toEqual({});
    expect(file.entries.map((e) => [e.entry.tracker_name, e.line, e.valid, e.adapter?.type])).toEqual([
      ['Twisted', 2, true, 'github'],
      ['Requests', 11, true, 'github'],
      ['GNOME Bugzilla', 19, true, 'bugzilla'],
    ]);
    expect(file.entries[0]?.entry).toEqual({
      tracker_name: 'Twisted',
      bugimporter: 'github',
      github_name: 'twisted',
      github_repo: 'twisted',
      state: 'all',
      bitesized_tag: 'easy, bite-sized',
      documentation_tag: 'documentation',
      bug_project_name_format: '{tracker_name} ({product})',
    });
    // A missing trailing slash on base_url is added.
    expect(file.entries[2]?.entry.base_url).toBe('https://bugzilla.example.org/');
  });

  test('2: an OpenHatch export with objects:, meta: and !!python/unicode tags', async () => {
    const file = await fixture('openhatch-export.yaml');
    expect(lines(file)).toEqual([]);
    expect(file.fatal).toBe(false);
    const [widget, net, gadget] = file.entries;
    expect(widget?.adapter?.type).toBe('github');
    expect(widget?.valid).toBe(true);
    // Tags resolved to plain strings; null and '' optional keys and ignored keys left out.
    expect(widget?.entry).toEqual({
      tracker_name: 'Widget',
      bugimporter: 'github.GitHubBugImporter',
      bitesized_tag: 'easy',
      bug_project_name_format: '{tracker_name}',
      documentation_tag: 'docs, documentation',
      existing_bug_urls: ['https://github.com/example-org/widget/issues/12', 'https://github.com/example-org/widget/issues/40'],
      github_name: 'example-org',
      github_repo: 'widget',
      queries: [],
    });
    expect(net?.adapter?.type).toBe('bugzilla');
    expect(net?.entry).toMatchObject({
      tracker_name: 'Example Net',
      as_appears_in_distribution: 'Fedora',
      base_url: 'https://bugs.example.net/',
      bug_project_name_format: '{product}',
      queries: ['https://bugs.example.net/buglist.cgi?keywords=easy&ctype=csv'],
    });
    expect(Object.keys(net?.entry ?? {})).not.toContain('query_url_type');
    expect(Object.keys(net?.entry ?? {})).not.toContain('custom_parser');
    expect(gadget?.entry.get_older_bug_data).toBe('https://api.github.com/repos/example-org/gadget/issues?since=2012-05-01T00:00:00Z');
  });

  test('3: a mapping with trackers: and settings:', async () => {
    const file = await fixture('with-settings.yaml');
    expect(lines(file)).toEqual([]);
    expect(file.settings).toEqual({
      concurrency: 8,
      per_host: 2,
      delay_ms: 250,
      output: 'out/bugs.jsonl',
      data_dir: 'customs-data',
      cache_dir: '/var/cache/customs',
      timeout_ms: 30000,
      retries: 3,
      max_body_mb: 12.5,
      user_agent_contact: 'bugs@example.org',
    });
    expect(file.entries.map((e) => [e.entry.tracker_name, e.line, e.valid])).toEqual([['Widget', 15, true]]);
  });

  test('JSON is YAML too', async () => {
    const file = await fixture('trackers.json');
    expect(lines(file).map((l) => l.replace(FIXTURES, 'F'))).toEqual([
      'F/trackers.json:8:18 warning: tracker "Widget": "queries" should be a list of URLs; the single URL was read as a one-item list',
      'F/trackers.json:13:16 error: tracker "Gadget": "state" must be one of "open", "closed", "all", got "opened" (did you mean "open"?)',
      'F/trackers.json:16:32 error: setting "concurrency" must be at least 1, got 0',
    ]);
    expect(file.entries[0]?.entry.queries).toEqual(['https://api.github.com/repos/example-org/widget/issues?labels=easy']);
    expect(file.entries.map((e) => e.valid)).toEqual([true, false]);
    // A bad setting is a problem of the whole file.
    expect(file.fatal).toBe(true);
  });

  test('trackers: with no entries is an empty, usable file', () => {
    const file = parse('trackers:\nsettings:\n  concurrency: 2\n');
    expect(file.problems).toEqual([]);
    expect(file.entries).toEqual([]);
    expect(file.settings).toEqual({ concurrency: 2 });
    expect(file.fatal).toBe(false);
  });

  test('the long tag form and !!python/str are plain strings too', () => {
    const file = parse(
      [
        '- !!python/unicode tracker_name: !<tag:yaml.org,2002:python/unicode> "Widget"',
        "  bugimporter: !!python/str 'github'",
        '  github_name: !!python/unicode example-org',
        "  github_repo: !!python/unicode '2048'",
      ].join('\n'),
    );
    expect(file.problems).toEqual([]);
    expect(file.entries[0]?.entry).toEqual({ tracker_name: 'Widget', bugimporter: 'github', github_name: 'example-org', github_repo: '2048' });
  });

  test('other Python tags are reported, not fatal', () => {
    const file = parse('- tracker_name: Widget\n  bugimporter: github\n  github_name: o\n  github_repo: !!python/object:foo.Bar {}\n');
    expect(lines(file)).toEqual([
      'trackers.yaml:4:16 warning: Unresolved tag: tag:yaml.org,2002:python/object:foo.Bar',
      'trackers.yaml:4:40 error: tracker "Widget": "github_repo" must be a text, got a mapping',
    ]);
    expect(file.fatal).toBe(false);
  });

  test('anchors and aliases are followed', () => {
    const file = parse(
      ['- tracker_name: A', '  bugimporter: github', '  github_name: &owner example-org', '  github_repo: a', '- tracker_name: B', '  bugimporter: github', '  github_name: *owner', '  github_repo: b'].join('\n'),
    );
    expect(file.problems).toEqual([]);
    expect(file.entries[1]?.entry.github_name).toBe('example-org');
  });

  test('a leading byte-order mark is skipped', async () => {
    const path = join(dir, 'bom.yaml');
    await writeFile(path, '\uFEFF- tracker_name: Widget\n  bugimporter: github\n  github_name: o\n  github_repo: r\n');
    const file = await loadTrackerFile(path, TEST_ADAPTERS);
    expect(file.problems).toEqual([]);
    expect(file.entries[0]?.entry.tracker_name).toBe('Widget');
  });
});

describe('unusable files: one sentence, exact position', () => {
  const expected = 'expected a list of tracker entries, or a mapping with "trackers:" or "objects:"';

  test('a missing file', async () => {
    const path = join(dir, 'nope.yaml');
    const file = await loadTrackerFile(path, TEST_ADAPTERS);
    expect(lines(file)).toEqual([`${path}:1:1 error: the file does not exist; write one (the README has an example), or run \`customs demo\` to see customs work`]);
    expect(file.fatal).toBe(true);
    expect(file.entries).toEqual([]);
  });

  test('a folder', async () => {
    const path = join(dir, 'folder.yaml');
    await mkdir(path);
    expect(lines(await loadTrackerFile(path, TEST_ADAPTERS))).toEqual([`${path}:1:1 error: this is a folder, not a tracker file`]);
  });

  test('an empty file, and one with only comments', async () => {
    const path = join(dir, 'empty.yaml');
    await writeFile(path, '');
    expect(lines(await loadTrackerFile(path, TEST_ADAPTERS))).toEqual([`${path}:1:1 error: the file is empty; ${expected}`]);
    expect(lines(parse('# trackers go here\n\n'))).toEqual([`trackers.yaml:1:1 error: the file is empty; ${expected}`]);
  });

  test('binary and non-UTF-8 files', async () => {
    const bin = join(dir, 'data.yaml');
    await writeFile(bin, new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01]));
    expect(lines(await loadTrackerFile(bin, TEST_ADAPTERS))).toEqual([`${bin}:1:1 error: the file is not text (it holds binary data); ${expected}`]);
    const latin = join(dir, 'latin1.yaml');
    await writeFile(latin, new Uint8Array([0x2d, 0x20, 0x74, 0xe9, 0x0a]));
    expect(lines(await loadTrackerFile(latin, TEST_ADAPTERS))).toEqual([`${latin}:1:1 error: the file is not UTF-8 text; save it as UTF-8`]);
  });

  test('not YAML: the syntax error at the yaml library\'s position', () => {
    const file = parse('- tracker_name: Widget\n  bugimporter: github\n   github_name: o: p\n');
    expect(file.fatal).toBe(true);
    expect(file.entries).toEqual([]);
    expect(lines(file)).toEqual(['trackers.yaml:2:16 error: not valid YAML: Nested mappings are not allowed in compact mappings']);
    expect(lines(parse('trackers: [\n  {tracker_name: a\n'))).toEqual([
      'trackers.yaml:3:1 error: not valid YAML: Flow map in block collection must be sufficiently indented and end with a }',
    ]);
    expect(lines(parse('trackers:\n\t- tracker_name: a\n'))).toEqual(['trackers.yaml:2:1 error: not valid YAML: Tabs are not allowed as indentation']);
  });

  test('several YAML documents', () => {
    expect(lines(parse('- tracker_name: a\n---\n- tracker_name: b\n'))).toEqual([
      'trackers.yaml:2:1 error: not valid YAML: Source contains multiple documents; please use YAML.parseAllDocuments()',
    ]);
  });

  test('wrong shapes', () => {
    expect(lines(parse('42\n'))).toEqual([`trackers.yaml:1:1 error: the file holds a number; ${expected}`]);
    expect(lines(parse('hello trackers\n'))).toEqual([`trackers.yaml:1:1 error: the file holds the text "hello trackers"; ${expected}`]);
    expect(lines(parse('# a note\nversion: 2\nsources: []\n'))).toEqual([
      `trackers.yaml:2:1 error: the file is a mapping without "trackers:" or "objects:"; ${expected}`,
    ]);
    expect(lines(parse('tracker_name: Widget\nbugimporter: github\n'))).toEqual([
      'trackers.yaml:1:1 error: the file holds a single tracker entry; start it with "- " to make a list of entries, or put it under "trackers:"',
    ]);
    expect(lines(parse('trackers:\n  tracker_name: Widget\n'))).toEqual([
      'trackers.yaml:2:3 error: "trackers" must be a list of tracker entries, got a mapping',
    ]);
    expect(lines(parse('objects: 3\nmeta: {}\n'))).toEqual(['trackers.yaml:1:10 error: "objects" must be a list of tracker entries, got a number']);
    expect(lines(parse('trackers: []\nobjects: []\n'))).toEqual([
      'trackers.yaml:2:1 error: the file has both "trackers:" and "objects:"; keep one list of tracker entries',
    ]);
    for (const text of ['42', 'tracker_name: x', 'trackers: 1']) expect(parse(text).fatal).toBe(true);
  });

  test('unknown top-level keys warn', () => {
    const file = parse('trackers: []\ndefaults:\n  state: all\n');
    expect(lines(file)).toEqual([
      'trackers.yaml:2:1 warning: unknown top-level key "defaults" (the file may have "trackers:", "settings:", "objects:" and "meta:")',
    ]);
    expect(file.fatal).toBe(false);
  });

  test('duplicate tracker names make the file unusable', async () => {
    const file = await fixture('duplicate.yaml');
    expect(file.fatal).toBe(true);
    expect(lines(file).map((l) => l.replace(FIXTURES, 'F'))).toEqual([
      'F/duplicate.yaml:6:17 error: tracker "Widget": this tracker_name is already used by the entry at line 1; each tracker needs its own name',
    ]);
    // The entries are still there (the editor shows them), each valid on its own.
    expect(file.entries.map((e) => e.valid)).toEqual([true, true]);
  });

  test('alias bombs are cut off', () => {
    const rows = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i <= 6; i++) rows.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(10).fill(`*${String.fromCharCode(96 + i)}`).join(',')}]`);
    rows.push('trackers:', '  - tracker_name: t', '    bugimporter: github', '    github_name: *g', '    github_repo: r');
    const file = parse(rows.join('\n'));
    expect(file.fatal).toBe(true);
    expect(file.problems.map((p) => p.message)).toEqual(['the file expands to too many values (aliases); write the entries out']);
  });
});

describe('the real registry', () => {
  test('is the default adapter list', () => {
    const file = parseTrackerText('- tracker_name: Widget\n  bugimporter: github.GitHubBugImporter\n  github_name: o\n  github_repo: r\n', 'trackers.yaml');
    expect(file.entries[0]?.adapter?.type).toBe('github');
    expect(file.problems.filter((p) => p.severity === 'error')).toEqual([]);
  });
});
