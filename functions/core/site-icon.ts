/**
 * The pictures site.yaml names. The icon (`icon`) is what browsers show in the tab and feed readers beside
 * the feed's name (RSS `<image>`, Atom `<icon>`, JSON Feed `icon` and `favicon`); the podcast cover
 * (`podcast.image`) is the artwork podcast apps show. An image in the content is published byte for byte
 * at the same path; a URL is used as it is.
 */
import { imageSize } from 'image-size';
import { imageTypeOf } from './content-types.ts';
import type { Problem } from './problems.ts';
import { ROBOTS_KEY } from './render-sitemap.ts';
import { robotsProblem } from './root-files.ts';
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

/** Apple Podcasts' artwork rule: a JPEG or PNG, square, 1400 to 3000 pixels a side. */
export const COVER_MIN_PX = 1400;
export const COVER_MAX_PX = 3000;

/**
 * What Apple Podcasts would refuse in the cover's bytes, read from its header: a directory rejects the
 * show, and apps show no artwork or a blurred one. The run checks it when it publishes a new version of
 * the cover, `broadsheet check` every time; a warning, since the feeds are valid either way.
 */
export function coverProblem(key: string, bytes: Uint8Array): Problem | undefined {
  const fix = `replace ${key} with a square JPEG or PNG of ${COVER_MAX_PX} × ${COVER_MAX_PX} px (${COVER_MIN_PX} at least)`;
  let size: { width?: number; height?: number; type?: string };
  try {
    size = imageSize(bytes);
  } catch {
    return {
      file: key,
      message: 'the podcast cover is not a picture: its bytes are no known image format',
      fix,
    };
  }
  const { width = 0, height = 0, type = '' } = size;
  const name = type === 'jpg' ? 'JPEG' : type.toUpperCase();
  if (type !== 'png' && type !== 'jpg')
    return {
      file: key,
      message: `the podcast cover is a ${name} image; Apple Podcasts takes JPEG or PNG only`,
      fix,
    };
  // Served with the type its name says: a JPEG named .png reaches apps as image/png.
  const named = imageTypeOf(key);
  if (named !== (type === 'png' ? 'image/png' : 'image/jpeg'))
    return {
      file: key,
      message: `the podcast cover is a ${name} image under a name that says ${named ?? 'another type'}`,
      fix: `rename it to end in .${type === 'png' ? 'png' : 'jpg'} and correct podcast.image`,
    };
  const shown = `${width} × ${height} px`;
  if (width !== height)
    return {
      file: key,
      message: `the podcast cover is ${shown}, not square, so podcast apps crop or refuse it`,
      fix,
    };
  if (width < COVER_MIN_PX || width > COVER_MAX_PX)
    return {
      file: key,
      message: `the podcast cover is ${shown}; Apple Podcasts takes ${COVER_MIN_PX} to ${COVER_MAX_PX} px a side`,
      fix,
    };
  return undefined;
}

/**
 * What browsers and feed readers would show badly in the icon's bytes: a file that is no picture, a type
 * other than its name says, or a shape that is not square (Atom and JSON Feed ask for a square icon;
 * tabs and readers' lists squash or crop any other). Checked as the podcast cover is; a warning.
 */
export function iconProblem(key: string, bytes: Uint8Array): Problem | undefined {
  const fix = `replace ${key} with a square picture (a PNG of 512 × 512 px suits every reader)`;
  let size: { width?: number; height?: number; type?: string };
  try {
    size = imageSize(bytes);
  } catch {
    // An SVG may give no size at all: it scales to any square.
    if (imageTypeOf(key) === 'image/svg+xml') return undefined;
    return { file: key, message: 'the icon is not a picture: its bytes are no known image format', fix };
  }
  const { width = 0, height = 0, type = '' } = size;
  const actual = imageTypeOf(`icon.${type}`);
  const named = imageTypeOf(key);
  if (actual !== undefined && named !== actual)
    return {
      file: key,
      message: `the icon is a ${type === 'jpg' ? 'JPEG' : type.toUpperCase()} image under a name that says ${named ?? 'another type'}, which some readers refuse`,
      fix: `rename it to end in .${type} and correct icon`,
    };
  if (width > 0 && height > 0 && width !== height)
    return {
      file: key,
      message: `the icon is ${width} × ${height} px, not square, so browsers and feed readers squash or crop it`,
      fix,
    };
  return undefined;
}

/**
 * The content files whose bytes are judged when they are published (the podcast cover, the icon, an
 * author's `robots.txt`), and the judge: one verdict for a run and for `broadsheet check`.
 */
export function judgedFiles(config: SiteConfig, siteUrl: string) {
  const cover = podcastCover(config, '')?.key;
  const icon = siteIcon(config, '')?.key;
  const judge = (key: string, bytes: Uint8Array): Problem | undefined =>
    (key === cover ? coverProblem(key, bytes) : undefined) ??
    (key === icon ? iconProblem(key, bytes) : undefined) ??
    (key === ROBOTS_KEY ? robotsProblem(new TextDecoder().decode(bytes), siteUrl) : undefined);
  const keys = [...new Set([cover, icon, ROBOTS_KEY])].filter((key) => key !== undefined);
  return { keys, judge };
}
