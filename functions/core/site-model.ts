import { fileTypeOf } from './content-types.ts';
import { newest } from './feed-spec.ts';
import { mediaKeyOf } from './media.ts';
import { markExtension } from './memo.ts';
import type { ParsedArticle } from './parse-article.ts';
import type { Problem } from './problems.ts';
import { leadText, sanitizeBody } from './sanitize-body.ts';
import type { SiteConfig } from './site-config.ts';
import { tagSlug, truncateWords } from './text.ts';

export interface Tag {
  readonly name: string;
  readonly slug: string;
}

/** An article ready to render: it has its page, its URL and safe HTML. */
export interface PublishedArticle extends Omit<ParsedArticle, 'tags' | 'image'> {
  /** `posts/<slug>/index.html` */
  readonly pageKey: string;
  /** Absolute URL of the page: SITE_URL + `posts/<slug>/`. */
  readonly url: string;
  /** Sanitised HTML, every link and image absolute. */
  readonly html: string;
  /** Plain-text summary: the author's, else the lead paragraph shortened. */
  readonly summaryText: string;
  readonly imageUrl?: string;
  /** The image's size in bytes when it is a content file published beside the page (RSS/Atom `length`). */
  readonly imageLength?: number;
  /** The image's size in pixels when it is a content file whose header gives one (the digest's layout). */
  readonly imageWidth?: number;
  readonly imageHeight?: number;
  /** The front matter's enclosure, absolute, typed by its extension; its size when it is a content file. */
  readonly enclosureUrl?: string;
  readonly enclosureType?: string;
  readonly enclosureLength?: number;
  readonly tags: readonly Tag[];
}

/** A published article's HTML as UTF-8, where it has it (see `BodyProvider`). */
export const HTML_BYTES = Symbol('html as UTF-8');

/**
 * Where an article's HTML travels as UTF-8 to another thread, and stays beside the decoded text there
 * (`render-job.ts`): a string key, since structured clone drops symbols.
 */
export const SENT_HTML_BYTES = 'htmlUtf8';

/** The article's HTML as UTF-8 if it holds it so (a fresh worker-parsed body), without decoding it. */
export const htmlBytesOf = (article: PublishedArticle): Uint8Array | undefined => {
  const fields = article as unknown as Record<string | symbol, Uint8Array | undefined>;
  return fields[HTML_BYTES] ?? fields[SENT_HTML_BYTES];
};

export interface SiteModel {
  readonly config: SiteConfig;
  /** Absolute, ends with `/`. */
  readonly siteUrl: string;
  /** Newest first. */
  readonly articles: readonly PublishedArticle[];
  /** Every tag in use, sorted by slug. */
  readonly tags: readonly Tag[];
  /** The newest `updated` of any article: the feeds' own date, never the clock. */
  readonly updated: Date;
}

export interface HeldBack {
  readonly file: string;
  readonly reason: 'draft' | 'scheduled';
  readonly publishAt?: string;
}

/** An article's sanitised body and summary once its page URL is known. */
export interface ArticleBody {
  readonly html: string;
  readonly summaryText: string;
}

/** The body as the model publishes it at `url`: the publisher computes it ahead (workers) or caches it. */
export function articleBody(article: ParsedArticle, url: string): ArticleBody {
  const html = sanitizeBody(article.bodyHtml, url);
  return { html, summaryText: article.summary ?? truncateWords(leadText(html), 300) };
}

/**
 * Supplies a body computed before (by a worker, or in an earlier run) for an article at `url`; `undefined`
 * makes the model sanitise it now. `html` is called only when an output needs the article's HTML.
 */
export type BodyProvider = (
  article: ParsedArticle,
  url: string,
) =>
  | {
      readonly html: () => string;
      /** The same HTML as UTF-8, where the parser gave it so: a render worker is sent these bytes. */
      readonly bytes?: Uint8Array;
      readonly summaryText: string;
      /** Same version, same body: lets `buildSiteModel` reuse the article it published last time. */
      readonly version?: string;
    }
  | undefined;

/**
 * Published articles from earlier runs of the same process, by the parsed article they came from, with
 * what they were published as: `version` is whatever the caller's `versionOf` gave for the article then
 * (compared by identity; the publisher gives the manifest record's body entry, which carries the URL,
 * the body's hash and the summary). `undefined` never matches.
 */
