/**
 * `sitemap.xml` (sitemaps.org 0.9) and `robots.txt`, so search engines find every page. The sitemap is an
 * index of stable parts, like the feed archives: `sitemaps/articles-<k>.xml` holds the k-th 1,000 articles
 * from the oldest (written once it is full and a newer article exists), `sitemaps/articles.xml` the newer
 * ones, `sitemaps/pages.xml` the home, tag and list pages and the standalone pages of `site.yaml`. An upload rewrites the newest part only.
 */
import { sitePageKey } from './layout.ts';
import { paginate } from './paginate.ts';
import type { OutputPlan } from './render-site.ts';
import type { PublishedArticle, SiteModel } from './site-model.ts';
import { escapeHtml } from './text.ts';

export const SITEMAP_KEY = 'sitemap.xml';
export const ROBOTS_KEY = 'robots.txt';
const PAGES_KEY = 'sitemaps/pages.xml';
const LATEST_KEY = 'sitemaps/articles.xml';
const blockKey = (k: number) => `sitemaps/articles-${k}.xml`;
/** Articles per part: well under the protocol's 50,000 URLs and 50 MB. */
export const SITEMAP_BLOCK = 1000;

const HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n';
const NS = 'http://www.sitemaps.org/schemas/sitemap/0.9';

/**
 * A list page's key (`index.html`, `page/3/index.html`, `tags/paris/index.html`): true for the sitemap.
 * Asked of every plan on every run (10,000 article pages after an upload), so those are turned away first.
 */
const isListPage = (key: string) =>
  !key.startsWith('posts/') &&
  key.endsWith('index.html') &&
  (key === 'index.html' || /^(?:page\/\d+\/|tags\/(?:[^/]+\/(?:page\/\d+\/)?)?)index\.html$/.test(key));

/** Same block object, same plan: a warm process finds its fingerprint without hashing 1,000 articles. */
const blockPlans = new WeakMap<object, { readonly inputs: string; readonly plan: OutputPlan }>();

/**
 * The sitemap's plans, given the site's other plans (whose list pages `sitemaps/pages.xml` names), and
 * `robots.txt`. The index and the pages part have no articles: cheap, rendered every run, written when
 * their bytes change.
 */
export function planSitemap(
  model: SiteModel,
  plans: readonly OutputPlan[],
  size = SITEMAP_BLOCK,
): OutputPlan[] {
  const { siteUrl } = model;
  const { blocks } = paginate(model.articles, size);
  const newer = model.articles.slice(0, model.articles.length - blocks.length * size);
  const inputs = `${siteUrl}\n${size}`;
  const parts = blocks.map((block) => {
    const known = blockPlans.get(block);
    if (known && known.inputs === inputs) return known.plan;
    const plan = articlesPlan(blockKey(block.number), block.items);
    blockPlans.set(block, { inputs, plan });
    return plan;
  });
  const sitePages = new Set(model.config.pages.map(sitePageKey));
  const listPages = plans.map((p) => p.key).filter((key) => isListPage(key) || sitePages.has(key));
  const partKeys = [PAGES_KEY, ...parts.map((p) => p.key), LATEST_KEY];
  return [
    ...parts,
    articlesPlan(LATEST_KEY, newer),
    {
      key: PAGES_KEY,
      articles: [],
      withHtml: false,
      phase: 'index',
      dependsOn: listPages.join('\n'),
      render: () =>
        urlSet(
          listPages.map(
            (key) => `<url><loc>${escapeHtml(siteUrl + key.slice(0, -'index.html'.length))}</loc></url>`,
          ),
        ),
    },
    {
      key: SITEMAP_KEY,
      articles: [],
      withHtml: false,
      phase: 'index',
      dependsOn: partKeys.join('\n'),
      render: () =>
        `${HEAD}<sitemapindex xmlns="${NS}">\n${partKeys.map((key) => `<sitemap><loc>${escapeHtml(siteUrl + key)}</loc></sitemap>\n`).join('')}</sitemapindex>\n`,
    },
    {
      key: ROBOTS_KEY,
      articles: [],
      withHtml: false,
      phase: 'index',
      render: () => `User-agent: *\nAllow: /\n\nSitemap: ${siteUrl}${SITEMAP_KEY}\n`,
    },
  ];
}

/** A part of article pages, oldest first, each with the time it last changed. */
function articlesPlan(key: string, newestFirst: readonly PublishedArticle[]): OutputPlan {
  return {
    key,
    articles: newestFirst,
    withHtml: false,
    phase: 'index',
    render: () =>
      urlSet(
        [...newestFirst]
          .reverse()
          .map(
            (a) => `<url><loc>${escapeHtml(a.url)}</loc><lastmod>${a.updated.toISOString()}</lastmod></url>`,
          ),
      ),
  };
}

function urlSet(urls: readonly string[]): string {
  return `${HEAD}<urlset xmlns="${NS}">\n${urls.map((u) => `${u}\n`).join('')}</urlset>\n`;
}
