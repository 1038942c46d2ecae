import { describe, expect, it } from 'vitest';
import { ITUNES_NAMESPACE } from '../../functions/core/feed-postprocess.ts';
import { silentLogger } from '../../functions/core/ports.ts';
import { ConfigError } from '../../functions/core/problems.ts';
import { publishSite } from '../../functions/core/publish-site.ts';
import { parseSiteConfig } from '../../functions/core/site-config.ts';
import { coverProblem } from '../../functions/core/site-icon.ts';
import { durationSeconds, formatDuration } from '../../functions/core/text.ts';
import { markdownArticle, NOW, SITE_URL } from '../fixtures/articles.ts';
import { gifOfSize, jpegOfSize, pngOfSize } from '../fixtures/images.ts';
import { MemorySource, MemoryStore } from '../fixtures/memory.ts';
import { FEEDPARSER_MISSING, hasFeedparser, parseFeed } from '../helpers/feedparser.ts';
import { validateJsonFeed } from '../helpers/json-feed.ts';
import { missing } from '../helpers/skip.ts';
import { parseXmlStrict } from '../helpers/xml.ts';

const SITE_YAML = `title: Harbour Talk
author: { name: "Ana <Lima>", email: ana@example.com }
feeds: { limit: 1 }
podcast:
  image: art/cover.jpg
  category: Society & Culture
  subcategory: Documentary
`;
const COVER = jpegOfSize(3000, 3000);

const site = async (files: Record<string, string | Uint8Array>) => {
  const store = new MemoryStore();
  const report = await publishSite({
    source: new MemorySource(files),
    store,
    logger: silentLogger,
    now: NOW,
    siteUrl: SITE_URL,
  });
  return { store, report };
};

