// End to end, as a person would: the real CLI in a real terminal (tmux, 100×30, a private tmux
// server), importing from a local GitHub-shaped server. `customs run FILE` shows the Run screen
// and its summary; `r` opens the results browser; filters, search, a resize to 80×24, the
// detail pane, `q`; the exit code and a sane terminal afterwards. The pane is polled until the
// expected text shows, with a generous overall timeout: no timing threshold decides anything.
// Skipped, with a message, where tmux is not installed.

import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FakeGithub, FakeIssue } from '../../src/demo/fake-github.ts';
import { fakeIssue, startFakeGithub } from '../../src/demo/fake-github.ts';
import { MAIN, tempDir } from '../helpers/cli.ts';

const TMUX = Bun.which('tmux');
const SOCKET = `customs-e2e-${process.pid}`;
const WAIT_MS = 45_000;

function tmux(...args: string[]): string {
  if (!TMUX) throw new Error('no tmux');
  const r = Bun.spawnSync([TMUX, '-L', SOCKET, '-f', '/dev/null', ...args], { stdout: 'pipe', stderr: 'pipe' });
  if (r.exitCode !== 0) throw new Error(`tmux ${args.join(' ')}: ${r.stderr.toString()}`);
  return r.stdout.toString();
}

const screen = (): string => tmux('capture-pane', '-p', '-t', 'e2e');

/** Polls the pane until `wanted` holds; fails with the last screen after WAIT_MS. */
async function waitFor(wanted: (s: string) => boolean, what: string): Promise<string> {
  const deadline = Date.now() + WAIT_MS;
  let last = '';
  while (Date.now() < deadline) {
    last = screen();
    if (wanted(last)) return last;
    await Bun.sleep(100);
  }
  throw new Error(`the screen never showed ${what}; it shows:\n${last}`);
}

const shows = (text: string | RegExp): Promise<string> =>
  waitFor((s) => (typeof text === 'string' ? s.includes(text) : text.test(s)), String(text));

/** One key at a time: keys sent together reach the program as one pasted chunk. */
function key(k: string): void {
  tmux('send-keys', '-t', 'e2e', k);
}

/** The results table's rows on screen (between the column header and the footer). */
function tableRows(s: string): string[] {
  const lines = s.split('\n');
  const header = lines.findIndex((l) => /^\s+flags\s+title/.test(l));
  const footer = lines.findIndex((l, i) => i > header && /move · Enter details/.test(l));
  return lines.slice(header + 1, footer).filter((l) => l.trim() !== '');
}

/** 40 issues: every 4th good for newcomers, every 5th documentation, every 3rd closed. */
function issues(): FakeIssue[] {
  return Array.from({ length: 40 }, (_, i) => {
    const n = i + 1;
    const labels = [...(n % 4 === 0 ? ['good first issue'] : []), ...(n % 5 === 0 ? ['documentation'] : []), 'bug'];
    return fakeIssue(n, {
      title: n % 2 ? `Crash when opening file ${n}` : `Slow start number ${n}`,
      state: n % 3 === 0 ? 'closed' : 'open',
      closed_at: n % 3 === 0 ? '2025-03-02T12:00:00Z' : null,
      labels,
    });
  });
}

