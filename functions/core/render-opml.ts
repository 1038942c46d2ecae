import { feedLinks, tagDir } from './feed-spec.ts';
import type { SiteModel } from './site-model.ts';
import { element, emptyElement, textElement, xmlProlog } from './xml-writer.ts';

/**
 * `feeds.opml` (OPML 2.0): every feed of the site, once each, for import into a reader: the main feed,
 * then a "Tags" folder with one feed per tag. Each is listed by its RSS URL (`type="rss"` is what readers
 * import); the Atom and JSON Feed documents carry the same items. No dates: it depends only on the tags.
 */
export function renderOpml(model: SiteModel): string {
  const { config, siteUrl } = model;
  const outline = (text: string, dir: string, description: string) =>
    emptyElement('outline', {
      type: 'rss',
      text,
      title: text,
      description,
      xmlUrl: feedLinks(siteUrl, dir).rss,
      htmlUrl: siteUrl + dir,
      language: config.language,
    });
  const body = element('body', {}, [
    outline(config.title, '', config.description || config.title),
    model.tags.length > 0 &&
      element(
        'outline',
        { text: 'Tags', title: 'Tags' },
        model.tags.map((tag) =>
          outline(`${config.title}: ${tag.name}`, tagDir(tag), `Articles tagged “${tag.name}”`),
        ),
      ),
  ]);
  const head = element('head', {}, [
    textElement('title', `${config.title}: feeds`),
    config.author && textElement('ownerName', config.author.name),
    textElement('docs', 'http://opml.org/spec2.opml'),
  ]);
  return `${xmlProlog()}${element('opml', { version: '2.0' }, [head, body])}\n`;
}
