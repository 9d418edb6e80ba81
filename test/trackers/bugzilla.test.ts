// Bugzilla parsers and adapter rules on our own fixtures (modelled on the reference recordings):
// XML batches in every date shape, tracking bugs, HTML and CSV buglists, REST answers, custom
// parsers, record fields, plans, entry checks and credentials.
import { describe, expect, test } from 'bun:test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseTrackerText } from '../../src/config/load.ts';
import { ParseError } from '../../src/core/errors.ts';
import type { AdapterContext, FetchedResponse, RequestSpec } from '../../src/core/types.ts';
import { type BugzillaEntry, bugzillaAdapter } from '../../trackers/bugzilla.ts';
import { buglistIds, classifyAnswer, csvIds, trackedIds } from '../../trackers/bugzilla-lists.ts';
import { customParser, PARSER_NAMES } from '../../trackers/bugzilla-parsers.ts';
import type { Bug } from '../../trackers/bugzilla-record.ts';
import { deletedRecord, makeRecord } from '../../trackers/bugzilla-record.ts';
import { restBugFields, restComments, restError } from '../../trackers/bugzilla-rest.ts';
import { bugError, bugFromXml, bugId, cleanXml, readBugzillaXml } from '../../trackers/bugzilla-xml.ts';
import { assertValidRecord } from '../helpers/schema.ts';

const fixture = (name: string): string => readFileSync(join(import.meta.dir, '../fixtures/bugzilla', name), 'utf8');
const NOW = new Date('2026-06-01T12:00:00.123Z');
const BASE = 'https://bugs.kestrel.example/';

function entry(extra: Partial<BugzillaEntry> = {}): BugzillaEntry {
  return { tracker_name: 'Kestrel', bugimporter: 'bugzilla', base_url: BASE, ...extra };
}

function ctx(e: BugzillaEntry = entry(), extra: Partial<AdapterContext<BugzillaEntry>> = {}): AdapterContext<BugzillaEntry> {
  return { entry: e, now: NOW, extendedScrape: false, ...extra };
}

function response(url: string, body: string, status = 200): FetchedResponse {
  return { url, status, headers: {}, body };
}

/** Every record of a batch answer, through the adapter's own handler. */
function batch(body: string, ids: readonly number[], e: BugzillaEntry = entry(), extendedScrape = false) {
  const url = `${BASE}show_bug.cgi?ctype=xml&excludefield=attachmentdata&${ids.map((id) => `id=${id}`).join('&')}`;
  const req: RequestSpec = { kind: 'batch', url };
  const handler = bugzillaAdapter.handlers.batch;
  if (!handler) throw new Error('no batch handler');
  const result = handler(response(url, body), req, ctx(e, { extendedScrape }));
  for (const record of result.bugs ?? []) assertValidRecord(record);
  return { records: (result.bugs ?? []) as unknown as Record<string, unknown>[], warnings: result.warnings ?? [] };
}

function bugOf(body: string, id: number): Bug {
  const element = readBugzillaXml(body, 'test').bugs.find((b) => bugId(b) === id);
  if (!element) throw new Error(`no bug ${id}`);
  const bug = bugFromXml(element);
  if (typeof bug === 'string') throw new Error(bug);
  return bug;
}

