// A fake Gitea/Forgejo API v1 on 127.0.0.1, for `customs demo` and tests. It serves one invented
// repository ("Tally", a plain-text accounting tool, as on a Codeberg-like instance) with the
// API's shapes and headers: issue lists mixing issues and pull requests unless `type=` says
// which, `limit` clamped to 50, Link and X-Total-Count paging, state/labels/since filters,
// single issues (a pull request's number answers too), JSON 404s for deleted issues, times in the
// server's own zone, and strong ETags with 304s. Bodies name `publicUrl`, so canonical links and
// cache keys survive a new port.

import { createHash } from 'node:crypto';
import { type FakeServer, type FakeServerOptions, revalidated, serveFake } from './fake-server.ts';

export const DEMO_GITEA_REPO = 'tally-books/tally';
/** An issue deleted upstream: it answers 404, so a known URL of it gives a `_deleted` record. */
export const DEMO_GITEA_DELETED = 21;

export type { FakeRequest } from './fake-server.ts';

export interface FakeGiteaOptions extends FakeServerOptions {
  /** Leave the Link header out, as servers before Gitea 1.12 did. */
  readonly omitLink?: boolean;
}

export type FakeGitea = FakeServer;

/** One issue or pull request of the demo repository. */
export interface FakeGiteaIssue {
  readonly number: number;
  readonly title: string;
  readonly body: string;
  readonly state: 'open' | 'closed';
  readonly user: number;
  readonly assignees: readonly number[];
  readonly labels: readonly string[];
  readonly comments: number;
  readonly milestone: string | null;
  readonly pull: boolean;
  /** ms since the epoch */
  readonly created: number;
  readonly updated: number;
}

// ------------------------------------------------------------------------------------------------
// Demo data: deterministic, from a small integer hash.

const PEOPLE: readonly { readonly login: string; readonly fullName: string }[] = [
  { login: 'ines-b', fullName: 'Inès Brandt' },
  { login: 'jokull', fullName: '' },
  { login: 'pia-m', fullName: 'Pia Marsh' },
  { login: 'rafa', fullName: 'Rafael Costa' },
  { login: 'noor_h', fullName: 'Noor Haddad' },
  { login: 'sven', fullName: 'Sven Lindgren' },
  { login: 'yuki.s', fullName: '' },
];
const MAINTAINERS = 2;

/** Scoped labels in Forgejo's style; `Kind/*` are exclusive. */
const LABELS: Readonly<Record<string, { readonly color: string; readonly description: string }>> = {
  'Kind/Bug': { color: 'ee0701', description: 'Something is not working' },
  'Kind/Feature': { color: '0288d1', description: 'New functionality' },
  'Kind/Documentation': { color: '37474f', description: 'Documentation changes' },
  'Kind/Testing': { color: '795548', description: 'Issue or pull request related to testing' },
  'good first issue': { color: '7057ff', description: 'Good for newcomers' },
  'Priority/High': { color: 'b71c1c', description: 'The priority is high' },
  'Compat/Breaking': { color: 'c62828', description: 'Breaking change that will not be backported' },
};

const COMMANDS = ['tally balance', 'tally register', 'tally import', 'tally check', 'tally prices', 'tally budget', 'tally fmt'];
const BUGS = ['rounds negative amounts towards zero', 'sorts postings by the wrong date', 'rejects a valid price directive', 'double counts virtual postings', 'crashes on an empty file', 'ignores the --begin date', 'prints commodities in the wrong order'];
const WHEN = ['the journal uses comma decimals', 'an account name has a space', 'a transaction spans midnight in UTC+13', 'the file has a BOM', 'two commodities share a symbol', 'the price database is empty'];
const FEATURES = ['a CSV import mapping file', 'periodic transactions', 'a --pivot option for tags', 'an HTML report', 'reading journals from stdin', 'shell completions for account names'];
const DOCS = ['the price database format', 'the import rules', 'virtual postings', 'the budget report', 'migrating from ledger-cli'];
const MILESTONES = ['v0.9', 'v1.0'];
const ISSUE_COUNT = 112;
const START = Date.parse('2024-01-08T08:30:00Z');
const HOUR = 3_600_000;

