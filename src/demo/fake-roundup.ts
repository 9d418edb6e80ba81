// A fake Roundup tracker on 127.0.0.1, for `customs demo` and tests: the invented project
// Fernmark (a Markdown-to-man-page converter) with 44 issues under /fernmark/. It answers the
// "Download as CSV" export (`issue?@action=export_csv&@columns=…&@filter=…`, with Roundup's
// filters on status, keyword, component, priority, creator, assignee and date ranges such as
// `activity=2026-05-09;`), each `issueN` page in the layout of Roundup's devel/Python templates
// (fieldsets, `Author: Real Name (login)`, a header line after the itemSynopsis form), and 404 for
// unknown issues. Every answer carries `Last-Modified` and a strong `ETag`; revalidation gets 304.
// The data is fixed: every start serves the very same pages.

import { createHash } from 'node:crypto';
import { type FakeReply as Reply, type FakeRequest, type FakeServer, type FakeServerOptions, revalidated, serveFake } from './fake-server.ts';
import { mulberry32, pick } from './fake-random.ts';

/**
 * `publicUrl` is only named by the demo entry: pages link relatively, as Roundup's do, so they are
 * the same under any origin.
 */
export type FakeRoundupOptions = FakeServerOptions;
export type FakeRoundupRequest = FakeRequest;
export type FakeRoundup = FakeServer;

/** The tracker's path under the origin: Roundup's server names each tracker so. */
export const FAKE_ROUNDUP_PATH = '/fernmark/';

// ------------------------------------------------------------------------------------------------
// Data

interface User {
  readonly id: number;
  readonly login: string;
  /** Roundup shows a real name only when the user gave one. */
  readonly realname: string;
}

interface Message {
  readonly id: number;
  readonly author: User;
  /** ms since the epoch. */
  readonly date: number;
  readonly body: string;
}

interface Issue {
  readonly id: number;
  readonly title: string;
  readonly status: string;
  readonly priority: string;
  readonly keywords: readonly string[];
  readonly components: readonly string[];
  readonly creator: User;
  readonly assignee: User | undefined;
  readonly nosy: readonly User[];
  readonly created: number;
  readonly activity: number;
  readonly actor: User;
  readonly messages: readonly Message[];
  readonly files: readonly { readonly id: number; readonly name: string; readonly author: User; readonly date: number }[];
}

/** Roundup's classic statuses and priorities, in their id order (ids start at 1). */
const STATUSES = ['unread', 'deferred', 'chatting', 'need-eg', 'in-progress', 'testing', 'done-cbb', 'resolved'];
const PRIORITIES = ['critical', 'urgent', 'bug', 'feature', 'wish'];
const KEYWORDS = ['easy', 'patch', 'regression', 'needs-review'];
const COMPONENTS = ['Documentation', 'Parser', 'Renderer', 'CLI', 'Packaging'];

const USERS: readonly User[] = [
  { id: 3, login: 'hbrandt', realname: 'Hanna Brandt' },
  { id: 4, login: 'cokonkwo', realname: 'Chidi Okonkwo' },
  { id: 5, login: 'lmarchetti', realname: 'Lucia Marchetti' },
  { id: 6, login: 'tsuzuki', realname: '' },
  { id: 7, login: 'pvandijk', realname: 'Pieter van Dijk' },
  { id: 8, login: 'ravi.k', realname: 'Ravi Kulkarni' },
  { id: 9, login: 'anna_s', realname: '' },
  { id: 10, login: 'mfolau', realname: 'Mele Folau' },
];
const MAINTAINERS = [USERS[0], USERS[2], USERS[4]].filter((u): u is User => u !== undefined);
const BOT: User = { id: 11, login: 'fern-bot', realname: 'Fernmark Bot' };

