// A fake GitLab API v4 on 127.0.0.1, for `customs demo` and tests. It serves one invented
// project ("Larder", a self-hosted recipe and meal-planning app) with GitLab's shapes and
// headers: project issue lists with offset paging (Link, x-next-page, x-total…), filters
// (state, labels, updated_after, order_by, sort), single issues, 404s for deleted or (without a
// token) confidential issues, weak ETags with 304s, and gitlab.com-style RateLimit-* headers.
// Bodies name `publicUrl`, so canonical links and cache keys survive a new port.

import { createHash } from 'node:crypto';
import { type FakeServer, type FakeServerOptions, revalidated, serveFake } from './fake-server.ts';

export const DEMO_GITLAB_PROJECT = 'larder-app/larder';
export const DEMO_GITLAB_PROJECT_ID = 4321;
/** Issues deleted upstream: they answer 404, so a known URL of theirs gives a `_deleted` record. */
export const DEMO_GITLAB_DELETED: readonly number[] = [13, 58];

export type { FakeRequest } from './fake-server.ts';

export interface FakeGitlabOptions extends FakeServerOptions {
  /** Leave out `x-total`, `x-total-pages` and rel="last", as GitLab does past 10,000 results. */
  readonly omitTotals?: boolean;
  /** Requests per minute before 429s (gitlab.com: 2000 for unauthenticated API calls). */
  readonly rateLimit?: number;
}

export type FakeGitlab = FakeServer;

/** One issue of the demo project, before GitLab's JSON is made of it. */
export interface FakeGitlabIssue {
  readonly iid: number;
  readonly title: string;
  /** `null` for an empty description, as GitLab sends it. */
  readonly description: string | null;
  readonly state: 'opened' | 'closed';
  readonly author: number;
  readonly assignees: readonly number[];
  readonly labels: readonly string[];
  readonly notes: number;
  readonly milestone: string | null;
  readonly confidential: boolean;
  /** ms since the epoch */
  readonly created: number;
  readonly updated: number;
}

// ------------------------------------------------------------------------------------------------
// Demo data: deterministic, from a small integer hash.

const PEOPLE: readonly { readonly username: string; readonly name: string }[] = [
  { username: 'amara.osei', name: 'Amara Osei' },
  { username: 'jbrekke', name: 'Jonas Brekke' },
  { username: 'lena-w', name: 'Lena Whitfield' },
  { username: 'priya.k', name: 'Priya Kulkarni' },
  { username: 'twrobel', name: 'Tomasz Wróbel' },
  { username: 'hiro_t', name: 'Hiro Tanaka' },
  { username: 'marisol.f', name: 'Marisol Fuentes' },
  { username: 'dokonkwo', name: 'David Okonkwo' },
  { username: 'kitchen-sync-bot', name: 'Kitchen Sync Bot' },
];
/** The first three people maintain the project and take the assignments. */
const MAINTAINERS = 3;

const COMPONENTS = ['Meal planner', 'Shopping list', 'Recipe importer', 'Pantry', 'Nutrition panel', 'Unit converter', 'Search', 'Offline mode', 'REST API', 'Android app', 'Printing', 'Backup'];
const SYMPTOMS = ['shows duplicated entries', 'loses unsaved changes', 'crashes', 'rounds quantities to zero', 'ignores the browser locale', 'takes over ten seconds', 'shows the wrong week', 'drops accents from titles'];
const TRIGGERS = ['a recipe has more than 50 ingredients', 'Larder runs behind a reverse proxy', 'two people edit the same list', 'the interface language is German', 'the page uses JSON-LD', 'the pantry is empty', 'it syncs after a week offline', 'metric and imperial units are mixed'];
const FEATURES = ['exporting the shopping list as plain text', 'scaling a recipe by servings', 'tagging recipes by season', 'a dark theme for kitchen displays', 'sharing a meal plan by link', 'importing recipes from Markdown', 'barcode scanning for pantry items', 'custom units such as "a pinch"'];
const DOCS = ['the backup format', 'running Larder with Docker Compose', 'API token scopes', 'translating the interface', 'the recipe import rules', 'upgrading from 2.x'];
const AREAS = ['frontend', 'backend', 'android'];
const MILESTONES = ['3.2', '3.3', '4.0'];
const ISSUE_COUNT = 96;
const START = Date.parse('2024-02-01T09:00:00Z');
const HOUR = 3_600_000;

