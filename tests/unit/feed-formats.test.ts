import { describe, expect, it } from 'vitest';
import { assertWellFormedXml, checkOutput } from '../../functions/core/check-output.ts';
import { imageMimeType, mainFeedSpec, planFeeds } from '../../functions/core/feed-spec.ts';
import { renderAtom } from '../../functions/core/render-atom.ts';
import { renderFeeds } from '../../functions/core/render-feeds.ts';
import { renderCheckedJsonFeed, renderJsonFeed } from '../../functions/core/render-json-feed.ts';
import { renderRss } from '../../functions/core/render-rss.ts';
import { planSite } from '../../functions/core/render-site.ts';
import { buildSiteModel } from '../../functions/core/site-model.ts';
import { markdownArticle, NOW, SITE_URL } from '../fixtures/articles.ts';
import { baseConfig, parsed, sampleModel } from '../fixtures/site.ts';
import { childElements, parseXmlStrict, textOf, type XmlElement } from '../helpers/xml.ts';

const withImage = (image: string) =>
  buildSiteModel(
    [parsed('2025-01-10-pic.md', markdownArticle({ title: 'Pic', image }))],
    baseConfig,
    SITE_URL,
    NOW,
  ).model;

describe('image enclosures', () => {
  it.each([
    ['cover.jpg', 'image/jpeg'],
    ['cover.JPEG', 'image/jpeg'],
    ['https://cdn.example.com/a.png?w=300', 'image/png'],
    ['a.webp', 'image/webp'],
    ['a.svg', 'image/svg+xml'],
    ['a.gif', 'image/gif'],
    ['a.avif', 'image/avif'],
  ])('%s is %s', (image, type) => {
    const spec = mainFeedSpec(withImage(image));
    const url = spec.items[0]?.imageUrl ?? '';
    expect(imageMimeType(url)).toBe(type);
    const item = childElements(
      childElements(parseXmlStrict(renderRss(spec)), 'channel')[0] as XmlElement,
      'item',
    );
    expect(item.flatMap((i) => childElements(i, 'enclosure')).map((e) => e.attributes)).toEqual([
      { url, length: '0', type },
    ]);
    const entry = childElements(parseXmlStrict(renderAtom(spec)), 'entry');
    const enclosures = entry
      .flatMap((e) => childElements(e, 'link'))
      .filter((l) => l.attributes.rel === 'enclosure');
    expect(enclosures.map((l) => l.attributes)).toEqual([{ rel: 'enclosure', href: url, type }]);
    expect(JSON.parse(renderJsonFeed(spec)).items[0].image).toBe(url);
  });

  it('writes no enclosure for an image whose type is unknown, but keeps the JSON Feed image', () => {
    const spec = mainFeedSpec(withImage('picture.bin'));
    expect(renderRss(spec)).not.toContain('<enclosure');
    expect(renderAtom(spec)).not.toContain('rel="enclosure"');
    expect(JSON.parse(renderJsonFeed(spec)).items[0].image).toBe(
      'https://news.example.com/posts/pic/picture.bin',
    );
  });

  it('resolves a relative image against the article page', () => {
    expect(mainFeedSpec(withImage('../shared/cover.jpg')).items[0]?.imageUrl).toBe(
      'https://news.example.com/posts/shared/cover.jpg',
    );
  });
});

