// The Roundup adapter's pure parts on our own fixtures: records from each page layout (the Python
// parser's Stage rule, the closed rule, the field rules, raw_data), the CSV query handler and its
// malformed answers, the plan (incremental runs included), and the entry checks and declarations.
import { describe, expect, test } from 'bun:test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseTrackerText } from '../../src/config/load.ts';
import { ParseError } from '../../src/core/errors.ts';
import type { AdapterContext, FetchedResponse, HandleResult, RequestSpec } from '../../src/core/types.ts';
import { incrementalQueryUrl, roundupAdapter, type RoundupEntry } from '../../trackers/roundup.ts';
import { assertValidRecord } from '../helpers/schema.ts';

const fixture = (name: string): string => readFileSync(join(import.meta.dir, '../fixtures/roundup', name), 'utf8');
const NOW = new Date('2026-06-01T12:00:00.000Z');
const BASE = 'https://bugs.fernmark.example/';
const QUERY = `${BASE}issue?@action=export_csv&@columns=id,activity,title,creator,status&@sort=-activity&@filter=status,assignedto&status=-1,1,2,3&assignedto=-1`;

function entry(extra: Partial<RoundupEntry> = {}): RoundupEntry {
  return { tracker_name: 'Fernmark', bugimporter: 'roundup', base_url: BASE, ...extra };
}

function ctx(extra: Partial<RoundupEntry> = {}, options: { extendedScrape?: boolean; since?: Date } = {}): AdapterContext<RoundupEntry> {
  return { entry: entry(extra), now: NOW, extendedScrape: options.extendedScrape ?? false, ...(options.since ? { since: options.since } : {}) };
}

function response(url: string, body: string, status = 200): FetchedResponse {
  return { url, status, headers: { 'content-type': 'text/html; charset=utf-8' }, body };
}

const issueReq = (url: string, meta?: { update: true }): RequestSpec => ({ kind: 'issue', url, acceptStatus: [401, 403, 404, 410], ...(meta ? { meta } : {}) });

function handleIssue(body: string, c = ctx(), url = `${BASE}issue4711`, status = 200): HandleResult {
  const handler = roundupAdapter.handlers.issue;
  if (!handler) throw new Error('no issue handler');
  const result = handler(response(url, body, status), issueReq(url), c);
  for (const record of [...(result.bugs ?? []), ...(result.updates ?? [])]) assertValidRecord(record);
  return result;
}

function onlyBug(result: HandleResult): Record<string, unknown> {
  expect(result.bugs?.length).toBe(1);
  return result.bugs?.[0] as unknown as Record<string, unknown>;
}

function handleQuery(body: string, req: RequestSpec = { kind: 'query', url: QUERY }, c = ctx()): HandleResult {
  const handler = roundupAdapter.handlers.query;
  if (!handler) throw new Error('no query handler');
  return handler({ url: req.url, status: 200, headers: { 'content-type': 'text/csv' }, body }, req, c);
}

