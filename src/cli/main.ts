#!/usr/bin/env bun
// The command line: yargs commands, exit codes (0 ok, 1 a tracker failed, 2 usage/config,
// 130 interrupted), and the old oh-bugimporters form `customs -i FILE -o OUT`.

import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { COMMIT, VERSION } from '../version.ts';
import { completeCustoms, completionCommand } from './completion.ts';
import { dbCommands } from './db.ts';
import type { CliIo, RunArgs } from './run.ts';

const io: CliIo = {
  stdout: (text) => void process.stdout.write(text),
  stderr: (line) => void process.stderr.write(`${line}\n`),
  env: process.env,
};

/** `customs -i FILE -o OUT` (oh-bugimporters) is `customs run FILE -o OUT --ci`. */
function legacyArgs(argv: string[]): string[] {
  const first = argv[0];
  if (first === undefined || !(first === '-i' || first === '--input' || first.startsWith('--input='))) return argv;
  const out: string[] = ['run'];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '-i' || arg === '--input') out.push(argv[++i] ?? '');
    else if (arg.startsWith('--input=')) out.push(arg.slice('--input='.length));
    else out.push(arg);
  }
  return [...out, '--ci'];
}

const runOptions = {
  output: { alias: 'o', type: 'string', describe: 'where the JSON Lines go ("-" = stdout) [default: <data-dir>/bugs.jsonl]' },
  'data-dir': { type: 'string', describe: 'folder for output, cache and report.json [default: customs-data]' },
  'cache-dir': { type: 'string', describe: 'the HTTP cache [default: <data-dir>/cache]' },
  offline: { type: 'boolean', describe: 'answer every request from the cache; a miss fails that tracker' },
  refresh: { type: 'boolean', describe: 'revalidate every cached response with the server' },
  'no-cache': { type: 'boolean', describe: 'neither read nor write the cache' },
  only: { type: 'string', array: true, describe: 'run only the named tracker(s); repeatable' },
  ci: { type: 'boolean', describe: 'headless: log lines on stderr and a summary (default when not a terminal)' },
  events: { type: 'string', describe: 'also write every progress event to stdout: "jsonl" (records then need -o PATH)' },
  concurrency: { type: 'number', describe: 'most requests in flight, all hosts together [default: 16]' },
  'per-host': { type: 'number', describe: 'most requests in flight per host [default: 4]' },
  delay: { type: 'number', describe: 'least time between two request starts on one host, ms [default: 0]' },
  timeout: { type: 'number', describe: 'connect/response timeout, ms [default: 30000]' },
  retries: { type: 'number', describe: 'retries of a failed request [default: 4]' },
  'retry-delay': { type: 'number', describe: 'first backoff delay, ms (doubles each try) [default: 1000]' },
  'extended-scrape': { type: 'boolean', describe: 'keep extra raw data (raw_data) where a tracker has it' },
  full: { type: 'boolean', describe: 'ask every tracker for everything, ignoring what the last run already has' },
  'known-bugs-from': { type: 'string', describe: 'add each tracker\'s known bugs from this database (SQLite path or postgres:// URL) to its existing_bug_urls' },
} as const;

interface ParsedRunFlags {
  output?: string;
  'data-dir'?: string;
  'cache-dir'?: string;
  offline?: boolean;
  refresh?: boolean;
  cache?: boolean;
  'no-cache'?: boolean;
  only?: (string | number)[];
  events?: string;
  concurrency?: number;
  'per-host'?: number;
  delay?: number;
  timeout?: number;
  retries?: number;
  'retry-delay'?: number;
  'extended-scrape'?: boolean;
  full?: boolean;
  'known-bugs-from'?: string;
  ci?: boolean;
}

function toRunArgs(file: string, flags: ParsedRunFlags): RunArgs {
  return {
    file,
    output: flags.output,
    dataDir: flags['data-dir'],
    cacheDir: flags['cache-dir'],
    offline: flags.offline,
    refresh: flags.refresh,
    // yargs reads --no-cache as cache=false.
    noCache: flags['no-cache'] === true || flags.cache === false,
    only: flags.only?.map(String),
    events: flags.events,
    concurrency: flags.concurrency,
    perHost: flags['per-host'],
    delay: flags.delay,
    timeout: flags.timeout,
    retries: flags.retries,
    retryDelay: flags['retry-delay'],
    extendedScrape: flags['extended-scrape'],
    full: flags.full,
    knownBugsFrom: flags['known-bugs-from'],
    ci: flags.ci,
    heartbeatMs: process.env.CUSTOMS_HEARTBEAT_MS ? Number(process.env.CUSTOMS_HEARTBEAT_MS) : undefined,
  };
}