describe.skipIf(!TMUX)('customs in a terminal (tmux)', () => {
  let server: FakeGithub;
  let dir: string;

  beforeAll(() => {
    server = startFakeGithub({ repos: [{ owner: 'acme', name: 'widgets', issues: issues() }], cacheControl: 'no-cache', latencyMs: 30 });
    dir = tempDir('customs-e2e-');
    writeFileSync(
      join(dir, 'trackers.yaml'),
      [
        'trackers:',
        '  - tracker_name: Widgets',
        '    bugimporter: github',
        `    api_url: ${server.url}`,
        '    github_name: acme',
        '    github_repo: widgets',
        '    state: all',
        '    bitesized_tag: good first issue',
        '    documentation_tag: documentation',
        '',
      ].join('\n'),
    );
    // A clean environment: no CI (the TUI would step aside), no tokens, a known terminal type.
    const env = [`PATH=${JSON.stringify(process.env.PATH ?? '/usr/bin:/bin')}`, `HOME=${JSON.stringify(dir)}`, 'TERM=xterm-256color', 'LANG=C.UTF-8', 'CUSTOMS_HEARTBEAT_MS=0'].join(' ');
    writeFileSync(
      join(dir, 'session.sh'),
      [
        `cd ${JSON.stringify(dir)}`,
        `env -i ${env} ${JSON.stringify(process.execPath)} ${JSON.stringify(MAIN)} run trackers.yaml`,
        'echo "[customs exited with $?]"',
        // Whether the program gave the terminal back: canonical mode and echo on.
        'stty -a | grep -o -- "-\\?icanon\\|-\\?echo " | tr "\\n" " "; echo "[stty]"',
        'sleep 600',
      ].join('\n'),
    );
    tmux('new-session', '-d', '-s', 'e2e', '-x', '100', '-y', '30', `sh ${JSON.stringify(join(dir, 'session.sh'))}`);
  });

  afterAll(async () => {
    try {
      tmux('kill-server');
    } catch {
      // Already gone.
    }
    await server?.stop();
  });

  test(
    'run, watch the summary, browse, filter, search, resize, details, quit',
    async () => {
      // The Run screen ends with the --ci summary and offers the browser.
      let s = await shows('r browse results');
      expect(s).toMatch(/✔ Widgets +40 bugs/);
      expect(s).toMatch(/^tracker +status +bugs +reqs +cached +304 +retry +bytes +time$/m);
      expect(s).toMatch(/^Widgets +ok +40 +\d+ +0 +0 +0 /m);
      expect(s).toContain('40 bugs from 1/1 trackers');
      expect(s).toContain('exit code 0 · r browse results · q quit');

      // The results browser on the run's output.
      key('r');
      s = await shows('customs-data/bugs.jsonl · 40 records');
      expect(s).toContain('Crash when opening file 1');
      expect(tableRows(s).length).toBe(30 - 1 - 4);
      // Each row's flags follow its issue's labels and state.
      for (const row of tableRows(s)) {
        const n = Number(/(?:file|number) (\d+)/.exec(row)?.[1]);
        expect(row.includes('NEW')).toBe(n % 4 === 0);
        expect(row.includes('DOC')).toBe(n % 5 === 0);
        expect(row.includes('closed')).toBe(n % 3 === 0);
      }

      // Good for newcomers only: issues 4, 8, …, 40.
      key('n');
      s = await shows('10 shown: newcomers (NEW)');
      expect(tableRows(s)).toHaveLength(10);
      expect(tableRows(s).every((l) => l.includes('NEW'))).toBe(true);
      // … and open only: 3 of them (12, 24, 36) are closed.
      key('o');
      s = await shows('7 shown: newcomers (NEW) · open only');
      expect(tableRows(s).some((l) => l.includes('closed'))).toBe(false);

      // A search on top of a cleared filter.
      key('x');
      await shows('all bugs ·');
      key('/');
      await shows('matches · Enter keep');
      tmux('send-keys', '-t', 'e2e', '-l', 'crash');
      s = await shows('20 matches');
      key('Enter');
      s = await waitFor((x) => x.includes('20 shown: "crash"') && x.includes('move · Enter details'), 'the search kept');
      expect(tableRows(s).filter((l) => !l.includes('Crash when opening'))).toEqual([]);

      // 80×24: the browser redraws to fit.
      tmux('resize-window', '-t', 'e2e', '-x', '80', '-y', '24');
      s = await waitFor((x) => tableRows(x).length === 24 - 1 - 4, 'a table of 19 rows after the resize');
      expect(Math.max(...s.split('\n').map((l) => l.length))).toBeLessThanOrEqual(80);

      // The detail pane: every field and the link.
      const second = Number(/file (\d+)/.exec(tableRows(s)[1] ?? '')?.[1]);
      key('Down');
      key('Enter');
      s = await shows('bug 2 of 20');
      expect(s).toMatch(new RegExp(`^canonical_bug_link: +${server.url}/acme/widgets/issues/${second}$`, 'm'));
      expect(s).toMatch(/_tracker_name: +Widgets/);
      expect(s).toMatch(new RegExp(`looks_closed: +${second % 3 === 0}`));
      expect(s).toMatch(new RegExp(`good_for_newcomers: +${second % 4 === 0}`));
      key('Escape');
      await shows('20 shown: "crash"');

      // q leaves the browser and the program, with the run's exit code and the terminal intact.
      key('q');
      s = await shows('[stty]');
      expect(s).toContain('[customs exited with 0]');
      expect(s).toMatch(/(^| )icanon /m);
      expect(s).toMatch(/(^| )echo /m);
    },
    120_000,
  );
});

if (!TMUX) {
  test.skip('customs in a terminal (tmux): skipped because tmux is not installed (apt-get install -y tmux)', () => {});
}
