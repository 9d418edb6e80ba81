// The real compiled binary: builds the host target once into a temp folder (a few seconds, with
// bytecode as released) and runs build.ts's smoke steps against a copy of it alone in an empty
// folder with no node_modules.

import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pkg from '../../package.json' with { type: 'json' };
import { binaryName, buildTarget, findRuntime, hostTarget, prepareSmoke, SMOKE_STEPS, writeChecksums } from '../../build.ts';
import type { SmokeContext, TargetSpec } from '../../build.ts';

const COMMIT = 'smoke01';
const host: TargetSpec | undefined = hostTarget();
const runtime = host ? findRuntime(host) : undefined;
const skipReason = !host
  ? `${process.platform}-${process.arch} is not a target customs is built for`
  : runtime && !runtime.ok
    ? runtime.reason
    : undefined;
if (skipReason) console.warn(`test/build/binary.test.ts: skipping the compiled-binary tests: ${skipReason}`);

describe.skipIf(skipReason !== undefined)(`the compiled ${host?.name ?? 'host'} binary${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
  let outdir = '';
  let binary = '';
  let ctx: SmokeContext | undefined;

  beforeAll(async () => {
    if (!host) return;
    outdir = mkdtempSync(join(tmpdir(), 'customs-build-'));
    // As shipped (bytecode), from the local runtime only: a test never fetches one.
    const outcome = await buildTarget(host, { outdir, commit: COMMIT, fetch: false });
    if (outcome.status !== 'built') throw new Error(`building ${host.name} ${outcome.status}: ${outcome.reason}`);
    if (outcome.warnings.length > 0) throw new Error(`building ${host.name}: ${outcome.warnings.join('; ')}`);
    binary = outcome.path;
    ctx = prepareSmoke(binary, pkg.version, COMMIT);
  }, 180_000);

  afterAll(() => {
    if (ctx) rmSync(ctx.dir, { recursive: true, force: true });
    if (outdir) rmSync(outdir, { recursive: true, force: true });
  });

  test('is written as dist-style customs-<target> and listed in SHA256SUMS', async () => {
    expect(host && binary.endsWith(binaryName(host))).toBe(true);
    const lines = await writeChecksums(outdir);
    const sha = createHash('sha256').update(readFileSync(binary)).digest('hex');
    expect(lines).toEqual([`${sha}  ${host ? binaryName(host) : ''}`]);
  });

  // In order: `demo --offline` replays what `demo --ci` cached.
  for (const step of SMOKE_STEPS) {
    test(
      step.name,
      async () => {
        if (!ctx) throw new Error('the binary was not built');
        const { problem } = await step.run(ctx);
        expect(problem).toBeUndefined();
      },
      130_000,
    );
  }
});
