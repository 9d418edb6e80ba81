// The Trac adapter's plan, handlers and checks on our own fixtures (test/fixtures/trac), called
// directly: query CSV → ticket CSV → ticket page → record, and every malformed answer.
import { describe, expect, test } from 'bun:test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseTrackerText } from '../../src/config/load.ts';
import { CustomsError, ParseError } from '../../src/core/errors.ts';
import type { AdapterContext, BugRecord, FetchedResponse, HandleResult, RequestSpec } from '../../src/core/types.ts';
import { incrementalQueryUrl, queryUrl, tracAdapter, ticketCsvUrl, type TracEntry } from '../../trackers/trac.ts';
import { assertValidRecord } from '../helpers/schema.ts';

const fixture = (name: string): string => readFileSync(join(import.meta.dir, '../fixtures/trac', name), 'utf8');
const NOW = new Date('2026-06-01T12:00:00.000Z');
const BASE = 'https://trac.example.org/inkwell/';

function entry(extra: Partial<TracEntry> = {}): TracEntry {
  return { tracker_name: 'Inkwell', bugimporter: 'trac', base_url: BASE, ...extra };
}

function ctx(e: TracEntry = entry(), options: Partial<AdapterContext<TracEntry>> = {}): AdapterContext<TracEntry> {
  return { entry: e, now: NOW, extendedScrape: false, ...options };
}

function answer(url: string, body: string, status = 200, failure?: string): FetchedResponse {
  return { url, status, headers: {}, body, ...(failure !== undefined ? { failure } : {}) };
}

function handle(req: RequestSpec, res: FetchedResponse, c = ctx()): HandleResult {
  const handler = tracAdapter.handlers[req.kind];
  if (handler === undefined) throw new Error(`no handler for ${req.kind}`);
  return handler(res, req, c);
}

function only<T>(items: readonly T[] | undefined): T {
  expect(items?.length).toBe(1);
  const [item] = items ?? [];
  if (item === undefined) throw new Error('nothing');
  return item;
}

/** One ticket through the two steps: its CSV, then its page (a body, or a failure). */
function importTicket(
  ticketUrl: string,
  csv: string,
  page: string | { failure: string },
  options: { c?: AdapterContext<TracEntry>; time?: string; changetime?: string; checkColumns?: boolean } = {},
): { record: BugRecord; warnings: string[] } {
  const c = options.c ?? ctx();
  const meta = {
    ticketUrl,
    ...(options.time !== undefined ? { time: options.time } : {}),
    ...(options.changetime !== undefined ? { changetime: options.changetime } : {}),
    ...(options.checkColumns === true ? { checkColumns: true } : {}),
  };
  const ticketReq: RequestSpec = { kind: 'ticket', url: ticketCsvUrl(ticketUrl), meta };
  const first = handle(ticketReq, answer(ticketReq.url, csv), c);
  const pageReq = only(first.requests);
  expect(pageReq).toMatchObject({ kind: 'page', url: ticketUrl.split('#')[0], optional: true });
  const res = typeof page === 'string' ? answer(pageReq.url, page) : answer(pageReq.url, '', 500, page.failure);
  const second = handle(pageReq, res, c);
  const record = only(second.bugs);
  assertValidRecord(record);
  return { record, warnings: [...(first.warnings ?? []), ...(second.warnings ?? [])] };
}

