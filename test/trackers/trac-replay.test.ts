// Trac through the real engine: our fixtures served on 127.0.0.1. Two queries (one also lists a
// known ticket), ticket CSVs and pages of every layout, a known ticket that is gone (404), a page
// that fails (500: the record comes from the CSV), and malformed answers that fail one tracker only.
import { describe, expect, test } from 'bun:test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TrackerAdapter, TrackerEntry } from '../../src/core/types.ts';
import { tracAdapter } from '../../trackers/trac.ts';
import { replay, type Route } from '../helpers/replay.ts';
import { assertValidRecord } from '../helpers/schema.ts';

const adapter = tracAdapter as unknown as TrackerAdapter;
const fixture = (name: string): string => readFileSync(join(import.meta.dir, '../fixtures/trac', name), 'utf8');
const csv = (name: string): Route => ({ headers: { 'content-type': 'text/csv;charset=utf-8' }, body: fixture(name) });
const html = (name: string, status = 200): Route => ({ status, headers: { 'content-type': 'text/html;charset=utf-8' }, body: fixture(name) });
const oops = (status: number): Route => ({ status, headers: { 'content-type': 'text/html;charset=utf-8' }, body: `<html><body><h1>Error ${status}</h1></body></html>` });

const ROUTES: Readonly<Record<string, Route>> = {
  '/inkwell/query?status=!closed&keywords=~easy&format=csv&max=0': csv('query-easy.csv'),
  '/inkwell/query?component=documentation&format=csv&max=0': csv('query-no-times.csv'),
  '/inkwell/ticket/101?format=csv': csv('ticket-101.csv'),
  '/inkwell/ticket/101': html('page-0.11.html'),
  '/inkwell/ticket/102?format=csv': csv('ticket-102.csv'),
  '/inkwell/ticket/102': oops(500),
  '/inkwell/ticket/103?format=csv': csv('ticket-103.csv'),
  '/inkwell/ticket/103': html('page-1.0.html'),
  '/inkwell/ticket/104?format=csv': csv('ticket-104.csv'),
  '/inkwell/ticket/104': html('page-themed-dates.html'),
  '/inkwell/ticket/105?format=csv': oops(404),
  '/inkwell/ticket/106?format=csv': csv('ticket-106.csv'),
  '/inkwell/ticket/106': html('page-0.13.html'),
  '/inkwell/ticket/107?format=csv': csv('ticket-107.csv'),
  '/inkwell/ticket/107': html('page-themed-properties.html'),
};

const INKWELL: TrackerEntry = {
  tracker_name: 'Inkwell',
  bugimporter: 'trac',
  base_url: '{origin}/inkwell',
  queries: ['{origin}/inkwell/query?status=!closed&keywords=~easy', '{origin}/inkwell/query?component=documentation&format=csv'],
  existing_bug_urls: ['{origin}/inkwell/ticket/105', '{origin}/inkwell/ticket/106', '{origin}/inkwell/ticket/107', '{origin}/inkwell/ticket/101'],
  bitesized_type: 'keywords',
  bitesized_text: 'easy',
  documentation_type: 'component',
  documentation_text: 'documentation',
  bug_project_name_format: '{tracker_name} ({component})',
};

