// The Redmine adapter (trackers.md §9): the status step, plans for every entry form, list pages
// with offset paging, records and their rules, known issues, credentials and checks, all on our
// own fixtures. Every record a handler returns is validated against the output schema.

import { describe, expect, test } from 'bun:test';
import { readFileSync } from 'node:fs';
import { parseTrackerText } from '../../src/config/load.ts';
import { FetchError, ParseError } from '../../src/core/errors.ts';
import type { AdapterContext, BugRecord, DeletedBug, FetchedResponse, HandleResult, ParsedBug, RequestSpec } from '../../src/core/types.ts';
import { ADAPTERS } from '../../trackers/index.ts';
import { redmineAdapter, type RedmineEntry } from '../../trackers/redmine.ts';
import { assertValidRecord } from '../helpers/schema.ts';

const NOW = new Date('2026-11-02T07:08:09.123Z');
const BASE = 'https://redmine.example.org/';
const STATUSES_URL = `${BASE}issue_statuses.json`;
const LIST_URL = `${BASE}issues.json?project_id=brujula&status_id=open&sort=updated_on:desc&limit=100&offset=0`;
/** issue_statuses.json of the fixture's Spanish install, as the status step puts it in meta. */
const TABLE = { '1': false, '2': false, '3': false, '4': false, '5': true, '6': true };

function fixture(name: string): string {
  return readFileSync(new URL(`../fixtures/redmine/${name}`, import.meta.url), 'utf8');
}

function entry(extra: Partial<RedmineEntry> = {}): RedmineEntry {
  return { tracker_name: 'Brújula', bugimporter: 'redmine', base_url: BASE, project: 'brujula', ...extra };
}

function ctx(e: RedmineEntry, options: { extendedScrape?: boolean; since?: Date } = {}): AdapterContext<RedmineEntry> {
  return { entry: e, now: NOW, extendedScrape: options.extendedScrape ?? false, ...(options.since ? { since: options.since } : {}) };
}

function response(url: string, body: string, status = 200): FetchedResponse {
  return { url, status, headers: { 'content-type': 'application/json; charset=utf-8' }, body };
}

/** Calls the handler for `req.kind` and validates every record it returns. */
function handle(req: RequestSpec, res: FetchedResponse, context: AdapterContext<RedmineEntry>): HandleResult {
  const handler = redmineAdapter.handlers[req.kind];
  if (handler === undefined) throw new Error(`no handler for ${req.kind}`);
  const result = handler(res, req, context);
  for (const bug of [...(result.bugs ?? []), ...(result.updates ?? [])]) assertValidRecord(bug);
  return result;
}

function isDeleted(bug: BugRecord): bug is DeletedBug {
  return '_deleted' in bug;
}

function parsed(bugs: readonly BugRecord[] | undefined): ParsedBug[] {
  return (bugs ?? []).filter((b): b is ParsedBug => !isDeleted(b));
}

function byId(bugs: readonly BugRecord[] | undefined, id: number): ParsedBug {
  const bug = parsed(bugs).find((b) => b.canonical_bug_link === `${BASE}issues/${id}`);
  if (bug === undefined) throw new Error(`no record for issue ${id}`);
  return bug;
}

/** The requests planned after the status step answered with `statusBody` (or failed). */
function followUps(e: RedmineEntry, options: { since?: Date; statusBody?: string; failed?: boolean } = {}): readonly RequestSpec[] {
  const [first] = redmineAdapter.plan(ctx(e, options));
  if (first === undefined) throw new Error('nothing planned');
  const res = options.failed
    ? { url: first.url, status: 404, headers: {}, body: '', failure: 'HTTP 404' }
    : response(first.url, options.statusBody ?? fixture('issue-statuses.json'));
  return handle(first, res, ctx(e, options)).requests ?? [];
}

function listRequest(url = LIST_URL, meta: RequestSpec['meta'] = { statuses: TABLE }): RequestSpec {
  return { kind: 'list', url, meta, acceptStatus: [401, 403, 404, 422] };
}

function spanishPage(e = entry(), options: { extendedScrape?: boolean } = {}): HandleResult {
  return handle(listRequest(), response(LIST_URL, fixture('issues-es.json')), ctx(e, options));
}

// ---------------------------------------------------------------------------------------------

