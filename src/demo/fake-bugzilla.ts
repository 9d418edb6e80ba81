// A fake Bugzilla 5.0 on 127.0.0.1, for `customs demo` and tests. It serves an invented project,
// "Tessel" (a vector drawing editor, plus its website), with 60 deterministic bugs the way
// Bugzilla does: buglist.cgi as an HTML page (rows and the XML-export form) or as CSV
// (`ctype=csv`, limit/offset), show_bug.cgi?ctype=xml batches (`<bug error="NotFound">` for ids
// it does not have), and the REST API (`rest/bug` searches with limit/offset and include_fields,
// single bugs, comments). Answers carry strong ETags and Last-Modified and turn into 304s on
// revalidation.

import { createHash } from 'node:crypto';
import { type FakeReply as Reply, type FakeRequest, type FakeServer, type FakeServerOptions, revalidated, serveFake } from './fake-server.ts';
import { mulberry32, pick } from './fake-random.ts';

export type FakeBugzillaOptions = FakeServerOptions;
export type FakeBugzillaRequest = FakeRequest;
/** The fake's `url` and `publicUrl`, its request log and stop(); Bugzilla's base URL is `<url>/`. */
export type FakeBugzilla = FakeServer;

// ------------------------------------------------------------------------------------------------
// The project's data

export interface FakeBugzillaComment {
  readonly who: string;
  /** Real name; `""` for users who never set one (Bugzilla then writes `<who name="">`). */
  readonly whoName: string;
  /** `YYYY-MM-DDTHH:MM:SSZ` */
  readonly when: string;
  readonly text: string;
}

export interface FakeBugzillaBug {
  readonly id: number;
  readonly summary: string;
  readonly product: string;
  readonly component: string;
  readonly version: string;
  readonly status: string;
  /** `""` while the bug is open. */
  readonly resolution: string;
  readonly severity: string;
  readonly priority: string;
  readonly keywords: readonly string[];
  readonly whiteboard: string;
  readonly reporter: string;
  readonly assignee: string;
  /** `YYYY-MM-DDTHH:MM:SSZ` */
  readonly created: string;
  readonly changed: string;
  /** The first one is the description. */
  readonly comments: readonly FakeBugzillaComment[];
}

/** Ids the demo lists as known bugs but the server no longer has: they become `_deleted`. */
export const DEMO_BUGZILLA_DELETED: readonly number[] = [2061];

const FIRST_ID = 2001;
const BUG_COUNT = 60;
const DATA_START = Date.parse('2021-02-01T09:00:00Z');
const DATA_END = Date.parse('2026-10-30T17:45:00Z');
const DAY = 86_400_000;
/** The server's zone, written into XML dates as Bugzilla does: `2021-02-01 02:00:00 -0700`. */
const SERVER_OFFSET_MINUTES = -7 * 60;
const VERSION = '5.0.4';

const PEOPLE: readonly { readonly login: string; readonly name: string }[] = [
  { login: 'mira@tessel.example', name: 'Mira Castellanos' },
  { login: 'jonas@tessel.example', name: 'Jonas Lindqvist' },
  { login: 'priya.r@tessel.example', name: 'Priya Raman' },
  { login: 'okafor@tessel.example', name: 'Chidi Okafor' },
  { login: 'lea.dubois@tessel.example', name: 'Léa Dubois' },
  { login: 'tkato@tessel.example', name: 'Takeshi Kato' },
  // Users who never set a real name: `<who name="">`.
  { login: 'pixelpusher@mailbox.example', name: '' },
  { login: 'drafter42@mailbox.example', name: '' },
];
const NOBODY = { login: 'nobody@tessel.example', name: 'Nobody; OK to take it and work on it' };

