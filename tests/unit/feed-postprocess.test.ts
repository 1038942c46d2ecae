/**
 * RSS and Atom are serialised by `feed` 6; `feed-postprocess.ts` prepares strings for it and fixes its
 * output where its API cannot express what we need. One test per fix: each shows what `feed` alone writes
 * and what the fix makes of it, then checks the rendered feed by its parsed values.
 */
import { Feed } from 'feed';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { assertWellFormedXml } from '../../functions/core/check-output.ts';
import {
  atomArchiveLinks,
  atomEnclosureTypes,
  atomLanguage,
  atomTextTypes,
  cssStylesheet,
  dropBuildDate,
  feedCdata,
  feedText,
  outsideCdata,
  protectCdata,
} from '../../functions/core/feed-postprocess.ts';
import { type FeedSpec, mainFeedSpec, planFeeds } from '../../functions/core/feed-spec.ts';
import { renderAtom } from '../../functions/core/render-atom.ts';
import { renderRss } from '../../functions/core/render-rss.ts';
import { buildSiteModel, type PublishedArticle } from '../../functions/core/site-model.ts';
import { markdownArticle, NOW, SITE_URL } from '../fixtures/articles.ts';
import { baseConfig, parsed, sampleModel } from '../fixtures/site.ts';
import { childElements, parseXmlStrict, textOf, type XmlElement } from '../helpers/xml.ts';

const ATOM_NS = 'http://www.w3.org/2005/Atom';
const FH_NS = 'http://purl.org/syndication/history/1.0';
const spec = mainFeedSpec(sampleModel());
const first = spec.items[0] as PublishedArticle;
/** The sample feed with one item, changed as given. */
const withItem = (changes: Partial<PublishedArticle>): FeedSpec => ({
  ...spec,
  items: [{ ...first, ...changes }],
});

const rssItems = (xml: string) =>
  childElements(childElements(parseXmlStrict(xml), 'channel')[0] as XmlElement, 'item');
const atomEntries = (xml: string) => childElements(parseXmlStrict(xml), 'entry');
const child = (parent: XmlElement, local: string, uri?: string) => {
  const found = childElements(parent, local, uri)[0];
  if (!found) throw new Error(`no <${local}> in <${parent.name}>`);
  return found;
};
const textIn = (parent: XmlElement, local: string) => textOf(child(parent, local));

/** What `feed` 6 alone writes for a one-item feed. */
function rawFeed(extra: { stylesheet?: string; image?: string } = {}) {
  const feed = new Feed({
    title: 'T',
    id: 'https://example.com/',
    link: 'https://example.com/',
    feedLinks: { rss: 'https://example.com/rss.xml', atom: 'https://example.com/atom.xml' },
    ...(extra.stylesheet ? { stylesheet: extra.stylesheet } : {}),
  });
  feed.addItem({
    title: 'a <title type="html"> b',
    id: 'urn:x:1',
    link: 'https://example.com/p/',
    date: new Date('2025-01-01T00:00:00Z'),
    description: 'd',
    content: '<p>c</p>',
    ...(extra.image ? { enclosure: { url: extra.image } } : {}),
  });
  return feed;
}

describe('feed 6 serialises RSS and Atom', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('renderRss and renderAtom call feed, and their output has its structure', () => {
    const rss2 = vi.spyOn(Feed.prototype, 'rss2');
    const atom1 = vi.spyOn(Feed.prototype, 'atom1');
    const rss = renderRss(spec);
    const atom = renderAtom(spec);
    // Once for the document, and a few times to make a stencil for each new shape of item.
    expect(rss2).toHaveBeenCalled();
    expect(atom1).toHaveBeenCalled();
    // feed's writer (xml-js): four-space indentation, CDATA item titles, its channel order and docs.
    expect(rss).toContain('\n    <channel>\n        <title>Dispatch</title>\n        <link>');
    expect(rss).toContain(`<title><![CDATA[${first.title}]]></title>`);
    expect(rss).toContain('<docs>https://www.rssboard.org/rss-specification</docs>');
    expect(rss).toContain('<generator>Broadsheet</generator>');
    expect(atom).toContain(`\n    <entry>\n        <title type="text"><![CDATA[${first.title}]]></title>`);
    expect(atom).toContain('<generator>Broadsheet</generator>');
  });
});

