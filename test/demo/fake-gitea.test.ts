// The fake Gitea/Forgejo: its demo data, the clamped limit, Link and X-Total-Count paging (and
// the old no-Link form), pull requests in untyped lists, single issues and 404s, ETag/304, the
// request log, and the demo entry imported through the real engine.

import { describe, expect, test } from 'bun:test';
import { parseTrackerText } from '../../src/config/load.ts';
import type { TrackerAdapter } from '../../src/core/types.ts';
import { DEMO_GITEA_DELETED, DEMO_GITEA_REPO, demoGiteaEntry, demoGiteaIssues, startFakeGitea } from '../../src/demo/fake-gitea.ts';
import { giteaAdapter } from '../../trackers/gitea.ts';
import { ADAPTERS } from '../../trackers/index.ts';
import { parseLinkHeader } from '../../trackers/link-header.ts';
import { tempDir } from '../helpers/cli.ts';
import { type EngineRun, importEntry, stoppedAfterEach } from '../helpers/fake-servers.ts';
import { assertValidRecord } from '../helpers/schema.ts';

const start = stoppedAfterEach(startFakeGitea);

const LIST = `/api/v1/repos/${DEMO_GITEA_REPO}/issues`;
type Item = { number: number; html_url: string; pull_request: unknown; created_at: string; assignees: unknown };

describe('demo data', () => {
  test('deterministic, of the promised size and variety', () => {
    const issues = demoGiteaIssues();
    expect(JSON.stringify(demoGiteaIssues())).toBe(JSON.stringify(issues));
    const plain = issues.filter((i) => !i.pull);
    expect(plain.length).toBeGreaterThanOrEqual(40);
    expect(plain.length).toBeLessThanOrEqual(120);
    expect(issues.some((i) => i.number === DEMO_GITEA_DELETED)).toBe(false);
    expect(issues.filter((i) => i.pull).length).toBeGreaterThan(5);
    expect(plain.filter((i) => i.labels.includes('good first issue')).length).toBeGreaterThan(5);
    expect(plain.filter((i) => i.labels.includes('Kind/Documentation')).length).toBeGreaterThan(3);
    expect(plain.filter((i) => i.state === 'open').length).toBeGreaterThan(50);
    expect(issues.some((i) => i.body === '')).toBe(true);
  });
});

describe('the server', () => {
  test('limit clamped to 50, Link and X-Total-Count paging; pull requests only in untyped lists', async () => {
    const fake = start({ publicUrl: 'http://forgejo.demo.localhost' });
    const open = demoGiteaIssues().filter((i) => !i.pull && i.state === 'open');
    const first = await fetch(`${fake.url}${LIST}?state=open&type=issues&limit=100&page=1`);
    const items = (await first.json()) as Item[];
    expect(items.length).toBe(50);
    expect(first.headers.get('x-total-count')).toBe(String(open.length));
    expect(items.every((i) => i.pull_request === null)).toBe(true);
    expect(items[0]?.html_url).toStartWith(`http://forgejo.demo.localhost/${DEMO_GITEA_REPO}/issues/`);
    // Times in the server's zone; "no assignee" is null.
    expect(items[0]?.created_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+0[12]:00$/);
    expect(items.some((i) => i.assignees === null)).toBe(true);
    const link = first.headers.get('link') ?? '';
    expect(link).not.toContain(', ');
    const links = parseLinkHeader(link);
    expect(links.next).toBe(`http://forgejo.demo.localhost${LIST}?state=open&type=issues&limit=50&page=2`);
    expect(Object.keys(links).sort()).toEqual(['last', 'next']);

    const last = await fetch(`${fake.url}${LIST}?state=open&type=issues&limit=50&page=2`);
    expect(((await last.json()) as Item[]).length).toBe(open.length - 50);
    expect(Object.keys(parseLinkHeader(last.headers.get('link') ?? undefined)).sort()).toEqual(['first', 'prev']);

    const untyped = (await (await fetch(`${fake.url}${LIST}?state=all&limit=50`)).json()) as Item[];
    expect(untyped.some((i) => i.pull_request !== null)).toBe(true);
    const defaultSize = (await (await fetch(`${fake.url}${LIST}`)).json()) as Item[];
    expect(defaultSize.length).toBe(30);
  });

  test('omitLink: only X-Total-Count, as before Gitea 1.12', async () => {
    const fake = start({ omitLink: true });
    const res = await fetch(`${fake.url}${LIST}?limit=10`);
    expect(res.headers.get('link')).toBeNull();
    expect(Number(res.headers.get('x-total-count'))).toBeGreaterThan(10);
  });

  test('since and labels filters', async () => {
    const fake = start();
    const issues = demoGiteaIssues().filter((i) => !i.pull);
    const since = issues.map((i) => i.updated).sort((a, b) => a - b)[issues.length - 3] ?? 0;
    const recent = (await (await fetch(`${fake.url}${LIST}?state=all&type=issues&since=${new Date(since).toISOString()}`)).json()) as Item[];
    expect(recent.length).toBe(3);
    const docs = (await (await fetch(`${fake.url}${LIST}?state=all&type=issues&limit=50&labels=Kind%2FDocumentation`)).json()) as Item[];
    expect(docs.length).toBe(issues.filter((i) => i.labels.includes('Kind/Documentation')).length);
  });

  test('single issues and pull requests; a deleted issue answers the JSON 404', async () => {
    const fake = start();
    const pull = demoGiteaIssues().find((i) => i.pull)?.number;
    const one = (await (await fetch(`${fake.url}${LIST}/${pull}`)).json()) as Item;
    expect(one.html_url).toContain(`/pulls/${pull}`);
    const gone = await fetch(`${fake.url}${LIST}/${DEMO_GITEA_DELETED}`);
    expect(gone.status).toBe(404);
    expect(((await gone.json()) as { message: string }).message).toBe("The target couldn't be found.");
  });

  test('ETag and 304; the request log', async () => {
    const fake = start();
    const path = `${LIST}?limit=5`;
    const first = await fetch(`${fake.url}${path}`);
    await first.text();
    const etag = first.headers.get('etag') ?? '';
    expect(etag).toMatch(/^"[0-9a-f]{40}"$/);
    expect((await fetch(`${fake.url}${path}`, { headers: { 'if-none-match': etag, authorization: 'token abc' } })).status).toBe(304);
    expect(fake.requests.map((r) => [r.path, r.status])).toEqual([
      [path, 200],
      [path, 304],
    ]);
    expect(fake.requests[1]?.headers.authorization).toBe('token abc');
  });

  test('stops', async () => {
    const fake = startFakeGitea({ latencyMs: 5 });
    expect((await fetch(`${fake.url}/api/v1/version`)).status).toBe(200);
    await fake.stop();
    await expect(fetch(`${fake.url}/api/v1/version`)).rejects.toThrow();
  });
});

