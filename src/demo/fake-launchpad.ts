// A fake Launchpad web-service API on 127.0.0.1, for `customs demo` and tests. It serves an
// invented project, Tessellate (a tiling window manager), with a few dozen bugs in Launchpad's
// JSON shapes: searchTasks collections paged by next_collection_link (status, tags and
// modified_since filters), bugs, subscriptions (with total_size, or total_size_link for the big
// ones), bug_tasks, people (one suspended account answers 410), strong ETags and 304s. The same
// host serves the web pages, so the tasks' web_link (the canonical bug link) points at it too.
// Data is built from a seeded generator: every start serves the same bugs.

import { createHash } from 'node:crypto';
import { type FakeRequest, type FakeServer, type FakeServerOptions, revalidated, serveFake } from './fake-server.ts';
import { mulberry32 } from './fake-random.ts';

/** `publicUrl` is written into bodies (`self_link`, `web_link`, next links). */
export interface FakeLaunchpadOptions extends FakeServerOptions {
  /** `Cache-Control` of API answers; default `private, max-age=0` (every reuse revalidates). */
  readonly cacheControl?: string;
}

export type FakeLaunchpadRequest = FakeRequest;

/** One bug as the fake keeps it; the answers are rendered from this. */
export interface FakeLaunchpadBug {
  readonly id: number;
  title: string;
  description: string;
  status: string;
  importance: string;
  tags: string[];
  /** Launchpad name of the bug's owner. */
  owner: string;
  /** Names of the subscribers (the owner among them). */
  subscribers: string[];
  /** `YYYY-MM-DDTHH:MM:SS.ffffff+00:00`, as Launchpad writes times. */
  created: string;
  updated: string;
  closed: string | null;
  /** Also affects the Ubuntu source package (a second task). */
  ubuntu: boolean;
  heat: number;
  messages: number;
}

/** The fake's `url` and `publicUrl`, its request log and stop(); the API is under `<url>/1.0/`. */
export interface FakeLaunchpad extends FakeServer {
  /** Every bug, in id order (copies). */
  bugs(): FakeLaunchpadBug[];
  /** Change a bug; `updated` moves to now, so modified_since lists and ETags see the change. */
  updateBug(id: number, change: Partial<Omit<FakeLaunchpadBug, 'id'>>): FakeLaunchpadBug;
  /** Delete a bug: it leaves the lists and its own URLs answer 404. */
  deleteBug(id: number): void;
}

export const DEMO_LAUNCHPAD_PROJECT = 'tessellate';
/** A bug id the demo lists as known but the fake does not have: its refresh gives `_deleted`. */
export const DEMO_LAUNCHPAD_GONE_BUG = 2080099;
/** The owner whose account is suspended: `GET /1.0/~retired-dev` answers 410. */
const SUSPENDED = 'retired-dev';

const ALL_STATUSES = ['New', 'Incomplete', 'Opinion', 'Invalid', "Won't Fix", 'Expired', 'Confirmed', 'Triaged', 'In Progress', 'Fix Committed', 'Fix Released'];
const RESOLVED = ['Opinion', 'Invalid', "Won't Fix", 'Expired', 'Fix Released'];

/** The tracker-file lines of the demo's Launchpad entry (a list item under `trackers:`), pointing at `origin`. */
export function demoLaunchpadEntry(origin: string): string {
  const root = origin.replace(/\/+$/, '');
  return [
    '  - tracker_name: Tessellate',
    '    bugimporter: launchpad',
    `    api_url: ${root}/1.0/`,
    `    launchpad_name: ${DEMO_LAUNCHPAD_PROJECT}`,
    '    state: all',
    '    bitesized_tag: bitesize',
    '    documentation_tag: doc',
    '    bug_project_name_format: "{product}"',
    '    existing_bug_urls:',
    `      - ${root}/${DEMO_LAUNCHPAD_PROJECT}/+bug/2080103`,
    `      - ${root}/${DEMO_LAUNCHPAD_PROJECT}/+bug/${DEMO_LAUNCHPAD_GONE_BUG}`,
  ].join('\n');
}

// ------------------------------------------------------------------------------------------------
// Demo data

const PEOPLE: Readonly<Record<string, string>> = {
  'kasia-m': 'Kasia Malinowska',
  tendai: 'Tendai Moyo',
  'j-lindqvist': 'Johanna Lindqvist',
  ravi: 'Ravi Shankar Iyer',
  'pedro-alves': 'Pedro Alves',
  'mei-chen': 'Mei Chen',
  'tessellate-bugs': 'Tessellate Bug Team',
  [SUSPENDED]: 'Former Developer',
};

