/**
 * Links from one article to another by its file, as authors write them in editors that preview Markdown
 * (VS Code, Obsidian, GitHub): `[the talks](2025-01-15-ceasefire-talks.md#the-vote)`. The file is not
 * published, its page is: the link is rewritten, when the article is read, to the page its file name
 * gives (`../ceasefire-talks/#the-vote`), and each run checks against the model that the page is there.
 */
import { createHash } from 'node:crypto';
import { decodeHTML } from 'entities';
import type { Token } from 'marked';
import { isArticleKey } from './article-key.ts';
import { visitTokens } from './markdown.ts';
import type { Problem } from './problems.ts';
import { SITE_CONFIG_FILE } from './site-config.ts';
import type { PublishedArticle } from './site-model.ts';
import { escapeHtml, slugify } from './text.ts';

/** A link to another article's file: where it was written, the file, and the slug its name gives. */
export interface ArticleLink {
  readonly ref: string;
  readonly key: string;
  readonly slug: string;
  /** 1-based line in the source file, when found. */
  readonly line?: number;
}

const FILE_DATE = /^(\d{4}-\d{2}-\d{2})[-_ ]?/;

/** The slug an article's file name gives it (the parser's default, when the front matter names none). */
export function slugFromFileName(key: string): string {
  const name = key.slice(key.lastIndexOf('/') + 1);
  return slugify(name.replace(/\.[^.]+$/, '').replace(FILE_DATE, ''));
}

/** The last resort, when neither the file name nor the title gives a slug (`2025-01-10-київ.md`, `Київ`). */
export function slugFromKey(key: string): string {
  return createHash('sha1').update(key).digest('hex').slice(0, 10);
}

/** Cheap test first: most articles link no file with an article's extension. */
export const MAY_LINK_ARTICLE = /\.(?:md|markdown|txt)\b/i;

/**
 * Rewrites, in place, each Markdown link in `tokens` whose target is another article's file (relative to
 * `sourceKey`'s folder) to that article's page, relative to this one's (`../slug/`), keeping `#fragment`.
 * Returns the links rewritten; `lineOf` gives the line of a link's text in the source.
 */
export function linkArticleFiles(
  tokens: Token[],
  source: string,
  sourceKey: string,
  lineOf: (raw: string) => number | undefined,
  /** From the linking page to the folder of article pages: `../` from an article, `../posts/` from a site.yaml page. */
  toPosts = '../',
): ArticleLink[] {
  if (!MAY_LINK_ARTICLE.test(source)) return [];
  const folder = sourceKey.slice(0, sourceKey.lastIndexOf('/') + 1);
  const links: ArticleLink[] = [];
  /** The page's address for a link to `href`, noted in `links`; undefined for a link to no other article. */
  const pageOf = (href: string, raw: string): string | undefined => {
    const target = articleFileOf(href, folder);
    if (!target || target.key === sourceKey) return undefined;
    // A name with no Latin letters (`київ.md`): most likely a title with none either, so the last resort.
    const slug = slugFromFileName(target.key) || slugFromKey(target.key);
    const line = lineOf(raw);
    links.push({ ref: href, key: target.key, slug, ...(line ? { line } : {}) });
    return `${toPosts}${slug}/${target.fragment}`;
  };
  visitTokens(tokens, (token) => {
    if (token.type === 'link') token.href = pageOf(String(token.href), token.raw) ?? token.href;
    // `<a href="x.md">` in the article's own HTML, as the Markdown link is: its page.
    else if (token.type === 'html' && /<a\s/i.test(token.text))
      token.text = String(token.text).replace(A_HREF, (tag, start: string, ...values: unknown[]) => {
        const value = values.slice(0, 3).find((v) => v !== undefined) as string;
        const page = pageOf(decodeHTML(value), tag);
        return page === undefined ? tag : `${start}"${escapeHtml(page)}"`;
      });
  });
  return links;
}

/** An `<a>` tag up to its `href`'s value, quoted either way or not at all. */
const A_HREF = /(<a\s(?:[^>]*?\s)?href\s*=\s*)(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+))/gi;