describe('plan', () => {
  test('queries get format=csv and max=0 unless they name them; parameters stay as written', () => {
    expect(queryUrl(`${BASE}query?status=!closed&keywords=~easy`)).toBe(`${BASE}query?status=!closed&keywords=~easy&format=csv&max=0`);
    expect(queryUrl(`${BASE}query?format=csv&max=25&col=id`)).toBe(`${BASE}query?format=csv&max=25&col=id`);
    expect(queryUrl(`${BASE}query`)).toBe(`${BASE}query?format=csv&max=0`);
    expect(queryUrl(`${BASE}query?owner=mira#results`)).toBe(`${BASE}query?owner=mira&format=csv&max=0`);
  });

  test('ticket CSV URLs: ?format=csv, or &format=csv when the URL has a query; no fragment', () => {
    expect(ticketCsvUrl(`${BASE}ticket/12`)).toBe(`${BASE}ticket/12?format=csv`);
    expect(ticketCsvUrl('https://dev.example.net/index.cgi/ticket/12?version=3')).toBe('https://dev.example.net/index.cgi/ticket/12?version=3&format=csv');
    expect(ticketCsvUrl(`${BASE}ticket/12#comment:4`)).toBe(`${BASE}ticket/12?format=csv`);
  });

  test('queries first, then every readable known ticket once, verbatim; deterministic', () => {
    const e = entry({
      base_url: 'https://trac.example.org/inkwell', // no trailing slash: the adapter adds it
      queries: [`${BASE}query?keywords=~easy`, `${BASE}query?keywords=~easy`],
      existing_bug_urls: [`${BASE}ticket/42#comment:3`, `${BASE}ticket/42#comment:3`, `${BASE}wiki/Start`, 'https://elsewhere.example.com/ticket/1', `${BASE}ticket/7`],
    });
    const requests = tracAdapter.plan(ctx(e));
    expect(requests).toEqual([
      { kind: 'query', url: `${BASE}query?keywords=~easy&format=csv&max=0`, meta: { checkColumns: true } },
      { kind: 'ticket', url: `${BASE}ticket/42?format=csv`, acceptStatus: [401, 403, 404, 410], meta: { ticketUrl: `${BASE}ticket/42#comment:3` } },
      { kind: 'ticket', url: `${BASE}ticket/7?format=csv`, acceptStatus: [401, 403, 404, 410], meta: { ticketUrl: `${BASE}ticket/7` } },
    ]);
    expect(tracAdapter.plan(ctx(e))).toEqual(requests);
  });

  test('without queries, the first known ticket reports missing columns', () => {
    const requests = tracAdapter.plan(ctx(entry({ existing_bug_urls: [`${BASE}ticket/1`, `${BASE}ticket/2`] })));
    expect(requests.map((r) => r.meta)).toEqual([
      { ticketUrl: `${BASE}ticket/1`, checkColumns: true },
      { ticketUrl: `${BASE}ticket/2` },
    ]);
  });

  test('incremental runs: every status, changetime from the day before since, full query as fallback', () => {
    const since = new Date('2024-03-01T05:00:00Z');
    expect(incrementalQueryUrl(`${BASE}query?status=new&status=assigned&keywords=~easy`, since)).toBe(
      `${BASE}query?keywords=~easy&format=csv&max=0&changetime=2024-02-29..`,
    );
    expect(incrementalQueryUrl(`${BASE}query?changetime=2020-01-01..&status=!closed`, since)).toBe(
      `${BASE}query?changetime=2020-01-01..&format=csv&max=0`,
    );
    const [req] = tracAdapter.plan(ctx(entry({ queries: [`${BASE}query?status=!closed`] }), { since }));
    expect(req).toEqual({
      kind: 'query',
      url: `${BASE}query?format=csv&max=0&changetime=2024-02-29..`,
      optional: true,
      meta: { checkColumns: true, fullUrl: `${BASE}query?status=!closed&format=csv&max=0` },
    });
  });

  test('queries without base_url fail the tracker as a configuration problem', () => {
    const e: TracEntry = { tracker_name: 'Inkwell', bugimporter: 'trac', queries: [`${BASE}query`] };
    expect(() => tracAdapter.plan(ctx(e))).toThrow(CustomsError);
  });
});

