import { describe, expect, it } from 'vitest';
import { parseArticle } from '../../functions/core/parse-article.ts';
import { silentLogger } from '../../functions/core/ports.ts';
import { publishSite } from '../../functions/core/publish-site.ts';
import { markdownArticle, NOW, SITE_URL } from '../fixtures/articles.ts';
import { MemorySource, MemoryStore, memoryRuns } from '../fixtures/memory.ts';

const parse = (front: Record<string, string>) =>
  parseArticle('2025-01-10-episode.md', new TextEncoder().encode(markdownArticle(front)), {
    timeZone: 'UTC',
  });

describe('front matter enclosure', () => {
  it('keeps a recording, video or document, and leaves out anything else with its line', () => {
    for (const enclosure of [
      'episode.mp3',
      'https://cdn.example.com/ep%201.m4a?x=1',
      'talk.webm',
      'slides.pdf',
    ]) {
      const result = parse({ enclosure });
      expect(result.ok && result.article.enclosure, enclosure).toBe(enclosure);
      expect(result.ok && result.warnings, enclosure).toEqual([]);
    }
    const picture = parse({ enclosure: 'cover.png' });
    expect(picture.ok && picture.article.enclosure).toBeUndefined();
    expect(picture.ok && picture.warnings).toEqual([
      expect.objectContaining({
        line: 4,
        message: expect.stringContaining('the enclosure "cover.png" is not an audio, video or document file'),
        fix: 'give a picture as image: instead',
      }),
    ]);
    const page = parse({ enclosure: 'https://example.com/episode' });
    expect(page.ok && page.article.enclosure).toBeUndefined();
    expect(page.ok && page.warnings[0]?.fix).toBe(
      'name the file with the extension of its type, or leave enclosure out',
    );
  });
});

describe('publishSite: an article with an enclosure', () => {
  const episode = (enclosure: string) =>
    markdownArticle({ title: 'Episode 1', date: '2025-01-10', image: 'cover.png', enclosure }, 'Notes.\n');
  const mp3 = (length: number) => new Uint8Array(length).fill(7);
  const url = `${SITE_URL}posts/episode/audio/episode-1.mp3`;
  const cover = `${SITE_URL}posts/episode/cover.png`;

  it('publishes the file beside the article, in every feed with its size and on the page with a player', async () => {
    const source = new MemorySource({
      '2025-01-10-episode.md': episode('audio/episode-1.mp3'),
      'audio/episode-1.mp3': mp3(3000),
      'cover.png': mp3(10),
    });
    const store = new MemoryStore();
    const run = memoryRuns(source, store);
    const report = await run();
    expect(report.warnings).toEqual([]);
    expect(store.objects.get('posts/episode/audio/episode-1.mp3')?.body).toEqual(mp3(3000));
    expect(store.objects.get('posts/episode/audio/episode-1.mp3')?.options).toMatchObject({
      contentType: 'audio/mpeg',
    });
    // RSS: one enclosure per item, the recording over the image.
    const rss = store.text('rss.xml');
    expect(rss).toContain(`<enclosure length="3000" type="audio/mpeg" url="${url}"/>`);
    expect(rss).not.toContain(`url="${cover}"`);
    expect(store.text('atom.xml')).toContain(
      `<link rel="enclosure" href="${url}" type="audio/mpeg" length="3000"/>\n        <link rel="enclosure" href="${cover}" type="image/png" length="10"/>`,
    );
    const item = JSON.parse(store.text('feed.json')).items[0];
    expect(item.image).toBe(cover);
    expect(item.attachments).toEqual([{ url, mime_type: 'audio/mpeg', size_in_bytes: 3000 }]);
    expect(store.text('posts/episode/index.html')).toContain(
      `<figure class="enclosure">\n<audio controls preload="none" src="${url}"></audio>\n<figcaption><a href="${url}">episode-1.mp3</a> (3 KB)</figcaption>\n</figure>`,
    );

    // The recording alone replaced (a warm process): its size follows in every feed.
    source.put('audio/episode-1.mp3', mp3(2 * 1024 * 1024));
    const replaced = await run(['audio/episode-1.mp3']);
    expect(replaced.written).toEqual(
      expect.arrayContaining(['posts/episode/audio/episode-1.mp3', 'rss.xml', 'atom.xml', 'feed.json']),
    );
    expect(store.text('rss.xml')).toContain(`<enclosure length="2097152" type="audio/mpeg" url="${url}"/>`);
    expect(JSON.parse(store.text('feed.json')).items[0].attachments[0].size_in_bytes).toBe(2097152);
    expect(store.text('posts/episode/index.html')).toContain('(2.0 MB)');
    // A cold build of the same content gives the same bytes.
    const cold = new MemoryStore();
    await run(undefined, cold, undefined);
    for (const key of ['rss.xml', 'atom.xml', 'feed.json', 'posts/episode/index.html'])
      expect(store.text(key), key).toBe(cold.text(key));

    // Deleted from the content: a warning, and a length the site does not know.
    source.files.delete('audio/episode-1.mp3');
    const gone = await run(['audio/episode-1.mp3']);
    expect(gone.deleted).toEqual(['posts/episode/audio/episode-1.mp3']);
    expect(gone.warnings.map((w) => w.message)).toEqual([
      'the file audio/episode-1.mp3 is not in the content, so its link is broken on the page and in the feeds',
    ]);
    expect(store.text('rss.xml')).toContain(`<enclosure length="0" type="audio/mpeg" url="${url}"/>`);
    expect(JSON.parse(store.text('feed.json')).items[0].attachments).toEqual([
      { url, mime_type: 'audio/mpeg' },
    ]);
  });

  it('links a file hosted elsewhere with no player (the CSP plays only the site’s own) and length 0', async () => {
    const hosted = 'https://podcasts.example.net/show/ep1.mp3';
    const store = new MemoryStore();
    await publishSite({
      source: new MemorySource({ '2025-01-10-episode.md': episode(hosted), 'cover.png': mp3(10) }),
      store,
      logger: silentLogger,
      now: NOW,
      siteUrl: SITE_URL,
    });
    expect(store.text('rss.xml')).toContain(`<enclosure length="0" type="audio/mpeg" url="${hosted}"/>`);
    const page = store.text('posts/episode/index.html');
    expect(page).toContain(`<figcaption><a href="${hosted}">ep1.mp3</a></figcaption>`);
    expect(page).not.toContain('<audio');
  });
});
