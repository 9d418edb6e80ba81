// "Try it": one page of a tracker's first query through the real engine, against a GitHub-shaped
// server on 127.0.0.1 (src/demo/fake-github.ts). The helper (src/cli/try-tracker.ts) and the
// editor's `t` key, for a saved tracker and for one not saved yet.

import { afterAll, afterEach, beforeAll, describe, expect, test } from 'bun:test';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { render } from 'ink-testing-library';
import { DEFAULTS } from '../../src/cli/run.ts';
import { DEFAULT_DATA_DIR, dataPathsFor, firstQueryEntry, tryTracker } from '../../src/cli/try-tracker.ts';
import { parseTrackerText } from '../../src/config/load.ts';
import { fakeIssue, startFakeGithub, type FakeGithub } from '../../src/demo/fake-github.ts';
import { githubAdapter } from '../../trackers/github.ts';
import { HomeScreen } from '../../tui/screens/HomeScreen.tsx';

const KEY = { enter: '\r', esc: '\u001B', down: '\u001B[B' } as const;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
type Rendered = ReturnType<typeof render>;

async function waitFor(app: Rendered, text: string | ((frame: string) => boolean), timeout = 8000): Promise<string> {
  const ok = typeof text === 'string' ? (f: string) => f.includes(text) : text;
  const until = Date.now() + timeout;
  for (;;) {
    const frame = app.lastFrame() ?? '';
    if (ok(frame)) return frame;
    if (Date.now() > until) throw new Error(`timed out waiting for ${typeof text === 'string' ? JSON.stringify(text) : 'a frame'}; last frame:\n${frame}`);
    await sleep(10);
  }
}

async function press(app: Rendered, ...keys: string[]): Promise<void> {
  for (const key of keys) {
    app.stdin.write(key);
    await sleep(key === KEY.esc ? 40 : 20);
  }
}

/** Moves the form's focus to the row of `field` (rows are "› ✗ name"). */
async function focus(app: Rendered, field: string): Promise<void> {
  for (let i = 0; i < 40; i++) {
    const frame = app.lastFrame() ?? '';
    const rows = frame.split('\n').filter((line) => /^[› ][ ✗!●] \w/.test(line));
    const at = rows.findIndex((line) => line.startsWith('›'));
    if (new RegExp(`^›. ${field}\\b`).test(rows[at] ?? '')) return;
    const target = rows.findIndex((line) => new RegExp(`^.. ${field}\\b`).test(line));
    await press(app, target >= 0 && target < at ? '\u001B[A' : KEY.down);
    await waitFor(app, (f) => f !== frame, 1000).catch(() => undefined);
  }
  throw new Error(`cannot focus ${field}:\n${app.lastFrame() ?? ''}`);
}

/** 150 open issues: a first page of 100 and a second one. */
const ISSUES = Array.from({ length: 150 }, (_, i) => fakeIssue(i + 1, { title: `Widget issue number ${i + 1}`, labels: i % 10 === 0 ? ['easy'] : [] }));

let github: FakeGithub;
let slow: FakeGithub;
const apps: Rendered[] = [];

beforeAll(() => {
  github = startFakeGithub({ repos: [{ owner: 'example-org', name: 'widget', issues: ISSUES }], cacheControl: 'no-cache' });
  slow = startFakeGithub({ repos: [{ owner: 'example-org', name: 'widget', issues: ISSUES }], latencyMs: 5000 });
});

afterAll(async () => {
  await github.stop();
  await slow.stop();
});

afterEach(() => {
  for (const app of apps.splice(0)) app.unmount();
});

function fileWith(entry: string): { dir: string; file: string; text: string } {
  const dir = mkdtempSync(join(tmpdir(), 'customs-try-'));
  const file = join(dir, 'trackers.yaml');
  const text = `settings:\n  data_dir: data\ntrackers:\n${entry}`;
  writeFileSync(file, text);
  return { dir, file, text };
}

function entryFor(origin: string, repo = 'widget'): string {
  return `  - tracker_name: Widget\n    bugimporter: github\n    api_url: ${origin}\n    github_name: example-org\n    github_repo: ${repo}\n`;
}

