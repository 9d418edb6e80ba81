// The tracker editor, driven from Home with keys (ink-testing-library): add a tracker by type,
// a form built from the type's fields, validation as you type with `customs validate`'s messages,
// choices, URL lists, token_env, edit/keep/discard/save, and the question before leaving.

import { afterEach, beforeEach, describe, expect, test } from 'bun:test';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { render } from 'ink-testing-library';
import { ADAPTERS } from '../../trackers/index.ts';
import { parseTrackerText } from '../../src/config/load.ts';
import { newTrackerFileText } from '../../src/config/save.ts';
import type { FieldSpec } from '../../src/core/types.ts';
import { displayValue, entryValue, formSpecs, initialValue, otherKeys, wrapLines } from '../../tui/components/EntryForm.tsx';
import { EditorScreen, type EditorOutcome } from '../../tui/screens/EditorScreen.tsx';
import { HomeScreen } from '../../tui/screens/HomeScreen.tsx';

const KEY = { enter: '\r', esc: '\u001B', up: '\u001B[A', down: '\u001B[B', left: '\u001B[D', right: '\u001B[C', backspace: '\u007F', ctrlU: '\u0015' } as const;

const FILE = `# Trackers of the team.
trackers:
  - tracker_name: Widget   # the main one
    bugimporter: github
    github_name: example-org
    github_repo: widget
    bitesized_tag: easy

  # Bugzilla of a friend project
  - tracker_name: GNOME
    bugimporter: bugzilla
    base_url: https://bugzilla.example.org
    bitesized_type: key
    bitesized_text: gnome-love
`;

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

/** Moves the form's focus to the row of `field` (rows are "› ✗ name"). */
async function focus(app: Rendered, field: string): Promise<void> {
  for (let i = 0; i < 40; i++) {
    const frame = app.lastFrame() ?? '';
    const focused = frame.split('\n').find((line) => line.startsWith('›'));
    if (focused && new RegExp(`^›. ${field}\\b`).test(focused)) return;
    const rows = frame.split('\n').filter((line) => /^[› ][ ✗!●] \w/.test(line));
    const at = rows.findIndex((line) => line.startsWith('›'));
    const target = rows.findIndex((line) => new RegExp(`^... ${field}\\b`).test(line));
    await press(app, target >= 0 && target < at ? KEY.up : KEY.down);
    await waitFor(app, (f) => f !== frame, 1000).catch(() => undefined);
  }
  throw new Error(`cannot focus ${field}:\n${app.lastFrame() ?? ''}`);
}

/** The message `customs validate` gives for `text`, for the first problem about `field`. */
function validateMessage(text: string, field: string): string {
  const problem = parseTrackerText(text, 'x.yaml').problems.find((p) => p.field === field);
  if (!problem) throw new Error(`no problem about ${field}`);
  return problem.message;
}

let dir: string;
let file: string;
const apps: Rendered[] = [];

function openHome(): Rendered {
  const app = render(<HomeScreen file={file} onRun={() => {}} onResults={() => {}} onQuit={() => {}} />);
  apps.push(app);
  return app;
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'customs-editor-'));
  file = join(dir, 'trackers.yaml');
});

afterEach(() => {
  for (const app of apps.splice(0)) app.unmount();
});