const COMPONENTS: Readonly<Record<string, readonly string[]>> = {
  Canvas: ['Zooming past 3200% leaves ghost handles', 'Snap to grid ignores rotated guides', 'Rulers drift after resizing the window', 'Selection box flickers on HiDPI screens'],
  Tools: ['Pen tool: double-click should close the path', 'Text tool loses kerning on undo', 'Gradient tool cannot pick colours from other layers', 'Add a keyboard shortcut for the eyedropper'],
  'File formats': ['SVG import drops <use> elements', 'Crash opening a PDF with an empty page', 'Embedded fonts missing after "Save a copy"', 'EPS export writes a wrong bounding box'],
  Export: ['PNG export ignores the chosen DPI', 'Batch export names files "Untitled"', 'WebP export option is greyed out'],
  Preferences: ['Theme setting is not saved on Windows', 'Reset to defaults keeps custom palettes'],
  Documentation: ['Guide: explain boolean path operations', 'Tutorial screenshots show the old toolbar', 'Document the command-line export options', 'FAQ link points to a 404 page', 'Explain how "Snap to pixel" rounds coordinates'],
  Translations: ['German: "Ebene" is used for both layer and level', 'Brazilian Portuguese strings overflow the Export dialog'],
};
const WEBSITE_COMPONENTS: Readonly<Record<string, readonly string[]>> = {
  Content: ['Download page lists the 1.x installers first', 'Release notes for 3.2 are missing'],
  Documentation: ['Website docs search returns no results for "clip"', 'Getting-started page still mentions the old plugin API'],
};

const SEVERITIES = ['blocker', 'critical', 'major', 'normal', 'normal', 'normal', 'minor', 'trivial', 'enhancement'];
const PRIORITIES = ['P1', 'P2', 'P3', 'P3', 'P4', 'P5'];
const OPEN_STATUSES = ['UNCONFIRMED', 'NEW', 'NEW', 'ASSIGNED', 'REOPENED'];
const CLOSED_STATUSES = ['RESOLVED', 'RESOLVED', 'VERIFIED'];
const RESOLUTIONS = ['FIXED', 'FIXED', 'FIXED', 'WONTFIX', 'DUPLICATE', 'WORKSFORME'];
const VERSIONS = ['2.4', '3.0', '3.1', '3.2', 'unspecified'];
const REPLIES = [
  'Confirmed on {version} here as well.',
  'This looks like a good first bug: the code is in src/{area}. Happy to mentor.',
  'I can take this one.',
  'Patch attached, please review.',
  'Still happens after the last nightly.',
  'Could you attach a sample file?',
];

