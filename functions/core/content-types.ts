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
  ico: 'image/x-icon',
};

/**
 * Other files an article links, published beside it as they are: documents, audio and video a browser
 * opens or plays itself. Never HTML, scripts or anything an article or the site's own files are made of.
 */
const FILE_TYPES: Readonly<Record<string, string>> = {
  pdf: 'application/pdf',
  epub: 'application/epub+zip',
  zip: 'application/zip',
  csv: 'text/csv; charset=utf-8',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  odt: 'application/vnd.oasis.opendocument.text',
  ods: 'application/vnd.oasis.opendocument.spreadsheet',
  odp: 'application/vnd.oasis.opendocument.presentation',
  mp3: 'audio/mpeg',
  m4a: 'audio/mp4',
  aac: 'audio/aac',
  ogg: 'audio/ogg',
  oga: 'audio/ogg',
  opus: 'audio/ogg',
  wav: 'audio/wav',
  flac: 'audio/flac',
  mp4: 'video/mp4',
  m4v: 'video/mp4',
  webm: 'video/webm',
  mov: 'video/quicktime',
};

const extensionOf = (path: string) => /\.([a-z0-9]+)$/i.exec(path)?.[1]?.toLowerCase();

/** The image type a path's extension names, if any (case-insensitive). */
export function imageTypeOf(path: string): string | undefined {
  const ext = extensionOf(path);
  return ext ? IMAGE_TYPES[ext] : undefined;
}

/** The type of a file published beside an article (an image or another file above), if it is one. */
export function mediaTypeOf(path: string): string | undefined {
  const ext = extensionOf(path);
  return ext ? (IMAGE_TYPES[ext] ?? FILE_TYPES[ext]) : undefined;
}

/** The type of a published file that is not an image (a recording, a video, a document), if it is one. */
export function fileTypeOf(path: string): string | undefined {
  const ext = extensionOf(path);
  return ext ? FILE_TYPES[ext] : undefined;
}

export function contentTypeFor(key: string): string {
  return TYPES.find(([pattern]) => pattern.test(key))?.[1] ?? mediaTypeOf(key) ?? 'application/octet-stream';
}

/** Feeds and the home page change with every article: readers poll them, so caches keep them 5 minutes. */
const isPolled = (key: string) =>
  /\.(xml|json|opml)$/.test(key) || key === 'index.html' || key.startsWith('digests/latest/');

export function cacheControlFor(key: string): string {
  if (key.startsWith('_')) return 'no-store';
  if (isPolled(key)) return 'public, max-age=300, stale-while-revalidate=600';
  return 'public, max-age=3600, stale-while-revalidate=86400';
}

/** A public object that caches keep for an hour: a copy replaced or deleted is worth invalidating. */
export function isLongCached(key: string): boolean {
  return !key.startsWith('_') && !isPolled(key);
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
