import { newest } from './feed-spec.ts';
import type { ParsedArticle } from './parse-article.ts';
import type { Problem } from './problems.ts';
import { leadText, sanitizeBody } from './sanitize-body.ts';
import type { SiteConfig } from './site-config.ts';
import { slugify, truncateWords } from './text.ts';

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
  readonly tags: readonly Tag[];
}

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
  parsed: readonly ParsedArticle[],
  config: SiteConfig,
  siteUrl: string,
  now: Date,
  bodyFor?: BodyProvider,
  memo?: PublishedMemo,
): { model: SiteModel; heldBack: HeldBack[]; warnings: Problem[] } {
  const heldBack: HeldBack[] = [];
  const warnings: Problem[] = [];
  const live: ParsedArticle[] = [];
  for (const article of parsed) {
    if (article.draft) heldBack.push({ file: article.sourceKey, reason: 'draft' });
    else if (article.published.getTime() > now.getTime()) {
      heldBack.push({
        file: article.sourceKey,
        reason: 'scheduled',
        publishAt: article.published.toISOString(),
      });
    } else live.push(article);
  }

  const byAge = [...live].sort(
    (a, b) => a.published.getTime() - b.published.getTime() || compare(a.sourceKey, b.sourceKey),
  );
  const taken = new Set<string>();
  const seenIds = new Map<string, string>();
  const articles: PublishedArticle[] = [];
  for (const article of byAge) {
    let slug = article.slug;
    for (let n = 2; taken.has(slug); n++) slug = `${article.slug}-${n}`;
    if (slug !== article.slug) {
      warnings.push({
        file: article.sourceKey,
        message: `another article already uses the URL posts/${article.slug}/; this one is published at posts/${slug}/`,
        fix: 'give one of them a different slug in its front matter',
      });
    }
    taken.add(slug);
    let id = article.id;
    const owner = seenIds.get(id);
    if (owner) {
      warnings.push({
        file: article.sourceKey,
        message: `id "${id}" is already used by ${owner}; this article got its own id`,
        fix: 'give each article its own id in the front matter',
      });
      id = `${id}-${slug}`;
    }
    seenIds.set(id, article.sourceKey);
    // An unchanged article at an unchanged URL publishes as last run: 10,000 objects not rebuilt, and the
    // same objects let the publisher reuse each output's fingerprint.
    const remembered = memo?.published.get(article);
    const version = memo?.versionOf(article);
    if (
      version !== undefined &&
      remembered?.version === version &&
      remembered.slug === slug &&
      remembered.id === id &&
      remembered.siteUrl === siteUrl
    ) {
      articles.push(remembered.article);
      continue;
    }
    const pageKey = postPageKey(slug);
    const url = urlForKey(siteUrl, pageKey);
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
      imageUrl: article.image ? absoluteUrl(article.image, url) : undefined,
      tags: article.tags.map((name) => ({ name, slug: slugify(name) })),
    };
    // A cached body is loaded only if an output that shows it is rendered (the publisher's incremental runs).
    if (cached) Object.defineProperty(published, 'html', { get: cached.html, enumerable: true });
    if (memo && version !== undefined && cached?.version !== undefined) {
      memo.published.set(article, { siteUrl, slug, id, version, article: published });
    }
    articles.push(published);
  }
  const tagsBySlug = new Map<string, Tag>();
  // Oldest first here: the newest article's spelling of a tag is set last and wins ("Paris" over "paris").
  for (const article of articles) for (const tag of article.tags) tagsBySlug.set(tag.slug, tag);
  articles.reverse();
  const tags = [...tagsBySlug.values()].sort((a, b) => compare(a.slug, b.slug));
  const updated = newest(articles);

  return { model: { config, siteUrl, articles, tags, updated }, heldBack, warnings };
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
