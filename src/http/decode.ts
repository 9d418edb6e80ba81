// Body decoding: compressed bytes to plain bytes, and bytes to text with the right character set
// (Content-Type, else the XML or HTML declaration, else UTF-8; a leading BOM removed).

import { brotliDecompressSync, gunzipSync, inflateRawSync, inflateSync } from 'node:zlib';
import { FetchError } from '../core/errors.ts';

/** Undo `Content-Encoding`; the output may not exceed `maxBytes`. */
export function decompress(body: Uint8Array, encoding: string | undefined, maxBytes: number, url: string): Uint8Array {
  const codings = (encoding ?? '')
    .split(',')
    .map((c) => c.trim().toLowerCase())
    .filter((c) => c !== '' && c !== 'identity');
  let data: Uint8Array = body;
  const options = { maxOutputLength: maxBytes };
  try {
    for (const coding of codings.reverse()) {
      if (coding === 'gzip' || coding === 'x-gzip') data = gunzipSync(data, options);
      else if (coding === 'br') data = brotliDecompressSync(data, options);
      else if (coding === 'deflate') {
        // Some servers send raw deflate under this name; zlib-wrapped is the standard.
        try {
          data = inflateSync(data, options);
        } catch {
          data = inflateRawSync(data, options);
        }
      } else throw new FetchError(`unsupported Content-Encoding "${coding}"`, url, false);
    }
  } catch (err) {
    if (err instanceof FetchError) throw err;
    const code = (err as { code?: string }).code;
    if (code === 'ERR_BUFFER_TOO_LARGE' || /maxOutputLength|too large/i.test(String(err))) {
      throw new FetchError(`response body larger than ${Math.round(maxBytes / 1_000_000)} MB after decompression`, url, false);
    }
    throw new FetchError(`could not decode ${codings.join(', ')} body: ${String(err)}`, url, true);
  }
  return data;
}

function charsetOf(contentType: string | undefined): string | undefined {
  const m = contentType?.match(/charset\s*=\s*"?([^";\s]+)/i);
  return m?.[1]?.toLowerCase();
}

/** Charset named inside the document's first bytes (XML declaration or HTML meta). */
function declaredCharset(head: string): string | undefined {
  const xml = head.match(/^\s*<\?xml[^>]*encoding\s*=\s*["']([^"']+)["']/i);
  if (xml?.[1]) return xml[1].toLowerCase();
  const meta = head.match(/<meta[^>]+charset\s*=\s*["']?([\w-]+)/i);
  return meta?.[1]?.toLowerCase();
}

/** Bytes to text; never throws (an unknown charset falls back to UTF-8). */
export function decodeText(bytes: Uint8Array, contentType: string | undefined): string {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return new TextDecoder('utf-8').decode(bytes.subarray(3));
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  const charset = charsetOf(contentType) ?? declaredCharset(new TextDecoder('latin1').decode(bytes.subarray(0, 1024)));
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder((charset ?? 'utf-8') as ConstructorParameters<typeof TextDecoder>[0]);
  } catch {
    decoder = new TextDecoder('utf-8');
  }
  return decoder.decode(bytes);
}
