// End-to-end runs of the real CLI against a GitHub-shaped server on 127.0.0.1: full import,
// 304 revalidation, offline replay, retries, rate limits, failure isolation, config errors.
import { afterEach, describe, expect, test } from 'bun:test';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FakeGithub, FakeRepo } from '../../src/demo/fake-github.ts';
import { startFakeGithub } from '../../src/demo/fake-github.ts';
import { cleanEnv, MAIN, readJsonl, runCli, tempDir } from '../helpers/cli.ts';
import { assertValidRecord } from '../helpers/schema.ts';

function issue(number: number, extra: Partial<FakeRepo['issues'][number]> = {}): FakeRepo['issues'][number] {
  const day = String(1 + (number % 28)).padStart(2, '0');
  return {
    number,
    title: `Issue number ${number}`,
    body: number % 7 === 0 ? null : `Steps to reproduce issue ${number}.`,
    state: number % 5 === 0 ? 'closed' : 'open',
    user: `reporter${number % 4}`,
    assignees: number % 3 === 0 ? ['maintainer'] : [],
    labels: number % 4 === 0 ? ['good first issue'] : number % 6 === 0 ? ['documentation'] : [],
    comments: number % 2,
    created_at: `2025-03-${day}T10:00:00Z`,
    updated_at: `2025-04-${day}T10:00:00Z`,
    closed_at: number % 5 === 0 ? `2025-04-${day}T10:00:00Z` : null,
    is_pull: number % 10 === 3,
    ...extra,
  };
}

function repo(owner: string, name: string, count: number): FakeRepo {
  return { owner, name, issues: Array.from({ length: count }, (_, i) => issue(i + 1)) };
}

/** Open, non-PR issues: what a default `state: open` import must write. */
function expectedOpen(r: FakeRepo): number {
  return r.issues.filter((i) => i.state === 'open' && !i.is_pull).length;
}

let server: FakeGithub | undefined;
afterEach(async () => {
  await server?.stop();
  server = undefined;
});

function trackerFile(dir: string, url: string, extra = ''): string {
  const path = join(dir, 'trackers.yaml');
  writeFileSync(
    path,
    `# two GitHub-shaped trackers on a local server
trackers:
  - tracker_name: Alpha
    bugimporter: github
    api_url: ${url}
    github_name: acme
    github_repo: alpha
    bitesized_tag: good first issue
    documentation_tag: documentation
  - tracker_name: Beta
    bugimporter: github.GitHubBugImporter
    api_url: ${url}
    queries:
      - ${url}/repos/acme/beta/issues
${extra}`,
  );
  return path;
}

const fast = ['--ci', '--retry-delay', '20'];

function records(dir: string): Record<string, unknown>[] {
  return readJsonl(readFileSync(join(dir, 'out', 'bugs.jsonl'), 'utf8'));
}

function report(dir: string): { trackers: { name: string; status: string; error?: string; requests: number; revalidated: number; retried: number; bugs: number; cached: number }[] } {
  return JSON.parse(readFileSync(join(dir, 'out', 'report.json'), 'utf8'));
}

