// `customs cache stats | prune | clear` on a real cache in a temp dir, and duration parsing.

import { afterEach, beforeEach, describe, expect, test } from 'bun:test';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cacheCommand, formatBytes, parseDuration } from '../../src/cli/cache.ts';
import { CacheStore } from '../../src/http/cache-store.ts';

const NOW = Date.parse('2025-06-01T00:00:00Z');
const DAY = 86_400_000;

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'customs-cache-cli-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function fill(cacheDir: string): void {
  const store = CacheStore.open(cacheDir);
  const put = (key: string, url: string, size: number, storedAt: number): void =>
    store.put({ key, url, status: 200, headers: {}, body: new Uint8Array(size), storedAt, policy: { v: 1 } });
  put('a1', 'https://api.github.com/a', 2048, NOW - 40 * DAY);
  put('a2', 'https://api.github.com/b', 2048, NOW - 5 * DAY);
  put('a3', 'https://api.github.com/c', 1024, NOW - 1 * DAY);
  put('b1', 'https://bugs.python.org/issue1', 100, NOW - 60 * DAY);
  store.close();
}

async function run(action: 'stats' | 'prune' | 'clear', opts: { cacheDir: string; olderThan?: string }): Promise<{ code: number; lines: string[] }> {
  const lines: string[] = [];
  const code = await cacheCommand(action, { ...opts, now: NOW }, (line) => lines.push(line));
  return { code, lines };
}

describe('parseDuration', () => {
  test('units s, m, h, d, w and sums', () => {
    expect(parseDuration('45s')).toBe(45_000);
    expect(parseDuration('90m')).toBe(90 * 60_000);
    expect(parseDuration('12h')).toBe(12 * 3_600_000);
    expect(parseDuration('30d')).toBe(30 * DAY);
    expect(parseDuration('2w')).toBe(14 * DAY);
    expect(parseDuration(' 1.5d ')).toBe(1.5 * DAY);
    expect(parseDuration('1w3d')).toBe(10 * DAY);
    expect(parseDuration('2h 30m')).toBe(150 * 60_000);
    expect(parseDuration('0d')).toBe(0);
  });

  test('bad text → undefined', () => {
    for (const bad of ['', '30', 'd', '30x', '-3d', 'thirty days', '3 days', '1.d', 'NaNd']) expect(parseDuration(bad)).toBeUndefined();
  });
});

test('formatBytes', () => {
  expect(formatBytes(0)).toBe('0 B');
  expect(formatBytes(1023)).toBe('1023 B');
  expect(formatBytes(1536)).toBe('1.5 KiB');
  expect(formatBytes(50 * 1024 * 1024)).toBe('50 MiB');
});

describe('cacheCommand', () => {
  test('stats prints path, entries, size, dates and top hosts', async () => {
    fill(dir);
    const { code, lines } = await run('stats', { cacheDir: dir });
    expect(code).toBe(0);
    expect(lines[0]).toBe(`cache: ${join(dir, 'cache.sqlite')}`);
    expect(lines).toContain('entries: 4');
    expect(lines.find((l) => l.startsWith('size: '))).toContain('5.1 KiB of bodies');
    expect(lines).toContain('oldest: 2025-04-02T00:00:00Z');
    expect(lines).toContain('newest: 2025-05-31T00:00:00Z');
    expect(lines).toContain('hosts:');
    const github = lines.findIndex((l) => l.includes('api.github.com'));
    const python = lines.findIndex((l) => l.includes('bugs.python.org'));
    expect(github).toBeGreaterThan(0);
    expect(python).toBeGreaterThan(github);
    expect(lines[github]).toContain('3 entries');
    expect(lines[github]).toContain('5.0 KiB');
    expect(lines[python]).toContain('1 entry ');
  });

  test('a missing cache is reported, not created', async () => {
    const missing = join(dir, 'nope');
    for (const action of ['stats', 'clear'] as const) {
      const { code, lines } = await run(action, { cacheDir: missing });
      expect(code).toBe(0);
      expect(lines).toEqual([`no cache at ${join(missing, 'cache.sqlite')}`]);
    }
    expect((await run('prune', { cacheDir: missing, olderThan: '1d' })).code).toBe(0);
    expect(existsSync(missing)).toBe(false);
  });

  test('prune --older-than removes only older entries', async () => {
    fill(dir);
    const { code, lines } = await run('prune', { cacheDir: dir, olderThan: '30d' });
    expect(code).toBe(0);
    expect(lines).toEqual(['pruned 2 entries fetched before 2025-05-02T00:00:00Z (older than 30d)']);
    const store = CacheStore.open(dir);
    expect(store.stats().entries).toBe(2);
    expect(store.get('a2')).toBeDefined();
    expect(store.get('a1')).toBeUndefined();
    store.close();
  });

  test('prune with a bad or missing duration is a usage error', async () => {
    fill(dir);
    const bad = await run('prune', { cacheDir: dir, olderThan: 'soon' });
    expect(bad.code).toBe(2);
    expect(bad.lines[0]).toContain('"soon"');
    const missing = await run('prune', { cacheDir: dir });
    expect(missing.code).toBe(2);
    expect(missing.lines[0]).toContain('--older-than');
    const store = CacheStore.open(dir);
    expect(store.stats().entries).toBe(4);
    store.close();
  });

  test('clear removes everything and says how many', async () => {
    fill(dir);
    const { code, lines } = await run('clear', { cacheDir: dir });
    expect(code).toBe(0);
    expect(lines).toEqual([`cleared 4 entries from ${join(dir, 'cache.sqlite')}`]);
    const after = await run('stats', { cacheDir: dir });
    expect(after.lines).toContain('entries: 0');
    expect(after.lines.some((l) => l.startsWith('oldest'))).toBe(false);
  });
});
