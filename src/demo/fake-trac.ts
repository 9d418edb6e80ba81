// A fake Trac 1.4 on 127.0.0.1, for `customs demo` and tests. It serves an invented project,
// "Quillmate" (a wiki-text editor), with ~60 deterministic tickets the way Trac does: the query
// CSV export (`/query?…&format=csv`, Trac's filter syntax), each ticket's CSV export
// (`/ticket/N?format=csv`, UTF-8 BOM, CRLF, quoted multi-line descriptions) and its HTML page
// (Trac 1.4 layout: `.date` timeline links, the properties table, the change history and the
// hidden draft preview). Answers carry weak ETags and Last-Modified and turn into 304s on
// revalidation. A deleted ticket answers 404.

import { createHash } from 'node:crypto';
import { type FakeReply as Reply, type FakeRequest, type FakeServer, type FakeServerOptions, revalidated, serveFake } from './fake-server.ts';
import { mulberry32, pick } from './fake-random.ts';

export type FakeTracOptions = FakeServerOptions;
export type FakeTracRequest = FakeRequest;
/** The fake's `url` and `publicUrl`, its request log and stop(); Trac's base URL is `<url>/`. */
export type FakeTrac = FakeServer;

// ------------------------------------------------------------------------------------------------
// The project's data

export interface FakeTracChange {
  /** `YYYY-MM-DDTHH:MM:SSZ` */
  readonly time: string;
  readonly author: string;
  /** Field → [old, new]. */
  readonly fields: Readonly<Record<string, readonly [string, string]>>;
  readonly comment: string;
}

export interface FakeTracTicket {
  readonly id: number;
  readonly summary: string;
  readonly reporter: string;
  readonly owner: string;
  /** Wiki text with `\r\n` line ends, as Trac stores what browsers post. */
  readonly description: string;
  readonly type: string;
  readonly status: string;
  readonly priority: string;
  readonly milestone: string;
  readonly component: string;
  readonly version: string;
  readonly resolution: string;
  readonly keywords: string;
  /** Comma-separated, as Trac shows it. */
  readonly cc: string;
  readonly time: string;
  readonly changetime: string;
  readonly changes: readonly FakeTracChange[];
}

/** Ticket numbers that existed once and were deleted by an admin: they answer 404. */
export const DEMO_TRAC_DELETED: readonly number[] = [23];
const TICKET_COUNT = 64;
/** "Now" for the pages' "… ago" texts, fixed so that bodies (and ETags) never change. */
const RENDERED_AT = Date.parse('2026-01-15T12:00:00Z');

const PEOPLE = ['ada.lind', 'bo', 'chidi', 'dagny', 'emeka', 'fenna', 'gus', 'hiroko', 'ines', 'jürgen', 'kaito', 'lotte', 'mateus', 'nell', 'oskar'];
const MAINTAINERS = ['dagny', 'kaito', 'lotte', 'mateus'];