function mix(n: number, salt: number): number {
  let h = Math.imul(n ^ 0x7f4a7c15, 0x85ebca6b) ^ Math.imul(salt + 0x165667b1, 0xc2b2ae35);
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b);
  return (h ^ (h >>> 16)) >>> 0;
}

function pick<T>(items: readonly T[], n: number, salt: number): T {
  const item = items[mix(n, salt) % items.length];
  if (item === undefined) throw new Error('pick from an empty list');
  return item;
}

/** The demo repository's issues and pull requests (the deleted issue left out), the same on every call. */
export function demoGiteaIssues(): FakeGiteaIssue[] {
  const issues: FakeGiteaIssue[] = [];
  for (let number = 1; number <= ISSUE_COUNT; number++) {
    if (number === DEMO_GITEA_DELETED) continue;
    const pull = mix(number, 1) % 100 < 15;
    const roll = mix(number, 2) % 100;
    const kind = roll < 50 ? 'Kind/Bug' : roll < 78 ? 'Kind/Feature' : roll < 92 ? 'Kind/Documentation' : 'Kind/Testing';
    const command = pick(COMMANDS, number, 3);
    const title = pull
      ? `${command}: ${kind === 'Kind/Documentation' ? 'fix the manual page' : `handle ${pick(WHEN, number, 4)}`}`
      : kind === 'Kind/Bug'
        ? `${command} ${pick(BUGS, number, 4)} when ${pick(WHEN, number, 5)}`
        : kind === 'Kind/Feature'
          ? `Support ${pick(FEATURES, number, 4)}`
          : kind === 'Kind/Documentation'
            ? `Explain ${pick(DOCS, number, 4)} in the manual`
            : `Add regression tests for ${command}`;
    const labels = [kind];
    if (!pull && mix(number, 6) % 100 < 20) labels.push('good first issue');
    if (kind === 'Kind/Bug' && mix(number, 7) % 5 === 0) labels.push('Priority/High');
    if (pull && mix(number, 8) % 7 === 0) labels.push('Compat/Breaking');
    // An empty description is "", never null.
    const body =
      mix(number, 9) % 8 === 0
        ? ''
        : kind === 'Kind/Bug'
          ? `Running \`${command}\` on this journal:\n\n\`\`\`\n2024-03-01 Groceries\n    expenses:food      -0,01 EUR\n    assets:cash\n\`\`\`\n\nExpected the amount to stay -0,01 EUR.`
          : `${title}.\n\nThis comes up on the forum every few weeks.`;
    const created = START + number * 132 * HOUR + (mix(number, 10) % 24) * HOUR;
    const updated = created + (mix(number, 11) % (30 * 24)) * HOUR + (mix(number, 12) % 3600) * 1000;
    const assigned = mix(number, 13) % 3;
    issues.push({
      number,
      title,
      body,
      state: mix(number, 14) % 100 < (pull ? 70 : 35) ? 'closed' : 'open',
      user: mix(number, 15) % PEOPLE.length,
      assignees: assigned === 0 ? [] : assigned === 1 ? [mix(number, 16) % MAINTAINERS] : [0, 1],
      labels,
      comments: mix(number, 17) % 3 === 0 ? 0 : mix(number, 18) % 11,
      milestone: mix(number, 19) % 4 === 0 ? pick(MILESTONES, number, 20) : null,
      pull,
      created,
      updated,
    });
  }
  return issues;
}

/**
 * Gitea writes times in the server's zone, here Central European: `2024-03-05T11:12:13+01:00`
 * in winter, `+02:00` in summer (by month; the demo needs no exact switch days).
 */
function localTime(ms: number): string {
  const month = new Date(ms).getUTCMonth() + 1;
  const offset = month >= 4 && month <= 10 ? 2 : 1;
  return `${new Date(ms + offset * HOUR).toISOString().slice(0, 19)}+0${offset}:00`;
}

// ------------------------------------------------------------------------------------------------

