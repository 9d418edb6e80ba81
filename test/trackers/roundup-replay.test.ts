// Roundup through the real engine: our fixtures served on 127.0.0.1 under /bts/, a CSV query
// listing issues of every layout, known issues (one also listed, one gone, one behind a login),
// and the malformed answers that must fail the tracker or warn, never crash the run.
import { expect, test } from 'bun:test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TrackerAdapter, TrackerEntry } from '../../src/core/types.ts';
import { roundupAdapter, type RoundupEntry } from '../../trackers/roundup.ts';
import { replay, type Route } from '../helpers/replay.ts';
import { assertValidRecord } from '../helpers/schema.ts';

const fixture = (name: string): string => readFileSync(join(import.meta.dir, '../fixtures/roundup', name), 'utf8');
const adapter = roundupAdapter as unknown as TrackerAdapter;
const QUERY_PATH = '/bts/issue?@action=export_csv&@columns=id,activity,title,creator,status&@sort=-activity&@filter=status&status=-1,1,2,3';

const html = (body: string, status = 200): Route => ({ status, headers: { 'content-type': 'text/html; charset=utf-8' }, body });
const csv = (body: string): Route => ({ headers: { 'content-type': 'text/csv; charset=utf-8' }, body });

const PAGES: Readonly<Record<string, string>> = {
  '/bts/issue2231': 'classic-resolved.html',
  '/bts/issue2240': 'classic-no-messages.html',
  '/bts/issue4711': 'python-open-stage.html',
  '/bts/issue5190': 'python-closed.html',
  '/bts/issue77': 'login-required.html',
};

function routes(queryBody: Route): (url: URL) => Route | undefined {
  return (url) => {
    if (url.pathname === '/bts/issue' && url.searchParams.get('@action') === 'export_csv') return queryBody;
    const page = PAGES[url.pathname];
    return page === undefined ? undefined : html(fixture(page));
  };
}

function entry(extra: Partial<RoundupEntry> = {}): TrackerEntry {
  return {
    tracker_name: 'Quillstone',
    bugimporter: 'roundup',
    base_url: '{origin}/bts/',
    queries: [`{origin}${QUERY_PATH}`],
    existing_bug_urls: ['{origin}/bts/issue2231', '{origin}/bts/issue9999', '{origin}/bts/issue77'],
    bitesized_field: 'Topics',
    bitesized_text: 'bitesized',
    documentation_field: 'Components',
    documentation_text: 'Documentation',
    ...extra,
  };
}

test('CSV query, then each issue page once; a gone known issue is _deleted, a login page skipped', async () => {
  const { result, records, requests, warnings, origin } = await replay(adapter, entry(), routes(csv(fixture('query.csv'))));
  expect(result.exitCode).toBe(0);
  records.forEach(assertValidRecord);

  const byLink = new Map(records.map((r) => [String(r.canonical_bug_link), r]));
  expect([...byLink.keys()].sort()).toEqual([2231, 2240, 4711, 5190, 9999].map((id) => `${origin}/bts/issue${id}`).sort());
  expect(records.length).toBe(5);
  expect(byLink.get(`${origin}/bts/issue9999`)).toEqual({
    canonical_bug_link: `${origin}/bts/issue9999`,
    _deleted: true,
    _tracker_name: 'Quillstone',
    _project_name: 'Quillstone',
    last_polled: expect.any(String) as unknown as string,
  });
  const classic = byLink.get(`${origin}/bts/issue2231`);
  expect(classic?.title).toBe('hg log --follow loses renames across merges');
  expect(classic?.good_for_newcomers).toBe(true);
  expect(classic?.looks_closed).toBe(true);
  expect(byLink.get(`${origin}/bts/issue4711`)?.concerns_just_documentation).toBe(true);
  expect(byLink.get(`${origin}/bts/issue4711`)?.submitter_realname).toBe('Maria Okafor');
  expect(byLink.get(`${origin}/bts/issue5190`)?.date_reported).toBe('2014-02-19T01:01:00Z');

  // Listed twice by the CSV and also known: still one request per issue.
  const issuePaths = requests.filter((p) => p.startsWith('/bts/issue') && !p.startsWith('/bts/issue?'));
  expect(issuePaths.sort()).toEqual(['/bts/issue2231', '/bts/issue2240', '/bts/issue4711', '/bts/issue5190', '/bts/issue77', '/bts/issue9999'].sort());
  expect(warnings.some((w) => w.includes(`${origin}/bts/issue77: not a Roundup issue page`))).toBe(true);
  expect(warnings.some((w) => w.includes('without a numeric id'))).toBe(true);
});

test('--extended-scrape adds raw_data through the engine', async () => {
  const { records } = await replay(adapter, entry({ existing_bug_urls: [] }), routes(csv('id\r\n5190\r\n')), { extendedScrape: true });
  expect(records.length).toBe(1);
  records.forEach(assertValidRecord);
  const raw = records[0]?.raw_data as Record<string, unknown>;
  expect(raw.Status).toBe('closed');
  expect((raw.messages as unknown[]).length).toBe(4);
});

test('an HTML page instead of the CSV export fails the tracker, naming the URL', async () => {
  const { result, events, records } = await replay(adapter, entry({ existing_bug_urls: [] }), routes(html(fixture('login-required.html'))));
  expect(result.exitCode).toBe(1);
  expect(records).toEqual([]);
  const error = events.find((e) => e.type === 'tracker-error');
  expect(error?.type === 'tracker-error' ? error.message : '').toContain('/bts/issue?@action=export_csv');
  expect(error?.type === 'tracker-error' ? error.kind : '').toBe('parse');
});

test('an empty CSV answer is a warning; the known issues are still refreshed', async () => {
  const { result, records, warnings } = await replay(adapter, entry({ existing_bug_urls: ['{origin}/bts/issue2240'] }), routes(csv('')));
  expect(result.exitCode).toBe(0);
  expect(records.map((r) => r.title)).toEqual(['add a --template example to hg help log']);
  records.forEach(assertValidRecord);
  expect(warnings.some((w) => w.includes('empty body'))).toBe(true);
});

test('an issue answering 500 fails the tracker (never a deletion)', async () => {
  const { result, records } = await replay(adapter, entry({ queries: [], existing_bug_urls: ['{origin}/bts/issue1'] }), () => html('<h1>Internal Server Error</h1>', 500));
  expect(result.exitCode).toBe(1);
  expect(records).toEqual([]);
});
