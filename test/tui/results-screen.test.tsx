// The Results browser, keys in and frames out: the table and its flags, the filters, search,
// the detail pane, scrolling, help, NO_COLOR; and the file index under it (every line parsed
// once, a record read back from its byte range).

import { afterEach, beforeAll, describe, expect, test } from 'bun:test';
import chalk from 'chalk';
import { appendFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { render } from 'ink-testing-library';
import { BugIndex, FilteredRows, NO_FILTERS } from '../../tui/components/results/bug-index.ts';
import { ResultsScreen } from '../../tui/screens/ResultsScreen.tsx';

type Rendered = ReturnType<typeof render>;

const dir = mkdtempSync(join(tmpdir(), 'customs-results-'));
const FILE = join(dir, 'bugs.jsonl');
const BIG = join(dir, 'big.jsonl');

/** Bug n: trackers Alpha (odd) / Beta (even); NEW every 5th, DOC every 3rd, closed every 4th. */
function bug(n: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    title: `Bug ${n}: ${n % 3 === 0 ? 'document the config file' : 'crash on start'}`,
    description: `What happens with bug ${n}.\nSecond line.`,
    status: n % 4 === 0 ? 'closed' : 'open',
    importance: n % 2 ? 'high' : '',
    people_involved: n % 7,
    date_reported: '2025-01-02T03:04:05Z',
    last_touched: '2025-02-03T04:05:06Z',
    last_polled: '2026-03-01T12:00:00.000Z',
    submitter_username: `user${n}`,
    submitter_realname: '',
    canonical_bug_link: `https://tracker.example.org/issues/${n}`,
    looks_closed: n % 4 === 0,
    good_for_newcomers: n % 5 === 0,
    concerns_just_documentation: n % 3 === 0,
    as_appears_in_distribution: '',
    _project_name: n % 2 ? 'alpha-project' : 'beta-project',
    _tracker_name: n % 2 ? 'Alpha' : 'Beta',
    ...extra,
  };
}

beforeAll(() => {
  const lines = Array.from({ length: 60 }, (_, i) => JSON.stringify(bug(i + 1)));
  lines.push(JSON.stringify({ canonical_bug_link: 'https://tracker.example.org/issues/999', _deleted: true, _tracker_name: 'Alpha', _project_name: 'alpha-project', last_polled: '2026-03-01T12:00:00.000Z' }));
  lines.push(JSON.stringify(bug(61, { title: 'Ünïcode title ✓ with raw data', description: Array.from({ length: 40 }, (_, i) => `line ${i + 1}`).join('\n'), raw_data: { labels: ['good first issue'], milestone: null } })));
  writeFileSync(FILE, `${lines.join('\n')}\n`);
});

const CHALK_LEVEL = chalk.level;
afterEach(() => {
  chalk.level = CHALK_LEVEL;
});

async function waitFor(r: Rendered, wanted: (frame: string) => boolean, what: string): Promise<string> {
  for (let i = 0; i < 500; i++) {
    const frame = r.lastFrame() ?? '';
    if (wanted(frame)) return frame;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`never showed ${what}; last frame:\n${r.lastFrame() ?? ''}`);
}

const shows = (r: Rendered, text: string): Promise<string> => waitFor(r, (f) => f.includes(text), JSON.stringify(text));

async function press(r: Rendered, ...keys: string[]): Promise<void> {
  for (const key of keys) {
    r.stdin.write(key);
    await new Promise((resolve) => setTimeout(resolve, 30));
  }
}

/** The table's rows (lines starting with the selection column). */
function rows(frame: string): string[] {
  const lines = frame.split('\n');
  const header = lines.findIndex((l) => l.includes('flags') && l.includes('title'));
  return lines.slice(header + 1, -1).filter((l) => l.trim() !== '');
}

async function open(options: { color?: boolean; leave?: () => void; file?: string } = {}): Promise<Rendered> {
  const r = render(<ResultsScreen file={options.file ?? FILE} color={options.color ?? false} onLeave={options.leave ?? (() => {})} />);
  await waitFor(r, (f) => / records?\b/.test(f.split('\n')[0] ?? '') && !f.includes('reading'), 'the loaded file');
  return r;
}