describe('type, fields and example', () => {
  test('named redmine, also by the old branch\'s class name', () => {
    expect(redmineAdapter.type).toBe('redmine');
    expect(redmineAdapter.aliases).toEqual(['redmine.RedmineBugImporter']);
    expect(redmineAdapter.incremental).toBe(true);
  });

  test('every key of §9 is declared, with the placeholders of the name format', () => {
    const names = redmineAdapter.fields.map((f) => f.name);
    for (const key of ['base_url', 'project', 'queries', 'existing_bug_urls', 'state', 'bitesized_type', 'bitesized_text', 'documentation_type', 'documentation_text', 'bug_project_name_format', 'closed_status', 'token_env']) {
      expect(names).toContain(key);
    }
    expect(redmineAdapter.fields.find((f) => f.name === 'base_url')?.required).toBe(true);
    expect(redmineAdapter.fields.find((f) => f.name === 'bug_project_name_format')?.placeholders).toEqual(['product', 'component']);
    expect(redmineAdapter.fields.find((f) => f.name === 'state')?.choices).toEqual(['open', 'closed', 'all']);
  });

  test('the example entry is a valid tracker file entry, planned deterministically', () => {
    const file = parseTrackerText(JSON.stringify([redmineAdapter.example]), 'example.yaml', [...ADAPTERS, redmineAdapter]);
    const errors = [...file.problems, ...file.entries.flatMap((e) => e.problems)].filter((p) => p.severity === 'error');
    expect(errors).toEqual([]);
    expect(redmineAdapter.check(redmineAdapter.example)).toEqual([]);
    const c = ctx(redmineAdapter.example);
    expect(redmineAdapter.plan(c)).toEqual(redmineAdapter.plan(c));
  });

  test('an old-style entry with the alias loads as redmine', () => {
    const file = parseTrackerText(
      'trackers:\n  - tracker_name: Old\n    bugimporter: redmine.RedmineBugImporter\n    base_url: https://redmine.example.org\n',
      'old.yaml',
      [...ADAPTERS, redmineAdapter],
    );
    expect(file.entries[0]?.adapter).toBe(redmineAdapter);
    expect(file.entries[0]?.entry.base_url).toBe(BASE);
  });
});

