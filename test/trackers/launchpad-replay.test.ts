// Launchpad through the real engine: our fixtures served on 127.0.0.1 as the API root (and the
// web host of the bug links). Two task pages, tasks sharing a bug and bugs sharing an owner (each
// URL fetched once, no record lost), known bugs refreshed or gone, an incremental run, an HTML
// answer, and the real recordings in ../shared/reference when they are there.

import { describe, expect, test } from 'bun:test';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AdapterContext, Handler, TrackerAdapter } from '../../src/core/types.ts';
import { launchpadAdapter, type LaunchpadEntry } from '../../trackers/launchpad.ts';
import { replay, type Route } from '../helpers/replay.ts';
import { assertValidRecord } from '../helpers/schema.ts';

const adapter = launchpadAdapter as unknown as TrackerAdapter;
const JSON_TYPE = { 'content-type': 'application/json' };

function fixture(name: string, origin: string): string {
  return readFileSync(join(import.meta.dir, '../fixtures/launchpad', name), 'utf8').replaceAll('{api}', `${origin}/1.0`).replaceAll('{web}', origin);
}

/** Our fixtures by path; the task list answers by `ws.start` whatever else the URL carries. */
function quillpad(url: URL, extra: Readonly<Record<string, Route>> = {}): Route | undefined {
  const origin = url.origin;
  const path = url.pathname;
  const own = extra[path + url.search] ?? extra[path];
  if (own !== undefined) return own;
  const json = (name: string): Route => ({ headers: JSON_TYPE, body: fixture(name, origin) });
  if (path === '/1.0/quillpad' && url.searchParams.get('ws.op') === 'searchTasks') {
    return json(url.searchParams.get('ws.start') === '2' ? 'tasks-page-2.json' : 'tasks-page-1.json');
  }
  if (path === '/1.0/ubuntu/+source/quillpad') return json('tasks-ubuntu.json');
  let m = /^\/1\.0\/bugs\/(\d+)$/.exec(path);
  if (m) return existsSync(join(import.meta.dir, `../fixtures/launchpad/bug-${m[1]}.json`)) ? json(`bug-${m[1]}.json`) : undefined;
  m = /^\/1\.0\/bugs\/(\d+)\/subscriptions$/.exec(path);
  if (m) {
    if (url.searchParams.get('ws.show') === 'total_size') return { headers: JSON_TYPE, body: '4' };
    return json(`subscriptions-${m[1]}.json`);
  }
  m = /^\/1\.0\/bugs\/(\d+)\/bug_tasks$/.exec(path);
  if (m) {
    const name = `bug-tasks-${m[1]}.json`;
    if (existsSync(join(import.meta.dir, '../fixtures/launchpad', name))) return json(name);
    return { status: 404, headers: { 'content-type': 'text/plain' }, body: `Object: <Bug at 0x7f3a>, name: '${m[1]}'` };
  }
  if (path === '/1.0/~mira') return json('person-mira.json');
  if (path === '/1.0/~olek') return json('person-olek.json');
  // A suspended account.
  if (path === '/1.0/~former-contributor') return { status: 410, headers: { 'content-type': 'text/plain' }, body: 'Object: <Person at 0x7f3b>, name: former-contributor' };
  return undefined;
}

const ENTRY: LaunchpadEntry = {
  tracker_name: 'Quillpad',
  bugimporter: 'launchpad',
  api_url: '{origin}/1.0/',
  queries: ['{origin}/1.0/quillpad?ws.op=searchTasks', '{origin}/1.0/ubuntu/+source/quillpad?ws.op=searchTasks'],
  bitesized_tag: 'bitesize',
  documentation_tag: 'documentation',
  existing_bug_urls: ['{origin}/quillpad/+bug/2100101', '{origin}/quillpad/+bug/2100198', '{origin}/quillpad/+bug/2100199'],
};

/** The adapter as the engine will call it on an incremental run (the engine's `since`). */
function withSince(since: Date): TrackerAdapter {
  const handlers: Record<string, Handler<LaunchpadEntry>> = {};
  for (const [kind, handler] of Object.entries(launchpadAdapter.handlers)) handlers[kind] = (res, req, ctx) => handler(res, req, { ...ctx, since });
  return { ...launchpadAdapter, plan: (ctx: AdapterContext<LaunchpadEntry>) => launchpadAdapter.plan({ ...ctx, since }), handlers } as unknown as TrackerAdapter;
}

