// Helpers shared by the JSON "forge" adapters (GitLab, Gitea/Forgejo; GitHub reads the same
// kinds of answers): the list request of an incremental run, label names, people counting,
// counts, and the answer that says a known issue is gone.
// Pure, like every module in trackers/.

import { ParseError } from '../src/core/errors.ts';
import type { FetchedResponse, RequestSpec } from '../src/core/types.ts';
import { laterSince } from './dates.ts';
import { isObject } from './json.ts';
import { joinUrl, paramValue, withParam, type SplitUrl } from './urls.ts';

/**
 * An issue list on an incremental run (§1.11): every state, and only issues updated since the
 * run's `since`, asked for with `sinceParam` (the URL's own value is kept when it is later).
 */
export function incrementalListUrl(url: SplitUrl, since: Date, sinceParam: string): SplitUrl {
  const every = withParam(url, 'state', 'all', true);
  return withParam(every, sinceParam, laterSince(paramValue(every.params, sinceParam), since), true);
}

/**
 * The request for an issue list: `full` as it is, or on incremental runs its incremental form,
 * with the state of the full run carried along as `meta.scope`.
 */
export function listRequest(
  full: SplitUrl,
  headers: Readonly<Record<string, string>>,
  since: Date | undefined,
  sinceParam: string,
): RequestSpec {
  if (since === undefined) return { kind: 'list', url: joinUrl(full), headers };
  const scope = paramValue(full.params, 'state') ?? 'all';
  return { kind: 'list', url: joinUrl(incrementalListUrl(full, since, sinceParam)), headers, meta: { scope } };
}

/**
 * Label names. GitHub and Gitea send objects (`{"id": 3, "name": "bug", "color": "ee0701"}`);
 * GitLab sends plain names (`["CI/CD", "Deliverable"]`), or objects with `with_labels_details`.
 */
export function labelNames(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  const names: string[] = [];
  for (const label of value) {
    if (typeof label === 'string') names.push(label);
    else if (isObject(label) && typeof label.name === 'string') names.push(label.name);
  }
  return names;
}

/** `people_involved` of the forges: the distinct non-empty names, plus 1 when there are comments. */
export function peopleInvolved(names: readonly string[], commented: boolean): number {
  return new Set(names.filter((name) => name !== '')).size + (commented ? 1 : 0);
}

/** A count the API sends as a number (`comments`, `user_notes_count`); 0 when missing. */
export function countOf(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : 0;
}

/**
 * The answer to a known bug's own request that says it is gone: 404 or 410 from the API. An
 * HTML page with that status comes from something else (a proxy, a wrong base_url), which is an
 * answer of the wrong kind, never a deletion (§1.9, §1.10).
 */
export function isGoneAnswer(res: FetchedResponse, service: string): boolean {
  if (res.status !== 404 && res.status !== 410) return false;
  if (res.body.trim().startsWith('<')) {
    throw new ParseError(
      `HTTP ${res.status} with an HTML page instead of the ${service} API's answer (is base_url right?): ${res.url}`,
      res.url,
    );
  }
  return true;
}
