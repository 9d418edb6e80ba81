// The shared CSV parser on the shapes Trac and Roundup exports take.
import { describe, expect, test } from 'bun:test';
import { looksLikeHtml, parseCsvRecords, parseCsvRows } from '../../trackers/csv.ts';

describe('parseCsvRows', () => {
  test('LF and CRLF, with and without a final line break', () => {
    expect(parseCsvRows('a,b\n1,2\n')).toEqual([['a', 'b'], ['1', '2']]);
    expect(parseCsvRows('a,b\r\n1,2')).toEqual([['a', 'b'], ['1', '2']]);
  });

  test('a UTF-8 BOM is dropped', () => {
    expect(parseCsvRows('\uFEFFid,summary\r\n7,x\r\n')).toEqual([['id', 'summary'], ['7', 'x']]);
  });

  test('quoted fields keep commas, doubled quotes and CRLF line breaks', () => {
    const text = 'id,description\r\n4298,"First line, with a comma\r\nSecond ""quoted"" line"\r\n5,plain\r\n';
    expect(parseCsvRows(text)).toEqual([
      ['id', 'description'],
      ['4298', 'First line, with a comma\r\nSecond "quoted" line'],
      ['5', 'plain'],
    ]);
  });

  test('empty fields and an empty input', () => {
    expect(parseCsvRows('a,,c\n,,\n')).toEqual([['a', '', 'c'], ['', '', '']]);
    expect(parseCsvRows('')).toEqual([]);
  });
});

describe('parseCsvRecords', () => {
  test('keys by the trimmed header; short rows padded; blank lines skipped', () => {
    const { header, records } = parseCsvRecords('id, title ,status\n1,Crash,open\n\n2,Docs\n');
    expect(header).toEqual(['id', 'title', 'status']);
    expect(records).toEqual([
      { id: '1', title: 'Crash', status: 'open' },
      { id: '2', title: 'Docs', status: '' },
    ]);
  });

  test('non-ASCII text survives', () => {
    expect(parseCsvRecords('reporter\nJosé Müller\n').records[0]?.reporter).toBe('José Müller');
  });
});

test('looksLikeHtml tells a login page from CSV', () => {
  expect(looksLikeHtml('<!DOCTYPE html>\n<html><body>Login</body></html>')).toBe(true);
  expect(looksLikeHtml('  <html>')).toBe(true);
  expect(looksLikeHtml('id,summary\n1,"<b>bold</b>"')).toBe(false);
});