describe('plan', () => {
  test('first the status table, optional', () => {
    expect(redmineAdapter.plan(ctx(entry()))).toEqual([{ kind: 'statuses', url: STATUSES_URL, optional: true }]);
    expect(redmineAdapter.plan(ctx(entry({ base_url: 'https://redmine.example.org' })))[0]?.url).toBe(STATUSES_URL);
    expect(redmineAdapter.plan(ctx(entry({ base_url: 'not a url' })))).toEqual([]);
  });

  test('then the generated list, with the status table in meta', () => {
    const requests = followUps(entry());
    expect(requests).toEqual([{ kind: 'list', url: LIST_URL, meta: { statuses: TABLE }, acceptStatus: [401, 403, 404, 422] }]);
  });

  test('state becomes status_id; without project the whole instance is listed', () => {
    expect(followUps(entry({ state: 'all' }))[0]?.url).toBe(`${BASE}issues.json?project_id=brujula&status_id=*&sort=updated_on:desc&limit=100&offset=0`);
    expect(followUps(entry({ state: 'closed', project: undefined }))[0]?.url).toBe(`${BASE}issues.json?status_id=closed&sort=updated_on:desc&limit=100&offset=0`);
  });

  test('a Redmine below a path keeps it in every URL', () => {
    const e = entry({ base_url: 'https://example.org/redmine', existing_bug_urls: ['https://example.org/redmine/issues/5'] });
    expect(redmineAdapter.plan(ctx(e))[0]?.url).toBe('https://example.org/redmine/issue_statuses.json');
    expect(followUps(e).map((r) => r.url)).toEqual([
      'https://example.org/redmine/issues.json?project_id=brujula&status_id=open&sort=updated_on:desc&limit=100&offset=0',
      'https://example.org/redmine/issues/5.json',
    ]);
  });

  test('queries keep their parameters and get limit and status_id when missing', () => {
    const e = entry({
      state: 'all',
      queries: [
        `${BASE}projects/brujula/issues.json?tracker_id=3`,
        `${BASE}issues.json?status_id=closed&limit=25&category_id=4`,
        `${BASE}projects/brujula/issues?set_filter=1&tracker_id=1`,
        `${BASE}projects/brujula/issues.json?tracker_id=3`,
        'https://elsewhere.example.org/issues.json',
      ],
    });
    expect(followUps(e).map((r) => r.url)).toEqual([
      `${BASE}projects/brujula/issues.json?tracker_id=3&status_id=*&limit=100`,
      `${BASE}issues.json?status_id=closed&limit=25&category_id=4`,
      `${BASE}projects/brujula/issues.json?set_filter=1&tracker_id=1&status_id=*&limit=100`,
    ]);
  });

  test('incremental runs: every status, updated_on>=since, and the full run\'s scope in meta', () => {
    const since = new Date('2026-11-01T10:00:00.750Z');
    const [list] = followUps(entry(), { since });
    expect(list?.url).toBe(`${BASE}issues.json?project_id=brujula&status_id=*&sort=updated_on:desc&limit=100&offset=0&updated_on=%3E%3D2026-11-01T10:00:00Z`);
    expect(list?.meta).toEqual({ statuses: TABLE, scope: 'open' });
  });

  test('incremental runs keep a query\'s own later updated_on, and replace an earlier one', () => {
    const since = new Date('2026-11-01T10:00:00Z');
    const later = `${BASE}issues.json?updated_on=%3E%3D2026-11-15&status_id=3`;
    const earlier = `${BASE}issues.json?updated_on=%3E%3D2020-01-01`;
    const window = `${BASE}issues.json?updated_on=%3E%3C2020-01-01%7C2020-12-31`;
    const urls = followUps(entry({ queries: [later, earlier, window] }), { since }).map((r) => r.url);
    expect(urls).toEqual([
      `${BASE}issues.json?updated_on=%3E%3D2026-11-15&status_id=*&limit=100`,
      `${BASE}issues.json?updated_on=%3E%3D2026-11-01T10:00:00Z&status_id=*&limit=100`,
      `${BASE}issues.json?updated_on=%3E%3C2020-01-01%7C2020-12-31&status_id=*&limit=100`,
    ]);
    expect(followUps(entry({ queries: [later] }), { since })[0]?.meta).toEqual({ statuses: TABLE, scope: '3' });
  });

  test('known issues: one request per id, other spellings carried along, foreign URLs skipped', () => {
    const e = entry({
      existing_bug_urls: [`${BASE}issues/4101`, `${BASE}issues/4101.json`, `${BASE}issues/77#note-3`, 'https://other.example.org/issues/5', `${BASE}projects/brujula`],
    });
    const issues = followUps(e).filter((r) => r.kind === 'issue');
    expect(issues).toEqual([
      {
        kind: 'issue',
        url: `${BASE}issues/4101.json`,
        meta: { statuses: TABLE, knownUrl: `${BASE}issues/4101`, otherKnownUrls: [`${BASE}issues/4101.json`] },
        acceptStatus: [401, 403, 404, 410],
      },
      { kind: 'issue', url: `${BASE}issues/77.json`, meta: { statuses: TABLE, knownUrl: `${BASE}issues/77#note-3` }, acceptStatus: [401, 403, 404, 410] },
    ]);
  });
});

describe('the status step', () => {
  test('a failed status request leaves the table out; lists are still planned', () => {
    const requests = followUps(entry(), { failed: true });
    expect(requests).toEqual([{ kind: 'list', url: LIST_URL, meta: {}, acceptStatus: [401, 403, 404, 422] }]);
  });

  test('a login page instead of the table is a warning, not a failure', () => {
    const [first] = redmineAdapter.plan(ctx(entry()));
    if (first === undefined) throw new Error('nothing planned');
    const result = handle(first, response(STATUSES_URL, fixture('login.html')), ctx(entry()));
    expect(result.requests?.map((r) => r.meta)).toEqual([{}]);
    expect(result.warnings?.[0]).toContain(STATUSES_URL);
    expect(result.warnings?.[0]).toContain('recognised by name');
  });
});