describe('records', () => {
  test('Python tracker, open with a Stage: every field', () => {
    const bug = onlyBug(handleIssue(fixture('python-open-stage.html'), ctx({ bitesized_field: 'Keywords', bitesized_text: 'easy', documentation_field: 'Components', documentation_text: 'Documentation', as_appears_in_distribution: 'Debian' })));
    expect(bug).toEqual({
      title: 'fern.render() drops a trailing backslash in code spans',
      description: expect.stringContaining('A code span ending in a backslash loses it:') as unknown as string,
      status: 'open',
      importance: 'normal',
      people_involved: 2,
      date_reported: '2013-05-14T09:41:00Z',
      last_touched: '2013-06-02T17:05:00Z',
      last_polled: '2026-06-01T12:00:00.000Z',
      submitter_username: 'mokafor',
      submitter_realname: 'Maria Okafor',
      canonical_bug_link: `${BASE}issue4711`,
      looks_closed: false,
      good_for_newcomers: true,
      concerns_just_documentation: true,
      as_appears_in_distribution: 'Debian',
      _project_name: 'Fernmark',
      _tracker_name: 'Fernmark',
    });
    expect(bug).not.toHaveProperty('raw_data');
  });

  test('the Python parser shows the Stage of an open issue, under either name', () => {
    for (const custom_parser of ['python', 'roundup.PythonRoundupBugParser']) {
      const bug = onlyBug(handleIssue(fixture('python-open-stage.html'), ctx({ custom_parser })));
      expect(bug.status).toBe('needs patch');
      // looks_closed reads the original Status.
      expect(bug.looks_closed).toBe(false);
    }
    expect(onlyBug(handleIssue(fixture('python-open-stage.html'), ctx({ custom_parser: 'roundup.RoundupBugParser' }))).status).toBe('open');
  });

  test('the Python parser keeps "open" when the Stage is empty, and a closed status as it is', () => {
    const emptyStage = fixture('python-open-stage.html').replace('<td>needs patch</td>', '<td></td>');
    expect(onlyBug(handleIssue(emptyStage, ctx({ custom_parser: 'python' }))).status).toBe('open');
    // Closed with Stage "resolved": Status stays.
    expect(onlyBug(handleIssue(fixture('python-closed.html'), ctx({ custom_parser: 'python' }))).status).toBe('closed');
  });

  test('Python tracker, closed: no priority, repeated authors counted once, real name of the creator', () => {
    const bug = onlyBug(handleIssue(fixture('python-closed.html'), ctx(), `${BASE}issue5190`));
    expect(bug.status).toBe('closed');
    expect(bug.looks_closed).toBe(true);
    expect(bug.importance).toBe('');
    expect(bug.people_involved).toBe(3);
    expect(bug.submitter_username).toBe('jlindqvist');
    expect(bug.submitter_realname).toBe('Jonas Lindqvist');
    expect(bug.date_reported).toBe('2014-02-19T01:01:00Z');
    expect(bug.last_touched).toBe('2014-03-17T06:31:00Z');
  });

  test('classic template: dotted dates with seconds, bare logins give no real name', () => {
    const bug = onlyBug(handleIssue(fixture('classic-resolved.html'), ctx({ bitesized_field: 'Topics', bitesized_text: 'bitesized' }), `${BASE}issue2231`));
    expect(bug.title).toBe('hg log --follow loses renames across merges');
    expect(bug.status).toBe('resolved');
    expect(bug.looks_closed).toBe(true);
    expect(bug.importance).toBe('bug');
    expect(bug.date_reported).toBe('2010-06-21T16:05:42Z');
    expect(bug.last_touched).toBe('2010-07-02T08:11:09Z');
    expect(bug.submitter_username).toBe('kdutta');
    expect(bug.submitter_realname).toBe('');
    expect(bug.people_involved).toBe(3);
    expect(bug.good_for_newcomers).toBe(true);
    expect(bug.description).toBe('After merging a branch where a.txt was renamed to b.txt,\nhg log --follow b.txt stops at the merge.\n\nThe attached test reproduces it.');
  });

  test('no messages table: empty description, nobody involved, no real name', () => {
    const result = handleIssue(fixture('classic-no-messages.html'), ctx({ documentation_field: 'Topics', documentation_text: 'documentation' }), `${BASE}issue2240`);
    const bug = onlyBug(result);
    expect(bug.description).toBe('');
    expect(bug.people_involved).toBe(0);
    expect(bug.submitter_realname).toBe('');
    expect(bug.importance).toBe('');
    expect(bug.status).toBe('unread');
    expect(bug.looks_closed).toBe(false);
    expect(bug.concerns_just_documentation).toBe(true);
    expect(bug.date_reported).toBe('2010-07-05T10:00:00Z');
    expect(result.warnings ?? []).toEqual([]);
  });

  test('closed_status replaces the default rule, case-insensitively, on the original Status', () => {
    const classic = fixture('classic-resolved.html');
    expect(onlyBug(handleIssue(classic, ctx({ closed_status: 'wontfix, Resolved' }))).looks_closed).toBe(true);
    expect(onlyBug(handleIssue(classic, ctx({ closed_status: 'closed' }))).looks_closed).toBe(false);
    expect(onlyBug(handleIssue(fixture('classic-no-messages.html'), ctx({ closed_status: ' UNREAD ' }))).looks_closed).toBe(true);
  });

  test('field rules: substring, case-sensitive, trimmed pieces; a missing field or empty text never matches', () => {
    const page = fixture('python-open-stage.html');
    const rule = (extra: Partial<RoundupEntry>): unknown => onlyBug(handleIssue(page, ctx(extra))).good_for_newcomers;
    expect(rule({ bitesized_field: 'keywords', bitesized_text: 'patch,  eas ' })).toBe(true);
    expect(rule({ bitesized_field: 'Keywords', bitesized_text: 'Easy' })).toBe(false);
    expect(rule({ bitesized_field: 'Keywords', bitesized_text: ' , ' })).toBe(false);
    expect(rule({ bitesized_field: 'Keywords' })).toBe(false);
    expect(rule({ bitesized_field: 'Difficulty', bitesized_text: 'easy' })).toBe(false);
    expect(rule({ bitesized_text: 'easy' })).toBe(false);
    const doc = onlyBug(handleIssue(page, ctx({ documentation_field: 'Components', documentation_text: 'Renderer' })));
    expect(doc.concerns_just_documentation).toBe(true);
  });

  test('raw_data only with --extended-scrape: the field map, files and messages', () => {
    const bug = onlyBug(handleIssue(fixture('python-closed.html'), ctx({}, { extendedScrape: true })));
    const raw = bug.raw_data as Record<string, unknown>;
    expect(raw.Title).toBe('test_watch_folder() fails on "ARMv7 Debian 2.x"');
    expect(raw.Stage).toBe('resolved');
    expect(raw.files).toEqual([{ url: 'file3415/watch_folder_inotify.patch', author: 'jlindqvist' }]);
    const messages = raw.messages as { author: string; message: string }[];
    expect(messages.length).toBe(4);
    expect(messages[1]?.author).toBe('Fernmark Robot (fern-bot)');
    expect(messages[1]?.message.startsWith('<pre>New changeset <a href="https://hg.fernmark.example/rev/64ad965a2fd4">')).toBe(true);
  });

  test('a bug project name format without placeholders applies as written', () => {
    expect(onlyBug(handleIssue(fixture('classic-resolved.html'), ctx({ bug_project_name_format: '{tracker_name} (hg)' })))._project_name).toBe('Fernmark (hg)');
  });
});

