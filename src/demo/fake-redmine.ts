// A fake Redmine REST API on 127.0.0.1, for `customs demo` and end-to-end tests. It serves one
// invented project, Notewell (a Markdown note-taking app), with about sixty issues, the way a
// Redmine 5.0 does: `/issues.json` and `/projects/<id>/issues.json` with status, tracker,
// category and `updated_on` filters, `sort`, offset/limit paging with `total_count`;
// `/issues/<id>.json`; `/issue_statuses.json`. Answers carry Rails' weak ETags and
// `Cache-Control: max-age=0, private, must-revalidate`, and a matching `If-None-Match` gets 304.
// The data is the same on every start; tests may edit it between runs.

import { createHash } from 'node:crypto';
import { type FakeServer, type FakeServerOptions, revalidated, serveFake } from './fake-server.ts';
import { mulberry32, pick } from './fake-random.ts';

/** Redmine's bodies carry no links: `publicUrl` is only reported back, for the demo's entry. */
export interface FakeRedmineOptions extends FakeServerOptions {
  /**
   * The largest `limit` granted. Redmine itself grants up to 100; this fake grants 25 by default,
   * so that the demo's issues span pages and a client must read `limit` back from the answer.
   */
  readonly maxLimit?: number;
}

/** One issue as the fake keeps it; the server renders Redmine's JSON from it. */
export interface FakeRedmineIssue {
  id: number;
  subject: string;
  /** Redmine keeps the browser's CRLF line ends; `null` when never set. */
  description: string | null;
  tracker: 'Bug' | 'Feature' | 'Support';
  status: 'New' | 'In Progress' | 'Resolved' | 'Feedback' | 'Closed' | 'Rejected';
  priority: 'Low' | 'Normal' | 'High' | 'Urgent';
  category: string | null;
  /** A user name of {@link USERS}. */
  author: string;
  /** A user or group name, or null. */
  assignee: string | null;
  /** The "Difficulty" custom field: Easy, Medium, Hard, or "" when unset. */
  difficulty: string;
  /** The multi-valued "Platforms" custom field. */
  platforms: string[];
  done_ratio: number;
  /** `YYYY-MM-DDTHH:MM:SSZ` */
  created_on: string;
  updated_on: string;
  closed_on: string | null;
}

export type { FakeRequest } from './fake-server.ts';

export interface FakeRedmine extends FakeServer {
  /** The current state of an issue (a copy), undefined when deleted. */
  getIssue(id: number): FakeRedmineIssue | undefined;
  /** Change an issue; `updated_on` moves past every other issue and past now, `closed_on` follows the status. */
  updateIssue(id: number, change: Partial<Omit<FakeRedmineIssue, 'id'>>): FakeRedmineIssue;
  /** Delete an issue: it leaves the lists and its own URL answers 404. */
  deleteIssue(id: number): void;
}

export const DEMO_REDMINE_PROJECT = { id: 3, identifier: 'notewell', name: 'Notewell' } as const;

const TRACKERS = [
  { id: 1, name: 'Bug' },
  { id: 2, name: 'Feature' },
  { id: 3, name: 'Support' },
] as const;
const STATUSES = [
  { id: 1, name: 'New', is_closed: false },
  { id: 2, name: 'In Progress', is_closed: false },
  { id: 3, name: 'Resolved', is_closed: false },
  { id: 4, name: 'Feedback', is_closed: false },
  { id: 5, name: 'Closed', is_closed: true },
  { id: 6, name: 'Rejected', is_closed: true },
] as const;
const PRIORITIES = [
  { id: 1, name: 'Low' },
  { id: 2, name: 'Normal' },
  { id: 3, name: 'High' },
  { id: 4, name: 'Urgent' },
] as const;
const CATEGORIES = [
  { id: 11, name: 'Editor' },
  { id: 12, name: 'Sync' },
  { id: 13, name: 'Export' },
  { id: 14, name: 'Plugins' },
  { id: 15, name: 'Documentation' },
] as const;
/** Users and, last, a group (Redmine lets issues be assigned to groups). */
const USERS = [
  { id: 5, name: 'Hanna Lindqvist' },
  { id: 8, name: 'Kofi Mensah' },
  { id: 9, name: 'Aiko Tanaka' },
  { id: 14, name: 'Mateo Alvarez' },
  { id: 17, name: 'Chloé Martin' },
  { id: 23, name: 'Dev Malhotra' },
  { id: 31, name: 'Zofia Nowak' },
  { id: 42, name: 'Notewell maintainers' },
] as const;

