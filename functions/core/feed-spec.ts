import { imageTypeOf, mediaTypeOf } from './content-types.ts';
import { fillLabel, labelsOf } from './labels.ts';
import { markExtension, olderPartOf } from './memo.ts';
import { paginate } from './paginate.ts';
import type { Problem } from './problems.ts';
import { SITE_CONFIG_FILE } from './site-config.ts';
import { podcastCover, siteIcon } from './site-icon.ts';
import { type PublishedArticle, type SiteModel, sameMembers, siteInputs, type Tag } from './site-model.ts';

/** A person as every format can write it (site.yaml and front matter give a name, maybe email and URL). */
export interface FeedPerson {
  readonly name: string;
  readonly email?: string;
  readonly url?: string;
}

/** The same feed in each format: absolute URLs. */
export interface FeedLinks {
  readonly rss: string;
  readonly atom: string;
  readonly json: string;
}

/** Everything a feed renderer needs; the main feed, each tag feed and each archive page is one of these. */
export interface FeedSpec {
  readonly title: string;
  readonly description: string;
  readonly language: string;
  /** The page this feed is the feed of; also the Atom feed id (the same for every archive page). */
  readonly homeUrl: string;
  /** Absolute URLs of this document in each format (`rel="self"`). */
  readonly links: FeedLinks;
  readonly author: FeedPerson;
  /** Newest `updated` among the items: never the clock. */
  readonly updated: Date;
  /** Newest first, already cut to the feed's item limit. */
  readonly items: readonly PublishedArticle[];
  /** `feed.css`, linked with `<?xml-stylesheet?>` so that a browser shows a readable page. */
  readonly stylesheetUrl: string;
  /** RFC 5005: the next older archive page (JSON Feed: `next_url`). */
  readonly prevArchive?: FeedLinks;
  /** RFC 5005: set on archive pages only; the subscription feed they belong to (`rel="current"`). */
  readonly current?: FeedLinks;
  /** The site's icon (`site-icon.ts`), which readers show beside the feed's name. */
  readonly icon?: string;
  /** The WebSub hub readers may subscribe to (`feeds.hub`): subscription feeds only, archives never change. */
  readonly hub?: string;
  /** The show, when site.yaml's `podcast` makes the article feeds a podcast (RSS `itunes:` tags). */
  readonly podcast?: PodcastChannel;
}

/** What podcast directories read from an RSS channel (Apple Podcasts' tags). */
export interface PodcastChannel {
  readonly imageUrl: string;
  readonly category: string;
  readonly subcategory?: string;
  readonly explicit: boolean;
  readonly type: 'episodic' | 'serial';
  readonly author: string;
  readonly owner?: FeedPerson;
}

/** A feed document and the folder its three files go in (`''`, `tags/paris/`, `archive/3/`). */
export interface PlannedFeed {
  readonly dir: string;
  readonly spec: FeedSpec;
}

export const FEED_FILES = { rss: 'rss.xml', atom: 'atom.xml', json: 'feed.json' } as const;
export const FEED_STYLESHEET_KEY = 'feed.css';
export const OPML_KEY = 'feeds.opml';

export const feedLinks = (siteUrl: string, dir: string): FeedLinks => ({
  rss: siteUrl + dir + FEED_FILES.rss,
  atom: siteUrl + dir + FEED_FILES.atom,
  json: siteUrl + dir + FEED_FILES.json,
});

export const tagDir = (tag: Tag) => `tags/${tag.slug}/`;
export const tagPageKey = (tag: Tag) => `${tagDir(tag)}index.html`;
export const archiveDir = (feedDir: string, page: number) => `${feedDir}archive/${page}/`;

/** What differs between the main feed and a tag feed; paging is the same for both. */
interface FeedBase {
  readonly dir: string;
  readonly title: string;
  readonly description: string;
  readonly homeUrl: string;
  /** Every article of the feed, newest first. */
  readonly articles: readonly PublishedArticle[];
}