describe('issue answers that are not records', () => {
  test('404 and 410 give _deleted with the URL as requested', () => {
    for (const status of [404, 410]) {
      const url = `${BASE}issue9999`;
      const result = handleIssue('<html><body>Not found</body></html>', ctx({ bug_project_name_format: 'Fern {tracker_name}' }), url, status);
      expect(result.bugs).toEqual([
        { canonical_bug_link: url, _deleted: true, _tracker_name: 'Fernmark', _project_name: 'Fern Fernmark', last_polled: '2026-06-01T12:00:00.000Z' },
      ]);
    }
  });

  test('401 and 403 skip the issue with a warning', () => {
    for (const status of [401, 403]) {
      const result = handleIssue('Forbidden', ctx(), `${BASE}issue77`, status);
      expect(result.bugs ?? []).toEqual([]);
      expect(result.warnings?.[0]).toContain(`${BASE}issue77`);
      expect(result.warnings?.[0]).toContain(String(status));
    }
  });

  test('a login page is skipped with a warning naming the URL', () => {
    const result = handleIssue(fixture('login-required.html'), ctx(), `${BASE}issue77`);
    expect(result.bugs).toEqual([]);
    expect(result.warnings).toEqual([`${BASE}issue77: not a Roundup issue page (no "Created on … by …, last changed … by …" line; a login or error page?), skipped`]);
  });

  test('a header line with fewer than four values skips the issue', () => {
    const page = fixture('classic-resolved.html').replace(' by <b>rjansen</b>', ' by rjansen');
    const result = handleIssue(page);
    expect(result.bugs).toEqual([]);
    expect(result.warnings?.[0]).toContain('not a Roundup issue page');
  });

  test('an unreadable date is left out with a warning; the record is still written', () => {
    const page = fixture('classic-resolved.html').replace('<b>2010-07-02.08:11:09</b>', '<b>yesterday</b>');
    const result = handleIssue(page);
    const bug = onlyBug(result);
    expect(bug).not.toHaveProperty('last_touched');
    expect(bug.date_reported).toBe('2010-06-21T16:05:42Z');
    expect(result.warnings).toEqual([`${BASE}issue4711: the date "yesterday" of the header line is unreadable; last_touched left out`]);
  });

  test('a page without its properties table still gives a record, with a warning', () => {
    const classic = fixture('classic-resolved.html');
    const table = classic.indexOf('<table class="form">');
    const page = classic.slice(0, table) + classic.slice(classic.indexOf('</form>', table));
    const result = handleIssue(page);
    const bug = onlyBug(result);
    expect(bug.title).toBe('');
    expect(bug.status).toBe('');
    expect(bug.looks_closed).toBe(false);
    expect(bug.submitter_username).toBe('kdutta');
    expect(result.warnings).toEqual([`${BASE}issue4711: the issue page has no Title field (no properties table?); title left empty`]);
  });

  test('records of an incremental run\'s every-status list are updates', () => {
    const handler = roundupAdapter.handlers.issue;
    const url = `${BASE}issue2231`;
    const result = handler?.(response(url, fixture('classic-resolved.html')), issueReq(url, { update: true }), ctx());
    expect(result?.bugs).toBeUndefined();
    expect(result?.updates?.length).toBe(1);
    const gone = handler?.(response(url, '', 404), issueReq(url, { update: true }), ctx());
    expect(gone?.updates?.[0]).toHaveProperty('_deleted', true);
  });
});

