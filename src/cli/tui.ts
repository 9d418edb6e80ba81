// The CLI's one door to the terminal UI: whether a command may use it (stdout and stdin are
// terminals, no --ci, no CI variable, stdout not carrying records or events), and the lazy
// import of tui/ — nothing else in the program loads React or Ink.

import { join } from 'node:path';
import type { CliIo, RunArgs, RunViewFactory } from './run.ts';

export interface Terminal {
  readonly stdoutIsTTY: boolean;
  readonly stdinIsTTY: boolean;
}

export function processTerminal(): Terminal {
  return { stdoutIsTTY: process.stdout.isTTY === true, stdinIsTTY: process.stdin.isTTY === true };
}

/** CI is set (and not "0"/"false", as Ink itself reads it). */
export function inCi(env: CliIo['env']): boolean {
  const ci = env.CI ?? env.CONTINUOUS_INTEGRATION;
  return ci !== undefined && ci !== '' && ci !== '0' && ci !== 'false';
}

/** The UI needs keys and a screen; under CI it would only draw a last frame. */
export function tuiPossible(env: CliIo['env'], terminal: Terminal = processTerminal()): boolean {
  return terminal.stdoutIsTTY && terminal.stdinIsTTY && !inCi(env) && env.TERM !== 'dumb';
}

/** `customs run` shows the TUI unless --ci, CI, a pipe, or stdout is taken by records or events. */
export function runWantsTui(args: RunArgs, env: CliIo['env'], terminal: Terminal = processTerminal()): boolean {
  return !args.ci && args.events === undefined && args.output !== '-' && tuiPossible(env, terminal);
}

/** NO_COLOR (https://no-color.org): present and not empty. */
export function colorWanted(env: CliIo['env']): boolean {
  return env.NO_COLOR === undefined || env.NO_COLOR === '';
}

/** The one import of tui/ (Ink and React load here, only when a command shows the UI). */
function loadTui(): Promise<typeof import('../../tui/index.tsx')> {
  return import('../../tui/index.tsx');
}

/** The Run screen as runLoaded's view. */
export function tuiRunView(args: RunArgs, io: CliIo): RunViewFactory {
  return async (cancel) => {
    const tui = await loadTui();
    return tui.openRunView({ color: colorWanted(io.env), file: args.file, resultsFile: args.output ?? join(args.dataDir ?? 'customs-data', 'bugs.jsonl'), cancel });
  };
}

/** The default records of a tracker file: its `settings:` output, else `<data-dir>/bugs.jsonl`. */
async function defaultResults(file: string, dataDir: string | undefined): Promise<string> {
  const { loadTrackerFile } = await import('../config/load.ts');
  const { outputPath } = await import('./run.ts');
  try {
    const loaded = await loadTrackerFile(file);
    if (!loaded.fatal) return outputPath(loaded, { dataDir });
  } catch {
    // A missing or broken file: Home says so; the results default stays the plain one.
  }
  return join(dataDir ?? 'customs-data', 'bugs.jsonl');
}

/** `customs`, `customs edit FILE` (Home) and `customs results FILE`. Resolves with the exit code. */
export async function openTui(start: 'home' | 'results', options: { readonly file: string; readonly results?: string; readonly dataDir?: string }, io: CliIo): Promise<number> {
  const tui = await loadTui();
  const { runCommand } = await import('./run.ts');
  const resultsFile = options.results ?? (await defaultResults(options.file, options.dataDir));
  return tui.startTui({
    start,
    color: colorWanted(io.env),
    file: options.file,
    resultsFile,
    runner: (view, log) =>
      runCommand({ file: options.file, heartbeatMs: 0, ...(options.dataDir === undefined ? {} : { dataDir: options.dataDir }) }, { stdout: () => {}, stderr: log, env: io.env }, (cancel) => view(cancel)),
  });
}