describe('XML batches', () => {
  test('a normal bug: every field, dates with -0500/-0400 offsets in UTC', () => {
    const { records } = batch(fixture('batch.xml'), [101, 102, 103, 104, 105]);
    const r = records.find((x) => x.canonical_bug_link === `${BASE}show_bug.cgi?id=101`);
    expect(r).toEqual({
      title: 'Explain the "offline mode" switch in the user guide',
      description: "The guide never says what 'offline mode' does to queued mail.\n\nSteps: open Preferences > Network.",
      status: 'NEW',
      importance: 'minor',
      people_involved: 2,
      date_reported: '2011-03-02T14:15:00Z',
      last_touched: '2011-04-18T21:02:41Z',
      last_polled: '2026-06-01T12:00:00.123Z',
      submitter_username: 'ada@kestrel.example',
      submitter_realname: 'Ada Quill',
      canonical_bug_link: `${BASE}show_bug.cgi?id=101`,
      looks_closed: false,
      good_for_newcomers: false,
      concerns_just_documentation: false,
      as_appears_in_distribution: '',
      _project_name: 'Kestrel',
      _tracker_name: 'Kestrel',
    });
  });

  test('error bugs are skipped with a warning, a bug without creation_ts too, and the rest of the batch counts', () => {
    const { records, warnings } = batch(fixture('batch.xml'), [101, 102, 103, 104, 105]);
    expect(records.map((r) => r.canonical_bug_link)).toEqual([`${BASE}show_bug.cgi?id=101`, `${BASE}show_bug.cgi?id=103`]);
    expect(warnings.some((w) => w.includes('id=102') && w.includes('NotPermitted'))).toBe(true);
    // NotFound for a bug nobody listed as known: a warning, never a deletion.
    expect(warnings.some((w) => w.includes('id=104') && w.includes('NotFound'))).toBe(true);
    expect(warnings.some((w) => w.includes('id=105') && w.includes('creation_ts'))).toBe(true);
  });

  test('NotFound for a known bug gives _deleted with the URL exactly as listed', () => {
    const known = 'https://bugs.kestrel.example/show_bug.cgi?id=104&ctype=html';
    const { records } = batch(fixture('batch.xml'), [101, 102, 103, 104, 105], entry({ existing_bug_urls: [known], bug_project_name_format: '{product}' }));
    const deleted = records.filter((r) => r._deleted === true);
    expect(deleted).toEqual([{ canonical_bug_link: known, _deleted: true, _tracker_name: 'Kestrel', _project_name: 'Kestrel', last_polled: '2026-06-01T12:00:00.123Z' }]);
  });

  test('an empty first comment gives the placeholder; an empty <reporter name=""> an empty real name', () => {
    const { records } = batch(fixture('batch.xml'), [103]);
    const r = records.find((x) => x.canonical_bug_link === `${BASE}show_bug.cgi?id=103`);
    expect(r?.description).toBe('(Empty description)');
    expect(r?.submitter_username).toBe('anon-reporter');
    expect(r?.submitter_realname).toBe('');
    expect(r?.looks_closed).toBe(true);
    expect(r?.date_reported).toBe('2010-12-24T23:59:59Z');
  });

  test('asked ids missing from the answer are named in one warning', () => {
    const { warnings } = batch(fixture('batch.xml'), [101, 106, 107]);
    expect(warnings.some((w) => w.startsWith('bugs 106, 107 were not in the answer'))).toBe(true);
  });

  test('zone-less dates without seconds, and empty <who name=""> counted once as an anonymous commenter', () => {
    const bug = bugOf(fixture('bug-old-kde.xml'), 7001);
    expect(bug.people).toBe(2);
    const { records } = batch(fixture('bug-old-kde.xml'), [7001]);
    expect(records[0]?.date_reported).toBe('2005-12-05T23:20:00Z');
    expect(records[0]?.last_touched).toBe('2009-12-24T14:20:14Z');
  });

  test('a NUL byte and other forbidden characters are removed before parsing', () => {
    const body = fixture('bug-nul.xml');
    expect(body.includes('\0')).toBe(true);
    const { records, warnings } = batch(body, [301]);
    expect(warnings).toEqual([]);
    expect(records[0]?.title).toBe('Log viewer stops at a binary byte');
    expect(String(records[0]?.description)).not.toMatch(/[\x00-\x08\x0B\x0C]/);
    expect(records[0]?.looks_closed).toBe(true);
    expect(records[0]?.date_reported).toBe('2002-10-24T09:12:00Z');
  });

  test('a truncated answer keeps its complete bugs, with a warning naming the URL', () => {
    const body = fixture('batch.xml');
    const cut = body.slice(0, body.indexOf('<short_desc>Crash'));
    const { records, warnings } = batch(cut, [101, 102, 103]);
    expect(records.map((r) => r.canonical_bug_link)).toEqual([`${BASE}show_bug.cgi?id=101`]);
    expect(warnings.some((w) => w.includes('malformed or truncated XML') && w.includes('show_bug.cgi?ctype=xml'))).toBe(true);
    expect(warnings.some((w) => w.includes('bugs 103 were not in the answer'))).toBe(true);
  });

  test('a body with no complete bug, an HTML page, or a root without bugs is an error naming the URL', () => {
    const body = fixture('batch.xml');
    expect(() => batch(body.slice(0, 400), [101])).toThrow(/malformed or truncated XML.*show_bug\.cgi/);
    expect(() => batch(fixture('login.html'), [101])).toThrow(ParseError);
    expect(() => batch(fixture('login.html'), [101])).toThrow(/HTML page.*show_bug\.cgi\?ctype=xml/);
    expect(() => batch('<?xml version="1.0"?>\n<bugzilla version="4.2.1"></bugzilla>', [101])).toThrow(/no <bug> element/);
    expect(() => batch('', [101])).toThrow(ParseError);
  });

  test('no DTD or entity is read: declared entities stay as text', () => {
    const body = `<?xml version="1.0"?>\n<!DOCTYPE bugzilla [\n<!ENTITY secret SYSTEM "file:///etc/passwd">\n]>\n<bugzilla><bug><bug_id>5</bug_id><creation_ts>2011-01-01 00:00</creation_ts><short_desc>a &secret; &#39;b&#39;</short_desc></bug></bugzilla>`;
    expect(cleanXml(body)).not.toContain('DOCTYPE');
    expect(bugOf(body, 5).title).toBe("a &secret; 'b'");
  });

  test('error bugs and ids', () => {
    const bugs = readBugzillaXml(fixture('batch.xml'), 'x').bugs;
    expect(bugs.map(bugError)).toEqual([undefined, 'NotPermitted', undefined, 'NotFound', undefined]);
    expect(bugs.map(bugId)).toEqual([101, 102, 103, 104, 105]);
  });
});

