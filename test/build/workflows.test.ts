// The GitHub Actions workflows parse, trigger on what they should, run the right commands with
// actions pinned to a commit, ship exactly the five binaries and SHA256SUMS, and every shell
// step is valid bash; and the README documents both.

import { describe, expect, test } from 'bun:test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import pkg from '../../package.json' with { type: 'json' };
import { binaryName, parseBuildArgs, ROOT, TARGETS } from '../../build.ts';

interface Step {
  readonly name?: string;
  readonly uses?: string;
  readonly run?: string;
  readonly with?: Record<string, unknown>;
  readonly env?: Record<string, unknown>;
}

interface Job {
  readonly name?: string;
  readonly 'runs-on': string;
  readonly needs?: string | readonly string[];
  readonly permissions?: Record<string, string>;
  readonly steps: readonly Step[];
}

interface Workflow {
  readonly name: string;
  readonly on: Record<string, unknown>;
  readonly permissions?: Record<string, string>;
  readonly jobs: Record<string, Job>;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Parses a workflow, failing on any YAML error, and checks the shape a workflow must have. */
function load(file: string): { readonly text: string; readonly workflow: Workflow } {
  const text = readFileSync(join(ROOT, '.github/workflows', file), 'utf8');
  const doc = parseDocument(text);
  expect(doc.errors.map(String)).toEqual([]);
  const value: unknown = doc.toJS();
  if (!isRecord(value) || typeof value.name !== 'string' || !isRecord(value.on) || !isRecord(value.jobs)) throw new Error(`${file}: needs name, on and jobs`);
  for (const [id, job] of Object.entries(value.jobs)) {
    if (!isRecord(job) || typeof job['runs-on'] !== 'string' || !Array.isArray(job.steps) || job.steps.length === 0) throw new Error(`${file}: job ${id} needs runs-on and steps`);
    for (const step of job.steps) if (!isRecord(step) || (typeof step.uses !== 'string') === (typeof step.run !== 'string')) throw new Error(`${file}: job ${id} has a step with neither or both of uses/run`);
  }
  return { text, workflow: value as unknown as Workflow };
}

const steps = (wf: Workflow): Step[] => Object.values(wf.jobs).flatMap((j) => [...j.steps]);
const runs = (wf: Workflow): string[] => steps(wf).flatMap((s) => (s.run === undefined ? [] : [s.run]));

function checkCommon(file: string, text: string, wf: Workflow): void {
  // Every action is pinned to a full commit, with the release it is as a comment.
  for (const line of text.split('\n').filter((l) => /^\s*(-\s+)?uses:/.test(l))) expect(line).toMatch(/uses: [\w.-]+\/[\w.-]+@[0-9a-f]{40} # v\d/);
  for (const s of steps(wf).filter((st) => st.uses !== undefined)) expect(s.uses).toMatch(/^actions\/(checkout|setup-node|upload-artifact|download-artifact)@/);
  // `needs` names jobs of this workflow.
  for (const job of Object.values(wf.jobs)) for (const need of [job.needs ?? []].flat()) expect(Object.keys(wf.jobs)).toContain(need);
  // `npm run X` names a script of package.json.
  for (const run of runs(wf)) for (const m of run.matchAll(/npm run ([\w:-]+)/g)) expect(Object.keys(pkg.scripts)).toContain(m[1] ?? '');
  expect(wf.permissions).toEqual({ contents: 'read' });
  expect(file).toMatch(/\.yml$/);
}

async function bashSyntax(script: string): Promise<string> {
  const proc = Bun.spawn(['bash', '-n'], { stdin: new TextEncoder().encode(script), stdout: 'pipe', stderr: 'pipe' });
  const [stderr, code] = await Promise.all([new Response(proc.stderr).text(), proc.exited]);
  return code === 0 ? '' : stderr;
}

describe('.github/workflows/ci.yml', () => {
  const { text, workflow } = load('ci.yml');

  test('runs .ci/run on every push and pull request', () => {
    expect(Object.keys(workflow.on).sort()).toEqual(['pull_request', 'push']);
    // No branch or path filters: every push, every pull request.
    expect(workflow.on.push ?? null).toBeNull();
    expect(workflow.on.pull_request ?? null).toBeNull();
    expect(runs(workflow)).toContain('.ci/run');
    expect(steps(workflow)[0]?.uses).toStartWith('actions/checkout@');
    checkCommon('ci.yml', text, workflow);
  });
});

describe('.github/workflows/release.yml', () => {
  const { text, workflow } = load('release.yml');
  const { build, macos, publish } = workflow.jobs;
  const binaries = TARGETS.map(binaryName).sort();

  test('runs on v* tags only, checks the tag against package.json, and tests before building', () => {
    expect(workflow.on).toEqual({ push: { tags: ['v*'] } });
    const buildRuns = build?.steps.flatMap((s) => (s.run === undefined ? [] : [s.run])) ?? [];
    expect(buildRuns.some((r) => r.includes('require("./package.json").version') && r.includes('GITHUB_REF_NAME'))).toBe(true);
    expect(buildRuns.indexOf('.ci/run')).toBeGreaterThanOrEqual(0);
    expect(buildRuns.indexOf('.ci/run')).toBeLessThan(buildRuns.indexOf('npm run build -- --smoke'));
    checkCommon('release.yml', text, workflow);
  });

  test('builds every target on linux-x64 and smoke-tests that binary there', () => {
    expect(build?.['runs-on']).toBe('ubuntu-latest');
    const args = parseBuildArgs(['--smoke']);
    expect(typeof args === 'string' ? args : args.targets).toEqual(TARGETS);
    const upload = build?.steps.find((s) => s.uses?.startsWith('actions/upload-artifact@'));
    expect(String(upload?.with?.path).trim().split('\n')).toEqual(binaries.map((b) => `dist/${b}`));
  });

  test('re-signs and verifies both macOS binaries on a Mac, and smoke-tests darwin-arm64 there', () => {
    expect(macos?.needs).toBe('build');
    expect(macos?.['runs-on']).toStartWith('macos-');
    const script = macos?.steps.map((s) => s.run ?? '').join('\n') ?? '';
    expect(script).toContain('codesign --force --sign -');
    expect(script).toContain('codesign --verify --strict');
    const smoke = /bun build\.ts (--smoke-binary \S+)/.exec(script)?.[1]?.split(' ') ?? [];
    const args = parseBuildArgs(smoke);
    expect(typeof args === 'string' ? args : args.smokeBinary).toEndWith('dist/customs-darwin-arm64');
  });

  test('attaches exactly the five binaries and SHA256SUMS, with write access only there', () => {
    expect([publish?.needs ?? []].flat().sort()).toEqual(['build', 'macos']);
    expect(publish?.permissions).toEqual({ contents: 'write' });
    const script = publish?.steps.map((s) => s.run ?? '').join('\n') ?? '';
    expect(script).toContain(`sha256sum ${binaries.join(' ')} > SHA256SUMS`);
    const upload = /gh release upload ([^\n]*)/.exec(script.replace(/\\\n/g, ' '))?.[1] ?? '';
    const files = upload.split(/\s+/).filter((w) => w.startsWith('dist/'));
    expect(files).toEqual([...binaries.map((b) => `dist/${b}`), 'dist/SHA256SUMS']);
    expect(script).toContain('gh release create "$TAG"');
    const env = publish?.steps.find((s) => s.run?.includes('gh release'))?.env;
    expect(env?.GH_TOKEN).toBe('${{ github.token }}');
  });
});

test('every shell step of both workflows is valid bash', async () => {
  for (const file of ['ci.yml', 'release.yml']) for (const run of runs(load(file).workflow)) expect(`${file}: ${await bashSyntax(run)}`).toBe(`${file}: `);
});

test('the README documents both workflows and the install', () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  for (const needle of ['.github/workflows/ci.yml', '.github/workflows/release.yml', 'SHA256SUMS', 'sha256sum -c', 'shasum -a 256', 'Get-FileHash', 'xattr -d com.apple.quarantine'])
    expect(readme).toContain(needle);
});
