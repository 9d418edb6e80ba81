// Cache decisions for every mode, storability, and the policy after a 304 (no store involved).

import { describe, expect, test } from 'bun:test';
import { decide, policyFor, revalidated, shouldStore } from '../../src/http/cache-policy.ts';
import type { CachedResponse } from '../../src/http/cache-store.ts';

const URL = 'https://api.github.com/repos/o/r/issues?state=all';
const T0 = Date.parse('2025-01-01T00:00:00Z');
const REQ = { accept: 'application/vnd.github+json' };

function entry(responseHeaders: Record<string, string>, at = T0, status = 200): CachedResponse {
  const headers = { date: new Date(at).toUTCString(), ...responseHeaders };
  return {
    key: 'k',
    url: URL,
    status,
    headers,
    body: new TextEncoder().encode('[]'),
    storedAt: at,
    policy: policyFor(URL, REQ, status, headers, at),
  };
}

describe('decide, normal mode', () => {
  test('nothing stored → fetch', () => {
    expect(decide('normal', undefined, REQ, T0)).toEqual({ action: 'fetch' });
  });

  test('fresh max-age → use', () => {
    const e = entry({ 'cache-control': 'private, max-age=60', etag: '"abc"' });
    expect(decide('normal', e, REQ, T0 + 30_000)).toEqual({ action: 'use' });
  });

  test('stale with ETag → revalidate with If-None-Match', () => {
    const e = entry({ 'cache-control': 'private, max-age=60', etag: 'W/"abc"' });
    expect(decide('normal', e, REQ, T0 + 61_000)).toEqual({ action: 'revalidate', headers: { 'if-none-match': 'W/"abc"' } });
  });

  test('long stale (days) still revalidates: validators are kept whatever the age', () => {
    const e = entry({ 'cache-control': 'max-age=60', etag: '"abc"' });
    expect(decide('normal', e, REQ, T0 + 400 * 86_400_000)).toEqual({ action: 'revalidate', headers: { 'if-none-match': '"abc"' } });
  });

  test('only Last-Modified → If-Modified-Since (no heuristic freshness)', () => {
    const lm = 'Wed, 01 Jan 2020 00:00:00 GMT';
    const e = entry({ 'last-modified': lm });
    expect(decide('normal', e, REQ, T0 + 1000)).toEqual({ action: 'revalidate', headers: { 'if-modified-since': lm } });
  });

  test('both validators → both headers', () => {
    const lm = 'Wed, 01 Jan 2020 00:00:00 GMT';
    const e = entry({ etag: '"v1"', 'last-modified': lm, 'cache-control': 'no-cache' });
    expect(decide('normal', e, REQ, T0)).toEqual({ action: 'revalidate', headers: { 'if-none-match': '"v1"', 'if-modified-since': lm } });
  });

  test('no validators and stale → fetch', () => {
    const e = entry({ 'cache-control': 'max-age=10' });
    expect(decide('normal', e, REQ, T0 + 11_000)).toEqual({ action: 'fetch' });
    expect(decide('normal', entry({}), REQ, T0)).toEqual({ action: 'fetch' });
  });

  test('Vary on Authorization/Accept-Encoding does not spoil reuse (identity is in the key)', () => {
    const e = entry({ 'cache-control': 'private, max-age=60', etag: '"abc"', vary: 'Accept, Authorization, Cookie, Accept-Encoding' });
    const withToken = { ...REQ, authorization: 'Bearer ghp_x', 'accept-encoding': 'br' };
    expect(decide('normal', e, withToken, T0 + 1000)).toEqual({ action: 'use' });
    expect(decide('normal', e, { accept: 'text/html' }, T0 + 1000)).toEqual({ action: 'fetch' });
  });

  test('an unreadable stored policy falls back on the stored validators', () => {
    const e = { ...entry({ etag: '"abc"', 'cache-control': 'max-age=600' }), policy: { nonsense: true } };
    expect(decide('normal', e, REQ, T0)).toEqual({ action: 'revalidate', headers: { 'if-none-match': '"abc"' } });
  });
});

