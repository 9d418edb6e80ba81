// The fake GitHub server: paging, shapes, validators, gzip, faults, edits between runs, rate
// limits, and the demo data it serves. Plain fetch against 127.0.0.1.

import { describe, expect, test } from 'bun:test';
import { demoRepos } from '../../src/demo/fake-data.ts';
import { type FakeGithub, type FakeGithubOptions, type FakeIssue, type FakeRepo, fakeIssue, startFakeGithub } from '../../src/demo/fake-github.ts';
import { stoppedAfterEach } from '../helpers/fake-servers.ts';

const startGithub = stoppedAfterEach(startFakeGithub);

function start(options: Partial<FakeGithubOptions> = {}): FakeGithub {
  return startGithub({ repos: [smallRepo()], cacheControl: 'no-cache', ...options });
}

/** 57 items, every 7th a pull request, a third closed, created one day apart. */
function smallRepo(): FakeRepo {
  const issues: FakeIssue[] = [];
  for (let n = 1; n <= 57; n++) {
    const day = String(1 + (n % 28)).padStart(2, '0');
    const month = String(1 + Math.floor(n / 28)).padStart(2, '0');
    const at = `2025-${month}-${day}T10:00:00Z`;
    issues.push(
      fakeIssue(n, {
        title: `Issue number ${n}`,
        body: n % 10 === 0 ? null : `Body ${n} with ünïcödé`,
        state: n % 3 === 0 ? 'closed' : 'open',
        closed_at: n % 3 === 0 ? at : null,
        labels: n % 5 === 0 ? ['good first issue', 'documentation'] : ['bug'],
        assignees: n % 4 === 0 ? ['alice', 'bob'] : [],
        comments: n % 6,
        created_at: at,
        updated_at: at,
        is_pull: n % 7 === 0,
      }),
    );
  }
  return { owner: 'octo', name: 'widgets', issues };
}

type Json = Record<string, unknown>;

function parseLink(header: string | null): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of (header ?? '').matchAll(/<([^>]+)>;\s*rel="(\w+)"/g)) {
    if (m[1] !== undefined && m[2] !== undefined) out[m[2]] = m[1];
  }
  return out;
}

async function getJson(url: string, init: RequestInit = {}): Promise<{ res: Response; body: unknown }> {
  const res = await fetch(url, init);
  const text = await res.text();
  return { res, body: text === '' ? null : (JSON.parse(text) as unknown) };
}

function asList(body: unknown): Json[] {
  if (!Array.isArray(body)) throw new Error('expected an array');
  return body as Json[];
}