// ------------------------------------------------------------------------------------------------
// Demo data

const BUG_SUBJECTS = ['Crash when {c}', 'Cursor jumps to the end of the note when {c}', 'Formatting is lost when {c}', 'Sync conflict reported twice when {c}'];
const BUG_CONTEXTS = [
  'pasting a table from a spreadsheet',
  'renaming a notebook',
  'exporting to PDF',
  'the note title contains an emoji',
  'syncing over WebDAV',
  'the vault is on a network drive',
  'undoing a checklist change',
  'opening a note from the command line',
];
const FEATURES = [
  'Add a word count to the status bar',
  'Keyboard shortcuts for headings',
  'Export notes to EPUB',
  'Autocomplete tags while typing',
  'Per-notebook templates',
  'A plugin hook for custom exporters',
  'Show backlinks under each note',
  'Spell checking inside code blocks',
  'Pin notes to the top of a notebook',
  'Import from Evernote ENEX files',
];
const DOCS = [
  'Document the Nextcloud sync setup',
  'Document the plugin manifest format',
  'List the keyboard shortcuts on macOS in the manual',
  'Explain vault encryption in the FAQ',
  'Fix broken links in the installation guide',
  'Document the command-line options',
];
const SUPPORT = ['How do I move my vault to another disk?', 'How can I restore a deleted note?', 'Can I turn off automatic updates?', 'Where are the settings stored on Linux?'];
const DATA_START = Date.parse('2025-01-06T09:00:00Z');
const DATA_END = Date.parse('2026-10-30T17:45:00Z');
const DAY = 86_400_000;

