import { FEED_FILES } from './feed-spec.ts';
import { HIGHLIGHT_CSS } from './highlight-code.ts';
import { escapeLabelText, type Labels, labelsOf } from './labels.ts';
import type { SitePage } from './site-config.ts';
import { siteIcon } from './site-icon.ts';
import type { PublishedArticle, SiteModel } from './site-model.ts';
import { escapeHtml, textDirection } from './text.ts';

// Pages carry no script (the CSP forbids it); one inline stylesheet keeps them a single request.
const STYLE = `
:root{color-scheme:light dark;--fg:#1d1d1f;--muted:#5f6368;--bg:#fffdf8;--accent:#8a2c0d;--rule:#e4ddd0}
@media (prefers-color-scheme:dark){:root{--fg:#ece8e1;--muted:#a8a29a;--bg:#161514;--accent:#f0a37f;--rule:#3a3633}}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--fg);font:1.125rem/1.65 Georgia,"Iowan Old Style","Times New Roman",serif}
a{color:var(--accent)}
a:focus-visible{outline:3px solid var(--accent);outline-offset:2px}
.wrap{max-width:42rem;margin:0 auto;padding:1.5rem 1.25rem 4rem}
header.site{border-bottom:2px solid var(--fg);padding-bottom:.75rem;margin-bottom:2rem;display:flex;flex-wrap:wrap;gap:.5rem 1.5rem;align-items:baseline;justify-content:space-between}
header.site a.home{font-size:1.6rem;font-weight:bold;text-decoration:none;color:var(--fg);letter-spacing:-.01em}
nav.feeds{font:0.9rem system-ui,sans-serif;display:flex;gap:1rem}
h1{font-size:2.1rem;line-height:1.2;margin:.2rem 0 .6rem}
h2{font-size:1.4rem;line-height:1.3;margin:2rem 0 .5rem}
.meta{color:var(--muted);font:0.9rem system-ui,sans-serif}
.tags{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:.5rem;font:0.85rem system-ui,sans-serif}
.tags a{display:inline-block;padding:.1rem .55rem;border:1px solid var(--rule);border-radius:1rem;text-decoration:none}
article img{max-width:100%;height:auto}
article audio,article video{width:100%}figure.enclosure{margin:1rem 0}figure.enclosure figcaption{font:0.9rem system-ui,sans-serif}
pre{white-space:pre-wrap;overflow-wrap:anywhere;padding:1rem;background:color-mix(in srgb,var(--fg) 7%,transparent);border-radius:4px;font-size:.9rem}
code{font-family:ui-monospace,Menlo,Consolas,monospace}
table{border-collapse:collapse;width:100%}th,td{border:1px solid var(--rule);padding:.35rem .6rem;text-align:start}
blockquote{margin:1rem 0;padding-inline-start:1rem;border-inline-start:3px solid var(--rule);color:var(--muted)}
ol.articles{list-style:none;padding:0}ol.articles li{padding:1.1rem 0;border-bottom:1px solid var(--rule)}
ol.articles h2{margin:.1rem 0 .3rem;font-size:1.35rem}ol.articles p{margin:.3rem 0}
ul.topics{list-style:none;padding:0}ul.topics li{padding:.5rem 0;border-bottom:1px solid var(--rule)}
footer.site{margin-top:3rem;border-top:1px solid var(--rule);padding-top:1rem;color:var(--muted);font:0.85rem system-ui,sans-serif}
@media print{nav.feeds,footer.site{display:none}body{background:#fff;color:#000}a{color:#000}}
`.trim();

/** A feed in its three formats, as a page's autodiscovery links name it. */
export interface AlternateFeed {
  readonly title: string;
  readonly rss: string;
  readonly atom: string;
  readonly json: string;
}

export interface PageOptions {
  readonly title: string;
  readonly description?: string;
  /** Left out on a page served at many addresses (`404.html`). */
  readonly canonicalUrl?: string;
  readonly body: string;
  /** Extra `<link rel="alternate">` feeds (a tag's) listed before the site's own. */
  readonly extraFeeds?: readonly AlternateFeed[];
  /** Feeds listed after the site's own (on the home page: the digests' and every tag's). */
  readonly moreFeeds?: readonly AlternateFeed[];
  /** Links to the neighbouring pages of a paginated list, shown after the body. */
  readonly pager?: Pager;
  /** What a link to this page shows when shared (Open Graph; read by Twitter/X, Mastodon, Slack…). */
  readonly share?: Share;
}

/** The Open Graph card of a page with a canonical URL; its description is the page's. */
export interface Share {
  readonly type: 'article' | 'website';
  readonly title: string;
  readonly image?: string;
  readonly published?: Date;
  readonly modified?: Date;
  readonly tags?: readonly string[];
  /** An article's author (else the site's): schema.org's `author`. */
  readonly author?: { readonly name: string; readonly url?: string };
}

