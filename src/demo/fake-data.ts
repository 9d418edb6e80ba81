// Demo data for the fake GitHub: four invented open-source projects (a static site generator, a
// terminal emulator, a date library, an embedded key-value store) with a few hundred issues and
// pull requests between them. A seeded PRNG and fixed dates make every call return the same data.

import type { FakeIssue, FakeRepo } from './fake-github.ts';
import { mulberry32, pick } from './fake-random.ts';

/** Every date lies between a project's start and this instant. */
const DATA_END = Date.parse('2026-10-30T17:45:00Z');
const DAY = 86_400_000;

/** The seeded generator with the helpers the data below needs. */
class Rng {
  readonly next: () => number;

  constructor(seed: number) {
    this.next = mulberry32(seed);
  }

  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return pick(this.next, items);
  }

  /** Picks with a bias to the front of the list (a few people write most issues). */
  pickSkewed<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.next() ** 2 * items.length)];
    if (item === undefined) throw new Error('pick from an empty list');
    return item;
  }

  sample<T>(items: readonly T[], count: number): T[] {
    const pool = [...items];
    const out: T[] = [];
    while (out.length < count && pool.length > 0) {
      const [item] = pool.splice(Math.floor(this.next() * pool.length), 1);
      if (item !== undefined) out.push(item);
    }
    return out;
  }
}

interface Project {
  readonly owner: string;
  readonly name: string;
  /** Display name used in bodies. */
  readonly title: string;
  readonly description: string;
  readonly count: number;
  readonly start: string;
  readonly maintainers: readonly string[];
  readonly areas: readonly string[];
  readonly milestones: readonly string[];
  readonly versions: readonly string[];
  /** First step of a bug report. */
  readonly setup: string;
  readonly words: Readonly<Record<Slot, readonly string[]>>;
}

type Slot = 'component' | 'action' | 'symptom' | 'thing' | 'feature' | 'doc' | 'task' | 'platform' | 'error' | 'dep' | 'config';