function isoSeconds(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19)}Z`;
}

/** The demo's 60 bugs, ids 2001–2060, the same on every call. */
export function demoBugzillaBugs(seed = 7): FakeBugzillaBug[] {
  const next = mulberry32(seed);
  const titles = [
    ...Object.entries(COMPONENTS).flatMap(([component, list]) => list.map((summary) => ({ product: 'Tessel', component, summary }))),
    ...Object.entries(WEBSITE_COMPONENTS).flatMap(([component, list]) => list.map((summary) => ({ product: 'Tessel Website', component, summary }))),
  ];
  const bugs: FakeBugzillaBug[] = [];
  const span = (DATA_END - DATA_START) * 0.85;
  for (let i = 0; i < BUG_COUNT; i++) {
    const id = FIRST_ID + i;
    const base = titles[i % titles.length] ?? { product: 'Tessel', component: 'Canvas', summary: 'Canvas bug' };
    const summary = i < titles.length ? base.summary : `${base.summary} (again in ${pick(next, VERSIONS)})`;
    const created = DATA_START + Math.floor((span * i) / BUG_COUNT) + Math.floor(next() * DAY);
    const closed = next() < 0.3;
    const easy = base.component === 'Documentation' ? next() < 0.5 : next() < 0.2;
    const reporter = pick(next, PEOPLE);
    const version = pick(next, VERSIONS);
    const comments: FakeBugzillaComment[] = [
      {
        who: reporter.login,
        whoName: reporter.name,
        when: isoSeconds(created),
        text: i % 13 === 5 ? '' : `${summary}.\n\nSteps to reproduce:\n1. Open any drawing in Tessel ${version}.\n2. Use the ${base.component.toLowerCase()} feature.\n\nActual: it goes wrong.\nExpected: it works.`,
      },
    ];
    let when = created;
    const replies = Math.floor(next() * 5);
    for (let r = 0; r < replies; r++) {
      when = Math.min(DATA_END - DAY, when + Math.floor(next() * 40 * DAY) + 3_600_000);
      const who = pick(next, PEOPLE);
      const text = pick(next, REPLIES).replace('{version}', version).replace('{area}', base.component.toLowerCase().replace(/\s+/g, '-'));
      comments.push({ who: who.login, whoName: who.name, when: isoSeconds(when), text });
    }
    const changed = Math.min(DATA_END, when + Math.floor(next() * 10 * DAY));
    const assignee = next() < 0.4 ? pick(next, PEOPLE.slice(0, 6)) : NOBODY;
    const keywords = [...(easy ? ['easy'] : []), ...(next() < 0.2 ? ['regression'] : []), ...(next() < 0.15 ? ['ux'] : [])];
    bugs.push({
      id,
      summary,
      product: base.product,
      component: base.component,
      version,
      status: closed ? pick(next, CLOSED_STATUSES) : assignee === NOBODY ? pick(next, OPEN_STATUSES.filter((s) => s !== 'ASSIGNED')) : 'ASSIGNED',
      resolution: closed ? pick(next, RESOLUTIONS) : '',
      severity: pick(next, SEVERITIES),
      priority: pick(next, PRIORITIES),
      keywords,
      whiteboard: easy && next() < 0.5 ? '[good first bug][lang=en]' : '',
      reporter: reporter.login,
      assignee: assignee.login,
      created: isoSeconds(created),
      changed: isoSeconds(changed),
      comments,
    });
  }
  return bugs;
}

function personName(login: string): string {
  return [...PEOPLE, NOBODY].find((p) => p.login === login)?.name ?? '';
}

function isOpen(bug: FakeBugzillaBug): boolean {
  return bug.resolution === '';
}

// ------------------------------------------------------------------------------------------------
// Rendering

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

/** `2021-02-01T09:00:00Z` → `2021-02-01 02:00:00 -0700`, Bugzilla's XML date in the server zone. */
function serverTime(iso: string, withZone = true): string {
  const local = new Date(Date.parse(iso) + SERVER_OFFSET_MINUTES * 60_000).toISOString();
  const sign = SERVER_OFFSET_MINUTES < 0 ? '-' : '+';
  const abs = Math.abs(SERVER_OFFSET_MINUTES);
  const zone = `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}${String(abs % 60).padStart(2, '0')}`;
  return `${local.slice(0, 10)} ${local.slice(11, 19)}${withZone ? ` ${zone}` : ''}`;
}

function bugXml(bug: FakeBugzillaBug): string {
  const comments = bug.comments
    .map(
      (c, count) => `
          <long_desc isprivate="0">
            <commentid>${bug.id * 100 + count}</commentid>
            <comment_count>${count}</comment_count>
            <who name="${escapeXml(c.whoName)}">${escapeXml(c.who)}</who>
            <bug_when>${serverTime(c.when)}</bug_when>
            <thetext>${escapeXml(c.text)}</thetext>
          </long_desc>`,
    )
    .join('');
  return `
    <bug>
          <bug_id>${bug.id}</bug_id>
          
          <creation_ts>${serverTime(bug.created)}</creation_ts>
          <short_desc>${escapeXml(bug.summary)}</short_desc>
          <delta_ts>${serverTime(bug.changed)}</delta_ts>
          <reporter_accessible>1</reporter_accessible>
          <cclist_accessible>1</cclist_accessible>
          <classification_id>1</classification_id>
          <classification>Unclassified</classification>
          <product>${escapeXml(bug.product)}</product>
          <component>${escapeXml(bug.component)}</component>
          <version>${escapeXml(bug.version)}</version>
          <rep_platform>All</rep_platform>
          <op_sys>All</op_sys>
          <bug_status>${bug.status}</bug_status>
          <resolution>${bug.resolution}</resolution>
          
          
          <bug_file_loc></bug_file_loc>
          <status_whiteboard>${escapeXml(bug.whiteboard)}</status_whiteboard>
          <keywords>${escapeXml(bug.keywords.join(', '))}</keywords>
          <priority>${bug.priority}</priority>
          <bug_severity>${bug.severity}</bug_severity>
          <target_milestone>---</target_milestone>
          
          
          <everconfirmed>${bug.status === 'UNCONFIRMED' ? 0 : 1}</everconfirmed>
          <reporter name="${escapeXml(personName(bug.reporter))}">${escapeXml(bug.reporter)}</reporter>
          <assigned_to name="${escapeXml(personName(bug.assignee))}">${escapeXml(bug.assignee)}</assigned_to>
