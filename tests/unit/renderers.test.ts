import { describe, expect, it } from 'vitest';
import { assertWellFormedXml } from '../../functions/core/check-output.ts';
import { mainFeedSpec } from '../../functions/core/feed-spec.ts';
import { renderArticlePage } from '../../functions/core/render-article-page.ts';
import { renderAtom } from '../../functions/core/render-atom.ts';
import { renderHomePage } from '../../functions/core/render-home-page.ts';
import { renderJsonFeed } from '../../functions/core/render-json-feed.ts';
import { renderRss } from '../../functions/core/render-rss.ts';
import { planSite } from '../../functions/core/render-site.ts';
import { NOW } from '../fixtures/articles.ts';
import { sampleModel } from '../fixtures/site.ts';
import { childElements, parseXmlStrict, textOf, type XmlElement } from '../helpers/xml.ts';

const model = sampleModel();
const spec = mainFeedSpec(model);
const [later, paris, seed] = model.articles;
if (!later || !paris || !seed) throw new Error('fixture has three articles');

describe('the model', () => {
  it('orders newest first and gives each article an absolute page URL', () => {
    expect(model.articles.map((a) => a.url)).toEqual([
      'https://news.example.com/posts/later/',
      'https://news.example.com/posts/paris/',
      'https://news.example.com/posts/blinken-visits-paris/',
    ]);
  });

  it('makes relative links and images absolute against the article URL', () => {
    expect(paris.html).toContain('href="https://news.example.com/posts/blinken-visits-paris/"');
    expect(paris.html).toContain('src="https://news.example.com/posts/paris/img/map.png"');
  });

  it('dates the feeds by the newest article, not the clock', () => {
    expect(model.updated.toISOString()).toBe('2025-02-01T10:00:00.000Z');
  });
});

describe('renderRss', () => {
  const xml = renderRss(spec);

  it('is well-formed and declares its namespaces', () => {
    assertWellFormedXml(xml);
    expect(xml).toContain('xmlns:content="http://purl.org/rss/1.0/modules/content/"');
    expect(xml).toContain('xmlns:dc="http://purl.org/dc/elements/1.1/"');
  });

  it('has self link, language and a build date from the content', () => {
    expect(xml).toContain(
      '<atom:link href="https://news.example.com/rss.xml" rel="self" type="application/rss+xml"/>',
    );
    expect(xml).toContain('<language>en-GB</language>');
    expect(xml).toContain('<lastBuildDate>Sat, 01 Feb 2025 10:00:00 GMT</lastBuildDate>');
  });

  it('writes an RSS <author> only with an email, dc:creator otherwise', () => {
    expect(xml).toContain('<author>claire@example.com (Claire)</author>');
    const noEmail = renderRss({ ...spec, author: { name: 'The Desk' } });
    expect(noEmail).toContain('<dc:creator>The Desk</dc:creator>');
    expect(noEmail).not.toMatch(/<author>The Desk/);
  });

  it('carries each item with guid, link, full content and categories', () => {
    expect(xml).toContain(`<guid isPermaLink="false">${paris.id}</guid>`);
    expect(xml).toContain('<link>https://news.example.com/posts/paris/</link>');
    expect(xml).toContain('<category>diplomacy</category>');
    const items = childElements(childElements(parseXmlStrict(xml), 'channel')[0] as XmlElement, 'item');
    const item = items[1] as XmlElement;
    expect(textOf(childElements(item, 'title')[0] as XmlElement)).toBe('Paris & “after”');
    expect(textOf(childElements(item, 'encoded')[0] as XmlElement)).toBe(paris.html);
    expect(xml).toContain('Légion d’honneur');
  });
});

describe('renderAtom', () => {
  const xml = renderAtom(spec);

  it('is well-formed with self and alternate links and a language', () => {
    assertWellFormedXml(xml);
    const feed = parseXmlStrict(xml);
    expect(childElements(feed, 'link').map((l) => l.attributes)).toEqual([
      { rel: 'alternate', href: 'https://news.example.com/' },
      { rel: 'self', href: 'https://news.example.com/atom.xml' },
    ]);
    expect(feed.attributes['xml:lang']).toBe('en-GB');
  });

  it('declares plain-text titles so "&" and quotes are not read as markup', () => {
    const title = childElements(childElements(parseXmlStrict(xml), 'entry')[1] as XmlElement, 'title')[0];
    expect(title?.attributes).toEqual({ type: 'text' });
    expect(textOf(title as XmlElement)).toBe('Paris & “after”');
  });

  it('keeps published and updated apart', () => {
    expect(xml).toContain('<published>2025-01-09T23:00:00.000Z</published>');
  });
});

describe('renderJsonFeed', () => {
  const feed = JSON.parse(renderJsonFeed(spec));

  it('is JSON Feed 1.1 with the same ids, titles and urls as the XML feeds', () => {
    expect(feed.version).toBe('https://jsonfeed.org/version/1.1');
    expect(feed.feed_url).toBe('https://news.example.com/feed.json');
    expect(feed.items.map((i: { id: string }) => i.id)).toEqual(model.articles.map((a) => a.id));
    expect(feed.items[1].title).toBe('Paris & “after”');
    expect(feed.items[1].authors).toEqual([{ name: 'Claire' }]);
    expect(feed.items[1].tags).toEqual(['diplomacy', 'europe']);
    expect(feed.authors).toEqual([{ name: 'The Desk' }]);
    expect(feed).not.toHaveProperty('author');
  });
});

