import type { Person } from './site-config.ts';
import type { PublishedArticle, SiteModel } from './site-model.ts';

/** Everything a feed renderer needs; the main feed and each tag feed are one of these. */
export interface FeedSpec {
  readonly title: string;
  readonly description: string;
  readonly language: string;
  /** The page this feed is the feed of. */
  readonly homeUrl: string;
  /** Absolute URLs of the same feed in each format (`rel="self"` and autodiscovery). */
  readonly links: { readonly rss: string; readonly atom: string; readonly json: string };
  readonly author: Person;
  /** Newest `updated` among the items: never the clock. */
  readonly updated: Date;
  /** Newest first, already cut to the feed's item limit. */
  readonly items: readonly PublishedArticle[];
}

export const FEED_FILES = { rss: 'rss.xml', atom: 'atom.xml', json: 'feed.json' } as const;

/** The site-wide feed: the newest `feeds.limit` articles. */
export function mainFeedSpec(model: SiteModel): FeedSpec {
  const { config, siteUrl } = model;
  const items = model.articles.slice(0, config.feeds.limit);
  return {
    title: config.title,
    description: config.description || config.title,
    language: config.language,
    homeUrl: siteUrl,
    links: {
      rss: siteUrl + FEED_FILES.rss,
      atom: siteUrl + FEED_FILES.atom,
      json: siteUrl + FEED_FILES.json,
    },
    author: config.author ?? { name: config.title },
    updated: newest(items),
    items,
  };
}

export function newest(items: readonly PublishedArticle[]): Date {
  return new Date(Math.max(0, ...items.map((a) => a.updated.getTime())));
}

/**
 * `feed` 6 escapes only the first `]]>` of a CDATA field. Splitting every later one ourselves
 * (`]]>` → `]]]]><![CDATA[>`) leaves the first for the library, so any number round-trips.
 */
export function protectCdata(text: string): string {
  const first = text.indexOf(']]>');
  if (first < 0) return text;
  const head = text.slice(0, first + 3);
  return head + text.slice(first + 3).replaceAll(']]>', ']]]]><![CDATA[>');
}
