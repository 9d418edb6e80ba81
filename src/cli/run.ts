// `customs run`: tracker file + options → engine run → bugs.jsonl, report.json, exit code.
// Resolves settings (CLI over the file's `settings:` over defaults) and owns signals.

import { dirname, isAbsolute, join, resolve } from 'node:path';
import type { TrackerFile } from '../config/load.ts';
import { formatProblem, loadTrackerFile } from '../config/load.ts';
import type { RunEvent } from '../core/events.ts';
import type { RunTracker } from '../core/run.ts';
import { runImport } from '../core/run.ts';
import type { CacheMode } from '../http/cache-policy.ts';
import { DEFAULT_RETRY_POLICY } from '../http/retry.ts';
import { CiRenderer, eventJsonLine } from '../report/ci-text.ts';
import type { RecordSink } from '../sinks/jsonl.ts';
import { JsonlFileSink, JsonlStdoutSink } from '../sinks/jsonl.ts';
import { buildReport, writeReport } from '../sinks/report.ts';
import { USER_AGENT, VERSION } from '../version.ts';

export interface RunArgs {
  readonly file: string;
  readonly output?: string;
  readonly dataDir?: string;
  readonly cacheDir?: string;
  readonly offline?: boolean;
  readonly refresh?: boolean;
  readonly noCache?: boolean;
  readonly only?: readonly string[];
  readonly events?: string;
  readonly concurrency?: number;
  readonly perHost?: number;
  readonly delay?: number;
  readonly timeout?: number;
  readonly retries?: number;
  readonly retryDelay?: number;
  readonly extendedScrape?: boolean;
  /** Ignore the incremental marks: ask every tracker for everything. */
  readonly full?: boolean;
  /** A database (SQLite path or postgres:// URL) whose known bugs join each entry's existing_bug_urls. */
  readonly knownBugsFrom?: string;
  /** Heartbeat interval of the --ci log; 0 turns it off. */
  readonly heartbeatMs?: number;
  /** --ci: log lines, never the terminal UI. */
  readonly ci?: boolean;
  /** For the demo: dial these origins elsewhere. */
  readonly originOverrides?: Readonly<Record<string, string>>;
}

export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (line: string) => void;
  readonly env: Readonly<Record<string, string | undefined>>;
}

export const DEFAULTS = {
  dataDir: 'customs-data',
  concurrency: 16,
  perHost: 4,
  delayMs: 0,
  timeoutMs: 30_000,
  maxBodyMb: 50,
} as const;

/** Paths in the file's `settings:` are relative to the file; on the command line, to the cwd. */
function fromFile(file: string, path: string | undefined): string | undefined {
  if (path === undefined) return undefined;
  return isAbsolute(path) ? path : join(dirname(resolve(file)), path);
}

/**
 * Shows a run's progress: the --ci log (the default), or the terminal UI (tui/, through
 * src/cli/tui.ts). It gets every event; runLoaded's own notices while it is up; after the run
 * and its report, `done` may wait for the user; `close` always comes last, also after an error.
 */
export interface RunView {
  readonly onEvent: (event: RunEvent) => void;
  readonly notice?: (line: string) => void;
  readonly done?: (exitCode: number) => Promise<number>;
  readonly close?: () => void;
}

/** Makes the view when the run is about to start; `cancel` does what the first Ctrl-C does. */
export type RunViewFactory = (cancel: () => void) => RunView | Promise<RunView>;

export async function runCommand(args: RunArgs, io: CliIo, view?: RunViewFactory): Promise<number> {
  const file = await loadTrackerFile(args.file);
  for (const problem of file.problems) io.stderr(formatProblem(problem));
  if (file.fatal) return 2;
  if (args.knownBugsFrom === undefined) return runLoaded(file, args, io, view);
  const { addKnownBugs } = await import('./db.ts');
  const withKnown = await addKnownBugs(file, args.knownBugsFrom, io);
  return withKnown === undefined ? 2 : runLoaded(withKnown, args, io, view);
}

/** Where a run of `file` writes its records (`-` is stdout). */
export function outputPath(file: TrackerFile, args: Pick<RunArgs, 'output' | 'dataDir'>): string {
  const dataDir = args.dataDir ?? fromFile(file.path, file.settings.data_dir) ?? DEFAULTS.dataDir;
  return args.output ?? fromFile(file.path, file.settings.output) ?? join(dataDir, 'bugs.jsonl');
}