function checkNumbers(flags: ParsedRunFlags): string | undefined {
  const positive = ['concurrency', 'per-host', 'timeout'] as const;
  for (const name of positive) {
    const v = flags[name];
    if (v !== undefined && !(Number.isInteger(v) && v >= 1)) return `--${name} must be a whole number of at least 1`;
  }
  for (const name of ['delay', 'retries', 'retry-delay'] as const) {
    const v = flags[name];
    if (v !== undefined && !(Number.isInteger(v) && v >= 0)) return `--${name} must be a whole number of at least 0`;
  }
  return undefined;
}

async function main(): Promise<number> {
  let exitCode = 0;
  const argv = legacyArgs(hideBin(process.argv));
  const cli = yargs(argv)
    .scriptName('customs')
    .usage('customs — import the bugs of many trackers into one JSON Lines file\n\nUsage: $0 <command> [options]')
    .version(`${VERSION} (${COMMIT})`)
    .strict()
    .wrap(Math.min(100, process.stdout.columns || 100))
    .command(
      'run [file]',
      'import every tracker of FILE',
      (y) =>
        y
          .positional('file', { type: 'string', default: 'trackers.yaml', describe: 'the tracker file' })
          .options(runOptions)
          .example('$0 run trackers.yaml', 'import into customs-data/bugs.jsonl')
          .example('$0 run --offline --only Twisted', 'replay one tracker from the cache')
          .example('$0 -i trackers.yaml -o bugs.jsonl', 'the old oh-bugimporters command line'),
      async (args) => {
        const problem = checkNumbers(args as ParsedRunFlags);
        if (problem) {
          io.stderr(`customs: ${problem}`);
          exitCode = 2;
          return;
        }
        const { runCommand } = await import('./run.ts');
        const runArgs = toRunArgs(args.file ?? 'trackers.yaml', args as ParsedRunFlags);
        const tui = await import('./tui.ts');
        exitCode = await runCommand(runArgs, io, tui.runWantsTui(runArgs, io.env) ? tui.tuiRunView(runArgs, io) : undefined);
      },
    )
    .command(
      'validate [file]',
      'check a tracker file; every problem as FILE:LINE:COL',
      (y) =>
        y
          .positional('file', { type: 'string', default: 'trackers.yaml', describe: 'the tracker file' })
          .example('$0 validate trackers.yaml', 'print every problem as trackers.yaml:LINE:COL; exit 2 if any is an error')
          .example('$0 validate old-export.yaml', 'an OpenHatch export loads unchanged'),
      async (args) => {
        const { validateCommand } = await import('./validate.ts');
        exitCode = await validateCommand(args.file ?? 'trackers.yaml', (line) => io.stdout(`${line}\n`));
      },
    )
    .command(
      'demo',
      'run a real import against built-in fake trackers on 127.0.0.1 (no network needed)',
      (y) =>
        y
          .options({
            'data-dir': { type: 'string', default: 'customs-demo', describe: 'where the demo writes its output and cache' },
            offline: { type: 'boolean', describe: 'replay the last demo from its cache, with no server' },
            ci: { type: 'boolean', describe: 'headless log lines (the default for now)' },
            events: runOptions.events,
          })
          .example('$0 demo', 'import the demo trackers into customs-demo/bugs.jsonl'),
      async (args) => {
        const { demoCommand } = await import('./demo.ts');
        exitCode = await demoCommand({ dataDir: args['data-dir'], offline: args.offline ?? false, events: args.events }, io);
      },
    )
    .command(
      'cache <action>',
      'inspect and trim the HTTP cache: stats | prune --older-than DURATION | clear',
      (y) =>
        y
          .positional('action', { choices: ['stats', 'prune', 'clear'] as const, describe: 'what to do' })
          .options({
            'cache-dir': { type: 'string', describe: 'the cache [default: customs-data/cache]' },
            'data-dir': { type: 'string', describe: 'the data folder [default: customs-data]' },
            'older-than': { type: 'string', describe: 'with prune: age such as 30d, 12h, 2w' },
          })
          .example('$0 cache prune --older-than 30d', 'forget answers fetched more than 30 days ago'),
      async (args) => {
        const { cacheCommand } = await import('./cache.ts');
        const cacheDir = args['cache-dir'] ?? `${args['data-dir'] ?? 'customs-data'}/cache`;
        if (args.action === 'prune' && !args['older-than']) {
          io.stderr('customs: cache prune needs --older-than DURATION (e.g. 30d, 12h)');
          exitCode = 2;
          return;
        }
        exitCode = await cacheCommand(args.action ?? 'stats', { cacheDir, olderThan: args['older-than'] }, (line) => io.stdout(`${line}\n`));
      },
    )
    .command(
      'edit [file]',
      'edit the tracker file in the terminal UI',
      (y) =>
        y
          .positional('file', { type: 'string', default: 'trackers.yaml', describe: 'the tracker file' })
          .example('$0 edit trackers.yaml', 'open the file in the editor'),
      async (args) => {
        const tui = await import('./tui.ts');
        if (!tui.tuiPossible(io.env)) {
          io.stderr('customs edit: the editor needs a terminal (stdin and stdout), outside CI; edit the file by hand and check it with `customs validate`.');
          exitCode = 2;
          return;
        }
        exitCode = await tui.openTui('home', { file: args.file ?? 'trackers.yaml' }, io);
      },
    )
    .command(
      'results [file]',
      'browse imported bugs in the terminal: filters, search, every field',
      (y) =>
        y
          .positional('file', { type: 'string', describe: 'a JSON Lines file of bugs [default: <data-dir>/bugs.jsonl]' })
          .options({ 'data-dir': { type: 'string', describe: 'the data folder whose bugs.jsonl to open [default: customs-data]' } })
          .example('$0 results', 'browse customs-data/bugs.jsonl')
          .example('$0 results customs-demo/bugs.jsonl', 'browse what `customs demo` imported'),
      async (args) => {
        const file = args.file ?? `${args['data-dir'] ?? 'customs-data'}/bugs.jsonl`;
        const { existsSync } = await import('node:fs');
        if (!existsSync(file)) {
          io.stderr(`customs results: no file ${file} (run \`customs run\` first, or name a bugs.jsonl)`);
          exitCode = 2;
          return;
        }
        const tui = await import('./tui.ts');
        if (!tui.tuiPossible(io.env)) {
          io.stderr(`customs results: the browser needs a terminal (stdin and stdout), outside CI; ${file} is JSON Lines, one bug a line`);
          exitCode = 2;
          return;
        }
        exitCode = await tui.openTui('results', { file: 'trackers.yaml', results: file }, io);
      },
    )
    .command('db', 'load bugs.jsonl into a database and read it back: load | export-trackers | query', (y) =>
      dbCommands(
        y,
        io,
        (code) => {
          exitCode = code;
        },
        () => exitCode === 2,
      ),
    )
    .command(completionCommand(io))
    // yargs answers `--get-yargs-completions WORD…` (what the completion script asks); the name
    // given here is a hidden command yargs adds for its own script, which ours replaces.
    .completion('completion-yargs', false, await completeCustoms(argv))
    .demandCommand(1, 'Name a command (run, validate, demo, cache, db); `customs --help` lists them.')
    .fail((message, err, y) => {
      if (err) throw err;
      y.showHelp((text) => io.stderr(text));
      io.stderr(`\ncustoms: ${message}`);
      exitCode = 2;
    })
    .epilogue('Exit codes: 0 all trackers imported, 1 a tracker failed, 2 usage or configuration error, 130 interrupted.\nTokens come from the environment only: GITHUB_TOKEN, GH_TOKEN, or the variable an entry names in token_env.');
  // `customs` alone in a terminal: the TUI's home on ./trackers.yaml (elsewhere: help, exit 2).
  if (argv.length === 0) {
    const tui = await import('./tui.ts');
    if (tui.tuiPossible(io.env)) return tui.openTui('home', { file: 'trackers.yaml' }, io);
  }
  await cli.parseAsync();
  return exitCode;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`customs: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 1;
  },
);
