// `customs db load | export-trackers | query`, and `customs run --known-bugs-from`: the way from
// bugs.jsonl into a database (SQLite by default, PostgreSQL by URL) and back into the next run.
// Exit codes: 0 done; 1 some records were rejected (the others are loaded); 2 usage or database
// error (with what was committed said); 130 interrupted (committed batches stay). A database
// password is never printed: every message names the database with its password as `***`.

import { readFileSync, statSync } from 'node:fs';
import type { Argv } from 'yargs';
import type { TrackerFile } from '../config/load.ts';
import type { DbBackend, DbTarget, LoadCounts } from '../sinks/db.ts';
import { openDatabase, parseDbTarget, scrub } from '../sinks/db.ts';
import type { CliIo } from './run.ts';

const DEFAULT_DATA_DIR = 'customs-data';
/** Rejected lines listed one by one; past this, only counted. */
const MAX_REJECTS_SHOWN = 100;
const PROGRESS_EVERY_MS = 5000;

export interface DbLoadArgs {
  readonly file: string;
  readonly db?: string;
  readonly dataDir?: string;
  readonly json?: boolean;
  readonly batchSize?: number;
}

export interface ExportTrackersArgs {
  readonly file?: string;
  readonly db?: string;
  readonly dataDir?: string;
}

export interface QueryArgs {
  readonly newcomers?: boolean;
  readonly projects?: readonly string[];
  readonly open?: boolean;
  readonly json?: boolean;
  readonly db?: string;
  readonly dataDir?: string;
}

/**
 * The `db` subcommands, for main.ts: `.command('db', …, (y) => dbCommands(y, io, setExit, failed))`.
 * yargs still calls a handler after its `.fail()` reported a usage error (an unknown option):
 * `failed()` tells the handlers so, and they then do nothing.
 */
export function dbCommands(y: Argv, io: CliIo, done: (code: number) => void, failed: () => boolean = () => false): Argv {
  const where = {
    db: { type: 'string', describe: 'the database: a SQLite file (path or sqlite:PATH) or postgres://USER@HOST/DB [default: <data-dir>/bugs.sqlite]' },
    'data-dir': { type: 'string', describe: `the data folder [default: ${DEFAULT_DATA_DIR}]` },
  } as const;
  return y
    .command(
      'load <file>',
      'load ParsedBug JSON Lines ("-" = stdin) into the database: upsert, _deleted, _no_update',
      (c) =>
        c
          .positional('file', { type: 'string', demandOption: true, describe: 'the JSON Lines file, or - for stdin' })
          .options({
            ...where,
            json: { type: 'boolean', describe: 'print the counts as one JSON object' },
            'batch-size': { type: 'number', describe: 'records per transaction [default: 2000]' },
          })
          .example('$0 db load customs-data/bugs.jsonl', 'into customs-data/bugs.sqlite')
          .example('$0 db load bugs.jsonl --db postgres://customs@localhost/bugs', 'into PostgreSQL (password from PGPASSWORD)'),
      async (args) => {
        if (failed()) return;
        const batch = args['batch-size'];
        if (batch !== undefined && !(Number.isInteger(batch) && batch >= 1)) {
          io.stderr('customs: --batch-size must be a whole number of at least 1');
          done(2);
          return;
        }
        // yargs hands a lone "-" over as "".
        const file = args.file === '' && process.argv.includes('-') ? '-' : String(args.file ?? '');
        if (file === '') {
          io.stderr('customs: db load needs a JSON Lines file, or - for stdin');
          done(2);
          return;
        }
        done(await dbLoadCommand({ file, db: args.db, dataDir: args['data-dir'], json: args.json, batchSize: batch }, io));
      },
    )
    .command(
      'export-trackers [file]',
      'print the known bug links by tracker as a tracker-file fragment (merged into FILE\'s entries when given; FILE is not changed)',
      (c) =>
        c
          .positional('file', { type: 'string', describe: 'a tracker file to print with the links merged in' })
          .options(where)
          .example('$0 db export-trackers > known.yaml', 'tracker_name + existing_bug_urls per tracker')
          .example('$0 db export-trackers trackers.yaml > next.yaml', 'the tracker file with every entry\'s known bugs'),
      async (args) => {
        if (!failed()) done(await exportTrackersCommand({ file: args.file, db: args.db, dataDir: args['data-dir'] }, io));
      },
    )
    .command(
      'query',
      'list bugs from the database: --newcomers [--project P] [--open] [--json]',
      (c) =>
        c
          .options({
            ...where,
            newcomers: { type: 'boolean', describe: 'bugs marked good for newcomers (bite-sized)' },
            project: { type: 'string', array: true, describe: 'only this project (repeatable)' },
            open: { type: 'boolean', describe: 'leave out bugs that look closed' },
            json: { type: 'boolean', describe: 'one JSON object a line' },
          })
          .example('$0 db query --newcomers --open', 'open bite-sized bugs of every project'),
      async (args) => {
        if (failed()) return;
        const query = { newcomers: args.newcomers, projects: args.project?.map(String), open: args.open, json: args.json, db: args.db, dataDir: args['data-dir'] };
        done(await queryCommand(query, io));
      },
    )
    .demandCommand(1, 'Name a db command: load, export-trackers or query; `customs db --help` lists them.');
}

