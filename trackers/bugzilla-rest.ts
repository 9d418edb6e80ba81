// Bugzilla's REST API (Bugzilla ≥ 5, bugzilla.mozilla.org): searches (`rest/bug?…`), single bugs
// (`rest/bug/<id>`) and comments (`rest/bug/<id>/comment?ids=…`), read into BugFields and
// comment summaries. Error objects become errors that carry Bugzilla's code and message.

import { ParseError, errorMessage } from '../src/core/errors.ts';
import type { FetchedResponse } from '../src/core/types.ts';
import type { BugFields } from './bugzilla-record.ts';

/** Asked of every search, so that a page holds what a record needs and no more. */
export const INCLUDE_FIELDS =
  'id,summary,status,resolution,severity,priority,product,component,keywords,whiteboard,creator,creator_detail,creation_time,last_change_time,is_open';

/** REST error codes (Bugzilla's WebService errors) that customs reads. */
export const BUG_DOES_NOT_EXIST = 101;
export const BUG_ACCESS_DENIED = 102;

type JsonObject = { readonly [key: string]: unknown };

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `{"error": true, "code": 32000, "message": "API key authentication is required."}` */
export interface RestError {
  readonly code: number | undefined;
  readonly message: string;
}

export function restError(data: unknown): RestError | undefined {
  if (!isObject(data) || data.error !== true) return undefined;
  return {
    code: typeof data.code === 'number' ? data.code : undefined,
    message: typeof data.message === 'string' ? data.message : 'no message',
  };
}

/** The JSON of an answer; HTML or broken JSON is a ParseError naming the URL. */
export function parseRestJson(res: FetchedResponse): unknown {
  const body = res.body.replace(/^\uFEFF/, '').trim();
  if (body.startsWith('<')) {
    const hint = res.status === 404 ? ' (is the REST API enabled? It needs Bugzilla 5.0 or later)' : ' (a login or error page?)';
    throw new ParseError(`expected JSON from the Bugzilla REST API but got HTML${hint}: ${res.url}`, res.url);
  }
  try {
    return JSON.parse(body);
  } catch (err) {
    throw new ParseError(`malformed JSON from ${res.url}: ${errorMessage(err)}`, res.url);
  }
}

/** A REST error object as the failure of its request. */
export function restFailure(error: RestError, res: FetchedResponse): ParseError {
  const code = error.code === undefined ? '' : ` ${error.code}`;
  return new ParseError(`Bugzilla REST error${code}: ${error.message} (${res.url})`, res.url);
}

function str(value: unknown): string {
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '';
}

/** One bug of a search or single-bug answer; undefined without a numeric `id`. */
export function restBugFields(item: unknown): BugFields | undefined {
  if (!isObject(item) || typeof item.id !== 'number' || !Number.isInteger(item.id)) return undefined;
  const detail = isObject(item.creator_detail) ? item.creator_detail : {};
  return {
    id: item.id,
    title: str(item.summary),
    status: str(item.status),
    ...(typeof item.is_open === 'boolean' ? { isOpen: item.is_open } : {}),
    severity: str(item.severity),
    priority: str(item.priority),
    resolution: str(item.resolution),
    product: str(item.product),
    component: str(item.component),
    version: str(item.version),
    keywords: Array.isArray(item.keywords) ? item.keywords.filter((k): k is string => typeof k === 'string') : [],
    whiteboard: str(item.whiteboard),
    reporter: str(item.creator),
    reporterName: str(detail.real_name),
    assignedTo: str(item.assigned_to),
    created: str(item.creation_time),
    changed: str(item.last_change_time),
  };
}

/** The `bugs` array of a search (`{"bugs": [...]}`), or a ParseError. Items stay unread. */
export function restBugItems(data: unknown, res: FetchedResponse): readonly unknown[] {
  const error = restError(data);
  if (error !== undefined) throw restFailure(error, res);
  if (!isObject(data) || !Array.isArray(data.bugs)) {
    throw new ParseError(`expected a Bugzilla REST answer {"bugs": [...]}: ${res.url}`, res.url);
  }
  return data.bugs;
}

/** What the comments of one bug tell a record. */
export interface CommentSummary {
  readonly description: string;
  readonly people: number;
}

/**
 * Comments keyed by bug id: `{"bugs": {"1273442": {"comments": [{"count": 0, "creator": "…",
 * "text": "…"}, …]}}}`. The description is the comment with `count` 0 (else the first one);
 * older servers name the author `author` instead of `creator`.
 */
export function restComments(data: unknown, res: FetchedResponse): ReadonlyMap<number, CommentSummary> {
  const error = restError(data);
  if (error !== undefined) throw restFailure(error, res);
  if (!isObject(data) || !isObject(data.bugs)) {
    throw new ParseError(`expected Bugzilla REST comments {"bugs": {"<id>": {"comments": [...]}}}: ${res.url}`, res.url);
  }
  const summaries = new Map<number, CommentSummary>();
  for (const [key, value] of Object.entries(data.bugs)) {
    if (!/^\d+$/.test(key) || !isObject(value)) continue;
    const comments = Array.isArray(value.comments) ? value.comments.filter(isObject) : [];
    const first = comments.find((c) => c.count === 0) ?? comments[0];
    const people = new Set(comments.map((c) => str(c.creator ?? c.author)));
    summaries.set(Number(key), { description: str(first?.text), people: people.size });
  }
  return summaries;
}
