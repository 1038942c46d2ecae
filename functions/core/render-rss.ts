import { type Extension, Feed, type Item } from 'feed';
import { cutItems, type DocumentParts, ItemCache, joinParts, spliceItemParts } from './feed-fragments.ts';
import {
  FH_NAMESPACE,
  feedAttribute,
  feedCdata,
  feedContent,
  feedContentBytes,
  feedText,
  fixRss,
  lengthText,
} from './feed-postprocess.ts';
import { type FeedPerson, type FeedSpec, imageMimeType, type PodcastChannel } from './feed-spec.ts';
import { ItemStencils } from './feed-stencil.ts';
import type { EpisodeInfo } from './parse-article.ts';
import type { PublishedArticle } from './site-model.ts';
import { escapeHtml } from './text.ts';

const RSS_TYPE = 'application/rss+xml';

/**
 * RSS 2.0, serialised by `feed` 6 (strings prepared and its output fixed in `feed-postprocess.ts`).
 * Titles are CDATA, i.e. plain character data: feedparser returns them exactly. `description` is the
 * plain-text summary HTML-escaped, since readers render it as HTML; the article is in `content:encoded`.
 *
 * Each article's `<item>` is rendered once and spliced into every document it is in (`feed-fragments.ts`):
 * `feed` renders the channel with the items not cached yet, or one placeholder item when all are.
 */
export function renderRss(spec: FeedSpec): string {
  return joinParts(renderRssParts(spec));
}

/** `renderRss` with each worker-parsed body spliced in as its UTF-8 bytes (`DocumentParts`). */
export function renderRssParts(spec: FeedSpec): DocumentParts {
  if (spec.items.length === 0) return [renderRssDocument(spec)];
  // The item depends on its document only through the default author, for an article without its own,
  // and whether the document is a podcast (an episode's own tags).
  const author = JSON.stringify([spec.author.name, spec.author.email ?? '', Boolean(spec.podcast)]);
  return spliceItemParts({
    name: 'item',
    articles: spec.items,
    cache: rssItems,
    key: (article) => (article.author ? (spec.podcast ? 'p' : '') : author),
    content: feedContent,
    bytes: feedContentBytes,
    render: (missing, content) => {
      const items =
        missing.length > 0
          ? missing.map((article) => rssItem(article, spec, content(article)))
          : [PLACEHOLDER];
      return fixRss(channel(spec, items).rss2(), spec);
    },
    stencil: (article, content) =>
      rssStencils.item(rssItem(article, spec, content), (item) => {
        const [text] = cutItems(fixRss(channel(spec, [item]).rss2(), spec), 'item').items;
        return text as string;
      }),
  });
}

/** The whole document in one `feed` call, nothing cached: what `renderRss` gives, byte for byte. */
export function renderRssDocument(spec: FeedSpec): string {
  return fixRss(
    channel(
      spec,
      spec.items.map((article) => rssItem(article, spec)),
    ).rss2(),
    spec,
  );
}

function channel(spec: FeedSpec, items: readonly Item[]): Feed {
  const feed = new Feed({
    title: feedText(spec.title),
    description: feedText(spec.description),
    link: spec.homeUrl,
    language: feedText(spec.language),
    // Always given: `feed` would otherwise write the clock.
    updated: spec.updated,
    generator: 'Broadsheet',
    docs: 'https://www.rssboard.org/rss-specification',
    // Also makes `feed` declare xmlns:atom.
    feedLinks: { rss: spec.links.rss },
    stylesheet: feedAttribute(spec.stylesheetUrl),
    // RSS <image>: its title and link are the channel's, as the specification asks.
    ...(spec.icon ? { image: spec.icon } : {}),
  });
  for (const extension of channelExtensions(spec)) feed.addExtension(extension);
  for (const item of items) feed.addItem(item);
  return feed;
}

/** Where the items go when all are cached; its content makes `feed` declare the namespaces items need. */
const PLACEHOLDER: Item = { title: '', link: '', date: new Date(0), content: '-' };

const rssItems = new ItemCache<PublishedArticle>();
const rssStencils = new ItemStencils<Item>();

/**
 * RFC 5005 for RSS through `feed`'s own channel extensions: an `atom:link` extension replaces the array of
 * links `feed` built (its self link, repeated here, then `current` and `prev-archive`), in place; archive
 * pages carry `fh:archive`, declaring its namespace on itself since `feed` declares none it does not know.
 */
