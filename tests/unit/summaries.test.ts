/**
 * The summary readers see when the author wrote none (feeds, meta description, home page, digest): the
 * first paragraph with text, cut between characters as a reader sees them.
 */
import { describe, expect, it } from 'vitest';
import { truncateWords } from '../../functions/core/text.ts';
import { markdownArticle } from '../fixtures/articles.ts';
import { MemorySource, MemoryStore, memoryRuns } from '../fixtures/memory.ts';

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

describe('an article with no summary of its own', () => {
  it('opening with its photo is summed up by its first paragraph of text, everywhere', async () => {
    const source = new MemorySource({
      '2025-01-10-harbour.md': markdownArticle(
        { title: 'Harbour', date: '2025-01-10' },
        '![Fishing boats at dawn](https://example.org/harbour.png)\n\n[![](https://example.org/b.png)](https://example.org/)\n\nThe story begins here.\n',
      ),
    });
    const store = new MemoryStore();
    await memoryRuns(source, store)();
    expect(JSON.parse(store.text('feed.json')).items[0].summary).toBe('The story begins here.');
    expect(store.text('atom.xml')).toContain(
      '<summary type="text"><![CDATA[The story begins here.]]></summary>',
    );
    expect(store.text('posts/harbour/index.html')).toContain(
      '<meta name="description" content="The story begins here.">',
    );
  });

  it('in a script without spaces, or of emoji, is cut between whole characters', async () => {
    const cases = [
      'あ'.repeat(298) + '😀'.repeat(10),
      '🎉'.repeat(200),
      `${'e\u0301'.repeat(200)}`,
      '👩‍👩‍👧'.repeat(60),
    ];
    for (const text of cases) {
      const cut = truncateWords(text, 300);
      expect(cut.endsWith('…'), text.slice(0, 9)).toBe(true);
      expect(LONE_SURROGATE.test(cut), text.slice(0, 9)).toBe(false);
      // What is kept is whole characters of the text: the text starts with it.
      expect(text.startsWith(cut.slice(0, -1)), text.slice(0, 9)).toBe(true);
      const kept = [...new Intl.Segmenter('und', { granularity: 'grapheme' }).segment(cut.slice(0, -1))];
      const whole = [...new Intl.Segmenter('und', { granularity: 'grapheme' }).segment(text)];
      expect(kept.map((s) => s.segment)).toEqual(whole.slice(0, kept.length).map((s) => s.segment));
    }
    const source = new MemorySource({
      '2025-01-10-party.md': markdownArticle({ title: 'Party', date: '2025-01-10' }, `${'🎉'.repeat(200)}\n`),
    });
    const store = new MemoryStore();
    await memoryRuns(source, store)();
    expect(LONE_SURROGATE.test(JSON.parse(store.text('feed.json')).items[0].summary)).toBe(false);
    expect(store.text('posts/party/index.html')).not.toContain('\uFFFD');
  });
});
