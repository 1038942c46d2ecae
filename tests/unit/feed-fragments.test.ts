import { describe, expect, it } from 'vitest';
import { cutItems, splitItem } from '../../functions/core/feed-fragments.ts';
import { type FeedSpec, mainFeedSpec } from '../../functions/core/feed-spec.ts';
import { renderAtom, renderAtomDocument } from '../../functions/core/render-atom.ts';
import { renderRss, renderRssDocument } from '../../functions/core/render-rss.ts';
import type { PublishedArticle } from '../../functions/core/site-model.ts';
import { sampleModel } from '../fixtures/site.ts';

const spec = mainFeedSpec(sampleModel());
const first = spec.items[0] as PublishedArticle;
const noAuthor: PublishedArticle = { ...first, author: undefined };

describe('cached feed items', () => {
  it('are keyed by what they take from the document: the default author of an RSS item', () => {
    const a: FeedSpec = { ...spec, items: [noAuthor], author: { name: 'Site A' } };
    const b: FeedSpec = { ...a, author: { name: 'Site B', email: 'b@example.com' } };
    const [rssA, rssB] = [renderRss(a), renderRss(b)];
    expect(rssA).toContain('<dc:creator>Site A</dc:creator>');
    expect(rssB).toContain('<author>b@example.com (Site B)</author>');
    expect([rssA, rssB, renderRss(a)]).toEqual([renderRssDocument(a), renderRssDocument(b), rssA]);
  });

  it('restore an Atom stand-in id with the article’s own id, wherever the entry is', () => {
    // `new URL()` would write `https://example.com/`: the entry gets a stand-in restored by position.
    const odd: PublishedArticle = { ...first, id: 'https://example.com' };
    const at0: FeedSpec = { ...spec, items: [odd] };
    const at1: FeedSpec = { ...spec, items: [noAuthor, odd] };
    for (const feed of [at0, at1]) {
      expect(renderAtom(feed)).toBe(renderAtomDocument(feed));
      expect(renderAtom(feed)).toContain('<id>https://example.com</id>');
    }
  });

  it('follow a changed article, which is a new object', () => {
    const before = renderRss({ ...spec, items: [first] });
    const changed: PublishedArticle = { ...first, html: '<p>Rewritten</p>' };
    const after = renderRss({ ...spec, items: [changed] });
    expect(after).toContain('<p>Rewritten</p>');
    expect(after).toBe(renderRssDocument({ ...spec, items: [changed] }));
    expect(renderRss({ ...spec, items: [first] })).toBe(before);
  });
});

describe('cutting and splitting items', () => {
  it('finds item tags outside CDATA only', () => {
    const xml =
      '<rss><channel>\n  <item><title><![CDATA[</item>\n  <item>]]></title></item>\n  <item/></channel>';
    const { head, items, tail } = cutItems(xml.replace('<item/>', '<item></item>'), 'item');
    expect(head).toBe('<rss><channel>');
    expect(items).toEqual([
      '\n  <item><title><![CDATA[</item>\n  <item>]]></title></item>',
      '\n  <item></item>',
    ]);
    expect(tail).toBe('</channel>');
  });

  it('cuts around the content only where the item holds it exactly', () => {
    const item = '\n<item><t><![CDATA[x]]></t><c><![CDATA[body]]></c><a>n</a></item>';
    expect(splitItem(item, 'body')).toEqual([
      '\n<item><t><![CDATA[x]]></t><c><![CDATA[',
      ']]></c><a>n</a></item>',
    ]);
    // `feed` split the content at a `]]>`, or a fix emptied it: the item is kept whole.
    expect(splitItem(item, 'dy')).toEqual([item]);
    expect(splitItem(item, 'other')).toEqual([item]);
    expect(splitItem(item, '')).toEqual([item]);
  });
});