describe('query answers', () => {
  const req: RequestSpec = { kind: 'query', url: `${BASE}query?keywords=~easy&format=csv&max=0`, meta: { checkColumns: true } };

  test('a Trac 1.x export (BOM, CRLF, quoted fields): one ticket request per row, with its dates', () => {
    const result = handle(req, answer(req.url, fixture('query-easy.csv')));
    expect(result.warnings).toEqual([]);
    expect(result.requests).toEqual([
      {
        kind: 'ticket',
        url: `${BASE}ticket/101?format=csv`,
        acceptStatus: [401, 403, 404, 410],
        meta: { ticketUrl: `${BASE}ticket/101`, time: '2021-03-04T10:20:30+01:00', changetime: '2021-03-09T08:00:05+01:00', checkColumns: true },
      },
      {
        kind: 'ticket',
        url: `${BASE}ticket/102?format=csv`,
        acceptStatus: [401, 403, 404, 410],
        meta: { ticketUrl: `${BASE}ticket/102`, time: '2021-04-11T16:45:00+01:00', changetime: '2021-05-02T09:12:44+01:00' },
      },
      {
        kind: 'ticket',
        url: `${BASE}ticket/103?format=csv`,
        acceptStatus: [401, 403, 404, 410],
        meta: { ticketUrl: `${BASE}ticket/103`, time: '2021-06-01T12:00:00+01:00', changetime: '2021-06-01T12:30:00+01:00' },
      },
    ]);
  });

  test('odd rows: "#7" is read, rows without a numeric id are skipped with a warning, repeats and known tickets once', () => {
    const csv = 'id,summary\n#7,Hash id\n\nabc,Not a ticket\n7,Again\n,Empty id\n8,Known\n';
    const c = ctx(entry({ existing_bug_urls: [`${BASE}ticket/8#comment:2`] }));
    const result = handle({ kind: 'query', url: req.url }, answer(req.url, csv), c);
    expect((result.requests ?? []).map((r) => r.url)).toEqual([`${BASE}ticket/7?format=csv`]);
    expect(result.warnings).toEqual([
      `row 2 of ${req.url} has no numeric id ("abc"), skipped`,
      `row 4 of ${req.url} has no numeric id (""), skipped`,
    ]);
  });

  test('HTML instead of CSV is an error naming the URL', () => {
    expect(() => handle(req, answer(req.url, fixture('login.html')))).toThrow(ParseError);
    expect(() => handle(req, answer(req.url, fixture('login.html')))).toThrow(`got HTML instead of CSV: ${req.url}`);
  });

  test('an empty answer is a warning; a header alone is an empty result', () => {
    const empty = handle(req, answer(req.url, '\r\n'));
    expect(empty.requests ?? []).toEqual([]);
    expect(empty.warnings).toEqual([`the query answered nothing at all, not even a CSV header: ${req.url}`]);
    expect(handle(req, answer(req.url, 'id,summary,status\r\n'))).toEqual({ requests: [], warnings: [] });
  });

  test('a CSV without an id column is an error naming the URL', () => {
    expect(() => handle(req, answer(req.url, 'ticket,summary\n1,x\n'))).toThrow(`the query CSV has no "id" column (columns: ticket, summary): ${req.url}`);
  });

  test('an incremental query the server refuses runs in full, with a warning', () => {
    const [incremental] = tracAdapter.plan(ctx(entry({ queries: [`${BASE}query?status=!closed`] }), { since: new Date('2024-03-01T00:00:00Z') }));
    if (incremental === undefined) throw new Error('no request');
    const full = { kind: 'query', url: `${BASE}query?status=!closed&format=csv&max=0`, meta: { checkColumns: true } };
    const refused = handle(incremental, answer(incremental.url, '', 500, 'HTTP 500'));
    expect(refused.requests).toEqual([full]);
    expect(refused.warnings?.[0]).toContain('runs in full');
    const errorPage = handle(incremental, answer(incremental.url, '<html><body>Invalid query</body></html>'));
    expect(errorPage.requests).toEqual([full]);
    // Accepted: read as usual.
    expect(handle(incremental, answer(incremental.url, fixture('query-no-times.csv'))).requests?.length).toBe(1);
  });
});

