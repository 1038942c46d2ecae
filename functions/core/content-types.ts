/** The Content-Type and Cache-Control each public key is written with (DESIGN.md, Site). */
const TYPES: readonly [RegExp, string][] = [
  [/\.html$/, 'text/html; charset=utf-8'],
  [/(^|\/)rss\.xml$/, 'application/rss+xml; charset=utf-8'],
  [/(^|\/)atom\.xml$/, 'application/atom+xml; charset=utf-8'],
  [/(^|\/)feed\.json$/, 'application/feed+json; charset=utf-8'],
  [/\.opml$/, 'text/x-opml; charset=utf-8'],
  [/\.xml$/, 'application/xml; charset=utf-8'],
  [/\.eml$/, 'message/rfc822'],
  [/\.txt$/, 'text/plain; charset=utf-8'],
  [/\.css$/, 'text/css; charset=utf-8'],
  [/\.json$/, 'application/json; charset=utf-8'],
];

/** Images by extension: what a feed's enclosure is typed as, and which content files are published as they are. */
const IMAGE_TYPES: Readonly<Record<string, string>> = {
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  jpe: 'image/jpeg',
  png: 'image/png',
  gif: 'image/gif',
  webp: 'image/webp',
  avif: 'image/avif',
  svg: 'image/svg+xml',
  jxl: 'image/jxl',
  heic: 'image/heic',
};

/** The image type a path's extension names, if any (case-insensitive). */
export function imageTypeOf(path: string): string | undefined {
  const ext = /\.([a-z0-9]+)$/i.exec(path)?.[1]?.toLowerCase();
  return ext ? IMAGE_TYPES[ext] : undefined;
}

export function contentTypeFor(key: string): string {
  return TYPES.find(([pattern]) => pattern.test(key))?.[1] ?? imageTypeOf(key) ?? 'application/octet-stream';
}

export function cacheControlFor(key: string): string {
  if (key.startsWith('_')) return 'no-store';
  // Feeds and the home page change with every article: readers poll them, so keep them fresh.
  if (/\.(xml|json|opml)$/.test(key) || key === 'index.html' || key.startsWith('digests/latest/')) {
    return 'public, max-age=300, stale-while-revalidate=600';
  }
  return 'public, max-age=3600, stale-while-revalidate=86400';
}

/**
 * The type a browser should get for a stored object: a person who opens a feed gets `application/xml`, so
 * the browser applies the feed's stylesheet instead of showing raw text. Readers get the stored type.
 * CloudFront does the same (lib/site-distribution.ts, FEED_FOR_BROWSERS_FUNCTION_CODE).
 */
export function browserFeedType(storedType: string, accept: string | undefined): string {
  return accept?.includes('text/html') && /^application\/(rss|atom)\+xml/.test(storedType)
    ? 'application/xml; charset=utf-8'
    : storedType;
}
