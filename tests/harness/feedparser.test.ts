import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FEEDPARSER_MISSING, hasFeedparser, parseFeed } from '../helpers/feedparser.ts';
import { missing } from '../helpers/skip.ts';

const rss = `<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel>
    <title>Harness</title>
    <link>https://example.org/</link>
    <description>d</description>
    <language>en</language>
    <item>
      <title>A &amp; B</title>
      <link>https://example.org/a.html</link>
      <guid isPermaLink="false">urn:broadsheet:a</guid>
      <pubDate>Wed, 08 Jan 2025 10:00:00 GMT</pubDate>
      <dc:creator>Ada</dc:creator>
      <category>news</category>
      <enclosure url="https://example.org/a.png" type="image/png" length="10"/>
      <description>&lt;p&gt;Hi&lt;/p&gt;</description>
    </item>
  </channel>
</rss>`;

describe.skipIf(missing(hasFeedparser(), FEEDPARSER_MISSING))('feedparser helper', () => {
  it('parses a valid RSS feed without bozo', async () => {
    const parsed = await parseFeed(rss);
    expect(parsed).toMatchObject({ bozo: false, bozo_exception: null, version: 'rss20' });
    expect(parsed.feed).toMatchObject({ title: 'Harness', link: 'https://example.org/', language: 'en' });
    expect(parsed.entries).toHaveLength(1);
    expect(parsed.entries[0]).toMatchObject({
      title: 'A & B',
      link: 'https://example.org/a.html',
      id: 'urn:broadsheet:a',
      published_parsed: '2025-01-08T10:00:00Z',
      author: 'Ada',
      summary: '<p>Hi</p>',
      tags: [{ term: 'news' }],
      enclosures: [{ href: 'https://example.org/a.png', type: 'image/png', length: '10' }],
    });
  });

  it('flags a malformed feed as bozo', async () => {
    const parsed = await parseFeed(rss.replace('A &amp; B', 'A & B'));
    expect(parsed.bozo).toBe(true);
    expect(parsed.bozo_exception).toMatch(/not well-formed/);
  });

  it('flags a control character as bozo', async () => {
    const parsed = await parseFeed(rss.replace('A &amp; B', 'A \u0001 B'));
    expect(parsed.bozo).toBe(true);
  });

  it('reads a file path and bytes', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'harness-'));
    try {
      const file = join(dir, 'rss.xml');
      await writeFile(file, rss);
      expect((await parseFeed(file)).entries[0]?.title).toBe('A & B');
      expect((await parseFeed(new TextEncoder().encode(rss))).entries[0]?.title).toBe('A & B');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses JSON Feed, which feedparser 6.0.10 cannot read', async () => {
    await expect(parseFeed('{"version":"https://jsonfeed.org/version/1.1"}')).rejects.toThrow(/JSON Feed/);
  });
});