describe('ticket answers', () => {
  const ticketUrl = `${BASE}ticket/101`;
  const req: RequestSpec = { kind: 'ticket', url: `${ticketUrl}?format=csv`, meta: { ticketUrl } };

  test.each([404, 410])('%i: _deleted, and the page is not asked', (status) => {
    const e = entry({ bug_project_name_format: '{tracker_name}: {component}' });
    const result = handle(req, answer(req.url, '<html>Ticket 101 does not exist.</html>', status), ctx(e));
    expect(result.requests ?? []).toEqual([]);
    const record = only(result.bugs);
    assertValidRecord(record);
    expect(record).toEqual({ canonical_bug_link: ticketUrl, _deleted: true, _tracker_name: 'Inkwell', _project_name: 'Inkwell', last_polled: '2026-06-01T12:00:00.000Z' });
  });

  test.each([401, 403])('%i: skipped with a warning', (status) => {
    const result = handle(req, answer(req.url, 'TICKET_VIEW privileges are required', status));
    expect(result.bugs ?? []).toEqual([]);
    expect(result.warnings).toEqual([`${ticketUrl}: Trac answered ${status}; the ticket may have become private, skipped`]);
  });

  test('HTML instead of CSV, and a CSV without a row, are errors naming the URL', () => {
    expect(() => handle(req, answer(req.url, fixture('login.html')))).toThrow(`got HTML instead of CSV: ${req.url}`);
    expect(() => handle(req, answer(req.url, 'id,summary\r\n'))).toThrow(`the ticket CSV holds no ticket row: ${req.url}`);
    expect(() => handle(req, answer(req.url, ''))).toThrow(ParseError);
  });

  test('a missing rule column is reported by the ticket chosen to report it', () => {
    const e = entry({ bitesized_type: 'difficulty', bitesized_text: 'Easy', documentation_type: 'component', documentation_text: 'docs' });
    const reporting = handle({ ...req, meta: { ticketUrl, checkColumns: true } }, answer(req.url, fixture('ticket-101.csv')), ctx(e));
    expect(reporting.warnings).toEqual([
      `bitesized_type names the column "difficulty", which this Trac's ticket CSV does not have (${req.url}); that rule never matches`,
    ]);
    expect(handle(req, answer(req.url, fixture('ticket-101.csv')), ctx(e)).warnings).toEqual([]);
  });
});