export interface PublishedMemo {
  readonly published: WeakMap<ParsedArticle, RememberedArticle>;
  readonly versionOf: (article: ParsedArticle) => unknown;
  /** The last model built with this memo, to extend when only newer articles were added (see below). */
  readonly last?: { current?: LastModel };
  /**
   * The caller's word that the articles given are exactly `last`'s, as the same objects at the same
   * versions, plus these: only these are checked (not 10,000), and `parsed` is not even asked for unless
   * they cannot extend `last` (one is not newer, say).
   */
  readonly added?: readonly ParsedArticle[];
}

/** What `buildSiteModel` needs of its last result to add newer articles to it without starting over. */
export interface LastModel {
  readonly inputs: string;
  /** Every article it was given, published or held back (grown in place by the build that extends it). */
  readonly given: Set<ParsedArticle>;
  /** The published ones oldest first, and what each became (newest first, as the model lists them). */
  readonly live: readonly ParsedArticle[];
  readonly articles: readonly PublishedArticle[];
  readonly heldBackArticles: readonly ParsedArticle[];
  readonly newestTime: number;
  readonly taken: Set<string>;
  readonly seenIds: Map<string, string>;
  readonly tagsBySlug: Map<string, Tag>;
  readonly warnings: readonly Problem[];
  readonly updated: Date;
}

export interface RememberedArticle {
  readonly siteUrl: string;
  readonly slug: string;
  readonly id: string;
  readonly version: unknown;
  readonly article: PublishedArticle;
}

/**
 * Everything besides its articles that every output of a model depends on (site URL and configuration),
 * as one string: the key under which planners remember what they built in an earlier run.
 */
export function siteInputs(model: SiteModel): string {
  let inputs = inputsOf.get(model);
  if (inputs === undefined) {
    inputs = `${model.siteUrl}\n${JSON.stringify(model.config)}\n`;
    inputsOf.set(model, inputs);
  }
  return inputs;
}
const inputsOf = new WeakMap<SiteModel, string>();

/**
 * The model as pages render it: configuration and site URL, no articles. A plan kept from run to run (see
 * `siteInputs`) renders from this rather than from its run's whole model, which it would keep alive.
 */
export function siteOnly(model: SiteModel): SiteModel {
  const inputs = siteInputs(model);
  let site = siteOnlyMemo.get(inputs);
  if (!site) {
    site = { config: model.config, siteUrl: model.siteUrl, articles: [], tags: [], updated: new Date(0) };
    siteOnlyMemo.clear();
    siteOnlyMemo.set(inputs, site);
  }
  return site;
}
const siteOnlyMemo = new Map<string, SiteModel>();

