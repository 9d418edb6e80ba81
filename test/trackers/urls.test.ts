// The URL helpers every adapter shares: query strings edited as text, base URLs, paths under them.

import { describe, expect, test } from 'bun:test';
import { baseUrlOf, encodeParam, joinUrl, paramValue, paramValues, pathBelow, splitUrl, withParam } from '../../trackers/urls.ts';

describe('query strings', () => {
  test('split and joined again, the parameters stay as written; a fragment and empty parts go', () => {
    const url = splitUrl('https://bugs.example.org/issue?@columns=id,title&&q=label:"good+first"#top');
    expect(url).toEqual({ base: 'https://bugs.example.org/issue', params: ['@columns=id,title', 'q=label:"good+first"'] });
    expect(joinUrl(url)).toBe('https://bugs.example.org/issue?@columns=id,title&q=label:"good+first"');
    expect(joinUrl(splitUrl('https://example.org/a#b'))).toBe('https://example.org/a');
  });

  test('values are read decoded; a bare name has the value ""', () => {
    const { params } = splitUrl('https://x.example/?%40filter=status&status=Won%27t+Fix&status=New&flag');
    expect(paramValue(params, '@filter')).toBe('status');
    expect(paramValues(params, 'status')).toEqual(["Won't Fix", 'New']);
    expect(paramValue(params, 'flag')).toBe('');
    expect(paramValue(params, 'missing')).toBeUndefined();
  });

  test('added values keep `:` readable, and whatever else the caller names', () => {
    expect(encodeParam('since', '2024-01-02T03:04:05Z')).toBe('since=2024-01-02T03:04:05Z');
    expect(encodeParam('include_fields', 'id,summary')).toBe('include_fields=id%2Csummary');
    expect(encodeParam('include_fields', 'id,summary', ',:')).toBe('include_fields=id,summary');
    expect(encodeParam('q', 'a b&c')).toBe('q=a%20b%26c');
  });

  test('withParam adds a missing parameter, keeps a present one, or replaces it in place', () => {
    const url = splitUrl('https://x.example/issues?state=closed&labels=bug');
    expect(joinUrl(withParam(url, 'per_page', '100'))).toBe('https://x.example/issues?state=closed&labels=bug&per_page=100');
    expect(withParam(url, 'state', 'open')).toBe(url);
    expect(joinUrl(withParam(url, 'state', 'all', true))).toBe('https://x.example/issues?state=all&labels=bug');
  });
});

describe('base URLs', () => {
  test('baseUrlOf ends the path with / and drops query and fragment', () => {
    expect(baseUrlOf('https://redmine.example.org/sub?key=1#x')?.href).toBe('https://redmine.example.org/sub/');
    expect(baseUrlOf('ftp://example.org/')).toBeUndefined();
    expect(baseUrlOf(undefined)).toBeUndefined();
  });

  test('pathBelow gives the path under the base, or undefined elsewhere', () => {
    const base = new URL('https://pagure.io/sub/');
    expect(pathBelow(new URL('https://pagure.io/sub/api/0/x/issues'), base)).toBe('api/0/x/issues');
    expect(pathBelow(new URL('https://pagure.io/other/x'), base)).toBeUndefined();
    expect(pathBelow(new URL('http://pagure.io/sub/x'), base)).toBeUndefined();
  });
});
