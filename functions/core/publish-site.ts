import { articleLinkProblems } from './article-links.ts';
import { type CdnInvalidator, invalidationPaths } from './cdn-invalidation.ts';
import { cacheControlFor, contentTypeFor } from './content-types.ts';
import { readFrozenDigestPeriods } from './digest/send-digests.ts';
import { podcastWarnings } from './feed-spec.ts';
import {
  applyHead,
  createStateCache,
  decodeBase,
  decodeHead,
  decodeShard,
  deltaFrom,
  ENGINE_VERSION,
  emptyBase,
  emptyState,
  encodeBase,
  encodeHead,
  encodeShard,
  type GoneRecord,
  type HtmlShard,
  MANIFEST_KEY,
  metadataHash,
  type OutputEntry,
  reviveArticle,
  type SiteState,
  type SourceRecord,
  type StateBase,
  type StateCache,
  type StateHead,
  shardKeyFor,
  shortHash,
  stateOf,
  storeArticle,
} from './incremental-state.ts';
import { mapLimit, nextTurn } from './map-limit.ts';
import {
  copyPlan,
  imagePixels,
  isImageKey,
  isMediaKey,
  type MediaLookup,
  mediaFinder,
  mediaRefsIn,
  oversizedMedia,
  planMedia,
  planPageMedia,
} from './media.ts';
import { olderPartOf } from './memo.ts';
import { isOtherFileKey, otherFileProblem } from './other-files.ts';
import { isArticleKey, MAX_ARTICLE_BYTES, type ParsedArticle } from './parse-article.ts';
import {
  type ContentSource,
  type FetchedSource,
  type Logger,
  PreconditionFailedError,
  type SiteStore,
  type SourceEntry,
} from './ports.ts';
import { ConfigError, formatProblem, InvalidOutputError, type Problem } from './problems.ts';
import { planRedirects } from './redirects.ts';
import {
  type RenderedBody,
  type RenderedOutput,
  type RenderJob,
  renderJobParts,
  renderOutput,
} from './render-job.ts';
import { type OutputPlan, planSite } from './render-site.ts';
import { sitePageArticleLinks, sitePageMediaRefs } from './render-site-page.ts';
import { ROOT_FILES } from './root-files.ts';
import { defaultSiteConfig, parseSiteConfig, SITE_CONFIG_FILE, type SiteConfig } from './site-config.ts';
import { judgedFiles, siteYamlFiles } from './site-icon.ts';
import {
  articleBody,
  type BodyProvider,
  buildSiteModel,
  duplicateArticles,
  type HeldBack,
  htmlBytesOf,
  normaliseSiteUrl,
  type PublishedArticle,
  renamedArticles,
  takenAddresses,
} from './site-model.ts';
import {
  type ArticleParser,
  type ParsedSource,
  parseAheadInProcess,
  parseInProcess,
} from './source-parser.ts';
import { changedFeedUrls, type HubNotifier } from './websub.ts';

export { createStateCache, MANIFEST_KEY, type StateCache };
export const REPORT_KEY = '_report.json';
const DEFAULT_SITE_URL = 'http://localhost:8787/';
/** Above this many outputs to render, render while writing instead of all before (memory). */
const PRERENDER_LIMIT = 256;
/** A manifest head whose delta grows past this many bytes gets a new base (an upload adds ~2 KB). */
const COMPACT_BYTES = 256 * 1024;
/** Article bodies a warm process keeps between runs (a few MB). */
const BODIES_KEPT = 4000;

/** What is read of a cover image for its pixel size: its header, and a JPEG's usual metadata before it. */
const IMAGE_HEADER_BYTES = 128 * 1024;

/** How long, and how many, articles that left the content are remembered (a rename's other half). */
const GONE_KEPT_MS = 30 * 24 * 3600 * 1000;
const GONE_KEPT = 100;

/** The gone articles still worth remembering: not back under their name, left recently, the newest few. */
function recentlyGone(
  gone: Readonly<Record<string, GoneRecord>>,
  records: ReadonlyMap<string, SourceRecord>,
  now: Date,
): Record<string, GoneRecord> {
  const kept = Object.entries(gone)
    .filter(([key, g]) => !records.has(key) && now.getTime() - g.left <= GONE_KEPT_MS)
    .sort(([a, g], [b, h]) => h.left - g.left || (a < b ? -1 : 1))
    .slice(0, GONE_KEPT);
  return Object.fromEntries(kept);
}
/** At most this many sources named by events are read while the manifest is (an upload, not a burst). */
const PREFETCH_LIMIT = 16;
/** HTML shards a warm process keeps from its last run, to update without reading them again. */
const SHARDS_KEPT = 2;

export interface PublishOptions {
  readonly source: ContentSource;
  readonly store: SiteStore;
  readonly logger: Logger;
  /** The run's clock reading: decides which scheduled articles are due. Never written into outputs. */
  readonly now: Date;
  /** Wins over `baseUrl` in site.yaml (the stack passes the CloudFront URL). */
  readonly siteUrl?: string;
  /** Parallel reads and writes. @default 16 */
  readonly concurrency?: number;
  /**
   * Content keys (relative to the content root) that S3 events name. The run re-reads only those, on top
   * of the manifest, instead of listing the bucket. @default undefined: list everything and reconcile
   */
  readonly changedKeys?: readonly string[];
  /** Changes whenever the renderers do; a new one re-renders everything once. @default '' */
  readonly rendererVersion?: string;
  /** Parses the sources a run reads (a worker pool on full builds). @default `parseAheadInProcess` */
  readonly parser?: ArticleParser;
  /** Requests the adapters made so far (the S3 client's counter): reported per run. */
  readonly requestCount?: () => number;
  /**
   * Which of these digest periods are claimed for sending (or sent); their `digests/<period>/…` files
   * are never rewritten or deleted. @default the periods in `_state/digests/frozen.json` (one read)
   */
  readonly frozenDigestPeriods?: (periods: readonly string[]) => Promise<ReadonlySet<string>>;
  /** Runs started in all when another run keeps committing first (412 on the manifest). @default 5 */
  readonly maxAttempts?: number;
  /**
   * State kept from this process's last run (`createStateCache()`, held by a warm Lambda or the preview
   * server): a manifest still at the ETag this process wrote is not parsed again, its base not read again.
   */
  readonly stateCache?: StateCache;
  /**
   * Renders, checks and encodes outputs that carry a `job` on other threads (the worker pool of a full
   * build). @default everything is rendered on this thread
   */
  readonly renderer?: (key: string, job: RenderJob) => Promise<RenderedOutput>;
  /**
   * Called once every output is rendered and written, before the state is committed: a full build stops
   * its workers here, so that their heaps are gone before the commit encodes the state (its memory peak).
   */
  readonly rendered?: () => Promise<void>;
  /** Delta size (bytes) above which the run writes a new base. @default 256 KiB */
  readonly compactAt?: number;
  /**
   * Asked before each source a full run reads and each output of a large run it renders; once it answers
   * true, the run reads and renders no more: it commits what it read (records and HTML shards) and wrote
   * (pages before the feeds that link to them, as always), keeps what it would have deleted online, and
   * the next run reads and renders the rest (a source stopped before is read by the next full run). The
   * Lambda answers true when its timeout is near, so a first run over a big site makes progress in steps
   * instead of dying at the timeout and starting again from nothing. @default never
   */
  readonly outOfTime?: () => boolean;
  /** Told which subscription feeds a run wrote, when `feeds.hub` names a WebSub hub (`websub.ts`). */
  readonly hubNotifier?: HubNotifier;
  /** Told which cached pages a run replaced or deleted (`cdn-invalidation.ts`), when the site has a CDN. */
  readonly cdn?: CdnInvalidator;
}

