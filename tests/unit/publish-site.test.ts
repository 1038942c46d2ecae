import { describe, expect, it } from 'vitest';
import { freezeDigestPeriod } from '../../functions/core/digest/send-digests.ts';
import { silentLogger } from '../../functions/core/ports.ts';
import { ConfigError } from '../../functions/core/problems.ts';
import { publishSite, REPORT_KEY } from '../../functions/core/publish-site.ts';
import { parseSiteConfig } from '../../functions/core/site-config.ts';
import { markdownArticle, NOW, SEED_KEY, SEED_TEXT, SITE_URL } from '../fixtures/articles.ts';
import { MemorySource, MemoryStore } from '../fixtures/memory.ts';

const run = (source: MemorySource, store: MemoryStore, now = NOW) =>
  publishSite({ source, store, logger: silentLogger, now, siteUrl: SITE_URL });

const content = () =>
  new MemorySource({
    'site.yaml': 'title: Dispatch\ntimeZone: Europe/Paris\n',
    [SEED_KEY]: SEED_TEXT,
    '2025-01-10-paris.md': markdownArticle({ title: 'Paris', tags: '[europe]' }),
  });

describe('publishSite', () => {
  it('writes pages before the feeds and index that link to them, each with its Content-Type', async () => {
    const store = new MemoryStore();
    const report = await run(content(), store);
    // 2 pages, index, 3 main feeds, tag "europe" (3 feeds and its page), the topics page, feeds.opml, feed.css, 404.html,
    // the digests of the finished week: its 3 files, the same under latest/, the index, unsubscribe, 3 feeds;
    // sitemap.xml, its two parts (list pages, articles) and robots.txt.
    expect(report.counts).toMatchObject({ sources: 2, published: 2, skipped: 0, written: 29 });
    const publicWrites = store.writes.filter((k) => !k.startsWith('_'));
    const firstFeed = publicWrites.findIndex((k) => !k.startsWith('posts/'));
    expect(publicWrites.slice(0, firstFeed).sort()).toEqual([
      'posts/blinken-visits-paris/index.html',
      'posts/paris/index.html',
    ]);
    expect(store.objects.get('rss.xml')?.options.contentType).toBe('application/rss+xml; charset=utf-8');
    expect(store.objects.get('atom.xml')?.options.contentType).toBe('application/atom+xml; charset=utf-8');
    expect(store.objects.get('feed.json')?.options.contentType).toBe('application/feed+json; charset=utf-8');
    expect(store.objects.get('index.html')?.options.contentType).toBe('text/html; charset=utf-8');
    expect(store.objects.get('posts/paris/index.html')?.options.cacheControl).toMatch(/max-age=3600/);
  });

  it('is idempotent: a second run over the same content writes nothing but the report', async () => {
    const store = new MemoryStore();
    await run(content(), store);
    const before = new Map([...store.objects].map(([k, v]) => [k, v.body]));
    store.writes.length = 0;
    const report = await run(content(), store, new Date('2025-07-01T00:00:00Z'));
    expect(store.writes).toEqual([REPORT_KEY]);
    expect(report.counts.written).toBe(0);
    for (const [key, body] of before) {
      if (key !== REPORT_KEY) expect(store.objects.get(key)?.body).toEqual(body);
    }
  });

  it('skips a bad article with file, line and fix, and publishes the others', async () => {
    const source = content();
    source.put('2025-01-12-broken.md', '---\ntitle: Broken\ndate: 12 Jan\n---\nText\n');
    const store = new MemoryStore();
    const report = await run(source, store);
    expect(report.counts.published).toBe(2);
    expect(report.skipped).toEqual([
      expect.objectContaining({
        file: '2025-01-12-broken.md',
        line: 3,
        message: 'date "12 Jan" is not an ISO 8601 date',
      }),
    ]);
    expect(JSON.parse(store.text(REPORT_KEY)).skipped[0].text).toContain('2025-01-12-broken.md:3');
  });

  it('holds back drafts and future articles until their date, then publishes them', async () => {
    const source = content();
    source.put('2025-06-10-soon.md', markdownArticle({ title: 'Soon', date: '2025-06-10T08:00:00Z' }));
    source.put('2025-01-11-draft.md', markdownArticle({ title: 'Draft', draft: 'true' }));
    const store = new MemoryStore();
    const early = await run(source, store);
    expect(early.heldBack).toEqual([
      { file: '2025-01-11-draft.md', reason: 'draft' },
      { file: '2025-06-10-soon.md', reason: 'scheduled', publishAt: '2025-06-10T08:00:00.000Z' },
    ]);
    expect(store.objects.has('posts/soon/index.html')).toBe(false);
    const due = await run(source, store, new Date('2025-06-10T08:00:00Z'));
    expect(due.counts.published).toBe(3);
    expect(store.text('rss.xml')).toContain('<title><![CDATA[Soon]]></title>');
    expect(store.objects.has('posts/draft/index.html')).toBe(false);
  });

  it('deletes the page of a removed article and drops it from the feeds', async () => {
    const source = content();
    const store = new MemoryStore();
    await run(source, store);
    source.files.delete('2025-01-10-paris.md');
    const report = await run(source, store);
    // Paris was the only article tagged "europe": its tag page and feeds go too, and with the site's
    // last tag, the topics page.
    expect(report.deleted).toEqual([
      'posts/paris/index.html',
      'tags/europe/atom.xml',
      'tags/europe/feed.json',
      'tags/europe/index.html',
      'tags/europe/rss.xml',
      'tags/index.html',
    ]);
    expect(store.objects.has('posts/paris/index.html')).toBe(false);
    expect(store.text('feed.json')).not.toContain('posts/paris/');
  });

  it('stops on a configuration error, naming the line and the fix', async () => {
    const source = content();
    source.put('site.yaml', 'title: Dispatch\ntimeZone: Mars/Olympus\n');
    await expect(run(source, new MemoryStore())).rejects.toThrow(ConfigError);
    await expect(run(source, new MemoryStore())).rejects.toThrow(
      'site.yaml:2: timeZone: "Mars/Olympus" is not a time zone (an IANA name such as Europe/Paris, or UTC)',
    );
    // A misspelt zone, or a city alone: the fix names the zone meant; none when no one zone is near.
    for (const [written, meant] of [
      ['Europe/Pariss', 'Europe/Paris'],
      ['Europe/Prais', 'Europe/Paris'],
      ['Paris', 'Europe/Paris'],
      ['new york', 'America/New_York'],
    ])
      expect(() => parseSiteConfig(`timeZone: ${written}\n`), written).toThrow(
        `(did you mean ${meant}? Write timeZone: ${meant})`,
      );
    expect(() => parseSiteConfig('timeZone: Mars/Olympus\n')).toThrow(
      '(write the IANA name of the zone where the site publishes, such as timeZone: Europe/Paris, America/New_York or UTC)',
    );
    // A tag of the right pattern that no Intl API takes: refused here, not thrown by the first date.
    source.put('site.yaml', 'title: Dispatch\nlanguage: en-12\n');
    await expect(run(source, new MemoryStore())).rejects.toThrow(/site\.yaml:2: language: a language tag/);
  });

  it('names a value that fails two checks of its key once', () => {
    let error: unknown;
    try {
      parseSiteConfig('title: Dispatch\nlanguage: xx-invalid-$$\n');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([
      {
        file: 'site.yaml',
        line: 2,
        message: 'language: a language tag such as en or en-GB',
        fix: 'write a language tag such as language: en, language: en-GB or language: fr',
      },
    ]);
  });

  it('names each unknown key of site.yaml at its own line, with the keys its block takes and the likeliest', () => {
    let error: unknown;
    try {
      parseSiteConfig(
        'titel: Dispatch\npodcast:\n  image: c.png\n  category: Tech\n  explicitt: true\nfeeds:\n  limt: 10\n  zzz: 1\nauthor: { name: Ana, emial: ana@example.com }\n',
      );
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems.map((p) => [p.line, p.message, p.fix])).toEqual([
      [
        1,
        'unknown key "titel"',
        expect.stringMatching(
          /^did you mean title\? Rename it, or remove it \(known keys: title, description, /,
        ),
      ],
      [
        5,
        'podcast: unknown key "explicitt"',
        'did you mean explicit? Rename it, or remove it (podcast: known keys: image, category, subcategory, explicit, type, owner)',
      ],
      [
        7,
        'feeds: unknown key "limt"',
        'did you mean limit? Rename it, or remove it (feeds: known keys: limit, hub)',
      ],
      [8, 'feeds: unknown key "zzz"', 'remove or rename it; feeds: known keys: limit, hub'],
      [
        9,
        'author: unknown key "emial"',
        'did you mean email? Rename it, or remove it (author: known keys: name, email, url)',
      ],
    ]);
  });
});

describe('publishSite and sent digests', () => {
  it('never rewrites or deletes the files of a digest claimed for sending, while the rest moves on', async () => {
    const source = content();
    const store = new MemoryStore();
    await run(source, store);
    const period = [...store.objects.keys()]
      .map((k) => /^digests\/(\d{4}-W\d{2})\/digest\.eml$/.exec(k)?.[1])
      .find((p) => p !== undefined);
    if (!period) throw new Error('the fixture has a finished week');
    // `digests/latest/` shows that week too: it stays as sent while it does.
    const sentFiles = ['index.html', 'digest.txt', 'digest.eml'].flatMap((f) => [
      `digests/${period}/${f}`,
      `digests/latest/${f}`,
    ]);
    const sent = new Map(sentFiles.map((k) => [k, store.text(k)]));
    await freezeDigestPeriod(store, period);

    // An edit to an article of that week after the send: the page and feeds change, the sent digest does not.
    source.put('2025-01-10-paris.md', markdownArticle({ title: 'Paris, revised', tags: '[europe]' }));
    await run(source, store);
    expect(store.text('rss.xml')).toContain('Paris, revised');
    for (const [key, text] of sent) expect(store.text(key)).toBe(text);

    // Deleting every article of the week deletes its pages, not the digest that went out.
    source.files.delete('2025-01-10-paris.md');
    source.files.delete(SEED_KEY);
    await run(source, store);
    expect(store.objects.has('posts/paris/index.html')).toBe(false);
    for (const [key, text] of sent) {
      // Without articles there is no digest to show as the latest: latest/ goes, the sent week stays.
      if (key.startsWith('digests/latest/')) expect(store.objects.has(key)).toBe(false);
      else expect(store.text(key)).toBe(text);
    }
  });
});