describe('records', () => {
  test('ticket CSV + Trac 0.11 page: every field', () => {
    const e = entry({ bitesized_type: 'keywords', bitesized_text: 'easy', documentation_type: 'component', documentation_text: 'documentation', as_appears_in_distribution: 'Debian' });
    const { record, warnings } = importTicket(`${BASE}ticket/101`, fixture('ticket-101.csv'), fixture('page-0.11.html'), { c: ctx(e) });
    expect(warnings).toEqual([]);
    expect(record).toEqual({
      title: 'Footnotes render twice when a page is previewed',
      description:
        'When a page with footnotes is previewed, every footnote appears twice at the bottom.\n\nSteps:\n 1. Write a page with one footnote ("[[FootNote(hello)]]").\n 2. Press Preview.\n\nThe saved page is fine; only the preview is wrong.',
      status: 'new',
      importance: 'normal',
      // holger (reporter), mira (assigned, Cc, change), tomasz (Cc), ole (change)
      people_involved: 4,
      date_reported: '2021-03-04T09:20:30Z',
      last_touched: '2021-03-09T07:00:05Z',
      last_polled: '2026-06-01T12:00:00.000Z',
      submitter_username: 'holger',
      submitter_realname: '',
      canonical_bug_link: `${BASE}ticket/101`,
      looks_closed: false,
      good_for_newcomers: true,
      concerns_just_documentation: false,
      as_appears_in_distribution: 'Debian',
      _project_name: 'Inkwell',
      _tracker_name: 'Inkwell',
    });
  });

  test.each([
    ['ticket-102.csv', 'page-0.12.html', 102, { date_reported: '2021-04-11T15:45:00Z', last_touched: '2021-05-02T08:12:44Z', people_involved: 3, importance: 'major' }],
    ['ticket-103.csv', 'page-1.0.html', 103, { date_reported: '2021-06-01T11:00:00Z', last_touched: '2021-06-01T11:30:00Z', people_involved: 2, importance: '' }],
    ['ticket-104.csv', 'page-themed-dates.html', 104, { date_reported: '2009-11-02T14:05:09Z', last_touched: '2010-01-15T08:00:00Z', people_involved: 3 }],
    ['ticket-106.csv', 'page-0.13.html', 106, { date_reported: '2011-06-16T13:01:52Z', last_touched: '2011-08-26T11:45:45Z', people_involved: 4, looks_closed: true }],
    ['ticket-107.csv', 'page-themed-properties.html', 107, { date_reported: '2020-02-01T06:00:00Z', last_touched: '2021-03-20T15:30:00Z', people_involved: 1, status: 'reopened' }],
  ])('%s + %s', (csv, page, id, expected) => {
    const { record, warnings } = importTicket(`${BASE}ticket/${id}`, fixture(csv), fixture(page));
    expect(warnings).toEqual([]);
    expect(record).toMatchObject(expected);
  });

  test('the description is plain wiki text: CRLF becomes LF, nothing is escaped', () => {
    const { record } = importTicket(`${BASE}ticket/103`, fixture('ticket-103.csv'), fixture('page-1.0.html'));
    expect(record).toMatchObject({
      description: "The export hooks (`IExportFormat`) have no page in the guide.\n\nZoë's notes on the wiki are a start: ExportHooks.\n\n",
      submitter_username: 'zoë',
    });
  });

  test('a ticket never modified: last_touched is date_reported', () => {
    const html = fixture('page-0.11.html').replace(/<p>Last modified .*<\/p>/, '');
    const { record } = importTicket(`${BASE}ticket/101`, fixture('ticket-101.csv'), html);
    expect(record).toMatchObject({ date_reported: '2021-03-04T09:20:30Z', last_touched: '2021-03-04T09:20:30Z' });
  });

  test('unreadable or missing dates are left out, with a warning naming the ticket', () => {
    const html = fixture('page-0.11.html').replace('title="03/09/2021 07:00:05 AM"', 'title="last Tuesday"');
    const { record, warnings } = importTicket(`${BASE}ticket/101`, fixture('ticket-101.csv'), html);
    expect(record).toMatchObject({ date_reported: '2021-03-04T09:20:30Z' });
    expect('last_touched' in record).toBe(false);
    expect(warnings).toEqual([`${BASE}ticket/101: the "Last modified" date of the page is unreadable ("last Tuesday"); last_touched left out`]);

    const bare = importTicket(`${BASE}ticket/101`, fixture('ticket-101.csv'), '<html><body><h1>Ticket</h1></body></html>');
    expect('date_reported' in bare.record || 'last_touched' in bare.record).toBe(false);
    expect(bare.warnings).toContain(`${BASE}ticket/101: the "Opened" date of the page is missing; date_reported left out`);
  });

  test('the page failed: record from the CSV, dates from the query row, a warning', () => {
    const { record, warnings } = importTicket(`${BASE}ticket/101`, fixture('ticket-101.csv'), { failure: 'HTTP 500 from the page' }, {
      time: '2021-03-04T10:20:30+01:00',
      changetime: '2021-03-09T08:00:05+01:00',
    });
    expect(record).toMatchObject({
      title: 'Footnotes render twice when a page is previewed',
      // holger, mira (owner and Cc), tomasz: the CSV's reporter, owner and cc.
      people_involved: 3,
      date_reported: '2021-03-04T09:20:30Z',
      last_touched: '2021-03-09T07:00:05Z',
    });
    expect(warnings).toEqual([`${BASE}ticket/101: the ticket page failed (HTTP 500 from the page); record written from the CSV`]);
  });

  test('the page failed and the query listed no dates: no dates', () => {
    const { record, warnings } = importTicket(`${BASE}ticket/106`, fixture('ticket-106.csv'), { failure: 'connection reset' });
    expect('date_reported' in record || 'last_touched' in record).toBe(false);
    expect(record).toMatchObject({ people_involved: 3, status: 'closed', looks_closed: true });
    expect(warnings).toEqual([`${BASE}ticket/106: the ticket page failed (connection reset); record written from the CSV, without dates`]);
  });

  test('a page without a properties table: people from the CSV and the headings, dates from the page', () => {
    const { record, warnings } = importTicket(`${BASE}ticket/101`, fixture('ticket-101.csv'), fixture('page-no-properties.html'));
    // holger, mira, tomasz from the CSV; ole from the change heading.
    expect(record).toMatchObject({ people_involved: 4, date_reported: '2021-03-04T09:20:30Z', last_touched: '2021-03-04T09:20:30Z' });
    expect(warnings).toEqual([`${BASE}ticket/101: the page has no properties table; people come from the CSV and the change history`]);
  });

  test('bitesized and documentation rules: substring of the named column, case-sensitive, trimmed pieces', () => {
    const rules = (extra: Partial<TracEntry>): BugRecord =>
      importTicket(`${BASE}ticket/102`, fixture('ticket-102.csv'), fixture('page-0.12.html'), { c: ctx(entry(extra)) }).record;
    expect(rules({ bitesized_type: 'difficulty', bitesized_text: ' Easy ,' })).toMatchObject({ good_for_newcomers: true });
    expect(rules({ bitesized_type: 'difficulty', bitesized_text: 'easy' })).toMatchObject({ good_for_newcomers: false });
    expect(rules({ bitesized_type: 'keywords', bitesized_text: 'trivial, easy' })).toMatchObject({ good_for_newcomers: true });
    expect(rules({ bitesized_type: 'Keywords', bitesized_text: 'easy' })).toMatchObject({ good_for_newcomers: true });
    expect(rules({ bitesized_type: 'keywords', bitesized_text: ' , ' })).toMatchObject({ good_for_newcomers: false });
    expect(rules({ bitesized_type: 'milestone', bitesized_text: '' })).toMatchObject({ good_for_newcomers: false });
    expect(rules({ documentation_type: 'component', documentation_text: 'u' })).toMatchObject({ concerns_just_documentation: true });
    expect(rules({ documentation_type: 'nosuchcolumn', documentation_text: 'ui' })).toMatchObject({ concerns_just_documentation: false });
    expect(rules({})).toMatchObject({ good_for_newcomers: false, concerns_just_documentation: false });
  });

  test('closed_status replaces the closed rule, case-insensitively', () => {
    const c = ctx(entry({ closed_status: 'Reopened, fixed' }));
    const { record } = importTicket(`${BASE}ticket/107`, fixture('ticket-107.csv'), fixture('page-themed-properties.html'), { c });
    expect(record).toMatchObject({ status: 'reopened', looks_closed: true });
    const closed = importTicket(`${BASE}ticket/106`, fixture('ticket-106.csv'), fixture('page-0.13.html'), { c }).record;
    expect(closed).toMatchObject({ looks_closed: false });
  });

  test('bug_project_name_format with {component}', () => {
    const c = ctx(entry({ bug_project_name_format: '{tracker_name} – {component} {{x}}' }));
    const { record } = importTicket(`${BASE}ticket/104`, fixture('ticket-104.csv'), fixture('page-themed-dates.html'), { c });
    expect(record).toMatchObject({ _project_name: 'Inkwell – documentation {x}' });
  });

  test('--extended-scrape: raw_data holds the CSV row and the properties table', () => {
    const c = ctx(entry(), { extendedScrape: true });
    const { record } = importTicket(`${BASE}ticket/102`, fixture('ticket-102.csv'), fixture('page-0.12.html'), { c });
    expect('raw_data' in record && record.raw_data).toEqual({
      csv: {
        id: '102',
        summary: 'Add a "copy link" button to headings',
        reporter: 'anya',
        owner: 'tomasz',
        description: 'Readers often want to link to a section. A small button next to each heading would copy its anchor URL.',
        type: 'enhancement',
        status: 'assigned',
        priority: 'major',
        milestone: '1.4',
        component: 'ui',
        version: '1.2',
        resolution: '',
        keywords: 'easy, ui',
        cc: '',
        difficulty: 'Easy (less than 1 hour)',
        blockedby: '',
      },
      properties: {
        'Reported by': 'anya',
        'Owned by': 'tomasz',
        Priority: 'major',
        Milestone: '1.4',
        Component: 'ui',
        Keywords: 'easy, ui',
        Cc: '',
        Difficulty: 'Easy (less than 1 hour)',
      },
    });
    const failed = importTicket(`${BASE}ticket/102`, fixture('ticket-102.csv'), { failure: 'HTTP 502' }, { c }).record;
    expect('raw_data' in failed && failed.raw_data?.properties).toEqual({});
  });
});

