// The SQLite cache store on real files in a temp dir: round trips, secret scrubbing down to the
// raw bytes on disk, 304 touch, prune/clear/stats, and recovery from a corrupt file.

import { Database } from 'bun:sqlite';
import { afterEach, beforeEach, describe, expect, test } from 'bun:test';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decide, policyFor, revalidated, shouldStore } from '../../src/http/cache-policy.ts';
import { CACHE_FILE_NAME, type CachedResponse, CacheStore } from '../../src/http/cache-store.ts';
import { identityHash, requestFingerprint } from '../../src/http/fingerprint.ts';

const T0 = Date.parse('2025-03-01T12:00:00Z');
const DAY = 86_400_000;

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'customs-cache-store-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function sample(url: string, body: string, storedAt = T0, headers: Record<string, string> = { etag: '"v1"' }): CachedResponse {
  return {
    key: requestFingerprint(url, { accept: 'application/json' }),
    url,
    status: 200,
    headers,
    body: new TextEncoder().encode(body),
    storedAt,
    policy: policyFor(url, { accept: 'application/json' }, 200, headers, storedAt),
  };
}

/** Every byte the cache has on disk: the database, its write-ahead log and shared memory. */
function rawBytes(path: string): string {
  return ['', '-wal', '-shm']
    .map((suffix) => `${path}${suffix}`)
    .filter((p) => existsSync(p))
    .map((p) => Buffer.from(readFileSync(p)).toString('latin1'))
    .join('\n');
}

