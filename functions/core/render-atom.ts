import { Feed } from 'feed';
import { type FeedSpec, protectCdata } from './feed-spec.ts';
import { escapeHtml } from './text.ts';

/**
 * Atom 1.0 (RFC 4287). `feed` marks every entry title and summary `type="html"`, which would make readers
 * treat a title like "a <b> c" as markup; ours are plain text, so they are declared `type="text"`.
 */
export function renderAtom(spec: FeedSpec): string {
  const feed = new Feed({
    title: spec.title,
    description: spec.description,
    id: spec.homeUrl,
    link: spec.homeUrl,
    language: spec.language,
    updated: spec.updated,
    generator: 'Broadsheet',
    feedLinks: { atom: spec.links.atom },
    author: spec.author,
  });
  for (const article of spec.items) {
    feed.addItem({
      title: protectCdata(article.title),
      id: article.id,
      link: article.url,
      date: article.updated,
      published: article.published,
      description: protectCdata(article.summaryText),
      content: protectCdata(article.html),
      author: article.author ? [article.author] : undefined,
      category: article.tags.map((tag) => ({ term: tag.name })),
    });
  }
  return (
    feed
      .atom1()
      // `feed` has no xml:lang option; the language goes on the root element.
      .replace(
        '<feed xmlns="http://www.w3.org/2005/Atom">',
        () => `<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="${escapeHtml(spec.language)}">`,
      )
      .replaceAll('<title type="html"><![CDATA[', '<title type="text"><![CDATA[')
      .replaceAll('<summary type="html"><![CDATA[', '<summary type="text"><![CDATA[')
  );
}
