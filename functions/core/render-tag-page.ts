import { feedLinks, tagDir } from './feed-spec.ts';
import { renderArticleList, renderLayout } from './layout.ts';
import type { PublishedArticle, SiteModel, Tag } from './site-model.ts';
import { escapeHtml } from './text.ts';

/** `tags/<slug>/index.html`: every article with the tag, newest first, and the tag's own feeds. */
export function renderTagPage(model: SiteModel, tag: Tag, articles: readonly PublishedArticle[]): string {
  const url = model.siteUrl + tagDir(tag);
  const feeds = feedLinks(model.siteUrl, tagDir(tag));
  const feedTitle = `${model.config.title}: ${tag.name}`;
  const body = `<h1>${escapeHtml(tag.name)}</h1>
<p class="meta">Follow this tag: <a href="${escapeHtml(feeds.rss)}">RSS</a> · <a href="${escapeHtml(feeds.atom)}">Atom</a> · <a href="${escapeHtml(feeds.json)}">JSON Feed</a></p>
${renderArticleList(model, articles)}`;
  return renderLayout(model, {
    title: `${tag.name} · ${model.config.title}`,
    description: `Articles tagged “${tag.name}” on ${model.config.title}`,
    canonicalUrl: url,
    body,
    extraFeeds: [{ title: feedTitle, ...feeds }],
  });
}