/**
 * schema.org `BlogPosting` as JSON-LD, what search engines read for an article's headline, dates, image
 * and author. A data block: no script runs (the CSP forbids any), and `<` is escaped so the text cannot
 * close the element.
 */
function articleData(share: Share, url: string, description: string, siteName: string): string {
  const data = {
    '@context': 'https://schema.org',
    '@type': 'BlogPosting',
    headline: share.title,
    url,
    mainEntityOfPage: url,
    ...(description ? { description } : {}),
    ...(share.image ? { image: [share.image] } : {}),
    ...(share.published ? { datePublished: share.published.toISOString() } : {}),
    ...(share.modified ? { dateModified: share.modified.toISOString() } : {}),
    ...(share.author
      ? {
          author: {
            '@type': 'Person',
            name: share.author.name,
            ...(share.author.url ? { url: share.author.url } : {}),
          },
        }
      : {}),
    publisher: { '@type': 'Organization', name: siteName },
    ...(share.tags && share.tags.length > 0 ? { keywords: share.tags.join(', ') } : {}),
  };
  const json = JSON.stringify(data).replace(/</g, '\\u003c');
  return `<script type="application/ld+json">${json}</script>\n`;
}

/** `og:` and `article:` properties, and a Twitter card that takes them. */
function shareHead(share: Share, url: string, description: string, siteName: string): string {
  const meta = (property: string, content: string) =>
    `<meta property="${property}" content="${escapeHtml(content)}">\n`;
  const modified =
    share.modified && share.modified.getTime() !== share.published?.getTime() ? share.modified : undefined;
  return [
    meta('og:type', share.type),
    meta('og:site_name', siteName),
    meta('og:title', share.title),
    meta('og:url', url),
    description ? meta('og:description', description) : '',
    share.image ? meta('og:image', share.image) : '',
    share.published ? meta('article:published_time', share.published.toISOString()) : '',
    modified ? meta('article:modified_time', modified.toISOString()) : '',
    ...(share.tags ?? []).map((tag) => meta('article:tag', tag)),
    `<meta name="twitter:card" content="${share.image ? 'summary_large_image' : 'summary'}">\n`,
    share.type === 'article' ? articleData(share, url, description, siteName) : '',
  ].join('');
}

/** Absolute URLs of the pages before and after a list page; a missing one is not linked. */
export interface Pager {
  /** The page of the next newer articles (the home or tag page, or the next block). */
  readonly newer?: string;
  /** The page of the next older articles. */
  readonly older?: string;
}

// Only list pages with neighbours carry these, so every other page keeps its bytes.
const PAGER_STYLE =
  'nav.pager{display:flex;flex-wrap:wrap;gap:1rem;justify-content:space-between;margin-top:2rem;font:1rem system-ui,sans-serif}nav.pager a.older{margin-inline-start:auto}@media print{nav.pager{display:none}}';

const hasPager = (pager: Pager | undefined): pager is Pager => Boolean(pager?.newer || pager?.older);

// Only sites with pages (site.yaml `pages`) carry these.
const PAGES_STYLE =
  'nav.pages{font:0.95rem system-ui,sans-serif;display:flex;flex-wrap:wrap;gap:1rem;margin-inline-end:auto}@media print{nav.pages{display:none}}';

/** The key of a standalone page (`about/index.html`). */
export const sitePageKey = (page: SitePage): string => `${page.slug}/index.html`;

/** Links to the site's standalone pages, after the site's name. */
function pagesNav(pages: readonly SitePage[], siteUrl: string, labels: Labels): string {
  const links = pages.map(
    (p) => `<a href="${escapeHtml(`${siteUrl}${p.slug}/`)}">${escapeHtml(p.title)}</a>`,
  );
  return `<nav class="pages" aria-label="${escapeLabelText(labels.pagesMenu)}">\n${links.join('\n')}\n</nav>\n`;
}

/** `<link rel="prev/next">` in the head, newer first. */
function pagerHead(pager: Pager): string {
  return [
    pager.newer ? `<link rel="prev" href="${escapeHtml(pager.newer)}">\n` : '',
    pager.older ? `<link rel="next" href="${escapeHtml(pager.older)}">\n` : '',
  ].join('');
}

/** "Newer articles" / "Older articles" links, after the list. */
function pagerNav(pager: Pager, labels: Labels): string {
  const links = [
    pager.newer
      ? `<a class="newer" rel="prev" href="${escapeHtml(pager.newer)}"><span aria-hidden="true">←</span> ${escapeLabelText(labels.newerArticles)}</a>`
      : '',
    pager.older
      ? `<a class="older" rel="next" href="${escapeHtml(pager.older)}">${escapeLabelText(labels.olderArticles)} <span aria-hidden="true">→</span></a>`
      : '',
  ].filter(Boolean);
  return `\n<nav class="pager" aria-label="${escapeLabelText(labels.pagerMenu)}">\n${links.join('\n')}\n</nav>`;
}

