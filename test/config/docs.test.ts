// docs/trackers.md is generated from the field declarations; it must match them.
import { expect, test } from 'bun:test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderTrackerDocs } from '../../src/config/docs.ts';
import { ADAPTERS } from '../../trackers/index.ts';

test('docs/trackers.md is up to date (run `npm run docs` after changing a field)', () => {
  const committed = readFileSync(join(import.meta.dir, '../../docs/trackers.md'), 'utf8');
  expect(committed).toBe(renderTrackerDocs());
});

test('every type and every one of its keys is documented with an example', () => {
  const docs = renderTrackerDocs();
  for (const adapter of ADAPTERS) {
    expect(docs).toContain(`## \`${adapter.type}\``);
    for (const field of adapter.fields) expect(docs).toContain(`| \`${field.name}\` |`);
    expect(docs).toContain(`- tracker_name: ${adapter.example.tracker_name}`);
  }
});