describe('issue lists', () => {
  test('the Link chain covers every issue exactly once, newest first', async () => {
    const gh = start();
    let next: string | undefined = `${gh.url}/repos/octo/widgets/issues?state=all&per_page=10`;
    const seen: number[] = [];
    const rels: string[][] = [];
    while (next !== undefined) {
      const { res, body } = await getJson(next);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
      for (const item of asList(body)) seen.push(Number(item.number));
      const links = parseLink(res.headers.get('link'));
      rels.push(Object.keys(links));
      for (const url of Object.values(links)) {
        expect(url.startsWith(`${gh.url}/repositories/${gh.repoId('octo', 'widgets')}/issues?`)).toBe(true);
        expect(url).toContain('state=all');
        expect(url).toContain('per_page=10');
      }
      next = links.next;
    }
    expect(seen).toEqual(Array.from({ length: 57 }, (_, i) => 57 - i));
    expect(rels[0]).toEqual(['next', 'last']);
    expect(rels[2]).toEqual(['prev', 'next', 'last', 'first']);
    expect(rels.at(-1)).toEqual(['prev', 'first']);
    expect(rels).toHaveLength(6);
  });

  test('pull requests are mixed in with a pull_request object; issues have none', async () => {
    const gh = start();
    const { body } = await getJson(`${gh.url}/repos/octo/widgets/issues?state=all&per_page=100`);
    const items = asList(body);
    expect(items).toHaveLength(57);
    const pulls = items.filter((i) => i.pull_request !== undefined);
    expect(pulls.map((p) => p.number).sort()).toEqual([14, 21, 28, 35, 42, 49, 56, 7].sort());
    const pr = pulls[0] as Json;
    const links = pr.pull_request as Json;
    expect(links.html_url).toBe(`${gh.url}/octo/widgets/pull/${String(pr.number)}`);
    expect(pr.html_url).toBe(links.html_url);
    const issue = items.find((i) => i.number === 1) as Json;
    expect(issue.html_url).toBe(`${gh.url}/octo/widgets/issues/1`);
    expect(issue.url).toBe(`${gh.url}/repos/octo/widgets/issues/1`);
    expect(issue.repository_url).toBe(`${gh.url}/repos/octo/widgets`);
    expect((issue.user as Json).login).toBe('octo-reporter');
    expect(issue.body).toBe('Body 1 with ünïcödé');
    const four = items.find((i) => i.number === 4) as Json;
    expect((four.assignees as Json[]).map((a) => a.login)).toEqual(['alice', 'bob']);
    expect((four.assignee as Json).login).toBe('alice');
    const ten = items.find((i) => i.number === 10) as Json;
    expect(ten.body).toBeNull();
    expect((ten.labels as Json[]).map((l) => [l.name, l.color])).toEqual([
      ['good first issue', '7057ff'],
      ['documentation', '0075ca'],
    ]);
  });

  test('default page size 30, state defaults to open, filters by labels and since', async () => {
    const gh = start();
    const first = await getJson(`${gh.url}/repos/octo/widgets/issues`);
    const open = asList(first.body);
    expect(open).toHaveLength(30);
    expect(open.every((i) => i.state === 'open')).toBe(true);
    const big = await getJson(`${gh.url}/repos/octo/widgets/issues?state=closed&per_page=500`);
    expect(asList(big.body)).toHaveLength(19);
    const labelled = await getJson(`${gh.url}/repos/octo/widgets/issues?state=all&labels=documentation,Good%20First%20Issue&per_page=100`);
    expect(asList(labelled.body).map((i) => i.number)).toEqual([55, 50, 45, 40, 35, 30, 25, 20, 15, 10, 5]);
    const since = await getJson(`${gh.url}/repos/octo/widgets/issues?state=all&since=2025-02-27T00:00:00Z`);
    expect(asList(since.body).map((i) => i.number)).toEqual([57, 56, 55, 54]);
    const bad = await getJson(`${gh.url}/repos/octo/widgets/issues?since=yesterday`);
    expect(bad.res.status).toBe(422);
  });

  test('unknown repository, issue and path answer 404 JSON', async () => {
    const gh = start();
    for (const path of ['/repos/octo/nothing/issues', '/repos/octo/widgets/issues/999', '/no/such/thing/here/at/all']) {
      const { res, body } = await getJson(gh.url + path);
      expect(res.status).toBe(404);
      expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
      expect((body as Json).message).toBe('Not Found');
      expect(typeof (body as Json).documentation_url).toBe('string');
    }
  });

  test('one issue, and its web page on the same host', async () => {
    const gh = start();
    const { res, body } = await getJson(`${gh.url}/repos/octo/widgets/issues/9`);
    expect(res.status).toBe(200);
    expect((body as Json).number).toBe(9);
    expect((body as Json).state).toBe('closed');
    expect((body as Json).state_reason).toBe('completed');
    const page = await fetch(String((body as Json).html_url));
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await page.text()).toContain('Issue number 9');
  });
});