const COMPONENTS: Readonly<Record<string, { readonly templates: readonly string[]; readonly subjects: readonly string[] }>> = {
  editor: {
    templates: ['Undo forgets the cursor position after %s', 'Cursor jumps to the end when pasting %s', 'Add a keyboard shortcut for %s'],
    subjects: ['a table', 'a long link', 'a code block', 'an image', 'a heading'],
  },
  rendering: {
    templates: ['%s render twice in the preview', 'Nested lists inside %s indent wrongly', '%s lose their anchors'],
    subjects: ['Footnotes', 'Definition lists', 'Tables with merged cells', 'Math blocks', 'Quotes'],
  },
  export: {
    templates: ['PDF export drops %s', 'EPUB export fails on %s', 'HTML export ignores %s'],
    subjects: ['page breaks', 'custom fonts', 'the table of contents', 'image captions'],
  },
  plugins: {
    templates: ['Plugin loader crashes on %s', 'Expose %s to plugins'],
    subjects: ['a missing manifest', 'the selection API', 'theme colours', 'a non-ASCII plugin name'],
  },
  documentation: {
    templates: ['Document %s', 'Broken link in the guide to %s', 'Explain %s in the user guide'],
    subjects: ['the export options', 'keyboard shortcuts', 'the plugin API', 'themes', 'footnote syntax'],
  },
  website: {
    templates: ['Download page lists %s', 'Website search misses %s'],
    subjects: ['old releases first', 'the nightly builds', 'pages of the guide'],
  },
};
const COMPONENT_NAMES = Object.keys(COMPONENTS);
const PRIORITIES = ['blocker', 'critical', 'major', 'major', 'minor', 'minor', 'minor', 'trivial'];
const TYPES = ['defect', 'defect', 'defect', 'enhancement', 'enhancement', 'task'];
const MILESTONES = ['0.9', '1.0', '1.1', ''];
const VERSIONS = ['0.8', '0.9', '1.0'];
const RESOLUTIONS = ['fixed', 'fixed', 'fixed', 'wontfix', 'duplicate', 'worksforme', 'invalid'];
const COMMENTS = [
  'Confirmed here with the latest nightly build.',
  "I had a look: the problem is in the block parser, it treats the line as a paragraph.",
  'Would a patch with a test be welcome? I can try this weekend.',
  'Same on Windows 11, see the attached screenshot.',
  'This is a good first ticket: the fix is one function in `render/blocks.py`.',
  "Could you attach the page that shows it? I can't reproduce it with a simple example.",
  'Patch attached, with a test.',
];

