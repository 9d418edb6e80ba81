// The fake Trac of `customs demo`: deterministic data, Trac's query syntax and exports, 304s on
// revalidation, and a whole import through the real engine whose second run is all 304s.
import { describe, expect, test } from 'bun:test';
import { parseTrackerText } from '../../src/config/load.ts';
import type { TrackerAdapter } from '../../src/core/types.ts';
import { DEMO_TRAC_DELETED, demoTracEntry, demoTracTickets, startFakeTrac } from '../../src/demo/fake-trac.ts';
import { parseCsvRecords } from '../../trackers/csv.ts';
import { tracAdapter } from '../../trackers/trac.ts';
import { tempDir } from '../helpers/cli.ts';
import { type EngineRun, importEntry, stoppedAfterEach } from '../helpers/fake-servers.ts';
import { assertValidRecord } from '../helpers/schema.ts';

const start = stoppedAfterEach(startFakeTrac);

describe('demo data', () => {
  test('deterministic, of the promised size and variety', () => {
    const tickets = demoTracTickets();
    expect(JSON.stringify(demoTracTickets())).toBe(JSON.stringify(tickets));
    expect(tickets.length).toBeGreaterThanOrEqual(40);
    expect(tickets.length).toBeLessThanOrEqual(80);
    expect(new Set(tickets.map((t) => t.summary)).size).toBe(tickets.length);
    expect(tickets.some((t) => DEMO_TRAC_DELETED.includes(t.id))).toBe(false);
    expect(tickets.filter((t) => t.keywords.split(/[,\s]+/).includes('easy')).length).toBeGreaterThan(5);
    expect(tickets.filter((t) => t.component === 'documentation').length).toBeGreaterThan(5);
    expect(tickets.filter((t) => t.status === 'closed').length).toBeGreaterThan(5);
    expect(tickets.some((t) => t.changes.length === 0)).toBe(true);
    expect(tickets.some((t) => t.description.includes('\r\n') && t.description.includes('"'))).toBe(true);
    for (const t of tickets) {
      expect(t.time <= t.changetime).toBe(true);
      expect(t.status === 'closed').toBe(t.resolution !== '');
    }
  });
});

