// `customs demo`: fake trackers on 127.0.0.1 and a real import against them with the same engine,
// so a new user sees the whole tool work with no network and no setup. The fake hosts have fixed
// public names (dialled on 127.0.0.1), so a later `customs demo --offline` replays from the cache.

import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseTrackerText } from '../config/load.ts';
import { demoRepos } from '../demo/fake-data.ts';
import { demoBugzillaEntry, startFakeBugzilla } from '../demo/fake-bugzilla.ts';
import { demoGiteaEntry, startFakeGitea } from '../demo/fake-gitea.ts';
import { startFakeGithub } from '../demo/fake-github.ts';
import { demoGitlabEntry, startFakeGitlab } from '../demo/fake-gitlab.ts';
import { demoJiraEntry, startFakeJira } from '../demo/fake-jira.ts';
import { demoLaunchpadEntry, startFakeLaunchpad } from '../demo/fake-launchpad.ts';
import { demoPagureEntry, startFakePagure } from '../demo/fake-pagure.ts';
import { demoRedmineEntry, startFakeRedmine } from '../demo/fake-redmine.ts';
import { demoRoundupEntry, startFakeRoundup } from '../demo/fake-roundup.ts';
import { demoTracEntry, startFakeTrac } from '../demo/fake-trac.ts';
import { writeFileAtomic } from '../sinks/atomic.ts';
import type { CliIo } from './run.ts';
import { runLoaded } from './run.ts';

export const DEMO_GITHUB_ORIGIN = 'http://github.demo.localhost';

export interface DemoArgs {
  readonly dataDir: string;
  readonly offline: boolean;
  readonly events?: string;
}

/** The demo's tracker file: one entry per fake repository, showing the different entry styles. */
export function demoTrackerYaml(repos: readonly { readonly owner: string; readonly name: string; readonly deleted?: number }[]): string {
  const lines = [
    '# The customs demo: fake GitHub repositories served on this machine (127.0.0.1).',
    '# Re-run it from the cache alone with `customs demo --offline`.',
    'settings:',
    '  per_host: 4',
    'trackers:',
  ];
  repos.forEach((repo, i) => {
    lines.push(`  - tracker_name: ${JSON.stringify(titleCase(repo.name))}`);
    lines.push(`    bugimporter: ${i === 1 ? 'github.GitHubBugImporter' : 'github'}`);
    lines.push(`    api_url: ${DEMO_GITHUB_ORIGIN}`);
    if (i === 1) {
      lines.push('    queries:');
      lines.push(`      - ${DEMO_GITHUB_ORIGIN}/repos/${repo.owner}/${repo.name}/issues?state=open`);
      lines.push(`      - ${DEMO_GITHUB_ORIGIN}/repos/${repo.owner}/${repo.name}/issues?state=closed&labels=documentation`);
    } else {
      lines.push(`    github_name: ${repo.owner}`);
      lines.push(`    github_repo: ${repo.name}`);
      lines.push(`    state: ${i === 0 ? 'all' : 'open'}`);
    }
    lines.push('    bitesized_tag: good first issue');
    lines.push('    documentation_tag: documentation');
    lines.push(`    bug_project_name_format: "{product}"`);
    if (repo.deleted !== undefined) {
      lines.push('    existing_bug_urls:');
      lines.push(`      - ${DEMO_GITHUB_ORIGIN}/${repo.owner}/${repo.name}/issues/${repo.deleted}`);
      lines.push(`      - ${DEMO_GITHUB_ORIGIN}/${repo.owner}/${repo.name}/issues/1`);
    }
  });
  return `${lines.join('\n')}\n`;
}

function titleCase(name: string): string {
  return name.replace(/(^|[-_])(\w)/g, (_m, sep: string, ch: string) => (sep ? ' ' : '') + ch.toUpperCase());
}

/** A fake tracker of one type, served on 127.0.0.1 under a fixed public origin. */
interface DemoService {
  readonly origin: string;
  start(options: { readonly publicUrl: string; readonly latencyMs: number }): { readonly url: string; stop(): Promise<void> };
  /** YAML lines of its entry (a list item under `trackers:`). */
  entry(origin: string): string;
}