function isoSeconds(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19)}Z`;
}

function describeTicket(rnd: () => number, type: string, summary: string): string {
  const lines =
    type === 'defect'
      ? [
          `${summary}.`,
          '',
          'Steps to reproduce:',
          ' 1. Open a new page.',
          ` 2. Type the text below and press "Preview".`,
          '',
          '{{{',
          '= Title =',
          'Some text[[FootNote(a note, with a comma)]]',
          '}}}',
          '',
          "Expected: the preview looks like the saved page. Actual: it doesn't.",
        ]
      : [`${summary}.`, '', 'Noticed while writing the user guide; the "Comparison" wiki page shows how other editors behave.'];
  if (rnd() < 0.3) lines.push('', 'Found while writing the 1.0 release notes.');
  return lines.join('\r\n');
}

/** The demo project: ~60 tickets, some `easy`, some in `documentation`; the same every time. */
export function demoTracTickets(seed = 1): FakeTracTicket[] {
  const rnd = mulberry32(seed);
  const used = new Set<string>();
  const tickets: FakeTracTicket[] = [];
  let clock = Date.parse('2024-09-02T09:00:00Z');
  for (let id = 1; id <= TICKET_COUNT; id++) {
    clock += Math.floor((3 + rnd() * 230) * 3600 * 1000);
    if (DEMO_TRAC_DELETED.includes(id)) continue;
    const component = id % 7 === 3 ? 'documentation' : pick(rnd, COMPONENT_NAMES);
    const spec = COMPONENTS[component] ?? { templates: ['%s'], subjects: ['Something'] };
    let summary = '';
    for (let tries = 0; tries < 20 && (summary === '' || used.has(summary)); tries++) {
      summary = pick(rnd, spec.templates).replace('%s', pick(rnd, spec.subjects));
      summary = summary.charAt(0).toUpperCase() + summary.slice(1);
    }
    if (used.has(summary)) summary = `${summary} (again)`;
    used.add(summary);

    const type = component === 'documentation' ? 'task' : pick(rnd, TYPES);
    const reporter = pick(rnd, PEOPLE);
    const created = clock;
    const roll = rnd();
    const status = roll < 0.3 ? 'closed' : roll < 0.45 ? 'assigned' : roll < 0.52 ? 'accepted' : roll < 0.57 ? 'reopened' : 'new';
    const owner = status === 'new' && rnd() < 0.6 ? '' : pick(rnd, MAINTAINERS);
    const keywordRoll = rnd();
    const keywords =
      keywordRoll < 0.22 ? 'easy' : keywordRoll < 0.3 ? 'easy, ui' : keywordRoll < 0.36 ? 'regression' : keywordRoll < 0.4 ? 'needinfo' : '';
    const ccPeople = [...new Set([pick(rnd, PEOPLE), pick(rnd, PEOPLE)])].slice(0, Math.floor(rnd() * 3));

    // The history leads to the ticket's present state.
    const changes: FakeTracChange[] = [];
    let at = created;
    const later = (): string => {
      at += Math.floor((1 + rnd() * 96) * 3600 * 1000);
      return isoSeconds(at);
    };
    if (rnd() < 0.6) changes.push({ time: later(), author: pick(rnd, PEOPLE), fields: {}, comment: pick(rnd, COMMENTS) });
    if (ccPeople.length > 0) {
      const who = ccPeople[0] ?? 'bo';
      changes.push({ time: later(), author: who, fields: { cc: ['', ccPeople.join(', ')] }, comment: '' });
    }
    if (status !== 'new') {
      changes.push({ time: later(), author: owner, fields: { owner: ['', owner], status: ['new', 'assigned'] }, comment: 'I will take this one.' });
    }
    let resolution = '';
    if (status === 'closed' || status === 'reopened') {
      resolution = pick(rnd, RESOLUTIONS);
      changes.push({ time: later(), author: owner, fields: { status: ['assigned', 'closed'], resolution: ['', resolution] }, comment: resolution === 'fixed' ? 'Fixed in [4711]. Thanks for the report!' : `Closing as ${resolution}.` });
      if (status === 'reopened') {
        changes.push({ time: later(), author: reporter, fields: { status: ['closed', 'reopened'], resolution: [resolution, ''] }, comment: 'Still happens with 1.0, reopening.' });
        resolution = '';
      }
    }
    if (rnd() < 0.3) changes.push({ time: later(), author: pick(rnd, PEOPLE), fields: {}, comment: pick(rnd, COMMENTS) });

    tickets.push({
      id,
      summary,
      reporter,
      owner,
      description: describeTicket(rnd, type, summary),
      type,
      status,
      priority: pick(rnd, PRIORITIES),
      milestone: status === 'closed' ? '0.9' : pick(rnd, MILESTONES),
      component,
      version: pick(rnd, VERSIONS),
      resolution,
      keywords,
      cc: ccPeople.join(', '),
      time: isoSeconds(created),
      changetime: changes.at(-1)?.time ?? isoSeconds(created),
      changes,
    });
  }
  return tickets;
}

// ------------------------------------------------------------------------------------------------
// Queries (Trac's syntax: `status=!closed`, `keywords=~easy`, `status=new|assigned`, repeated
// parameters OR-ed, `changetime=2025-01-01..`, `col=`, `order=`, `desc=1`, `max=`, `page=`)

type FieldName = Exclude<keyof FakeTracTicket, 'changes'>;
const FIELDS: readonly FieldName[] = ['id', 'summary', 'reporter', 'owner', 'description', 'type', 'status', 'priority', 'milestone', 'component', 'version', 'resolution', 'keywords', 'cc', 'time', 'changetime'];
/** The columns of a ticket's CSV export, in Trac's order. */
const TICKET_CSV_COLUMNS: readonly FieldName[] = ['id', 'summary', 'reporter', 'owner', 'description', 'type', 'status', 'priority', 'milestone', 'component', 'version', 'resolution', 'keywords', 'cc'];
const DEFAULT_QUERY_COLUMNS: readonly FieldName[] = ['id', 'summary', 'status', 'owner', 'type', 'priority', 'milestone'];
const PRIORITY_ORDER = ['blocker', 'critical', 'major', 'minor', 'trivial'];
const QUERY_CONTROL = new Set(['format', 'col', 'order', 'desc', 'max', 'page', 'report', 'group', 'row', 'verbose']);

function isField(name: string): name is FieldName {
  return (FIELDS as readonly string[]).includes(name);
}

function valueOf(ticket: FakeTracTicket, field: FieldName): string {
  return field === 'id' ? String(ticket.id) : ticket[field];
}

/** A value as Trac's CSV writes it: dates in ISO 8601 with `+00:00`. */
function csvValue(ticket: FakeTracTicket, field: FieldName): string {
  const value = valueOf(ticket, field);
  return field === 'time' || field === 'changetime' ? value.replace(/Z$/, '+00:00') : value;
}

/** One `field=value` constraint: `!x` not, `~x` contains, `^x` starts, `$x` ends, `a|b` either, `A..B` dates. */
function matches(ticket: FakeTracTicket, field: FieldName, raw: string): boolean {
  const value = valueOf(ticket, field);
  if ((field === 'time' || field === 'changetime') && raw.includes('..')) {
    const [from = '', to = ''] = raw.split('..');
    const at = Date.parse(value);
    const start = from === '' ? -Infinity : Date.parse(from);
    const end = to === '' ? Infinity : Date.parse(to) + (to.length <= 10 ? 24 * 3600 * 1000 : 0);
    return !Number.isNaN(start) && !Number.isNaN(end) && at >= start && at < end;
  }
  const negate = raw.startsWith('!');
  const body = negate ? raw.slice(1) : raw;
  const op = /^[~^$]/.test(body) ? body.charAt(0) : '=';
  const wanted = (op === '=' ? body : body.slice(1)).split('|');
  const hit = wanted.some((w) => {
    if (op === '~') return value.toLowerCase().includes(w.toLowerCase());
    if (op === '^') return value.startsWith(w);
    if (op === '$') return value.endsWith(w);
    return value === w;
  });
  return negate ? !hit : hit;
}

interface QueryResult {
  readonly tickets: FakeTracTicket[];
  readonly columns: FieldName[];
}

function runQuery(all: readonly FakeTracTicket[], params: URLSearchParams): QueryResult | string {
  const constraints = new Map<FieldName, string[]>();
  for (const [name, value] of params) {
    if (QUERY_CONTROL.has(name)) continue;
    if (!isField(name)) return `Invalid query: unknown field "${name}"`;
    constraints.set(name, [...(constraints.get(name) ?? []), value]);
  }
  let tickets = all.filter((t) => [...constraints].every(([field, values]) => values.some((v) => matches(t, field, v))));
  const order = params.get('order') ?? 'priority';
  if (!isField(order)) return `Invalid query: unknown order "${order}"`;
  const key = (t: FakeTracTicket): string | number =>
    order === 'id' ? t.id : order === 'priority' ? PRIORITY_ORDER.indexOf(t.priority) : valueOf(t, order);
  tickets = [...tickets].sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    return (ka < kb ? -1 : ka > kb ? 1 : 0) || a.id - b.id;
  });
  if (params.get('desc') === '1') tickets.reverse();
  // Trac pages its exports too (old versions): max=0 means every row.
  const max = Number(params.get('max') ?? '100');
  const page = Math.max(1, Number(params.get('page') ?? '1') || 1);
  if (Number.isInteger(max) && max > 0) tickets = tickets.slice((page - 1) * max, page * max);
  const cols = params.getAll('col').filter(isField);
  const columns = cols.length > 0 ? [...new Set<FieldName>(['id', ...cols])] : [...DEFAULT_QUERY_COLUMNS];
  return { tickets, columns };
}

// ------------------------------------------------------------------------------------------------
// Rendering

/** Trac's CSV: UTF-8 BOM, CRLF rows, fields quoted only when needed. */
function csvText(columns: readonly string[], rows: readonly (readonly string[])[]): string {
  const field = (v: string): string => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  return `\uFEFF${[columns, ...rows].map((r) => r.map(field).join(',')).join('\r\n')}\r\n`;
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Trac 1.4 (Babel, en_US, server zone UTC): `Mar 1, 2025, 12:00:00 PM`. */
function babelDate(iso: string): string {
  const d = new Date(iso);
  const h = d.getUTCHours();
  const two = (n: number): string => String(n).padStart(2, '0');
  return `${MONTHS[d.getUTCMonth()] ?? ''} ${d.getUTCDate()}, ${d.getUTCFullYear()}, ${h % 12 === 0 ? 12 : h % 12}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} ${h < 12 ? 'AM' : 'PM'}`;
}

/** Trac's pretty_timedelta: `3 weeks`, `1 year`. */
function ago(iso: string): string {
  const seconds = Math.max(0, (RENDERED_AT - Date.parse(iso)) / 1000);
  const units: [number, string][] = [[365 * 86400, 'year'], [30 * 86400, 'month'], [7 * 86400, 'week'], [86400, 'day'], [3600, 'hour'], [60, 'minute']];
  for (const [size, unit] of units) {
    const r = seconds / size;
    if (r >= 1.9) return `${Math.round(r)} ${unit}s`;
  }
  for (const [size, unit] of units) if (seconds >= size) return `1 ${unit}`;
  return `${Math.round(seconds)} seconds`;
}

function timelineLink(iso: string): string {
  const from = encodeURIComponent(iso.replace('Z', '+00:00'));
  return `<a class="timeline" href="/timeline?from=${from}&amp;precision=second" title="See timeline at ${babelDate(iso)}">${ago(iso)} ago</a>`;
}

/** A little of Trac's wiki formatting: paragraphs and `{{{ }}}` blocks. */
function wikiHtml(text: string): string {
  const parts: string[] = [];
  const blocks = text.replace(/\r\n?/g, '\n').split(/\{\{\{\n?|\n?\}\}\}/);
  blocks.forEach((block, i) => {
    if (i % 2 === 1) parts.push(`<pre class="wiki">${escapeHtml(block)}</pre>`);
    else for (const p of block.split(/\n{2,}/)) if (p.trim() !== '') parts.push(`<p>\n${escapeHtml(p.trim()).replace(/\n/g, '<br />\n')}\n</p>`);
  });
  return parts.join('\n');
}

function queryLink(field: string, value: string): string {
  return `<a href="/query?status=!closed&amp;${field}=${encodeURIComponent(value)}">${escapeHtml(value)}</a>`;
}

const FIELD_LABELS: Readonly<Record<string, string>> = { owner: 'Owner', status: 'Status', resolution: 'Resolution', cc: 'Cc', keywords: 'Keywords' };

function changeHtml(change: FakeTracChange, index: number): string {
  const fields = Object.entries(change.fields)
    .map(([name, [from, to]]) => {
      const label = FIELD_LABELS[name] ?? name;
      const what = from === '' ? `set to <em>${escapeHtml(to)}</em>` : to === '' ? `<em>${escapeHtml(from)}</em> deleted` : `changed from <em>${escapeHtml(from)}</em> to <em>${escapeHtml(to)}</em>`;
      return `    <li class="trac-field-${name}">\n      <strong class="trac-field-${name}">${label}</strong>\n        ${what}\n    </li>`;
    })
    .join('');
  const n = index + 1;
  return `              <div class="change" id="trac-change-${n}-${Date.parse(change.time)}000">
  <h3 class="change">
    <span class="threading">
      <span id="comment:${n}" class="cnum">
    <a href="#comment:${n}">comment:${n}</a>
  </span>
    </span>
        Changed ${timelineLink(change.time)} by <span class="trac-author">${escapeHtml(change.author)}</span>
  </h3>
