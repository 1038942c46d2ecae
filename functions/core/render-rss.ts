import { Feed } from 'feed';
import { type FeedSpec, protectCdata } from './feed-spec.ts';

/** RSS 2.0 with `content:encoded`, `dc:creator` (an RSS `<author>` must be an email) and `atom:link rel="self"`. */
export function renderRss(spec: FeedSpec): string {
  const feed = new Feed({
    title: spec.title,
    description: spec.description,
    id: spec.homeUrl,
    link: spec.homeUrl,
    language: spec.language,
    updated: spec.updated,
    generator: 'Broadsheet',
    feedLinks: { rss: spec.links.rss },
    ttl: 30,
  });
  for (const article of spec.items) {
    const creator = article.author?.name ?? spec.author.name;
    feed.addItem({
      title: protectCdata(article.title),
      id: article.id,
      link: article.url,
      date: article.updated,
      published: article.published,
      description: protectCdata(article.summaryText),
      content: protectCdata(article.html),
      category: article.tags.map((tag) => ({ name: tag.name })),
      extensions: [{ name: 'dc:creator', objects: { _text: creator } }],
    });
  }
  return feed.rss2();
}
