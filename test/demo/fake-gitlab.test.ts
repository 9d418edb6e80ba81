// The fake GitLab: its demo data, paging headers (with and without totals), single issues and
// their 404s, ETag/304, the request log, and the demo entry imported through the real engine
// (twice: the second, incremental run asks only for what changed).

import { describe, expect, test } from 'bun:test';
import { parseTrackerText } from '../../src/config/load.ts';
import type { TrackerAdapter } from '../../src/core/types.ts';
import { DEMO_GITLAB_DELETED, DEMO_GITLAB_PROJECT, demoGitlabEntry, demoGitlabIssues, startFakeGitlab } from '../../src/demo/fake-gitlab.ts';
import { gitlabAdapter } from '../../trackers/gitlab.ts';
import { ADAPTERS } from '../../trackers/index.ts';
import { parseLinkHeader } from '../../trackers/link-header.ts';
import { tempDir } from '../helpers/cli.ts';
import { type EngineRun, importEntry, stoppedAfterEach } from '../helpers/fake-servers.ts';
import { assertValidRecord } from '../helpers/schema.ts';

const start = stoppedAfterEach(startFakeGitlab);

const LIST = `/api/v4/projects/${encodeURIComponent(DEMO_GITLAB_PROJECT)}/issues`;
type Item = { iid: number; web_url: string; labels: unknown[]; state: string };

/** Every item of a list, following Link rel="next"; and the answers on the way. */
async function walk(first: string, headers: Record<string, string> = {}): Promise<{ items: Item[]; responses: Response[] }> {
  const items: Item[] = [];
  const responses: Response[] = [];
  let next: string | undefined = first;
  while (next !== undefined) {
    const res: Response = await fetch(next, { headers });
    responses.push(res);
    items.push(...((await res.json()) as Item[]));
    next = parseLinkHeader(res.headers.get('link') ?? undefined).next;
  }
  return { items, responses };
}

describe('demo data', () => {
  test('deterministic, of the promised size and variety', () => {
    const issues = demoGitlabIssues();
    expect(JSON.stringify(demoGitlabIssues())).toBe(JSON.stringify(issues));
    expect(issues.length).toBeGreaterThanOrEqual(40);
    expect(issues.length).toBeLessThanOrEqual(120);
    expect(new Set(issues.map((i) => i.iid)).size).toBe(issues.length);
    for (const iid of DEMO_GITLAB_DELETED) expect(issues.some((i) => i.iid === iid)).toBe(false);
    expect(issues.filter((i) => i.labels.includes('quick win')).length).toBeGreaterThan(5);
    expect(issues.filter((i) => i.labels.includes('documentation')).length).toBeGreaterThan(3);
    expect(issues.filter((i) => i.state === 'closed').length).toBeGreaterThan(issues.length / 5);
    expect(issues.some((i) => i.description === null)).toBe(true);
    expect(issues.some((i) => i.description?.includes('\r\n') === true)).toBe(true);
    expect(issues.some((i) => i.assignees.length === 2)).toBe(true);
    expect(issues.some((i) => i.confidential)).toBe(true);
    for (const i of issues) expect(i.created <= i.updated).toBe(true);
  });
});