${comments}
      
    </bug>`;
}

function bugzillaXml(body: string, origin: string): string {
  return `<?xml version="1.0" encoding="UTF-8" standalone="yes" ?>
<!DOCTYPE bugzilla SYSTEM "${origin}/page.cgi?id=bugzilla.dtd">

<bugzilla version="${VERSION}"
          urlbase="${origin}/"
          
          maintainer="bugmaster@tessel.example"
>
${body}

</bugzilla>
`;
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function pageHead(title: string, origin: string): string {
  return `<!DOCTYPE html>
<html lang="en">
  <head>
    <title>${escapeHtml(title)}</title>
    <meta http-equiv="Content-Type" content="text/html; charset=UTF-8">
    <link href="${origin}/skins/standard/global.css" rel="stylesheet" type="text/css">
  </head>
  <body class="bugzilla-tessel-example yui-skin-sam">
    <div id="header">
      <div id="banner"></div>
      <div id="titles"><span id="title">Tessel Bugzilla – ${escapeHtml(title)}</span></div>
      <ul class="links">
        <li><a href="./">Home</a></li>
        <li class="form">
          <form action="buglist.cgi" method="get" onsubmit="if (this.quicksearch.value == '') { return false; } return true;">
            <input class="txt" type="text" id="quicksearch_top" name="quicksearch" title="Quick Search">
            <input class="btn" type="submit" value="Search" id="find_top">
          </form>
        </li>
      </ul>
    </div>
    <div id="bugzilla-body">
`;
}

const PAGE_FOOT = `
    </div>
    <div id="footer"><div class="intro"></div></div>
  </body>
</html>
`;

function buglistHtml(bugs: readonly FakeBugzillaBug[], origin: string): string {
  if (bugs.length === 0) {
    return `${pageHead('Bug List', origin)}      <span class="bz_result_count"><span class="zero_results">Zarro Boogs found.</span></span>${PAGE_FOOT}`;
  }
  const rows = bugs
    .map(
      (bug, i) => `
  <tr id="b${bug.id}" class="bz_bugitem
             bz_${bug.severity}             bz_${bug.priority}             bz_${bug.status}                          bz_row_${i % 2 === 0 ? 'odd' : 'even'}             ">
    <td class="first-child bz_id_column">
      <a href="show_bug.cgi?id=${bug.id}">${bug.id}</a>
      <span style="display: none"></span>
    </td>
    <td style="white-space: nowrap" class="bz_product_column"><span title="${escapeHtml(bug.product)}">${escapeHtml(bug.product)}</span></td>
    <td style="white-space: nowrap" class="bz_component_column"><span title="${escapeHtml(bug.component)}">${escapeHtml(bug.component)}</span></td>
    <td style="white-space: nowrap" class="bz_assigned_to_column"><span title="${escapeHtml(bug.assignee)}">${escapeHtml(bug.assignee.split('@')[0] ?? '')}</span></td>
    <td style="white-space: nowrap" class="bz_bug_status_column"><span title="${bug.status}">${bug.status.slice(0, 4)}</span></td>
    <td style="white-space: nowrap" class="bz_resolution_column"><span title="${bug.resolution || '---'}">${bug.resolution.slice(0, 4) || '---'}</span></td>
    <td class="bz_short_desc_column"><a href="show_bug.cgi?id=${bug.id}">${escapeHtml(bug.summary)}</a></td>
  </tr>`,
    )
    .join('\n');
  const ids = bugs.map((bug) => `            <input type="hidden" name="id" value="${bug.id}">`).join('\n');
  return `${pageHead('Bug List', origin)}      <span class="bz_result_count">${bugs.length} bug${bugs.length === 1 ? '' : 's'} found.</span>
