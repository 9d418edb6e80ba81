// The fake Bugzilla: its data, the classic pages and REST answers, validators and 304s, and the
// demo entry imported through the real engine twice (the second run revalidated).
import { describe, expect, test } from 'bun:test';
import { parseTrackerText } from '../../src/config/load.ts';
import type { TrackerAdapter } from '../../src/core/types.ts';
import { DEMO_BUGZILLA_DELETED, demoBugzillaBugs, demoBugzillaEntry, type FakeBugzilla, startFakeBugzilla } from '../../src/demo/fake-bugzilla.ts';
import { bugzillaAdapter } from '../../trackers/bugzilla.ts';
import { buglistIds, csvIds } from '../../trackers/bugzilla-lists.ts';
import { bugError, bugFromXml, readBugzillaXml } from '../../trackers/bugzilla-xml.ts';
import { tempDir } from '../helpers/cli.ts';
import { type EngineRun, importEntry, stoppedAfterEach } from '../helpers/fake-servers.ts';
import { assertValidRecord } from '../helpers/schema.ts';

const adapter = bugzillaAdapter as unknown as TrackerAdapter;
const start = stoppedAfterEach(startFakeBugzilla);

describe('data', () => {
  test('60 deterministic bugs with easy ones, documentation ones, closed ones', () => {
    const bugs = demoBugzillaBugs();
    expect(bugs).toHaveLength(60);
    expect(demoBugzillaBugs()).toEqual(bugs);
    expect(bugs.filter((b) => b.keywords.includes('easy')).length).toBeGreaterThan(5);
    expect(bugs.filter((b) => b.component === 'Documentation').length).toBeGreaterThan(5);
    expect(bugs.filter((b) => b.resolution !== '').length).toBeGreaterThan(5);
    expect(bugs.some((b) => b.comments.some((c) => c.whoName === ''))).toBe(true);
    for (const id of DEMO_BUGZILLA_DELETED) expect(bugs.some((b) => b.id === id)).toBe(false);
  });
});

describe('answers', () => {
  test('buglist.cgi as HTML (XML-export form) and as CSV pages', async () => {
    const bz = start();
    const easy = demoBugzillaBugs().filter((b) => b.keywords.includes('easy')).map((b) => b.id);
    const page = await fetch(`${bz.url}/buglist.cgi?keywords=easy&limit=0`);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(buglistIds(await page.text(), 'u').ids).toEqual(easy);
    const none = await (await fetch(`${bz.url}/buglist.cgi?keywords=no-such-keyword`)).text();
    expect(buglistIds(none, 'u').ids).toEqual([]);
    const csv = await (await fetch(`${bz.url}/buglist.cgi?ctype=csv&limit=10&offset=20`)).text();
    expect(csvIds(csv, 'u')).toMatchObject({ ids: Array.from({ length: 10 }, (_, i) => 2021 + i), rows: 10 });
  });

  test('show_bug.cgi?ctype=xml batches, NotFound for a gone bug, urlbase from publicUrl', async () => {
    const bz = start({ publicUrl: 'http://bugzilla.demo.localhost' });
    const body = await (await fetch(`${bz.url}/show_bug.cgi?ctype=xml&excludefield=attachmentdata&id=2001&id=2061&id=2002`)).text();
    expect(body).toContain('urlbase="http://bugzilla.demo.localhost/"');
    const { bugs, warnings } = readBugzillaXml(body, 'u');
    expect(warnings).toEqual([]);
    expect(bugs.map(bugError)).toEqual([undefined, 'NotFound', undefined]);
    const first = bugs[0] === undefined ? 'none' : bugFromXml(bugs[0]);
    expect(typeof first === 'string' ? first : first.id).toBe(2001);
  });

  test('REST: paged search with include_fields, a single gone bug, comments', async () => {
    const bz = start();
    const search = (await (await fetch(`${bz.url}/rest/bug?product=Tessel&include_fields=id,summary,is_open&limit=5&offset=5`)).json()) as { bugs: Record<string, unknown>[] };
    expect(search.bugs).toHaveLength(5);
    expect(Object.keys(search.bugs[0] ?? {}).sort()).toEqual(['id', 'is_open', 'summary']);
    const gone = await fetch(`${bz.url}/rest/bug/2061`);
    expect(gone.status).toBe(404);
    expect(await gone.json()).toMatchObject({ error: true, code: 101 });
    const comments = (await (await fetch(`${bz.url}/rest/bug/2001/comment?ids=2001&ids=2002`)).json()) as { bugs: Record<string, { comments: { count: number }[] }> };
    expect(Object.keys(comments.bugs)).toEqual(['2001', '2002']);
    expect(comments.bugs['2001']?.comments[0]?.count).toBe(0);
  });

  test('ETag and Last-Modified, 304 on revalidation; every request recorded with its headers', async () => {
    const bz = start();
    const url = `${bz.url}/show_bug.cgi?ctype=xml&id=2003`;
    const first = await fetch(url);
    const etag = first.headers.get('etag');
    const lastModified = first.headers.get('last-modified');
    expect(etag).toMatch(/^"[0-9a-f]+"$/);
    expect(lastModified).not.toBeNull();
    expect((await fetch(url, { headers: { 'if-none-match': etag ?? '' } })).status).toBe(304);
    expect((await fetch(url, { headers: { 'if-modified-since': lastModified ?? '' } })).status).toBe(304);
    expect((await fetch(url, { headers: { 'if-none-match': '"other"' } })).status).toBe(200);
    expect(bz.requests.map((r) => r.status)).toEqual([200, 304, 304, 200]);
    expect(bz.requests[1]?.headers['if-none-match']).toBe(etag ?? '');
  });
});

