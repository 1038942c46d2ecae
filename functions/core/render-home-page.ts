import { renderArticleList, renderLayout } from './layout.ts';
import type { SiteModel } from './site-model.ts';
import { escapeHtml } from './text.ts';

/** The home page: every article, newest first, with its date and summary. */
export function renderHomePage(model: SiteModel): string {
  const body =
    model.articles.length > 0
      ? `<h1>${escapeHtml(model.config.title)}</h1>\n${renderArticleList(model, model.articles)}`
      : `<h1>${escapeHtml(model.config.title)}</h1>\n<p>No articles yet.</p>`;
  return renderLayout(model, { title: model.config.title, canonicalUrl: model.siteUrl, body });
}