const SUBJECTS = ['the layout engine', 'a floating window', 'the status bar', 'a multi-monitor setup', 'the config parser', 'the keybinding handler', 'the Wayland backend', 'the scratchpad', 'a window rule', 'the IPC socket'];
const PROBLEMS = ['crashes when', 'leaks memory when', 'flickers when', 'ignores focus when', 'freezes when', 'draws gaps when'];
const TRIGGERS = ['a monitor is unplugged', 'a dialog opens', 'the config is reloaded', 'a window is fullscreen', 'the workspace is empty', 'DPI scaling is 150%'];
const DOC_TITLES = ['Document the gaps option', 'Man page lacks the IPC commands', 'Explain window rules in the README', 'Typo in the keybindings reference', 'Example config uses a removed option'];
const EASY_TITLES = ['Add a --version flag', 'Log the config path at start', 'Make the border colour configurable', 'Sort the output of `tess list`'];
const OTHER_TAGS = ['wayland', 'multi-monitor', 'config', 'keybindings', 'crash', 'ipc'];
const IMPORTANCE = ['Undecided', 'Wishlist', 'Low', 'Medium', 'Medium', 'High', 'Critical'];
const STATUS_MIX = ['New', 'New', 'Confirmed', 'Confirmed', 'Triaged', 'In Progress', 'Fix Committed', 'Fix Released', 'Fix Released', 'Incomplete', 'Invalid', "Won't Fix", 'Opinion', 'Expired'];