describe('Trac through the engine', () => {
  test('queries, known tickets, a deleted ticket and a failed page', async () => {
    const { result, records, requests, warnings, origin } = await replay(adapter, INKWELL, ROUTES);
    expect(result.exitCode).toBe(0);
    records.forEach(assertValidRecord);
    const byLink = new Map(records.map((r) => [String(r.canonical_bug_link).replace(origin, ''), r]));
    expect([...byLink.keys()].sort()).toEqual([101, 102, 103, 104, 105, 106, 107].map((n) => `/inkwell/ticket/${n}`));

    expect(byLink.get('/inkwell/ticket/105')).toEqual({
      canonical_bug_link: `${origin}/inkwell/ticket/105`,
      _deleted: true,
      _tracker_name: 'Inkwell',
      _project_name: 'Inkwell', // the format uses {component}, which a deleted ticket lacks
      last_polled: byLink.get('/inkwell/ticket/105')?.last_polled,
    });
    expect(byLink.get('/inkwell/ticket/101')).toMatchObject({
      title: 'Footnotes render twice when a page is previewed',
      people_involved: 4,
      date_reported: '2021-03-04T09:20:30Z',
      last_touched: '2021-03-09T07:00:05Z',
      good_for_newcomers: true,
      _project_name: 'Inkwell (rendering)',
    });
    // The page answered 500: the record comes from the CSV, the dates from the query row.
    expect(byLink.get('/inkwell/ticket/102')).toMatchObject({
      title: 'Add a "copy link" button to headings',
      people_involved: 2,
      date_reported: '2021-04-11T15:45:00Z',
      last_touched: '2021-05-02T08:12:44Z',
      good_for_newcomers: true,
    });
    expect(warnings.some((w) => w.includes(`${origin}/inkwell/ticket/102: the ticket page failed`))).toBe(true);
    expect(byLink.get('/inkwell/ticket/103')).toMatchObject({ concerns_just_documentation: true, good_for_newcomers: true, date_reported: '2021-06-01T11:00:00Z' });
    expect(byLink.get('/inkwell/ticket/104')).toMatchObject({ concerns_just_documentation: true, good_for_newcomers: false, date_reported: '2009-11-02T14:05:09Z' });
    expect(byLink.get('/inkwell/ticket/106')).toMatchObject({ looks_closed: true, people_involved: 4 });
    expect(byLink.get('/inkwell/ticket/107')).toMatchObject({ status: 'reopened', last_touched: '2021-03-20T15:30:00Z' });

    // Each URL once (the failing page is retried once by the engine); 105's page is never asked.
    const retried = requests.filter((r) => r === '/inkwell/ticket/102');
    expect(retried.length).toBe(2);
    const others = requests.filter((r) => r !== '/inkwell/ticket/102');
    expect(new Set(others).size).toBe(others.length);
    expect(requests).not.toContain('/inkwell/ticket/105');
    expect(requests.filter((r) => r.startsWith('/inkwell/ticket/101')).length).toBe(2);
  });

  test('--extended-scrape adds raw_data', async () => {
    const entry = { ...INKWELL, queries: [], existing_bug_urls: ['{origin}/inkwell/ticket/104'] };
    const { records } = await replay(adapter, entry, ROUTES, { extendedScrape: true });
    const [record] = records;
    assertValidRecord(record);
    expect(record?.raw_data).toMatchObject({ csv: { id: '104', component: 'documentation' }, properties: { 'Reported by': 'pbrandt', Version: '1.1' } });
  });

  test('malformed answers: a login page fails its tracker with the URL, an empty CSV warns, the others go on', async () => {
    const routes: Record<string, Route> = {
      ...ROUTES,
      '/private/query?format=csv&max=0': html('login.html'),
      '/quiet/query?format=csv&max=0': { headers: { 'content-type': 'text/csv' }, body: '' },
      '/broken/ticket/1?format=csv': html('login.html'),
    };
    const entries: TrackerEntry[] = [
      { tracker_name: 'Private', bugimporter: 'trac', base_url: '{origin}/private/', queries: ['{origin}/private/query'] },
      { tracker_name: 'Quiet', bugimporter: 'trac', base_url: '{origin}/quiet/', queries: ['{origin}/quiet/query'] },
      { tracker_name: 'Broken', bugimporter: 'trac', base_url: '{origin}/broken/', existing_bug_urls: ['{origin}/broken/ticket/1'] },
      { tracker_name: 'Inkwell', bugimporter: 'trac', base_url: '{origin}/inkwell/', existing_bug_urls: ['{origin}/inkwell/ticket/106'] },
    ];
    const { result, events, records, warnings, origin } = await replay(adapter, entries, routes);
    expect(result.exitCode).toBe(1);
    const done = (name: string) => events.find((e) => e.type === 'tracker-done' && e.tracker === name);
    expect(done('Private')).toMatchObject({ status: 'failed', error: `got HTML instead of CSV: ${origin}/private/query?format=csv&max=0` });
    expect(done('Broken')).toMatchObject({ status: 'failed', error: `got HTML instead of CSV: ${origin}/broken/ticket/1?format=csv` });
    expect(done('Quiet')).toMatchObject({ status: 'ok' });
    expect(done('Inkwell')).toMatchObject({ status: 'ok' });
    expect(warnings).toContain(`the query answered nothing at all, not even a CSV header: ${origin}/quiet/query?format=csv&max=0`);
    records.forEach(assertValidRecord);
    expect(records.map((r) => r.canonical_bug_link)).toEqual([`${origin}/inkwell/ticket/106`]);
  });
});