describe('customs run against a local GitHub', () => {
  const alpha = repo('acme', 'alpha', 230);
  const beta = repo('acme', 'beta', 40);

  test('imports every page, writes schema-valid unique records and a report', async () => {
    server = startFakeGithub({ repos: [alpha, beta], cacheControl: 'no-cache' });
    const dir = tempDir();
    const file = trackerFile(dir, server.url);
    const res = await runCli(['run', file, '--data-dir', join(dir, 'out'), ...fast]);
    expect(res.stderr).toContain('[done]  Alpha');
    expect(res.code).toBe(0);
    const recs = records(dir);
    recs.forEach(assertValidRecord);
    const links = recs.map((r) => r.canonical_bug_link);
    expect(new Set(links).size).toBe(links.length);
    expect(recs.filter((r) => r._tracker_name === 'Alpha').length).toBe(expectedOpen(alpha));
    expect(recs.filter((r) => r._tracker_name === 'Beta').length).toBe(expectedOpen(beta));
    // per_page=100 → 230 issues are 3 pages, every one requested.
    // (GitHub's next links use /repositories/<id>/issues, so count every list request.)
    const pages = server.requests.filter((r) => r.path.includes('/issues?'));
    expect(pages.length).toBe(Math.ceil(alpha.issues.filter((i) => i.state === 'open').length / 100) + 1);
    expect(recs.some((r) => r.good_for_newcomers === true)).toBe(true);
    const rep = report(dir);
    expect(rep.trackers.map((t) => [t.name, t.status])).toEqual([
      ['Alpha', 'ok'],
      ['Beta', 'ok'],
    ]);
    expect(rep.trackers[0]?.bugs).toBe(expectedOpen(alpha));
    expect(res.stderr).toMatch(/bugs from 2\/2 trackers/);
    // Requests identify us.
    expect(server.requests[0]?.headers['user-agent']).toMatch(/^customs\/\d/);
  });

  test('a second full run asks conditionally, is answered 304 and writes the same records; --offline replays with the server gone', async () => {
    server = startFakeGithub({ repos: [alpha, beta], cacheControl: 'no-cache' });
    const dir = tempDir();
    const file = trackerFile(dir, server.url);
    expect((await runCli(['run', file, '--data-dir', join(dir, 'out'), ...fast])).code).toBe(0);
    const first = records(dir);
    const before = server.requests.length;

    const second = await runCli(['run', file, '--data-dir', join(dir, 'out'), '--full', ...fast]);
    expect(second.code).toBe(0);
    const again = server.requests.slice(before);
    expect(again.length).toBeGreaterThan(0);
    for (const r of again) {
      expect(r.headers['if-none-match']).toBeDefined();
      expect(r.status).toBe(304);
    }
    const strip = (rs: Record<string, unknown>[]) => rs.map(({ last_polled: _, ...rest }) => rest);
    expect(strip(records(dir))).toEqual(strip(first));
    expect(report(dir).trackers.every((t) => t.revalidated === t.requests)).toBe(true);

    await server.stop();
    server = undefined;
    const offline = await runCli(['run', file, '--data-dir', join(dir, 'out'), '--offline', ...fast]);
    expect(offline.code).toBe(0);
    expect(strip(records(dir))).toEqual(strip(first));
    expect(report(dir).trackers.every((t) => t.cached === t.requests)).toBe(true);
  });

  test('a URL is fetched once per run even when two trackers ask for it', async () => {
    server = startFakeGithub({ repos: [alpha, beta], cacheControl: 'no-cache' });
    const dir = tempDir();
    const file = trackerFile(dir, server.url, `  - tracker_name: Beta again\n    bugimporter: github\n    api_url: ${server.url}\n    queries:\n      - ${server.url}/repos/acme/beta/issues\n`);
    const res = await runCli(['run', file, '--data-dir', join(dir, 'out'), ...fast]);
    expect(res.code).toBe(0);
    const betaPages = server.requests.filter((r) => r.path.startsWith('/repos/acme/beta/issues'));
    expect(betaPages.length).toBe(1);
    // Records stay unique by canonical_bug_link: the second tracker adds none.
    expect(records(dir).length).toBe(expectedOpen(alpha) + expectedOpen(beta));
    expect(report(dir).trackers.find((t) => t.name === 'Beta again')?.status).toBe('ok');
  });

  test('politeness: --per-host caps requests in flight; a dropped connection is retried', async () => {
    const many = repo('acme', 'alpha', 60);
    server = startFakeGithub({ repos: [many], latencyMs: 30, cacheControl: 'no-cache' });
    server.fault('/repos/acme/alpha/issues/7', { dropConnection: true, times: 1 });
    const dir = tempDir();
    const path = join(dir, 'trackers.yaml');
    const known = many.issues.filter((i) => !i.is_pull).slice(0, 30).map((i) => `      - ${server?.url}/acme/alpha/issues/${i.number}`);
    writeFileSync(path, `- tracker_name: Polite\n  bugimporter: github\n  api_url: ${server.url}\n  github_name: acme\n  github_repo: alpha\n  existing_bug_urls:\n${known.join('\n')}\n  token_env: POLITE_TOKEN\n`);
    const res = await runCli(['run', path, '--data-dir', join(dir, 'out'), '--per-host', '2', ...fast]);
    expect(res.code).toBe(0);
    expect(server.maxInFlight).toBe(2);
    expect(res.stderr).toMatch(/\[retry\] Polite: try 2 .*issues\/7/);
    expect(res.stderr).toContain('token_env names POLITE_TOKEN, which is not set');
    expect(records(dir).length).toBe(expectedOpen(many) + many.issues.filter((i) => !i.is_pull).slice(0, 30).filter((i) => i.state === 'closed').length);
  });

  test('cache modes: a fresh answer is reused without a request; --refresh revalidates; --no-cache neither reads nor writes', async () => {
    server = startFakeGithub({ repos: [alpha, beta], cacheControl: 'private, max-age=600' });
    const dir = tempDir();
    const file = trackerFile(dir, server.url);
    const out = join(dir, 'out');
    expect((await runCli(['run', file, '--data-dir', out, ...fast])).code).toBe(0);
    const afterFirst = server.requests.length;

    expect((await runCli(['run', file, '--data-dir', out, '--full', ...fast])).code).toBe(0);
    expect(server.requests.length).toBe(afterFirst);
    expect(report(dir).trackers.every((t) => t.cached === t.requests)).toBe(true);

    expect((await runCli(['run', file, '--data-dir', out, '--refresh', '--full', ...fast])).code).toBe(0);
    const refreshed = server.requests.slice(afterFirst);
    expect(refreshed.length).toBe(afterFirst);
    expect(refreshed.every((r) => r.status === 304 && r.headers['if-none-match'] !== undefined)).toBe(true);

    const bare = join(dir, 'bare');
    const before = server.requests.length;
    expect((await runCli(['run', file, '--data-dir', bare, '--no-cache', ...fast])).code).toBe(0);
    expect(server.requests.slice(before).every((r) => r.status === 200 && r.headers['if-none-match'] === undefined)).toBe(true);
    expect(existsSync(join(bare, 'cache'))).toBe(false);
    expect(readJsonl(readFileSync(join(bare, 'bugs.jsonl'), 'utf8')).length).toBe(expectedOpen(alpha) + expectedOpen(beta));

    const conflict = await runCli(['run', file, '--offline', '--refresh']);
    expect(conflict.code).toBe(2);
    expect(conflict.stderr).toContain('--offline and --refresh cannot be used together');
  });

  test('incremental: the second run asks only for what changed, merges, and keeps every bug', async () => {
    const repoA = repo('acme', 'alpha', 230);
    server = startFakeGithub({ repos: [repoA, repo('acme', 'beta', 40)], cacheControl: 'no-cache' });
    const dir = tempDir();
    const file = trackerFile(dir, server.url);
    const out = join(dir, 'out');
    expect((await runCli(['run', file, '--data-dir', out, ...fast])).code).toBe(0);
    const first = records(dir);
    const firstCount = first.length;

    // Two bugs change upstream: one gets a new title, one is closed.
    const open = repoA.issues.filter((i) => i.state === 'open' && !i.is_pull);
    const [retitled, closed] = [open[3], open[10]];
    if (!retitled || !closed) throw new Error('fixture too small');
    server.updateIssue('acme', 'alpha', retitled.number, { title: 'A much better title' });
    server.updateIssue('acme', 'alpha', closed.number, { state: 'closed', closed_at: '2026-11-01T00:00:00Z' });
    const before = server.requests.length;

    const second = await runCli(['run', file, '--data-dir', out, ...fast]);
    expect(second.code).toBe(0);
    expect(second.stderr).toMatch(/\[start\] Alpha \(github, changes since \d{4}-\d\d-\d\d \d\d:\d\d UTC\)/);
    const asked = server.requests.slice(before);
    // One small page per tracker: only what changed since the mark, in every state.
    expect(asked.length).toBe(2);
    for (const r of asked) expect(r.path).toMatch(/since=\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ/);
    for (const r of asked) expect(r.path).toContain('state=all');

    const merged = records(dir);
    merged.forEach(assertValidRecord);
    expect(merged.length).toBe(firstCount);
    const byLink = new Map(merged.map((r) => [String(r.canonical_bug_link), r]));
    const link = (n: number) => [...byLink.keys()].find((k) => k.endsWith(`/acme/alpha/issues/${n}`)) ?? '';
    expect(byLink.get(link(retitled.number))?.title).toBe('A much better title');
    expect(byLink.get(link(closed.number))?.looks_closed).toBe(true);

    // A failed run keeps the mark and the records; --full asks for everything again.
    server.fault('/repos/acme/beta/issues', { status: 500, times: Infinity });
    const failed = await runCli(['run', file, '--data-dir', out, '--retries', '0', ...fast]);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain('Beta: kept its');
    expect(records(dir).length).toBe(firstCount);
    const beforeFull = server.requests.length;
    await runCli(['run', file, '--data-dir', out, '--full', '--only', 'Alpha', ...fast]);
    expect(server.requests.slice(beforeFull).some((r) => r.path.includes('since='))).toBe(false);
  });

  test('--offline with an empty cache fails each tracker clearly (exit 1) and keeps the previous output', async () => {
    const dir = tempDir();
    const file = trackerFile(dir, 'http://127.0.0.1:9');
    await Bun.write(join(dir, 'out', 'bugs.jsonl'), '{"previous":true}\n');
    const res = await runCli(['run', file, '--data-dir', join(dir, 'out'), '--offline', ...fast]);
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/not in the cache \(--offline\)/);
    expect(res.stderr).toContain('every tracker failed: no output written, the previous output is unchanged');
    expect(readFileSync(join(dir, 'out', 'bugs.jsonl'), 'utf8')).toBe('{"previous":true}\n');
  });

  test('503 twice then 200 is retried and succeeds', async () => {
    server = startFakeGithub({ repos: [alpha, beta], cacheControl: 'no-cache' });
    server.fault('/repos/acme/beta/issues', { status: 503, times: 2 });
    const dir = tempDir();
    const res = await runCli(['run', trackerFile(dir, server.url), '--data-dir', join(dir, 'out'), ...fast]);
    expect(res.code).toBe(0);
    expect(res.stderr).toMatch(/\[retry\] Beta: try 2 .* HTTP 503/);
    const beta2 = report(dir).trackers.find((t) => t.name === 'Beta');
    expect(beta2?.retried).toBe(2);
    expect(beta2?.bugs).toBe(expectedOpen(beta));
  });

  test('a 429 with Retry-After waits and succeeds', async () => {
    server = startFakeGithub({ repos: [alpha, beta], cacheControl: 'no-cache' });
    server.fault('/repos/acme/beta/issues', { status: 429, retryAfter: 1, times: 1 });
    const dir = tempDir();
    const res = await runCli(['run', trackerFile(dir, server.url), '--data-dir', join(dir, 'out'), ...fast]);
    expect(res.code).toBe(0);
    expect(res.stderr).toMatch(/\[pause\] 127\.0\.0\.1:\d+ rate limited \(429 Retry-After 1s\); Beta waits/);
    expect(report(dir).trackers.find((t) => t.name === 'Beta')?.bugs).toBe(expectedOpen(beta));
  });

  test('an exhausted rate limit pauses the host until the reset, with an event', async () => {
    server = startFakeGithub({ repos: [alpha, beta], cacheControl: 'no-cache', rateLimitAfter: { requests: 1, resetInSeconds: 1 } });
    const dir = tempDir();
    const res = await runCli(['run', trackerFile(dir, server.url), '--data-dir', join(dir, 'out'), '--events', 'jsonl', '-o', join(dir, 'out', 'bugs.jsonl'), ...fast]);
    expect(res.code).toBe(0);
    const events = readJsonl(res.stdout);
    const paused = events.find((e) => e.type === 'rate-limited');
    expect(paused).toBeDefined();
    expect(typeof paused?.until).toBe('string');
    expect(res.stderr).toMatch(/\[pause\] 127\.0\.0\.1:\d+ rate limited/);
    expect(records(dir).length).toBe(expectedOpen(alpha) + expectedOpen(beta));
  });

  test('a tracker that always fails does not stop the other (exit 1, its records written)', async () => {
    server = startFakeGithub({ repos: [alpha, beta], cacheControl: 'no-cache' });
    server.fault('/repos/acme/beta/issues', { status: 500, times: Infinity });
    const dir = tempDir();
    const res = await runCli(['run', trackerFile(dir, server.url), '--data-dir', join(dir, 'out'), '--retries', '1', ...fast]);
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/\[FAIL\]  Beta: HTTP 500/);
    expect(records(dir).length).toBe(expectedOpen(alpha));
    const rep = report(dir);
    expect(rep.trackers.find((t) => t.name === 'Beta')?.status).toBe('failed');
    expect(rep.trackers.find((t) => t.name === 'Beta')?.error).toMatch(/HTTP 500/);
    expect(rep.trackers.find((t) => t.name === 'Alpha')?.status).toBe('ok');
  });

  test('an entry with a configuration error fails alone; the file problem is printed with its position', async () => {
    server = startFakeGithub({ repos: [alpha, beta], cacheControl: 'no-cache' });
    const dir = tempDir();
    const file = trackerFile(dir, server.url, `  - tracker_name: Broken\n    bugimporter: github\n    state: sometimes\n`);
    const res = await runCli(['run', file, '--data-dir', join(dir, 'out'), ...fast]);
    expect(res.code).toBe(1);
    expect(res.stderr).toContain(`${file}:17:12 error`);
    expect(res.stderr).toMatch(/\[FAIL\]  Broken: configuration/);
    expect(records(dir).length).toBe(expectedOpen(alpha) + expectedOpen(beta));
    expect(server.requests.some((r) => r.path.includes('Broken'))).toBe(false);
  });

  test('a file that is not a tracker file exits 2 with one sentence and fetches nothing', async () => {
    const dir = tempDir();
    const path = join(dir, 'trackers.yaml');
    writeFileSync(path, 'just: [a, mapping\n');
    const res = await runCli(['run', path, '--data-dir', join(dir, 'out')]);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain(path);
    expect(res.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(join(dir, 'out', 'bugs.jsonl'))).toBe(false);
  });

  test('the old command line -i FILE -o OUT works', async () => {
    server = startFakeGithub({ repos: [alpha, beta], cacheControl: 'no-cache' });
    const dir = tempDir();
    const out = join(dir, 'legacy.jsonl');
    const res = await runCli(['-i', trackerFile(dir, server.url), '-o', out, '--data-dir', join(dir, 'out')]);
    expect(res.code).toBe(0);
    expect(readJsonl(readFileSync(out, 'utf8')).length).toBe(expectedOpen(alpha) + expectedOpen(beta));
  });

  test('-o - streams records to stdout', async () => {
    server = startFakeGithub({ repos: [alpha, beta], cacheControl: 'no-cache' });
    const dir = tempDir();
    const res = await runCli(['run', trackerFile(dir, server.url), '-o', '-', '--data-dir', join(dir, 'out'), '--only', 'Beta', ...fast]);
    expect(res.code).toBe(0);
    const recs = readJsonl(res.stdout);
    expect(recs.length).toBe(expectedOpen(beta));
    recs.forEach(assertValidRecord);
  });

  test('GITHUB_TOKEN is not sent to a host other than api.github.com, and never stored', async () => {
    server = startFakeGithub({ repos: [alpha, beta], cacheControl: 'no-cache' });
    const dir = tempDir();
    const file = trackerFile(dir, server.url, `  - tracker_name: Gamma\n    bugimporter: github\n    api_url: ${server.url}\n    github_name: acme\n    github_repo: beta\n    token_env: GAMMA_TOKEN\n`);
    const res = await runCli(['run', file, '--data-dir', join(dir, 'out'), ...fast], {
      env: cleanEnv({ GITHUB_TOKEN: 'ghp_defaultSECRET111', GAMMA_TOKEN: 'ghp_gammaSECRET222' }),
    });
    expect(res.code).toBe(0);
    const alphaReqs = server.requests.filter((r) => r.path.includes('/alpha/'));
    expect(alphaReqs.every((r) => r.headers.authorization === undefined)).toBe(true);
    expect(server.requests.some((r) => r.headers.authorization === 'Bearer ghp_gammaSECRET222')).toBe(true);
    for (const name of readdirSync(join(dir, 'out'), { recursive: true }) as string[]) {
      const path = join(dir, 'out', name);
      if (!existsSync(path) || !name.includes('.')) continue;
      const bytes = readFileSync(path);
      expect(bytes.includes('SECRET')).toBe(false);
    }
    expect(res.stderr).not.toContain('SECRET');
  });
});

