// The Launchpad adapter (trackers.md §8): plans for names, queries, states and incremental runs;
// the task → bug → subscriptions → owner chain on our fixtures (driven here by a tiny in-memory
// loop; launchpad-replay.test.ts runs the real engine); known-bug refresh and deletion; checks.
// Every record a handler returns is validated against schema/parsed-bug.schema.json.

import { describe, expect, test } from 'bun:test';
import { readFileSync } from 'node:fs';
import { ParseError } from '../../src/core/errors.ts';
import type { AdapterContext, BugRecord, DeletedBug, FetchedResponse, HandleResult, ParsedBug, RequestSpec } from '../../src/core/types.ts';
import { ALL_STATUSES, launchpadAdapter, type LaunchpadEntry } from '../../trackers/launchpad.ts';
import { assertValidRecord } from '../helpers/schema.ts';

const NOW = new Date('2024-07-01T09:30:00.250Z');
const API = 'https://api.launchpad.net/1.0';
const WEB = 'https://bugs.launchpad.net';
const ACCEPT = { Accept: 'application/json' };
const ALL = ALL_STATUSES.map((s) => `status=${encodeURIComponent(s).replace(/%20/g, '+').replace(/'/g, '%27').replace(/\(/g, '%28').replace(/\)/g, '%29')}`).join('&');

function fixture(name: string): string {
  return readFileSync(new URL(`../fixtures/launchpad/${name}`, import.meta.url), 'utf8').replaceAll('{api}', API).replaceAll('{web}', WEB);
}

function entry(extra: Partial<LaunchpadEntry> = {}): LaunchpadEntry {
  return { tracker_name: 'Quillpad', bugimporter: 'launchpad', launchpad_name: 'quillpad', ...extra };
}

function ctx(e: LaunchpadEntry, options: { extendedScrape?: boolean; since?: Date } = {}): AdapterContext<LaunchpadEntry> {
  return { entry: e, now: NOW, extendedScrape: options.extendedScrape ?? false, ...(options.since ? { since: options.since } : {}) };
}

function response(url: string, body: string, status = 200): FetchedResponse {
  return { url, status, headers: { 'content-type': 'application/json' }, body };
}

function handle(req: RequestSpec, res: FetchedResponse, context: AdapterContext<LaunchpadEntry>): HandleResult {
  const handler = launchpadAdapter.handlers[req.kind];
  if (handler === undefined) throw new Error(`no handler for ${req.kind}`);
  const result = handler(res, req, context);
  for (const bug of [...(result.bugs ?? []), ...(result.updates ?? [])]) assertValidRecord(bug);
  return result;
}

/** The fixtures by URL (API answers as the unit tests see them); a number is a bare status. */
const SERVED: Readonly<Record<string, string | number>> = {
  [`${API}/quillpad?ws.op=searchTasks&ws.size=75`]: 'tasks-page-1.json',
  [`${API}/quillpad?ws.op=searchTasks&ws.size=2&memo=2&ws.start=2`]: 'tasks-page-2.json',
  [`${API}/ubuntu/+source/quillpad?ws.op=searchTasks&ws.size=75`]: 'tasks-ubuntu.json',
  [`${API}/bugs/2100101`]: 'bug-2100101.json',
  [`${API}/bugs/2100102`]: 'bug-2100102.json',
  [`${API}/bugs/2100103`]: 'bug-2100103.json',
  [`${API}/bugs/2100104`]: 'bug-2100104.json',
  [`${API}/bugs/2100101/subscriptions`]: 'subscriptions-2100101.json',
  [`${API}/bugs/2100102/subscriptions`]: 'subscriptions-2100102.json',
  [`${API}/bugs/2100103/subscriptions`]: 'subscriptions-2100103.json',
  [`${API}/bugs/2100104/subscriptions`]: 'subscriptions-2100104.json',
  [`${API}/bugs/2100104/subscriptions?ws.show=total_size`]: '4',
  [`${API}/~mira`]: 'person-mira.json',
  [`${API}/~olek`]: 'person-olek.json',
  [`${API}/~former-contributor`]: 410,
  [`${API}/bugs/2100101/bug_tasks`]: 'bug-tasks-2100101.json',
  [`${API}/bugs/2100199/bug_tasks`]: 'bug-tasks-2100199.json',
  [`${API}/bugs/2100198/bug_tasks`]: 404,
};

