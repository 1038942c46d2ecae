import { type Author, Feed, type Item } from 'feed';
import {
  atomEntryId,
  feedAttribute,
  feedCdata,
  feedContent,
  feedTerm,
  feedText,
  fixAtom,
} from './feed-postprocess.ts';
import { type FeedPerson, type FeedSpec, imageMimeType } from './feed-spec.ts';
import type { PublishedArticle } from './site-model.ts';

/**
 * Atom 1.0 (RFC 4287) with RFC 5005 archive links, serialised by `feed` 6 (strings prepared and its output
 * fixed in `feed-postprocess.ts`: `xml:lang`, `type="text"` titles and summaries, enclosure types, archive
 * links). The article is `type="html"` content.
 */
export function renderAtom(spec: FeedSpec): string {
  const feed = new Feed({
    id: feedText(spec.homeUrl),
    title: feedText(spec.title),
    description: feedText(spec.description),
    link: spec.homeUrl,
    // Always given: `feed` would otherwise write the clock.
    updated: spec.updated,
    generator: 'Broadsheet',
    feedLinks: { atom: spec.links.atom },
    author: person(spec.author),
    stylesheet: feedAttribute(spec.stylesheetUrl),
  });
  spec.items.forEach((article, index) => {
    feed.addItem(atomEntry(article, index));
  });
  return fixAtom(feed.atom1(), spec);
}

function atomEntry(article: PublishedArticle, index: number): Item {
  const mime = article.imageUrl ? imageMimeType(article.imageUrl) : undefined;
  return {
    title: feedCdata(article.title),
    id: atomEntryId(article.id, index),
    link: article.url,
    date: article.updated,
    published: article.published,
    description: feedCdata(article.summaryText),
    content: feedContent(article),
    ...(article.author ? { author: [person(article.author)] } : {}),
    category: article.tags.map((tag) => ({ term: feedTerm(tag.name) })),
    // `feed` types it from the extension itself; `atomEnclosureTypes` fixes that type.
    ...(article.imageUrl && mime ? { enclosure: { url: article.imageUrl } } : {}),
  };
}

function person(who: FeedPerson): Author {
  return {
    name: feedText(who.name),
    ...(who.email ? { email: feedText(who.email) } : {}),
    ...(who.url ? { link: who.url } : {}),
  };
}
