import { describe, expect, it } from 'vitest';
import { assertWellFormedXml } from '../../functions/core/check-output.ts';
import { silentLogger } from '../../functions/core/ports.ts';
import { publishSite } from '../../functions/core/publish-site.ts';
import { planSite } from '../../functions/core/render-site.ts';
import { planSitemap } from '../../functions/core/render-sitemap.ts';
import { markdownArticle, NOW, SITE_URL } from '../fixtures/articles.ts';
import { MemorySource, MemoryStore } from '../fixtures/memory.ts';
import { sampleModel } from '../fixtures/site.ts';

const model = sampleModel();
const locs = (xml: string) => [...xml.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => m[1]);

describe('planSitemap', () => {
  const plans = planSite(model, NOW);
  const byKey = new Map(plans.map((p) => [p.key, p]));

  it('indexes a part of list pages and the article parts, and robots.txt names the index', () => {
    const index = byKey.get('sitemap.xml')?.render() ?? '';
    assertWellFormedXml(index);
    expect(locs(index)).toEqual([`${SITE_URL}sitemaps/pages.xml`, `${SITE_URL}sitemaps/articles.xml`]);
    expect(byKey.get('robots.txt')?.render()).toBe(
      `User-agent: *\nAllow: /\n\nSitemap: ${SITE_URL}sitemap.xml\n`,
    );
    const pages = byKey.get('sitemaps/pages.xml')?.render() ?? '';
    assertWellFormedXml(pages);
    expect(locs(pages)).toContain(SITE_URL);
    expect(locs(pages)).toContain(`${SITE_URL}tags/europe/`);
    // Article pages are in the article parts; digests repeat the articles and are left out.
    expect(locs(pages).filter((l) => /\/(posts|digests)\//.test(l ?? ''))).toEqual([]);
  });

  it('lists every article page oldest first with the time it last changed', () => {
    const xml = byKey.get('sitemaps/articles.xml')?.render() ?? '';
    assertWellFormedXml(xml);
    expect(locs(xml)).toEqual([...model.articles].reverse().map((a) => a.url));
    for (const article of model.articles)
      expect(xml).toContain(`<loc>${article.url}</loc><lastmod>${article.updated.toISOString()}</lastmod>`);
  });

  it('cuts the articles into stable parts from the oldest, the newer ones apart', () => {
    const parts = planSitemap(model, plans, 2);
    expect(parts.map((p) => p.key)).toEqual([
      'sitemaps/articles-1.xml',
      'sitemaps/articles.xml',
      'sitemaps/pages.xml',
      'sitemap.xml',
      'robots.txt',
    ]);
    const [oldest, newer] = parts;
    expect(locs(oldest?.render() ?? '')).toEqual([model.articles[2]?.url, model.articles[1]?.url]);
    expect(locs(newer?.render() ?? '')).toEqual([model.articles[0]?.url]);
    expect(locs(parts[3]?.render() ?? '')).toContain(`${SITE_URL}sitemaps/articles-1.xml`);
  });
});

describe('the sitemap after an upload', () => {
  it('rewrites the part with the newer articles, not the index', async () => {
    const source = new MemorySource({
      'site.yaml': 'title: Dispatch\ntimeZone: UTC\n',
      '2025-01-10-a.md': markdownArticle({ title: 'A' }),
    });
    const store = new MemoryStore();
    const run = (changedKeys?: string[]) =>
      publishSite({ source, store, logger: silentLogger, now: NOW, siteUrl: SITE_URL, changedKeys });
    await run();
    source.put('2025-01-11-b.md', markdownArticle({ title: 'B', date: '2025-01-11' }));
    const report = await run(['2025-01-11-b.md']);
    expect(report.written).toContain('sitemaps/articles.xml');
    expect(report.written).not.toContain('sitemap.xml');
    expect(locs(store.text('sitemaps/articles.xml'))).toEqual([`${SITE_URL}posts/a/`, `${SITE_URL}posts/b/`]);
  });
});
