import { escapeLabelText, labelHtml, labelsOf } from './labels.ts';
import { renderLayout } from './layout.ts';
import type { OutputPlan } from './render-site.ts';
import type { SiteModel } from './site-model.ts';
import { escapeHtml } from './text.ts';

/** What CloudFront serves, with status 404, for any address with no page (see `lib/site-distribution.ts`). */
export const NOT_FOUND_KEY = '404.html';

/** `404.html`: it depends on the site's settings alone, so it is written once and then left as it is. */
export function planNotFoundPage(model: SiteModel): OutputPlan {
  return {
    key: NOT_FOUND_KEY,
    articles: [],
    withHtml: false,
    phase: 'index',
    render: () => renderNotFoundPage(model),
  };
}

/**
 * Served at whatever address was asked for, so every link is absolute (the layout's are) and the page names
 * no canonical URL of its own.
 */
export function renderNotFoundPage(model: SiteModel): string {
  const { config, siteUrl } = model;
  const labels = labelsOf(config);
  const body = `<h1>${escapeLabelText(labels.notFoundTitle)}</h1>
<p>${escapeLabelText(labels.notFoundText)}</p>
<p><a href="${escapeHtml(siteUrl)}">${labelHtml(labels.notFoundLink, { site: escapeHtml(config.title) })}</a></p>`;
  return renderLayout(model, { title: `${labels.notFoundTitle} · ${config.title}`, body });
}