export function startFakeGitea(options: FakeGiteaOptions = {}): FakeGitea {
  const issues = demoGiteaIssues();
  let root = '';
  const [ownerName = '', repoName = ''] = DEMO_GITEA_REPO.split('/');

  const user = (index: number): Record<string, unknown> => {
    const person = PEOPLE[index] ?? { login: 'Ghost', fullName: '' };
    const id = 48_000 + index;
    return {
      id,
      login: person.login,
      login_name: '',
      source_id: 0,
      full_name: person.fullName,
      email: `${person.login}@noreply.${new URL(root).hostname}`,
      avatar_url: `${root}/avatars/${createHash('md5').update(person.login).digest('hex')}`,
      html_url: `${root}/${person.login}`,
      language: '',
      is_admin: false,
      last_login: '0001-01-01T00:00:00Z',
      created: localTime(START - 400 * 24 * HOUR + index * 1000 * HOUR),
      restricted: false,
      active: false,
      prohibit_login: false,
      location: '',
      website: '',
      description: '',
      visibility: 'public',
      followers_count: 0,
      following_count: 0,
      starred_repos_count: 0,
      username: person.login,
    };
  };

  const labelJson = (name: string): Record<string, unknown> => {
    const id = 7100 + Object.keys(LABELS).indexOf(name);
    return {
      id,
      name,
      exclusive: name.includes('/'),
      is_archived: false,
      color: LABELS[name]?.color ?? 'ededed',
      description: LABELS[name]?.description ?? '',
      url: `${root}/api/v1/repos/${DEMO_GITEA_REPO}/labels/${id}`,
    };
  };

  const milestoneJson = (title: string): Record<string, unknown> => {
    const members = issues.filter((i) => i.milestone === title);
    return {
      id: 9900 + MILESTONES.indexOf(title),
      title,
      description: '',
      state: 'open',
      open_issues: members.filter((i) => i.state === 'open').length,
      closed_issues: members.filter((i) => i.state === 'closed').length,
      created_at: localTime(START),
      updated_at: localTime(Math.max(START, ...members.map((i) => i.updated))),
      closed_at: null,
      due_on: null,
    };
  };

  const issueJson = (issue: FakeGiteaIssue): Record<string, unknown> => {
    const kind = issue.pull ? 'pulls' : 'issues';
    const closed = issue.state === 'closed';
    return {
      id: 2_200_000 + issue.number,
      url: `${root}/api/v1/repos/${DEMO_GITEA_REPO}/issues/${issue.number}`,
      html_url: `${root}/${DEMO_GITEA_REPO}/${kind}/${issue.number}`,
      number: issue.number,
      user: user(issue.user),
      original_author: '',
      original_author_id: 0,
      title: issue.title,
      body: issue.body,
      ref: '',
      assets: [],
      labels: issue.labels.map(labelJson),
      milestone: issue.milestone === null ? null : milestoneJson(issue.milestone),
      assignee: issue.assignees[0] === undefined ? null : user(issue.assignees[0]),
      // No assignee is `null`, not `[]`.
      assignees: issue.assignees.length === 0 ? null : issue.assignees.map(user),
      state: issue.state,
      is_locked: false,
      comments: issue.comments,
      created_at: localTime(issue.created),
      updated_at: localTime(issue.updated),
      closed_at: closed ? localTime(issue.updated) : null,
      due_date: null,
      pull_request: issue.pull
        ? { merged: closed, merged_at: closed ? localTime(issue.updated) : null, draft: false, html_url: `${root}/${DEMO_GITEA_REPO}/pulls/${issue.number}` }
        : null,
      repository: { id: 183_310, name: repoName, owner: ownerName, full_name: DEMO_GITEA_REPO },
      pin_order: 0,
    };
  };

  interface Reply {
    readonly status: number;
    readonly body: unknown;
    readonly headers?: Record<string, string>;
  }

  const notFound = (): Reply => ({ status: 404, body: { errors: null, message: "The target couldn't be found.", url: `${root}/api/swagger` } });

  /** GET /api/v1/repos/:owner/:repo/issues */
  const listIssues = (path: string, params: URLSearchParams): Reply => {
    const state = params.get('state') ?? 'open';
    const type = params.get('type');
    const labels = (params.get('labels') ?? '').split(',').map((l) => l.trim()).filter((l) => l !== '');
    const since = params.has('since') ? Date.parse(params.get('since') ?? '') : undefined;
    const before = params.has('before') ? Date.parse(params.get('before') ?? '') : undefined;
    if ((since !== undefined && Number.isNaN(since)) || (before !== undefined && Number.isNaN(before))) {
      return { status: 422, body: { message: 'parsing time: invalid since or before', url: `${root}/api/swagger` } };
    }
    const chosen = issues
      .filter((i) => state === 'all' || i.state === state)
      .filter((i) => type === null || (type === 'pulls') === i.pull)
      .filter((i) => labels.every((l) => i.labels.includes(l)))
      .filter((i) => (since === undefined || i.updated >= since) && (before === undefined || i.updated <= before))
      .sort((a, b) => b.created - a.created || b.number - a.number);

    // Gitea: DEFAULT_PAGING_NUM 30, MAX_RESPONSE_ITEMS 50.
    const limitRaw = Number(params.get('limit') ?? '30');
    const limit = Number.isInteger(limitRaw) && limitRaw >= 1 ? Math.min(limitRaw, 50) : 30;
    const pageRaw = Number(params.get('page') ?? '1');
    const page = Number.isInteger(pageRaw) && pageRaw >= 1 ? pageRaw : 1;
    const pages = Math.ceil(chosen.length / limit);
    const items = chosen.slice((page - 1) * limit, page * limit);

    // Gitea's Link: AppURL + path, the query with page and limit set; no space after the commas.
    const at = (p: number): string => {
      const q = new URLSearchParams(params);
      q.set('limit', String(limit));
      q.set('page', String(p));
      return `<${root}${path}?${q.toString()}>`;
    };
    const links: string[] = [];
    if (page < pages) links.push(`${at(page + 1)}; rel="next"`, `${at(pages)}; rel="last"`);
    if (page > 1) links.push(`${at(1)}; rel="first"`, `${at(page - 1)}; rel="prev"`);
    const headers: Record<string, string> = { 'x-total-count': String(chosen.length) };
    if (links.length > 0 && !options.omitLink) headers.link = links.join(',');
    return { status: 200, body: items.map(issueJson), headers };
  };

  const route = (url: URL): Reply => {
    if (url.pathname === '/api/v1/version') return { status: 200, body: { version: '9.0.3+gitea-1.22.0' } };
    const m = /^\/api\/v1\/repos\/([^/]+)\/([^/]+)\/issues(?:\/(\d+))?\/?$/.exec(url.pathname);
    if (!m || `${decodeURIComponent(m[1] ?? '')}/${decodeURIComponent(m[2] ?? '')}`.toLowerCase() !== DEMO_GITEA_REPO) return notFound();
    if (m[3] === undefined) return listIssues(url.pathname, url.searchParams);
    const issue = issues.find((i) => i.number === Number(m[3]));
    return issue === undefined ? notFound() : { status: 200, body: issueJson(issue) };
  };

  const server = serveFake('fake Gitea', options, (req, url) => {
    const reply = req.method === 'GET' ? route(url) : { status: 405, body: { message: 'Method Not Allowed' } };
    const body = JSON.stringify(reply.body);
    const etag = `"${createHash('sha1').update(body).digest('hex')}"`;
    const headers = new Headers({
      'cache-control': 'max-age=0, private, must-revalidate, no-transform',
      'access-control-expose-headers': 'X-Total-Count, Link',
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'SAMEORIGIN',
      ...(reply.headers ?? {}),
      etag,
      'content-type': 'application/json;charset=utf-8',
    });
    if (reply.status !== 200) return new Response(body, { status: reply.status, headers });
    return revalidated(req, body, headers, etag);
  });
  root = server.publicUrl;
  return server;
}

/**
 * The demo's Gitea/Forgejo tracker entry for a fake at `origin`: YAML lines of one list item,
 * indented to sit under `trackers:` (no trailing newline). It uses the `forgejo` alias, and lists
 * one deleted issue, which comes out as a `_deleted` record.
 */
export function demoGiteaEntry(origin: string): string {
  const o = origin.replace(/\/+$/, '');
  const known = demoGiteaIssues().find((i) => !i.pull)?.number ?? 1;
  return [
    '  - tracker_name: Tally',
    '    bugimporter: forgejo',
    `    base_url: ${o}/`,
    `    repo: ${DEMO_GITEA_REPO}`,
    '    state: open',
    '    bitesized_tag: good first issue',
    '    documentation_tag: Kind/Documentation',
    '    bug_project_name_format: "{product}"',
    '    existing_bug_urls:',
    `      - ${o}/${DEMO_GITEA_REPO}/issues/${DEMO_GITEA_DELETED}`,
    `      - ${o}/${DEMO_GITEA_REPO}/issues/${known}`,
  ].join('\n');
}
