// A fake Jira on 127.0.0.1 under the base path /jira/, for `customs demo` and tests. It serves an
// invented project, Orchard (ORCH, a self-hosted package registry), with a few dozen issues in
// Jira's JSON shapes, through both search interfaces:
//   v2  /jira/rest/api/2/search?jql=…&startAt=…&maxResults=…   (the page size is capped: 25)
//   v3  /jira/rest/api/3/search/jql?jql=…&nextPageToken=…      (documents, accountIds, isLast)
// plus single issues (`/rest/api/{2,3}/issue/KEY`), a small JQL interpreter (AND/OR/NOT,
// = != ~ > >= < <= IN, IS EMPTY, ORDER BY), a deleted issue (404), a moved one (ORCH-21, now
// OPS-4) and strong ETags with 304s. Dates are written in the server's zone (+0200), which is
// also how JQL dates are read. Data is built from a seeded generator: every start serves the same.

import { createHash } from 'node:crypto';
import { type FakeRequest, type FakeServer, type FakeServerOptions, revalidated, serveFake } from './fake-server.ts';
import { mulberry32 } from './fake-random.ts';

/** `publicUrl` is written into bodies (`self`). */
export interface FakeJiraOptions extends FakeServerOptions {
  /** The most issues a search page holds, whatever `maxResults` asks (default 25). */
  readonly maxResults?: number;
  /** `Cache-Control` of API answers; default `private, max-age=0` (every reuse revalidates). */
  readonly cacheControl?: string;
}

export type FakeJiraRequest = FakeRequest;

/** One issue as the fake keeps it; answers are rendered from this. */
export interface FakeJiraIssue {
  key: string;
  summary: string;
  /** Wiki text (v2); v3 answers turn it into a document. */
  description: string | null;
  status: 'Open' | 'In Progress' | 'Reopened' | 'Resolved' | 'Closed';
  priority: 'Blocker' | 'Critical' | 'Major' | 'Minor' | 'Trivial';
  labels: string[];
  components: string[];
  /** User names (see the fake's people). */
  reporter: string;
  assignee: string | null;
  comments: { author: string; body: string; created: string }[];
  /** `2024-03-01T10:00:00.000+0200` */
  created: string;
  updated: string;
  resolution: string | null;
  /** The key it had before a move, answered for the old key too. */
  movedFrom?: string;
}

/** The fake's `url` and `publicUrl`, its request log and stop(); Jira's base URL is `<url>/jira/`. */
export interface FakeJira extends FakeServer {
  /** Every issue (copies). */
  issues(): FakeJiraIssue[];
  /** Change an issue; `updated` moves to now, so `updated >=` searches and ETags see it. */
  updateIssue(key: string, change: Partial<Omit<FakeJiraIssue, 'key'>>): FakeJiraIssue;
  /** Delete an issue: it leaves the searches and `issue/KEY` answers 404. */
  deleteIssue(key: string): void;
}

export const DEMO_JIRA_PROJECT = 'ORCH';
/** The demo lists it as known, but it was deleted: its refresh gives `_deleted`. */
export const DEMO_JIRA_GONE_KEY = 'ORCH-13';

/** The tracker-file lines of the demo's Jira entry (a list item under `trackers:`), pointing at `origin`. */
export function demoJiraEntry(origin: string): string {
  const root = origin.replace(/\/+$/, '');
  return [
    '  - tracker_name: Orchard',
    '    bugimporter: jira',
    `    base_url: ${root}/jira/`,
    `    jql: project = ${DEMO_JIRA_PROJECT} ORDER BY key ASC`,
    '    bitesized_type: label',
    '    bitesized_text: newbie',
    '    documentation_type: component',
    '    documentation_text: Documentation',
    '    bug_project_name_format: "{product}"',
    '    existing_bug_urls:',
    `      - ${root}/jira/browse/ORCH-7`,
    `      - ${root}/jira/browse/${DEMO_JIRA_GONE_KEY}`,
  ].join('\n');
}

