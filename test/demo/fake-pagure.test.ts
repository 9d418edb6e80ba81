// The fake Pagure: deterministic demo data of the promised size, the list filters and
// pagination links (naming publicUrl), single issues and Pagure's JSON errors, ETag
// revalidation, the request log, edits between runs, and a demo entry that validates.

import { describe, expect, test } from 'bun:test';
import { parseTrackerText } from '../../src/config/load.ts';
import { demoPagureEntry, demoPagureIssues, startFakePagure, type FakePagure } from '../../src/demo/fake-pagure.ts';
import { ADAPTERS } from '../../trackers/index.ts';
import { pagureAdapter } from '../../trackers/pagure.ts';
import { stoppedAfterEach } from '../helpers/fake-servers.ts';

interface Page {
  issues: { id: number; status: string; tags: string[]; last_updated: string; date_created: string; full_url: string }[];
  pagination: { next: string | null; page: number; pages: number; per_page: number };
  total_issues: number;
}

const start = stoppedAfterEach(startFakePagure);

async function page(fake: FakePagure, path: string): Promise<Page> {
  const res = await fetch(`${fake.url}${path}`);
  expect(res.status).toBe(200);
  return (await res.json()) as Page;
}

describe('demo data', () => {
  test('deterministic, 30 to 80 issues, a few bite-sized and documentation ones, one deleted', () => {
    const { issues, gone } = demoPagureIssues();
    expect(JSON.stringify(demoPagureIssues())).toBe(JSON.stringify({ issues, gone }));
    expect(issues.length).toBeGreaterThanOrEqual(30);
    expect(issues.length).toBeLessThanOrEqual(80);
    expect(issues.map((i) => i.id)).not.toContain(gone);
    const easy = issues.filter((i) => i.tags.includes('easyfix')).length;
    expect(easy).toBeGreaterThanOrEqual(3);
    expect(easy).toBeLessThan(issues.length / 3);
    expect(issues.filter((i) => i.tags.includes('documentation')).length).toBeGreaterThanOrEqual(3);
    expect(issues.some((i) => i.comments.some((c) => c.notification))).toBe(true);
    for (const issue of issues) {
      expect(issue.date_created <= issue.last_updated).toBe(true);
      expect(issue.closed_at === null).toBe(issue.status === 'Open');
      expect(issue.close_status === null).toBe(issue.status === 'Open');
    }
  });

  test('the demo entry is a valid pagure entry pointing at the origin', () => {
    const origin = 'http://pagure.demo.localhost';
    const file = parseTrackerText(`trackers:\n${demoPagureEntry(origin)}`, 'demo.yaml', [...ADAPTERS, pagureAdapter]);
    expect([...file.problems, ...file.entries.flatMap((e) => e.problems)]).toEqual([]);
    const entry = file.entries[0]?.entry;
    expect(entry?.base_url).toBe(`${origin}/`);
    expect(entry?.existing_bug_urls).toContain(`${origin}/rosette/issue/${demoPagureIssues().gone}`);
  });
});

