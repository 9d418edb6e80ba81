// The one date parser (trackers.md §1.7): every shape trackers send, zones, two-digit years,
// epoch seconds, and what is refused.

import { describe, expect, test } from 'bun:test';
import { formatUtcSeconds, parseTrackerDate } from '../../trackers/dates.ts';

const readable: ReadonlyArray<readonly [string, unknown, string]> = [
  // ISO 8601 / RFC 3339
  ['RFC 3339 with Z', '2012-03-12T19:24:42Z', '2012-03-12T19:24:42Z'],
  ['lower-case t and z', '2012-03-12t19:24:42z', '2012-03-12T19:24:42Z'],
  ['fraction truncated, not rounded', '2012-03-12T19:24:42.999999Z', '2012-03-12T19:24:42Z'],
  ['comma fraction', '2012-03-12T19:24:42,5Z', '2012-03-12T19:24:42Z'],
  ['+HH:MM offset', '2011-09-02T07:03:50.123456+00:00', '2011-09-02T07:03:50Z'],
  ['negative offset crosses midnight', '2010-04-02T21:30:00-05:00', '2010-04-03T02:30:00Z'],
  ['+HHMM offset', '2013-01-01T01:30:00+0200', '2012-12-31T23:30:00Z'],
  ['+HH offset', '2013-01-01T05:00:00+05', '2013-01-01T00:00:00Z'],
  ['half-hour offset', '2020-06-01T12:00:00+05:30', '2020-06-01T06:30:00Z'],
  ['space instead of T', '2012-03-12 19:24:42Z', '2012-03-12T19:24:42Z'],
  ['no seconds', '2012-03-12T19:24Z', '2012-03-12T19:24:00Z'],
  ['no zone is UTC', '2012-03-12T19:24:42', '2012-03-12T19:24:42Z'],
  ['date only', '2012-03-12', '2012-03-12T00:00:00Z'],
  ['surrounding blanks', '  2012-03-12T19:24:42Z \n', '2012-03-12T19:24:42Z'],
  ['leap day', '2024-02-29T10:00:00Z', '2024-02-29T10:00:00Z'],
  ['leap second stays in its minute', '2016-12-31T23:59:60Z', '2016-12-31T23:59:59Z'],
  // Bugzilla
  ['Bugzilla with seconds and offset', '2009-08-06 10:38:07 -0400', '2009-08-06T14:38:07Z'],
  ['Bugzilla without seconds or zone', '2009-08-06 10:38', '2009-08-06T10:38:00Z'],
  ['Bugzilla +0000', '2012-07-19 13:34:05 +0000', '2012-07-19T13:34:05Z'],
  ['Bugzilla with UTC', '2012-07-19 13:34:05 UTC', '2012-07-19T13:34:05Z'],
  ['Bugzilla with GMT', '2012-07-19 13:34 GMT', '2012-07-19T13:34:00Z'],
  ['GMT with an offset', '2012-07-19 13:34 GMT+02:00', '2012-07-19T11:34:00Z'],
  // Roundup
  ['Roundup', '2011-04-13.18:26:03', '2011-04-13T18:26:03Z'],
  ['Roundup without seconds', '2011-04-13.18:26', '2011-04-13T18:26:00Z'],
  // numeric US dates (month first)
  ['US with PM', '04/02/2010 11:25:34 PM', '2010-04-02T23:25:34Z'],
  ['US with AM', '04/02/2010 11:25:34 AM', '2010-04-02T11:25:34Z'],
  ['12 AM is midnight', '04/02/2010 12:05:00 AM', '2010-04-02T00:05:00Z'],
  ['12 PM is noon', '04/02/2010 12:05:00 PM', '2010-04-02T12:05:00Z'],
  ['lower-case pm, no seconds', '4/2/2010 3:07 pm', '2010-04-02T15:07:00Z'],
  ['a.m. with dots', '04/02/2010 9:00 a.m.', '2010-04-02T09:00:00Z'],
  ['24-hour US time', '11/07/2012 13:45:03', '2012-11-07T13:45:03Z'],
  ['two-digit year 12 → 2012', '11/07/12 13:45:03', '2012-11-07T13:45:03Z'],
  ['two-digit year 00 → 2000', '01/01/00 00:00:00', '2000-01-01T00:00:00Z'],
  ['two-digit year 68 → 2068', '01/01/68 00:00', '2068-01-01T00:00:00Z'],
  ['two-digit year 69 → 1969', '01/01/69 00:00', '1969-01-01T00:00:00Z'],
  ['two-digit year 99 → 1999', '12/31/99 23:59:59', '1999-12-31T23:59:59Z'],
  ['US date only', '02/29/2012', '2012-02-29T00:00:00Z'],
  // month names
  ['abbreviated month, PM', 'Mar 12, 2012 7:24:42 PM', '2012-03-12T19:24:42Z'],
  ['full month name', 'September 3, 2011 9:05 AM', '2011-09-03T09:05:00Z'],
  ['Sept', 'Sept 3, 2011 9:05:10 am', '2011-09-03T09:05:10Z'],
  ['abbreviation with a dot', 'Feb. 1, 2013 12:00:01 PM', '2013-02-01T12:00:01Z'],
  ['24-hour time after a month name', 'Dec 24, 2010 18:30', '2010-12-24T18:30:00Z'],
  ['month name, date only', 'January 9, 2014', '2014-01-09T00:00:00Z'],
  ['weekday first', 'Tuesday, March 13, 2012 4:00 PM', '2012-03-13T16:00:00Z'],
  ['RFC 2822 / HTTP date', 'Tue, 13 Mar 2012 16:00:00 GMT', '2012-03-13T16:00:00Z'],
  ['RFC 2822 with an offset', 'Tue, 13 Mar 2012 16:00:00 +0100', '2012-03-13T15:00:00Z'],
  // epoch seconds
  ['epoch number', 1331580282, '2012-03-12T19:24:42Z'],
  ['epoch number with a fraction', 1331580282.987, '2012-03-12T19:24:42Z'],
  ['epoch digit string', '1331580282', '2012-03-12T19:24:42Z'],
  ['epoch zero', 0, '1970-01-01T00:00:00Z'],
  // already a Date
  ['a Date object', new Date('2012-03-12T19:24:42.500Z'), '2012-03-12T19:24:42Z'],
];