describe('before feed', () => {
  it('protectCdata splits every `]]>` after the first, which feed splits itself', () => {
    expect(protectCdata('a ]]> b ]]> c ]]>')).toBe('a ]]> b ]]]]><![CDATA[> c ]]]]><![CDATA[>');
    const title = 'x ]]> y ]]> z ]]]]> w';
    expect(textIn(rssItems(renderRss(withItem({ title })))[0] as XmlElement, 'title')).toBe(title);
    expect(textIn(atomEntries(renderAtom(withItem({ title })))[0] as XmlElement, 'title')).toBe(title);
  });

  it('strips characters XML forbids, defensively, from every string handed to feed', () => {
    expect(feedCdata('a\u0001b\uFFFEc\uD800')).toBe('abc');
    expect(feedText('a\u000Bb')).toBe('ab');
    const xml = renderRss({
      ...withItem({ title: 'bell\u0007', html: '<p>\u001B</p>' }),
      title: 'Site\u0000',
    });
    assertWellFormedXml(xml);
    expect(textIn(rssItems(xml)[0] as XmlElement, 'title')).toBe('bell');
  });

  it('feedText keeps a literal `&amp;` (xml-js turns `&amp;` into `&` before escaping text)', () => {
    const raw = new Feed({ title: 'Tom &amp; Jerry', link: 'https://example.com/' }).rss2();
    expect(textIn(child(parseXmlStrict(raw), 'channel'), 'title')).toBe('Tom & Jerry');
    const xml = renderRss({
      ...withItem({ tags: [{ name: 'R&amp;D', slug: 'r-amp-d' }], author: { name: 'A &amp; B' } }),
      title: 'Tom &amp; Jerry',
    });
    const channel = child(parseXmlStrict(xml), 'channel');
    expect(textIn(channel, 'title')).toBe('Tom &amp; Jerry');
    const item = rssItems(xml)[0] as XmlElement;
    expect(textIn(item, 'category')).toBe('R&amp;D');
    expect(textIn(item, 'creator')).toBe('A &amp; B');
    const atom = parseXmlStrict(renderAtom({ ...spec, title: 'Tom &amp; Jerry' }));
    expect(textIn(atom, 'title')).toBe('Tom &amp; Jerry');
  });

  it('RSS: <author> only with an email (feed would write a bare name), else dc:creator', () => {
    const raw = new Feed({ title: 'T', link: 'https://example.com/' });
    raw.addItem({ title: 't', link: 'https://example.com/p/', date: new Date(0), author: [{ name: 'Ann' }] });
    expect(raw.rss2()).toContain('<author>Ann</author>');
    const withEmail = rssItems(renderRss(withItem({ author: { name: 'Ann', email: 'ann@example.com' } })));
    expect(textIn(withEmail[0] as XmlElement, 'author')).toBe('ann@example.com (Ann)');
    const nameOnly = rssItems(renderRss(withItem({ author: { name: 'Ann' } })))[0] as XmlElement;
    expect(childElements(nameOnly, 'author')).toEqual([]);
    expect(child(nameOnly, 'creator').uri).toBe('http://purl.org/dc/elements/1.1/');
    expect(textOf(child(nameOnly, 'creator'))).toBe('Ann');
  });

  it('RSS: the enclosure type given replaces feed’s guess from the extension', () => {
    const raw = rawFeed({ image: 'https://example.com/a.jpg' }).rss2();
    expect(raw).toContain('type="image/jpg"');
    const xml = renderRss(withItem({ imageUrl: 'https://example.com/a.jpg?w=1&h=2' }));
    expect(child(rssItems(xml)[0] as XmlElement, 'enclosure').attributes).toEqual({
      url: 'https://example.com/a.jpg?w=1&h=2',
      type: 'image/jpeg',
      length: '0',
    });
  });
});

