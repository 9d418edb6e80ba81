// Bugzilla's XML (`show_bug.cgi?ctype=xml`): batches of bugs and tracking-bug documents.
// Characters XML 1.0 forbids are removed, the DOCTYPE is dropped unread (no DTD, no external
// entity), and a malformed answer is read bug by bug, so one broken bug never loses its batch.

import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { ParseError, errorMessage } from '../src/core/errors.ts';
import type { Bug } from './bugzilla-record.ts';
import { commaList } from './common.ts';
import { looksLikeHtml } from './csv.ts';

/** An element as fast-xml-parser gives it: child elements by name, attributes as `@_name`. */
export type XmlNode = { readonly [key: string]: unknown };

/** Elements that may repeat inside a `<bug>` (and `<bug>` itself inside `<bugzilla>`). */
const REPEATED = new Set(['bug', 'long_desc', 'who', 'dependson', 'keywords', 'reporter']);

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  // Texts stay texts: `<bug_id>0123</bug_id>`, `<version>1.10</version>`.
  parseTagValue: false,
  parseAttributeValue: false,
  // The five XML entities, with the library's expansion limits on; `htmlEntities` adds numeric
  // references (`&#39;`, `&#x25B2;`), which some Bugzilla versions write.
  processEntities: true,
  htmlEntities: true,
  isArray: (name, _path, _leaf, isAttribute) => !isAttribute && REPEATED.has(name),
});

