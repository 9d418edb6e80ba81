// RFC 8288 Link headers as GitHub, GitLab and Gitea send them.

import { describe, expect, test } from 'bun:test';
import { parseLinkHeader } from '../../trackers/link-header.ts';

describe('parseLinkHeader', () => {
  test('GitHub pagination', () => {
    const header =
      '<https://api.github.com/repositories/7700001/issues?state=open&per_page=100&page=2>; rel="next", ' +
      '<https://api.github.com/repositories/7700001/issues?state=open&per_page=100&page=4>; rel="last"';
    expect(parseLinkHeader(header)).toEqual({
      next: 'https://api.github.com/repositories/7700001/issues?state=open&per_page=100&page=2',
      last: 'https://api.github.com/repositories/7700001/issues?state=open&per_page=100&page=4',
    });
  });

  test('first and prev on a last page, no next', () => {
    const header =
      '<https://api.github.com/repositories/1/issues?page=1>; rel="first", <https://api.github.com/repositories/1/issues?page=3>; rel="prev"';
    const links = parseLinkHeader(header);
    expect(links.next).toBeUndefined();
    expect(links.first).toBe('https://api.github.com/repositories/1/issues?page=1');
    expect(links.prev).toBe('https://api.github.com/repositories/1/issues?page=3');
  });

  test('missing, empty or junk headers give nothing', () => {
    expect(parseLinkHeader(undefined)).toEqual({});
    expect(parseLinkHeader('')).toEqual({});
    expect(parseLinkHeader('no links here')).toEqual({});
    expect(parseLinkHeader('<https://example.com/unclosed; rel="next"')).toEqual({});
  });

  test('commas inside the URL and inside quoted parameters', () => {
    const header =
      '<https://example.com/issues?labels=a,b&page=2>; title="one, two"; rel="next", <https://example.com/issues?labels=a,b&page=9>; rel=last';
    expect(parseLinkHeader(header)).toEqual({
      next: 'https://example.com/issues?labels=a,b&page=2',
      last: 'https://example.com/issues?labels=a,b&page=9',
    });
  });

  test('a rel list names several relations; names are case-insensitive', () => {
    expect(parseLinkHeader('<https://example.com/p/2>; REL="Next Last"')).toEqual({
      next: 'https://example.com/p/2',
      last: 'https://example.com/p/2',
    });
  });

  test('the first link of a relation wins, and a second rel parameter is ignored', () => {
    const header = '<https://example.com/a>; rel="next"; rel="last", <https://example.com/b>; rel="next"';
    expect(parseLinkHeader(header)).toEqual({ next: 'https://example.com/a' });
  });

  test('unquoted values, extra blanks and escaped quotes', () => {
    const header = '  <https://example.com/x>  ;  type = "text/\\"odd\\"" ;rel = next  ,<https://example.com/y>;rel=prev';
    expect(parseLinkHeader(header)).toEqual({ next: 'https://example.com/x', prev: 'https://example.com/y' });
  });

  test('links without a comma between them', () => {
    expect(parseLinkHeader('<https://example.com/1>; rel="prev" <https://example.com/3>; rel="next"')).toEqual({
      prev: 'https://example.com/1',
      next: 'https://example.com/3',
    });
  });

  test('relative targets are resolved against the base', () => {
    const base = 'https://gitea.example.org/api/v1/repos/o/r/issues?page=1&limit=50';
    expect(parseLinkHeader('</api/v1/repos/o/r/issues?page=2&limit=50>; rel="next"', base)).toEqual({
      next: 'https://gitea.example.org/api/v1/repos/o/r/issues?page=2&limit=50',
    });
    expect(parseLinkHeader('<?page=3>; rel="next"', base).next).toBe('https://gitea.example.org/api/v1/repos/o/r/issues?page=3');
  });

  test('without a base a relative target is kept as sent; absolute targets are never rewritten', () => {
    expect(parseLinkHeader('</issues?page=2>; rel="next"').next).toBe('/issues?page=2');
    const odd = 'https://api.github.com/search/issues?q=label:"good first issue"&page=2';
    expect(parseLinkHeader(`<${odd}>; rel="next"`, 'https://api.github.com/').next).toBe(odd);
  });

  test('a link without rel is ignored', () => {
    expect(parseLinkHeader('<https://example.com/a>; title="x"')).toEqual({});
  });
});
