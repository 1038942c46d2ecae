import { Feed } from 'feed';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type FeedSpec, mainFeedSpec } from '../../functions/core/feed-spec.ts';
import { renderAtom, renderAtomDocument } from '../../functions/core/render-atom.ts';
import { renderRss, renderRssDocument } from '../../functions/core/render-rss.ts';
import type { PublishedArticle } from '../../functions/core/site-model.ts';
import { sampleModel } from '../fixtures/site.ts';

const spec = mainFeedSpec(sampleModel());
const first = spec.items[0] as PublishedArticle;
let made = 0;
/** A new article object (never cached) with `first`'s shape and its own values. */
const another = (fields: Partial<PublishedArticle> = {}): PublishedArticle => {
  made++;
  return {
    ...first,
    title: `Another café ${made}`,
    summaryText: `Summary “${made}”`,
    url: `${first.url}${made}/`,
    id: `${first.url}${made}/`,
    published: new Date(first.published.getTime() + made * 1000),
    updated: new Date(first.updated.getTime() + made * 1000),
    ...fields,
  };
};

/** The document, with each renderer's calls to `feed` counted. */
function rendered(items: readonly PublishedArticle[]) {
  const feed: FeedSpec = { ...spec, items };
  const rss2 = vi.spyOn(Feed.prototype, 'rss2');
  const atom1 = vi.spyOn(Feed.prototype, 'atom1');
  const out = { rss: renderRss(feed), atom: renderAtom(feed) };
  const calls = { rss: rss2.mock.calls.length, atom: atom1.mock.calls.length };
  vi.restoreAllMocks();
  return { ...out, calls, whole: { rss: renderRssDocument(feed), atom: renderAtomDocument(feed) } };
}

describe('feed items from stencils', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('give feed’s bytes for a new article of a shape seen before, with feed rendering the document only', () => {
    rendered([another()]);
    const doc = rendered([another(), another()]);
    expect(doc.calls).toEqual({ rss: 1, atom: 1 });
    expect(doc.rss).toBe(doc.whole.rss);
    expect(doc.atom).toBe(doc.whole.atom);
    expect(doc.rss).toContain(`<title><![CDATA[Another café ${made}]]></title>`);
  });

  it('leave to feed each value it would not write verbatim', () => {
    rendered([another()]);
    const cases: Partial<PublishedArticle>[] = [
      // `new URL()` in feed writes `https://example.com/…`.
      { url: 'HTTPS://EXAMPLE.COM/Posts/x/' },
      { title: 'Q&A ]]> <b>' },
      { author: { name: 'Smith & Sons' } },
      { tags: [{ name: 'R&D "lab"', slug: 'r-d' }] },
      { summaryText: 'it’s <fine> & "quoted"' },
    ];
    for (const fields of cases) {
      const doc = rendered([another(fields)]);
      expect(doc.rss, JSON.stringify(fields)).toBe(doc.whole.rss);
      expect(doc.atom, JSON.stringify(fields)).toBe(doc.whole.atom);
    }
  });

  it('are not made where feed derives something from a value: an Atom enclosure’s type from its URL', () => {
    for (const image of [
      'https://example.com/a.png',
      'https://example.com/b.jpg',
      'https://example.com/c.png',
    ]) {
      const doc = rendered([another({ imageUrl: image })]);
      expect(doc.atom).toBe(doc.whole.atom);
      expect(doc.rss).toBe(doc.whole.rss);
    }
    expect(rendered([another({ imageUrl: 'https://example.com/d.jpg' })]).atom).toContain(
      'href="https://example.com/d.jpg" type="image/jpeg"',
    );
  });
});
