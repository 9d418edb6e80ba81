// The fake Redmine: deterministic demo data of the promised size, Redmine's list filters and
// offset paging, single issues and 404s, ETag revalidation, the request log, edits between runs,
// and a demo entry that validates.

import { describe, expect, test } from 'bun:test';
import { parseTrackerText } from '../../src/config/load.ts';
import { demoRedmineEntry, demoRedmineIssues, startFakeRedmine, type FakeRedmine } from '../../src/demo/fake-redmine.ts';
import { ADAPTERS } from '../../trackers/index.ts';
import { redmineAdapter } from '../../trackers/redmine.ts';
import { stoppedAfterEach } from '../helpers/fake-servers.ts';

type Page = { issues: { id: number; status: { name: string }; updated_on: string }[]; total_count?: number; offset?: number; limit?: number };

const start = stoppedAfterEach(startFakeRedmine);

async function page(fake: FakeRedmine, path: string): Promise<Page> {
  const res = await fetch(`${fake.url}${path}`);
  expect(res.status).toBe(200);
  return (await res.json()) as Page;
}

describe('demo data', () => {
  test('deterministic, 30 to 80 issues with gaps in the ids, a few bite-sized and documentation ones', () => {
    const { issues, gone } = demoRedmineIssues();
    expect(JSON.stringify(demoRedmineIssues())).toBe(JSON.stringify({ issues, gone }));
    expect(issues.length).toBeGreaterThanOrEqual(30);
    expect(issues.length).toBeLessThanOrEqual(80);
    const ids = issues.map((i) => i.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).not.toContain(gone);
    expect(Math.max(...ids) - Math.min(...ids)).toBeGreaterThan(ids.length);
    const easy = issues.filter((i) => i.difficulty === 'Easy').length;
    const docs = issues.filter((i) => i.category === 'Documentation').length;
    expect(easy).toBeGreaterThanOrEqual(3);
    expect(easy).toBeLessThan(issues.length / 3);
    expect(docs).toBeGreaterThanOrEqual(3);
    expect(issues.some((i) => i.status === 'Closed' || i.status === 'Rejected')).toBe(true);
    expect(issues.some((i) => i.description === null)).toBe(true);
    for (const issue of issues) {
      expect(issue.created_on <= issue.updated_on).toBe(true);
      expect(issue.closed_on === null).toBe(issue.status !== 'Closed' && issue.status !== 'Rejected');
    }
  });

  test('the demo entry is a valid redmine entry pointing at the origin', () => {
    const origin = 'http://redmine.demo.localhost';
    const yaml = `trackers:\n${demoRedmineEntry(origin)}`;
    const file = parseTrackerText(yaml, 'demo.yaml', [...ADAPTERS, redmineAdapter]);
    expect([...file.problems, ...file.entries.flatMap((e) => e.problems)]).toEqual([]);
    const entry = file.entries[0]?.entry;
    expect(entry?.base_url).toBe(`${origin}/`);
    expect(entry?.existing_bug_urls).toContain(`${origin}/issues/${demoRedmineIssues().gone}`);
  });
});