describe('adding a tracker', () => {
  test('type list, form from the field declarations, errors as you type, save', async () => {
    writeFileSync(file, FILE);
    const app = openHome();
    await waitFor(app, 'GNOME');
    await press(app, 'a');
    const types = await waitFor(app, 'which kind of bug tracker');
    for (const adapter of ADAPTERS) expect(types).toContain(adapter.type);
    expect(types).toContain(ADAPTERS[0]?.description.slice(0, 40) ?? '');
    await press(app, KEY.enter);
    let frame = await waitFor(app, 'New github tracker');
    // The shared fields and github's own, in order, with help for the focused one.
    for (const field of ['tracker_name *', 'bugimporter *', 'github_name', 'github_repo', 'queries', 'state']) expect(frame).toContain(field);
    expect(frame).toContain("The tracker's name: becomes _tracker_name");
    await waitFor(app, `✗ entry 3: "tracker_name" is required`);

    await press(app, KEY.enter, 'Sprocket');
    // While typing, the error goes as soon as the name is there.
    await waitFor(app, (f) => f.includes('Sprocket') && !f.includes('"tracker_name" is required'));
    await press(app, KEY.enter);
    await focus(app, 'github_name');
    await press(app, KEY.enter, 'sprocket-ssg', KEY.down, KEY.enter, 'sprocket', KEY.enter);
    frame = await waitFor(app, 'No problems: customs validate would accept this tracker');
    expect(frame).toContain('● changed');
    await press(app, 's');
    await waitFor(app, 'Saved trackers.yaml');
    expect(readFileSync(file, 'utf8')).toBe(`${FILE}\n  - tracker_name: Sprocket\n    bugimporter: github\n    github_name: sprocket-ssg\n    github_repo: sprocket\n`);
    expect(app.lastFrame()).toMatch(/› +Sprocket +github/);
  });

  test('a new file gets its first tracker in one go', async () => {
    const app = openHome();
    await waitFor(app, 'does not exist yet');
    await press(app, 'a');
    await waitFor(app, 'which kind of bug tracker');
    await press(app, KEY.down, KEY.down, KEY.enter);
    await waitFor(app, 'New trac tracker');
    await press(app, KEY.enter, 'Twisted', KEY.enter, KEY.down, KEY.down, KEY.enter, 'https://twistedmatrix.com/trac', KEY.enter);
    await waitFor(app, (f) => f.includes('https://twistedmatrix.com/trac') && f.includes('no queries and no existing_bug_urls'));
    await press(app, 's');
    await waitFor(app, 'Saved trackers.yaml');
    expect(readFileSync(file, 'utf8')).toBe(
      newTrackerFileText().replace('trackers: []\n', 'trackers:\n  - tracker_name: Twisted\n    bugimporter: trac\n    base_url: https://twistedmatrix.com/trac\n'),
    );
  });

  test('Esc on the type list goes back without asking', async () => {
    writeFileSync(file, FILE);
    const app = openHome();
    await waitFor(app, 'GNOME');
    await press(app, 'a');
    await waitFor(app, 'which kind of bug tracker');
    await press(app, KEY.esc);
    await waitFor(app, (f) => f.includes('GNOME') && !f.includes('unsaved'));
  });
});

describe('validation as you type', () => {
  test('the same message as customs validate, before Enter', async () => {
    writeFileSync(file, FILE);
    const app = openHome();
    await waitFor(app, 'GNOME');
    await press(app, KEY.down, KEY.enter);
    await waitFor(app, 'Tracker "GNOME" (bugzilla)');
    await focus(app, 'base_url');
    await press(app, KEY.enter, KEY.ctrlU, 'bugzilla.example.org');
    const expected = validateMessage(FILE.replace('base_url: https://bugzilla.example.org', 'base_url: bugzilla.example.org'), 'base_url');
    expect(expected).toBe('"base_url" is not an absolute http(s) URL: "bugzilla.example.org"');
    let frame = await waitFor(app, `✗ ${expected}`);
    expect(frame).toMatch(/›✗ base_url/);
    // Fixing it clears the message, still while typing.
    await press(app, '\u0001', 'https://');
    frame = await waitFor(app, (f) => !f.includes('is not an absolute'));
    expect(frame).toContain('https://bugzilla.example.org');
    await press(app, KEY.esc);
    // Esc undid the typing: the field is back as it was, nothing changed.
    frame = await waitFor(app, (f) => !f.includes('● changed'));
    expect(frame).toContain('https://bugzilla.example.org');
  });

  test('integers: a word is refused with the range', async () => {
    writeFileSync(file, FILE);
    const app = openHome();
    await waitFor(app, 'GNOME');
    await press(app, KEY.down, KEY.enter);
    await waitFor(app, 'Tracker "GNOME"');
    await focus(app, 'batch_size');
    await press(app, KEY.enter, 'ten');
    await waitFor(app, '✗ "batch_size" must be a whole number from 1 to 500, got the text "ten"');
    await press(app, KEY.ctrlU, '900');
    await waitFor(app, '✗ "batch_size" must be a whole number from 1 to 500, got 900');
    await press(app, KEY.backspace, KEY.backspace);
    await waitFor(app, (f) => !f.includes('"batch_size" must be') && f.includes('No problems'));
  });
});