describe('tag feeds, tag pages and feeds.opml', () => {
  const model = sampleModel();
  const plans = planSite(model);
  const byKey = new Map(plans.map((p) => [p.key, p]));

  it('plans three feeds and a page per tag, each listing exactly its articles', () => {
    for (const slug of ['diplomacy', 'europe']) {
      for (const file of ['rss.xml', 'atom.xml', 'feed.json', 'index.html']) {
        expect(byKey.has(`tags/${slug}/${file}`), `${slug}/${file}`).toBe(true);
      }
    }
    expect(byKey.get('tags/europe/atom.xml')?.articles.map((a) => a.title)).toEqual([
      'Later',
      'Paris & “after”',
    ]);
    expect(byKey.get('tags/europe/index.html')?.withHtml).toBe(false);
    expect(byKey.get('feeds.opml')?.articles).toEqual([]);
    expect(byKey.get('feed.css')?.articles).toEqual([]);
  });

  it('titles and links a tag feed as the tag', () => {
    const atom = parseXmlStrict(byKey.get('tags/europe/atom.xml')?.render() ?? '');
    const text = (local: string) => childElements(atom, local).map(textOf);
    expect(text('title')).toEqual(['Dispatch: europe']);
    expect(text('id')).toEqual(['https://news.example.com/tags/europe/']);
    expect(childElements(atom, 'link').map((l) => [l.attributes.rel, l.attributes.href])).toEqual([
      ['alternate', 'https://news.example.com/tags/europe/'],
      ['self', 'https://news.example.com/tags/europe/atom.xml'],
    ]);
  });

  it('renders the tag page with its articles and the tag feeds for autodiscovery', () => {
    const page = byKey.get('tags/europe/index.html')?.render() ?? '';
    expect(page).toContain('<h1>europe</h1>');
    expect(page).toContain(
      '<link rel="alternate" type="application/atom+xml" title="Dispatch: europe (Atom)" href="https://news.example.com/tags/europe/atom.xml">',
    );
    expect(page).toContain('href="https://news.example.com/posts/paris/"');
    expect(page).not.toContain('posts/blinken-visits-paris/');
    expect(page).toContain('<link rel="canonical" href="https://news.example.com/tags/europe/">');
  });

  it('lists every feed once in feeds.opml', () => {
    const opml = byKey.get('feeds.opml')?.render() ?? '';
    assertWellFormedXml(opml);
    expect(opml.match(/xmlUrl=/g)).toHaveLength(3);
    expect(opml).toContain(
      'xmlUrl="https://news.example.com/tags/diplomacy/rss.xml" htmlUrl="https://news.example.com/tags/diplomacy/"',
    );
  });

  it("names every feed on the home page and in feeds.opml, the digests' once a digest exists", () => {
    const withDigests = new Map(planSite(model, NOW).map((p) => [p.key, p]));
    const feedsIn = (key: string, of: Map<string, { render(): string } | undefined>) => {
      const text = of.get(key)?.render() ?? '';
      return [...text.matchAll(/(?:type="application\/rss\+xml"[^>]* href|xmlUrl)="([^"]+)"/g)].map(
        (m) => m[1],
      );
    };
    const every = ['', 'digests/', 'tags/diplomacy/', 'tags/europe/'].map(
      (dir) => `https://news.example.com/${dir}rss.xml`,
    );
    expect(feedsIn('index.html', withDigests)).toEqual(every);
    expect(feedsIn('feeds.opml', withDigests)).toEqual(every);
    expect(withDigests.has('digests/rss.xml')).toBe(true);
    const home = withDigests.get('index.html')?.render() ?? '';
    expect(home).toContain(
      '<link rel="alternate" type="application/feed+json" title="Dispatch: europe (JSON Feed)" href="https://news.example.com/tags/europe/feed.json">',
    );
    // Without a finished period there is no digests feed to name.
    const none = every.filter((url) => !url.includes('digests/'));
    expect(feedsIn('index.html', byKey)).toEqual(none);
    expect(feedsIn('feeds.opml', byKey)).toEqual(none);
    // The home page is planned again when the feeds it names change.
    expect(withDigests.get('index.html')?.dependsOn).not.toBe(byKey.get('index.html')?.dependsOn);
    expect(withDigests.get('feeds.opml')?.dependsOn).not.toBe(byKey.get('feeds.opml')?.dependsOn);
  });

  it('gives every article tag link a page', () => {
    for (const article of model.articles) {
      for (const tag of article.tags) expect(byKey.has(`tags/${tag.slug}/index.html`)).toBe(true);
    }
  });
});

