// URLs of the Bugzilla adapter: which kind of query a URL is (buglist, CSV buglist, REST search),
// where the REST API is mounted, and query strings edited as text, so that the user's own
// parameters stay exactly as written (`bug_status=NEW&bug_status=ASSIGNED` keeps its order).

/** An http(s) URL, or undefined. */
export function parseUrl(value: string): URL | undefined {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url : undefined;
  } catch {
    return undefined;
  }
}

/** The root of a REST URL, kept in the form the server uses: `…/rest/` or `…/rest.cgi/`. */
export function restRootOf(url: string): string | undefined {
  const parsed = parseUrl(url);
  const m = parsed === undefined ? null : /^(.*?\/rest(?:\.cgi)?\/)/.exec(parsed.pathname);
  return parsed !== undefined && m ? `${parsed.origin}${m[1]}` : undefined;
}

/** A REST search: `…/rest/bug?…` or `…/rest.cgi/bug?…`. */
export function isRestSearch(url: string): boolean {
  const parsed = parseUrl(url);
  return parsed !== undefined && /\/rest(?:\.cgi)?\/bug\/?$/.test(parsed.pathname);
}

/** `…/buglist.cgi?…`, HTML or CSV. */
export function isBuglist(url: string): boolean {
  return parseUrl(url)?.pathname.endsWith('buglist.cgi') ?? false;
}

/** `…/buglist.cgi?ctype=csv&…`. */
export function isCsvBuglist(url: string): boolean {
  return isBuglist(url) && (paramValue(splitUrl(url).params, 'ctype') ?? '').toLowerCase() === 'csv';
}

// Query strings

export interface SplitUrl {
  readonly base: string;
  readonly params: readonly string[];
}

export function splitUrl(url: string): SplitUrl {
  const withoutHash = url.split('#', 1)[0] ?? '';
  const mark = withoutHash.indexOf('?');
  if (mark < 0) return { base: withoutHash, params: [] };
  return { base: withoutHash.slice(0, mark), params: withoutHash.slice(mark + 1).split('&').filter((p) => p !== '') };
}

export function joinUrl({ base, params }: SplitUrl): string {
  return params.length > 0 ? `${base}?${params.join('&')}` : base;
}

function decodePart(raw: string): string {
  try {
    return decodeURIComponent(raw.replace(/\+/g, ' '));
  } catch {
    return raw;
  }
}

function paramName(part: string): string {
  return decodePart(part.split('=', 1)[0] ?? '');
}

/** The decoded value of the first `name` parameter. */
export function paramValue(params: readonly string[], name: string): string | undefined {
  const part = params.find((p) => paramName(p) === name);
  if (part === undefined) return undefined;
  const eq = part.indexOf('=');
  return eq < 0 ? '' : decodePart(part.slice(eq + 1));
}

/** Every value of a repeated parameter (`id=1&id=2`). */
export function paramValues(params: readonly string[], name: string): string[] {
  return params.filter((p) => paramName(p) === name).map((p) => decodePart(p.slice(p.indexOf('=') + 1)));
}

/** `name=value`, encoded but with `,` and `:` readable (`include_fields=id,summary`). */
export function encodeParam(name: string, value: string): string {
  return `${encodeURIComponent(name)}=${encodeURIComponent(value).replace(/%2C/gi, ',').replace(/%3A/gi, ':')}`;
}

/** Adds `name=value` when absent; with `replace`, an existing value is overwritten in place. */
export function withParam(url: SplitUrl, name: string, value: string, replace = false): SplitUrl {
  const index = url.params.findIndex((p) => paramName(p) === name);
  if (index < 0) return { base: url.base, params: [...url.params, encodeParam(name, value)] };
  if (!replace) return url;
  return { base: url.base, params: url.params.map((p, i) => (i === index ? encodeParam(name, value) : p)) };
}

/** A parameter that holds a whole number (`limit`, `offset`). */
export function integerParam(url: string, name: string): number | undefined {
  const value = paramValue(splitUrl(url).params, name)?.trim();
  return value !== undefined && /^\d+$/.test(value) ? Number(value) : undefined;
}