describe('field kinds', () => {
  test('choices are picked from a list or switched with ← →', async () => {
    writeFileSync(file, FILE);
    const app = openHome();
    await waitFor(app, 'GNOME');
    await press(app, KEY.down, KEY.enter);
    await waitFor(app, 'Tracker "GNOME"');
    await focus(app, 'bitesized_type');
    await press(app, KEY.enter);
    const list = await waitFor(app, 'bitesized_type: choose one');
    expect(list).toMatch(/\(not set\)[\s\S]*› key[\s\S]*wboard/);
    await press(app, KEY.down, KEY.enter);
    await waitFor(app, (f) => /bitesized_type +wboard/.test(f));
    await press(app, KEY.right);
    await waitFor(app, (f) => /bitesized_type +\(not set\)/.test(f));
    await press(app, KEY.left, KEY.left);
    await waitFor(app, (f) => /bitesized_type +key/.test(f) && !f.includes('● changed'));
  });

  test('URL lists: add, edit, remove items; each item checked', async () => {
    writeFileSync(file, FILE);
    const app = openHome();
    await waitFor(app, 'GNOME');
    await press(app, KEY.enter);
    await waitFor(app, 'Tracker "Widget"');
    await focus(app, 'queries');
    await press(app, KEY.enter);
    // An empty list opens on a new item.
    await waitFor(app, 'queries: 0 URLs');
    await press(app, 'https://api.github.com/repos/example-org/widget/issues?labels=easy', KEY.enter);
    await waitFor(app, 'queries: 1 URL');
    await press(app, 'a', 'not a url', KEY.enter);
    const frame = await waitFor(app, 'item 2 of "queries" is not an absolute http(s) URL: "not a url"');
    expect(frame).toContain('queries: 2 URLs');
    await press(app, 'x');
    await waitFor(app, (f) => f.includes('queries: 1 URL') && !f.includes('item 2 of'));
    await press(app, KEY.up, KEY.enter, '&state=all', KEY.enter);
    await waitFor(app, 'labels=easy&state=all');
    await press(app, KEY.esc);
    await waitFor(app, (f) => /queries +1 URL: https:\/\/api\.github\.com/.test(f));
    await press(app, 's');
    await waitFor(app, 'Saved');
    expect(readFileSync(file, 'utf8')).toBe(
      FILE.replace('    bitesized_tag: easy\n', '    bitesized_tag: easy\n    queries:\n      - https://api.github.com/repos/example-org/widget/issues?labels=easy&state=all\n'),
    );
  });

  test('token_env asks for a variable name; a pasted token is masked and refused', async () => {
    writeFileSync(file, FILE);
    const app = openHome();
    await waitFor(app, 'GNOME');
    await press(app, KEY.enter);
    await waitFor(app, 'Tracker "Widget"');
    await focus(app, 'token_env');
    let frame = app.lastFrame() ?? '';
    expect(frame).toContain('token_env · name of an environment variable · optional');
    expect(frame).toContain('The NAME of an environment variable (such as GITHUB_TOKEN), never the token itself.');
    const token = 'ghp_abcdefghijklmnopqrstuvwxyz0123456789';
    await press(app, KEY.enter, token, KEY.enter);
    frame = await waitFor(app, 'looks like a token itself');
    expect(frame).not.toContain(token);
    expect(frame).toContain('ghp_••••');
    await press(app, KEY.enter, KEY.ctrlU, 'CUSTOMS_TEST_UNSET_TOKEN', KEY.enter);
    await waitFor(app, 'CUSTOMS_TEST_UNSET_TOKEN is not set in this terminal');
  });
});

