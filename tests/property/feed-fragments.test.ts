/**
 * `renderRss` and `renderAtom` splice each article's cached item into every document it is in: for any
 * articles, in any documents, in any order, that must be byte for byte the document rendered whole by
 * `feed` (`renderRssDocument`, `renderAtomDocument`).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { FeedPerson, FeedSpec, PodcastChannel } from '../../functions/core/feed-spec.ts';
import { renderAtom, renderAtomDocument } from '../../functions/core/render-atom.ts';
import { renderRss, renderRssDocument } from '../../functions/core/render-rss.ts';
import type { PublishedArticle } from '../../functions/core/site-model.ts';
import { SITE_URL } from '../fixtures/articles.ts';
import { parseXmlStrict } from '../helpers/xml.ts';

const FRAGMENTS = ['<', '>', '&', '&amp;', ']]>', '<![CDATA[', '</item>', '\n        <item>', '</entry>'];
const HOSTILE = ['\u0000', '\u000B', '\uFFFE', '\uFFFF', '\uD800', '😀', '—', '\r\n'];
const text = fc
  .array(fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom(...FRAGMENTS, ...HOSTILE)), { maxLength: 8 })
  .map((parts) => parts.join(''));

const person: fc.Arbitrary<FeedPerson> = fc.record(
  {
    name: fc.oneof(fc.constant('Claire'), text),
    email: fc.constant('c@example.com'),
    url: fc.constant(`${SITE_URL}c`),
  },
  { requiredKeys: ['name'] },
);

const article = (n: number): fc.Arbitrary<PublishedArticle> =>
  fc
    .record({
      title: text,
      html: fc.oneof(text, fc.constant(''), fc.constant('<p>a ]]> b ]]> c</p>')),
      summaryText: text,
      // A URL `new URL()` rewrites (no trailing slash) gets a stand-in id that Atom restores by position.
      id: fc.constantFrom(`urn:uuid:${n}`, `https://example.com/${n}`, `https://example.com`),
      author: fc.option(person, { nil: undefined }),
      imageUrl: fc.option(fc.constantFrom(`${SITE_URL}i/${n}.jpg`, `${SITE_URL}i/${n}.png?a=1&b=<`), {
        nil: undefined,
      }),
      // The size of an image in the content: the enclosure's length, a stencil slot.
      imageLength: fc.option(fc.nat({ max: 50_000_000 }), { nil: undefined }),
      // A recording, with an episode's own tags in a podcast's feeds.
      enclosureUrl: fc.option(
        fc.constantFrom(`${SITE_URL}e/${n}.mp3`, `https://cdn.example.com/${n}.m4a?a=1&b=<`),
        {
          nil: undefined,
        },
      ),
      enclosureType: fc.constant('audio/mpeg'),
      enclosureLength: fc.option(fc.nat({ max: 2_000_000_000 }), { nil: undefined }),
      episode: fc.option(
        fc.record(
          {
            duration: fc.constantFrom('42:10', '1:02:03', '3600'),
            number: fc.integer({ min: 1, max: 500 }),
            season: fc.integer({ min: 1, max: 9 }),
            type: fc.constantFrom('full' as const, 'trailer' as const, 'bonus' as const),
            explicit: fc.boolean(),
          },
          { requiredKeys: [] },
        ),
        { nil: undefined },
      ),
      tags: fc.array(
        text.map((name) => ({ name, slug: 's' })),
        { maxLength: 2 },
      ),
      // One `new URL()` in `feed` rewrites (a stencil must leave it to `feed`).
      url: fc.constantFrom(`${SITE_URL}posts/${n}/`, `HTTPS://EXAMPLE.COM/P/${n}`),
      // An article in a language of its own: its Atom entry's `xml:lang`.
      language: fc.option(fc.constantFrom('fr', 'pt-BR'), { nil: undefined }),
    })
    .map(
      (fields) =>
        ({
          ...fields,
          published: new Date(Date.UTC(2025, 0, 1 + n)),
          updated: new Date(Date.UTC(2025, 0, 2 + n)),
        }) as unknown as PublishedArticle,
    );

const spec = (
  items: readonly PublishedArticle[],
  author: FeedPerson,
  archive: boolean,
  podcast?: PodcastChannel,
): FeedSpec => ({
  title: 'Dispatch & co',
  description: 'News <b>',
  language: 'en',
  homeUrl: SITE_URL,
  links: { rss: `${SITE_URL}rss.xml`, atom: `${SITE_URL}atom.xml`, json: `${SITE_URL}feed.json` },
  author,
  updated: new Date(Date.UTC(2025, 5, 1)),
  items,
  stylesheetUrl: `${SITE_URL}feed.css`,
  ...(archive
    ? {
        current: { rss: `${SITE_URL}rss.xml`, atom: `${SITE_URL}atom.xml`, json: `${SITE_URL}feed.json` },
        prevArchive: {
          rss: `${SITE_URL}a/rss.xml`,
          atom: `${SITE_URL}a/atom.xml`,
          json: `${SITE_URL}a/f.json`,
        },
      }
    : {}),
  ...(podcast ? { podcast } : {}),
});

// The channel's podcast tags, which `feed` writes after the items: hostile text in each.
const podcast = fc.option(
  fc.record({
    imageUrl: fc.constant(`${SITE_URL}art/c&o.jpg`),
    category: text,
    subcategory: fc.option(text, { nil: undefined }),
    explicit: fc.boolean(),
    type: fc.constantFrom('episodic' as const, 'serial' as const),
    author: text,
    owner: fc.option(person, { nil: undefined }),
  }),
  { nil: undefined },
);

describe('items spliced from the cache', () => {
  it('give the bytes of the document rendered whole, in any documents, in any order', () => {
    fc.assert(
      fc.property(
        fc.tuple(...[0, 1, 2, 3, 4, 5].map(article)),
        fc.array(
          fc.record({
            picks: fc.array(fc.nat(5), { maxLength: 6 }),
            author: fc.oneof(person, fc.constant({ name: 'Site' })),
            archive: fc.boolean(),
            podcast,
          }),
          { minLength: 1, maxLength: 5 },
        ),
        (articles, documents) => {
          for (const { picks, author, archive, podcast } of documents) {
            const items = [...new Set(picks)].map((i) => articles[i] as PublishedArticle);
            const feed = spec(items, author, archive, podcast);
            expect(renderRss(feed)).toBe(renderRssDocument(feed));
            // Hostile text in the show's tags still makes well-formed XML.
            if (podcast) parseXmlStrict(renderRss(feed));
            expect(renderAtom(feed)).toBe(renderAtomDocument(feed));
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
