// The fake Launchpad: its data, paging, filters, gone bugs and people, ETag/304, the request log;
// and the demo entry imported through the real engine against it, twice (the second time from
// revalidated cache entries).

import { describe, expect, test } from 'bun:test';
import { parseTrackerText } from '../../src/config/load.ts';
import type { TrackerAdapter } from '../../src/core/types.ts';
import { DEMO_LAUNCHPAD_GONE_BUG, demoLaunchpadEntry, startFakeLaunchpad } from '../../src/demo/fake-launchpad.ts';
import { ADAPTERS } from '../../trackers/index.ts';
import { launchpadAdapter } from '../../trackers/launchpad.ts';
import { tempDir } from '../helpers/cli.ts';
import { type EngineRun, getJson, type Json, importEntry, stoppedAfterEach } from '../helpers/fake-servers.ts';
import { assertValidRecord } from '../helpers/schema.ts';

const start = stoppedAfterEach(startFakeLaunchpad);

describe('data and answers', () => {
  test('a deterministic project of a few dozen bugs, some bite-sized, some documentation', () => {
    const lp = start();
    const bugs = lp.bugs();
    expect(bugs.length).toBeGreaterThanOrEqual(30);
    expect(bugs.length).toBeLessThanOrEqual(60);
    expect(JSON.stringify(start().bugs())).toBe(JSON.stringify(bugs));
    expect(bugs.filter((b) => b.tags.includes('bitesize')).length).toBeGreaterThanOrEqual(3);
    expect(bugs.filter((b) => b.tags.includes('doc')).length).toBeGreaterThanOrEqual(3);
    expect(bugs.some((b) => b.closed !== null)).toBe(true);
    expect(bugs.some((b) => b.ubuntu)).toBe(true);
    expect(bugs.some((b) => b.id === DEMO_LAUNCHPAD_GONE_BUG)).toBe(false);
  });

  test('searchTasks pages by next_collection_link; all statuses, or the unresolved ones by default', async () => {
    const lp = start({ publicUrl: 'http://launchpad.demo.localhost' });
    const everything = `${lp.url}/1.0/tessellate?ws.op=searchTasks&ws.size=10&${['New', 'Incomplete', 'Opinion', 'Invalid', "Won't Fix", 'Expired', 'Confirmed', 'Triaged', 'In Progress', 'Fix Committed', 'Fix Released'].map((s) => `status=${encodeURIComponent(s)}`).join('&')}`;
    const first = await getJson(everything);
    expect(first.body.total_size).toBe(lp.bugs().length);
    // Links name the public origin; the test dials the listening one.
    const nextLink = String(first.body.next_collection_link);
    expect(nextLink).toStartWith('http://launchpad.demo.localhost/1.0/tessellate?');
    // The public origin is not dialled: follow the links on the listening one.
    const local = async (url: string): Promise<{ tasks: Json[]; pages: number }> => {
      const tasks: Json[] = [];
      let pages = 0;
      for (let next: string | undefined = url; next !== undefined; ) {
        const { body } = await getJson(next);
        pages++;
        tasks.push(...(body.entries as Json[]));
        next = typeof body.next_collection_link === 'string' ? body.next_collection_link.replace(lp.publicUrl, lp.url) : undefined;
      }
      return { tasks, pages };
    };
    const paged = await local(everything);
    expect(paged.pages).toBe(Math.ceil(lp.bugs().length / 10));
    expect(new Set(paged.tasks.map((t) => t.web_link)).size).toBe(lp.bugs().length);
    const task = paged.tasks[0] ?? {};
    expect(task.resource_type_link).toBe('http://launchpad.demo.localhost/1.0/#bug_task');
    expect(String(task.web_link)).toMatch(/^http:\/\/launchpad\.demo\.localhost\/tessellate\/\+bug\/\d+$/);
    const open = await local(`${lp.url}/1.0/tessellate?ws.op=searchTasks`);
    expect(open.tasks.length).toBeLessThan(lp.bugs().length);
    expect(open.tasks.every((t) => !['Fix Released', 'Invalid', "Won't Fix", 'Expired', 'Opinion'].includes(String(t.status)))).toBe(true);
  });

  test('bugs, subscriptions (size or size link), bug_tasks, people; gone bugs 404, the suspended account 410', async () => {
    const lp = start();
    const [bug] = lp.bugs();
    if (bug === undefined) throw new Error('no bugs');
    const { body } = await getJson(`${lp.url}/1.0/bugs/${bug.id}`);
    expect(body).toMatchObject({ id: bug.id, tags: bug.tags, owner_link: `${lp.url}/1.0/~${bug.owner}`, date_last_updated: bug.updated });
    expect(String(body.date_last_updated)).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\+00:00$/);
    const big = lp.bugs().find((b) => b.subscribers.length > 3);
    if (big === undefined) throw new Error('no big subscription list');
    const subs = await getJson(`${lp.url}/1.0/bugs/${big.id}/subscriptions`);
    expect(subs.body.total_size).toBeUndefined();
    const size = await fetch(String(subs.body.total_size_link));
    expect(await size.text()).toBe(String(big.subscribers.length));
    const ubuntu = lp.bugs().find((b) => b.ubuntu);
    const tasks = await getJson(`${lp.url}/1.0/bugs/${ubuntu?.id ?? 0}/bug_tasks`);
    expect((tasks.body.entries as Json[]).map((t) => t.bug_target_display_name)).toEqual(['Tessellate', 'tessellate (Ubuntu)']);
    expect((await getJson(`${lp.url}/1.0/bugs/${DEMO_LAUNCHPAD_GONE_BUG}/bug_tasks`)).res.status).toBe(404);
    expect((await getJson(`${lp.url}/1.0/~retired-dev`)).res.status).toBe(410);
    expect((await getJson(`${lp.url}/1.0/~kasia-m`)).body).toMatchObject({ name: 'kasia-m', display_name: 'Kasia Malinowska' });
  });

  test('ETag and 304; modified_since sees an update; the request log; stop', async () => {
    const lp = start();
    const url = `${lp.url}/1.0/tessellate?ws.op=searchTasks`;
    const first = await getJson(url);
    const etag = first.res.headers.get('etag') ?? '';
    expect(etag).toMatch(/^"[0-9a-f]{40}"$/);
    expect(first.res.headers.get('cache-control')).toBe('private, max-age=0');
    const again = await fetch(url, { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
    const id = lp.bugs().find((b) => b.status === 'New')?.id ?? 0;
    const changed = lp.updateBug(id, { status: 'Triaged' });
    const since = changed.updated.replace(/\.\d+\+00:00$/, '+00:00');
    const recent = await getJson(`${url}&modified_since=${encodeURIComponent(since)}`);
    expect((recent.body.entries as Json[]).map((t) => t.bug_link)).toEqual([`${lp.url}/1.0/bugs/${id}`]);
    expect((await fetch(url, { headers: { 'if-none-match': etag } })).status).toBe(200);
    lp.deleteBug(id);
    expect((await getJson(`${lp.url}/1.0/bugs/${id}`)).res.status).toBe(404);
    expect(lp.requests.map((r) => r.status)).toEqual([200, 304, 200, 200, 404]);
    expect(lp.requests[0]?.headers.accept).toBe('application/json');
    await lp.stop();
    await expect(fetch(url)).rejects.toThrow();
    await lp.stop();
  });
});

test('the demo entry is valid and imports completely through the real engine; a second run revalidates', async () => {
  const lp = start({ latencyMs: 1 });
  const yaml = `trackers:\n${demoLaunchpadEntry(lp.url)}\n`;
  const file = parseTrackerText(yaml, 'demo.yaml', [...ADAPTERS, launchpadAdapter as unknown as TrackerAdapter]);
  expect(file.problems).toEqual([]);
  const loaded = file.entries[0];
  if (loaded === undefined || loaded.adapter === undefined) throw new Error('the demo entry did not load');

  const dir = tempDir('customs-fake-launchpad-');
  const run = (): Promise<EngineRun> => importEntry(loaded, dir);

  const first = await run();
  expect(first.exitCode).toBe(0);
  first.records.forEach(assertValidRecord);
  const bugs = lp.bugs();
  const live = first.records.filter((r) => r._deleted !== true);
  expect(live).toHaveLength(bugs.length);
  expect(first.records.filter((r) => r._deleted === true).map((r) => r.canonical_bug_link)).toEqual([`${lp.url}/tessellate/+bug/${DEMO_LAUNCHPAD_GONE_BUG}`]);
  expect(live.filter((r) => r.good_for_newcomers === true)).toHaveLength(bugs.filter((b) => b.tags.includes('bitesize')).length);
  expect(live.filter((r) => r.concerns_just_documentation === true)).toHaveLength(bugs.filter((b) => b.tags.includes('doc')).length);
  expect(live.every((r) => r._project_name === 'Tessellate')).toBe(true);
  expect(live.filter((r) => r.submitter_username === 'retired-dev' && r.submitter_realname === '').length).toBeGreaterThan(0);
  // Each person is asked once, however many bugs they own.
  const people = lp.requests.filter((r) => r.path.startsWith('/1.0/~'));
  expect(new Set(people.map((r) => r.path)).size).toBe(people.length);

  const before = lp.requests.length;
  const second = await run();
  expect(second.exitCode).toBe(0);
  expect(second.records).toHaveLength(first.records.length);
  const again = lp.requests.slice(before);
  // Every answer with an ETag comes back 304; only the gone bug and the suspended account answer again.
  expect(again.filter((r) => r.status !== 304).map((r) => r.status).sort()).toEqual(again.filter((r) => r.status === 404 || r.status === 410).map((r) => r.status).sort());
  expect(again.filter((r) => r.status === 304).length).toBeGreaterThan(bugs.length);
});
