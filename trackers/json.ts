// JSON as the adapters read it: narrowing `unknown` values of an answer, reading a body as JSON
// or failing with a message naming the URL, and the `meta` a request carries from plan to
// handler. Pure, like every module in trackers/.

import { ParseError, errorMessage } from '../src/core/errors.ts';
import type { FetchedResponse, Json } from '../src/core/types.ts';

/** A JSON object of an answer, its values still to be narrowed. */
export type JsonObject = { readonly [key: string]: unknown };

/** A JSON object the adapter wrote itself (a request's `meta`). */
export type JsonRecord = { readonly [key: string]: Json };

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The body as JSON. HTML (a login page, a proxy's error page) and broken JSON are ParseErrors
 * naming the URL, so the tracker fails with a clear message and the run goes on. `guess` is what
 * the HTML page probably is, as the service's users would meet it.
 */
export function parseJsonBody(res: FetchedResponse, service: string, guess = 'a login or error page?'): unknown {
  const body = res.body.trim();
  if (body.startsWith('<')) {
    throw new ParseError(`expected JSON from the ${service} API but got HTML (${guess}): ${res.url}`, res.url);
  }
  try {
    return JSON.parse(body);
  } catch (err) {
    throw new ParseError(`malformed JSON from ${res.url}: ${errorMessage(err)}`, res.url);
  }
}

/** A string field of an answer, or `fallback` when it is missing or of another type. */
export function stringOr(value: unknown, fallback: string): string {
  return typeof value === 'string' ? value : fallback;
}

// ---------------------------------------------------------------------------------------------
// Request metadata

/** A request's `meta` as an object; `{}` when it is missing or not an object. */
export function metaRecord(meta: Json | undefined): JsonRecord {
  return isObject(meta) ? (meta as JsonRecord) : {};
}

/** A string or number field of a request's meta. */
export function metaField(meta: Json | undefined, name: string): string | number | undefined {
  const value = metaRecord(meta)[name];
  return typeof value === 'string' || typeof value === 'number' ? value : undefined;
}

/** A string field of a request's meta. */
export function metaString(meta: Json | undefined, name: string): string | undefined {
  const value = metaRecord(meta)[name];
  return typeof value === 'string' ? value : undefined;
}

/**
 * The state a list covers in a full run (`meta.scope`). Incremental runs ask for every state and
 * carry this along, so an issue now outside it (closed since the last run) only updates a record
 * the previous output already holds (HandleResult.updates).
 */
export function scopeOf(meta: Json | undefined): string | undefined {
  return metaString(meta, 'scope');
}
