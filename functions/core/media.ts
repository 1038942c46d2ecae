/**
 * Images and other files (PDF, audio, video: `content-types.ts`) uploaded beside the articles. An article's
 * relative image or link (`![](photo.jpg)`, `image: cover.jpg`, `[the report](report.pdf)`) is made
 * absolute against its page (`posts/<slug>/photo.jpg`, DESIGN.md), so the file the author put next to the
 * article (`content/photo.jpg`; `content/pics/a.png` for `pics/a.png`) is published there, byte for byte.
 * Pure: the publisher reads and writes the bytes.
 */
import { Buffer } from 'node:buffer';
import { imageSize } from 'image-size';
import { isPublishable } from './article-key.ts';
import { imageTypeOf, mediaTypeOf } from './content-types.ts';
import type { Problem } from './problems.ts';
import type { OutputPlan } from './render-site.ts';
import { isRootFileKey } from './root-files.ts';
import { SITE_CONFIG_FILE } from './site-config.ts';
import type { PublishedArticle } from './site-model.ts';

/** Larger images are not read (they would also make every page that shows them slow). */
export const MAX_IMAGE_BYTES = 10 * 1024 * 1024;
/** Larger files are not read: the publisher holds a file in memory while it copies it. */
export const MAX_FILE_BYTES = 25 * 1024 * 1024;

/** Why a media file of `size` bytes is not published, if it is too large to be. */
export function oversizedMedia(key: string, size: number): Problem | undefined {
  const image = isImageKey(key);
  const limit = image ? MAX_IMAGE_BYTES : MAX_FILE_BYTES;
  if (size <= limit) return undefined;
  const mb = (n: number) => (n / 1024 / 1024).toFixed(1);
  return {
    file: key,
    message: `the ${image ? 'image' : 'file'} is ${mb(size)} MB, over the ${limit / 1024 / 1024} MB limit`,
    fix: image
      ? 'resize it (2,000 pixels across is plenty for a page), or host it elsewhere and link it by URL'
      : 'host it elsewhere (a podcast or video host, a file share) and link it by URL',
  };
}

/**
 * An image's size in pixels as a reader sees it (an EXIF rotation of a quarter turn swaps the sides), read
 * from its header; undefined when its bytes give none (an SVG without a width, an unknown format).
 */
export function imagePixels(bytes: Uint8Array): readonly [width: number, height: number] | undefined {
  let size: ReturnType<typeof imageSize>;
  try {
    size = imageSize(bytes);
  } catch {
    return undefined;
  }
  const { width, height, orientation = 1 } = size;
  if (!(width > 0 && height > 0)) return undefined;
  return orientation >= 5 ? [height, width] : [width, height];
}

/**
 * A content file published as it is (an image, a PDF…, or a file the site serves at its root such as
 * `robots.txt`) that is not hidden (`.` or `_`, as for articles).
 */
export function isMediaKey(key: string): boolean {
  return isPublishable(key) && (mediaTypeOf(key) !== undefined || isRootFileKey(key));
}

/** True for a media file that is an image (the rest are "files" in reports and messages). */
export function isImageKey(key: string): boolean {
  return imageTypeOf(key) !== undefined;
}

/**
 * The media files an article shows or links, as paths under its page: every `src`/`href` in its sanitised
 * HTML (absolute already) that names a media file below `pageUrl`, and its front matter's image and enclosure. Sorted, once
 * each. The HTML may be UTF-8 bytes (a worker's body): searched without decoding it.
 */