describe('query answers', () => {
  test('classified by content', () => {
    expect(classifyAnswer(fixture('tracking.xml'))).toBe('xml');
    expect(classifyAnswer('\uFEFF  <bugzilla version="4"></bugzilla>')).toBe('xml');
    expect(classifyAnswer(fixture('buglist.html'))).toBe('html');
    expect(classifyAnswer('<?xml version="1.0"?>\n<!DOCTYPE html>\n<html></html>')).toBe('html');
    expect(classifyAnswer(fixture('buglist-page1.csv'))).toBe('csv');
  });

  test('tracking bugs give their dependson ids, one level, skipping error bugs', () => {
    const { ids, warnings } = trackedIds(fixture('tracking.xml'), 'https://bugs.kestrel.example/show_bug.cgi?ctype=xml&id=900');
    expect(ids).toEqual([101, 103]);
    expect(warnings.some((w) => w.includes('901') && w.includes('NotPermitted'))).toBe(true);
  });

  test('HTML buglists: the XML form (hidden ctype=xml, or only an upper-case XML button), then the rows', () => {
    expect(buglistIds(fixture('buglist.html'), 'u').ids).toEqual([101, 103, 105]);
    expect(buglistIds(fixture('buglist-new-skin.html'), 'u').ids).toEqual([7001, 7002]);
    expect(buglistIds(fixture('buglist-rows-only.html'), 'u').ids).toEqual([44, 12]);
    expect(buglistIds(fixture('buglist-zarro.html'), 'u').ids).toEqual([]);
  });

  test('an HTML page that is no bug list is an error naming the URL', () => {
    expect(() => buglistIds(fixture('login.html'), 'https://bugs.kestrel.example/buglist.cgi?keywords=easy')).toThrow(
      /no bug list found.*buglist\.cgi\?keywords=easy/,
    );
  });

  test('CSV buglists: bug_id column, CRLF and multi-line quoted fields', () => {
    expect(csvIds(fixture('buglist-page1.csv'), 'u')).toEqual({ ids: [101, 103], rows: 2, warnings: [] });
    expect(csvIds(fixture('buglist-page2.csv'), 'u').ids).toEqual([107]);
    expect(csvIds('bug_id,short_desc\n', 'u')).toEqual({ ids: [], rows: 0, warnings: [] });
    const odd = csvIds('bug_id,short_desc\nabc,x\n9,y\n', 'u');
    expect(odd.ids).toEqual([9]);
    expect(odd.warnings.length).toBe(1);
  });

  test('a CSV without bug_id, or an empty answer, is an error naming the URL', () => {
    expect(() => csvIds(fixture('buglist-no-id.csv'), 'https://x.example/buglist.cgi?ctype=csv')).toThrow(/no bug_id column.*ctype=csv/);
    expect(() => csvIds('', 'https://x.example/buglist.cgi?ctype=csv')).toThrow(/empty answer.*ctype=csv/);
  });
});

describe('REST answers', () => {
  test('bugs, comments keyed by id, error objects', () => {
    const data = JSON.parse(fixture('rest-search-1.json')) as { bugs: unknown[] };
    const bug = restBugFields(data.bugs[0]);
    expect(bug).toMatchObject({ id: 1201, title: 'Document the new filter syntax', isOpen: true, keywords: ['easy'], reporterName: 'Ada Quill [:ada]' });
    const res = response('https://x.example/rest/bug/1201/comment?ids=1201&ids=1202', fixture('rest-comments-1.json'));
    const comments = restComments(JSON.parse(res.body), res);
    expect(comments.get(1201)).toEqual({ description: 'The 2.2 filter syntax has no page in the guide.', people: 2 });
    expect(comments.get(1202)).toEqual({ description: '', people: 0 });
    // Older servers: `author` instead of `creator`.
    const old = response('u', fixture('rest-comments-2.json'));
    expect(restComments(JSON.parse(old.body), old).get(1205)).toEqual({ description: 'Mailing lists need a list-id rule.', people: 1 });
    expect(restError(JSON.parse(fixture('rest-error.json')))).toEqual({ code: 32000, message: 'API key authentication is required.' });
  });
});

