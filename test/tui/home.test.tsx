// The Home screen, keys in and frames out (ink-testing-library): the tracker table with the last
// run, creating a missing file with one key, delete/duplicate/undo/save on the file's own text,
// the questions asked before leaving with unsaved changes, help, and NO_COLOR.

import { afterEach, beforeEach, describe, expect, test } from 'bun:test';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { render } from 'ink-testing-library';
import { newTrackerFileText } from '../../src/config/save.ts';
import { HomeScreen } from '../../tui/screens/HomeScreen.tsx';

const KEY = { enter: '\r', esc: '\u001B', up: '\u001B[A', down: '\u001B[B', del: '\u001B[3~', ctrlC: '\u0003' } as const;

const FILE = `# Our trackers.
trackers:
  # GitHub first
  - tracker_name: Widget   # the main one
    bugimporter: github
    github_name: example-org
    github_repo: widget

  - tracker_name: Requests
    bugimporter: github
    queries:
      - https://api.github.com/repos/psf/requests/issues?labels=Documentation
      - https://api.github.com/repos/psf/requests/issues?labels=easy

  - tracker_name: Broken
    bugimporter: trac
settings:
  data_dir: data
`;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

type Rendered = ReturnType<typeof render>;

/** Waits until the frame contains `text` (or the predicate holds); fails with the last frame. */
async function waitFor(app: Rendered, text: string | ((frame: string) => boolean), timeout = 4000): Promise<string> {
  const ok = typeof text === 'string' ? (f: string) => f.includes(text) : text;
  const until = Date.now() + timeout;
  for (;;) {
    const frame = app.lastFrame() ?? '';
    if (ok(frame)) return frame;
    if (Date.now() > until) throw new Error(`timed out waiting for ${typeof text === 'string' ? JSON.stringify(text) : 'a frame'}; last frame:\n${frame}`);
    await sleep(10);
  }
}

/** Sends keys one at a time, letting Ink and React settle in between. */
async function press(app: Rendered, ...keys: string[]): Promise<void> {
  for (const key of keys) {
    app.stdin.write(key);
    await sleep(key === KEY.esc ? 40 : 20);
  }
}

interface Calls {
  run: number;
  results: number;
  quit: number;
}

function home(file: string): { app: Rendered; calls: Calls } {
  const calls: Calls = { run: 0, results: 0, quit: 0 };
  const app = render(<HomeScreen file={file} onRun={() => calls.run++} onResults={() => calls.results++} onQuit={() => calls.quit++} />);
  return { app, calls };
}

let dir: string;
let file: string;
const apps: Rendered[] = [];

function open(path = file): { app: Rendered; calls: Calls } {
  const opened = home(path);
  apps.push(opened.app);
  return opened;
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'customs-home-'));
  file = join(dir, 'trackers.yaml');
});

afterEach(() => {
  for (const app of apps.splice(0)) app.unmount();
});

