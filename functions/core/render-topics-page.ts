import { articlesTagged, feedLinks, OPML_KEY, tagDir } from './feed-spec.ts';
import { articleCount, escapeLabelText, fillLabel, labelHtml, labelsOf } from './labels.ts';
import { renderLayout } from './layout.ts';
import type { OutputPlan } from './render-site.ts';
import { type SiteModel, siteOnly, type Tag } from './site-model.ts';
import { escapeHtml } from './text.ts';

/** `tags/index.html`: every tag, as Hugo's taxonomy list page, where a reader finds a topic to follow. */
export const TOPICS_KEY = 'tags/index.html';

/**
 * The topics page, on sites with tags. It shows each tag's name and number of articles, so it changes
 * when a tag does or an article joins or leaves one (one small page more per upload), not otherwise.
 */
export function planTopicsPage(model: SiteModel): OutputPlan[] {
  if (model.tags.length === 0) return [];
  const site = siteOnly(model);
  const tags = topics(model);
  return [
    {
      key: TOPICS_KEY,
      articles: [],
      withHtml: false,
      phase: 'index',
      dependsOn: tags.map(({ tag, count }) => `${tag.slug}\t${tag.name}\t${count}`).join('\n'),
      render: () => renderTopicsPage(site, tags),
    },
  ];
}

/** Tags by name (as a reader looks one up), each with its number of articles. */
function topics(model: SiteModel): { tag: Tag; count: number }[] {
  return model.tags
    .map((tag) => ({ tag, count: articlesTagged(model, tag).length }))
    .sort(
      (a, b) =>
        a.tag.name.localeCompare(b.tag.name, model.config.language) || (a.tag.slug < b.tag.slug ? -1 : 1),
    );
}

export function renderTopicsPage(
  model: SiteModel,
  tags: readonly { readonly tag: Tag; readonly count: number }[] = topics(model),
): string {
  const { siteUrl, config } = model;
  const labels = labelsOf(config);
  const items = tags.map(({ tag, count }) => {
    const feeds = feedLinks(siteUrl, tagDir(tag));
    const articles = escapeLabelText(articleCount(labels, count));
    return `<li><a href="${escapeHtml(siteUrl + tagDir(tag))}">${escapeHtml(tag.name)}</a> <span class="meta">${articles} · <a href="${escapeHtml(feeds.rss)}">RSS</a> · <a href="${escapeHtml(feeds.atom)}">Atom</a> · <a href="${escapeHtml(feeds.json)}">JSON Feed</a></span></li>`;
  });
  return renderLayout(model, {
    title: `${labels.topics} · ${config.title}`,
    description: fillLabel(labels.topicsDescription, { site: config.title }),
    canonicalUrl: `${siteUrl}tags/`,
    body: `<h1>${escapeLabelText(labels.topics)}</h1>
<p class="meta">${labelHtml(labels.topicsIntro, { opml: `<a href="${escapeHtml(siteUrl + OPML_KEY)}">${escapeLabelText(labels.topicsOpmlLink)}</a>` })}</p>
<ul class="topics">
${items.join('\n')}
</ul>`,
  });
}
