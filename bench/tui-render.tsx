// What the Run screen costs on a big run: imports many trackers from a fake GitHub (served by a
// child process, so its CPU is not counted) once with no view and once with the TUI drawing into
// a fake 100×30 terminal, and prints renders, frames, the time React and Ink spent, and the CPU
// of both runs. A measurement, never a test: numbers depend on the machine.
//
//   bun bench/tui-render.tsx [trackers=30] [issues-per-tracker=1500]

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventEmitter } from 'node:events';
import { Writable } from 'node:stream';
import { Profiler } from 'react';
import { render } from 'ink';
import { parseTrackerText } from '../src/config/load.ts';
import { fakeIssue, startFakeGithub } from '../src/demo/fake-github.ts';
import type { RunView } from '../src/cli/run.ts';
import { runLoaded } from '../src/cli/run.ts';
import { App } from '../tui/App.tsx';
import { RunStore } from '../tui/store.ts';

const TRACKERS = Number(process.argv[2] ?? 30);
const ISSUES = Number(process.argv[3] ?? 1500);

if (process.argv[4] === '--serve') {
  const repos = Array.from({ length: TRACKERS }, (_, r) => ({
    owner: 'bench',
    name: `repo${r}`,
    issues: Array.from({ length: ISSUES }, (_, i) => fakeIssue(i + 1, { title: `Issue ${i + 1} of repo ${r}`, labels: i % 7 === 0 ? ['good first issue'] : [], state: i % 3 === 0 ? 'closed' : 'open' })),
  }));
  const server = startFakeGithub({ repos, cacheControl: 'no-cache' });
  process.stdout.write(`${server.url}\n`);
  await new Promise(() => {});
}

/** A terminal that swallows what it is sent, counting frames and bytes. */
class FakeTerminal extends Writable {
  readonly isTTY = true;
  columns = 100;
  rows = 30;
  frames = 0;
  bytes = 0;
  override _write(chunk: Buffer | string, _encoding: BufferEncoding, done: () => void): void {
    this.frames++;
    this.bytes += chunk.length;
    done();
  }
}

/** Keys never come; raw mode is a no-op. */
class FakeKeyboard extends EventEmitter {
  readonly isTTY = true;
  setRawMode(): this {
    return this;
  }
  setEncoding(): this {
    return this;
  }
  read(): null {
    return null;
  }
  ref(): this {
    return this;
  }
  unref(): this {
    return this;
  }
  resume(): this {
    return this;
  }
  pause(): this {
    return this;
  }
}

function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

const child = Bun.spawn([process.execPath, import.meta.path, String(TRACKERS), String(ISSUES), '--serve'], { stdout: 'pipe', stderr: 'inherit' });
const reader = child.stdout.getReader();
const first = await reader.read();
const url = new TextDecoder().decode(first.value).trim();

const yaml = ['trackers:', ...Array.from({ length: TRACKERS }, (_, r) => [`  - tracker_name: Repo ${r}`, '    bugimporter: github', `    api_url: ${url}`, '    github_name: bench', `    github_repo: repo${r}`, '    state: all', '    bitesized_tag: good first issue'].join('\n'))].join('\n');
const io = { stdout: () => {}, stderr: () => {}, env: {} };

async function run(label: string, view: () => RunView): Promise<{ readonly cpu: number; readonly wall: number; readonly events: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'customs-bench-tui-'));
  const file = parseTrackerText(yaml, join(dir, 'trackers.yaml'));
  let events = 0;
  const cpu0 = cpuMs();
  const wall0 = performance.now();
  const code = await runLoaded(file, { file: file.path, dataDir: dir, noCache: true, perHost: 8, concurrency: 16 }, io, () => {
    const v = view();
    return { ...v, onEvent: (e) => (events++, v.onEvent(e)) };
  });
  const result = { cpu: cpuMs() - cpu0, wall: performance.now() - wall0, events };
  console.log(`${label.padEnd(8)} exit ${code}: ${events} events, ${(result.wall / 1000).toFixed(2)} s wall, ${(result.cpu / 1000).toFixed(2)} s CPU`);
  return result;
}

const plain = await run('no view', () => ({ onEvent: () => {} }));

const terminal = new FakeTerminal();
let reactMs = 0;
let reactRenders = 0;
let inkMs = 0;
let inkRenders = 0;
let store: RunStore | undefined;
const tui = await run('TUI', () => {
  store = new RunStore();
  const s = store;
  const instance = render(
    <Profiler
      id="app"
      onRender={(_id, _phase, actual) => {
        reactMs += actual;
        reactRenders++;
      }}
    >
      <App start={{ screen: 'run', session: { store: s, cancel: () => {} } }} file="bench" resultsFile="none" color={true} />
    </Profiler>,
    {
      stdout: terminal as unknown as NodeJS.WriteStream,
      stdin: new FakeKeyboard() as unknown as NodeJS.ReadStream,
      exitOnCtrlC: false,
      patchConsole: false,
      onRender: ({ renderTime }) => {
        inkMs += renderTime;
        inkRenders++;
      },
    },
  );
  return {
    onEvent: s.onEvent,
    close: () => instance.unmount(),
  };
});

const seconds = tui.wall / 1000;
console.log('');
console.log(`store: ${tui.events} events → ${store?.notifications ?? 0} notifications (${((store?.notifications ?? 0) / seconds).toFixed(1)}/s), ${store?.renders ?? 0} renders taking ${(store?.renderMs ?? 0).toFixed(0)} ms (React + Ink, measured by the screen), interval now ${(store?.currentIntervalMs ?? 0).toFixed(0)} ms`);
console.log(`React: ${reactRenders} commits, ${reactMs.toFixed(0)} ms rendering (clock ticks included; 0 under NODE_ENV=production, where the Profiler is off)`);
console.log(`Ink:   ${inkRenders} layouts, ${inkMs.toFixed(0)} ms; ${terminal.frames} writes, ${(terminal.bytes / 1024).toFixed(0)} KB to the terminal`);
console.log(`UI time measured: ${(reactMs + inkMs).toFixed(0)} ms (React + Ink) = ${(((reactMs + inkMs) / tui.cpu) * 100).toFixed(1)} % of the TUI run's CPU`);
console.log(`CPU, TUI run vs no view: +${(tui.cpu - plain.cpu).toFixed(0)} ms (${(((tui.cpu - plain.cpu) / tui.cpu) * 100).toFixed(1)} %; noise included)`);
child.kill();
process.exit(0);
