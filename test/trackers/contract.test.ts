// The contract every tracker type keeps, checked by walking the registry: declared fields with
// help, a valid example entry, deterministic plans, a handler for every request kind, secrets
// only in headers, and fixtures of its own.
import { describe, expect, test } from 'bun:test';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseTrackerText } from '../../src/config/load.ts';
import type { AdapterContext } from '../../src/core/types.ts';
import { ADAPTERS, findAdapter } from '../../trackers/index.ts';

const NOW = new Date('2026-06-01T12:00:00Z');
const SECRET = 'ghp_CONTRACTSECRETVALUE0123456789';
const ENV = { GITHUB_TOKEN: SECRET, GH_TOKEN: SECRET, CUSTOMS_TEST_TOKEN: SECRET, BUGZILLA_API_KEY: SECRET };

describe('the registry', () => {
  test('type names and aliases are unique and found by findAdapter', () => {
    const names = ADAPTERS.flatMap((a) => [a.type, ...a.aliases]);
    expect(new Set(names).size).toBe(names.length);
    for (const a of ADAPTERS) for (const name of [a.type, ...a.aliases]) expect(findAdapter(name)).toBe(a);
  });
});

for (const adapter of ADAPTERS) {
  describe(`${adapter.type} adapter`, () => {
    const ctx = (entry = adapter.example): AdapterContext => ({ entry, now: NOW, extendedScrape: false });

    test('declares every field once, with help text', () => {
      expect(adapter.description.length).toBeGreaterThan(10);
      expect(adapter.description).not.toContain('\n');
      const names = adapter.fields.map((f) => f.name);
      expect(new Set(names).size).toBe(names.length);
      for (const f of adapter.fields) {
        expect(f.help.length).toBeGreaterThan(5);
        if (f.kind === 'choice') expect((f.choices ?? []).length).toBeGreaterThan(0);
      }
    });

    test('its example entry is valid as a tracker file', () => {
      const file = parseTrackerText(JSON.stringify([{ ...adapter.example, token_env: undefined }]), 'example.yaml');
      const errors = [...file.problems, ...file.entries.flatMap((e) => e.problems)].filter((p) => p.severity === 'error');
      expect(errors).toEqual([]);
      expect(file.entries[0]?.adapter).toBe(adapter);
    });

    test('plans deterministically, with a handler for every request kind', () => {
      const first = adapter.plan(ctx());
      expect(first.length).toBeGreaterThan(0);
      expect(adapter.plan(ctx())).toEqual(first);
      for (const req of first) {
        expect(adapter.handlers[req.kind]).toBeDefined();
        expect(() => new URL(req.url)).not.toThrow();
      }
    });

    test('secrets travel in headers only, never in a URL', () => {
      const entry = { ...adapter.example, token_env: 'CUSTOMS_TEST_TOKEN' };
      for (const req of adapter.plan(ctx(entry))) {
        expect(req.url).not.toContain(SECRET);
        expect(JSON.stringify(req.headers ?? {})).not.toContain(SECRET);
        const creds = adapter.credentials?.(entry, req.url, ENV);
        if (creds) {
          expect(creds.source).not.toContain(SECRET);
          expect(Object.keys(creds.headers).length).toBeGreaterThan(0);
        }
      }
    });

    test('has fixtures of its own', () => {
      const dir = join(import.meta.dir, '../fixtures', adapter.type);
      expect(existsSync(dir)).toBe(true);
      expect(readdirSync(dir).length).toBeGreaterThan(0);
    });
  });
}