/** A small, stable integer hash of (n, salt). */
function mix(n: number, salt: number): number {
  let h = Math.imul(n ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(salt + 0x27d4eb2f, 0xc2b2ae35);
  h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d);
  h = Math.imul(h ^ (h >>> 12), 0x297a2d39);
  return (h ^ (h >>> 15)) >>> 0;
}

function pick<T>(items: readonly T[], n: number, salt: number): T {
  const item = items[mix(n, salt) % items.length];
  if (item === undefined) throw new Error('pick from an empty list');
  return item;
}

/** The demo project's issues (deleted ones left out), the same on every call. */
export function demoGitlabIssues(): FakeGitlabIssue[] {
  const issues: FakeGitlabIssue[] = [];
  for (let iid = 1; iid <= ISSUE_COUNT; iid++) {
    if (DEMO_GITLAB_DELETED.includes(iid)) continue;
    const roll = mix(iid, 1) % 100;
    const kind = roll < 50 ? 'bug' : roll < 80 ? 'feature' : roll < 92 ? 'documentation' : 'chore';
    const component = pick(COMPONENTS, iid, 2);
    const title =
      kind === 'bug'
        ? `${component} ${pick(SYMPTOMS, iid, 3)} when ${pick(TRIGGERS, iid, 4)}`
        : kind === 'feature'
          ? `Allow ${pick(FEATURES, iid, 3)}`
          : kind === 'documentation'
            ? `Document ${pick(DOCS, iid, 3)}`
            : `Update the ${component.toLowerCase()} dependencies`;
    const labels = [kind === 'chore' ? 'maintenance' : kind, pick(AREAS, iid, 5)];
    if (mix(iid, 6) % 100 < 18) labels.push('quick win');
    if (kind === 'bug' && mix(iid, 7) % 4 === 0) labels.push('priority::high');
    // Descriptions typed in the web form keep Windows line ends; some issues have none.
    const description =
      mix(iid, 8) % 10 === 0
        ? null
        : kind === 'bug'
          ? `### Steps to reproduce\r\n\r\n1. Open the ${component.toLowerCase()}\r\n2. Make sure ${pick(TRIGGERS, iid, 4)}\r\n\r\n### What happens\r\n\r\nIt ${pick(SYMPTOMS, iid, 3)}.\r\n\r\n### Version\r\n\r\nLarder 3.${mix(iid, 9) % 3}.${mix(iid, 10) % 5}`
          : `${title}.\n\nThis would help households that plan their meals a week ahead.`;
    const created = START + iid * 156 * HOUR + (mix(iid, 11) % 20) * HOUR;
    const updated = created + (mix(iid, 12) % (40 * 24)) * HOUR + (mix(iid, 13) % 3_600_000);
    const assigned = mix(iid, 14) % 3;
    const assignees = assigned === 0 ? [] : assigned === 1 ? [mix(iid, 15) % MAINTAINERS] : [0, 1 + (mix(iid, 15) % (MAINTAINERS - 1))];
    issues.push({
      iid,
      title,
      description,
      state: mix(iid, 16) % 100 < 38 ? 'closed' : 'opened',
      author: mix(iid, 17) % PEOPLE.length,
      assignees,
      labels,
      notes: mix(iid, 18) % 3 === 0 ? 0 : mix(iid, 19) % 14,
      milestone: mix(iid, 20) % 3 === 0 ? pick(MILESTONES, iid, 21) : null,
      confidential: iid % 17 === 0,
      created,
      updated,
    });
  }
  return issues;
}

/** GitLab writes times with milliseconds in UTC: `2024-03-05T10:11:12.345Z`. */
function isoMs(ms: number): string {
  return new Date(ms).toISOString();
}

// ------------------------------------------------------------------------------------------------

