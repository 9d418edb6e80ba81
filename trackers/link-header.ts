// RFC 8288 `Link` headers, the pagination signal of GitHub, GitLab, Gitea and others:
//   <https://api.github.com/repositories/1/issues?state=open&page=2>; rel="next",
//   <https://api.github.com/repositories/1/issues?state=open&page=5>; rel="last"
// Commas may occur inside the <…> target and inside quoted parameter values, so the header is
// scanned, never split on ",".

/**
 * Relation type (lower-case) → target URL. A `rel` may list several types (`rel="next last"`);
 * the first link naming a type wins. Relative targets are resolved against `base` when given.
 */
export function parseLinkHeader(value: string | undefined, base?: string): Record<string, string> {
  const links: Record<string, string> = {};
  if (value === undefined) return links;
  let i = 0;
  const n = value.length;
  while (i < n) {
    const open = value.indexOf('<', i);
    if (open < 0) break;
    const close = value.indexOf('>', open + 1);
    if (close < 0) break;
    const target = value.slice(open + 1, close).trim();
    i = close + 1;
    const params = new Map<string, string>();
    // Parameters: `; name=token`, `; name="quoted, \"string\""`, or a bare `; name`, up to the
    // next comma outside quotes.
    while (i < n) {
      while (i < n && /\s/.test(value.charAt(i))) i++;
      if (value.charAt(i) !== ';') break;
      i++;
      while (i < n && /\s/.test(value.charAt(i))) i++;
      let name = '';
      while (i < n && !/[\s=;,]/.test(value.charAt(i))) name += value.charAt(i++);
      while (i < n && /\s/.test(value.charAt(i))) i++;
      let paramValue = '';
      if (value.charAt(i) === '=') {
        i++;
        while (i < n && /\s/.test(value.charAt(i))) i++;
        if (value.charAt(i) === '"') {
          i++;
          while (i < n && value.charAt(i) !== '"') {
            if (value.charAt(i) === '\\' && i + 1 < n) i++;
            paramValue += value.charAt(i++);
          }
          i++;
        } else {
          while (i < n && !/[\s;,]/.test(value.charAt(i))) paramValue += value.charAt(i++);
        }
      }
      const key = name.toLowerCase().replace(/\*$/, '');
      // RFC 8288 §3.3: a second `rel` parameter on one link is ignored.
      if (key !== '' && !params.has(key)) params.set(key, paramValue);
    }
    const url = resolve(target, base);
    for (const rel of (params.get('rel') ?? '').toLowerCase().split(/\s+/)) {
      if (rel !== '' && !Object.hasOwn(links, rel)) links[rel] = url;
    }
    // Skip to the next link; anything malformed before the comma is dropped.
    const comma = nextCommaOutsideQuotes(value, i);
    if (comma < 0) break;
    i = comma + 1;
  }
  return links;
}

function nextCommaOutsideQuotes(value: string, from: number): number {
  let quoted = false;
  for (let i = from; i < value.length; i++) {
    const ch = value.charAt(i);
    if (quoted && ch === '\\') i++;
    else if (ch === '"') quoted = !quoted;
    else if (ch === ',' && !quoted) return i;
    else if (ch === '<' && !quoted) return i - 1;
  }
  return -1;
}

/** Absolute targets are kept exactly as sent; relative ones are resolved against `base`. */
function resolve(target: string, base: string | undefined): string {
  if (/^[a-z][a-z0-9+.-]*:/i.test(target) || base === undefined) return target;
  try {
    return new URL(target, base).href;
  } catch {
    return target;
  }
}