function serve(url: string): FetchedResponse {
  const found = SERVED[url];
  if (found === undefined) throw new Error(`no fixture for ${url}`);
  if (typeof found === 'number') return response(url, 'Object: <Person at 0x7f…>, name: …', found);
  return response(url, found.endsWith('.json') ? fixture(found) : found);
}

interface Driven {
  readonly bugs: BugRecord[];
  readonly updates: BugRecord[];
  readonly warnings: string[];
  readonly fetched: string[];
}

/** A stand-in for the engine: plan, then every request answered from SERVED, until none is left. */
function drive(context: AdapterContext<LaunchpadEntry>): Driven {
  const out: Driven = { bugs: [], updates: [], warnings: [], fetched: [] };
  const queue = [...launchpadAdapter.plan(context)];
  for (let req = queue.shift(); req !== undefined; req = queue.shift()) {
    out.fetched.push(req.url);
    const res = serve(req.url);
    if (res.status >= 300 && !(req.acceptStatus ?? []).includes(res.status)) throw new Error(`HTTP ${res.status} for ${req.url}`);
    const result = handle(req, res, context);
    out.bugs.push(...(result.bugs ?? []));
    out.updates.push(...(result.updates ?? []));
    out.warnings.push(...(result.warnings ?? []));
    queue.push(...(result.requests ?? []));
  }
  return out;
}

function isDeleted(bug: BugRecord): bug is DeletedBug {
  return '_deleted' in bug;
}

function parsed(records: readonly BugRecord[]): ParsedBug[] {
  return records.filter((b): b is ParsedBug => !isDeleted(b));
}

function byLink(records: readonly BugRecord[], link: string): ParsedBug {
  const bug = parsed(records).find((b) => b.canonical_bug_link === link);
  if (bug === undefined) throw new Error(`no record for ${link}`);
  return bug;
}

const TASK_REQ: RequestSpec = { kind: 'tasks', url: `${API}/quillpad?ws.op=searchTasks&ws.size=75`, headers: ACCEPT };

// ---------------------------------------------------------------------------------------------

describe('fields', () => {
  test('every key is declared with help; {product} is the only extra placeholder', () => {
    const names = launchpadAdapter.fields.map((f) => f.name);
    for (const name of ['launchpad_name', 'queries', 'existing_bug_urls', 'state', 'bitesized_tag', 'documentation_tag', 'api_url', 'bug_project_name_format', 'closed_status']) {
      expect(names).toContain(name);
    }
    expect(names).not.toContain('get_older_bug_data');
    for (const field of launchpadAdapter.fields) expect(field.help.length).toBeGreaterThan(10);
    expect(launchpadAdapter.fields.find((f) => f.name === 'bug_project_name_format')?.placeholders).toEqual(['product']);
    expect(launchpadAdapter.fields.find((f) => f.name === 'state')).toMatchObject({ kind: 'choice', choices: ['open', 'all'], default: 'open' });
    expect(launchpadAdapter.aliases).toEqual(['launchpad.LaunchpadBugImporter']);
  });

  test('the example entry passes its own checks and plans deterministically', () => {
    expect(launchpadAdapter.check(launchpadAdapter.example as LaunchpadEntry).filter((p) => p.severity === 'error')).toEqual([]);
    const example = ctx(launchpadAdapter.example as LaunchpadEntry);
    expect(launchpadAdapter.plan(example)).toEqual(launchpadAdapter.plan(example));
  });
});

