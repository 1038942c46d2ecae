/**
 * CloudFront keeps a page for an hour (`cacheControlFor`), so without help a fixed typo or a deleted
 * article stays online that long. After a run, the pages it replaced or deleted are invalidated; feeds
 * and the home page are not (5 minutes, and readers poll them), nor are new pages (nothing cached them but
 * a 404, which CloudFront keeps 5 minutes).
 */
import { isLongCached } from './content-types.ts';

/** Makes the site's cache drop these paths (CloudFront `CreateInvalidation`). */
export interface CdnInvalidator {
  invalidate(paths: readonly string[]): Promise<void>;
}

/**
 * Beyond this many paths (a `site.yaml` change or an upgrade re-renders every page), one `/*`: CloudFront
 * bills each path past 1,000 a month, a wildcard counting as one. Below it, exact paths, since CloudFront
 * allows only 15 wildcard paths in progress at once and a burst of uploads makes several runs.
 */
export const MAX_INVALIDATION_PATHS = 30;

/** A key as a viewer asks for it: each segment percent-encoded, `*` too (a wildcard in a path). */
const pathOf = (key: string) =>
  `/${key
    .split('/')
    .map((segment) => encodeURIComponent(segment).replaceAll('*', '%2A'))
    .join('/')}`;

/**
 * The paths to invalidate for keys a run replaced or deleted: long-cached public keys only; a page
 * (`…/index.html`) both as its own key and as the folder URL readers follow, as CloudFront asks when a
 * viewer-request function rewrites the URI. Sorted, without repeats.
 */
export function invalidationPaths(keys: Iterable<string>): string[] {
  const paths = new Set<string>();
  for (const key of keys) {
    if (!isLongCached(key)) continue;
    const path = pathOf(key);
    paths.add(path);
    if (path.endsWith('/index.html')) paths.add(path.slice(0, -'index.html'.length));
  }
  if (paths.size > MAX_INVALIDATION_PATHS) return ['/*'];
  return [...paths].sort();
}
