/**
 * Images uploaded beside the articles. An article's relative image (`![](photo.jpg)`, `image: cover.jpg`)
 * is made absolute against its page (`posts/<slug>/photo.jpg`, DESIGN.md), so the file the author put
 * next to the article (`content/photo.jpg`; `content/pics/a.png` for `pics/a.png`) is published there,
 * byte for byte. Pure: the publisher reads and writes the bytes.
 */
import { Buffer } from 'node:buffer';
import { isPublishable } from './article-key.ts';
import { imageTypeOf } from './content-types.ts';
import type { Problem } from './problems.ts';
import type { OutputPlan } from './render-site.ts';
import type { PublishedArticle } from './site-model.ts';

/** Larger images are not read (they would also make every page that shows them slow). */
export const MAX_MEDIA_BYTES = 10 * 1024 * 1024;

/** Why an image of `size` bytes is not published, if it is too large to be. */
export function oversizedImage(key: string, size: number): Problem | undefined {
  if (size <= MAX_MEDIA_BYTES) return undefined;
  return {
    file: key,
    message: `the image is ${(size / 1024 / 1024).toFixed(1)} MB, over the 10 MB limit`,
    fix: 'resize it (2,000 pixels across is plenty for a page), or host it elsewhere and link it by URL',
  };
}

/** A content file published as it is: an image that is not hidden (`.` or `_`, as for articles). */
export function isMediaKey(key: string): boolean {
  return isPublishable(key) && imageTypeOf(key) !== undefined;
}

/**
 * The images an article shows or links, as paths under its page: every `src`/`href` in its sanitised
 * HTML (absolute already) that names an image below `pageUrl`, and its front-matter image. Sorted, once
 * each. The HTML may be UTF-8 bytes (a worker's body): searched without decoding it.
 */
export function mediaRefsIn(html: string | Uint8Array, pageUrl: string, imageUrl?: string): string[] {
  const found = new Set<string>();
  const add = (url: string) => {
    const ref = refUnder(url, pageUrl);
    if (ref) found.add(ref);
  };
  if (imageUrl) add(imageUrl);
  // Attribute values are written in double quotes by both body renderers.
  const needle = `="${pageUrl}`;
  if (typeof html === 'string') {
    for (let i = html.indexOf(needle); i !== -1; i = html.indexOf(needle, i + needle.length)) {
      const end = html.indexOf('"', i + 2);
      if (end === -1) break;
      add(html.slice(i + 2, end).replaceAll('&amp;', '&'));
    }
  } else {
    const bytes = Buffer.from(html.buffer, html.byteOffset, html.byteLength);
    const pattern = Buffer.from(needle);
    for (let i = bytes.indexOf(pattern); i !== -1; i = bytes.indexOf(pattern, i + pattern.length)) {
      const end = bytes.indexOf(0x22, i + 2);
      if (end === -1) break;
      add(bytes.toString('utf8', i + 2, end).replaceAll('&amp;', '&'));
    }
  }
  return [...found].sort();
}

/** The image path `url` names below `pageUrl` (`pics/a.png`), if it is one a content file can be. */
function refUnder(url: string, pageUrl: string): string | undefined {
  let path: string;
  try {
    const parsed = new URL(url);
    const page = new URL(pageUrl);
    if (parsed.origin !== page.origin || !parsed.pathname.startsWith(page.pathname)) return undefined;
    path = decodeURIComponent(parsed.pathname.slice(page.pathname.length));
  } catch {
    return undefined;
  }
  if (!path || path.split('/').some((s) => s === '' || s === '..') || !isMediaKey(path)) return undefined;
  return path;
}

/** An image an article shows that the content does not have: the warning, and the path as written. */
export interface MissingImage {
  readonly ref: string;
  readonly problem: Problem;
}

/** What `planMedia` needs of the content: a media file's version, or why it is not published. */
export type MediaLookup = (key: string) => { readonly version: string; readonly ok: boolean } | undefined;

/**
 * One output per image an article shows from the content, at `posts/<slug>/<path>`, copied from
 * `<article's folder>/<path>`; a warning for each image the article shows that is not there.
 */
export function planMedia(
  articles: readonly PublishedArticle[],
  refsOf: (article: PublishedArticle) => readonly string[] | undefined,
  lookup: MediaLookup,
): { readonly plans: OutputPlan[]; readonly missing: MissingImage[] } {
  const plans: OutputPlan[] = [];
  const missing: MissingImage[] = [];
  for (const article of articles) {
    const refs = refsOf(article);
    if (!refs) continue;
    const folder = article.sourceKey.slice(0, article.sourceKey.lastIndexOf('/') + 1);
    const pageFolder = article.pageKey.slice(0, article.pageKey.lastIndexOf('/') + 1);
    for (const ref of refs) {
      const from = folder + ref;
      const media = lookup(from);
      if (!media) {
        const problem = {
          file: article.sourceKey,
          message: `the image ${ref} is not in the content, so it is missing on the page and in the feeds`,
          fix: `upload ${from} beside the article, or correct the path`,
        };
        missing.push({ ref, problem });
        continue;
      }
      // Over the size limit: the media file's own problem says so.
      if (!media.ok) continue;
      plans.push({
        key: pageFolder + ref,
        articles: [article],
        withHtml: false,
        phase: 'page',
        dependsOn: `${from}\n${media.version}`,
        copyOf: from,
        render: () => {
          throw new Error(`${from} is published as it is, not rendered`);
        },
      });
    }
  }
  return { plans, missing };
}
