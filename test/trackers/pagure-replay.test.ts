// Pagure through the real engine: our fixtures served on 127.0.0.1 by replay() (two pages linked
// by pagination.next, a gone known issue, a login page, a disabled tracker), the reference
// recordings when ../shared/reference is there, and the fake Pagure for the token header and an
// incremental second run.

import { describe, expect, test } from 'bun:test';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunEvent } from '../../src/core/events.ts';
import { runImport } from '../../src/core/run.ts';
import type { TrackerAdapter, TrackerEntry } from '../../src/core/types.ts';
import { startFakePagure, type FakePagure } from '../../src/demo/fake-pagure.ts';
import { JsonlFileSink } from '../../src/sinks/jsonl.ts';
import { pagureAdapter } from '../../trackers/pagure.ts';
import { readJsonl, tempDir } from '../helpers/cli.ts';
import { replay, type Route } from '../helpers/replay.ts';
import { assertValidRecord } from '../helpers/schema.ts';

const JSON_HEADERS = { 'content-type': 'application/json' };
const adapter = pagureAdapter as unknown as TrackerAdapter;

/** A fixture with `{origin}` (in its pagination links) replaced by the server's origin. */
function fixture(name: string, origin: string): Route {
  const body = readFileSync(join(import.meta.dir, '../fixtures/pagure', name), 'utf8').replaceAll('{origin}', origin);
  return { headers: JSON_HEADERS, body };
}

function errorEvent(events: readonly RunEvent[]): Extract<RunEvent, { type: 'tracker-error' }> | undefined {
  return events.find((e): e is Extract<RunEvent, { type: 'tracker-error' }> => e.type === 'tracker-error');
}

const rosette = {
  tracker_name: 'Rosette',
  bugimporter: 'pagure',
  base_url: '{origin}',
  queries: ['{origin}/api/0/rosette/issues?status=all&per_page=2'],
  bitesized_tag: 'easyfix',
  existing_bug_urls: ['{origin}/rosette/issue/42', '{origin}/rosette/issue/99'],
};

test('every page linked by pagination.next is fetched, nothing twice; a gone issue is _deleted', async () => {
  const { result, records, requests, origin } = await replay(adapter, rosette, (url) => {
    const path = url.pathname + url.search;
    if (path === '/api/0/rosette/issues?status=all&per_page=2') return fixture('issues-page1.json', url.origin);
    if (path === '/api/0/rosette/issues?status=all&per_page=2&page=2') return fixture('issues-page2.json', url.origin);
    if (path === '/api/0/rosette/issue/42') return fixture('issue.json', url.origin);
    if (path === '/api/0/rosette/issue/99') return { ...fixture('error-no-issue.json', url.origin), status: 404 };
    return undefined;
  });
  expect(result.exitCode).toBe(0);
  expect([...requests].sort()).toEqual(
    ['/api/0/rosette/issues?status=all&per_page=2', '/api/0/rosette/issues?status=all&per_page=2&page=2', '/api/0/rosette/issue/42', '/api/0/rosette/issue/99'].sort(),
  );
  records.forEach(assertValidRecord);
  const links = records.map((r) => String(r.canonical_bug_link));
  expect(new Set(links).size).toBe(links.length);
  expect(links.sort()).toEqual([37, 40, 42, 99].map((id) => `${origin}/rosette/issue/${id}`).sort());
  expect(records.find((r) => r.canonical_bug_link === `${origin}/rosette/issue/99`)).toMatchObject({ _deleted: true });
  expect(records.filter((r) => r.good_for_newcomers === true).map((r) => r.canonical_bug_link)).toEqual([`${origin}/rosette/issue/42`]);
});

test('a login page instead of JSON fails the tracker, naming the URL', async () => {
  const { result, events, records } = await replay(adapter, { ...rosette, existing_bug_urls: [] }, () => ({
    headers: { 'content-type': 'text/html; charset=utf-8' },
    body: readFileSync(join(import.meta.dir, '../fixtures/pagure/login.html'), 'utf8'),
  }));
  expect(result.exitCode).toBe(1);
  expect(errorEvent(events)?.kind).toBe('parse');
  expect(errorEvent(events)?.message).toContain('/api/0/rosette/issues?status=all&per_page=2');
  expect(records).toEqual([]);
});

test('a disabled issue tracker fails the tracker with Pagure\'s message', async () => {
  const { result, events } = await replay(adapter, { ...rosette, existing_bug_urls: [] }, (url) => ({ ...fixture('error-tracker-disabled.json', url.origin), status: 404 }));
  expect(result.exitCode).toBe(1);
  expect(errorEvent(events)?.message).toContain('Issue tracker disabled (ETRACKERDISABLED)');
});

// ---------------------------------------------------------------------------------------------
// The real recordings (never copied into the project: read in place when present).

const REFERENCE = join(import.meta.dir, '../../../shared/reference/perceval/pagure');