/** [title, component] of each issue, in id order. */
const TOPICS: readonly (readonly [string, string])[] = [
  ['fern --width is ignored when stdout is not a terminal', 'CLI'],
  ['Nested lists lose their indentation in .TP blocks', 'Renderer'],
  ['Document the front-matter keys fern reads', 'Documentation'],
  ['Setext headings followed by a table are parsed as paragraphs', 'Parser'],
  ['Backslashes in code spans are dropped', 'Renderer'],
  ['Wheel on PyPI is missing the man page of fern itself', 'Packaging'],
  ['Typo in the "Writing sections" tutorial', 'Documentation'],
  ['fern --check exits 0 when a link target is missing', 'CLI'],
  ['Hard line breaks become .br inside tables', 'Renderer'],
  ['Crash on an empty fenced code block at the end of a file', 'Parser'],
  ['Explain how to install the bash completion', 'Documentation'],
  ['Support the NO_COLOR environment variable', 'CLI'],
  ['Escaped pipes in table cells split the cell', 'Parser'],
  ['Man page date uses the local time zone', 'Renderer'],
  ['Add a man(7) reference section to the docs', 'Documentation'],
  ['Debian package installs the completion into the wrong directory', 'Packaging'],
  ['fern watch leaks a file descriptor per rebuild', 'CLI'],
  ['Reference links with angle brackets are not recognised', 'Parser'],
  ['Em dashes come out as \\(em in the wrong font', 'Renderer'],
  ['README example for --section no longer works', 'Documentation'],
  ['Allow --output to be a directory', 'CLI'],
  ['HTML comments leak into the output', 'Parser'],
  ['Long option names are hyphenated across lines', 'Renderer'],
  ['Changelog entries for 2.x are missing from the docs', 'Documentation'],
  ['Homebrew formula fails to build with Python 3.13', 'Packaging'],
  ['fern --version prints the wrong version in editable installs', 'CLI'],
  ['Definition lists are not supported', 'Parser'],
  ['Code blocks lose trailing blank lines', 'Renderer'],
  ['Clarify which Markdown flavour fern accepts', 'Documentation'],
  ['Exit code 2 is documented but never used', 'CLI'],
  ['Autolinks inside emphasis break the emphasis', 'Parser'],
  ['Tables wider than 80 columns overflow', 'Renderer'],
  ['Add a FAQ entry about groff warnings', 'Documentation'],
  ['sdist includes the test fixtures twice', 'Packaging'],
  ['fern init overwrites an existing fern.toml without asking', 'CLI'],
  ['Tabs in list items are expanded to the wrong width', 'Parser'],
  ['Bold inside headings is rendered twice', 'Renderer'],
  ['Docs search does not find option names', 'Documentation'],
  ['Shell completion does not offer section numbers', 'CLI'],
  ['Footnotes are silently dropped', 'Parser'],
  ['Non-ASCII quotes break .SH headings', 'Renderer'],
  ['Spelling: "seperator" in the configuration guide', 'Documentation'],
  ['Conda recipe pins an old click version', 'Packaging'],
  ['fern --quiet still prints deprecation warnings', 'CLI'],
];

const DATA_START = Date.parse('2025-01-06T09:12:00Z');
const HOUR = 3_600_000;

const REPLIES = [
  'I can reproduce this with the current main branch.',
  'Confirmed on 2.3.1; 2.2 behaves the same.',
  'A patch with a test would be very welcome, the fix should be small.',
  'Could you attach a minimal input file?',
  'This is a duplicate of a report on the old mailing list, but nobody filed it here.',
  'Fixed in the main branch, thanks for the report.',
];

