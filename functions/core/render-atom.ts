import { type FeedPerson, type FeedSpec, imageMimeType } from './feed-spec.ts';
import type { PublishedArticle } from './site-model.ts';
import { element, emptyElement, textElement, xmlProlog } from './xml-writer.ts';

const ATOM_TYPE = 'application/atom+xml';

/**
 * Atom 1.0 (RFC 4287) with RFC 5005 archive links, written directly. Titles and summaries are
 * `type="text"` (feed 6 wrote `html`, which makes readers parse a title such as `a <b> c` as markup);
 * the article is `type="html"` content.
 */
export function renderAtom(spec: FeedSpec): string {
  const link = (rel: string, href: string, type = ATOM_TYPE) => emptyElement('link', { rel, type, href });
  const feed = element(
    'feed',
    {
      xmlns: 'http://www.w3.org/2005/Atom',
      'xmlns:fh': 'http://purl.org/syndication/history/1.0',
      'xml:lang': spec.language,
    },
    [
      textElement('title', spec.title, { type: 'text' }),
      textElement('subtitle', spec.description, { type: 'text' }),
      textElement('id', spec.homeUrl),
      textElement('updated', spec.updated.toISOString()),
      link('self', spec.links.atom),
      link('alternate', spec.homeUrl, 'text/html'),
      spec.current && link('current', spec.current.atom),
      spec.prevArchive && link('prev-archive', spec.prevArchive.atom),
      spec.current && '<fh:archive/>',
      person('author', spec.author),
      textElement('generator', 'Broadsheet'),
      ...spec.items.map(renderEntry),
    ],
  );
  return `${xmlProlog(spec.stylesheetUrl)}${feed}\n`;
}

function renderEntry(article: PublishedArticle): string {
  const mime = article.imageUrl ? imageMimeType(article.imageUrl) : undefined;
  return element('entry', {}, [
    textElement('title', article.title, { type: 'text' }),
    emptyElement('link', { rel: 'alternate', type: 'text/html', href: article.url }),
    textElement('id', article.id),
    textElement('published', article.published.toISOString()),
    textElement('updated', article.updated.toISOString()),
    article.author && person('author', article.author as FeedPerson),
    ...article.tags.map((tag) => emptyElement('category', { term: tag.name })),
    article.imageUrl &&
      mime &&
      emptyElement('link', { rel: 'enclosure', type: mime, href: article.imageUrl }),
    textElement('summary', article.summaryText, { type: 'text' }),
    textElement('content', article.html, { type: 'html' }),
  ]);
}

function person(name: string, who: FeedPerson): string {
  return element(name, {}, [
    textElement('name', who.name),
    who.email && textElement('email', who.email),
    who.url && textElement('uri', who.url),
  ]);
}