const unreadable: ReadonlyArray<readonly [string, unknown]> = [
  ['undefined', undefined],
  ['null', null],
  ['empty', ''],
  ['blank', '   '],
  ['boolean', true],
  ['object', { date: '2012-03-12' }],
  ['prose', 'yesterday'],
  ['month 13', '2012-13-01T00:00:00Z'],
  ['February 30', '2012-02-30T00:00:00Z'],
  ['February 29 of a common year', '2013-02-29'],
  ['hour 24', '2012-03-12T24:00:00Z'],
  ['minute 60', '2012-03-12T10:60:00Z'],
  ['13 PM', '04/02/2010 13:00 PM'],
  ['an unknown month name', 'Foo 12, 2012 7:24 PM'],
  ['offset hour 24', '2012-03-12T10:00:00+24:00'],
  ['NaN', Number.NaN],
  ['Infinity', Number.POSITIVE_INFINITY],
  ['epoch milliseconds (past year 9999)', 1331580282000000],
  ['an invalid Date', new Date('nope')],
  ['trailing garbage', '2012-03-12T19:24:42Z and more'],
];

describe('parseTrackerDate', () => {
  test.each(readable)('%s', (_name, input, iso) => {
    const parsed = parseTrackerDate(input);
    expect(parsed).toEqual({ iso });
  });

  test.each(unreadable)('unreadable: %s', (_name, input) => {
    expect(parseTrackerDate(input)).toBeUndefined();
  });

  test.each([
    ['2012-03-12 10:00:00 PDT', '2012-03-12T10:00:00Z', 'PDT'],
    ['Mar 12, 2012 7:24:42 PM CET', '2012-03-12T19:24:42Z', 'CET'],
    ['04/02/2010 11:25 AM EST', '2010-04-02T11:25:00Z', 'EST'],
  ])('another zone abbreviation is ignored with a warning: %s', (input, iso, zone) => {
    const parsed = parseTrackerDate(input);
    expect(parsed?.iso).toBe(iso);
    expect(parsed?.warning).toContain(zone);
    expect(parsed?.warning).toContain('UTC');
  });

  test('PDT is a zone, not "PM" followed by "DT"', () => {
    expect(parseTrackerDate('04/02/2010 11:25 PDT')?.iso).toBe('2010-04-02T11:25:00Z');
  });

  test('every result has the one output shape', () => {
    for (const [, input] of readable) {
      expect(parseTrackerDate(input)?.iso).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    }
  });
});

describe('formatUtcSeconds', () => {
  test('drops milliseconds without rounding', () => {
    expect(formatUtcSeconds(new Date('2024-05-06T07:08:09.999Z'))).toBe('2024-05-06T07:08:09Z');
  });
  test('writes UTC', () => {
    expect(formatUtcSeconds(new Date(Date.UTC(1999, 11, 31, 23, 59, 59)))).toBe('1999-12-31T23:59:59Z');
  });
});
