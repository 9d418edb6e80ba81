// The undici transport against a real server on 127.0.0.1: headers sent, decompression,
// redirects (credentials never cross origins), the body ceiling, timeouts, network errors.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { gzipSync, brotliCompressSync, deflateSync } from 'node:zlib';
import { FetchError } from '../../src/core/errors.ts';
import { HttpTransport } from '../../src/http/transport.ts';

type Server = ReturnType<typeof Bun.serve>;
let a: Server;
let b: Server;
const seen: { path: string; headers: Record<string, string> }[] = [];

function transport(extra: Partial<ConstructorParameters<typeof HttpTransport>[0]> = {}): HttpTransport {
  return new HttpTransport({
    userAgent: 'customs/test',
    connectionsPerHost: 4,
    connectTimeoutMs: 2000,
    headersTimeoutMs: 2000,
    bodyTimeoutMs: 2000,
    maxBodyBytes: 10_000,
    maxRedirects: 5,
    ...extra,
  });
}

beforeAll(() => {
  b = Bun.serve({
    hostname: '127.0.0.1',
    port: 0,
    fetch(req) {
      seen.push({ path: `b${new URL(req.url).pathname}`, headers: Object.fromEntries(req.headers) });
      return new Response('landed');
    },
  });
  a = Bun.serve({
    hostname: '127.0.0.1',
    port: 0,
    async fetch(req) {
      const url = new URL(req.url);
      seen.push({ path: url.pathname, headers: Object.fromEntries(req.headers) });
      const text = 'héllo '.repeat(100);
      switch (url.pathname) {
        case '/gzip':
          return new Response(gzipSync(text), { headers: { 'content-encoding': 'gzip' } });
        case '/br':
          return new Response(brotliCompressSync(text), { headers: { 'content-encoding': 'br' } });
        case '/deflate':
          return new Response(deflateSync(text), { headers: { 'content-encoding': 'deflate' } });
        case '/big':
          return new Response('x'.repeat(20_000));
        case '/bomb':
          return new Response(gzipSync('x'.repeat(1_000_000)), { headers: { 'content-encoding': 'gzip' } });
        case '/same-origin-redirect':
          return new Response(null, { status: 302, headers: { location: '/gzip' } });
        case '/cross-origin-redirect':
          return new Response(null, { status: 301, headers: { location: `${b.url}moved` } });
        case '/loop':
          return new Response(null, { status: 302, headers: { location: '/loop' } });
        case '/slow':
          await Bun.sleep(3000);
          return new Response('late');
        default:
          return new Response('not found', { status: 404 });
      }
    },
  });
});

afterAll(() => {
  a.stop(true);
  b.stop(true);
});

const never = new AbortController().signal;

describe('HttpTransport', () => {
  test('sends User-Agent and Accept-Encoding, decodes gzip, br and deflate', async () => {
    const t = transport();
    for (const path of ['/gzip', '/br', '/deflate']) {
      const res = await t.get(`${a.url}${path.slice(1)}`, {}, never);
      expect(new TextDecoder().decode(res.body)).toBe('héllo '.repeat(100));
      expect(res.wireBytes).toBeLessThan(res.body.byteLength);
    }
    const last = seen.findLast((s) => s.path === '/deflate');
    expect(last?.headers['user-agent']).toBe('customs/test');
    expect(last?.headers['accept-encoding']).toContain('gzip');
    await t.close();
  });

  test('follows same-origin redirects keeping Authorization', async () => {
    const t = transport();
    const res = await t.get(`${a.url}same-origin-redirect`, { Authorization: 'Bearer s3cret' }, never);
    expect(res.status).toBe(200);
    expect(res.url).toBe(`${a.url}gzip`);
    expect(seen.findLast((s) => s.path === '/gzip')?.headers.authorization).toBe('Bearer s3cret');
    await t.close();
  });

  test('never carries Authorization to another origin', async () => {
    const t = transport();
    const res = await t.get(`${a.url}cross-origin-redirect`, { Authorization: 'Bearer s3cret', Accept: 'text/plain' }, never);
    expect(new TextDecoder().decode(res.body)).toBe('landed');
    const landed = seen.findLast((s) => s.path === 'b/moved');
    expect(landed?.headers.authorization).toBeUndefined();
    expect(landed?.headers.accept).toBe('text/plain');
    await t.close();
  });

  test('stops after too many redirects', async () => {
    const t = transport();
    await expect(t.get(`${a.url}loop`, {}, never)).rejects.toThrow(/too many redirects/);
    await t.close();
  });

  test('a body over the ceiling fails clearly and is not retriable', async () => {
    const t = transport();
    for (const path of ['big', 'bomb']) {
      const err = await t.get(`${a.url}${path}`, {}, never).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(FetchError);
      expect((err as FetchError).message).toMatch(/larger than/);
      expect((err as FetchError).retriable).toBe(false);
    }
    await t.close();
  });

  test('a header timeout is a retriable FetchError', async () => {
    const t = transport({ headersTimeoutMs: 200 });
    const err = await t.get(`${a.url}slow`, {}, never).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FetchError);
    expect((err as FetchError).retriable).toBe(true);
    expect((err as FetchError).message).toMatch(/timed out|timeout/i);
    await t.close();
  });

  test('a refused connection is a retriable FetchError', async () => {
    const closed = Bun.serve({ hostname: '127.0.0.1', port: 0, fetch: () => new Response('') });
    const url = `${closed.url}x`;
    closed.stop(true);
    const t = transport();
    const err = await t.get(url, {}, never).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FetchError);
    expect((err as FetchError).retriable).toBe(true);
    await t.close();
  });

  test('origin overrides dial another address but keep the logical URL', async () => {
    const t = transport({ originOverrides: { 'http://tracker.example.localhost': a.url.origin } });
    const res = await t.get('http://tracker.example.localhost/gzip', {}, never);
    expect(res.url).toBe('http://tracker.example.localhost/gzip');
    expect(res.status).toBe(200);
    await t.close();
  });
});