describe('custom parsers', () => {
  const input = (product: string, component = 'general', title = 't', keywords: string[] = []) => ({ product, component, title, keywords });

  test('every old and short name, and the default name meaning none', () => {
    for (const [old, short] of [
      ['bugzilla.KDEBugzilla', 'kde'],
      ['bugzilla.GnomeBugzilla', 'gnome'],
      ['bugzilla.MozillaBugParser', 'mozilla'],
      ['bugzilla.MediaWikiBugParser', 'mediawiki'],
    ] as const) {
      expect(customParser(old)?.name).toBe(short);
      expect(customParser(short)?.name).toBe(short);
    }
    expect(customParser('bugzilla.BugzillaBugParser')).toBeUndefined();
    expect(customParser('')).toBeUndefined();
    expect(PARSER_NAMES).toContain('bugzilla.BugzillaBugParser');
  });

  test('KDE: junior-jobs, JJ: titles, docs product, renamed projects', () => {
    const kde = customParser('kde');
    expect(kde?.title?.(input('kmail', 'general', 'JJ:  Add a tooltip '))).toBe('Add a tooltip');
    expect(kde?.goodForNewcomers?.(input('kmail', 'general', 't', ['junior-jobs']))).toBe(true);
    expect(kde?.concernsJustDocumentation?.(input('docs'))).toBe(true);
    expect(kde?.projectName(input('konqueror'))).toBe('boomski');
    expect(kde?.projectName(input('digikamimageplugins'))).toBe('digikam image plugins');
    expect(kde?.projectName(input('Network Management'))).toBe('KDE Network Management');
    expect(kde?.projectName(input('telepathy'))).toBe('telepathy for KDE');
    expect(kde?.projectName(input('docs'))).toBe('KDE documentation');
    expect(kde?.projectName(input('kmail'))).toBe('kmail');
  });

  test('GNOME, Mozilla, MediaWiki project names', () => {
    const gnome = customParser('gnome');
    expect(gnome?.projectName(input('general'))).toBe('GNOME (general)');
    expect(gnome?.projectName(input('website'))).toBe('GNOME (website)');
    expect(gnome?.projectName(input('gedit'))).toBe('gedit');
    const moz = customParser('mozilla');
    expect(moz?.projectName(input('Other Applications', 'Venkman'))).toBe('Mozilla Venkman');
    expect(moz?.projectName(input('Core'))).toBe('Mozilla Core');
    expect(moz?.projectName(input('MailNews Core'))).toBe('Mozilla Messaging');
    expect(moz?.projectName(input('Testing'))).toBe('Mozilla automated testing');
    expect(moz?.projectName(input('Firefox'))).toBe('Firefox');
    expect(moz?.projectName(input('support.mozilla.com'))).toBe('support.mozilla.com');
    expect(moz?.projectName(input('Bugzilla'))).toBe('Mozilla Bugzilla');
    expect(moz?.projectName(input('MozillaBuild'))).toBe('MozillaBuild');
    const mw = customParser('mediawiki');
    expect(mw?.projectName(input('MediaWiki extensions', 'FCKeditor'))).toBe('FCKeditor for MediaWiki');
    expect(mw?.projectName(input('MediaWiki extensions', 'Gadgets'))).toBe('Gadgets for MediaWiki');
    expect(mw?.projectName(input('MediaWiki extensions', 'ParserFunctions'))).toBe('ParserFunctions');
    expect(mw?.projectName(input('MediaWiki'))).toBe('MediaWiki');
  });

  test('a custom parser takes precedence over the entry\'s rules and format', () => {
    const e = entry({ custom_parser: 'bugzilla.KDEBugzilla', bitesized_type: 'key', bitesized_text: 'easy', bug_project_name_format: '{component}' });
    const { records } = batch(fixture('bug-old-kde.xml'), [7001], e);
    expect(records[0]).toMatchObject({ title: 'Konqueror sidebar forgets its width', _project_name: 'boomski', good_for_newcomers: true, concerns_just_documentation: false });
  });
});

