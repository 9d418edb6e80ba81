// A fake Pagure API 0 on 127.0.0.1, for `customs demo` and end-to-end tests. It serves one
// invented project, rosette (a release-notes generator for RPM-based distributions), with about
// forty-five issues, the way pagure.io does: `/api/0/rosette/issues` with status, tags, author,
// assignee, milestones and `since` filters, `order`, and page/per_page paging whose `pagination`
// links name `publicUrl`; `/api/0/rosette/issue/<id>`; JSON errors with Pagure's codes. Answers
// carry strong ETags and a matching `If-None-Match` gets 304. The data is the same on every
// start; tests may edit it between runs.

import { createHash } from 'node:crypto';
import { type FakeServer, type FakeServerOptions, revalidated, serveFake } from './fake-server.ts';
import { mulberry32, pick } from './fake-random.ts';

/** `publicUrl` is written into bodies (`pagination` links, `full_url`). */
export type FakePagureOptions = FakeServerOptions;

export interface FakePagureUser {
  readonly name: string;
  readonly fullname: string;
}

export interface FakePagureComment {
  readonly user: string;
  readonly comment: string;
  /** Epoch seconds. */
  readonly date_created: number;
  /** Pagure's own "Metadata Update" notes. */
  readonly notification: boolean;
}

/** One issue as the fake keeps it; the server renders Pagure's JSON from it. */
export interface FakePagureIssue {
  id: number;
  title: string;
  content: string;
  status: 'Open' | 'Closed';
  close_status: string | null;
  /** A user name of the demo's users. */
  user: string;
  assignee: string | null;
  tags: string[];
  /** Key of the project's priority table (1 High, 2 Normal, 3 Low), or null. */
  priority: number | null;
  milestone: string | null;
  comments: FakePagureComment[];
  /** Epoch seconds. */
  date_created: number;
  last_updated: number;
  closed_at: number | null;
}

export type { FakeRequest } from './fake-server.ts';

export interface FakePagure extends FakeServer {
  /** The current state of an issue (a copy), undefined when deleted. */
  getIssue(id: number): FakePagureIssue | undefined;
  /** Change an issue; `last_updated` moves past every other issue and past now, `closed_at` follows the status. */
  updateIssue(id: number, change: Partial<Omit<FakePagureIssue, 'id'>>): FakePagureIssue;
  /** Delete an issue: it leaves the lists and its own URL answers 404 ENOISSUE. */
  deleteIssue(id: number): void;
}

export const DEMO_PAGURE_REPO = 'rosette';

const USERS: readonly FakePagureUser[] = [
  { name: 'mkowalska', fullname: 'Marta Kowalska' },
  { name: 'tdavies', fullname: 'Tom Davies' },
  { name: 'rpatel', fullname: 'Ravi Patel' },
  { name: 'iduarte', fullname: 'Inês Duarte' },
  { name: 'sokeefe', fullname: "Siobhán O'Keefe" },
  { name: 'jchen', fullname: 'Jun Chen' },
  { name: 'lbauer', fullname: '' },
];

// ------------------------------------------------------------------------------------------------
// Demo data