// ------------------------------------------------------------------------------------------------
// Demo data

const PEOPLE: Readonly<Record<string, { readonly displayName: string; readonly accountId: string }>> = {
  afolabi: { displayName: 'Afolabi Adeyemi', accountId: '5f1a2b3c4d5e6f7a8b9c0d11' },
  ingrid: { displayName: 'Ingrid Halvorsen', accountId: '5f1a2b3c4d5e6f7a8b9c0d12' },
  'lucia.r': { displayName: 'Lucía Romero', accountId: '5f1a2b3c4d5e6f7a8b9c0d13' },
  hiro: { displayName: 'Hiroshi Tanaka', accountId: '5f1a2b3c4d5e6f7a8b9c0d14' },
  dvorak: { displayName: 'Tomáš Dvořák', accountId: '5f1a2b3c4d5e6f7a8b9c0d15' },
  sam: { displayName: 'Sam Okafor', accountId: '5f1a2b3c4d5e6f7a8b9c0d16' },
};

const PROJECTS: Readonly<Record<string, { readonly id: string; readonly name: string }>> = {
  ORCH: { id: '10200', name: 'Orchard' },
  OPS: { id: '10201', name: 'Orchard Ops' },
};

const STATUS: Readonly<Record<FakeJiraIssue['status'], { readonly id: number; readonly category: 'new' | 'indeterminate' | 'done' }>> = {
  Open: { id: 1, category: 'new' },
  'In Progress': { id: 3, category: 'indeterminate' },
  Reopened: { id: 4, category: 'new' },
  Resolved: { id: 5, category: 'done' },
  Closed: { id: 6, category: 'done' },
};
const CATEGORY_NAMES = { new: [2, 'To Do', 'blue-gray'], indeterminate: [4, 'In Progress', 'yellow'], done: [3, 'Done', 'green'] } as const;
const PRIORITIES: readonly FakeJiraIssue['priority'][] = ['Blocker', 'Critical', 'Major', 'Minor', 'Trivial'];

const THINGS = ['the upload endpoint', 'package signing', 'the search index', 'the web UI', 'mirror sync', 'the CLI', 'token scopes', 'garbage collection'];
const FAULTS = ['times out', 'returns 500', 'is slow', 'leaks file handles', 'ignores the proxy settings', 'rejects valid names'];
const WHEN = ['for packages over 2 GB', 'after a restart', 'behind a reverse proxy', 'on PostgreSQL 16', 'with S3 storage', 'for scoped names'];
const DOCS = ['Document the storage backends', 'Explain token scopes in the admin guide', 'Fix broken links in the API reference', 'Add an upgrade guide for 3.x'];
const EASY = ['Show the version in the footer', 'Add --json to `orchard list`', 'Trim whitespace in package descriptions', 'Sort mirrors by name'];

/** `2024-03-01T10:00:00.000+0200`: Jira's form, in the fake server's zone. */
function jiraTime(ms: number): string {
  const local = new Date(ms + 2 * 3_600_000).toISOString();
  return `${local.slice(0, 23)}+0200`;
}