const PROJECTS: readonly Project[] = [
  {
    owner: 'sprocket-ssg',
    name: 'sprocket',
    setup: 'Create a site with `sprocket new demo`',
    title: 'Sprocket',
    description: 'A fast static site generator with Markdown, themes and live reload',
    count: 236,
    start: '2024-01-09T10:12:00Z',
    maintainers: ['mira-okafor', 'tjansen', 'lucas-pereira'],
    areas: ['area: templates', 'area: markdown', 'area: cli', 'area: serve'],
    milestones: ['v0.19', 'v0.20', 'v1.0'],
    versions: ['0.17.3', '0.18.0', '0.18.2', '0.19.0', '0.19.1', '0.20.0-beta.2'],
    words: {
      component: ['Markdown renderer', 'template engine', 'live reload server', 'sitemap generator', 'RSS feed', 'image pipeline', 'taxonomy pages', 'i18n', 'shortcodes', 'asset bundler', 'syntax highlighter', 'config loader', 'pagination'],
      action: ['building a site with 10k pages', 'a front-matter date has no time zone', 'running `sprocket serve` behind a reverse proxy', 'a shortcode is nested inside a list', 'renaming a content folder while serving', 'the output directory is a symlink', 'a page title contains an emoji 🎉', 'building on a read-only file system', 'using `--base-url` with a sub-path', 'two pages share the same slug', 'a Markdown table has a `|` inside inline code'],
      symptom: ['drops the last list item', 'escapes `&` twice in RSS titles', 'reloads the page in a loop', 'lists draft pages in the sitemap', 'blurs PNGs with transparency', 'takes twice as long as 0.18', 'loses the indentation of `<pre>` blocks', 'breaks relative links in nested sections', 'ignores `aliases` in front matter', 'gives two headings the same anchor id'],
      thing: ['front-matter dates', 'custom 404 pages', 'WebP output', 'heading anchors', 'per-section feeds', 'draft pages', 'footnotes', 'math blocks', 'Mermaid diagrams'],
      feature: ['set the output directory per environment', 'exclude files with a glob', 'disable the generator meta tag', 'render footnotes as sidenotes', 'generate Open Graph images', 'build only the pages that changed', 'pin the syntax-highlighting theme'],
      doc: ['the quick-start guide', 'the shortcode reference', 'deploying to GitHub Pages', 'the taxonomy example', 'migrating from Jekyll', 'the `markup` config reference'],
      task: ['add a search page', 'use a custom domain', 'localise date formats', 'deploy to Netlify', 'write my own shortcode'],
      platform: ['Windows 11', 'macOS 15', 'Ubuntu 24.04', 'Alpine 3.20 (musl)', 'FreeBSD 14', 'WSL2'],
      error: ['template not found: partials/head.html', 'invalid front matter: expected a date', 'Address already in use (os error 98)', 'Too many open files (os error 24)'],
      dep: ['pulldown-cmark', 'serde', 'tokio', 'image', 'syntect', 'notify'],
      config: ['[markup]\nunsafe = true', '[serve]\nport = 1313\nbind = "0.0.0.0"', 'base_url = "https://example.org/blog/"'],
    },
  },
  {
    owner: 'kelp-term',
    name: 'kelp',
    setup: 'Start `kelp --config /dev/null`',
    title: 'Kelp',
    description: 'A GPU-accelerated terminal emulator with splits, tabs and a Lua config',
    count: 198,
    start: '2024-03-18T08:40:00Z',
    maintainers: ['hana-lindqvist', 'rvasquez', 'oskar-novak', 'wen-park'],
    areas: ['renderer', 'platform: macos', 'platform: windows', 'platform: linux'],
    milestones: ['0.9', '0.10', '1.0'],
    versions: ['0.8.1', '0.9.0', '0.9.2', '0.10.0', '0.10.1'],
    words: {
      component: ['GPU renderer', 'font fallback', 'scrollback', 'tab bar', 'split panes', 'IME input', 'sixel images', 'copy mode', 'config reload', 'ligature shaping', 'URL detection', 'Wayland backend'],
      action: ['resizing the window while `htop` runs', 'pasting 1 MB of text', 'switching keyboard layouts', 'closing the last tab', 'running `tmux` inside a split', 'connecting a second monitor', 'scrolling back 100k lines', 'using a fractional scale of 1.25', 'typing Japanese (日本語) with fcitx5', 'printing a sixel image larger than the window'],
      symptom: ['draws the cursor out of sync', 'uses the wrong font for bold text', 'clips emoji on the right', 'flickers on focus', 'jumps to the top', 'washes out colours on HDR displays', 'lags by several frames', 'breaks ligatures at the selection edge', 'shows a stale window title'],
      thing: ['true colour', 'OSC 52 clipboard', 'the Kitty keyboard protocol', 'undercurl', 'hyperlinks (OSC 8)', 'background images', 'per-tab colours'],
      feature: ['hide the tab bar when only one tab is open', 'bind keys per profile', 'set a minimum contrast ratio', 'restore the session on start', 'open URLs with a custom command', 'disable ligatures per font', 'quit without confirmation'],
      doc: ['the key-binding reference', 'the font configuration page', 'building from source on Fedora', 'the theme gallery', 'the Lua config API'],
      task: ['use a different font for italics', 'make Option behave as Alt on macOS', 'share my config between machines', 'start in a given directory'],
      platform: ['macOS 14 (Apple silicon)', 'Windows 11', 'Fedora 41 (Wayland)', 'Arch Linux (X11)', 'Ubuntu 22.04', 'NixOS 24.05'],
      error: ['failed to create GL context', 'no suitable GPU adapter found', "font 'JetBrains Mono' not found", "panicked at 'index out of bounds: the len is 80 but the index is 80'"],
      dep: ['wgpu', 'winit', 'harfbuzz-sys', 'freetype-rs', 'mlua', 'crossbeam-channel'],
      config: ['config.font_size = 13.5', 'config.window_decorations = "RESIZE"', 'config.enable_tab_bar = false'],
    },
  },
  {
    owner: 'tempora-js',
    name: 'tempora',
    setup: 'Install `tempora` in a fresh project',
    title: 'Tempora',
    description: 'Immutable date and time library for JavaScript with time zones and locales',
    count: 164,
    start: '2024-05-02T14:05:00Z',
    maintainers: ['elif-haddad', 'jonas-fischer', 'priya-nguyen'],
    areas: ['area: parsing', 'area: formatting', 'area: time zones'],
    milestones: ['v3.1', 'v3.2', 'v4.0'],
    versions: ['3.0.4', '3.1.0', '3.1.2', '3.2.0'],
    words: {
      component: ['parser', 'formatter', 'time-zone database', 'duration arithmetic', 'relative time', 'locale data', 'calendar math', 'ISO week helpers', 'Temporal interop', 'TypeScript types'],
      action: ['parsing `2024-02-29T24:00`', 'adding one month to January 31', 'formatting in `Europe/Dublin` during DST', 'bundling with Vite', 'running under Bun', 'using the `fr-CA` locale', 'parsing a date without a year', 'subtracting durations with mixed signs', 'tree-shaking the locale bundle'],
      symptom: ['returns Invalid Date', 'is off by one hour after DST ends', 'ignores the `weekStartsOn` option', 'throws a RangeError', 'rounds durations the wrong way', 'reports week 53 for early January', 'pulls in every locale', 'is 3× slower than 2.x'],
      thing: ['ISO week dates', 'fractional seconds', 'BCE years', 'offset strings like `+05:45`', '`Intl.DurationFormat`', 'leap seconds'],
      feature: ['parse RFC 2822 dates', 'format durations as `1h 5m`', 'pick the first day of the week from the locale', 'round to the nearest quarter hour', 'accept `Temporal.PlainDate` everywhere', 'ship an ESM-only build'],
      doc: ['the time-zone guide', 'the migration guide from 2.x', 'the `format()` token table', 'the README example for `diff()`', 'the FAQ entry about UTC'],
      task: ['get the last business day of a month', "parse dates in the user's zone", 'load only one locale', 'compare dates without their times'],
      platform: ['Node 22', 'Bun 1.2', 'Deno 2', 'Safari 17', 'Chrome 131', 'React Native (Hermes)'],
      error: ['RangeError: Invalid time value', 'TypeError: Cannot read properties of undefined (reading "offset")', "Cannot find module 'tempora/locale/de'"],
      dep: ['typescript', 'vitest', 'esbuild', '@types/node', 'eslint', 'prettier'],
      config: ["tempora('2025-03-30T01:30', { zone: 'Europe/Dublin' }).add({ hours: 1 })", "format(d, 'GGGG-[W]WW')", "diff(a, b, { unit: 'month', rounding: 'floor' })"],
    },
  },
  {
    owner: 'mossdb',
    name: 'moss',
    setup: 'Open a fresh store with `moss.Open`',
    title: 'Moss',
    description: 'An embedded, crash-safe key-value store for Go, with Python bindings',
    count: 127,
    start: '2024-08-21T09:30:00Z',
    maintainers: ['kwame-osei', 'ines-moreau'],
    areas: ['storage', 'bindings'],
    milestones: ['v0.9', 'v1.0'],
    versions: ['0.7.2', '0.8.0', '0.8.1', '0.9.0'],
    words: {
      component: ['compaction', 'write-ahead log', 'snapshot reader', 'range iterator', 'bloom filters', 'crash recovery', 'mmap layer', 'TTL expiry', 'Python bindings', 'backup tool'],
      action: ['the disk fills up during compaction', 'opening a database written by 0.7', 'iterating in reverse with a prefix', 'closing the store while a snapshot is open', 'writing 64 KiB values', 'running on a 32-bit ARM board', 'restoring a backup to a new path', 'setting a TTL of zero'],
      symptom: ['loses the last write after a crash', 'keeps file handles open after Close()', 'reports negative sizes', 'stalls writers for seconds', 'returns deleted keys', 'grows the WAL without bound', 'panics with `slice bounds out of range`'],
      thing: ['zstd compression', 'column families', 'read-only mode', 'encryption at rest', 'prefix bloom filters', 'metrics export'],
      feature: ['expose compaction stats', 'cap the memory of the block cache', 'open a store read-only', 'export Prometheus metrics', 'iterate over a consistent snapshot'],
      doc: ['the durability guarantees', 'the tuning guide', 'the backup page', 'the Python quick start'],
      task: ['shrink the database file', 'iterate over keys with a prefix', 'back up a live store'],
      platform: ['linux/amd64', 'linux/arm (32-bit)', 'darwin/arm64', 'windows/amd64', 'freebsd/amd64'],
      error: ['wal: checksum mismatch at offset 4096', 'manifest: unexpected EOF', 'moss: too many levels'],
      dep: ['golang.org/x/sys', 'github.com/klauspost/compress', 'github.com/stretchr/testify'],
      config: ['db, err := moss.Open(path, moss.Options{SyncWrites: true})', 'it := db.Iter(moss.Prefix("user/"), moss.Reverse())'],
    },
  },
];

