// Bugzilla through the real engine: our fixtures served on 127.0.0.1. A buglist and a tracking
// bug pooled into one batch with the known bugs; CSV pages; the REST API with paging, comments
// and a gone bug; malformed answers that fail only their tracker.
import { describe, expect, test } from 'bun:test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TrackerAdapter } from '../../src/core/types.ts';
import { bugzillaAdapter } from '../../trackers/bugzilla.ts';
import { INCLUDE_FIELDS } from '../../trackers/bugzilla-rest.ts';
import { type Route, replay } from '../helpers/replay.ts';
import { assertValidRecord } from '../helpers/schema.ts';

const adapter = bugzillaAdapter as unknown as TrackerAdapter;
const fixture = (name: string): string => readFileSync(join(import.meta.dir, '../fixtures/bugzilla', name), 'utf8');
const xml = { 'content-type': 'text/xml; charset=UTF-8' };
const html = { 'content-type': 'text/html; charset=UTF-8' };
const csv = { 'content-type': 'text/csv; charset=UTF-8' };
const json = { 'content-type': 'application/json; charset=UTF-8' };

/** Every `<bug>` element of our XML fixtures, by id (error elements included). */
const BUG_ELEMENTS = new Map<number, string>();
for (const name of ['batch.xml', 'bug-old-kde.xml', 'bug-nul.xml']) {
  for (const m of fixture(name).matchAll(/<bug(?=[\s>])[^>]*>[\s\S]*?<\/bug>/g)) {
    const id = /<bug_id>(\d+)<\/bug_id>/.exec(m[0])?.[1];
    if (id !== undefined) BUG_ELEMENTS.set(Number(id), m[0]);
  }
}

/** A show_bug.cgi?ctype=xml answer as Bugzilla builds it: asked bugs in order, NotFound for others. */
function batchAnswer(url: URL): Route {
  const ids = url.searchParams.getAll('id').map(Number);
  const bugs = ids.map((id) => BUG_ELEMENTS.get(id) ?? `<bug error="NotFound">\n      <bug_id>${id}</bug_id>\n    </bug>`);
  const body = `<?xml version="1.0" encoding="UTF-8" standalone="yes" ?>\n<!DOCTYPE bugzilla SYSTEM "${url.origin}/bugzilla.dtd">\n\n<bugzilla version="4.2.5" urlbase="${url.origin}/">\n\n    ${bugs.join('\n    ')}\n\n</bugzilla>\n`;
  return { headers: xml, body };
}

function isBatch(url: URL): boolean {
  return url.pathname === '/show_bug.cgi' && url.searchParams.get('ctype') === 'xml' && url.searchParams.get('excludefield') === 'attachmentdata';
}

