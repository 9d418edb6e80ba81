// Shell completion: where a word stands (pure), the printed scripts (valid bash, valid zsh when
// zsh is installed), the real bash function driving the real CLI through a `customs` on PATH,
// and a check that completion.ts knows every option that takes a value.

import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { chmodSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { completionPlace, completionScript, FILE_COMMANDS, TRACKER_FILES, VALUE_OPTIONS } from '../../src/cli/completion.ts';
import { cleanEnv, MAIN, runCli, tempDir } from '../helpers/cli.ts';

describe('completionPlace', () => {
  test('the file argument of run, validate, edit and db export-trackers is a tracker file', () => {
    for (const words of [['customs', 'validate', ''], ['customs', 'run', '--offline', 'tr'], ['customs', 'edit', 'x'], ['customs', 'db', 'export-trackers', '']])
      expect(completionPlace(words)).toEqual({ kind: 'tracker-file' });
  });

  test('after an option that takes a value: its kind, and the tracker file for --only', () => {
    expect(completionPlace(['customs', 'run', 'mine.yaml', '--only', ''])).toEqual({ kind: 'value', of: 'only', value: 'tracker-name', trackerFile: 'mine.yaml' });
    expect(completionPlace(['customs', 'run', '--only', 'T'])).toEqual({ kind: 'value', of: 'only', value: 'tracker-name', trackerFile: 'trackers.yaml' });
    expect(completionPlace(['customs', 'run', '-o', ''])).toMatchObject({ kind: 'value', value: 'path' });
    expect(completionPlace(['customs', 'demo', '--events', ''])).toMatchObject({ kind: 'value', value: { choices: ['jsonl'] } });
  });

  test('commands, options, a value already given, and flags are left to yargs', () => {
    expect(completionPlace(['customs', ''])).toEqual({ kind: 'yargs' });
    expect(completionPlace(['customs', 'run', '--'])).toEqual({ kind: 'yargs' });
    expect(completionPlace(['customs', 'run', 'trackers.yaml', ''])).toEqual({ kind: 'yargs' });
    expect(completionPlace(['customs', 'run', 'a.yaml', '--only', 'X', ''])).toEqual({ kind: 'yargs' });
    expect(completionPlace(['customs', 'run', '--only', 'X', ''])).toEqual({ kind: 'tracker-file' });
    expect(completionPlace(['customs', 'cache', '--data-dir', 'd', ''])).toEqual({ kind: 'yargs' });
    // A flag takes no value, so the word after it is the file again.
    expect(completionPlace(['customs', 'validate', '--no-cache', ''])).toEqual({ kind: 'tracker-file' });
  });
});

async function syntaxCheck(shell: string, script: string): Promise<{ code: number; stderr: string }> {
  const proc = Bun.spawn([shell, '-n'], { stdin: new TextEncoder().encode(script), stdout: 'pipe', stderr: 'pipe' });
  const [stderr, code] = await Promise.all([new Response(proc.stderr).text(), proc.exited]);
  return { code, stderr };
}

describe('the scripts', () => {
  test('`customs completion bash` prints the bash script, which is valid bash', async () => {
    const r = await runCli(['completion', 'bash']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(completionScript('bash'));
    expect(r.stdout).toContain('complete -o bashdefault -o default -F _customs_completions customs');
    expect(await syntaxCheck('bash', r.stdout)).toEqual({ code: 0, stderr: '' });
  });

  test.skipIf(Bun.which('zsh') === null)('`customs completion zsh` prints the zsh script, which is valid zsh', async () => {
    const r = await runCli(['completion', 'zsh']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(completionScript('zsh'));
    expect(r.stdout.split('\n')[0]).toBe('#compdef customs');
    expect(await syntaxCheck('zsh', r.stdout)).toEqual({ code: 0, stderr: '' });
  });

  test('without a shell named, $SHELL chooses; an unknown shell is a usage error', async () => {
    expect((await runCli(['completion'], { env: cleanEnv({ SHELL: '/usr/bin/zsh' }) })).stdout).toBe(completionScript('zsh'));
    expect((await runCli(['completion'], { env: cleanEnv({ SHELL: '/bin/bash' }) })).stdout).toBe(completionScript('bash'));
    const fish = await runCli(['completion', 'fish']);
    expect(fish.code).toBe(2);
    expect(fish.stderr).toContain('Invalid values');
  });
});

describe.skipIf(Bun.which('bash') === null)('bash completion against the real CLI', () => {
  let dir = '';
  let script = '';

  beforeAll(() => {
    dir = tempDir('customs-completion-');
    mkdirSync(join(dir, 'bin'));
    mkdirSync(join(dir, 'configs'));
    // `customs` on PATH is the CLI from source, as the installed binary would be.
    writeFileSync(join(dir, 'bin', 'customs'), `#!/bin/sh\nexec '${process.execPath}' '${MAIN}' "$@"\n`);
    chmodSync(join(dir, 'bin', 'customs'), 0o755);
    writeFileSync(join(dir, 'trackers.yaml'), '- tracker_name: Twisted\n  bugimporter: github\n  github_name: a\n  github_repo: b\n- tracker_name: Sphinx\n  bugimporter: github\n  github_name: c\n  github_repo: d\n');
    writeFileSync(join(dir, 'other.yml'), '[]\n');
    writeFileSync(join(dir, 'notes.txt'), 'not a tracker file\n');
    script = join(dir, 'customs.bash');
    writeFileSync(script, completionScript('bash'));
  });

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** What bash offers after the words (the last is the one being completed), `|`-separated. */
  async function complete(...words: string[]): Promise<string[]> {
    const driver = `source '${script}'
COMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')})
COMP_CWORD=${words.length - 1}
_customs_completions
printf '%s\\n' "\${COMPREPLY[@]}"`;
    const proc = Bun.spawn(['bash', '-c', driver], {
      cwd: dir,
      env: { ...cleanEnv(), PATH: `${join(dir, 'bin')}:${process.env.PATH ?? ''}`, SHELL: '/bin/bash' },
      stdout: 'pipe',
      stderr: 'pipe',
    });
    const [out, code] = await Promise.all([new Response(proc.stdout).text(), proc.exited]);
    expect(code).toBe(0);
    return out.split('\n').filter((l) => l !== '');
  }

  test('commands', async () => {
    expect(await complete('customs', '')).toEqual(expect.arrayContaining(['run', 'validate', 'demo', 'cache', 'edit', 'completion']));
    expect(await complete('customs', 'va')).toEqual(['validate']);
  });

  test("a command's options", async () => {
    const options = await complete('customs', 'run', '--');
    expect(options).toEqual(expect.arrayContaining(['--offline', '--only', '--output', '--data-dir']));
    expect(options).not.toContain('--o');
    expect(await complete('customs', 'run', '--of')).toEqual(['--offline']);
  });

  test('tracker files (YAML, JSON) and folders for the file argument', async () => {
    expect((await complete('customs', 'validate', '')).sort()).toEqual(['bin', 'configs', 'other.yml', 'trackers.yaml']);
    expect(await complete('customs', 'run', 'tr')).toEqual(['trackers.yaml']);
  });

  test('choices, and tracker names from the tracker file for --only', async () => {
    expect(await complete('customs', 'cache', '')).toEqual(['stats', 'prune', 'clear']);
    expect(await complete('customs', 'completion', '')).toEqual(['bash', 'zsh']);
    expect(await complete('customs', 'run', '--only', '')).toEqual(['Twisted', 'Sphinx']);
    expect(await complete('customs', 'run', 'trackers.yaml', '--only', 'S')).toEqual(['Sphinx']);
  });

  test('the yargs protocol line the script reads for a tracker file', async () => {
    const r = await runCli(['--get-yargs-completions', 'customs', 'validate', ''], { cwd: dir });
    expect(r.stdout.trim()).toBe(TRACKER_FILES);
  });
});

describe('completion.ts keeps up with the commands', () => {
  /** Every `--option` of every command's --help whose value is a string, number or list, and the commands taking a tracker file. */
  async function valueOptionsInHelp(): Promise<{ options: Set<string>; fileCommands: Set<string> }> {
    const options = new Set<string>();
    const fileCommands = new Set<string>();
    let level: string[][] = [[]];
    while (level.length > 0) {
      const pages = await Promise.all(level.map(async (path) => ({ path, text: (await runCli([...path, '--help'])).stdout })));
      level = [];
      for (const { path, text } of pages) {
        const flat = text.replace(/\n\s{10,}/g, ' ');
        for (const m of flat.matchAll(/^\s+(?:-(\w), )?--([\w-]+)\s.*\[(string|number|array)\]/gm)) {
          if (m[1]) options.add(m[1]);
          if (m[2]) options.add(m[2]);
        }
        if (/^\s+file\s+(the|a) tracker file\b/m.test(text)) fileCommands.add(path.join(' '));
        const commands = /^Commands:\n((?:[ \t]+\S.*\n?)+)/m.exec(text)?.[1] ?? '';
        for (const m of commands.matchAll(new RegExp(`^\\s{2}customs ${path.map((p) => `${p} `).join('')}([a-z][a-z-]*)`, 'gm'))) if (m[1]) level.push([...path, m[1]]);
      }
    }
    return { options, fileCommands };
  }

  test('every option that takes a value is in VALUE_OPTIONS; every tracker-file command in FILE_COMMANDS', async () => {
    const { options, fileCommands } = await valueOptionsInHelp();
    expect(options).toContain('only');
    expect(options).toContain('o');
    const missing = [...options].filter((o) => VALUE_OPTIONS[o] === undefined);
    expect(missing.length === 0 ? '' : `add ${missing.join(', ')} to VALUE_OPTIONS in src/cli/completion.ts`).toBe('');
    expect([...fileCommands].sort()).toEqual([...FILE_COMMANDS].sort());
  }, 60_000);
});