describe('plan', () => {
  test('launchpad_name: searchTasks with ws.size=75 and Accept: application/json', () => {
    expect(launchpadAdapter.plan(ctx(entry()))).toEqual([{ kind: 'tasks', url: `${API}/quillpad?ws.op=searchTasks&ws.size=75`, headers: ACCEPT }]);
  });

  test('state all names every status with a repeated status=', () => {
    const [req] = launchpadAdapter.plan(ctx(entry({ state: 'all' })));
    expect(req?.url).toBe(`${API}/quillpad?ws.op=searchTasks&ws.size=75&${ALL}`);
    expect(req?.url).toContain("status=Won%27t+Fix");
    expect(req?.url).toContain('status=Incomplete+%28without+response%29');
    expect(new URL(req?.url ?? '').searchParams.getAll('status')).toEqual([...ALL_STATUSES]);
  });

  test('a distribution source package, and an api_url without its trailing slash', () => {
    const plan = launchpadAdapter.plan(ctx(entry({ launchpad_name: 'ubuntu/+source/quillpad', api_url: 'https://api.staging.launchpad.net/devel' })));
    expect(plan.map((r) => r.url)).toEqual(['https://api.staging.launchpad.net/devel/ubuntu/+source/quillpad?ws.op=searchTasks&ws.size=75']);
  });

  test('queries keep their parameters; ws.size and statuses are added only when missing; repeats go once', () => {
    const plan = launchpadAdapter.plan(
      ctx(
        entry({
          state: 'all',
          queries: [
            `${API}/quillpad?ws.op=searchTasks&tags=bitesize`,
            `${API}/quillpad?ws.op=searchTasks&tags=bitesize`,
            `${API}/quillpad?ws.op=searchTasks&ws.size=20&status=New&status=Triaged`,
            `${API}/quillpad/+bugs`,
          ],
        }),
      ),
    );
    expect(plan.map((r) => r.url)).toEqual([
      `${API}/quillpad?ws.op=searchTasks&tags=bitesize&ws.size=75&${ALL}`,
      `${API}/quillpad?ws.op=searchTasks&ws.size=20&status=New&status=Triaged`,
    ]);
  });

  test('known bugs: one bug_tasks request per bug id; unreadable URLs and other hosts are skipped', () => {
    const plan = launchpadAdapter.plan(
      ctx(
        entry({
          existing_bug_urls: [
            `${WEB}/quillpad/+bug/2100101`,
            `${WEB}/ubuntu/+source/quillpad/+bug/2100101/`,
            `${WEB}/bugs/2100199`,
            `${WEB}/quillpad/+bugs`,
            'https://github.com/quillpad/quillpad/issues/3',
            'https://bugzilla.example.org/bugs/12',
          ],
        }),
      ),
    );
    const known = plan.filter((r) => r.kind === 'bug_tasks');
    expect(known).toEqual([
      {
        kind: 'bug_tasks',
        url: `${API}/bugs/2100101/bug_tasks`,
        headers: ACCEPT,
        meta: {
          known: [
            { url: `${WEB}/quillpad/+bug/2100101`, target: 'quillpad' },
            { url: `${WEB}/ubuntu/+source/quillpad/+bug/2100101/`, target: 'ubuntu/+source/quillpad' },
          ],
        },
        acceptStatus: [401, 403, 404, 410],
      },
      { kind: 'bug_tasks', url: `${API}/bugs/2100199/bug_tasks`, headers: ACCEPT, meta: { known: [{ url: `${WEB}/bugs/2100199`, target: null }] }, acceptStatus: [401, 403, 404, 410] },
    ]);
  });

  test('incremental: modified_since and every status, with the full run\'s statuses as the scope', () => {
    const since = new Date('2024-06-20T10:00:00.900Z');
    const [open] = launchpadAdapter.plan(ctx(entry(), { since }));
    expect(open?.url).toBe(`${API}/quillpad?ws.op=searchTasks&ws.size=75&${ALL}&modified_since=2024-06-20T10%3A00%3A00%2B00%3A00`);
    expect(new URL(open?.url ?? '').searchParams.get('modified_since')).toBe('2024-06-20T10:00:00+00:00');
    expect(open?.meta).toEqual({ scope: ['New', 'Incomplete', 'Confirmed', 'Triaged', 'In Progress', 'Fix Committed', 'Incomplete (with response)', 'Incomplete (without response)'] });

    const [own] = launchpadAdapter.plan(
      ctx(entry({ queries: [`${API}/quillpad?ws.op=searchTasks&status=New&modified_since=2024-06-25T00%3A00%3A00%2B00%3A00`] }), { since }),
    );
    const params = new URL(own?.url ?? '').searchParams;
    expect(params.getAll('status')).toEqual([...ALL_STATUSES]);
    // The URL's own, later, mark is kept.
    expect(params.getAll('modified_since')).toEqual(['2024-06-25T00:00:00+00:00']);
    expect(own?.meta).toEqual({ scope: ['New'] });

    // Known bugs are refreshed on every run, without the parameter.
    const known = launchpadAdapter.plan(ctx(entry({ existing_bug_urls: [`${WEB}/quillpad/+bug/7`] }), { since })).find((r) => r.kind === 'bug_tasks');
    expect(known?.url).toBe(`${API}/bugs/7/bug_tasks`);
  });
});

