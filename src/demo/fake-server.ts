// What every fake tracker server shares: a Bun.serve on 127.0.0.1 at a free port that logs each
// request, waits the configured latency (cut short by stop()) and reports `publicUrl`, the origin
// its answers name; and revalidation: a 200's ETag and Last-Modified, and the 304 that answers a
// request whose If-None-Match (or else If-Modified-Since) says the client's copy is current.

/** One request as a fake saw it. */
export interface FakeRequest {
  /** Path and query as sent, e.g. `/ticket/12?format=csv`. */
  readonly path: string;
  /** Request headers, names in lower case (Authorization and API keys included, as sent). */
  readonly headers: Readonly<Record<string, string>>;
  /** Status answered; 0 while the answer is pending. */
  readonly status: number;
}

export interface FakeServerOptions {
  /**
   * The origin the answers name (absolute links, `self` URLs, paging links) instead of the
   * listening address, e.g. `http://trac.demo.localhost`; the client dials it at `url`. The demo
   * uses it so that canonical links and cache keys survive a new port. Default: `url`.
   */
  readonly publicUrl?: string;
  /** Added to every answer, 304s and errors included (default 0). */
  readonly latencyMs?: number;
}

export interface FakeServer {
  /** Where the server listens, e.g. `http://127.0.0.1:43123`. */
  readonly url: string;
  /** The origin the answers name (`publicUrl` when given, without trailing slashes; else `url`). */
  readonly publicUrl: string;
  /** Every request in arrival order. */
  readonly requests: FakeRequest[];
  /** Stops listening and cuts pending latencies short; every call returns the same promise. */
  stop(): Promise<void>;
}

/** A `sleep` that aborting `signal` ends early, so that stopping a server never waits out a delay. */
export function abortableSleep(signal: AbortSignal): (ms: number) => Promise<void> {
  return (ms) =>
    new Promise((resolve) => {
      if (signal.aborted) return resolve();
      const done = (): void => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal.addEventListener('abort', done, { once: true });
    });
}

/**
 * Serves `handle` on 127.0.0.1 at a free port. Each request is logged on arrival (status 0 until
 * answered), waits `latencyMs`, and is answered by `handle`; an exception becomes a plain 500
 * `<name> failed: …`. `handle` runs only after this returns, so it may read the result's
 * `publicUrl` and `requests`.
 */
export function serveFake(name: string, options: FakeServerOptions, handle: (req: Request, url: URL) => Response | Promise<Response>): FakeServer {
  const latencyMs = options.latencyMs ?? 0;
  const requests: { path: string; headers: Record<string, string>; status: number }[] = [];
  const stopping = new AbortController();
  const sleep = abortableSleep(stopping.signal);
  let stopped: Promise<void> | undefined;

  const server = Bun.serve({
    hostname: '127.0.0.1',
    port: 0,
    idleTimeout: 0,
    development: false,
    async fetch(req) {
      const url = new URL(req.url);
      const record = { path: url.pathname + url.search, headers: Object.fromEntries(req.headers.entries()), status: 0 };
      requests.push(record);
      try {
        if (latencyMs > 0) await sleep(latencyMs);
        const res = await handle(req, url);
        record.status = res.status;
        return res;
      } catch (error) {
        record.status = 500;
        const message = error instanceof Error ? error.message : String(error);
        return new Response(`${name} failed: ${message}`, { status: 500, headers: { 'content-type': 'text/plain' } });
      }
    },
  });
  const url = `http://127.0.0.1:${server.port}`;

  return {
    url,
    publicUrl: (options.publicUrl ?? url).replace(/\/+$/, ''),
    requests,
    stop() {
      if (stopped === undefined) {
        stopping.abort();
        stopped = server.stop(true).then(() => undefined);
      }
      return stopped;
    },
  };
}

// ------------------------------------------------------------------------------------------------
// Revalidation

/** An answer before it becomes a Response, for the fakes that serve pages and exports. */
export interface FakeReply {
  readonly status: number;
  readonly body: string;
  readonly contentType: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** ms since the epoch: `Last-Modified`, and what If-Modified-Since is compared with. */
  readonly lastModified?: number;
}

/** If-None-Match's weak comparison: `*`, or a listed tag equal to `etag` once `W/` is set aside. */
export function etagMatches(ifNoneMatch: string, etag: string): boolean {
  const bare = etag.replace(/^W\//, '');
  return ifNoneMatch.split(',').some((raw) => {
    const tag = raw.trim();
    return tag === '*' || tag.replace(/^W\//, '') === bare;
  });
}

/**
 * Whether the client's copy is current: If-None-Match decides when sent; otherwise
 * If-Modified-Since, against `lastModified` (ms since the epoch) in whole seconds.
 */
export function isNotModified(req: Request, etag: string, lastModified?: number): boolean {
  const ifNoneMatch = req.headers.get('if-none-match');
  if (ifNoneMatch !== null) return etagMatches(ifNoneMatch, etag);
  const since = Date.parse(req.headers.get('if-modified-since') ?? '');
  return lastModified !== undefined && !Number.isNaN(since) && Math.floor(lastModified / 1000) * 1000 <= since;
}

/**
 * A 200 with its validators: `etag` (and `last-modified` when known) set on `headers`. It is a
 * 304, without body or content type, when the request shows a current copy.
 */
export function revalidated(req: Request, body: string, headers: Headers, etag: string, lastModified?: number): Response {
  headers.set('etag', etag);
  if (lastModified !== undefined) headers.set('last-modified', new Date(lastModified).toUTCString());
  if (isNotModified(req, etag, lastModified)) {
    headers.delete('content-type');
    return new Response(null, { status: 304, headers });
  }
  return new Response(body, { status: 200, headers });
}