describe('classic interface', () => {
  test('a buglist and a tracking bug pooled with the known bugs into one batch', async () => {
    const { result, records, requests, warnings, origin } = await replay(
      adapter,
      {
        tracker_name: 'Kestrel',
        bugimporter: 'bugzilla',
        base_url: '{origin}/',
        queries: ['{origin}/buglist.cgi?keywords=easy', '{origin}/show_bug.cgi?ctype=xml&id=900'],
        existing_bug_urls: ['{origin}/show_bug.cgi?id=104', '{origin}/show_bug.cgi?id=102', '{origin}/show_bug.cgi?id=101'],
        bitesized_type: 'key',
        bitesized_text: 'easy',
        documentation_type: 'comp',
        documentation_text: 'Documentation',
        bug_project_name_format: '{product}: {component}',
      },
      (url) => {
        const path = url.pathname + url.search;
        if (path === '/buglist.cgi?keywords=easy&limit=0') return { headers: html, body: fixture('buglist.html') };
        if (path === '/show_bug.cgi?ctype=xml&id=900') return { headers: xml, body: fixture('tracking.xml') };
        if (path === '/show_bug.cgi?ctype=xml&excludefield=attachmentdata&id=101&id=102&id=103&id=104&id=105') return batchAnswer(url);
        return undefined;
      },
    );
    expect(result.exitCode).toBe(0);
    // Two queries, one after the other, then each bug asked for once, in one batch.
    expect(requests).toEqual([
      '/buglist.cgi?keywords=easy&limit=0',
      '/show_bug.cgi?ctype=xml&id=900',
      '/show_bug.cgi?ctype=xml&excludefield=attachmentdata&id=101&id=102&id=103&id=104&id=105',
    ]);
    records.forEach(assertValidRecord);
    const byLink = new Map(records.map((r) => [r.canonical_bug_link, r]));
    expect(byLink.size).toBe(records.length);
    expect(byLink.get(`${origin}/show_bug.cgi?id=101`)).toMatchObject({
      title: 'Explain the "offline mode" switch in the user guide',
      good_for_newcomers: true,
      concerns_just_documentation: true,
      _project_name: 'Kestrel: Documentation',
      date_reported: '2011-03-02T14:15:00Z',
    });
    expect(byLink.get(`${origin}/show_bug.cgi?id=103`)).toMatchObject({ looks_closed: true, good_for_newcomers: false, _project_name: 'Kestrel: Folders' });
    expect(byLink.get(`${origin}/show_bug.cgi?id=104`)).toEqual({
      canonical_bug_link: `${origin}/show_bug.cgi?id=104`,
      _deleted: true,
      _tracker_name: 'Kestrel',
      _project_name: 'Kestrel',
      last_polled: expect.any(String),
    });
    expect(records.length).toBe(3);
    expect(warnings.some((w) => w.includes('id=102') && w.includes('NotPermitted'))).toBe(true);
    expect(warnings.some((w) => w.includes('id=105') && w.includes('creation_ts'))).toBe(true);
    expect(warnings.some((w) => w.includes('901'))).toBe(true);
  });

  test('a CSV buglist paged by batch_size, then batches of batch_size', async () => {
    const { result, records, requests } = await replay(
      adapter,
      { tracker_name: 'Kestrel', bugimporter: 'bugzilla', base_url: '{origin}', queries: ['{origin}/buglist.cgi?ctype=csv&product=Kestrel'], batch_size: 2 },
      (url) => {
        const path = url.pathname + url.search;
        if (path === '/buglist.cgi?ctype=csv&product=Kestrel&limit=2&offset=0') return { headers: csv, body: fixture('buglist-page1.csv') };
        if (path === '/buglist.cgi?ctype=csv&product=Kestrel&limit=2&offset=2') return { headers: csv, body: fixture('buglist-page2.csv') };
        if (isBatch(url)) return batchAnswer(url);
        return undefined;
      },
    );
    expect(result.exitCode).toBe(0);
    expect(requests).toEqual([
      '/buglist.cgi?ctype=csv&product=Kestrel&limit=2&offset=0',
      '/buglist.cgi?ctype=csv&product=Kestrel&limit=2&offset=2',
      '/show_bug.cgi?ctype=xml&excludefield=attachmentdata&id=101&id=103',
      '/show_bug.cgi?ctype=xml&excludefield=attachmentdata&id=107',
    ]);
    records.forEach(assertValidRecord);
    // 107 is unknown to the server (NotFound) and was not a known bug: no record, no deletion.
    expect(records.map((r) => r.canonical_bug_link).sort()).toEqual(['101', '103'].map((id) => expect.stringContaining(`show_bug.cgi?id=${id}`)));
  });

  test('known bugs only, with a custom parser and --extended-scrape', async () => {
    const { result, records } = await replay(
      adapter,
      {
        tracker_name: 'KDE',
        bugimporter: 'bugzilla.BugzillaBugImporter',
        base_url: '{origin}/index.cgi',
        existing_bug_urls: ['{origin}/show_bug.cgi?id=7001', '{origin}/7001', '{origin}/show_bug.cgi?id=301'],
        custom_parser: 'kde',
      },
      (url) => (isBatch(url) ? batchAnswer(url) : undefined),
      { extendedScrape: true },
    );
    expect(result.exitCode).toBe(0);
    records.forEach(assertValidRecord);
    expect(records).toHaveLength(2);
    const kde = records.find((r) => String(r.canonical_bug_link).endsWith('id=7001'));
    expect(kde).toMatchObject({ title: 'Konqueror sidebar forgets its width', _project_name: 'boomski', good_for_newcomers: true, people_involved: 2 });
    expect(kde?.raw_data).toMatchObject({ priority: 'NOR', product: 'konqueror', keywords: ['junior-jobs'] });
  });
});