describe('the server', () => {
  test('pages with Link, x-next-page and totals; bodies name publicUrl; confidential issues hidden', async () => {
    const fake = start({ publicUrl: 'http://gitlab.demo.localhost' });
    expect(fake.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const first = await fetch(`${fake.url}${LIST}?state=all&per_page=30`);
    const body = (await first.json()) as Item[];
    expect(first.headers.get('x-per-page')).toBe('30');
    expect(first.headers.get('x-next-page')).toBe('2');
    const visible = demoGitlabIssues().filter((i) => !i.confidential);
    expect(first.headers.get('x-total')).toBe(String(visible.length));
    expect(first.headers.get('ratelimit-limit')).toBe('2000');
    expect(body[0]?.web_url).toStartWith(`http://gitlab.demo.localhost/${DEMO_GITLAB_PROJECT}/-/issues/`);
    const links = parseLinkHeader(first.headers.get('link') ?? undefined);
    expect(links.next).toStartWith(`http://gitlab.demo.localhost${LIST}?`);
    expect(Object.keys(links).sort()).toEqual(['first', 'last', 'next']);

    // Walk the pages on the listening address by x-next-page (the public name does not resolve).
    const pages: Item[] = [];
    for (let page = 1; ; page++) {
      const res = await fetch(`${fake.url}${LIST}?state=all&per_page=30&page=${page}`);
      pages.push(...((await res.json()) as Item[]));
      if (res.headers.get('x-next-page') === '') break;
    }
    expect(pages.length).toBe(visible.length);
    expect(new Set(pages.map((i) => i.iid)).size).toBe(visible.length);
  });

  test('filters: state, labels, updated_after; labels with details', async () => {
    const fake = start();
    const issues = demoGitlabIssues().filter((i) => !i.confidential);
    const { items: opened } = await walk(`${fake.url}${LIST}?state=opened&per_page=100`);
    expect(opened.length).toBe(issues.filter((i) => i.state === 'opened').length);
    const { items: quick } = await walk(`${fake.url}${LIST}?labels=quick%20win,bug&per_page=100`);
    expect(quick.length).toBe(issues.filter((i) => i.labels.includes('quick win') && i.labels.includes('bug')).length);
    const since = issues.map((i) => i.updated).sort((a, b) => a - b)[issues.length - 5] ?? 0;
    const { items: recent } = await walk(`${fake.url}${LIST}?updated_after=${new Date(since).toISOString()}`);
    expect(recent.length).toBe(5);
    const { items: detailed } = await walk(`${fake.url}${LIST}?per_page=1&with_labels_details=true`);
    expect(typeof detailed[0]?.labels[0]).toBe('object');
    expect((await fetch(`${fake.url}${LIST}?state=open`)).status).toBe(400);
  });

  test('omitTotals: no x-total, x-total-pages or rel="last", as past 10,000 results', async () => {
    const fake = start({ omitTotals: true });
    const res = await fetch(`${fake.url}${LIST}?per_page=20`);
    expect(res.headers.get('x-total')).toBeNull();
    expect(res.headers.get('x-total-pages')).toBeNull();
    expect(res.headers.get('x-next-page')).toBe('2');
    expect(Object.keys(parseLinkHeader(res.headers.get('link') ?? undefined)).sort()).toEqual(['first', 'next']);
  });

  test('single issues: by path or id; deleted and (without a token) confidential ones answer 404', async () => {
    const fake = start();
    const encoded = encodeURIComponent(DEMO_GITLAB_PROJECT);
    const one = await fetch(`${fake.url}/api/v4/projects/${encoded}/issues/1`);
    expect(((await one.json()) as Item).iid).toBe(1);
    expect((await fetch(`${fake.url}/api/v4/projects/4321/issues/2`)).status).toBe(200);
    const gone = await fetch(`${fake.url}/api/v4/projects/${encoded}/issues/${DEMO_GITLAB_DELETED[0]}`);
    expect(gone.status).toBe(404);
    expect(await gone.json()).toEqual({ message: '404 Not found' });
    const secret = demoGitlabIssues().find((i) => i.confidential)?.iid;
    expect((await fetch(`${fake.url}/api/v4/projects/${encoded}/issues/${secret}`)).status).toBe(404);
    expect((await fetch(`${fake.url}/api/v4/projects/${encoded}/issues/${secret}`, { headers: { 'PRIVATE-TOKEN': 'glpat-x' } })).status).toBe(200);
    expect((await fetch(`${fake.url}/api/v4/projects/nobody%2Fnothing/issues`)).status).toBe(404);
  });

  test('ETag and 304 on revalidation; the request log has paths, headers and statuses', async () => {
    const fake = start();
    const path = `${LIST}?per_page=5`;
    const first = await fetch(`${fake.url}${path}`);
    await first.text();
    const etag = first.headers.get('etag') ?? '';
    expect(etag).toMatch(/^W\/"[0-9a-f]{32}"$/);
    expect(first.headers.get('cache-control')).toBe('max-age=0, private, must-revalidate');
    const again = await fetch(`${fake.url}${path}`, { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
    expect(fake.requests.map((r) => [r.path, r.status])).toEqual([
      [path, 200],
      [path, 304],
    ]);
    expect(fake.requests[1]?.headers['if-none-match']).toBe(etag);
  });

  test('stops', async () => {
    const fake = startFakeGitlab({ latencyMs: 5 });
    expect((await fetch(`${fake.url}${LIST}`)).status).toBe(200);
    await fake.stop();
    await expect(fetch(`${fake.url}${LIST}`)).rejects.toThrow();
  });
});

describe('the demo entry', () => {
  const adapters = [...ADAPTERS.filter((a) => a.type !== 'gitlab'), gitlabAdapter as unknown as TrackerAdapter];

  test('is a valid list item under trackers:', () => {
    const text = `trackers:\n${demoGitlabEntry('http://gitlab.demo.localhost')}\n`;
    expect(text).toContain('\n  - tracker_name: Larder\n');
    const file = parseTrackerText(text, 'trackers.yaml', adapters);
    expect([...file.problems, ...file.entries.flatMap((e) => e.problems)]).toEqual([]);
    expect(file.entries[0]?.entry.base_url).toBe('http://gitlab.demo.localhost/');
  });

  test('imports every visible issue through the real engine; a second run asks only for changes', async () => {
    const fake = start();
    const file = parseTrackerText(`trackers:\n${demoGitlabEntry(fake.url)}\n`, 'trackers.yaml', adapters);
    const loaded = file.entries[0];
    if (loaded?.adapter === undefined) throw new Error('demo entry did not load');
    const dir = tempDir('customs-fake-gitlab-');
    const run = (): Promise<EngineRun> => importEntry(loaded, dir, { incremental: true });

    const first = await run();
    expect(first.exitCode).toBe(0);
    const records = first.records;
    records.forEach(assertValidRecord);
    const visible = demoGitlabIssues().filter((i) => !i.confidential);
    const deleted = records.filter((r) => r._deleted === true);
    expect(deleted.map((r) => r.canonical_bug_link)).toEqual([`${fake.url}/${DEMO_GITLAB_PROJECT}/-/issues/${DEMO_GITLAB_DELETED[0]}`]);
    expect(records.length - deleted.length).toBe(visible.length);
    expect(records.some((r) => r.good_for_newcomers === true)).toBe(true);
    expect(records.some((r) => r.concerns_just_documentation === true)).toBe(true);
    expect(records.every((r) => r._project_name === DEMO_GITLAB_PROJECT || r._deleted === true)).toBe(true);
    const pages = fake.requests.filter((r) => r.path.startsWith(`${LIST}?`));
    expect(pages.length).toBe(Math.ceil(visible.length / 30));

    const before = fake.requests.length;
    const second = await run();
    expect(second.exitCode).toBe(0);
    const again = fake.requests.slice(before);
    // One list page (nothing changed in the last hour), and the two known issues.
    expect(again.filter((r) => r.path.startsWith(`${LIST}?`)).map((r) => r.path)).toEqual([
      expect.stringMatching(/[?&]state=all&.*updated_after=\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/),
    ]);
    expect(again.length).toBe(3);
    // The known issue is revalidated: unchanged, so 304.
    expect(again.find((r) => r.path.endsWith(`${LIST}/2`))?.status).toBe(304);
    expect(second.records.length).toBe(records.length);
  });
});
