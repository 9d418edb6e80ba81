// GitLab through the real engine: our fixtures served on 127.0.0.1 as a self-hosted instance.
// Paging by Link and by x-next-page (with and without totals), a gone known issue, rate-limit
// headers and 429, an HTML answer, and the real recordings when ../shared/reference is there.

import { describe, expect, test } from 'bun:test';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gitlabAdapter } from '../../trackers/gitlab.ts';
import { replay, type Route } from '../helpers/replay.ts';
import { assertValidRecord } from '../helpers/schema.ts';

const fixture = (name: string): string => readFileSync(join(import.meta.dir, '../fixtures/gitlab', name), 'utf8');
const json = { 'content-type': 'application/json' };
const PROJECT = '/api/v4/projects/wren-labs%2Faudio%2Fchirp';
const LIST = `${PROJECT}/issues?scope=all&order_by=updated_at&sort=desc&state=opened&per_page=100`;

const entry = {
  tracker_name: 'Chirp',
  bugimporter: 'gitlab',
  base_url: '{origin}/',
  project: 'wren-labs/audio/chirp',
  bitesized_tag: 'good first issue',
};

/** A GitLab issue as the list sends it, on the test server. */
function issue(origin: string, iid: number): Record<string, unknown> {
  return {
    id: 900 + iid,
    iid,
    project_id: 77,
    title: `Issue ${iid}`,
    description: null,
    state: 'opened',
    created_at: '2024-01-02T03:04:05.678Z',
    updated_at: '2024-02-03T04:05:06.789Z',
    labels: iid % 5 === 0 ? ['good first issue'] : [],
    author: { id: 1, username: 'mhollis', name: 'Maren Hollis' },
    assignees: [],
    assignee: null,
    user_notes_count: 0,
    web_url: `${origin}/wren-labs/audio/chirp/-/issues/${iid}`,
    references: { short: `#${iid}`, relative: `#${iid}`, full: `wren-labs/audio/chirp#${iid}` },
  };
}

/** `count` issues, `perPage` a page, answered with x-next-page only: no Link, no x-total (GitLab past 10,000). */
function pagesWithoutTotals(count: number, perPage: number) {
  return (url: URL): Route | undefined => {
    if (url.pathname !== `${PROJECT}/issues`) return undefined;
    const page = Number(url.searchParams.get('page') ?? '1');
    const last = Math.ceil(count / perPage);
    const items = [];
    for (let iid = count - (page - 1) * perPage; iid > Math.max(0, count - page * perPage); iid--) items.push(issue(url.origin, iid));
    return {
      headers: { ...json, 'x-page': String(page), 'x-per-page': String(perPage), 'x-next-page': page < last ? String(page + 1) : '', 'x-prev-page': page > 1 ? String(page - 1) : '' },
      body: JSON.stringify(items),
    };
  };
}