describe('the CSV query', () => {
  test('each row with a numeric id asks for <base_url>issue<id>, once; CRLF and quoted line breaks are read', () => {
    const result = handleQuery(fixture('query.csv'));
    expect(result.requests).toEqual([2231, 2240, 4711, 5190].map((id) => issueReq(`${BASE}issue${id}`)));
    expect(result.warnings).toEqual([`1 row(s) of the CSV export without a numeric id were skipped (id ""): ${QUERY}`]);
  });

  test('the base URL gets its trailing slash', () => {
    const result = handleQuery('id,title\r\n7,x\r\n', undefined, ctx({ base_url: 'https://hg.example/bts' }));
    expect(result.requests?.map((r) => r.url)).toEqual(['https://hg.example/bts/issue7']);
  });

  test('an every-status list marks its issues as updates', () => {
    const req: RequestSpec = { kind: 'query', url: QUERY, meta: { update: true } };
    expect(handleQuery('id\r\n12\r\n', req).requests).toEqual([issueReq(`${BASE}issue12`, { update: true })]);
  });

  test('an HTML page instead of CSV is a ParseError naming the URL', () => {
    for (const body of [fixture('login-required.html'), '<!DOCTYPE html>\n<html><body>Error</body></html>', '  <p>Internal error</p>']) {
      let error: unknown;
      try {
        handleQuery(body);
      } catch (err) {
        error = err;
      }
      expect(error).toBeInstanceOf(ParseError);
      expect((error as ParseError).url).toBe(QUERY);
      expect((error as ParseError).message).toContain(QUERY);
    }
  });

  test('an empty body, a header without id, and a header alone', () => {
    expect(handleQuery('').warnings?.[0]).toContain(`empty body`);
    expect(handleQuery(' \r\n').requests ?? []).toEqual([]);
    const noId = handleQuery('title,status\r\nCrash,open\r\n');
    expect(noId.requests ?? []).toEqual([]);
    expect(noId.warnings?.[0]).toContain('no id column');
    expect(noId.warnings?.[0]).toContain(QUERY);
    expect(handleQuery('id,title,status\r\n')).toEqual({ requests: [], warnings: [] });
  });

  test('a UTF-8 BOM and an ID column in capitals', () => {
    expect(handleQuery('\uFEFFID,Title\n3,x\n').requests?.map((r) => r.url)).toEqual([`${BASE}issue3`]);
  });
});