/** Titles with their kind tag; `easy` ones get the bite-sized tag `easyfix`. */
const TITLES: readonly { readonly title: string; readonly tag: string; readonly easy?: boolean }[] = [
  { title: 'Changelog entries duplicated on rebuild', tag: 'bug' },
  { title: 'Crash on spec files without %changelog', tag: 'bug' },
  { title: 'Wrong date order in generated notes', tag: 'bug', easy: true },
  { title: 'Unicode names are mangled in the author list', tag: 'bug' },
  { title: 'Release notes miss epoch bumps', tag: 'bug' },
  { title: 'Build fails when the repository has no tags', tag: 'bug' },
  { title: 'Markdown output escapes underscores twice', tag: 'bug', easy: true },
  { title: '--since ignores the time zone', tag: 'bug' },
  { title: 'Empty sections are not removed', tag: 'bug', easy: true },
  { title: 'Links to Bodhi updates are broken', tag: 'bug' },
  { title: 'Template errors show a Python traceback', tag: 'bug' },
  { title: 'Reverted commits still get a bullet', tag: 'bug' },
  { title: 'Progress bar garbles output when piped', tag: 'bug', easy: true },
  { title: 'Cache directory is created with mode 0777', tag: 'bug' },
  { title: 'Support AsciiDoc output', tag: 'RFE' },
  { title: 'Group entries by sub-package', tag: 'RFE' },
  { title: 'Add a --dry-run flag', tag: 'RFE', easy: true },
  { title: 'Read settings from pyproject.toml', tag: 'RFE' },
  { title: 'Link CVE identifiers to the NVD', tag: 'RFE' },
  { title: 'Add a JSON output format', tag: 'RFE' },
  { title: 'Allow custom section names', tag: 'RFE' },
  { title: 'Handle several branches in one run', tag: 'RFE' },
  { title: 'Show the number of contributors per release', tag: 'RFE' },
  { title: 'Shell completion for bash and zsh', tag: 'RFE', easy: true },
  { title: 'Colour output when writing to a terminal', tag: 'RFE' },
  { title: 'Sign generated notes with GPG', tag: 'RFE' },
  { title: 'Document the template variables', tag: 'documentation' },
  { title: 'Add a quick-start guide', tag: 'documentation', easy: true },
  { title: 'Explain the config file in the man page', tag: 'documentation' },
  { title: 'Fix typos in CONTRIBUTING.md', tag: 'documentation', easy: true },
  { title: 'Document how to run the tests in a container', tag: 'documentation' },
  { title: 'Package for EPEL 9', tag: 'packaging' },
  { title: 'Drop the python3-six dependency', tag: 'packaging', easy: true },
  { title: 'Provide a container image', tag: 'packaging' },
  { title: 'Generated notes lose the last entry', tag: 'bug' },
  { title: 'Bodhi import times out on large updates', tag: 'bug' },
  { title: 'Respect NO_COLOR', tag: 'RFE', easy: true },
  { title: 'Warn about spec files with mixed tabs and spaces', tag: 'RFE' },
  { title: 'Man page is not installed by make install', tag: 'packaging' },
  { title: 'Translate the CLI messages', tag: 'RFE' },
  { title: 'Sort authors by surname, not login', tag: 'bug' },
  { title: 'Keep the order of %changelog entries with equal dates', tag: 'bug' },
  { title: 'Describe the release workflow in the README', tag: 'documentation' },
  { title: 'Speed up parsing of large spec files', tag: 'RFE' },
  { title: 'Skip bot commits in the contributor list', tag: 'RFE' },
];
const CLOSE_STATUSES = ['Fixed', 'Fixed', 'Fixed', 'Duplicate', 'Invalid', "Won't fix"];
const REMARKS = ['I can reproduce this with the latest release.', 'Would you take a pull request for this?', 'Fixed in the development branch.', 'This also happens on rawhide.', 'Thanks, that makes sense.', 'Any news on this one?'];
const DATA_START = Date.parse('2025-02-03T10:00:00Z') / 1000;
const DATA_END = Date.parse('2026-10-30T17:45:00Z') / 1000;
const DAY = 86_400;

/** About forty-five issues of rosette, numbered from 1; `gone` is the number of one deleted upstream. */
export function demoPagureIssues(): { readonly issues: FakePagureIssue[]; readonly gone: number } {
  const next = mulberry32(20250203);
  const issues: FakePagureIssue[] = [];
  let created = DATA_START;
  TITLES.forEach((item, index) => {
    created += 3600 + Math.floor(next() * 12 * DAY);
    const updated = Math.min(created + Math.floor(next() * 90 * DAY), DATA_END);
    const closed = next() < 0.4;
    const user = pick(next, USERS).name;
    const assignee = next() < 0.5 ? pick(next, USERS.slice(0, 4)).name : null;
    const comments: FakePagureComment[] = [];
    const span = Math.max(1, updated - created);
    if (assignee !== null) {
      comments.push({ user: 'mkowalska', comment: `**Metadata Update from @mkowalska**:\n- Issue assigned to ${assignee}`, date_created: created + Math.floor(span / 4), notification: true });
    }
    for (let n = Math.floor(next() * 4); n > 0; n--) {
      comments.push({ user: pick(next, USERS).name, comment: pick(next, REMARKS), date_created: created + Math.floor(next() * span), notification: false });
    }
    comments.sort((a, b) => a.date_created - b.date_created);
    issues.push({
      id: index + 1,
      title: item.title,
      content: index % 9 === 4 ? '' : `${item.title}.\n\nSeen with rosette 0.${8 + (index % 3)} on Fedora ${40 + (index % 4)}.`,
      status: closed ? 'Closed' : 'Open',
      close_status: closed ? pick(next, CLOSE_STATUSES) : null,
      user,
      assignee,
      tags: item.easy ? [item.tag, 'easyfix'] : [item.tag],
      priority: next() < 0.3 ? null : 1 + Math.floor(next() * 3),
      milestone: next() < 0.5 ? null : pick(next, ['1.4', '1.5']),
      comments,
      date_created: created,
      last_updated: updated,
      closed_at: closed ? updated : null,
    });
  });
  // Issue 9 was deleted by an admin: its number answers 404 ENOISSUE.
  const [removed] = issues.splice(8, 1);
  return { issues, gone: removed?.id ?? 0 };
}

