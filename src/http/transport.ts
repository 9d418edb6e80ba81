// The HTTP transport on undici: one Agent, timeouts, redirects (Authorization never crosses
// origins), decompression and a body-size ceiling. One call = one logical GET, no retries here.

import { Agent, errors as undiciErrors, request } from 'undici/index.js';
import { AbortedError, FetchError } from '../core/errors.ts';
import { decompress } from './decode.ts';
import { isSecretHeader } from './fingerprint.ts';

export interface TransportOptions {
  readonly userAgent: string;
  /** Connections per origin (the per-host limit). */
  readonly connectionsPerHost: number;
  readonly connectTimeoutMs: number;
  readonly headersTimeoutMs: number;
  readonly bodyTimeoutMs: number;
  readonly maxBodyBytes: number;
  readonly maxRedirects: number;
  /**
   * Origins to dial elsewhere: `{ 'http://github.demo.localhost': 'http://127.0.0.1:41234' }`.
   * Used by the demo so its URLs (and so its cache) stay the same from run to run.
   */
  readonly originOverrides?: Readonly<Record<string, string>>;
}

export interface RawResponse {
  /** The URL finally answered, after redirects. */
  readonly url: string;
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  /** Decompressed body bytes. */
  readonly body: Uint8Array;
  /** Bytes received on the wire. */
  readonly wireBytes: number;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

function flattenHeaders(raw: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw)) {
    if (value === undefined) continue;
    out[name.toLowerCase()] = Array.isArray(value) ? value.join(name.toLowerCase() === 'set-cookie' ? '\n' : ', ') : value;
  }
  return out;
}

function describeNetworkError(err: unknown): string {
  if (err instanceof undiciErrors.ConnectTimeoutError) return 'connect timeout';
  if (err instanceof undiciErrors.HeadersTimeoutError) return 'timed out waiting for response headers';
  if (err instanceof undiciErrors.BodyTimeoutError) return 'timed out reading the response body';
  const code = (err as { code?: string }).code;
  const message = err instanceof Error ? err.message : String(err);
  return code && !message.includes(code) ? `${code}: ${message}` : message;
}

export class HttpTransport {
  private readonly agent: Agent;

  constructor(private readonly options: TransportOptions) {
    this.agent = new Agent({
      connections: options.connectionsPerHost,
      connect: { timeout: options.connectTimeoutMs },
      headersTimeout: options.headersTimeoutMs,
      bodyTimeout: options.bodyTimeoutMs,
    });
  }

  private dialUrl(url: URL): string {
    const target = this.options.originOverrides?.[url.origin];
    return target ? target + url.pathname + url.search : url.href;
  }

  /** One GET, following redirects. Network failures throw a retriable FetchError. */
  async get(url: string, headers: Readonly<Record<string, string>>, signal: AbortSignal): Promise<RawResponse> {
    let current = new URL(url);
    const origin = current.origin;
    let sendHeaders: Record<string, string> = {
      'user-agent': this.options.userAgent,
      'accept-encoding': 'gzip, deflate, br',
      ...lowerKeys(headers),
    };
    for (let hop = 0; ; hop++) {
      const res = await this.exchange(current, sendHeaders, signal);
      const location = res.headers.location;
      if (!REDIRECTS.has(res.status) || location === undefined) return res;
      if (hop >= this.options.maxRedirects) {
        throw new FetchError(`too many redirects (more than ${this.options.maxRedirects})`, url, false, res.status);
      }
      const next = new URL(location, current);
      if (next.origin !== origin) {
        // Never carry credentials to another origin.
        sendHeaders = Object.fromEntries(Object.entries(sendHeaders).filter(([name]) => !isSecretHeader(name)));
      }
      current = next;
    }
  }

  private async exchange(url: URL, headers: Record<string, string>, signal: AbortSignal): Promise<RawResponse> {
    if (signal.aborted) throw new AbortedError();
    let res: Awaited<ReturnType<typeof request>>;
    try {
      res = await request(this.dialUrl(url), { method: 'GET', headers, signal, dispatcher: this.agent });
    } catch (err) {
      if (signal.aborted) throw new AbortedError();
      throw new FetchError(describeNetworkError(err), url.href, true, undefined, undefined, { cause: err });
    }
    const responseHeaders = flattenHeaders(res.headers);
    const chunks: Uint8Array[] = [];
    let size = 0;
    try {
      for await (const chunk of res.body) {
        const bytes = chunk as Uint8Array;
        size += bytes.byteLength;
        if (size > this.options.maxBodyBytes) {
          res.body.destroy();
          throw new FetchError(
            `response body larger than ${Math.round(this.options.maxBodyBytes / 1_000_000)} MB (raise max_body_mb in settings)`,
            url.href,
            false,
            res.statusCode,
          );
        }
        chunks.push(bytes);
      }
    } catch (err) {
      if (err instanceof FetchError) throw err;
      if (signal.aborted) throw new AbortedError();
      throw new FetchError(describeNetworkError(err), url.href, true, res.statusCode, undefined, { cause: err });
    }
    const wire = Buffer.concat(chunks, size);
    const body = decompress(wire, responseHeaders['content-encoding'], this.options.maxBodyBytes, url.href);
    return { url: url.href, status: res.statusCode, headers: responseHeaders, body, wireBytes: size };
  }

  async close(): Promise<void> {
    await this.agent.destroy();
  }
}

function lowerKeys(headers: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
}