describe('the chain: tasks → bug → subscriptions → owner', () => {
  test('a task list page starts one chain per task and follows next_collection_link', () => {
    const result = handle(TASK_REQ, serve(TASK_REQ.url), ctx(entry()));
    expect(result.bugs ?? []).toEqual([]);
    expect((result.requests ?? []).map((r) => [r.kind, r.url])).toEqual([
      ['bug', `${API}/bugs/2100101`],
      ['bug', `${API}/bugs/2100102`],
      ['tasks', `${API}/quillpad?ws.op=searchTasks&ws.size=2&memo=2&ws.start=2`],
    ]);
    expect(result.requests?.[0]?.acceptStatus).toEqual([401, 403, 404, 410]);
  });

  test('every task of every page becomes a record built from task, bug, subscriptions and owner', () => {
    const run = drive(ctx(entry({ bitesized_tag: 'bitesize, easy', documentation_tag: 'documentation' })));
    expect(parsed(run.bugs).map((b) => b.canonical_bug_link).sort()).toEqual([
      `${WEB}/quillpad/+bug/2100101`,
      `${WEB}/quillpad/+bug/2100102`,
      `${WEB}/quillpad/+bug/2100103`,
      `${WEB}/quillpad/+bug/2100104`,
    ]);
    expect(byLink(run.bugs, `${WEB}/quillpad/+bug/2100101`)).toEqual({
      title: 'Bug #2100101 in Quillpad: "Export to Markdown drops footnotes"',
      description: 'Footnotes like [^1] vanish when a note is exported.\n\nSteps:\n1. Write a note with a footnote\n2. File > Export > Markdown',
      status: 'Triaged',
      importance: 'Medium',
      people_involved: 3,
      date_reported: '2024-02-03T10:11:12Z',
      last_touched: '2024-06-01T12:00:00Z',
      last_polled: '2024-07-01T09:30:00.250Z',
      submitter_username: 'mira',
      submitter_realname: 'Mira Nowak',
      canonical_bug_link: `${WEB}/quillpad/+bug/2100101`,
      looks_closed: false,
      good_for_newcomers: true,
      concerns_just_documentation: false,
      as_appears_in_distribution: '',
      _project_name: 'Quillpad',
      _tracker_name: 'Quillpad',
    });
    const docs = byLink(run.bugs, `${WEB}/quillpad/+bug/2100102`);
    expect(docs).toMatchObject({ status: 'Fix Released', looks_closed: true, concerns_just_documentation: true, good_for_newcomers: false, people_involved: 1 });
    // Two bugs with the same owner both get the owner's names.
    expect(docs.submitter_realname).toBe('Mira Nowak');
    expect(byLink(run.bugs, `${WEB}/quillpad/+bug/2100104`)).toMatchObject({ people_involved: 4, submitter_username: 'olek', submitter_realname: 'Olek Żuraw' });
    expect(run.warnings).toEqual([]);
  });

  test('total_size_link: the collection names its size by link, which answers a bare number', () => {
    const run = drive(ctx(entry()));
    expect(run.fetched).toContain(`${API}/bugs/2100104/subscriptions?ws.show=total_size`);
    // The subscriptions collection is never paged: only its size matters.
    expect(run.fetched).not.toContain(`${API}/bugs/2100104/subscriptions?ws.size=2&memo=2&ws.start=2`);
  });

  test('an owner whose account is gone (410) leaves the ~name from the link and no real name', () => {
    const run = drive(ctx(entry()));
    expect(byLink(run.bugs, `${WEB}/quillpad/+bug/2100103`)).toMatchObject({ submitter_username: 'former-contributor', submitter_realname: '', people_involved: 2 });
  });

  test('a bug that became private or vanished (401/404) is skipped with a warning', () => {
    const bugReq = handle(TASK_REQ, serve(TASK_REQ.url), ctx(entry())).requests?.[0];
    if (bugReq === undefined) throw new Error('no bug request');
    for (const status of [401, 404]) {
      const result = handle(bugReq, response(bugReq.url, '', status), ctx(entry()));
      expect(result.bugs ?? []).toEqual([]);
      expect(result.requests ?? []).toEqual([]);
      expect(result.warnings?.[0]).toContain(`${WEB}/quillpad/+bug/2100101: Launchpad answered ${status}`);
    }
  });

  test('closed_status replaces the date_closed rule and compares the task status', () => {
    const run = drive(ctx(entry({ closed_status: 'triaged, Won\'t Fix' })));
    expect(byLink(run.bugs, `${WEB}/quillpad/+bug/2100101`).looks_closed).toBe(true);
    expect(byLink(run.bugs, `${WEB}/quillpad/+bug/2100102`).looks_closed).toBe(false);
  });

  test('{product} is the task\'s target display name; as_appears_in_distribution is copied', () => {
    const run = drive(ctx(entry({ launchpad_name: 'ubuntu/+source/quillpad', bug_project_name_format: '{tracker_name}: {product}', as_appears_in_distribution: 'Ubuntu' })));
    expect(parsed(run.bugs).map((b) => [b._project_name, b.as_appears_in_distribution])).toEqual([['Quillpad: quillpad (Ubuntu)', 'Ubuntu']]);
  });

  test('--extended-scrape keeps the bug id, tags, heat, message count and target name', () => {
    const run = drive(ctx(entry(), { extendedScrape: true }));
    expect(byLink(run.bugs, `${WEB}/quillpad/+bug/2100101`).raw_data).toEqual({
      id: 2100101,
      tags: ['bitesize', 'export'],
      heat: 12,
      message_count: 4,
      bug_target_name: 'quillpad',
    });
    expect(byLink(run.bugs, `${WEB}/quillpad/+bug/2100104`).raw_data).toBeDefined();
    expect(byLink(drive(ctx(entry())).bugs, `${WEB}/quillpad/+bug/2100104`).raw_data).toBeUndefined();
  });

  test('entries that are not bug tasks are skipped with one warning', () => {
    const page = JSON.parse(fixture('tasks-ubuntu.json')) as { entries: Record<string, unknown>[] };
    page.entries.push({ resource_type_link: `${API}/#bug`, web_link: `${WEB}/bugs/1`, bug_link: `${API}/bugs/1` }, { title: 'no links at all' });
    const result = handle(TASK_REQ, response(TASK_REQ.url, JSON.stringify(page)), ctx(entry()));
    expect((result.requests ?? []).map((r) => r.url)).toEqual([`${API}/bugs/2100103`]);
    expect(result.warnings).toEqual([`2 entries that are not bug tasks skipped: ${TASK_REQ.url}`]);
  });

  test('an empty list ends the import with nothing', () => {
    expect(handle(TASK_REQ, response(TASK_REQ.url, fixture('tasks-empty.json')), ctx(entry()))).toEqual({ requests: [], warnings: [] });
  });

  test('incremental: a task outside the full run\'s statuses only updates a record already held', () => {
    const since = new Date('2024-06-20T10:00:00Z');
    const [req] = launchpadAdapter.plan(ctx(entry(), { since }));
    if (req === undefined) throw new Error('no plan');
    const first = handle(req, response(req.url, fixture('tasks-page-1.json')), ctx(entry(), { since }));
    const fixReleased = first.requests?.find((r) => r.url === `${API}/bugs/2100102`);
    if (fixReleased === undefined) throw new Error('no chain for 2100102');
    // Follow that chain to its end.
    let pending: RequestSpec[] = [fixReleased];
    const updates: BugRecord[] = [];
    const bugs: BugRecord[] = [];
    while (pending.length > 0) {
      const next: RequestSpec[] = [];
      for (const r of pending) {
        const result = handle(r, serve(r.url), ctx(entry(), { since }));
        updates.push(...(result.updates ?? []));
        bugs.push(...(result.bugs ?? []));
        next.push(...(result.requests ?? []));
      }
      pending = next;
    }
    expect(bugs).toEqual([]);
    expect(parsed(updates).map((b) => [b.canonical_bug_link, b.status])).toEqual([[`${WEB}/quillpad/+bug/2100102`, 'Fix Released']]);
  });
});