/** Milliseconds of a Jira time (`+0200` is not ISO 8601's `+02:00`, so it is rewritten first). */
function jiraMs(value: string): number {
  return Date.parse(value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
}

function demoIssues(): FakeJiraIssue[] {
  const random = mulberry32(10_200);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const names = Object.keys(PEOPLE);
  const start = Date.parse('2023-06-01T07:00:00Z');
  const span = Date.parse('2026-04-01T00:00:00Z') - start;
  const issues: FakeJiraIssue[] = [];
  for (let n = 1; n <= 46; n++) {
    const kind = n % 8 === 3 ? 'docs' : n % 6 === 1 ? 'easy' : 'bug';
    const summary = kind === 'docs' ? pick(DOCS) : kind === 'easy' ? pick(EASY) : `${pick(THINGS).replace(/^./, (c) => c.toUpperCase())} ${pick(FAULTS)} ${pick(WHEN)}`;
    const status = pick<FakeJiraIssue['status']>(['Open', 'Open', 'Open', 'In Progress', 'Reopened', 'Resolved', 'Closed', 'Closed']);
    const created = start + Math.floor(random() * span * 0.8);
    const updated = created + Math.floor(random() * (start + span - created));
    const reporter = pick(names);
    const commenters = names.filter(() => random() < 0.25);
    issues.push({
      key: `ORCH-${n}`,
      summary,
      description: n % 10 === 0 ? null : `h3. What happens\n${summary}.\n\nh3. Steps\n# Start orchard 3.${n % 5}\n# ${pick(WHEN).replace(/^./, (c) => c.toUpperCase())}`,
      status,
      priority: pick(PRIORITIES),
      labels: kind === 'easy' ? ['newbie'] : kind === 'docs' ? ['docs'] : random() < 0.4 ? [pick(['performance', 'security', 'api', 'ui'])] : [],
      components: kind === 'docs' ? ['Documentation'] : [pick(['Server', 'CLI', 'Web UI'])],
      reporter,
      assignee: random() < 0.6 ? pick(names) : null,
      comments: commenters.map((author, i) => ({ author, body: i === 0 ? 'I can reproduce this.' : 'Patch welcome.', created: jiraTime(created + (i + 1) * 3_600_000) })),
      created: jiraTime(created),
      updated: jiraTime(updated),
      resolution: STATUS[status].category === 'done' ? pick(['Fixed', 'Fixed', "Won't Fix", 'Duplicate']) : null,
    });
  }
  // ORCH-13 was deleted; ORCH-21 was moved to the Ops project.
  const moved = issues.find((i) => i.key === 'ORCH-21');
  if (moved !== undefined) Object.assign(moved, { key: 'OPS-4', movedFrom: 'ORCH-21' });
  return issues.filter((i) => i.key !== DEMO_JIRA_GONE_KEY);
}

// ------------------------------------------------------------------------------------------------
// JQL: just enough of it for customs and a curious user.

class JqlError extends Error {}

type Token = { readonly kind: 'word' | 'string' | 'op' | 'punct'; readonly text: string };

function tokenize(jql: string): Token[] {
  const tokens: Token[] = [];
  const pattern = /\s*(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)'|(!=|>=|<=|!~|=|>|<|~)|([(),])|([^\s()=!<>~,"']+))/y;
  let at = 0;
  while (at < jql.length) {
    pattern.lastIndex = at;
    const m = pattern.exec(jql);
    if (m === null || m[0] === '') {
      if (jql.slice(at).trim() === '') break;
      throw new JqlError(`Error in the JQL Query: the character '${jql.charAt(at)}' is a reserved JQL character.`);
    }
    at = pattern.lastIndex;
    if (m[1] !== undefined || m[2] !== undefined) tokens.push({ kind: 'string', text: (m[1] ?? m[2] ?? '').replace(/\\(.)/g, '$1') });
    else if (m[3] !== undefined) tokens.push({ kind: 'op', text: m[3] });
    else if (m[4] !== undefined) tokens.push({ kind: 'punct', text: m[4] });
    else if (m[5] !== undefined) tokens.push({ kind: 'word', text: m[5] });
  }
  return tokens;
}

type Predicate = (issue: FakeJiraIssue) => boolean;

interface Query {
  readonly where: Predicate;
  readonly order: readonly { readonly field: string; readonly desc: boolean }[];
  /** Keys named in `key in (…)` / `key = …` that do not exist. */
  readonly missingKeys: readonly string[];
}

const JQL_FIELDS: readonly string[] = ['project', 'key', 'issuekey', 'status', 'statuscategory', 'labels', 'component', 'priority', 'resolution', 'reporter', 'assignee', 'summary', 'text', 'created', 'updated'];
const PRIORITY_RANK: Readonly<Record<string, number>> = { blocker: 1, critical: 2, major: 3, minor: 4, trivial: 5 };

function issueNumber(key: string): number {
  return Number(key.split('-')[1] ?? '0');
}

