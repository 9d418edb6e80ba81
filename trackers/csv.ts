// A real CSV parser (RFC 4180) for Trac and Roundup exports: UTF-8 BOM, CRLF or LF line ends,
// quoted fields holding commas, doubled quotes and line breaks (Trac descriptions span lines).

/** Rows of fields. A trailing line break does not make an empty last row. */
export function parseCsvRows(text: string): string[][] {
  const source = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let i = 0;
  const endField = (): void => {
    row.push(field);
    field = '';
  };
  const endRow = (): void => {
    endField();
    rows.push(row);
    row = [];
  };
  while (i < source.length) {
    const ch = source[i];
    if (quoted) {
      if (ch === '"') {
        if (source[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
      } else {
        field += ch;
      }
      i++;
      continue;
    }
    if (ch === '"' && field === '') quoted = true;
    else if (ch === ',') endField();
    else if (ch === '\r' && source[i + 1] === '\n') {
      endRow();
      i++;
    } else if (ch === '\n' || ch === '\r') endRow();
    else field += ch;
    i++;
  }
  if (field !== '' || row.length > 0) endRow();
  return rows;
}

/** Records keyed by the header row. Rows shorter than the header get "" for missing fields. */
export function parseCsvRecords(text: string): { readonly header: readonly string[]; readonly records: Record<string, string>[] } {
  const [header = [], ...rows] = parseCsvRows(text);
  const names = header.map((name) => name.trim());
  const records = rows
    .filter((r) => !(r.length === 1 && r[0] === ''))
    .map((r) => Object.fromEntries(names.map((name, i) => [name, r[i] ?? ''])));
  return { header: names, records };
}

/**
 * Whether a body looks like an HTML page rather than CSV (a login or error page answered in its
 * place). Tracker adapters turn this into a ParseError naming the URL.
 */
export function looksLikeHtml(body: string): boolean {
  return /^\s*(<!doctype html|<html|<\?xml[^>]*>\s*<!doctype html|<head|<body)/i.test(body.slice(0, 512));
}