describe('known bugs', () => {
  test('refreshed through bug_tasks: the task of the URL\'s target, or the first for …/bugs/<id>', () => {
    const run = drive(
      ctx(
        entry({
          launchpad_name: undefined,
          queries: [`${API}/ubuntu/+source/quillpad?ws.op=searchTasks`],
          existing_bug_urls: [`${WEB}/ubuntu/+source/quillpad/+bug/2100101`, `${WEB}/bugs/2100101`],
        }),
      ),
    );
    expect(parsed(run.bugs).map((b) => b.canonical_bug_link).sort()).toEqual([
      `${WEB}/quillpad/+bug/2100101`,
      `${WEB}/ubuntu/+source/quillpad/+bug/2100101`,
      `${WEB}/ubuntu/+source/quillpad/+bug/2100103`,
    ]);
    expect(byLink(run.bugs, `${WEB}/ubuntu/+source/quillpad/+bug/2100101`)).toMatchObject({ status: 'New', _project_name: 'Quillpad', good_for_newcomers: false });
    // One bug_tasks request for both URLs of bug 2100101, and its bug fetched by both tasks.
    expect(run.fetched.filter((u) => u === `${API}/bugs/2100101/bug_tasks`)).toHaveLength(1);
  });

  test('404 on bug_tasks, or no task for the URL\'s target, gives _deleted with the URL as listed', () => {
    const run = drive(
      ctx(entry({ launchpad_name: undefined, queries: [`${API}/ubuntu/+source/quillpad?ws.op=searchTasks`], existing_bug_urls: [`${WEB}/quillpad/+bug/2100198`, `${WEB}/quillpad/+bug/2100199/`] })),
    );
    const deleted = run.bugs.filter(isDeleted);
    expect(deleted).toEqual([
      { canonical_bug_link: `${WEB}/quillpad/+bug/2100198`, _deleted: true, _tracker_name: 'Quillpad', _project_name: 'Quillpad', last_polled: '2024-07-01T09:30:00.250Z' },
      { canonical_bug_link: `${WEB}/quillpad/+bug/2100199/`, _deleted: true, _tracker_name: 'Quillpad', _project_name: 'Quillpad', last_polled: '2024-07-01T09:30:00.250Z' },
    ]);
    // A per-bug project name is not known for a gone bug.
    const gone = handle(
      { kind: 'bug_tasks', url: `${API}/bugs/2100198/bug_tasks`, meta: { known: [{ url: `${WEB}/quillpad/+bug/2100198`, target: 'quillpad' }] } },
      response(`${API}/bugs/2100198/bug_tasks`, '', 410),
      ctx(entry({ bug_project_name_format: '{product}' })),
    );
    expect(gone.bugs?.[0]?._project_name).toBe('Quillpad');
  });

  test('401 is a skip with a warning; a single task object is accepted; the collection may page', () => {
    const req: RequestSpec = { kind: 'bug_tasks', url: `${API}/bugs/2100101/bug_tasks`, meta: { known: [{ url: `${WEB}/quillpad/+bug/2100101`, target: 'quillpad' }] } };
    const denied = handle(req, response(req.url, '', 401), ctx(entry()));
    expect(denied.bugs ?? []).toEqual([]);
    expect(denied.warnings?.[0]).toContain('may have become private');

    const single = JSON.stringify((JSON.parse(fixture('bug-tasks-2100101.json')) as { entries: unknown[] }).entries[0]);
    expect(handle(req, response(req.url, single), ctx(entry())).requests?.map((r) => r.url)).toEqual([`${API}/bugs/2100101`]);

    const paged = JSON.parse(fixture('bug-tasks-2100199.json')) as Record<string, unknown>;
    paged.next_collection_link = `${API}/bugs/2100101/bug_tasks?ws.start=1&ws.size=1&memo=1`;
    const first = handle(req, response(req.url, JSON.stringify(paged)), ctx(entry()));
    expect(first.bugs ?? []).toEqual([]);
    expect(first.requests).toEqual([{ ...req, url: `${API}/bugs/2100101/bug_tasks?ws.start=1&ws.size=1&memo=1`, meta: { known: [{ url: `${WEB}/quillpad/+bug/2100101`, target: 'quillpad' }] } }]);
  });
});