describe('site.yaml podcast', () => {
  it('defaults to a clean, episodic show', () => {
    const config = parseSiteConfig('podcast: { image: cover.png, category: Technology }\n');
    expect(config.podcast).toEqual({
      image: 'cover.png',
      category: 'Technology',
      explicit: false,
      type: 'episodic',
    });
  });

  it('refuses a cover that is no JPEG or PNG, and an unknown type, with the line and the fix', () => {
    const config = 'title: T\npodcast:\n  image: cover.gif\n  category: Technology\n  type: weekly\n';
    let error: unknown;
    try {
      parseSiteConfig(config);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([
      expect.objectContaining({
        line: 3,
        message: expect.stringContaining('podcast.image: must be a JPEG or PNG'),
        fix: expect.stringContaining('square JPEG or PNG of 1400 to 3000 pixels'),
      }),
      expect.objectContaining({
        line: 5,
        message: expect.stringContaining('podcast.type'),
        fix: expect.stringContaining('episodic'),
      }),
    ]);
  });
});

describe('the podcast cover', () => {
  it('passes a square JPEG or PNG of 1400 to 3000 px, and says what else Apple Podcasts would refuse', () => {
    for (const [key, bytes] of [
      ['cover.jpg', jpegOfSize(3000, 3000)],
      ['cover.jpeg', jpegOfSize(1400, 1400)],
      ['art/cover.png', pngOfSize(2048, 2048)],
    ] as const)
      expect(coverProblem(key, bytes), key).toBeUndefined();
    const verdict = (key: string, bytes: Uint8Array) => coverProblem(key, bytes)?.message;
    expect(verdict('c.png', pngOfSize(1399, 1399))).toBe(
      'the podcast cover is 1399 × 1399 px; Apple Podcasts takes 1400 to 3000 px a side',
    );
    expect(verdict('c.png', pngOfSize(3001, 3001))).toBe(
      'the podcast cover is 3001 × 3001 px; Apple Podcasts takes 1400 to 3000 px a side',
    );
    expect(verdict('c.jpg', jpegOfSize(3000, 2000))).toBe(
      'the podcast cover is 3000 × 2000 px, not square, so podcast apps crop or refuse it',
    );
    expect(verdict('c.png', gifOfSize(1400, 1400))).toBe(
      'the podcast cover is a GIF image; Apple Podcasts takes JPEG or PNG only',
    );
    expect(verdict('c.jpg', new Uint8Array([1, 2, 3]))).toBe(
      'the podcast cover is not a picture: its bytes are no known image format',
    );
    expect(coverProblem('c.png', jpegOfSize(3000, 3000))).toEqual({
      file: 'c.png',
      message: 'the podcast cover is a JPEG image under a name that says image/png',
      fix: 'rename it to end in .jpg and correct podcast.image',
    });
    expect(coverProblem('art/c.png', pngOfSize(600, 600))?.fix).toBe(
      'replace art/c.png with a square JPEG or PNG of 3000 × 3000 px (1400 at least)',
    );
  });
});

describe('running times', () => {
  it('read in seconds and as people read them, whatever form the front matter used', () => {
    expect(['1:02:03', '42:10', '3723', '0:59'].map(durationSeconds)).toEqual([3723, 2530, 3723, 59]);
    expect(['1:02:03', '42:10', '3723', '59'].map(formatDuration)).toEqual([
      '1:02:03',
      '42:10',
      '1:02:03',
      '0:59',
    ]);
  });
});

describe('a podcast site', () => {
  const files = {
    'site.yaml': SITE_YAML,
    'art/cover.jpg': COVER,
    '2025-03-01-ep1.md': markdownArticle({ title: 'Episode 1', date: '2025-03-01', tags: '[sea]' }).replace(
      '---\n\n',
      'enclosure: ep1.mp3\nduration: 42:10\nepisode: 1\nseason: 2\nepisodeType: full\nexplicit: true\n---\n\n',
    ),
    'ep1.mp3': new Uint8Array(5000),
    '2025-03-02-note.md': markdownArticle({ title: 'A note', date: '2025-03-02', tags: '[sea]' }),
  };

  it('tags every RSS feed of articles for podcast directories, and publishes the cover', async () => {
    const { store, report } = await site(files);
    expect(report.errors).toEqual([]);
    expect(report.warnings).toEqual([]);
    expect(store.objects.get('art/cover.jpg')?.body).toEqual(COVER);
    // The main feed, a tag's, and their archive pages (limit 1).
    for (const key of ['rss.xml', 'tags/sea/rss.xml', 'archive/1/rss.xml', 'tags/sea/archive/1/rss.xml']) {
      const xml = store.text(key);
      parseXmlStrict(xml);
      expect(xml, key).toContain(`<rss version="2.0" xmlns:itunes="${ITUNES_NAMESPACE}"`);
      expect(xml, key).toContain(`<itunes:image href="${SITE_URL}art/cover.jpg"/>`);
      expect(xml, key).toMatch(
        /<itunes:category text="Society &amp; Culture">\s*<itunes:category text="Documentary"\/>\s*<\/itunes:category>/,
      );
      expect(xml, key).toContain('<itunes:explicit>false</itunes:explicit>');
      expect(xml, key).toContain('<itunes:type>episodic</itunes:type>');
      expect(xml, key).toContain('<itunes:author>Ana &lt;Lima&gt;</itunes:author>');
      expect(xml, key).toMatch(
        /<itunes:owner>\s*<itunes:name>Ana &lt;Lima&gt;<\/itunes:name>\s*<itunes:email>ana@example.com<\/itunes:email>\s*<\/itunes:owner>/,
      );
    }
    // Apple reads RSS only; digests are no episodes.
    for (const key of ['atom.xml', 'feed.json', 'digests/rss.xml'])
      expect(store.text(key), key).not.toContain('itunes');
    // The episode's own tags, in its item only.
    const episode = /<item>(?:(?!<\/item>)[\s\S])*Episode 1(?:(?!<\/item>)[\s\S])*<\/item>/.exec(
      store.text('archive/1/rss.xml'),
    )?.[0];
    for (const tag of [
      '<itunes:duration>42:10</itunes:duration>',
      '<itunes:episode>1</itunes:episode>',
      '<itunes:season>2</itunes:season>',
      '<itunes:episodeType>full</itunes:episodeType>',
      '<itunes:explicit>true</itunes:explicit>',
    ])
      expect(episode, tag).toContain(tag);
    expect(store.text('rss.xml')).not.toMatch(/<item>(?:(?!<\/item>)[\s\S])*itunes:/);
    // JSON Feed carries the running time in the episode's attachment.
    const json = JSON.parse(store.text('archive/1/feed.json'));
    expect(validateJsonFeed(json)).toEqual([]);
    expect(json.items[0].attachments).toEqual([
      {
        url: `${SITE_URL}posts/ep1/ep1.mp3`,
        mime_type: 'audio/mpeg',
        size_in_bytes: 5000,
        duration_in_seconds: 2530,
      },
    ]);
    // People see the running time beside the size: on the page and in the digest.
    expect(store.text('posts/ep1/index.html')).toContain('ep1.mp3</a> (5 KB, 42:10)</figcaption>');
    const digest = [...store.objects.keys()].find(
      (k) => /^digests\/\d{4}-W\d{2}\/index\.html$/.test(k) && store.text(k).includes('Episode 1'),
    );
    expect(digest && store.text(digest)).toContain('Listen (5 KB, 42:10)</a>');
    expect(store.text('archive/1/rss.xml')).toContain(`url="${SITE_URL}posts/ep1/ep1.mp3"`);
  });

  it('gives an episode its tags only in a podcast, and skips one whose duration is no time, naming the fix', async () => {
    const { 'site.yaml': _podcast, ...blog } = files;
    const plain = await site({ ...blog, 'site.yaml': 'title: Harbour Talk\nfeeds: { limit: 1 }\n' });
    expect(plain.store.text('archive/1/rss.xml')).toContain('<enclosure');
    expect(plain.store.text('archive/1/rss.xml')).not.toContain('itunes');

    const bad = await site({
      ...files,
      '2025-03-03-ep2.md': markdownArticle({ title: 'Episode 2', date: '2025-03-03' }).replace(
        '---\n\n',
        'enclosure: ep1.mp3\nduration: forty minutes\n---\n\n',
      ),
    });
    expect(bad.report.skipped).toEqual([
      expect.objectContaining({
        file: '2025-03-03-ep2.md',
        line: 5,
        fix: 'write the running time as H:MM:SS, MM:SS or seconds, e.g. duration: 42:10',
      }),
    ]);
  });

  it('warns, naming site.yaml, when the show has no owner email for Apple to write to', async () => {
    const { report } = await site({
      ...files,
      'site.yaml': SITE_YAML.replace(
        'author: { name: "Ana <Lima>", email: ana@example.com }',
        'author: Ana Lima',
      ),
    });
    expect(report.warnings).toEqual([
      expect.objectContaining({
        file: 'site.yaml',
        message: 'the podcast names no owner email, which Apple Podcasts needs to confirm the show is yours',
      }),
    ]);
    const withOwner = await site({
      ...files,
      'site.yaml': `${SITE_YAML.replace('author: { name: "Ana <Lima>", email: ana@example.com }', 'author: Ana Lima')}  owner: { name: Desk, email: desk@example.com }\n`,
    });
    expect(withOwner.report.warnings).toEqual([]);
    expect(withOwner.store.text('rss.xml')).toContain('<itunes:email>desk@example.com</itunes:email>');
  });

  it('warns, naming site.yaml, when the cover is not in the content, and still publishes', async () => {
    const { 'art/cover.jpg': _cover, ...without } = files;
    const { store, report } = await site(without);
    expect(report.warnings).toEqual([
      expect.objectContaining({
        file: 'site.yaml',
        message: 'the podcast cover art/cover.jpg is not in the content, so podcast apps show no artwork',
      }),
    ]);
    expect(store.text('rss.xml')).toContain('<itunes:image');
  });

  it('warns about a cover Apple would refuse on every run while it stays, not reading it again', async () => {
    const source = new MemorySource({ ...files, 'art/cover.jpg': jpegOfSize(600, 600) });
    const store = new MemoryStore();
    const run = (changedKeys?: string[], rendererVersion?: string) =>
      publishSite({
        source,
        store,
        logger: silentLogger,
        now: NOW,
        siteUrl: SITE_URL,
        changedKeys,
        rendererVersion,
      });
    const small = {
      file: 'art/cover.jpg',
      message: 'the podcast cover is 600 × 600 px; Apple Podcasts takes 1400 to 3000 px a side',
    };
    const first = await run();
    expect(first.warnings).toEqual([expect.objectContaining(small)]);
    // Published all the same: the feeds are valid, and a small cover beats none.
    expect(store.objects.get('art/cover.jpg')?.body).toEqual(jpegOfSize(600, 600));

    // An upload of an episode: the cover is not read again, and the warning stays.
    source.put('2025-03-05-ep3.md', markdownArticle({ title: 'Episode 3', date: '2025-03-05' }));
    const reads = source.reads;
    const upload = await run(['2025-03-05-ep3.md']);
    expect(source.reads - reads).toBe(1);
    expect(upload.warnings).toEqual([expect.objectContaining(small)]);
    expect((await run()).warnings).toEqual([expect.objectContaining(small)]);
    // An upgrade publishes everything again, the cover too: still one warning.
    expect((await run(undefined, 'next')).warnings).toEqual([expect.objectContaining(small)]);

    // A new cover, not square: the new verdict replaces the old one in that run's report.
    source.put('art/cover.jpg', jpegOfSize(3000, 1500));
    expect((await run(['art/cover.jpg'])).warnings).toEqual([
      expect.objectContaining({ file: 'art/cover.jpg', message: expect.stringContaining('not square') }),
    ]);
    // Fixed: no warning, then or after.
    source.put('art/cover.jpg', COVER);
    expect((await run(['art/cover.jpg'])).warnings).toEqual([]);
    expect(store.objects.get('art/cover.jpg')?.body).toEqual(COVER);
    expect((await run()).warnings).toEqual([]);
  });

  it.skipIf(missing(hasFeedparser(), FEEDPARSER_MISSING))(
    'reads as a podcast in feedparser, without a warning',
    async () => {
      const { store } = await site({ ...files, 'site.yaml': SITE_YAML.replace('feeds: { limit: 1 }\n', '') });
      const parsed = await parseFeed(store.text('rss.xml'), { contentType: 'application/rss+xml' });
      expect(parsed.bozo_exception).toBeNull();
      expect(parsed.bozo).toBe(false);
      expect(parsed.feed.image?.href).toBe(`${SITE_URL}art/cover.jpg`);
      expect(parsed.feed.tags).toEqual([
        { term: 'Society & Culture', scheme: 'http://www.itunes.com/', label: null },
        { term: 'Documentary', scheme: 'http://www.itunes.com/', label: null },
      ]);
      expect(parsed.feed.publisher_detail).toMatchObject({ name: 'Ana <Lima>', email: 'ana@example.com' });
      expect(parsed.feed.itunes_type).toBe('episodic');
      const episode = parsed.entries.find((e) => e.title === 'Episode 1');
      expect(episode?.enclosures).toEqual([
        { href: `${SITE_URL}posts/ep1/ep1.mp3`, type: 'audio/mpeg', length: '5000' },
      ]);
    },
  );
});
