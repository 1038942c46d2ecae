import { DIGESTS_DIR } from './digest/digest-model.ts';
import { feedLinks, tagDir, tagFeedTitle } from './feed-spec.ts';
import { fillLabel, labelsOf } from './labels.ts';
import type { AlternateFeed } from './layout.ts';
import type { SiteModel } from './site-model.ts';
import { element, emptyElement, textElement, xmlProlog } from './xml-writer.ts';

/**
 * `feeds.opml` (OPML 2.0): every feed of the site, once each, for import into a reader: the main feed, the
 * digests' feed (`digestFeed`, once a digest exists), then a "Tags" folder with one feed per tag. Each is listed by its RSS URL (`type="rss"` is what readers
 * import); the Atom and JSON Feed documents carry the same items. No dates: it depends only on the tags.
 */
export function renderOpml(model: SiteModel, digestFeed?: AlternateFeed): string {
  const { config, siteUrl } = model;
  const labels = labelsOf(config);
  const outline = (text: string, dir: string, description: string, xmlUrl = feedLinks(siteUrl, dir).rss) =>
    emptyElement('outline', {
      type: 'rss',
      text,
      title: text,
      description,
      xmlUrl,
      htmlUrl: siteUrl + dir,
      language: config.language,
    });
  const body = element('body', {}, [
    outline(config.title, '', config.description || config.title),
    digestFeed &&
      outline(
        digestFeed.title,
        DIGESTS_DIR,
        fillLabel(labels.opmlDigests, { cadence: labels[config.digest.cadence] }),
        digestFeed.rss,
      ),
    model.tags.length > 0 &&
      element(
        'outline',
        { text: labels.opmlTags, title: labels.opmlTags },
        model.tags.map((tag) =>
          outline(tagFeedTitle(model, tag), tagDir(tag), fillLabel(labels.opmlTag, { tag: tag.name })),
        ),
      ),
  ]);
  const head = element('head', {}, [
    textElement('title', fillLabel(labels.opmlTitle, { site: config.title })),
    config.author && textElement('ownerName', config.author.name),
    textElement('docs', 'http://opml.org/spec2.opml'),
  ]);
  return `${xmlProlog()}${element('opml', { version: '2.0' }, [head, body])}\n`;
}