test.skipIf(!existsSync(REFERENCE))('the reference recordings import as valid, sensible records', async () => {
  const recording = (name: string): Route => ({ headers: JSON_HEADERS, body: readFileSync(join(REFERENCE, name), 'utf8') });
  const { result, records, origin } = await replay(
    adapter,
    {
      tracker_name: 'Pagure examples',
      bugimporter: 'pagure',
      base_url: '{origin}',
      bug_project_name_format: '{product}',
      queries: [
        '{origin}/api/0/Project-example/issues?status=all',
        '{origin}/api/0/Test-group/Project-namespace-example/issues?status=all',
        '{origin}/api/0/Project-example/issues?status=all&since=2020-03-07',
      ],
    },
    (url) => {
      if (url.pathname === '/api/0/Project-example/issues') return recording(url.searchParams.has('since') ? 'pagure_repo_issue_from_2020_03_07' : 'pagure_repo_issue_2');
      if (url.pathname === '/api/0/Test-group/Project-namespace-example/issues') return recording('pagure_namespace_issue_2');
      return undefined;
    },
  );
  expect(result.exitCode).toBe(0);
  records.forEach(assertValidRecord);
  expect(records.map((r) => String(r.canonical_bug_link).slice(origin.length)).sort()).toEqual([
    '/Project-example/issue/1',
    '/Project-example/issue/2',
    '/Test-group/Project-namespace-example/issue/1',
    '/Test-group/Project-namespace-example/issue/2',
  ]);
  for (const record of records) {
    expect(String(record.title)).not.toBe('');
    expect(String(record.submitter_username)).not.toBe('');
    expect(String(record.date_reported)).toStartWith('2020-03-');
    expect(String(record.date_reported) <= String(record.last_touched)).toBe(true);
    expect(Number(record.people_involved)).toBeGreaterThanOrEqual(1);
    expect(record.looks_closed).toBe(false);
    expect(String(record._project_name)).toMatch(/^(Project-example|Test-group\/Project-namespace-example)$/);
  }
});

// ---------------------------------------------------------------------------------------------
// Against the fake Pagure: what reaches the server, and a second, incremental run.

async function runAgainst(entry: TrackerEntry, dir: string, env: Record<string, string> = {}): Promise<{ exitCode: number; records: Record<string, unknown>[] }> {
  const output = join(dir, 'bugs.jsonl');
  const result = await runImport({
    trackers: [{ entry, adapter, configErrors: [] }],
    sink: new JsonlFileSink(output),
    limits: { concurrency: 8, perHost: 4, delayMs: 0 },
    retry: { retries: 1, baseDelayMs: 5, maxDelayMs: 20 },
    transport: { userAgent: 'customs/test', connectionsPerHost: 4, connectTimeoutMs: 2000, headersTimeoutMs: 5000, bodyTimeoutMs: 5000, maxBodyBytes: 10_000_000, maxRedirects: 5 },
    cacheMode: 'normal',
    cacheDir: join(dir, 'cache'),
    extendedScrape: false,
    env,
    signal: new AbortController().signal,
    emit: () => {},
    incremental: { marksPath: join(dir, 'marks.json'), output, full: false },
  });
  return { exitCode: result.exitCode, records: readJsonl(readFileSync(output, 'utf8')) };
}

function rosetteOn(fake: FakePagure, extra: Partial<TrackerEntry> = {}): TrackerEntry {
  return { tracker_name: 'Rosette', bugimporter: 'pagure', base_url: `${fake.url}/`, queries: [`${fake.url}/api/0/rosette/issues?per_page=20`], ...extra };
}

describe('against the fake Pagure', () => {
  test('the token travels as "Authorization: token …", never in a URL', async () => {
    const fake = startFakePagure();
    try {
      const token = 'PAGURETOKEN0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
      const run = await runAgainst(rosetteOn(fake, { token_env: 'ROSETTE_TOKEN' }), tempDir('customs-pagure-'), { ROSETTE_TOKEN: token });
      expect(run.exitCode).toBe(0);
      expect(fake.requests.length).toBeGreaterThan(1);
      for (const req of fake.requests) {
        expect(req.headers.authorization).toBe(`token ${token}`);
        expect(req.path).not.toContain(token);
      }
    } finally {
      await fake.stop();
    }
  });

  test('a second run asks only for what changed, and the output still holds every issue', async () => {
    const fake = startFakePagure();
    const dir = tempDir('customs-pagure-');
    try {
      const entry = rosetteOn(fake);
      const first = await runAgainst(entry, dir);
      expect(first.exitCode).toBe(0);
      expect(fake.requests.length).toBeGreaterThan(1);
      const openIds = first.records.map((r) => Number(String(r.canonical_bug_link).split('/').pop()));
      const [closeMe, retitleMe] = openIds;
      if (closeMe === undefined || retitleMe === undefined) throw new Error('too few open issues');

      fake.updateIssue(closeMe, { status: 'Closed' });
      fake.updateIssue(retitleMe, { title: 'Retitled between runs' });
      fake.requests.length = 0;
      const second = await runAgainst(entry, dir);
      expect(second.exitCode).toBe(0);
      expect(fake.requests).toHaveLength(1);
      expect(fake.requests[0]?.path).toMatch(/^\/api\/0\/rosette\/issues\?per_page=20&status=all&since=\d+$/);
      second.records.forEach(assertValidRecord);
      expect(second.records).toHaveLength(first.records.length);
      const byId = (id: number): Record<string, unknown> | undefined => second.records.find((r) => String(r.canonical_bug_link).endsWith(`/rosette/issue/${id}`));
      expect(byId(closeMe)?.looks_closed).toBe(true);
      expect(byId(retitleMe)?.title).toBe('Retitled between runs');
    } finally {
      await fake.stop();
    }
  });
});