function buildIssues(): Issue[] {
  const rnd = mulberry32(20_250_106);
  let messageId = 1000;
  let fileId = 300;
  return TOPICS.map(([title, component], index): Issue => {
    const id = index + 1;
    const created = DATA_START + index * 5 * 24 * HOUR + Math.floor(rnd() * 20) * HOUR + Math.floor(rnd() * 3600) * 1000;
    const creator = pick(rnd, USERS);
    const resolved = rnd() < 0.3;
    const status = resolved ? 'resolved' : pick(rnd, STATUSES.slice(0, 7));
    const keywords = KEYWORDS.filter((_, k) => rnd() < (k === 0 ? 0.3 : 0.15));
    const components = component === 'Documentation' || rnd() < 0.8 ? [component] : [component, pick(rnd, COMPONENTS)].filter((c, i, all) => all.indexOf(c) === i);
    const assignee = status === 'unread' ? undefined : pick(rnd, MAINTAINERS);
    const messages: Message[] = [
      { id: messageId++, author: creator, date: created, body: `${title}.\n\nSteps: run fern on the attached input; the output differs from the reference guide.` },
    ];
    let at = created;
    const replies = Math.floor(rnd() * 4);
    for (let r = 0; r < replies; r++) {
      at += (2 + Math.floor(rnd() * 70)) * HOUR;
      const author = r === replies - 1 && resolved ? (assignee ?? BOT) : pick(rnd, [...USERS, BOT]);
      messages.push({ id: messageId++, author, date: at, body: resolved && r === replies - 1 ? (REPLIES[5] ?? '') : pick(rnd, REPLIES.slice(0, 5)) });
    }
    const files = keywords.includes('patch') ? [{ id: fileId++, name: `issue${id}.patch`, author: creator, date: created + HOUR }] : [];
    const last = messages[messages.length - 1];
    const nosy = [...new Set([creator, ...(assignee ? [assignee] : []), ...messages.map((m) => m.author)])].sort((a, b) => a.login.localeCompare(b.login));
    return {
      id,
      title,
      status,
      priority: pick(rnd, PRIORITIES),
      keywords,
      components,
      creator,
      assignee,
      nosy,
      created,
      activity: last?.date ?? created,
      actor: last?.author ?? creator,
      messages,
      files,
    };
  });
}

let cachedIssues: readonly Issue[] | undefined;

/** The fixed data set (built once). */
function issues(): readonly Issue[] {
  cachedIssues ??= buildIssues();
  return cachedIssues;
}

// ------------------------------------------------------------------------------------------------
// Formats

/** Roundup's own date form: `2025-01-06.09:12:00`. */
function roundupDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace('T', '.');
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** A column's CSV value, as Roundup's export_csv writes it: names for links, `;` between multilink names. */
function columnValue(issue: Issue, column: string): string {
  switch (column) {
    case 'id':
      return String(issue.id);
    case 'title':
      return issue.title;
    case 'status':
      return issue.status;
    case 'priority':
      return issue.priority;
    case 'keyword':
    case 'keywords':
      return issue.keywords.join(';');
    case 'components':
    case 'component':
      return issue.components.join(';');
    case 'creator':
      return issue.creator.login;
    case 'assignedto':
    case 'assignee':
      return issue.assignee?.login ?? '';
    case 'creation':
      return roundupDate(issue.created);
    case 'activity':
      return roundupDate(issue.activity);
    case 'actor':
      return issue.actor.login;
    case 'nosy':
      return issue.nosy.map((u) => u.login).join(';');
    default:
      return '';
  }
}

// ------------------------------------------------------------------------------------------------
// Searching: Roundup's `@filter` names the properties whose parameters filter the index.

/** `2026-05-09`, `2026-05-09.10:00:00` → ms; undefined when unreadable. */
function readDate(text: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[.T ](\d{2}):(\d{2})(?::(\d{2}))?)?$/.exec(text.trim());
  if (!m) return undefined;
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0));
}

/** A date range `from;to` (either side may be empty) or a single day. */
function inRange(value: number, spec: string): boolean {
  const [fromText = '', toText] = spec.split(';');
  const from = fromText.trim() === '' ? undefined : readDate(fromText);
  if (toText === undefined) {
    // A single day: that whole day.
    return from === undefined || (value >= from && value < from + 24 * HOUR);
  }
  const to = toText.trim() === '' ? undefined : readDate(toText);
  return (from === undefined || value >= from) && (to === undefined || value < to + 24 * HOUR);
}

/** A link filter: ids (`-1` for "not set") or names, comma-separated. */
function linkMatches(values: readonly string[], names: readonly string[], table: readonly string[]): boolean {
  const wanted = values.map((v) => v.trim()).filter((v) => v !== '');
  if (wanted.length === 0) return true;
  return wanted.some((v) => {
    if (v === '-1') return names.length === 0;
    const byId = /^\d+$/.test(v) ? table[Number(v) - 1] : v;
    return byId !== undefined && names.includes(byId);
  });
}

function userMatches(values: readonly string[], user: User | undefined): boolean {
  const wanted = values.map((v) => v.trim()).filter((v) => v !== '');
  if (wanted.length === 0) return true;
  return wanted.some((v) => (v === '-1' ? user === undefined : user !== undefined && (v === user.login || v === String(user.id))));
}

