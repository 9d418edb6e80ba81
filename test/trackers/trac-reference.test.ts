// The real Trac recordings of ../shared/reference (oh-bugimporters' sample data), served through
// the real engine: every record must be schema-valid and sensible. The recordings are read in
// place, never copied; the test skips when the folder is absent. Two recorded pages have no
// recorded ticket CSV, so a one-line CSV of ours stands in for it.
import { describe, expect, test } from 'bun:test';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TrackerAdapter, TrackerEntry } from '../../src/core/types.ts';
import { tracAdapter, type TracEntry } from '../../trackers/trac.ts';
import { replay, type Route } from '../helpers/replay.ts';
import { assertValidRecord } from '../helpers/schema.ts';

const DIR = join(import.meta.dir, '../../../shared/reference/oh-bugimporters');
const present = existsSync(DIR);
const recording = (name: string): string => readFileSync(join(DIR, name), 'utf8');
const csv = (body: string): Route => ({ headers: { 'content-type': 'text/csv;charset=utf-8' }, body });
const page = (name: string): Route => ({ headers: { 'content-type': 'text/html;charset=utf-8' }, body: recording(name) });

/** Ticket path → [ticket CSV, page]; the CSV is a recording's name or, when it starts with `id,`, our own text. */
const TICKETS: Readonly<Record<string, readonly [string, string]>> = {
  '/twisted/ticket/5858': ['twisted-trac-5858.csv', 'twisted-trac-5858.html'],
  '/twisted/ticket/4298': ['twisted-trac-4298-csv-export', 'twisted-trac-4298.html'],
  '/twisted-nomod/ticket/4298': ['twisted-trac-4298-csv-export', 'twisted-trac-4298-without-modified.html'],
  '/twisted-owned/ticket/4298': ['twisted-trac-4298-csv-export', 'twisted-trac-4298-without-modified-using-owned-instead-of-assigned.html'],
  '/twisted-0.12/ticket/4298': ['twisted-trac-4298-csv-export', 'twisted-trac-4298-on-2010-04-02.html'],
  '/ghc/ticket/4268': ['ghc-trac-4268.csv', 'ghc-trac-4268.html'],
  '/django/ticket/18937': ['django-trac-18937.csv', 'django-trac-18937.html'],
  '/ndg/ticket/92': ['ndg-ticket-92.csv', 'ndg-ticket-92'],
  '/edgewall/ticket/3275': ['id,summary,reporter,status,component,keywords\r\n3275,A recorded 0.13 page,someone,new,wiki,\r\n', 'trac-3275.html'],
  '/dsource/ticket/1939': ['id,summary,reporter,status,component,keywords\r\n1939,A recorded themed page,someone,new,Documentation,GC\r\n', 'dsource-1939'],
};

function route(url: URL): Route | undefined {
  const path = url.pathname;
  if (path === '/twisted/query' && url.searchParams.get('id') === '5858') return csv(recording('twisted-trac-query-for-id=5858.csv'));
  if (path === '/dsource/query') return csv(recording('dsource-query'));
  const ticket = TICKETS[path];
  if (ticket === undefined) return undefined;
  const [csvSource, pageName] = ticket;
  if (url.searchParams.get('format') === 'csv') return csv(csvSource.startsWith('id,') ? csvSource : recording(csvSource));
  return page(pageName);
}

const entry = (name: string, base: string, extra: Partial<TracEntry> = {}): TrackerEntry => ({
  tracker_name: name,
  bugimporter: 'trac',
  base_url: `{origin}${base}`,
  bitesized_type: 'keywords',
  bitesized_text: 'easy',
  documentation_type: 'component',
  documentation_text: 'Documentation',
  ...extra,
});

const ENTRIES: readonly TrackerEntry[] = [
  entry('Twisted', '/twisted/', {
    queries: ['{origin}/twisted/query?id=5858&col=id&col=summary&col=owner&col=type&col=status&col=priority&col=milestone'],
    existing_bug_urls: ['/twisted/', '/twisted-nomod/', '/twisted-owned/', '/twisted-0.12/'].map((p) => `{origin}${p}ticket/4298`),
  }),
  entry('GHC', '/ghc/', { existing_bug_urls: ['{origin}/ghc/ticket/4268'] }),
  entry('Django', '/django/', { existing_bug_urls: ['{origin}/django/ticket/18937'] }),
  entry('NDG', '/ndg/', { existing_bug_urls: ['{origin}/ndg/ticket/92'] }),
  entry('Trac', '/edgewall/', { existing_bug_urls: ['{origin}/edgewall/ticket/3275'] }),
  entry('Tango', '/dsource/', { queries: ['{origin}/dsource/query?status=!closed&component=Documentation'] }),
];