describe('CacheStore', () => {
  test('open creates the directory (with parents) and a WAL database', () => {
    const nested = join(dir, 'a', 'b', 'cache');
    const store = CacheStore.open(nested);
    expect(store.path).toBe(join(nested, CACHE_FILE_NAME));
    expect(existsSync(store.path)).toBe(true);
    expect(store.warnings).toEqual([]);
    store.put(sample('https://h/x', 'x'));
    expect(existsSync(`${store.path}-wal`)).toBe(true);
    store.close();
    store.close();
  });

  test('put/get round trip, binary body included', () => {
    const store = CacheStore.open(dir);
    const bytes = new Uint8Array(200_000).map((_, i) => (i * 7) % 256);
    const e: CachedResponse = { ...sample('https://Example.org/bugs?id=1', ''), body: bytes, status: 203 };
    store.put({ ...e, headers: { ETag: '"v1"', 'Content-Type': 'text/xml; charset=utf-8' } });
    const got = store.get(e.key);
    expect(got).toBeDefined();
    expect(got?.url).toBe('https://Example.org/bugs?id=1');
    expect(got?.status).toBe(203);
    expect(got?.headers).toEqual({ etag: '"v1"', 'content-type': 'text/xml; charset=utf-8' });
    expect(got?.storedAt).toBe(T0);
    expect(got?.policy).toEqual(e.policy);
    expect(Buffer.from(got?.body ?? new Uint8Array()).equals(Buffer.from(bytes))).toBe(true);
    expect(store.get('missing')).toBeUndefined();
    store.close();
    const again = CacheStore.open(dir);
    expect(again.get(e.key)?.body.byteLength).toBe(200_000);
    again.close();
  });

  test('put replaces an entry with the same key', () => {
    const store = CacheStore.open(dir);
    store.put(sample('https://h/x', 'old'));
    store.put(sample('https://h/x', 'new', T0 + 1000));
    expect(store.stats().entries).toBe(1);
    expect(new TextDecoder().decode(store.get(sample('https://h/x', '').key)?.body)).toBe('new');
    store.close();
  });

  test('secrets never reach the sqlite file (database and WAL bytes)', () => {
    const store = CacheStore.open(dir);
    const url = 'https://api.github.com/repos/o/r/issues?access_token=ghp_URLSECRET&state=open';
    const requestHeaders = { Authorization: 'Bearer ghp_SECRETVALUE', Cookie: 'session=COOKIESECRET', 'PRIVATE-TOKEN': 'glpat-PRIVSECRET' };
    const responseHeaders = {
      ETag: '"abc"',
      Vary: 'Accept, Authorization, Cookie',
      'Set-Cookie': 'logged_in=SETCOOKIESECRET; Path=/',
      Authorization: 'Bearer ghp_SECRETVALUE',
      'X-Api-Key': 'APIKEYSECRET',
      Link: '<https://api.github.com/x?page=2&access_token=ghp_LINKSECRET>; rel="next"',
    };
    const key = requestFingerprint(url, requestHeaders, identityHash('ghp_SECRETVALUE'));
    // A policy built by hand with the secrets in it: the store must scrub it too.
    const dirtyPolicy = {
      ...policyFor(url, {}, 200, {}, T0),
      u: url,
      resh: { 'set-cookie': ['sid=SETCOOKIESECRET', 'b=COOKIESECRET'], etag: '"abc"' },
      reqh: { authorization: 'Bearer ghp_SECRETVALUE', cookie: 'COOKIESECRET' },
    };
    store.put({ key, url, status: 200, headers: responseHeaders, body: new TextEncoder().encode('[]'), storedAt: T0, policy: dirtyPolicy });
    store.put({
      key: `${key}-2`,
      url,
      status: 200,
      headers: responseHeaders,
      body: new TextEncoder().encode('{}'),
      storedAt: T0,
      policy: policyFor(url, requestHeaders, 200, responseHeaders, T0),
    });
    store.touch(key, responseHeaders, T0 + 1, dirtyPolicy);
    const secrets = ['SECRETVALUE', 'COOKIESECRET', 'SETCOOKIESECRET', 'PRIVSECRET', 'APIKEYSECRET', 'URLSECRET', 'LINKSECRET'];
    const check = (): void => {
      const raw = rawBytes(store.path);
      expect(raw.includes('access_token=REDACTED')).toBe(true); // the bytes read do hold the entries
      for (const secret of secrets) expect(raw.includes(secret)).toBe(false);
    };
    check(); // with the WAL still holding the writes
    const got = store.get(key);
    expect(got?.headers.etag).toBe('"abc"');
    expect(got?.headers.link).toContain('access_token=REDACTED');
    expect(got?.url).toBe('https://api.github.com/repos/o/r/issues?access_token=REDACTED&state=open');
    store.close();
    check(); // after the checkpoint into the main file
  });

  test('touch keeps the body and updates headers, time and policy', () => {
    const store = CacheStore.open(dir);
    const e = sample('https://h/x', 'BODY');
    store.put(e);
    const newPolicy = policyFor(e.url, {}, 200, { etag: '"v1"', 'cache-control': 'max-age=5' }, T0 + DAY);
    expect(store.touch(e.key, { ETag: '"v1"', 'Cache-Control': 'max-age=5', Cookie: 'x' }, T0 + DAY, newPolicy)).toBe(true);
    const got = store.get(e.key);
    expect(new TextDecoder().decode(got?.body)).toBe('BODY');
    expect(got?.headers).toEqual({ etag: '"v1"', 'cache-control': 'max-age=5' });
    expect(got?.storedAt).toBe(T0 + DAY);
    expect(got?.policy).toEqual(newPolicy);
    expect(store.touch('missing', {}, T0, newPolicy)).toBe(false);
    store.close();
  });

  test('a stored policy drives decisions after the round trip (fresh → use, stale → 304 → touch)', () => {
    const store = CacheStore.open(dir);
    const url = 'https://api.github.com/repos/o/r/issues/1';
    const req = { accept: 'application/vnd.github+json', authorization: 'Bearer ghp_x' };
    const key = requestFingerprint(url, req, identityHash('ghp_x'));
    const headers = { 'cache-control': 'private, max-age=60, s-maxage=60', etag: 'W/"e1"', vary: 'Accept, Authorization' };
    expect(shouldStore(200, req, headers)).toBe(true);
    store.put({ key, url, status: 200, headers, body: new TextEncoder().encode('{"n":1}'), storedAt: T0, policy: policyFor(url, req, 200, headers, T0) });
    store.close();

    const next = CacheStore.open(dir);
    const stored = next.get(key);
    expect(decide('normal', stored, req, T0 + 10_000)).toEqual({ action: 'use' });
    const later = T0 + DAY;
    expect(decide('normal', stored, req, later)).toEqual({ action: 'revalidate', headers: { 'if-none-match': 'W/"e1"' } });
    if (stored === undefined) throw new Error('entry expected');
    const r = revalidated(stored, req, { etag: 'W/"e1"', 'cache-control': 'private, max-age=60' }, later);
    expect(next.touch(key, r.headers, later, r.policy)).toBe(true);
    const touched = next.get(key);
    expect(new TextDecoder().decode(touched?.body)).toBe('{"n":1}');
    expect(decide('normal', touched, req, later + 10_000)).toEqual({ action: 'use' });
    next.close();
  });

  test('stats, prune and clear', () => {
    const store = CacheStore.open(dir);
    expect(store.stats()).toMatchObject({ entries: 0, bytes: 0, hosts: [], path: store.path });
    expect(store.stats().oldest).toBeUndefined();
    store.put(sample('https://a.example/1', 'x'.repeat(100), T0 - 40 * DAY));
    store.put(sample('https://a.example/2', 'x'.repeat(100), T0 - 10 * DAY));
    store.put(sample('https://B.example:8080/1', 'y'.repeat(50_000), T0));
    const s = store.stats();
    expect(s.entries).toBe(3);
    expect(s.bytes).toBe(50_200);
    expect(s.fileBytes).toBeGreaterThan(50_000);
    expect(s.oldest).toBe(T0 - 40 * DAY);
    expect(s.newest).toBe(T0);
    expect(s.hosts).toEqual([
      { host: 'a.example', entries: 2, bytes: 200 },
      { host: 'b.example:8080', entries: 1, bytes: 50_000 },
    ]);
    expect(store.prune(30 * DAY, T0)).toBe(1);
    expect(store.stats().entries).toBe(2);
    expect(store.get(sample('https://a.example/1', '').key)).toBeUndefined();
    expect(store.prune(30 * DAY, T0)).toBe(0);
    expect(store.clear()).toBe(2);
    expect(store.stats()).toMatchObject({ entries: 0, bytes: 0, hosts: [] });
    store.put(sample('https://a.example/3', 'z'));
    expect(store.stats().entries).toBe(1);
    store.close();
  });

  test('prune gives the space back to the file system', () => {
    const store = CacheStore.open(dir);
    const big = 'q'.repeat(100_000);
    for (let i = 0; i < 30; i++) store.put(sample(`https://h/${i}`, big + i, T0 - DAY));
    store.close();
    const reopened = CacheStore.open(dir);
    const before = reopened.stats().fileBytes;
    expect(reopened.prune(0, T0)).toBe(30);
    const after = reopened.stats().fileBytes;
    expect(after).toBeLessThan(before / 4);
    reopened.close();
  });

  test('two stores on the same file (two connections) both read and write', () => {
    const a = CacheStore.open(dir);
    const b = CacheStore.open(dir);
    a.put(sample('https://h/a', 'A'));
    b.put(sample('https://h/b', 'B'));
    expect(new TextDecoder().decode(b.get(sample('https://h/a', '').key)?.body)).toBe('A');
    expect(new TextDecoder().decode(a.get(sample('https://h/b', '').key)?.body)).toBe('B');
    a.close();
    b.close();
  });

  test('a corrupt file is moved aside and a fresh cache works', () => {
    const path = join(dir, CACHE_FILE_NAME);
    writeFileSync(path, Buffer.from('this is not a database at all, just garbage bytes '.repeat(200)));
    writeFileSync(`${path}-wal`, Buffer.from('stale write-ahead log garbage'));
    const seen: string[] = [];
    const store = CacheStore.open(dir, { now: T0, onWarning: (w) => seen.push(w) });
    expect(store.warnings).toHaveLength(1);
    expect(seen).toEqual([...store.warnings]);
    expect(store.warnings[0]).toContain('moved it to');
    const aside = `${path}.corrupt-2025-03-01T12-00-00-000Z`;
    expect(store.warnings[0]).toContain(aside);
    expect(existsSync(aside)).toBe(true);
    expect(readFileSync(aside, 'latin1')).toStartWith('this is not a database');
    store.put(sample('https://h/x', 'ok'));
    expect(new TextDecoder().decode(store.get(sample('https://h/x', '').key)?.body)).toBe('ok');
    store.close();
    const again = CacheStore.open(dir);
    expect(again.warnings).toEqual([]);
    expect(again.stats().entries).toBe(1);
    again.close();
    // The stale log never meets the new database: SQLite drops it or it is moved aside with the file.
    expect(readdirSync(dir).filter((f) => f.includes('corrupt')).length).toBeGreaterThanOrEqual(1);
  });

  test('a damaged SQLite file (valid header, garbage pages) is moved aside too', () => {
    const store = CacheStore.open(dir);
    for (let i = 0; i < 20; i++) store.put(sample(`https://h/${i}`, 'b'.repeat(5000)));
    store.close();
    const path = join(dir, CACHE_FILE_NAME);
    const bytes = readFileSync(path);
    // Keep the 100-byte header, scribble over the schema page and the rest.
    for (let i = 100; i < bytes.length; i++) bytes[i] = (i * 31) % 251;
    writeFileSync(path, bytes);
    const fresh = CacheStore.open(dir, { now: T0 });
    expect(fresh.warnings).toHaveLength(1);
    fresh.put(sample('https://h/x', 'ok'));
    expect(fresh.stats().entries).toBe(1);
    fresh.close();
  });

  test('a SQLite file of another program is moved aside, not used', () => {
    const path = join(dir, CACHE_FILE_NAME);
    const other = new Database(path, { create: true });
    other.run('CREATE TABLE responses (id INTEGER PRIMARY KEY, note TEXT)');
    other.close();
    const store = CacheStore.open(dir, { now: T0 });
    expect(store.warnings).toHaveLength(1);
    store.put(sample('https://h/x', 'ok'));
    expect(store.stats().entries).toBe(1);
    store.close();
  });
});