describe('tryTracker', () => {
  test('one page of the first query: its bugs and first titles, more pages not followed', async () => {
    const { file, text } = fileWith(entryFor(github.url));
    const loaded = parseTrackerText(text, file);
    const entry = loaded.entries[0];
    if (!entry?.adapter) throw new Error('the entry did not load');
    github.clearRequests();
    const cacheDir = dataPathsFor(file, loaded.settings).cacheDir;
    const result = await tryTracker(entry.entry, entry.adapter, { cacheDir, env: {} });
    expect(result.ok).toBe(true);
    expect(result.bugs).toBe(100);
    expect(result.titles).toHaveLength(5);
    expect(result.titles.every((t) => /^Widget issue number \d+$/.test(t))).toBe(true);
    expect(result.requests).toBe(1);
    expect(result.morePages).toBe(true);
    expect(result.url).toBe(`${github.url}/repos/example-org/widget/issues?state=open&per_page=100`);
    expect(github.requests.map((r) => r.path)).toEqual(['/repos/example-org/widget/issues?state=open&per_page=100']);
    // The tracker file's own cache, so that a later run profits.
    expect(existsSync(cacheDir)).toBe(true);
  });

  test('only the first query: known bugs and older data are left out', () => {
    const entry = {
      tracker_name: 'W',
      bugimporter: 'github',
      queries: ['https://api.github.com/repos/o/r/issues?labels=a', 'https://api.github.com/repos/o/r/issues?labels=b'],
      existing_bug_urls: ['https://github.com/o/r/issues/1'],
      get_older_bug_data: 'https://api.github.com/repos/o/r/issues?since=2020-01-01T00:00:00Z',
    };
    expect(firstQueryEntry(entry, githubAdapter)).toEqual({ tracker_name: 'W', bugimporter: 'github', queries: ['https://api.github.com/repos/o/r/issues?labels=a'] });
    // With nothing but known bugs, those are what is tried.
    const known = { tracker_name: 'W', bugimporter: 'github', existing_bug_urls: ['https://github.com/o/r/issues/1'] };
    expect(firstQueryEntry(known, githubAdapter)).toEqual(known);
  });

  test('a failing query comes back as the error the run would give', async () => {
    const { file, text } = fileWith(entryFor(github.url, 'nothing-here'));
    const entry = parseTrackerText(text, file).entries[0];
    if (!entry?.adapter) throw new Error('the entry did not load');
    const result = await tryTracker(entry.entry, entry.adapter, { cacheDir: join(mkdtempSync(join(tmpdir(), 'customs-try-')), 'cache'), env: {} });
    expect(result.ok).toBe(false);
    expect(result.error).toContain('HTTP 404');
    expect(result.bugs).toBe(0);
  });

  test('the default data folder is the one `customs run` uses', () => {
    expect(DEFAULT_DATA_DIR).toBe(DEFAULTS.dataDir);
    expect(dataPathsFor('/x/trackers.yaml', {})).toEqual({ dataDir: 'customs-data', cacheDir: join('customs-data', 'cache'), report: join('customs-data', 'report.json') });
    expect(dataPathsFor('/x/trackers.yaml', { data_dir: 'd', cache_dir: '/c' })).toEqual({ dataDir: '/x/d', cacheDir: '/c', report: '/x/d/report.json' });
  });
});

describe('Try it in the editor', () => {
  test('t on a saved tracker shows the count and the first titles; the file is untouched', async () => {
    const { file, text, dir } = fileWith(entryFor(github.url));
    const app = render(<HomeScreen file={file} onRun={() => {}} onResults={() => {}} onQuit={() => {}} />);
    apps.push(app);
    await waitFor(app, 'Widget');
    await press(app, KEY.enter);
    await waitFor(app, 'Tracker "Widget" (github)');
    await press(app, 't');
    const frame = await waitFor(app, '✓ 100 bugs from the first page, 1 request');
    expect(frame).toContain('more pages follow');
    expect(frame).toMatch(/1\. Widget issue number \d+/);
    expect(readFileSync(file, 'utf8')).toBe(text);
    expect(existsSync(join(dir, 'data', 'cache'))).toBe(true);
    // Moving on puts the field's help back.
    await press(app, KEY.down);
    await waitFor(app, (f) => !f.includes('bugs from the first page') && f.includes('bugimporter ·'));
  });

  test('a tracker being added can be tried before it is saved', async () => {
    const { file, text } = fileWith('');
    writeFileSync(file, text.replace('trackers:\n', 'trackers: []\n'));
    const app = render(<HomeScreen file={file} onRun={() => {}} onResults={() => {}} onQuit={() => {}} />);
    apps.push(app);
    await waitFor(app, 'No trackers in this file yet');
    await press(app, 'a');
    await waitFor(app, 'which kind');
    await press(app, KEY.enter);
    await waitFor(app, 'New github tracker');
    await press(app, KEY.enter, 'Try me', KEY.enter, KEY.down, KEY.down, KEY.enter, 'example-org', KEY.down, KEY.enter, 'widget', KEY.enter);
    await focus(app, 'api_url');
    await press(app, KEY.enter, github.url, KEY.enter);
    await waitFor(app, 'No problems');
    await press(app, 't');
    await waitFor(app, '✓ 100 bugs from the first page');
    expect(readFileSync(file, 'utf8')).toBe(text.replace('trackers:\n', 'trackers: []\n'));
  });

  test('errors block the try; a failing request shows its error; Esc stops a slow one', async () => {
    const { file } = fileWith(entryFor(github.url, 'nothing-here') + entryFor(slow.url).replace('Widget', 'Slow'));
    const app = render(<HomeScreen file={file} onRun={() => {}} onResults={() => {}} onQuit={() => {}} />);
    apps.push(app);
    await waitFor(app, 'Slow');
    await press(app, KEY.enter);
    await waitFor(app, 'Tracker "Widget"');
    await press(app, 't');
    await waitFor(app, (f) => f.includes('✗ HTTP 404') && f.includes('nothing-here'));
    // Clear the repository: an error in the form, so nothing is fetched.
    await focus(app, 'github_repo');
    await press(app, KEY.enter, '\u0015', KEY.enter);
    await waitFor(app, '✗ 1 error');
    await press(app, 't');
    await waitFor(app, 'Cannot try yet: fix the error first: give github_name and github_repo, or queries');
    await press(app, KEY.esc, KEY.esc, 'n');
    await waitFor(app, (f) => f.includes('Slow') && !f.includes('Tracker "Widget"'));
    await press(app, KEY.down, KEY.enter);
    await waitFor(app, 'Tracker "Slow"');
    await press(app, 't');
    await waitFor(app, 'Trying "Slow": fetching one page of its first query');
    expect(app.lastFrame()).toContain('Esc stop trying');
    await press(app, KEY.esc);
    await waitFor(app, '✗ interrupted');
  });
});
