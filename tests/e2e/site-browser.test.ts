/**
 * What a reader's browser sees: the site built from `content/`, served over HTTP by the preview server's
 * handler, opened in headless Debian chromium. Screenshots go to a folder under os.tmpdir() (printed);
 * `docs/article.png` is written when missing or with BROADSHEET_UPDATE_SCREENSHOTS=1.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import axe from 'axe-core';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildLocal } from '../../bin/cli-build.ts';
import { CHROMIUM_MISSING, hasChromium, launchChromium } from '../helpers/chromium.ts';
import { repoRoot } from '../helpers/paths.ts';
import { serveSite } from '../helpers/site-server.ts';
import { missing } from '../helpers/skip.ts';

// Pinned so that the site (and the committed screenshot) does not depend on the day the test runs.
const NOW = new Date('2025-06-01T12:00:00Z');

interface AxeViolation {
  readonly id: string;
  readonly impact: string | null;
  readonly help: string;
  readonly nodes: readonly { readonly target: readonly string[] }[];
}

/** axe-core injected as a script (the site has none of its own), run over the whole page. */
async function axeViolations(page: Page): Promise<AxeViolation[]> {
  await page.addScriptTag({ content: axe.source });
  const result = (await page.evaluate('axe.run(document, { resultTypes: ["violations"] })')) as {
    violations: AxeViolation[];
  };
  return result.violations;
}

const serious = (violations: readonly AxeViolation[]) =>
  violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);

/** Heading levels in document order. */
const headingLevels = (page: Page) =>
  page.$$eval('h1,h2,h3,h4,h5,h6', (hs) => hs.map((h) => Number(h.tagName.slice(1))));

/** True when no heading skips a level on the way down (h2 → h4), and there is exactly one h1 first. */
function headingsInOrder(levels: readonly number[]): boolean {
  if (levels[0] !== 1 || levels.filter((l) => l === 1).length !== 1) return false;
  return levels.every((level, i) => i === 0 || level <= (levels[i - 1] ?? 0) + 1);
}