describe('after feed', () => {
  it('outsideCdata changes markup only, never CDATA text', () => {
    const xml = '<a>x</a><b><![CDATA[x]]]]><![CDATA[>x]]></b><c>x</c>';
    expect(outsideCdata(xml, (m) => m.replaceAll('x', 'Y'))).toBe(
      '<a>Y</a><b><![CDATA[x]]]]><![CDATA[>x]]></b><c>Y</c>',
    );
  });

  it('cssStylesheet: feed writes type="text/xsl" only; feed.css is CSS', () => {
    const raw = rawFeed({ stylesheet: 'https://example.com/feed.css' }).rss2();
    expect(raw).toContain('<?xml-stylesheet href="https://example.com/feed.css" type="text/xsl"?>');
    expect(cssStylesheet(raw)).toContain(
      '<?xml-stylesheet href="https://example.com/feed.css" type="text/css"?>',
    );
    expect(cssStylesheet(rawFeed().rss2())).toBe(rawFeed().rss2());
    for (const xml of [renderRss(spec), renderAtom(spec)]) {
      expect(xml).toMatch(/^<\?xml [^>]*\?><\?xml-stylesheet href="[^"]*\/feed\.css" type="text\/css"\?>\n</);
    }
  });

  it('dropBuildDate: feed always writes lastBuildDate (the clock by default); an empty feed has none', () => {
    const raw = new Feed({ title: 'T', link: 'https://example.com/' }).rss2();
    expect(raw).toContain('<lastBuildDate>');
    expect(dropBuildDate(raw)).not.toContain('lastBuildDate');
    assertWellFormedXml(dropBuildDate(raw));
    const empty = buildSiteModel([], baseConfig, SITE_URL, NOW).model;
    expect(renderRss(mainFeedSpec(empty))).not.toContain('lastBuildDate');
    expect(renderRss(spec)).toContain('<lastBuildDate>Sat, 01 Feb 2025 10:00:00 GMT</lastBuildDate>');
  });

  it('atomLanguage: feed has no language for Atom; xml:lang goes on the root', () => {
    const raw = rawFeed().atom1();
    expect(raw).not.toContain('xml:lang');
    expect(parseXmlStrict(atomLanguage(raw, 'fr-CA')).attributes['xml:lang']).toBe('fr-CA');
    expect(parseXmlStrict(renderAtom(spec)).attributes['xml:lang']).toBe('en-GB');
  });

  it('atomArchiveLinks: feed has no RFC 5005 links or fh:archive in Atom; they follow the self link', () => {
    const sources = Array.from({ length: 5 }, (_, i) =>
      parsed(`2025-01-0${i + 1}-n${i}.md`, markdownArticle({ title: `N${i}`, date: `2025-01-0${i + 1}` })),
    );
    const model = buildSiteModel(sources, { ...baseConfig, feeds: { limit: 2 } }, SITE_URL, NOW).model;
    const page = planFeeds(model).find((f) => f.dir === 'archive/2/')?.spec as FeedSpec;
    const raw = rawFeed().atom1();
    expect(atomArchiveLinks(raw, { ...page, current: undefined, prevArchive: undefined })).toBe(raw);
    const root = parseXmlStrict(renderAtom(page));
    expect(
      childElements(root, 'link').map((l) => [l.attributes.rel, l.attributes.href, l.attributes.type]),
    ).toEqual([
      ['alternate', SITE_URL, undefined],
      ['self', `${SITE_URL}archive/2/atom.xml`, undefined],
      ['current', `${SITE_URL}atom.xml`, 'application/atom+xml'],
      ['prev-archive', `${SITE_URL}archive/1/atom.xml`, 'application/atom+xml'],
    ]);
    expect(childElements(root, 'archive', FH_NS)).toHaveLength(1);
    const subscription = parseXmlStrict(renderAtom(mainFeedSpec(model)));
    expect(childElements(subscription, 'archive', FH_NS)).toEqual([]);
    expect(childElements(subscription, 'link', ATOM_NS).map((l) => l.attributes.rel)).toContain(
      'prev-archive',
    );
  });

  it('atomTextTypes: feed types entry titles and summaries html; ours are text, content stays html', () => {
    const raw = rawFeed().atom1();
    expect(raw).toContain('<title type="html">');
    // Text inside CDATA that looks like feed's markup is the author's and is left alone.
    const fixed = atomTextTypes(raw);
    const entry = atomEntries(fixed)[0] as XmlElement;
    expect(child(entry, 'title').attributes.type).toBe('text');
    expect(textIn(entry, 'title')).toBe('a <title type="html"> b');
    const title = 'x <title type="html"><![CDATA[ y';
    const summaryText = '<summary type="html">';
    const rendered = atomEntries(renderAtom(withItem({ title, summaryText })))[0] as XmlElement;
    expect([textIn(rendered, 'title'), textIn(rendered, 'summary')]).toEqual([title, summaryText]);
    expect(['title', 'summary', 'content'].map((name) => child(rendered, name).attributes.type)).toEqual([
      'text',
      'text',
      'html',
    ]);
  });

  it('atomEnclosureTypes: feed types an Atom enclosure image/<extension> and ignores the type given', () => {
    const raw = rawFeed({ image: 'https://example.com/a.JPG' }).atom1();
    expect(raw).toContain('type="image/JPG"');
    expect(atomEnclosureTypes(raw)).toContain('type="image/jpeg"');
    const entry = atomEntries(renderAtom(withItem({ imageUrl: 'https://example.com/i.svg?a=1&b=2' })))[0];
    const enclosure = childElements(entry as XmlElement, 'link').find(
      (l) => l.attributes.rel === 'enclosure',
    );
    expect(enclosure?.attributes).toEqual({
      rel: 'enclosure',
      href: 'https://example.com/i.svg?a=1&b=2',
      type: 'image/svg+xml',
    });
  });

  it('restoreAtomEntryIds: feed rewrites ids through new URL() (or throws); Atom keeps the exact id', () => {
    const raw = new Feed({ title: 'T', id: 'x' });
    raw.addItem({ title: 't', id: 'https://example.com', link: 'https://example.com/p/', date: new Date(0) });
    expect(raw.atom1()).toContain('<id>https://example.com/</id>');
    for (const id of ['https://example.com', 'HTTPS://Example.com/A', 'https://a:b:c', 'urn:x:é&amp;<']) {
      const one = withItem({ id });
      expect(textIn(atomEntries(renderAtom(one))[0] as XmlElement, 'id'), id).toBe(id);
      expect(textIn(rssItems(renderRss(one))[0] as XmlElement, 'guid'), id).toBe(id);
    }
  });

  it('restoreEmptyFields: feed leaves out an empty description, summary or content; the element stays', () => {
    const empty = withItem({ html: '', summaryText: '' });
    const item = rssItems(renderRss(empty))[0] as XmlElement;
    expect([textIn(item, 'description'), textIn(item, 'encoded')]).toEqual(['', '']);
    const entry = atomEntries(renderAtom(empty))[0] as XmlElement;
    expect([textIn(entry, 'summary'), textIn(entry, 'content')]).toEqual(['', '']);
    expect(child(entry, 'content').attributes.type).toBe('html');
  });

  it('restoreAttributeLt: xml-js escapes only `"` in attributes; a `<` in an Atom category term is escaped', () => {
    const raw = new Feed({ title: 'T', id: 'x' });
    raw.addItem({
      title: 't',
      link: 'https://example.com/p/',
      date: new Date(0),
      category: [{ term: 'a<b' }],
    });
    expect(() => assertWellFormedXml(raw.atom1())).toThrow();
    const tags = [
      { name: 'a<b>&"c"', slug: 'a-b-c' },
      { name: 'C++', slug: 'c' },
    ];
    const entry = atomEntries(renderAtom(withItem({ tags })))[0] as XmlElement;
    expect(childElements(entry, 'category').map((c) => c.attributes.term)).toEqual(['a<b>&"c"', 'C++']);
    const item = rssItems(renderRss(withItem({ tags })))[0] as XmlElement;
    expect(childElements(item, 'category').map(textOf)).toEqual(['a<b>&"c"', 'C++']);
  });
});
