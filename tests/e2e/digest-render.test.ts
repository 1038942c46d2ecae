/**
 * The digest as a reader sees it: the web version (and the email's HTML part) of a digest built from
 * `content/`, in headless Debian chromium at 600 px (the email width) and 375 px (a phone). Screenshots go
 * to a folder under os.tmpdir() (printed); `docs/digest.png` is written when missing or with
 * BROADSHEET_UPDATE_SCREENSHOTS=1.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { copyFile, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDigests } from '../../functions/core/digest/digest-model.ts';
import { planDigests } from '../../functions/core/digest/plan-digests.ts';
import { renderDigestHtml } from '../../functions/core/digest/render-digest-html.ts';
import { isArticleKey, type ParsedArticle, parseArticle } from '../../functions/core/parse-article.ts';
import { parseSiteConfig } from '../../functions/core/site-config.ts';
import { buildSiteModel, type SiteModel } from '../../functions/core/site-model.ts';
import { CHROMIUM_MISSING, hasChromium, launchChromium } from '../helpers/chromium.ts';
import { repoRoot } from '../helpers/paths.ts';
import { missing } from '../helpers/skip.ts';

// Pinned: the week of 6 January 2025 is over, so its digest exists whatever day the test runs.
const NOW = new Date('2025-01-13T12:00:00Z');
const SITE_URL = 'https://news.example.com/';

function contentModel(): SiteModel {
  const dir = join(repoRoot, 'content');
  const config = parseSiteConfig(readFileSync(join(dir, 'site.yaml'), 'utf8'));
  const articles = readdirSync(dir)
    .filter(isArticleKey)
    .map((name) => parseArticle(name, readFileSync(join(dir, name)), { timeZone: config.timeZone }))
    .flatMap((r) => (r.ok ? [r.article] : [])) satisfies ParsedArticle[];
  return buildSiteModel(articles, config, SITE_URL, NOW).model;
}

describe.skipIf(missing(hasChromium(), CHROMIUM_MISSING))('a digest in a browser (headless chromium)', () => {
  const model = contentModel();
  const plans = planDigests(model, NOW);
  const web = plans.find((p) => p.key === 'digests/latest/index.html');
  const digest = buildDigests(model, NOW)[0];
  let browser: Browser;
  let page: Page;
  let shots: string;

  beforeAll(async () => {
    browser = await launchChromium();
    shots = await mkdtemp(join(tmpdir(), 'broadsheet-digest-'));
    page = await browser.newPage();
    // Offline: images and links point at the (unreachable) public site.
    await page.route('**/*', (route) => route.abort());
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('has a digest with several articles to show', () => {
    expect(web).toBeDefined();
    expect(digest?.articles.length).toBeGreaterThan(1);
  });

  for (const [variant, width] of [
    ['web', 600],
    ['web', 375],
    ['email', 600],
    ['email', 375],
  ] as const) {
    it(`${variant} version at ${width} px: every title visible, nothing wider than the screen`, async () => {
      if (!digest || !web) throw new Error('no digest');
      const html = variant === 'web' ? web.render() : renderDigestHtml(model, digest, 'email');
      await page.setViewportSize({ width, height: 900 });
      await page.setContent(html, { waitUntil: 'load' });

      for (const article of digest.articles) {
        const title = page.locator('h2.title a', { hasText: article.title });
        expect(await title.count(), article.title).toBe(1);
        expect(await title.isVisible(), article.title).toBe(true);
        const box = await title.boundingBox();
        expect(box && box.x >= 0 && box.x + box.width <= width + 0.5, article.title).toBe(true);
      }
      // A string, so that this file needs no DOM typings.
      const overflow = (await page.evaluate(`({
        scroll: document.documentElement.scrollWidth,
        client: document.documentElement.clientWidth,
        widest: Math.max(...[...document.querySelectorAll('body *')].map((e) => e.getBoundingClientRect().right)),
      })`)) as { scroll: number; client: number; widest: number };
      expect(overflow.scroll).toBeLessThanOrEqual(overflow.client);
      expect(overflow.widest).toBeLessThanOrEqual(width + 0.5);
      // The web page has one <h1> (the period), as every page of the site does; the email keeps none.
      expect(await page.locator('h1').count()).toBe(variant === 'web' ? 1 : 0);
      // The preheader is in the document but not on screen.
      expect(await page.locator('.preheader').isVisible()).toBe(false);

      const file = join(shots, `digest-${variant}-${width}.png`);
      await page.screenshot({ path: file, fullPage: true });
      console.log(`digest screenshot: ${file}`);
      if (variant === 'email' && width === 600) {
        const docs = join(repoRoot, 'docs', 'digest.png');
        if (!existsSync(docs) || process.env.BROADSHEET_UPDATE_SCREENSHOTS === '1')
          await copyFile(file, docs);
      }
    });
  }
});