/** A JQL date: `"2024/06/19 10:00"`, `2024-06-19`, or relative `-7d`, `-12h`, `-2w`; read in the server's zone (+0200). */
function jqlInstant(value: string, now: number): number {
  const relative = /^([-+]?\d+)([wdhm])$/i.exec(value);
  if (relative) {
    const unit = { w: 604_800_000, d: 86_400_000, h: 3_600_000, m: 60_000 }[(relative[2] ?? 'd').toLowerCase() as 'w' | 'd' | 'h' | 'm'];
    return now + Number(relative[1]) * unit;
  }
  const m = /^(\d{4})[/-](\d{2})[/-](\d{2})(?:\s+(\d{2}):(\d{2}))?$/.exec(value);
  if (!m) throw new JqlError(`Date value '${value}' for field 'updated' is invalid. Valid formats include: 'yyyy/MM/dd HH:mm', 'yyyy-MM-dd HH:mm', 'yyyy/MM/dd', 'yyyy-MM-dd', or a period format e.g. '-5d', '4w 2d'.`);
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4] ?? '0'), Number(m[5] ?? '0')) - 2 * 3_600_000;
}

function parseJql(jql: string, issues: readonly FakeJiraIssue[], now: number): Query {
  const tokens = tokenize(jql);
  let pos = 0;
  const missingKeys: string[] = [];
  const peek = (): Token | undefined => tokens[pos];
  const isWord = (word: string): boolean => {
    const t = peek();
    return t !== undefined && t.kind === 'word' && t.text.toLowerCase() === word;
  };
  const expect = (text: string): void => {
    if (peek()?.text !== text) throw new JqlError(`Error in the JQL Query: Expecting '${text}' but got '${peek()?.text ?? 'the end'}'.`);
    pos++;
  };
  const value = (): string => {
    const t = tokens[pos++];
    if (t === undefined || (t.kind !== 'word' && t.kind !== 'string')) throw new JqlError(`Error in the JQL Query: Expecting a value but got '${t?.text ?? 'the end'}'.`);
    return t.text;
  };
  const valueList = (): string[] => {
    expect('(');
    const values = [value()];
    while (peek()?.text === ',') {
      pos++;
      values.push(value());
    }
    expect(')');
    return values;
  };

  const fieldValues = (field: string, issue: FakeJiraIssue): string[] => {
    switch (field) {
      case 'project':
        return [issue.key.split('-')[0] ?? '', PROJECTS[issue.key.split('-')[0] ?? '']?.name ?? ''];
      case 'key':
      case 'issuekey':
        return [issue.key, ...(issue.movedFrom !== undefined ? [issue.movedFrom] : [])];
      case 'status':
        return [issue.status];
      case 'statuscategory':
        return [CATEGORY_NAMES[STATUS[issue.status].category][1]];
      case 'labels':
        return issue.labels;
      case 'component':
        return issue.components;
      case 'priority':
        return [issue.priority];
      case 'resolution':
        return issue.resolution === null ? ['Unresolved'] : [issue.resolution];
      case 'reporter':
        return [issue.reporter];
      case 'assignee':
        return issue.assignee === null ? [] : [issue.assignee];
      case 'summary':
        return [issue.summary];
      case 'text':
        return [issue.summary, issue.description ?? '', ...issue.comments.map((c) => c.body)];
      default:
        throw new JqlError(`Field '${field}' does not exist or you do not have permission to view it.`);
    }
  };

  const clause = (): Predicate => {
    const fieldToken = tokens[pos++];
    if (fieldToken === undefined || (fieldToken.kind !== 'word' && fieldToken.kind !== 'string')) throw new JqlError('Error in the JQL Query: Expecting a field name.');
    const field = fieldToken.text.toLowerCase();
    if (!JQL_FIELDS.includes(field)) throw new JqlError(`Field '${fieldToken.text}' does not exist or you do not have permission to view it.`);
    let op = peek()?.text.toLowerCase() ?? '';
    pos++;
    if (op === 'not' && isWord('in')) {
      pos++;
      op = 'not in';
    } else if (op === 'is' && isWord('not')) {
      pos++;
      op = 'is not';
    }
    if (field === 'created' || field === 'updated') {
      const at = jqlInstant(value(), now);
      const of = (issue: FakeJiraIssue): number => jiraMs(field === 'created' ? issue.created : issue.updated);
      const compare: Record<string, (a: number) => boolean> = { '>=': (a) => a >= at, '>': (a) => a > at, '<=': (a) => a <= at, '<': (a) => a < at, '=': (a) => a === at };
      const test = compare[op];
      if (test === undefined) throw new JqlError(`The operator '${op}' is not supported by the '${field}' field.`);
      return (issue) => test(of(issue));
    }
    if (op === 'is' || op === 'is not') {
      const word = value().toLowerCase();
      if (word !== 'empty' && word !== 'null') throw new JqlError(`Error in the JQL Query: Expecting EMPTY or NULL.`);
      return (issue) => {
        const empty = field === 'resolution' ? issue.resolution === null : fieldValues(field, issue).length === 0;
        return op === 'is' ? empty : !empty;
      };
    }
    const wanted = op === 'in' || op === 'not in' ? valueList() : [value()];
    if (field === 'key' || field === 'issuekey') {
      for (const key of wanted) if (!issues.some((i) => fieldValues('key', i).some((k) => k.toLowerCase() === key.toLowerCase()))) missingKeys.push(key.toUpperCase());
    }
    if (field === 'project') {
      for (const project of wanted) {
        const known = Object.entries(PROJECTS).some(([key, p]) => key.toLowerCase() === project.toLowerCase() || p.name.toLowerCase() === project.toLowerCase());
        if (!known) throw new JqlError(`The value '${project}' does not exist for the field 'project'.`);
      }
    }
    const lower = wanted.map((w) => w.toLowerCase());
    const equal = (issue: FakeJiraIssue): boolean => fieldValues(field, issue).some((v) => lower.includes(v.toLowerCase()));
    switch (op) {
      case '=':
      case 'in':
        return equal;
      case '!=':
      case 'not in':
        return (issue) => !equal(issue);
      case '~':
        return (issue) => fieldValues(field, issue).some((v) => lower.every((w) => v.toLowerCase().includes(w.replace(/\*$/, ''))));
      case '!~':
        return (issue) => !fieldValues(field, issue).some((v) => lower.every((w) => v.toLowerCase().includes(w)));
      default:
        throw new JqlError(`The operator '${op}' is not supported by the '${field}' field.`);
    }
  };

  const term = (): Predicate => {
    if (isWord('not')) {
      pos++;
      const inner = term();
      return (issue) => !inner(issue);
    }
    if (peek()?.text === '(') {
      pos++;
      const inner = or();
      expect(')');
      return inner;
    }
    return clause();
  };
  const and = (): Predicate => {
    const parts = [term()];
    while (isWord('and')) {
      pos++;
      parts.push(term());
    }
    return (issue) => parts.every((p) => p(issue));
  };
  const or = (): Predicate => {
    const parts = [and()];
    while (isWord('or')) {
      pos++;
      parts.push(and());
    }
    return (issue) => parts.some((p) => p(issue));
  };

  const where = peek() === undefined || isWord('order') ? () => true : or();
  const order: { field: string; desc: boolean }[] = [];
  if (isWord('order')) {
    pos++;
    if (!isWord('by')) throw new JqlError("Error in the JQL Query: Expecting 'by' after 'order'.");
    pos++;
    do {
      if (peek()?.text === ',') pos++;
      const field = value().toLowerCase();
      let desc = false;
      if (isWord('asc') || isWord('desc')) desc = (tokens[pos++]?.text ?? '').toLowerCase() === 'desc';
      order.push({ field, desc });
    } while (peek()?.text === ',');
  }
  if (pos < tokens.length) throw new JqlError(`Error in the JQL Query: Expecting either 'OR' or 'AND' but got '${peek()?.text ?? ''}'.`);
  return { where, order: order.length > 0 ? order : [{ field: 'created', desc: true }], missingKeys };
}