describe('GitLab replay', () => {
  test('Link and x-next-page paging, a known issue refreshed and a gone one deleted', async () => {
    const { result, records, requests, origin, warnings } = await replay(
      gitlabAdapter,
      { ...entry, existing_bug_urls: ['{origin}/wren-labs/audio/chirp/-/issues/41', '{origin}/wren-labs/audio/chirp/issues/999'] },
      (url) => {
        const path = url.pathname + url.search;
        if (path === LIST) {
          const next = `${url.origin}/api/v4/projects/77/issues?page=2&per_page=100&state=opened`;
          return { headers: { ...json, link: `<${next}>; rel="next", <${next}>; rel="last"`, 'x-next-page': '2', 'x-total': '6', 'x-total-pages': '3' }, body: fixture('list-page-1.json') };
        }
        // The second page names its successor only in x-next-page.
        if (path === '/api/v4/projects/77/issues?page=2&per_page=100&state=opened') return { headers: { ...json, 'x-next-page': '3' }, body: fixture('list-page-2.json') };
        if (path === '/api/v4/projects/77/issues?page=3&per_page=100&state=opened') return { headers: { ...json, 'x-next-page': '' }, body: fixture('list-labels-details.json') };
        if (path === `${PROJECT}/issues/41`) return { headers: json, body: fixture('issue.json') };
        if (path === `${PROJECT}/issues/999`) return { status: 404, headers: json, body: fixture('not-found.json') };
        return undefined;
      },
    );
    expect(result.exitCode).toBe(0);
    expect(warnings).toEqual([]);
    expect([...requests].sort()).toEqual(
      [LIST, '/api/v4/projects/77/issues?page=2&per_page=100&state=opened', '/api/v4/projects/77/issues?page=3&per_page=100&state=opened', `${PROJECT}/issues/41`, `${PROJECT}/issues/999`].sort(),
    );
    records.forEach(assertValidRecord);
    const links = records.map((r) => String(r.canonical_bug_link));
    expect(new Set(links).size).toBe(links.length);
    // Issue 41 is on page one and known: one record, whichever answer came first.
    expect(links.sort()).toEqual(
      [
        'https://gitlab.com/wren-labs/audio/chirp/-/issues/35',
        'https://gitlab.com/wren-labs/audio/chirp/-/issues/38',
        'https://gitlab.com/wren-labs/audio/chirp/-/issues/41',
        'https://gitlab.com/wren-labs/audio/chirp/-/issues/44',
        'https://gitlab.com/wren-labs/audio/chirp/issues/12',
        'https://gitlab.com/wren-labs/audio/chirp/issues/7',
        `${origin}/wren-labs/audio/chirp/issues/999`,
      ].sort(),
    );
    expect(records.find((r) => r._deleted === true)?.canonical_bug_link).toBe(`${origin}/wren-labs/audio/chirp/issues/999`);
  });

  test('without totals (past 10,000 results): every page by x-next-page, nothing twice', async () => {
    const { result, records, requests } = await replay(gitlabAdapter, { ...entry, queries: [`{origin}${PROJECT}/issues?per_page=7`] }, pagesWithoutTotals(40, 7));
    expect(result.exitCode).toBe(0);
    expect(requests).toEqual([1, 2, 3, 4, 5, 6].map((p) => `${PROJECT}/issues?per_page=7&state=opened${p > 1 ? `&page=${p}` : ''}`));
    records.forEach(assertValidRecord);
    const links = records.map((r) => String(r.canonical_bug_link));
    expect(links.length).toBe(40);
    expect(new Set(links).size).toBe(40);
    expect(records.filter((r) => r.good_for_newcomers === true).length).toBe(8);
  });

  test('RateLimit-Remaining: 0 pauses the host until RateLimit-Reset; the run completes', async () => {
    const arrivals: number[] = [];
    let resetAt = 0;
    const pages = pagesWithoutTotals(6, 3);
    const { result, records, events } = await replay(gitlabAdapter, { ...entry, queries: [`{origin}${PROJECT}/issues?per_page=3`] }, (url) => {
      arrivals.push(Date.now());
      const route = pages(url);
      if (route === undefined || arrivals.length > 1) return route;
      // gitlab.com's headers on the answer that spent the last request of the window.
      resetAt = Math.ceil(Date.now() / 1000) + 1;
      const limits = { 'ratelimit-limit': '600', 'ratelimit-observed': '600', 'ratelimit-remaining': '0', 'ratelimit-reset': String(resetAt), 'ratelimit-resettime': new Date(resetAt * 1000).toUTCString() };
      return { ...route, headers: { ...route.headers, ...limits } };
    });
    expect(result.exitCode).toBe(0);
    expect(records.length).toBe(6);
    records.forEach(assertValidRecord);
    const paused = events.filter((e) => e.type === 'rate-limited');
    expect(paused.length).toBe(1);
    expect(arrivals.length).toBe(2);
    expect(arrivals[1] ?? 0).toBeGreaterThanOrEqual(resetAt * 1000 - 50);
  });

  test('429 with Retry-After waits and asks again', async () => {
    let refused = 0;
    const pages = pagesWithoutTotals(6, 3);
    const { result, records, events, requests } = await replay(gitlabAdapter, { ...entry, queries: [`{origin}${PROJECT}/issues?per_page=3`] }, (url) => {
      if (url.searchParams.get('page') === '2' && refused === 0) {
        refused++;
        return { status: 429, headers: { 'content-type': 'text/plain', 'retry-after': '1' }, body: 'Retry later\n' };
      }
      return pages(url);
    });
    expect(result.exitCode).toBe(0);
    expect(records.length).toBe(6);
    expect(requests.length).toBe(3);
    expect(events.some((e) => e.type === 'rate-limited' && e.reason.includes('Retry-After'))).toBe(true);
  });

  test('an HTML page instead of JSON fails the tracker with an error naming the URL', async () => {
    const { result, events, records } = await replay(gitlabAdapter, entry, {
      [LIST]: { headers: { 'content-type': 'text/html; charset=utf-8' }, body: fixture('sign-in.html') },
    });
    expect(result.exitCode).toBe(1);
    expect(records).toEqual([]);
    const error = events.find((e) => e.type === 'tracker-error');
    expect(error?.type === 'tracker-error' ? error.message : '').toContain(`${LIST}`);
    expect(error?.type === 'tracker-error' ? error.kind : '').toBe('parse');
  });
});