describe('Home', () => {
  test('a missing file is created with one key', async () => {
    const { app } = open();
    await waitFor(app, 'does not exist yet');
    expect(app.lastFrame()).toContain('c create it');
    await press(app, 'c');
    await waitFor(app, 'No trackers in this file yet');
    expect(readFileSync(file, 'utf8')).toBe(newTrackerFileText());
    expect(app.lastFrame()).toContain('Created trackers.yaml');
  });

  test('lists trackers with type, queries, problems and the last run', async () => {
    writeFileSync(file, FILE);
    mkdirSync(join(dir, 'data'));
    const report = {
      customs: '0.1.0',
      finished_at: new Date(Date.now() - 2 * 3600_000).toISOString(),
      interrupted: false,
      trackers: [
        { name: 'Widget', type: 'github', status: 'ok', bugs: 12, requests: 2, cached: 1, revalidated: 0, retried: 0, bytes: 100, seconds: 1.5, warnings: 0 },
        { name: 'Requests', type: 'github', status: 'failed', error: 'HTTP 404 from https://api.github.com/repos/psf/requests/issues', bugs: 0, requests: 1, cached: 0, revalidated: 0, retried: 0, bytes: 0, seconds: 0.2, warnings: 0 },
      ],
    };
    writeFileSync(join(dir, 'data', 'report.json'), JSON.stringify(report));
    const { app } = open();
    const frame = await waitFor(app, 'Broken');
    expect(frame).toMatch(/Widget\s+github\s+default\s+✓ 12 bugs · 2 h ago/);
    expect(frame).toMatch(/Requests\s+github\s+2\s+✗ failed · 2 h ago/);
    expect(frame).toMatch(/✗\s+Broken\s+trac\s+0\s+not in the last run/);
    expect(frame).toContain('3 trackers');
    expect(frame).toContain('1 error, 1 warning in the file');
    // The selected tracker's details: its last run.
    expect(frame).toContain('Last run 2 h ago: 12 bugs, 2 requests (1 from cache, 0 revalidated) in 1.5 s');
    await press(app, KEY.down);
    await waitFor(app, 'failed: HTTP 404 from https://api.github.com/repos/psf/requests/issues');
    await press(app, KEY.down);
    // The problem of the selected entry, with the message `customs validate` gives.
    await waitFor(app, 'line 15: "base_url" is required for trac trackers');
    expect(app.lastFrame()).toContain('Enter edit');
  });

  test('delete asks first; save writes only that change; undo restores', async () => {
    writeFileSync(file, FILE);
    const { app } = open();
    await waitFor(app, 'Broken');
    await press(app, KEY.down, 'x');
    await waitFor(app, 'Delete the tracker "Requests"?');
    await press(app, 'n');
    await waitFor(app, (f) => !f.includes('Delete the tracker'));
    expect(app.lastFrame()).toContain('Requests');
    await press(app, KEY.del);
    await waitFor(app, 'Delete the tracker "Requests"?');
    await press(app, 'y');
    await waitFor(app, 'Deleted "Requests"');
    expect(app.lastFrame()).toContain('● unsaved');
    expect(app.lastFrame()).not.toMatch(/Requests\s+github/);
    expect(readFileSync(file, 'utf8')).toBe(FILE);
    await press(app, 's');
    await waitFor(app, 'Saved trackers.yaml');
    const requests = FILE.slice(FILE.indexOf('  - tracker_name: Requests'), FILE.indexOf('  - tracker_name: Broken'));
    expect(readFileSync(file, 'utf8')).toBe(FILE.replace(requests, ''));
    await press(app, 'u');
    await waitFor(app, (f) => /Requests\s+github/.test(f) && f.includes('● unsaved'));
    await press(app, 's');
    await waitFor(app, 'Saved');
    expect(readFileSync(file, 'utf8')).toBe(FILE);
  });

  test('duplicate copies the entry under a new name, right after it', async () => {
    writeFileSync(file, FILE);
    const { app } = open();
    await waitFor(app, 'Broken');
    await press(app, 'd');
    await waitFor(app, 'Duplicated as "Widget (copy)"');
    expect(app.lastFrame()).toMatch(/Widget\s+github[\s\S]*Widget \(copy\)\s+github[\s\S]*Requests/);
    await press(app, 's');
    await waitFor(app, 'Saved');
    const widget = '  - tracker_name: Widget   # the main one\n    bugimporter: github\n    github_name: example-org\n    github_repo: widget\n';
    expect(readFileSync(file, 'utf8')).toBe(FILE.replace(widget, `${widget}\n${widget.replace('Widget ', 'Widget (copy) ')}`));
  });

  test('r, b and q go straight on when nothing is unsaved', async () => {
    writeFileSync(file, FILE.replace('  - tracker_name: Broken\n    bugimporter: trac\n', ''));
    const { app, calls } = open();
    await waitFor(app, 'Requests');
    await press(app, 'r');
    expect(calls.run).toBe(1);
    await press(app, 'b');
    expect(calls.results).toBe(1);
    await press(app, 'q');
    expect(calls.quit).toBe(1);
  });

  test('unsaved changes: asked before quitting, running or opening the results', async () => {
    writeFileSync(file, FILE.replace('  - tracker_name: Broken\n    bugimporter: trac\n', ''));
    const { app, calls } = open();
    await waitFor(app, 'Requests');
    await press(app, 'd');
    await waitFor(app, '● unsaved');
    await press(app, 'q');
    await waitFor(app, 'trackers.yaml has unsaved changes. Save them before you quit?');
    await press(app, KEY.esc);
    await waitFor(app, (f) => !f.includes('unsaved changes. Save'));
    expect(calls.quit).toBe(0);
    await press(app, 'r');
    await waitFor(app, 'Save them before you run it?');
    await press(app, 'y');
    await waitFor(app, 'Saved');
    expect(calls.run).toBe(1);
    expect(readFileSync(file, 'utf8')).toContain('Widget (copy)');
    await press(app, 'u');
    await waitFor(app, '● unsaved');
    await press(app, KEY.ctrlC);
    await waitFor(app, 'Save them before you quit?');
    await press(app, 'n');
    expect(calls.quit).toBe(1);
    expect(readFileSync(file, 'utf8')).toContain('Widget (copy)');
  });

  test('a run is refused while the saved file would stop it', async () => {
    writeFileSync(file, `${FILE.replace('  - tracker_name: Broken\n    bugimporter: trac\n', '')}\n`.replace('Requests', 'Widget'));
    const { app, calls } = open();
    await waitFor(app, 'Widget');
    await press(app, 'r');
    await waitFor(app, 'customs run would stop: line 9: this tracker_name is already used by the entry at line 4');
    expect(calls.run).toBe(0);
  });

  test('a file that is not YAML is shown, not edited', async () => {
    writeFileSync(file, 'trackers: [unclosed\n');
    const { app } = open();
    await waitFor(app, 'This file cannot be edited here');
    await press(app, 'a');
    await waitFor(app, 'Fix the file in a text editor first, then press l to reload it');
    writeFileSync(file, FILE);
    await press(app, 'l');
    await waitFor(app, 'Reloaded trackers.yaml');
    expect(app.lastFrame()).toContain('Requests');
  });

  test('? opens the help; Esc closes it', async () => {
    writeFileSync(file, FILE);
    const { app } = open();
    await waitFor(app, 'Broken');
    await press(app, '?');
    await waitFor(app, 'duplicate the selected tracker');
    expect(app.lastFrame()).toContain('Esc or ? closes the help');
    await press(app, KEY.esc);
    await waitFor(app, (f) => f.includes('Broken') && !f.includes('closes the help'));
  });

  test('fits 80 columns: every line of every frame', async () => {
    writeFileSync(file, FILE.replace('Requests', 'A tracker with a rather long name that will not fit in its column'));
    const { app } = open();
    await waitFor(app, 'Broken');
    await press(app, KEY.down, 'x');
    await waitFor(app, 'Delete the tracker');
    for (const frame of app.frames) {
      for (const line of frame.split('\n')) expect(Bun.stringWidth(line)).toBeLessThanOrEqual(100);
    }
  });
});

describe('NO_COLOR', () => {
  const saved = process.env.NO_COLOR;
  afterEach(() => {
    if (saved === undefined) delete process.env.NO_COLOR;
    else process.env.NO_COLOR = saved;
  });

  test('no colour codes when NO_COLOR is set; colours otherwise', async () => {
    // Ink colours through chalk, which sees no terminal here: turn its colours on for this test.
    const chalk = (await import('chalk')).default;
    const level = chalk.level;
    chalk.level = 1;
    try {
      writeFileSync(file, FILE);
      const colour = /\u001B\[(3[0-79]|9[0-7])m/;
      delete process.env.NO_COLOR;
      const coloured = open();
      await waitFor(coloured.app, 'Broken');
      expect(coloured.app.lastFrame()).toMatch(colour);
      coloured.app.unmount();
      process.env.NO_COLOR = '1';
      const plain = open();
      const frame = await waitFor(plain.app, 'Broken');
      expect(frame).not.toMatch(colour);
      // Marks still say what colours would: the focus and the error.
      expect(frame).toContain('›');
      expect(frame).toContain('✗');
    } finally {
      chalk.level = level;
    }
  });
});