/** Starts the CLI with --events jsonl and resolves once `requests` requests have been answered. */
async function startRunUntil(args: string[], requests: number): Promise<ReturnType<typeof Bun.spawn>> {
  const proc = Bun.spawn([process.execPath, MAIN, ...args, '--events', 'jsonl'], { env: cleanEnv(), stdout: 'pipe', stderr: 'pipe' });
  const reader = (proc.stdout as ReadableStream<Uint8Array>).getReader();
  let seen = '';
  while ((seen.match(/"request-done"/g) ?? []).length < requests) {
    const { value, done } = await reader.read();
    if (done) break;
    seen += new TextDecoder().decode(value);
  }
  return proc;
}

describe('interruption', () => {
  const big = repo('acme', 'alpha', 900);

  test('SIGINT stops cleanly: exit 130, no partial output, the previous output untouched', async () => {
    server = startFakeGithub({ repos: [big], latencyMs: 150, cacheControl: 'no-cache' });
    const dir = tempDir();
    const path = join(dir, 'trackers.yaml');
    writeFileSync(path, `- tracker_name: Big\n  bugimporter: github\n  api_url: ${server.url}\n  github_name: acme\n  github_repo: alpha\n  state: all\n`);
    const out = join(dir, 'out');
    const previous = join(out, 'bugs.jsonl');
    await Bun.write(previous, '{"previous":true}\n');
    // Interrupt once the first request has been answered.
    const proc = await startRunUntil(['run', path, '--data-dir', out, '--per-host', '1', '-o', previous], 1);
    proc.kill('SIGINT');
    const code = await proc.exited;
    expect(code).toBe(130);
    expect(readFileSync(previous, 'utf8')).toBe('{"previous":true}\n');
    expect(readdirSync(out).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  }, 30_000);

  test('a run killed with SIGKILL mid-way leaves a cache the next run uses', async () => {
    server = startFakeGithub({ repos: [big], latencyMs: 40, cacheControl: 'no-cache' });
    const dir = tempDir();
    const path = join(dir, 'trackers.yaml');
    writeFileSync(path, `- tracker_name: Big\n  bugimporter: github\n  api_url: ${server.url}\n  queries:\n    - ${server.url}/repos/acme/alpha/issues?state=all&per_page=10\n`);
    const out = join(dir, 'out');
    const proc = await startRunUntil(['run', path, '--data-dir', out, '-o', join(out, 'bugs.jsonl')], 5);
    proc.kill('SIGKILL');
    await proc.exited;
    expect(existsSync(join(out, 'bugs.jsonl'))).toBe(false);

    const rerun = await runCli(['run', path, '--data-dir', out, ...fast]);
    expect(rerun.code).toBe(0);
    const recs = readJsonl(readFileSync(join(out, 'bugs.jsonl'), 'utf8'));
    expect(recs.length).toBe(big.issues.filter((i) => !i.is_pull).length);
    // The pages fetched before the kill were cached and revalidated this time.
    expect(report(dir).trackers[0]?.revalidated).toBeGreaterThan(0);
    // The killed run's temp file was cleaned up by the next run.
    expect(readdirSync(out).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  }, 60_000);
});
