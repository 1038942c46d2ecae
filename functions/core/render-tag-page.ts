import { articlesTagged, feedLinks, tagDescription, tagDir, tagFeedTitle } from './feed-spec.ts';
import { escapeLabelText, fillLabel, labelHtml, labelsOf } from './labels.ts';
import { renderArticleList, renderLayout } from './layout.ts';
import { type ListPage, listPages, planListPages } from './paginate.ts';
import { describeBlock } from './render-home-page.ts';
import type { OutputPlan } from './render-site.ts';
import { type SiteModel, siteInputs, siteOnly, type Tag } from './site-model.ts';
import { escapeHtml } from './text.ts';

/** A tag's page (`tags/<slug>/index.html`, its newest `pageSize` articles) and its older pages. */
export function tagPages(model: SiteModel, tag: Tag): { first: ListPage; blocks: ListPage[] } {
  return listPages(model.siteUrl, tagDir(tag), articlesTagged(model, tag), model.config.pageSize);
}

/** Plans for `tags/<slug>/index.html` and every `tags/<slug>/page/<k>/index.html`. */
export function planTagPages(model: SiteModel, tag: Tag): OutputPlan[] {
  const site = siteOnly(model);
  return planListPages(
    tagPages(model, tag),
    tag.name,
    (page) => renderTagPage(site, tag, page),
    siteInputs(model),
  );
}

/**
 * `tags/<slug>/index.html`: the tag's newest articles, newest first, a link to older ones and the tag's
 * own feeds; or, given a block page, that block.
 */
export function renderTagPage(
  model: SiteModel,
  tag: Tag,
  page: ListPage = tagPages(model, tag).first,
): string {
  const feeds = feedLinks(model.siteUrl, tagDir(tag));
  const feedTitle = tagFeedTitle(model, tag);
  const labels = labelsOf(model.config);
  const follow = `<p class="meta">${escapeLabelText(labels.followTag)} <a href="${escapeHtml(feeds.rss)}">RSS</a> · <a href="${escapeHtml(feeds.atom)}">Atom</a> · <a href="${escapeHtml(feeds.json)}">JSON Feed</a> · <a href="${escapeHtml(`${model.siteUrl}tags/`)}">${escapeLabelText(labels.allTopics)}</a></p>`;
  const heading =
    page.block === undefined
      ? `<h1>${escapeHtml(tag.name)}</h1>\n${follow}`
      : `<h1>${labelHtml(labels.tagOlderArticles, { tag: escapeHtml(tag.name) })}</h1>\n${describeBlock(model, page.block, page.articles)}\n${follow}`;
  return renderLayout(model, {
    title:
      page.block === undefined
        ? `${tag.name} · ${model.config.title}`
        : `${fillLabel(labels.tagOlderArticlesPage, { tag: tag.name, page: page.block })} · ${model.config.title}`,
    description: tagDescription(model, tag),
    canonicalUrl: page.url,
    body: `${heading}\n${renderArticleList(model, page.articles)}`,
    extraFeeds: [{ title: feedTitle, ...feeds }],
    pager: page.pager,
  });
}
