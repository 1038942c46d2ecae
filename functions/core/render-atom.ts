import { type Author, Feed, type Item } from 'feed';
import { cutItems, type DocumentParts, ItemCache, joinParts, spliceItemParts } from './feed-fragments.ts';
import {
  atomEntryId,
  feedAttribute,
  feedCdata,
  feedContent,
  feedContentBytes,
  feedTerm,
  feedText,
  fixAtom,
  hasIdStandIn,
  lengthText,
} from './feed-postprocess.ts';
import { type FeedPerson, type FeedSpec, imageMimeType } from './feed-spec.ts';
import { ItemStencils } from './feed-stencil.ts';
import type { PublishedArticle } from './site-model.ts';

/**
 * Atom 1.0 (RFC 4287) with RFC 5005 archive links, serialised by `feed` 6 (strings prepared and its output
 * fixed in `feed-postprocess.ts`: `xml:lang` (the feed's, and an entry's own), `type="text"` titles and summaries, enclosure types, archive
 * links). The article is `type="html"` content.
 *
 * Each article's `<entry>` is rendered once and spliced into every document it is in, as `renderRss` does.
 */
export function renderAtom(spec: FeedSpec): string {
  return joinParts(renderAtomParts(spec));
}

/** `renderAtom` with each worker-parsed body spliced in as its UTF-8 bytes (`DocumentParts`). */
export function renderAtomParts(spec: FeedSpec): DocumentParts {
  // An id that is itself a stand-in's text would be restored by position in the document: render it whole.
  if (spec.items.length === 0 || hasIdStandIn(spec.homeUrl) || spec.items.some((a) => hasIdStandIn(a.id))) {
    return [renderAtomDocument(spec)];
  }
  return spliceItemParts({
    name: 'entry',
    articles: spec.items,
    cache: atomEntries,
    // An entry takes nothing from its document: a stand-in id is restored by the position in `missing`.
    key: () => '',
    content: feedContent,
    bytes: feedContentBytes,
    render: (missing, content) => {
      const entries =
        missing.length > 0
          ? missing.map((article, i) => atomEntry(article, i, content(article)))
          : [PLACEHOLDER];
      return fixAtom(atomFeed(spec, entries).atom1(), { ...spec, items: missing });
    },
    // An id `feed` would rewrite has a stand-in restored by its position in the document: `feed` renders it.
    // Nor an entry in a language of its own, whose `xml:lang` `fixAtom` writes from the article (rare).
    stencil: (article, content) =>
      atomEntryId(article.id, 0) === article.id && !article.language
        ? atomStencils.item(atomEntry(article, 0, content), (entry) => {
            const [text] = cutItems(
              fixAtom(atomFeed(spec, [entry]).atom1(), { ...spec, items: [] }),
              'entry',
            ).items;
            return text as string;
          })
        : undefined,
  });
}

/** The whole document in one `feed` call, nothing cached: what `renderAtom` gives, byte for byte. */
export function renderAtomDocument(spec: FeedSpec): string {
  return fixAtom(
    atomFeed(
      spec,
      spec.items.map((article, i) => atomEntry(article, i)),
    ).atom1(),
    spec,
  );
}

function atomFeed(spec: FeedSpec, entries: readonly Item[]): Feed {
  const feed = new Feed({
    id: feedText(spec.homeUrl),
    title: feedText(spec.title),
    description: feedText(spec.description),
    link: spec.homeUrl,
    // Always given: `feed` would otherwise write the clock.
    updated: spec.updated,
    generator: 'Broadsheet',
    feedLinks: { atom: spec.links.atom },
    ...(spec.hub ? { hub: spec.hub } : {}),
    ...(spec.icon ? { favicon: spec.icon } : {}),
    author: person(spec.author),
    stylesheet: feedAttribute(spec.stylesheetUrl),
  });
  for (const entry of entries) feed.addItem(entry);
  return feed;
}

/** Where the entries go when all are cached. */
const PLACEHOLDER: Item = { title: '', id: 'urn:x', link: 'urn:x', date: new Date(0) };

const atomEntries = new ItemCache<PublishedArticle>();
const atomStencils = new ItemStencils<Item>();

function atomEntry(article: PublishedArticle, index: number, content = feedContent(article)): Item {
  const mime = article.imageUrl ? imageMimeType(article.imageUrl) : undefined;
  return {
    title: feedCdata(article.title),
    id: atomEntryId(article.id, index),
    link: article.url,
    date: article.updated,
    published: article.published,
    description: feedCdata(article.summaryText),
    content,
    ...(article.author ? { author: [person(article.author)] } : {}),
    category: article.tags.map((tag) => ({ term: feedTerm(tag.name) })),
    // `feed` types each from the extension itself (`image/…`); `atomEnclosureTypes` fixes those types.
    // Atom takes several: the front matter's recording or document, and its image.
    ...(article.enclosureUrl && article.enclosureType
      ? {
          enclosure: {
            url: article.enclosureUrl,
            ...(article.enclosureLength !== undefined ? { length: lengthText(article.enclosureLength) } : {}),
          },
        }
      : {}),
    ...(article.imageUrl && mime
      ? {
          image: {
            url: article.imageUrl,
            ...(article.imageLength !== undefined ? { length: lengthText(article.imageLength) } : {}),
          },
        }
      : {}),
  };
}

function person(who: FeedPerson): Author {
  return {
    name: feedText(who.name),
    ...(who.email ? { email: feedText(who.email) } : {}),
    ...(who.url ? { link: who.url } : {}),
  };
}