describe('malformed answers', () => {
  test('HTML instead of JSON is a ParseError naming the URL', () => {
    const html = '<!DOCTYPE html><html><body><h1>Launchpad is down for maintenance</h1></body></html>';
    expect(() => handle(TASK_REQ, response(TASK_REQ.url, html), ctx(entry()))).toThrow(ParseError);
    expect(() => handle(TASK_REQ, response(TASK_REQ.url, html), ctx(entry()))).toThrow(TASK_REQ.url);
  });

  test('JSON of the wrong shape, or a non-number total, is a ParseError', () => {
    expect(() => handle(TASK_REQ, response(TASK_REQ.url, '{"message": "nope"}'), ctx(entry()))).toThrow('expected a Launchpad collection');
    const bugReq = handle(TASK_REQ, serve(TASK_REQ.url), ctx(entry())).requests?.[0];
    if (bugReq === undefined) throw new Error('no bug request');
    expect(() => handle(bugReq, response(bugReq.url, fixture('person-mira.json')), ctx(entry()))).toThrow('expected a Launchpad bug');
    const totalReq: RequestSpec = { ...bugReq, kind: 'subscriptions_total', url: `${API}/bugs/2100104/subscriptions?ws.show=total_size` };
    expect(() => handle(totalReq, response(totalReq.url, '"many"'), ctx(entry()))).toThrow('expected a number');
  });
});

