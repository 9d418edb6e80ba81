// A fake GitHub REST API on 127.0.0.1, for `customs demo` and the engine's integration tests.
// It answers issue lists (Link paging, filters), single issues, a small issue search and the
// rate-limit endpoint with GitHub's shapes and headers: strong ETags and 304s, gzip, Cache-Control,
// x-ratelimit-*. Tests queue faults (5xx, 429/403 with Retry-After, dropped connections) and edit
// the data between runs (update, add, delete, transfer). The same host serves the issues' web
// pages, so `html_url` (the canonical bug link) points at the fake too.

import { createHash } from 'node:crypto';
import { abortableSleep, isNotModified } from './fake-server.ts';

/** One issue or pull request as the test or demo describes it; the server renders GitHub's JSON. */
export interface FakeIssue {
  number: number;
  title: string;
  /** GitHub sends `null` for an empty body. */
  body: string | null;
  state: 'open' | 'closed';
  /** Login of the author. */
  user: string;
  /** Logins; the first one is also `assignee`. */
  assignees: string[];
  /** Label names; colours and ids are derived from the name. */
  labels: string[];
  /** Number of comments. */
  comments: number;
  /** `YYYY-MM-DDTHH:MM:SSZ` */
  created_at: string;
  updated_at: string;
  closed_at: string | null;
  /** A pull request: listed among the issues with a `pull_request` object, as GitHub does. */
  is_pull?: boolean;
  /** Milestone title. */
  milestone?: string | null;
}

export interface FakeRepo {
  owner: string;
  name: string;
  description?: string;
  issues: FakeIssue[];
}

export interface FakeGithubOptions {
  repos: FakeRepo[];
  /** Added to every answer, faults and 304s included (default 0). */
  latencyMs?: number;
  /**
   * The primary-limit scenario, as GitHub does it when the token's quota runs out: once `requests`
   * non-304 core requests have been answered, the core quota is exhausted until now +
   * `resetInSeconds`. Every core request before that moment gets 403
   * `{"message":"API rate limit exceeded for …"}` with `x-ratelimit-remaining: 0` and
   * `x-ratelimit-reset: <epoch s>`; a client that waits for the reset sees exactly one 403. After
   * the reset a fresh window of 5000 starts. It happens once per server.
   * With `announce: true` the last allowed answer (request number `requests`) is already a 200
   * with `x-ratelimit-remaining: 0` (the client itself spent the last unit), so a client that
   * honours that header pauses before any 403.
   */
  rateLimitAfter?: { requests: number; resetInSeconds: number; announce?: boolean };
  /** Default `private, max-age=60, s-maxage=60` like GitHub; tests set `no-cache`. */
  cacheControl?: string;
  /**
   * The origin written into bodies and headers (`url`, `html_url`, `Link`, `Location`) instead of
   * the listening address, e.g. `http://github.demo.localhost`; the client dials it at `url`. The
   * demo uses it so cache keys and canonical links survive a new port. Default: `url`.
   */
  publicUrl?: string;
  /** Search quota per minute (GitHub: 30 with a token). Default 30. */
  searchRateLimit?: number;
}

/** A queued misbehaviour for matching requests; see {@link FakeGithub.fault}. */
export interface Fault {
  /** Default 503. Ignored with `dropConnection`. */
  status?: number;
  /** How many matching requests get it (default 1); `Infinity` for every one. */
  times?: number;
  /** Seconds, sent as `Retry-After`. */
  retryAfter?: number;
  /** Message of the default JSON body `{message, documentation_url}`. */
  message?: string;
  /** A body instead of the default: a string is sent as is, anything else as JSON. */
  body?: string | object;
  /** Content type of a string `body`; default from its first character (`<` HTML, `{`/`[` JSON, else text). */
  contentType?: string;
  headers?: Record<string, string>;
  /**
   * Reset the connection without an answer (the client sees ECONNRESET; recorded status 0).
   * undici reports it; Bun's own fetch silently retries a GET once on a reused keep-alive
   * connection, so with it use `keepalive: false` or `times: 2`.
   */
  dropConnection?: boolean;
  /** Wait this long before answering (or dropping); for timeout tests. */
  delayMs?: number;
}

export interface RecordedRequest {
  readonly method: string;
  /** Path and query as sent, e.g. `/repos/o/r/issues?state=open&per_page=100`. */
  readonly path: string;
  /** Every request header, names in lower case, values as given (Authorization included). */
  readonly headers: Readonly<Record<string, string>>;
  /** Status answered; 0 for a dropped connection or while the answer is pending. */
  readonly status: number;
  /** When the request arrived, ms since the epoch. */
  readonly at: number;
}

export interface FakeGithub {
  /** Where the server listens: API root and web root, e.g. `http://127.0.0.1:43123`. */
  readonly url: string;
  /** The origin the answers name (`publicUrl` when given, else `url`). */
  readonly publicUrl: string;
  /** Every request in arrival order. */
  readonly requests: readonly RecordedRequest[];
  /** Requests being answered now, and the most at once since the start (for per-host limits). */
  readonly inFlight: number;
  readonly maxInFlight: number;
  /**
   * Queue a fault for requests whose path+query starts with `match` (or matches the RegExp).
   * A page link such as `/repositories/<id>/issues?page=2` is also tried as
   * `/repos/<owner>/<name>/issues?page=2`, so one prefix covers every page. Faults are taken in
   * the order queued: `fault(p, {status: 503, times: 2}); fault(p, {status: 429})` answers 503,
   * 503, 429, then normally. Faults answer before the rate limit and do not spend it.
   */
  fault(match: string | RegExp, fault: Fault): void;
  /** The current state of an issue (a copy), undefined when deleted or transferred. */
  getIssue(owner: string, repo: string, number: number): FakeIssue | undefined;
  /**
   * Change an issue. `updated_at` is bumped past every issue of the server and past now (unless
   * the change gives it), so `since` lists and ETags see the change. Closing sets `closed_at`,
   * reopening clears it. Throws when the issue does not exist.
   */
  updateIssue(owner: string, repo: string, number: number, change: Partial<FakeIssue>): FakeIssue;
  /** Add an issue (the repository is created when missing). Throws when the number is taken. */
  addIssue(owner: string, repo: string, issue: FakeIssue): void;
  /**
   * Delete an issue: it leaves the lists and `GET /repos/o/r/issues/n` answers 404
   * `{"message":"Not Found"}` (or 410 "This issue was deleted", which GitHub itself sends to
   * those who could see the issue, with `{status: 410}`).
   */
  deleteIssue(owner: string, repo: string, number: number, options?: { status?: 404 | 410 }): void;
  /**
   * Move an issue to another repository (created when missing) under the next free number, which
   * is returned. `GET` on the old API URL answers 301 with `Location:
   * <url>/repositories/<id>/issues/<new>` (GitHub's form); the old web URL redirects too.
   */
  transferIssue(owner: string, repo: string, number: number, toOwner: string, toRepo: string): number;
  /** The numeric id GitHub would give the repository (used in `/repositories/<id>/…` links). */
  repoId(owner: string, repo: string): number;
  /** Forget the recorded requests. */
  clearRequests(): void;
  stop(): Promise<void>;
}