describe('plan', () => {
  test('queries as given, then known URLs verbatim, each once; unreadable known URLs skipped', () => {
    const requests = roundupAdapter.plan(
      ctx({
        queries: [QUERY, QUERY],
        existing_bug_urls: [`${BASE}issue12`, `${BASE}issue12`, `${BASE}issue13?@template=item`, `${BASE}user5`, 'https://elsewhere.example/issue4'],
      }),
    );
    expect(requests).toEqual([{ kind: 'query', url: QUERY }, issueReq(`${BASE}issue12`), issueReq(`${BASE}issue13?@template=item`)]);
  });

  test('a single string is a one-item list', () => {
    expect(roundupAdapter.plan(ctx({ queries: QUERY })).map((r) => r.url)).toEqual([QUERY]);
  });

  test('incremental: activity from the day before since, and an every-status list for updates', () => {
    const since = new Date('2026-05-10T03:00:00Z');
    const requests = roundupAdapter.plan(ctx({ queries: [QUERY], existing_bug_urls: [`${BASE}issue12`] }, { since }));
    expect(requests).toEqual([
      {
        kind: 'query',
        url: `${BASE}issue?@action=export_csv&@columns=id,activity,title,creator,status&@sort=-activity&@filter=status,assignedto,activity&status=-1,1,2,3&assignedto=-1&activity=2026-05-09;`,
      },
      {
        kind: 'query',
        url: `${BASE}issue?@action=export_csv&@columns=id,activity,title,creator,status&@sort=-activity&@filter=assignedto,activity&assignedto=-1&activity=2026-05-09;`,
        meta: { update: true },
      },
      issueReq(`${BASE}issue12`),
    ]);
  });

  test('incremental: a query without @filter or status gets both; one filtering on activity runs in full', () => {
    const since = new Date('2026-01-01T00:30:00Z');
    expect(incrementalQueryUrl(`${BASE}issue?@action=export_csv&@columns=id`, since, false)).toBe(`${BASE}issue?@action=export_csv&@columns=id&@filter=activity&activity=2025-12-31;`);
    expect(incrementalQueryUrl(`${BASE}issue?%40action=export_csv&%40filter=status&status=1`, since, true)).toBe(`${BASE}issue?%40action=export_csv&@filter=activity&activity=2025-12-31;`);
    const own = `${BASE}issue?@action=export_csv&@columns=id&@filter=activity&activity=-1w;`;
    expect(incrementalQueryUrl(own, since, false)).toBeUndefined();
    expect(roundupAdapter.plan(ctx({ queries: [own] }, { since }))).toEqual([{ kind: 'query', url: own }]);
  });

  test('deterministic, with a handler for every kind', () => {
    const c = ctx({ queries: [QUERY], existing_bug_urls: [`${BASE}issue1`] });
    expect(roundupAdapter.plan(c)).toEqual(roundupAdapter.plan(c));
    for (const req of roundupAdapter.plan(c)) expect(roundupAdapter.handlers[req.kind]).toBeDefined();
  });
});

