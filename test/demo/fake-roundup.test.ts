// The fake Roundup tracker: its CSV export and filters, its issue pages (read by our own page
// reader), 404s, validators and 304s, the request log, and the demo entry imported through the
// real engine twice (the second run revalidates every answer).
import { describe, expect, test } from 'bun:test';
import { parseTrackerText } from '../../src/config/load.ts';
import type { TrackerAdapter } from '../../src/core/types.ts';
import { demoKnownIssues, demoRoundupEntry, type FakeRoundup, startFakeRoundup } from '../../src/demo/fake-roundup.ts';
import { fieldValue, parseIssuePage } from '../../trackers/roundup-page.ts';
import { roundupAdapter } from '../../trackers/roundup.ts';
import { tempDir } from '../helpers/cli.ts';
import { type EngineRun, importEntry, stoppedAfterEach } from '../helpers/fake-servers.ts';
import { assertValidRecord } from '../helpers/schema.ts';

const start = stoppedAfterEach(startFakeRoundup);

const EXPORT = '/fernmark/issue?@action=export_csv&@columns=id,activity,title,creator,status,keywords,components';

async function csvRows(server: FakeRoundup, query: string): Promise<string[][]> {
  const res = await fetch(`${server.url}${EXPORT}${query}`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
  const text = await res.text();
  expect(text.endsWith('\r\n')).toBe(true);
  // Titles hold no commas or quotes except in quoted fields; a plain split is enough for ids.
  return text.trimEnd().split('\r\n').map((line) => line.split(','));
}

describe('the CSV export', () => {
  test('every issue, realistic: easy keywords, Documentation components, resolved ones', async () => {
    const server = start();
    const [header, ...rows] = await csvRows(server, '');
    expect(header).toEqual(['id', 'activity', 'title', 'creator', 'status', 'keywords', 'components']);
    expect(rows.length).toBeGreaterThanOrEqual(30);
    expect(rows.length).toBeLessThanOrEqual(60);
    const text = rows.map((r) => r.join(','));
    expect(text.filter((r) => /(^|[,;])easy([;,]|$)/.test(r)).length).toBeGreaterThan(3);
    expect(text.filter((r) => r.includes('Documentation')).length).toBeGreaterThan(3);
    expect(text.filter((r) => r.includes(',resolved,')).length).toBeGreaterThan(3);
    expect(rows[0]?.[1]).toMatch(/^\d{4}-\d{2}-\d{2}\.\d{2}:\d{2}:\d{2}$/);
  });

  test('filters: status ids, keyword names or ids, activity ranges; sorting', async () => {
    const server = start();
    const all = (await csvRows(server, '')).slice(1);
    const open = (await csvRows(server, '&@filter=status&status=-1,1,2,3,4,5,6,7')).slice(1);
    const resolved = (await csvRows(server, '&@filter=status&status=8')).slice(1);
    expect(open.length + resolved.length).toBe(all.length);
    expect(resolved.every((r) => r.includes('resolved'))).toBe(true);
    const easyByName = await csvRows(server, '&@filter=keywords&keywords=easy');
    const easyById = await csvRows(server, '&@filter=keyword&keyword=1');
    expect(easyByName.length).toBeGreaterThan(1);
    expect(easyById).toEqual(easyByName);
    const recent = (await csvRows(server, '&@filter=activity&activity=2025-06-01;&@sort=-activity')).slice(1);
    expect(recent.length).toBeGreaterThan(0);
    expect(recent.length).toBeLessThan(all.length);
    const dates = recent.map((r) => r[1] ?? '');
    expect(dates.every((d) => d >= '2025-06-01')).toBe(true);
    expect([...dates].sort().reverse()).toEqual(dates);
    expect((await csvRows(server, '&@filter=activity&activity=2099-01-01;')).length).toBe(1);
  });

  test('the same data on every start', async () => {
    const [a, b] = [start(), start()];
    const [x, y] = await Promise.all([fetch(`${a.url}${EXPORT}`).then((r) => r.text()), fetch(`${b.url}${EXPORT}`).then((r) => r.text())]);
    expect(x).toBe(y);
  });
});

describe('pages', () => {
  test('an issue page in Roundup\'s layout, read by the adapter\'s page reader', async () => {
    const server = start();
    const res = await fetch(`${server.url}/fernmark/issue3`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const page = parseIssuePage(await res.text());
    expect(page.header?.created).toMatch(/^\d{4}-\d{2}-\d{2}\.\d{2}:\d{2}:\d{2}$/);
    expect(fieldValue(page.fields, 'Title')).toBe('Document the front-matter keys fern reads');
    expect(fieldValue(page.fields, 'Components')).toBe('Documentation');
    expect(fieldValue(page.fields, 'Status')).not.toBe('');
    expect(page.messages.length).toBeGreaterThan(0);
    expect(page.messages[0]?.author?.login).toBe(page.header?.creator);
  });

  test('unknown issues and paths answer 404; an index without the export action is HTML', async () => {
    const server = start();
    expect((await fetch(`${server.url}/fernmark/issue999`)).status).toBe(404);
    expect((await fetch(`${server.url}/elsewhere/issue1`)).status).toBe(404);
    const index = await fetch(`${server.url}/fernmark/issue?@columns=id,title&@filter=status&status=1`);
    expect(index.status).toBe(200);
    expect(await index.text()).toStartWith('<!DOCTYPE html');
  });
});

describe('validators', () => {
  test('ETag and Last-Modified; revalidation answers 304; the log keeps paths, headers and statuses', async () => {
    const server = start({ latencyMs: 5 });
    const first = await fetch(`${server.url}/fernmark/issue5`);
    await first.text();
    const etag = first.headers.get('etag');
    const lastModified = first.headers.get('last-modified');
    expect(etag).toMatch(/^"[0-9a-f]{32}"$/);
    expect(lastModified).not.toBeNull();
    const byTag = await fetch(`${server.url}/fernmark/issue5`, { headers: { 'if-none-match': etag ?? '' } });
    expect(byTag.status).toBe(304);
    const byDate = await fetch(`${server.url}/fernmark/issue5`, { headers: { 'if-modified-since': lastModified ?? '' } });
    expect(byDate.status).toBe(304);
    const stale = await fetch(`${server.url}/fernmark/issue5`, { headers: { 'if-none-match': '"other"' } });
    expect(stale.status).toBe(200);
    await stale.text();
    const csv = await fetch(`${server.url}${EXPORT}`);
    await csv.text();
    const csvAgain = await fetch(`${server.url}${EXPORT}`, { headers: { 'if-none-match': csv.headers.get('etag') ?? '' } });
    expect(csvAgain.status).toBe(304);
    expect(server.requests.map((r) => r.status)).toEqual([200, 304, 304, 200, 200, 304]);
    expect(server.requests[1]?.headers['if-none-match']).toBe(etag ?? '');
    expect(server.requests[0]?.path).toBe('/fernmark/issue5');
  });

  test('publicUrl names the demo origin; the listening address stays on 127.0.0.1', () => {
    const server = start({ publicUrl: 'http://roundup.demo.localhost/' });
    expect(server.publicUrl).toBe('http://roundup.demo.localhost');
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });
});

describe('the demo entry', () => {
  test('is a valid tracker entry', () => {
    const file = parseTrackerText(`trackers:\n${demoRoundupEntry('http://roundup.demo.localhost')}\n`, 'demo.yaml', [roundupAdapter]);
    expect([...file.problems, ...file.entries.flatMap((e) => e.problems)]).toEqual([]);
    expect(file.entries[0]?.valid).toBe(true);
    expect(file.entries[0]?.entry.base_url).toBe('http://roundup.demo.localhost/fernmark/');
  });

  test('imports through the real engine, then revalidates everything on a second run', async () => {
    const server = start();
    const file = parseTrackerText(`trackers:\n${demoRoundupEntry(server.url)}\n`, 'demo.yaml', [roundupAdapter]);
    const loaded = file.entries[0];
    if (loaded === undefined) throw new Error('no entry');
    const dir = tempDir('customs-fake-roundup-');
    const run = (output: string): Promise<EngineRun> => importEntry({ entry: loaded.entry, adapter: roundupAdapter as unknown as TrackerAdapter }, dir, { output });

    const first = await run('first.jsonl');
    expect(first.exitCode).toBe(0);
    first.records.forEach(assertValidRecord);
    const { resolved, missing } = demoKnownIssues();
    const byLink = new Map(first.records.map((r) => [String(r.canonical_bug_link), r]));
    expect(byLink.get(`${server.url}/fernmark/issue${missing}`)?._deleted).toBe(true);
    expect(byLink.get(`${server.url}/fernmark/issue${resolved}`)?.looks_closed).toBe(true);
    const live = first.records.filter((r) => r._deleted !== true);
    expect(live.length).toBeGreaterThan(25);
    expect(live.some((r) => r.good_for_newcomers === true)).toBe(true);
    expect(live.some((r) => r.concerns_just_documentation === true)).toBe(true);
    expect(live.some((r) => r.submitter_realname !== '')).toBe(true);
    expect(live.every((r) => String(r.title) !== '' && typeof r.date_reported === 'string')).toBe(true);

    const before = server.requests.length;
    const second = await run('second.jsonl');
    expect(second.exitCode).toBe(0);
    const strip = (rs: Record<string, unknown>[]) => rs.map(({ last_polled: _, ...rest }) => rest).sort((a, b) => String(a.canonical_bug_link).localeCompare(String(b.canonical_bug_link)));
    expect(strip(second.records)).toEqual(strip(first.records));
    const again = server.requests.slice(before);
    expect(again.length).toBeGreaterThan(0);
    // Every 200 of the first run comes back as a 304 (the 404 is asked again).
    expect(again.filter((r) => r.status === 200)).toEqual([]);
    expect(again.filter((r) => r.status === 304).length).toBe(again.length - 1);
  });
});