/** A plain issue with sensible defaults, for tests that build their own repositories. */
export function fakeIssue(number: number, change: Partial<FakeIssue> = {}): FakeIssue {
  const at = '2025-03-01T12:00:00Z';
  return {
    number,
    title: `Issue ${number}`,
    body: `Body of issue ${number}.`,
    state: 'open',
    user: 'octo-reporter',
    assignees: [],
    labels: [],
    comments: 0,
    created_at: at,
    updated_at: at,
    closed_at: null,
    ...change,
  };
}

// ------------------------------------------------------------------------------------------------
// Internal state

interface StoredIssue extends FakeIssue {
  /** GitHub's numeric id; kept across a transfer. */
  readonly id: number;
}

type Tombstone = { readonly kind: 'deleted'; readonly status: 404 | 410 } | { readonly kind: 'moved'; readonly repo: StoredRepo; readonly number: number };

interface StoredRepo {
  readonly owner: string;
  readonly name: string;
  readonly description: string;
  readonly id: number;
  readonly issues: Map<number, StoredIssue>;
  readonly tombstones: Map<number, Tombstone>;
}

interface Bucket {
  readonly resource: 'core' | 'search';
  readonly limit: number;
  readonly windowSeconds: number;
  remaining: number;
  /** Epoch seconds. */
  reset: number;
}

interface MutableRecord {
  method: string;
  path: string;
  headers: Record<string, string>;
  status: number;
  at: number;
}

interface Reply {
  status: number;
  /** Serialised body; null for none. */
  body: string | null;
  contentType: string;
  headers: Record<string, string>;
  /** The rate-limit bucket this answer spends; null for web pages and `/rate_limit`. */
  bucket: Bucket | null;
  /** ms epoch; becomes `Last-Modified` and serves `If-Modified-Since`. */
  lastModified?: number;
  /** The answer is the primary rate-limit refusal (spends nothing). */
  refusal?: boolean;
}

const JSON_TYPE = 'application/json; charset=utf-8';
const HTML_TYPE = 'text/html; charset=utf-8';
const DOCS = 'https://docs.github.com/rest';
const CORE_LIMIT = 5000;

/** GitHub's default label colours; other labels get a colour from their name. */
const DEFAULT_LABELS: Readonly<Record<string, { color: string; description: string }>> = {
  bug: { color: 'd73a4a', description: "Something isn't working" },
  documentation: { color: '0075ca', description: 'Improvements or additions to documentation' },
  duplicate: { color: 'cfd3d7', description: 'This issue or pull request already exists' },
  enhancement: { color: 'a2eeef', description: 'New feature or request' },
  'good first issue': { color: '7057ff', description: 'Good for newcomers' },
  'help wanted': { color: '008672', description: 'Extra attention is needed' },
  invalid: { color: 'e4e669', description: "This doesn't seem right" },
  question: { color: 'd876e3', description: 'Further information is requested' },
  wontfix: { color: 'ffffff', description: 'This will not be worked on' },
};
const LABEL_PALETTE = ['fbca04', '0e8a16', '1d76db', 'b60205', '5319e7', 'c5def5', 'bfd4f2', 'f9d0c4', 'd4c5f9', '006b75'];

function hashInt(text: string, modulo: number): number {
  const hex = createHash('sha1').update(text).digest('hex').slice(0, 12);
  return Number.parseInt(hex, 16) % modulo;
}

function nodeId(prefix: string, id: number): string {
  return prefix + Buffer.from(`0:${id}`).toString('base64url');
}

function repoKey(owner: string, name: string): string {
  return `${owner}/${name}`.toLowerCase();
}

function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function wantsGzip(acceptEncoding: string | null): boolean {
  if (acceptEncoding === null) return false;
  for (const part of acceptEncoding.split(',')) {
    const [coding = '', ...params] = part.trim().toLowerCase().split(';');
    if (coding !== 'gzip' && coding !== 'x-gzip' && coding !== '*') continue;
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    if (q === undefined || Number(q.slice(2)) > 0) return true;
  }
  return false;
}

/** Page size as GitHub reads it: default 30, at most 100. */
function pageParams(params: URLSearchParams): { perPage: number; page: number } {
  const perRaw = Number(params.get('per_page') ?? '');
  const pageRaw = Number(params.get('page') ?? '');
  const perPage = Number.isInteger(perRaw) && perRaw >= 1 ? Math.min(perRaw, 100) : 30;
  const page = Number.isInteger(pageRaw) && pageRaw >= 1 ? pageRaw : 1;
  return { perPage, page };
}

/**
 * GitHub's Link header: `prev, next, last, first` in that order, each present only when it makes
 * sense (no header at all for a single page); the other query parameters are kept.
 */
function linkHeader(base: string, params: URLSearchParams, page: number, lastPage: number): string | undefined {
  const at = (p: number): string => {
    const q = new URLSearchParams(params);
    q.set('page', String(p));
    return `<${base}?${q.toString()}>`;
  };
  const links: string[] = [];
  if (page > 1) links.push(`${at(page - 1)}; rel="prev"`);
  if (page < lastPage) links.push(`${at(page + 1)}; rel="next"`, `${at(lastPage)}; rel="last"`);
  if (page > 1) links.push(`${at(1)}; rel="first"`);
  return links.length > 0 ? links.join(', ') : undefined;
}

