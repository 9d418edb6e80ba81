// The app shell: which screen is up (Home, Run, Results) and the moves between them. A run is
// started here from Home through the CLI's runner (the engine stays in src/cli); a `customs run`
// arrives with its session already going. Leaving clears the live area before Ink exits, so the
// terminal keeps the permanent log and nothing else.

import { Box, Text, useApp } from 'ink';
import type React from 'react';
import { useEffect, useState } from 'react';
import { RunLog } from './components/run/RunLog.tsx';
import { ResultsScreen } from './screens/ResultsScreen.tsx';
import { RunScreen } from './screens/RunScreen.tsx';
import { RunStore } from './store.ts';

/** The Home screen's props (tui/screens/HomeScreen.tsx, built by the editor's side). */
export interface HomeProps {
  readonly file: string;
  readonly onRun: () => void;
  readonly onResults: () => void;
  readonly onQuit: () => void;
}

export type HomeComponent = (props: HomeProps) => React.ReactElement;

/** What a run shows its progress with (the CLI's RunView, seen from here). */
export interface RunViewPort {
  readonly onEvent: RunStore['onEvent'];
  readonly notice?: (line: string) => void;
  readonly done?: (exitCode: number) => Promise<number>;
  readonly close?: () => void;
}

/**
 * Starts a run of the tracker file (given by the CLI, which owns the engine and the options):
 * `view` is called with the run's cancel function once the run is about to start; `log` takes
 * what the CLI would print (a bad file's problems). Resolves with the exit code.
 */
export type TuiRunner = (view: (cancel: () => void) => RunViewPort, log: (line: string) => void) => Promise<number>;

/** A run being shown: its store, and how to cancel it. */
export interface RunSession {
  readonly store: RunStore;
  readonly cancel: () => void;
}

export type Start = { readonly screen: 'home' } | { readonly screen: 'results'; readonly file: string } | { readonly screen: 'run'; readonly session: RunSession };

type Screen =
  | { readonly kind: 'home' }
  | { readonly kind: 'run'; readonly session: RunSession; readonly fromHome: boolean }
  | { readonly kind: 'results'; readonly file: string; readonly fromHome: boolean }
  | { readonly kind: 'bye' };

export interface AppProps {
  readonly start: Start;
  /** The tracker file (Home shows it; runs from Home import it). */
  readonly file: string;
  /** The records Home's "results" opens until a run names its own output. */
  readonly resultsFile: string;
  readonly color: boolean;
  readonly Home?: HomeComponent;
  readonly runner?: TuiRunner;
  /** The user left; the app is about to unmount. */
  readonly onExit?: () => void;
}

/** Starts a run through `runner` and returns its session at once. */
export function startSession(runner: TuiRunner, onError: (message: string) => void = () => {}): RunSession {
  const store = new RunStore();
  let cancel: () => void = () => {};
  runner(
    (c) => {
      cancel = c;
      return { onEvent: store.onEvent, notice: store.notice };
    },
    store.notice,
  ).then(
    (code) => store.end(code),
    (err: unknown) => {
      const message = err instanceof Error ? err.message : String(err);
      store.notice(`customs: the run stopped with an error: ${message}`);
      onError(message);
      store.end(1);
    },
  );
  return { store, cancel: () => cancel() };
}

export function App(props: AppProps): React.ReactElement | null {
  const { exit } = useApp();
  const [resultsFile, setResultsFile] = useState(props.resultsFile);
  // Every run of this session, for the permanent log.
  const [stores, setStores] = useState<readonly RunStore[]>(() => (props.start.screen === 'run' ? [props.start.session.store] : []));
  const [screen, setScreen] = useState<Screen>(() => {
    const s = props.start;
    if (s.screen === 'run') return { kind: 'run', session: s.session, fromHome: false };
    if (s.screen === 'results') return { kind: 'results', file: s.file, fromHome: false };
    return { kind: 'home' };
  });

  useEffect(() => {
    if (screen.kind !== 'bye') return;
    props.onExit?.();
    exit();
  }, [screen, exit, props.onExit]);

  const home = (): void => setScreen({ kind: 'home' });
  const bye = (): void => setScreen({ kind: 'bye' });

  const current = (): React.ReactElement | null => {
    switch (screen.kind) {
      case 'bye':
        return null;
      case 'home': {
        const { Home, runner } = props;
        if (!Home) return <Text>The home screen is not available in this build.</Text>;
        return (
          <Home
            file={props.file}
            onRun={() => {
              if (!runner) return;
              const session = startSession(runner);
              setStores((all) => [...all, session.store]);
              setScreen({ kind: 'run', session, fromHome: true });
            }}
            onResults={() => setScreen({ kind: 'results', file: resultsFile, fromHome: true })}
            onQuit={bye}
          />
        );
      }
      case 'run':
        return (
          <RunScreen
            store={screen.session.store}
            color={props.color}
            onCancel={screen.session.cancel}
            leave={screen.fromHome ? 'back' : 'quit'}
            onFinish={(next) => {
              const output = screen.session.store.getSnapshot().state.output;
              if (next === 'results' && output !== undefined) {
                setResultsFile(output);
                setScreen({ kind: 'results', file: output, fromHome: screen.fromHome });
              } else if (screen.fromHome) home();
              else bye();
            }}
          />
        );
      case 'results':
        return <ResultsScreen key={screen.file} file={screen.file} color={props.color} leave={screen.fromHome ? 'back' : 'quit'} onLeave={screen.fromHome ? home : bye} />;
    }
  };

  return (
    <Box flexDirection="column">
      <RunLog stores={stores} color={props.color} />
      {current()}
    </Box>
  );
}