function matches(issue: Issue, property: string, value: string): boolean {
  const list = value.split(',');
  switch (property) {
    case 'status':
      return linkMatches(list, [issue.status], STATUSES);
    case 'priority':
      return linkMatches(list, [issue.priority], PRIORITIES);
    case 'keyword':
    case 'keywords':
      return linkMatches(list, issue.keywords, KEYWORDS);
    case 'component':
    case 'components':
      return linkMatches(list, issue.components, COMPONENTS);
    case 'creator':
      return userMatches(list, issue.creator);
    case 'assignedto':
    case 'assignee':
      return userMatches(list, issue.assignee);
    case 'activity':
      return inRange(issue.activity, value);
    case 'creation':
      return inRange(issue.created, value);
    case 'id':
      return list.some((v) => v.trim() === String(issue.id));
    case 'title':
      return issue.title.toLowerCase().includes(value.toLowerCase());
    default:
      return true;
  }
}

function search(params: URLSearchParams): Issue[] {
  const filters = (params.get('@filter') ?? '').split(',').map((f) => f.trim()).filter((f) => f !== '');
  const found = issues().filter((issue) => filters.every((property) => matches(issue, property, params.get(property) ?? '')));
  const sort = (params.get('@sort') ?? 'id').split(',')[0] ?? 'id';
  const descending = sort.startsWith('-');
  const key = sort.replace(/^[-+]/, '');
  const value = (issue: Issue): string | number => (key === 'activity' ? issue.activity : key === 'creation' ? issue.created : key === 'title' ? issue.title : issue.id);
  return found.sort((a, b) => {
    const [x, y] = [value(a), value(b)];
    const order = x < y ? -1 : x > y ? 1 : a.id - b.id;
    return descending ? -order : order;
  });
}

function exportCsv(params: URLSearchParams): { body: string; lastModified: number } {
  const columns = (params.get('@columns') ?? 'id,title').split(',').map((c) => c.trim()).filter((c) => c !== '');
  const found = search(params);
  // Python's csv module ends every line with CRLF.
  const lines = [columns.map(csvField).join(','), ...found.map((issue) => columns.map((c) => csvField(columnValue(issue, c))).join(','))];
  const lastModified = Math.max(DATA_START, ...found.map((i) => i.activity));
  return { body: `${lines.join('\r\n')}\r\n`, lastModified };
}

// ------------------------------------------------------------------------------------------------
// Pages

function page(title: string, content: string): string {
  return `<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml" xml:lang="en" lang="en">
<head>
<title>${escapeHtml(title)} - Fernmark tracker</title>
<link rel="stylesheet" type="text/css" href="@@file/style.css" />
<meta http-equiv="Content-Type" content="text/html; charset=utf-8" />
</head>
<body>
<div id="utility-menu">
 <form name="searchform" method="get" action="issue" id="searchform">
  <input type="hidden" name="@columns" value="id,activity,title,creator,assignedto,status" />
  <input type="hidden" name="@sort" value="-activity" />
  <input type="hidden" name="@filter" value="status" />
  <input type="hidden" name="status" value="-1,1,2,3,4,5,6,7" />
  <input class="input-text" id="search-text" name="@search_text" size="10" />
  <input type="submit" value="search in open issues" />
 </form>
</div>
<div id="content">
${content}
</div>
<div id="footer"><a href="https://www.roundup-tracker.org/" title="Powered by the Roundup Issue Tracker">powered by Roundup</a></div>
</body>
</html>
`;
}

function userHtml(user: User): string {
  return user.realname === '' ? escapeHtml(user.login) : `${escapeHtml(user.realname)} (${escapeHtml(user.login)})`;
}

