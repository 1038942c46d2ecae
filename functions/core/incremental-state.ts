import { createHash } from 'node:crypto';
import type { ParsedArticle } from './parse-article.ts';
import type { Problem } from './problems.ts';
import type { LastModel, PublishedArticle, RememberedArticle } from './site-model.ts';

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
export const ENGINE_VERSION = '5';

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
    /** Images it shows from the content, as paths under its page (`media.ts`). */
    readonly media?: readonly string[];
  };
  /** An image (`media.ts`), not an article: published beside the articles that show it. */
  readonly media?: true;
  /**
   * An article's cover image: its pixel size (`imagePixels`), read once per version so the digest can show
   * it no wider than it is; `[0, 0]` when its bytes give none.
   */
  readonly d?: readonly [number, number];
  /** Neither (`other-files.ts`): never published, kept so that every run warns about it (`w`). */
  readonly other?: true;
}

export type StoredArticle = Record<string, unknown>;

/** Public key → [hash of the bytes written, fingerprint of the plan that made them]. */
export type OutputEntry = readonly [string, string];

/** What the last run knew, whole: the head's delta applied to its base. */
export interface SiteState {
  /** ENGINE_VERSION + renderer version: a new one invalidates every fingerprint and cached body. */
  readonly engine: string;
  readonly siteUrl: string;
  /** site.yaml's version and its hash ('' when there is none): a change re-reads everything. */
  readonly config: { readonly v: string; readonly h: string; readonly text: string };
  readonly sources: Readonly<Record<string, SourceRecord>>;
  readonly outputs: Readonly<Record<string, OutputEntry>>;
  /**
   * Keys a run was about to write or delete when it committed its intent. A run that crashed or lost a
   * race leaves them here; the next run does not trust their recorded hash and writes them again.
   */
  readonly dirty: readonly string[];
  /**
   * The last run stopped for time (see `PublishOptions.outOfTime`) and left work for the next: `unread`,
   * a full run stopped before it read every source (its records are not the whole content, so the next
   * run lists the content whatever woke it); `deferred`, outputs it did not render.
   */
  readonly unfinished?: Unfinished;
  /** Articles that left the content in the last days, by source key: a later upload may be one renamed. */
  readonly gone?: Readonly<Record<string, GoneRecord>>;
}

/** What was published of an article that left the content, and when it left (epoch ms). */
export interface GoneRecord {
  readonly title: string;
  readonly published: number;
  readonly id: string;
  readonly pageKey: string;
  readonly left: number;
}

/**
 * The manifest is a small head over a large immutable base, so a run after one upload reads, writes and
 * parses kilobytes, not the 8 MB that 10,000 articles take. The head (`_state/manifest.json`, written
 * with `If-Match`) carries the records and outputs that changed since the base (`null`: gone); the base
 * (`_state/base/<hash>.json`, named by its content, never rewritten) carries everything else. When the
 * delta grows, a run writes a new base and an empty delta, then deletes the old base.
 */
export interface StateHead {
  readonly format: 3;
  readonly engine: string;
  readonly siteUrl: string;
  readonly config: SiteState['config'];
  /** Key of the base ('' for none: an empty one). */
  readonly base: string;
  readonly sources: Readonly<Record<string, SourceRecord | null>>;
  readonly outputs: Readonly<Record<string, OutputEntry | null>>;
  readonly dirty: readonly string[];
  readonly unfinished?: Unfinished;
  readonly gone?: SiteState['gone'];
}

export type Unfinished = 'unread' | 'deferred';

/** Whether the manifest says its run left work for the next (a continuation run reads this alone). */
export function unfinishedIn(manifest: Uint8Array | undefined): Unfinished | undefined {
  const decoded = decodeHead(manifest);
  return 'head' in decoded ? decoded.head.unfinished : undefined;
}

export interface StateBase {
  readonly sources: Readonly<Record<string, SourceRecord>>;
  readonly outputs: Readonly<Record<string, OutputEntry>>;
}

export const BASE_PREFIX = '_state/base/';
export const emptyBase: StateBase = { sources: {}, outputs: {} };