describe('list pages', () => {
  test('a record from a translated install: table-driven closed flag, CRLF, dates with milliseconds', () => {
    const result = spanishPage();
    expect(result.bugs).toHaveLength(3);
    expect(result.updates).toEqual([]);
    expect(byId(result.bugs, 4312)).toEqual({
      title: 'El mapa no carga con zoom 18',
      description: 'Pasos:\n1. Abrir el mapa\n2. Hacer zoom hasta 18\n\nEl mosaico queda en blanco.',
      status: 'Cerrada',
      importance: 'Normal',
      people_involved: 1,
      date_reported: '2023-04-02T08:15:30Z',
      last_touched: '2023-04-20T17:02:11Z',
      last_polled: '2026-11-02T07:08:09.123Z',
      submitter_username: '',
      submitter_realname: 'Lucía Ferrer',
      canonical_bug_link: `${BASE}issues/4312`,
      looks_closed: true,
      good_for_newcomers: false,
      concerns_just_documentation: false,
      as_appears_in_distribution: '',
      _project_name: 'Brújula',
      _tracker_name: 'Brújula',
    });
    const translation = byId(result.bugs, 4305);
    expect(translation.description).toBe('');
    expect(translation.people_involved).toBe(2);
    expect(translation.looks_closed).toBe(false);
    expect(translation.last_touched).toBe('2023-04-18T09:30:45Z');
  });

  test('without a status table, English names decide: Closed and Rejected', () => {
    const page = JSON.stringify({
      issues: [
        { id: 1, subject: 'a', status: { id: 5, name: 'Closed' }, author: { id: 1, name: 'A' }, created_on: '2024-01-01T00:00:00Z', updated_on: '2024-01-01T00:00:00Z' },
        { id: 2, subject: 'b', status: { id: 6, name: 'rejected' }, author: { id: 1, name: 'A' }, created_on: '2024-01-01T00:00:00Z', updated_on: '2024-01-01T00:00:00Z' },
        { id: 3, subject: 'c', status: { id: 5, name: 'Cerrada' }, author: { id: 1, name: 'A' }, created_on: '2024-01-01T00:00:00Z', updated_on: '2024-01-01T00:00:00Z' },
      ],
      total_count: 3,
      offset: 0,
      limit: 100,
    });
    const result = handle(listRequest(LIST_URL, {}), response(LIST_URL, page), ctx(entry()));
    expect(parsed(result.bugs).map((b) => b.looks_closed)).toEqual([true, true, false]);
  });

  test('the issue\'s own is_closed (Redmine 5.1) wins over the table and the name', () => {
    const result = handle(listRequest(LIST_URL, { statuses: { '7': false, '1': true } }), response(LIST_URL, fixture('issues-modern.json')), ctx(entry()));
    expect(byId(result.bugs, 981).looks_closed).toBe(true);
    expect(byId(result.bugs, 975).looks_closed).toBe(false);
  });

  test('closed_status replaces the server\'s flags and compares status.name', () => {
    const result = spanishPage(entry({ closed_status: 'resuelta, Rechazada' }));
    expect(byId(result.bugs, 4305).looks_closed).toBe(true);
    expect(byId(result.bugs, 4312).looks_closed).toBe(false);
  });

  test('rules on tracker, category and priority', () => {
    const byTracker = spanishPage(entry({ documentation_type: 'tracker', documentation_text: 'Documentación', bitesized_type: 'priority', bitesized_text: 'Baja' }));
    expect(byId(byTracker.bugs, 4305).concerns_just_documentation).toBe(true);
    expect(byId(byTracker.bugs, 4305).good_for_newcomers).toBe(true);
    expect(byId(byTracker.bugs, 4290).concerns_just_documentation).toBe(false);
    const byCategory = spanishPage(entry({ documentation_type: 'Category', documentation_text: 'Documentación' }));
    expect(parsed(byCategory.bugs).filter((b) => b.concerns_just_documentation).map((b) => b.canonical_bug_link)).toEqual([`${BASE}issues/4290`]);
  });

  test('rules on custom fields, single- and multi-valued; empty values never match', () => {
    const single = spanishPage(entry({ bitesized_type: 'custom_field:Dificultad', bitesized_text: 'Fácil, Media' }));
    expect(parsed(single.bugs).map((b) => b.good_for_newcomers)).toEqual([true, false, false]);
    const multi = spanishPage(entry({ documentation_type: 'custom_field: Plataformas', documentation_text: 'iOS' }));
    expect(parsed(multi.bugs).map((b) => b.concerns_just_documentation)).toEqual([true, false, false]);
    const spaced = handle(listRequest(), response(LIST_URL, fixture('issues-modern.json')), ctx(entry({ bitesized_type: 'custom_field:Good first issue', bitesized_text: '1' })));
    expect(byId(spaced.bugs, 981).good_for_newcomers).toBe(true);
    expect(byId(spaced.bugs, 975).good_for_newcomers).toBe(false);
    const caseSensitive = spanishPage(entry({ bitesized_type: 'custom_field:Dificultad', bitesized_text: 'fácil' }));
    expect(parsed(caseSensitive.bugs).some((b) => b.good_for_newcomers)).toBe(false);
  });

  test('{product} is the project name and {component} the category name', () => {
    const result = spanishPage(entry({ bug_project_name_format: '{product} / {component}', as_appears_in_distribution: 'Debian' }));
    expect(parsed(result.bugs).map((b) => b._project_name)).toEqual(['Brújula / Mapas', 'Brújula / ', 'Brújula Web / Documentación']);
    expect(byId(result.bugs, 4312).as_appears_in_distribution).toBe('Debian');
  });

  test('extended scrape keeps tracker, category, priority, done_ratio and custom fields', () => {
    expect(byId(spanishPage(entry(), { extendedScrape: true }).bugs, 4312).raw_data).toEqual({
      tracker: 'Errores',
      category: 'Mapas',
      priority: 'Normal',
      done_ratio: 100,
      custom_fields: { Dificultad: 'Fácil', Plataformas: ['Android', 'iOS'] },
    });
    expect(byId(spanishPage().bugs, 4312).raw_data).toBeUndefined();
  });

  test('paging: the next offset is offset plus the issues received, until total_count', () => {
    expect(spanishPage().requests).toEqual([listRequest(LIST_URL.replace('offset=0', 'offset=3'))]);
    const last = handle(listRequest(LIST_URL.replace('offset=0', 'offset=3')), response(LIST_URL, fixture('issues-es-next.json')), ctx(entry()));
    expect(last.bugs).toHaveLength(2);
    expect(last.requests).toEqual([]);
  });

  test('paging: a server granting fewer than asked is read to the end; a query without offset gets one', () => {
    const issues = Array.from({ length: 25 }, (_, i) => ({ id: 100 + i, subject: `Issue ${i}`, status: { id: 1, name: 'Nueva' }, created_on: '2024-01-01T00:00:00Z', updated_on: '2024-01-02T00:00:00Z' }));
    const query = `${BASE}issues.json?tracker_id=1&status_id=open&limit=100`;
    const page = JSON.stringify({ issues, total_count: 60, offset: 0, limit: 25 });
    const result = handle(listRequest(query), response(query, page), ctx(entry()));
    expect(result.requests?.map((r) => r.url)).toEqual([`${query}&offset=25`]);
  });

  test('paging without total_count (nometa): a page shorter than the limit is the last', () => {
    const short = handle(listRequest(), response(LIST_URL, fixture('issues-nometa.json')), ctx(entry()));
    expect(short.bugs).toHaveLength(1);
    expect(short.requests).toEqual([]);
    const one = `${BASE}issues.json?status_id=open&limit=1&offset=4`;
    const full = handle(listRequest(one), response(one, fixture('issues-nometa.json')), ctx(entry()));
    expect(full.requests?.map((r) => r.url)).toEqual([`${BASE}issues.json?status_id=open&limit=1&offset=5`]);
  });

  test('an empty page ends the list', () => {
    const result = handle(listRequest(), response(LIST_URL, fixture('issues-empty.json')), ctx(entry()));
    expect(result.bugs).toEqual([]);
    expect(result.requests).toEqual([]);
  });

  test('incremental pages: issues outside the full run\'s scope only update known records', () => {
    const req = listRequest(LIST_URL, { statuses: TABLE, scope: 'open' });
    const result = handle(req, response(LIST_URL, fixture('issues-es.json')), ctx(entry(), { since: new Date('2023-01-01T00:00:00Z') }));
    expect(parsed(result.bugs).map((b) => b.canonical_bug_link)).toEqual([`${BASE}issues/4305`, `${BASE}issues/4290`]);
    expect(parsed(result.updates).map((b) => b.canonical_bug_link)).toEqual([`${BASE}issues/4312`]);
    const byIds = handle(listRequest(LIST_URL, { statuses: TABLE, scope: '1|3' }), response(LIST_URL, fixture('issues-es.json')), ctx(entry()));
    expect(parsed(byIds.updates).map((b) => b.canonical_bug_link)).toEqual([`${BASE}issues/4312`]);
  });

  test('an unreadable date is left out with a warning naming the issue; an item without id is skipped', () => {
    const page = JSON.stringify({
      issues: [{ id: 8, subject: 'x', status: { id: 1, name: 'New' }, created_on: 'yesterday', updated_on: '2024-01-02T00:00:00Z' }, { subject: 'no id' }],
      total_count: 2,
      offset: 0,
      limit: 100,
    });
    const result = handle(listRequest(), response(LIST_URL, page), ctx(entry()));
    const bug = byId(result.bugs, 8);
    expect(bug.date_reported).toBeUndefined();
    expect(bug.last_touched).toBe('2024-01-02T00:00:00Z');
    expect(result.warnings).toHaveLength(2);
    expect(result.warnings?.[0]).toBe(`${BASE}issues/8: created_on "yesterday" is unreadable; date_reported left out`);
  });

  test('HTML, broken JSON or a wrong shape is a parse error naming the URL', () => {
    for (const body of [fixture('login.html'), '{"issues": [', '[]']) {
      let error: unknown;
      try {
        handle(listRequest(), response(LIST_URL, body), ctx(entry()));
      } catch (err) {
        error = err;
      }
      expect(error).toBeInstanceOf(ParseError);
      expect((error as ParseError).message).toContain(LIST_URL);
    }
  });

  test('a refused list fails the tracker with Redmine\'s own reason', () => {
    expect(() => handle(listRequest(), response(LIST_URL, fixture('errors-422.json'), 422), ctx(entry()))).toThrow(
      `Redmine answered 422: Updated is invalid: ${LIST_URL}`,
    );
    expect(() => handle(listRequest(), response(LIST_URL, '', 403), ctx(entry()))).toThrow(FetchError);
    expect(() => handle(listRequest(), response(LIST_URL, '', 403), ctx(entry()))).toThrow(/REST API disabled/);
  });
});