/** Runs an already loaded tracker file (the demo builds its own); progress goes to `makeView` (default: the --ci log). */
export async function runLoaded(file: TrackerFile, args: RunArgs, io: CliIo, makeView?: RunViewFactory): Promise<number> {
  const settings = file.settings;
  const dataDir = args.dataDir ?? fromFile(file.path, settings.data_dir) ?? DEFAULTS.dataDir;
  const output = outputPath(file, args);
  const cacheDir = args.cacheDir ?? fromFile(file.path, settings.cache_dir) ?? join(dataDir, 'cache');
  const wantEvents = args.events !== undefined;
  if (wantEvents && args.events !== 'jsonl') {
    io.stderr(`customs: --events takes "jsonl", not "${args.events}"`);
    return 2;
  }
  if (wantEvents && output === '-') {
    io.stderr('customs: --events jsonl writes events to stdout, so the records need a file: add -o PATH');
    return 2;
  }
  const modes = [args.offline && '--offline', args.refresh && '--refresh', args.noCache && '--no-cache'].filter(Boolean);
  if (modes.length > 1) {
    io.stderr(`customs: ${modes.join(' and ')} cannot be used together`);
    return 2;
  }
  const cacheMode: CacheMode = args.offline ? 'offline' : args.refresh ? 'refresh' : args.noCache ? 'off' : 'normal';

  let entries = file.entries;
  if (args.only && args.only.length > 0) {
    const names = new Set(entries.map((e) => e.entry.tracker_name));
    const unknown = args.only.filter((n) => !names.has(n));
    if (unknown.length > 0) {
      io.stderr(`customs: --only names no tracker of ${file.path}: ${unknown.join(', ')} (known: ${[...names].join(', ')})`);
      return 2;
    }
    entries = entries.filter((e) => args.only?.includes(e.entry.tracker_name));
  }
  if (entries.length === 0) {
    io.stderr(`customs: ${file.path} has no trackers to import`);
    return 2;
  }
  const trackers: RunTracker[] = entries.map((e) => ({
    entry: e.entry,
    adapter: e.adapter,
    configErrors: e.problems.filter((p) => p.severity === 'error').map((p) => p.message),
  }));

  const controller = new AbortController();
  let interrupts = 0;
  let sink: RecordSink | undefined;
  let say = io.stderr;
  /** A signal, or the view's cancel key: stop gracefully the first time, at once the second. */
  const interrupt = (why: string): void => {
    interrupts++;
    if (interrupts === 1) {
      say(`customs: ${why}, stopping (press Ctrl-C again to quit at once)`);
      controller.abort();
    } else {
      sink?.abort();
      process.exit(130);
    }
  };
  const view: RunView = makeView ? await makeView(() => interrupt('cancelled')) : { onEvent: new CiRenderer(io.stderr, args.heartbeatMs ?? 30_000).onEvent };
  say = view.notice ?? io.stderr;
  const onSignal = (signal: NodeJS.Signals): void => interrupt(`${signal} received`);
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  const emit = (event: RunEvent): void => {
    view.onEvent(event);
    if (wantEvents) io.stdout(`${eventJsonLine(event)}\n`);
  };
  const contact = settings.user_agent_contact ? ` ${settings.user_agent_contact}` : '';
  try {
    sink = output === '-' ? new JsonlStdoutSink(io.stdout) : new JsonlFileSink(output);
    const retries = args.retries ?? settings.retries ?? DEFAULT_RETRY_POLICY.retries;
    const timeoutMs = args.timeout ?? settings.timeout_ms ?? DEFAULTS.timeoutMs;
    const perHost = args.perHost ?? settings.per_host ?? DEFAULTS.perHost;
    const result = await runImport({
      trackers,
      sink,
      limits: {
        concurrency: args.concurrency ?? settings.concurrency ?? DEFAULTS.concurrency,
        perHost,
        delayMs: args.delay ?? settings.delay_ms ?? DEFAULTS.delayMs,
      },
      retry: { ...DEFAULT_RETRY_POLICY, retries, baseDelayMs: args.retryDelay ?? DEFAULT_RETRY_POLICY.baseDelayMs },
      transport: {
        userAgent: `${USER_AGENT}${contact}`,
        connectionsPerHost: perHost,
        connectTimeoutMs: Math.min(timeoutMs, 15_000),
        headersTimeoutMs: timeoutMs,
        bodyTimeoutMs: timeoutMs,
        maxBodyBytes: Math.round((settings.max_body_mb ?? DEFAULTS.maxBodyMb) * 1_000_000),
        maxRedirects: 5,
        originOverrides: args.originOverrides,
      },
      cacheMode,
      cacheDir,
      extendedScrape: args.extendedScrape ?? false,
      env: io.env,
      signal: controller.signal,
      emit,
      outputLabel: output === '-' ? 'stdout' : output,
      // Records on stdout cannot be merged with a previous output: such runs are always full.
      incremental: output === '-' ? undefined : { marksPath: join(dataDir, 'marks.json'), output, full: args.full ?? false },
    });
    writeReport(join(dataDir, 'report.json'), buildReport(result.state, VERSION));
    return view.done ? await view.done(result.exitCode) : result.exitCode;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    view.close?.();
  }
}
