import { type ArticleLink, linkArticleFiles, MAY_LINK_ARTICLE } from './article-links.ts';
import { renderLayout, sitePageKey } from './layout.ts';
import { lexMarkdown } from './markdown.ts';
import { mediaRefsIn } from './media.ts';
import type { OutputPlan } from './render-site.ts';
import { leadText, renderSafeMarkdown, sanitizeBody } from './sanitize-body.ts';
import { SITE_CONFIG_FILE, type SitePage } from './site-config.ts';
import { type SiteModel, siteOnly } from './site-model.ts';
import { escapeHtml } from './text.ts';

/**
 * The standalone pages `site.yaml` lists (About, Contact…), at `/<slug>/`. They depend on the settings
 * alone, like `404.html`: rendered every run (a few short texts), written when their bytes change.
 */
export function planSitePages(model: SiteModel): OutputPlan[] {
  const site = siteOnly(model);
  return model.config.pages.map((page) => ({
    key: sitePageKey(page),
    articles: [],
    withHtml: false,
    phase: 'page',
    render: () => renderSitePage(site, page),
  }));
}

/** The page's Markdown, made safe and absolute against its URL as an article's body is, in the layout. */
export function renderSitePage(model: SiteModel, page: SitePage): string {
  const { config, siteUrl } = model;
  const { url, html } = sitePageBody(siteUrl, page);
  return renderLayout(model, {
    title: `${page.title} · ${config.title}`,
    description: leadText(html) || undefined,
    canonicalUrl: url,
    body: `<article>\n<h1>${escapeHtml(page.title)}</h1>\n${html}</article>`,
    share: { type: 'website', title: page.title },
  });
}

/** The page's URL and its body's HTML, where a relative `![](me.jpg)` is `<url>me.jpg`. */
function sitePageBody(siteUrl: string, page: SitePage): { url: string; html: string } {
  const url = `${siteUrl}${page.slug}/`;
  const { tokens, toHtml } = lexMarkdown(page.text);
  // `[our first story](2025-01-08-first.md)`: that article's page, as in an article (site.yaml is at the top).
  linkArticleFiles(tokens, page.text, SITE_CONFIG_FILE, () => undefined, '../posts/');
  return { url, html: renderSafeMarkdown(tokens, url) ?? sanitizeBody(toHtml(tokens), url) };
}

/** The links by file to articles in the pages' Markdown (checked and given redirects as an article's are). */
export function sitePageArticleLinks(pages: readonly SitePage[]): ArticleLink[] {
  return pages.flatMap((page) => {
    if (!MAY_LINK_ARTICLE.test(page.text)) return [];
    const { tokens } = lexMarkdown(page.text);
    return linkArticleFiles(tokens, page.text, SITE_CONFIG_FILE, () => undefined, '../posts/');
  });
}

/** The images and files each page shows or links from the content (`planPageMedia` publishes them). */
export function sitePageMediaRefs(
  siteUrl: string,
  pages: readonly SitePage[],
): { readonly pageKey: string; readonly refs: readonly string[] }[] {
  return pages.map((page) => {
    const { url, html } = sitePageBody(siteUrl, page);
    return { pageKey: sitePageKey(page), refs: mediaRefsIn(html, url) };
  });
}