/** True when both lists hold the same objects in the same order. */
export function sameMembers(a: readonly unknown[], b: readonly unknown[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export const postPageKey = (slug: string) => `posts/${slug}/index.html`;

/** Turns a site URL and a key into the public URL; `…/index.html` is linked as `…/`. */
export function urlForKey(siteUrl: string, key: string): string {
  return siteUrl + (key.endsWith('index.html') ? key.replace(/(^|\/)index\.html$/, '$1') : key);
}

export function normaliseSiteUrl(url: string): string {
  const parsed = new URL(url);
  if (!/^https?:$/.test(parsed.protocol)) throw new Error(`site URL must be http(s): ${url}`);
  parsed.search = '';
  parsed.hash = '';
  return parsed.href.endsWith('/') ? parsed.href : `${parsed.href}/`;
}

/**
 * Builds the site model: drops drafts and articles dated after `now`, gives every article a unique URL
 * (the earlier of two articles keeps the plain slug), sanitises bodies and sorts newest first.
 */
export function buildSiteModel(
  parsedOrLater: readonly ParsedArticle[] | (() => readonly ParsedArticle[]),
  config: SiteConfig,
  siteUrl: string,
  now: Date,
  bodyFor?: BodyProvider,
  memo?: PublishedMemo,
  /** The size of a media file in the content (`media.ts`), for `imageLength`. */
  mediaSize?: (key: string) => number | undefined,
  /** The pixel size of an image in the content (`imagePixels`), for `imageWidth` and `imageHeight`. */
  mediaPixels?: (key: string) => readonly [number, number] | undefined,
): {
  model: SiteModel;
  heldBack: HeldBack[];
  warnings: Problem[];
  /** Published articles carried over from `memo.last` without being placed again. */
  carried: number;
} {
  const inputs = `${siteUrl}\n${JSON.stringify(config)}`;
  let list = typeof parsedOrLater === 'function' ? undefined : parsedOrLater;
  const parsed = () => {
    list ??= (parsedOrLater as () => readonly ParsedArticle[])();
    return list;
  };
  const last = memo?.last?.current;
  const extended =
    last &&
    ((memo.added && extendWith(last, memo.added, inputs, now)) || extend(last, parsed(), inputs, now, memo));
  // The last model's sets grow in place (10,000 entries not copied per upload): it is forgotten until this
  // build completes, so a build that throws midway leaves no half-grown last model to extend.
  if (memo?.last) memo.last.current = undefined;
  const placer = new Placer(siteUrl, bodyFor, memo, mediaSize, mediaPixels, extended?.last);
  let heldBack: HeldBack[];
  let heldBackArticles: ParsedArticle[];
  let live: ParsedArticle[];
  let articles: PublishedArticle[];
  if (extended) {
    // Only newer articles were added: everything older keeps its URL, id and object; place the new ones.
    ({ heldBack, heldBackArticles } = holdBack(extended.last.heldBackArticles, now));
    live = [...extended.last.live, ...extended.added];
    const added = extended.added.map((article) => placer.place(article));
    articles = [...added.reverse(), ...extended.last.articles];
    markExtension(articles, extended.last.articles);
  } else {
    ({ heldBack, heldBackArticles, live } = holdBack(parsed(), now));
    live.sort((a, b) => a.published.getTime() - b.published.getTime() || compare(a.sourceKey, b.sourceKey));
    articles = live.map((article) => placer.place(article));
    articles.reverse();
  }
  const tags = [...placer.tagsBySlug.values()].sort((a, b) => compare(a.slug, b.slug));
  const updated = extended
    ? new Date(
        Math.max(extended.last.updated.getTime(), newest(articles.slice(0, extended.added.length)).getTime()),
      )
    : newest(articles);
  let given: Set<ParsedArticle>;
  if (extended) {
    given = extended.last.given;
    for (const article of extended.added) given.add(article);
  } else given = new Set(parsed());
  if (memo?.last) {
    memo.last.current = {
      inputs,
      given,
      live,
      articles,
      heldBackArticles,
      newestTime: live.length > 0 ? (live[live.length - 1] as ParsedArticle).published.getTime() : 0,
      taken: placer.taken,
      seenIds: placer.seenIds,
      tagsBySlug: placer.tagsBySlug,
      warnings: placer.warnings,
      updated,
    };
  }
  return {
    model: { config, siteUrl, articles, tags, updated },
    heldBack,
    warnings: [...placer.warnings],
    carried: extended ? extended.last.articles.length : 0,
  };
}

function holdBack(parsed: readonly ParsedArticle[], now: Date) {
  const heldBack: HeldBack[] = [];
  const heldBackArticles: ParsedArticle[] = [];
  const live: ParsedArticle[] = [];
  for (const article of parsed) {
    if (article.draft) heldBack.push({ file: article.sourceKey, reason: 'draft' });
    else if (article.published.getTime() > now.getTime()) {
      heldBack.push({
        file: article.sourceKey,
        reason: 'scheduled',
        publishAt: article.published.toISOString(),
      });
    } else {
      live.push(article);
      continue;
    }
    heldBackArticles.push(article);
  }
  return { heldBack, heldBackArticles, live };
}

/**
 * The articles added since `last`, when that is all that changed: every article `last` was given is given
 * again (the same objects, published as before), those it held back still are, and each new one is
 * published and newer than every published one, so no older article's URL or id can move. Otherwise
 * `undefined`: the model is built from scratch.
 */
function extend(
  last: LastModel,
  parsed: readonly ParsedArticle[],
  inputs: string,
  now: Date,
  memo: PublishedMemo,
): { last: LastModel; added: ParsedArticle[] } | undefined {
  if (last.inputs !== inputs) return undefined;
  const added: ParsedArticle[] = [];
  let kept = 0;
  for (const article of parsed) {
    if (last.given.has(article)) kept++;
    else added.push(article);
  }
  if (kept !== last.given.size || parsed.length !== kept + added.length) return undefined;
  const extended = extendWith(last, added, inputs, now);
  if (!extended) return undefined;
  // Each published article must still be what the memo gives back for its current version.
  for (let i = 0; i < last.live.length; i++) {
    const article = last.live[i] as ParsedArticle;
    const remembered = memo.published.get(article);
    const version = memo.versionOf(article);
    if (version === undefined || remembered?.version !== version) return undefined;
    if (remembered.article !== last.articles[last.articles.length - 1 - i]) return undefined;
  }
  return extended;
}

/** `extend` for articles the caller says are the only ones added: the checks on those and on held-back ones. */
function extendWith(
  last: LastModel,
  newer: readonly ParsedArticle[],
  inputs: string,
  now: Date,
): { last: LastModel; added: ParsedArticle[] } | undefined {
  if (last.inputs !== inputs) return undefined;
  for (const article of last.heldBackArticles) {
    if (!article.draft && article.published.getTime() <= now.getTime()) return undefined;
  }
  for (const article of newer) {
    if (article.draft || article.published.getTime() > now.getTime()) return undefined;
    if (article.published.getTime() <= last.newestTime || last.given.has(article)) return undefined;
  }
  const added = [...newer].sort(
    (a, b) => a.published.getTime() - b.published.getTime() || compare(a.sourceKey, b.sourceKey),
  );
  return { last, added };
}

/** The content key of each published article's image and enclosure (`''`: none), worked out once per article. */
const imageKeys = new WeakMap<PublishedArticle, string>();
const enclosureKeys = new WeakMap<PublishedArticle, string>();

/**
 * Gives each article, oldest first, its URL (the earlier of two keeps the plain slug), id and body; when
 * extending, it goes on from the last model's sets of slugs, ids and tags, which it grows.
 */
class Placer {
  readonly taken: Set<string>;
  readonly seenIds: Map<string, string>;
  readonly tagsBySlug: Map<string, Tag>;
  readonly warnings: Problem[];

  constructor(
    private readonly siteUrl: string,
    private readonly bodyFor: BodyProvider | undefined,
    private readonly memo: PublishedMemo | undefined,
    private readonly mediaSize: ((key: string) => number | undefined) | undefined,
    private readonly mediaPixels: ((key: string) => readonly [number, number] | undefined) | undefined,
    from?: LastModel,
  ) {
    this.taken = from?.taken ?? new Set();
    this.seenIds = from?.seenIds ?? new Map();
    this.tagsBySlug = from?.tagsBySlug ?? new Map();
    this.warnings = [...(from?.warnings ?? [])];
  }

  /** The content key of the article's image or enclosure (`''`: none), worked out once per article. */
  private keyOf(article: PublishedArticle, which: 'imageUrl' | 'enclosureUrl'): string {
    const url = article[which];
    if (url === undefined) return '';
    const keys = which === 'imageUrl' ? imageKeys : enclosureKeys;
    let key = keys.get(article);
    if (key === undefined) {
      key = mediaKeyOf(article.sourceKey, url, article.url) ?? '';
      keys.set(article, key);
    }
    return key;
  }

  /** The size of the article's image or enclosure when it is a content file (`mediaSize`), else undefined. */
  private lengthOf(article: PublishedArticle, which: 'imageUrl' | 'enclosureUrl'): number | undefined {
    if (!this.mediaSize) return undefined;
    const key = this.keyOf(article, which);
    return key === '' ? undefined : this.mediaSize(key);
  }

  /** The pixel size of the article's image when it is a content file that gives one, else undefined. */
  private pixelsOf(article: PublishedArticle): readonly [number, number] | undefined {
    if (!this.mediaPixels) return undefined;
    const key = this.keyOf(article, 'imageUrl');
    return key === '' ? undefined : this.mediaPixels(key);
  }

  place(article: ParsedArticle): PublishedArticle {
    let slug = article.slug;
    for (let n = 2; this.taken.has(slug); n++) slug = `${article.slug}-${n}`;
    if (slug !== article.slug) {
      this.warnings.push({
        file: article.sourceKey,
        message: `another article already uses the URL posts/${article.slug}/; this one is published at posts/${slug}/`,
        fix: 'give one of them a different slug in its front matter',
      });
    }
    this.taken.add(slug);
    let id = article.id;
    const owner = this.seenIds.get(id);
    if (owner) {
      this.warnings.push({
        file: article.sourceKey,
        message: `its id is already ${owner}'s, so this article got one of its own`,
        fix: 'give each article its own id in the front matter',
      });
      id = `${id}-${slug}`;
    }
    this.seenIds.set(id, article.sourceKey);
    const published = this.publish(article, slug, id);
    // Oldest first: the newest article's spelling of a tag is set last and wins ("Paris" over "paris").
    for (const tag of published.tags) this.tagsBySlug.set(tag.slug, tag);
    return published;
  }

  private publish(article: ParsedArticle, slug: string, id: string): PublishedArticle {
    const { siteUrl, bodyFor, memo } = this;
    // An unchanged article at an unchanged URL publishes as last run: 10,000 objects not rebuilt, and the
    // same objects let the publisher reuse each output's fingerprint.
    const remembered = memo?.published.get(article);
    const version = memo?.versionOf(article);
    if (
      version !== undefined &&
      remembered?.version === version &&
      remembered.slug === slug &&
      remembered.id === id &&
      remembered.siteUrl === siteUrl &&
      remembered.article.imageLength === this.lengthOf(remembered.article, 'imageUrl') &&
      remembered.article.enclosureLength === this.lengthOf(remembered.article, 'enclosureUrl') &&
      remembered.article.imageWidth === this.pixelsOf(remembered.article)?.[0] &&
      remembered.article.imageHeight === this.pixelsOf(remembered.article)?.[1]
    ) {
      return remembered.article;
    }
    const pageKey = postPageKey(slug);
    const url = urlForKey(siteUrl, pageKey);
    const imageUrl = article.image ? absoluteUrl(article.image, url) : undefined;
    const enclosureUrl = article.enclosure ? absoluteUrl(article.enclosure, url) : undefined;
    const enclosureType = enclosureUrl && fileTypeOf(new URL(enclosureUrl).pathname)?.replace(/;.*/, '');
    const cached = bodyFor?.(article, url);
    const body = cached ? { html: '', summaryText: cached.summaryText } : articleBody(article, url);
    const published: PublishedArticle = {
      ...article,
      id,
      slug,
      pageKey,
      url,
      html: body.html,
      summaryText: body.summaryText,
      imageUrl,
      ...(enclosureUrl && enclosureType ? { enclosureUrl, enclosureType } : {}),
      tags: article.tags.map((name) => ({ name, slug: tagSlug(name) })),
    };
    const imageLength = this.lengthOf(published, 'imageUrl');
    if (imageLength !== undefined) Object.assign(published, { imageLength });
    const pixels = this.pixelsOf(published);
    if (pixels) Object.assign(published, { imageWidth: pixels[0], imageHeight: pixels[1] });
    const enclosureLength = this.lengthOf(published, 'enclosureUrl');
    if (enclosureLength !== undefined) Object.assign(published, { enclosureLength });
    // A cached body is loaded only if an output that shows it is rendered (the publisher's incremental runs).
    if (cached) Object.defineProperty(published, 'html', { get: cached.html, enumerable: true });
    // Not enumerable, and a symbol: no spread, clone or JSON of the article carries it.
    if (cached?.bytes) Object.defineProperty(published, HTML_BYTES, { value: cached.bytes });
    if (memo && version !== undefined && cached?.version !== undefined) {
      memo.published.set(article, { siteUrl, slug, id, version, article: published });
    }
    return published;
  }
}

function absoluteUrl(value: string, base: string): string | undefined {
  try {
    const url = new URL(value, base);
    return /^https?:$/.test(url.protocol) ? url.href : undefined;
  } catch {
    return undefined;
  }
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Addresses that went from one article to another in this build: a new article older than one that had
 * the same slug takes the plain address (the older keeps it, as a build from scratch gives), and the
 * other moves to `-2`. Links to the address now open the new article, so the one that took it is told
 * (on the run that moved it). `before` is each article's page key in the last build; an article pushed
 * along by that move (`-2` → `-3`) took nothing of its own accord and is not named.
 */
export function takenAddresses(
  articles: readonly PublishedArticle[],
  before: (sourceKey: string) => string | undefined,
  /** True for an article new or changed since the last build: one moved along by another's move is not. */
  isNew: (sourceKey: string) => boolean,
): Problem[] {
  const problems: Problem[] = [];
  let holders: Map<string, PublishedArticle> | undefined;
  for (const article of articles) {
    const was = before(article.sourceKey);
    if (was === undefined || was === article.pageKey) continue;
    holders ??= new Map(articles.map((a) => [a.pageKey, a]));
    const holder = holders.get(was);
    if (!holder || holder === article || !isNew(holder.sourceKey)) continue;
    const path = (key: string) => key.replace(/index\.html$/, '');
    problems.push({
      file: holder.sourceKey,
      message: `took the address ${path(was)} from ${article.sourceKey}, which moved to ${path(article.pageKey)}: links to that article now open this one`,
      fix: `give ${holder.sourceKey} a slug of its own in its front matter (slug: …), and ${article.sourceKey} gets its address back`,
    });
  }
  return problems;
}

/** What the last build published of an article that is no longer in the content. */
export interface GoneArticle {
  readonly sourceKey: string;
  readonly title: string;
  readonly published: Date;
  readonly id: string;
  /** Its page key then. */
  readonly pageKey: string;
}

/**
 * Articles that are one that left the content under another name (same title, same date): a file
 * renamed, or moved to another folder. Its address and id come from its name, so both changed: readers
 * who follow the old link find nothing and feed readers show it again as new. The author is told what
 * to add to keep both (`aliases`, `id`), on the run that saw the old one go: with the new one (`isNew`),
 * or after both were published (a deploy uploads the new name and leaves the old, see below).
 */
export function renamedArticles(
  articles: readonly PublishedArticle[],
  gone: readonly GoneArticle[],
  isNew: (sourceKey: string) => boolean,
): { problems: Problem[]; matched: Set<string> } {
  const problems: Problem[] = [];
  const matched = new Set<string>();
  if (gone.length === 0) return { problems, matched };
  // By time first: no string made for each of 10,000 articles while an article that left is remembered.
  const byTime = new Map<number, GoneArticle[]>();
  for (const g of gone) byTime.set(g.published.getTime(), [...(byTime.get(g.published.getTime()) ?? []), g]);
  for (const article of articles) {
    const was = byTime.get(article.published.getTime())?.find((g) => g.title === article.title);
    if (!was) continue;
    matched.add(was.sourceKey);
    const path = (key: string) => `/${key.replace(/index\.html$/, '')}`;
    const moved = was.pageKey !== article.pageKey && !article.aliases?.includes(was.pageKey);
    const renewed = was.id !== article.id;
    if (!moved && !renewed) continue;
    const keep = [
      ...(moved ? [`aliases: [${path(was.pageKey)}]`] : []),
      ...(renewed ? [`id: ${was.id}`] : []),
    ];
    problems.push({
      file: article.sourceKey,
      message: `looks like ${was.sourceKey} under a new name: ${[
        ...(moved ? [`its address moved from ${path(was.pageKey)} to ${path(article.pageKey)}`] : []),
        ...(renewed
          ? [
              isNew(article.sourceKey)
                ? 'feed readers will show it again as a new article'
                : 'feed readers have it as another article',
            ]
          : []),
      ].join(', and ')}`,
      fix: `add to its front matter ${keep.join(' and ')}`,
    });
  }
  return { problems, matched };
}

/**
 * Two files that publish one article: the same title and date. A file renamed in the repository and
 * deployed leaves its old name in the content bucket (a deploy uploads, it never deletes), and readers
 * get the article twice. Said on every run while both are there, on the file whose name sorts later.
 */
export function duplicateArticles(articles: readonly PublishedArticle[]): Problem[] {
  // By time first (a number: no string made for each of 10,000 articles on every run), then by title.
  const byTime = new Map<number, PublishedArticle[]>();
  const problems: Problem[] = [];
  const path = (article: PublishedArticle) => `/${article.pageKey.replace(/index\.html$/, '')}`;
  for (const found of articles) {
    const time = found.published.getTime();
    const same = byTime.get(time);
    const seen = same?.find((a) => a.title === found.title);
    if (!seen) {
      if (same) same.push(found);
      else byTime.set(time, [found]);
      continue;
    }
    const [other, article] = compare(seen.sourceKey, found.sourceKey) < 0 ? [seen, found] : [found, seen];
    problems.push({
      file: article.sourceKey,
      message: `has the title and date of ${other.sourceKey}, so readers get the article twice: at ${path(other)} and at ${path(article)}`,
      fix: 'if one file is the other renamed, delete the old one from the content (a deploy never deletes a file), and the next run says how to keep its address; if they are two articles, give one another title',
    });
  }
  return problems;
}