export const emptyState = (): SiteState => ({
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

/**
 * Reads the manifest head. Format 3 names a base to read next; an older format (2: everything inline)
 * is taken whole as the state; anything unreadable becomes an empty state that keeps the old output
 * hashes it can find (format 1 had `outputs: { key: sha256 }`), so unchanged bytes are still not
 * rewritten. A damaged manifest costs one full rebuild, never a wrong site.
 */
export function decodeHead(
  bytes: Uint8Array | undefined,
): { readonly head: StateHead } | { readonly state: SiteState } {
  if (!bytes) return { state: emptyState() };
  let raw: unknown;
  try {
    raw = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return { state: emptyState() };
  }
  if (!isRecord(raw)) return { state: emptyState() };
  const inline = isRecord(raw.sources) && isRecord(raw.outputs) && Array.isArray(raw.dirty);
  if (raw.format === 3 && inline && typeof raw.base === 'string')
    return { head: raw as unknown as StateHead };
  if (raw.format === 2 && inline) {
    const { engine, siteUrl, config, sources, outputs, dirty } = raw as unknown as SiteState;
    return { state: { engine, siteUrl, config, sources, outputs, dirty } };
  }
  if (raw.version === 1 && isRecord(raw.outputs)) {
    const outputs: Record<string, [string, string]> = {};
    for (const [key, hash] of Object.entries(raw.outputs))
      if (typeof hash === 'string') outputs[key] = [hash, ''];
    return { state: { ...emptyState(), outputs } };
  }
  return { state: emptyState() };
}

/** A base as written by `encodeBase`; `undefined` when it is not one (then the run starts again). */
export function decodeBase(bytes: Uint8Array | undefined): StateBase | undefined {
  if (!bytes) return undefined;
  try {
    const raw = JSON.parse(new TextDecoder().decode(bytes)) as unknown;
    return isRecord(raw) && isRecord(raw.sources) && isRecord(raw.outputs)
      ? (raw as unknown as StateBase)
      : undefined;
  } catch {
    return undefined;
  }
}

/** The whole state: the head's delta over its base. Unchanged records stay the base's own objects. */
export function applyHead(head: StateHead, base: StateBase): SiteState {
  const sources: Record<string, SourceRecord> = { ...base.sources };
  for (const [key, record] of Object.entries(head.sources)) {
    if (record) sources[key] = record;
    else delete sources[key];
  }
  const outputs: Record<string, OutputEntry> = { ...base.outputs };
  for (const [key, entry] of Object.entries(head.outputs)) {
    if (entry) outputs[key] = entry;
    else delete outputs[key];
  }
  const { engine, siteUrl, config, dirty, unfinished, gone } = head;
  return {
    engine,
    siteUrl,
    config,
    sources,
    outputs,
    dirty,
    ...(unfinished ? { unfinished } : {}),
    ...(gone ? { gone } : {}),
  };
}

/**
 * A state whose records and outputs are kept as Maps by the run that made it: each becomes an object the
 * first time it is read (a new base, a full comparison), never on an upload that reads neither. The Maps
 * must not change afterwards (the next run copies them).
 */
export function stateOf(
  fields: Omit<SiteState, 'sources' | 'outputs'>,
  sources: ReadonlyMap<string, SourceRecord>,
  outputs: ReadonlyMap<string, OutputEntry>,
): SiteState {
  let sourcesObject: Record<string, SourceRecord> | undefined;
  let outputsObject: Record<string, OutputEntry> | undefined;
  return {
    ...fields,
    get sources() {
      sourcesObject ??= Object.fromEntries(sources);
      return sourcesObject;
    },
    get outputs() {
      outputsObject ??= Object.fromEntries(outputs);
      return outputsObject;
    },
  };
}

/**
 * The delta of a head over `base`, and which keys of the state it was applied to (`applyHead`) a run has
 * since changed: the next delta is worked out for those keys only, not for all 26,000.
 */
export interface DeltaSince {
  readonly head: Pick<StateHead, 'sources' | 'outputs'>;
  readonly sources: ReadonlySet<string>;
  readonly outputs: ReadonlySet<string>;
}

/**
 * What differs between a base and the next state, as a head's delta; `bytes` is its rough size. With
 * `since`, `next` must equal the state `since.head` made of `base` on every key but those `since` names.
 */
export function deltaFrom(
  base: StateBase,
  next: Pick<SiteState, 'sources' | 'outputs'>,
  since?: DeltaSince,
): {
  sources: Record<string, SourceRecord | null>;
  outputs: Record<string, OutputEntry | null>;
  bytes: number;
} {
  let bytes = 0;
  const sameRecord = (a: SourceRecord, b: SourceRecord) => JSON.stringify(a) === JSON.stringify(b);
  const sameEntry = (a: OutputEntry, b: OutputEntry) => a[0] === b[0] && a[1] === b[1];
  const sources = since
    ? diffKeys(base.sources, next.sources, since.head.sources, since.sources, sameRecord)
    : diff(base.sources, next.sources, sameRecord);
  const outputs = since
    ? diffKeys(base.outputs, next.outputs, since.head.outputs, since.outputs, sameEntry)
    : diff(base.outputs, next.outputs, sameEntry);
  for (const record of Object.values(sources)) bytes += record ? JSON.stringify(record).length : 8;
  bytes += Object.keys(outputs).length * 100;
  return { sources, outputs, bytes };
}

function diff<T>(
  before: Readonly<Record<string, T>>,
  after: Readonly<Record<string, T>>,
  same: (a: T, b: T) => boolean,
): Record<string, T | null> {
  const delta: Record<string, T | null> = {};
  // for…in, not Object.entries: 26,000 keys after every upload, most of them unchanged.
  for (const key in after) {
    const value = after[key] as T;
    const old = before[key];
    // Records carried over unchanged are the base's own objects: most comparisons stop here.
    if (old !== value && (old === undefined || !same(old, value))) delta[key] = value;
  }
  for (const key in before) if (!Object.hasOwn(after, key)) delta[key] = null;
  return delta;
}

/** `diff`, given the delta of an earlier state and the keys changed since: only those are compared. */
function diffKeys<T>(
  before: Readonly<Record<string, T>>,
  after: Readonly<Record<string, T>>,
  earlier: Readonly<Record<string, T | null>>,
  changed: ReadonlySet<string>,
  same: (a: T, b: T) => boolean,
): Record<string, T | null> {
  const delta: Record<string, T | null> = { ...earlier };
  for (const key of changed) {
    const value = Object.hasOwn(after, key) ? (after[key] as T) : undefined;
    const old = Object.hasOwn(before, key) ? before[key] : undefined;
    if (value === undefined) {
      if (old === undefined) delete delta[key];
      else delta[key] = null;
    } else if (old !== value && (old === undefined || !same(old, value))) delta[key] = value;
    else delete delta[key];
  }
  return delta;
}

export function encodeHead(head: StateHead): Uint8Array {
  const { format, engine, siteUrl, config, base, dirty, unfinished, gone } = head;
  const sources = sortedByKey(head.sources);
  const outputs = sortedByKey(head.outputs);
  const fields = {
    format,
    engine,
    siteUrl,
    config,
    base,
    sources,
    outputs,
    dirty,
    ...(unfinished ? { unfinished } : {}),
    ...(gone && Object.keys(gone).length > 0 ? { gone: sortedByKey(gone) } : {}),
  };
  return encoder.encode(JSON.stringify(fields));
}

/** The same record with its keys in order: the same state always makes the same bytes. */
function sortedByKey<T>(record: Readonly<Record<string, T>>): Record<string, T> {
  const sorted: Record<string, T> = {};
  for (const key of Object.keys(record).sort()) sorted[key] = record[key] as T;
  return sorted;
}

/** The base's bytes and the key they are stored under (named by their hash, so never rewritten). */
export function encodeBase(base: StateBase): { key: string; bytes: Uint8Array } {
  const bytes = encoder.encode(
    JSON.stringify({ sources: sortedByKey(base.sources), outputs: sortedByKey(base.outputs) }),
  );
  return { key: `${BASE_PREFIX}${shortHash(bytes)}.json`, bytes };
}

/**
 * Kept between runs of one process (a warm Lambda, the preview server): the state this process last
 * committed, under the ETag S3 gave it, and the base it sits on. A run whose manifest read returns that
 * ETag skips parsing and the base read; any other ETag means another run committed, and it reads again.
 */
export interface StateCache {
  committed?: {
    readonly etag: string;
    readonly bytes: Uint8Array;
    readonly head: StateHead;
    readonly state: SiteState;
    readonly baseKey: string;
    readonly base: StateBase;
    /** `state.sources` as the Map the run built it from (copied, never changed, by the next run). */
    readonly records?: ReadonlyMap<string, SourceRecord>;
    /** `state.outputs` as a Map (the same rule). */
    readonly outputs?: ReadonlyMap<string, OutputEntry>;
    /** The HTML shards `state.sources` names, each with its members' source keys. */
    readonly members?: ReadonlyMap<string, readonly string[]>;
  };
  /**
   * Published articles whose manifest record was checked against them (the metadata hash it carries): the
   * same object comes back only while its record does (see `PublishedMemo`), so it need not be checked again.
   */
  readonly settled: WeakSet<PublishedArticle>;
  /** The last model built: an upload that only adds newer articles extends it (`buildSiteModel`). */
  readonly model: { current?: LastModel };
  /** HTML shards the last run wrote (an upload's week), as written. */
  readonly shards: Map<string, HtmlShard>;
  /** Articles revived from records, by record: unchanged records are the same objects from run to run. */
  readonly revived: WeakMap<StoredArticle, ParsedArticle>;
  /** Published articles by revived article, while slug, id, URL and body stay the same. */
  readonly published: WeakMap<ParsedArticle, RememberedArticle>;
  /**
   * Bodies loaded or rendered, by source key: [hash of the HTML, HTML (as UTF-8 when loaded from a shard)].
   * Emptied when it grows large.
   */
  readonly html: Map<string, readonly [string, string | Uint8Array]>;
  /**
   * Output key → the fingerprint, with what it was made of: the plan's header (run inputs, key, flags,
   * `dependsOn`) and its article objects, compared by identity (a published article never changes).
   */
  readonly fingerprints: Map<
    string,
    {
      readonly header: string;
      readonly articles: readonly PublishedArticle[];
      readonly fingerprint: string;
      /** The plan object it was computed for: planners give the same object back for the same inputs. */
      readonly plan?: unknown;
      readonly inputs?: string;
    }
  >;
  /**
   * The articles (newest first) of the last run this process committed with no dirty or invalid output,
   * that run's inputs and records: each has its page online at its fingerprint and is settled. A model that extends
   * this list (an upload of newer articles) need not look at those pages again.
   */
  clean?: {
    readonly articles: readonly PublishedArticle[];
    readonly inputs: string;
    /** The records that run committed (`committed.records`): the model was built from them. */
    readonly records: ReadonlyMap<string, SourceRecord>;
  };
}

export const createStateCache = (): StateCache => ({
  revived: new WeakMap(),
  published: new WeakMap(),
  html: new Map(),
  fingerprints: new Map(),
  settled: new WeakSet(),
  shards: new Map(),
  model: {},
});

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

/** The HTML shard an article's body lives in: the ISO week (UTC) it was published. */
export function shardKeyFor(published: Date): string {
  // ISO week (UTC): an upload rewrites its week's bodies (~40 at 10,000 articles over six years), not a
  // month's. Older manifests name month shards; their records keep them until their article is read again.
  const day = new Date(Date.UTC(published.getUTCFullYear(), published.getUTCMonth(), published.getUTCDate()));
  const thursday = new Date(day.getTime() + (4 - (day.getUTCDay() || 7)) * 86_400_000);
  const year = thursday.getUTCFullYear();
  const week = Math.floor((thursday.getTime() - Date.UTC(year, 0, 1)) / (7 * 86_400_000)) + 1;
  return `${HTML_SHARD_PREFIX}${year}-W${String(week).padStart(2, '0')}.json`;
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