describe('the API', () => {
  test('status table, single issues, and empty 404s for gone ones', async () => {
    const fake = start();
    const statuses = (await (await fetch(`${fake.url}/issue_statuses.json`)).json()) as { issue_statuses: { name: string; is_closed: boolean }[] };
    expect(statuses.issue_statuses.filter((s) => s.is_closed).map((s) => s.name)).toEqual(['Closed', 'Rejected']);
    const [first] = demoRedmineIssues().issues;
    const one = (await (await fetch(`${fake.url}/issues/${first?.id}.json`)).json()) as { issue: { id: number; project: { name: string }; custom_fields: unknown[] } };
    expect(one.issue.id).toBe(first?.id ?? 0);
    expect(one.issue.project.name).toBe('Notewell');
    expect(one.issue.custom_fields).toHaveLength(2);
    const gone = await fetch(`${fake.url}/issues/${demoRedmineIssues().gone}.json`);
    expect(gone.status).toBe(404);
    expect(await gone.text()).toBe('');
  });

  test('offset paging: the limit is capped and read back; pages cover every issue once', async () => {
    const fake = start();
    const all = demoRedmineIssues().issues;
    const seen: number[] = [];
    let offset = 0;
    for (;;) {
      const body = await page(fake, `/projects/notewell/issues.json?status_id=*&sort=updated_on:desc&limit=100&offset=${offset}`);
      expect(body.limit).toBe(25);
      expect(body.total_count).toBe(all.length);
      seen.push(...body.issues.map((i) => i.id));
      offset += body.issues.length;
      if (body.issues.length === 0 || offset >= (body.total_count ?? 0)) break;
    }
    expect(seen.sort()).toEqual(all.map((i) => i.id).sort());
    expect(fake.requests.length).toBe(Math.ceil(all.length / 25));
  });

  test('filters: open by default, closed, ids, updated_on; bad values answer 422', async () => {
    const fake = start({ maxLimit: 100 });
    const all = demoRedmineIssues().issues;
    const closed = all.filter((i) => i.status === 'Closed' || i.status === 'Rejected');
    expect((await page(fake, '/issues.json?limit=100')).total_count).toBe(all.length - closed.length);
    expect((await page(fake, '/issues.json?status_id=closed&limit=100')).total_count).toBe(closed.length);
    expect((await page(fake, '/issues.json?status_id=5|6&limit=100')).total_count).toBe(closed.length);
    const latest = [...all].sort((a, b) => b.updated_on.localeCompare(a.updated_on))[0];
    const recent = await page(fake, `/issues.json?status_id=*&updated_on=%3E%3D${latest?.updated_on}`);
    expect(recent.issues.map((i) => i.id)).toEqual([latest?.id ?? 0]);
    const bad = await fetch(`${fake.url}/issues.json?updated_on=%3E%3Dyesterday`);
    expect(bad.status).toBe(422);
    expect(await bad.json()).toEqual({ errors: ['Updated is invalid'] });
    expect((await fetch(`${fake.url}/projects/nope/issues.json`)).status).toBe(404);
    const nometa = await page(fake, '/issues.json?nometa=1');
    expect(nometa.total_count).toBeUndefined();
  });

  test('weak ETags; a revalidation with If-None-Match gets 304', async () => {
    const fake = start();
    const res = await fetch(`${fake.url}/issues.json`);
    await res.text();
    const etag = res.headers.get('etag') ?? '';
    expect(etag).toStartWith('W/"');
    expect(res.headers.get('cache-control')).toBe('max-age=0, private, must-revalidate');
    const again = await fetch(`${fake.url}/issues.json`, { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
    expect(fake.requests.map((r) => r.status)).toEqual([200, 304]);
  });

  test('the request log keeps headers as sent; latency delays answers', async () => {
    const fake = start({ latencyMs: 30, publicUrl: 'http://redmine.demo.localhost/' });
    expect(fake.publicUrl).toBe('http://redmine.demo.localhost');
    const before = Date.now();
    await (await fetch(`${fake.url}/issue_statuses.json`, { headers: { 'X-Redmine-API-Key': 'k3y' } })).text();
    expect(Date.now() - before).toBeGreaterThanOrEqual(25);
    expect(fake.requests[0]).toEqual({ path: '/issue_statuses.json', headers: expect.objectContaining({ 'x-redmine-api-key': 'k3y' }), status: 200 });
  });

  test('edits between runs: an update moves to the top of updated_on:desc; a delete answers 404', async () => {
    const fake = start();
    const [first, second] = demoRedmineIssues().issues;
    if (first === undefined || second === undefined) throw new Error('no demo issues');
    const updated = fake.updateIssue(first.id, { status: 'Closed' });
    expect(updated.closed_on).toBe(updated.updated_on);
    const top = await page(fake, '/issues.json?status_id=*&sort=updated_on:desc&limit=1');
    expect(top.issues[0]?.id).toBe(first.id);
    expect(top.issues[0]?.status.name).toBe('Closed');
    fake.deleteIssue(second.id);
    expect((await fetch(`${fake.url}/issues/${second.id}.json`)).status).toBe(404);
    expect(fake.getIssue(second.id)).toBeUndefined();
  });
});

test('the server stops', async () => {
  const fake = startFakeRedmine();
  expect((await fetch(`${fake.url}/issue_statuses.json`)).status).toBe(200);
  await fake.stop();
  await expect(fetch(`${fake.url}/issue_statuses.json`)).rejects.toThrow();
});