describe('renderArticlePage and renderHomePage', () => {
  const page = renderArticlePage(model, seed);
  const home = renderHomePage(model);

  it('render the article with its title, date, language and autodiscovery links', () => {
    expect(page).toContain('<html lang="en-GB">');
    expect(page).toContain('<h1>Blinken visits Paris</h1>');
    expect(page).toContain('<h2 id="supporting-ukraines-defence">Supporting Ukraine’s defence</h2>');
    expect(page).toContain('<time datetime="2025-01-07T23:00:00.000Z">8 January 2025</time>');
    for (const type of ['application/rss+xml', 'application/atom+xml', 'application/feed+json']) {
      expect(page).toContain(`<link rel="alternate" type="${type}"`);
      expect(home).toContain(`<link rel="alternate" type="${type}"`);
    }
  });

  it('list the newest articles on the home page (all three fit on one page), newest first, escaping titles', () => {
    const order = model.articles.map((a) => home.indexOf(`href="${a.url}"`));
    expect(order.every((i) => i > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(home).toContain('Paris &amp; “after”');
  });

  it('carry no script, only the schema.org data block of an article', () => {
    const scripts = [...page.matchAll(/<script\b[^>]*>/gi)].map((m) => m[0]);
    expect(scripts).toEqual(['<script type="application/ld+json">']);
    expect(home).not.toMatch(/<script/i);
  });

  it('describe the article for search engines (schema.org BlogPosting), unable to close its element', () => {
    const dataOf = (html: string) => {
      const json = /<script type="application\/ld\+json">(.*?)<\/script>/s.exec(html)?.[1] ?? '';
      expect(json).not.toContain('<');
      return JSON.parse(json);
    };
    const url = 'https://news.example.com/posts/paris/';
    expect(dataOf(renderArticlePage(model, paris))).toEqual({
      '@context': 'https://schema.org',
      '@type': 'BlogPosting',
      headline: 'Paris & “after”',
      url,
      mainEntityOfPage: url,
      description: paris.summaryText,
      image: [`${url}img/map.png`],
      datePublished: paris.published.toISOString(),
      dateModified: paris.updated.toISOString(),
      author: { '@type': 'Person', name: 'Claire' },
      publisher: { '@type': 'Organization', name: 'Dispatch' },
      keywords: 'diplomacy, europe',
    });
    const hostile = renderArticlePage(model, { ...paris, title: '</script><script>alert(1)</script>' });
    expect(dataOf(hostile).headline).toBe('</script><script>alert(1)</script>');
    expect(hostile.match(/<script/g)).toHaveLength(1);
  });

  it('say what a shared link shows (Open Graph, Twitter card), escaped, with the image the article names or shows', () => {
    const meta = (html: string) =>
      [...html.matchAll(/<meta (?:property|name)="((?:og|article|twitter):[^"]+)" content="([^"]*)">/g)].map(
        (m) => `${m[1]} ${m[2]}`,
      );
    const url = 'https://news.example.com/posts/paris/';
    expect(meta(renderArticlePage(model, paris))).toEqual([
      'og:type article',
      'og:site_name Dispatch',
      'og:title Paris &amp; “after”',
      `og:url ${url}`,
      `og:description ${paris.summaryText.replaceAll('&', '&amp;')}`,
      `og:image ${url}img/map.png`,
      `article:published_time ${paris.published.toISOString()}`,
      'article:tag diplomacy',
      'article:tag europe',
      'twitter:card summary_large_image',
    ]);
    const cover = renderArticlePage(model, { ...paris, imageUrl: `${url}cover.jpg?a=1&b=2` });
    expect(meta(cover)).toContain(`og:image ${url}cover.jpg?a=1&amp;b=2`);
    expect(meta(page)).not.toContainEqual(expect.stringMatching(/^og:image/));
    expect(meta(page)).toContain('twitter:card summary');
    expect(meta(home).slice(0, 4)).toEqual([
      'og:type website',
      'og:site_name Dispatch',
      'og:title Dispatch',
      'og:url https://news.example.com/',
    ]);
  });
});

describe('the cover image', () => {
  const url = 'https://news.example.com/posts/paris/';
  const covers = (html: string) =>
    (
      renderArticlePage(model, { ...paris, imageUrl: `${url}my%20cover.jpg`, html }).match(
        /my%20cover\.jpg" alt=""/g,
      ) ?? []
    ).length;
  it('is shown above the text, unless the text opens with that same picture', () => {
    expect(covers('<p>Text.</p>')).toBe(1);
    expect(covers(`<p>Text.</p>\n<p><img alt="x" src="${url}my%20cover.jpg" /></p>`)).toBe(1);
    expect(
      covers(`<p><a href="${url}"><img alt="Boats" src="${url}my cover.jpg" /></a></p>\n<p>Text.</p>`),
    ).toBe(0);
    expect(covers(`<p><img alt="Other" src="${url}other.jpg" /></p>`)).toBe(1);
  });
});

describe('404.html', () => {
  const plan = planSite(model, NOW).find((p) => p.key === '404.html');
  const page = plan?.render() ?? '';

  it('is planned from the settings alone, so it is written once', () => {
    expect(plan).toMatchObject({ articles: [], withHtml: false });
    expect(plan?.dependsOn).toBeUndefined();
  });

  it('says the page is not there, links home with an absolute URL, names no canonical URL and carries no script', () => {
    expect(page).toContain('<h1>Page not found</h1>');
    expect(page).toContain('<a href="https://news.example.com/">The newest articles on Dispatch</a>');
    expect(page).not.toContain('rel="canonical"');
    expect(page).not.toMatch(/<script/i);
    expect(page).not.toMatch(/(href|src)="(?!https:\/\/)/);
  });
});