/** The site-wide subscription feed: the newest `feeds.limit` articles. */
export function mainFeedSpec(model: SiteModel): FeedSpec {
  return pageFeed(model, mainBase(model)).subscription.spec;
}

/** Every feed document: the main feed and each tag feed, each with its archive pages. */
export function planFeeds(model: SiteModel): PlannedFeed[] {
  return [mainBase(model), ...model.tags.map((tag) => tagBase(model, tag))].flatMap((base) => {
    const { subscription, archives } = pageFeed(model, base);
    return [...archives, subscription];
  });
}

/** The articles of a tag, newest first. */
export function articlesTagged(model: SiteModel, tag: Tag): readonly PublishedArticle[] {
  let bySlug = taggedIndex.get(model.articles);
  if (!bySlug) {
    bySlug = tagIndex(model.articles);
    taggedIndex.set(model.articles, bySlug);
  }
  return bySlug.get(tag.slug) ?? [];
}

const taggedIndex = new WeakMap<readonly PublishedArticle[], Map<string, readonly PublishedArticle[]>>();

/**
 * Every tag's articles in one pass (feeds, tag pages and OPML all ask, and a model has 10,000 articles);
 * for a list that extends an indexed one, only its newer articles are added, in front of the older lists.
 */
function tagIndex(articles: readonly PublishedArticle[]): Map<string, readonly PublishedArticle[]> {
  const older = olderPartOf(articles);
  const olderIndex = older && taggedIndex.get(older);
  const newer = olderIndex ? articles.length - older.length : articles.length;
  const fronts = new Map<string, PublishedArticle[]>();
  for (let i = 0; i < newer; i++) {
    const article = articles[i] as PublishedArticle;
    for (const t of article.tags) {
      const list = fronts.get(t.slug);
      if (!list) fronts.set(t.slug, [article]);
      else if (list[list.length - 1] !== article) list.push(article);
    }
  }
  if (!olderIndex) return fronts;
  const index = new Map(olderIndex);
  for (const [slug, front] of fronts) {
    const before = olderIndex.get(slug) ?? [];
    const list = [...front, ...before];
    markExtension(list, before);
    index.set(slug, list);
  }
  return index;
}

function mainBase(model: SiteModel): FeedBase {
  const { config, siteUrl } = model;
  return {
    dir: '',
    title: config.title,
    description: config.description || config.title,
    homeUrl: siteUrl,
    articles: model.articles,
  };
}

/** A tag's feed title, as the feed, its page, the home page and `feeds.opml` name it. */
export const tagFeedTitle = (model: SiteModel, tag: Tag): string => `${model.config.title}: ${tag.name}`;

/** "Articles tagged “Paris” on Dispatch": the tag's feeds and page describe themselves so. */
export const tagDescription = (model: SiteModel, tag: Tag): string =>
  fillLabel(labelsOf(model.config).tagDescription, { tag: tag.name, site: model.config.title });

function tagBase(model: SiteModel, tag: Tag): FeedBase {
  const { siteUrl } = model;
  return {
    dir: tagDir(tag),
    title: tagFeedTitle(model, tag),
    description: tagDescription(model, tag),
    homeUrl: siteUrl + tagDir(tag),
    articles: articlesTagged(model, tag),
  };
}

/**
 * RFC 5005 archived feed, written once: archive page k is block k of `paginate` (the k-th `limit` articles
 * counted from the OLDEST, published once more than k × limit articles exist), so it is always complete and
 * a new article never changes it. The subscription feed holds the newest `limit` and links `prev-archive`
 * to the newest page; each page links to the one before it and `current` back.
 */
