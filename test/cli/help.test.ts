// `--help` of the real CLI (`bun src/cli/main.ts`), for every command it lists — including any
// command added later, and subcommands: a usage line, described options and positionals, and on
// every command that runs something at least one example. Also `--version`.

import { describe, expect, test } from 'bun:test';
import { runCli } from '../helpers/cli.ts';

/** The names under "Commands:" in a help text (`customs db load <file>  …` under `db` gives `load`). */
function listedCommands(help: string, parent: readonly string[]): string[] {
  const section = /^Commands:\n((?:[ \t]+\S.*\n?)+)/m.exec(help)?.[1] ?? '';
  const prefix = ['customs', ...parent].join(' ');
  const names: string[] = [];
  for (const line of section.split('\n')) {
    const m = /^\s{2}(\S.*?)(?:\s{2,}|$)/.exec(line);
    const usage = m?.[1];
    if (usage === undefined || !usage.startsWith(`${prefix} `)) continue;
    const name = usage.slice(prefix.length + 1).split(' ')[0];
    if (name !== undefined && /^[a-z][a-z-]*$/.test(name)) names.push(name);
  }
  return names;
}

/** The lines of one section ("Options:", "Examples:"…), up to the next blank line. */
function section(help: string, title: string): string[] {
  const lines = help.split('\n');
  const start = lines.indexOf(`${title}:`);
  if (start < 0) return [];
  const out: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (line.trim() === '') break;
    out.push(line);
  }
  return out;
}

/** Option or positional entries whose description is empty (only a name and type tags). */
function undescribed(lines: readonly string[]): string[] {
  const entries: string[] = [];
  for (const line of lines) {
    if (/^ {2}\S/.test(line) || /^ {2}\s*-/.test(line)) entries.push(line);
    else if (entries.length > 0) entries[entries.length - 1] += ` ${line.trim()}`;
  }
  return entries.filter((entry) => {
    const rest = entry
      .trim()
      .replace(/^(-\w, )?-{0,2}[\w-]+/, '')
      .replace(/\[(string|number|boolean|array|required|count)\]|\[default: [^\]]*\]|\[choices: [^\]]*\]/g, '')
      .trim();
    return rest === '';
  });
}

interface HelpPage {
  readonly path: readonly string[];
  readonly code: number;
  readonly text: string;
}

/** `customs … --help` for every command and subcommand, breadth first. */
async function allHelpPages(): Promise<HelpPage[]> {
  const pages: HelpPage[] = [];
  let level: string[][] = [[]];
  while (level.length > 0) {
    const results = await Promise.all(level.map(async (path) => ({ path, ...(await runCli([...path, '--help'])) })));
    const next: string[][] = [];
    for (const r of results) {
      pages.push({ path: r.path, code: r.code, text: r.stdout });
      for (const name of listedCommands(r.stdout, r.path)) next.push([...r.path, name]);
    }
    level = next;
  }
  return pages;
}

describe('--help', async () => {
  const pages = await allHelpPages();
  const top = pages.find((p) => p.path.length === 0);

  test('the top level lists the commands, with usage and exit codes', () => {
    expect(top?.code).toBe(0);
    expect(top?.text).toContain('Usage: customs <command> [options]');
    for (const name of ['run', 'validate', 'demo', 'cache', 'edit', 'completion']) expect(listedCommands(top?.text ?? '', [])).toContain(name);
    expect(top?.text).toContain('Exit codes:');
  });

  for (const page of pages.filter((p) => p.path.length > 0)) {
    const name = page.path.join(' ');
    test(`customs ${name} --help: usage, described options, ${listedCommands(page.text, page.path).length > 0 ? 'subcommands' : 'examples'}`, () => {
      expect(page.code).toBe(0);
      expect(page.text.split('\n')[0]).toStartWith(`customs ${name}`);
      const options = section(page.text, 'Options');
      expect(options.join('\n')).toContain('--help');
      expect(undescribed([...options, ...section(page.text, 'Positionals')])).toEqual([]);
      if (listedCommands(page.text, page.path).length > 0) return; // a group: its subcommands carry the examples
      const examples = section(page.text, 'Examples');
      expect(examples.length).toBeGreaterThan(0);
      expect(examples.some((line) => line.trim().startsWith(`customs ${name}`) || line.trim().startsWith('source <(customs'))).toBe(true);
    });
  }
});

test('--version prints the version and the commit', async () => {
  const r = await runCli(['--version']);
  expect(r.code).toBe(0);
  // From source the commit is "dev"; build.ts bakes the real one into the binary (smoke-tested).
  expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+(-[\w.]+)? \((dev|[0-9a-f]{4,40})\)$/);
});