describe('the API', () => {
  test('paging: pagination.next, on publicUrl, until null; every issue once', async () => {
    const fake = start({ publicUrl: 'http://pagure.demo.localhost/' });
    const all = demoPagureIssues().issues;
    const seen: number[] = [];
    let path: string | null = '/api/0/rosette/issues?status=all&per_page=20';
    while (path !== null) {
      const body: Page = await page(fake, path);
      expect(body.total_issues).toBe(all.length);
      seen.push(...body.issues.map((i) => i.id));
      const next: string | null = body.pagination.next;
      if (next !== null) expect(next).toStartWith('http://pagure.demo.localhost/api/0/rosette/issues?');
      path = next === null ? null : next.slice('http://pagure.demo.localhost'.length);
    }
    expect(seen.sort((a, b) => a - b)).toEqual(all.map((i) => i.id));
    expect(fake.requests).toHaveLength(Math.ceil(all.length / 20));
    const one = await page(fake, '/api/0/rosette/issues?per_page=1');
    expect(one.issues[0]?.full_url).toStartWith('http://pagure.demo.localhost/rosette/issue/');
  });

  test('filters: Open by default, Closed, a close status, tags, since; bad per_page answers 400', async () => {
    const fake = start();
    const all = demoPagureIssues().issues;
    expect((await page(fake, '/api/0/rosette/issues?per_page=100')).total_issues).toBe(all.filter((i) => i.status === 'Open').length);
    expect((await page(fake, '/api/0/rosette/issues?status=closed&per_page=100')).total_issues).toBe(all.filter((i) => i.status === 'Closed').length);
    expect((await page(fake, '/api/0/rosette/issues?status=Fixed&per_page=100')).total_issues).toBe(all.filter((i) => i.close_status === 'Fixed').length);
    const easy = await page(fake, '/api/0/rosette/issues?status=all&tags=easyfix&per_page=100');
    expect(easy.issues.every((i) => i.tags.includes('easyfix'))).toBe(true);
    expect(easy.total_issues).toBe(all.filter((i) => i.tags.includes('easyfix')).length);
    const latest = Math.max(...all.map((i) => i.last_updated));
    const recent = await page(fake, `/api/0/rosette/issues?status=all&since=${latest}`);
    expect(recent.issues.map((i) => Number(i.last_updated))).toEqual([latest]);
    const bad = await fetch(`${fake.url}/api/0/rosette/issues?per_page=500`);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error_code: string }).error_code).toBe('EINVALIDPERPAGEVALUE');
  });

  test('single issues; gone issues and unknown projects answer Pagure\'s 404 errors', async () => {
    const fake = start();
    const issue = (await (await fetch(`${fake.url}/api/0/rosette/issue/1`)).json()) as { id: number; comments: unknown[]; date_created: string };
    expect(issue.id).toBe(1);
    expect(issue.date_created).toMatch(/^\d+$/);
    const gone = await fetch(`${fake.url}/api/0/rosette/issue/${demoPagureIssues().gone}`);
    expect(gone.status).toBe(404);
    expect(await gone.json()).toEqual({ error: 'Issue not found', error_code: 'ENOISSUE' });
    const nope = await fetch(`${fake.url}/api/0/nope/issues`);
    expect(await nope.json()).toEqual({ error: 'Project not found', error_code: 'ENOPROJECT' });
  });

  test('strong ETags; a revalidation with If-None-Match gets 304; headers are logged as sent', async () => {
    const fake = start({ latencyMs: 20 });
    const res = await fetch(`${fake.url}/api/0/rosette/issues`, { headers: { Authorization: 'token t0k3n' } });
    await res.text();
    const etag = res.headers.get('etag') ?? '';
    expect(etag).toMatch(/^"[0-9a-f]{40}"$/);
    const again = await fetch(`${fake.url}/api/0/rosette/issues`, { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
    expect(fake.requests.map((r) => r.status)).toEqual([200, 304]);
    expect(fake.requests[0]?.headers.authorization).toBe('token t0k3n');
  });

  test('edits between runs: an update is seen by since; a delete answers 404', async () => {
    const fake = start();
    const before = Math.floor(Date.now() / 1000);
    const updated = fake.updateIssue(2, { status: 'Closed' });
    expect(updated.last_updated).toBeGreaterThanOrEqual(before);
    expect(updated.close_status).not.toBeNull();
    const recent = await page(fake, `/api/0/rosette/issues?status=all&since=${before}`);
    expect(recent.issues.map((i) => [i.id, i.status])).toEqual([[2, 'Closed']]);
    fake.deleteIssue(3);
    expect((await fetch(`${fake.url}/api/0/rosette/issue/3`)).status).toBe(404);
    expect(fake.getIssue(3)).toBeUndefined();
  });
});

test('the server stops', async () => {
  const fake = startFakePagure();
  expect((await fetch(`${fake.url}/api/0/rosette/issue/1`)).status).toBe(200);
  await fake.stop();
  await expect(fetch(`${fake.url}/api/0/rosette/issue/1`)).rejects.toThrow();
});