/** The other types' fakes, each one tracker of the demo file. */
const SERVICES: readonly DemoService[] = [
  { origin: 'http://bugzilla.demo.localhost', start: startFakeBugzilla, entry: demoBugzillaEntry },
  { origin: 'http://trac.demo.localhost', start: startFakeTrac, entry: demoTracEntry },
  { origin: 'http://roundup.demo.localhost', start: startFakeRoundup, entry: demoRoundupEntry },
  { origin: 'http://gitlab.demo.localhost', start: startFakeGitlab, entry: demoGitlabEntry },
  { origin: 'http://jira.demo.localhost', start: startFakeJira, entry: demoJiraEntry },
  { origin: 'http://launchpad.demo.localhost', start: startFakeLaunchpad, entry: demoLaunchpadEntry },
  { origin: 'http://forgejo.demo.localhost', start: startFakeGitea, entry: demoGiteaEntry },
  { origin: 'http://redmine.demo.localhost', start: startFakeRedmine, entry: demoRedmineEntry },
  { origin: 'http://pagure.demo.localhost', start: startFakePagure, entry: demoPagureEntry },
];

export async function demoCommand(args: DemoArgs, io: CliIo): Promise<number> {
  const repos = demoRepos();
  // One issue of the first repository is "deleted upstream" to show a _deleted record.
  const first = repos[0];
  const deletedNumber = first ? Math.max(...first.issues.filter((i) => !i.is_pull).map((i) => i.number)) : undefined;
  const yamlRepos = repos.map((r, i) => ({ owner: r.owner, name: r.name, deleted: i === 0 ? deletedNumber : undefined }));
  const yamlText = [demoTrackerYaml(yamlRepos).trimEnd(), ...SERVICES.map((s) => s.entry(s.origin))].join('\n') + '\n';
  mkdirSync(args.dataDir, { recursive: true });
  const trackerPath = join(args.dataDir, 'trackers.yaml');
  writeFileAtomic(trackerPath, yamlText);
  const file = parseTrackerText(yamlText, trackerPath);
  for (const p of file.problems) io.stderr(`demo: ${p.message}`);
  if (file.fatal) return 2;

  const servers: { readonly origin: string; readonly url: string; stop(): Promise<void> }[] = [];
  if (!args.offline) {
    const github = startFakeGithub({ repos, publicUrl: DEMO_GITHUB_ORIGIN, latencyMs: 25, cacheControl: 'private, max-age=0', rateLimitAfter: { requests: 6, resetInSeconds: 2 } });
    if (first && deletedNumber !== undefined) github.deleteIssue(first.owner, first.name, deletedNumber);
    servers.push({ origin: DEMO_GITHUB_ORIGIN, url: github.url, stop: () => github.stop() });
    for (const service of SERVICES) {
      const server = service.start({ publicUrl: service.origin, latencyMs: 25 });
      servers.push({ origin: service.origin, url: server.url, stop: () => server.stop() });
    }
  }
  io.stderr(
    args.offline
      ? `customs demo: replaying from the cache in ${join(args.dataDir, 'cache')} (no server)`
      : `customs demo: ${file.entries.length} fake trackers on 127.0.0.1 (${servers.map((s) => s.origin.replace('http://', '')).join(', ')})`,
  );
  try {
    const code = await runLoaded(
      file,
      {
        file: trackerPath,
        dataDir: args.dataDir,
        offline: args.offline,
        events: args.events,
        output: args.events ? join(args.dataDir, 'bugs.jsonl') : undefined,
        originOverrides: servers.length > 0 ? Object.fromEntries(servers.map((s) => [s.origin, s.url])) : undefined,
        retryDelay: 200,
      },
      { ...io, env: {} },
    );
    if (code === 0) {
      io.stderr('');
      io.stderr(`Records:  ${join(args.dataDir, 'bugs.jsonl')}   (one ParsedBug per line)`);
      io.stderr(`Report:   ${join(args.dataDir, 'report.json')}`);
      io.stderr(`Trackers: ${trackerPath}   (the file this demo imported)`);
      io.stderr(
        args.offline
          ? 'Run `customs demo` to fetch again.'
          : 'Run `customs demo` again: each tracker then asks only for what changed since this run and merges it with these records; `customs demo --offline` replays this run from the cache.',
      );
    }
    return code;
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
  }
}