describe('record rules', () => {
  const bug101 = (): Bug => bugOf(fixture('batch.xml'), 101);
  const record = (e: BugzillaEntry, bug: Bug = bug101(), extendedScrape = false) => {
    const warnings: string[] = [];
    const r = makeRecord(bug, ctx(e, { extendedScrape }), { base: BASE, parser: customParser(e.custom_parser), dateNames: ['creation_ts', 'delta_ts'] }, warnings);
    assertValidRecord(r);
    return r;
  };

  test('bite-sized: keyword (exact) or whiteboard (substring); empty texts never match', () => {
    expect(record(entry({ bitesized_type: 'key', bitesized_text: ' easy , other' })).good_for_newcomers).toBe(true);
    expect(record(entry({ bitesized_type: 'key', bitesized_text: 'eas' })).good_for_newcomers).toBe(false);
    expect(record(entry({ bitesized_type: 'wboard', bitesized_text: 'good first' })).good_for_newcomers).toBe(true);
    expect(record(entry({ bitesized_type: 'wboard', bitesized_text: ' , ' })).good_for_newcomers).toBe(false);
    expect(record(entry({ bitesized_text: 'easy' })).good_for_newcomers).toBe(false);
  });

  test('documentation: keyword, component or product; an empty text never marks a bug without keywords', () => {
    expect(record(entry({ documentation_type: 'key', documentation_text: 'docs-needed' })).concerns_just_documentation).toBe(true);
    expect(record(entry({ documentation_type: 'comp', documentation_text: 'Documentation' })).concerns_just_documentation).toBe(true);
    expect(record(entry({ documentation_type: 'comp', documentation_text: 'documentation' })).concerns_just_documentation).toBe(false);
    expect(record(entry({ documentation_type: 'prod', documentation_text: 'Kestrel' })).concerns_just_documentation).toBe(true);
    const noKeywords: Bug = { ...bug101(), keywords: [] };
    expect(record(entry({ documentation_type: 'key', documentation_text: '' }), noKeywords).concerns_just_documentation).toBe(false);
  });

  test('closed rule: RESOLVED/VERIFIED/CLOSED in any case, ASSIGNED open; closed_status replaces it', () => {
    const withStatus = (status: string): Bug => ({ ...bug101(), status });
    expect(record(entry(), withStatus('resolved')).looks_closed).toBe(true);
    expect(record(entry(), withStatus('VERIFIED')).looks_closed).toBe(true);
    expect(record(entry(), withStatus('CLOSED')).looks_closed).toBe(true);
    expect(record(entry(), withStatus('ASSIGNED')).looks_closed).toBe(false);
    expect(record(entry(), withStatus('WONTFIX')).looks_closed).toBe(false);
    expect(record(entry({ closed_status: 'new, fixed' }), withStatus('NEW')).looks_closed).toBe(true);
    expect(record(entry({ closed_status: 'new' }), withStatus('RESOLVED')).looks_closed).toBe(false);
    // REST: is_open decides when present.
    expect(record(entry(), { ...withStatus('RESOLVED'), isOpen: true }).looks_closed).toBe(false);
    expect(record(entry(), { ...withStatus('NEW'), isOpen: false }).looks_closed).toBe(true);
  });

  test('project names from {product} and {component}; _deleted keeps the tracker name then', () => {
    expect(record(entry({ bug_project_name_format: '{tracker_name}: {product}/{component} {{x}}' }))._project_name).toBe('Kestrel: Kestrel/Documentation {x}');
    expect(record(entry({ bug_project_name_format: 'Kestrel Mail' }))._project_name).toBe('Kestrel Mail');
    const c = ctx(entry({ bug_project_name_format: '{component}' }));
    expect(deletedRecord('https://bugs.kestrel.example/show_bug.cgi?id=4', c, undefined)._project_name).toBe('Kestrel');
    expect(deletedRecord('u', ctx(entry({ bug_project_name_format: 'Kestrel Mail' })), undefined)._project_name).toBe('Kestrel Mail');
    expect(deletedRecord('u', ctx(entry()), customParser('kde'))._project_name).toBe('Kestrel');
  });

  test('raw_data only with --extended-scrape, with priority and the other listed fields', () => {
    expect(record(entry()).raw_data).toBeUndefined();
    expect(record(entry(), bug101(), true).raw_data).toEqual({
      priority: 'P3',
      resolution: '',
      product: 'Kestrel',
      component: 'Documentation',
      keywords: ['easy', 'docs-needed'],
      status_whiteboard: '[good first bug][lang=en]',
      assigned_to: 'docs@kestrel.example',
      version: '2.1',
    });
  });

  test('as_appears_in_distribution comes from the entry; unreadable dates are left out with a warning', () => {
    const warnings: string[] = [];
    const r = makeRecord({ ...bug101(), changed: 'someday' }, ctx(entry({ as_appears_in_distribution: 'Fedora' })), { base: BASE, parser: undefined, dateNames: ['creation_ts', 'delta_ts'] }, warnings);
    assertValidRecord(r);
    expect(r.as_appears_in_distribution).toBe('Fedora');
    expect(r.last_touched).toBeUndefined();
    expect(warnings[0]).toContain('delta_ts "someday"');
  });

  test('a zone abbreviation is ignored with one warning per batch', () => {
    const body = fixture('bug-old-kde.xml').replace('2005-12-05 23:20', '2005-12-05 23:20 PST').replace('2009-12-24 14:20:14</delta_ts>', '2009-12-24 14:20:14 PST</delta_ts>');
    const { records, warnings } = batch(body, [7001]);
    expect(records[0]?.date_reported).toBe('2005-12-05T23:20:00Z');
    expect(warnings.filter((w) => w.includes('"PST"')).length).toBe(1);
  });
});

