// URLs of the Bugzilla adapter: which kind of query a URL is (buglist, CSV buglist, REST search),
// where the REST API is mounted, and Bugzilla's encoding of the parameters customs adds to the
// user's query strings (edited as text by urls.ts: `bug_status=NEW&bug_status=ASSIGNED` keeps
// its order).

import { encodeParam, paramValue, parseHttpUrl, splitUrl, withParam, type SplitUrl } from './urls.ts';

/** The root of a REST URL, kept in the form the server uses: `…/rest/` or `…/rest.cgi/`. */
export function restRootOf(url: string): string | undefined {
  const parsed = parseHttpUrl(url);
  const m = parsed === undefined ? null : /^(.*?\/rest(?:\.cgi)?\/)/.exec(parsed.pathname);
  return parsed !== undefined && m ? `${parsed.origin}${m[1]}` : undefined;
}

/** A REST search: `…/rest/bug?…` or `…/rest.cgi/bug?…`. */
export function isRestSearch(url: string): boolean {
  const parsed = parseHttpUrl(url);
  return parsed !== undefined && /\/rest(?:\.cgi)?\/bug\/?$/.test(parsed.pathname);
}

/** `…/buglist.cgi?…`, HTML or CSV. */
export function isBuglist(url: string): boolean {
  return parseHttpUrl(url)?.pathname.endsWith('buglist.cgi') ?? false;
}

/** `…/buglist.cgi?ctype=csv&…`. */
export function isCsvBuglist(url: string): boolean {
  return isBuglist(url) && (paramValue(splitUrl(url).params, 'ctype') ?? '').toLowerCase() === 'csv';
}

// Query strings (urls.ts), with Bugzilla's encoding

/** Bugzilla's parameters keep `,` readable as well as `:` (`include_fields=id,summary`). */
const READABLE = ',:';

/** `name=value`, encoded as Bugzilla's parameters are. */
export function bugzillaParam(name: string, value: string): string {
  return encodeParam(name, value, READABLE);
}

/** `withParam` of urls.ts, encoding as Bugzilla's parameters are. */
export function withBugzillaParam(url: SplitUrl, name: string, value: string, replace = false): SplitUrl {
  return withParam(url, name, value, replace, READABLE);
}

/** A parameter that holds a whole number (`limit`, `offset`). */
export function integerParam(url: string, name: string): number | undefined {
  const value = paramValue(splitUrl(url).params, name)?.trim();
  return value !== undefined && /^\d+$/.test(value) ? Number(value) : undefined;
}
