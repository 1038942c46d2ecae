import { createHash } from 'node:crypto';
import type { ParsedArticle } from './parse-article.ts';
import type { Problem } from './problems.ts';
import type { PublishedArticle } from './site-model.ts';

/**
 * `_state/manifest.json`: what the last run knew, so the next one reads and renders only what changed.
 * Written with a conditional PUT (`If-Match` on the ETag read at the start of the run), so two runs that
 * overlap never lose each other's update: the loser gets 412 and starts again from the winner's state.
 */
export const MANIFEST_KEY = '_state/manifest.json';
/** Sanitised article HTML, one object per month of publication: feeds re-rendered after one upload need a few. */
export const HTML_SHARD_PREFIX = '_state/html/';
/**
 * Bumped when the meaning of the state changes (what a fingerprint covers, what a body is). A renderer
 * change is covered by the caller's `rendererVersion` (the handler passes a hash of its own bundle).
 */
export const ENGINE_VERSION = '4';

/** A source file as the last run saw it. Short field names: 10,000 of these are read on every run. */
export interface SourceRecord {
  /** Version (S3 ETag) the record was made from. */
  readonly v: string;
  /** Size in bytes. */
  readonly s: number;
  /** The parsed article without its body (dates as epoch milliseconds under `$date`). */
  readonly a?: StoredArticle;
  /** Why the file is skipped. */
  readonly p?: Problem;
  /** Parse warnings, reported on every run while the file stays as it is. */
  readonly w?: readonly Problem[];
  /** The sanitised body as published at `u` (relative to the site URL): hash `h`, summary `t` (absent: the article's own), HTML shard `k`. */
  readonly b?: {
    readonly u: string;
    readonly h: string;
    readonly t?: string;
    readonly k: string;
    /** Metadata hash of the published article, reused while its URL and id stay the same. */
    readonly m?: string;
  };
}

export type StoredArticle = Record<string, unknown>;

export interface SiteState {
  readonly format: 2;
  /** ENGINE_VERSION + renderer version: a new one invalidates every fingerprint and cached body. */
  readonly engine: string;
  readonly siteUrl: string;
  /** site.yaml's version and its hash ('' when there is none): a change re-reads everything. */
  readonly config: { readonly v: string; readonly h: string; readonly text: string };
  readonly sources: Readonly<Record<string, SourceRecord>>;
  /** Public key → [hash of the bytes written, fingerprint of the plan that made them]. */
  readonly outputs: Readonly<Record<string, readonly [string, string]>>;
  /**
   * Keys a run was about to write or delete when it committed its intent. A run that crashed or lost a
   * race leaves them here; the next run does not trust their recorded hash and writes them again.
   */
  readonly dirty: readonly string[];
}

export const emptyState = (): SiteState => ({
  format: 2,
  engine: '',
  siteUrl: '',
  config: { v: '', h: '', text: '' },
  sources: {},
  outputs: {},
  dirty: [],
});

const encoder = new TextEncoder();

/** 128 bits of SHA-256, hex: enough to tell versions apart, half the size in a 10,000-entry manifest. */
export function shortHash(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex').slice(0, 32);
}

export function encodeState(state: SiteState): Uint8Array {
  // Field order fixed, `dirty` last: `withDirty` relies on it.
  const { format, engine, siteUrl, config, sources, outputs, dirty } = state;
  return encoder.encode(JSON.stringify({ format, engine, siteUrl, config, sources, outputs, dirty }));
}

/**
 * Reads the manifest; anything unreadable or from another format becomes an empty state that keeps the
 * old output hashes it can find (format 1 had `outputs: { key: sha256 }`), so unchanged bytes are still
 * not rewritten. A damaged manifest costs one full rebuild, never a wrong site.
 */
