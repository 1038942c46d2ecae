/**
 * The small interfaces the pure core talks through. Adapters implement them over
 * a local folder (CLI, tests) or S3 (Lambda); the core never sees which.
 */

/** One source file as listed by a ContentSource. `version` changes whenever the bytes do (ETag, mtime+size). */
export interface SourceEntry {
  /** Path relative to the content root, `/`-separated, not URL-encoded: `2025-01-08-paris.md`. */
  readonly key: string;
  readonly size: number;
  readonly version: string;
  /**
   * Why the key cannot be read at all, when the source knows from its listing (a symbolic link to nothing
   * in a local folder): the run reports it with the fix instead of reading it.
   */
  readonly unreadable?: { readonly message: string; readonly fix: string };
}

/** What `ContentSource.fetch` found for one key. */
export type FetchedSource =
  | { readonly status: 'missing' }
  /** The version is still `knownVersion`: nothing was transferred. */
  | { readonly status: 'unchanged'; readonly entry: SourceEntry }
  /** Over `maxBytes`: the body was not read into memory. */
  | { readonly status: 'too-large'; readonly entry: SourceEntry }
  | { readonly status: 'read'; readonly entry: SourceEntry; readonly bytes: Uint8Array };

export interface ContentSource {
  list(): Promise<SourceEntry[]>;
  read(key: string): Promise<Uint8Array>;
  /**
   * The first `bytes` bytes of a key (all of a shorter one): an image's header, not its 10 MB. Sources
   * without it are read whole.
   */
  readStart?(key: string, bytes: number): Promise<Uint8Array>;
  /**
   * Reads one key without listing the others (the keys an S3 event names): one request whatever the
   * outcome. Sources without it are always listed.
   */
  fetch?(
    key: string,
    options: { readonly knownVersion?: string; readonly maxBytes: number },
  ): Promise<FetchedSource>;
}

export interface WriteOptions {
  readonly contentType: string;
  readonly cacheControl: string;
}

/** An object's bytes and the version (S3 ETag) a conditional write must name to replace it. */
export interface VersionedObject {
  readonly body: Uint8Array;
  readonly etag: string;
}

/**
 * Someone else wrote the object between our read and our conditional write (S3: HTTP 412). The run that
 * gets it starts again from a fresh read; it never overwrites the other run's state.
 */
export class PreconditionFailedError extends Error {
  constructor(readonly key: string) {
    super(`${key} changed while this run was working (conditional write refused): the run starts again`);
    this.name = 'PreconditionFailedError';
  }
}

/** The published site: public keys plus internal state under keys whose first segment starts with `_`. */
export interface SiteStore {
  /** Returns undefined when the key does not exist. */
  read(key: string): Promise<Uint8Array | undefined>;
  write(key: string, body: Uint8Array, options: WriteOptions): Promise<void>;
  delete(key: string): Promise<void>;
  /** Like `read`, with the version a later `writeIfMatch` must name. */
  readWithEtag(key: string): Promise<VersionedObject | undefined>;
  /**
   * Writes only if the object is still at `etag` (`undefined`: only if it does not exist yet, S3's
   * `If-None-Match: *`). Returns the new ETag; throws PreconditionFailedError when another writer won.
   */
  writeIfMatch(
    key: string,
    body: Uint8Array,
    options: WriteOptions,
    etag: string | undefined,
  ): Promise<string>;
}

export interface Logger {
  debug(message: string, context?: Record<string, unknown>): void;
  info(message: string, context?: Record<string, unknown>): void;
  warn(message: string, context?: Record<string, unknown>): void;
  error(message: string, context?: Record<string, unknown>): void;
}

export const silentLogger: Logger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
};
