/**
 * Every feed the publisher writes, read by real clients: a site built with the core `publishSite` from a
 * content folder full of hostile articles, then each main, tag and archive feed checked with Debian's
 * feedparser (no bozo, exact titles), a strict XML parser, jing with RFC 4287's RELAX NG schema, and the
 * JSON Feed 1.1 schema and rules.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { mainFeedSpec } from '../../functions/core/feed-spec.ts';
import { parseArticle } from '../../functions/core/parse-article.ts';
import { silentLogger } from '../../functions/core/ports.ts';
import { type BuildReport, publishSite } from '../../functions/core/publish-site.ts';
import { renderAtom } from '../../functions/core/render-atom.ts';
import { renderRss } from '../../functions/core/render-rss.ts';
import { buildSiteModel } from '../../functions/core/site-model.ts';
import {
  MARKUP_TITLE,
  NASTY_COVER_BYTES,
  NASTY_HUB,
  NASTY_LIMIT,
  NASTY_NOW,
  NASTY_PUBLISHED,
  NASTY_SITE_URL,
  NASTY_TALK_BYTES,
  nastyContent,
} from '../fixtures/feeds/nasty-content.ts';
import { MemorySource, MemoryStore } from '../fixtures/memory.ts';
import { baseConfig } from '../fixtures/site.ts';
import { FEEDPARSER_MISSING, hasFeedparser, type ParsedFeed, parseFeed } from '../helpers/feedparser.ts';
import { jingMissing, validateAtom } from '../helpers/jing.ts';
import { validateJsonFeed } from '../helpers/json-feed.ts';
import { missing } from '../helpers/skip.ts';
import { childElements, parseXmlStrict, textOf, type XmlElement } from '../helpers/xml.ts';

const store = new MemoryStore();
let report: BuildReport;

const keys = () => [...store.objects.keys()].sort();
// The digest feed (`digests/`) belongs to the digest tests.
const feedDirs = () =>
  keys()
    .filter((k) => k.endsWith('rss.xml') && !k.startsWith('digests/'))
    .map((k) => k.slice(0, -'rss.xml'.length));
const bodyOf = (key: string) => store.text(key);
const contentTypeOf = (key: string) => store.objects.get(key)?.options.contentType;

interface JsonFeed {
  feed_url: string;
  next_url?: string;
  items: {
    id: string;
    url: string;
    title: string;
    content_html: string;
    date_published: string;
    date_modified: string;
    image?: string;
    attachments?: { url: string; mime_type: string; size_in_bytes?: number }[];
  }[];
}
const jsonOf = (key: string) => JSON.parse(bodyOf(key)) as JsonFeed;
/** An item of the main feed, wherever it is: the subscription document or an archive page. */
const mainItem = (slug: string) =>
  feedDirs()
    .filter((d) => !d.startsWith('tags/'))
    .flatMap((d) => jsonOf(`${d}feed.json`).items)
    .find((i) => i.url.endsWith(`/posts/${slug}/`));

/** The HTML of every item in a feed document, as a reader gets it. */
function itemHtml(key: string): string[] {
  if (key.endsWith('.json')) return jsonOf(key).items.map((i) => i.content_html);
  const root = parseXmlStrict(bodyOf(key));
  if (root.local === 'rss') {
    const channel = childElements(root, 'channel')[0] as XmlElement;
    return childElements(channel, 'item').map((item) =>
      textOf(childElements(item, 'encoded')[0] as XmlElement),
    );
  }
  return childElements(root, 'entry').map((entry) =>
    textOf(childElements(entry, 'content')[0] as XmlElement),
  );
}

const EXECUTABLE = [
  /<script/i,
  /<iframe/i,
  /<object/i,
  /<svg/i,
  /\son\w+\s*=/i,
  /javascript:/i,
  /data:text\/html/i,
];

beforeAll(async () => {
  report = await publishSite({
    source: new MemorySource(nastyContent()),
    store,
    logger: silentLogger,
    now: NASTY_NOW,
    siteUrl: NASTY_SITE_URL,
  });
});

