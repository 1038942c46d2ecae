/**
 * Paginated list pages in a real browser: a small site with `pageSize: 2`, built and served like the
 * preview, opened in headless Debian chromium. A reader walks "Older articles" from the home page and a
 * tag page to the end; every page passes axe and keeps its headings in order; every link answers.
 */
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import axe from 'axe-core';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildLocal } from '../../bin/cli-build.ts';
import { CHROMIUM_MISSING, hasChromium, launchChromium } from '../helpers/chromium.ts';
import { serveSite } from '../helpers/site-server.ts';
import { missing } from '../helpers/skip.ts';

const NOW = new Date('2025-06-01T12:00:00Z');
const COUNT = 7;

/** Article i (1 = oldest), a day apart; odd ones are also tagged "paris". */
const articleFile = (i: number): [string, string] => {
  const day = `2025-03-${String(i).padStart(2, '0')}`;
  const tags = i % 2 === 1 ? '[europe, paris]' : '[europe]';
  return [`${day}-story-${i}.md`, `---\ntitle: Story ${i}\ndate: ${day}\ntags: ${tags}\n---\n\nText ${i}.\n`];
};

async function axeViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ content: axe.source });
  const result = (await page.evaluate('axe.run(document, { resultTypes: ["violations"] })')) as {
    violations: { id: string; impact: string | null; nodes: { target: string[] }[] }[];
  };
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

describe.skipIf(missing(hasChromium(), CHROMIUM_MISSING))('paginated list pages in a browser', () => {
  let browser: Browser;
  let server: Awaited<ReturnType<typeof serveSite>> | undefined;
  let base: string;
  let page: Page;

  beforeAll(async () => {
    const contentDir = await mkdtemp(join(tmpdir(), 'broadsheet-paged-content-'));
    const outDir = await mkdtemp(join(tmpdir(), 'broadsheet-paged-site-'));
    await mkdir(contentDir, { recursive: true });
    await writeFile(
      join(contentDir, 'site.yaml'),
      'title: Paged\nlanguage: en\ntimeZone: UTC\npageSize: 2\n',
    );
    for (let i = 1; i <= COUNT; i++) {
      const [name, text] = articleFile(i);
      await writeFile(join(contentDir, name), text);
    }
    server = await serveSite(outDir);
    base = server.base;
    await buildLocal({ contentDir, outDir, siteUrl: base, now: NOW });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 800, height: 1000 } });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  /** Opens `start` and clicks "Older articles" until there is none; checks each page on the way. */
  async function walkOlder(start: string): Promise<{ urls: string[]; titles: Set<string> }> {
    const urls: string[] = [];
    const titles = new Set<string>();
    await page.goto(start);
    for (;;) {
      urls.push(page.url());
      expect(await page.getAttribute('link[rel="canonical"]', 'href')).toBe(page.url());
      expect(await axeViolations(page), page.url()).toEqual([]);
      const levels = await page.$$eval('h1,h2,h3,h4,h5,h6', (hs) =>
        hs.map((h) => Number(h.tagName.slice(1))),
      );
      expect(levels[0], page.url()).toBe(1);
      expect(levels.filter((l) => l === 1)).toHaveLength(1);
      for (const title of await page.locator('ol.articles h2 a').allTextContents()) titles.add(title);
      const hrefs = await page.$$eval('a[href]', (as) => as.map((a) => a.getAttribute('href') ?? ''));
      for (const href of hrefs.map((h) => new URL(h, page.url()).href)) {
        if (href.startsWith(base)) expect((await fetch(href)).status, `${page.url()} → ${href}`).toBe(200);
      }
      const older = page.getByRole('link', { name: 'Older articles' });
      if ((await older.count()) === 0) break;
      await older.click();
      await page.waitForLoadState('load');
    }
    return { urls, titles };
  }

  it('walks from the home page through every older page, reaching every article', async () => {
    const { urls, titles } = await walkOlder(base);
    // 7 articles, 2 a page: home (7, 6), then blocks 3 (6, 5), 2 (4, 3), 1 (2, 1).
    expect(urls).toEqual([base, `${base}page/3/`, `${base}page/2/`, `${base}page/1/`]);
    expect(titles).toEqual(new Set(Array.from({ length: COUNT }, (_, i) => `Story ${i + 1}`)));
  });

  it('walks a tag page and its older pages, reaching every article of the tag', async () => {
    const { urls, titles } = await walkOlder(`${base}tags/paris/`);
    // Stories 1, 3, 5, 7: the tag page (7, 5), then block 1 (3, 1).
    expect(urls).toEqual([`${base}tags/paris/`, `${base}tags/paris/page/1/`]);
    expect(titles).toEqual(new Set(['Story 7', 'Story 5', 'Story 3', 'Story 1']));
  });

  it('goes back with "Newer articles" from the oldest page to the home page', async () => {
    await page.goto(`${base}page/1/`);
    const visited = [page.url()];
    for (;;) {
      const newer = page.getByRole('link', { name: 'Newer articles' });
      if ((await newer.count()) === 0) break;
      await newer.click();
      await page.waitForLoadState('load');
      visited.push(page.url());
    }
    expect(visited).toEqual([`${base}page/1/`, `${base}page/2/`, `${base}page/3/`, base]);
  });
});
