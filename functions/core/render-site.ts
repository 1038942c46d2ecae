import { renderArticlePage } from './render-article-page.ts';
import { renderFeeds } from './render-feeds.ts';
import { renderHomePage } from './render-home-page.ts';
import type { SiteModel } from './site-model.ts';

/** One public file of the site. */
export interface Output {
  readonly key: string;
  readonly body: string;
}

/**
 * Every public file the model yields, in the order they must be written: article pages first,
 * so that no feed or index ever links to a page that is not there yet.
 */
export function renderSite(model: SiteModel): { pages: Output[]; indexes: Output[] } {
  const pages = model.articles.map((article) => ({
    key: article.pageKey,
    body: renderArticlePage(model, article),
  }));
  const indexes: Output[] = [...renderFeeds(model), { key: 'index.html', body: renderHomePage(model) }];
  return { pages, indexes };
}