function lpTime(ms: number): string {
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 19)}.${String(ms % 1000).padStart(3, '0')}${String((ms * 7) % 1000).padStart(3, '0')}+00:00`;
}

function demoBugs(): FakeLaunchpadBug[] {
  const random = mulberry32(20_080_101);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const start = Date.parse('2023-02-01T08:00:00Z');
  const span = Date.parse('2026-05-01T00:00:00Z') - start;
  const people = Object.keys(PEOPLE).filter((p) => p !== 'tessellate-bugs' && p !== SUSPENDED);
  const bugs: FakeLaunchpadBug[] = [];
  for (let i = 0; i < 42; i++) {
    const id = 2080101 + i;
    const kind = i % 9 === 4 ? 'doc' : i % 7 === 2 ? 'easy' : 'bug';
    const title =
      kind === 'doc' ? pick(DOC_TITLES) : kind === 'easy' ? pick(EASY_TITLES) : `${pick(SUBJECTS).replace(/^./, (c) => c.toUpperCase())} ${pick(PROBLEMS)} ${pick(TRIGGERS)}`;
    const tags = kind === 'doc' ? ['doc'] : kind === 'easy' ? ['bitesize', pick(OTHER_TAGS)] : random() < 0.5 ? [pick(OTHER_TAGS)] : [];
    if (kind === 'bug' && i % 11 === 0) tags.push('bitesize');
    const status = pick(STATUS_MIX);
    const created = start + Math.floor(random() * span * 0.8);
    const updated = created + Math.floor(random() * (start + span - created));
    const owner = i === 5 || i === 23 ? SUSPENDED : pick(people);
    const subscribers = [owner, 'tessellate-bugs', ...people.filter(() => random() < 0.15)].filter((p, n, all) => all.indexOf(p) === n);
    bugs.push({
      id,
      title,
      description: `${title}.\n\nSteps to reproduce:\n1. Start tessellate 0.${(i % 9) + 3}\n2. ${pick(TRIGGERS).replace(/^./, (c) => c.toUpperCase())}\n\nSeen on Ubuntu 24.04.`,
      status,
      importance: pick(IMPORTANCE),
      tags,
      owner,
      subscribers,
      created: lpTime(created),
      updated: lpTime(updated),
      closed: RESOLVED.includes(status) ? lpTime(updated) : null,
      ubuntu: i % 6 === 1,
      heat: 2 + Math.floor(random() * 60),
      messages: 1 + Math.floor(random() * 9),
    });
  }
  return bugs;
}

// ------------------------------------------------------------------------------------------------
// Server

interface Reply {
  readonly status: number;
  readonly body: string;
  readonly type: string;
}

const JSON_TYPE = 'application/json';

function json(value: unknown, status = 200): Reply {
  return { status, body: JSON.stringify(value, null, 1), type: JSON_TYPE };
}

function text(body: string, status: number): Reply {
  return { status, body, type: 'text/plain;charset=utf-8' };
}

export function startFakeLaunchpad(options: FakeLaunchpadOptions = {}): FakeLaunchpad {
  const bugs = new Map(demoBugs().map((b) => [b.id, b]));
  const cacheControl = options.cacheControl ?? 'private, max-age=0';
  let publicUrl = '';

  const api = (): string => `${publicUrl}/1.0`;

  function task(bug: FakeLaunchpadBug, target: string): Record<string, unknown> {
    const ubuntu = target !== DEMO_LAUNCHPAD_PROJECT;
    const display = ubuntu ? 'tessellate (Ubuntu)' : 'Tessellate';
    return {
      self_link: `${api()}/${target}/+bug/${bug.id}`,
      web_link: `${publicUrl}/${target}/+bug/${bug.id}`,
      resource_type_link: `${api()}/#bug_task`,
      http_etag: `"${etagOf(`${bug.id}${target}${bug.updated}`)}"`,
      title: `Bug #${bug.id} in ${display}: "${bug.title}"`,
      status: bug.status,
      importance: bug.importance,
      is_complete: bug.closed !== null,
      date_created: bug.created,
      date_closed: bug.closed,
      bug_link: `${api()}/bugs/${bug.id}`,
      bug_target_name: ubuntu ? 'tessellate (Ubuntu)' : 'tessellate',
      bug_target_display_name: display,
      target_link: `${api()}/${target}`,
      owner_link: `${api()}/~${bug.owner}`,
      assignee_link: null,
      milestone_link: null,
      related_tasks_collection_link: `${api()}/${target}/+bug/${bug.id}/related_tasks`,
    };
  }

  function bugJson(bug: FakeLaunchpadBug): Record<string, unknown> {
    return {
      self_link: `${api()}/bugs/${bug.id}`,
      web_link: `${publicUrl}/bugs/${bug.id}`,
      resource_type_link: `${api()}/#bug`,
      http_etag: `"${etagOf(`${bug.id}${bug.updated}`)}"`,
      id: bug.id,
      title: bug.title,
      description: bug.description,
      tags: bug.tags,
      private: false,
      information_type: 'Public',
      heat: bug.heat,
      message_count: bug.messages,
      date_created: bug.created,
      date_last_updated: bug.updated,
      owner_link: `${api()}/~${bug.owner}`,
      subscriptions_collection_link: `${api()}/bugs/${bug.id}/subscriptions`,
      bug_tasks_collection_link: `${api()}/bugs/${bug.id}/bug_tasks`,
      messages_collection_link: `${api()}/bugs/${bug.id}/messages`,
      duplicate_of_link: null,
    };
  }

  /** searchTasks: statuses (Launchpad's unresolved ones by default), tags (any), modified_since, then a page. */
  function searchTasks(target: string, url: URL): Reply {
    const params = url.searchParams;
    const statuses = params.getAll('status').map((s) => s.replace(/^Incomplete \(with(?:out)? response\)$/, 'Incomplete'));
    const wanted = statuses.length > 0 ? statuses : ALL_STATUSES.filter((s) => !RESOLVED.includes(s));
    const tags = params.getAll('tags');
    const sinceText = params.get('modified_since');
    const since = sinceText === null ? undefined : Date.parse(sinceText);
    if (since !== undefined && Number.isNaN(since)) return text(`modified_since: Value doesn't look like a date.`, 400);
    const matching = [...bugs.values()]
      .filter((b) => target === DEMO_LAUNCHPAD_PROJECT || b.ubuntu)
      .filter((b) => wanted.includes(b.status))
      .filter((b) => tags.length === 0 || b.tags.some((t) => tags.includes(t)))
      .filter((b) => since === undefined || Date.parse(b.updated) >= since)
      .sort((a, b) => a.id - b.id);
    const size = Math.min(300, Math.max(1, Number(params.get('ws.size') ?? '75') || 75));
    const start = Math.max(0, Number(params.get('ws.start') ?? '0') || 0);
    const page = matching.slice(start, start + size);
    const link = (from: number): string => {
      const next = new URLSearchParams(params);
      next.set('ws.start', String(from));
      next.set('memo', String(from));
      return `${api()}/${target}?${next.toString()}`;
    };
    return json({
      total_size: matching.length,
      start,
      ...(start + size < matching.length ? { next_collection_link: link(start + size) } : {}),
      ...(start > 0 ? { prev_collection_link: link(Math.max(0, start - size)) } : {}),
      entries: page.map((b) => task(b, target)),
      resource_type_link: `${api()}/#bug_task-page-resource`,
    });
  }

  function route(url: URL): Reply {
    const path = decodeURIComponent(url.pathname);
    const apiPath = /^\/1\.0\/(.*)$/.exec(path)?.[1];
    if (apiPath === undefined) {
      const web = /^\/(.+)\/\+bug\/(\d+)$/.exec(path);
      const bug = web ? bugs.get(Number(web[2])) : undefined;
      if (bug === undefined) return text('Lost something? This page does not exist.', 404);
      return { status: 200, type: 'text/html;charset=utf-8', body: `<!DOCTYPE html><html><head><title>Bug #${bug.id} “${bug.title}” : Bugs : Tessellate</title></head><body><h1>${bug.title}</h1></body></html>` };
    }
    if (apiPath === DEMO_LAUNCHPAD_PROJECT || apiPath === `ubuntu/+source/${DEMO_LAUNCHPAD_PROJECT}`) {
      if (url.searchParams.get('ws.op') === 'searchTasks') return searchTasks(apiPath, url);
      return json({ self_link: `${api()}/${apiPath}`, name: DEMO_LAUNCHPAD_PROJECT, display_name: 'Tessellate', resource_type_link: `${api()}/#project` });
    }
    const bugMatch = /^bugs\/(\d+)(?:\/(subscriptions|bug_tasks))?$/.exec(apiPath);
    if (bugMatch) {
      const bug = bugs.get(Number(bugMatch[1]));
      if (bug === undefined) return text(`Object: <lp.bugs.model.bug.BugSet object>, name: '${bugMatch[1]}'`, 404);
      if (bugMatch[2] === 'bug_tasks') {
        const targets = bug.ubuntu ? [DEMO_LAUNCHPAD_PROJECT, `ubuntu/+source/${DEMO_LAUNCHPAD_PROJECT}`] : [DEMO_LAUNCHPAD_PROJECT];
        return json({ total_size: targets.length, start: 0, entries: targets.map((t) => task(bug, t)), resource_type_link: `${api()}/#bug_task-page-resource` });
      }
      if (bugMatch[2] === 'subscriptions') {
        // A big collection names its size by link; the link answers a bare number.
        if (url.searchParams.get('ws.show') === 'total_size') return json(bug.subscribers.length);
        const entries = bug.subscribers.map((p) => ({
          self_link: `${api()}/bugs/${bug.id}/+subscription/${p}`,
          bug_link: `${api()}/bugs/${bug.id}`,
          person_link: `${api()}/~${p}`,
          subscribed_by_link: `${api()}/~${p}`,
          date_created: bug.created,
          resource_type_link: `${api()}/#bug_subscription`,
        }));
        const size = bug.subscribers.length > 3 ? { total_size_link: `${api()}/bugs/${bug.id}/subscriptions?ws.show=total_size` } : { total_size: entries.length };
        return json({ ...size, start: 0, entries, resource_type_link: `${api()}/#bug_subscription-page-resource` });
      }
      return json(bugJson(bug));
    }
    const person = /^~([a-z0-9.+-]+)$/.exec(apiPath)?.[1];
    if (person !== undefined) {
      if (person === SUSPENDED) return text(`Object: <Person at 0x7f2c>, name: '${person}'`, 410);
      const name = PEOPLE[person];
      if (name === undefined) return text(`Object: <PersonSet>, name: '~${person}'`, 404);
      return json({
        self_link: `${api()}/~${person}`,
        web_link: `${publicUrl}/~${person}`,
        resource_type_link: `${api()}/#person`,
        name: person,
        display_name: name,
        is_team: person === 'tessellate-bugs',
        is_valid: true,
        private: false,
        hide_email_addresses: true,
        date_created: '2019-04-01T10:00:00.000000+00:00',
        karma: 100 + person.length * 37,
      });
    }
    return text(`Object: <lp.systemhomes.WebServiceApplication object>, name: '${apiPath}'`, 404);
  }

  const server = serveFake('fake Launchpad', options, (req, url) => {
    const reply = route(url);
    const headers = new Headers({ 'content-type': reply.type });
    if (reply.status !== 200 || reply.type !== JSON_TYPE) return new Response(reply.body, { status: reply.status, headers });
    headers.set('cache-control', cacheControl);
    headers.set('vary', 'Accept');
    return revalidated(req, reply.body, headers, `"${etagOf(reply.body)}"`);
  });
  publicUrl = server.publicUrl;

  return {
    ...server,
    bugs: () => [...bugs.values()].map((b) => structuredClone(b)),
    updateBug(id, change) {
      const bug = bugs.get(id);
      if (bug === undefined) throw new Error(`fake Launchpad: no bug ${id}`);
      const now = Math.max(Date.now(), ...[...bugs.values()].map((b) => Date.parse(b.updated) + 1000));
      Object.assign(bug, change, { updated: change.updated ?? lpTime(now) });
      if (change.status !== undefined) bug.closed = RESOLVED.includes(change.status) ? bug.updated : null;
      return structuredClone(bug);
    },
    deleteBug(id) {
      if (!bugs.delete(id)) throw new Error(`fake Launchpad: no bug ${id}`);
    },
  };
}

function etagOf(body: string): string {
  return createHash('sha1').update(body).digest('hex');
}
