// URLs as the adapters read them: http(s) URLs, hosts, paths under a base URL, and query
// strings edited as text, so that the user's own parameters stay exactly as written
// (`q=repo:o/r+label:"good first issue"`, `@columns=id,title`, `bug_status=NEW&bug_status=ASSIGNED`
// are never re-encoded or reordered). Pure, like every module in trackers/.

/** An http(s) URL, or undefined (another scheme, or not a URL at all). */
export function parseHttpUrl(value: string): URL | undefined {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url : undefined;
  } catch {
    return undefined;
  }
}

/** The host (with any port) of an http(s) URL, lower-case. */
export function hostOf(url: string): string | undefined {
  return parseHttpUrl(url)?.host.toLowerCase();
}

/** `base_url` with exactly one trailing `/` (the loader adds it; tests and examples may not). */
export function withSlash(url: string): string {
  return url.replace(/\/*$/, '/');
}

/**
 * `base_url` as a URL whose path ends with `/`, without query or fragment; undefined when it
 * is missing or not an http(s) URL.
 */
export function baseUrlOf(raw: string | undefined): URL | undefined {
  const url = raw === undefined ? undefined : parseHttpUrl(raw);
  if (url === undefined) return undefined;
  url.search = '';
  url.hash = '';
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  return url;
}

/** The path of `url` below `base` (`issues/12.json`), or undefined when it is not under it. */
export function pathBelow(url: URL, base: URL): string | undefined {
  if (url.protocol !== base.protocol || url.host !== base.host || !url.pathname.startsWith(base.pathname)) return undefined;
  return url.pathname.slice(base.pathname.length);
}

/**
 * Path segments of `url` after the path of `base` (still percent-encoded), or undefined when
 * `url` is on another host or not under that path: a self-hosted instance may live in a folder
 * (`https://example.org/gitlab/`).
 */
export function segmentsUnder(url: URL, base: string): string[] | undefined {
  const root = parseHttpUrl(base);
  if (root === undefined || url.host.toLowerCase() !== root.host.toLowerCase()) return undefined;
  if (!url.pathname.startsWith(root.pathname)) return undefined;
  return url.pathname.slice(root.pathname.length).split('/').filter((s) => s !== '');
}

// ---------------------------------------------------------------------------------------------
// Query strings, edited as text

/** A URL cut at its `?`: everything before, and the `name=value` parts as written. */
export interface SplitUrl {
  readonly base: string;
  readonly params: readonly string[];
}

/** Splits a URL at its `?`; a `#fragment` is dropped and empty parts (`a=1&&b=2`) too. */
export function splitUrl(url: string): SplitUrl {
  const withoutHash = url.split('#', 1)[0] ?? '';
  const mark = withoutHash.indexOf('?');
  if (mark < 0) return { base: withoutHash, params: [] };
  return { base: withoutHash.slice(0, mark), params: withoutHash.slice(mark + 1).split('&').filter((p) => p !== '') };
}

export function joinUrl({ base, params }: SplitUrl): string {
  return params.length > 0 ? `${base}?${params.join('&')}` : base;
}

/** A query-string name or value decoded (`+` is a space); kept as written when it is malformed. */
export function decodePart(raw: string): string {
  try {
    return decodeURIComponent(raw.replace(/\+/g, ' '));
  } catch {
    return raw;
  }
}

/** The decoded name of a `name=value` part: `%40filter=status` → `@filter`. */
export function paramName(part: string): string {
  return decodePart(part.split('=', 1)[0] ?? '');
}

/** The decoded value of the first `name` parameter; `''` for a bare `name`. */
export function paramValue(params: readonly string[], name: string): string | undefined {
  return paramValues(params, name)[0];
}

/** Every decoded value of a repeated parameter (`status=New&status=Triaged`), in order. */
export function paramValues(params: readonly string[], name: string): string[] {
  return params
    .filter((p) => paramName(p) === name)
    .map((p) => {
      const eq = p.indexOf('=');
      return eq < 0 ? '' : decodePart(p.slice(eq + 1));
    });
}

/**
 * `name=value`, percent-encoded, but with the characters of `readable` left as they are. `:` by
 * default, so that times stay legible (`since=2024-01-02T03:04:05Z`); Bugzilla keeps `,` too
 * (`include_fields=id,summary`).
 */
export function encodeParam(name: string, value: string, readable = ':'): string {
  let encoded = encodeURIComponent(value);
  for (const ch of readable) encoded = encoded.replaceAll(encodeURIComponent(ch), ch);
  return `${encodeURIComponent(name)}=${encoded}`;
}

/**
 * Adds `name=value` (encoded by `encodeParam` with `readable`) when the URL has no `name`;
 * with `replace`, an existing value is overwritten in place instead.
 */
export function withParam(url: SplitUrl, name: string, value: string, replace = false, readable = ':'): SplitUrl {
  const part = encodeParam(name, value, readable);
  const index = url.params.findIndex((p) => paramName(p) === name);
  if (index < 0) return { base: url.base, params: [...url.params, part] };
  if (!replace) return url;
  return { base: url.base, params: url.params.map((p, i) => (i === index ? part : p)) };
}
