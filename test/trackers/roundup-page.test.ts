// The Roundup issue-page reader on our own fixtures, one per layout seen on real servers: the
// Python tracker's (fieldsets, Stage, `<strong>` header, authors with real names and badges),
// the same closed (a fifth bold "closed", a files table), and the classic template Mercurial ran
// (`<b>` header after an `<hr>`, `YYYY-MM-DD.HH:MM:SS` dates, bare logins, labels without colons).
import { describe, expect, test } from 'bun:test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fieldKey, fieldMap, fieldValue, parseIssuePage, readAuthor } from '../../trackers/roundup-page.ts';

const fixture = (name: string): string => readFileSync(join(import.meta.dir, '../fixtures/roundup', name), 'utf8');

describe('field keys', () => {
  test.each([
    ['Status:', 'Status'],
    ['\n  Dependencies:\n  \n ', 'Dependencies'],
    ['Keywords', 'Keywords'],
    // A message header cell keeps everything before its last colon, as oh-bugimporters did.
    ['Date: 2007-12-03 16:34', 'Date: 2007-12-03 16'],
    ['Author: Ben Hayden (benjhayden)', 'Author'],
    ['msg58131 - (view)', 'msg58131 - (view)'],
  ])('%j → %j', (text, key) => {
    expect(fieldKey(text)).toBe(key);
  });
});

describe('author cells', () => {
  test.each([
    ['Author: Maria Okafor (mokafor)', 'mokafor', 'Maria Okafor', 'Maria Okafor (mokafor)'],
    // Badges after the login are ignored (a "*" span and an image with alt text in parentheses).
    ['Author: Tomasz Wierzbicki (tomasz.w) * ', 'tomasz.w', 'Tomasz Wierzbicki', 'Tomasz Wierzbicki (tomasz.w)'],
    ['Author:   kdutta', 'kdutta', '', 'kdutta'],
    ['Author: (anon)', 'anon', '', '(anon)'],
  ])('%j', (cell, login, realname, text) => {
    expect(readAuthor(cell)).toEqual({ author: { login, realname }, text });
  });

  test('cells that are not author cells, or name nobody', () => {
    expect(readAuthor('Date: 2010-06-21.16:05:42')).toBeUndefined();
    expect(readAuthor('Author:')).toEqual({ author: undefined, text: '' });
  });
});