/**
 * The demo's tracker entry for the fake at `origin`: YAML lines of one list item, indented two
 * spaces to sit under `trackers:`, ending with a newline. Its query asks for 20 issues a page, so
 * the demo follows `pagination.next`.
 */
export function demoPagureEntry(origin: string): string {
  const root = origin.replace(/\/+$/, '');
  const { gone } = demoPagureIssues();
  return [
    '  - tracker_name: Rosette',
    '    bugimporter: pagure',
    `    base_url: ${root}/`,
    '    queries:',
    `      - ${root}/api/0/${DEMO_PAGURE_REPO}/issues?status=all&per_page=20`,
    '    bitesized_tag: easyfix',
    '    documentation_tag: documentation',
    '    bug_project_name_format: "{product}"',
    '    existing_bug_urls:',
    `      - ${root}/${DEMO_PAGURE_REPO}/issue/1`,
    `      - ${root}/${DEMO_PAGURE_REPO}/issue/${gone}`,
    '',
  ].join('\n');
}

// ------------------------------------------------------------------------------------------------
// Rendering

function userJson(name: string): FakePagureUser {
  return USERS.find((u) => u.name === name) ?? { name, fullname: '' };
}

/** An issue as pagure.io renders it: dates are epoch seconds as strings. */
function render(issue: FakePagureIssue, publicUrl: string): Record<string, unknown> {
  return {
    assignee: issue.assignee === null ? null : userJson(issue.assignee),
    blocks: [],
    close_status: issue.close_status,
    closed_at: issue.closed_at === null ? null : String(issue.closed_at),
    closed_by: issue.closed_at === null ? null : userJson(issue.assignee ?? 'mkowalska'),
    comments: issue.comments.map((c, n) => ({
      comment: c.comment,
      date_created: String(c.date_created),
      edited_on: null,
      editor: null,
      id: issue.id * 100 + n,
      notification: c.notification,
      parent: null,
      reactions: {},
      user: userJson(c.user),
    })),
    content: issue.content,
    custom_fields: [],
    date_created: String(issue.date_created),
    depends: [],
    full_url: `${publicUrl}/${DEMO_PAGURE_REPO}/issue/${issue.id}`,
    id: issue.id,
    last_updated: String(issue.last_updated),
    milestone: issue.milestone,
    priority: issue.priority,
    private: false,
    related_prs: [],
    status: issue.status,
    tags: issue.tags,
    title: issue.title,
    user: userJson(issue.user),
  };
}

// ------------------------------------------------------------------------------------------------
// The server

interface Reply {
  readonly status: number;
  readonly body: string;
  readonly type: string;
}

const JSON_TYPE = 'application/json';
const json = (status: number, value: unknown): Reply => ({ status, body: JSON.stringify(value, null, 2), type: JSON_TYPE });
const apiError = (status: number, error: string, code: string): Reply => json(status, { error, error_code: code });
const NOT_FOUND_PAGE: Reply = { status: 404, body: '<!DOCTYPE html>\n<html><head><title>Page not found :\'( - Pagure</title></head><body><h2>Page not found (404)</h2></body></html>\n', type: 'text/html; charset=utf-8' };

/** `since`: epoch seconds or `YYYY-MM-DD`; undefined when unreadable. */
function sinceSeconds(value: string): number | undefined {
  if (/^\d+$/.test(value)) return Number(value);
  const ms = /^\d{4}-\d{2}-\d{2}$/.test(value) ? Date.parse(`${value}T00:00:00Z`) : Number.NaN;
  return Number.isNaN(ms) ? undefined : ms / 1000;
}