test('every page, every task: shared bugs and owners are fetched once and every record is written', async () => {
  const { result, records, requests, warnings, origin } = await replay(adapter, ENTRY, (url) => quillpad(url));
  expect(result.exitCode).toBe(0);
  records.forEach(assertValidRecord);
  expect(records.map((r) => r.canonical_bug_link).sort()).toEqual([
    `${origin}/quillpad/+bug/2100101`,
    `${origin}/quillpad/+bug/2100102`,
    `${origin}/quillpad/+bug/2100103`,
    `${origin}/quillpad/+bug/2100104`,
    `${origin}/quillpad/+bug/2100198`,
    `${origin}/quillpad/+bug/2100199`,
    `${origin}/ubuntu/+source/quillpad/+bug/2100103`,
  ]);
  // Both pages of the list were read.
  expect(requests).toContain('/1.0/quillpad?ws.op=searchTasks&ws.size=2&memo=2&ws.start=2');
  // ~mira owns 2100101 and 2100102 (and the known 2100101 asks again); bug 2100103 has two tasks.
  const count = (path: string): number => requests.filter((r) => r === path).length;
  expect(count('/1.0/~mira')).toBe(1);
  expect(count('/1.0/bugs/2100101')).toBe(1);
  expect(count('/1.0/bugs/2100103')).toBe(1);
  expect(new Set(requests).size).toBe(requests.length);
  const byLink = (link: string): Record<string, unknown> | undefined => records.find((r) => r.canonical_bug_link === link);
  expect(byLink(`${origin}/quillpad/+bug/2100102`)).toMatchObject({ submitter_realname: 'Mira Nowak', looks_closed: true, concerns_just_documentation: true });
  expect(byLink(`${origin}/quillpad/+bug/2100101`)).toMatchObject({ submitter_realname: 'Mira Nowak', good_for_newcomers: true, people_involved: 3 });
  expect(byLink(`${origin}/ubuntu/+source/quillpad/+bug/2100103`)).toMatchObject({ status: 'Confirmed', submitter_username: 'former-contributor', submitter_realname: '' });
  expect(byLink(`${origin}/quillpad/+bug/2100104`)).toMatchObject({ people_involved: 4 });
  // 404 on bug_tasks, and a bug that now only concerns another project.
  expect(records.filter((r) => r._deleted === true).map((r) => r.canonical_bug_link).sort()).toEqual([
    `${origin}/quillpad/+bug/2100198`,
    `${origin}/quillpad/+bug/2100199`,
  ]);
  expect(warnings.filter((w) => w.includes('repeated'))).toEqual([]);
});

test('incremental: the list asks modified_since and every status; known bugs are still refreshed', async () => {
  const since = new Date('2024-06-20T10:00:00Z');
  const { result, records, requests, origin } = await replay(withSince(since), ENTRY, (url) => quillpad(url));
  expect(result.exitCode).toBe(0);
  records.forEach(assertValidRecord);
  const first = new URL(`http://x${requests[0] ?? ''}`);
  expect(first.pathname).toBe('/1.0/quillpad');
  expect(first.searchParams.get('modified_since')).toBe('2024-06-20T10:00:00+00:00');
  expect(first.searchParams.getAll('status')).toContain('Fix Released');
  expect(requests).toContain('/1.0/bugs/2100198/bug_tasks');
  const links = records.map((r) => r.canonical_bug_link);
  expect(links).toContain(`${origin}/quillpad/+bug/2100104`);
  expect(links).toContain(`${origin}/quillpad/+bug/2100198`);
});

test('an HTML page instead of JSON fails the tracker with an error naming the URL', async () => {
  const html: Route = { headers: { 'content-type': 'text/html; charset=utf-8' }, body: '<!DOCTYPE html><html><title>Oops!</title><body>Sorry, something just went wrong in Launchpad.</body></html>' };
  const { result, events } = await replay(adapter, { ...ENTRY, existing_bug_urls: [] }, (url) =>
    url.searchParams.get('ws.start') === '2' ? html : quillpad(url),
  );
  expect(result.exitCode).toBe(1);
  const error = events.find((e) => e.type === 'tracker-error');
  expect(error?.type === 'tracker-error' ? error.message : '').toContain('/1.0/quillpad?ws.op=searchTasks&ws.size=2&memo=2&ws.start=2');
  expect(error?.type === 'tracker-error' ? error.message : '').toContain('HTML');
});

// ---------------------------------------------------------------------------------------------
// The real recordings, read (never copied) when ../shared/reference is there. Their API and web
// hosts are rewritten to the local server's origin as they are served.

