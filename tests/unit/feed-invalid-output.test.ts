import { describe, expect, it, vi } from 'vitest';
import { silentLogger } from '../../functions/core/ports.ts';
import { InvalidOutputError } from '../../functions/core/problems.ts';
import { publishSite, REPORT_KEY } from '../../functions/core/publish-site.ts';
import { markdownArticle, NOW, SITE_URL } from '../fixtures/articles.ts';
import { MemorySource, MemoryStore } from '../fixtures/memory.ts';
import { childElements, parseXmlStrict, textOf, type XmlElement } from '../helpers/xml.ts';

// The RSS renderer, forced to produce malformed XML while `broken` is set.
const state = vi.hoisted(() => ({ broken: false }));
vi.mock(import('../../functions/core/render-rss.ts'), async (importOriginal) => {
  const real = await importOriginal();
  return {
    renderRss: (spec) => {
      const xml = real.renderRss(spec);
      return state.broken ? xml.replace('</channel>', '') : xml;
    },
    // What the publisher renders RSS with: the same document, with bodies as bytes.
    renderRssParts: (spec) => {
      const parts = real.renderRssParts(spec);
      return state.broken
        ? parts.map((p) => (typeof p === 'string' ? p.replace('</channel>', '') : p))
        : parts;
    },
  };
});

const run = (source: MemorySource, store: MemoryStore) =>
  publishSite({ source, store, logger: silentLogger, now: NOW, siteUrl: SITE_URL });

describe('an output that fails its strict check', () => {
  it('keeps the last good file, reports the error, fails the run, and is written once it is good again', async () => {
    const source = new MemorySource({ '2025-01-10-a.md': markdownArticle({ title: 'First', tags: '[x]' }) });
    const store = new MemoryStore();
    await run(source, store);
    const goodRss = store.text('rss.xml');
    const goodTagRss = store.text('tags/x/rss.xml');

    source.put('2025-01-11-b.md', markdownArticle({ title: 'Second', date: '2025-01-11', tags: '[x]' }));
    state.broken = true;
    try {
      await expect(run(source, store)).rejects.toThrow(InvalidOutputError);
    } finally {
      state.broken = false;
    }
    expect(store.text('rss.xml')).toBe(goodRss);
    expect(store.text('tags/x/rss.xml')).toBe(goodTagRss);
    const report = JSON.parse(store.text(REPORT_KEY));
    expect(report.errors).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^rss\.xml: \d+:\d+: /),
        expect.stringMatching(/^tags\/x\/rss\.xml: /),
      ]),
    );
    // Everything else moved on: the new page and the other formats.
    expect(store.objects.has('posts/b/index.html')).toBe(true);
    expect(store.text('atom.xml')).toContain('Second');

    const fixed = await run(source, store);
    expect(fixed.errors).toEqual([]);
    expect(fixed.written).toEqual(expect.arrayContaining(['rss.xml', 'tags/x/rss.xml']));
    const channel = childElements(parseXmlStrict(store.text('rss.xml')), 'channel')[0] as XmlElement;
    const titles = childElements(channel, 'item').map((i) =>
      textOf(childElements(i, 'title')[0] as XmlElement),
    );
    expect(titles).toEqual(['Second', 'First']);
  });
});
