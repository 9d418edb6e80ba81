// The terminal UI's entry, imported lazily by src/cli/tui.ts and by nothing else (the core never
// loads React). `openRunView` shows a `customs run` that the CLI drives; `startTui` opens Home
// (`customs`, `customs edit`) or the Results browser (`customs results`). Whatever happens —
// leaving, a crash of the UI, a signal, process.exit — the terminal is given back: Ink unmounts
// (cursor shown, raw mode off), and an exit hook repeats that in case Ink could not.

import type { Instance } from 'ink';
import { render } from 'ink';
import type React from 'react';
import { formatSummary } from '../src/report/ci-text.ts';
import type { HomeComponent, RunViewPort, TuiRunner } from './App.tsx';
import { App } from './App.tsx';
import { RunStore } from './store.ts';

export type { HomeComponent, HomeProps, RunViewPort, TuiRunner } from './App.tsx';

export interface TuiOptions {
  /** Colours on; false under NO_COLOR. */
  readonly color: boolean;
  /** The tracker file. */
  readonly file: string;
  /** The records the Results browser opens by default. */
  readonly resultsFile: string;
  /** Where Ink draws and reads keys (process.stdout/stdin by default; tests pass fakes). */
  readonly stdout?: NodeJS.WriteStream;
  readonly stdin?: NodeJS.ReadStream;
  readonly stderr?: (line: string) => void;
}

const SHOW_CURSOR = '\u001B[?25h';

function errorText(err: unknown): string {
  return err instanceof Error ? (err.stack ?? err.message) : String(err);
}

/** Renders `node` with Ink, Ctrl-C left to the screens, and a last-resort terminal restore on exit. */
function mount(node: React.ReactElement, options: TuiOptions): { readonly instance: Instance; readonly exited: Promise<unknown> } {
  const stdout = options.stdout ?? process.stdout;
  const stdin = options.stdin ?? process.stdin;
  const restore = (): void => {
    try {
      if (stdin.isTTY) stdin.setRawMode(false);
      if (stdout.isTTY) stdout.write(SHOW_CURSOR);
    } catch {
      // The streams may be gone already; nothing more can be done.
    }
  };
  process.once('exit', restore);
  const instance = render(node, { stdout, stdin, exitOnCtrlC: false, patchConsole: true });
  // Resolves with undefined when the user left, or with the error that ended the UI.
  const exited = instance.waitUntilExit().then(
    () => undefined,
    (err: unknown) => err ?? new Error('the terminal UI stopped'),
  );
  void exited.then(() => {
    process.off('exit', restore);
    restore();
  });
  return { instance, exited };
}

/**
 * The Run screen of a `customs run` the CLI drives (runLoaded's view): events go to the store;
 * after the run, `done` waits until the user leaves (or opens the results and leaves those).
 */
export function openRunView(options: TuiOptions & { readonly cancel: () => void }): RunViewPort {
  const store = new RunStore();
  const stderr = options.stderr ?? ((line: string) => void process.stderr.write(`${line}\n`));
  const { instance, exited } = mount(<App start={{ screen: 'run', session: { store, cancel: options.cancel } }} file={options.file} resultsFile={options.resultsFile} color={options.color} />, options);
  let failed: unknown;
  void exited.then((err) => {
    if (err === undefined) return;
    failed = err;
    stderr(`customs: the terminal UI failed (${errorText(err)}); the run goes on, its summary follows at the end`);
  });
  return {
    onEvent: store.onEvent,
    notice: store.notice,
    done: async (exitCode) => {
      store.end(exitCode);
      await exited;
      if (failed !== undefined) stderr(formatSummary(store.getSnapshot().state));
      return exitCode;
    },
    close: () => {
      store.dispose();
      instance.unmount();
    },
  };
}

/** Opens Home or the Results browser; resolves with the exit code when the user quits. */
export async function startTui(
  options: TuiOptions & { readonly start: 'home' | 'results'; readonly runner?: TuiRunner; readonly loadHome?: () => Promise<HomeComponent> },
): Promise<number> {
  const stderr = options.stderr ?? ((line: string) => void process.stderr.write(`${line}\n`));
  let Home: HomeComponent | undefined;
  if (options.start === 'home') {
    Home = options.loadHome ? await options.loadHome() : (await import('./screens/HomeScreen.tsx')).HomeScreen;
  }
  const start = options.start === 'home' ? ({ screen: 'home' } as const) : ({ screen: 'results', file: options.resultsFile } as const);
  const { exited } = mount(
    <App start={start} file={options.file} resultsFile={options.resultsFile} color={options.color} {...(Home ? { Home } : {})} {...(options.runner ? { runner: options.runner } : {})} />,
    options,
  );
  const err = await exited;
  if (err === undefined) return 0;
  stderr(`customs: the terminal UI failed: ${errorText(err)}`);
  return 1;
}