describe('the demo entry', () => {
  async function run(bz: FakeBugzilla, dir: string, yaml = demoBugzillaEntry(bz.url), env: Record<string, string> = {}): Promise<EngineRun> {
    const file = parseTrackerText(`trackers:\n${yaml}\n`, 'demo.yaml', [adapter]);
    expect(file.problems.filter((p) => p.severity === 'error')).toEqual([]);
    const loaded = file.entries[0];
    if (!loaded) throw new Error('no entry');
    return importEntry({ entry: loaded.entry, adapter }, dir, { env });
  }

  test('validates, imports, and a second run is served by revalidation', async () => {
    const bz = start();
    const dir = tempDir('customs-fake-bugzilla-');
    const first = await run(bz, dir);
    expect(first.exitCode).toBe(0);
    first.records.forEach(assertValidRecord);
    const bugs = demoBugzillaBugs();
    const open = (b: (typeof bugs)[number]): boolean => b.resolution === '';
    const expected = new Set(bugs.filter((b) => open(b) && (b.keywords.includes('easy') || b.component === 'Documentation')).map((b) => b.id));
    const live = first.records.filter((r) => r._deleted !== true);
    expect(live.length).toBe(expected.size + 1);
    expect(live.some((r) => r.good_for_newcomers === true)).toBe(true);
    expect(live.some((r) => r.concerns_just_documentation === true)).toBe(true);
    expect(new Set(live.map((r) => r._project_name))).toEqual(new Set(['Tessel', 'Tessel Website']));
    expect(first.records.filter((r) => r._deleted === true).map((r) => r.canonical_bug_link)).toEqual(DEMO_BUGZILLA_DELETED.map((id) => `${bz.url}/show_bug.cgi?id=${id}`));
    // Two queries, then one batch (the pool is smaller than 100 bugs).
    expect(bz.requests.map((r) => r.path.split('?')[0])).toEqual(['/buglist.cgi', '/buglist.cgi', '/show_bug.cgi']);

    const before = bz.requests.length;
    const second = await run(bz, dir);
    expect(second.exitCode).toBe(0);
    expect(second.records).toHaveLength(first.records.length);
    expect(bz.requests.slice(before).map((r) => r.status)).toEqual([304, 304, 304]);
  });

  test('the REST interface against the same fake: the API key in a header, a gone known bug', async () => {
    const bz = start();
    const yaml = [
      '  - tracker_name: Tessel REST',
      '    bugimporter: bugzilla',
      `    base_url: ${bz.url}/`,
      '    queries:',
      `      - ${bz.url}/rest/bug?product=Tessel&component=Documentation`,
      '    existing_bug_urls:',
      `      - ${bz.url}/show_bug.cgi?id=2002`,
      `      - ${bz.url}/show_bug.cgi?id=2061`,
      '    batch_size: "4"',
      '    token_env: BZ_KEY',
    ].join('\n');
    const { exitCode, records } = await run(bz, tempDir('customs-fake-bugzilla-rest-'), yaml, { BZ_KEY: 'demo-api-key' });
    expect(exitCode).toBe(0);
    records.forEach(assertValidRecord);
    const docs = demoBugzillaBugs().filter((b) => b.product === 'Tessel' && b.component === 'Documentation');
    expect(records.filter((r) => r._deleted !== true).length).toBe(docs.length + (docs.some((b) => b.id === 2002) ? 0 : 1));
    expect(records.filter((r) => r._deleted === true).map((r) => r.canonical_bug_link)).toEqual([`${bz.url}/show_bug.cgi?id=2061`]);
    expect(records.every((r) => r._deleted === true || String(r.description) !== '')).toBe(true);
    const restRequests = bz.requests.filter((r) => r.path.startsWith('/rest/'));
    expect(restRequests.length).toBeGreaterThan(3);
    for (const r of restRequests) {
      expect(r.headers['x-bugzilla-api-key']).toBe('demo-api-key');
      expect(r.path).not.toContain('demo-api-key');
    }
  });
});
