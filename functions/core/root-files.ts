/**
 * Files other programs ask a site for by a fixed name at its root: crawlers `robots.txt`, ad networks
 * `ads.txt` and `app-ads.txt`, AI tools `llms.txt`, browsers `favicon.ico` and iOS `apple-touch-icon.png`.
 * One of them at the top of the content is published at the same address, byte for byte, on every run
 * while it is there (an author's `robots.txt` replaces the one the publisher writes). The text ones are
 * never articles, wherever they are: a `blog/robots.txt` is one put in the wrong folder, not a post.
 * No imports but types: `article-key.ts` is loaded by the CLI before anything else.
 */
import type { Problem } from './problems.ts';

export const ROOT_FILES = [
  'robots.txt',
  'ads.txt',
  'app-ads.txt',
  'humans.txt',
  'llms.txt',
  'favicon.ico',
  'apple-touch-icon.png',
] as const;

const TEXT_NAMES: ReadonlySet<string> = new Set(ROOT_FILES.filter((name) => name.endsWith('.txt')));

/** A content key published at the site's root as it is: one of `ROOT_FILES`, at the top, in lower case. */
export function isRootFileKey(key: string): boolean {
  return (ROOT_FILES as readonly string[]).includes(key);
}

/** The root file a key's name is, in any folder or letter case (`blog/Robots.txt` → `robots.txt`). */
export function rootTextName(key: string): string | undefined {
  const name = (key.split('/').pop() ?? '').toLowerCase();
  return TEXT_NAMES.has(name) ? name : undefined;
}

/**
 * An author's `robots.txt` that names no sitemap: search engines then find the pages only by following
 * links (the `robots.txt` the publisher writes names `sitemap.xml`). A warning: the file is published.
 */
export function robotsProblem(text: string, siteUrl: string): Problem | undefined {
  if (/^[ \t]*sitemap[ \t]*:/im.test(text)) return undefined;
  return {
    file: 'robots.txt',
    message: 'it names no sitemap, so search engines find the pages only by following links',
    fix: `add the line "Sitemap: ${siteUrl}sitemap.xml", as the robots.txt the publisher writes has`,
  };
}