describe('the demo entry', () => {
  const adapters = [...ADAPTERS.filter((a) => a.type !== 'gitea'), giteaAdapter as unknown as TrackerAdapter];

  test('is a valid list item under trackers:, using the forgejo alias', () => {
    const file = parseTrackerText(`trackers:\n${demoGiteaEntry('http://forgejo.demo.localhost')}\n`, 'trackers.yaml', adapters);
    expect([...file.problems, ...file.entries.flatMap((e) => e.problems)]).toEqual([]);
    expect(file.entries[0]?.entry.bugimporter).toBe('forgejo');
    expect(file.entries[0]?.adapter?.type).toBe('gitea');
  });

  test('imports every open issue through the real engine, pull requests left out; then incrementally', async () => {
    const fake = start();
    const loaded = parseTrackerText(`trackers:\n${demoGiteaEntry(fake.url)}\n`, 'trackers.yaml', adapters).entries[0];
    if (loaded?.adapter === undefined) throw new Error('demo entry did not load');
    const dir = tempDir('customs-fake-gitea-');
    const run = (): Promise<EngineRun> => importEntry(loaded, dir, { incremental: true });

    const first = await run();
    expect(first.exitCode).toBe(0);
    expect(first.events.filter((e) => e.type === 'warning')).toEqual([]);
    const records = first.records;
    records.forEach(assertValidRecord);
    const open = demoGiteaIssues().filter((i) => !i.pull && i.state === 'open');
    const known = demoGiteaIssues().find((i) => !i.pull);
    const expected = open.length + (known?.state === 'open' ? 0 : 1);
    const deleted = records.filter((r) => r._deleted === true);
    expect(deleted.map((r) => r.canonical_bug_link)).toEqual([`${fake.url}/${DEMO_GITEA_REPO}/issues/${DEMO_GITEA_DELETED}`]);
    expect(records.length - deleted.length).toBe(expected);
    expect(records.some((r) => String(r.canonical_bug_link).includes('/pulls/'))).toBe(false);
    expect(records.some((r) => r.good_for_newcomers === true)).toBe(true);
    expect(records.some((r) => r.concerns_just_documentation === true)).toBe(true);
    expect(fake.requests.filter((r) => r.path.startsWith(`${LIST}?`)).length).toBe(Math.ceil(open.length / 50));

    const before = fake.requests.length;
    const second = await run();
    expect(second.exitCode).toBe(0);
    const again = fake.requests.slice(before);
    // One list page (nothing changed in the last hour), and the two known issues.
    expect(again.filter((r) => r.path.startsWith(`${LIST}?`)).map((r) => r.path)).toEqual([
      expect.stringMatching(/\?state=all&type=issues&limit=50&page=1&since=\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/),
    ]);
    expect(again.length).toBe(3);
    expect(second.records.length).toBe(records.length);
  });
});