${fields === '' ? '' : `  <ul class="changes">\n${fields}\n  </ul>\n`}${change.comment === '' ? '' : `    <div class="comment searchable">\n      ${wikiHtml(change.comment)}\n    </div>\n`}              </div>`;
}

function pageHead(title: string, origin: string, extra = ''): string {
  return `<!DOCTYPE html>
<html lang="en-US">
  <head>
    <meta charset="utf-8" />
    <title>${escapeHtml(title)} – Quillmate</title>
    <link rel="start" href="${origin}/wiki" />
    <link rel="search" href="${origin}/search" />
    <link rel="help" href="${origin}/wiki/TracGuide" />${extra}
    <link rel="icon" href="/chrome/common/trac.ico" type="image/x-icon" />
  </head>
  <body>
    <div id="banner"><div id="header"><a id="logo" href="${origin}/"><img src="/chrome/site/quillmate.png" alt="Quillmate" /></a></div></div>
    <div id="mainnav" class="nav">
      <ul><li class="first"><a href="/wiki">Wiki</a></li><li><a href="/timeline">Timeline</a></li><li><a href="/roadmap">Roadmap</a></li><li class="active"><a href="/report">View Tickets</a></li><li class="last"><a href="/search">Search</a></li></ul>
    </div>
    <div id="main">`;
}

const PAGE_FOOT = `
    </div>
    <div id="footer" lang="en" xml:lang="en"><hr />
      <a id="tracpowered" href="https://trac.edgewall.org/"><img src="/chrome/common/trac_logo_mini.png" height="30" width="107" alt="Trac Powered" /></a>
      <p class="left">Powered by <a href="/about"><strong>Trac 1.4.4</strong></a><br />
        By <a href="http://www.edgewall.org/">Edgewall Software</a>.</p>
      <p class="right">Quillmate: write, preview, export.</p>
    </div>
  </body>