function isoSeconds(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19)}Z`;
}

/**
 * About sixty issues of Notewell. Redmine numbers issues across the whole instance, so the
 * project's ids have gaps (other projects took them); `gone` is one more id that was deleted.
 */
export function demoRedmineIssues(): { readonly issues: FakeRedmineIssue[]; readonly gone: number } {
  const next = mulberry32(20250106);
  const subjects: { subject: string; tracker: FakeRedmineIssue['tracker']; docs: boolean }[] = [];
  for (const template of BUG_SUBJECTS) for (const c of BUG_CONTEXTS) subjects.push({ subject: template.replace('{c}', c), tracker: 'Bug', docs: false });
  const bugs = subjects.filter(() => next() < 0.9).slice(0, 30);
  const all = [
    ...bugs,
    ...FEATURES.map((subject) => ({ subject, tracker: 'Feature' as const, docs: false })),
    ...DOCS.map((subject) => ({ subject, tracker: 'Feature' as const, docs: true })),
    ...SUPPORT.map((subject) => ({ subject, tracker: 'Support' as const, docs: false })),
  ];
  // Fisher–Yates, so the trackers are mixed in the order of filing.
  for (let i = all.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [all[i], all[j]] = [all[j] as (typeof all)[number], all[i] as (typeof all)[number]];
  }

  const issues: FakeRedmineIssue[] = [];
  let id = 2010;
  let created = DATA_START;
  for (const [index, item] of all.entries()) {
    id += 1 + Math.floor(next() * 4);
    created += Math.floor(next() * 14 * DAY);
    const updated = Math.min(created + Math.floor(next() * 120 * DAY), DATA_END);
    const roll = next();
    const status: FakeRedmineIssue['status'] =
      roll < 0.3 ? 'New' : roll < 0.45 ? 'In Progress' : roll < 0.52 ? 'Feedback' : roll < 0.6 ? 'Resolved' : roll < 0.92 ? 'Closed' : 'Rejected';
    const closed = status === 'Closed' || status === 'Rejected';
    const category = item.docs ? 'Documentation' : item.tracker === 'Support' || next() < 0.2 ? null : pick(next, CATEGORIES.slice(0, 4)).name;
    // A few bite-sized issues: the "Difficulty" custom field says Easy.
    const difficulty = index % 8 === 3 || (item.docs && index % 2 === 0) ? 'Easy' : next() < 0.35 ? '' : pick(next, ['Medium', 'Hard']);
    issues.push({
      id,
      subject: item.subject,
      description:
        index % 11 === 5
          ? null
          : item.tracker === 'Bug'
            ? `Steps to reproduce:\r\n1. ${item.subject.replace(/^.* when /, '').replace(/^./, (ch) => ch.toUpperCase())}\r\n2. Look at the note\r\n\r\nSeen with Notewell 2.${index % 5}.`
            : `${item.subject}${/[.?!]$/.test(item.subject) ? '' : '.'}\r\n\r\nSee the forum thread for the discussion.`,
      tracker: item.tracker,
      status,
      priority: pick(next, ['Normal', 'Normal', 'Normal', 'Low', 'High', 'Urgent'] as const),
      category,
      author: pick(next, USERS.slice(0, 7)).name,
      assignee: status === 'New' && next() < 0.7 ? null : pick(next, USERS).name,
      difficulty,
      platforms: item.tracker === 'Bug' ? [pick(next, ['Linux', 'macOS', 'Windows']), ...(next() < 0.3 ? ['Android'] : [])] : [],
      done_ratio: closed || status === 'Resolved' ? 100 : status === 'In Progress' ? 10 * (1 + Math.floor(next() * 8)) : 0,
      created_on: isoSeconds(created),
      updated_on: isoSeconds(updated),
      closed_on: closed ? isoSeconds(updated) : null,
    });
  }
  // The 13th issue was deleted upstream: its id answers 404.
  const [removed] = issues.splice(12, 1);
  return { issues, gone: removed?.id ?? 0 };
}

/**
 * The demo's tracker entry for the fake at `origin`: YAML lines of one list item, indented two
 * spaces to sit under `trackers:`, ending with a newline.
 */
export function demoRedmineEntry(origin: string): string {
  const root = origin.replace(/\/+$/, '');
  const { issues, gone } = demoRedmineIssues();
  return [
    `  - tracker_name: ${DEMO_REDMINE_PROJECT.name}`,
    '    bugimporter: redmine',
    `    base_url: ${root}/`,
    `    project: ${DEMO_REDMINE_PROJECT.identifier}`,
    '    state: all',
    '    bitesized_type: "custom_field:Difficulty"',
    '    bitesized_text: Easy',
    '    documentation_type: category',
    '    documentation_text: Documentation',
    '    bug_project_name_format: "{product}"',
    '    existing_bug_urls:',
    `      - ${root}/issues/${issues[0]?.id ?? 1}`,
    `      - ${root}/issues/${gone}`,
    '',
  ].join('\n');
}

// ------------------------------------------------------------------------------------------------
// Rendering

function named<T extends { readonly name: string }>(table: readonly T[], name: string): T {
  const row = table.find((r) => r.name === name);
  if (row === undefined) throw new Error(`unknown value "${name}"`);
  return row;
}

function isClosed(issue: FakeRedmineIssue): boolean {
  return named(STATUSES, issue.status).is_closed;
}

/** An issue as Redmine 5.0 renders it (no `is_closed` on the status: that came with 5.1). */
function render(issue: FakeRedmineIssue): Record<string, unknown> {
  const ref = (row: { readonly id: number; readonly name: string }): { id: number; name: string } => ({ id: row.id, name: row.name });
  return {
    id: issue.id,
    project: { id: DEMO_REDMINE_PROJECT.id, name: DEMO_REDMINE_PROJECT.name },
    tracker: ref(named(TRACKERS, issue.tracker)),
    status: ref(named(STATUSES, issue.status)),
    priority: ref(named(PRIORITIES, issue.priority)),
    author: ref(named(USERS, issue.author)),
    ...(issue.assignee !== null ? { assigned_to: ref(named(USERS, issue.assignee)) } : {}),
    ...(issue.category !== null ? { category: ref(named(CATEGORIES, issue.category)) } : {}),
    subject: issue.subject,
    description: issue.description,
    start_date: issue.created_on.slice(0, 10),
    due_date: null,
    done_ratio: issue.done_ratio,
    is_private: false,
    estimated_hours: null,
    total_estimated_hours: null,
    custom_fields: [
      { id: 2, name: 'Difficulty', value: issue.difficulty },
      { id: 3, name: 'Platforms', multiple: true, value: issue.platforms },
    ],
    created_on: issue.created_on,
    updated_on: issue.updated_on,
    closed_on: issue.closed_on,
  };
}

// ------------------------------------------------------------------------------------------------
// Filters: Redmine's query string (`status_id=open`, `tracker_id=1|2`, `updated_on=>=2026-01-01`…)

/** `open`/`o`, `closed`/`c`, `*`, ids `1|2`, or a negation `!5`. Undefined: unreadable. */
function statusFilter(value: string | null): ((issue: FakeRedmineIssue) => boolean) | undefined {
  const v = value ?? 'open';
  if (v === 'open' || v === 'o' || v === '') return (i) => !isClosed(i);
  if (v === 'closed' || v === 'c') return (i) => isClosed(i);
  if (v === '*') return () => true;
  return idFilter(v, (i) => named(STATUSES, i.status).id);
}

function idFilter(value: string, idOf: (issue: FakeRedmineIssue) => number | undefined): ((issue: FakeRedmineIssue) => boolean) | undefined {
  const negated = value.startsWith('!');
  const ids = (negated ? value.slice(1) : value).split(/[|,]/).map(Number);
  if (ids.some((n) => !Number.isInteger(n))) return undefined;
  return (issue) => ids.includes(idOf(issue) ?? -1) !== negated;
}

/** `>=2026-01-01`, `<=2026-01-01T10:00:00Z`, `><2026-01-01|2026-02-01`. Undefined: unreadable. */
function dateFilter(value: string, field: 'updated_on' | 'created_on'): ((issue: FakeRedmineIssue) => boolean) | undefined {
  const time = (text: string, endOfDay: boolean): number => {
    if (/^\d{4}-\d{2}-\d{2}$/.test(text)) return Date.parse(`${text}T00:00:00Z`) + (endOfDay ? DAY - 1000 : 0);
    return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/.test(text) ? Date.parse(text) : Number.NaN;
  };
  const at = (issue: FakeRedmineIssue): number => Date.parse(issue[field]);
  let m = /^>=(.+)$/.exec(value);
  if (m) {
    const from = time(m[1] ?? '', false);
    return Number.isNaN(from) ? undefined : (i) => at(i) >= from;
  }
  m = /^<=(.+)$/.exec(value);
  if (m) {
    const to = time(m[1] ?? '', true);
    return Number.isNaN(to) ? undefined : (i) => at(i) <= to;
  }
  m = /^><(.+)\|(.+)$/.exec(value);
  if (m) {
    const from = time(m[1] ?? '', false);
    const to = time(m[2] ?? '', true);
    return Number.isNaN(from) || Number.isNaN(to) ? undefined : (i) => at(i) >= from && at(i) <= to;
  }
  return undefined;
}

/** `sort=updated_on:desc,id` (Redmine's default is `id:desc`). */
function sortIssues(issues: FakeRedmineIssue[], sort: string | null): FakeRedmineIssue[] {
  const keys = (sort ?? 'id:desc').split(',').map((part) => {
    const [field = 'id', direction] = part.trim().split(':');
    return { field, sign: direction === 'desc' ? -1 : 1 };
  });
  const value = (issue: FakeRedmineIssue, field: string): number =>
    field === 'updated_on' || field === 'created_on' ? Date.parse(issue[field]) : field === 'priority' ? named(PRIORITIES, issue.priority).id : issue.id;
  return issues.sort((a, b) => {
    for (const { field, sign } of keys) {
      const d = value(a, field) - value(b, field);
      if (d !== 0) return sign * d;
    }
    return b.id - a.id;
  });
}

/** Redmine's `api_offset_and_limit`: limit 25 by default, capped; `page` when no offset. */
function offsetAndLimit(params: URLSearchParams, maxLimit: number): { offset: number; limit: number } {
  let limit = Number.parseInt(params.get('limit') ?? '', 10);
  if (!(limit >= 1)) limit = 25;
  limit = Math.min(limit, maxLimit);
  const rawOffset = params.get('offset');
  let offset = rawOffset !== null && rawOffset !== '' ? Math.max(0, Number.parseInt(rawOffset, 10) || 0) : undefined;
  const page = Number.parseInt(params.get('page') ?? '', 10);
  if (offset === undefined && page >= 1) offset = (page - 1) * limit;
  return { offset: offset ?? 0, limit };
}

// ------------------------------------------------------------------------------------------------
// The server

interface Reply {
  readonly status: number;
  readonly body: string;
}

const json = (status: number, value: unknown): Reply => ({ status, body: JSON.stringify(value) });

export function startFakeRedmine(options: FakeRedmineOptions = {}): FakeRedmine {
  const maxLimit = options.maxLimit ?? 25;
  const issues = new Map(demoRedmineIssues().issues.map((i) => [i.id, i]));

  const list = (params: URLSearchParams, project: string | null): Reply => {
    if (project !== null && project !== DEMO_REDMINE_PROJECT.identifier && project !== String(DEMO_REDMINE_PROJECT.id)) return { status: 404, body: '' };
    const filters: ((issue: FakeRedmineIssue) => boolean)[] = [];
    const errors: string[] = [];
    const status = statusFilter(params.get('status_id'));
    if (status) filters.push(status);
    else errors.push('Status is invalid');
    for (const [param, idOf] of [
      ['tracker_id', (i: FakeRedmineIssue) => named(TRACKERS, i.tracker).id],
      ['category_id', (i: FakeRedmineIssue) => (i.category === null ? undefined : named(CATEGORIES, i.category).id)],
    ] as const) {
      const value = params.get(param);
      if (value === null || value === '') continue;
      const filter = idFilter(value, idOf);
      if (filter) filters.push(filter);
      else errors.push(`${param === 'tracker_id' ? 'Tracker' : 'Category'} is invalid`);
    }
    for (const [param, label] of [
      ['updated_on', 'Updated'],
      ['created_on', 'Created'],
    ] as const) {
      const value = params.get(param);
      if (value === null || value === '') continue;
      const filter = dateFilter(value, param);
      if (filter) filters.push(filter);
      else errors.push(`${label} is invalid`);
    }
    if (errors.length > 0) return json(422, { errors });
    const matching = sortIssues([...issues.values()].filter((i) => filters.every((f) => f(i))), params.get('sort'));
    const { offset, limit } = offsetAndLimit(params, maxLimit);
    const page = matching.slice(offset, offset + limit).map(render);
    // `nometa=1` leaves out the counts, as Redmine does.
    return json(200, params.get('nometa') === '1' ? { issues: page } : { issues: page, total_count: matching.length, offset, limit });
  };

  const route = (url: URL): Reply => {
    const path = url.pathname;
    if (path === '/issue_statuses.json') return json(200, { issue_statuses: STATUSES });
    if (path === '/issues.json') return list(url.searchParams, url.searchParams.get('project_id'));
    const projectList = /^\/projects\/([^/]+)\/issues\.json$/.exec(path);
    if (projectList) return list(url.searchParams, decodeURIComponent(projectList[1] ?? ''));
    const one = /^\/issues\/(\d+)\.json$/.exec(path);
    const issue = one ? issues.get(Number(one[1])) : undefined;
    if (issue) return json(200, { issue: render(issue) });
    // Redmine answers API 404s with an empty body.
    return { status: 404, body: '' };
  };

  const server = serveFake('fake Redmine', options, (req, url) => {
    const reply: Reply = req.method === 'GET' || req.method === 'HEAD' ? route(url) : { status: 405, body: '' };
    const headers = new Headers({ 'cache-control': 'max-age=0, private, must-revalidate' });
    if (reply.body !== '') headers.set('content-type', 'application/json; charset=utf-8');
    if (reply.status !== 200) return new Response(reply.body, { status: reply.status, headers });
    return revalidated(req, reply.body, headers, `W/"${createHash('md5').update(reply.body).digest('hex')}"`);
  });
  return {
    ...server,
    getIssue: (id) => {
      const issue = issues.get(id);
      return issue === undefined ? undefined : { ...issue, platforms: [...issue.platforms] };
    },
    updateIssue: (id, change) => {
      const issue = issues.get(id);
      if (issue === undefined) throw new Error(`no issue ${id}`);
      const latest = Math.max(Date.now(), ...[...issues.values()].map((i) => Date.parse(i.updated_on) + 1000));
      const updated: FakeRedmineIssue = { ...issue, ...change, id, updated_on: change.updated_on ?? isoSeconds(latest) };
      const closed = isClosed(updated);
      updated.closed_on = closed ? (isClosed(issue) ? issue.closed_on : updated.updated_on) : null;
      issues.set(id, updated);
      return { ...updated };
    },
    deleteIssue: (id) => {
      if (!issues.delete(id)) throw new Error(`no issue ${id}`);
    },
  };
}
