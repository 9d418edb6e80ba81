// Request fingerprints and secret hygiene for the HTTP cache: the stable key of a GET, the
// one-way identity hash that keeps per-token answers apart, and the helpers that keep
// credentials out of anything stored or logged (headers, URLs).

import { createHash } from 'node:crypto';

/** Identity of a request made without credentials. */
export const ANONYMOUS_IDENTITY = 'anonymous';

/** Header names that are always secret (lower-case). */
const SECRET_HEADER_NAMES: ReadonlySet<string> = new Set([
  'authorization',
  'proxy-authorization',
  'cookie',
  'cookie2',
  'set-cookie',
  'set-cookie2',
  'private-token',
  'job-token',
  'x-api-key',
  'api-key',
  'apikey',
  'x-auth-token',
  'x-access-token',
  'x-csrf-token',
  'x-csrftoken',
  'x-xsrf-token',
  'x-redmine-api-key',
  'x-gitlab-token',
  'x-github-otp',
  'x-amz-security-token',
  'x-goog-api-key',
]);

/**
 * Any header whose name has one of these words as a dash-separated part is treated as secret
 * too (`X-Tracker-Token`, `X-Foo-Api-Key`, `X-Session-Id`, `Access-Control-Allow-Credentials`…).
 * Stripping a harmless header costs nothing; storing a credential is not undoable.
 */
const SECRET_HEADER_PATTERN =
  /(?:^|-)(?:auth|authorization|authentication|cookie2?|token|secret|password|passwd|passphrase|api-?key|apikey|session|sessionid|credentials?|signature|otp)(?:-|$)/;

/** Query parameters whose value is a secret (compared lower-case). */
const SECRET_QUERY_PARAMS: ReadonlySet<string> = new Set([
  'access_token',
  'token',
  'auth_token',
  'private_token',
  'api_key',
  'apikey',
  'api-key',
  'key',
  'client_secret',
  'password',
  'passwd',
  'secret',
  'bugzilla_api_key',
  'bugzilla_token',
  'bugzilla_password',
]);

/**
 * Request headers that do not change the representation, so they stay out of the fingerprint:
 * transport details (the cache stores decoded bytes, so `Accept-Encoding` does not matter),
 * the conditional headers the cache itself adds, and `User-Agent` (it carries our version, and a
 * new release must not empty everybody's cache).
 */
const FINGERPRINT_IGNORED_HEADERS: ReadonlySet<string> = new Set([
  'accept-encoding',
  'user-agent',
  'connection',
  'keep-alive',
  'host',
  'content-length',
  'te',
  'cache-control',
  'pragma',
  'if-none-match',
  'if-modified-since',
  'if-match',
  'if-unmodified-since',
  'if-range',
]);

/** Response headers whose values hold URLs that might carry a secret query parameter. */
const URL_VALUED_HEADERS: ReadonlySet<string> = new Set(['link', 'location', 'content-location', 'refresh']);

export function isSecretHeader(name: string): boolean {
  const lower = name.trim().toLowerCase();
  return SECRET_HEADER_NAMES.has(lower) || SECRET_HEADER_PATTERN.test(lower);
}

function isSecretQueryParam(rawName: string): boolean {
  let name = rawName;
  try {
    name = decodeURIComponent(rawName.replace(/\+/g, ' '));
  } catch {
    // A malformed escape: judge the raw text.
  }
  return SECRET_QUERY_PARAMS.has(name.trim().toLowerCase());
}

/** The headers without any secret one (names keep their case; values are untouched). */
export function stripSecretHeaders(headers: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (!isSecretHeader(name)) out[name] = value;
  }
  return out;
}

/** Replace the value of every secret parameter in a query string (without its `?`). */
function redactQuery(query: string): string {
  return query
    .split('&')
    .map((part) => {
      const eq = part.indexOf('=');
      const name = eq === -1 ? part : part.slice(0, eq);
      return isSecretQueryParam(name) ? `${name}=REDACTED` : part;
    })
    .join('&');
}