/** The article file a relative link names, from the folder of the article it is in, and its `#fragment`. */
function articleFileOf(href: string, folder: string): { key: string; fragment: string } | undefined {
  if (/^[a-z][a-z0-9+.-]*:/i.test(href) || href.startsWith('/') || href.startsWith('#')) return undefined;
  const hash = href.indexOf('#');
  const fragment = hash === -1 ? '' : href.slice(hash);
  const path = (hash === -1 ? href : href.slice(0, hash)).replace(/\?.*$/, '');
  if (!/\.(?:md|markdown|txt)$/i.test(path)) return undefined;
  try {
    const key = decodeURIComponent(new URL(path, `http://content/${folder}`).pathname.slice(1));
    return isArticleKey(key) ? { key, fragment } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The address a link by file goes to, when its article is published under a slug of its own (front matter
 * `slug:`): a redirect page to where it is, as an alias has, so that the link works while the body stays a
 * function of its own source. Key `posts/<file's slug>/index.html` → that article; none where an article's
 * page or an alias is (a `-2` beside an older article: that address is the older one's page).
 */
export function linkRedirects(
  articles: readonly PublishedArticle[],
  /** The links of site.yaml's pages (`sitePageArticleLinks`), after the articles'. */
  pageLinks: readonly ArticleLink[] = [],
): Map<string, PublishedArticle> {
  const redirects = new Map<string, PublishedArticle>();
  const linking = articles.filter((a) => a.articleLinks);
  if (linking.length === 0 && pageLinks.length === 0) return redirects;
  const bySource = new Map(articles.map((a) => [a.sourceKey, a]));
  const taken = new Set(articles.flatMap((a) => [a.pageKey, ...(a.aliases ?? [])]));
  // Oldest linking article first, as aliases are claimed: two files with one name in two folders, both
  // with slugs of their own, give the address to the one linked first.
  for (const links of [...linking.map((a) => a.articleLinks ?? []).reverse(), pageLinks]) {
    for (const link of links) {
      const target = bySource.get(link.key);
      const key = `posts/${link.slug}/index.html`;
      if (target && target.slug !== link.slug && !taken.has(key) && !redirects.has(key))
        redirects.set(key, target);
    }
  }
  return redirects;
}

/**
 * What each run says about those links: one whose article is not published (missing, skipped, a draft,
 * not yet due), or is published under another slug where no redirect can lead (`-2` beside an older one).
 */
export function articleLinkProblems(
  articles: readonly PublishedArticle[],
  /** The links of site.yaml's pages (`sitePageArticleLinks`): named as site.yaml's. */
  pageLinks: readonly ArticleLink[] = [],
): Problem[] {
  const linking = articles.filter((a) => a.articleLinks);
  if (linking.length === 0 && pageLinks.length === 0) return [];
  const bySource = new Map(articles.map((a) => [a.sourceKey, a]));
  const slugs = new Map(articles.map((a) => [a.sourceKey, a.slug]));
  const redirects = linkRedirects(articles, pageLinks);
  const problems: Problem[] = [];
  const from = [
    ...linking.map((a) => ({ file: a.sourceKey, links: a.articleLinks ?? [] })),
    ...(pageLinks.length > 0 ? [{ file: SITE_CONFIG_FILE, links: pageLinks }] : []),
  ];
  for (const { file, links } of from) {
    for (const link of links) {
      const slug = slugs.get(link.key);
      if (slug === link.slug) continue;
      const key = `posts/${link.slug}/index.html`;
      // A redirect leads there: one made for the link, or the article's own alias.
      if (redirects.get(key)?.sourceKey === link.key || bySource.get(link.key)?.aliases?.includes(key))
        continue;
      const at = { file, ...(link.line ? { line: link.line } : {}) };
      problems.push(
        slug === undefined
          ? {
              ...at,
              message: `the link to ${link.ref} goes to an article that is not published (not in the content, skipped, a draft or not yet due), so it is broken`,
              fix: `publish ${link.key}, or correct the link`,
            }
          : {
              ...at,
              message: `the link to ${link.ref} goes to posts/${link.slug}/, but that article is published at posts/${slug}/`,
              fix: `link to its page instead: (../${slug}/), or give it no slug of its own`,
            },
      );
    }
  }
  return problems;
}