<table class="bz_buglist" cellspacing="0" cellpadding="4" width="100%">
    <tr class="bz_buglist_header bz_first_buglist_header">
      <th colspan="1" class="first-child"><a href="buglist.cgi?order=bug_id%20DESC">ID</a></th>
      <th colspan="1"><a href="buglist.cgi?order=product">Product</a></th>
      <th colspan="1"><a href="buglist.cgi?order=component">Comp</a></th>
      <th colspan="1"><a href="buglist.cgi?order=assigned_to">Assignee</a></th>
      <th colspan="1"><a href="buglist.cgi?order=bug_status">Status</a></th>
      <th colspan="1"><a href="buglist.cgi?order=resolution">Resolution</a></th>
      <th colspan="1"><a href="buglist.cgi?order=short_desc">Summary</a></th>
    </tr>
${rows}
</table>
<table>
  <tr>
      <td valign="middle" class="bz_query_buttons">
        <form method="post" action="show_bug.cgi">
${ids}
          <input type="hidden" name="format" value="multiple">
          <input type="submit" id="long_format" value="Long Format">
        </form>
        <form method="post" action="show_bug.cgi">
            <input type="hidden" name="ctype" value="xml">
${ids}
            <input type="hidden" name="excludefield" value="attachmentdata">
            <input type="submit" value="XML" id="xml">
        </form>
      </td>
  </tr>
</table>${PAGE_FOOT}`;
}

function csvField(value: string): string {
  return `"${value.replace(/"/g, '""')}"`;
}

const CSV_COLUMNS = ['bug_id', 'product', 'component', 'assigned_to', 'bug_status', 'resolution', 'short_desc', 'changeddate'];

function buglistCsv(bugs: readonly FakeBugzillaBug[]): string {
  const rows = bugs.map((bug) =>
    [
      String(bug.id),
      csvField(bug.product),
      csvField(bug.component),
      csvField(bug.assignee),
      csvField(bug.status),
      csvField(bug.resolution || '---'),
      csvField(bug.summary),
      csvField(serverTime(bug.changed, false)),
    ].join(','),
  );
  return [CSV_COLUMNS.map(csvField).join(','), ...rows].join('\n');
}

function bugPage(bug: FakeBugzillaBug, origin: string): string {
  const comments = bug.comments
    .map(
      (c, n) => `      <div class="bz_comment${n === 0 ? ' bz_first_comment' : ''}" id="c${n}">
        <div class="bz_comment_head"><span class="bz_comment_number"><a href="show_bug.cgi?id=${bug.id}#c${n}">Comment ${n}</a></span>
          <span class="bz_comment_user"><span class="vcard"><span class="fn">${escapeHtml(c.whoName || c.who)}</span></span></span>
          <span class="bz_comment_time">${serverTime(c.when)}</span></div>
        <pre class="bz_comment_text">${escapeHtml(c.text)}</pre>
      </div>`,
    )
    .join('\n');
  return `${pageHead(`Bug ${bug.id} – ${bug.summary}`, origin)}      <div class="bz_alias_short_desc_container edit_form">
        <a href="show_bug.cgi?id=${bug.id}"><b>Bug&nbsp;${bug.id}</b></a> - <span id="short_desc_nonedit_display">${escapeHtml(bug.summary)}</span>
      </div>
      <table class="edit_form"><tr><th>Status:</th><td id="bz_field_status">${bug.status} ${bug.resolution}</td></tr>
        <tr><th>Product:</th><td>${escapeHtml(bug.product)}</td></tr><tr><th>Component:</th><td>${escapeHtml(bug.component)}</td></tr>
        <tr><th>Keywords:</th><td>${escapeHtml(bug.keywords.join(', '))}</td></tr></table>
${comments}${PAGE_FOOT}`;
}

function errorPage(title: string, message: string, origin: string): string {
  return `${pageHead(title, origin)}      <div id="error_msg" class="throw_error">${escapeHtml(message)}</div>${PAGE_FOOT}`;
}

// ------------------------------------------------------------------------------------------------
// REST shapes (Bugzilla 5.0, as bugzilla.mozilla.org answers)

function userDetail(login: string, n: number): Record<string, unknown> {
  return { email: login, id: 1000 + n, name: login, real_name: personName(login) };
}

