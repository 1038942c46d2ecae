import { formatDate, renderLayout } from './layout.ts';
import type { SiteModel } from './site-model.ts';
import { escapeHtml } from './text.ts';

/** The home page: every article, newest first, with its date and summary. */
export function renderHomePage(model: SiteModel): string {
  const items = model.articles
    .map(
      (a) => `<li>
<p class="meta"><time datetime="${a.published.toISOString()}">${escapeHtml(formatDate(a.published, model))}</time>${a.author ? ` · ${escapeHtml(a.author.name)}` : ''}</p>
<h2><a href="${escapeHtml(a.url)}">${escapeHtml(a.title)}</a></h2>
<p>${escapeHtml(a.summaryText)}</p>
</li>`,
    )
    .join('\n');
  const body =
    model.articles.length > 0
      ? `<h1>${escapeHtml(model.config.title)}</h1>\n<ol class="articles">\n${items}\n</ol>`
      : `<h1>${escapeHtml(model.config.title)}</h1>\n<p>No articles yet.</p>`;
  return renderLayout(model, { title: model.config.title, canonicalUrl: model.siteUrl, body });
}
