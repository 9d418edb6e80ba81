// Every tracker type the registry knows can be added through the editor, from an empty folder:
// its example entry (adapter.example) typed into the form key by key — texts, choices and URL
// lists — saved, and read back valid and equal to the example.

import { afterEach, describe, expect, test } from 'bun:test';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { render } from 'ink-testing-library';
import { ADAPTERS } from '../../trackers/index.ts';
import { COMMON_FIELDS } from '../../trackers/common.ts';
import { parseTrackerText } from '../../src/config/load.ts';
import { readRawEntries } from '../../src/config/save.ts';
import { HomeScreen } from '../../tui/screens/HomeScreen.tsx';

const KEY = { enter: '\r', esc: '\u001B', up: '\u001B[A', down: '\u001B[B' } as const;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
type Rendered = ReturnType<typeof render>;

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

async function press(app: Rendered, ...keys: string[]): Promise<void> {
  for (const key of keys) {
    app.stdin.write(key);
    await sleep(key === KEY.esc ? 40 : 20);
  }
}

/** Moves the selection (a line starting with "›") until `selected` says it is on the right line. */
async function select(app: Rendered, selected: (line: string) => boolean, order: (lines: readonly string[]) => number): Promise<void> {
  for (let i = 0; i < 60; i++) {
    const frame = app.lastFrame() ?? '';
    const lines = frame.split('\n');
    const at = lines.findIndex((line) => line.startsWith('›'));
    if (at >= 0 && selected(lines[at] ?? '')) return;
    const target = order(lines);
    await press(app, target >= 0 && target < at ? KEY.up : KEY.down);
    await waitFor(app, (f) => f !== frame, 1000).catch(() => undefined);
  }
  throw new Error(`cannot select:\n${app.lastFrame() ?? ''}`);
}

async function focusField(app: Rendered, field: string): Promise<void> {
  const row = new RegExp(`^.. ${field}( \\*)?( |$)`);
  await select(
    app,
    (line) => row.test(line),
    (lines) => lines.findIndex((line) => row.test(line)),
  );
}

const apps: Rendered[] = [];
afterEach(() => {
  for (const app of apps.splice(0)) app.unmount();
});

describe('adding a tracker of each type', () => {
  for (const [index, adapter] of ADAPTERS.entries()) {
    test(`${adapter.type}: its example entry, typed in and saved`, async () => {
      const dir = mkdtempSync(join(tmpdir(), `customs-${adapter.type}-`));
      const file = join(dir, 'trackers.yaml');
      const app = render(<HomeScreen file={file} onRun={() => {}} onResults={() => {}} onQuit={() => {}} />);
      apps.push(app);
      await waitFor(app, 'does not exist yet');
      await press(app, 'a');
      await waitFor(app, 'which kind of bug tracker');
      for (let i = 0; i < index; i++) await press(app, KEY.down);
      await waitFor(app, (f) => f.includes(`› ${adapter.type} `));
      await press(app, KEY.enter);
      await waitFor(app, `New ${adapter.type} tracker`);

      const specs = new Map([...COMMON_FIELDS, ...adapter.fields].map((s) => [s.name, s]));
      for (const [key, value] of Object.entries(adapter.example)) {
        if (key === 'bugimporter') continue;
        const spec = specs.get(key);
        await focusField(app, key);
        if (Array.isArray(value)) {
          await press(app, KEY.enter);
          for (const [i, item] of value.entries()) {
            if (i > 0) await press(app, 'a');
            await press(app, String(item), KEY.enter);
          }
          await waitFor(app, `${key}: ${value.length} URL`);
          await press(app, KEY.esc);
          await waitFor(app, (f) => new RegExp(`${key} +${value.length} URL`).test(f));
        } else if (spec?.kind === 'choice') {
          await press(app, KEY.enter);
          await waitFor(app, `${key}: choose one`);
          const option = new RegExp(`^› ${String(value).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}( |$)`);
          await select(
            app,
            (line) => option.test(line),
            () => -1,
          );
          await press(app, KEY.enter);
        } else {
          await press(app, KEY.enter, String(value), KEY.enter);
        }
      }
      await waitFor(app, 'No problems: customs validate would accept this tracker.', 6000);
      await press(app, 's');
      await waitFor(app, 'Saved trackers.yaml');
      const text = readFileSync(file, 'utf8');
      const parsed = parseTrackerText(text, file);
      expect(parsed.problems.filter((p) => p.severity === 'error')).toEqual([]);
      expect(readRawEntries(text)[0]?.values).toEqual(adapter.example);
      expect(parsed.entries[0]?.valid).toBe(true);
    }, 60_000);
  }
});