function channelExtensions(spec: FeedSpec): Extension[] {
  const link = (rel: string, href: string) => ({
    _attributes: { href: feedAttribute(href), rel, type: RSS_TYPE },
  });
  const links = [
    link('self', spec.links.rss),
    ...(spec.current ? [link('current', spec.current.rss)] : []),
    ...(spec.prevArchive ? [link('prev-archive', spec.prevArchive.rss)] : []),
    // WebSub: the hub, untyped (it is no feed).
    ...(spec.hub ? [{ _attributes: { href: feedAttribute(spec.hub), rel: 'hub' } }] : []),
  ];
  const extensions: Extension[] = [];
  // xml-js writes an array as repeated elements; `feed`'s Extension type only says "an object".
  if (links.length > 1)
    extensions.push({ name: 'atom:link', objects: links as unknown as Extension['objects'] });
  if (spec.current) {
    extensions.push({ name: 'fh:archive', objects: { _attributes: { 'xmlns:fh': FH_NAMESPACE } } });
  }
  if (spec.podcast) extensions.push(...podcastExtensions(spec.podcast));
  return extensions;
}

function episodeExtensions(episode: EpisodeInfo): Extension[] {
  const tag = (name: string, value: string | number | boolean | undefined) =>
    value === undefined ? [] : [{ name: `itunes:${name}`, objects: { _text: feedText(String(value)) } }];
  return [
    ...tag('duration', episode.duration),
    ...tag('episode', episode.number),
    ...tag('season', episode.season),
    ...tag('episodeType', episode.type),
    ...tag('explicit', episode.explicit),
  ];
}

/**
 * The channel tags Apple Podcasts asks for (the others read them too); `fixRss` declares the namespace.
 * Episodes need nothing more: an article's `enclosure` is already its item's `<enclosure>`.
 */
function podcastExtensions(podcast: PodcastChannel): Extension[] {
  const text = (value: string) => ({ _text: feedText(value) });
  const category = (name: string) => ({ _attributes: { text: feedAttribute(name) } });
  const { owner } = podcast;
  return [
    { name: 'itunes:image', objects: { _attributes: { href: feedAttribute(podcast.imageUrl) } } },
    {
      name: 'itunes:category',
      objects: {
        ...category(podcast.category),
        ...(podcast.subcategory ? { 'itunes:category': category(podcast.subcategory) } : {}),
      },
    },
    { name: 'itunes:explicit', objects: text(String(podcast.explicit)) },
    { name: 'itunes:type', objects: text(podcast.type) },
    { name: 'itunes:author', objects: text(podcast.author) },
    ...(owner
      ? [
          {
            name: 'itunes:owner',
            objects: {
              'itunes:name': text(owner.name),
              ...(owner.email ? { 'itunes:email': text(owner.email) } : {}),
            },
          },
        ]
      : []),
  ];
}

function rssItem(article: PublishedArticle, spec: FeedSpec, content = feedContent(article)): Item {
  const author: FeedPerson = article.author ?? spec.author;
  const mime = article.imageUrl ? imageMimeType(article.imageUrl) : undefined;
  const extensions: Extension[] = [
    ...(author.email ? [] : [{ name: 'dc:creator', objects: { _text: feedText(author.name) } }]),
    // An episode (an item with its recording, in a podcast's feed) carries its own tags when given.
    ...(spec.podcast && article.enclosureUrl && article.episode ? episodeExtensions(article.episode) : []),
  ];
  return {
    title: feedCdata(article.title),
    // `feed` writes the id as the guid, isPermaLink="false".
    id: feedText(article.id),
    link: article.url,
    date: article.updated,
    // pubDate: `feed` prefers `published` to `date`.
    published: article.published,
    description: feedCdata(escapeHtml(article.summaryText)),
    content,
    // An RSS <author> must be an email address; a name alone goes in dc:creator.
    ...(author.email ? { author: [{ name: feedText(author.name), email: feedText(author.email) }] } : {}),
    ...(extensions.length > 0 ? { extensions } : {}),
    category: article.tags.map((tag) => ({ name: feedText(tag.name) })),
    // One enclosure per item (the RSS Best Practices Profile): the front matter's recording or document
    // over its image. `feed` spreads this after its own guess (`image/jpg`). The length of a file in the
    // content is its size; one elsewhere is unknown without fetching it, and the Profile says to write 0.
    ...(article.enclosureUrl && article.enclosureType
      ? {
          enclosure: {
            url: article.enclosureUrl,
            type: article.enclosureType,
            length: lengthText(article.enclosureLength ?? 0),
          },
        }
      : article.imageUrl && mime
        ? { enclosure: { url: article.imageUrl, type: mime, length: lengthText(article.imageLength ?? 0) } }
        : {}),
  };
}