describe('plan', () => {
  const urls = (e: BugzillaEntry, since?: Date) => bugzillaAdapter.plan(ctx(e, since ? { since } : {})).map((r) => r.url);

  test('buglists get limit=0; CSV buglists are paged; REST searches get include_fields and limit', () => {
    expect(urls(entry({ queries: [`${BASE}buglist.cgi?keywords=easy`] }))).toEqual([`${BASE}buglist.cgi?keywords=easy&limit=0`]);
    expect(urls(entry({ queries: [`${BASE}buglist.cgi?keywords=easy&limit=25`] }))).toEqual([`${BASE}buglist.cgi?keywords=easy&limit=25`]);
    expect(urls(entry({ queries: [`${BASE}buglist.cgi?ctype=csv&keywords=easy`], batch_size: '50' }))).toEqual([`${BASE}buglist.cgi?ctype=csv&keywords=easy&limit=50&offset=0`]);
    const [rest] = urls(entry({ queries: [`${BASE}rest/bug?product=Kestrel`] }));
    expect(rest).toBe(
      `${BASE}rest/bug?product=Kestrel&include_fields=id,summary,status,resolution,severity,priority,product,component,keywords,whiteboard,creator,creator_detail,creation_time,last_change_time,is_open&limit=100`,
    );
  });

  test('queries run one after the other: the plan holds the first only', () => {
    const plan = bugzillaAdapter.plan(ctx(entry({ queries: [`${BASE}buglist.cgi?keywords=easy`, `${BASE}show_bug.cgi?ctype=xml&id=900`] })));
    expect(plan).toEqual([{ kind: 'query', url: `${BASE}buglist.cgi?keywords=easy&limit=0`, meta: { query: 0, ids: [] } }]);
  });

  test('known bugs alone: pooled, sorted, batched by batch_size, no trailing &', () => {
    const known = [5, 3, 1, 3, 4, 2].map((id) => `${BASE}show_bug.cgi?id=${id}`);
    expect(urls(entry({ existing_bug_urls: [...known, 'https://elsewhere.example/show_bug.cgi?id=9', `${BASE}show_bug.cgi`], batch_size: 2 }))).toEqual([
      `${BASE}show_bug.cgi?ctype=xml&excludefield=attachmentdata&id=1&id=2`,
      `${BASE}show_bug.cgi?ctype=xml&excludefield=attachmentdata&id=3&id=4`,
      `${BASE}show_bug.cgi?ctype=xml&excludefield=attachmentdata&id=5`,
    ]);
  });

  test('known URLs: the id parameter or a numeric last segment; index.cgi leaves base_url', () => {
    const e = entry({ base_url: 'https://bugs.kestrel.example/index.cgi', existing_bug_urls: ['https://bugs.kestrel.example/42', 'http://BUGS.kestrel.example/show_bug.cgi?id=7'] });
    expect(urls(e)).toEqual([`${BASE}show_bug.cgi?ctype=xml&excludefield=attachmentdata&id=7&id=42`]);
  });

  test('api: rest when a query is a REST search, xml otherwise; rest.cgi roots are kept', () => {
    const e = entry({ queries: ['https://bugs.kestrel.example/rest.cgi/bug?product=Kestrel'], existing_bug_urls: [`${BASE}show_bug.cgi?id=8`] });
    const plan = bugzillaAdapter.plan(ctx(e));
    expect(plan.map((r) => r.kind)).toEqual(['search', 'rest-ids']);
    expect(plan[1]?.url).toStartWith('https://bugs.kestrel.example/rest.cgi/bug?id=8&include_fields=id,summary');
    expect(bugzillaAdapter.plan(ctx({ ...e, api: 'xml' })).map((r) => r.kind)).toEqual(['query']);
  });

  test('incremental runs: chfieldfrom a day early and chfieldto=Now on buglists, last_change_time on REST, tracking XML in full', () => {
    const since = new Date('2024-03-10T01:30:00Z');
    expect(urls(entry({ queries: [`${BASE}buglist.cgi?keywords=easy`] }), since)).toEqual([`${BASE}buglist.cgi?keywords=easy&limit=0&chfieldfrom=2024-03-09&chfieldto=Now`]);
    expect(urls(entry({ queries: [`${BASE}rest/bug?product=Kestrel&limit=10`] }), since)[0]).toContain('&limit=10&include_fields=id,');
    expect(urls(entry({ queries: [`${BASE}rest/bug?product=Kestrel&limit=10`] }), since)[0]).toEndWith('&last_change_time=2024-03-10T01:30:00Z');
    expect(urls(entry({ queries: [`${BASE}show_bug.cgi?ctype=xml&id=900`] }), since)).toEqual([`${BASE}show_bug.cgi?ctype=xml&id=900`]);
  });

  test('deterministic, and no request without base_url', () => {
    const e = entry({ queries: [`${BASE}buglist.cgi?keywords=easy`], existing_bug_urls: [`${BASE}show_bug.cgi?id=1`] });
    expect(bugzillaAdapter.plan(ctx(e))).toEqual(bugzillaAdapter.plan(ctx(e)));
    expect(() => bugzillaAdapter.plan(ctx({ tracker_name: 'X', bugimporter: 'bugzilla' }))).toThrow(/base_url/);
  });
});