describe('editing, leaving and saving', () => {
  test('Esc with changes asks: keep (unsaved), then save from Home', async () => {
    writeFileSync(file, FILE);
    const app = openHome();
    await waitFor(app, 'GNOME');
    await press(app, KEY.enter);
    await waitFor(app, 'Tracker "Widget"');
    await focus(app, 'state');
    await press(app, KEY.right);
    await waitFor(app, (f) => /state +open/.test(f));
    await press(app, KEY.esc);
    await waitFor(app, 'Keep your changes to "Widget"?');
    await press(app, 'y');
    await waitFor(app, 'Changes to "Widget" kept; press s to save them to the file.');
    expect(app.lastFrame()).toContain('● unsaved');
    expect(readFileSync(file, 'utf8')).toBe(FILE);
    await press(app, 's');
    await waitFor(app, 'Saved');
    expect(readFileSync(file, 'utf8')).toBe(FILE.replace('    bitesized_tag: easy\n', '    bitesized_tag: easy\n    state: open\n'));
  });

  test('the question: Esc goes on editing, n discards', async () => {
    writeFileSync(file, FILE);
    const app = openHome();
    await waitFor(app, 'GNOME');
    await press(app, KEY.enter);
    await waitFor(app, 'Tracker "Widget"');
    await press(app, KEY.enter, KEY.ctrlU, 'Widget 2', KEY.enter);
    await waitFor(app, 'Tracker "Widget 2"');
    await press(app, KEY.esc);
    await waitFor(app, 'Keep your changes to "Widget 2"?');
    await press(app, KEY.esc);
    await waitFor(app, (f) => !f.includes('Keep your changes') && f.includes('● changed'));
    await press(app, 'q');
    await waitFor(app, 'Keep your changes');
    await press(app, 'n');
    await waitFor(app, (f) => f.includes('GNOME') && !f.includes('unsaved'));
    expect(app.lastFrame()).not.toContain('Widget 2');
  });

  test('Ctrl-C while typing asks about the changes, typing included; a second Ctrl-C discards', async () => {
    writeFileSync(file, FILE);
    const app = openHome();
    await waitFor(app, 'GNOME');
    await press(app, KEY.enter);
    await waitFor(app, 'Tracker "Widget"');
    await press(app, KEY.enter, ' NG', '\u0003');
    await waitFor(app, 'Keep your changes to "Widget NG"?');
    await press(app, 'y');
    await waitFor(app, 'Changes to "Widget NG" kept');
    await press(app, KEY.enter);
    await waitFor(app, 'Tracker "Widget NG"');
    await press(app, KEY.enter, '!', KEY.enter, '\u0003');
    await waitFor(app, 'Keep your changes to "Widget NG!"?');
    await press(app, '\u0003');
    await waitFor(app, (f) => /Widget NG +github/.test(f) && !f.includes('Widget NG!'));
  });

  test('saving a tracker with errors asks first', async () => {
    writeFileSync(file, FILE);
    const app = openHome();
    await waitFor(app, 'GNOME');
    await press(app, KEY.down, KEY.enter);
    await waitFor(app, 'Tracker "GNOME"');
    await focus(app, 'base_url');
    await press(app, KEY.enter, KEY.ctrlU, KEY.enter);
    await waitFor(app, '"base_url" is required for bugzilla trackers');
    await press(app, 's');
    await waitFor(app, '"GNOME" has 1 error. Save anyway?');
    await press(app, 'n');
    await waitFor(app, (f) => !f.includes('Save anyway'));
    await press(app, 's', 'y');
    await waitFor(app, 'Saved trackers.yaml (1 error left: customs run fails those trackers)');
    expect(readFileSync(file, 'utf8')).toBe(FILE.replace('    base_url: https://bugzilla.example.org\n', ''));
  });

  test('an OpenHatch export: untouched keys, tags and layout stay; extra keys are listed', async () => {
    const text = readFileSync(join(import.meta.dir, '../fixtures/config/openhatch-export.yaml'), 'utf8');
    writeFileSync(file, text);
    const app = openHome();
    await waitFor(app, 'Gadget');
    await press(app, KEY.down, KEY.enter);
    const frame = await waitFor(app, 'Tracker "Example Net" (bugzilla)');
    expect(frame).toContain('also in the entry, kept as they are: get_older_bug_data, max_connections, query_url_type');
    await focus(app, 'bitesized_text');
    await press(app, KEY.enter, ', bitesize', KEY.enter, 's');
    await waitFor(app, 'Saved');
    expect(readFileSync(file, 'utf8')).toBe(text.replace("bitesized_text: !!python/unicode 'easy, trivial'", "bitesized_text: 'easy, trivial, bitesize'"));
  });
});