/**
 * The URL with secret query parameters' values replaced by `REDACTED`, for logs and storage.
 * Everything else is kept byte for byte (no re-encoding, same parameter order). The fragment is
 * dropped: it is never sent to a server, and OAuth-style fragments carry tokens.
 */
export function redactUrl(url: string): string {
  const hash = url.indexOf('#');
  const withoutFragment = hash === -1 ? url : url.slice(0, hash);
  const q = withoutFragment.indexOf('?');
  if (q === -1) return withoutFragment;
  return `${withoutFragment.slice(0, q)}?${redactQuery(withoutFragment.slice(q + 1))}`;
}

/** Secret query parameters inside a header value holding URLs (`Link: <…?access_token=…>; rel="next"`). */
function redactUrlsInText(text: string): string {
  return text.replace(/([?&])([^=&#\s<>;,"']+)=([^&#\s<>;,"']*)/g, (whole: string, sep: string, name: string) =>
    isSecretQueryParam(name) ? `${sep}${name}=REDACTED` : whole,
  );
}

/**
 * What the cache may keep of a header set: lower-case names, no secret header, and secret query
 * parameters redacted inside URL-valued headers (`Link`, `Location`…). Used for both request and
 * response headers, by the policy and (again, defence in depth) by the store.
 */
export function storableHeaders(headers: Readonly<Record<string, unknown>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [rawName, rawValue] of Object.entries(headers)) {
    if (isSecretHeader(rawName)) continue;
    // Values arrive as strings, but a repeated header may come as a list (undici): join it.
    const text = Array.isArray(rawValue) ? rawValue.filter((v) => typeof v === 'string').join(', ') : rawValue;
    if (typeof text !== 'string') continue;
    const name = rawName.trim().toLowerCase();
    const value = URL_VALUED_HEADERS.has(name) ? redactUrlsInText(text) : text;
    out[name] = name in out ? `${out[name]}, ${value}` : value;
  }
  return out;
}

/**
 * URL as keyed: lower-case scheme and host, default port dropped, dot segments resolved and
 * fragment dropped (WHATWG URL parsing). The query is kept as given, order included: servers
 * may care (`?a=1&b=2` and `?b=2&a=1` are two keys), and sorting would merge answers that can
 * differ. An unparsable URL is keyed as its trimmed text.
 */
export function normaliseUrl(url: string): string {
  try {
    const parsed = new URL(url.trim());
    parsed.hash = '';
    return parsed.href;
  } catch {
    return url.trim();
  }
}

/** Non-secret headers that change the answer, lower-case names, sorted, values trimmed. */
function fingerprintHeaders(headers: Readonly<Record<string, string>>): [string, string][] {
  const merged = new Map<string, string[]>();
  for (const [rawName, value] of Object.entries(headers)) {
    const name = rawName.trim().toLowerCase();
    if (FINGERPRINT_IGNORED_HEADERS.has(name) || isSecretHeader(name)) continue;
    const values = merged.get(name) ?? [];
    values.push(String(value).trim());
    merged.set(name, values);
  }
  return [...merged.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, values]): [string, string] => [name, values.sort().join(', ')]);
}

/**
 * Stable key of a GET: method, normalised URL, the non-secret headers that change the answer
 * (Accept, X-GitHub-Api-Version, Accept-Language…, sorted, lower-case names), and the identity
 * hash (`anonymous` when none is given). sha-256, hex.
 */
export function requestFingerprint(url: string, headers: Readonly<Record<string, string>>, identity?: string): string {
  const material = JSON.stringify(['GET', normaliseUrl(url), fingerprintHeaders(headers), identity ?? ANONYMOUS_IDENTITY]);
  return createHash('sha256').update(material).digest('hex');
}

/**
 * A short one-way hash of a credential, safe to store: the first 16 hex digits of
 * sha-256("customs-identity:" + secret). No credential (undefined or empty) → `anonymous`.
 */
export function identityHash(secret: string | undefined): string {
  if (secret === undefined || secret === '') return ANONYMOUS_IDENTITY;
  return createHash('sha256').update(`customs-identity:${secret}`).digest('hex').slice(0, 16);
}
