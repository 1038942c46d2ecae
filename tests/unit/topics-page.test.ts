import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../functions/core/ports.ts';
import { publishSite } from '../../functions/core/publish-site.ts';
import { markdownArticle, NOW, SITE_URL } from '../fixtures/articles.ts';
import { MemorySource, MemoryStore } from '../fixtures/memory.ts';

describe('publishSite: the topics page', () => {
  const source = new MemorySource({
    '2025-01-08-a.md': markdownArticle({ title: 'A', date: '2025-01-08', tags: '[Zürich, europe]' }),
    '2025-01-09-b.md': markdownArticle({ title: 'B', date: '2025-01-09', tags: '[europe]' }),
    '2025-01-10-c.md': markdownArticle({ title: 'C', date: '2025-01-10' }),
  });
  const store = new MemoryStore();
  const run = (changedKeys?: string[]) =>
    publishSite({ source, store, logger: silentLogger, now: NOW, siteUrl: SITE_URL, changedKeys });

  it('lists every tag by name with its number of articles and its feeds, linked from the home and tag pages', async () => {
    await run();
    const page = store.text('tags/index.html');
    expect(page).toContain(`<link rel="canonical" href="${SITE_URL}tags/">`);
    expect(page).toContain(`<a href="${SITE_URL}feeds.opml">`);
    const items = [...page.matchAll(/<li>(.*)<\/li>/g)].map((m) => m[1]);
    expect(items).toEqual([
      `<a href="${SITE_URL}tags/europe/">europe</a> <span class="meta">2 articles · <a href="${SITE_URL}tags/europe/rss.xml">RSS</a> · <a href="${SITE_URL}tags/europe/atom.xml">Atom</a> · <a href="${SITE_URL}tags/europe/feed.json">JSON Feed</a></span>`,
      `<a href="${SITE_URL}tags/zurich/">Zürich</a> <span class="meta">1 article · <a href="${SITE_URL}tags/zurich/rss.xml">RSS</a> · <a href="${SITE_URL}tags/zurich/atom.xml">Atom</a> · <a href="${SITE_URL}tags/zurich/feed.json">JSON Feed</a></span>`,
    ]);
    expect(store.text('index.html')).toContain(`<a href="${SITE_URL}tags/">Topics</a>`);
    expect(store.text('tags/europe/index.html')).toContain(`<a href="${SITE_URL}tags/">All topics</a>`);
    expect(store.text('sitemaps/pages.xml')).toContain(`<loc>${SITE_URL}tags/</loc>`);
  });

  it('is written again when a count changes, not when an article changes otherwise', async () => {
    source.put('2025-01-10-c.md', markdownArticle({ title: 'C, retitled', date: '2025-01-10' }));
    const edited = await run(['2025-01-10-c.md']);
    expect(edited.written).not.toContain('tags/index.html');

    source.put('2025-01-10-c.md', markdownArticle({ title: 'C', date: '2025-01-10', tags: '[europe]' }));
    const tagged = await run(['2025-01-10-c.md']);
    expect(tagged.written).toContain('tags/index.html');
    expect(store.text('tags/index.html')).toContain('3 articles');
  });
});