describe('page layouts', () => {
  test('Python tracker, open, with a Stage: link labels, a commented Nosy List label, badges', () => {
    const page = parseIssuePage(fixture('python-open-stage.html'));
    expect(page.header).toEqual({ created: '2013-05-14 09:41', creator: 'mokafor', changed: '2013-06-02 17:05', changer: 'tomasz.w' });
    expect(fieldValue(page.fields, 'Title')).toBe('fern.render() drops a trailing backslash in code spans');
    expect(fieldValue(page.fields, 'status')).toBe('open');
    expect(fieldValue(page.fields, 'Stage')).toBe('needs patch');
    expect(fieldValue(page.fields, 'Components')).toBe('Documentation, Renderer');
    expect(fieldValue(page.fields, 'Nosy List')).toBe('docs@fernmark, mokafor, tomasz.w');
    expect(fieldValue(page.fields, 'Keywords')).toBe('easy');
    expect(fieldValue(page.fields, 'Priority')).toBe('normal');
    expect(page.messages.map((m) => m.author)).toEqual([
      { login: 'mokafor', realname: 'Maria Okafor' },
      { login: 'tomasz.w', realname: 'Tomasz Wierzbicki' },
    ]);
    // The body is read as markup: entities decoded, link texts kept, tags gone.
    const first = page.messages[0];
    expect(first?.text.startsWith('A code span ending in a backslash loses it:\n\n>>> fern.render(')).toBe(true);
    expect(first?.text).toContain("'<code>C:</code>'");
    expect(first?.text.endsWith('see\nhttps://docs.fernmark.example/syntax.html#code')).toBe(true);
    expect(first?.html.startsWith('<pre>A code span')).toBe(true);
    expect(first?.html).toContain('<a href="https://docs.fernmark.example/syntax.html#code">');
    expect(page.files).toEqual([]);
  });

  test('Python tracker, closed: the fifth bold text ("closed") is ignored; files are read', () => {
    const page = parseIssuePage(fixture('python-closed.html'));
    expect(page.header).toEqual({ created: '2014-02-19 01:01', creator: 'jlindqvist', changed: '2014-03-17 06:31', changer: 'fern-bot' });
    expect(fieldValue(page.fields, 'Title')).toBe('test_watch_folder() fails on "ARMv7 Debian 2.x"');
    expect(fieldValue(page.fields, 'Status')).toBe('closed');
    expect(fieldValue(page.fields, 'Priority')).toBe('');
    expect(page.files).toEqual([{ url: 'file3415/watch_folder_inotify.patch', author: 'jlindqvist' }]);
    expect(page.messages.map((m) => m.author?.login)).toEqual(['jlindqvist', 'fern-bot', 'mokafor', 'fern-bot']);
    expect(page.messages.map((m) => m.authorText)).toEqual([
      'Jonas Lindqvist (jlindqvist)',
      'Fernmark Robot (fern-bot)',
      'Maria Okafor (mokafor)',
      'Fernmark Robot (fern-bot)',
    ]);
  });

  test('classic template (Mercurial): <hr> before the header, dotted dates, bare logins, no colons', () => {
    const page = parseIssuePage(fixture('classic-resolved.html'));
    expect(page.header).toEqual({ created: '2010-06-21.16:05:42', creator: 'kdutta', changed: '2010-07-02.08:11:09', changer: 'rjansen' });
    expect(fieldValue(page.fields, 'Title')).toBe('hg log --follow loses renames across merges');
    expect(fieldValue(page.fields, 'Status')).toBe('resolved');
    expect(fieldValue(page.fields, 'Priority')).toBe('bug');
    expect(fieldValue(page.fields, 'topics')).toBe('bitesized, log');
    expect(page.messages.map((m) => m.author)).toEqual([
      { login: 'kdutta', realname: '' },
      { login: 'wfeld', realname: '' },
      { login: 'rjansen', realname: '' },
    ]);
    expect(page.files).toEqual([{ url: 'file1187/follow-merge.t', author: 'kdutta' }]);
  });

  test('a page without a messages table', () => {
    const page = parseIssuePage(fixture('classic-no-messages.html'));
    expect(page.hasMessages).toBe(false);
    expect(page.messages).toEqual([]);
    expect(page.header?.created).toBe('2010-07-05.10:00');
    expect(fieldValue(page.fields, 'Priority')).toBeUndefined();
  });

  test('a login page has no header line', () => {
    const page = parseIssuePage(fixture('login-required.html'));
    expect(page.header).toBeUndefined();
    expect(fieldValue(page.fields, 'Login')).toBe('');
  });

  test('anything else never throws', () => {
    for (const body of ['', 'id,title\n1,x\n', '{"message": "Not Found"}', '<html><body><form name="itemSynopsis"></form><p>Created on <b>x</b></p>']) {
      const page = parseIssuePage(body);
      expect(page.header).toBeUndefined();
    }
  });

  test('CRLF pages give LF texts', () => {
    const page = parseIssuePage(fixture('classic-resolved.html').replace(/\n/g, '\r\n'));
    expect(page.messages[0]?.text).toBe('After merging a branch where a.txt was renamed to b.txt,\nhg log --follow b.txt stops at the merge.\n\nThe attached test reproduces it.');
    expect(page.messages[0]?.html).not.toContain('\r');
  });

  test('a header paragraph elsewhere than right after the form is still found', () => {
    const html = fixture('classic-resolved.html').replace('</form>\n<hr>', '</form>\n<div class="notice">Please log in to edit.</div>\n<hr>');
    expect(parseIssuePage(html).header?.creator).toBe('kdutta');
  });
});

describe('the field map', () => {
  test('every th with a following sibling, later keys replacing earlier ones', () => {
    const page = parseIssuePage(fixture('python-closed.html'));
    const map = fieldMap(page.fields);
    expect(map.Status).toBe('closed');
    expect(map['Nosy List']).toBe('fern-bot, jlindqvist, mokafor');
    // Message header cells and the history table end up in the map too (oh-bugimporters' shape).
    expect(map['msg41579 - (view)']).toBe('Author: Jonas Lindqvist (jlindqvist) *');
    expect(map.Author).toBe('Date: 2014-03-17 06:31');
    expect(map.Date).toBe('User');
    expect(map['File name']).toBe('Uploaded');
    // "Files" and "Messages (4)" head their tables alone: no sibling, no key.
    expect(Object.keys(map)).not.toContain('Files');
    expect(Object.keys(map)).not.toContain('Messages (4)');
  });

  test('lookups ignore case; the last th of a name wins', () => {
    const fields = [
      { key: 'Priority', value: 'low' },
      { key: 'priority', value: 'high' },
    ];
    expect(fieldValue(fields, 'PRIORITY')).toBe('high');
    expect(fieldMap(fields)).toEqual({ Priority: 'low', priority: 'high' });
  });
});
