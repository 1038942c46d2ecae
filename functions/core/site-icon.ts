/**
 * The pictures site.yaml names. The icon (`icon`) is what browsers show in the tab and feed readers beside
 * the feed's name (RSS `<image>`, Atom `<icon>`, JSON Feed `icon` and `favicon`); the podcast cover
 * (`podcast.image`) is the artwork podcast apps show. An image in the content is published byte for byte
 * at the same path; a URL is used as it is.
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

function siteImage(value: string, siteUrl: string): SiteIcon {
  if (/^https?:\/\//i.test(value)) return { url: value, type: imageTypeOf(new URL(value).pathname) };
  const key = value.replace(/^\//, '');
  return { url: siteUrl + key, key, type: imageTypeOf(key) };
}

export function siteIcon(config: SiteConfig, siteUrl: string): SiteIcon | undefined {
  return config.icon ? siteImage(config.icon, siteUrl) : undefined;
}

export function podcastCover(config: SiteConfig, siteUrl: string): SiteIcon | undefined {
  return config.podcast ? siteImage(config.podcast.image, siteUrl) : undefined;
}

function missingIcon(key: string): Problem {
  return {
    file: SITE_CONFIG_FILE,
    message: `the icon ${key} is not in the content, so pages and feeds name a missing image`,
    fix: `add ${key} to the content (its path from site.yaml's folder), or correct icon`,
  };
}

/**
 * The content files site.yaml names (the icon, the podcast cover), each published at its own key, with
 * the warning a run and `broadsheet check` give when it is missing.
 */
export function siteYamlFiles(config: SiteConfig): { key: string; missing: Problem }[] {
  const files: { key: string; missing: Problem }[] = [];
  const icon = siteIcon(config, '');
  if (icon?.key !== undefined) files.push({ key: icon.key, missing: missingIcon(icon.key) });
  const cover = podcastCover(config, '');
  if (cover?.key !== undefined && cover.key !== icon?.key) {
    files.push({
      key: cover.key,
      missing: {
        file: SITE_CONFIG_FILE,
        message: `the podcast cover ${cover.key} is not in the content, so podcast apps show no artwork`,
        fix: `add ${cover.key} to the content (its path from site.yaml's folder), or correct podcast.image`,
      },
    });
  }
  return files;
}