describe('the site built from hostile content', () => {
  it('publishes every valid article, skips the bad ones, and writes main, tag and archive feeds', () => {
    expect(report.errors).toEqual([]);
    expect(report.counts.published).toBe(NASTY_PUBLISHED.length);
    for (const { slug } of NASTY_PUBLISHED) expect(keys()).toContain(`posts/${slug}/index.html`);
    expect(feedDirs()).toEqual([
      'archive/1/',
      'archive/2/',
      'archive/3/',
      '',
      'tags/c-plus-plus/',
      'tags/paris/archive/1/',
      'tags/paris/',
    ]);
    for (const dir of feedDirs()) {
      expect(keys()).toEqual(expect.arrayContaining([`${dir}rss.xml`, `${dir}atom.xml`, `${dir}feed.json`]));
    }
    expect(keys()).toEqual(
      expect.arrayContaining([
        'feeds.opml',
        'feed.css',
        'tags/c-plus-plus/index.html',
        'tags/paris/index.html',
      ]),
    );
  });

  it('writes only well-formed XML (strict parser) and valid JSON', () => {
    for (const key of keys().filter((k) => /\.(xml|opml)$/.test(k)))
      expect(() => parseXmlStrict(bodyOf(key)), key).not.toThrow();
    for (const key of keys().filter((k) => k.endsWith('.json')))
      expect(() => JSON.parse(bodyOf(key)), key).not.toThrow();
  });

  it('validates every feed.json against JSON Feed 1.1', () => {
    for (const dir of feedDirs()) expect(validateJsonFeed(jsonOf(`${dir}feed.json`)), dir).toEqual([]);
  });

  it('carries no executable script in any page or item', () => {
    // Article pages hold one schema.org data block (JSON-LD, no `<` inside): a data block runs nothing.
    const DATA_BLOCK = /<script type="application\/ld\+json">[^<]*<\/script>\n/;
    for (const key of keys().filter((k) => k.endsWith('.html'))) {
      const page = bodyOf(key).replace(DATA_BLOCK, '');
      for (const pattern of EXECUTABLE) expect(page, `${key} ${pattern}`).not.toMatch(pattern);
    }
    for (const dir of feedDirs()) {
      for (const file of ['rss.xml', 'atom.xml', 'feed.json']) {
        for (const html of itemHtml(dir + file)) {
          for (const pattern of EXECUTABLE) expect(html, `${dir}${file} ${pattern}`).not.toMatch(pattern);
        }
      }
    }
  });

  it('keeps tables, code, images and headings, and makes every link and image absolute', () => {
    const raw = mainItem('raw-html')?.content_html ?? '';
    expect(raw).toMatch(/<table>[\s\S]*<td>1<\/td>/);
    expect(raw).toContain(
      '<pre><code class="language-js"><span class="hljs-keyword">const</span> x = <span class="hljs-string">"&lt;script&gt;"</span>;',
    );
    // A form's input goes, as the form does (only task-list checkboxes stay).
    expect(raw).not.toContain('<span></span>');
    expect(raw).toContain('<h2 id="a-heading">A heading</h2>');
    expect(raw).toContain('src="https://news.example.com/posts/raw-html/pics/photo.png"');
    const all = [
      ...feedDirs().flatMap((d) => itemHtml(`${d}feed.json`)),
      ...keys()
        .filter((k) => k.endsWith('.html'))
        .map(bodyOf),
    ];
    for (const html of all) {
      for (const [, url] of html.matchAll(/(?:href|src)="([^"]*)"/g))
        expect(url).toMatch(/^(https?:|mailto:|tel:)/);
    }
    const relative = mainItem('relative');
    expect(relative?.content_html).toContain('href="https://news.example.com/posts/markup-title/"');
    expect(relative?.content_html).toContain('href="https://news.example.com/about/"');
    expect(relative?.content_html).toContain('href="https://news.example.com/posts/relative/#x"');
    expect(relative?.content_html).toContain('src="https://news.example.com/posts/relative/img/a.png"');
    expect(relative?.image).toBe('https://news.example.com/posts/relative/cover.jpg');
    expect(relative?.attachments).toEqual([
      {
        url: 'https://news.example.com/posts/relative/talks/the%20talk.m4a',
        mime_type: 'audio/mp4',
        size_in_bytes: NASTY_TALK_BYTES,
      },
    ]);
    // Heading ids and footnotes, linked within the page.
    expect(relative?.content_html).toContain('<h2 id="sources--notes">Sources &amp; notes</h2>');
    expect(relative?.content_html).toContain('href="https://news.example.com/posts/relative/#footnote-1"');
    expect(relative?.content_html).toContain('<li id="footnote-1">');
  });

  it('lists every feed in feeds.opml (OPML 2.0) with absolute URLs', () => {
    const opml = parseXmlStrict(bodyOf('feeds.opml'));
    expect(opml.local).toBe('opml');
    expect(opml.attributes.version).toBe('2.0');
    const outlines: XmlElement[] = [];
    const walk = (el: XmlElement) => {
      for (const child of childElements(el, 'outline')) {
        outlines.push(child);
        walk(child);
      }
    };
    walk(childElements(opml, 'body')[0] as XmlElement);
    const feeds = outlines.filter((o) => o.attributes.xmlUrl);
    expect(feeds.map((o) => o.attributes.xmlUrl)).toEqual([
      'https://news.example.com/rss.xml',
      'https://news.example.com/digests/rss.xml',
      'https://news.example.com/tags/c-plus-plus/rss.xml',
      'https://news.example.com/tags/paris/rss.xml',
    ]);
    for (const o of outlines) expect(o.attributes.text).toMatch(/\S/);
    for (const o of feeds) {
      expect(o.attributes.type).toBe('rss');
      expect(new URL(o.attributes.htmlUrl ?? '').protocol).toBe('https:');
    }
  });

  it('links each page to its feeds for autodiscovery, tag pages to the tag feeds first', () => {
    const page = bodyOf('tags/paris/index.html');
    for (const href of ['tags/paris/rss.xml', 'tags/paris/atom.xml', 'tags/paris/feed.json', 'rss.xml']) {
      expect(page).toContain(`<link rel="alternate" type="application/`);
      expect(page).toContain(`href="https://news.example.com/${href}"`);
    }
    expect(page.indexOf('tags/paris/rss.xml')).toBeLessThan(
      page.indexOf('"https://news.example.com/rss.xml"'),
    );
    for (const key of keys().filter((k) => k.endsWith('.html'))) {
      expect(bodyOf(key), key).toContain('<link rel="alternate" type="application/rss+xml"');
    }
  });

  it('styles RSS and Atom for browsers with feed.css', () => {
    for (const dir of feedDirs()) {
      for (const file of ['rss.xml', 'atom.xml']) {
        expect(bodyOf(dir + file)).toContain(
          '<?xml-stylesheet href="https://news.example.com/feed.css" type="text/css"?>',
        );
      }
    }
    expect(contentTypeOf('feed.css')).toBe('text/css; charset=utf-8');
  });

  it('reaches every article from the subscription feed through prev-archive (Atom) and next_url (JSON)', () => {
    const ids = new Set<string>();
    let key: string | undefined = 'atom.xml';
    while (key) {
      const root = parseXmlStrict(bodyOf(key));
      for (const entry of childElements(root, 'entry'))
        ids.add(textOf(childElements(entry, 'id')[0] as XmlElement));
      const prev = childElements(root, 'link').find((l) => l.attributes.rel === 'prev-archive');
      key = prev?.attributes.href?.replace(NASTY_SITE_URL, '');
    }
    expect(ids.size).toBe(NASTY_PUBLISHED.length);
    const jsonIds = new Set<string>();
    let json: string | undefined = 'feed.json';
    while (json) {
      const feed = jsonOf(json);
      for (const item of feed.items) jsonIds.add(item.id);
      expect(feed.feed_url).toBe('https://news.example.com/feed.json');
      json = feed.next_url?.replace(NASTY_SITE_URL, '');
    }
    expect(jsonIds).toEqual(ids);
    expect(jsonOf('feed.json').items).toHaveLength(NASTY_LIMIT);
  });
});