function restBug(bug: FakeBugzillaBug): Record<string, unknown> {
  const loginIndex = (login: string): number => [...PEOPLE, NOBODY].findIndex((p) => p.login === login);
  return {
    alias: null,
    assigned_to: bug.assignee,
    assigned_to_detail: userDetail(bug.assignee, loginIndex(bug.assignee)),
    blocks: [],
    cc: [],
    classification: 'Unclassified',
    component: bug.component,
    creation_time: bug.created,
    creator: bug.reporter,
    creator_detail: userDetail(bug.reporter, loginIndex(bug.reporter)),
    depends_on: [],
    dupe_of: null,
    flags: [],
    groups: [],
    id: bug.id,
    is_cc_accessible: true,
    is_confirmed: bug.status !== 'UNCONFIRMED',
    is_creator_accessible: true,
    is_open: isOpen(bug),
    keywords: [...bug.keywords],
    last_change_time: bug.changed,
    op_sys: 'All',
    platform: 'All',
    priority: bug.priority,
    product: bug.product,
    qa_contact: '',
    resolution: bug.resolution,
    see_also: [],
    severity: bug.severity,
    status: bug.status,
    summary: bug.summary,
    target_milestone: '---',
    url: '',
    version: bug.version,
    whiteboard: bug.whiteboard,
  };
}

function restComments(bug: FakeBugzillaBug): Record<string, unknown>[] {
  return bug.comments.map((c, count) => ({
    attachment_id: null,
    bug_id: bug.id,
    count,
    creation_time: c.when,
    creator: c.who,
    id: bug.id * 100 + count,
    is_private: false,
    raw_text: c.text,
    tags: [],
    text: c.text,
    time: c.when,
  }));
}

function restErrorBody(code: number, message: string): string {
  return JSON.stringify({ code, documentation: 'https://bugzilla.readthedocs.org/en/5.0/api/', error: true, message }, null, 3);
}

/** Keeps the top-level fields named in `include_fields` (comma-separated, possibly repeated). */
function includeFields(bug: Record<string, unknown>, fields: readonly string[]): Record<string, unknown> {
  if (fields.length === 0) return bug;
  return Object.fromEntries(Object.entries(bug).filter(([key]) => fields.includes(key)));
}

// ------------------------------------------------------------------------------------------------
// Searches: the parameters buglist.cgi and rest/bug share (a small subset of Bugzilla's)

const CLOSED = ['RESOLVED', 'VERIFIED', 'CLOSED'];

function listParam(params: URLSearchParams, name: string): string[] {
  return params.getAll(name).flatMap((v) => v.split(',')).map((v) => v.trim()).filter((v) => v !== '');
}

function search(bugs: readonly FakeBugzillaBug[], params: URLSearchParams, rest: boolean): FakeBugzillaBug[] {
  const ids = listParam(params, rest ? 'id' : 'bug_id').map(Number);
  const products = params.getAll('product');
  const components = params.getAll('component');
  const statuses = params.getAll(rest ? 'status' : 'bug_status');
  const resolutions = params.getAll('resolution');
  const keywords = listParam(params, 'keywords').flatMap((k) => k.split(/\s+/));
  const anyKeyword = params.get('keywords_type') === 'anywords';
  const whiteboard = params.get(rest ? 'whiteboard' : 'status_whiteboard');
  // buglist.cgi: chfieldfrom=2024-03-09 (a day in the server zone); REST: last_change_time=ISO.
  const changedFrom = rest ? Date.parse(params.get('last_change_time') ?? '') : Date.parse(`${params.get('chfieldfrom') ?? ''}T00:00:00Z`) - SERVER_OFFSET_MINUTES * 60_000;
  return bugs.filter((bug) => {
    if (ids.length > 0 && !ids.includes(bug.id)) return false;
    if (products.length > 0 && !products.includes(bug.product)) return false;
    if (components.length > 0 && !components.includes(bug.component)) return false;
    if (statuses.length > 0 && !statuses.includes('__all__')) {
      const open = !CLOSED.includes(bug.status);
      const wanted = statuses.includes(bug.status) || (statuses.includes('__open__') && open) || (statuses.includes('__closed__') && !open);
      if (!wanted) return false;
    }
    if (resolutions.length > 0 && !resolutions.includes(bug.resolution || '---')) return false;
    if (keywords.length > 0) {
      const has = (k: string): boolean => bug.keywords.includes(k);
      if (anyKeyword ? !keywords.some(has) : !keywords.every(has)) return false;
    }
    if (whiteboard !== null && !bug.whiteboard.includes(whiteboard)) return false;
    if (!Number.isNaN(changedFrom) && Date.parse(bug.changed) < changedFrom) return false;
    return true;
  });
}