describe('known issues', () => {
  const issueRequest = (meta: RequestSpec['meta']): RequestSpec => ({ kind: 'issue', url: `${BASE}issues/4101.json`, meta, acceptStatus: [401, 403, 404, 410] });

  test('refreshed from its own answer', () => {
    const result = handle(issueRequest({ statuses: TABLE, knownUrl: `${BASE}issues/4101` }), response(`${BASE}issues/4101.json`, fixture('issue.json')), ctx(entry()));
    const bug = byId(result.bugs, 4101);
    expect(bug.status).toBe('Cerrada');
    expect(bug.looks_closed).toBe(true);
    expect(bug.description).toBe('Ver captura adjunta.\nCorregido en 2.3.');
    expect(bug.people_involved).toBe(2);
    expect(bug.last_touched).toBe('2023-05-02T08:00:00Z');
  });

  test('404 and 410 give _deleted for every spelling of the known URL', () => {
    const meta = { knownUrl: `${BASE}issues/4101`, otherKnownUrls: [`${BASE}issues/4101.json`] };
    for (const status of [404, 410]) {
      const result = handle(issueRequest(meta), response(`${BASE}issues/4101.json`, '', status), ctx(entry({ bug_project_name_format: '{product}' })));
      expect(result.bugs).toEqual([
        { canonical_bug_link: `${BASE}issues/4101`, _deleted: true, _tracker_name: 'Brújula', _project_name: 'Brújula', last_polled: '2026-11-02T07:08:09.123Z' },
        { canonical_bug_link: `${BASE}issues/4101.json`, _deleted: true, _tracker_name: 'Brújula', _project_name: 'Brújula', last_polled: '2026-11-02T07:08:09.123Z' },
      ]);
    }
  });

  test('401 and 403 skip the issue with a warning', () => {
    for (const status of [401, 403]) {
      const result = handle(issueRequest({ knownUrl: `${BASE}issues/4101` }), response(`${BASE}issues/4101.json`, '', status), ctx(entry()));
      expect(result.bugs ?? []).toEqual([]);
      expect(result.warnings?.[0]).toContain('may have become private');
    }
  });

  test('a login page is a parse error naming the URL', () => {
    expect(() => handle(issueRequest({ knownUrl: `${BASE}issues/4101` }), response(`${BASE}issues/4101.json`, fixture('login.html')), ctx(entry()))).toThrow(
      `${BASE}issues/4101.json`,
    );
  });
});