export function decodeState(bytes: Uint8Array | undefined): SiteState {
  if (!bytes) return emptyState();
  let raw: unknown;
  try {
    raw = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return emptyState();
  }
  if (!isRecord(raw)) return emptyState();
  if (raw.format === 2 && isRecord(raw.sources) && isRecord(raw.outputs) && Array.isArray(raw.dirty)) {
    return raw as unknown as SiteState;
  }
  if (raw.version === 1 && isRecord(raw.outputs)) {
    const outputs: Record<string, [string, string]> = {};
    for (const [key, hash] of Object.entries(raw.outputs))
      if (typeof hash === 'string') outputs[key] = [hash, ''];
    return { ...emptyState(), outputs };
  }
  return emptyState();
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The parsed article minus its body, JSON-safe; whatever fields the parser adds are kept. Left out, to
 * keep a 10,000-article manifest small: the source key (the record's key) and `updated` when it is
 * `published`.
 */
export function storeArticle(article: ParsedArticle): StoredArticle {
  const stored: StoredArticle = {};
  for (const [key, value] of Object.entries(article)) {
    if (key === 'bodyHtml' || key === 'sourceKey' || value === undefined) continue;
    if (key === 'updated' && value instanceof Date && value.getTime() === article.published.getTime())
      continue;
    stored[key] = value instanceof Date ? { $date: value.getTime() } : value;
  }
  return stored;
}

/** The article back from the manifest, with an empty body: the model takes its body from the cache. */
export function reviveArticle(sourceKey: string, stored: StoredArticle): ParsedArticle {
  const article: Record<string, unknown> = { sourceKey };
  for (const [key, value] of Object.entries(stored)) {
    article[key] = isRecord(value) && typeof value.$date === 'number' ? new Date(value.$date) : value;
  }
  article.updated ??= article.published;
  article.bodyHtml = '';
  return article as unknown as ParsedArticle;
}

/**
 * The intent, written over the manifest just read: the same bytes with a new `dirty` list (always the
 * last field), so a large manifest is not serialised twice per run.
 */
export function withDirty(
  bytes: Uint8Array | undefined,
  state: SiteState,
  dirty: readonly string[],
): Uint8Array {
  const text = bytes ? new TextDecoder().decode(bytes) : '';
  const at = text.lastIndexOf(',"dirty":[');
  if (at < 0 || !text.endsWith(']}')) return encodeState({ ...state, dirty });
  return encoder.encode(`${text.slice(0, at)},"dirty":${JSON.stringify(dirty)}}`);
}

/**
 * What an output shows of an article besides its body; fields sorted, so an article rebuilt from the
 * manifest hashes like the same article freshly parsed.
 */
export function metadataHash(article: PublishedArticle): string {
  const copy: Record<string, unknown> = {};
  const fields = article as unknown as Record<string, unknown>;
  // Never read `html` here: for a cached article it is a getter that needs the body loaded.
  for (const key of Object.keys(fields).sort())
    if (key !== 'html' && key !== 'bodyHtml') copy[key] = fields[key];
  return shortHash(JSON.stringify(copy));
}

/** The HTML shard an article's body lives in: the month (UTC) it was published. */
export function shardKeyFor(published: Date): string {
  return `${HTML_SHARD_PREFIX}${published.toISOString().slice(0, 7)}.json`;
}

/** `{ sourceKey: [htmlHash, html] }` */
export type HtmlShard = Record<string, readonly [string, string]>;

export function decodeShard(bytes: Uint8Array | undefined): HtmlShard {
  if (!bytes) return {};
  try {
    const parsed = JSON.parse(new TextDecoder().decode(bytes)) as unknown;
    return isRecord(parsed) ? (parsed as HtmlShard) : {};
  } catch {
    return {};
  }
}

export function encodeShard(shard: HtmlShard): Uint8Array {
  const sorted = Object.fromEntries(Object.entries(shard).sort(([a], [b]) => (a < b ? -1 : 1)));
  return encoder.encode(JSON.stringify(sorted));
}
