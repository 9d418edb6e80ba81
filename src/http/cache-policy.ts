// HTTP cache decisions, pure: whether a stored answer may be used as is, must be revalidated
// (and with which conditional headers), or fetched again; whether an answer may be stored; and
// the policy after a 304. Freshness comes from `http-cache-semantics` as a private cache with no
// heuristic freshness: a tracker page without an explicit max-age is always revalidated. The
// clock is a parameter, so every decision is deterministic.

import CachePolicy from 'http-cache-semantics';
import type { CachedResponse } from './cache-store.ts';
import { redactUrl, storableHeaders } from './fingerprint.ts';

/** `normal`: use fresh, revalidate stale. `refresh`: revalidate everything. `offline`: cache only. `off`: no cache. */
export type CacheMode = 'normal' | 'refresh' | 'offline' | 'off';

export type Decision =
  /** Fresh: answer from the cache, no request. */
  | { readonly action: 'use' }
  /** Ask the server conditionally, adding these headers (`if-none-match` / `if-modified-since`). */
  | { readonly action: 'revalidate'; readonly headers: Record<string, string> }
  /** Nothing usable stored (or caching off): a plain request. */
  | { readonly action: 'fetch' }
  /** Offline and nothing stored. */
  | { readonly action: 'miss-offline' };

type PolicyObject = CachePolicy.CachePolicyObject;

const POLICY_OPTIONS: CachePolicy.Options = { shared: false, cacheHeuristic: 0, immutableMinTimeToLive: 0 };

/** Request headers that are the cache's own business or do not select a representation. */
const POLICY_IGNORED_REQUEST_HEADERS: ReadonlySet<string> = new Set([
  'if-none-match',
  'if-modified-since',
  'if-match',
  'if-unmodified-since',
  'if-range',
  // Bodies are stored decoded, so a `Vary: Accept-Encoding` must not make a stored answer unusable.
  'accept-encoding',
]);

/** Response headers that describe the wire, not the decoded body the store keeps. */
const NOT_UPDATED_BY_304: ReadonlySet<string> = new Set(['content-length', 'content-encoding', 'transfer-encoding', 'content-range']);

/**
 * The policy class with a fixed clock: http-cache-semantics reads the time only through its
 * `now()` method (documented for this use, missing from its type declarations), and builds
 * revalidated policies with `new this.constructor`, so they keep the clock.
 */
function policyClass(now: number): typeof CachePolicy {
  return class ClockedPolicy extends CachePolicy {
    now(): number {
      return now;
    }
  };
}

function requestHeadersForPolicy(headers: Readonly<Record<string, string>>): Record<string, string> {
  const out = storableHeaders(headers);
  for (const name of POLICY_IGNORED_REQUEST_HEADERS) delete out[name];
  return out;
}

function isStringRecord(value: unknown): value is Record<string, string> {
  return typeof value === 'object' && value !== null && Object.values(value).every((v) => typeof v === 'string');
}

/** A stored policy object as http-cache-semantics' serialisation, or undefined when it is not one. */
function asPolicyObject(value: object): PolicyObject | undefined {
  const v = value as Partial<Record<keyof PolicyObject, unknown>>;
  if (v.v !== 1 || typeof v.t !== 'number' || typeof v.st !== 'number' || typeof v.m !== 'string') return undefined;
  if (!isStringRecord(v.resh) || typeof v.rescc !== 'object' || v.rescc === null || typeof v.reqcc !== 'object' || v.reqcc === null) {
    return undefined;
  }
  if (v.reqh !== null && v.reqh !== undefined && !isStringRecord(v.reqh)) return undefined;
  return value as PolicyObject;
}

function loadPolicy(stored: CachedResponse, now: number): CachePolicy | undefined {
  const obj = asPolicyObject(stored.policy);
  if (obj === undefined) return undefined;
  try {
    return policyClass(now).fromObject(obj);
  } catch {
    return undefined;
  }
}

/** The request as http-cache-semantics sees it; the URL is the stored policy's own (the key already matched it). */
function policyRequest(policy: CachePolicy, requestHeaders: Readonly<Record<string, string>>): CachePolicy.Request {
  const url = policy.toObject().u;
  return { ...(url === undefined ? {} : { url }), method: 'GET', headers: requestHeadersForPolicy(requestHeaders) };
}

function headerOf(headers: Readonly<Record<string, string>>, name: string): string | undefined {
  for (const [key, value] of Object.entries(headers)) if (key.toLowerCase() === name) return value;
  return undefined;
}

/** Conditional headers from the stored validators alone (used when the stored policy is unreadable). */
function validatorHeaders(stored: CachedResponse): Record<string, string> {
  const out: Record<string, string> = {};
  const etag = headerOf(stored.headers, 'etag');
  const lastModified = headerOf(stored.headers, 'last-modified');
  if (etag !== undefined) out['if-none-match'] = etag;
  if (lastModified !== undefined) out['if-modified-since'] = lastModified;
  return out;
}

