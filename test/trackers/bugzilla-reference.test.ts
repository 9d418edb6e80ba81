// The real Bugzilla recordings of ../shared/reference (oh-bugimporters and Perceval), read — never
// copied — and served through the real engine when the folder is there; skipped when it is not.
// Every record must be schema-valid and sensible: a title, a link on the tracker's host, dates.
import { describe, expect, test } from 'bun:test';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TrackerAdapter, TrackerEntry } from '../../src/core/types.ts';
import { bugzillaAdapter } from '../../trackers/bugzilla.ts';
import { type ReplayResult, type Route, replay } from '../helpers/replay.ts';
import { assertValidRecord } from '../helpers/schema.ts';

const adapter = bugzillaAdapter as unknown as TrackerAdapter;
const REFERENCE = join(import.meta.dir, '../../../shared/reference');
const OH = 'oh-bugimporters/bugzilla';
const PERCEVAL = 'perceval/bugzilla';
const haveReference = existsSync(join(REFERENCE, OH, 'fewer-pculture-bugs.xml')) && existsSync(join(REFERENCE, PERCEVAL, 'bugzilla_buglist.csv'));

const read = (path: string): string => readFileSync(join(REFERENCE, path), 'utf8');
const served = (path: string, type = 'text/xml; charset=UTF-8'): Route => ({ headers: { 'content-type': type }, body: read(path) });

/** The `<bug_id>` values of a recording (error bugs included). */
function idsIn(path: string): number[] {
  return [...read(path).matchAll(/<bug_id>(\d+)<\/bug_id>/g)].map((m) => Number(m[1]));
}

/** Our own answer for ids no recording holds: Bugzilla's `<bug error="NotPermitted">`. */
function notPermitted(url: URL): Route {
  const bugs = url.searchParams.getAll('id').map((id) => `<bug error="NotPermitted"><bug_id>${id}</bug_id></bug>`);
  return { headers: { 'content-type': 'text/xml' }, body: `<?xml version="1.0" encoding="UTF-8"?>\n<bugzilla version="4.2">${bugs.join('')}</bugzilla>` };
}

function isBatch(url: URL): boolean {
  return url.pathname === '/show_bug.cgi' && url.searchParams.get('ctype') === 'xml' && url.searchParams.has('excludefield');
}

/** Schema-valid, sensible records: a title, a link on the server's host, both dates read. */
function expectSensible({ records, origin }: ReplayResult): void {
  for (const record of records) {
    assertValidRecord(record);
    if (record._deleted === true) continue;
    expect(String(record.title).trim()).not.toBe('');
    expect(String(record.canonical_bug_link)).toMatch(new RegExp(`^${origin}/show_bug\\.cgi\\?id=\\d+$`));
    expect(record.date_reported).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    expect(record.last_touched).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    expect(Number(record.people_involved)).toBeGreaterThanOrEqual(0);
  }
}

function knownEntry(ids: readonly number[], extra: Partial<TrackerEntry> = {}): TrackerEntry {
  return { tracker_name: 'Reference', bugimporter: 'bugzilla', base_url: '{origin}/', existing_bug_urls: ids.map((id) => `{origin}/show_bug.cgi?id=${id}`), ...extra };
}

