// The engine's side of the adapter contract, with small adapters of the test's own against a real
// server on 127.0.0.1: optional requests, handler errors, pagination loops, shared answers.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { join } from 'node:path';
import { ParseError } from '../../src/core/errors.ts';
import type { RunEvent } from '../../src/core/events.ts';
import { runImport } from '../../src/core/run.ts';
import type { BugRecord, HandleResult, TrackerAdapter, TrackerEntry } from '../../src/core/types.ts';
import { JsonlFileSink } from '../../src/sinks/jsonl.ts';
import { readJsonl, tempDir } from '../helpers/cli.ts';

let server: ReturnType<typeof Bun.serve>;
const hits = new Map<string, number>();

beforeAll(() => {
  server = Bun.serve({
    hostname: '127.0.0.1',
    port: 0,
    fetch(req) {
      const path = new URL(req.url).pathname;
      hits.set(path, (hits.get(path) ?? 0) + 1);
      if (path.startsWith('/bug/')) return Response.json({ id: Number(path.slice(5)), title: `Bug ${path.slice(5)}` });
      if (path === '/detail/2') return new Response('broken', { status: 500 });
      if (path.startsWith('/detail/')) return new Response(`<p>details of ${path.slice(8)}</p>`);
      if (path === '/loop') return Response.json({ next: '/loop' });
      if (path === '/html') return new Response('<html>login</html>', { headers: { 'content-type': 'text/html' } });
      return new Response('nope', { status: 404 });
    },
  });
});
afterAll(() => server.stop(true));

function record(entry: TrackerEntry, id: number, title: string, now: Date): BugRecord {
  return {
    title,
    description: '',
    status: 'open',
    importance: '',
    people_involved: 0,
    last_polled: now.toISOString(),
    submitter_username: '',
    submitter_realname: '',
    canonical_bug_link: `${server.url}bug/${id}`,
    looks_closed: false,
    good_for_newcomers: false,
    concerns_just_documentation: false,
    as_appears_in_distribution: '',
    _project_name: entry.tracker_name,
    _tracker_name: entry.tracker_name,
  };
}

/** Two steps per bug, like Trac: the bug (required), then its detail page (optional). */
const twoStep: TrackerAdapter = {
  type: 'twostep',
  aliases: [],
  description: 'test adapter',
  fields: [],
  example: { tracker_name: 'Two', bugimporter: 'twostep' },
  check: () => [],
  plan: () => [1, 2, 3].map((id) => ({ kind: 'bug', url: `${server.url}bug/${id}` })),
  handlers: {
    bug: (res): HandleResult => {
      const bug = JSON.parse(res.body) as { id: number; title: string };
      return { requests: [{ kind: 'detail', url: `${server.url}detail/${bug.id}`, optional: true, meta: bug }] };
    },
    detail: (res, req, ctx): HandleResult => {
      const meta = req.meta as { id: number; title: string };
      const title = res.failure ? `${meta.title} (no details)` : `${meta.title}: ${res.body}`;
      return { bugs: [record(ctx.entry, meta.id, title, ctx.now)] };
    },
  },
};

const loop: TrackerAdapter = {
  ...twoStep,
  type: 'loop',
  plan: () => [{ kind: 'page', url: `${server.url}loop` }],
  handlers: { page: (res) => ({ requests: [{ kind: 'page', url: new URL((JSON.parse(res.body) as { next: string }).next, server.url).href }] }) },
};

const strict: TrackerAdapter = {
  ...twoStep,
  type: 'strict',
  plan: () => [{ kind: 'json', url: `${server.url}html` }],
  handlers: {
    json: (res) => {
      if (res.headers['content-type']?.includes('html')) throw new ParseError(`expected JSON, got an HTML page from ${res.url}`, res.url);
      return {};
    },
  },
};

async function run(trackers: { name: string; adapter: TrackerAdapter }[]) {
  const dir = tempDir();
  const events: RunEvent[] = [];
  const result = await runImport({
    trackers: trackers.map((t) => ({ entry: { tracker_name: t.name, bugimporter: t.adapter.type }, adapter: t.adapter, configErrors: [] })),
    sink: new JsonlFileSink(join(dir, 'bugs.jsonl')),
    limits: { concurrency: 4, perHost: 2, delayMs: 0 },
    retry: { retries: 1, baseDelayMs: 5, maxDelayMs: 10 },
    transport: { userAgent: 'customs/test', connectionsPerHost: 2, connectTimeoutMs: 1000, headersTimeoutMs: 2000, bodyTimeoutMs: 2000, maxBodyBytes: 1_000_000, maxRedirects: 5 },
    cacheMode: 'normal',
    cacheDir: join(dir, 'cache'),
    extendedScrape: false,
    env: {},
    signal: new AbortController().signal,
    emit: (e) => events.push(e),
  });
  const records = readJsonl(await Bun.file(join(dir, 'bugs.jsonl')).text().catch(() => ''));
  return { result, events, records };
}

describe('engine and adapters', () => {
  test('an optional request that fails reaches its handler; the record is still written', async () => {
    const { result, events, records } = await run([{ name: 'Two', adapter: twoStep }]);
    expect(result.exitCode).toBe(0);
    expect(records.map((r) => r.title).sort()).toEqual(['Bug 1: <p>details of 1</p>', 'Bug 2 (no details)', 'Bug 3: <p>details of 3</p>']);
    expect(events.some((e) => e.type === 'warning' && e.message.includes('detail/2') && e.message.includes('HTTP 500'))).toBe(true);
  });

  test('a repeated request stops with a warning instead of looping', async () => {
    hits.clear();
    const { result, events } = await run([{ name: 'Loop', adapter: loop }]);
    expect(result.exitCode).toBe(0);
    expect(hits.get('/loop')).toBe(1);
    expect(events.some((e) => e.type === 'warning' && e.message.includes('request repeated'))).toBe(true);
  });

  test('a handler that cannot read its answer fails its tracker with the URL; the others go on', async () => {
    const { result, events, records } = await run([
      { name: 'Strict', adapter: strict },
      { name: 'Two', adapter: twoStep },
    ]);
    expect(result.exitCode).toBe(1);
    const failed = events.find((e) => e.type === 'tracker-done' && e.tracker === 'Strict');
    expect(failed).toMatchObject({ status: 'failed' });
    expect(failed?.type === 'tracker-done' && failed.error).toContain(`${server.url}html`);
    expect(records.length).toBe(3);
  });
});
