// Request fingerprints, identity hashes and secret scrubbing of headers and URLs.

import { describe, expect, test } from 'bun:test';
import {
  identityHash,
  isSecretHeader,
  normaliseUrl,
  redactUrl,
  requestFingerprint,
  storableHeaders,
  stripSecretHeaders,
} from '../../src/http/fingerprint.ts';

const URL_A = 'https://api.github.com/repos/o/r/issues?state=open&per_page=100';

describe('requestFingerprint', () => {
  test('is a sha-256 hex digest and stable', () => {
    const a = requestFingerprint(URL_A, { Accept: 'application/json' });
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(requestFingerprint(URL_A, { Accept: 'application/json' })).toBe(a);
  });

  test('ignores header-name case and order', () => {
    const a = requestFingerprint(URL_A, { Accept: 'application/vnd.github+json', 'X-GitHub-Api-Version': '2022-11-28' });
    const b = requestFingerprint(URL_A, { 'x-github-api-version': '2022-11-28', ACCEPT: 'application/vnd.github+json' });
    expect(b).toBe(a);
  });

  test('headers that change the answer change the key', () => {
    const a = requestFingerprint(URL_A, { Accept: 'application/json' });
    expect(requestFingerprint(URL_A, { Accept: 'text/html' })).not.toBe(a);
    expect(requestFingerprint(URL_A, { Accept: 'application/json', 'Accept-Language': 'fr' })).not.toBe(a);
  });

  test('secrets, transport and conditional headers do not change the key', () => {
    const a = requestFingerprint(URL_A, { Accept: 'application/json' });
    const b = requestFingerprint(URL_A, {
      Accept: 'application/json',
      Authorization: 'Bearer ghp_SECRETVALUE',
      'User-Agent': 'customs/9.9',
      'Accept-Encoding': 'gzip, br',
      'If-None-Match': '"abc"',
    });
    expect(b).toBe(a);
  });

  test('identity hashing changes the fingerprint', () => {
    const anon = requestFingerprint(URL_A, {});
    const alice = requestFingerprint(URL_A, {}, identityHash('ghp_alice'));
    const bob = requestFingerprint(URL_A, {}, identityHash('ghp_bob'));
    expect(alice).not.toBe(anon);
    expect(bob).not.toBe(alice);
    expect(requestFingerprint(URL_A, {}, identityHash(undefined))).toBe(anon);
  });

  test('URL normalisation: scheme/host case, default port, fragment; query order kept', () => {
    const a = requestFingerprint('https://bugs.example.org/show_bug.cgi?id=1&ctype=xml', {});
    expect(requestFingerprint('HTTPS://Bugs.Example.ORG:443/show_bug.cgi?id=1&ctype=xml#c3', {})).toBe(a);
    expect(requestFingerprint('https://bugs.example.org/show_bug.cgi?ctype=xml&id=1', {})).not.toBe(a);
    expect(requestFingerprint('https://bugs.example.org/Show_bug.cgi?id=1&ctype=xml', {})).not.toBe(a);
    expect(normaliseUrl('HTTP://Example.com:80/a/./b/../c?x=1#frag')).toBe('http://example.com/a/c?x=1');
    expect(normaliseUrl('not a url')).toBe('not a url');
  });
});

describe('identityHash', () => {
  test('short, one-way, anonymous without a secret', () => {
    const h = identityHash('ghp_SECRETVALUE');
    expect(h).toMatch(/^[0-9a-f]{16}$/);
    expect(h).not.toContain('SECRET');
    expect(identityHash('ghp_SECRETVALUE')).toBe(h);
    expect(identityHash('other')).not.toBe(h);
    expect(identityHash(undefined)).toBe('anonymous');
    expect(identityHash('')).toBe('anonymous');
  });
});

describe('secret headers', () => {
  test('isSecretHeader knows the usual names and patterns', () => {
    for (const name of [
      'Authorization',
      'proxy-authorization',
      'Cookie',
      'Set-Cookie',
      'PRIVATE-TOKEN',
      'X-Api-Key',
      'x-auth-token',
      'X-Redmine-API-Key',
      'X-Tracker-Token',
      'x-session-id',
    ]) {
      expect(isSecretHeader(name)).toBe(true);
    }
    for (const name of ['Accept', 'ETag', 'Last-Modified', 'Link', 'X-GitHub-Api-Version', 'x-ratelimit-remaining', 'WWW-Authenticate', 'Vary']) {
      expect(isSecretHeader(name)).toBe(false);
    }
  });

  test('stripSecretHeaders keeps the rest as given', () => {
    expect(stripSecretHeaders({ Accept: 'a', Authorization: 'Bearer x', 'Set-Cookie': 's=1', ETag: '"e"' })).toEqual({ Accept: 'a', ETag: '"e"' });
  });

  test('storableHeaders lower-cases, strips and redacts URLs in Link/Location', () => {
    expect(
      storableHeaders({
        ETag: '"e"',
        Cookie: 'sid=1',
        Link: '<https://api.example.com/x?page=2&access_token=ghp_SECRETVALUE>; rel="next"',
        Location: 'https://h/p?private_token=glpat-SECRET&a=1',
      }),
    ).toEqual({
      etag: '"e"',
      link: '<https://api.example.com/x?page=2&access_token=REDACTED>; rel="next"',
      location: 'https://h/p?private_token=REDACTED&a=1',
    });
  });
});

test('storableHeaders joins a repeated header given as a list and drops non-text values', () => {
  const raw: Record<string, unknown> = { Warning: ['199 a', '199 b'], 'Set-Cookie': ['a=1', 'b=2'], Odd: 3 };
  expect(storableHeaders(raw)).toEqual({ warning: '199 a, 199 b' });
});

describe('redactUrl', () => {
  test('replaces secret parameter values, keeps the rest byte for byte', () => {
    expect(redactUrl('https://h/x?a=1&access_token=abc&b=%20z&TOKEN=t&api_key=k&key=v&private_token=p#frag')).toBe(
      'https://h/x?a=1&access_token=REDACTED&b=%20z&TOKEN=REDACTED&api_key=REDACTED&key=REDACTED&private_token=REDACTED',
    );
    expect(redactUrl('https://bugzilla.example/rest/bug?Bugzilla_api_key=s3cret&id=1')).toBe(
      'https://bugzilla.example/rest/bug?Bugzilla_api_key=REDACTED&id=1',
    );
  });

  test('leaves a URL without secrets alone', () => {
    expect(redactUrl('https://h/x?keyword=a&monkey=b&tokens=c')).toBe('https://h/x?keyword=a&monkey=b&tokens=c');
    expect(redactUrl('https://h/x')).toBe('https://h/x');
  });
});