</html>
`;

function ticketPage(t: FakeTracTicket, origin: string): string {
  const person = (name: string): string => (name === '' ? '' : `<span class="trac-author">${escapeHtml(name)}</span>`);
  const row = (a: [string, string, string], b: [string, string, string]): string =>
    `    <tr>\n${[a, b].map(([id, label, html]) => `        <th id="h_${id}"${html === '' ? ' class="missing"' : ''}>\n          ${label}:\n        </th>\n        <td headers="h_${id}"${id === 'keywords' || id === 'cc' ? ' class="searchable"' : ''}>\n              ${html}\n        </td>`).join('\n')}\n    </tr>`;
  const keywords = t.keywords
    .split(/[,\s]+/)
    .filter((k) => k !== '')
    .map((k) => `<a href="/query?status=!closed&amp;keywords=~${encodeURIComponent(k)}">${escapeHtml(k)}</a>`)
    .join(' ');
  const modified = t.changes.length > 0 ? `\n    <p>Last modified ${timelineLink(t.changetime)}</p>` : '';
  const resolution =
    t.resolution === ''
      ? ''
      : `\n    <span class="trac-resolution">\n      (<a href="/query?status=${encodeURIComponent(t.status)}&amp;resolution=${encodeURIComponent(t.resolution)}">${escapeHtml(t.resolution)}</a>)\n    </span>`;
  return `${pageHead(`#${t.id} (${t.summary})`, origin, `\n    <link rel="alternate" href="/ticket/${t.id}?format=csv" type="text/csv" class="csv" title="Comma-delimited Text" />`)}
    <div id="content" class="ticket">
      <div id="ticket" class="trac-content">
  <div class="date">
    <p>Opened ${timelineLink(t.time)}</p>${modified}
  </div>
  <h2>
    <a href="/ticket/${t.id}" class="trac-id">#${t.id}</a>
    <span class="trac-status">
      <a href="/query?status=${encodeURIComponent(t.status)}">${escapeHtml(t.status)}</a>
    </span>
    <span class="trac-type">
      <a href="/query?status=!closed&amp;type=${encodeURIComponent(t.type)}">${escapeHtml(t.type)}</a>
    </span>${resolution}
  </h2>
  <h1 id="trac-ticket-title" class="searchable">
    <span class="summary">${escapeHtml(t.summary)}</span>
  </h1>
  <table class="properties">