function issuePage(issue: Issue): string {
  const th = (anchor: string, label: string): string => `<th><a href="https://docs.fernmark.example/triage.html#${anchor}" target="_blank">${label}</a>:</th>`;
  const messages = issue.messages
    .map(
      (m) => `  <tr>
    <th>
     <a href="#msg${m.id}" id="msg${m.id}">msg${m.id}</a> - <a
    href="msg${m.id}">(view)</a></th>
   <th>Author: ${userHtml(m.author)}${MAINTAINERS.includes(m.author) ? ' <span title="Contributor form received">*</span>' : ''}</th>
   <th>Date: ${roundupDate(m.date)}</th>
  </tr>
  <tr>
   <td colspan="4" class="content">
    <pre>${escapeHtml(m.body)}</pre>
   </td>
  </tr>`,
    )
    .join('\n');
  const files =
    issue.files.length === 0
      ? ''
      : `<table class="files">
 <tr><th colspan="4" class="header">Files</th></tr>
 <tr>
  <th>File name</th>
  <th>Uploaded</th>
  <th>Description</th>
  <th>Edit</th>
 </tr>
${issue.files
  .map(
    (f) => ` <tr>
  <td>
   <a href="file${f.id}/${escapeHtml(f.name)}">${escapeHtml(f.name)}</a>
  </td>
  <td>
   <span>${escapeHtml(f.author.login)}</span>,
   <span>${roundupDate(f.date)}</span>
  </td>
  <td></td>
  <td></td>
 </tr>`,
  )
  .join('\n')}
</table>
`;
  const content = `<div id="breadcrumb">Issue${issue.id}</div>
<div>
<form method="post" name="itemSynopsis" onsubmit="return submit_once()" enctype="multipart/form-data" action="issue${issue.id}">
<fieldset><legend>classification</legend>
<table class="form">
<tr>
 <th class="required">Title:</th>
 <td colspan="3">
  <span>${escapeHtml(issue.title)}</span>
  <input type="hidden" name="title" value="${escapeHtml(issue.title)}">
 </td>
</tr>
<tr>
 ${th('components', 'Components')}
 <td>${escapeHtml(issue.components.join(', '))}</td>
 ${th('priority', 'Priority')}
 <td>${issue.priority}</td>
</tr>
</table>
</fieldset>
<fieldset><legend>process</legend>
<table class="form">
<tr>
 ${th('status', 'Status')}
 <td>${issue.status}</td>
 ${th('superseder', 'Superseder')}
 <td>
 </td>
</tr>
<tr>
 ${th('assigned-to', 'Assigned To')}
 <td>
  ${issue.assignee === undefined ? '' : escapeHtml(issue.assignee.login)}
 </td>
 ${th('nosy-list', 'Nosy List')}
 <td>
  ${issue.nosy.map((u) => escapeHtml(u.login)).join(', ')}
 </td>
</tr>
<tr>
 ${th('keywords', 'Keywords')}
 <td>${escapeHtml(issue.keywords.join(', '))}</td>
</tr>
</table>
</fieldset>
</form>

<p>Created on <b>${roundupDate(issue.created)}</b> by <b>${escapeHtml(issue.creator.login)}</b>, last changed <b>${roundupDate(issue.activity)}</b> by <b>${escapeHtml(issue.actor.login)}</b>.</p>

${files}<table class="messages">
 <tr><th colspan="4" class="header">Messages (${issue.messages.length})</th></tr>
${messages}
</table>

<table class="history"><tr><th colspan="4" class="header">History</th></tr>
<tr><th>Date</th><th>User</th><th>Action</th><th>Args</th></tr>
${[...issue.messages]
  .reverse()
  .map((m, i, all) => `<tr><td>${roundupDate(m.date)}</td><td>${escapeHtml(m.author.login)}</td><td>${i === all.length - 1 ? 'create' : 'set'}</td><td>${i === all.length - 1 ? '' : `messages: + <a href="msg${m.id}">msg${m.id}</a>`}</td></tr>`)
  .join('\n')}
</table>
</div>`;
  return page(`Issue ${issue.id}: ${issue.title}`, content);
}

function indexPage(found: readonly Issue[]): string {
  const rows = found
    .map((i) => `<tr><td>${i.id}</td><td>${roundupDate(i.activity)}</td><td><a href="issue${i.id}">${escapeHtml(i.title)}</a></td><td>${escapeHtml(i.creator.login)}</td><td>${i.status}</td></tr>`)
    .join('\n');
  return page('List of issues', `<table class="list">\n<tr><th>ID</th><th>Activity</th><th>Title</th><th>Creator</th><th>Status</th></tr>\n${rows}\n</table>`);
}