function sortIssues(issues: FakeJiraIssue[], order: Query['order']): FakeJiraIssue[] {
  const value = (issue: FakeJiraIssue, field: string): number | string => {
    if (field === 'key' || field === 'issuekey') return `${issue.key.split('-')[0]}-${String(issueNumber(issue.key)).padStart(8, '0')}`;
    if (field === 'created' || field === 'updated') return jiraMs(field === 'created' ? issue.created : issue.updated);
    if (field === 'priority') return PRIORITY_RANK[issue.priority.toLowerCase()] ?? 9;
    if (field === 'summary') return issue.summary.toLowerCase();
    return issue.key;
  };
  return issues.sort((a, b) => {
    for (const { field, desc } of order) {
      const x = value(a, field);
      const y = value(b, field);
      if (x !== y) return (x < y ? -1 : 1) * (desc ? -1 : 1);
    }
    return issueNumber(a.key) - issueNumber(b.key);
  });
}

// ------------------------------------------------------------------------------------------------
// Rendering

/** Wiki text → an Atlassian document: paragraphs at blank lines, hardBreaks inside. */
function document(textValue: string): Record<string, unknown> {
  return {
    type: 'doc',
    version: 1,
    content: textValue.split(/\n\s*\n/).map((paragraph) => ({
      type: 'paragraph',
      content: paragraph.split('\n').flatMap((line, i) => [...(i > 0 ? [{ type: 'hardBreak' }] : []), { type: 'text', text: line }]),
    })),
  };
}

