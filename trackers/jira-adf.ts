// Atlassian Document Format → plain text, for Jira Cloud's v3 answers (trackers.md §7, Record):
// text nodes joined, a newline between blocks, `hardBreak` as a newline. v3 sends descriptions
// and comments as such documents:
//   {"type": "doc", "version": 1, "content": [
//     {"type": "paragraph", "content": [{"type": "text", "text": "Crash on "}, {"type": "text", "text": "start", "marks": [{"type": "strong"}]}]},
//     {"type": "bulletList", "content": [{"type": "listItem", "content": [{"type": "paragraph", "content": [...]}]}]}]}

type JsonObject = { readonly [key: string]: unknown };

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Nodes that sit inside a paragraph's line of text; every other node is a block. */
const INLINE_TYPES: ReadonlySet<string> = new Set(['text', 'hardBreak', 'mention', 'emoji', 'inlineCard', 'date', 'status', 'mediaInline', 'placeholder']);

function isInline(node: unknown): boolean {
  return isObject(node) && typeof node.type === 'string' && INLINE_TYPES.has(node.type);
}

function attr(node: JsonObject, name: string): string {
  const attrs = node.attrs;
  if (!isObject(attrs)) return '';
  const value = attrs[name];
  return typeof value === 'string' ? value : '';
}

/** The plain text of one ADF node (a whole `doc` included). Unknown shapes give "". */
export function adfToText(node: unknown): string {
  if (!isObject(node)) return '';
  switch (node.type) {
    case 'text':
      return typeof node.text === 'string' ? node.text : '';
    case 'hardBreak':
      return '\n';
    case 'mention':
    case 'emoji':
      // {"type": "mention", "attrs": {"id": "5b10…", "text": "@Mira"}}, {"type": "emoji", "attrs": {"shortName": ":smile:", "text": "😄"}}
      return attr(node, 'text') || attr(node, 'shortName');
    case 'status':
      return attr(node, 'text');
    case 'inlineCard':
      return attr(node, 'url');
    default:
      break;
  }
  const children: readonly unknown[] = Array.isArray(node.content) ? node.content : [];
  if (children.every(isInline)) return children.map(adfToText).join('');
  return children.map(adfToText).join('\n');
}