describe('credentials', () => {
  const env = { REDMINE_KEY: 'b7a3c1d2e4f5061728394a5b6c7d8e9f00112233' };

  test('the API key goes in X-Redmine-API-Key, to URLs under base_url only', () => {
    const e = entry({ token_env: 'REDMINE_KEY' });
    expect(redmineAdapter.credentials?.(e, LIST_URL, env)).toEqual({ headers: { 'X-Redmine-API-Key': env.REDMINE_KEY }, source: 'REDMINE_KEY' });
    expect(redmineAdapter.credentials?.(e, 'https://other.example.org/issues.json', env)).toBeUndefined();
    expect(redmineAdapter.credentials?.(e, 'http://redmine.example.org/issues.json', env)).toBeUndefined();
    const below = entry({ base_url: 'https://example.org/redmine/', token_env: 'REDMINE_KEY' });
    expect(redmineAdapter.credentials?.(below, 'https://example.org/other/issues.json', env)).toBeUndefined();
  });

  test('no key without token_env, or when the variable is unset; never in a URL', () => {
    expect(redmineAdapter.credentials?.(entry(), LIST_URL, env)).toBeUndefined();
    expect(redmineAdapter.credentials?.(entry({ token_env: 'UNSET' }), LIST_URL, env)).toBeUndefined();
    const e = entry({ token_env: 'REDMINE_KEY', existing_bug_urls: [`${BASE}issues/1`] });
    for (const req of [...redmineAdapter.plan(ctx(e)), ...followUps(e)]) expect(req.url).not.toContain(env.REDMINE_KEY);
  });
});

