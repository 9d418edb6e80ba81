// Gitea / Forgejo through the real engine: our fixtures served on 127.0.0.1 as the instance.
// Link paging, the X-Total-Count and short-page fallbacks of servers that send no Link (with a
// clamped limit), pull requests left out, known issues refreshed, deleted or skipped, a 429, and
// an HTML answer. Neither Perceval nor oh-bugimporters recorded Gitea, so there is no replay of
// real recordings here.

import { describe, expect, test } from 'bun:test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { giteaAdapter } from '../../trackers/gitea.ts';
import { replay, type Route } from '../helpers/replay.ts';
import { assertValidRecord } from '../helpers/schema.ts';

const fixture = (name: string): string => readFileSync(join(import.meta.dir, '../fixtures/gitea', name), 'utf8');
const json = { 'content-type': 'application/json;charset=utf-8' };
const ISSUES = '/api/v1/repos/bramble/ledger/issues';
const LIST = `${ISSUES}?state=open&type=issues&limit=50&page=1`;

const entry = { tracker_name: 'Ledger', bugimporter: 'forgejo', base_url: '{origin}/', repo: 'bramble/ledger', bitesized_tag: 'good first issue' };

function issue(origin: string, number: number): Record<string, unknown> {
  return {
    id: 5000 + number,
    number,
    html_url: `${origin}/bramble/ledger/issues/${number}`,
    title: `Issue ${number}`,
    body: '',
    user: { id: 1, login: 'ines-b', full_name: 'Inès Brandt' },
    labels: number % 10 === 0 ? [{ id: 1, name: 'good first issue', color: '7057ff' }] : [],
    assignees: null,
    state: 'open',
    comments: 0,
    created_at: '2024-01-02T03:04:05+01:00',
    updated_at: '2024-02-03T04:05:06+01:00',
    pull_request: null,
  };
}

/** `count` open issues, numbered down from `count`, served `clamp` a page with no Link header. */
function pagesWithoutLink(count: number, clamp: number, withTotal: boolean) {
  return (url: URL): Route | undefined => {
    if (url.pathname !== ISSUES) return undefined;
    const page = Number(url.searchParams.get('page') ?? '1');
    const limit = Math.min(Number(url.searchParams.get('limit') ?? '30'), clamp);
    const items = [];
    for (let n = count - (page - 1) * limit; n > Math.max(0, count - page * limit); n--) items.push(issue(url.origin, n));
    return { headers: { ...json, ...(withTotal ? { 'x-total-count': String(count) } : {}) }, body: JSON.stringify(items) };
  };
}

describe('Gitea replay', () => {
  test('Link paging, a pull request dropped, known issues refreshed, deleted and skipped', async () => {
    const { result, records, requests, origin, warnings } = await replay(
      giteaAdapter,
      {
        ...entry,
        existing_bug_urls: ['{origin}/bramble/ledger/issues/57', '{origin}/bramble/ledger/issues/56', '{origin}/bramble/ledger/issues/999'],
      },
      (url) => {
        const path = url.pathname + url.search;
        const page2 = `${ISSUES}?limit=50&page=2&state=open&type=issues`;
        if (path === LIST) {
          return { headers: { ...json, link: `<${url.origin}${page2}>; rel="next",<${url.origin}${page2}>; rel="last"`, 'x-total-count': '4' }, body: fixture('list-page-1.json') };
        }
        if (path === page2) {
          const first = `${url.origin}${ISSUES}?limit=50&page=1&state=open&type=issues`;
          return { headers: { ...json, link: `<${first}>; rel="first",<${first}>; rel="prev"`, 'x-total-count': '4' }, body: fixture('list-page-2.json') };
        }
        if (path === `${ISSUES}/57`) return { headers: json, body: fixture('issue.json') };
        if (path === `${ISSUES}/56`) return { headers: json, body: fixture('issue-pull.json') };
        if (path === `${ISSUES}/999`) return { status: 404, headers: json, body: fixture('not-found.json') };
        return undefined;
      },
    );
    expect(result.exitCode).toBe(0);
    expect(requests.length).toBe(5);
    expect(new Set(requests).size).toBe(5);
    expect(warnings).toEqual([`${origin}/bramble/ledger/issues/56: is a pull request, skipped`]);
    records.forEach(assertValidRecord);
    const links = records.map((r) => String(r.canonical_bug_link));
    expect(new Set(links).size).toBe(links.length);
    expect(links.sort()).toEqual(
      [
        'https://codeberg.org/bramble/ledger/issues/49',
        'https://codeberg.org/bramble/ledger/issues/54',
        'https://codeberg.org/bramble/ledger/issues/57',
        `${origin}/bramble/ledger/issues/999`,
      ].sort(),
    );
    expect(records.find((r) => r._deleted === true)?.canonical_bug_link).toBe(`${origin}/bramble/ledger/issues/999`);
    expect(links.some((l) => l.includes('/pulls/'))).toBe(false);
  });

  test('no Link, a limit clamped to 20: X-Total-Count decides, every page once', async () => {
    const { result, records, requests } = await replay(giteaAdapter, entry, pagesWithoutLink(45, 20, true));
    expect(result.exitCode).toBe(0);
    expect(requests).toEqual([LIST, `${ISSUES}?state=open&type=issues&limit=50&page=2`, `${ISSUES}?state=open&type=issues&limit=50&page=3`]);
    records.forEach(assertValidRecord);
    const links = records.map((r) => String(r.canonical_bug_link));
    expect(links.length).toBe(45);
    expect(new Set(links).size).toBe(45);
    expect(records.filter((r) => r.good_for_newcomers === true).length).toBe(4);
  });

  test('neither Link nor X-Total-Count: full pages ask for more, the short one ends', async () => {
    const { result, records, requests } = await replay(giteaAdapter, entry, pagesWithoutLink(110, 50, false));
    expect(result.exitCode).toBe(0);
    expect(requests.length).toBe(3);
    expect(new Set(records.map((r) => r.canonical_bug_link)).size).toBe(110);
  });

  test('an exact multiple of the limit costs one empty page, and nothing more', async () => {
    const { result, records, requests } = await replay(giteaAdapter, entry, pagesWithoutLink(100, 50, false));
    expect(result.exitCode).toBe(0);
    expect(requests.length).toBe(3);
    expect(records.length).toBe(100);
  });

  test('429 with Retry-After waits and asks again', async () => {
    let refused = false;
    const pages = pagesWithoutLink(30, 50, true);
    const { result, records, events } = await replay(giteaAdapter, entry, (url) => {
      if (!refused) {
        refused = true;
        return { status: 429, headers: { 'content-type': 'text/plain', 'retry-after': '1' }, body: 'Too Many Requests' };
      }
      return pages(url);
    });
    expect(result.exitCode).toBe(0);
    expect(records.length).toBe(30);
    expect(events.some((e) => e.type === 'rate-limited')).toBe(true);
  });

  test('an HTML page instead of JSON fails the tracker with an error naming the URL', async () => {
    const { result, events } = await replay(giteaAdapter, entry, { [LIST]: { headers: { 'content-type': 'text/html; charset=utf-8' }, body: fixture('error-page.html') } });
    expect(result.exitCode).toBe(1);
    const error = events.find((e) => e.type === 'tracker-error');
    expect(error?.type === 'tracker-error' ? error.message : '').toContain(LIST);
  });
});