describe.skipIf(missing(hasChromium(), CHROMIUM_MISSING))('the site in a browser (headless chromium)', () => {
  let browser: Browser;
  let server: Awaited<ReturnType<typeof serveSite>> | undefined;
  let base: string;
  let page: Page;
  let shots: string;

  beforeAll(async () => {
    const outDir = await mkdtemp(join(tmpdir(), 'broadsheet-site-'));
    shots = await mkdtemp(join(tmpdir(), 'broadsheet-screenshots-'));
    server = await serveSite(outDir);
    base = server.base;
    await buildLocal({ contentDir: join(repoRoot, 'content'), outDir, siteUrl: base, now: NOW });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 800, height: 1000 } });
    console.log(`browser test screenshots: ${shots}`);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('opens the home page and follows an article link', async () => {
    const response = await page.goto(base);
    expect(response?.headers()['content-type']).toBe('text/html; charset=utf-8');
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    const first = page.locator('ol.articles h2 a').first();
    const title = (await first.textContent()) ?? '';
    expect(title.length).toBeGreaterThan(0);
    await first.click();
    await page.waitForLoadState('load');
    expect(page.url()).toMatch(/\/posts\/[^/]+\/$/);
    expect(await page.textContent('h1')).toBe(title);
    await page.screenshot({ path: join(shots, 'article.png') });
  });

  it('has autodiscovery links for every feed, in RSS, Atom and JSON Feed, that answer with their types', async () => {
    await page.goto(base);
    const links = await page.$$eval('link[rel="alternate"]', (ls) =>
      ls.map((l) => ({ type: l.getAttribute('type'), href: l.getAttribute('href') })),
    );
    const site = links.filter(
      (l) => l.href?.startsWith(base) && /\/(rss\.xml|atom\.xml|feed\.json)$/.test(l.href),
    );
    expect(site).toHaveLength(links.length);
    const dirsOf = (type: string) =>
      site.filter((l) => l.type === type).map((l) => (l.href ?? '').replace(/[^/]+$/, ''));
    // The home page names every feed feeds.opml lists (main first), each in the three formats.
    const opml = await (await fetch(`${base}feeds.opml`)).text();
    const listed = [...opml.matchAll(/xmlUrl="([^"]+)rss\.xml"/g)].map((m) => m[1]);
    expect(listed[0]).toBe(base);
    expect(listed).toContain(`${base}digests/`);
    expect(listed.length).toBeGreaterThan(2);
    for (const type of ['application/rss+xml', 'application/atom+xml', 'application/feed+json'])
      expect(dirsOf(type), type).toEqual(listed);
    for (const link of site) {
      const res = await fetch(link.href ?? '');
      expect(res.headers.get('content-type')).toBe(`${link.type}; charset=utf-8`);
    }
  });

  it('opening /rss.xml in the browser shows a styled, readable page (feed.css), not raw XML', async () => {
    const xml = await (await fetch(`${base}rss.xml`)).text();
    const titles = [...xml.matchAll(/<item>\s*<title>(?:<!\[CDATA\[)?([^<\]]+)/g)].map((m) => m[1] ?? '');
    expect(titles.length).toBeGreaterThan(0);
    const response = await page.goto(`${base}rss.xml`);
    // A browser asks for HTML first: it gets application/xml so the xml-stylesheet applies (readers, asking
    // for feeds, get application/rss+xml: see the autodiscovery test). CloudFront does the same.
    expect(response?.headers()['content-type']).toBe('application/xml; charset=utf-8');
    const view = (await page.evaluate(`(() => {
      const items = [...document.getElementsByTagName('item')];
      return {
        text: document.documentElement.textContent,
        titles: items.map((item) => {
          const title = item.getElementsByTagName('title')[0];
          return { display: getComputedStyle(title).display, height: title.getBoundingClientRect().height };
        }),
        overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
      };
    })()`)) as { text: string; titles: { display: string; height: number }[]; overflow: number };
    expect(view.text).not.toContain('does not appear to have any style information');
    expect(view.titles).toHaveLength(titles.length);
    for (const title of view.titles) {
      expect(title.display).toBe('block');
      expect(title.height).toBeGreaterThan(0);
    }
    for (const title of titles) expect(view.text).toContain(title.replace(/&amp;/g, '&'));
    expect(view.overflow, 'long lines wrap: no sideways scrolling').toBeLessThanOrEqual(0);
    await page.screenshot({ path: join(shots, 'rss.png') });
  });

  it('has no serious or critical axe violations on the home page and an article page', async () => {
    await page.goto(base);
    expect(serious(await axeViolations(page))).toEqual([]);
    await page.locator('ol.articles h2 a').first().click();
    await page.waitForLoadState('load');
    expect(serious(await axeViolations(page))).toEqual([]);
  });

  it('takes a reader from the home page to the topics page and on to a topic and its feed', async () => {
    await page.goto(base);
    await page.click('main >> text=Topics');
    await page.waitForLoadState('load');
    expect(page.url()).toBe(`${base}tags/`);
    expect(await page.textContent('main h1')).toBe('Topics');
    expect(await page.locator('ul.topics > li > a').allTextContents()).toEqual([
      'diplomacy',
      'europe',
      'meta',
      'middle-east',
      'ukraine',
    ]);
    expect(serious(await axeViolations(page))).toEqual([]);
    await page.click('ul.topics > li >> nth=2 >> text=RSS');
    expect(page.url()).toBe(`${base}tags/meta/rss.xml`);
    await page.goto(`${base}tags/meta/`);
    await page.click('text=All topics');
    await page.waitForLoadState('load');
    expect(page.url()).toBe(`${base}tags/`);
  });

  it('links the About page (site.yaml pages) from the header of every page, readable and in the sitemap', async () => {
    for (const path of ['', 'posts/blinken-visits-paris/', 'tags/meta/', 'digests/', 'no-such-page/']) {
      await page.goto(base + path);
      expect(await page.getAttribute('nav.pages a', 'href'), path).toBe(`${base}about/`);
    }
    await page.goto(`${base}posts/blinken-visits-paris/`);
    await page.click('nav.pages a');
    await page.waitForLoadState('load');
    expect(page.url()).toBe(`${base}about/`);
    expect(await page.textContent('main h1')).toBe('About');
    expect(await page.textContent('h2#subscribe')).toBe('Subscribe');
    expect(serious(await axeViolations(page))).toEqual([]);
    await page.click('main >> text=JSON Feed');
    expect(page.url()).toBe(`${base}feed.json`);
    expect(await (await fetch(`${base}sitemaps/pages.xml`)).text()).toContain(`<loc>${base}about/</loc>`);
  });

  it('shows the site icon in the tab: the link answers with the PNG from content/', async () => {
    await page.goto(base);
    const href = await page.getAttribute('link[rel="icon"]', 'href');
    expect(href).toBe(`${base}icon.png`);
    const response = await fetch(href ?? '');
    expect(response.headers.get('content-type')).toBe('image/png');
    const bytes = new Uint8Array(await response.arrayBuffer());
    expect(bytes).toEqual(new Uint8Array(await readFile(join(repoRoot, 'content/icon.png'))));
  });

  it('keeps headings in order and gives every image alt text', async () => {
    for (const path of ['', 'posts/how-this-site-is-published/', 'posts/blinken-visits-paris/', 'about/']) {
      await page.goto(base + path);
      const levels = await headingLevels(page);
      expect(headingsInOrder(levels), `${path || 'home'}: headings ${levels.join(',')}`).toBe(true);
      expect(await page.locator('img:not([alt])').count()).toBe(0);
    }
  });

  it('has a dark mode', async () => {
    await page.goto(base);
    const background = () =>
      page.evaluate('getComputedStyle(document.body).backgroundColor') as Promise<string>;
    await page.emulateMedia({ colorScheme: 'light' });
    const light = await background();
    await page.emulateMedia({ colorScheme: 'dark' });
    const dark = await background();
    expect(dark).not.toBe(light);
    expect(serious(await axeViolations(page))).toEqual([]);
    await page.screenshot({ path: join(shots, 'home-dark.png') });
    await page.emulateMedia({ colorScheme: 'light' });
  });

  it('prints without the navigation', async () => {
    await page.goto(`${base}posts/what-the-paris-visit-means/`);
    expect(await page.locator('nav.feeds').isVisible()).toBe(true);
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('nav.feeds').isVisible()).toBe(false);
    expect(await page.locator('main h1').isVisible()).toBe(true);
    await page.emulateMedia({ media: 'screen' });
  });

  it('saves an article screenshot for the README', async () => {
    await page.emulateMedia({ colorScheme: 'light', media: 'screen' });
    await page.goto(`${base}posts/what-the-paris-visit-means/`);
    const png = await page.screenshot({ clip: { x: 0, y: 0, width: 800, height: 900 } });
    await writeFile(join(shots, 'article-readme.png'), png);
    const committed = join(repoRoot, 'docs', 'article.png');
    if (!existsSync(committed) || process.env.BROADSHEET_UPDATE_SCREENSHOTS === '1')
      await writeFile(committed, png);
    expect(png.byteLength).toBeGreaterThan(10_000);
  });
});