export function startFakePagure(options: FakePagureOptions = {}): FakePagure {
  const issues = new Map(demoPagureIssues().issues.map((i) => [i.id, i]));
  let publicUrl = '';

  const list = (url: URL): Reply => {
    const params = url.searchParams;
    const perPage = Number(params.get('per_page') ?? '20');
    if (!Number.isInteger(perPage) || perPage < 1 || perPage > 100) return apiError(400, 'The per_page value must be between 1 and 100', 'EINVALIDPERPAGEVALUE');
    const page = Number(params.get('page') ?? '1');
    if (!Number.isInteger(page) || page < 1) return apiError(400, 'Invalid page requested', 'ENOCODE');
    const sinceText = params.get('since');
    const since = sinceText === null ? undefined : sinceSeconds(sinceText);
    if (sinceText !== null && since === undefined) return apiError(400, 'Invalid datetime format', 'ENOCODE');

    // `status`: Open by default, `all`, `Closed`, or a close status such as `Fixed` (any case).
    const status = params.get('status');
    const wanted = (status ?? 'Open').toLowerCase();
    const tags = params.getAll('tags').flatMap((t) => t.split(',')).map((t) => t.trim()).filter((t) => t !== '');
    const milestones = params.getAll('milestones');
    const matches = (i: FakePagureIssue): boolean =>
      (wanted === 'all' || (wanted === 'open' || wanted === 'closed' ? i.status.toLowerCase() === wanted : i.close_status?.toLowerCase() === wanted)) &&
      tags.every((t) => (t.startsWith('!') ? !i.tags.includes(t.slice(1)) : i.tags.includes(t))) &&
      (params.get('author') === null || i.user === params.get('author')) &&
      (params.get('assignee') === null || i.assignee === params.get('assignee')) &&
      (milestones.length === 0 || (i.milestone !== null && milestones.includes(i.milestone))) &&
      (since === undefined || i.last_updated >= since);
    const key = params.get('order_key') === 'last_updated' ? 'last_updated' : 'date_created';
    const sign = params.get('order') === 'asc' ? 1 : -1;
    const found = [...issues.values()].filter(matches).sort((a, b) => sign * (a[key] - b[key] || a.id - b.id));

    const pages = Math.ceil(found.length / perPage);
    const link = (n: number): string => {
      const q = new URLSearchParams(params);
      q.set('page', String(n));
      q.set('per_page', String(perPage));
      return `${publicUrl}${url.pathname}?${q.toString()}`;
    };
    return json(200, {
      args: { assignee: params.get('assignee'), author: params.get('author'), milestones, no_stones: null, order: params.get('order'), priority: null, since: sinceText, status, tags },
      issues: found.slice((page - 1) * perPage, page * perPage).map((i) => render(i, publicUrl)),
      pagination: {
        first: link(1),
        last: link(pages),
        next: page < pages ? link(page + 1) : null,
        page,
        pages,
        per_page: perPage,
        prev: page > 1 ? link(page - 1) : null,
      },
      total_issues: found.length,
    });
  };

  const route = (url: URL): Reply => {
    const path = url.pathname.replace(/\/+$/, '');
    const api = /^\/api\/0\/(.+)\/(issues|issue\/(\d+))$/.exec(path);
    if (!api) return NOT_FOUND_PAGE;
    if (api[1] !== DEMO_PAGURE_REPO) return apiError(404, 'Project not found', 'ENOPROJECT');
    if (api[2] === 'issues') return list(url);
    const issue = issues.get(Number(api[3]));
    return issue === undefined ? apiError(404, 'Issue not found', 'ENOISSUE') : json(200, render(issue, publicUrl));
  };

  const server = serveFake('fake Pagure', options, (req, url) => {
    const reply = req.method === 'GET' || req.method === 'HEAD' ? route(url) : apiError(405, 'Method not allowed', 'ENOCODE');
    const headers = new Headers({ 'content-type': reply.type });
    if (reply.status !== 200) return new Response(reply.body, { status: reply.status, headers });
    return revalidated(req, reply.body, headers, `"${createHash('sha1').update(reply.body).digest('hex')}"`);
  });
  publicUrl = server.publicUrl;
  const copy = (issue: FakePagureIssue): FakePagureIssue => ({ ...issue, tags: [...issue.tags], comments: [...issue.comments] });
  return {
    ...server,
    getIssue: (id) => {
      const issue = issues.get(id);
      return issue === undefined ? undefined : copy(issue);
    },
    updateIssue: (id, change) => {
      const issue = issues.get(id);
      if (issue === undefined) throw new Error(`no issue ${id}`);
      const latest = Math.max(Math.floor(Date.now() / 1000), ...[...issues.values()].map((i) => i.last_updated + 1));
      const updated: FakePagureIssue = { ...copy(issue), ...change, id, last_updated: change.last_updated ?? latest };
      if (updated.status === 'Closed') {
        updated.closed_at = issue.status === 'Closed' ? issue.closed_at : updated.last_updated;
        updated.close_status ??= 'Fixed';
      } else {
        updated.closed_at = null;
        updated.close_status = null;
      }
      issues.set(id, updated);
      return copy(updated);
    },
    deleteIssue: (id) => {
      if (!issues.delete(id)) throw new Error(`no issue ${id}`);
    },
  };
}