function revalidateOrFetch(conditional: Record<string, string>): Decision {
  return Object.keys(conditional).length > 0 ? { action: 'revalidate', headers: conditional } : { action: 'fetch' };
}

/** Only the conditional headers of http-cache-semantics' revalidation request. */
function conditionalHeaders(policy: CachePolicy, request: CachePolicy.Request): Record<string, string> {
  const all = policy.revalidationHeaders(request);
  const out: Record<string, string> = {};
  const inm = all['if-none-match'];
  const ims = all['if-modified-since'];
  if (typeof inm === 'string' && inm !== '') out['if-none-match'] = inm;
  if (typeof ims === 'string' && ims !== '') out['if-modified-since'] = ims;
  return out;
}

/**
 * What to do for a GET whose stored answer (if any) is `stored`.
 * `off` → fetch (and the engine stores nothing); `offline` → any stored answer whatever its age,
 * else miss-offline; `refresh` → revalidate whatever its freshness; `normal` → use when fresh,
 * else revalidate with its validators, else fetch. A stored answer with neither ETag nor
 * Last-Modified that must be revalidated is fetched plainly.
 */
export function decide(mode: CacheMode, stored: CachedResponse | undefined, requestHeaders: Readonly<Record<string, string>>, now: number): Decision {
  if (mode === 'off') return { action: 'fetch' };
  if (mode === 'offline') return stored === undefined ? { action: 'miss-offline' } : { action: 'use' };
  if (stored === undefined) return { action: 'fetch' };
  const policy = loadPolicy(stored, now);
  // Unreadable policy: freshness is unknown, so ask the server when the validators allow it.
  if (policy === undefined) return revalidateOrFetch(validatorHeaders(stored));
  const request = policyRequest(policy, requestHeaders);
  if (mode === 'normal' && policy.satisfiesWithoutRevalidation(request)) return { action: 'use' };
  return revalidateOrFetch(conditionalHeaders(policy, request));
}

function hasDirective(cacheControl: string | undefined, directive: string): boolean {
  if (cacheControl === undefined) return false;
  return cacheControl.split(',').some((part) => part.split('=')[0]?.trim().toLowerCase() === directive);
}

/**
 * Whether an answer to a GET may be stored: a 2xx (not 206, a partial body is not the
 * resource) without `no-store` in the request or the response. `private` IS stored: this is a
 * private cache. The engine stores nothing in mode `off`.
 */
export function shouldStore(status: number, requestHeaders: Readonly<Record<string, string>>, responseHeaders: Readonly<Record<string, string>>): boolean {
  // 404 and 410 are kept too: they are how a tracker says a known bug is gone, and an
  // --offline replay must see the same answer the last run saw.
  const gone = status === 404 || status === 410;
  if (!gone && (status < 200 || status > 299 || status === 206)) return false;
  if (hasDirective(headerOf(requestHeaders, 'cache-control'), 'no-store')) return false;
  return !hasDirective(headerOf(responseHeaders, 'cache-control'), 'no-store');
}

/** The serialisable policy (`CachePolicy.toObject()`) of an answer received at `now`, secrets stripped. */
export function policyFor(
  url: string,
  requestHeaders: Readonly<Record<string, string>>,
  status: number,
  responseHeaders: Readonly<Record<string, string>>,
  now: number,
): PolicyObject {
  const Policy = policyClass(now);
  const policy = new Policy(
    { url: redactUrl(url), method: 'GET', headers: requestHeadersForPolicy(requestHeaders) },
    { status, headers: storableHeaders(responseHeaders) },
    POLICY_OPTIONS,
  );
  return policy.toObject();
}

/**
 * After a 304: the stored headers updated with the 304's (except those describing the wire
 * body: Content-Length, Content-Encoding…), and the new policy (`revalidatedPolicy`) whose
 * freshness counts from `now`. The stored body stays valid.
 */
export function revalidated(
  stored: CachedResponse,
  requestHeaders: Readonly<Record<string, string>>,
  notModifiedHeaders: Readonly<Record<string, string>>,
  now: number,
): { readonly headers: Record<string, string>; readonly policy: PolicyObject } {
  const fresh = storableHeaders(notModifiedHeaders);
  const headers = storableHeaders(stored.headers);
  for (const [name, value] of Object.entries(fresh)) {
    if (!NOT_UPDATED_BY_304.has(name)) headers[name] = value;
  }
  const previous = loadPolicy(stored, now);
  if (previous !== undefined) {
    const request = policyRequest(previous, requestHeaders);
    const result = previous.revalidatedPolicy(request, { status: 304, headers: fresh });
    if (result.matches) return { headers, policy: result.policy.toObject() };
  }
  // Unreadable stored policy, or a 304 whose validator does not match the stored one: the
  // body is reused anyway (a 304 has none), so describe it with the merged headers.
  return { headers, policy: policyFor(stored.url, requestHeaders, stored.status, headers, now) };
}