describe('check', () => {
  const problems = (e: LaunchpadEntry): string[] => launchpadAdapter.check(e).map((p) => `${p.severity} ${p.field ?? ''}${p.index !== undefined ? `[${p.index}]` : ''}: ${p.message}`);

  test('launchpad_name or queries is required; names and queries are checked', () => {
    expect(problems(entry({ launchpad_name: undefined }))).toEqual(['error launchpad_name: give launchpad_name or queries']);
    expect(problems(entry({ launchpad_name: 'not a name!' }))[0]).toContain('is not a Launchpad name');
    expect(problems(entry({ launchpad_name: undefined, queries: ['https://bugs.launchpad.net/quillpad/+bugs?field.tag=easy'] }))).toEqual([
      'error queries[0]: https://bugs.launchpad.net/quillpad/+bugs?field.tag=easy: not a searchTasks URL of the Launchpad API (https://api.launchpad.net/1.0/<target>?ws.op=searchTasks&…)',
    ]);
    expect(problems(entry({ launchpad_name: 'ubuntu/+source/quillpad' }))).toEqual([]);
  });

  test('unreadable known URLs, empty tag lists and token_env are warnings', () => {
    expect(problems(entry({ existing_bug_urls: [`${WEB}/quillpad/+bug/1`, 'https://example.org/quillpad/+bug/2', `${WEB}/quillpad`] }))).toEqual([
      'warning existing_bug_urls[1]: https://example.org/quillpad/+bug/2: not a Launchpad bug URL (https://bugs.launchpad.net/<target>/+bug/<id>), skipped',
      'warning existing_bug_urls[2]: https://bugs.launchpad.net/quillpad: not a Launchpad bug URL (https://bugs.launchpad.net/<target>/+bug/<id>), skipped',
    ]);
    expect(problems(entry({ bitesized_tag: ' , ', token_env: 'LP_TOKEN' }))).toEqual([
      'warning bitesized_tag: bitesized_tag holds no tag, so it never matches',
      'warning token_env: Launchpad is read anonymously; token_env is not used',
    ]);
  });
});