/** UTC dates the recordings' titles give (titles without a zone are taken as UTC). */
const DATES: Readonly<Record<string, readonly [string, string]>> = {
  '/twisted/ticket/5858': ['2012-08-13T12:57:53Z', '2012-08-13T19:17:35Z'],
  '/twisted/ticket/4298': ['2010-02-22T19:46:30Z', '2010-02-24T00:08:47Z'],
  '/twisted-nomod/ticket/4298': ['2010-02-22T19:46:30Z', '2010-02-22T19:46:30Z'],
  '/twisted-owned/ticket/4298': ['2010-02-22T19:46:30Z', '2010-02-22T19:46:30Z'],
  '/twisted-0.12/ticket/4298': ['2010-02-23T00:46:30Z', '2010-03-12T18:43:05Z'],
  '/ghc/ticket/4268': ['2010-08-23T09:57:25Z', '2011-12-25T22:49:17Z'],
  '/django/ticket/18937': ['2012-09-10T03:17:54Z', '2012-09-10T03:27:13Z'],
  '/ndg/ticket/92': ['2011-07-08T06:55:21Z', '2012-04-25T17:07:19Z'],
  '/edgewall/ticket/3275': ['2006-06-16T15:01:52Z', '2010-11-26T13:45:45Z'],
  '/dsource/ticket/1939': ['2010-06-19T08:15:37Z', '2010-06-26T04:42:26Z'],
};

describe('real Trac recordings', () => {
  test.skipIf(!present)('every recorded layout imports into sensible, valid records', async () => {
    const { result, records, warnings, origin } = await replay(tracAdapter as unknown as TrackerAdapter, ENTRIES, route, { extendedScrape: true });
    expect(warnings).toEqual([]);
    expect(result.exitCode).toBe(0);
    records.forEach(assertValidRecord);
    const byPath = new Map(records.map((r) => [String(r.canonical_bug_link).replace(origin, ''), r]));
    expect([...byPath.keys()].sort()).toEqual(Object.keys(TICKETS).sort());
    for (const [path, r] of byPath) {
      expect(String(r.canonical_bug_link).startsWith(`${origin}/`)).toBe(true);
      expect(String(r.title).trim()).not.toBe('');
      expect(String(r.description)).not.toContain('\r');
      expect(r.people_involved).toBeGreaterThan(0);
      expect([r.date_reported, r.last_touched]).toEqual([...(DATES[path] ?? [])]);
    }
    // The Twisted 4298 CSV: a closed, easy ticket whose description spans lines.
    expect(byPath.get('/twisted/ticket/4298')).toMatchObject({ status: 'closed', looks_closed: true, good_for_newcomers: true });
    expect(String(byPath.get('/twisted/ticket/4298')?.description)).toContain('\n\nIt should be deprecated');
    // dsource's component is Documentation.
    expect(byPath.get('/dsource/ticket/1939')).toMatchObject({ concerns_just_documentation: true });
    // The hidden draft preview ("Changed by anonymous") is not a person: reporter, owner, jezdez.
    expect(byPath.get('/django/ticket/18937')).toMatchObject({ people_involved: 3 });
  });

  test.skipIf(!present)('the 2011 Twisted "easy" query CSV lists every ticket, quoted keywords and all', () => {
    const url = 'https://twistedmatrix.com/trac/query?status=new&keywords=~easy&format=csv&max=0';
    const ctx = { entry: { tracker_name: 'Twisted', bugimporter: 'trac', base_url: 'https://twistedmatrix.com/trac/' }, now: new Date(), extendedScrape: false };
    const handler = tracAdapter.handlers.query;
    if (handler === undefined) throw new Error('no query handler');
    const result = handler({ url, status: 200, headers: {}, body: recording('twisted-trac-query-easy-bugs-on-2011-04-13.csv') }, { kind: 'query', url }, ctx);
    expect(result.warnings).toEqual([]);
    const urls = (result.requests ?? []).map((r) => r.url);
    expect(urls.length).toBe(18);
    expect(urls[0]).toBe('https://twistedmatrix.com/trac/ticket/581?format=csv');
    expect(urls.every((u) => /^https:\/\/twistedmatrix\.com\/trac\/ticket\/\d+\?format=csv$/.test(u))).toBe(true);
  });
});
