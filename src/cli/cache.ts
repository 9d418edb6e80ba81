// `customs cache stats | prune --older-than DURATION | clear`: inspect and trim the HTTP cache.
// Writes lines through `out` and returns the exit code (0 done, 2 usage error); it never
// creates a cache that does not exist.

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { CACHE_FILE_NAME, CacheStore } from '../http/cache-store.ts';

export type CacheAction = 'stats' | 'prune' | 'clear';

export interface CacheCommandOptions {
  readonly cacheDir: string;
  /** For `prune`: a duration such as `30d`, `12h`, `90m`, `2w`, `45s` (or a sum: `1w3d`). */
  readonly olderThan?: string;
  /** Clock, ms epoch (tests). */
  readonly now?: number;
}

const TOP_HOSTS = 10;

const UNIT_MS: Readonly<Record<string, number>> = {
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

/**
 * A duration in ms from text like `30d`, `12h`, `90m`, `2w`, `45s`, `1.5d` or a sum of such
 * parts (`1w3d`, `2h 30m`). Units: s, m (minutes), h, d, w. Anything else → undefined.
 */
export function parseDuration(text: string): number | undefined {
  const compact = text.trim().toLowerCase().replace(/\s+/g, '');
  if (!/^(\d+(\.\d+)?[smhdw])+$/.test(compact)) return undefined;
  let total = 0;
  for (const match of compact.matchAll(/(\d+(?:\.\d+)?)([smhdw])/g)) {
    const unit = UNIT_MS[match[2] ?? ''];
    if (unit === undefined) return undefined;
    total += Number(match[1]) * unit;
  }
  return Number.isFinite(total) ? Math.round(total) : undefined;
}

/** 1536 → "1.5 KiB". */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${value} B` : `${value < 10 ? value.toFixed(1) : Math.round(value)} ${units[unit]}`;
}

function formatDate(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function entries(n: number): string {
  return n === 1 ? '1 entry' : `${n} entries`;
}

function stats(store: CacheStore, out: (line: string) => void): void {
  const s = store.stats();
  out(`cache: ${s.path}`);
  out(`entries: ${s.entries}`);
  out(`size: ${formatBytes(s.bytes)} of bodies, ${formatBytes(s.fileBytes)} on disk`);
  if (s.oldest !== undefined) out(`oldest: ${formatDate(s.oldest)}`);
  if (s.newest !== undefined) out(`newest: ${formatDate(s.newest)}`);
  if (s.hosts.length === 0) return;
  out(s.hosts.length > TOP_HOSTS ? `top ${TOP_HOSTS} of ${s.hosts.length} hosts:` : 'hosts:');
  const shown = s.hosts.slice(0, TOP_HOSTS);
  const width = Math.max(...shown.map((h) => (h.host || '(no host)').length));
  for (const h of shown) {
    out(`  ${(h.host || '(no host)').padEnd(width)}  ${entries(h.entries)}  ${formatBytes(h.bytes)}`);
  }
}

export async function cacheCommand(
  action: CacheAction,
  opts: CacheCommandOptions,
  out: (line: string) => void,
): Promise<number> {
  const now = opts.now ?? Date.now();
  let olderThanMs: number | undefined;
  if (action === 'prune') {
    if (opts.olderThan === undefined) {
      out('cache prune needs --older-than DURATION (e.g. 30d, 12h, 90m, 2w, 45s)');
      return 2;
    }
    olderThanMs = parseDuration(opts.olderThan);
    if (olderThanMs === undefined) {
      out(`cannot read the duration "${opts.olderThan}": write a number and a unit, e.g. 30d, 12h, 90m, 2w, 45s`);
      return 2;
    }
  }
  const file = join(opts.cacheDir, CACHE_FILE_NAME);
  if (!existsSync(file)) {
    out(`no cache at ${file}`);
    return 0;
  }
  const store = CacheStore.open(opts.cacheDir, { now });
  try {
    for (const warning of store.warnings) out(`warning: ${warning}`);
    if (action === 'stats') {
      stats(store, out);
    } else if (action === 'prune' && olderThanMs !== undefined) {
      const removed = store.prune(olderThanMs, now);
      out(`pruned ${entries(removed)} fetched before ${formatDate(now - olderThanMs)} (older than ${opts.olderThan})`);
    } else {
      const removed = store.clear();
      out(`cleared ${entries(removed)} from ${store.path}`);
    }
  } finally {
    store.close();
  }
  return 0;
}