describe('Results browser', () => {
  test('a table of title, project, status and flags; the header counts the records; keys in the footer', async () => {
    const r = await open();
    const frame = r.lastFrame() ?? '';
    expect(frame).toContain('62 records');
    const table = rows(frame);
    expect(table[0]).toMatch(/^› +Bug 1: crash on start +alpha-project +open/);
    expect(table.find((l) => l.includes('Bug 3:'))).toMatch(/DOC +Bug 3/);
    expect(table.find((l) => l.includes('Bug 4:'))).toMatch(/closed +Bug 4/);
    expect(table.find((l) => l.includes('Bug 5:'))).toMatch(/NEW +Bug 5/);
    expect(table.find((l) => l.includes('Bug 15:'))).toMatch(/NEW DOC +Bug 15/);
    expect(frame.split('\n').at(-1)).toContain('↑/↓ move · Enter details · / search');
    r.unmount();
  });

  test('filters: newcomers, documentation, open/closed, tracker; x clears them', async () => {
    const r = await open();
    await press(r, 'n');
    let frame = await shows(r, 'shown: newcomers');
    expect(frame).toContain('12 shown');
    expect(rows(frame).every((l) => l.includes('NEW'))).toBe(true);
    await press(r, 'd');
    frame = await shows(r, 'documentation (DOC)');
    expect(rows(frame).map((l) => l.match(/Bug \d+/)?.[0])).toEqual(['Bug 15', 'Bug 30', 'Bug 45', 'Bug 60']);
    await press(r, 'o');
    frame = await shows(r, 'open only');
    expect(rows(frame).map((l) => l.match(/Bug \d+/)?.[0])).toEqual(['Bug 15', 'Bug 30', 'Bug 45']);
    await press(r, 'o');
    frame = await shows(r, 'closed only');
    expect(rows(frame).map((l) => l.match(/Bug \d+/)?.[0])).toEqual(['Bug 60']);
    await press(r, 'x', 't');
    frame = await shows(r, 'tracker Alpha');
    expect(frame).toContain('32 shown');
    expect(rows(frame).every((l) => l.includes('alpha-project'))).toBe(true);
    await press(r, 't');
    frame = await shows(r, 'tracker Beta');
    expect(rows(frame).every((l) => l.includes('beta-project'))).toBe(true);
    await press(r, 't');
    await shows(r, 'all bugs');
    r.unmount();
  });

  test('search as you type: matches title, project, status and tracker; Esc undoes, Enter keeps', async () => {
    const r = await open();
    await press(r, '/', 'd', 'o', 'c', 'u');
    let frame = await shows(r, '/docu');
    expect(frame).toContain('20 matches');
    expect(rows(frame).slice(0, -1).every((l) => l.includes('document'))).toBe(true);
    await press(r, '\u001B');
    frame = await shows(r, 'all bugs');
    await press(r, '/', 'B', 'E', 'T', 'A', '\r');
    frame = await shows(r, '"BETA"');
    expect(frame).toContain('30 shown');
    await press(r, '/', '\u007F', '\u007F', '\u007F', '\u007F', 'z', 'z', 'z', '\r');
    frame = await shows(r, 'no bug matches');
    await press(r, 'x');
    await shows(r, 'all bugs');
    r.unmount();
  });

  test('Enter: a detail pane with every field and the link; ↓ scrolls it, → goes to the next bug, Esc back', async () => {
    const r = await open();
    await press(r, 'j', 'j', '\r');
    let frame = await shows(r, 'bug 3 of 62');
    expect(frame).toContain('https://tracker.example.org/issues/3');
    for (const field of ['canonical_bug_link', 'title', '_tracker_name', '_project_name', 'status', 'importance', 'looks_closed', 'good_for_newcomers', 'concerns_just_documentation', 'date_reported', 'last_touched', 'last_polled', 'submitter_username', 'submitter_realname', 'people_involved', 'as_appears_in_distribution', 'description']) {
      expect(frame).toContain(`${field}:`);
    }
    expect(frame).toMatch(/concerns_just_documentation: +true/);
    expect(frame).toContain('  Second line.');
    await press(r, '\u001B[C');
    frame = await shows(r, 'bug 4 of 62');
    expect(frame).toMatch(/looks_closed: +true/);
    await press(r, '\u001B');
    frame = await shows(r, 'all bugs');
    expect(rows(frame).find((l) => l.startsWith('›'))).toContain('Bug 4:');
    await press(r, 'G', '\r');
    frame = await shows(r, 'bug 62 of 62');
    const total = /lines 1–21 of (\d+)/.exec(frame)?.[1];
    expect(Number(total)).toBeGreaterThan(50);
    await press(r, 'j', 'j');
    frame = await shows(r, `lines 3–23 of ${total}`);
    await press(r, '\u001B[6~', '\u001B[6~', '\u001B[6~');
    frame = await shows(r, `of ${total}`);
    expect(frame).toContain('"good first issue"');
    r.unmount();
  });

  test('scrolling: the selection stays on screen, G goes to the end, g back; the screen is one line short of the terminal', async () => {
    const r = await open();
    let frame = r.lastFrame() ?? '';
    expect(frame.split('\n').length).toBe(23);
    await press(r, 'G');
    frame = await waitFor(r, (f) => rows(f).at(-1)?.startsWith('›') === true, 'the last row selected');
    expect(rows(frame).at(-1)).toContain('Ünïcode title');
    expect(frame.split('\n').length).toBe(23);
    await press(r, 'k', 'k');
    frame = r.lastFrame() ?? '';
    expect(rows(frame).at(-3)?.startsWith('›')).toBe(true);
    await press(r, '\u001B[5~');
    frame = await waitFor(r, (f) => rows(f)[0]?.startsWith('›') === true, 'a page up');
    await press(r, 'g');
    frame = await waitFor(r, (f) => rows(f)[0]?.startsWith('› ') === true && rows(f)[0]?.includes('Bug 1:') === true, 'the first row');
    r.unmount();
  });

  test('a _deleted record is shown as deleted, and its detail says so', async () => {
    const r = await open();
    await press(r, 'G', 'k');
    let frame = await waitFor(r, (f) => rows(f).some((l) => l.startsWith('›') && l.includes('issues/999')), 'the deleted record selected');
    expect(rows(frame).find((l) => l.includes('issues/999'))).toMatch(/deleted +https:\/\/tracker\.example\.org\/issues\/999/);
    await press(r, '\r');
    frame = await shows(r, 'deleted upstream');
    expect(frame).toMatch(/_deleted: +true/);
    r.unmount();
  });

  test('? lists every key; any key closes the help; q leaves', async () => {
    let left = 0;
    const r = await open({ leave: () => left++ });
    await press(r, '?');
    const frame = await shows(r, 'Results browser: keys');
    for (const key of ['/', 't', 'n', 'd', 'o', 'x', 'q']) expect(frame).toMatch(new RegExp(`^${key.replace('/', '\\/')} +\\S`, 'm'));
    await press(r, ' ');
    await shows(r, 'all bugs');
    await press(r, 'q');
    expect(left).toBe(1);
    r.unmount();
  });

  test('NO_COLOR: not one colour escape, even with colours available; with colours, NEW is green', async () => {
    chalk.level = 3;
    const plain = await open({ color: false });
    expect(plain.lastFrame()).not.toMatch(/\u001B\[(3[0-8]|4[0-8]|9[0-7]|10[0-7])(;[\d;]*)?m/);
    plain.unmount();
    const colored = await open({ color: true });
    expect(colored.lastFrame()).toMatch(/\u001B\[32m(\u001B\[1m)?NEW/);
    colored.unmount();
  });

  test('a missing file says so instead of a table', async () => {
    const r = render(<ResultsScreen file={join(dir, 'nothing.jsonl')} color={false} onLeave={() => {}} />);
    await shows(r, 'Cannot open');
    r.unmount();
  });
});

describe('BugIndex', () => {
  test('100,000 records in 1 MB chunks: every line indexed once, filters over columns, one record read back by its byte range', async () => {
    const chunk: string[] = [];
    writeFileSync(BIG, '');
    for (let n = 1; n <= 100_000; n++) {
      chunk.push(JSON.stringify(bug(n, n === 77_777 ? { title: 'needle in the haystack' } : {})));
      if (chunk.length === 10_000) {
        appendFileSync(BIG, `${chunk.join('\n')}\n`);
        chunk.length = 0;
      }
    }
    appendFileSync(BIG, 'not json at all\n');
    const index = new BugIndex(BIG);
    let progress = 0;
    await index.load(() => progress++);
    expect(index.done).toBe(true);
    expect(index.count).toBe(100_001);
    expect(progress).toBeGreaterThan(10);
    expect(index.trackers.values.filter(Boolean)).toEqual(['Alpha', 'Beta']);
    const needle = new FilteredRows(index, { ...NO_FILTERS, search: 'NEEDLE' }).extend();
    expect(needle.length).toBe(1);
    const at = needle.at(0) ?? -1;
    expect(index.record(at).record).toMatchObject({ title: 'needle in the haystack', canonical_bug_link: 'https://tracker.example.org/issues/77777' });
    expect(new FilteredRows(index, { ...NO_FILTERS, newcomers: true, docs: true }).extend().length).toBe(Math.floor(100_000 / 15));
    expect(index.title(100_000)).toContain('not a JSON object');
    expect(index.record(100_000).error).toBeDefined();
    index.close();
  });
});
