import { type FeedPerson, type FeedSpec, imageMimeType, rfc822 } from './feed-spec.ts';
import type { PublishedArticle } from './site-model.ts';
import { escapeHtml } from './text.ts';
import { element, emptyElement, textElement, xmlProlog } from './xml-writer.ts';

const NAMESPACES = {
  'xmlns:atom': 'http://www.w3.org/2005/Atom',
  'xmlns:content': 'http://purl.org/rss/1.0/modules/content/',
  'xmlns:dc': 'http://purl.org/dc/elements/1.1/',
  'xmlns:fh': 'http://purl.org/syndication/history/1.0',
};
const RSS_TYPE = 'application/rss+xml';

/**
 * RSS 2.0, written directly (see DESIGN "Known traps" for `feed` 6). Titles are XML-escaped plain text:
 * feedparser then returns them exactly (it guesses HTML in RSS titles only when they hold a closing tag or
 * an entity, and even then keeps the text). `description` is the plain-text summary HTML-escaped, since
 * readers render it as HTML; the full article is in `content:encoded`.
 */
export function renderRss(spec: FeedSpec): string {
  const link = (rel: string, href: string) => emptyElement('atom:link', { href, rel, type: RSS_TYPE });
  const channel = element('channel', {}, [
    textElement('title', spec.title),
    textElement('link', spec.homeUrl),
    textElement('description', spec.description),
    textElement('language', spec.language),
    textElement('generator', 'Broadsheet'),
    textElement('docs', 'https://www.rssboard.org/rss-specification'),
    spec.items.length > 0 && textElement('lastBuildDate', rfc822(spec.updated)),
    link('self', spec.links.rss),
    spec.current && link('current', spec.current.rss),
    spec.prevArchive && link('prev-archive', spec.prevArchive.rss),
    spec.current && '<fh:archive/>',
    ...spec.items.map((article) => renderItem(article, spec)),
  ]);
  return `${xmlProlog(spec.stylesheetUrl)}${element('rss', { version: '2.0', ...NAMESPACES }, [channel])}\n`;
}

function renderItem(article: PublishedArticle, spec: FeedSpec): string {
  const author: FeedPerson = article.author ?? spec.author;
  const mime = article.imageUrl ? imageMimeType(article.imageUrl) : undefined;
  return element('item', {}, [
    textElement('title', article.title),
    textElement('link', article.url),
    textElement('guid', article.id, { isPermaLink: 'false' }),
    textElement('pubDate', rfc822(article.published)),
    textElement('description', escapeHtml(article.summaryText)),
    textElement('content:encoded', article.html),
    // An RSS <author> must be an email address; a name alone goes in dc:creator.
    author.email
      ? textElement('author', `${author.email} (${author.name})`)
      : textElement('dc:creator', author.name),
    ...article.tags.map((tag) => textElement('category', tag.name)),
    // The length is unknown without fetching the image; the RSS Best Practices Profile says to write 0.
    article.imageUrl && mime && emptyElement('enclosure', { url: article.imageUrl, length: '0', type: mime }),
  ]);
}
