import { describe, expect, it } from 'vitest';
import { parseArticle } from '../../functions/core/parse-article.ts';
import { slugify, tagSlug } from '../../functions/core/text.ts';
import { markdownArticle, SITE_URL } from '../fixtures/articles.ts';
import { MemorySource, MemoryStore, memoryRuns } from '../fixtures/memory.ts';
import { parseXmlStrict } from '../helpers/xml.ts';

describe('tags in any script', () => {
  it('keep a Latin slug, and get a stable one of their own otherwise, never dropped or merged', () => {
    expect(tagSlug('Légion d’honneur')).toBe(slugify('Légion d’honneur'));
    expect(tagSlug('Straße')).toBe(slugify('Straße'));
    for (const name of ['Україна', '日本', 'Ελλάδα', '🚀', '日本 2025'])
      expect(tagSlug(name), name).toMatch(/^t-[0-9a-f]{8}$/);
    // One tag whatever its case or Unicode form; another name, another slug (`日本 2025` is not `2025`).
    expect(tagSlug('УКРАЇНА')).toBe(tagSlug('україна'));
    expect(tagSlug('Ｅλλάδα'.normalize('NFKC'))).toBe(tagSlug('Ｅλλάδα'));
    expect(new Set(['Україна', '日本', 'Ελλάδα', '🚀', '日本 2025', '2025'].map(tagSlug)).size).toBe(6);

    const r = parseArticle(
      '2025-01-10-x.md',
      new TextEncoder().encode(
        markdownArticle({ tags: '[Україна, україна, 日本, "2025", "🚀", "---", Europe]' }),
      ),
      { timeZone: 'UTC' },
    );
    expect(r.ok && r.article.tags).toEqual(['Україна', '日本', '2025', '🚀', 'Europe']);
  });

  it('spell out + and # after a letter, so that C, C++ and C# are three tags, and #paris is paris', () => {
    expect(['C', 'C++', 'c#', 'F#', 'Notepad++', 'C# 12'].map(tagSlug)).toEqual([
      'c',
      'c-plus-plus',
      'c-sharp',
      'f-sharp',
      'notepad-plus-plus',
      'c-sharp-12',
    ]);
    expect(tagSlug('#paris')).toBe('paris');
    expect(tagSlug('+1')).toBe('1');
  });

  it('each get a page and feeds named as written', async () => {
    const source = new MemorySource({
      '2025-01-10-kyiv.md': markdownArticle({ title: 'Kyiv', date: '2025-01-10', tags: '[Україна, 日本]' }),
    });
    const store = new MemoryStore();
    await memoryRuns(source, store)();
    const dir = `tags/${tagSlug('Україна')}/`;
    expect(store.text(`${dir}index.html`)).toContain('Україна');
    const rss = store.text(`${dir}rss.xml`);
    parseXmlStrict(rss);
    expect(rss).toContain('Україна');
    expect(rss).toContain(`<atom:link href="${SITE_URL}${dir}rss.xml"`);
    expect(store.text('tags/index.html')).toContain(`href="${SITE_URL}tags/${tagSlug('日本')}/"`);
    expect(store.text('posts/kyiv/index.html')).toContain(`<a href="${SITE_URL}${dir}">Україна</a>`);
  });
});