describe('REST interface', () => {
  const include = `include_fields=${INCLUDE_FIELDS}`;
  const search = JSON.parse(fixture('rest-search-1.json')) as { bugs: unknown[] };

  test('a search paged by offset, comments per page, known bugs by id, a gone one deleted', async () => {
    const { result, records, requests, warnings, origin } = await replay(
      adapter,
      {
        tracker_name: 'Kestrel',
        bugimporter: 'bugzilla',
        base_url: '{origin}/',
        queries: ['{origin}/rest/bug?product=Kestrel'],
        existing_bug_urls: ['{origin}/show_bug.cgi?id=1201', '{origin}/show_bug.cgi?id=1299'],
        batch_size: '2',
        bitesized_type: 'wboard',
        bitesized_text: 'mentor=',
        token_env: 'BZ_KEY',
      },
      (url) => {
        const path = url.pathname + url.search;
        const routes: Record<string, Route> = {
          [`/rest/bug?product=Kestrel&${include}&limit=2`]: { headers: json, body: fixture('rest-search-1.json') },
          [`/rest/bug?product=Kestrel&${include}&limit=2&offset=2`]: { headers: json, body: fixture('rest-search-2.json') },
          '/rest/bug/1201/comment?ids=1201&ids=1202': { headers: json, body: fixture('rest-comments-1.json') },
          '/rest/bug/1205/comment?ids=1205': { headers: json, body: fixture('rest-comments-2.json') },
          [`/rest/bug?id=1201,1299&${include}`]: { headers: json, body: JSON.stringify({ bugs: [search.bugs[0]] }) },
          '/rest/bug/1201/comment?ids=1201': { headers: json, body: fixture('rest-comments-1.json') },
          [`/rest/bug/1299?${include}`]: { status: 404, headers: json, body: fixture('rest-bug-missing.json') },
        };
        return routes[path];
      },
      { env: { BZ_KEY: 'sekrit-key-value' } },
    );
    expect(warnings).not.toContain(expect.stringContaining('no fixture'));
    expect(result.exitCode).toBe(0);
    expect(requests.some((r) => r.includes('sekrit'))).toBe(false);
    expect(requests).toHaveLength(7);
    records.forEach(assertValidRecord);
    const byLink = new Map(records.map((r) => [r.canonical_bug_link, r]));
    expect(records).toHaveLength(4);
    expect(byLink.get(`${origin}/show_bug.cgi?id=1201`)).toMatchObject({
      title: 'Document the new filter syntax',
      description: 'The 2.2 filter syntax has no page in the guide.',
      people_involved: 2,
      submitter_realname: 'Ada Quill [:ada]',
      good_for_newcomers: true,
      looks_closed: false,
      date_reported: '2016-05-17T09:44:44Z',
    });
    // is_open false decides, whatever the status; no comments gives the placeholder.
    expect(byLink.get(`${origin}/show_bug.cgi?id=1202`)).toMatchObject({ looks_closed: true, description: '(Empty description)', people_involved: 0, importance: 'major' });
    expect(byLink.get(`${origin}/show_bug.cgi?id=1205`)).toMatchObject({ people_involved: 1, looks_closed: false });
    expect(byLink.get(`${origin}/show_bug.cgi?id=1299`)).toMatchObject({ _deleted: true });
  });

  test('an error object fails the tracker with its message; the other tracker still imports', async () => {
    const { result, records, events } = await replay(
      adapter,
      [
        { tracker_name: 'Locked', bugimporter: 'bugzilla', base_url: '{origin}/locked/', queries: ['{origin}/locked/rest/bug?product=Kestrel'] },
        { tracker_name: 'Open', bugimporter: 'bugzilla', base_url: '{origin}/', existing_bug_urls: ['{origin}/show_bug.cgi?id=101'] },
      ],
      (url) => {
        if (url.pathname === '/locked/rest/bug') return { status: 401, headers: json, body: fixture('rest-error.json') };
        return isBatch(url) ? batchAnswer(url) : undefined;
      },
    );
    expect(result.exitCode).toBe(1);
    const errors = events.flatMap((e) => (e.type === 'tracker-error' ? [`${e.tracker}: ${e.message}`] : []));
    expect(errors).toEqual([expect.stringMatching(/^Locked: Bugzilla REST error 32000: API key authentication is required\. \(http:\/\/127\.0\.0\.1:\d+\/locked\/rest\/bug\?/)]);
    expect(records.map((r) => r._tracker_name)).toEqual(['Open']);
  });
});

describe('malformed answers fail their tracker with the URL, never the run', () => {
  const cases: [string, string, Route][] = [
    ['a login page instead of a batch', '/show_bug.cgi?ctype=xml', { headers: html, body: fixture('login.html') }],
    ['a login page instead of a CSV', '/buglist.cgi?ctype=csv', { headers: html, body: fixture('login.html') }],
    ['an empty CSV', '/buglist.cgi?ctype=csv', { headers: csv, body: '' }],
    ['a CSV without bug_id', '/buglist.cgi?ctype=csv', { headers: csv, body: fixture('buglist-no-id.csv') }],
    ['an HTML page that is no buglist', '/buglist.cgi?keywords', { headers: html, body: fixture('login.html') }],
  ];
  for (const [name, prefix, route] of cases) {
    test(name, async () => {
      const { result, events } = await replay(
        adapter,
        {
          tracker_name: 'Kestrel',
          bugimporter: 'bugzilla',
          base_url: '{origin}/',
          queries: [prefix.includes('keywords') ? '{origin}/buglist.cgi?keywords=easy' : '{origin}/buglist.cgi?ctype=csv'],
          existing_bug_urls: ['{origin}/show_bug.cgi?id=101'],
        },
        (url) => {
          const path = url.pathname + url.search;
          if (path.startsWith(prefix)) return route;
          if (path.startsWith('/buglist.cgi?ctype=csv')) return { headers: csv, body: fixture('buglist-page1.csv') };
          return undefined;
        },
      );
      expect(result.exitCode).toBe(1);
      const error = events.find((e) => e.type === 'tracker-error');
      expect(error?.type === 'tracker-error' ? error.message : '').toMatch(/http:\/\/127\.0\.0\.1:\d+\/(show_bug|buglist)\.cgi\?/);
      expect(error?.type === 'tracker-error' ? error.kind : '').toBe('parse');
    });
  }

  test('a truncated batch keeps its complete bugs, with a warning', async () => {
    const { result, records, warnings } = await replay(
      adapter,
      { tracker_name: 'Kestrel', bugimporter: 'bugzilla', base_url: '{origin}/', existing_bug_urls: ['{origin}/show_bug.cgi?id=101', '{origin}/show_bug.cgi?id=103'] },
      (url) => {
        if (!isBatch(url)) return undefined;
        const body = String(batchAnswer(url).body);
        return { headers: xml, body: body.slice(0, body.indexOf('<short_desc>Crash')) };
      },
    );
    expect(result.exitCode).toBe(0);
    records.forEach(assertValidRecord);
    expect(records.map((r) => String(r.canonical_bug_link).replace(/^.*\?/, ''))).toEqual(['id=101']);
    expect(warnings.some((w) => w.includes('truncated'))).toBe(true);
  });
});