describe('the server', () => {
  test('query CSV: BOM, CRLF, Trac filters, chosen columns, paging', async () => {
    const trac = start();
    const res = await fetch(`${trac.url}/query?status=!closed&keywords=~easy&col=id&col=summary&col=changetime&order=id&format=csv`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv;charset=utf-8');
    const body = await res.text();
    // fetch's text() drops the BOM; the bytes carry it.
    expect(new Uint8Array(await (await fetch(`${trac.url}/query?format=csv`)).arrayBuffer()).slice(0, 3)).toEqual(new Uint8Array([0xef, 0xbb, 0xbf]));
    expect(body.split('\r\n')[0]).toBe('id,summary,changetime');
    const { records } = parseCsvRecords(body);
    const expected = demoTracTickets().filter((t) => t.status !== 'closed' && t.keywords.includes('easy'));
    expect(records.map((r) => Number(r.id))).toEqual(expected.map((t) => t.id));

    const page2 = parseCsvRecords(await (await fetch(`${trac.url}/query?order=id&max=10&page=2&format=csv`)).text()).records;
    expect(page2.map((r) => Number(r.id))).toEqual(demoTracTickets().slice(10, 20).map((t) => t.id));
    const since = parseCsvRecords(await (await fetch(`${trac.url}/query?changetime=2025-06-01..&max=0&format=csv`)).text()).records;
    expect(since.length).toBe(demoTracTickets().filter((t) => t.changetime >= '2025-06-01').length);

    expect((await fetch(`${trac.url}/query?nosuchfield=1&format=csv`)).status).toBe(400);
    const html = await fetch(`${trac.url}/query?status=!closed`);
    expect(html.headers.get('content-type')).toBe('text/html;charset=utf-8');
    expect(await html.text()).toContain('table class="listing tickets"');
  });

  test('ticket CSV and page; a deleted ticket answers 404; pages name the public origin', async () => {
    const trac = start({ publicUrl: 'http://trac.demo.localhost/' });
    expect(trac.publicUrl).toBe('http://trac.demo.localhost');
    const [first] = demoTracTickets();
    if (first === undefined) throw new Error('no tickets');
    const { header, records } = parseCsvRecords(await (await fetch(`${trac.url}/ticket/${first.id}?format=csv`)).text());
    expect(header).toEqual(['id', 'summary', 'reporter', 'owner', 'description', 'type', 'status', 'priority', 'milestone', 'component', 'version', 'resolution', 'keywords', 'cc']);
    expect(records[0]?.summary).toBe(first.summary);
    expect(records[0]?.description).toBe(first.description);
    const page = await (await fetch(`${trac.url}/ticket/${first.id}`)).text();
    expect(page).toContain('<table class="properties">');
    expect(page).toContain('title="See timeline at ');
    expect(page).toContain('class="ticketdraft"');
    expect(page).toContain('href="http://trac.demo.localhost/wiki"');
    const gone = await fetch(`${trac.url}/ticket/${DEMO_TRAC_DELETED[0]}?format=csv`);
    expect(gone.status).toBe(404);
    expect(await gone.text()).toContain('does not exist');
    expect((await fetch(`${trac.url}/nowhere`)).status).toBe(404);
  });

  test('weak ETags and Last-Modified turn into 304s; every request is logged', async () => {
    const trac = start({ latencyMs: 5 });
    const url = `${trac.url}/ticket/1`;
    const first = await fetch(url);
    await first.text();
    const etag = first.headers.get('etag') ?? '';
    expect(etag).toStartWith('W/"');
    expect(first.headers.get('cache-control')).toBe('must-revalidate');
    const byEtag = await fetch(url, { headers: { 'if-none-match': etag } });
    expect(byEtag.status).toBe(304);
    const byDate = await fetch(url, { headers: { 'if-modified-since': first.headers.get('last-modified') ?? '' } });
    expect(byDate.status).toBe(304);
    const stale = await fetch(url, { headers: { 'if-none-match': 'W/"other"' } });
    expect(stale.status).toBe(200);
    await stale.text();
    expect(trac.requests.map((r) => [r.path, r.status])).toEqual([
      ['/ticket/1', 200],
      ['/ticket/1', 304],
      ['/ticket/1', 304],
      ['/ticket/1', 200],
    ]);
    expect(trac.requests[1]?.headers['if-none-match']).toBe(etag);
  });
});

describe('the demo entry', () => {
  test('is a valid tracker entry; it imports through the engine, and a second run is all 304s', async () => {
    const trac = start();
    const yaml = `trackers:\n${demoTracEntry(trac.url)}\n`;
    const file = parseTrackerText(yaml, 'demo.yaml', [tracAdapter as unknown as TrackerAdapter]);
    expect(file.problems).toEqual([]);
    const loaded = file.entries[0];
    if (loaded?.adapter === undefined) throw new Error('entry not loaded');

    const dir = tempDir('customs-fake-trac-');
    const run = (): Promise<EngineRun> => importEntry(loaded, dir);

    const firstRun = await run();
    expect(firstRun.exitCode).toBe(0);
    firstRun.records.forEach(assertValidRecord);
    const tickets = demoTracTickets();
    const open = tickets.filter((t) => t.status !== 'closed');
    const expectedIds = new Set([
      ...open.filter((t) => t.keywords.includes('easy') || t.component === 'documentation').map((t) => t.id),
      ...DEMO_TRAC_DELETED,
      tickets.find((t) => t.status === 'closed' && !t.keywords.includes('easy'))?.id ?? 0,
    ]);
    const ids = firstRun.records.map((r) => Number(String(r.canonical_bug_link).split('/').pop()));
    expect(new Set(ids)).toEqual(expectedIds);
    expect(ids.length).toBe(expectedIds.size);
    expect(firstRun.records.filter((r) => r._deleted === true).map((r) => r.canonical_bug_link)).toEqual(DEMO_TRAC_DELETED.map((id) => `${trac.url}/ticket/${id}`));
    const normal = firstRun.records.filter((r) => r._deleted !== true);
    for (const r of normal) {
      const ticket = tickets.find((t) => `${trac.url}/ticket/${t.id}` === r.canonical_bug_link);
      expect(r.title).toBe(ticket?.summary);
      expect(r.date_reported).toBe(ticket?.time);
      expect(r.last_touched).toBe(ticket?.changetime);
      expect(r.good_for_newcomers).toBe(ticket?.keywords.includes('easy'));
      expect(r.concerns_just_documentation).toBe(ticket?.component === 'documentation');
      expect(r._project_name).toBe(`Quillmate (${ticket?.component})`);
      expect(Number(r.people_involved)).toBeGreaterThan(0);
    }
    expect(firstRun.events.filter((e) => e.type === 'warning')).toEqual([]);

    const before = trac.requests.length;
    const secondRun = await run();
    expect(secondRun.exitCode).toBe(0);
    expect(secondRun.records).toHaveLength(firstRun.records.length);
    const again = trac.requests.slice(before);
    // Every 200 of the first run is revalidated and answered 304; a 404 has no validator, so the
    // deleted ticket is asked again (as a real Trac allows).
    expect(again.length).toBeGreaterThan(DEMO_TRAC_DELETED.length);
    expect(again.filter((r) => r.status !== 304).map((r) => `${r.path} ${r.status}`)).toEqual(DEMO_TRAC_DELETED.map((id) => `/ticket/${id}?format=csv 404`));
  });
});
