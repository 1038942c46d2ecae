/** A site in Arabic, Hebrew, Persian or Urdu is laid out right to left: its sentences read in order. */
import { describe, expect, it } from 'vitest';
import { textDirection } from '../../functions/core/text.ts';
import { markdownArticle } from '../fixtures/articles.ts';
import { MemorySource, MemoryStore, memoryRuns } from '../fixtures/memory.ts';

describe('the direction of the site language', () => {
  it('is right to left for languages and scripts written so', () => {
    for (const rtl of ['ar', 'he', 'fa-IR', 'ur', 'ar-EG', 'yi', 'az-Arab', 'pa-Arab', 'ku-Arab-IQ', 'ckb'])
      expect(textDirection(rtl), rtl).toBe('rtl');
    for (const ltr of ['en', 'fr-FR', 'ja', 'zh-Hant', 'az', 'az-Latn', 'ku', 'uz-Cyrl', 'tr', 'sr-Latn'])
      expect(textDirection(ltr), ltr).toBe('ltr');
  });

  it('is on every page of an Arabic site, and on none of an English one', async () => {
    for (const [language, dir] of [
      ['ar', ' dir="rtl"'],
      ['en', ''],
    ]) {
      const source = new MemorySource({
        'site.yaml': `title: Site\nlanguage: ${language}\n`,
        '2025-01-10-one.md': markdownArticle(
          { title: 'One', date: '2025-01-10', tags: '[news]', aliases: '[/old/]' },
          'هذا نص تجريبي مع رقم 123 وكلمة English في المنتصف.\n',
        ),
      });
      const store = new MemoryStore();
      await memoryRuns(source, store)();
      const pages = [...store.objects.keys()].filter((k) => k.endsWith('.html') && !k.startsWith('digests/'));
      expect(pages.length).toBeGreaterThan(3);
      for (const key of pages) expect(store.text(key), key).toContain(`<html lang="${language}"${dir}>`);
      // The digest too, on its page and in the email (on the container as well: mail clients drop <html>'s).
      const rtl = dir === '' ? 'ltr' : 'rtl';
      const digest = [...store.objects.keys()].find(
        (k) => /^digests\/[^/]+\/index\.html$/.test(k) && !k.includes('latest'),
      );
      for (const key of [digest as string, (digest as string).replace('index.html', 'digest.eml')]) {
        const text = store
          .text(key)
          .replace(/=\r?\n/g, '')
          .replaceAll('=3D', '=');
        expect(text, key).toContain(`<html lang="${language}" dir="${rtl}">`);
        expect(text, key).toContain(`class="container" dir="${rtl}"`);
      }
      // The article takes the direction of its own title, whatever the site's (the browser reads it).
      expect(store.text('posts/one/index.html')).toContain('<article dir="auto">\n<h1>One</h1>');
    }
  });

  it("is the article's own when its front matter names its language, in its page and its JSON Feed item", async () => {
    const source = new MemorySource({
      'site.yaml': 'title: Site\nlanguage: ar\n',
      '2025-01-10-fr.md': markdownArticle({ title: 'Un', date: '2025-01-10', language: 'fr' }, 'Bonjour.\n'),
      '2025-01-11-he.md': markdownArticle({ title: 'Two', date: '2025-01-11', lang: 'he' }, 'שלום\n'),
      '2025-01-12-bad.md': markdownArticle({ title: 'Three', date: '2025-01-12', language: 'fr_FR!' }),
    });
    const store = new MemoryStore();
    const report = await memoryRuns(source, store)();
    expect(store.text('posts/fr/index.html')).toContain('<article lang="fr" dir="ltr">\n<h1>Un</h1>');
    const items = JSON.parse(store.text('feed.json')).items as { title: string; language?: string }[];
    expect(items.map((i) => [i.title, i.language])).toEqual([
      ['Two', undefined],
      ['Un', 'fr'],
    ]);
    // Its Atom entry too (RSS has no language per item).
    const atom = store.text('atom.xml');
    expect(atom).toContain('<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="ar">');
    expect(atom.match(/<entry[^>]*>/g)).toEqual(['<entry>', '<entry xml:lang="fr">']);
    // A second article in French, whose entry `feed` renders the same way once its shape is known.
    source.put(
      '2025-01-13-fr2.md',
      markdownArticle({ title: 'Deux', date: '2025-01-13', language: 'fr' }, 'Salut.\n'),
    );
    await memoryRuns(source, store)(['2025-01-13-fr2.md']);
    const entries = store.text('atom.xml').match(/<entry[^>]*>/g);
    expect(entries).toEqual(['<entry xml:lang="fr">', '<entry>', '<entry xml:lang="fr">']);
    const cold = new MemoryStore();
    await memoryRuns(source, cold)();
    expect(cold.text('atom.xml')).toBe(store.text('atom.xml'));
    // Under another tool's name it is named, with the key to write; a tag that is none skips the article.
    expect(report.warnings.map((w) => w.fix)).toContainEqual(expect.stringContaining('language'));
    expect(report.skipped).toEqual([
      expect.objectContaining({
        file: '2025-01-12-bad.md',
        message: expect.stringContaining('"fr_FR!" is not a language tag'),
      }),
    ]);
  });
});
