import { feedLinks, tagDir, tagFeedTitle } from './feed-spec.ts';
import { escapeLabelText, fillLabel, labelHtml, labelsOf } from './labels.ts';
import { type AlternateFeed, formatDate, renderArticleList, renderLayout } from './layout.ts';
import { type ListPage, listPages, planListPages } from './paginate.ts';
import type { OutputPlan } from './render-site.ts';
import { type PublishedArticle, type SiteModel, siteInputs, siteOnly } from './site-model.ts';
import { escapeHtml } from './text.ts';

/** The home page (`index.html`, the newest `pageSize` articles) and its older pages (`page/<k>/`). */
export function homePages(model: SiteModel): { first: ListPage; blocks: ListPage[] } {
  return listPages(model.siteUrl, '', model.articles, model.config.pageSize);
}

/**
 * Plans for `index.html` and every `page/<k>/index.html`. `digestFeed` is the digests' feed once it
 * exists: the home page names every feed for autodiscovery.
 */
export function planHomePages(model: SiteModel, digestFeed?: AlternateFeed): OutputPlan[] {
  const site = siteOnly(model);
  const pages = homePages(model);
  const feeds = otherFeeds(model, digestFeed);
  return planListPages(
    pages,
    '',
    (page) => renderHomePage(site, page, page === pages.first ? feeds : [], model.tags.length > 0),
    siteInputs(model),
    feeds.map((f) => `${f.title}\t${f.rss}`).join('\n'),
  );
}

/** Every feed but the site's main one: the digests' (when there is one), then each tag's. */
export function otherFeeds(model: SiteModel, digestFeed?: AlternateFeed): AlternateFeed[] {
  const tagFeeds = model.tags.map((tag) => ({
    title: tagFeedTitle(model, tag),
    ...feedLinks(model.siteUrl, tagDir(tag)),
  }));
  return digestFeed ? [digestFeed, ...tagFeeds] : tagFeeds;
}

/**
 * The home page: the newest articles, newest first, with their date and summary, and a link to the
 * older ones; or, given a block page, that block.
 */
export function renderHomePage(
  model: SiteModel,
  page: ListPage = homePages(model).first,
  moreFeeds: readonly AlternateFeed[] = otherFeeds(model),
  /** Whether the site has tags (`model` may be `siteOnly`): the home page links the topics page. */
  hasTopics = model.tags.length > 0,
): string {
  const { title } = model.config;
  const labels = labelsOf(model.config);
  if (page.block === undefined) {
    const list =
      page.articles.length > 0
        ? renderArticleList(model, page.articles)
        : `<p>${escapeLabelText(labels.noArticles)}</p>`;
    return renderLayout(model, {
      title,
      canonicalUrl: page.url,
      body: `<h1>${escapeHtml(title)}</h1>\n${hasTopics ? topicsLink(model) : ''}${list}`,
      moreFeeds,
      pager: page.pager,
      share: { type: 'website', title },
    });
  }
  return renderLayout(model, {
    title: `${fillLabel(labels.olderArticlesPage, { page: page.block })} · ${title}`,
    canonicalUrl: page.url,
    body: `<h1>${escapeLabelText(labels.olderArticles)}</h1>\n${describeBlock(model, page.block, page.articles)}\n${renderArticleList(model, page.articles)}`,
    pager: page.pager,
  });
}

/** "Page 3: 2 January 2025 to 9 February 2025": only the block's own dates, so its bytes stay put. */
export function describeBlock(
  model: SiteModel,
  block: number,
  articles: readonly PublishedArticle[],
): string {
  const labels = labelsOf(model.config);
  const newest = articles[0];
  const oldest = articles[articles.length - 1];
  if (!newest || !oldest) return `<p class="meta">${labelHtml(labels.pageNumber, { page: block })}</p>`;
  const time = (a: PublishedArticle) =>
    `<time datetime="${a.published.toISOString()}">${escapeHtml(formatDate(a.published, model))}</time>`;
  return `<p class="meta">${labelHtml(labels.pageDates, { page: block, from: time(oldest), to: time(newest) })}</p>`;
}

/** The way to the topics page (`render-topics-page.ts`). */
function topicsLink(model: SiteModel): string {
  const { topics } = labelsOf(model.config);
  return `<p class="meta"><a href="${escapeHtml(`${model.siteUrl}tags/`)}">${escapeLabelText(topics)}</a></p>\n`;
}
