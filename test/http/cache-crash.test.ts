// Crash safety: a child `bun` process writes to the cache in a tight loop and is killed with
// SIGKILL mid-write; the cache must then open without error, every row must be whole, and new
// writes must work.

import { afterAll, beforeAll, expect, test } from 'bun:test';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { CacheStore } from '../../src/http/cache-store.ts';

const STORE_MODULE = resolve(import.meta.dir, '../../src/http/cache-store.ts');

/** Deterministic content of entry `i` of a run, so the parent can check every byte. */
const WRITER = `
import { writeSync } from 'node:fs';
import { CacheStore } from ${JSON.stringify(STORE_MODULE)};

const [dir, prefix] = process.argv.slice(2);
const store = CacheStore.open(dir);
for (let i = 0; ; i++) {
  const size = 1000 + ((i * 7919) % 60000);
  const body = new Uint8Array(size);
  for (let j = 0; j < size; j++) body[j] = (i + j) % 251;
  store.put({
    key: prefix + '-' + i,
    url: 'https://crash.example/' + prefix + '/' + i,
    status: 200,
    headers: { etag: '"' + prefix + '-' + i + '"', 'x-size': String(size) },
    body,
    storedAt: i,
    policy: { v: 1, n: i },
  });
  if (i >= 3 && i % 5 === 0) {
    const k = i - 3;
    const ksize = 1000 + ((k * 7919) % 60000);
    store.touch(prefix + '-' + k, { etag: '"' + prefix + '-' + k + '"', 'x-size': String(ksize), 'x-touched': 'yes' }, k, { v: 1, n: k });
  }
  if (i % 10 === 0) writeSync(1, 'put ' + i + '\\n');
}
`;

let dir: string;
let script: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'customs-cache-crash-'));
  script = join(dir, 'writer.ts');
  writeFileSync(script, WRITER);
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** Run the writer until it has reported `minPuts`, wait `extraMs`, then SIGKILL it. */
async function writeAndKill(cacheDir: string, prefix: string, minPuts: number, extraMs: number): Promise<number> {
  const child = Bun.spawn([process.execPath, script, cacheDir, prefix], { stdout: 'pipe', stderr: 'pipe' });
  const decoder = new TextDecoder();
  let text = '';
  let reported = -1;
  const reader = child.stdout.getReader();
  while (reported < minPuts) {
    const { value, done } = await reader.read();
    if (done) break;
    text += decoder.decode(value, { stream: true });
    const all = [...text.matchAll(/put (\d+)\n/g)];
    const last = all[all.length - 1];
    if (last?.[1] !== undefined) reported = Number(last[1]);
  }
  if (reported < minPuts) throw new Error(`writer stopped early: ${await new Response(child.stderr).text()}`);
  await Bun.sleep(extraMs);
  child.kill('SIGKILL');
  await child.exited;
  reader.releaseLock();
  expect(child.signalCode).toBe('SIGKILL');
  return reported;
}

/** Check entries `prefix-0…` are whole; returns how many there are. */
function checkRun(store: CacheStore, prefix: string): number {
  let i = 0;
  for (; ; i++) {
    const e = store.get(`${prefix}-${i}`);
    if (e === undefined) break;
    const size = 1000 + ((i * 7919) % 60000);
    expect(e.url).toBe(`https://crash.example/${prefix}/${i}`);
    expect(e.status).toBe(200);
    expect(e.headers.etag).toBe(`"${prefix}-${i}"`);
    expect(e.headers['x-size']).toBe(String(size));
    expect(e.storedAt).toBe(i);
    expect(e.policy).toEqual({ v: 1, n: i });
    expect(e.body.byteLength).toBe(size);
    let ok = true;
    for (let j = 0; j < size; j++) if (e.body[j] !== (i + j) % 251) ok = false;
    expect(ok).toBe(true);
  }
  // Writes are sequential: nothing after the first missing entry.
  for (let k = i + 1; k < i + 10; k++) expect(store.get(`${prefix}-${k}`)).toBeUndefined();
  return i;
}

test(
  'a writer killed with SIGKILL at any moment leaves a usable cache with whole rows',
  async () => {
    const cacheDir = join(dir, 'cache');
    const runs: [string, number][] = [];
    for (const [n, extraMs] of [0, 3, 17].entries()) {
      const prefix = `r${n}`;
      const reported = await writeAndKill(cacheDir, prefix, 100 + n * 50, extraMs);
      runs.push([prefix, reported]);
    }

    // A last writer killed while this process holds the cache open and reads it.
    const watcher = CacheStore.open(cacheDir);
    const reading = (async () => {
      for (let k = 0; k < 20; k++) {
        watcher.stats();
        await Bun.sleep(2);
      }
    })();
    runs.push(['r3', await writeAndKill(cacheDir, 'r3', 150, 5)]);
    await reading;
    watcher.close();

    const store = CacheStore.open(cacheDir);
    expect(store.warnings).toEqual([]);
    let total = 0;
    for (const [prefix, reported] of runs) {
      const count = checkRun(store, prefix);
      expect(count).toBeGreaterThan(reported);
      total += count;
    }
    const stats = store.stats();
    expect(stats.entries).toBe(total);
    expect(stats.hosts).toEqual([{ host: 'crash.example', entries: total, bytes: stats.bytes }]);

    store.put({
      key: 'after',
      url: 'https://crash.example/after',
      status: 200,
      headers: { etag: '"after"' },
      body: new TextEncoder().encode('fine'),
      storedAt: 1,
      policy: { v: 1 },
    });
    expect(new TextDecoder().decode(store.get('after')?.body)).toBe('fine');
    expect(store.stats().entries).toBe(total + 1);
    expect(store.prune(0, 1_000_000)).toBe(total + 1);
    store.close();
  },
  60_000,
);