describe('check', () => {
  const problems = (extra: Partial<TracEntry>): string[] => tracAdapter.check(entry(extra)).map((p) => `${p.severity} ${p.field ?? ''}${p.index !== undefined ? `[${p.index}]` : ''}: ${p.message}`);

  test('the example entry is clean and valid as a tracker file', () => {
    expect(tracAdapter.check(tracAdapter.example as TracEntry)).toEqual([]);
    const file = parseTrackerText(JSON.stringify([tracAdapter.example]), 'example.yaml', [tracAdapter]);
    expect(file.problems).toEqual([]);
    expect(file.entries[0]?.adapter).toBe(tracAdapter);
  });

  test('odd URLs are warnings that name the item', () => {
    expect(
      problems({
        base_url: `${BASE}query`,
        queries: [`${BASE}report/1?format=csv`, `${BASE}query?format=rss`],
        existing_bug_urls: [`${BASE}ticket/3`, `${BASE}wiki/Start`, 'https://other.example.com/ticket/4'],
      }),
    ).toEqual([
      'warning base_url: base_url should be the Trac homepage: remove the "/query" subpath',
      `warning queries[0]: ${BASE}report/1?format=csv: does not look like a Trac query URL (…/query?…)`,
      `warning queries[1]: ${BASE}query?format=rss: asks for format=rss; customs reads the query as CSV, so use format=csv or leave format out`,
      `warning existing_bug_urls[1]: ${BASE}wiki/Start: not a Trac ticket URL (…/ticket/<id>), skipped`,
      'warning existing_bug_urls[2]: https://other.example.com/ticket/4: not on this tracker\'s host (trac.example.org), skipped',
    ]);
    expect(problems({})).toEqual(['warning queries: no queries and no existing_bug_urls: this tracker imports nothing']);
  });

  test('the loader checks the declared fields: placeholders, old names, empty rules', () => {
    const yaml = [
      '- tracker_name: Inkwell',
      '  bugimporter: trac.TracBugImporter',
      '  custom_parser: trac.TracBugParser',
      `  base_url: ${BASE}`,
      `  queries: ["${BASE}query?status=!closed"]`,
      '  bitesized_type: keywords',
      '  bitesized_text: ""',
      '  bug_project_name_format: "{product}"',
    ].join('\n');
    const file = parseTrackerText(yaml, 'trackers.yaml', [tracAdapter]);
    const messages = file.problems.map((p) => `${p.severity}: ${p.message}`);
    expect(messages.some((m) => m.startsWith('error') && m.includes('{product}'))).toBe(true);
    expect(messages.some((m) => m.startsWith('warning') && m.includes('bitesized_text'))).toBe(true);
    expect(messages.some((m) => m.includes('custom_parser'))).toBe(false);
  });
});
