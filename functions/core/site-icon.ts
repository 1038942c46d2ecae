/**
 * The site's icon (`icon` in site.yaml): what browsers show in the tab and feed readers beside the feed's
 * name (RSS `<image>`, Atom `<icon>`, JSON Feed `icon` and `favicon`). An image in the content is
 * published byte for byte at the same path; a URL is used as it is.
 */
import { imageTypeOf } from './content-types.ts';
import type { Problem } from './problems.ts';
import { SITE_CONFIG_FILE, type SiteConfig } from './site-config.ts';

export interface SiteIcon {
  readonly url: string;
  /** The content file, published under the same key: set when the icon is not a URL. */
  readonly key?: string;
  readonly type?: string;
}

export function siteIcon(config: SiteConfig, siteUrl: string): SiteIcon | undefined {
  const { icon } = config;
  if (!icon) return undefined;
  if (/^https?:\/\//i.test(icon)) return { url: icon, type: imageTypeOf(new URL(icon).pathname) };
  const key = icon.replace(/^\//, '');
  return { url: siteUrl + key, key, type: imageTypeOf(key) };
}

/** The warning when the icon site.yaml names is not in the content (a run and `broadsheet check`). */
export function missingIcon(key: string): Problem {
  return {
    file: SITE_CONFIG_FILE,
    message: `the icon ${key} is not in the content, so pages and feeds name a missing image`,
    fix: `add ${key} to the content (its path from site.yaml's folder), or correct icon`,
  };
}