describe('entry checks and declarations', () => {
  const problems = (extra: Partial<RoundupEntry>) => roundupAdapter.check(entry(extra));

  test('base_url must be the homepage', () => {
    expect(problems({ base_url: `${BASE}issue42` })).toEqual([
      { severity: 'error', field: 'base_url', message: 'base_url must be the tracker\'s homepage: remove the subpath "issue42" (issue links are <base_url>issue<id>)' },
    ]);
    expect(problems({ base_url: `${BASE}user37/` })[0]?.severity).toBe('error');
    expect(problems({ base_url: `${BASE}?@template=home` })[0]?.severity).toBe('error');
    expect(problems({ base_url: 'https://hg.example/bts' })).toEqual([]);
  });

  test('queries that are no CSV export, or lack the id column, are warned about', () => {
    const found = problems({ queries: [`${BASE}issue?@columns=title,status&@filter=status&status=1`, QUERY] });
    expect(found.map((p) => [p.severity, p.field, p.index])).toEqual([
      ['warning', 'queries', 0],
      ['warning', 'queries', 0],
    ]);
    expect(found[0]?.message).toContain('@action=export_csv');
    expect(found[1]?.message).toContain('no id in @columns');
  });

  test('known URLs that are not issues of this tracker are warned about', () => {
    const found = problems({ existing_bug_urls: [`${BASE}issue1`, `${BASE}msg5`, 'https://elsewhere.example/issue4'] });
    expect(found.map((p) => p.index)).toEqual([1, 2]);
    expect(found[1]?.message).toContain('not on the tracker\'s host bugs.fernmark.example');
  });

  test('a rule text without its field is warned about', () => {
    expect(problems({ bitesized_text: 'easy', documentation_field: 'Components', documentation_text: 'Documentation' })).toEqual([
      { severity: 'warning', field: 'bitesized_text', message: 'bitesized_text has no effect without bitesized_field (the name of a field of the issue page, e.g. Keywords)' },
    ]);
  });

  test('every field has help; custom_parser lists the parsers by old and short names', () => {
    for (const field of roundupAdapter.fields) expect(field.help.length).toBeGreaterThan(10);
    const parser = roundupAdapter.fields.find((f) => f.name === 'custom_parser');
    expect(parser?.kind).toBe('choice');
    expect(parser?.choices).toEqual(['roundup.RoundupBugParser', 'python', 'roundup.PythonRoundupBugParser']);
  });

  const load = (yaml: string) => {
    const file = parseTrackerText(yaml, 'trackers.yaml', [roundupAdapter]);
    return { file, problems: [...file.problems, ...file.entries.flatMap((e) => e.problems)].map((p) => `${p.severity}: ${p.message}`) };
  };

  test('the example entry is a valid tracker file', () => {
    const { file, problems: found } = load(JSON.stringify([roundupAdapter.example]));
    expect(found).toEqual([]);
    expect(file.entries[0]?.valid).toBe(true);
  });

  test('custom_parser: the Python parser by either name, the default parser, or an error', () => {
    const yaml = (parser: string): string =>
      ['- tracker_name: Python', '  bugimporter: roundup.RoundupBugImporter', '  base_url: https://bugs.python.org', `  custom_parser: ${parser}`, ''].join('\n');
    for (const parser of ['python', 'roundup.PythonRoundupBugParser', 'roundup.RoundupBugParser', "''"]) {
      const { file, problems: found } = load(yaml(parser));
      expect(found).toEqual([]);
      expect(file.entries[0]?.valid).toBe(true);
    }
    const bad = load(yaml('pyhton'));
    expect(bad.file.entries[0]?.valid).toBe(false);
    expect(bad.problems.join('\n')).toContain('did you mean "python"?');
  });

  test('a rule field without text, get_older_bug_data and a base_url subpath are reported by validate', () => {
    const { file, problems: found } = load(
      [
        '- tracker_name: Hg',
        '  bugimporter: roundup',
        '  base_url: https://bz.example/bts/issue42',
        '  bitesized_field: Topics',
        '  get_older_bug_data: https://bz.example/bts/issue?@action=export_csv',
        '',
      ].join('\n'),
    );
    expect(file.entries[0]?.valid).toBe(false);
    expect(found.some((p) => p.startsWith('error:') && p.includes('issue42'))).toBe(true);
    expect(found.some((p) => p.startsWith('warning:') && p.includes('bitesized_text'))).toBe(true);
    expect(found.some((p) => p.startsWith('warning:') && p.includes('get_older_bug_data'))).toBe(true);
  });
});