describe('EditorScreen on its own', () => {
  test('reports the new text and where the entry is', async () => {
    const outcomes: EditorOutcome[] = [];
    const app = render(<EditorScreen file="x.yaml" text={FILE} target={{ kind: 'edit', index: 1 }} onDone={(o) => outcomes.push(o)} />);
    apps.push(app);
    await waitFor(app, 'Tracker "GNOME"');
    await focus(app, 'bitesized_text');
    await press(app, KEY.enter, KEY.ctrlU, 'easy', KEY.enter);
    await waitFor(app, '● changed');
    await press(app, KEY.esc, 'y');
    expect(outcomes).toEqual([{ kind: 'keep', text: FILE.replace('bitesized_text: gnome-love', 'bitesized_text: easy'), index: 1, name: 'GNOME' }]);
  });

  test('fits the terminal width in every frame', async () => {
    const app = render(<EditorScreen file="x.yaml" text={FILE} target={{ kind: 'add' }} onDone={() => {}} />);
    apps.push(app);
    await waitFor(app, 'which kind');
    await press(app, KEY.enter, '?');
    await waitFor(app, 'Typing in a field');
    await press(app, KEY.esc);
    await waitFor(app, 'New github tracker');
    for (const frame of app.frames) for (const line of frame.split('\n')) expect(Bun.stringWidth(line)).toBeLessThanOrEqual(100);
  });
});

describe('the form model', () => {
  test('fields: shared ones first, the type\'s own in its order (its spec wins), others only when set', () => {
    const github = ADAPTERS.find((a) => a.type === 'github');
    if (!github) throw new Error('no github adapter');
    const names = formSpecs(github, {}).map((s) => s.name);
    expect(names.slice(0, 2)).toEqual(['tracker_name', 'bugimporter']);
    expect(names.slice(2, 2 + github.fields.length)).toEqual(github.fields.map((f) => f.name));
    expect(names).toContain('as_appears_in_distribution');
    expect(names).not.toContain('base_url');
    expect(formSpecs(github, { base_url: 'https://x.org/' }).map((s) => s.name)).toContain('base_url');
    // github declares token_env itself: its help is the one shown.
    expect(formSpecs(github, {}).find((s) => s.name === 'token_env')?.help).toBe(github.fields.find((f) => f.name === 'token_env')?.help ?? '');
    expect(otherKeys(formSpecs(github, {}), { tracker_name: 'a', max_connections: 8 })).toEqual(['max_connections']);
  });

  test('values: from the file, back to YAML values, blanks left out', () => {
    const spec = (kind: FieldSpec['kind'], extra: Partial<FieldSpec> = {}): FieldSpec => ({ name: 'k', kind, required: false, help: '', ...extra });
    expect(initialValue(spec('url-list'), 'https://a/')).toEqual({ kind: 'list', items: ['https://a/'] });
    expect(entryValue(spec('url-list'), { kind: 'list', items: [' https://a/ ', ''] })).toEqual(['https://a/']);
    expect(entryValue(spec('url-list'), { kind: 'list', items: [] })).toBeUndefined();
    expect(initialValue(spec('boolean'), 'yes')).toEqual({ kind: 'bool', value: true });
    expect(entryValue(spec('boolean'), { kind: 'bool', value: false })).toBe(false);
    expect(entryValue(spec('boolean'), { kind: 'bool', value: undefined })).toBeUndefined();
    expect(entryValue(spec('integer'), { kind: 'text', text: ' 50 ' })).toBe(50);
    expect(entryValue(spec('integer'), { kind: 'text', text: 'ten' })).toBe('ten');
    expect(initialValue(spec('string'), 1234)).toEqual({ kind: 'text', text: '1234' });
    expect(entryValue(spec('string'), { kind: 'text', text: '  ' })).toBeUndefined();
    expect(displayValue(spec('boolean', { default: 'false' }), { kind: 'bool', value: undefined })).toEqual({ text: '(not set: false)', placeholder: true });
    expect(displayValue(spec('env-name'), { kind: 'text', text: 'ghp_abcdefghijklmnopqrstuvwxyz0123456789' }).text).toBe('ghp_••••••••••••');
    expect(displayValue(spec('env-name'), { kind: 'text', text: 'GITHUB_TOKEN' }).text).toBe('GITHUB_TOKEN');
    expect(wrapLines('one two three four', 9)).toEqual(['one two', 'three', 'four']);
  });

  test('a missing file stays missing when adding its first tracker is given up', async () => {
    const app = openHome();
    await waitFor(app, 'does not exist yet');
    await press(app, 'a');
    await waitFor(app, 'which kind of bug tracker');
    await press(app, KEY.esc);
    await waitFor(app, 'does not exist yet');
    expect(app.lastFrame()).not.toContain('unsaved');
  });
});
