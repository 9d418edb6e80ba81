// Start-up stays cheap because heavy modules load only when a command needs them: walks the
// static imports (not `await import()`) from the CLI entry and from `validate`, and checks that
// the HTTP stack, the demo servers, the terminal UI and the database drivers are not among them.
// (How long start-up takes is measured by bench/startup.ts, never asserted here.)

import { describe, expect, test } from 'bun:test';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { ROOT } from '../../build.ts';

interface Graph {
  /** Project files, relative to the root. */
  readonly files: ReadonlySet<string>;
  /** Packages and built-in modules (`undici`, `bun:sqlite`, `node:fs`…). */
  readonly modules: ReadonlySet<string>;
}

const transpiler = new Bun.Transpiler({ loader: 'tsx' });

/** Every file and module reachable from `entry` through static imports (type-only ones are erased). */
function staticGraph(entry: string): Graph {
  const files = new Set<string>();
  const modules = new Set<string>();
  const queue = [resolve(ROOT, entry)];
  for (let file = queue.pop(); file !== undefined; file = queue.pop()) {
    const rel = relative(ROOT, file);
    if (files.has(rel)) continue;
    files.add(rel);
    if (!/\.(ts|tsx)$/.test(file)) continue;
    const source = readFileSync(file, 'utf8').replace(/^#!.*/, '');
    for (const imp of transpiler.scanImports(source)) {
      if (imp.kind !== 'import-statement' && imp.kind !== 'require-call') continue;
      if (imp.path.startsWith('.')) {
        const target = resolve(dirname(file), imp.path);
        queue.push(existsSync(target) ? target : `${target}.ts`);
      } else modules.add(imp.path.startsWith('@') ? imp.path.split('/').slice(0, 2).join('/') : (imp.path.split('/')[0] ?? imp.path));
    }
  }
  return { files, modules };
}

const HEAVY_MODULES = ['undici', 'http-cache-semantics', 'ink', 'react', 'bun:sqlite', 'ajv'];
const HEAVY_FILES = [/^tui\//, /^src\/demo\//, /^src\/http\//, /^src\/core\/run\.ts$/, /^src\/sinks\/db-(sqlite|postgres)\.ts$/];

function heavyParts(graph: Graph): string[] {
  return [...[...graph.modules].filter((m) => HEAVY_MODULES.includes(m)), ...[...graph.files].filter((f) => HEAVY_FILES.some((re) => re.test(f)))];
}

describe('lazy loading', () => {
  test('the walk finds what it should (a sanity check of the test itself)', () => {
    const run = staticGraph('src/cli/run.ts');
    expect(run.modules.has('undici') || [...run.files].some((f) => f.startsWith('src/http/'))).toBe(true);
  });

  test('`customs --version`, `--help` and completion load no tracker, HTTP, demo, UI or database code', () => {
    const graph = staticGraph('src/cli/main.ts');
    expect(graph.files.has(join('src', 'cli', 'completion.ts'))).toBe(true);
    expect(heavyParts(graph)).toEqual([]);
    expect([...graph.files].filter((f) => f.startsWith('trackers/'))).toEqual([]);
    expect(graph.modules.has('yaml')).toBe(false);
  });

  test('`customs validate` loads the tracker declarations, but no HTTP, demo, UI or database code', () => {
    const graph = staticGraph('src/cli/validate.ts');
    expect(graph.files.has('trackers/index.ts')).toBe(true);
    expect(heavyParts(graph)).toEqual([]);
  });
});