${row(['reporter', 'Reported by', person(t.reporter)], ['owner', 'Owned by', person(t.owner)])}
${row(['priority', 'Priority', queryLink('priority', t.priority)], ['milestone', 'Milestone', t.milestone === '' ? '' : `<a class="milestone" href="/milestone/${t.milestone}">${t.milestone}</a>`])}
${row(['component', 'Component', queryLink('component', t.component)], ['version', 'Version', queryLink('version', t.version)])}
${row(['keywords', 'Keywords', keywords], ['cc', 'Cc', escapeHtml(t.cc)])}
  </table>
  <div class="description">
    <h3 class="foldable">Description</h3>
    <div class="searchable">
      ${wikiHtml(t.description)}
    </div>
  </div>
      </div>
      <div class="trac-nav"><a href="#attachments">Attachments</a> <a href="#trac-add-comment">Add comment</a></div>
      <div id="attachments">
        <h3 class="foldable">Attachments <span class="trac-count">(0)</span></h3>
      </div>
      <div>
        <h3 class="foldable">Change History <span class="trac-count">(${t.changes.length})</span></h3>
        <div id="changelog">
${t.changes.map(changeHtml).join('\n')}
        </div>
      </div>
      <form action="/ticket/${t.id}#trac-add-comment" method="post" id="propertyform">
        <h3 class="foldable">Modify Ticket</h3>
        <fieldset id="properties">
          <legend>Change Properties</legend>
          <table><tr><th><label for="field-summary">Summary:</label></th><td><input type="text" id="field-summary" name="field_summary" value="${escapeHtml(t.summary)}" /></td></tr></table>
        </fieldset>
        <div id="ticketchange" class="ticketdraft" style="display: none">
  <h3 class="change">
    <span class="threading">
    </span>
        Changed by anonymous
    <span class="trac-loading"></span>
  </h3>
        </div>
        <div class="buttons"><input type="submit" name="preview" value="Preview" /> <input type="submit" name="submit" value="Submit changes" /></div>
      </form>
      <div id="help"><strong>Note:</strong> See <a href="/wiki/TracTickets">TracTickets</a> for help on using tickets.</div>
    </div>
    <div id="altlinks"><h3>Download in other formats:</h3><ul><li class="first last"><a rel="nofollow" href="/ticket/${t.id}?format=csv">Comma-delimited Text</a></li></ul></div>${PAGE_FOOT}`;
}

function queryPage(result: QueryResult, search: string, origin: string): string {
  const rows = result.tickets
    .map((t) => `        <tr class="${t.id % 2 === 0 ? 'even' : 'odd'} prio${PRIORITY_ORDER.indexOf(t.priority) + 1}">\n${result.columns.map((c) => `          <td class="${c}">${c === 'id' || c === 'summary' ? `<a href="/ticket/${t.id}">${c === 'id' ? `#${t.id}` : escapeHtml(t.summary)}</a>` : escapeHtml(valueOf(t, c))}</td>`).join('\n')}\n        </tr>`)
    .join('\n');
  const csvLink = `/query?${search}${search === '' ? '' : '&amp;'}format=csv`;
  return `${pageHead('Custom Query', origin, `\n    <link rel="alternate" href="${csvLink}" type="text/csv" class="csv" title="Comma-delimited Text" />`)}
    <div id="content" class="query">
      <h1>Custom Query <span class="numrows">(${result.tickets.length} matches)</span></h1>
      <table class="listing tickets">
        <thead><tr>${result.columns.map((c) => `<th class="${c}">${c}</th>`).join('')}</tr></thead>
        <tbody>