/** `limit` (0 or absent: everything) and `offset`, as both interfaces read them. */
function page<T>(items: readonly T[], params: URLSearchParams): T[] {
  const offset = Math.max(0, Number(params.get('offset') ?? '0') || 0);
  const limit = Math.max(0, Number(params.get('limit') ?? '0') || 0);
  return items.slice(offset, limit === 0 ? undefined : offset + limit);
}

// ------------------------------------------------------------------------------------------------
// The server

const HTML = 'text/html; charset=UTF-8';
const XML = 'text/xml; charset=UTF-8';
const CSV = 'text/csv; charset=UTF-8';
const JSON_TYPE = 'application/json; charset=UTF-8';

function newest(bugs: readonly FakeBugzillaBug[]): number {
  return Math.max(DATA_START, ...bugs.map((b) => Date.parse(b.changed)));
}

function strongEtag(body: string): string {
  return `"${createHash('sha256').update(body).digest('hex').slice(0, 32)}"`;
}

export function startFakeBugzilla(options: FakeBugzillaOptions = {}): FakeBugzilla {
  const all = demoBugzillaBugs();
  const byId = new Map(all.map((bug) => [bug.id, bug]));
  let origin = '';

  function showBug(url: URL): Reply {
    const params = url.searchParams;
    const asked = params.getAll('id').flatMap((v) => v.split(',')).map((v) => v.trim()).filter((v) => v !== '');
    if ((params.get('ctype') ?? '').toLowerCase() === 'xml') {
      const found = asked.map((id) => (/^\d+$/.test(id) ? byId.get(Number(id)) : undefined)).filter((b): b is FakeBugzillaBug => b !== undefined);
      const body = asked
        .map((id) => {
          if (!/^\d+$/.test(id)) return `\n    <bug error="InvalidBugId">\n      <bug_id>${escapeXml(id)}</bug_id>\n    </bug>`;
          const bug = byId.get(Number(id));
          return bug === undefined ? `\n    <bug error="NotFound">\n      <bug_id>${id}</bug_id>\n    </bug>` : bugXml(bug);
        })
        .join('');
      return { status: 200, body: bugzillaXml(body, origin), contentType: XML, lastModified: newest(found) };
    }
    const bug = /^\d+$/.test(asked[0] ?? '') ? byId.get(Number(asked[0])) : undefined;
    if (bug === undefined) return { status: 404, body: errorPage('Invalid Bug ID', `Bug #${asked[0] ?? ''} does not exist.`, origin), contentType: HTML };
    return { status: 200, body: bugPage(bug, origin), contentType: HTML, lastModified: Date.parse(bug.changed) };
  }

  function buglist(url: URL): Reply {
    const found = page(search(all, url.searchParams, false), url.searchParams);
    if ((url.searchParams.get('ctype') ?? '').toLowerCase() === 'csv') {
      return { status: 200, body: buglistCsv(found), contentType: CSV, lastModified: newest(found), headers: { 'content-disposition': 'attachment; filename="bugs.csv"' } };
    }
    return { status: 200, body: buglistHtml(found, origin), contentType: HTML, lastModified: newest(found) };
  }

  function rest(url: URL, path: string): Reply {
    const json = (value: unknown, lastModified?: number): Reply => ({
      status: 200,
      body: JSON.stringify(value, null, 3),
      contentType: JSON_TYPE,
      ...(lastModified !== undefined ? { lastModified } : {}),
    });
    const missing = (id: string): Reply => ({ status: 404, body: restErrorBody(101, `Bug #${id} does not exist.`), contentType: JSON_TYPE });
    const fields = listParam(url.searchParams, 'include_fields');
    if (path === '/rest/version') return json({ version: VERSION });
    if (path === '/rest/bug') {
      const found = page(search(all, url.searchParams, true), url.searchParams);
      return json({ bugs: found.map((bug) => includeFields(restBug(bug), fields)) }, newest(found));
    }
    const single = /^\/rest\/bug\/(\d+)$/.exec(path);
    if (single) {
      const bug = byId.get(Number(single[1]));
      return bug === undefined ? missing(single[1] ?? '') : json({ bugs: [includeFields(restBug(bug), fields)], faults: [] }, Date.parse(bug.changed));
    }
    const comment = /^\/rest\/bug\/(\d+)\/comment$/.exec(path);
    if (comment) {
      const ids = [comment[1] ?? '', ...listParam(url.searchParams, 'ids')];
      const bugs: Record<string, unknown> = {};
      const found: FakeBugzillaBug[] = [];
      for (const id of ids) {
        const bug = byId.get(Number(id));
        if (bug === undefined) return missing(id);
        found.push(bug);
        bugs[String(bug.id)] = { comments: restComments(bug) };
      }
      return json({ bugs, comments: {} }, newest(found));
    }
    return { status: 404, body: restErrorBody(32614, `A REST API resource was not found for 'GET ${path}'.`), contentType: JSON_TYPE };
  }

  function route(url: URL): Reply {
    const path = url.pathname.replace(/\/+$/, '') || '/';
    if (path === '/show_bug.cgi') return showBug(url);
    if (path === '/buglist.cgi') return buglist(url);
    if (path.startsWith('/rest/') || path === '/rest') return rest(url, path);
    if (path === '/' || path === '/index.cgi') {
      return { status: 200, body: `${pageHead('Main Page', origin)}      <h1>Welcome to the Tessel Bugzilla</h1>\n      <p><a href="buglist.cgi?keywords=easy&amp;bug_status=__open__">Easy bugs</a></p>${PAGE_FOOT}`, contentType: HTML };
    }
    return { status: 404, body: errorPage('Not Found', `The requested URL ${url.pathname} was not found on this server.`, origin), contentType: HTML };
  }

  function handle(req: Request, url: URL): Response {
    const reply = route(url);
    const headers = new Headers({ server: 'Apache', 'content-type': reply.contentType, ...(reply.headers ?? {}) });
    if (reply.status !== 200) return new Response(reply.body, { status: reply.status, headers });
    // No max-age: a client revalidates every time and gets 304 while nothing changed.
    return revalidated(req, reply.body, headers, strongEtag(reply.body), reply.lastModified);
  }

  const server = serveFake('fake Bugzilla', options, handle);
  origin = server.publicUrl;
  return server;
}

