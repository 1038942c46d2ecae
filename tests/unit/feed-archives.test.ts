import { describe, expect, it } from 'vitest';
import { mainFeedSpec, planFeeds } from '../../functions/core/feed-spec.ts';
import { renderFeeds } from '../../functions/core/render-feeds.ts';
import { parseSiteConfig } from '../../functions/core/site-config.ts';
import { buildSiteModel, type SiteModel } from '../../functions/core/site-model.ts';
import { markdownArticle, NOW, SITE_URL } from '../fixtures/articles.ts';
import { baseConfig, parsed } from '../fixtures/site.ts';
import { childElements, parseXmlStrict, type XmlElement } from '../helpers/xml.ts';

const FH = 'http://purl.org/syndication/history/1.0';
/** rel → href of an Atom feed's `link`s or an RSS channel's `atom:link`s. */
const linksOf = (parent: XmlElement) =>
  Object.fromEntries(
    childElements(parent, 'link', 'http://www.w3.org/2005/Atom').map((l) => [
      l.attributes.rel,
      l.attributes.href,
    ]),
  );

/** `count` articles a day apart from 2025-01-01, all tagged "paris", feeds cut at `limit`. */
function modelOf(count: number, limit: number): SiteModel {
  const articles = Array.from({ length: count }, (_, i) => {
    const day = new Date(Date.UTC(2025, 0, 1 + i)).toISOString().slice(0, 10);
    return parsed(`${day}-n${i + 1}.md`, markdownArticle({ title: `N${i + 1}`, date: day, tags: '[Paris]' }));
  });
  return buildSiteModel(articles, { ...baseConfig, feeds: { limit } }, SITE_URL, NOW).model;
}

const rendered = (model: SiteModel) => new Map(renderFeeds(model).map((p) => [p.key, p.render()]));
const titles = (model: SiteModel, dir: string) =>
  planFeeds(model)
    .find((f) => f.dir === dir)
    ?.spec.items.map((a) => a.title);

describe('RFC 5005 archives, written once', () => {
  it('keeps the newest N in the feed and numbers complete pages from the oldest', () => {
    const model = modelOf(7, 3);
    expect(titles(model, '')).toEqual(['N7', 'N6', 'N5']);
    expect(titles(model, 'archive/1/')).toEqual(['N3', 'N2', 'N1']);
    expect(titles(model, 'archive/2/')).toEqual(['N6', 'N5', 'N4']);
    expect(titles(model, 'archive/3/')).toBeUndefined();
    expect(titles(model, 'tags/paris/archive/2/')).toEqual(['N6', 'N5', 'N4']);
  });

  it('keeps the newest 50 when site.yaml does not set feeds.limit', () => {
    const config = parseSiteConfig('title: Defaults\n');
    expect(config.feeds.limit).toBe(50);
    const model = modelOf(60, config.feeds.limit);
    expect(titles(model, '')).toHaveLength(50);
    expect(titles(model, '')?.at(-1)).toBe('N11');
    expect(titles(model, 'archive/1/')).toHaveLength(50);
    expect(titles(model, 'archive/2/')).toBeUndefined();
  });

  it('writes no archive while every article fits in the feed', () => {
    expect(planFeeds(modelOf(3, 3)).map((f) => f.dir)).toEqual(['', 'tags/paris/']);
    expect(mainFeedSpec(modelOf(3, 3)).prevArchive).toBeUndefined();
  });

  it('links the feed to the newest page, each page to the one before and back to the feed', () => {
    const files = rendered(modelOf(7, 3));
    const rss = files.get('rss.xml') ?? '';
    expect(rss).toContain('<atom:link href="https://news.example.com/archive/2/rss.xml" rel="prev-archive"');
    expect(rss).not.toContain('fh:archive/>');
    const page2 = parseXmlStrict(files.get('archive/2/atom.xml') ?? '');
    expect(linksOf(page2)).toEqual({
      alternate: 'https://news.example.com/',
      self: 'https://news.example.com/archive/2/atom.xml',
      current: 'https://news.example.com/atom.xml',
      'prev-archive': 'https://news.example.com/archive/1/atom.xml',
    });
    expect(childElements(page2, 'archive', FH)).toHaveLength(1);
    expect(childElements(parseXmlStrict(files.get('atom.xml') ?? ''), 'archive', FH)).toEqual([]);
    const rssPage2 = childElements(parseXmlStrict(files.get('archive/2/rss.xml') ?? ''), 'channel')[0];
    if (!rssPage2) throw new Error('no channel');
    expect(linksOf(rssPage2)).toEqual({
      self: 'https://news.example.com/archive/2/rss.xml',
      current: 'https://news.example.com/rss.xml',
      'prev-archive': 'https://news.example.com/archive/1/rss.xml',
    });
    expect(childElements(rssPage2, 'archive', FH)).toHaveLength(1);
    expect(files.get('archive/1/rss.xml')).not.toContain('prev-archive');
    const json = JSON.parse(files.get('feed.json') ?? '{}');
    expect(json.next_url).toBe('https://news.example.com/archive/2/feed.json');
    const page1 = JSON.parse(files.get('archive/1/feed.json') ?? '{}');
    expect(page1.feed_url).toBe('https://news.example.com/feed.json');
    expect(page1).not.toHaveProperty('next_url');
  });

  it('never changes a complete page when new articles arrive', () => {
    const before = rendered(modelOf(7, 3));
    for (const count of [8, 9, 10, 20]) {
      const after = rendered(modelOf(count, 3));
      for (const [key, body] of before)
        if (key.includes('archive/')) expect(after.get(key), `${key} at ${count}`).toBe(body);
    }
    expect(rendered(modelOf(10, 3)).has('archive/3/rss.xml')).toBe(true);
  });

  it('names the archive link in each plan, so an incremental publisher re-renders the feed when it moves', () => {
    const plan = (n: number) => renderFeeds(modelOf(n, 3)).find((p) => p.key === 'atom.xml');
    expect(plan(7)?.dependsOn).not.toBe(plan(6)?.dependsOn);
    expect(plan(7)?.articles.map((a) => a.title)).toEqual(['N7', 'N6', 'N5']);
    const page = renderFeeds(modelOf(7, 3)).find((p) => p.key === 'archive/1/rss.xml');
    expect(page?.articles.map((a) => a.title)).toEqual(['N3', 'N2', 'N1']);
    expect(page?.withHtml).toBe(true);
  });
});