${rows}
        </tbody>
      </table>
    </div>
    <div id="altlinks"><h3>Download in other formats:</h3><ul><li class="first last"><a rel="nofollow" href="${csvLink}">Comma-delimited Text</a></li></ul></div>${PAGE_FOOT}`;
}

function errorPage(status: number, title: string, message: string, origin: string): string {
  return `${pageHead(`Error: ${title}`, origin)}
    <div id="content" class="error">
      <h1>Error: ${escapeHtml(title)}</h1>
      <div id="content" class="error"><p class="message">${escapeHtml(message)}</p></div>
      <p>HTTP ${status}</p>
    </div>${PAGE_FOOT}`;
}

// ------------------------------------------------------------------------------------------------
// The server

const HTML = 'text/html;charset=utf-8';
const CSV = 'text/csv;charset=utf-8';

/** A lone-standing weak ETag, as Trac sends: `W/"…"`. */
function weakEtag(body: string): string {
  return `W/"${createHash('sha1').update(body).digest('hex')}"`;
}

export function startFakeTrac(options: FakeTracOptions = {}): FakeTrac {
  const tickets = new Map(demoTracTickets().map((t) => [t.id, t]));
  let origin = '';

  function route(url: URL): Reply {
    const path = url.pathname.replace(/\/+$/, '') || '/';
    const format = url.searchParams.get('format');
    if (path === '/query') {
      const result = runQuery([...tickets.values()], url.searchParams);
      if (typeof result === 'string') return { status: 400, body: errorPage(400, 'Invalid query', result, origin), contentType: HTML };
      const lastModified = Math.max(0, ...result.tickets.map((t) => Date.parse(t.changetime)));
      if (format === 'csv') {
        const rows = result.tickets.map((t) => result.columns.map((c) => csvValue(t, c)));
        return { status: 200, body: csvText(result.columns, rows), contentType: CSV, headers: { 'content-disposition': 'attachment; filename=query.csv' }, lastModified };
      }
      const search = [...url.searchParams].filter(([k]) => k !== 'format').map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&amp;');
      return { status: 200, body: queryPage(result, search, origin), contentType: HTML, lastModified };
    }
    const m = /^\/ticket\/(\d+)$/.exec(path);
    if (m) {
      const id = Number(m[1]);
      const ticket = tickets.get(id);
      if (ticket === undefined) {
        return { status: 404, body: errorPage(404, 'Invalid ticket number', `Ticket ${id} does not exist.`, origin), contentType: HTML };
      }
      const lastModified = Date.parse(ticket.changetime);
      if (format === 'csv') {
        const row = TICKET_CSV_COLUMNS.map((c) => csvValue(ticket, c));
        return { status: 200, body: csvText(TICKET_CSV_COLUMNS, [row]), contentType: CSV, headers: { 'content-disposition': `attachment; filename=ticket-${id}.csv` }, lastModified };
      }
      return { status: 200, body: ticketPage(ticket, origin), contentType: HTML, lastModified };
    }
    if (path === '/' || path === '/wiki' || path === '/wiki/WikiStart') {
      return { status: 200, body: `${pageHead('WikiStart', origin)}\n    <div id="content" class="wiki"><h1>Welcome to Quillmate</h1><p>See <a href="/report">View Tickets</a>.</p></div>${PAGE_FOOT}`, contentType: HTML };
    }
    return { status: 404, body: errorPage(404, 'Not Found', `No handler matched request to ${url.pathname}`, origin), contentType: HTML };
  }

  function handle(req: Request, url: URL): Response {
    const reply = route(url);
    const headers = new Headers({ server: 'tracd/1.4.4 Python/3.11', 'content-type': reply.contentType, ...(reply.headers ?? {}) });
    if (reply.status !== 200) return new Response(reply.body, { status: reply.status, headers });
    // What Trac sends: revalidate every time, answer 304 when nothing changed.
    headers.set('cache-control', 'must-revalidate');
    headers.set('expires', 'Fri, 01 Jan 1999 00:00:00 GMT');
    return revalidated(req, reply.body, headers, weakEtag(reply.body), reply.lastModified);
  }

  const server = serveFake('fake Trac', options, handle);
  origin = server.publicUrl;
  return server;
}

// ------------------------------------------------------------------------------------------------
// The demo's tracker entry

/**
 * The demo's Trac entry as YAML lines (no trailing newline): a list item indented two spaces, to
 * go under `trackers:`. Two queries (easy tickets with their dates; open documentation tickets),
 * a closed ticket known from an earlier run, and a deleted one that becomes `_deleted`.
 */
export function demoTracEntry(origin: string): string {
  const root = origin.replace(/\/+$/, '');
  const closed = demoTracTickets().find((t) => t.status === 'closed' && !t.keywords.includes('easy'))?.id ?? 1;
  const quote = (text: string): string => JSON.stringify(text);
  return [
    '  - tracker_name: Quillmate',
    '    bugimporter: trac',
    `    base_url: ${quote(`${root}/`)}`,
    '    queries:',
    `      - ${quote(`${root}/query?status=!closed&keywords=~easy&col=id&col=summary&col=status&col=time&col=changetime&order=id`)}`,
    `      - ${quote(`${root}/query?status=!closed&component=documentation&order=id`)}`,
    '    existing_bug_urls:',
    `      - ${quote(`${root}/ticket/${closed}`)}`,
    ...DEMO_TRAC_DELETED.map((id) => `      - ${quote(`${root}/ticket/${id}`)}`),
    '    bitesized_type: keywords',
    '    bitesized_text: easy',
    '    documentation_type: component',
    '    documentation_text: documentation',
    `    bug_project_name_format: ${quote('{tracker_name} ({component})')}`,
  ].join('\n');
}