describe('decide, other modes', () => {
  const fresh = entry({ 'cache-control': 'max-age=3600', etag: '"abc"' });
  const staleNoValidators = entry({ 'cache-control': 'max-age=1' });

  test('refresh → revalidate even a fresh entry', () => {
    expect(decide('refresh', fresh, REQ, T0 + 1000)).toEqual({ action: 'revalidate', headers: { 'if-none-match': '"abc"' } });
    expect(decide('refresh', staleNoValidators, REQ, T0 + 1000)).toEqual({ action: 'fetch' });
    expect(decide('refresh', undefined, REQ, T0)).toEqual({ action: 'fetch' });
  });

  test('offline → use whatever the age; nothing stored → miss-offline', () => {
    expect(decide('offline', staleNoValidators, REQ, T0 + 365 * 86_400_000)).toEqual({ action: 'use' });
    expect(decide('offline', fresh, REQ, T0)).toEqual({ action: 'use' });
    expect(decide('offline', undefined, REQ, T0)).toEqual({ action: 'miss-offline' });
  });

  test('off → always fetch', () => {
    expect(decide('off', fresh, REQ, T0 + 1000)).toEqual({ action: 'fetch' });
    expect(decide('off', undefined, REQ, T0)).toEqual({ action: 'fetch' });
  });
});

describe('shouldStore', () => {
  test('2xx stored, private included', () => {
    expect(shouldStore(200, REQ, {})).toBe(true);
    expect(shouldStore(200, REQ, { 'cache-control': 'private, max-age=60, s-maxage=60' })).toBe(true);
    expect(shouldStore(203, REQ, { 'Cache-Control': 'private' })).toBe(true);
    expect(shouldStore(204, REQ, {})).toBe(true);
  });

  test('404 and 410 are stored: they say a known bug is gone, and --offline must replay that', () => {
    expect(shouldStore(404, REQ, {})).toBe(true);
    expect(shouldStore(410, REQ, {})).toBe(true);
    expect(shouldStore(404, REQ, { 'cache-control': 'no-store' })).toBe(false);
  });

  test('no-store (response or request), non-2xx and partial content are not stored', () => {
    expect(shouldStore(200, REQ, { 'cache-control': 'no-store' })).toBe(false);
    expect(shouldStore(200, REQ, { 'Cache-Control': 'private, No-Store' })).toBe(false);
    expect(shouldStore(200, { 'Cache-Control': 'no-store' }, {})).toBe(false);
    expect(shouldStore(304, REQ, {})).toBe(false);
    expect(shouldStore(401, REQ, {})).toBe(false);
    expect(shouldStore(403, REQ, {})).toBe(false);
    expect(shouldStore(500, REQ, {})).toBe(false);
    expect(shouldStore(206, REQ, {})).toBe(false);
  });
});

describe('policyFor', () => {
  test('keeps no secret and redacts the URL', () => {
    const policy = policyFor(
      'https://h/x?access_token=ghp_SECRETVALUE',
      { authorization: 'Bearer ghp_SECRETVALUE', accept: 'a' },
      200,
      { vary: 'Authorization, Cookie', 'set-cookie': 'sid=COOKIESECRET', etag: '"e"' },
      T0,
    );
    const text = JSON.stringify(policy);
    expect(text).not.toContain('SECRETVALUE');
    expect(text).not.toContain('COOKIESECRET');
    expect(policy.resh.etag).toBe('"e"');
    expect(policy.u).toBe('https://h/x?access_token=REDACTED');
  });
});

describe('revalidated', () => {
  test('merges the 304 headers, keeps body headers, and freshness restarts at now', () => {
    const e = entry({ 'cache-control': 'max-age=60', etag: '"abc"', 'content-length': '2', 'x-ratelimit-remaining': '10' });
    const later = T0 + 3_600_000;
    expect(decide('normal', e, REQ, later).action).toBe('revalidate');
    const r = revalidated(
      e,
      { ...REQ, 'if-none-match': '"abc"' },
      { etag: '"abc"', 'cache-control': 'max-age=60', 'content-length': '0', 'x-ratelimit-remaining': '9', 'set-cookie': 'sid=S' },
      later,
    );
    expect(r.headers.etag).toBe('"abc"');
    expect(r.headers['content-length']).toBe('2');
    expect(r.headers['x-ratelimit-remaining']).toBe('9');
    expect(r.headers['set-cookie']).toBeUndefined();
    const updated: CachedResponse = { ...e, headers: r.headers, policy: r.policy, storedAt: later };
    expect(decide('normal', updated, REQ, later + 30_000)).toEqual({ action: 'use' });
    expect(decide('normal', updated, REQ, later + 61_000)).toEqual({ action: 'revalidate', headers: { 'if-none-match': '"abc"' } });
  });

  test('a 304 with a different validator still yields a usable policy', () => {
    const e = entry({ 'cache-control': 'max-age=60', etag: '"abc"' });
    const r = revalidated(e, REQ, { etag: '"xyz"', 'cache-control': 'max-age=60' }, T0 + 120_000);
    expect(r.headers.etag).toBe('"xyz"');
    const updated: CachedResponse = { ...e, headers: r.headers, policy: r.policy, storedAt: T0 + 120_000 };
    expect(decide('normal', updated, REQ, T0 + 130_000)).toEqual({ action: 'use' });
  });
});