function notFoundPage(what: string): string {
  return page('Not found', `<p class="error-message">Not found: ${escapeHtml(what)}</p>`);
}

// ------------------------------------------------------------------------------------------------
// The server

const HTML = 'text/html; charset=utf-8';

function route(url: URL): Reply {
  const path = url.pathname;
  if (!path.startsWith(FAKE_ROUNDUP_PATH)) return { status: 404, body: 'Not found\n', contentType: 'text/plain; charset=utf-8' };
  const rest = path.slice(FAKE_ROUNDUP_PATH.length);
  if (rest === '' || rest === 'index') {
    return { status: 200, body: indexPage(search(new URLSearchParams('@filter=status&status=-1,1,2,3,4,5,6,7&@sort=-activity'))), contentType: HTML, lastModified: DATA_START };
  }
  if (rest === 'issue') {
    const params = url.searchParams;
    if ((params.get('@action') ?? '').startsWith('export_csv')) {
      const { body, lastModified } = exportCsv(params);
      return { status: 200, body, contentType: 'text/csv; charset=utf-8', lastModified, headers: { 'content-disposition': 'attachment;filename=issue.csv' } };
    }
    const found = search(params);
    return { status: 200, body: indexPage(found), contentType: HTML, lastModified: Math.max(DATA_START, ...found.map((i) => i.activity)) };
  }
  const m = /^issue(\d+)$/.exec(rest);
  const issue = m ? issues().find((i) => i.id === Number(m[1])) : undefined;
  if (issue !== undefined) return { status: 200, body: issuePage(issue), contentType: HTML, lastModified: issue.activity };
  return { status: 404, body: notFoundPage(rest), contentType: HTML };
}

function answer(req: Request, reply: Reply): Response {
  const headers = new Headers({ server: 'roundup-server (customs demo)', 'cache-control': 'no-cache', 'content-type': reply.contentType, ...(reply.headers ?? {}) });
  if (reply.status !== 200 || reply.lastModified === undefined) return new Response(reply.body, { status: reply.status, headers });
  const etag = `"${createHash('sha256').update(reply.body).digest('hex').slice(0, 32)}"`;
  return revalidated(req, reply.body, headers, etag, reply.lastModified);
}

export function startFakeRoundup(options: FakeRoundupOptions = {}): FakeRoundup {
  return serveFake('fake Roundup', options, (req, url) =>
    req.method === 'GET' || req.method === 'HEAD' ? answer(req, route(url)) : new Response('Method not allowed\n', { status: 405 }),
  );
}

// ------------------------------------------------------------------------------------------------
// The demo's tracker entry

/** A resolved issue (left out by the demo query, refreshed as a known bug) and an id that does not exist. */
export function demoKnownIssues(): { readonly resolved: number; readonly missing: number } {
  const all = issues();
  const resolved = all.find((i) => i.status === 'resolved')?.id ?? 1;
  return { resolved, missing: all.length + 7 };
}

/**
 * The demo's Roundup entry as YAML lines: a list item indented two spaces, to go under
 * `trackers:`. It imports every unresolved issue through the CSV export, refreshes one resolved
 * issue and one that does not exist (a `_deleted` record), and marks `easy` issues bite-sized and
 * the Documentation component as documentation.
 */
export function demoRoundupEntry(origin: string): string {
  const base = `${origin.replace(/\/+$/, '')}${FAKE_ROUNDUP_PATH}`;
  const { resolved, missing } = demoKnownIssues();
  const query = `${base}issue?@action=export_csv&@columns=id,activity,title,creator,status&@sort=-activity&@filter=status&status=-1,1,2,3,4,5,6,7`;
  return [
    '  - tracker_name: Fernmark',
    '    bugimporter: roundup',
    `    base_url: ${base}`,
    '    queries:',
    `      - ${JSON.stringify(query)}`,
    '    existing_bug_urls:',
    `      - ${base}issue${resolved}`,
    `      - ${base}issue${missing}`,
    '    closed_status: resolved, done-cbb',
    '    bitesized_field: Keywords',
    '    bitesized_text: easy',
    '    documentation_field: Components',
    '    documentation_text: Documentation',
  ].join('\n');
}