describe('hosting', () => {
  test('publicUrl names a fixed origin in bodies and headers while the server listens on 127.0.0.1', async () => {
    const gh = start({ publicUrl: 'http://github.demo.localhost/' });
    expect(gh.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(gh.publicUrl).toBe('http://github.demo.localhost');
    const { res, body } = await getJson(`${gh.url}/repos/octo/widgets/issues?per_page=2`);
    expect(parseLink(res.headers.get('link')).next).toStartWith('http://github.demo.localhost/repositories/');
    const [pull, issue] = asList(body);
    expect(pull?.html_url).toBe('http://github.demo.localhost/octo/widgets/pull/56');
    expect(issue?.html_url).toBe('http://github.demo.localhost/octo/widgets/issues/55');
    expect(issue?.url).toBe('http://github.demo.localhost/repos/octo/widgets/issues/55');
    gh.transferIssue('octo', 'widgets', 1, 'octo', 'gadgets');
    const moved = await fetch(`${gh.url}/repos/octo/widgets/issues/1`, { redirect: 'manual' });
    expect(moved.headers.get('location')).toStartWith('http://github.demo.localhost/repositories/');
  });

  test('latency, concurrency and HEAD', async () => {
    const gh = start({ latencyMs: 40 });
    const answers = await Promise.all([1, 2, 4].map((n) => fetch(`${gh.url}/repos/octo/widgets/issues/${n}`)));
    await Promise.all(answers.map((a) => a.text()));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    expect(gh.maxInFlight).toBe(3);
    expect(gh.inFlight).toBe(0);
    const head = await fetch(`${gh.url}/repos/octo/widgets/issues/1`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('etag')).toMatch(/^"[0-9a-f]{64}"$/);
    expect(await head.text()).toBe('');
  });
});

describe('validators, caching headers and encoding', () => {
  test('a strong ETag, Last-Modified and Cache-Control; If-None-Match gives a free 304', async () => {
    const gh = start({ cacheControl: undefined });
    const url = `${gh.url}/repos/octo/widgets/issues?state=all&per_page=5`;
    const first = await fetch(url);
    await first.text();
    const etag = first.headers.get('etag') ?? '';
    expect(etag).toMatch(/^"[0-9a-f]{64}"$/);
    expect(first.headers.get('cache-control')).toBe('private, max-age=60, s-maxage=60');
    expect(first.headers.get('last-modified')).toBe(new Date('2025-03-02T10:00:00Z').toUTCString());
    expect(first.headers.get('x-ratelimit-remaining')).toBe('4999');

    const again = await fetch(url, { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
    expect(again.headers.get('etag')).toBe(etag);
    expect(again.headers.get('x-ratelimit-remaining')).toBe('4999');

    const byDate = await fetch(url, { headers: { 'if-modified-since': first.headers.get('last-modified') ?? '' } });
    expect(byDate.status).toBe(304);

    const other = await fetch(url, { headers: { authorization: 'Bearer other-token' } });
    await other.text();
    expect(other.headers.get('etag')).not.toBe(etag);
    expect(gh.requests.map((r) => r.status)).toEqual([200, 304, 304, 200]);
  });

  test('an edit bumps updated_at and the ETag, and shows in since lists', async () => {
    const gh = start();
    const url = `${gh.url}/repos/octo/widgets/issues/3`;
    const first = await fetch(url);
    await first.text();
    const etag = first.headers.get('etag') ?? '';
    const changed = gh.updateIssue('octo', 'widgets', 3, { title: 'Renamed', state: 'open' });
    expect(Date.parse(changed.updated_at)).toBeGreaterThan(Date.parse('2025-03-01T10:00:00Z'));
    expect(changed.closed_at).toBeNull();
    const again = await getJson(url, { headers: { 'if-none-match': etag } });
    expect(again.res.status).toBe(200);
    expect((again.body as Json).title).toBe('Renamed');
    expect(again.res.headers.get('etag')).not.toBe(etag);
    const since = await getJson(`${gh.url}/repos/octo/widgets/issues?state=all&since=${changed.updated_at}`);
    expect(asList(since.body).map((i) => i.number)).toEqual([3]);
    expect(() => gh.updateIssue('octo', 'widgets', 999, { title: 'x' })).toThrow();
  });

  test('gzip when asked, plain when not', async () => {
    const gh = start();
    const url = `${gh.url}/repos/octo/widgets/issues?per_page=3`;
    const zipped = await fetch(url, { headers: { 'accept-encoding': 'gzip' }, decompress: false });
    expect(zipped.headers.get('content-encoding')).toBe('gzip');
    const raw = new Uint8Array(await zipped.arrayBuffer());
    expect([raw[0], raw[1]]).toEqual([0x1f, 0x8b]);
    const unzipped = JSON.parse(new TextDecoder().decode(Bun.gunzipSync(raw))) as unknown;
    const plain = await fetch(url, { headers: { 'accept-encoding': 'identity' } });
    expect(plain.headers.get('content-encoding')).toBeNull();
    expect(unzipped).toEqual(JSON.parse(await plain.text()) as unknown);
    expect(zipped.headers.get('etag')).toBe(plain.headers.get('etag'));
    const refused = await fetch(url, { headers: { 'accept-encoding': 'gzip;q=0' }, decompress: false });
    expect(refused.headers.get('content-encoding')).toBeNull();
    await refused.text();
  });

  test('requests are recorded with their headers, Authorization as sent', async () => {
    const gh = start();
    await (await fetch(`${gh.url}/repos/octo/widgets/issues`, { headers: { Authorization: 'Bearer t0ken', 'X-GitHub-Api-Version': '2022-11-28' } })).text();
    await (await fetch(`${gh.url}/repos/octo/widgets/issues?page=2`)).text();
    expect(gh.requests).toHaveLength(2);
    const [withAuth, without] = gh.requests;
    expect(withAuth?.method).toBe('GET');
    expect(withAuth?.path).toBe('/repos/octo/widgets/issues');
    expect(withAuth?.headers.authorization).toBe('Bearer t0ken');
    expect(withAuth?.headers['x-github-api-version']).toBe('2022-11-28');
    expect(without?.path).toBe('/repos/octo/widgets/issues?page=2');
    expect(without?.headers.authorization).toBeUndefined();
    expect(without?.status).toBe(200);
    gh.clearRequests();
    expect(gh.requests).toHaveLength(0);
  });
});

describe('faults', () => {
  test('503 twice, then the real answer', async () => {
    const gh = start();
    gh.fault('/repos/octo/widgets/issues', { status: 503, times: 2 });
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await fetch(`${gh.url}/repos/octo/widgets/issues?per_page=2`);
      await res.text();
      statuses.push(res.status);
    }
    expect(statuses).toEqual([503, 503, 200]);
    expect(gh.requests.map((r) => r.status)).toEqual([503, 503, 200]);
  });

  test('a prefix also catches the /repositories/<id> page links; faults queue in order', async () => {
    const gh = start();
    gh.fault('/repos/octo/widgets/issues', { status: 500, times: 1 });
    gh.fault(/issues\?.*page=2/, { status: 502, times: 1 });
    const page1 = await getJson(`${gh.url}/repos/octo/widgets/issues`);
    expect(page1.res.status).toBe(500);
    const retry = await fetch(`${gh.url}/repos/octo/widgets/issues`);
    const next = parseLink(retry.headers.get('link')).next ?? '';
    await retry.text();
    expect(next).toContain('/repositories/');
    expect((await fetch(next)).status).toBe(502);
    expect((await fetch(next)).status).toBe(200);
  });

  test('429 with Retry-After, and a secondary-limit 403 that keeps quota in its headers', async () => {
    const gh = start();
    gh.fault('/repos/', { status: 429, retryAfter: 1 });
    gh.fault('/repos/', { status: 403, retryAfter: 60 });
    const limited = await getJson(`${gh.url}/repos/octo/widgets/issues`);
    expect(limited.res.status).toBe(429);
    expect(limited.res.headers.get('retry-after')).toBe('1');
    const secondary = await getJson(`${gh.url}/repos/octo/widgets/issues`);
    expect(secondary.res.status).toBe(403);
    expect(secondary.res.headers.get('retry-after')).toBe('60');
    expect(String((secondary.body as Json).message)).toContain('secondary rate limit');
    expect(Number(secondary.res.headers.get('x-ratelimit-remaining'))).toBeGreaterThan(0);
    expect((await fetch(`${gh.url}/repos/octo/widgets/issues`)).status).toBe(200);
  });

  test('Infinity, custom bodies and a dropped connection', async () => {
    const gh = start();
    gh.fault('/repos/octo/widgets/issues/1', { status: 500, times: Infinity });
    gh.fault('/repos/octo/widgets/issues/2', { status: 200, body: '<html><body>Sign in</body></html>' });
    gh.fault('/repos/octo/widgets/issues/3', { dropConnection: true });
    for (let i = 0; i < 3; i++) expect((await fetch(`${gh.url}/repos/octo/widgets/issues/1`)).status).toBe(500);
    const html = await fetch(`${gh.url}/repos/octo/widgets/issues/2`);
    expect(html.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await html.text()).toContain('Sign in');
    // Bun's fetch silently retries once when a reused keep-alive connection resets; undici does not.
    await expect(fetch(`${gh.url}/repos/octo/widgets/issues/3`, { keepalive: false })).rejects.toThrow();
    const after = await getJson(`${gh.url}/repos/octo/widgets/issues/3`);
    expect(after.res.status).toBe(200);
    expect(gh.requests.map((r) => r.status)).toEqual([500, 500, 500, 200, 0, 200]);
  });
});

describe('edits between runs', () => {
  test('a deleted issue answers 404 (or 410) and leaves the lists', async () => {
    const gh = start();
    gh.deleteIssue('octo', 'widgets', 5);
    gh.deleteIssue('octo', 'widgets', 6, { status: 410 });
    const gone = await getJson(`${gh.url}/repos/octo/widgets/issues/5`);
    expect(gone.res.status).toBe(404);
    expect((gone.body as Json).message).toBe('Not Found');
    const gone410 = await getJson(`${gh.url}/repos/octo/widgets/issues/6`);
    expect(gone410.res.status).toBe(410);
    const list = await getJson(`${gh.url}/repos/octo/widgets/issues?state=all&per_page=100`);
    expect(asList(list.body).map((i) => i.number)).not.toContain(5);
    expect(gh.getIssue('octo', 'widgets', 5)).toBeUndefined();
  });

  test('a transferred issue answers 301 to its new place, which belongs to the new repository', async () => {
    const gh = start();
    const moved = gh.transferIssue('octo', 'widgets', 8, 'octo', 'gadgets');
    expect(moved).toBe(1);
    const res = await fetch(`${gh.url}/repos/octo/widgets/issues/8`, { redirect: 'manual' });
    expect(res.status).toBe(301);
    const location = res.headers.get('location') ?? '';
    expect(location).toBe(`${gh.url}/repositories/${gh.repoId('octo', 'gadgets')}/issues/1`);
    expect(((await res.json()) as Json).message).toBe('Moved Permanently');
    const followed = await getJson(`${gh.url}/repos/octo/widgets/issues/8`);
    expect(followed.res.status).toBe(200);
    expect((followed.body as Json).html_url).toBe(`${gh.url}/octo/gadgets/issues/1`);
    expect((followed.body as Json).title).toBe('Issue number 8');
    const web = await fetch(`${gh.url}/octo/widgets/issues/8`, { redirect: 'manual' });
    expect(web.status).toBe(301);
    expect(web.headers.get('location')).toBe(`${gh.url}/octo/gadgets/issues/1`);
    const list = await getJson(`${gh.url}/repos/octo/gadgets/issues`);
    expect(asList(list.body).map((i) => i.number)).toEqual([1]);
  });

  test('addIssue puts a new issue at the top of the list', async () => {
    const gh = start();
    gh.addIssue('octo', 'widgets', fakeIssue(58, { title: 'Brand new', created_at: '2025-06-01T00:00:00Z', updated_at: '2025-06-01T00:00:00Z' }));
    const { body } = await getJson(`${gh.url}/repos/octo/widgets/issues?per_page=1`);
    expect(asList(body)[0]?.title).toBe('Brand new');
    expect(() => gh.addIssue('octo', 'widgets', fakeIssue(58))).toThrow();
  });
});

describe('search', () => {
  test('repo, label, state and is:issue qualifiers, with Link paging', async () => {
    const gh = start();
    const q = encodeURIComponent('repo:octo/widgets label:"good first issue" state:open is:issue');
    let next: string | undefined = `${gh.url}/search/issues?q=${q}&per_page=3`;
    const numbers: number[] = [];
    let total = -1;
    while (next !== undefined) {
      const { res, body } = await getJson(next);
      expect(res.status).toBe(200);
      expect(res.headers.get('x-ratelimit-resource')).toBe('search');
      const page = body as Json;
      total = Number(page.total_count);
      expect(page.incomplete_results).toBe(false);
      for (const item of page.items as Json[]) numbers.push(Number(item.number));
      next = parseLink(res.headers.get('link')).next;
    }
    // open (not a multiple of 3), labelled (multiple of 5), not a pull request (multiple of 7)
    expect(numbers).toEqual([55, 50, 40, 25, 20, 10, 5]);
    expect(total).toBe(7);
    const missing = await getJson(`${gh.url}/search/issues?q=${encodeURIComponent('repo:octo/nope label:bug')}`);
    expect(missing.res.status).toBe(422);
  });
});

describe('rate limits', () => {
  test('after N requests one 403 with remaining 0 and the reset; then a fresh window', async () => {
    const gh = start({ rateLimitAfter: { requests: 2, resetInSeconds: 1 } });
    const url = `${gh.url}/repos/octo/widgets/issues`;
    const a = await fetch(url);
    await a.text();
    expect(a.headers.get('x-ratelimit-limit')).toBe('5000');
    expect(a.headers.get('x-ratelimit-remaining')).toBe('4999');
    expect(a.headers.get('x-ratelimit-used')).toBe('1');
    expect(a.headers.get('x-ratelimit-resource')).toBe('core');
    // A 304 is free and does not bring the limit closer.
    const free = await fetch(url, { headers: { 'if-none-match': a.headers.get('etag') ?? '' } });
    expect(free.status).toBe(304);
    const b = await fetch(url);
    await b.text();
    expect(b.headers.get('x-ratelimit-remaining')).toBe('4998');

    const before = Math.floor(Date.now() / 1000);
    const refused = await getJson(url);
    expect(refused.res.status).toBe(403);
    expect(String((refused.body as Json).message)).toStartWith('API rate limit exceeded for');
    expect(refused.res.headers.get('x-ratelimit-remaining')).toBe('0');
    const reset = Number(refused.res.headers.get('x-ratelimit-reset'));
    expect(reset).toBeGreaterThanOrEqual(before + 1);
    expect(reset).toBeLessThanOrEqual(before + 3);
    expect(refused.res.headers.get('retry-after')).toBeNull();

    // Asking again before the reset is refused again, as GitHub does.
    expect((await fetch(url)).status).toBe(403);
    await Bun.sleep(Math.max(0, reset * 1000 - Date.now()) + 50);
    const after = await fetch(url);
    await after.text();
    expect(after.status).toBe(200);
    expect(after.headers.get('x-ratelimit-remaining')).toBe('4999');
    expect(gh.requests.map((r) => r.status)).toEqual([200, 304, 200, 403, 403, 200]);
  });

  test('announce: the last allowed answer already says remaining 0', async () => {
    const gh = start({ rateLimitAfter: { requests: 1, resetInSeconds: 60, announce: true } });
    const url = `${gh.url}/repos/octo/widgets/issues`;
    const last = await fetch(url);
    await last.text();
    expect(last.status).toBe(200);
    expect(last.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(Number(last.headers.get('x-ratelimit-reset'))).toBeGreaterThan(Date.now() / 1000 + 50);
    expect((await fetch(url)).status).toBe(403);
    const limits = (await getJson(`${gh.url}/rate_limit`)).body as { resources: { core: Json } };
    expect(limits.resources.core.remaining).toBe(0);
  });
});

describe('demo data', () => {
  test('deterministic and of the promised size and variety', () => {
    const repos = demoRepos();
    expect(JSON.stringify(demoRepos())).toBe(JSON.stringify(repos));
    expect(repos.length).toBeGreaterThanOrEqual(3);
    expect(repos.length).toBeLessThanOrEqual(4);
    for (const repo of repos) {
      expect(repo.issues.length).toBeGreaterThanOrEqual(120);
      expect(repo.issues.length).toBeLessThanOrEqual(260);
      const pulls = repo.issues.filter((i) => i.is_pull === true).length / repo.issues.length;
      expect(pulls).toBeGreaterThan(0.05);
      expect(pulls).toBeLessThan(0.16);
      expect(new Set(repo.issues.map((i) => i.number)).size).toBe(repo.issues.length);
      for (const issue of repo.issues) {
        expect(issue.created_at <= issue.updated_at).toBe(true);
        expect(issue.created_at >= '2024-01-01T00:00:00Z' && issue.updated_at < '2027-01-01T00:00:00Z').toBe(true);
        expect(issue.state === 'closed').toBe(issue.closed_at !== null);
      }
    }
    const all = repos.flatMap((r) => r.issues);
    for (const label of ['good first issue', 'documentation', 'bug', 'enhancement']) {
      expect(all.filter((i) => i.labels.includes(label)).length).toBeGreaterThan(10);
    }
    expect(all.some((i) => i.body === null)).toBe(true);
    expect(all.some((i) => i.assignees.length >= 2)).toBe(true);
    expect(all.filter((i) => i.state === 'closed').length).toBeGreaterThan(all.length / 4);
    expect(all.some((i) => i.comments > 5)).toBe(true);
    expect(JSON.stringify(demoRepos(7))).not.toBe(JSON.stringify(repos));
  });

  test('the server pages through a demo repository', async () => {
    const gh = start({ repos: demoRepos() });
    const [repo] = demoRepos();
    if (repo === undefined) throw new Error('no demo repo');
    let next: string | undefined = `${gh.url}/repos/${repo.owner}/${repo.name}/issues?state=all&per_page=100`;
    let count = 0;
    while (next !== undefined) {
      const res: Response = await fetch(next);
      count += asList(await res.json()).length;
      next = parseLink(res.headers.get('link')).next;
    }
    expect(count).toBe(repo.issues.length);
  });
});

test('the server stops', async () => {
  const gh = start();
  expect((await fetch(`${gh.url}/repos/octo/widgets/issues/1`)).status).toBe(200);
  await gh.stop();
  await expect(fetch(`${gh.url}/repos/octo/widgets/issues/1`)).rejects.toThrow();
  await gh.stop();
});