const FIRST = ['amara', 'bo', 'chen', 'dario', 'farah', 'gustavo', 'ingrid', 'kofi', 'lena', 'mateo', 'nadia', 'olu', 'quentin', 'rosa', 'sven', 'tomasz', 'uma', 'vikram', 'ximena', 'yusuf', 'zoe', 'aiko', 'bruno', 'carmen'];
const LAST = ['tanaka', 'silva', 'kowalski', 'rossi', 'ivanova', 'costa', 'mensah', 'berg', 'dubois', 'yilmaz', 'sato', 'hughes'];

/** A pool of plausible logins, the same every time. */
function people(rng: Rng, count: number): string[] {
  const out = new Set<string>();
  while (out.size < count) {
    const first = rng.pick(FIRST);
    const last = rng.pick(LAST);
    const style = rng.int(0, 5);
    out.add(
      style === 0
        ? `${first}-${last}`
        : style === 1
          ? `${first}${rng.int(7, 99)}`
          : style === 2
            ? `${first[0] ?? 'x'}${last}`
            : style === 3
              ? `${first}_${last[0] ?? 'x'}`
              : style === 4
                ? `${last}${first[0] ?? 'x'}`
                : `${first}dev`,
    );
  }
  return [...out];
}

type Kind = 'bug' | 'feature' | 'docs' | 'question' | 'pr-fix' | 'pr-feat' | 'pr-docs' | 'pr-bump' | 'pr-refactor';