/** The HTML shell of every page: language, canonical URL, and autodiscovery links for every feed. */
export function renderLayout(model: SiteModel, page: PageOptions): string {
  const { config, siteUrl } = model;
  const labels = labelsOf(config);
  const feeds = [
    ...(page.extraFeeds ?? []),
    {
      title: config.title,
      rss: siteUrl + FEED_FILES.rss,
      atom: siteUrl + FEED_FILES.atom,
      json: siteUrl + FEED_FILES.json,
    },
    ...(page.moreFeeds ?? []),
  ];
  const alternates = feeds
    .flatMap((f) => [
      `<link rel="alternate" type="application/rss+xml" title="${escapeHtml(f.title)} (RSS)" href="${escapeHtml(f.rss)}">`,
      `<link rel="alternate" type="application/atom+xml" title="${escapeHtml(f.title)} (Atom)" href="${escapeHtml(f.atom)}">`,
      `<link rel="alternate" type="application/feed+json" title="${escapeHtml(f.title)} (JSON Feed)" href="${escapeHtml(f.json)}">`,
    ])
    .join('\n');
  const description = page.description ?? config.description;
  const pager = hasPager(page.pager) ? page.pager : undefined;
  const icon = siteIcon(config, siteUrl);
  const iconLink = icon
    ? `<link rel="icon" href="${escapeHtml(icon.url)}"${icon.type ? ` type="${icon.type}"` : ''}>\n`
    : '';
  return `<!doctype html>
<html lang="${escapeHtml(config.language)}"${textDirection(config.language) === 'rtl' ? ' dir="rtl"' : ''}>
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(page.title)}</title>
${iconLink}${description ? `<meta name="description" content="${escapeHtml(description)}">\n` : ''}${page.canonicalUrl ? `<link rel="canonical" href="${escapeHtml(page.canonicalUrl)}">\n` : ''}${page.share && page.canonicalUrl ? shareHead(page.share, page.canonicalUrl, description, config.title) : ''}${alternates}
${pager ? pagerHead(pager) : ''}<style>${STYLE}${pager ? PAGER_STYLE : ''}${config.pages.length > 0 ? PAGES_STYLE : ''}${page.body.includes('<span class="hljs-') ? HIGHLIGHT_CSS : ''}</style>
</head>
<body>
<div class="wrap">
<header class="site">
<a class="home" href="${escapeHtml(siteUrl)}">${escapeHtml(config.title)}</a>
${config.pages.length > 0 ? pagesNav(config.pages, siteUrl, labels) : ''}<nav class="feeds" aria-label="${escapeLabelText(labels.feedsMenu)}">
<a href="${escapeHtml(siteUrl + FEED_FILES.rss)}">RSS</a>
<a href="${escapeHtml(siteUrl + FEED_FILES.atom)}">Atom</a>
<a href="${escapeHtml(siteUrl + FEED_FILES.json)}">JSON Feed</a>
</nav>
</header>
<main id="main">
${page.body}${pager ? pagerNav(pager, labels) : ''}
</main>
<footer class="site"><p>${escapeHtml(config.title)}${config.description ? ` — ${escapeHtml(config.description)}` : ''}</p></footer>
</div>
</body>
</html>
`;
}

/** A date as readers of the site's language expect it, in the site's time zone. */
export function formatDate(date: Date, model: SiteModel): string {
  const { language, timeZone } = model.config;
  // Building an Intl formatter costs ~100× formatting with one: 10,000 articles are dated on every full build.
  const cacheKey = `${language}\n${timeZone}`;
  let format = dateFormats.get(cacheKey);
  if (!format) {
    format = new Intl.DateTimeFormat(language, { dateStyle: 'long', timeZone });
    dateFormats.set(cacheKey, format);
  }
  return format.format(date);
}

const dateFormats = new Map<string, Intl.DateTimeFormat>();

/** A list of articles, newest first: date, author, linked title and summary (home and tag pages). */
export function renderArticleList(model: SiteModel, articles: readonly PublishedArticle[]): string {
  const items = articles
    .map(
      (a) => `<li>
<p class="meta"><time datetime="${a.published.toISOString()}">${escapeHtml(formatDate(a.published, model))}</time>${a.author ? ` · ${escapeHtml(a.author.name)}` : ''}</p>
<h2><a href="${escapeHtml(a.url)}">${escapeHtml(a.title)}</a></h2>
<p>${escapeHtml(a.summaryText)}</p>
</li>`,
    )
    .join('\n');
  return `<ol class="articles">\n${items}\n</ol>`;
}