export function mediaRefsIn(
  html: string | Uint8Array,
  pageUrl: string,
  ...frontMatterUrls: (string | undefined)[]
): string[] {
  const found = new Set<string>();
  const add = (url: string) => {
    const ref = refUnder(url, pageUrl);
    if (ref) found.add(ref);
  };
  for (const url of frontMatterUrls) if (url) add(url);
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

/** The content key of the media file `url` names on the page of the article from `sourceKey`, if any. */
export function mediaKeyOf(sourceKey: string, url: string, pageUrl: string): string | undefined {
  const ref = refUnder(url, pageUrl);
  return ref === undefined ? undefined : sourceKey.slice(0, sourceKey.lastIndexOf('/') + 1) + ref;
}

/** The media path `url` names below `pageUrl` (`pics/a.png`), if it is one a content file can be. */
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

/** A media file an article shows or links that the content does not have: the warning, and the path. */
export interface MissingMedia {
  readonly ref: string;
  readonly problem: Problem;
}

/**
 * Where a media file an article names but the content lacks most likely is: the same path in other letter
 * case (S3 tells `Dawn.JPG` from `dawn.jpg`; macOS and Windows do not, so the mistake goes unseen until it
 * is uploaded), else the one media file of that name elsewhere. The index is built at the first miss.
 */
export function mediaFinder(keys: () => Iterable<string>): (key: string) => string | undefined {
  let byPath: Map<string, string[]> | undefined;
  let byName: Map<string, string[]> | undefined;
  const add = (map: Map<string, string[]>, at: string, key: string) => {
    const list = map.get(at);
    if (list) list.push(key);
    else map.set(at, [key]);
  };
  const nameOf = (key: string) => key.slice(key.lastIndexOf('/') + 1).toLowerCase();
  return (key) => {
    if (!byPath || !byName) {
      byPath = new Map();
      byName = new Map();
      for (const k of keys()) {
        add(byPath, k.toLowerCase(), k);
        add(byName, nameOf(k), k);
      }
    }
    const sameAt = byPath.get(key.toLowerCase());
    if (sameAt?.length === 1) return sameAt[0];
    const named = byName.get(nameOf(key));
    return named?.length === 1 ? named[0] : undefined;
  };
}

/** What `planMedia` needs of the content: a media file's version, and whether it can be published. */
export type MediaLookup = (key: string) => { readonly version: string; readonly ok: boolean } | undefined;

/**
 * One output per media file an article shows or links from the content, at `posts/<slug>/<path>`, copied
 * from `<article's folder>/<path>`; a warning for each one that is not there.
 */
export function planMedia(
  articles: readonly PublishedArticle[],
  refsOf: (article: PublishedArticle) => readonly string[] | undefined,
  lookup: MediaLookup,
  find?: (key: string) => string | undefined,
): MediaPlan {
  const planned: MediaPlan = { plans: [], missing: [] };
  for (const article of articles) {
    const refs = refsOf(article);
    if (!refs) continue;
    const lines = article.mediaLines;
    const owner = {
      file: article.sourceKey,
      pageKey: article.pageKey,
      articles: [article],
      beside: 'the article',
      ...(lines ? { lineOf: (ref: string) => lineOfRef(lines, ref, article.url) } : {}),
    };
    planOwnMedia(owner, refs, lookup, planned, find);
  }
  return planned;
}

/**
 * The same for the standalone pages of site.yaml (`render-site-page.ts`): `![me](me.jpg)` in the About
 * page's text is `content/me.jpg`, beside site.yaml, published at `about/me.jpg`.
 */
export function planPageMedia(
  pages: readonly { readonly pageKey: string; readonly refs: readonly string[] }[],
  lookup: MediaLookup,
  find?: (key: string) => string | undefined,
): MediaPlan {
  const planned: MediaPlan = { plans: [], missing: [] };
  for (const { pageKey, refs } of pages) {
    planOwnMedia(
      { file: SITE_CONFIG_FILE, pageKey, articles: [], beside: 'site.yaml' },
      refs,
      lookup,
      planned,
      find,
    );
  }
  return planned;
}

export interface MediaPlan {
  readonly plans: OutputPlan[];
  readonly missing: MissingMedia[];
}

/** The outputs and warnings for the media `refs` of one page, whose source is `owner.file`. */
function planOwnMedia(
  owner: {
    file: string;
    pageKey: string;
    articles: PublishedArticle[];
    beside: string;
    lineOf?: (ref: string) => number | undefined;
  },
  refs: readonly string[],
  lookup: MediaLookup,
  { plans, missing }: MediaPlan,
  find: (key: string) => string | undefined = () => undefined,
): void {
  const folder = owner.file.slice(0, owner.file.lastIndexOf('/') + 1);
  const pageFolder = owner.pageKey.slice(0, owner.pageKey.lastIndexOf('/') + 1);
  for (const ref of refs) {
    const from = folder + ref;
    const media = lookup(from);
    if (!media) {
      const line = owner.lineOf?.(ref);
      const problem = {
        file: owner.file,
        ...(line === undefined ? {} : { line }),
        message: isImageKey(ref)
          ? `the image ${ref} is not in the content, so it is missing on the page${owner.articles.length > 0 ? ' and in the feeds' : ''}`
          : `the file ${ref} is not in the content, so its link is broken on the page${owner.articles.length > 0 ? ' and in the feeds' : ''}`,
        fix: missingMediaFix(from, folder, owner.beside, find(from)),
      };
      missing.push({ ref, problem });
      continue;
    }
    // Over the size limit: the media file's own problem says so.
    if (!media.ok) continue;
    plans.push({ ...copyPlan(pageFolder + ref, from, media.version), articles: owner.articles });
  }
}

/** The line of the relative path, as written in the article, that names `ref` under its page. */
function lineOfRef(
  lines: Readonly<Record<string, number>>,
  ref: string,
  pageUrl: string,
): number | undefined {
  for (const [href, line] of Object.entries(lines)) {
    try {
      if (refUnder(new URL(href, pageUrl).href, pageUrl) === ref) return line;
    } catch {
      // Not a URL: not the one.
    }
  }
  return undefined;
}

function missingMediaFix(from: string, folder: string, beside: string, found: string | undefined): string {
  if (found === undefined) return `upload ${from} beside ${beside}, or correct the path`;
  const text = beside === 'site.yaml' ? 'the page' : 'the article';
  if (found.toLowerCase() === from.toLowerCase())
    return `the content has ${found}: names are case-sensitive once uploaded, so write ${found.slice(folder.length)} in ${text}, or rename the file`;
  return `the content has ${found}: move it to ${from}, beside ${beside}, or correct the path`;
}

/**
 * The output that publishes content file `from` at `key` byte for byte, read only when its version
 * changed. With no articles it depends on that version alone (the site's icon); an image an article
 * shows lists the article too.
 */
export function copyPlan(key: string, from: string, version: string): OutputPlan {
  return {
    key,
    articles: [],
    withHtml: false,
    phase: 'page',
    dependsOn: `${from}\n${version}`,
    copyOf: from,
    render: () => {
      throw new Error(`${from} is published as it is, not rendered`);
    },
  };
}