// Paths, not URLs: some recordings have `?` or `~` in their file names.
const REFERENCE = join(import.meta.dir, '../../../shared/reference');
const haveReference = existsSync(join(REFERENCE, 'oh-bugimporters/launchpad/bugs_839461'));

describe.skipIf(!haveReference)('real Launchpad recordings (read-only, when present)', () => {
  const served = (path: string, origin: string): Route => ({
    headers: JSON_TYPE,
    body: readFileSync(join(REFERENCE, path), 'utf8')
      .replaceAll('https://api.launchpad.net', origin)
      .replaceAll('https:\\/\\/api.launchpad.net', origin)
      .replaceAll('https://bugs.launchpad.net', origin),
  });

  test('oh-bugimporters: the bzr chain, and a known bug refreshed from a single task object', async () => {
    const files: Readonly<Record<string, string>> = {
      '/1.0/bzr': 'oh-bugimporters/launchpad/bzr?ws.op=searchTasks',
      '/1.0/bugs/839461': 'oh-bugimporters/launchpad/bugs_839461',
      '/1.0/bugs/839461/subscriptions': 'oh-bugimporters/launchpad/bugs_839461_subscriptions',
      '/1.0/bugs/839461/bug_tasks': 'oh-bugimporters/launchpad/bugs_task_839461',
      '/1.0/~vila': 'oh-bugimporters/launchpad/~vila',
    };
    const { result, records, requests, origin } = await replay(
      adapter,
      { tracker_name: 'Bazaar', bugimporter: 'launchpad', api_url: '{origin}/1.0/', launchpad_name: 'bzr', existing_bug_urls: ['{origin}/bzr/+bug/839461'] },
      (url) => {
        const file = files[url.pathname];
        return file === undefined ? undefined : served(file, url.origin);
      },
    );
    expect(result.exitCode).toBe(0);
    records.forEach(assertValidRecord);
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({
      canonical_bug_link: `${origin}/bzr/+bug/839461`,
      title: 'Bug #839461 in Bazaar: "can\'t run selftest for 2.2 with recent subunit/testtools"',
      status: 'Confirmed',
      importance: 'Critical',
      people_involved: 1,
      date_reported: '2011-09-02T10:42:43Z',
      last_touched: '2012-08-30T14:16:26Z',
      submitter_username: 'vila',
      submitter_realname: 'Vincent Ladeuil',
      looks_closed: false,
    });
    expect(requests.filter((r) => r.startsWith('/1.0/~vila'))).toHaveLength(1);
  });

  test('Perceval: three pages linked by next_collection_link, bugs sharing one owner', async () => {
    const { result, records, requests, origin } = await replay(
      adapter,
      { tracker_name: 'Synaptic', bugimporter: 'launchpad', api_url: '{origin}/1.0/', launchpad_name: 'mydistribution/+source/mypackage', state: 'all' },
      (url) => {
        const path = url.pathname;
        if (path === '/1.0/mydistribution/+source/mypackage') {
          const start = url.searchParams.get('ws.start') ?? '0';
          return served(`perceval/launchpad/launchpad_issues_page_${Number(start) + 1}`, url.origin);
        }
        const bug = /^\/1\.0\/bugs\/(\d)$/.exec(path);
        if (bug) return served(`perceval/launchpad/launchpad_issue_${bug[1]}`, url.origin);
        // Perceval recorded no subscriptions: a small answer of our own.
        if (/^\/1\.0\/bugs\/\d\/subscriptions$/.test(path)) return { headers: JSON_TYPE, body: '{"total_size": 2, "start": 0, "entries": []}' };
        if (path === '/1.0/~user') return served('perceval/launchpad/launchpad_user_1', url.origin);
        return undefined;
      },
    );
    expect(result.exitCode).toBe(0);
    records.forEach(assertValidRecord);
    expect(records.map((r) => r.canonical_bug_link).sort()).toEqual([1, 2, 3].map((n) => `${origin}/mydistribution/+source/mypackage/+bug/${n}`));
    for (const record of records) {
      expect(record).toMatchObject({ submitter_username: 'user', people_involved: 2, _project_name: 'Synaptic' });
      expect(String(record.date_reported)).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    }
    expect(requests.filter((r) => r.startsWith('/1.0/mydistribution/'))).toHaveLength(3);
    expect(requests.filter((r) => r === '/1.0/~user')).toHaveLength(1);
  });
});
