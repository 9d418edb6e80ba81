// The JSON Lines sink: one record a line, unique by canonical_bug_link, streamed to a temp file
// and renamed over the output only when the run completes. Memory holds links, never records.

import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import type { BugRecord } from '../core/types.ts';
import { removeStaleTemps, tempPathFor } from './atomic.ts';

const FLUSH_BYTES = 64 * 1024;

export interface RecordSink {
  /** Writes the record unless one with the same canonical_bug_link was written; true if written. */
  write(record: BugRecord): boolean;
  /** Makes the output final (rename into place). */
  commit(): void;
  /** Throws the partial output away; the previous output file stays as it was. */
  abort(): void;
  readonly written: number;
}

export class JsonlFileSink implements RecordSink {
  private readonly links = new Set<string>();
  private readonly temp: string;
  private fd: number | undefined;
  private buffer = '';
  written = 0;

  constructor(private readonly target: string) {
    mkdirSync(dirname(target), { recursive: true });
    removeStaleTemps(target);
    this.temp = tempPathFor(target);
    this.fd = openSync(this.temp, 'w', 0o644);
  }

  write(record: BugRecord): boolean {
    if (this.links.has(record.canonical_bug_link)) return false;
    this.links.add(record.canonical_bug_link);
    this.buffer += `${JSON.stringify(record)}\n`;
    this.written++;
    if (this.buffer.length >= FLUSH_BYTES) this.flush();
    return true;
  }

  private flush(): void {
    if (this.fd === undefined || this.buffer === '') return;
    writeSync(this.fd, this.buffer);
    this.buffer = '';
  }

  commit(): void {
    if (this.fd === undefined) return;
    this.flush();
    fsyncSync(this.fd);
    closeSync(this.fd);
    this.fd = undefined;
    renameSync(this.temp, this.target);
  }

  abort(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
    this.buffer = '';
    rmSync(this.temp, { force: true });
  }
}

/** `-o -`: records go to stdout as they come (nothing to make atomic). */
export class JsonlStdoutSink implements RecordSink {
  private readonly links = new Set<string>();
  written = 0;

  constructor(private readonly out: (text: string) => void) {}

  write(record: BugRecord): boolean {
    if (this.links.has(record.canonical_bug_link)) return false;
    this.links.add(record.canonical_bug_link);
    this.out(`${JSON.stringify(record)}\n`);
    this.written++;
    return true;
  }

  commit(): void {}
  abort(): void {}
}
