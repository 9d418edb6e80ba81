// The fake Jira: its data, v2 pages capped below what is asked, v3 token pages, the JQL it
// understands, gone and moved issues, ETag/304, the request log; and the demo entry imported
// through the real engine against it, with a token from the environment, twice.

import { describe, expect, test } from 'bun:test';
import { parseTrackerText } from '../../src/config/load.ts';
import type { TrackerAdapter } from '../../src/core/types.ts';
import { DEMO_JIRA_GONE_KEY, demoJiraEntry, startFakeJira } from '../../src/demo/fake-jira.ts';
import { ADAPTERS } from '../../trackers/index.ts';
import { jiraAdapter } from '../../trackers/jira.ts';
import { tempDir } from '../helpers/cli.ts';
import { type EngineRun, getJson, type Json, importEntry, stoppedAfterEach } from '../helpers/fake-servers.ts';
import { assertValidRecord } from '../helpers/schema.ts';

const start = stoppedAfterEach(startFakeJira);

const q = encodeURIComponent;
const keys = (body: Json): string[] => (body.issues as Json[]).map((i) => String(i.key));

describe('data and answers', () => {
  test('a deterministic project of a few dozen issues, some for newcomers, some documentation', () => {
    const jira = start();
    const issues = jira.issues();
    expect(issues.length).toBeGreaterThanOrEqual(30);
    expect(issues.length).toBeLessThanOrEqual(60);
    expect(JSON.stringify(start().issues())).toBe(JSON.stringify(issues));
    expect(issues.filter((i) => i.labels.includes('newbie')).length).toBeGreaterThanOrEqual(3);
    expect(issues.filter((i) => i.components.includes('Documentation')).length).toBeGreaterThanOrEqual(3);
    expect(issues.some((i) => i.key === DEMO_JIRA_GONE_KEY)).toBe(false);
    expect(issues.find((i) => i.movedFrom === 'ORCH-21')?.key).toBe('OPS-4');
  });

  test('v2: the page size is capped at 25 whatever is asked, and startAt pages to the total', async () => {
    const jira = start({ publicUrl: 'http://jira.demo.localhost' });
    const url = (startAt: number): string => `${jira.url}/jira/rest/api/2/search?jql=${q('project = ORCH ORDER BY key ASC')}&startAt=${startAt}&maxResults=100&fields=summary,status`;
    const first = await getJson(url(0));
    expect(first.body).toMatchObject({ startAt: 0, maxResults: 25, total: jira.issues().length - 1 });
    expect(keys(first.body).slice(0, 3)).toEqual(['ORCH-1', 'ORCH-2', 'ORCH-3']);
    const issue = (first.body.issues as Json[])[0] ?? {};
    expect(issue.self).toBe('http://jira.demo.localhost/jira/rest/api/2/issue/10001');
    expect(Object.keys(issue.fields as Json).sort()).toEqual(['status', 'summary']);
    const second = await getJson(url(25));
    expect(keys(second.body)).toHaveLength(Number(first.body.total) - 25);
    expect(new Set([...keys(first.body), ...keys(second.body)]).size).toBe(Number(first.body.total));
  });

  test('v3: nextPageToken until isLast, documents and accountIds, only id without fields, unbounded JQL refused', async () => {
    const jira = start({ maxResults: 20 });
    const base = `${jira.url}/jira/rest/api/3/search/jql?jql=${q('project = ORCH')}&maxResults=100`;
    const seen: string[] = [];
    let url: string | undefined = `${base}&fields=summary,description,reporter`;
    let pages = 0;
    while (url !== undefined) {
      const { body }: { body: Json } = await getJson(url);
      pages++;
      seen.push(...keys(body));
      url = body.isLast === true ? undefined : `${base}&fields=summary,description,reporter&nextPageToken=${String(body.nextPageToken)}`;
    }
    expect(pages).toBe(3);
    expect(new Set(seen).size).toBe(jira.issues().length - 1);
    const one = await getJson(`${base}&fields=description,reporter`);
    const fields = ((one.body.issues as Json[])[0]?.fields ?? {}) as Json;
    expect((fields.reporter as Json).accountId).toMatch(/^5f1a/);
    expect((fields.reporter as Json).name).toBeUndefined();
    expect(['doc', undefined]).toContain((fields.description as Json | null)?.type as string | undefined);
    const bare = await getJson(base);
    expect(Object.keys((bare.body.issues as Json[])[0] ?? {})).not.toContain('key');
    expect((await getJson(`${jira.url}/jira/rest/api/3/search/jql?jql=`)).res.status).toBe(400);
    expect((await getJson(`${jira.url}/jira/rest/api/3/search?jql=project%3DORCH`)).res.status).toBe(410);
  });

  test('JQL: labels, OR and parentheses, updated >= after an update, key lists with validateQuery, errors', async () => {
    const jira = start();
    const search = (jql: string, extra = ''): Promise<{ res: Response; body: Json }> => getJson(`${jira.url}/jira/rest/api/2/search?jql=${q(jql)}&maxResults=100${extra}`);
    const newbie = await search('project = ORCH AND labels = newbie ORDER BY key');
    expect(keys(newbie.body)).toEqual(jira.issues().filter((i) => i.labels.includes('newbie')).map((i) => i.key));
    const either = await search('(labels = newbie OR component = Documentation) AND project = Orchard');
    expect(keys(either.body).length).toBe(jira.issues().filter((i) => i.labels.includes('newbie') || i.components.includes('Documentation')).length);

    jira.updateIssue('ORCH-5', { status: 'Closed' });
    const recent = await search(`(project = ORCH) AND updated >= "${new Date(Date.now() - 86_400_000).toISOString().slice(0, 16).replace(/-/g, '/').replace('T', ' ')}" ORDER BY key ASC`);
    expect(keys(recent.body)).toContain('ORCH-5');
    expect(keys(recent.body).length).toBeLessThan(5);

    const strict = await search('key in (ORCH-2, ORCH-13)');
    expect(strict.res.status).toBe(400);
    expect(strict.body.errorMessages).toEqual(["An issue with key 'ORCH-13' does not exist for field 'key'."]);
    const warned = await search('key in (ORCH-2, ORCH-13, ORCH-21)', '&validateQuery=warn');
    expect(keys(warned.body).sort()).toEqual(['OPS-4', 'ORCH-2']);
    expect(warned.body.warningMessages).toHaveLength(1);

    expect((await search('colour = red')).body.errorMessages).toEqual(["Field 'colour' does not exist or you do not have permission to view it."]);
    expect((await search('project = NOPE')).body.errorMessages).toEqual(["The value 'NOPE' does not exist for the field 'project'."]);
  });

  test('single issues: 404 for a deleted one, the new key for a moved one; ETag/304; the request log; stop', async () => {
    const jira = start();
    expect((await getJson(`${jira.url}/jira/rest/api/2/issue/${DEMO_JIRA_GONE_KEY}`)).res.status).toBe(404);
    expect((await getJson(`${jira.url}/jira/rest/api/2/issue/ORCH-21?fields=summary`)).body.key).toBe('OPS-4');
    const url = `${jira.url}/jira/rest/api/2/issue/ORCH-7?fields=summary`;
    const first = await getJson(url, { authorization: 'Bearer demo' });
    const etag = first.res.headers.get('etag') ?? '';
    expect(etag).toMatch(/^"[0-9a-f]{40}"$/);
    expect((await fetch(url, { headers: { 'if-none-match': etag } })).status).toBe(304);
    jira.deleteIssue('ORCH-7');
    expect((await getJson(url)).res.status).toBe(404);
    expect(jira.requests.map((r) => r.status)).toEqual([404, 200, 200, 304, 404]);
    expect(jira.requests[2]?.headers.authorization).toBe('Bearer demo');
    await jira.stop();
    await expect(fetch(url)).rejects.toThrow();
  });
});