function sortIssues(issues: StoredIssue[], sort: string | null, direction: string | null): StoredIssue[] {
  const key = (i: StoredIssue): number =>
    sort === 'updated' ? Date.parse(i.updated_at) : sort === 'comments' ? i.comments : Date.parse(i.created_at);
  const sign = direction === 'asc' ? 1 : -1;
  return issues.sort((a, b) => sign * (key(a) - key(b) || a.number - b.number));
}

// ------------------------------------------------------------------------------------------------
// Search query: `repo:o/r label:"good first issue" -label:wontfix state:open is:issue words…`

interface SearchQuery {
  repos: string[];
  labels: string[][];
  notLabels: string[];
  state?: 'open' | 'closed';
  kind?: 'issue' | 'pr';
  author?: string;
  assignee?: string;
  dates: { field: 'created_at' | 'updated_at'; op: string; at: number }[];
  words: string[];
}

function parseSearch(q: string): SearchQuery {
  const query: SearchQuery = { repos: [], labels: [], notLabels: [], dates: [], words: [] };
  const token = /(-?)([a-zA-Z]+):(?:"([^"]*)"|(\S+))|"([^"]*)"|(\S+)/g;
  for (const m of q.matchAll(token)) {
    const [, neg = '', qualifier, quoted, bare, phrase, word] = m;
    if (qualifier === undefined) {
      const text = (phrase ?? word ?? '').toLowerCase();
      if (text !== '') query.words.push(text);
      continue;
    }
    const value = quoted ?? bare ?? '';
    switch (qualifier.toLowerCase()) {
      case 'repo':
        query.repos.push(value.toLowerCase());
        break;
      case 'label': {
        const names = value.split(',').map((l) => l.trim().toLowerCase()).filter((l) => l !== '');
        if (neg === '-') query.notLabels.push(...names);
        else query.labels.push(names);
        break;
      }
      case 'state':
        if (value === 'open' || value === 'closed') query.state = value;
        break;
      case 'is':
      case 'type':
        if (value === 'open' || value === 'closed') query.state = value;
        else if (value === 'issue') query.kind = 'issue';
        else if (value === 'pr' || value === 'pull-request') query.kind = 'pr';
        break;
      case 'author':
        query.author = value.toLowerCase();
        break;
      case 'assignee':
        query.assignee = value.toLowerCase();
        break;
      case 'created':
      case 'updated': {
        const m2 = /^(>=|<=|>|<)?(.+)$/.exec(value);
        const at = Date.parse(m2?.[2] ?? '');
        if (!Number.isNaN(at)) {
          const field = qualifier.toLowerCase() === 'created' ? 'created_at' : 'updated_at';
          query.dates.push({ field, op: m2?.[1] ?? '>=', at });
        }
        break;
      }
      default:
        break;
    }
  }
  return query;
}

function searchMatches(query: SearchQuery, repo: StoredRepo, issue: StoredIssue): boolean {
  if (query.repos.length > 0 && !query.repos.includes(repoKey(repo.owner, repo.name))) return false;
  if (query.state !== undefined && issue.state !== query.state) return false;
  if (query.kind === 'issue' && issue.is_pull === true) return false;
  if (query.kind === 'pr' && issue.is_pull !== true) return false;
  if (query.author !== undefined && issue.user.toLowerCase() !== query.author) return false;
  if (query.assignee !== undefined && !issue.assignees.some((a) => a.toLowerCase() === query.assignee)) return false;
  const labels = issue.labels.map((l) => l.toLowerCase());
  if (!query.labels.every((anyOf) => anyOf.some((l) => labels.includes(l)))) return false;
  if (query.notLabels.some((l) => labels.includes(l))) return false;
  for (const d of query.dates) {
    const v = Date.parse(issue[d.field]);
    const ok = d.op === '>' ? v > d.at : d.op === '<' ? v < d.at : d.op === '<=' ? v <= d.at : v >= d.at;
    if (!ok) return false;
  }
  const text = `${issue.title}\n${issue.body ?? ''}`.toLowerCase();
  return query.words.every((w) => text.includes(w));
}

// ------------------------------------------------------------------------------------------------

export function startFakeGithub(options: FakeGithubOptions): FakeGithub {
  const latencyMs = options.latencyMs ?? 0;
  const cacheControl = options.cacheControl ?? 'private, max-age=60, s-maxage=60';
  const scenario = options.rateLimitAfter;
  const repos = new Map<string, StoredRepo>();
  const reposById = new Map<number, StoredRepo>();
  const recorded: MutableRecord[] = [];
  const faults: { match: string | RegExp; fault: Fault; left: number }[] = [];
  const stopping = new AbortController();
  const sleep = abortableSleep(stopping.signal);
  let stopped: Promise<void> | undefined;
  let requestCounter = 0;
  let coreCounted = 0;
  let scenarioFired = false;
  let inFlight = 0;
  let maxInFlight = 0;

  const startSeconds = Math.ceil(Date.now() / 1000);
  const core: Bucket = { resource: 'core', limit: CORE_LIMIT, windowSeconds: 3600, remaining: CORE_LIMIT, reset: startSeconds + 3600 };
  const searchLimit = options.searchRateLimit ?? 30;
  const search: Bucket = { resource: 'search', limit: searchLimit, windowSeconds: 60, remaining: searchLimit, reset: startSeconds + 60 };

  function ensureRepo(owner: string, name: string, description = ''): StoredRepo {
    const key = repoKey(owner, name);
    const existing = repos.get(key);
    if (existing) return existing;
    let id = 10_000_000 + hashInt(`repo:${key}`, 890_000_000);
    while (reposById.has(id)) id += 1;
    const repo: StoredRepo = { owner, name, description, id, issues: new Map(), tombstones: new Map() };
    repos.set(key, repo);
    reposById.set(id, repo);
    return repo;
  }

  function store(repo: StoredRepo, issue: FakeIssue, id?: number): StoredIssue {
    const copy: StoredIssue = {
      ...structuredClone(issue),
      id: id ?? 1_000_000_000 + hashInt(`issue:${repoKey(repo.owner, repo.name)}#${issue.number}`, 1_000_000_000),
    };
    repo.issues.set(issue.number, copy);
    return copy;
  }

  for (const r of options.repos) {
    const repo = ensureRepo(r.owner, r.name, r.description ?? '');
    for (const issue of r.issues) {
      if (repo.issues.has(issue.number)) throw new Error(`fake GitHub: ${r.owner}/${r.name} has issue #${issue.number} twice`);
      store(repo, issue);
    }
  }

  function findRepo(owner: string, name: string): StoredRepo | undefined {
    return repos.get(repoKey(owner, name));
  }

  function mustFind(owner: string, name: string, number: number): { repo: StoredRepo; issue: StoredIssue } {
    const repo = findRepo(owner, name);
    const issue = repo?.issues.get(number);
    if (repo === undefined || issue === undefined) throw new Error(`fake GitHub: no issue ${owner}/${name}#${number}`);
    return { repo, issue };
  }

  /** An `updated_at` later than every issue of the server and not before now. */
  function nextUpdatedAt(): string {
    let latest = Math.floor(Date.now() / 1000) * 1000;
    for (const repo of repos.values()) {
      for (const issue of repo.issues.values()) latest = Math.max(latest, Date.parse(issue.updated_at) + 1000);
    }
    return isoSeconds(latest);
  }

  // ----------------------------------------------------------------------------------------------
  // JSON shapes

  let root = '';

  function userJson(login: string): Record<string, unknown> {
    const id = 1000 + hashInt(`user:${login.toLowerCase()}`, 190_000_000);
    const bot = login.endsWith('[bot]');
    const api = `${root}/users/${encodeURIComponent(login)}`;
    return {
      login,
      id,
      node_id: nodeId(bot ? 'BOT_kgDO' : 'U_kgDO', id),
      avatar_url: `${root}/avatars/u/${id}?v=4`,
      gravatar_id: '',
      url: api,
      html_url: bot ? `${root}/apps/${login.slice(0, -'[bot]'.length)}` : `${root}/${login}`,
      followers_url: `${api}/followers`,
      following_url: `${api}/following{/other_user}`,
      gists_url: `${api}/gists{/gist_id}`,
      starred_url: `${api}/starred{/owner}{/repo}`,
      subscriptions_url: `${api}/subscriptions`,
      organizations_url: `${api}/orgs`,
      repos_url: `${api}/repos`,
      events_url: `${api}/events{/privacy}`,
      received_events_url: `${api}/received_events`,
      type: bot ? 'Bot' : 'User',
      user_view_type: 'public',
      site_admin: false,
    };
  }

  function labelJson(repo: StoredRepo, name: string): Record<string, unknown> {
    const id = 100_000_000 + hashInt(`label:${repoKey(repo.owner, repo.name)}:${name}`, 9_000_000_000);
    const known = DEFAULT_LABELS[name];
    return {
      id,
      node_id: nodeId('LA_kwDO', id),
      url: `${root}/repos/${repo.owner}/${repo.name}/labels/${encodeURIComponent(name)}`,
      name,
      color: known?.color ?? LABEL_PALETTE[hashInt(name, LABEL_PALETTE.length)] ?? 'ededed',
      default: known !== undefined,
      description: known?.description ?? null,
    };
  }

  function milestoneJson(repo: StoredRepo, title: string): Record<string, unknown> {
    const titles = [...new Set([...repo.issues.values()].map((i) => i.milestone).filter((t): t is string => typeof t === 'string'))].sort();
    const number = titles.indexOf(title) + 1;
    const members = [...repo.issues.values()].filter((i) => i.milestone === title);
    const id = 5_000_000 + hashInt(`milestone:${repoKey(repo.owner, repo.name)}:${title}`, 90_000_000);
    const base = `${root}/repos/${repo.owner}/${repo.name}/milestones/${number}`;
    const created = members.map((i) => i.created_at).sort()[0] ?? '2024-01-01T00:00:00Z';
    const updated = members.map((i) => i.updated_at).sort().at(-1) ?? created;
    return {
      url: base,
      html_url: `${root}/${repo.owner}/${repo.name}/milestone/${number}`,
      labels_url: `${base}/labels`,
      id,
      node_id: nodeId('MI_kwDO', id),
      number,
      title,
      description: '',
      creator: userJson(repo.owner),
      open_issues: members.filter((i) => i.state === 'open').length,
      closed_issues: members.filter((i) => i.state === 'closed').length,
      state: 'open',
      created_at: created,
      updated_at: updated,
      due_on: null,
      closed_at: null,
    };
  }

  function htmlUrl(repo: StoredRepo, issue: StoredIssue): string {
    return `${root}/${repo.owner}/${repo.name}/${issue.is_pull === true ? 'pull' : 'issues'}/${issue.number}`;
  }

  function issueJson(repo: StoredRepo, issue: StoredIssue, single: boolean): Record<string, unknown> {
    const base = `${root}/repos/${repo.owner}/${repo.name}`;
    const url = `${base}/issues/${issue.number}`;
    const html = htmlUrl(repo, issue);
    const pull = issue.is_pull === true;
    const lower = issue.labels.map((l) => l.toLowerCase());
    const stateReason =
      issue.state === 'open' || pull
        ? null
        : lower.includes('duplicate')
          ? 'duplicate'
          : lower.includes('wontfix') || lower.includes('invalid')
            ? 'not_planned'
            : 'completed';
    const authors = new Set([...repo.issues.values()].filter((i) => i.is_pull === true).map((i) => i.user));
    const association =
      issue.user.toLowerCase() === repo.owner.toLowerCase() ? 'OWNER' : authors.has(issue.user) ? 'CONTRIBUTOR' : 'NONE';
    const json: Record<string, unknown> = {
      url,
      repository_url: base,
      labels_url: `${url}/labels{/name}`,
      comments_url: `${url}/comments`,
      events_url: `${url}/events`,
      html_url: html,
      id: issue.id,
      node_id: nodeId(pull ? 'PR_kwDO' : 'I_kwDO', issue.id),
      number: issue.number,
      title: issue.title,
      user: userJson(issue.user),
      labels: issue.labels.map((name) => labelJson(repo, name)),
      state: issue.state,
      locked: false,
      assignee: issue.assignees[0] === undefined ? null : userJson(issue.assignees[0]),
      assignees: issue.assignees.map(userJson),
      milestone: typeof issue.milestone === 'string' ? milestoneJson(repo, issue.milestone) : null,
      comments: issue.comments,
      created_at: issue.created_at,
      updated_at: issue.updated_at,
      closed_at: issue.closed_at,
      author_association: association,
      active_lock_reason: null,
    };
    if (pull) {
      const merged = issue.state === 'closed' && stateReason === 'completed' && !lower.includes('wontfix') ? issue.closed_at : null;
      json.draft = false;
      json.pull_request = { url: `${base}/pulls/${issue.number}`, html_url: html, diff_url: `${html}.diff`, patch_url: `${html}.patch`, merged_at: merged };
    }
    json.body = issue.body;
    if (single) json.closed_by = issue.state === 'closed' ? userJson(issue.assignees[0] ?? issue.user) : null;
    json.reactions = { url: `${url}/reactions`, total_count: 0, '+1': 0, '-1': 0, laugh: 0, hooray: 0, confused: 0, heart: 0, rocket: 0, eyes: 0 };
    json.timeline_url = `${url}/timeline`;
    json.performed_via_github_app = null;
    json.state_reason = stateReason;
    return json;
  }

  function repoJson(repo: StoredRepo): Record<string, unknown> {
    const api = `${root}/repos/${repo.owner}/${repo.name}`;
    const owner = userJson(repo.owner);
    owner.type = 'Organization';
    const all = [...repo.issues.values()];
    return {
      id: repo.id,
      node_id: nodeId('R_kgDO', repo.id),
      name: repo.name,
      full_name: `${repo.owner}/${repo.name}`,
      private: false,
      owner,
      html_url: `${root}/${repo.owner}/${repo.name}`,
      description: repo.description,
      fork: false,
      url: api,
      issues_url: `${api}/issues{/number}`,
      pulls_url: `${api}/pulls{/number}`,
      labels_url: `${api}/labels{/name}`,
      created_at: all.map((i) => i.created_at).sort()[0] ?? '2024-01-01T00:00:00Z',
      updated_at: all.map((i) => i.updated_at).sort().at(-1) ?? '2024-01-01T00:00:00Z',
      has_issues: true,
      open_issues_count: all.filter((i) => i.state === 'open').length,
      default_branch: 'main',
      visibility: 'public',
    };
  }

  // ----------------------------------------------------------------------------------------------
  // Answers

  function json(status: number, value: unknown, bucket: Bucket | null, extra: Partial<Reply> = {}): Reply {
    return { status, body: JSON.stringify(value), contentType: JSON_TYPE, headers: {}, bucket, ...extra };
  }

  function notFound(bucket: Bucket | null, documentation = DOCS): Reply {
    return json(404, { message: 'Not Found', documentation_url: documentation, status: '404' }, bucket);
  }

  function validationFailed(bucket: Bucket, message: string, errors: unknown[]): Reply {
    return json(422, { message, errors, documentation_url: DOCS, status: '422' }, bucket);
  }

  function latest(issues: readonly StoredIssue[]): number | undefined {
    if (issues.length === 0) return undefined;
    return Math.max(...issues.map((i) => Date.parse(i.updated_at)));
  }

  function listIssues(repo: StoredRepo, params: URLSearchParams): Reply {
    const state = params.get('state') ?? 'open';
    const sinceRaw = params.get('since');
    const since = sinceRaw === null ? undefined : Date.parse(sinceRaw);
    if (since !== undefined && Number.isNaN(since)) {
      return validationFailed(core, 'Validation Failed', [{ resource: 'Issue', field: 'since', code: 'invalid' }]);
    }
    const wanted = (params.get('labels') ?? '').split(',').map((l) => l.trim().toLowerCase()).filter((l) => l !== '');
    const chosen = [...repo.issues.values()].filter((i) => {
      if (state !== 'all' && i.state !== (state === 'closed' ? 'closed' : 'open')) return false;
      if (since !== undefined && Date.parse(i.updated_at) < since) return false;
      const labels = i.labels.map((l) => l.toLowerCase());
      return wanted.every((l) => labels.includes(l));
    });
    sortIssues(chosen, params.get('sort'), params.get('direction'));
    const { perPage, page } = pageParams(params);
    const items = chosen.slice((page - 1) * perPage, page * perPage);
    const lastPage = Math.max(1, Math.ceil(chosen.length / perPage));
    const link = linkHeader(`${root}/repositories/${repo.id}/issues`, params, page, lastPage);
    return json(200, items.map((i) => issueJson(repo, i, false)), core, {
      headers: link === undefined ? {} : { link },
      lastModified: latest(items),
    });
  }

  function getIssue(repo: StoredRepo, number: number): Reply {
    const issue = repo.issues.get(number);
    if (issue !== undefined) return json(200, issueJson(repo, issue, true), core, { lastModified: Date.parse(issue.updated_at) });
    const stone = repo.tombstones.get(number);
    if (stone?.kind === 'deleted' && stone.status === 410) {
      return json(410, { message: 'This issue was deleted', documentation_url: `${DOCS}/issues/issues#get-an-issue`, status: '410' }, core);
    }
    if (stone?.kind === 'moved') {
      const target = resolveMove(stone);
      if (target !== undefined) {
        const location = `${root}/repositories/${target.repo.id}/issues/${target.number}`;
        return json(
          301,
          { message: 'Moved Permanently', url: location, documentation_url: 'https://docs.github.com/rest/guides/best-practices-for-using-the-rest-api#follow-redirects' },
          core,
          { headers: { location } },
        );
      }
    }
    return notFound(core, `${DOCS}/issues/issues#get-an-issue`);
  }

  /** Follows a chain of transfers to the issue's current place. */
  function resolveMove(stone: Tombstone): { repo: StoredRepo; number: number } | undefined {
    let current: Tombstone | undefined = stone;
    for (let hops = 0; hops < 20 && current?.kind === 'moved'; hops++) {
      if (current.repo.issues.has(current.number)) return { repo: current.repo, number: current.number };
      current = current.repo.tombstones.get(current.number);
    }
    return undefined;
  }

  function searchIssues(params: URLSearchParams): Reply {
    const q = params.get('q');
    if (q === null || q.trim() === '') {
      return validationFailed(search, 'Validation Failed', [{ resource: 'Search', field: 'q', code: 'missing' }]);
    }
    const query = parseSearch(q);
    const unknown = query.repos.filter((r) => !repos.has(r));
    if (unknown.length > 0) {
      return validationFailed(search, 'Validation Failed', [
        {
          message:
            'The listed users and repositories cannot be searched either because the resources do not exist or you do not have permission to view them.',
          resource: 'Search',
          field: 'q',
          code: 'invalid',
        },
      ]);
    }
    const found: { repo: StoredRepo; issue: StoredIssue }[] = [];
    for (const repo of repos.values()) {
      for (const issue of repo.issues.values()) if (searchMatches(query, repo, issue)) found.push({ repo, issue });
    }
    const sort = params.get('sort');
    const sign = params.get('order') === 'asc' ? 1 : -1;
    const key = (i: StoredIssue): number =>
      sort === 'updated' ? Date.parse(i.updated_at) : sort === 'comments' ? i.comments : Date.parse(i.created_at);
    found.sort((a, b) => sign * (key(a.issue) - key(b.issue) || a.issue.id - b.issue.id));
    const { perPage, page } = pageParams(params);
    if ((page - 1) * perPage >= 1000) {
      return json(422, { message: 'Only the first 1000 search results are available', documentation_url: `${DOCS}/search/search`, status: '422' }, search);
    }
    const reachable = found.slice(0, 1000);
    const items = reachable.slice((page - 1) * perPage, page * perPage);
    const lastPage = Math.max(1, Math.ceil(reachable.length / perPage));
    const link = linkHeader(`${root}/search/issues`, params, page, lastPage);
    const body = {
      total_count: found.length,
      incomplete_results: false,
      items: items.map(({ repo, issue }) => ({ ...issueJson(repo, issue, false), score: 1 })),
    };
    return json(200, body, search, { headers: link === undefined ? {} : { link }, lastModified: latest(items.map((f) => f.issue)) });
  }

  function rateLimitJson(): Reply {
    const now = Date.now();
    roll(core, now);
    roll(search, now);
    const entry = (b: Bucket): Record<string, unknown> => ({ limit: b.limit, used: b.limit - b.remaining, remaining: b.remaining, reset: b.reset });
    return json(200, { resources: { core: entry(core), search: entry(search) }, rate: entry(core) }, null, {
      headers: rateHeaders(core),
    });
  }

  function webPage(repo: StoredRepo, number: number): Reply {
    const issue = repo.issues.get(number);
    if (issue === undefined) {
      const stone = repo.tombstones.get(number);
      const target = stone === undefined ? undefined : resolveMove(stone);
      const moved = target?.repo.issues.get(target.number);
      if (target !== undefined && moved !== undefined) {
        return { status: 301, body: null, contentType: HTML_TYPE, headers: { location: htmlUrl(target.repo, moved) }, bucket: null };
      }
      return { status: 404, body: '<!DOCTYPE html><html><body><h1>404</h1><p>This is not the web page you are looking for.</p></body></html>', contentType: HTML_TYPE, headers: {}, bucket: null };
    }
    const kind = issue.is_pull === true ? 'Pull Request' : 'Issue';
    const html =
      `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">` +
      `<title>${escapeHtml(issue.title)} · ${kind} #${issue.number} · ${escapeHtml(repo.owner)}/${escapeHtml(repo.name)}</title></head>` +
      `<body><h1>${escapeHtml(issue.title)} <span>#${issue.number}</span></h1>` +
      `<p class="state">${issue.state === 'open' ? 'Open' : 'Closed'} · opened by ${escapeHtml(issue.user)} on ${issue.created_at}</p>` +
      `<p class="labels">${issue.labels.map(escapeHtml).join(', ')}</p>` +
      `<pre class="body">${escapeHtml(issue.body ?? 'No description provided.')}</pre>` +
      `<p><small>Served by the customs demo's fake GitHub.</small></p></body></html>`;
    return { status: 200, body: html, contentType: HTML_TYPE, headers: {}, bucket: null, lastModified: Date.parse(issue.updated_at) };
  }

  function route(method: string, url: URL): Reply {
    const segments = url.pathname.replace(/\/+$/, '').split('/').slice(1);
    let parts: string[];
    try {
      parts = segments.map((s) => decodeURIComponent(s));
    } catch {
      return notFound(core);
    }
    const bucket = parts[0] === 'search' ? search : core;
    if (method !== 'GET' && method !== 'HEAD') return notFound(bucket);
    const [a, b, c, d, e, ...rest] = parts;
    if (rest.length > 0) return notFound(bucket);
    const params = url.searchParams;
    if (a === 'rate_limit' && b === undefined) return rateLimitJson();
    if (a === 'search' && b === 'issues' && c === undefined) return searchIssues(params);

    let repo: StoredRepo | undefined;
    let tail: (string | undefined)[] = [];
    if (a === 'repos' && b !== undefined && c !== undefined) {
      repo = findRepo(b, c);
      tail = [d, e];
    } else if (a === 'repositories' && b !== undefined && /^\d+$/.test(b) && e === undefined) {
      repo = reposById.get(Number(b));
      tail = [c, d];
    } else if (a !== undefined && b !== undefined && (c === 'issues' || c === 'pull') && d !== undefined && e === undefined && /^\d+$/.test(d)) {
      const web = findRepo(a, b);
      if (web !== undefined) return webPage(web, Number(d));
      return notFound(null);
    } else {
      return notFound(core);
    }
    if (repo === undefined) return notFound(core);
    const [what, number] = tail;
    if (what === undefined) return json(200, repoJson(repo), core);
    if (what !== 'issues') return notFound(core);
    if (number === undefined) return listIssues(repo, params);
    if (!/^\d+$/.test(number)) return notFound(core);
    return getIssue(repo, Number(number));
  }

  // ----------------------------------------------------------------------------------------------
  // Rate limits

  function roll(bucket: Bucket, now: number): void {
    if (now >= bucket.reset * 1000) {
      bucket.remaining = bucket.limit;
      bucket.reset = Math.ceil(now / 1000) + bucket.windowSeconds;
    }
  }

  function exhaustCore(now: number): void {
    if (scenario === undefined) return;
    scenarioFired = true;
    core.remaining = 0;
    core.reset = Math.ceil(now / 1000 + scenario.resetInSeconds);
  }

  function rateHeaders(bucket: Bucket): Record<string, string> {
    return {
      'x-ratelimit-limit': String(bucket.limit),
      'x-ratelimit-remaining': String(bucket.remaining),
      'x-ratelimit-reset': String(bucket.reset),
      'x-ratelimit-used': String(bucket.limit - bucket.remaining),
      'x-ratelimit-resource': bucket.resource,
    };
  }

  function refusal(bucket: Bucket, authorized: boolean, requestId: string): Reply {
    const message = authorized
      ? `API rate limit exceeded for user ID ${1000 + hashInt('user:token-owner', 190_000_000)}. If you reach out to GitHub Support for help, please include the request ID ${requestId} and timestamp ${new Date().toISOString().replace('T', ' ').replace(/\.\d{3}Z$/, ' UTC')}.`
      : "API rate limit exceeded for 127.0.0.1. (But here's the good news: Authenticated requests get a higher rate limit. Check out the documentation for more details.)";
    return json(403, { message, documentation_url: `${DOCS}/using-the-rest-api/rate-limits-for-the-rest-api`, status: '403' }, bucket, { refusal: true });
  }

  // ----------------------------------------------------------------------------------------------
  // Faults

  /** `/repositories/<id>/rest` also read as `/repos/<owner>/<name>/rest`, so one prefix covers every page. */
  function reposAlias(url: URL): string | undefined {
    const m = /^\/repositories\/(\d+)(\/.*)?$/.exec(url.pathname);
    if (m === null) return undefined;
    const repo = reposById.get(Number(m[1]));
    return repo === undefined ? undefined : `/repos/${repo.owner}/${repo.name}${m[2] ?? ''}${url.search}`;
  }

  function takeFault(url: URL): Fault | undefined {
    const candidates = [url.pathname + url.search, url.href];
    const alias = reposAlias(url);
    if (alias !== undefined) candidates.push(alias);
    for (const entry of faults) {
      if (entry.left <= 0) continue;
      const hit = candidates.some((c) => {
        if (typeof entry.match === 'string') return c.startsWith(entry.match);
        entry.match.lastIndex = 0;
        return entry.match.test(c);
      });
      if (!hit) continue;
      entry.left -= 1;
      return entry.fault;
    }
    return undefined;
  }

  function faultReply(fault: Fault, url: URL, requestId: string): Reply {
    const status = fault.status ?? 503;
    const bucket = url.pathname.startsWith('/search/') ? search : core;
    let body: string;
    let contentType = JSON_TYPE;
    if (typeof fault.body === 'string') {
      body = fault.body;
      const first = body.trimStart()[0];
      contentType = fault.contentType ?? (first === '<' ? HTML_TYPE : first === '{' || first === '[' ? JSON_TYPE : 'text/plain; charset=utf-8');
    } else if (fault.body !== undefined) {
      body = JSON.stringify(fault.body);
    } else {
      const secondary = status === 403 || status === 429;
      const message =
        fault.message ??
        (secondary
          ? `You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID ${requestId}.`
          : (FAULT_MESSAGES[status] ?? 'Error'));
      const documentation = secondary ? `${DOCS}/using-the-rest-api/rate-limits-for-the-rest-api#about-secondary-rate-limits` : DOCS;
      body = JSON.stringify({ message, documentation_url: documentation, status: String(status) });
    }
    const headers: Record<string, string> = {};
    // A secondary limit keeps the primary headers with quota left: that is how clients tell them apart.
    if (status === 403 || status === 429) Object.assign(headers, rateHeaders(bucket));
    if (fault.retryAfter !== undefined) headers['retry-after'] = String(fault.retryAfter);
    Object.assign(headers, fault.headers ?? {});
    return { status, body, contentType, headers, bucket: null };
  }

  // ----------------------------------------------------------------------------------------------
  // The HTTP handler

  /** The strong ETag of a 200 and whether the request's validators make it a 304. */
  function validate(req: Request, reply: Reply): { etag?: string; notModified: boolean } {
    if (reply.status !== 200 || reply.body === null) return { notModified: false };
    // GitHub's ETags depend on who asks: the same page for another token has another ETag.
    const authorization = req.headers.get('authorization') ?? '';
    const etag = `"${createHash('sha256').update(authorization).update('\n').update(reply.body).digest('hex')}"`;
    return { etag, notModified: isNotModified(req, etag, reply.lastModified) };
  }

  function finish(req: Request, reply: Reply, requestId: string, etag?: string, notModified = false): Response {
    const headers = new Headers();
    headers.set('server', 'github.com');
    headers.set('x-github-request-id', requestId);
    headers.set('x-github-api-version-selected', '2022-11-28');
    headers.set('x-github-media-type', 'github.v3; format=json');
    headers.set('vary', 'Accept, Authorization, Cookie, X-GitHub-OTP, Accept-Encoding');
    headers.set('x-content-type-options', 'nosniff');
    if (reply.bucket !== null) for (const [k, v] of Object.entries(rateHeaders(reply.bucket))) headers.set(k, v);
    for (const [k, v] of Object.entries(reply.headers)) headers.set(k, v);
    if (etag !== undefined) {
      headers.set('etag', etag);
      headers.set('cache-control', cacheControl);
      if (reply.lastModified !== undefined) headers.set('last-modified', new Date(reply.lastModified).toUTCString());
    }
    const status = notModified ? 304 : reply.status;
    if (notModified || reply.body === null || req.method === 'HEAD') return new Response(null, { status, headers });
    headers.set('content-type', reply.contentType);
    const plain = new TextEncoder().encode(reply.body);
    if (!wantsGzip(req.headers.get('accept-encoding'))) return new Response(plain, { status, headers });
    headers.set('content-encoding', 'gzip');
    return new Response(Bun.gzipSync(plain), { status, headers });
  }

  async function handle(req: Request, rec: MutableRecord): Promise<Response> {
    const url = new URL(req.url);
    requestCounter += 1;
    const hex = (n: number): string => n.toString(16).toUpperCase();
    const requestId = `FA4E:${hex(requestCounter).padStart(4, '0')}:${hex(0x1a2b3c + requestCounter)}:${hex(0x4d5e6f + requestCounter * 7)}:${hex(startSeconds + requestCounter)}`;
    if (latencyMs > 0) await sleep(latencyMs);

    const fault = takeFault(url);
    if (fault !== undefined) {
      if (fault.delayMs !== undefined && fault.delayMs > 0) await sleep(fault.delayMs);
      if (fault.dropConnection === true) {
        // An errored body stream makes Bun reset the socket: the client sees ECONNRESET, no status.
        return new Response(new ReadableStream({ start: (controller) => controller.error() }));
      }
      const res = finish(req, faultReply(fault, url, requestId), requestId);
      rec.status = res.status;
      return res;
    }

    let reply = route(req.method, url);
    const bucket = reply.bucket;
    if (bucket !== null) {
      const now = Date.now();
      roll(bucket, now);
      const firesBefore = scenario !== undefined && !scenarioFired && (scenario.announce !== true || scenario.requests <= 0);
      if (bucket === core && firesBefore && coreCounted >= (scenario?.requests ?? Infinity)) exhaustCore(now);
      if (bucket.remaining <= 0) reply = refusal(bucket, req.headers.has('authorization'), requestId);
    }
    const { etag, notModified } = validate(req, reply);
    if (bucket !== null && reply.refusal !== true && !notModified) {
      // Spend one unit before answering, so the headers say what is left. 304s are free.
      bucket.remaining -= 1;
      if (bucket === core) {
        coreCounted += 1;
        if (scenario?.announce === true && !scenarioFired && coreCounted >= scenario.requests) exhaustCore(Date.now());
      }
    }
    const res = finish(req, reply, requestId, etag, notModified);
    rec.status = res.status;
    return res;
  }

  const server = Bun.serve({
    hostname: '127.0.0.1',
    port: 0,
    idleTimeout: 0,
    development: false,
    async fetch(req) {
      const url = new URL(req.url);
      const rec: MutableRecord = {
        method: req.method,
        path: url.pathname + url.search,
        headers: Object.fromEntries(req.headers.entries()),
        status: 0,
        at: Date.now(),
      };
      recorded.push(rec);
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      try {
        return await handle(req, rec);
      } catch (error) {
        rec.status = 500;
        const message = error instanceof Error ? error.message : String(error);
        return new Response(JSON.stringify({ message: `fake GitHub failed: ${message}` }), { status: 500, headers: { 'content-type': JSON_TYPE } });
      } finally {
        inFlight -= 1;
      }
    },
  });
  const listening = `http://127.0.0.1:${server.port}`;
  root = options.publicUrl === undefined ? listening : options.publicUrl.replace(/\/+$/, '');

  return {
    url: listening,
    publicUrl: root,
    requests: recorded,
    get inFlight() {
      return inFlight;
    },
    get maxInFlight() {
      return maxInFlight;
    },
    fault(match, fault) {
      faults.push({ match, fault, left: fault.times ?? 1 });
    },
    getIssue(owner, repo, number) {
      const issue = findRepo(owner, repo)?.issues.get(number);
      if (issue === undefined) return undefined;
      const { id: _id, ...plain } = structuredClone(issue);
      return plain;
    },
    updateIssue(owner, repo, number, change) {
      const { issue } = mustFind(owner, repo, number);
      const { number: _ignored, ...rest } = structuredClone(change);
      const updatedAt = rest.updated_at ?? nextUpdatedAt();
      Object.assign(issue, rest, { updated_at: updatedAt });
      if (rest.state === 'closed' && rest.closed_at === undefined && issue.closed_at === null) issue.closed_at = updatedAt;
      if (rest.state === 'open' && rest.closed_at === undefined) issue.closed_at = null;
      const { id: _id, ...plain } = structuredClone(issue);
      return plain;
    },
    addIssue(owner, repo, issue) {
      const target = ensureRepo(owner, repo);
      if (target.issues.has(issue.number) || target.tombstones.has(issue.number)) {
        throw new Error(`fake GitHub: ${owner}/${repo}#${issue.number} exists already`);
      }
      store(target, issue);
    },
    deleteIssue(owner, repo, number, opts = {}) {
      const found = mustFind(owner, repo, number);
      found.repo.issues.delete(number);
      found.repo.tombstones.set(number, { kind: 'deleted', status: opts.status ?? 404 });
    },
    transferIssue(owner, repo, number, toOwner, toRepo) {
      const from = mustFind(owner, repo, number);
      const target = ensureRepo(toOwner, toRepo);
      if (target === from.repo) throw new Error('fake GitHub: an issue cannot be transferred to its own repository');
      const taken = [...target.issues.keys(), ...target.tombstones.keys()];
      const newNumber = Math.max(0, ...taken) + 1;
      const updatedAt = nextUpdatedAt();
      from.repo.issues.delete(number);
      from.repo.tombstones.set(number, { kind: 'moved', repo: target, number: newNumber });
      store(target, { ...from.issue, number: newNumber, updated_at: updatedAt }, from.issue.id);
      return newNumber;
    },
    repoId(owner, repo) {
      const found = findRepo(owner, repo);
      if (found === undefined) throw new Error(`fake GitHub: no repository ${owner}/${repo}`);
      return found.id;
    },
    clearRequests() {
      recorded.length = 0;
    },
    stop() {
      if (stopped === undefined) {
        stopping.abort();
        stopped = server.stop(true).then(() => undefined);
      }
      return stopped;
    },
  };
}

const FAULT_MESSAGES: Readonly<Record<number, string>> = {
  500: 'Server Error',
  502: 'Server Error',
  503: 'Service Unavailable',
  504: "We couldn't respond to your request in time. Sorry about that. Please try resubmitting your request and contact us if the problem persists.",
};
