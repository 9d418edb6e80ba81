// The real Roundup recordings of ../shared/reference (oh-bugimporters' sample data), served through
// the real engine: the Mercurial-named CSV export and the bugs.python.org issue pages. Every
// record must be schema-valid and sensible. The recordings are read in place, never copied; the
// test skips when the folder is absent.
import { describe, expect, test } from 'bun:test';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TrackerAdapter, TrackerEntry } from '../../src/core/types.ts';
import { roundupAdapter } from '../../trackers/roundup.ts';
import { replay, type Route } from '../helpers/replay.ts';
import { assertValidRecord } from '../helpers/schema.ts';

const DIR = join(import.meta.dir, '../../../shared/reference/oh-bugimporters');
const present = existsSync(DIR);
const recording = (name: string): string => readFileSync(join(DIR, name), 'utf8');
const adapter = roundupAdapter as unknown as TrackerAdapter;

/** The query oh-bugimporters' Mercurial test asked, under our local server. */
const QUERY =
  '/bts/issue?@action=export_csv&@columns=id,activity,title,creator,status&@sort=-activity&@group=priority&@filter=status,assignedto&@pagesize=50&@startwith=0&status=-1,1,2,3,4,5,6,7,9,10';

const PAGES: Readonly<Record<string, string>> = {
  '/bts/issue1550': 'closed-mercurial-bug.html',
  '/python/issue8264': 'python-roundup-8264.html',
  '/python/issue20682': 'python-roundup-20682.html',
};

function route(url: URL): Route | undefined {
  if (url.pathname === '/bts/issue' && url.searchParams.get('@action') === 'export_csv') {
    return { headers: { 'content-type': 'text/csv; charset=utf-8' }, body: recording('fake-mercurial-csv.csv') };
  }
  const page = PAGES[url.pathname];
  return page === undefined ? undefined : { headers: { 'content-type': 'text/html; charset=utf-8' }, body: recording(page) };
}

const ENTRIES: readonly TrackerEntry[] = [
  {
    tracker_name: 'Mercurial',
    bugimporter: 'roundup.RoundupBugImporter',
    base_url: '{origin}/bts/',
    queries: [`{origin}${QUERY}`],
    closed_status: 'resolved',
    bitesized_field: 'Topics',
    bitesized_text: 'bitesized',
    documentation_field: 'Topics',
    documentation_text: 'documentation',
  },
  {
    tracker_name: 'Python',
    bugimporter: 'roundup',
    base_url: '{origin}/python/',
    existing_bug_urls: ['{origin}/python/issue8264', '{origin}/python/issue20682'],
    custom_parser: 'python',
    bitesized_field: 'Keywords',
    bitesized_text: 'easy',
    documentation_field: 'Components',
    documentation_text: 'Documentation',
  },
];

describe.skipIf(!present)('Roundup recordings through the engine', () => {
  test('every record is valid and sensible', async () => {
    const { result, records, origin, warnings } = await replay(adapter, ENTRIES, route, { extendedScrape: true });
    expect(result.exitCode).toBe(0);
    expect(warnings).toEqual([]);
    expect(records.length).toBe(3);
    for (const record of records) {
      assertValidRecord(record);
      expect(String(record.title).trim()).not.toBe('');
      expect(String(record.canonical_bug_link).startsWith(`${origin}/`)).toBe(true);
      expect(record.date_reported).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:00Z$/);
      expect(record.last_touched).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:00Z$/);
      expect(String(record.last_touched) >= String(record.date_reported)).toBe(true);
      expect(record.submitter_username).not.toBe('');
      expect(Number(record.people_involved)).toBeGreaterThan(0);
      expect(String(record.description).length).toBeGreaterThan(20);
      expect(String(record.description)).not.toContain('<a href');
      expect(record.raw_data).toBeDefined();
    }
    const byId = new Map(records.map((r) => [String(r.canonical_bug_link).replace(/^.*issue/, ''), r]));

    // The CSV row's id names the page: <base_url>issue1550.
    const hg = byId.get('1550');
    expect(hg?.canonical_bug_link).toBe(`${origin}/bts/issue1550`);
    expect(hg?.status).toBe('resolved');
    expect(hg?.looks_closed).toBe(true);
    expect(hg?.submitter_realname).toBe('Ben Hayden');
    expect(hg?.good_for_newcomers).toBe(true);
    expect(hg?.date_reported).toBe('2007-12-03T16:34:00Z');
    expect((hg?.raw_data as Record<string, unknown>).files).toEqual([{ url: 'file8863/pydocbug.patch', author: 'benjhayden' }]);

    // Python parser: open with Stage "needs patch"; the Documentation component.
    const open = byId.get('8264');
    expect(open?.status).toBe('needs patch');
    expect(open?.looks_closed).toBe(false);
    expect(open?.concerns_just_documentation).toBe(true);
    expect(open?.people_involved).toBe(2);

    // Closed, authors with badges, no priority.
    const closed = byId.get('20682');
    expect(closed?.status).toBe('closed');
    expect(closed?.looks_closed).toBe(true);
    expect(closed?.importance).toBe('');
    expect(closed?.submitter_realname).toBe('STINNER Victor');
    expect(closed?.people_involved).toBe(3);
  });
});