test('the demo entry is valid and imports completely through the real engine, with a token; a second run revalidates', async () => {
  const jira = start({ latencyMs: 1 });
  const yaml = `trackers:\n${demoJiraEntry(jira.url)}\n    token_env: ORCHARD_JIRA_TOKEN\n`;
  const file = parseTrackerText(yaml, 'demo.yaml', [...ADAPTERS, jiraAdapter as unknown as TrackerAdapter]);
  expect(file.problems).toEqual([]);
  const loaded = file.entries[0];
  if (loaded === undefined || loaded.adapter === undefined) throw new Error('the demo entry did not load');

  const dir = tempDir('customs-fake-jira-');
  const run = (): Promise<EngineRun> => importEntry(loaded, dir, { env: { ORCHARD_JIRA_TOKEN: 'orchard-pat-0001' } });

  const first = await run();
  expect(first.exitCode).toBe(0);
  first.records.forEach(assertValidRecord);
  const orchard = jira.issues().filter((i) => i.key.startsWith('ORCH-'));
  const live = first.records.filter((r) => r._deleted !== true);
  expect(live.map((r) => r.canonical_bug_link).sort()).toEqual(orchard.map((i) => `${jira.url}/jira/browse/${i.key}`).sort());
  expect(first.records.filter((r) => r._deleted === true).map((r) => r.canonical_bug_link)).toEqual([`${jira.url}/jira/browse/${DEMO_JIRA_GONE_KEY}`]);
  expect(live.filter((r) => r.good_for_newcomers === true)).toHaveLength(orchard.filter((i) => i.labels.includes('newbie')).length);
  expect(live.filter((r) => r.concerns_just_documentation === true)).toHaveLength(orchard.filter((i) => i.components.includes('Documentation')).length);
  expect(live.every((r) => r._project_name === 'Orchard')).toBe(true);
  // Two pages of 25 (asked 100), the key search, and ORCH-13 alone.
  const searches = jira.requests.filter((r) => r.path.includes('/search?') && !r.path.includes('key%20in'));
  expect(searches.map((r) => new URL(`http://x${r.path}`).searchParams.get('startAt'))).toEqual(['0', '25']);
  expect(jira.requests.every((r) => r.headers.authorization === 'Bearer orchard-pat-0001')).toBe(true);

  const before = jira.requests.length;
  const second = await run();
  expect(second.exitCode).toBe(0);
  expect(second.records).toHaveLength(first.records.length);
  const again = jira.requests.slice(before);
  expect(again.filter((r) => r.status !== 304).map((r) => r.status)).toEqual([404]);
});