describe('the query chain', () => {
  const handle = (kind: string, res: FetchedResponse, req: RequestSpec, e: BugzillaEntry) => {
    const handler = bugzillaAdapter.handlers[kind];
    if (!handler) throw new Error(kind);
    return handler(res, req, ctx(e));
  };

  test('a full CSV page asks for the next offset; the last query pools the ids with the known ones', () => {
    const e = entry({ queries: [`${BASE}buglist.cgi?ctype=csv&product=Kestrel`, `${BASE}show_bug.cgi?ctype=xml&id=900`], existing_bug_urls: [`${BASE}show_bug.cgi?id=104`], batch_size: 2 });
    const [first] = bugzillaAdapter.plan(ctx(e));
    if (!first) throw new Error('no plan');
    const page1 = handle('query', response(first.url, fixture('buglist-page1.csv')), first, e);
    expect(page1.requests).toEqual([{ kind: 'query', url: `${BASE}buglist.cgi?ctype=csv&product=Kestrel&limit=2&offset=2`, meta: { query: 0, ids: [101, 103] } }]);
    const second = page1.requests?.[0];
    if (!second) throw new Error('no second page');
    const page2 = handle('query', response(second.url, fixture('buglist-page2.csv')), second, e);
    expect(page2.requests).toEqual([{ kind: 'query', url: `${BASE}show_bug.cgi?ctype=xml&id=900`, meta: { query: 1, ids: [101, 103, 107] } }]);
    const tracking = page2.requests?.[0];
    if (!tracking) throw new Error('no tracking query');
    const last = handle('query', response(tracking.url, fixture('tracking.xml')), tracking, e);
    expect(last.requests?.map((r) => r.url)).toEqual([
      `${BASE}show_bug.cgi?ctype=xml&excludefield=attachmentdata&id=101&id=103`,
      `${BASE}show_bug.cgi?ctype=xml&excludefield=attachmentdata&id=104&id=107`,
    ]);
  });

  test('a page that repeats earlier bugs stops the paging with a warning', () => {
    const e = entry({ queries: [`${BASE}buglist.cgi?ctype=csv`], batch_size: 2 });
    const req: RequestSpec = { kind: 'query', url: `${BASE}buglist.cgi?ctype=csv&limit=2&offset=2`, meta: { query: 0, ids: [101, 103] } };
    const result = handle('query', response(req.url, fixture('buglist-page1.csv')), req, e);
    expect(result.warnings?.some((w) => w.includes('paging stopped'))).toBe(true);
    expect(result.requests?.map((r) => r.kind)).toEqual(['batch']);
  });

  test('HTML where CSV was asked for is an error naming the URL', () => {
    const e = entry({ queries: [`${BASE}buglist.cgi?ctype=csv`] });
    const [req] = bugzillaAdapter.plan(ctx(e));
    if (!req) throw new Error('no plan');
    expect(() => handle('query', response(req.url, fixture('login.html')), req, e)).toThrow(/expected a CSV bug list.*ctype=csv/);
  });
});