describe('check', () => {
  const problems = (extra: Partial<RedmineEntry>): string[] => redmineAdapter.check(entry(extra)).map((p) => `${p.severity} ${p.field ?? ''}: ${p.message}`);

  test('a plain entry is fine', () => {
    expect(problems({ state: 'all', bitesized_type: 'custom_field:Difficulty', bitesized_text: 'Easy', existing_bug_urls: [`${BASE}issues/3`] })).toEqual([]);
  });

  test('base_url must be http(s); a missing one is the loader\'s to report (the field is required)', () => {
    expect(problems({ base_url: 'ftp://redmine.example.org/' })).toEqual(['error base_url: base_url must be the http(s) root of the Redmine, e.g. https://redmine.example.org/']);
    expect(problems({ base_url: undefined })).toEqual([]);
    const file = parseTrackerText('- tracker_name: X\n  bugimporter: redmine\n  project: x\n', 'x.yaml', [...ADAPTERS, redmineAdapter]);
    expect(file.entries[0]?.problems.map((p) => p.message)).toEqual(['"base_url" is required for redmine trackers']);
  });

  test('rule types: tracker, category, priority or custom_field:<name>', () => {
    expect(problems({ bitesized_type: 'keywords', bitesized_text: 'easy' })).toEqual([
      'error bitesized_type: bitesized_type must be tracker, category, priority or custom_field:<Field name>, got "keywords"',
    ]);
    expect(problems({ documentation_type: 'custom_field:', documentation_text: 'x' })[0]).toStartWith('error documentation_type');
    expect(problems({ documentation_text: 'Docs' })).toEqual(['warning documentation_text: documentation_text has no effect without documentation_type']);
  });

  test('queries must be issue lists under base_url, without an API key', () => {
    const found = problems({
      queries: [`${BASE}issues.json?key=abc123`, 'https://other.example.org/issues.json', `${BASE}projects/brujula/wiki`, `${BASE}projects/brujula/issues?tracker_id=1`],
    });
    expect(found).toEqual([
      'warning project: project is only used when there are no queries; it is ignored here',
      expect.stringContaining('carries an API key (key=)'),
      expect.stringContaining('not under base_url'),
      expect.stringContaining('not an issue list'),
    ]);
    expect(found.filter((p) => p.startsWith('error queries'))).toHaveLength(3);
  });

  test('known URLs: an API key is an error, anything but an issue a warning', () => {
    const found = problems({ existing_bug_urls: [`${BASE}issues/3?key=abc`, `${BASE}projects/brujula`, 'https://other.example.org/issues/3'] });
    expect(found[0]).toStartWith('error existing_bug_urls');
    expect(found.slice(1).every((p) => p.startsWith('warning existing_bug_urls') && p.includes('skipped'))).toBe(true);
  });

  test('project and state values', () => {
    expect(problems({ project: 'has space' })[0]).toStartWith('error project');
    expect(problems({ state: 'opened' })[0]).toStartWith('error state');
  });
});
