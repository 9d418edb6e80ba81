// Typed errors for the edges: every failure that reaches a tracker or the CLI has a `kind`.

export type ErrorKind = 'config' | 'fetch' | 'parse' | 'aborted' | 'offline';

export class CustomsError extends Error {
  constructor(
    readonly kind: ErrorKind,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'CustomsError';
  }
}

/** A request that failed; `retriable` tells the retry policy whether another try may help. */
export class FetchError extends CustomsError {
  constructor(
    message: string,
    readonly url: string,
    readonly retriable: boolean,
    readonly status?: number,
    readonly retryAfterMs?: number,
    options?: { cause?: unknown },
  ) {
    super('fetch', message, options);
    this.name = 'FetchError';
  }
}

/** A response the adapter could not read (wrong kind of body, broken JSON…). */
export class ParseError extends CustomsError {
  constructor(message: string, readonly url?: string) {
    super('parse', message);
    this.name = 'ParseError';
  }
}

export class AbortedError extends CustomsError {
  constructor(message = 'interrupted') {
    super('aborted', message);
    this.name = 'AbortedError';
  }
}

/** `--offline` and the cache has no answer for this request. */
export class OfflineMissError extends CustomsError {
  constructor(readonly url: string) {
    super('offline', `not in the cache (--offline): ${url}`);
    this.name = 'OfflineMissError';
  }
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
