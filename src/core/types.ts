// The shapes every part of customs agrees on: records, requests, responses, the adapter contract.
// Adapters (trackers/) see only these types; they never touch network, disk, clock or process.

/** One normalised bug, as in oh-bugimporters' ParsedBug (contract.md "The output"). */
export interface ParsedBug {
  readonly title: string;
  readonly description: string;
  readonly status: string;
  readonly importance: string;
  readonly people_involved: number;
  /** RFC 3339 UTC `YYYY-MM-DDTHH:MM:SSZ`; left out when the tracker sent nothing readable. */
  readonly date_reported?: string;
  readonly last_touched?: string;
  /** When the record was built, with milliseconds. */
  readonly last_polled: string;
  readonly submitter_username: string;
  readonly submitter_realname: string;
  readonly canonical_bug_link: string;
  readonly looks_closed: boolean;
  readonly good_for_newcomers: boolean;
  readonly concerns_just_documentation: boolean;
  readonly as_appears_in_distribution: string;
  readonly _project_name: string;
  readonly _tracker_name: string;
  readonly raw_data?: Readonly<Record<string, unknown>>;
}

/** A known bug the tracker says is gone (404/410 on its own request). */
export interface DeletedBug {
  readonly canonical_bug_link: string;
  readonly _deleted: true;
  readonly _tracker_name: string;
  readonly _project_name: string;
  readonly last_polled: string;
}

export type BugRecord = ParsedBug | DeletedBug;

/** JSON-safe values, for request metadata that travels between fetch and parse. */
export type Json = string | number | boolean | null | readonly Json[] | { readonly [key: string]: Json };

/** A GET request an adapter wants made. The engine adds auth, caching, politeness and retries. */
export interface RequestSpec {
  /** Names the adapter handler that parses the answer (`list`, `issue`, …). */
  readonly kind: string;
  readonly url: string;
  /** Non-secret headers (Accept, API version…). Secrets are added by the engine from `auth`. */
  readonly headers?: Readonly<Record<string, string>>;
  /** Partial data a multi-step bug carries to the next handler. */
  readonly meta?: Json;
  /**
   * Statuses (besides 2xx) handed to the handler instead of failing the tracker, e.g. [404, 410]
   * for a known bug's refresh. Anything else that is not 2xx (after retries) fails the tracker.
   */
  readonly acceptStatus?: readonly number[];
  /**
   * The tracker can do without this answer (e.g. Trac's HTML page when the CSV already gave the
   * record). Any failure — a status outside 2xx/acceptStatus after retries, or a network error —
   * then reaches the handler as a response with `failure` set, instead of failing the tracker.
   */
  readonly optional?: boolean;
}

/** What a handler receives: the decoded body and the final status and headers. */
export interface FetchedResponse {
  /** The URL finally answered (after redirects). */
  readonly url: string;
  readonly status: number;
  /** Lower-case header names. */
  readonly headers: Readonly<Record<string, string>>;
  /** Body decoded to text (charset from Content-Type or the document, BOM removed). */
  readonly body: string;
  /** Only for `optional` requests that failed: why (status is 0 when nothing was answered). */
  readonly failure?: string;
}

/** Everything a pure adapter function may know beyond its arguments. */
export interface AdapterContext<E extends TrackerEntry = TrackerEntry> {
  readonly entry: E;
  /** The moment to stamp on records built now (`last_polled`). */
  readonly now: Date;
  /** Keep extra raw data (`--extended-scrape`). */
  readonly extendedScrape: boolean;
  /** Instant of the incremental window, when the engine runs incrementally (issue 4). */
  readonly since?: Date;
}

export interface HandleResult {
  readonly bugs?: readonly BugRecord[];
  /**
   * Incremental runs only: records outside the scope of a full run (a list asked with every
   * state), written only when they update a bug the previous output already holds — e.g. an
   * issue closed since the last run, when the entry imports open issues.
   */
  readonly updates?: readonly BugRecord[];
  readonly requests?: readonly RequestSpec[];
  readonly warnings?: readonly string[];
}

export type Handler<E extends TrackerEntry> = (
  res: FetchedResponse,
  req: RequestSpec,
  ctx: AdapterContext<E>,
) => HandleResult;

/** Credentials for one request, chosen by the adapter from the environment the engine passes in. */
export interface Credentials {
  /** Headers carrying the secret (Authorization…). Never logged, cached or written. */
  readonly headers: Readonly<Record<string, string>>;
  /** Which variable the secret came from, for messages (never the value). */
  readonly source: string;
}

/** A tracker entry after loading: plain YAML values, keys as in the file. */
export interface TrackerEntry {
  readonly tracker_name: string;
  readonly bugimporter: string;
  readonly [key: string]: unknown;
}

export type FieldKind =
  | 'string'
  | 'url'
  | 'url-list'
  | 'boolean'
  | 'integer'
  | 'choice'
  | 'comma-list'
  | 'name-format'
  | 'env-name';

/** One key of a tracker entry: drives validation, the TUI editor form and the docs. */
export interface FieldSpec {
  readonly name: string;
  readonly kind: FieldKind;
  /** true, false, or a sentence saying when it is required (checked by the adapter's `check`). */
  readonly required: boolean | string;
  readonly help: string;
  readonly choices?: readonly string[];
  readonly default?: string;
  readonly example?: string;
  /** Bounds of an `integer` field. */
  readonly min?: number;
  readonly max?: number;
  /** Placeholders allowed in a `name-format` field besides `{tracker_name}`. */
  readonly placeholders?: readonly string[];
}

/** A problem found in one entry by an adapter's own rules, located by field name. */
export interface EntryProblem {
  readonly severity: 'error' | 'warning';
  /** The key the problem is about; the loader turns it into a file position. */
  readonly field?: string;
  /** Index in a list field, when the problem is about one item. */
  readonly index?: number;
  readonly message: string;
}

/** The whole contract of a tracker type. */
export interface TrackerAdapter<E extends TrackerEntry = TrackerEntry> {
  /** The `bugimporter` value, e.g. `github`. */
  readonly type: string;
  /** Other accepted `bugimporter` values, e.g. `github.GitHubBugImporter`. */
  readonly aliases: readonly string[];
  /** One line for lists and the editor. */
  readonly description: string;
  /** Keys of this type beyond the shared ones (tracker_name, bugimporter…). */
  readonly fields: readonly FieldSpec[];
  /** A realistic, valid entry of this type: shown in the docs and the editor, used by contract tests. */
  readonly example: TrackerEntry;
  /** Cross-field rules (e.g. `github_name` + `github_repo` when no `queries`). */
  check(entry: E): readonly EntryProblem[];
  /** The first requests of a run. Pure. */
  plan(ctx: AdapterContext<E>): readonly RequestSpec[];
  /** One handler per request kind. */
  readonly handlers: Readonly<Record<string, Handler<E>>>;
  /** The type adds its "updated since" parameter when `ctx.since` is set (trackers.md §1.11). */
  readonly incremental?: boolean;
  /** Credentials for a request, from the environment the engine passes in (never `process.env`). */
  credentials?(entry: E, url: string, env: Readonly<Record<string, string | undefined>>): Credentials | undefined;
}
