// When the CLI shows the terminal UI and when it must not: the decision itself (TTYs, --ci, CI,
// records or events on stdout), the real CLI off a terminal (help, --ci lines, clear refusals),
// and the layering rule: only src/cli imports tui/ (lazily), and no core module loads React or Ink.

import { describe, expect, test } from 'bun:test';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { colorWanted, inCi, runWantsTui, tuiPossible } from '../../src/cli/tui.ts';
import { cleanEnv, REPO, runCli, tempDir } from '../helpers/cli.ts';

const TTY = { stdoutIsTTY: true, stdinIsTTY: true };

describe('the TUI or not', () => {
  test('customs run: TUI only with both ends a terminal, no --ci, no CI, stdout not taken', () => {
    const file = 'trackers.yaml';
    expect(runWantsTui({ file }, {}, TTY)).toBe(true);
    expect(runWantsTui({ file, ci: true }, {}, TTY)).toBe(false);
    expect(runWantsTui({ file }, { CI: 'true' }, TTY)).toBe(false);
    expect(runWantsTui({ file }, { CI: '1' }, TTY)).toBe(false);
    expect(runWantsTui({ file }, { CI: 'false' }, TTY)).toBe(true);
    expect(runWantsTui({ file }, { CI: '0' }, TTY)).toBe(true);
    expect(runWantsTui({ file }, {}, { stdoutIsTTY: false, stdinIsTTY: true })).toBe(false);
    expect(runWantsTui({ file }, {}, { stdoutIsTTY: true, stdinIsTTY: false })).toBe(false);
    expect(runWantsTui({ file, events: 'jsonl', output: 'out.jsonl' }, {}, TTY)).toBe(false);
    expect(runWantsTui({ file, output: '-' }, {}, TTY)).toBe(false);
    expect(runWantsTui({ file }, { TERM: 'dumb' }, TTY)).toBe(false);
  });

  test('Home and the browser need a terminal too; NO_COLOR means present and not empty', () => {
    expect(tuiPossible({}, TTY)).toBe(true);
    expect(tuiPossible({ CONTINUOUS_INTEGRATION: 'yes' }, TTY)).toBe(false);
    expect(inCi({})).toBe(false);
    expect(colorWanted({})).toBe(true);
    expect(colorWanted({ NO_COLOR: '' })).toBe(true);
    expect(colorWanted({ NO_COLOR: '1' })).toBe(false);
  });
});

describe('the real CLI off a terminal', () => {
  test('customs with no command: help on stderr, exit 2 (no UI)', async () => {
    const r = await runCli([]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('customs run');
    expect(r.stdout).toBe('');
  });

  test('customs results and customs edit refuse without a terminal; results names a missing file', async () => {
    const dir = tempDir();
    const missing = await runCli(['results', join(dir, 'nope.jsonl')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no file');
    const file = join(dir, 'bugs.jsonl');
    writeFileSync(file, '{}\n');
    const results = await runCli(['results', file]);
    expect(results.code).toBe(2);
    expect(results.stderr).toContain('needs a terminal');
    const edit = await runCli(['edit', join(dir, 'trackers.yaml')]);
    expect(edit.code).toBe(2);
    expect(edit.stderr).toContain('needs a terminal');
  });

  test('customs run with stdout piped: the --ci log, not the UI', async () => {
    const dir = tempDir();
    const file = join(dir, 'trackers.yaml');
    writeFileSync(file, 'trackers:\n  - tracker_name: Nowhere\n    bugimporter: github\n    api_url: http://127.0.0.1:9\n    github_name: a\n    github_repo: b\n');
    const r = await runCli(['run', file, '--data-dir', join(dir, 'data'), '--retries', '0', '--timeout', '2000'], { env: cleanEnv() });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('[start] Nowhere');
    expect(r.stderr).toContain('every tracker failed');
    expect(r.stdout).toBe('');
  });
});

describe('layering', () => {
  function files(dir: string): string[] {
    return readdirSync(dir).flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? files(path) : /\.tsx?$/.test(name) ? [path] : [];
    });
  }
  const importsOf = (path: string): string[] => [...readFileSync(path, 'utf8').matchAll(/(?:from|import)\s*\(?\s*['"]([^'"]+)['"]/g)].map((m) => m[1] ?? '');

  test('src/core, src/report, src/http, src/sinks and trackers/ never import React, Ink or tui/', () => {
    const offenders = ['src/core', 'src/report', 'src/http', 'src/sinks', 'trackers']
      .flatMap((d) => files(join(REPO, d)))
      .flatMap((f) => importsOf(f).filter((i) => /^(react|ink)(\/|$)/.test(i) || i.includes('/tui/')).map((i) => `${relative(REPO, f)} → ${i}`));
    expect(offenders).toEqual([]);
  });

  test('in src/, only src/cli imports tui/, and only with a dynamic import (src/cli/tui.ts)', () => {
    const importers = files(join(REPO, 'src')).filter((f) => /['"][./]*\/tui\//.test(readFileSync(f, 'utf8')));
    expect(importers.map((f) => relative(REPO, f))).toContain('src/cli/tui.ts');
    for (const f of importers) {
      expect(relative(REPO, f)).toMatch(/^src\/cli\//);
      expect(readFileSync(f, 'utf8')).not.toMatch(/^import[^;]*['"][./]*\/tui\//m);
    }
    expect(readFileSync(join(REPO, 'src/cli/tui.ts'), 'utf8')).toMatch(/import\(['"]\.\.\/\.\.\/tui\/index\.tsx['"]\)/);
  });
});
