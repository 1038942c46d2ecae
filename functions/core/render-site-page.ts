import { renderLayout, sitePageKey } from './layout.ts';
import { lexMarkdown } from './markdown.ts';
import type { OutputPlan } from './render-site.ts';
import { leadText, renderSafeMarkdown, sanitizeBody } from './sanitize-body.ts';
import type { SitePage } from './site-config.ts';
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
  const url = `${siteUrl}${page.slug}/`;
  const { tokens, toHtml } = lexMarkdown(page.text);
  const html = renderSafeMarkdown(tokens, url) ?? sanitizeBody(toHtml(tokens), url);
  return renderLayout(model, {
    title: `${page.title} · ${config.title}`,
    description: leadText(html) || undefined,
    canonicalUrl: url,
    body: `<article>\n<h1>${escapeHtml(page.title)}</h1>\n${html}</article>`,
    share: { type: 'website', title: page.title },
  });
}