describe.skipIf(missing(...jingMissing()))('Atom documents against RFC 4287 (jing)', () => {
  it('validates every atom.xml: main, tag and archive', async () => {
    for (const dir of feedDirs()) expect(await validateAtom(bodyOf(`${dir}atom.xml`)), dir).toEqual([]);
    // The schema has seen an entry in a language of its own (the Arabic article's `language: ar`).
    expect(feedDirs().some((dir) => bodyOf(`${dir}atom.xml`).includes('<entry xml:lang="ar">'))).toBe(true);
  });
});

describe.skipIf(missing(hasFeedparser(), FEEDPARSER_MISSING))('RSS and Atom read by feedparser', () => {
  const parsed = new Map<string, ParsedFeed>();
  beforeAll(async () => {
    for (const dir of feedDirs()) {
      for (const file of ['rss.xml', 'atom.xml']) {
        const key = dir + file;
        parsed.set(key, await parseFeed(bodyOf(key), { contentType: contentTypeOf(key) }));
      }
    }
  });
  const feed = (key: string) => parsed.get(key) as ParsedFeed;

  it('reads every document as the right version, without bozo', () => {
    for (const [key, result] of parsed) {
      expect(result.bozo_exception, key).toBeNull();
      expect(result.bozo, key).toBe(false);
      expect(result.version, key).toBe(key.endsWith('rss.xml') ? 'rss20' : 'atom10');
    }
  });

  it('returns every title exactly as the author wrote it, in RSS and Atom', () => {
    const titles = new Map<string, string>();
    for (const result of parsed.values())
      for (const e of result.entries) titles.set(`${e.link}|${result.version}`, e.title ?? '');
    for (const { slug, title } of NASTY_PUBLISHED) {
      const url = `https://news.example.com/posts/${slug}/`;
      expect(titles.get(`${url}|rss20`), slug).toBe(title);
      expect(titles.get(`${url}|atom10`), slug).toBe(title);
    }
    expect(titles.get('https://news.example.com/posts/markup-title/|rss20')).toBe(MARKUP_TITLE);
  });

  it('sees the same items with the same ids, titles, links and dates as the JSON Feed', () => {
    for (const dir of feedDirs()) {
      const json = jsonOf(`${dir}feed.json`).items;
      for (const file of ['rss.xml', 'atom.xml']) {
        const entries = feed(dir + file).entries;
        expect(
          entries.map((e) => e.id),
          dir + file,
        ).toEqual(json.map((i) => i.id));
        expect(entries.map((e) => e.title)).toEqual(json.map((i) => i.title));
        expect(entries.map((e) => e.link)).toEqual(json.map((i) => i.url));
        expect(entries.map((e) => e.published_parsed)).toEqual(
          json.map((i) => i.date_published.replace('.000Z', 'Z')),
        );
      }
      expect(feed(`${dir}atom.xml`).entries.map((e) => e.updated_parsed)).toEqual(
        json.map((i) => i.date_modified.replace('.000Z', 'Z')),
      );
    }
  });

  it('finds self, alternate, archive links and the language', () => {
    const main = feed('atom.xml').feed;
    expect(main.links).toEqual(
      expect.arrayContaining([
        { rel: 'self', href: 'https://news.example.com/atom.xml', type: 'application/atom+xml' },
        { rel: 'alternate', href: 'https://news.example.com/', type: 'text/html' },
        {
          rel: 'prev-archive',
          href: 'https://news.example.com/archive/3/atom.xml',
          type: 'application/atom+xml',
        },
      ]),
    );
    expect(main.language).toBe('en-GB');
    expect(feed('rss.xml').feed.language).toBe('en-GB');
    expect(feed('archive/1/rss.xml').feed.links).toEqual(
      expect.arrayContaining([
        { rel: 'current', href: 'https://news.example.com/rss.xml', type: 'application/rss+xml' },
      ]),
    );
    expect(feed('archive/1/atom.xml').feed.links.some((l) => l.rel === 'prev-archive')).toBe(false);
  });

  it('names the WebSub hub in every subscription feed, never in an archive page', () => {
    for (const file of ['rss.xml', 'atom.xml', 'tags/paris/rss.xml', 'tags/paris/atom.xml']) {
      expect(feed(file).feed.links, file).toEqual(
        expect.arrayContaining([expect.objectContaining({ rel: 'hub', href: NASTY_HUB })]),
      );
    }
    for (const file of ['archive/1/rss.xml', 'archive/1/atom.xml']) {
      expect(
        feed(file).feed.links.some((l) => l.rel === 'hub'),
        file,
      ).toBe(false);
    }
    expect(JSON.parse(bodyOf('feed.json')).hubs).toEqual([{ type: 'WebSub', url: NASTY_HUB }]);
    expect(JSON.parse(bodyOf('archive/1/feed.json')).hubs).toBeUndefined();
    // The site's icon, in the element each format has for it (all validated above).
    const icon = 'https://cdn.example.com/dispatch/icon.svg';
    expect(bodyOf('rss.xml')).toContain(`<url>${icon}</url>`);
    expect(bodyOf('atom.xml')).toContain(`<icon>${icon}</icon>`);
    expect(JSON.parse(bodyOf('feed.json')).icon).toBe(icon);
  });

  it('reads the recording as the enclosure (Atom: and the cover image), authors and categories', () => {
    const talk = expect.objectContaining({
      href: 'https://news.example.com/posts/relative/talks/the%20talk.m4a',
      length: String(NASTY_TALK_BYTES),
      type: 'audio/mp4',
    });
    const cover = expect.objectContaining({
      href: 'https://news.example.com/posts/relative/cover.jpg',
      length: String(NASTY_COVER_BYTES),
      type: 'image/jpeg',
    });
    for (const file of ['rss.xml', 'atom.xml']) {
      const all = feedDirs().flatMap((d) => parsed.get(d + file)?.entries ?? []);
      const relative = all.find((e) => e.link?.endsWith('/relative/'));
      // RSS has one enclosure per item; Atom takes both.
      expect(relative?.enclosures, file).toEqual(file === 'rss.xml' ? [talk] : [talk, cover]);
      const markup = all.find((e) => e.link?.endsWith('/markup-title/'));
      expect(markup?.author, file).toBe('Claire');
      expect(
        markup?.tags.map((t) => t.term),
        file,
      ).toEqual(['Paris', 'C++']);
    }
  });

  it('returns 400 random titles exactly: always in Atom, in RSS but for two character references', async () => {
    const fragments = [
      '<',
      '>',
      '&',
      '&amp;',
      '&#39;',
      '&#34;',
      '&nbsp;',
      '"',
      "'",
      ']]>',
      '</b>',
      '<b>',
      '</p>',
      '<i>',
      '\u0001',
      '\u0092',
      '😀',
      'עברית',
      '<script>',
    ];
    const text = fc
      .array(fc.oneof(fc.string({ unit: 'binary', maxLength: 6 }), fc.constantFrom(...fragments)), {
        maxLength: 8,
      })
      .map((parts) => parts.join(''));
    const encoder = new TextEncoder();
    const articles = fc.sample(text, { numRuns: 400, seed: 42 }).flatMap((title, i) => {
      const source = `---\ntitle: ${JSON.stringify(title)}\ndate: 2025-01-10\n---\n\nx\n`;
      const result = parseArticle(`2025-01-10-t${i}.md`, encoder.encode(source), { timeZone: 'UTC' });
      return result.ok ? [result.article] : [];
    });
    const { model } = buildSiteModel(
      articles,
      { ...baseConfig, feeds: { limit: 1000 } },
      NASTY_SITE_URL,
      NASTY_NOW,
    );
    const spec = mainFeedSpec(model);
    expect(spec.items).toHaveLength(400);
    for (const [format, xml] of [
      ['atom', renderAtom(spec)],
      ['rss', renderRss(spec)],
    ] as const) {
      const result = await parseFeed(xml);
      expect(result.bozo).toBe(false);
      const titles = new Map(result.entries.map((e) => [e.link, e.title]));
      for (const article of spec.items) {
        // feedparser takes an RSS title with an entity-like text for HTML, and then rewrites &#39; and &#34;.
        const rewritten = article.title.replaceAll('&#39;', "'").replaceAll('&#34;', '"');
        const allowed = format === 'rss' ? [article.title, rewritten] : [article.title];
        expect(allowed, `${format} ${JSON.stringify(article.title)}`).toContain(titles.get(article.url));
      }
    }
  });
});
