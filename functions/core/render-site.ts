import { digestFeedLinks, planDigests } from './digest/plan-digests.ts';
import { renderArticlePage } from './render-article-page.ts';
import { renderFeeds } from './render-feeds.ts';
import { planHomePages } from './render-home-page.ts';
import { PAGE_FILE, type RenderJob } from './render-job.ts';
import { planNotFoundPage } from './render-not-found-page.ts';
import { planSitePages } from './render-site-page.ts';
import { planSitemap } from './render-sitemap.ts';
import { type PublishedArticle, type SiteModel, siteInputs, siteOnly } from './site-model.ts';

/** One public file of the site, rendered. */
export interface Output {
  readonly key: string;
  readonly body: string;
}

/**
 * One public file of the site, before it is rendered. `articles` and `withHtml` say what it is made of,
 * so the publisher can tell from metadata alone whether it changed, and render only what did.
 */
export interface OutputPlan {
  readonly key: string;
  /** Every article the output shows (title, date, link…). */
  readonly articles: readonly PublishedArticle[];
  /** True when the output also carries the articles' full HTML (pages, feeds with content). */
  readonly withHtml: boolean;
  /** Write after every article page exists (feeds, indexes) rather than with the pages. */
  readonly phase: 'page' | 'index';
  /**
   * Anything else the output shows, besides its articles, `model.config` and `model.siteUrl`, as a stable
   * string (a feed's `prev-archive` link, which moves with the number of articles; the tag list of
   * `feeds.opml`). When it changes, the output must be rendered again. A plan with no articles and no
   * `dependsOn` (`feed.css`) depends on config and site URL only.
   */
  readonly dependsOn?: string;
  render(): string;
  /** A content file published byte for byte (an image, `media.ts`): read when written, never rendered. */
  readonly copyOf?: string;
  /** The same rendering as plain data, when it can run on another thread. */
  readonly job?: RenderJob;
}

const pagePlans = new WeakMap<PublishedArticle, { readonly inputs: string; readonly plan: OutputPlan }>();

/**
 * Every public file the model yields. Article pages are written first, so no feed or index ever
 * links to a page that is not there yet. The list starts with one page per article, in the model's
 * order, and has no other page: the publisher finds an upload's unchanged pages by position.
 */
export function planSite(model: SiteModel, now?: Date): OutputPlan[] {
  const inputs = siteInputs(model);
  const pages = model.articles.map((article) => {
    // The same article object under the same site inputs gets the same plan back (a warm process's runs).
    const known = pagePlans.get(article);
    if (known && known.inputs === inputs) return known.plan;
    const site = siteOnly(model);
    const plan: OutputPlan = {
      key: article.pageKey,
      articles: [article],
      withHtml: true,
      phase: 'page',
      render: () => renderArticlePage(site, article),
      // A full build renders pages on the workers too, which else wait while this thread writes them.
      job: article.pageKey.endsWith(`/${PAGE_FILE}`)
        ? {
            document: { kind: 'page', site: { config: model.config, siteUrl: model.siteUrl }, article },
            file: PAGE_FILE,
          }
        : undefined,
    };
    pagePlans.set(article, { inputs, plan });
    return plan;
  });
  // Digests of finished periods only: without `now` there are none.
  const digests = planDigests(model, now);
  // The home page and `feeds.opml` name every feed; the digests' exists once a period has finished.
  const digestFeed = digests.length > 0 ? digestFeedLinks(model) : undefined;
  const plans = [
    ...pages,
    ...renderFeeds(model, digestFeed),
    ...digests,
    // The home page shows the newest `pageSize` articles; older ones live on stable block pages `page/<k>/`.
    ...planHomePages(model, digestFeed),
    planNotFoundPage(model),
    ...planSitePages(model),
  ];
  // The sitemap names the list pages planned above.
  return [...plans, ...planSitemap(model, plans)];
}