interface Reply {
  readonly status: number;
  readonly body: string;
  readonly type: string;
}

const JSON_TYPE = 'application/json;charset=UTF-8';

function json(value: unknown, status = 200): Reply {
  return { status, body: JSON.stringify(value), type: JSON_TYPE };
}

function errors(status: number, ...messages: string[]): Reply {
  return json({ errorMessages: messages, errors: {} }, status);
}

export function startFakeJira(options: FakeJiraOptions = {}): FakeJira {
  const issues = new Map(demoIssues().map((i) => [i.key, i]));
  const cap = Math.max(1, options.maxResults ?? 25);
  const cacheControl = options.cacheControl ?? 'private, max-age=0';
  let publicUrl = '';
  const base = (): string => `${publicUrl}/jira`;

  function person(name: string | null, api: '2' | '3'): Record<string, unknown> | null {
    if (name === null) return null;
    const p = PEOPLE[name] ?? { displayName: name, accountId: `0000${name}` };
    // Jira Cloud (v3 here) hides user names: accountId only.
    return api === '2'
      ? { self: `${base()}/rest/api/2/user?username=${name}`, name, key: name, displayName: p.displayName, active: true, timeZone: 'Europe/Amsterdam' }
      : { self: `${base()}/rest/api/3/user?accountId=${p.accountId}`, accountId: p.accountId, accountType: 'atlassian', displayName: p.displayName, active: true };
  }

  function issueJson(issue: FakeJiraIssue, api: '2' | '3', wanted: ReadonlySet<string> | 'all'): Record<string, unknown> {
    const id = String(10_000 + issueNumber(issue.key) + (issue.key.startsWith('OPS') ? 5_000 : 0));
    const projectKey = issue.key.split('-')[0] ?? '';
    const project = PROJECTS[projectKey] ?? { id: '0', name: projectKey };
    const status = STATUS[issue.status];
    const [categoryId, categoryName, colour] = CATEGORY_NAMES[status.category];
    const text = (value: string | null): unknown => (value === null ? null : api === '2' ? value : document(value));
    const all: Record<string, unknown> = {
      summary: issue.summary,
      description: text(issue.description),
      issuetype: { self: `${base()}/rest/api/${api}/issuetype/1`, id: '1', name: 'Bug', subtask: false },
      status: {
        self: `${base()}/rest/api/${api}/status/${status.id}`,
        name: issue.status,
        id: String(status.id),
        statusCategory: { self: `${base()}/rest/api/${api}/statuscategory/${categoryId}`, id: categoryId, key: status.category, colorName: colour, name: categoryName },
      },
      priority: { self: `${base()}/rest/api/${api}/priority/${PRIORITIES.indexOf(issue.priority) + 1}`, name: issue.priority, id: String(PRIORITIES.indexOf(issue.priority) + 1) },
      labels: issue.labels,
      components: issue.components.map((name, i) => ({ self: `${base()}/rest/api/${api}/component/${10_300 + i}`, id: String(10_300 + i), name })),
      created: issue.created,
      updated: issue.updated,
      reporter: person(issue.reporter, api),
      assignee: person(issue.assignee, api),
      project: { self: `${base()}/rest/api/${api}/project/${project.id}`, id: project.id, key: projectKey, name: project.name, projectTypeKey: 'software' },
      resolution: issue.resolution === null ? null : { self: `${base()}/rest/api/${api}/resolution/1`, id: '1', name: issue.resolution },
      comment: {
        comments: issue.comments.map((c, i) => ({
          self: `${base()}/rest/api/${api}/issue/${id}/comment/${Number(id) * 10 + i}`,
          id: String(Number(id) * 10 + i),
          author: person(c.author, api),
          body: text(c.body),
          created: c.created,
          updated: c.created,
        })),
        maxResults: issue.comments.length,
        total: issue.comments.length,
        startAt: 0,
      },
    };
    // v3 answers only the id when no field is named.
    if (api === '3' && wanted !== 'all' && wanted.size === 0) return { id };
    const fields = wanted === 'all' ? all : Object.fromEntries(Object.entries(all).filter(([name]) => wanted.has(name)));
    return { expand: 'operations,versionedRepresentations,editmeta,changelog,renderedFields', id, self: `${base()}/rest/api/${api}/issue/${id}`, key: issue.key, fields };
  }

  /** `fields=summary,status` → that set; `*all`, `*navigable` or (v2) nothing → every field; v3 with nothing → none. */
  function fieldsOf(params: URLSearchParams, api: '2' | '3'): ReadonlySet<string> | 'all' {
    const raw = params.get('fields');
    if (raw === null) return api === '2' ? 'all' : new Set<string>();
    const names = raw.split(',').map((f) => f.trim()).filter((f) => f !== '');
    if (names.includes('*all') || names.includes('*navigable')) return 'all';
    return new Set(names);
  }

  function search(url: URL, api: '2' | '3'): Reply {
    const params = url.searchParams;
    const jql = params.get('jql') ?? '';
    if (api === '3' && jql.trim() === '') return errors(400, 'Unbounded JQL queries are not allowed here. Please add a search restriction to your query.');
    const all = [...issues.values()];
    let query: Query;
    try {
      query = parseJql(jql, all, Date.now());
    } catch (err) {
      if (err instanceof JqlError) return errors(400, err.message);
      throw err;
    }
    const validate = (params.get('validateQuery') ?? 'strict').toLowerCase();
    const warnings = query.missingKeys.map((key) => `An issue with key '${key}' does not exist for field 'key'.`);
    if (warnings.length > 0 && (api === '3' || (validate !== 'warn' && validate !== 'false' && validate !== 'none'))) return errors(400, ...warnings);
    const matching = sortIssues(all.filter(query.where), query.order);
    const asked = Number(params.get('maxResults') ?? '50');
    const granted = Math.min(cap, Number.isInteger(asked) && asked >= 0 ? asked : 50);
    const fields = fieldsOf(params, api);
    if (api === '2') {
      const startAt = Math.max(0, Number(params.get('startAt') ?? '0') || 0);
      return json({
        expand: 'schema,names',
        startAt,
        maxResults: granted,
        total: matching.length,
        issues: matching.slice(startAt, startAt + granted).map((i) => issueJson(i, '2', fields)),
        ...(warnings.length > 0 ? { warningMessages: warnings } : {}),
      });
    }
    // v3 page tokens are opaque to clients; this one carries the offset.
    const token = params.get('nextPageToken');
    const offset = token === null ? 0 : Number(Buffer.from(token, 'base64url').toString('utf8').replace(/^offset:/, ''));
    if (!Number.isInteger(offset) || offset < 0) return errors(400, 'The provided next page token is invalid or expired.');
    const end = offset + granted;
    const isLast = end >= matching.length;
    return json({
      issues: matching.slice(offset, end).map((i) => issueJson(i, '3', fields)),
      ...(isLast ? {} : { nextPageToken: Buffer.from(`offset:${end}`).toString('base64url') }),
      isLast,
    });
  }

  function route(url: URL): Reply {
    const path = decodeURIComponent(url.pathname).replace(/\/+$/, '');
    const searchMatch = /^\/jira\/rest\/api\/(2|latest|3)\/search(\/jql)?$/.exec(path);
    if (searchMatch) {
      const api = searchMatch[1] === '3' ? '3' : '2';
      if (api === '3' && searchMatch[2] === undefined) return errors(410, 'The requested API has been removed. Please migrate to the /rest/api/3/search/jql API.');
      if (api === '2' && searchMatch[2] !== undefined) return errors(404, 'null for uri: /jira/rest/api/2/search/jql');
      return search(url, api);
    }
    const issueMatch = /^\/jira\/rest\/api\/(2|latest|3)\/issue\/([A-Za-z][A-Za-z0-9_]*-\d+)$/.exec(path);
    if (issueMatch) {
      const wanted = (issueMatch[2] ?? '').toUpperCase();
      const issue = issues.get(wanted) ?? [...issues.values()].find((i) => i.movedFrom === wanted);
      if (issue === undefined) return errors(404, 'Issue does not exist or you do not have permission to see it.');
      const api = issueMatch[1] === '3' ? '3' : '2';
      return json(issueJson(issue, api, fieldsOf(url.searchParams, '2')));
    }
    const browse = /^\/jira\/browse\/([A-Z][A-Z0-9_]*-\d+)$/.exec(path);
    if (browse) {
      const issue = issues.get(browse[1] ?? '');
      if (issue === undefined) return { status: 404, type: 'text/html;charset=UTF-8', body: '<html><body><h1>Issue does not exist</h1></body></html>' };
      return { status: 200, type: 'text/html;charset=UTF-8', body: `<html><head><title>[${issue.key}] ${issue.summary} - Orchard Jira</title></head><body></body></html>` };
    }
    return { status: 404, type: 'text/html;charset=UTF-8', body: '<html><body><h1>Oops, you\'ve found a dead link.</h1></body></html>' };
  }

  const server = serveFake('fake Jira', options, (req, url) => {
    const reply = route(url);
    const headers = new Headers({ 'content-type': reply.type, 'x-arequestid': `${server.requests.length}x1` });
    if (reply.status !== 200 || reply.type !== JSON_TYPE) return new Response(reply.body, { status: reply.status, headers });
    headers.set('cache-control', cacheControl);
    return revalidated(req, reply.body, headers, `"${createHash('sha1').update(reply.body).digest('hex')}"`);
  });
  publicUrl = server.publicUrl;

  return {
    ...server,
    issues: () => [...issues.values()].map((i) => structuredClone(i)),
    updateIssue(key, change) {
      const issue = issues.get(key);
      if (issue === undefined) throw new Error(`fake Jira: no issue ${key}`);
      const latest = Math.max(Date.now(), ...[...issues.values()].map((i) => jiraMs(i.updated) + 1000));
      Object.assign(issue, change, { updated: change.updated ?? jiraTime(latest) });
      if (change.status !== undefined && change.resolution === undefined) issue.resolution = STATUS[change.status].category === 'done' ? 'Fixed' : null;
      return structuredClone(issue);
    },
    deleteIssue(key) {
      if (!issues.delete(key)) throw new Error(`fake Jira: no issue ${key}`);
    },
  };
}