describe('entry checks', () => {
  const problems = (e: Partial<BugzillaEntry>) => bugzillaAdapter.check(entry(e)).map((p) => `${p.severity} ${p.field}: ${p.message}`);

  test('the example is clean', () => {
    expect(bugzillaAdapter.check(bugzillaAdapter.example as BugzillaEntry)).toEqual([]);
  });

  test('cross-field rules', () => {
    expect(problems({ batch_size: '0' })[0]).toStartWith('error batch_size');
    expect(problems({ batch_size: 501 })[0]).toStartWith('error batch_size');
    expect(problems({ batch_size: '250' })).toEqual([]);
    expect(problems({ base_url: 'https://bugs.kestrel.example/index.cgi' })[0]).toContain('customs uses https://bugs.kestrel.example/');
    expect(problems({ existing_bug_urls: ['https://elsewhere.example/show_bug.cgi?id=1', `${BASE}show_bug.cgi?id=alias`] })).toHaveLength(2);
    expect(problems({ bitesized_text: 'easy' })[0]).toContain('without bitesized_type');
    expect(problems({ custom_parser: 'kde', bug_project_name_format: '{product}' })[0]).toContain('bug_project_name_format is not used');
    expect(problems({ token_env: 'BZ_KEY' })[0]).toContain('REST API only');
    expect(problems({ token_env: 'BZ_KEY', api: 'rest' })).toEqual([]);
  });

  test('the tracker file: choices, placeholders, an unknown custom_parser is an error of that entry only', () => {
    const yaml = `trackers:
  - tracker_name: Kestrel
    bugimporter: bugzilla.BugzillaBugImporter
    base_url: https://bugs.kestrel.example
    custom_parser: bugzilla.KDEBugzila
  - tracker_name: Kestrel REST
    bugimporter: bugzilla
    base_url: https://bugs.kestrel.example/
    api: rest
    bitesized_type: wboard
    bitesized_text: good first bug
    documentation_type: comp
    documentation_text: Documentation
    bug_project_name_format: "{product} ({component})"
    custom_parser: bugzilla.BugzillaBugParser
  - tracker_name: Kestrel odd
    bugimporter: bugzilla
    base_url: https://bugs.kestrel.example/
    bitesized_type: keyword
    bug_project_name_format: "{version}"
`;
    const file = parseTrackerText(yaml, 'trackers.yaml', [bugzillaAdapter as never]);
    const [first, second, third] = file.entries;
    expect(first?.valid).toBe(false);
    expect(first?.problems.map((p) => p.message).join('\n')).toContain('did you mean "bugzilla.KDEBugzilla"');
    expect(second?.valid).toBe(true);
    expect(second?.entry.base_url).toBe('https://bugs.kestrel.example/');
    expect(third?.valid).toBe(false);
    expect(third?.problems.filter((p) => p.severity === 'error').map((p) => p.field).sort()).toEqual(['bitesized_type', 'bug_project_name_format']);
    // A rule type without its text: a warning from the shared rules.
    expect(third?.problems.some((p) => p.severity === 'warning' && p.field === 'bitesized_text')).toBe(true);
  });
});

describe('credentials', () => {
  const env = { BZ_KEY: 'secret-api-key' };
  const e = entry({ token_env: 'BZ_KEY', api: 'rest' });

  test('X-BUGZILLA-API-KEY to REST URLs on the base_url host only', () => {
    expect(bugzillaAdapter.credentials?.(e, `${BASE}rest/bug?id=1`, env)).toEqual({ headers: { 'X-BUGZILLA-API-KEY': 'secret-api-key' }, source: 'BZ_KEY' });
    expect(bugzillaAdapter.credentials?.(e, `${BASE}show_bug.cgi?ctype=xml&id=1`, env)).toBeUndefined();
    expect(bugzillaAdapter.credentials?.(e, 'https://evil.example/rest/bug?id=1', env)).toBeUndefined();
    expect(bugzillaAdapter.credentials?.(entry({ api: 'rest' }), `${BASE}rest/bug?id=1`, { BUGZILLA_API_KEY: 'x' })).toBeUndefined();
    expect(bugzillaAdapter.credentials?.(e, `${BASE}rest/bug?id=1`, {})).toBeUndefined();
  });

  test('no plan URL ever carries the key', () => {
    const plan = bugzillaAdapter.plan(ctx({ ...e, queries: [`${BASE}rest/bug?product=Kestrel`], existing_bug_urls: [`${BASE}show_bug.cgi?id=1`] }));
    for (const req of plan) expect(req.url).not.toContain('secret-api-key');
    expect(plan.some((r) => r.url.includes('api_key'))).toBe(false);
  });
});