describe.skipIf(!haveReference)('real Bugzilla recordings (read-only, when present)', () => {
  const batches: readonly [string, number][] = [
    [`${OH}/fewer-pculture-bugs.xml`, 6],
    [`${OH}/lots-of-pculture-bugs.xml`, 14],
    [`${OH}/miro-2294-2009-08-06.xml`, 1],
    [`${OH}/miro-2294-2009-08-06-RESOLVED.xml`, 1],
    [`${OH}/kde-117760-2010-04-09.xml`, 1],
    [`${OH}/kde-182054-2010-04-09.xml`, 1],
    [`${OH}/some-bugs-with-errors.xml`, 1],
    [`${OH}/fedora-tracking-bug.xml`, 1],
    [`${PERCEVAL}/bugzilla_bug.xml`, 1],
    [`${PERCEVAL}/bugzilla_bugs_details.xml`, 5],
    [`${PERCEVAL}/bugzilla_bugs_details_next.xml`, 2],
    [`${PERCEVAL}/bugzilla_bugs_invalid_chars.xml`, 1],
  ];
  for (const [path, expected] of batches) {
    test(`XML batch ${path}`, async () => {
      const result = await replay(adapter, knownEntry(idsIn(path)), (url) => (isBatch(url) ? served(path) : undefined), { extendedScrape: true });
      expect(result.result.exitCode).toBe(0);
      expectSensible(result);
      expect(result.records).toHaveLength(expected);
      expect(result.requests).toHaveLength(1);
    });
  }

  test('dates: zone-less (Miro 2009), -0400 (Red Hat), +0000 (KDE 2012), all in UTC', async () => {
    const dateOf = async (path: string): Promise<unknown> => {
      const { records } = await replay(adapter, knownEntry(idsIn(path)), (url) => (isBatch(url) ? served(path) : undefined));
      return records.find((r) => r._deleted !== true)?.date_reported;
    };
    expect(await dateOf(`${OH}/miro-2294-2009-08-06.xml`)).toBe('2006-06-09T12:49:00Z');
    expect(await dateOf(`${OH}/fedora-tracking-bug.xml`)).toBe('2009-07-06T13:39:00Z');
    expect(await dateOf(`${OH}/some-bugs-with-errors.xml`)).toBe('2010-02-25T16:14:00Z');
  });

  test('KDE junior jobs with the KDE parser; the RESOLVED Miro copy is closed', async () => {
    const kde = await replay(adapter, knownEntry(idsIn(`${OH}/kde-117760-2010-04-09.xml`), { custom_parser: 'bugzilla.KDEBugzilla' }), (url) =>
      isBatch(url) ? served(`${OH}/kde-117760-2010-04-09.xml`) : undefined,
    );
    expect(kde.records[0]).toMatchObject({ good_for_newcomers: true, _project_name: 'kmail', people_involved: 1 });
    const miro = await replay(adapter, knownEntry([2294]), (url) => (isBatch(url) ? served(`${OH}/miro-2294-2009-08-06-RESOLVED.xml`) : undefined));
    expect(miro.records[0]).toMatchObject({ status: 'RESOLVED', looks_closed: true });
  });

  test('HTML buglists: pculture (Bugzilla 4.0) and bugs.kde.org (upper-case XML button)', async () => {
    const pculture = await replay(
      adapter,
      { tracker_name: 'Miro', bugimporter: 'bugzilla', base_url: '{origin}/', queries: ['{origin}/buglist.cgi?keywords=bitesized&product=Miro'], bitesized_type: 'key', bitesized_text: 'bitesized' },
      (url) => {
        if (url.pathname === '/buglist.cgi') return served(`${OH}/pculture-bitesized-query.html`, 'text/html; charset=UTF-8');
        return isBatch(url) ? served(`${OH}/lots-of-pculture-bugs.xml`) : undefined;
      },
    );
    expect(pculture.result.exitCode).toBe(0);
    expectSensible(pculture);
    expect(pculture.records).toHaveLength(14);
    expect(pculture.records.every((r) => r.good_for_newcomers === true)).toBe(true);

    const kde = await replay(
      adapter,
      { tracker_name: 'KDE', bugimporter: 'bugzilla', base_url: '{origin}/', queries: ['{origin}/buglist.cgi?keywords=junior-jobs'] },
      (url) => {
        if (url.pathname === '/buglist.cgi') return served(`${OH}/kde-junior-jobs-query.html`, 'text/html; charset=UTF-8');
        return isBatch(url) ? notPermitted(url) : undefined;
      },
    );
    expect(kde.result.exitCode).toBe(0);
    const asked = kde.requests.filter((r) => r.startsWith('/show_bug.cgi')).flatMap((r) => new URL(r, kde.origin).searchParams.getAll('id'));
    expect(asked).toHaveLength(189);
    expect(kde.requests.filter((r) => r.startsWith('/show_bug.cgi'))).toHaveLength(2);
  });

  test('a tracking bug asks for its 60 dependson bugs', async () => {
    const { result, requests } = await replay(
      adapter,
      { tracker_name: 'Fedora', bugimporter: 'bugzilla', base_url: '{origin}/', queries: ['{origin}/show_bug.cgi?ctype=xml&id=509829'] },
      (url) => {
        if (url.pathname === '/show_bug.cgi' && url.searchParams.get('id') === '509829') return served(`${OH}/fedora-tracking-bug.xml`);
        return isBatch(url) ? notPermitted(url) : undefined;
      },
    );
    expect(result.exitCode).toBe(0);
    const asked = requests.filter((r) => r.includes('excludefield')).flatMap((r) => new URL(r, 'http://x').searchParams.getAll('id'));
    expect(asked).toHaveLength(60);
    expect(asked).not.toContain('509829');
  });

  test('Perceval CSV buglist, then its XML details', async () => {
    const result = await replay(
      adapter,
      { tracker_name: 'MyBugzilla', bugimporter: 'bugzilla', base_url: '{origin}/', queries: ['{origin}/buglist.cgi?ctype=csv&order=changeddate'] },
      (url) => {
        if (url.pathname === '/buglist.cgi') return served(`${PERCEVAL}/bugzilla_buglist.csv`, 'text/csv; charset=UTF-8');
        return isBatch(url) ? served(`${PERCEVAL}/bugzilla_bugs_details.xml`) : undefined;
      },
    );
    expect(result.result.exitCode).toBe(0);
    expectSensible(result);
    expect(result.records).toHaveLength(5);
    expect(result.requests).toEqual(['/buglist.cgi?ctype=csv&order=changeddate&limit=100&offset=0', '/show_bug.cgi?ctype=xml&excludefield=attachmentdata&id=15&id=17&id=18&id=19&id=20']);
  });

  test('Perceval REST search pages and comments', async () => {
    const result = await replay(
      adapter,
      { tracker_name: 'Mozilla', bugimporter: 'bugzilla', base_url: '{origin}/', queries: ['{origin}/rest/bug?product=Connected%20Devices'], batch_size: '2' },
      (url) => {
        const json = 'application/json; charset=UTF-8';
        if (url.pathname === '/rest/bug') {
          const offset = url.searchParams.get('offset');
          return served(`${PERCEVAL}/${offset === null ? 'bugzilla_rest_bugs.json' : 'bugzilla_rest_bugs_next.json'}`, json);
        }
        if (/^\/rest\/bug\/\d+\/comment$/.test(url.pathname)) {
          const ids = url.searchParams.getAll('ids');
          return served(`${PERCEVAL}/${ids.includes('947945') ? 'bugzilla_rest_bugs_comments_empty.json' : 'bugzilla_rest_bugs_comments.json'}`, json);
        }
        return undefined;
      },
    );
    expect(result.result.exitCode).toBe(0);
    expectSensible(result);
    expect(result.records).toHaveLength(3);
    const withComments = result.records.find((r) => String(r.canonical_bug_link).endsWith('id=1273442'));
    expect(withComments?.description).toStartWith('What code is being taken from previous sources?');
    expect(Number(withComments?.people_involved)).toBeGreaterThan(1);
  });

  test('broken answers fail the tracker with the URL: REST error, invalid XML, a version probe', async () => {
    const cases: [TrackerEntry, (url: URL) => Route | undefined, RegExp][] = [
      [
        { tracker_name: 'Locked', bugimporter: 'bugzilla', base_url: '{origin}/', queries: ['{origin}/rest/bug?product=Firefox'] },
        () => ({ status: 400, ...served(`${PERCEVAL}/bugzilla_rest_error.json`, 'application/json') }),
        /API key authentication is required.*\/rest\/bug\?product=Firefox/,
      ],
      [knownEntry([20, 19]), (url) => (isBatch(url) ? served(`${PERCEVAL}/bugzilla_bugs_details_not_valid.xml`) : undefined), /malformed or truncated XML.*show_bug\.cgi/],
      [knownEntry([1]), (url) => (isBatch(url) ? served(`${PERCEVAL}/bugzilla_version.xml`) : undefined), /no <bug> element.*show_bug\.cgi/],
    ];
    for (const [entry, routes, message] of cases) {
      const { result, events } = await replay(adapter, entry, routes);
      expect(result.exitCode).toBe(1);
      const error = events.find((e) => e.type === 'tracker-error');
      expect(error?.type === 'tracker-error' ? error.message : '').toMatch(message);
    }
  });
});
