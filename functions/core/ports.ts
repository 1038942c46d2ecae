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
}

export interface ContentSource {
  list(): Promise<SourceEntry[]>;
  read(key: string): Promise<Uint8Array>;
}

export interface WriteOptions {
  readonly contentType: string;
  readonly cacheControl: string;
}

/** The published site: public keys plus internal state under keys whose first segment starts with `_`. */
export interface SiteStore {
  /** Returns undefined when the key does not exist. */
  read(key: string): Promise<Uint8Array | undefined>;
  write(key: string, body: Uint8Array, options: WriteOptions): Promise<void>;
  delete(key: string): Promise<void>;
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