export function startFakeGitlab(options: FakeGitlabOptions = {}): FakeGitlab {
  const issues = demoGitlabIssues();
  const rateLimit = options.rateLimit ?? 2000;
  let root = '';
  let windowStart = Date.now();
  let used = 0;

  const user = (index: number): Record<string, unknown> => {
    const person = PEOPLE[index] ?? { username: 'ghost', name: 'Ghost User' };
    return {
      id: 1000 + index,
      username: person.username,
      name: person.name,
      state: 'active',
      locked: false,
      avatar_url: `https://secure.gravatar.com/avatar/${createHash('md5').update(person.username).digest('hex')}?s=80&d=identicon`,
      web_url: `${root}/${person.username}`,
    };
  };

  const milestone = (title: string): Record<string, unknown> => {
    const iid = MILESTONES.indexOf(title) + 1;
    return {
      id: 700 + iid,
      iid,
      project_id: DEMO_GITLAB_PROJECT_ID,
      title,
      description: `Larder ${title}`,
      state: title === '4.0' ? 'active' : 'closed',
      created_at: isoMs(START + iid * 2000 * HOUR),
      updated_at: isoMs(START + iid * 2100 * HOUR),
      due_date: null,
      start_date: null,
      expired: false,
      web_url: `${root}/${DEMO_GITLAB_PROJECT}/-/milestones/${iid}`,
    };
  };

  const labelDetails = (name: string): Record<string, unknown> => ({
    id: 9000 + (mix(name.length, name.charCodeAt(0)) % 1000),
    name,
    color: name === 'quick win' ? '#009966' : name === 'documentation' ? '#1f75cb' : name === 'bug' ? '#dc143c' : '#6699cc',
    description: name === 'quick win' ? 'Small and well defined: a good first contribution' : null,
    description_html: '',
    text_color: '#FFFFFF',
  });

  const issueJson = (issue: FakeGitlabIssue, single: boolean, labelsDetailed: boolean): Record<string, unknown> => {
    const closed = issue.state === 'closed';
    const api = `${root}/api/v4/projects/${DEMO_GITLAB_PROJECT_ID}`;
    const json: Record<string, unknown> = {
      id: 145_000_000 + issue.iid,
      iid: issue.iid,
      project_id: DEMO_GITLAB_PROJECT_ID,
      title: issue.title,
      description: issue.description,
      state: issue.state,
      created_at: isoMs(issue.created),
      updated_at: isoMs(issue.updated),
      closed_at: closed ? isoMs(issue.updated) : null,
      closed_by: closed ? user(issue.assignees[0] ?? 0) : null,
      labels: labelsDetailed ? issue.labels.map(labelDetails) : issue.labels,
      milestone: issue.milestone === null ? null : milestone(issue.milestone),
      assignees: issue.assignees.map(user),
      author: user(issue.author),
      type: 'ISSUE',
      assignee: issue.assignees[0] === undefined ? null : user(issue.assignees[0]),
      user_notes_count: issue.notes,
      merge_requests_count: closed && issue.labels.includes('bug') ? 1 : 0,
      upvotes: mix(issue.iid, 30) % 6,
      downvotes: 0,
      due_date: null,
      confidential: issue.confidential,
      discussion_locked: null,
      issue_type: 'issue',
      web_url: `${root}/${DEMO_GITLAB_PROJECT}/-/issues/${issue.iid}`,
      time_stats: { time_estimate: 0, total_time_spent: 0, human_time_estimate: null, human_total_time_spent: null },
      task_completion_status: { count: 0, completed_count: 0 },
      has_tasks: false,
      _links: {
        self: `${api}/issues/${issue.iid}`,
        notes: `${api}/issues/${issue.iid}/notes`,
        award_emoji: `${api}/issues/${issue.iid}/award_emoji`,
        project: api,
        closed_as_duplicate_of: null,
      },
      references: { short: `#${issue.iid}`, relative: `#${issue.iid}`, full: `${DEMO_GITLAB_PROJECT}#${issue.iid}` },
      severity: 'UNKNOWN',
      moved_to_id: null,
      service_desk_reply_to: null,
    };
    if (single) json.subscribed = false;
    return json;
  };

  interface Reply {
    readonly status: number;
    readonly body: unknown;
    readonly headers?: Record<string, string>;
  }

  const notFound = (what = '404 Not found'): Reply => ({ status: 404, body: { message: what } });

  /** GET /api/v4/projects/:id/issues — offset paging as GitLab does it. */
  const listIssues = (path: string, params: URLSearchParams, token: boolean): Reply => {
    const state = params.get('state') ?? 'all';
    if (!['opened', 'closed', 'all'].includes(state)) return { status: 400, body: { error: 'state does not have a valid value' } };
    const labels = (params.get('labels') ?? '').split(',').map((l) => l.trim()).filter((l) => l !== '');
    const after = params.has('updated_after') ? Date.parse(params.get('updated_after') ?? '') : undefined;
    const before = params.has('updated_before') ? Date.parse(params.get('updated_before') ?? '') : undefined;
    if ((after !== undefined && Number.isNaN(after)) || (before !== undefined && Number.isNaN(before))) {
      return { status: 400, body: { error: 'updated_after is invalid' } };
    }
    const key = params.get('order_by') === 'updated_at' ? 'updated' : 'created';
    const sign = params.get('sort') === 'asc' ? 1 : -1;
    const chosen = issues
      .filter((i) => token || !i.confidential)
      .filter((i) => state === 'all' || i.state === state)
      .filter((i) => labels.every((l) => i.labels.includes(l)))
      .filter((i) => (after === undefined || i.updated >= after) && (before === undefined || i.updated <= before))
      .sort((a, b) => sign * (a[key] - b[key] || a.iid - b.iid));

    const perRaw = Number(params.get('per_page') ?? '20');
    const perPage = Number.isInteger(perRaw) && perRaw >= 1 ? Math.min(perRaw, 100) : 20;
    const pageRaw = Number(params.get('page') ?? '1');
    const page = Number.isInteger(pageRaw) && pageRaw >= 1 ? pageRaw : 1;
    const totalPages = Math.max(1, Math.ceil(chosen.length / perPage));
    const items = chosen.slice((page - 1) * perPage, page * perPage);

    const at = (p: number): string => {
      const q = new URLSearchParams(params);
      q.set('page', String(p));
      q.set('per_page', String(perPage));
      return `<${root}${path}?${q.toString()}>`;
    };
    const links: string[] = [];
    if (page > 1) links.push(`${at(page - 1)}; rel="prev"`);
    if (page < totalPages) links.push(`${at(page + 1)}; rel="next"`);
    links.push(`${at(1)}; rel="first"`);
    if (!options.omitTotals) links.push(`${at(totalPages)}; rel="last"`);
    const headers: Record<string, string> = {
      link: links.join(', '),
      'x-page': String(page),
      'x-per-page': String(perPage),
      'x-prev-page': page > 1 ? String(page - 1) : '',
      'x-next-page': page < totalPages ? String(page + 1) : '',
    };
    if (!options.omitTotals) {
      headers['x-total'] = String(chosen.length);
      headers['x-total-pages'] = String(totalPages);
    }
    return { status: 200, body: items.map((i) => issueJson(i, false, params.get('with_labels_details') === 'true')), headers };
  };

  const projectJson = (): Record<string, unknown> => ({
    id: DEMO_GITLAB_PROJECT_ID,
    description: 'Plan meals, keep a pantry and share shopping lists, on your own server.',
    name: 'Larder',
    name_with_namespace: 'Larder App / Larder',
    path: 'larder',
    path_with_namespace: DEMO_GITLAB_PROJECT,
    created_at: isoMs(START),
    default_branch: 'main',
    web_url: `${root}/${DEMO_GITLAB_PROJECT}`,
    issues_enabled: true,
    open_issues_count: issues.filter((i) => i.state === 'opened' && !i.confidential).length,
    visibility: 'public',
  });

  /** The project named by an id or a URL-encoded path (`larder-app%2Flarder`), case-insensitively. */
  const isProject = (segment: string): boolean => {
    const id = decodeURIComponent(segment);
    return id === String(DEMO_GITLAB_PROJECT_ID) || id.toLowerCase() === DEMO_GITLAB_PROJECT;
  };

  const route = (url: URL, token: boolean): Reply => {
    const m = /^\/api\/v4\/projects\/([^/]+)(?:\/issues(?:\/(\d+))?)?\/?$/.exec(url.pathname);
    if (!m) return { status: 404, body: { error: '404 Not Found' } };
    if (!isProject(m[1] ?? '')) return notFound('404 Project Not Found');
    if (!url.pathname.includes('/issues')) return { status: 200, body: projectJson() };
    if (m[2] === undefined) return listIssues(url.pathname, url.searchParams, token);
    const issue = issues.find((i) => i.iid === Number(m[2]));
    // Deleted issues, and confidential ones asked without a token, answer the same 404.
    if (issue === undefined || (issue.confidential && !token)) return notFound();
    return { status: 200, body: issueJson(issue, true, false) };
  };

  const rateHeaders = (now: number): Record<string, string> => {
    const reset = Math.ceil((windowStart + 60_000) / 1000);
    return {
      'ratelimit-name': 'throttle_unauthenticated_api',
      'ratelimit-limit': String(rateLimit),
      'ratelimit-observed': String(Math.min(used, rateLimit)),
      'ratelimit-remaining': String(Math.max(0, rateLimit - used)),
      'ratelimit-reset': String(reset),
      'ratelimit-resettime': new Date(Math.max(now, reset * 1000)).toUTCString(),
    };
  };

  const server = serveFake('fake GitLab', options, (req, url) => {
    const now = Date.now();
    if (now - windowStart >= 60_000) {
      windowStart = now;
      used = 0;
    }
    used++;
    const base: Record<string, string> = {
      'cache-control': 'max-age=0, private, must-revalidate',
      vary: 'Origin',
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'SAMEORIGIN',
      'x-request-id': createHash('sha1').update(`${server.requests.length}`).digest('hex').slice(0, 26).toUpperCase(),
      ...rateHeaders(now),
    };
    if (used > rateLimit) {
      const retry = String(Math.max(1, Math.ceil((windowStart + 60_000 - now) / 1000)));
      return new Response('Retry later\n', { status: 429, headers: { ...base, 'content-type': 'text/plain', 'retry-after': retry } });
    }
    const reply = req.method === 'GET' ? route(url, (req.headers.get('private-token') ?? '') !== '') : { status: 405, body: { error: '405 Method Not Allowed' } };
    const body = JSON.stringify(reply.body);
    // Rack::ETag: a weak validator over the body.
    const etag = `W/"${createHash('md5').update(body).digest('hex')}"`;
    const headers = new Headers({ ...base, ...(reply.headers ?? {}), etag, 'content-type': 'application/json' });
    if (reply.status !== 200) return new Response(body, { status: reply.status, headers });
    return revalidated(req, body, headers, etag);
  });
  root = server.publicUrl;
  return server;
}

/**
 * The demo's GitLab tracker entry for a fake at `origin`: YAML lines of one list item, indented
 * to sit under `trackers:` (no trailing newline). It pages 30 at a time to show GitLab's paging,
 * and lists one deleted issue, which comes out as a `_deleted` record.
 */
export function demoGitlabEntry(origin: string): string {
  const o = origin.replace(/\/+$/, '');
  const encoded = encodeURIComponent(DEMO_GITLAB_PROJECT);
  return [
    '  - tracker_name: Larder',
    '    bugimporter: gitlab',
    `    base_url: ${o}/`,
    '    # per_page=30 shows GitLab paging; without it customs asks 100 a page.',
    '    queries:',
    `      - ${o}/api/v4/projects/${encoded}/issues?scope=all&order_by=updated_at&sort=desc&per_page=30`,
    '    state: all',
    '    bitesized_tag: quick win',
    '    documentation_tag: documentation',
    '    bug_project_name_format: "{product}"',
    '    existing_bug_urls:',
    `      - ${o}/${DEMO_GITLAB_PROJECT}/-/issues/${DEMO_GITLAB_DELETED[0] ?? 13}`,
    `      - ${o}/${DEMO_GITLAB_PROJECT}/-/issues/2`,
  ].join('\n');
}