// Characters XML 1.0 forbids: C0 controls but tab, LF and CR; U+FFFE/U+FFFF; lone surrogates.
// A recorded Bugzilla export holds a raw NUL inside <thetext>.
const FORBIDDEN = /[\x00-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
/** The same characters written as references: `&#0;`, `&#x1B;`. */
const FORBIDDEN_REFERENCE = /&#(?:0*(?:[0-8]|1[124-9]|2\d|3[01])|[xX]0*(?:[0-8]|1[0-9a-fA-F]|[bBcCeEfF]));/g;
/** `<!DOCTYPE bugzilla SYSTEM "https://bugs.kde.org/bugzilla.dtd">`, with any internal subset. */
const DOCTYPE = /<!DOCTYPE(?:[^[>]|\[[^\]]*\])*>/gi;
/** One `<bug>` element (never nested; `<bug_id>` and friends are other names). */
const BUG_ELEMENT = /<bug(?=[\s>/])[^>]*?(?:\/>|>[\s\S]*?<\/bug\s*>)/g;

/** The body made safe to parse: BOM, forbidden characters and the DOCTYPE removed. */
export function cleanXml(body: string): string {
  return body.replace(/^\uFEFF/, '').replace(FORBIDDEN, '').replace(FORBIDDEN_REFERENCE, '').replace(DOCTYPE, '');
}

function isNode(value: unknown): value is XmlNode {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function asList(value: unknown): unknown[] {
  return Array.isArray(value) ? value : value === undefined ? [] : [value];
}

/** Text of an element: `<a>x</a>` → "x"; `<a name="n">x</a>` → "x"; `<a/>` → "". */
function textOf(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (isNode(value)) return textOf(value['#text'] ?? '');
  return '';
}

/** Text of the first child `name`, or undefined when there is none. */
export function childText(node: XmlNode, name: string): string | undefined {
  const first = asList(node[name])[0];
  return first === undefined ? undefined : textOf(first);
}

function childTexts(node: XmlNode, name: string): string[] {
  return asList(node[name]).map(textOf);
}

function attribute(value: unknown, name: string): string | undefined {
  const first = asList(value)[0];
  if (!isNode(first)) return undefined;
  const found = first[`@_${name}`];
  return typeof found === 'string' ? found : undefined;
}

function parseXml(text: string, url: string): unknown {
  try {
    return parser.parse(text);
  } catch (err) {
    throw new ParseError(`unreadable XML (${errorMessage(err)}): ${url}`, url);
  }
}

/** The `<bug>` elements of an answer, and a warning when only parts of it could be read. */
export interface XmlAnswer {
  readonly bugs: readonly XmlNode[];
  readonly warnings: readonly string[];
}

/**
 * Reads a Bugzilla XML answer. An HTML page or a body without `<bugzilla>` is a ParseError naming
 * the URL. A malformed document (truncated, a broken bug) is read one `<bug>` element at a time:
 * the complete ones count, with a warning; when none is complete it is a ParseError.
 */
export function readBugzillaXml(body: string, url: string): XmlAnswer {
  const text = cleanXml(body);
  if (looksLikeHtml(text)) {
    throw new ParseError(`expected Bugzilla XML but got an HTML page (a login or error page?): ${url}`, url);
  }
  if (!/<bugzilla[\s>/]/.test(text)) {
    throw new ParseError(`expected Bugzilla XML (a <bugzilla> document) but got something else: ${url}`, url);
  }
  const valid = XMLValidator.validate(text);
  if (valid === true) {
    const doc = parseXml(text, url);
    const root = isNode(doc) ? doc.bugzilla : undefined;
    // `<bugzilla version="4.2.1"></bugzilla>`, the answer without ids, has no bug.
    const bugs = isNode(root) ? asList(root.bug).filter(isNode) : [];
    return { bugs, warnings: [] };
  }
  const bugs: XmlNode[] = [];
  for (const match of text.matchAll(BUG_ELEMENT)) {
    if (XMLValidator.validate(match[0]) !== true) continue;
    const doc = parseXml(match[0], url);
    if (isNode(doc)) bugs.push(...asList(doc.bug).filter(isNode));
  }
  const where = `line ${valid.err.line}: ${valid.err.msg}`;
  if (bugs.length === 0) throw new ParseError(`malformed or truncated XML (${where}): ${url}`, url);
  return {
    bugs,
    warnings: [`malformed or truncated XML (${where}); read the ${bugs.length} complete bug element(s) in it: ${url}`],
  };
}

/** `<bug error="NotFound">` → "NotFound". */
export function bugError(bug: XmlNode): string | undefined {
  const error = bug['@_error'];
  return typeof error === 'string' ? error : undefined;
}

/** The bug's id, when `<bug_id>` holds an integer. */
export function bugId(bug: XmlNode): number | undefined {
  const text = childText(bug, 'bug_id')?.trim() ?? '';
  return /^\d+$/.test(text) ? Number(text) : undefined;
}

/** A tracking bug's `<dependson>` ids (non-integer texts are dropped). */
export function dependsOn(bug: XmlNode): number[] {
  return childTexts(bug, 'dependson')
    .map((t) => t.trim())
    .filter((t) => /^\d+$/.test(t))
    .map(Number);
}

/**
 * One `<bug>` as a Bug, or the reason it cannot be read (no id, no `creation_ts`).
 *
 *   <reporter name="Nick Nassar">nassar@pculture.org</reporter>
 *   <long_desc isprivate="0"><who name="">anonymous</who><bug_when>…</bug_when><thetext>…</thetext></long_desc>
 *
 * KDE's 2010 exports hide commenters: `<who name=""></who>`, which counts as one anonymous person.
 */
export function bugFromXml(bug: XmlNode): Bug | string {
  const id = bugId(bug);
  if (id === undefined) return 'no integer <bug_id>';
  const created = childText(bug, 'creation_ts')?.trim() ?? '';
  if (created === '') return `bug ${id} has an empty or missing <creation_ts>`;
  const comments = asList(bug.long_desc).filter(isNode);
  const people = new Set(comments.flatMap((c) => childTexts(c, 'who').map((who) => who.trim())));
  const first = comments[0];
  const text = (name: string): string => childText(bug, name) ?? '';
  return {
    id,
    title: text('short_desc'),
    description: first === undefined ? '' : (childText(first, 'thetext') ?? ''),
    people: people.size,
    status: text('bug_status'),
    severity: text('bug_severity'),
    priority: text('priority'),
    resolution: text('resolution'),
    product: text('product'),
    component: text('component'),
    version: text('version'),
    keywords: childTexts(bug, 'keywords').flatMap(commaList),
    whiteboard: text('status_whiteboard'),
    reporter: text('reporter'),
    reporterName: attribute(bug.reporter, 'name') ?? '',
    assignedTo: text('assigned_to'),
    created,
    changed: text('delta_ts').trim(),
  };
}