// Perceval's recordings of gitlab.com (fdroid/fdroiddata), served with the headers GitLab adds.
const REFERENCE = join(import.meta.dir, '../../../shared/reference/perceval/gitlab');
const haveReference = existsSync(join(REFERENCE, 'issue_page_1'));

describe.skipIf(!haveReference)('GitLab replay of the real recordings (when present)', () => {
  test('two recorded pages and a recorded single issue give sensible, valid records', async () => {
    const read = (name: string): string => readFileSync(join(REFERENCE, name), 'utf8');
    const list = '/api/v4/projects/fdroid%2Ffdroiddata/issues?scope=all&order_by=updated_at&sort=desc&state=all&per_page=100';
    const { result, records, requests } = await replay(
      gitlabAdapter,
      {
        tracker_name: 'F-Droid data',
        bugimporter: 'gitlab',
        base_url: '{origin}',
        project: 'fdroid/fdroiddata',
        state: 'all',
        existing_bug_urls: ['{origin}/fdroid/fdroiddata/issues/1', '{origin}/fdroid/fdroiddata/issues/2000'],
      },
      (url) => {
        const path = url.pathname + url.search;
        if (path === list) return { headers: { ...json, link: `<${url.origin}${list}&page=2>; rel="next"`, 'x-next-page': '2' }, body: read('issue_page_1') };
        if (path === `${list}&page=2`) return { headers: { ...json, 'x-next-page': '' }, body: read('issue_page_2') };
        if (path === '/api/v4/projects/fdroid%2Ffdroiddata/issues/1') return { headers: json, body: read('issue_1') };
        if (path === '/api/v4/projects/fdroid%2Ffdroiddata/issues/2000') return { status: 404, headers: json, body: '{"message":"404 Not found"}' };
        return undefined;
      },
    );
    expect(result.exitCode).toBe(0);
    expect(requests.length).toBe(4);
    records.forEach(assertValidRecord);
    const bugs = records.filter((r) => r._deleted !== true);
    // issue_1 is the first item of page one again (same web_url): written once.
    expect(bugs.length).toBe(4);
    for (const bug of bugs) {
      expect(String(bug.canonical_bug_link)).toMatch(/^https:\/\/gitlab\.com\/fdroid\/fdroiddata\/issues\/\d+$/);
      expect(bug.status).toBe('closed');
      expect(bug.looks_closed).toBe(true);
      expect(String(bug.title).length).toBeGreaterThan(5);
      expect(bug.submitter_username).not.toBe('');
    }
    expect(records.filter((r) => r._deleted === true).length).toBe(1);
  });
});