// ------------------------------------------------------------------------------------------------
// The demo's tracker entry

/**
 * The demo's Bugzilla entry as YAML lines (no trailing newline): a list item indented two spaces,
 * to go under `trackers:`. An HTML buglist of open easy bugs and a CSV buglist of open
 * documentation bugs, a closed bug known from an earlier run, and a deleted one that becomes
 * `_deleted` (Bugzilla answers it `<bug error="NotFound">`).
 */
export function demoBugzillaEntry(origin: string): string {
  const root = origin.replace(/\/+$/, '');
  const closed = demoBugzillaBugs().find((bug) => !isOpen(bug) && !bug.keywords.includes('easy'))?.id ?? FIRST_ID;
  const quote = (text: string): string => JSON.stringify(text);
  return [
    '  - tracker_name: Tessel',
    '    bugimporter: bugzilla',
    `    base_url: ${quote(`${root}/`)}`,
    '    queries:',
    `      - ${quote(`${root}/buglist.cgi?keywords=easy&bug_status=UNCONFIRMED&bug_status=NEW&bug_status=ASSIGNED&bug_status=REOPENED&order=bug_id`)}`,
    `      - ${quote(`${root}/buglist.cgi?ctype=csv&component=Documentation&resolution=---&order=bug_id`)}`,
    '    existing_bug_urls:',
    `      - ${quote(`${root}/show_bug.cgi?id=${closed}`)}`,
    ...DEMO_BUGZILLA_DELETED.map((id) => `      - ${quote(`${root}/show_bug.cgi?id=${id}`)}`),
    '    bitesized_type: key',
    '    bitesized_text: easy',
    '    documentation_type: comp',
    '    documentation_text: Documentation',
    `    bug_project_name_format: ${quote('{product}')}`,
  ].join('\n');
}