const TITLES: Readonly<Record<Kind, readonly string[]>> = {
  bug: ['Crash when {action}', '{component} {symptom}', '{component} {symptom} on {platform}', 'Regression in {version}: {component} {symptom}', 'Panic in {component} when {action}', 'Wrong {thing} after {action}', 'Memory usage keeps growing when {action}', 'Error "{error}" when {action}', '{component}: unexpected behaviour when {action}'],
  feature: ['Add option to {feature}', 'Support {thing} in {component}', 'Feature request: {feature}', 'Allow users to {feature}', '{component}: make {thing} configurable', 'Proposal: {feature}'],
  docs: ['Docs: {doc} is out of date', 'Docs: explain {thing}', 'Typo in {doc}', 'Document how to {task}', 'README: link to {doc}'],
  question: ['How do I {task}?', 'Is there a way to {feature}?', 'Question: {thing} with {component}'],
  'pr-fix': ['Fix crash when {action}', 'fix({component}): handle {thing}', 'Fix {component} on {platform}'],
  'pr-feat': ['Add option to {feature}', 'feat: support {thing} in {component}'],
  'pr-docs': ['docs: update {doc}', 'docs: explain how to {task}', 'Fix typos in {doc}'],
  'pr-bump': ['Bump {dep} from {old} to {new}'],
  'pr-refactor': ['Refactor {component}', 'chore: run CI on {platform}', 'Speed up {component}'],
};

const GREETINGS = ['', '', 'Hi! ', 'Hello, ', 'Thanks for {project}! ', 'First of all, great project. '];
const WORKAROUNDS = ['a small wrapper script', 'patching the output by hand', 'pinning the previous release', 'a fork with a two-line change'];
const SIGN_OFFS = ['', '', '', '\n\nHappy to open a PR if this sounds good.', '\n\nThanks!', '\n\nMerci ! 🙏', '\n\nLet me know if you need more details.'];