/** `_report.json`: what the last run did. */
export interface BuildReport {
  readonly ranAt: string;
  readonly siteUrl: string;
  /** `events`: only the keys the events named were read; `full`: the content was listed and reconciled. */
  readonly mode?: 'events' | 'full';
  /** The optional counts came with incremental runs; publishSite always sets them (older reports lack them). */
  readonly counts: {
    readonly sources: number;
    readonly published: number;
    /** Images on the site beside the articles that show them (one per article and path). */
    readonly images?: number;
    /** Other files (PDF, audio, video) on the site beside the articles that link them, counted likewise. */
    readonly files?: number;
    readonly skipped: number;
    readonly heldBack: number;
    /** Source files read and parsed by this run. */
    readonly read?: number;
    /** Outputs rendered: their inputs changed, or they are cheap (no articles). */
    readonly rendered?: number;
    /** Outputs not rendered: same fingerprint as the bytes already online. */
    readonly reused?: number;
    readonly written: number;
    /** Rendered, but the bytes were the same: not written. */
    readonly unchanged: number;
    readonly deleted: number;
    /** Requests made through the adapters before `_report.json` was written (S3 on Lambda). */
    readonly requests?: number;
    /** 1, or more when another run committed the manifest first and this one started again. */
    readonly attempts?: number;
    /** Outputs left for the next run because `outOfTime` stopped this one (0 when it finished). */
    readonly deferred?: number;
    /** Sources a full run stopped before reading (then it rendered nothing): the next full run reads them. */
    readonly unread?: number;
  };
  readonly written: readonly string[];
  readonly deleted: readonly string[];
  readonly skipped: readonly (Problem & { readonly text: string })[];
  readonly warnings: readonly (Problem & { readonly text: string })[];
  readonly heldBack: readonly HeldBack[];
  readonly errors: readonly string[];
  /** The WebSub ping for the feeds this run wrote, when `feeds.hub` is set and feeds changed. */
  readonly hub?: { readonly url: string; readonly feeds: readonly string[]; readonly error?: string };
  /** The CDN paths this run invalidated (pages it replaced or deleted), when the site has a CDN. */
  readonly cdn?: { readonly paths: readonly string[]; readonly error?: string };
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const DIGEST_PERIOD_KEY = /^digests\/(\d{4}-\d{2}-\d{2}|\d{4}-W\d{2}|\d{4}-\d{2})\//;

/**
 * The whole pipeline: read what changed → parse → model → plan → render what changed → check → write
 * what changed (pages first) → delete what is gone → manifest → report. Idempotent: over unchanged
 * content it writes nothing but `_report.json`. When another run commits the manifest first, this one
 * starts again from that run's state, so no update is ever lost.
 */
export async function publishSite(options: PublishOptions): Promise<BuildReport> {
  const maxAttempts = options.maxAttempts ?? 5;
  const requestsAtStart = options.requestCount?.() ?? 0;
  const carried = new Set<string>();
  const missingBases = new Set<string>();
  for (let attempt = 1; ; attempt++) {
    const touched = new Set<string>();
    try {
      return await runOnce(options, { attempt, carried, touched, requestsAtStart, missingBases });
    } catch (error) {
      if (!(error instanceof PreconditionFailedError) || attempt >= maxAttempts) throw error;
      // What this attempt wrote may be older than what the winner recorded: the next attempt rewrites it.
      for (const key of touched) carried.add(key);
      options.logger.warn('manifest changed during the run, starting again', { attempt, key: error.key });
    }
  }
}

interface Attempt {
  readonly attempt: number;
  readonly carried: ReadonlySet<string>;
  readonly touched: Set<string>;
  readonly requestsAtStart: number;
  /** Bases found missing: a second time under the same head, the state is taken as lost (full rebuild). */
  readonly missingBases: Set<string>;
}

interface LoadedState {
  /** The head as read (undefined: no manifest yet), and its ETag for the conditional writes. */
  readonly bytes: Uint8Array | undefined;
  readonly etag: string | undefined;
  readonly state: SiteState;
  /** The format-3 head the state came from (undefined for an older format or none). */
  readonly head: StateHead | undefined;
  readonly baseKey: string;
  readonly base: StateBase;
  /** From this process's last commit: `state.sources` as a Map, and the source keys of each shard it names. */
  readonly records?: ReadonlyMap<string, SourceRecord>;
  readonly outputs?: ReadonlyMap<string, OutputEntry>;
  readonly members?: ReadonlyMap<string, readonly string[]>;
}

/**
 * The manifest head, then its base unless this process committed exactly that head. A missing base
 * means another run replaced it after we read the head: start again (a `PreconditionFailedError`).
 */
async function loadState(
  store: SiteStore,
  cache: StateCache | undefined,
  run: Attempt,
): Promise<LoadedState> {
  const loaded = await store.readWithEtag(MANIFEST_KEY);
  if (!loaded)
    return {
      bytes: undefined,
      etag: undefined,
      state: emptyState(),
      head: undefined,
      baseKey: '',
      base: emptyBase,
    };
  const committed = cache?.committed;
  if (committed && committed.etag === loaded.etag && sameBytes(committed.bytes, loaded.body)) {
    return { ...committed, bytes: loaded.body, etag: loaded.etag };
  }
  const decoded = decodeHead(loaded.body);
  if ('state' in decoded) {
    return {
      bytes: loaded.body,
      etag: loaded.etag,
      state: decoded.state,
      head: undefined,
      baseKey: '',
      base: emptyBase,
    };
  }
  const { head } = decoded;
  let base: StateBase | undefined = emptyBase;
  if (head.base) {
    base = committed?.baseKey === head.base ? committed.base : decodeBase(await store.read(head.base));
  }
  if (!base) {
    if (!run.missingBases.has(head.base)) {
      run.missingBases.add(head.base);
      throw new PreconditionFailedError(head.base);
    }
    // Still named, still gone: the state is lost. Listing and reading everything rebuilds it.
    return {
      bytes: loaded.body,
      etag: loaded.etag,
      state: emptyState(),
      head: undefined,
      baseKey: '',
      base: emptyBase,
    };
  }
  return {
    bytes: loaded.body,
    etag: loaded.etag,
    state: applyHead(head, base),
    head,
    baseKey: head.base,
    base,
  };
}

class HtmlNotLoadedError extends Error {
  constructor(readonly sourceKey: string) {
    super(`the HTML of ${sourceKey} was not loaded before rendering: its output must set withHtml`);
    this.name = 'HtmlNotLoadedError';
  }
}

async function runOnce(options: PublishOptions, run: Attempt): Promise<BuildReport> {
  const { source, store, logger, now } = options;
  const concurrency = options.concurrency ?? 16;
  const parser = options.parser ?? parseAheadInProcess;
  // An upload's few sources are read while the manifest is: one round trip less. Their versions are
  // compared with the manifest's afterwards, as a conditional read would have.
  const prefetched = new Map<string, Promise<FetchedSource | Error>>();
  const eventKeys = [...new Set(options.changedKeys ?? [])].filter(isArticleKey).sort();
  const mediaEventKeys = [...new Set(options.changedKeys ?? [])].filter(isMediaKey).sort();
  const otherEventKeys = [...new Set(options.changedKeys ?? [])].filter(isOtherFileKey).sort();
  if (source.fetch && eventKeys.length > 0 && eventKeys.length <= PREFETCH_LIMIT) {
    for (const key of eventKeys) {
      const got = source.fetch(key, { maxBytes: MAX_ARTICLE_BYTES }).catch((error: Error) => error);
      prefetched.set(key, got);
    }
  }
  const loaded = await loadState(store, options.stateCache, run);
  const { state } = loaded;
  const engine = `${ENGINE_VERSION}:${options.rendererVersion ?? ''}`;

  // ---- What changed in the content --------------------------------------------------------------
  const changed = options.changedKeys;
  let mode: 'events' | 'full' =
    changed !== undefined &&
    source.fetch !== undefined &&
    state.engine === engine &&
    state.unfinished !== 'unread' &&
    !changed.includes(SITE_CONFIG_FILE)
      ? 'events'
      : 'full';
  let entries: SourceEntry[] = [];
  let configState = state.config;
  if (mode === 'full') {
    entries = await source.list();
    const configEntry = entries.find((e) => e.key === SITE_CONFIG_FILE);
    if (!configEntry) configState = { v: '', h: '', text: '' };
    else if (configEntry.unreadable)
      throw new ConfigError([{ file: SITE_CONFIG_FILE, ...configEntry.unreadable }]);
    else if (configEntry.version !== state.config.v || state.config.h === '') {
      const text = new TextDecoder().decode(await source.read(configEntry.key));
      configState = { v: configEntry.version, h: shortHash(text), text };
    }
  }
  const config: SiteConfig = configState.text ? parseSiteConfig(configState.text) : defaultSiteConfig;
  const siteUrl = normaliseSiteUrl(options.siteUrl ?? config.baseUrl ?? DEFAULT_SITE_URL);
  const configHash = shortHash(JSON.stringify(config));
  // Cached bodies and fingerprints hold only for the same engine, site URL and configuration.
  const reusable = state.engine === engine && state.siteUrl === siteUrl && state.config.h === configState.h;
  if (mode === 'events' && !reusable) {
    mode = 'full';
    entries = await source.list();
  }

  // An upload starts from the manifest's records (as a Map already when this process committed them).
  const records = new Map<string, SourceRecord>(
    mode === 'events' ? (loaded.records ?? Object.entries(state.sources)) : undefined,
  );
  // Keys whose record this run replaced or removed: an upload's head delta is worked out for those only.
  const changedSources = new Set<string>();
  const setRecord = (key: string, record: SourceRecord) => {
    records.set(key, record);
    changedSources.add(key);
  };
  const fresh = new Map<string, ParsedSource>();
  const toRead: SourceEntry[] = [];
  // Asked before each source read and each output rendered; once it says yes, it stays yes.
  let stopped = false;
  const outOfTime = () => {
    stopped ||= options.outOfTime?.() ?? false;
    return stopped;
  };
  // Sources a full run had no time to read (see `outOfTime`): then it renders nothing and deletes nothing.
  const unread: string[] = [];
  const tooLarge = (entry: SourceEntry): SourceRecord => ({
    v: entry.version,
    s: entry.size,
    p: {
      file: entry.key,
      message: `the file is ${(entry.size / 1024 / 1024).toFixed(1)} MB, over the 2 MB limit`,
      fix: 'split the article or move large media out of the text',
    },
  });
  const unreadable = (entry: SourceEntry): SourceRecord => ({
    v: entry.version,
    s: entry.size,
    ...(isMediaKey(entry.key) ? { media: true } : {}),
    p: { file: entry.key, message: entry.unreadable?.message ?? '', fix: entry.unreadable?.fix ?? '' },
  });
  // A media file is listed, never read here: its bytes are read when it is published (see `renderChecked`),
  // and a cover image's once more for its pixel size (see `mediaPixels`).
  const mediaRecord = (entry: SourceEntry): SourceRecord => {
    const problem = oversizedMedia(entry.key, entry.size);
    return { v: entry.version, s: entry.size, media: true, ...(problem ? { p: problem } : {}) };
  };
  // Whether a key is in the content, for advice that must not name a file that is there (`post.md`).
  let listedKeys: Set<string> | undefined;
  const exists = (key: string) => {
    listedKeys ??= new Set(entries.map((e) => e.key));
    return records.has(key) || listedKeys.has(key);
  };
  const otherRecord = (entry: SourceEntry): SourceRecord => ({
    v: entry.version,
    s: entry.size,
    other: true,
    w: [otherFileProblem(entry.key, exists)],
  });
  const context = { timeZone: config.timeZone, siteUrl };
  const accept = (entry: SourceEntry, parsed: ParsedSource) => {
    fresh.set(entry.key, parsed);
    const { result } = parsed;
    setRecord(
      entry.key,
      result.ok
        ? {
            v: entry.version,
            s: entry.size,
            a: storeArticle(result.article),
            ...(result.warnings.length > 0 ? { w: result.warnings } : {}),
          }
        : { v: entry.version, s: entry.size, p: result.problem },
    );
  };

  if (mode === 'full') {
    const articleEntries = entries.filter((e) => isArticleKey(e.key)).sort((a, b) => compare(a.key, b.key));
    for (const entry of articleEntries) {
      const previous = reusable ? (loaded.records?.get(entry.key) ?? state.sources[entry.key]) : undefined;
      // Never read an oversized object into memory: its size comes from the listing.
      if (entry.unreadable) setRecord(entry.key, unreadable(entry));
      else if (entry.size > MAX_ARTICLE_BYTES) setRecord(entry.key, tooLarge(entry));
      else if (previous && previous.v === entry.version) setRecord(entry.key, previous);
      else {
        setRecord(entry.key, { v: entry.version, s: entry.size });
        toRead.push(entry);
      }
    }
    for (const entry of entries) {
      if (!isMediaKey(entry.key)) continue;
      const previous = loaded.records?.get(entry.key) ?? state.sources[entry.key];
      const same = previous?.media && previous.v === entry.version && previous.s === entry.size;
      setRecord(entry.key, entry.unreadable ? unreadable(entry) : same ? previous : mediaRecord(entry));
    }
    for (const entry of entries) {
      if (!isOtherFileKey(entry.key)) continue;
      const previous = loaded.records?.get(entry.key) ?? state.sources[entry.key];
      // Its advice is made again: it names the files beside it (`post.md` for a `post.html`), which change.
      const record = otherRecord(entry);
      const same =
        previous?.other && previous.v === entry.version && previous.w?.[0]?.fix === record.w?.[0]?.fix;
      setRecord(entry.key, same ? previous : record);
    }
    await mapLimit(toRead, concurrency, async (entry) => {
      // Out of time before every source is read: the run records what it read and publishes nothing.
      if (outOfTime()) {
        unread.push(entry.key);
        return;
      }
      accept(entry, await parser({ key: entry.key, bytes: await source.read(entry.key) }, context));
    });
    for (const key of unread) {
      // An unread source keeps its last record (or none), so the next full run reads it. A record made
      // under other settings is not kept: its body would pass for one made under these.
      const previous = reusable ? (loaded.records?.get(key) ?? state.sources[key]) : undefined;
      if (previous) records.set(key, previous);
      else records.delete(key);
    }
  } else {
    const fetch = source.fetch?.bind(source);
    // A media file named by an event, or any other file (an author's post.html, recorded to warn about it
    // on every run): its version and size only (on S3, one HEAD).
    const images = mapLimit([...mediaEventKeys, ...otherEventKeys], concurrency, async (key) => {
      const known = records.get(key);
      const got = await fetch?.(key, { knownVersion: known?.v, maxBytes: 0 });
      if (!got || got.status === 'unchanged') return;
      const media = isMediaKey(key);
      if (got.status === 'missing') {
        if (known && records.delete(key)) changedSources.add(key);
      } else if (!((media ? known?.media : known?.other) && known?.v === got.entry.version))
        setRecord(key, media ? mediaRecord(got.entry) : otherRecord(got.entry));
    });
    images.catch(() => undefined);
    await mapLimit(eventKeys, concurrency, async (key) => {
      const known = records.get(key)?.v;
      const early = await prefetched.get(key);
      if (early instanceof Error) throw early;
      const got = early ?? (await fetch?.(key, { knownVersion: known, maxBytes: MAX_ARTICLE_BYTES }));
      if (!got || got.status === 'unchanged') return;
      if (got.status !== 'missing' && known !== undefined && got.entry.version === known) return;
      if (got.status === 'missing') {
        records.delete(key);
        changedSources.add(key);
      } else if (got.status === 'too-large') setRecord(key, tooLarge(got.entry));
      else {
        toRead.push(got.entry);
        accept(got.entry, await parser({ key, bytes: got.bytes }, context));
      }
    });
    await images;
  }
  let readCount = toRead.length - unread.length;

  // ---- Model: cached bodies for what did not change ----------------------------------------------
  // Bodies by source key, under the hash they were recorded with: kept between runs of a warm process,
  // so the feeds' other items are not read from the HTML shards again after every upload.
  const bodies = options.stateCache?.html ?? new Map<string, readonly [string, string | Uint8Array]>();
  const bodyOf = (key: string, hash: string) => {
    const entry = bodies.get(key);
    if (!entry || entry[0] !== hash) return undefined;
    return typeof entry[1] === 'string' ? entry[1] : decoder.decode(entry[1]);
  };
  const revived = options.stateCache?.revived ?? new WeakMap();
  const memo = options.stateCache && {
    published: options.stateCache.published,
    // The body entry carries URL, body hash and summary: the same object means the same published article.
    versionOf: (article: ParsedArticle) =>
      fresh.has(article.sourceKey) ? undefined : records.get(article.sourceKey)?.b,
    last: options.stateCache.model,
  };
  // An image's size is its enclosure's `length` in RSS and Atom.
  const mediaSize = (key: string) => {
    const record = records.get(key);
    return record?.media && record.p === undefined ? record.s : undefined;
  };
  // A cover image's pixel size lets the digest show it no wider than it is. Its bytes are read only when a
  // model asks for the size of one not measured yet (a new or replaced version): once, and never an image
  // no article shows as its cover.
  const unmeasured = new Set<string>();
  const mediaPixels = (key: string) => {
    const record = records.get(key);
    if (!record?.media || record.p !== undefined || !isImageKey(key)) return undefined;
    if (!record.d) unmeasured.add(key);
    return record.d && record.d[0] > 0 ? record.d : undefined;
  };
  // A model extended from the last run keeps its older articles as they were: not when a media file is new,
  // replaced or deleted, which changes an article without changing its source (its size in bytes, and an
  // image's in pixels, which a replacement of the same byte size may change).
  if (memo?.last) {
    for (const key of changedSources) {
      const before = loaded.records?.get(key) ?? state.sources[key];
      const after = records.get(key);
      if ((before?.media || after?.media) && (before?.s !== after?.s || before?.v !== after?.v)) {
        memo.last.current = undefined;
        break;
      }
    }
  }
  const bodyProvider =
    (misses: Set<string>): BodyProvider =>
    (article, url) => {
      const key = article.sourceKey;
      const parsed = fresh.get(key);
      if (parsed) {
        if (!parsed.body) return undefined;
        if (parsed.body.url === url) {
          // Read on each use: a worker's body is UTF-8 bytes behind a getter (half the memory of a string).
          const body = parsed.body;
          return { html: () => body.html, bytes: body.bytes, summaryText: body.summaryText };
        }
      } else {
        const body = records.get(key)?.b;
        if (body && siteUrl + body.u === url) {
          const hash = body.h;
          return {
            html: () => {
              const html = bodyOf(key, hash);
              if (html === undefined) throw new HtmlNotLoadedError(key);
              return html;
            },
            summaryText: body.t ?? article.summary ?? '',
            version: hash,
          };
        }
      }
      // Its URL moved (a slug taken or freed) or it was never published: read it again below.
      misses.add(key);
      return { html: () => '', summaryText: '' };
    };
  const collectArticles = () => {
    const articles: ParsedArticle[] = [];
    for (const [key, record] of records) {
      const parsed = fresh.get(key)?.result;
      if (parsed?.ok) articles.push(parsed.article);
      else if (record.a) {
        let article = revived.get(record.a);
        if (!article) {
          article = reviveArticle(key, record.a);
          revived.set(record.a, article);
        }
        articles.push(article);
      }
    }
    return articles;
  };
  const buildModel = () => {
    const misses = new Set<string>();
    const bodyFor = bodyProvider(misses);
    // An upload that only adds sources to the records of this process's last clean commit, whose model is
    // still the last one built: the model is that one plus the new articles, checked alone (10,000 not).
    const clean = options.stateCache?.clean;
    const trusted =
      mode === 'events' &&
      memo !== undefined &&
      clean !== undefined &&
      loaded.records !== undefined &&
      clean.records === loaded.records &&
      memo.last.current?.articles === clean.articles &&
      [...changedSources].every((key) => fresh.has(key) && !loaded.records?.has(key));
    const added = trusted
      ? [...fresh.values()].flatMap((parsed) => (parsed.result.ok ? [parsed.result.article] : []))
      : undefined;
    const model = buildSiteModel(
      collectArticles,
      config,
      siteUrl,
      now,
      bodyFor,
      memo && { ...memo, added },
      mediaSize,
      mediaPixels,
    );
    return { ...model, misses };
  };
  const measure = (keys: readonly string[]) =>
    mapLimit(keys, concurrency, async (key) => {
      const record = records.get(key);
      // Out of time, or gone since it was listed: left unmeasured (shown at most column-wide) for the next run.
      if (!record || outOfTime()) return;
      let pixels: readonly [number, number] | undefined;
      try {
        // The header is enough, unless metadata before it is longer than what was read (a JPEG's EXIF).
        const start = source.readStart ? await source.readStart(key, IMAGE_HEADER_BYTES) : undefined;
        pixels = start ? imagePixels(start) : undefined;
        if (!pixels && (!start || start.byteLength === IMAGE_HEADER_BYTES))
          pixels = imagePixels(await source.read(key));
      } catch {
        return;
      }
      setRecord(key, { ...record, d: pixels ?? [0, 0] });
    });
  // The images an upload brings are measured before the model is built, one read of each header, as one of
  // them is most likely the new article's cover: else the model would be built twice (from scratch both
  // times, since a new media file changes articles). A full run measures only covers, after the model.
  if (mode === 'events') {
    const uploaded = [...changedSources].filter((key) => {
      const record = records.get(key);
      return record?.media && record.p === undefined && !record.d && isImageKey(key);
    });
    if (uploaded.length > 0 && !outOfTime()) await measure(uploaded.sort());
  }
  let built = buildModel();
  if (unmeasured.size > 0 && !outOfTime()) {
    const measured = [...unmeasured].sort();
    unmeasured.clear();
    await measure(measured);
    // Built again from scratch: the articles that show these images now carry their size.
    if (memo?.last) memo.last.current = undefined;
    built = buildModel();
  }
  if (built.misses.size > 0) {
    const missed = [...built.misses].sort();
    readCount += missed.length;
    await mapLimit(missed, concurrency, async (key) => {
      const record = records.get(key);
      const entry = { key, version: record?.v ?? '', size: record?.s ?? 0 };
      // In-process: the model sanitises the body at the URL it now has.
      accept(entry, await parseInProcess({ key, bytes: await source.read(key) }, context));
    });
    built = buildModel();
  }
  const { model, heldBack } = built;
  // Links to other articles' files are checked against this run's model: the article may be gone or moved.
  const warnings: Problem[] = [
    ...built.warnings,
    ...articleLinkProblems(model.articles, sitePageArticleLinks(config.pages)),
    ...duplicateArticles(model.articles),
  ];
  const last = (key: string) => loaded.records?.get(key) ?? state.sources[key];
  // A model built anew (not the last one extended) may have given an online address to another article.
  if (built.carried === 0) {
    const before = (key: string) => {
      const url = last(key)?.b?.u;
      return url === undefined ? undefined : `${url}index.html`;
    };
    // A source new or changed since the last run (not one read again only to move it).
    const changed = (key: string) => last(key)?.v !== records.get(key)?.v;
    warnings.push(...takenAddresses(model.articles, before, changed));
  }
  // Articles gone from the content since the last run, or in the last days: one back under another name
  // (in this run or a later one: `aws s3 mv` can fall in two) lost its address and its place in feed readers.
  const goneNow: Record<string, GoneRecord> = {};
  for (const key of loaded.records?.keys() ?? Object.keys(state.sources)) {
    if (records.has(key)) continue;
    const record = last(key);
    if (!record?.a || !record.b) continue;
    const article = reviveArticle(key, record.a);
    goneNow[key] = {
      title: article.title,
      published: article.published.getTime(),
      id: article.id,
      pageKey: `${record.b.u}index.html`,
      left: now.getTime(),
    };
  }
  const goneArticles = recentlyGone({ ...state.gone, ...goneNow }, records, now);
  const renamed = renamedArticles(
    model.articles,
    Object.entries(goneArticles).map(([sourceKey, g]) => ({
      sourceKey,
      ...g,
      published: new Date(g.published),
    })),
    (key) => last(key) === undefined,
  );
  warnings.push(...renamed.problems);
  // Said once: a gone article found again is forgotten.
  for (const key of renamed.matched) delete goneArticles[key];
  const skipped: Problem[] = [];
  for (const record of records.values()) {
    if (record.p) skipped.push(record.p);
    if (record.w) warnings.push(...record.w);
  }
  for (const problem of skipped) logger.warn('article skipped', { problem: formatProblem(problem) });
  for (const problem of warnings) logger.warn('article warning', { problem: formatProblem(problem) });

  // ---- Fingerprints: what each output is made of, from metadata only ------------------------------
  const metaHashes = new Map<PublishedArticle, string>();
  const htmlHashes = new Map<PublishedArticle, string>();
  const metaOf = (a: PublishedArticle) => {
    let hash = metaHashes.get(a);
    if (hash === undefined) {
      // An unchanged source at the same URL with its own id publishes the same metadata as last run.
      const record = fresh.has(a.sourceKey) ? undefined : records.get(a.sourceKey);
      const reuse = record?.b?.m && siteUrl + record.b.u === a.url && record.a?.id === a.id;
      hash = reuse ? (record?.b?.m as string) : metadataHash(a);
      metaHashes.set(a, hash);
    }
    return hash;
  };
  const htmlOf = (a: PublishedArticle) => {
    let hash = htmlHashes.get(a);
    if (hash === undefined) {
      const parsed = fresh.get(a.sourceKey);
      if (!parsed) hash = records.get(a.sourceKey)?.b?.h ?? '';
      else if (parsed.body?.hash !== undefined && parsed.body.url === a.url) hash = parsed.body.hash;
      else hash = shortHash(a.html);
      htmlHashes.set(a, hash);
    }
    return hash;
  };
  // Every published article's body record: where its HTML is cached, for later runs.
  const settled = options.stateCache?.settled;
  // Settled once this run commits: their records hold what was checked here.
  const toSettle: PublishedArticle[] = [];
  // An upload of newer articles extends the model of the last clean commit of this process: the older
  // articles are settled and their pages online at their fingerprints (10,000 of them, left alone below).
  const inputs = `${engine}\n${configHash}\n${siteUrl}\n`;
  const clean = options.stateCache?.clean;
  const carried =
    clean &&
    loaded.records &&
    state.dirty.length === 0 &&
    run.carried.size === 0 &&
    clean.inputs === inputs &&
    olderPartOf(model.articles) === clean.articles
      ? clean.articles.length
      : 0;
  const added = model.articles.length - carried;
  for (let i = 0; i < added; i++) {
    const article = model.articles[i] as PublishedArticle;
    if (settled?.has(article)) continue;
    if (settled) toSettle.push(article);
    const record = records.get(article.sourceKey);
    if (!record) continue;
    if (!fresh.has(article.sourceKey)) {
      const m = metaOf(article);
      if (record.b && record.b.m !== m) setRecord(article.sourceKey, { ...record, b: { ...record.b, m } });
      continue;
    }
    const media = mediaRefsIn(
      htmlBytesOf(article) ?? article.html,
      article.url,
      article.imageUrl,
      article.enclosureUrl,
    );
    setRecord(article.sourceKey, {
      ...record,
      b: {
        u: article.url.slice(siteUrl.length),
        h: htmlOf(article),
        ...(article.summaryText === article.summary ? {} : { t: article.summaryText }),
        k: shardKeyFor(article.published),
        m: metaOf(article),
        ...(media.length > 0 ? { media } : {}),
      },
    });
  }

  // The articles this run read (all of them on a full build, one after an upload).
  // Never among the carried articles (those are the last model's objects, from sources not read again).
  const freshArticles =
    fresh.size === 0 ? [] : model.articles.slice(0, added).filter((a) => fresh.has(a.sourceKey));
  if (options.stateCache) {
    // A warm process keeps a few thousand bodies at most (the feeds' items); a full build's 10,000 are let go.
    if (bodies.size + fresh.size > BODIES_KEPT) bodies.clear();
    else for (const article of freshArticles) bodies.set(article.sourceKey, [htmlOf(article), article.html]);
    // An upload's articles are revived and published next run as the objects they are now (as if read
    // from the manifest): the next upload can then extend this model instead of building it again.
    if (fresh.size <= PREFETCH_LIMIT) {
      for (const article of freshArticles) {
        const record = records.get(article.sourceKey);
        const source = fresh.get(article.sourceKey)?.result;
        if (!record?.a || !record.b || !source?.ok) continue;
        revived.set(record.a, source.article);
        options.stateCache.published.set(source.article, {
          siteUrl,
          slug: article.slug,
          id: article.id,
          version: record.b,
          article,
        });
      }
    }
  }

  // Digests need the clock reading to know which periods are finished.
  // Media the articles show or link from the content go after every other plan: planSite's pages come first.
  const mediaLookup: MediaLookup = (key) => {
    const record = records.get(key);
    return record?.media ? { version: record.v, ok: record.p === undefined } : undefined;
  };
  // For a missing one: the media file it most likely meant (another letter case, another folder).
  const find = mediaFinder(function* () {
    for (const [key, record] of records) if (record.media) yield key;
  });
  const articleMedia = planMedia(
    model.articles,
    (a) => records.get(a.sourceKey)?.b?.media,
    mediaLookup,
    find,
  );
  // The standalone pages' images and files, beside site.yaml (a few short texts: looked at every run).
  const pageMedia = planPageMedia(sitePageMediaRefs(siteUrl, config.pages), mediaLookup, find);
  const images = {
    plans: [...articleMedia.plans, ...pageMedia.plans],
    missing: [...articleMedia.missing, ...pageMedia.missing],
  };
  let plans = images.plans.length > 0 ? [...planSite(model, now), ...images.plans] : planSite(model, now);
  for (const { problem } of images.missing) {
    logger.warn(problem.file === SITE_CONFIG_FILE ? 'site warning' : 'article warning', {
      problem: formatProblem(problem),
    });
    warnings.push(problem);
  }
  for (const problem of podcastWarnings(config)) {
    logger.warn('site warning', { problem: formatProblem(problem) });
    warnings.push(problem);
  }
  // The site's icon and podcast cover, when they are files in the content (`site-icon.ts`).
  for (const { key, missing } of siteYamlFiles(config)) {
    if (plans.some((p) => p.key === key)) continue;
    const record = records.get(key);
    if (record?.media && record.p === undefined) {
      plans = [...plans, copyPlan(key, key, record.v)];
    } else if (!record?.media) {
      logger.warn('site warning', { problem: formatProblem(missing) });
      warnings.push(missing);
    }
  }
  // Files asked for by name at the root (`root-files.ts`): an author's `robots.txt` replaces the site's own.
  for (const key of ROOT_FILES) {
    const record = records.get(key);
    if (!record?.media || record.p !== undefined) continue;
    plans = [...plans.filter((p) => p.key !== key), copyPlan(key, key, record.v)];
  }
  // Old addresses of articles (front matter `aliases`), and the addresses links by file give articles with
  // slugs of their own, where no other output is: rare, so looked for first.
  if (model.articles.some((a) => a.aliases || a.articleLinks) || config.pages.length > 0) {
    const redirects = planRedirects(model, new Set(plans.map((p) => p.key)));
    plans = [...plans, ...redirects.plans];
    for (const { problem } of redirects.problems) {
      logger.warn('article warning', { problem: formatProblem(problem) });
      warnings.push(problem);
    }
  }
  const dirty = new Set([...state.dirty, ...run.carried]);
  // Output key → [hash, fingerprint] online now; a Map, since a run copies it (16,000 entries) to make the next.
  const previous: ReadonlyMap<string, OutputEntry> = loaded.outputs ?? new Map(Object.entries(state.outputs));
  // Fingerprints of the plans to render, for the manifest.
  const fingerprints = new Map<OutputPlan, string>();
  // A warm process remembers each output's fingerprint with the article objects it was made of: an
  // unchanged article is the same object from run to run (see buildSiteModel's memo), so after an upload
  // only outputs with a new or changed member are hashed again (16,000 SHA-256 per run otherwise).
  const known = options.stateCache?.fingerprints;
  // Cheap outputs (no articles) are always rendered and compared; the others only when their inputs moved.
  let toRender: OutputPlan[] = [];
  // Plans whose key is online: when that is every online key, none is gone (plans have distinct keys).
  let online = 0;
  const fingerprintOf = (plan: OutputPlan): string => {
    const remembered = known?.get(plan.key);
    if (remembered && remembered.plan === plan && remembered.inputs === inputs) return remembered.fingerprint;
    const header = `${inputs}${plan.key}\n${plan.withHtml}\n${plan.phase}\n${plan.dependsOn ?? ''}\n`;
    if (remembered && remembered.header === header && sameMembers(remembered.articles, plan.articles)) {
      // A new plan of the same members: remember it, so its next run takes the line above.
      known?.set(plan.key, { ...remembered, articles: plan.articles, plan, inputs });
      return remembered.fingerprint;
    }
    let signature = header;
    for (const article of plan.articles) {
      signature += metaOf(article);
      // Not in the stored metadata hash, which an unchanged source keeps: its image can change alone.
      if (article.imageLength !== undefined) signature += `:${article.imageLength}`;
      if (article.imageWidth !== undefined) signature += `:${article.imageWidth}x${article.imageHeight}`;
      if (article.enclosureLength !== undefined) signature += `:e${article.enclosureLength}`;
      if (plan.withHtml) signature += htmlOf(article);
    }
    const fingerprint = shortHash(signature);
    known?.set(plan.key, { header, articles: plan.articles, fingerprint, plan, inputs });
    return fingerprint;
  };
  // planSite lists one page per article first, in the model's order: the carried articles' pages are
  // online at their fingerprints and are not even looked at (10,000 objects after an upload).
  online += carried;
  for (let i = 0; i < plans.length; i++) {
    if (i === added) i += carried;
    const plan = plans[i];
    if (!plan) break;
    const entry = previous.get(plan.key);
    if (entry) online++;
    // Cheap outputs are rendered and compared; a copied file (the site's icon) is read only when it changed.
    if (plan.articles.length === 0 && plan.copyOf === undefined) {
      toRender.push(plan);
      continue;
    }
    const fingerprint = fingerprintOf(plan);
    if (entry?.[1] !== fingerprint || dirty.has(plan.key)) {
      toRender.push(plan);
      fingerprints.set(plan, fingerprint);
    }
  }
  const gone = new Set<string>();
  if (online !== previous.size || dirty.size > 0) {
    const planKeys = new Set(plans.map((p) => p.key));
    for (const key of previous.keys()) if (!planKeys.has(key)) gone.add(key);
    for (const key of dirty) if (!planKeys.has(key)) gone.add(key);
  }
  let toDelete = [...gone].sort();

  // ---- Sent digests stay as they were sent -------------------------------------------------------
  const periodOf = (key: string) => DIGEST_PERIOD_KEY.exec(key)?.[1];
  // A digest plan names the period it shows: `digests/latest/` too, which stays as sent while it shows it.
  const periodOfPlan = (plan: OutputPlan) =>
    (plan as OutputPlan & { digestPeriod?: string }).digestPeriod ?? periodOf(plan.key);
  const periods = [...new Set([...toRender.map(periodOfPlan), ...toDelete.map(periodOf)])].filter(
    (p): p is string => p !== undefined,
  );
  const frozen =
    periods.length === 0
      ? new Set<string>()
      : await (options.frozenDigestPeriods ?? frozenPeriodsIn(store))(periods.sort());
  const frozenAt = (key: string, period: string | undefined) =>
    period !== undefined && frozen.has(period) && previous.has(key);
  const isFrozen = (key: string) => frozenAt(key, periodOf(key));
  toRender = toRender.filter((p) => !frozenAt(p.key, periodOfPlan(p)));
  toDelete = toDelete.filter((k) => !isFrozen(k));

  // ---- Bodies the outputs to render need ---------------------------------------------------------
  // The shards this run rewrites: those of the articles it read.
  const shardsToWrite = new Set(freshArticles.map((article) => shardKeyFor(article.published)));
  const shards = new Map<string, HtmlShard>();
  // Shards this process wrote in its last run are still online as written while the manifest is the one it
  // committed (any other run would have committed after writing them).
  const keptShards = loaded.records ? options.stateCache?.shards : undefined;
  const readShard = async (shardKey: string) => {
    let shard = shards.get(shardKey) ?? keptShards?.get(shardKey);
    if (!shard) {
      shard = decodeShard(await store.read(shardKey));
      // Kept for its rewrite only: a run that renders from every shard (one carrying on after a stopped
      // first build) would otherwise hold every body as a string until it commits.
      if (shardsToWrite.has(shardKey)) shards.set(shardKey, shard);
    }
    return shard;
  };
  const loadHtml = async (articles: Iterable<PublishedArticle>) => {
    const wanted = new Map<string, PublishedArticle>();
    for (const a of articles) {
      const hash = records.get(a.sourceKey)?.b?.h ?? '';
      if (!fresh.has(a.sourceKey) && bodyOf(a.sourceKey, hash) === undefined) wanted.set(a.sourceKey, a);
    }
    if (wanted.size === 0) return;
    const byShard = new Map<string, string[]>();
    for (const key of wanted.keys()) {
      const shardKey = records.get(key)?.b?.k ?? '';
      byShard.set(shardKey, [...(byShard.get(shardKey) ?? []), key]);
    }
    const fallback: string[] = [];
    await mapLimit([...byShard], concurrency, async ([shardKey, keys]) => {
      const shard = shardKey ? await readShard(shardKey) : {};
      for (const key of keys) {
        const entry = shard[key];
        const hash = records.get(key)?.b?.h;
        // As UTF-8: ~half the memory of a string with accents and curly quotes; decoded on each use.
        if (entry && hash !== undefined && entry[0] === hash)
          bodies.set(key, [hash, encoder.encode(entry[1])]);
        else fallback.push(key);
      }
    });
    // Not in the cache (a lost shard write, say): the source is still the truth.
    readCount += fallback.length;
    await mapLimit(fallback.sort(), concurrency, async (key) => {
      const parsed = await parseInProcess({ key, bytes: await source.read(key) }, context);
      const article = wanted.get(key);
      const hash = records.get(key)?.b?.h ?? '';
      if (parsed.result.ok && article)
        bodies.set(key, [hash, articleBody(parsed.result.article, article.url).html]);
      else bodies.set(key, [hash, '']);
    });
  };
  if (!stopped) await loadHtml(toRender.filter((p) => p.withHtml).flatMap((p) => p.articles));

  const renderPlan = async (plan: OutputPlan): Promise<RenderedBody> => {
    // A feed's RSS and Atom take each fresh body as its UTF-8 bytes, never decoded (`renderJobParts`).
    const { job } = plan;
    const render = () => (job?.document.kind === 'feed' ? renderJobParts(job) : plan.render());
    try {
      return render();
    } catch (error) {
      if (!(error instanceof HtmlNotLoadedError)) throw error;
      // A plan that shows bodies without saying so: load them all and render once more.
      await loadHtml(plan.articles);
      return render();
    }
  };
  type Rendered = RenderedOutput;
  // The podcast cover, the icon and an author's robots.txt are judged from their bytes, which only a run
  // that publishes a new version reads: the verdict stays on its record (`w`), so every run reports it
  // while that version stays.
  const { judge } = judgedFiles(config, siteUrl);
  const checkCopy = (key: string, bytes: Uint8Array) => {
    const record = records.get(key);
    // A record with a verdict was judged when its version was first published (same bytes, same verdict).
    if (!record?.media || record.w) return;
    const problem = judge(key, bytes);
    if (!problem) return;
    setRecord(key, { ...record, w: [problem] });
    logger.warn('site warning', { problem: formatProblem(problem) });
    warnings.push(problem);
  };
  const renderChecked = async (plan: OutputPlan): Promise<Rendered> => {
    if (plan.copyOf !== undefined) {
      try {
        const bytes = await source.read(plan.copyOf);
        checkCopy(plan.copyOf, bytes);
        return { bytes, hash: shortHash(bytes) };
      } catch (error) {
        return { error: (error as Error).message };
      }
    }
    const { renderer } = options;
    if (renderer && plan.job) {
      // Another thread renders and checks it; the bodies it shows must be loaded to be sent.
      if (plan.withHtml) await loadHtml(plan.articles);
      try {
        return await renderer(plan.key, plan.job);
      } catch (error) {
        return { error: (error as Error).message };
      }
    }
    try {
      const body = await renderPlan(plan);
      return renderOutput(plan.key, () => body);
    } catch (error) {
      return { error: (error as Error).message };
    }
  };
  const isSame = (key: string, hash: string) => previous.get(key)?.[0] === hash && !dirty.has(key);

  // Few outputs (an upload): render them all now, so the intent names only what really changes.
  const prerendered = new Map<OutputPlan, Rendered>();
  if (!stopped && toRender.length <= PRERENDER_LIMIT) {
    // Not the media files: up to 25 MB each, read as they are written.
    for (const plan of toRender)
      if (plan.copyOf === undefined) prerendered.set(plan, await renderChecked(plan));
  }
  const touches = (plan: OutputPlan) => {
    const done = prerendered.get(plan);
    return !done || ('hash' in done && !isSame(plan.key, done.hash));
  };

  // ---- Shards of article HTML to update -------------------------------------------------------------
  let shardsBefore = new Set<string>();
  if (reusable && loaded.members) shardsBefore = new Set(loaded.members.keys());
  else if (reusable)
    for (const record of Object.values(state.sources)) if (record.b) shardsBefore.add(record.b.k);
  const shardMembers = new Map<string, readonly string[]>(loaded.members);
  if (mode === 'events' && loaded.members && loaded.records) {
    // The last commit's members, moved for the records this run changed (not 10,000 records walked again).
    for (const key of changedSources) {
      const before = loaded.records.get(key)?.b?.k;
      const after = records.get(key)?.b?.k;
      if (before === after) continue;
      const left = before === undefined ? [] : (shardMembers.get(before) ?? []).filter((k) => k !== key);
      if (before !== undefined && left.length > 0) shardMembers.set(before, left);
      else if (before !== undefined) shardMembers.delete(before);
      if (after !== undefined) shardMembers.set(after, [...(shardMembers.get(after) ?? []), key]);
    }
  } else {
    shardMembers.clear();
    for (const [key, record] of records) {
      if (!record.b) continue;
      const members = shardMembers.get(record.b.k);
      if (members) (members as string[]).push(key);
      else shardMembers.set(record.b.k, [key]);
    }
  }
  const shardsToDelete = [...shardsBefore].filter((k) => !shardMembers.has(k)).sort();

  // ---- Intent: say what is about to change before changing it ------------------------------------
  // A run that stopped before rendering touches nothing public.
  const publicTouched = stopped ? [] : [...toRender.filter(touches).map((p) => p.key), ...toDelete];
  for (const key of publicTouched) run.touched.add(key);
  let etag = loaded.etag;
  const stateOptions = { contentType: 'application/json; charset=utf-8', cacheControl: 'no-store' };
  if (publicTouched.length > 0) {
    const dirtyKeys = [...new Set([...state.dirty, ...run.carried, ...publicTouched])].sort();
    // The head just read with a new dirty list (an older manifest becomes a head over no base).
    const intent: StateHead = loaded.head
      ? { ...loaded.head, dirty: dirtyKeys }
      : { format: 3, ...state, base: '', dirty: dirtyKeys };
    etag = await store.writeIfMatch(MANIFEST_KEY, encodeHead(intent), stateOptions, etag);
  }

  // ---- Write: pages, then what links to them, then deletes ---------------------------------------
  // What stays as it is: every output but those rendered now and those deleted (never a frozen one).
  const outputs = new Map(previous);
  const renderedKeys = new Set(toRender.map((p) => p.key));
  for (const key of renderedKeys) outputs.delete(key);
  for (const key of toDelete) outputs.delete(key);
  const written: string[] = [];
  const invalid: { key: string; error: string }[] = [];
  let unchanged = 0;
  // Once out of time, no more rendering: what is left keeps its old bytes online and no fingerprint.
  let deferred = 0;
  // Deferred outputs an unfinished earlier run may have written: the next run must still compare them.
  const stillDirty = new Set<string>();
  const writePlan = async (plan: OutputPlan) => {
    const { key } = plan;
    // A prerendered plan is already done; the others ask until the answer is yes, then stay stopped.
    if (!prerendered.has(plan) && outOfTime()) {
      deferred++;
      const kept = previous.get(key);
      if (kept) outputs.set(key, [kept[0], '']);
      if (dirty.has(key)) stillDirty.add(key);
      return;
    }
    const rendered = prerendered.get(plan) ?? (await renderChecked(plan));
    prerendered.delete(plan);
    if ('error' in rendered) {
      // Keep the last good copy online and say so; the run fails below. No fingerprint: render it next time.
      invalid.push({ key, error: rendered.error });
      const kept = previous.get(key);
      if (kept) outputs.set(key, [kept[0], '']);
      return;
    }
    outputs.set(key, [rendered.hash, fingerprints.get(plan) ?? '']);
    if (isSame(key, rendered.hash)) {
      unchanged++;
      return;
    }
    await store.write(key, rendered.bytes, {
      contentType: contentTypeFor(key),
      cacheControl: cacheControlFor(key),
    });
    written.push(key);
  };
  // The articles, not their HTML: each body is read when its shard is written (10,000 bodies never at once).
  const freshByKey = new Map(freshArticles.map((article) => [article.sourceKey, article]));
  const shardsWritten = new Map<string, HtmlShard>();
  const writeShard = async (shardKey: string) => {
    // A turn of the event loop first: on a store that writes synchronously (a local folder) the shards
    // would otherwise run back to back in microtasks and hold the first article pages back (~1 s with
    // the workers idle at 10,000 articles); this way they fill the gaps between the workers' answers.
    await nextTurn();
    const before = shardsBefore.has(shardKey) ? await readShard(shardKey) : {};
    const next: HtmlShard = {};
    // Sorted: the bytes do not depend on the order the members were added in (a warm run or a cold one).
    for (const key of [...(shardMembers.get(shardKey) ?? [])].sort()) {
      const hash = records.get(key)?.b?.h ?? '';
      const html = freshByKey.get(key)?.html;
      const entry = before[key];
      if (html !== undefined) next[key] = [hash, html];
      else if (entry && entry[0] === hash) next[key] = entry;
    }
    await store.write(shardKey, encodeShard(next), stateOptions);
    // Kept for the next run of a warm process when they are few (an upload's); a full build's go.
    if (options.stateCache && shardsToWrite.size <= SHARDS_KEPT) shardsWritten.set(shardKey, next);
  };

  // Shards are internal: they only have to be written before the commit names them, so they go along
  // with both phases (one round trip less after an upload). A shard is a month of bodies (~1.5 MB as
  // JSON): a few at a time keeps a full build's memory flat.
  const shardWrites = mapLimit([...shardsToWrite].sort(), Math.min(concurrency, 4), writeShard);
  // Awaited below; if a page write fails first, its rejection must not go unhandled meanwhile.
  shardWrites.catch(() => undefined);
  // Images first, so that no page shows one before it is there (and never held with the pages in memory).
  await mapLimit(
    toRender.filter((p) => p.copyOf !== undefined),
    Math.min(concurrency, 4),
    writePlan,
  );
  // Oldest first: bodies link to older articles, so a run stopped for time leaves no such link dangling.
  await mapLimit(
    toRender.filter((p) => p.phase === 'page' && p.copyOf === undefined).reverse(),
    concurrency,
    writePlan,
  );
  await mapLimit(
    toRender.filter((p) => p.phase !== 'page'),
    concurrency,
    writePlan,
  );
  await options.rendered?.();
  await shardWrites;
  if (deferred > 0 || unread.length > 0) {
    // Feeds not yet rewritten may still link to what would be deleted (and an unread source may still
    // have its pages): it goes with the next run.
    for (const key of toDelete) {
      const kept = previous.get(key);
      if (kept) outputs.set(key, kept);
      if (dirty.has(key)) stillDirty.add(key);
    }
    toDelete = [];
    logger.warn('run stopped before its time ran out: the next run does the rest', {
      deferred,
      unread: unread.length,
    });
  }
  await mapLimit([...toDelete, ...shardsToDelete], concurrency, (key) => store.delete(key));
  // Everything is rendered: a body map too large to keep for the next run (see BODIES_KEPT) goes before
  // the commit encodes the state, not after (it was a continuation run's memory peak at 20,000 articles).
  shards.clear();
  if (bodies.size > BODIES_KEPT) bodies.clear();

  // ---- Commit: the manifest names what is online now ----------------------------------------------
  // Its records and outputs become objects only if something reads them whole (a full comparison, a new base).
  const stillDirtyKeys = [...stillDirty].sort();
  // Said in the head, so that a continuation run (see the handler) finds out with one small read.
  const unfinished = unread.length > 0 ? 'unread' : deferred > 0 ? 'deferred' : undefined;
  const next: SiteState = stateOf(
    {
      engine,
      siteUrl,
      config: configState,
      dirty: stillDirtyKeys,
      ...(unfinished ? { unfinished } : {}),
      ...(Object.keys(goneArticles).length > 0 ? { gone: goneArticles } : {}),
    },
    records,
    outputs,
  );
  let { baseKey, base } = loaded;
  // An upload changed a few records and outputs of the state its head made of this base: compare those only.
  const since =
    mode === 'events' && loaded.head
      ? { head: loaded.head, sources: changedSources, outputs: new Set([...renderedKeys, ...toDelete]) }
      : undefined;
  let delta = since
    ? deltaFrom(base, { sources: pick(records, since.sources), outputs: pick(outputs, since.outputs) }, since)
    : deltaFrom(base, next);
  let newBase: string | undefined;
  if (delta.bytes > (options.compactAt ?? COMPACT_BYTES)) {
    const encoded = encodeBase(next);
    if (encoded.key !== baseKey) {
      await store.write(encoded.key, encoded.bytes, stateOptions);
      newBase = encoded.key;
    }
    baseKey = encoded.key;
    base = next;
    delta = { sources: {}, outputs: {}, bytes: 0 };
  }
  const head: StateHead = {
    format: 3,
    engine,
    siteUrl,
    config: configState,
    base: baseKey,
    sources: delta.sources,
    outputs: delta.outputs,
    dirty: stillDirtyKeys,
    ...(unfinished ? { unfinished } : {}),
    ...(Object.keys(goneArticles).length > 0 ? { gone: goneArticles } : {}),
  };
  const headBytes = encodeHead(head);
  if (publicTouched.length > 0 || !loaded.bytes || !sameBytes(headBytes, loaded.bytes)) {
    try {
      etag = await store.writeIfMatch(MANIFEST_KEY, headBytes, stateOptions, etag);
    } catch (error) {
      // Lost the race: the winner's head never names our base.
      if (newBase) await store.delete(newBase).catch(() => undefined);
      throw error;
    }
    // Runs that still hold the old head find its base gone and start again from ours.
    if (newBase && loaded.baseKey) await store.delete(loaded.baseKey).catch(() => undefined);
  }
  if (options.stateCache && etag) {
    options.stateCache.committed = {
      etag,
      bytes: headBytes,
      state: next,
      head,
      baseKey,
      base,
      records,
      outputs,
      members: shardMembers,
    };
    for (const article of toSettle) options.stateCache.settled.add(article);
    options.stateCache.clean =
      invalid.length === 0 && !stopped ? { articles: model.articles, inputs, records } : undefined;
    // The month an upload writes (~1.5 MB), not the whole site a full build writes.
    options.stateCache.shards.clear();
    if (shardsWritten.size <= SHARDS_KEPT)
      for (const [key, shard] of shardsWritten) options.stateCache.shards.set(key, shard);
  }

  const errors = invalid.map(({ key, error }) => `${key}: ${error}`);
  const rendered = toRender.length - deferred;
  // Committed: tell the hub. Best effort: the feeds are online either way, and readers still poll.
  let hub: BuildReport['hub'];
  const feeds = config.feeds.hub ? changedFeedUrls(written, siteUrl) : [];
  if (config.feeds.hub && feeds.length > 0 && options.hubNotifier) {
    hub = { url: config.feeds.hub, feeds };
    try {
      await options.hubNotifier.publish(config.feeds.hub, feeds);
      logger.info('hub notified', { hub: config.feeds.hub, feeds: feeds.length });
    } catch (error) {
      const message = (error as Error).message;
      hub = { ...hub, error: message };
      logger.warn('hub not notified', { hub: config.feeds.hub, error: message });
    }
  }
  // Committed too: pages replaced or deleted leave the CDN's cache now, not when their hour runs out.
  let cdn: BuildReport['cdn'];
  const stale = invalidationPaths([...written.filter((key) => previous.has(key)), ...toDelete]);
  if (options.cdn && stale.length > 0) {
    cdn = { paths: stale };
    try {
      await options.cdn.invalidate(stale);
      logger.info('cdn invalidated', { paths: stale.length });
    } catch (error) {
      const message = (error as Error).message;
      cdn = { ...cdn, error: message };
      logger.warn('cdn not invalidated: the pages refresh within the hour', { error: message });
    }
  }
  const report: BuildReport = {
    ranAt: now.toISOString(),
    siteUrl,
    mode,
    counts: {
      sources: [...records.values()].filter((record) => !record.media && !record.other).length,
      published: model.articles.length,
      images: images.plans.filter((p) => isImageKey(p.key)).length,
      files: images.plans.filter((p) => !isImageKey(p.key)).length,
      skipped: skipped.length,
      heldBack: heldBack.length,
      read: readCount,
      rendered,
      reused: plans.length - toRender.length,
      written: written.length,
      unchanged,
      deleted: toDelete.length,
      requests: (options.requestCount?.() ?? 0) - run.requestsAtStart,
      attempts: run.attempt,
      deferred,
      unread: unread.length,
    },
    written: written.sort(),
    deleted: toDelete,
    skipped: skipped.map((p) => ({ ...p, text: formatProblem(p) })).sort(byFile),
    warnings: warnings.map((p) => ({ ...p, text: formatProblem(p) })).sort(byFile),
    heldBack: heldBack.sort((a, b) => compare(a.file, b.file)),
    errors,
    ...(hub ? { hub } : {}),
    ...(cdn ? { cdn } : {}),
  };
  await store.write(REPORT_KEY, encoder.encode(`${JSON.stringify(report, null, 2)}\n`), {
    contentType: contentTypeFor(REPORT_KEY),
    cacheControl: cacheControlFor(REPORT_KEY),
  });
  logger.info('site published', { ...report.counts, mode, siteUrl });
  if (invalid.length > 0) {
    throw new InvalidOutputError(
      invalid.map((i) => i.key),
      errors.join('; '),
    );
  }
  return report;
}

/**
 * The default `frozenDigestPeriods`: the sender records a period in `frozen.json` when it claims it,
 * before the first mail goes out, so a run during the send already leaves its files alone.
 */
function frozenPeriodsIn(store: SiteStore) {
  return async (periods: readonly string[]): Promise<ReadonlySet<string>> => {
    const frozen = await readFrozenDigestPeriods(store);
    return new Set(periods.filter((p) => frozen.has(p)));
  };
}

function sameMembers(a: readonly unknown[], b: readonly unknown[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** The entries of `map` under `keys` (those it has) as an object. */
function pick<T>(map: ReadonlyMap<string, T>, keys: Iterable<string>): Record<string, T> {
  const picked: Record<string, T> = {};
  for (const key of keys) {
    const value = map.get(key);
    if (value !== undefined) picked[key] = value;
  }
  return picked;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.byteLength === b.byteLength && Buffer.compare(a, b) === 0;
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const byFile = (a: Problem, b: Problem) =>
  a.file < b.file ? -1 : a.file > b.file ? 1 : (a.line ?? 0) - (b.line ?? 0);

export { ConfigError };