function pageFeed(model: SiteModel, base: FeedBase): { subscription: PlannedFeed; archives: PlannedFeed[] } {
  const { config, siteUrl } = model;
  const { latest, blocks } = paginate(base.articles, config.feeds.limit);
  const current = feedLinks(siteUrl, base.dir);
  const icon = siteIcon(config, siteUrl);
  const podcast = podcastChannel(config, siteUrl);
  const inputs = `${siteInputs(model)}${base.dir}\n${base.title}\n${base.description}\n${base.homeUrl}\n`;
  const spec = (items: readonly PublishedArticle[], dir: string, prevPage: number, archive: boolean) => {
    // A warm process plans every feed document on every run: one whose items are the same objects as last
    // time gets its spec object back, and with it the plans and renderings cached by spec.
    const memoKey = `${inputs}${dir}\n${prevPage}`;
    const known = specMemo.get(memoKey);
    if (known && sameMembers(known.items, items)) return known;
    const made: FeedSpec = {
      title: base.title,
      description: base.description,
      language: config.language,
      homeUrl: base.homeUrl,
      links: feedLinks(siteUrl, dir),
      author: config.author ?? { name: config.title },
      updated: newest(items),
      items,
      stylesheetUrl: siteUrl + FEED_STYLESHEET_KEY,
      prevArchive: prevPage > 0 ? feedLinks(siteUrl, archiveDir(base.dir, prevPage)) : undefined,
      ...(icon ? { icon: icon.url } : {}),
      ...(podcast ? { podcast } : {}),
      ...(archive ? { current } : config.feeds.hub ? { hub: config.feeds.hub } : {}),
    };
    if (specMemo.size >= MAX_SPECS_KEPT) specMemo.clear();
    specMemo.set(memoKey, made);
    return made;
  };
  const archives = blocks.map(({ number: page, items }): PlannedFeed => {
    const dir = archiveDir(base.dir, page);
    return { dir, spec: spec(items, dir, page - 1, true) };
  });
  const subscription = { dir: base.dir, spec: spec(latest, base.dir, blocks.length, false) };
  return { subscription, archives };
}

/** What podcast directories would refuse in the show, as warnings naming site.yaml (the run publishes). */
export function podcastWarnings(config: SiteModel['config']): Problem[] {
  const { podcast } = config;
  const owner = podcast && (podcast.owner ?? config.author);
  if (!podcast || (owner && 'email' in owner && owner.email)) return [];
  return [
    {
      file: SITE_CONFIG_FILE,
      message: 'the podcast names no owner email, which Apple Podcasts needs to confirm the show is yours',
      fix: 'add owner: { name: …, email: … } under podcast, or an email to author',
    },
  ];
}

function podcastChannel(config: SiteModel['config'], siteUrl: string): PodcastChannel | undefined {
  const { podcast } = config;
  const cover = podcastCover(config, siteUrl);
  if (!podcast || !cover) return undefined;
  const owner = podcast.owner ?? config.author;
  return {
    imageUrl: cover.url,
    category: podcast.category,
    ...(podcast.subcategory ? { subcategory: podcast.subcategory } : {}),
    explicit: podcast.explicit,
    type: podcast.type,
    author: config.author?.name ?? config.title,
    ...(owner ? { owner } : {}),
  };
}

/** Feed specs of earlier runs by site inputs, feed and page: bounded, since a warm process serves many runs. */
const specMemo = new Map<string, FeedSpec>();
const MAX_SPECS_KEPT = 20_000;

export function newest(items: readonly PublishedArticle[]): Date {
  let time = 0;
  for (const item of items) time = Math.max(time, item.updated.getTime());
  return new Date(time);
}

/** The MIME type of an image URL from its extension (`feed` 6 writes `image/jpg`, which is not one). */
export function imageMimeType(url: string): string | undefined {
  try {
    return imageTypeOf(new URL(url).pathname);
  } catch {
    return undefined;
  }
}

/** The type of an image, recording, video or document at `url`, by its extension (no parameters). */
export function mediaMimeType(url: string): string | undefined {
  try {
    return mediaTypeOf(new URL(url).pathname)?.replace(/;.*/, '');
  } catch {
    return undefined;
  }
}