function fill(rng: Rng, template: string, project: Project, extra: Readonly<Record<string, string>> = {}): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => {
    if (key in extra) return extra[key] ?? whole;
    if (key === 'version') return rng.pick(project.versions);
    if (key === 'project') return project.title;
    const words = (project.words as Readonly<Record<string, readonly string[]>>)[key];
    return words === undefined ? whole : rng.pick(words);
  });
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function bodyFor(rng: Rng, kind: Kind, project: Project, number: number, vars: Record<string, string>): string | null {
  const ref = number > 3 ? rng.int(1, number - 1) : 1;
  const hi = fill(rng, rng.pick(GREETINGS), project);
  const bye = rng.pick(SIGN_OFFS);
  const text = (template: string): string => fill(rng, template, project, vars);
  switch (kind) {
    case 'bug': {
      if (rng.chance(0.15)) return text(`Same as #${ref}, but on {platform}. Still happens with {version}.`);
      const steps = [project.setup, text('Run it on {platform}'), capitalise(text('{action}'))].map((s, i) => `${i + 1}. ${s}`);
      const error = rng.chance(0.5) ? `\n\n\`\`\`\n${text('{error}')}\n\`\`\`` : '';
      return (
        `${hi}${text('The {component} {symptom} when {action}.')}\n\n### Steps to reproduce\n\n${steps.join('\n')}\n\n` +
        `### Expected behaviour\n\nIt works as in ${rng.pick(project.versions)}.\n\n### Actual behaviour\n\n${text('It {symptom}.')}${error}\n\n` +
        `### Environment\n\n- ${project.title} ${text('{version}')}\n- OS: ${text('{platform}')}${bye}`
      );
    }
    case 'feature':
      return (
        `${hi}It would be great if ${project.title} could ${text('{feature}')}. Right now I work around it with ${rng.pick(WORKAROUNDS)}.\n\n` +
        `Something like:\n\n\`\`\`\n${text('{config}')}\n\`\`\`\n\nRelated: #${ref}${bye}`
      );
    case 'docs':
      return `${hi}${capitalise(text('{doc}'))} does not mention ${text('{thing}')}, and the example there no longer works with ${rng.pick(project.versions)}. A short example would help newcomers.${bye}`;
    case 'question':
      return `${hi}I tried to ${text('{task}')} but could not find it in the docs. Is there a recommended way?${bye}`;
    case 'pr-bump':
      return `Bumps ${vars.dep ?? 'a dependency'} from ${vars.old ?? '?'} to ${vars.new ?? '?'}.\n\nDependabot will resolve any conflicts with this PR as long as you don't alter it yourself.`;
    case 'pr-docs':
      return `${capitalise(text('{doc}'))} now covers ${text('{thing}')} and has a working example.\n\nCloses #${ref}.`;
    case 'pr-feat':
      return `Closes #${ref}.\n\nAdds a way to ${text('{feature}')}:\n\n\`\`\`\n${text('{config}')}\n\`\`\`\n\n- [x] Tests added\n- [${rng.chance(0.5) ? 'x' : ' '}] Docs updated`;
    case 'pr-refactor':
      return `No functional change. Splits the ${text('{component}')} into smaller modules so that #${ref} is easier to fix.`;
    case 'pr-fix':
      return `Fixes #${ref}.\n\n${capitalise(text('the {component} no longer {symptom} when {action}.'))}\n\n- [x] Regression test added`;
  }
}