function target(db: string | undefined, dataDir: string | undefined, io: CliIo): DbTarget | undefined {
  try {
    return parseDbTarget(db, dataDir ?? DEFAULT_DATA_DIR);
  } catch (err) {
    io.stderr(`customs: ${err instanceof Error ? err.message : String(err)}`);
    return undefined;
  }
}

async function open(where: DbTarget, create: boolean, io: CliIo): Promise<DbBackend | undefined> {
  try {
    return await openDatabase(where, { create });
  } catch (err) {
    io.stderr(`customs: ${scrub(err instanceof Error ? err.message : String(err), where)}`);
    return undefined;
  }
}

function countsText(c: LoadCounts, rejected: number): string {
  const notes = [c.stale > 0 ? `${c.stale} older than the database's copy` : '', c.unknown > 0 ? `${c.unknown} _deleted/_no_update for bugs not in the database` : ''].filter(Boolean);
  return `${c.inserted} inserted, ${c.updated} updated, ${c.deleted} deleted, ${c.unchanged} unchanged${notes.length > 0 ? ` (${notes.join(', ')})` : ''}, ${rejected} rejected`;
}

export async function dbLoadCommand(args: DbLoadArgs, io: CliIo): Promise<number> {
  const where = target(args.db, args.dataDir, io);
  if (where === undefined) return 2;
  const fromStdin = args.file === '-';
  const label = fromStdin ? '<stdin>' : args.file;
  if (!fromStdin) {
    try {
      if (!statSync(args.file).isFile()) {
        io.stderr(`customs: ${args.file} is not a file`);
        return 2;
      }
    } catch {
      io.stderr(`customs: ${args.file} does not exist (customs run writes customs-data/bugs.jsonl)`);
      return 2;
    }
  }
  const db = await open(where, true, io);
  if (db === undefined) return 2;

  const { loadLines, readLines } = await import('../sinks/db-load.ts');
  const controller = new AbortController();
  let interrupts = 0;
  const onSignal = (signal: NodeJS.Signals): void => {
    interrupts++;
    if (interrupts === 1) {
      io.stderr(`customs: ${signal} received, stopping after the current batch (press Ctrl-C again to quit at once)`);
      controller.abort();
    } else {
      process.exit(130);
    }
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const started = performance.now();
  let lastProgress = started;
  let shown = 0;
  try {
    const stream = fromStdin ? Bun.stdin.stream() : Bun.file(args.file).stream();
    const result = await loadLines(readLines(stream), db, {
      ...(args.batchSize !== undefined ? { batchSize: args.batchSize } : {}),
      signal: controller.signal,
      onReject: (line, reason) => {
        shown++;
        if (shown <= MAX_REJECTS_SHOWN) io.stderr(`${label}:${line}: rejected: ${reason}`);
        else if (shown === MAX_REJECTS_SHOWN + 1) io.stderr(`${label}: more rejected lines follow; only their number is reported`);
      },
      onBatch: (lines, counts) => {
        const now = performance.now();
        if (now - lastProgress < PROGRESS_EVERY_MS) return;
        lastProgress = now;
        io.stderr(`customs: … line ${lines}: ${countsText(counts, shown)}`);
      },
    });
    const seconds = (performance.now() - started) / 1000;
    const c = result.counts;
    if (args.json) {
      const summary = {
        database: where.label,
        inserted: c.inserted,
        updated: c.updated,
        deleted: c.deleted,
        unchanged: c.unchanged,
        rejected: result.rejected,
        records: result.records,
        stale: c.stale,
        unknown: c.unknown,
        seconds: Math.round(seconds * 1000) / 1000,
        ...(result.interrupted ? { interrupted: true } : {}),
        ...(result.failure ? { error: scrub(result.failure.error.message, where), line: result.failure.line } : {}),
      };
      io.stdout(`${JSON.stringify(summary)}\n`);
    } else {
      io.stdout(`${label} → ${where.label}: ${countsText(c, result.rejected)} (${result.records} records, ${seconds.toFixed(1)} s)\n`);
    }
    if (result.failure) {
      io.stderr(`customs: database error at line ${result.failure.line}: ${scrub(result.failure.error.message, where)}`);
      io.stderr('customs: the batches before it are committed; loading the file again is safe (records already loaded count as unchanged)');
      return 2;
    }
    if (result.interrupted) {
      io.stderr('customs: interrupted; the batches loaded so far are committed');
      return 130;
    }
    return result.rejected > 0 ? 1 : 0;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await db.close();
  }
}

/** Known bug links of the database, by tracker (only `trackers` when given). */
async function knownLinks(db: DbBackend, trackers?: readonly string[]): Promise<Map<string, string[]>> {
  const known = new Map<string, string[]>();
  for await (const bug of db.knownBugs(trackers)) {
    const list = known.get(bug.tracker);
    if (list) list.push(bug.link);
    else known.set(bug.tracker, [bug.link]);
  }
  return known;
}

/** An entry's `existing_bug_urls`: a list, a single string (the loader warns), or nothing. */
function linkList(value: unknown): string[] {
  const items: readonly unknown[] = typeof value === 'string' ? [value] : Array.isArray(value) ? value : [];
  return items.filter((item): item is string => typeof item === 'string' && item.trim() !== '').map((item) => item.trim());
}

function merged(own: unknown, known: readonly string[]): string[] {
  return [...new Set([...linkList(own), ...known])];
}

/**
 * `customs run FILE --known-bugs-from DB`: each entry's `existing_bug_urls` gains the links the
 * database holds for its tracker_name, so the run refreshes them (gone ones come back `_deleted`).
 * Undefined after printing why, when the database cannot be read (exit 2, nothing fetched).
 */
export async function addKnownBugs(file: TrackerFile, from: string, io: CliIo): Promise<TrackerFile | undefined> {
  if (from.trim() === '') {
    io.stderr('customs: --known-bugs-from needs a database: a SQLite file or a postgres:// URL');
    return undefined;
  }
  const where = target(from, undefined, io);
  if (where === undefined) return undefined;
  const db = await open(where, false, io);
  if (db === undefined) return undefined;
  let known: Map<string, string[]>;
  try {
    known = await knownLinks(db, file.entries.map((e) => e.entry.tracker_name));
  } catch (err) {
    io.stderr(`customs: --known-bugs-from ${where.label}: ${scrub(err instanceof Error ? err.message : String(err), where)}`);
    return undefined;
  } finally {
    await db.close();
  }
  let added = 0;
  let trackers = 0;
  const entries = file.entries.map((loaded) => {
    const links = known.get(loaded.entry.tracker_name);
    if (links === undefined) return loaded;
    const own = linkList(loaded.entry.existing_bug_urls);
    const all = merged(own, links);
    added += all.length - own.length;
    trackers++;
    return { ...loaded, entry: { ...loaded.entry, existing_bug_urls: all } };
  });
  io.stderr(`customs: --known-bugs-from ${where.label}: ${added} known bug links added to ${trackers} of ${file.entries.length} trackers`);
  return { ...file, entries };
}

export async function exportTrackersCommand(args: ExportTrackersArgs, io: CliIo): Promise<number> {
  const where = target(args.db, args.dataDir, io);
  if (where === undefined) return 2;
  const yaml = await import('yaml');
  const scalar = (value: string): string => yaml.stringify(value, { lineWidth: 0 }).trimEnd();

  if (args.file === undefined) {
    const db = await open(where, false, io);
    if (db === undefined) return 2;
    try {
      // Streamed: one tracker after the other, whatever the number of bugs.
      let out = `# Known bugs of ${where.label} by tracker (customs db export-trackers): each entry's existing_bug_urls\n`;
      let current: string | undefined;
      let count = 0;
      for await (const bug of db.knownBugs()) {
        if (bug.tracker !== current) {
          current = bug.tracker;
          out += `- tracker_name: ${scalar(bug.tracker)}\n  existing_bug_urls:\n`;
        }
        out += `    - ${scalar(bug.link)}\n`;
        count++;
        if (out.length > 64 * 1024) {
          io.stdout(out);
          out = '';
        }
      }
      io.stdout(count === 0 ? `${out}[]\n` : out);
      return 0;
    } catch (err) {
      io.stderr(`customs: ${scrub(err instanceof Error ? err.message : String(err), where)}`);
      return 2;
    } finally {
      await db.close();
    }
  }

  const { loadTrackerFile, formatProblem, YAML_OPTIONS } = await import('../config/load.ts');
  const file = await loadTrackerFile(args.file);
  if (file.fatal) {
    for (const problem of file.problems) io.stderr(formatProblem(problem));
    return 2;
  }
  const db = await open(where, false, io);
  if (db === undefined) return 2;
  let known: Map<string, string[]>;
  try {
    known = await knownLinks(db, file.entries.map((e) => e.entry.tracker_name));
  } catch (err) {
    io.stderr(`customs: ${scrub(err instanceof Error ? err.message : String(err), where)}`);
    return 2;
  } finally {
    await db.close();
  }
  // The file as written (comments, order, old Python tags kept), each matching entry's
  // existing_bug_urls replaced by its own links followed by the database's.
  const doc = yaml.parseDocument(readFileSync(args.file, 'utf8').replace(/^\uFEFF/, ''), YAML_OPTIONS);
  const root = doc.contents;
  const list = yaml.isSeq(root) ? root : yaml.isMap(root) ? (doc.get('trackers', true) ?? doc.get('objects', true)) : undefined;
  let changed = 0;
  if (yaml.isSeq(list)) {
    for (const item of list.items) {
      if (!yaml.isMap(item)) continue;
      const name = item.get('tracker_name');
      const links = typeof name === 'string' ? known.get(name) : undefined;
      if (links === undefined) continue;
      const own = item.get('existing_bug_urls');
      item.set('existing_bug_urls', doc.createNode(merged(yaml.isSeq(own) ? own.toJSON() : own, links)));
      changed++;
    }
  }
  io.stdout(doc.toString({ lineWidth: 0 }));
  const names = new Set(file.entries.map((e) => e.entry.tracker_name));
  const others = [...known.keys()].filter((n) => !names.has(n));
  io.stderr(`customs: known bugs merged into ${changed} of ${file.entries.length} entries of ${args.file} (printed; the file is unchanged)`);
  if (others.length > 0) io.stderr(`customs: not in ${args.file}, so left out: ${others.join(', ')}`);
  return 0;
}

export async function queryCommand(args: QueryArgs, io: CliIo): Promise<number> {
  if (!args.newcomers) {
    io.stderr('customs: db query needs --newcomers (the query there is so far): customs db query --newcomers [--project P] [--open] [--json]');
    return 2;
  }
  const where = target(args.db, args.dataDir, io);
  if (where === undefined) return 2;
  const db = await open(where, false, io);
  if (db === undefined) return 2;
  try {
    let out = '';
    let count = 0;
    for await (const bug of db.newcomers({ projects: args.projects ?? [], openOnly: args.open ?? false })) {
      count++;
      if (args.json) {
        out += `${JSON.stringify({ title: bug.title, project: bug.project, link: bug.link, tracker: bug.tracker, status: bug.status, looks_closed: bug.looks_closed, concerns_just_documentation: bug.concerns_just_documentation, last_touched: bug.last_touched })}\n`;
      } else {
        const flags = [bug.looks_closed ? 'closed' : '', bug.concerns_just_documentation ? 'docs' : ''].filter(Boolean);
        out += `${bug.project || '(no project)'}: ${oneLine(bug.title)}${flags.length > 0 ? ` [${flags.join(', ')}]` : ''}\n  ${bug.link}\n`;
      }
      if (out.length > 64 * 1024) {
        io.stdout(out);
        out = '';
      }
    }
    io.stdout(out);
    const scope = [args.open ? 'open' : '', args.projects && args.projects.length > 0 ? `in ${args.projects.join(', ')}` : ''].filter(Boolean).join(' ');
    io.stderr(`customs: ${count} good-for-newcomers bug${count === 1 ? '' : 's'}${scope ? ` (${scope})` : ''} in ${where.label}`);
    return 0;
  } catch (err) {
    io.stderr(`customs: ${scrub(err instanceof Error ? err.message : String(err), where)}`);
    return 2;
  } finally {
    await db.close();
  }
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
