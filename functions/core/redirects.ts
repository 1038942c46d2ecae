/**
 * An article's old addresses (front matter `aliases`), as Hugo's aliases: a small page at each that sends
 * the reader on to the article (`<meta http-equiv="refresh">` and a canonical link, which search engines
 * treat as a permanent move). Links and bookmarks into a site moved from WordPress or Jekyll, or to an
 * article whose slug changed, keep working. S3 behind CloudFront has no redirect rules without a website
 * endpoint, which origin access control cannot use: hence pages.
 */
import { linkRedirects } from './article-links.ts';
import { ENGLISH_LABELS, type Labels, labelHtml, labelsOf } from './labels.ts';
import type { Problem } from './problems.ts';
import type { OutputPlan } from './render-site.ts';
import { sitePageArticleLinks } from './render-site-page.ts';
import type { PublishedArticle, SiteModel } from './site-model.ts';
import { escapeHtml, textDirection } from './text.ts';

/**
 * The site key an old address is served from: `/2019/05/old-post/` and `/2019/05/old-post` (CloudFront
 * adds the slash) → `2019/05/old-post/index.html`, `/old.html` → `old.html`; a full URL counts by its path
 * (the old domain's). Undefined for what cannot be a page of this site: the root, `.`/`..`/empty segments,
 * internal `_` keys, a query or fragment, or a file that is not `.html`.
 */
export function aliasKey(value: string): string | undefined {
  let path = value.trim();
  if (/^https?:\/\//i.test(path)) {
    try {
      const url = new URL(path);
      if (url.search || url.hash) return undefined;
      path = url.pathname;
    } catch {
      return undefined;
    }
  }
  if (/[?#\\\s]/.test(path)) return undefined;
  try {
    path = decodeURIComponent(path);
  } catch {
    return undefined;
  }
  path = path.replace(/^\//, '');
  const folder = path.endsWith('/');
  const segments = (folder ? path.slice(0, -1) : path).split('/');
  if (segments.some((s) => s === '' || s === '.' || s === '..' || s.startsWith('_'))) return undefined;
  if (folder) return `${path}index.html`;
  const last = segments[segments.length - 1] ?? '';
  if (!last.includes('.')) return `${path}/index.html`;
  return /\.html?$/i.test(last) ? path : undefined;
}

/**
 * One redirect page per old address that no other output of the site uses (`taken`: the planned keys) and
 * no earlier article claimed; a warning for each one left out.
 */
export function planRedirects(
  model: SiteModel,
  taken: ReadonlySet<string>,
): { readonly plans: OutputPlan[]; readonly problems: { problem: Problem; key: string }[] } {
  const plans: OutputPlan[] = [];
  const problems: { problem: Problem; key: string }[] = [];
  const claimed = new Map<string, PublishedArticle>();
  const { language } = model.config;
  const labels = labelsOf(model.config);
  // Oldest first: an address two articles give goes to the one that had it first.
  for (let i = model.articles.length - 1; i >= 0; i--) {
    const article = model.articles[i] as PublishedArticle;
    for (const key of article.aliases ?? []) {
      const owner = claimed.get(key);
      if (taken.has(key) || owner) {
        problems.push({
          key,
          problem: {
            file: article.sourceKey,
            message: `the alias /${key.replace(/index\.html$/, '')} is ${owner ? `an alias of ${owner.sourceKey} already` : 'a page of the site already'}, so it was left out`,
            fix: 'remove it from aliases',
          },
        });
        continue;
      }
      claimed.set(key, article);
      plans.push(redirectPlan(key, article, language, labels));
    }
  }
  // The addresses links by file go to, for articles with slugs of their own (none an article's or alias's).
  for (const [key, article] of linkRedirects(model.articles, sitePageArticleLinks(model.config.pages)))
    if (!taken.has(key)) plans.push(redirectPlan(key, article, language, labels));
  return { plans, problems };
}

function redirectPlan(key: string, article: PublishedArticle, language: string, labels: Labels): OutputPlan {
  return {
    key,
    articles: [article],
    withHtml: false,
    phase: 'index',
    render: () => renderRedirect(article, language, labels),
  };
}

export function renderRedirect(
  article: PublishedArticle,
  language: string,
  labels: Labels = ENGLISH_LABELS,
): string {
  const url = escapeHtml(article.url);
  return `<!doctype html>
<html lang="${escapeHtml(language)}"${textDirection(language) === 'rtl' ? ' dir="rtl"' : ''}>
<head>
<meta charset="utf-8">
<title>${escapeHtml(article.title)}</title>
<link rel="canonical" href="${url}">
<meta name="robots" content="noindex">
<meta http-equiv="refresh" content="0; url=${url}">
</head>
<body>
<p>${labelHtml(labels.movedTo, { link: `<a href="${url}">${url}</a>` })}</p>
</body>
</html>
`;
}