function iso(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function pickKind(rng: Rng, pull: boolean): Kind {
  const r = rng.next();
  if (pull) return r < 0.4 ? 'pr-fix' : r < 0.6 ? 'pr-feat' : r < 0.75 ? 'pr-docs' : r < 0.9 ? 'pr-bump' : 'pr-refactor';
  return r < 0.47 ? 'bug' : r < 0.75 ? 'feature' : r < 0.91 ? 'docs' : 'question';
}

function versionBump(rng: Rng): { old: string; new: string } {
  const major = rng.int(0, 4);
  const minor = rng.int(0, 30);
  const patch = rng.int(0, 9);
  return rng.chance(0.7) ? { old: `${major}.${minor}.${patch}`, new: `${major}.${minor}.${patch + rng.int(1, 3)}` } : { old: `${major}.${minor}.${patch}`, new: `${major}.${minor + 1}.0` };
}

function labelsFor(rng: Rng, kind: Kind, project: Project, closed: boolean, recent: boolean): string[] {
  const labels: string[] = [];
  const add = (l: string): void => {
    if (!labels.includes(l)) labels.push(l);
  };
  if (kind === 'pr-bump') return ['dependencies'];
  if (kind === 'bug' || (kind === 'pr-fix' && rng.chance(0.5))) add('bug');
  if (kind === 'feature' || (kind === 'pr-feat' && rng.chance(0.5))) add('enhancement');
  if (kind === 'docs' || kind === 'pr-docs') add('documentation');
  if (kind === 'question') add('question');
  if (kind.startsWith('pr-')) return labels;
  const newcomer = kind === 'docs' ? 0.35 : kind === 'question' ? 0 : 0.1;
  if (rng.chance(closed ? newcomer * 0.6 : newcomer)) add('good first issue');
  if (rng.chance(0.1)) add('help wanted');
  if (rng.chance(0.45)) add(rng.pick(project.areas));
  if (closed && rng.chance(0.08)) add('duplicate');
  else if (closed && rng.chance(0.05)) add('wontfix');
  if (!closed && recent && rng.chance(0.5)) return ['needs triage'];
  if (rng.chance(0.08)) return [];
  return labels;
}

function issuesFor(project: Project, seed: number, pool: readonly string[]): FakeIssue[] {
  const rng = new Rng(seed);
  const start = Date.parse(project.start);
  const span = DATA_END - start;
  const created = Array.from({ length: project.count }, () => start + Math.floor(rng.next() * span / 1000) * 1000).sort((a, b) => a - b);
  const issues: FakeIssue[] = [];
  created.forEach((createdAt, index) => {
    const number = index + 1;
    const pull = number > 2 && rng.chance(0.1);
    const kind = pickKind(rng, pull);
    const age = (DATA_END - createdAt) / span;
    const closed = rng.chance(pull ? 0.45 + 0.5 * age : 0.1 + 0.65 * age);
    const recent = DATA_END - createdAt < 30 * DAY;
    // One choice per slot, shared by the title and the body, so both tell the same story.
    const vars: Record<string, string> = { version: rng.pick(project.versions) };
    for (const [slot, words] of Object.entries(project.words)) vars[slot] = rng.pick(words);
    if (kind === 'pr-bump') Object.assign(vars, versionBump(rng));
    const filled = fill(rng, rng.pick(TITLES[kind]), project, vars);
    const title = pull ? filled : capitalise(filled);
    const user = kind === 'pr-bump' ? 'dependabot[bot]' : pull && rng.chance(0.4) ? rng.pick(project.maintainers) : rng.chance(0.12) ? rng.pick(project.maintainers) : rng.pickSkewed(pool);
    const body = !pull && rng.chance(0.045) ? null : bodyFor(rng, kind, project, number, vars);
    const windowsUser = body !== null && rng.chance(0.08);

    const closedAt = closed ? Math.min(DATA_END, createdAt + 60_000 + Math.floor(rng.next() ** 2 * 120 * DAY)) : null;
    const touched =
      closedAt !== null
        ? closedAt + (rng.chance(0.2) ? rng.int(60, 5 * 86_400) * 1000 : 0)
        : createdAt + Math.floor(rng.next() ** 1.5 * (DATA_END - createdAt) * 0.9);
    const updatedAt = Math.min(DATA_END, Math.max(createdAt, touched));

    const assigned = rng.next();
    const assignees = kind === 'pr-bump' ? [] : assigned < 0.08 ? rng.sample(project.maintainers, rng.int(2, 3)) : assigned < (closed ? 0.5 : 0.35) ? [rng.pick(project.maintainers)] : [];
    const comments = rng.chance(0.3) ? 0 : Math.min(60, 1 + Math.floor(-Math.log(1 - rng.next()) * 4));
    const milestone = !pull && rng.chance(0.2) ? (project.milestones[Math.min(project.milestones.length - 1, Math.floor((1 - age) * project.milestones.length))] ?? null) : null;

    issues.push({
      number,
      title,
      body: windowsUser && body !== null ? body.replace(/\n/g, '\r\n') : body,
      state: closed ? 'closed' : 'open',
      user,
      assignees,
      labels: labelsFor(rng, kind, project, closed, recent),
      comments,
      created_at: iso(createdAt),
      updated_at: iso(updatedAt),
      closed_at: closedAt === null ? null : iso(Math.min(closedAt, updatedAt)),
      ...(pull ? { is_pull: true } : {}),
      milestone,
    });
  });
  return issues;
}

/**
 * The demo's repositories: four projects, 725 issues and pull requests in all (about 10 % pull
 * requests, about half closed), dated from January 2024 to October 2026. The same every call.
 */
export function demoRepos(seed = 20240109): FakeRepo[] {
  const pool = people(new Rng(seed ^ 0x5eed), 48);
  return PROJECTS.map((project, i) => ({
    owner: project.owner,
    name: project.name,
    description: project.description,
    issues: issuesFor(project, (seed + (i + 1) * 7919) >>> 0, pool),
  }));
}
