// The Trac ticket-page reader on our own fixtures, one per layout seen on real servers: the
// properties table, the change headings and every timeline-title date format.
import { describe, expect, test } from 'bun:test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseTrackerDate } from '../../trackers/dates.ts';
import { changeAuthor, cleanTimelineTitle, parseTicketPage, type DateMention } from '../../trackers/trac-page.ts';

const fixture = (name: string): string => readFileSync(join(import.meta.dir, '../fixtures/trac', name), 'utf8');

/** The ISO date a mention's title gives, as the adapter reads it. */
function iso(mention: DateMention): string | undefined {
  return mention?.title === undefined ? undefined : parseTrackerDate(cleanTimelineTitle(mention.title))?.iso;
}

describe('timeline titles', () => {
  test.each([
    ['2010-02-22T19:46:30-0500 in Timeline', '2010-02-23T00:46:30Z'], // 0.12: ISO with offset
    ['2011-07-08T09:55:21+03:00 in Timeline', '2011-07-08T06:55:21Z'], // themed: ISO with ±HH:MM
    ['02/22/2010 07:46:30 PM', '2010-02-22T19:46:30Z'], // 0.11: MM/DD/YYYY hh:mm:ss PM, no zone
    ['02/24/2010 12:08:47 AM', '2010-02-24T00:08:47Z'], // 12 AM is midnight
    ['See timeline at Jun 16, 2006 3:01:52 PM', '2006-06-16T15:01:52Z'], // 0.13: Mon D, YYYY
    ['See timeline at Mar 1, 2025, 12:00:00 PM', '2025-03-01T12:00:00Z'], // 1.4 (Babel): comma after the year
    ['See timeline at 09/10/12 03:17:54', '2012-09-10T03:17:54Z'], // 1.0: MM/DD/YY, two-digit year
    ['06/19/10 08:15:37', '2010-06-19T08:15:37Z'], // themed, title on the paragraph
    ['12/31/99 23:59:59', '1999-12-31T23:59:59Z'], // 69–99 are 19xx
  ])('%s', (title, expected) => {
    expect(parseTrackerDate(cleanTimelineTitle(title))?.iso).toBe(expected);
  });

  test('the prose is removed in any case and spacing', () => {
    expect(cleanTimelineTitle('  See  Timeline at\n Jun 16, 2006 3:01:52 PM ')).toBe('Jun 16, 2006 3:01:52 PM');
    expect(cleanTimelineTitle('2010-02-22T19:46:30-0500 IN TIMELINE')).toBe('2010-02-22T19:46:30-0500');
  });
});

describe('change headings', () => {
  test.each([
    ['2010-02-23 04:01:34+00:00 changed by itamar', 'itamar'],
    ['\n   Changed <a>6 weeks</a>\n   ago by DefaultCC Plugin \n', 'DefaultCC Plugin'],
    ['comment:5 Changed 4 months ago by Kasper Lund <lists@…>', 'Kasper Lund <lists@…>'],
    ['Changed by anonymous', 'anonymous'],
    ['06/26/10 04:42:26 CHANGED BY ~rune~', '~rune~'],
  ])('%s → %s', (heading, name) => {
    expect(changeAuthor(heading)).toBe(name);
  });

  test('a heading without "changed … by" names nobody', () => {
    expect(changeAuthor('2 weeks ago')).toBeUndefined();
    expect(changeAuthor('Changed 2 weeks ago')).toBeUndefined();
    expect(changeAuthor('Changed 2 weeks ago by ')).toBeUndefined();
    // "by" must be a word of its own, and come after "changed".
    expect(changeAuthor('bypass changed nearby')).toBeUndefined();
  });
});

