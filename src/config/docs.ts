// The reference of tracker-file keys, rendered from the same field declarations that drive
// validation and the editor, so the docs cannot drift. `bun src/config/docs.ts --write` (npm run
// docs) rewrites docs/trackers.md; a test fails when the committed file is out of date.

import { stringify } from 'yaml';
import { ADAPTERS } from '../../trackers/index.ts';
import { COMMON_FIELDS, IGNORED_KEYS } from '../../trackers/common.ts';
import type { FieldSpec, TrackerAdapter } from '../core/types.ts';
import { SETTINGS_DOCS } from './settings.ts';

const KIND_WORDS: Readonly<Record<FieldSpec['kind'], string>> = {
  string: 'text',
  url: 'URL',
  'url-list': 'list of URLs',
  boolean: 'true / false',
  integer: 'whole number',
  choice: 'one of',
  'comma-list': 'comma list',
  'name-format': 'pattern',
  'env-name': 'variable name',
};

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function kindOf(f: FieldSpec): string {
  if (f.kind !== 'choice') return KIND_WORDS[f.kind];
  // `bugimporter` lists no choices of its own: the types are the sections below.
  if (!f.choices || f.choices.length === 0) return 'a type below';
  return `one of ${f.choices.map((c) => `\`${c}\``).join(', ')}`;
}

function requiredOf(f: FieldSpec): string {
  return f.required === true ? 'yes' : f.required === false ? 'no' : f.required;
}

function fieldTable(fields: readonly FieldSpec[]): string[] {
  const rows = ['| key | kind | required | meaning | default |', '|---|---|---|---|---|'];
  for (const f of fields) {
    const extra = f.placeholders ? ` Placeholders: ${['tracker_name', ...f.placeholders].map((p) => `\`{${p}}\``).join(', ')}.` : '';
    rows.push(`| \`${f.name}\` | ${cell(kindOf(f))} | ${cell(requiredOf(f))} | ${cell(f.help + extra)} | ${f.default ? `\`${cell(f.default)}\`` : ''} |`);
  }
  return rows;
}

export function renderTrackerDocs(adapters: readonly TrackerAdapter[] = ADAPTERS): string {
  const out: string[] = [
    '# Tracker file keys',
    '',
    '<!-- Generated from the adapters\' field declarations by `npm run docs`; do not edit by hand. -->',
    '',
    'A tracker file is YAML (or JSON): a list of entries, a mapping with `objects:` (OpenHatch',
    'exports), or a mapping with `trackers:` and optional `settings:`. Check one with',
    '`customs validate FILE`.',
    '',
    '## Keys every entry may have',
    '',
    ...fieldTable(COMMON_FIELDS),
    '',
    `Accepted without a warning and not used: ${IGNORED_KEYS.map((k) => `\`${k}\``).join(', ')}. Any other unknown key is a warning.`,
    '',
    '## Settings',
    '',
    'Defaults for the run options, under `settings:` (the command line overrides them; paths are relative to the tracker file).',
    '',
    '| key | meaning |',
    '|---|---|',
    ...SETTINGS_DOCS.map(([key, meaning]) => `| \`${key}\` | ${cell(meaning)} |`),
    '',
  ];
  for (const adapter of adapters) {
    out.push(`## \`${adapter.type}\``, '', adapter.description, '');
    if (adapter.aliases.length > 0) out.push(`Also accepted as \`bugimporter\`: ${adapter.aliases.map((a) => `\`${a}\``).join(', ')}.`, '');
    out.push(...fieldTable(adapter.fields), '', 'Example:', '', '```yaml', stringify([adapter.example]).trimEnd(), '```', '');
  }
  return `${out.join('\n')}\n`;
}

if (import.meta.main) {
  const target = new URL('../../docs/trackers.md', import.meta.url).pathname;
  if (process.argv.includes('--write')) {
    await Bun.write(target, renderTrackerDocs());
    console.log(`wrote ${target}`);
  } else {
    process.stdout.write(renderTrackerDocs());
  }
}
