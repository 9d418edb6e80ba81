// GitHub through the real engine: our fixtures served on 127.0.0.1 as an Enterprise API root,
// two pages linked by Link headers, a known issue that is gone.
import { expect, test } from 'bun:test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { githubAdapter } from '../../trackers/github.ts';
import { replay } from '../helpers/replay.ts';
import { assertValidRecord } from '../helpers/schema.ts';

const fixture = (name: string): string => readFileSync(join(import.meta.dir, '../fixtures/github', name), 'utf8');
const json = { 'content-type': 'application/json; charset=utf-8' };

test('two linked pages and a deleted known issue', async () => {
  let origin = '';
  const { result, records, requests } = await replay(
    githubAdapter,
    {
      tracker_name: 'Tidepool',
      bugimporter: 'github',
      api_url: '{origin}/api/v3',
      github_name: 'lanternfish',
      github_repo: 'tidepool',
      bitesized_tag: 'good first issue',
      existing_bug_urls: ['{origin}/lanternfish/tidepool/issues/999'],
    },
    (url) => {
      origin = url.origin;
      const path = url.pathname + url.search;
      if (path === '/api/v3/repos/lanternfish/tidepool/issues?state=open&per_page=100') {
        return { headers: { ...json, link: `<${origin}/api/v3/repositories/7/issues?state=open&per_page=100&page=2>; rel="next"` }, body: fixture('list-modern.json') };
      }
      if (path === '/api/v3/repositories/7/issues?state=open&per_page=100&page=2') return { headers: json, body: fixture('list-2012.json') };
      if (path === '/api/v3/repos/lanternfish/tidepool/issues/999') return { status: 404, headers: json, body: '{"message":"Not Found"}' };
      return undefined;
    },
  );
  expect(result.exitCode).toBe(0);
  expect(requests.length).toBe(3);
  records.forEach(assertValidRecord);
  const deleted = records.filter((r) => r._deleted === true);
  expect(deleted.map((r) => r.canonical_bug_link)).toEqual([`${origin}/lanternfish/tidepool/issues/999`]);
  // The pull request on page one is not a record; every issue of both pages is.
  expect(records.some((r) => String(r.canonical_bug_link).includes('/pull/'))).toBe(false);
  expect(records.length).toBeGreaterThan(4);
});