describe('page layouts', () => {
  test('Trac 0.11: .date spans with US dates, two properties per row, "changed by" headings', () => {
    const page = parseTicketPage(fixture('page-0.11.html'));
    expect(page.hasProperties).toBe(true);
    expect(page.reportedBy).toBe('holger');
    expect(page.owner).toBe('mira');
    expect(page.cc).toBe('mira, tomasz');
    // The comment's own wiki heading ("What I changed by mistake") is not a change.
    expect(page.changeAuthors).toEqual(['mira', 'ole']);
    expect(iso(page.opened)).toBe('2021-03-04T09:20:30Z');
    expect(iso(page.lastModified)).toBe('2021-03-09T07:00:05Z');
    // Labels lose their colon; the empty padding th is skipped.
    expect(page.properties.map((p) => p.label)).toEqual(['Reported by', 'Assigned to', 'Type', 'Priority', 'Milestone', 'Component', 'Keywords', 'Cc', 'Branch']);
    expect(page.properties.find((p) => p.label === 'Component')?.text).toBe('rendering');
  });

  test('"Owned by" instead of "Assigned to", and no "Last modified" line', () => {
    const html = fixture('page-0.11.html')
      .replace('Assigned to:', 'Owned by:')
      .replace(/<p>Last modified .*<\/p>/, '');
    const page = parseTicketPage(html);
    expect(page.owner).toBe('mira');
    expect(page.lastModified).toBeUndefined();
    expect(iso(page.opened)).toBe('2021-03-04T09:20:30Z');
  });

  test('Trac 0.12: a.timeline titles with an offset, "Changed … ago by" headings', () => {
    const page = parseTicketPage(fixture('page-0.12.html'));
    expect(page.reportedBy).toBe('anya');
    expect(page.owner).toBe('tomasz');
    expect(page.cc).toBe('');
    expect(page.changeAuthors).toEqual(['Review Bot', 'tomasz', 'anya']);
    expect(iso(page.opened)).toBe('2021-04-11T15:45:00Z');
    expect(iso(page.lastModified)).toBe('2021-05-02T08:12:44Z');
  });

  test('Trac 0.13: "See timeline at Mon D, YYYY", links in cells, the draft preview ignored', () => {
    const page = parseTicketPage(fixture('page-0.13.html'));
    expect(page.reportedBy).toBe('kasper');
    expect(page.owner).toBe('ilse');
    expect(page.cc).toBe('lists@…');
    // "Changed by anonymous" of #ticketchange.ticketdraft is outside #changelog.
    expect(page.changeAuthors).toEqual(['ilse', 'Kasper Lund <lists@…>']);
    expect(iso(page.opened)).toBe('2011-06-16T13:01:52Z');
    expect(iso(page.lastModified)).toBe('2011-08-26T11:45:45Z');
    // The "Change Properties" form table is not table.properties.
    expect(page.properties.some((p) => p.label.includes('Add/Remove'))).toBe(false);
  });

  test('Trac 1.0: two-digit years, an empty owner cell, the draft preview ignored', () => {
    const page = parseTicketPage(fixture('page-1.0.html'));
    expect(page.reportedBy).toBe('zoë');
    expect(page.owner).toBe('');
    expect(page.changeAuthors).toEqual(['holger']);
    expect(iso(page.opened)).toBe('2021-06-01T11:00:00Z');
    expect(iso(page.lastModified)).toBe('2021-06-01T11:30:00Z');
    expect(page.properties.find((p) => p.label === 'Keywords')?.text).toBe('documentation easy');
  });

  test('themed: titles on the .date paragraphs themselves', () => {
    const page = parseTicketPage(fixture('page-themed-dates.html'));
    expect(iso(page.opened)).toBe('2009-11-02T14:05:09Z');
    expect(iso(page.lastModified)).toBe('2010-01-15T08:00:00Z');
    expect(page.owner).toBe('community');
    expect(page.changeAuthors).toEqual(['~rune~', 'pbrandt']);
  });

  test('themed: "Opened:" and "Last modified:" as properties rows, labels without colons', () => {
    const page = parseTicketPage(fixture('page-themed-properties.html'));
    expect(iso(page.opened)).toBe('2020-02-01T06:00:00Z');
    expect(iso(page.lastModified)).toBe('2021-03-20T15:30:00Z');
    expect(page.reportedBy).toBe('Linnéa on behalf of Tietotalo');
    expect(page.owner).toBe('');
    expect(page.cc).toBe('');
    // The headings hold only a timeline link: they name nobody.
    expect(page.changeAuthors).toEqual([]);
    expect(page.properties.find((p) => p.label === 'Priority')?.text).toBe('normal');
  });

  test('a page without a properties table still gives its dates and change authors', () => {
    const page = parseTicketPage(fixture('page-no-properties.html'));
    expect(page.hasProperties).toBe(false);
    expect(page.reportedBy).toBeUndefined();
    expect(page.owner).toBeUndefined();
    expect(page.cc).toBeUndefined();
    expect(page.changeAuthors).toEqual(['ole']);
    expect(iso(page.opened)).toBe('2021-03-04T09:20:30Z');
    expect(page.lastModified).toBeUndefined();
  });

  test('without a .date block or Opened row, the first a.timeline gives "Opened"', () => {
    const html = fixture('page-0.12.html').replace(/<div class="date">[\s\S]*?<\/div>/, '');
    const page = parseTicketPage(html);
    expect(iso(page.opened)).toBe('2021-04-12T09:00:10Z');
    expect(page.lastModified).toBeUndefined();
  });

  test('a "Last modified" line without a title is a mention without a date', () => {
    const html = fixture('page-0.11.html').replace(/<p>Last modified .*<\/p>/, '<p>Last modified recently</p>');
    expect(parseTicketPage(html).lastModified).toEqual({ title: undefined });
  });

  test('a th that starts with an element, and pages of another kind, never throw', () => {
    const page = parseTicketPage('<table class="properties"><tr><th><a href="#">Reported by</a>:</th><td><b>eve</b></td></tr></table>');
    expect(page.reportedBy).toBe('eve');
    const login = parseTicketPage(fixture('login.html'));
    expect(login.hasProperties).toBe(false);
    expect(login.opened).toBeUndefined();
    expect(parseTicketPage('').changeAuthors).toEqual([]);
    expect(parseTicketPage('<div id="changelog"><div class="change"><h3>').changeAuthors).toEqual([]);
  });
});