describe('feed.css and the browser view', () => {
  const model = sampleModel();
  it('is linked from RSS and Atom with type="text/css" and styles both vocabularies', () => {
    const spec = mainFeedSpec(model);
    for (const xml of [renderRss(spec), renderAtom(spec)]) {
      const prolog = xml.slice(0, xml.search(/<(rss|feed) /));
      expect(prolog).toBe(
        '<?xml version="1.0" encoding="utf-8"?><?xml-stylesheet href="https://news.example.com/feed.css" type="text/css"?>\n',
      );
    }
    const css =
      renderFeeds(model)
        .find((p) => p.key === 'feed.css')
        ?.render() ?? '';
    expect(css).toContain('@namespace atom url(http://www.w3.org/2005/Atom);');
    expect(css).toMatch(/item>title/);
    expect(css).toMatch(/atom\|entry>atom\|title/);
  });
});

describe('determinism', () => {
  it('renders the same bytes whatever the clock says', () => {
    const sources = [
      parsed('2025-01-10-a.md', markdownArticle({ title: 'A', tags: '[x]' })),
      parsed('2025-01-11-b.md', markdownArticle({ title: 'B', date: '2025-01-11', tags: '[x]' })),
    ];
    const at = (now: string) =>
      renderFeeds(buildSiteModel(sources, baseConfig, SITE_URL, new Date(now)).model).map((p) => p.render());
    expect(at('2025-06-01T00:00:00Z')).toEqual(at('2031-12-31T23:59:59Z'));
    expect(renderRss(mainFeedSpec(sampleModel()))).toContain(
      '<lastBuildDate>Sat, 01 Feb 2025 10:00:00 GMT</lastBuildDate>',
    );
  });

  it('gives an empty site valid feeds with no clock date', () => {
    const model = buildSiteModel([], baseConfig, SITE_URL, NOW).model;
    for (const plan of renderFeeds(model))
      expect(() => checkOutput(plan.key, plan.render()), plan.key).not.toThrow();
    expect(renderRss(mainFeedSpec(model))).not.toContain('lastBuildDate');
    expect(planFeeds(model).map((f) => f.dir)).toEqual(['']);
  });
});

describe('checkOutput', () => {
  const good = JSON.parse(renderJsonFeed(mainFeedSpec(sampleModel())));
  it('accepts our JSON Feed and rejects one a reader could not use', () => {
    expect(() => checkOutput('feed.json', JSON.stringify(good))).not.toThrow();
    expect(() =>
      checkOutput('feed.json', JSON.stringify({ ...good, version: 'https://jsonfeed.org/version/1' })),
    ).toThrow(/version/);
    const dup = { ...good, items: [good.items[0], good.items[0]] };
    expect(() => checkOutput('tags/x/feed.json', JSON.stringify(dup))).toThrow(/unique/);
    const noContent = { ...good, items: [{ id: 'x' }] };
    expect(() => checkOutput('feed.json', JSON.stringify(noContent))).toThrow(/content_html/);
    expect(() => checkOutput('feed.json', '{"version":')).toThrow();
  });

  it('takes a JSON Feed checked on its data as the same bytes, and refuses one that fails the check', () => {
    const spec = mainFeedSpec(sampleModel());
    const { checked } = renderCheckedJsonFeed(spec);
    expect(checked).toBe(renderJsonFeed(spec));
    expect(() => checkOutput('feed.json', checked)).not.toThrow();
    const [first] = spec.items;
    if (!first) throw new Error('the sample site has articles');
    const lone = { ...first, title: 'half \ud800 a pair', url: undefined as unknown as string };
    const odd = { ...spec, items: [lone] };
    // The text parses back to the data that was checked: an undefined member is left out, a lone
    // surrogate is escaped and read back as itself.
    expect(JSON.parse(renderCheckedJsonFeed(odd).checked).items[0].title).toBe('half \ud800 a pair');
    expect(() => renderCheckedJsonFeed({ ...spec, title: '' })).toThrow(/title/);
    expect(() => renderCheckedJsonFeed({ ...spec, items: [first, first] })).toThrow(/unique/);
    expect(() => renderCheckedJsonFeed({ ...spec, homeUrl: 'not a url' })).toThrow(/home_page_url/);
  });

  it('rejects malformed XML and OPML', () => {
    expect(() => checkOutput('rss.xml', '<rss><channel></rss>')).toThrow();
    expect(() => checkOutput('feeds.opml', '<opml>&nbsp;</opml>')).toThrow();
    expect(() => checkOutput('atom.xml', '<feed>\u0001</feed>')).toThrow();
  });
});
