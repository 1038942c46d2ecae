import { describe, expect, it } from 'vitest';
import { imagePixels, isMediaKey, mediaRefsIn } from '../../functions/core/media.ts';
import { silentLogger } from '../../functions/core/ports.ts';
import type { Problem } from '../../functions/core/problems.ts';
import { publishSite } from '../../functions/core/publish-site.ts';
import { markdownArticle, NOW, SITE_URL } from '../fixtures/articles.ts';
import { gifOfSize, jpegOfSize, pngOfSize } from '../fixtures/images.ts';
import { MemorySource, MemoryStore, memoryRuns } from '../fixtures/memory.ts';

const PAGE = `${SITE_URL}posts/trip/`;
// Not a real PNG: the publisher copies bytes; it reads no more than a cover's header, for its size.
const png = (n: number) => new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, n, 0, 255]);

describe('mediaRefsIn', () => {
  const html =
    `<p><img alt="a" src="${PAGE}pics/chart%20one.png" /> <a href="${PAGE}cover.JPG?size=large&amp;x=1">big</a>` +
    ` <img src="${PAGE}cover.JPG" /> <a href="${PAGE}#top">top</a> <a href="${PAGE}notes.pdf">pdf</a>` +
    ` <img src="https://elsewhere.example/${'posts/trip/'}x.png" /> <img src="${SITE_URL}posts/other/y.png" />` +
    ` <img src="${PAGE}.hidden/z.png" /> <img src="${PAGE}_draft.png" /></p>`;

  it('names each image or file below the page once, as a path a content file can have', () => {
    expect(mediaRefsIn(html, PAGE, `${PAGE}cover.JPG`)).toEqual([
      'cover.JPG',
      'notes.pdf',
      'pics/chart one.png',
    ]);
    expect(mediaRefsIn(html, PAGE, `${PAGE}header.webp`)).toEqual([
      'cover.JPG',
      'header.webp',
      'notes.pdf',
      'pics/chart one.png',
    ]);
  });

  it('finds the same in the HTML as UTF-8 bytes, without decoding it', () => {
    const withAccents = `<p>Café “crème”</p>${html}`;
    expect(mediaRefsIn(new TextEncoder().encode(withAccents), PAGE)).toEqual(mediaRefsIn(withAccents, PAGE));
  });

  it('takes images, documents, audio and video, never pages, scripts, articles or hidden files', () => {
    const media = [
      'a.png',
      'pics/b.jpeg',
      'c.svg',
      'd.webp',
      'notes.pdf',
      'talk.MP3',
      'clip.mp4',
      'data.csv',
    ];
    expect(media.filter((k) => !isMediaKey(k))).toEqual([]);
    const not = ['a.md', 'b.txt', 'page.html', 'x.js', 'y.json', 'site.yaml', '.git/x.png', 'pics/_wip.pdf'];
    expect(not.filter(isMediaKey)).toEqual([]);
  });
});

describe('imagePixels', () => {
  it('reads the size of a PNG, JPEG or GIF from its header, and gives none for other bytes', () => {
    expect(imagePixels(pngOfSize(256, 128))).toEqual([256, 128]);
    expect(imagePixels(jpegOfSize(1200, 800))).toEqual([1200, 800]);
    expect(imagePixels(gifOfSize(40, 30))).toEqual([40, 30]);
    expect(imagePixels(png(1))).toBeUndefined();
    expect(imagePixels(new TextEncoder().encode('not a picture'))).toBeUndefined();
  });
});

describe('publishSite: images beside the articles', () => {
  const trip = markdownArticle(
    { title: 'Trip', date: '2025-01-10', image: 'cover.png' },
    'The view: ![view](pics/view.png). Not uploaded: ![gone](lost.png).\n',
  );
  const content = () =>
    new MemorySource({
      'site.yaml': 'title: Dispatch\ntimeZone: Europe/Paris\n',
      'travel/2025-01-10-trip.md': trip,
      'travel/cover.png': png(1),
      'travel/pics/view.png': png(2),
      'travel/unused.png': png(3),
    });
  const run = (source: MemorySource, store: MemoryStore, changedKeys?: string[]) =>
    publishSite({ source, store, logger: silentLogger, now: NOW, siteUrl: SITE_URL, changedKeys });

  it('publishes each image the article shows, byte for byte, at the URL its page gives, before the page', async () => {
    const store = new MemoryStore();
    const report = await run(content(), store);
    expect(store.objects.get('posts/trip/cover.png')?.body).toEqual(png(1));
    expect(store.objects.get('posts/trip/pics/view.png')?.body).toEqual(png(2));
    expect(store.objects.get('posts/trip/cover.png')?.options).toEqual({
      contentType: 'image/png',
      cacheControl: 'public, max-age=3600, stale-while-revalidate=86400',
    });
    expect([...store.objects.keys()].filter((k) => k.endsWith('unused.png'))).toEqual([]);
    const writes = store.writes.filter((k) => k.startsWith('posts/'));
    expect(writes.indexOf('posts/trip/index.html')).toBeGreaterThan(writes.indexOf('posts/trip/cover.png'));
    expect(store.text('rss.xml')).toContain(`url="${SITE_URL}posts/trip/cover.png"`);
    expect(report.counts).toMatchObject({ sources: 1, published: 1, images: 2 });
    expect(report.warnings).toEqual([
      expect.objectContaining({
        file: 'travel/2025-01-10-trip.md',
        message: 'the image lost.png is not in the content, so it is missing on the page and in the feeds',
        fix: 'upload travel/lost.png beside the article, or correct the path',
      }),
    ]);
  });

  it('gives the line of a missing image or file, as written, on every run (an upload too)', async () => {
    const source = content();
    source.files.delete('travel/cover.png');
    source.put(
      'travel/2025-01-12-notes.md',
      markdownArticle(
        { title: 'Notes', date: '2025-01-12', image: './cover.png' },
        'Intro.\n\n![Dawn](pics/dawn%20one.jpg)\n\n[slides][s] and [home](../)\n\n[s]: talk/slides.pdf\n\n' +
          '<figure><img src="raw.png" alt="raw">\n<figcaption><a href=\'notes.txt.pdf\'>notes</a></figcaption></figure>\n',
      ),
    );
    const store = new MemoryStore();
    const lines = (report: { warnings: readonly Problem[] }) =>
      Object.fromEntries(
        report.warnings
          .filter((w) => w.file === 'travel/2025-01-12-notes.md')
          .map((w) => [/^the (?:image|file) (.*) is not in the content/.exec(w.message)?.[1], w.line]),
      );
    const expected = {
      'cover.png': 4,
      'pics/dawn one.jpg': 9,
      'talk/slides.pdf': 11,
      'raw.png': 15,
      'notes.txt.pdf': 16,
    };
    expect(lines(await run(source, store))).toEqual(expected);
    source.put('travel/2025-01-13-later.md', markdownArticle({ title: 'Later', date: '2025-01-13' }));
    const upload = await run(source, store, ['travel/2025-01-13-later.md']);
    expect(upload.mode).toBe('events');
    expect(lines(upload)).toEqual(expected);
  });

  it('takes #, ? and a lone % in a file name as part of the name, and names such a file when it is missing', async () => {
    const source = new MemorySource({
      '2025-01-10-one.md': markdownArticle(
        { title: 'One', date: '2025-01-10' },
        'A ![hash](<a#b.png>), ![per cent](100%.png), ![query](q?x.png) and ![kept](c.png#part).\n\n![gone](<g#h.png>)\n',
      ),
      'a#b.png': png(1),
      '100%.png': png(2),
      'q?x.png': png(3),
      'c.png': png(4),
    });
    const store = new MemoryStore();
    const report = await run(source, store);
    const page = store.text('posts/one/index.html');
    for (const src of ['a%23b.png', '100%25.png', 'q%3Fx.png', 'c.png#part'])
      expect(page).toContain(`src="${SITE_URL}posts/one/${src}"`);
    expect([...store.objects.keys()].filter((k) => k.endsWith('.png')).sort()).toEqual([
      'posts/one/100%.png',
      'posts/one/a#b.png',
      'posts/one/c.png',
      'posts/one/q?x.png',
    ]);
    expect(report.warnings.map((w) => [w.line, w.message.slice(0, 42)])).toEqual([
      [8, 'the image g#h.png is not in the content, s'],
    ]);
  });

  it('names the file a missing image most likely is: in other letter case, or the one of that name elsewhere', async () => {
    const source = content();
    source.put(
      'travel/2025-01-11-more.md',
      markdownArticle(
        { title: 'More', date: '2025-01-11' },
        '![Dawn](pics/Dawn.JPG) ![Map](map.png) ![Sea](sea.png)\n',
      ),
    );
    source.put('travel/pics/dawn.jpg', png(4));
    source.put('maps/map.png', png(5));
    // Two files of that name: no guess.
    source.put('a/sea.png', png(6));
    source.put('b/sea.png', png(7));
    const report = await run(source, new MemoryStore());
    const fixes = Object.fromEntries(
      report.warnings
        .filter((w) => w.file === 'travel/2025-01-11-more.md')
        .map((w) => [w.message.split(' ')[2], w.fix]),
    );
    expect(fixes).toEqual({
      'pics/Dawn.JPG':
        'the content has travel/pics/dawn.jpg: names are case-sensitive once uploaded, so write pics/dawn.jpg in the article, or rename the file',
      'map.png':
        'the content has maps/map.png: move it to travel/map.png, beside the article, or correct the path',
      'sea.png': 'upload travel/sea.png beside the article, or correct the path',
    });
  });

  it('writes an image again only when its bytes change, and deletes it when it goes', async () => {
    const source = content();
    const store = new MemoryStore();
    await run(source, store);
    store.writes.length = 0;
    await run(source, store);
    expect(store.writes.filter((k) => !k.startsWith('_'))).toEqual([]);

    source.put('travel/pics/view.png', png(9));
    const changed = await run(source, store);
    expect(changed.written).toEqual(['posts/trip/pics/view.png']);
    expect(store.objects.get('posts/trip/pics/view.png')?.body).toEqual(png(9));

    source.files.delete('travel/pics/view.png');
    const gone = await run(source, store);
    expect(gone.deleted).toEqual(['posts/trip/pics/view.png']);
    expect(gone.warnings.map((w) => w.message)).toContain(
      'the image pics/view.png is not in the content, so it is missing on the page and in the feeds',
    );

    source.files.delete('travel/2025-01-10-trip.md');
    const noArticle = await run(source, store);
    expect(noArticle.deleted).toContain('posts/trip/cover.png');
    expect([...store.objects.keys()].filter((k) => k.endsWith('.png'))).toEqual([]);
  });

  it('publishes an image uploaded after its article from the event alone, without listing the content', async () => {
    const source = content();
    source.files.delete('travel/cover.png');
    const store = new MemoryStore();
    await run(source, store);
    expect(store.objects.has('posts/trip/cover.png')).toBe(false);

    source.put('travel/cover.png', png(4));
    const lists = source.lists;
    const report = await run(source, store, ['travel/cover.png']);
    expect(source.lists).toBe(lists);
    expect(report.mode).toBe('events');
    // The feeds too: their enclosure now has the image's length.
    expect(report.written).toEqual(['atom.xml', 'posts/trip/cover.png', 'rss.xml']);
    expect(store.objects.get('posts/trip/cover.png')?.body).toEqual(png(4));

    source.files.delete('travel/cover.png');
    const deleted = await run(source, store, ['travel/cover.png']);
    expect(deleted.deleted).toEqual(['posts/trip/cover.png']);
  });

  it('gives the enclosure of an image in the content its size, kept true when only the image changes', async () => {
    const source = content();
    const store = new MemoryStore();
    const go = memoryRuns(source, store);
    const cover = `${SITE_URL}posts/trip/cover.png`;
    await go();
    expect(store.text('rss.xml')).toContain(`<enclosure length="11" type="image/png" url="${cover}"/>`);
    expect(store.text('atom.xml')).toContain(
      `<link rel="enclosure" href="${cover}" type="image/png" length="11"/>`,
    );

    // The image alone changes (a warm process, its model and items cached): the feeds follow.
    source.put('travel/cover.png', new Uint8Array(40));
    const replaced = await go(['travel/cover.png']);
    expect(replaced.written).toEqual(expect.arrayContaining(['posts/trip/cover.png', 'rss.xml', 'atom.xml']));
    expect(store.text('rss.xml')).toContain(`<enclosure length="40" type="image/png" url="${cover}"/>`);
    expect(store.text('atom.xml')).toContain('length="40"');

    // A later upload extends that model and keeps the new size; a cold build gives the same bytes.
    source.put('travel/2025-01-11-next.md', markdownArticle({ title: 'Next', date: '2025-01-11' }));
    await go(['travel/2025-01-11-next.md']);
    const cold = new MemoryStore();
    await go(undefined, cold, undefined);
    for (const key of ['rss.xml', 'atom.xml', 'feed.json']) expect(store.text(key), key).toBe(cold.text(key));

    // Gone from the content: an image the site does not have, of unknown size.
    source.files.delete('travel/cover.png');
    await go(['travel/cover.png']);
    expect(store.text('rss.xml')).toContain(`<enclosure length="0" type="image/png" url="${cover}"/>`);
    expect(store.text('atom.xml')).toContain(`<link rel="enclosure" href="${cover}" type="image/png"/>`);
  });

  it('gives the digest its cover’s pixel size, read once per version of the image', async () => {
    const source = content();
    source.put('travel/cover.png', pngOfSize(256, 256));
    const store = new MemoryStore();
    const go = memoryRuns(source, store);
    const digest = 'digests/2025-W02/index.html';
    const cover = (key: string) => /<img class="image"[^>]*>/.exec(store.text(key))?.[0] ?? '';
    await go();
    expect(cover(digest)).toMatch(/ width="256" height="256" style="[^"]*max-width: 256px/);
    expect(cover(digest)).not.toContain('"auto"');

    // Nothing changed: the image is not read again.
    const reads = source.reads;
    await go();
    expect(source.reads).toBe(reads);

    // A wider version replaces it: shown at the column's width, its height scaled.
    source.put('travel/cover.png', pngOfSize(1104, 600));
    const replaced = await go(['travel/cover.png']);
    expect(replaced.written).toContain(digest);
    expect(cover(digest)).toMatch(/ width="552" height="300" style="[^"]*max-width: 552px/);
    // A cold build gives the same bytes.
    const cold = new MemoryStore();
    await go(undefined, cold, undefined);
    expect(cold.text(digest)).toBe(store.text(digest));
  });

  it('reads a cover’s header for its size, the whole file only when metadata comes first', async () => {
    // A 3 MB PNG; a JPEG whose EXIF and ICC segments (4 × 60 KB) come before its size.
    const bigPng = new Uint8Array(3 * 1024 * 1024);
    bigPng.set(pngOfSize(800, 400));
    const segment = [0xff, 0xe1, 0xea, 0x60, ...new Array(60_000 - 2).fill(0)];
    const jpeg = jpegOfSize(640, 480);
    const lateJpeg = new Uint8Array([
      0xff,
      0xd8,
      ...[0, 1, 2, 3].flatMap(() => segment),
      ...jpeg.subarray(2),
    ]);
    for (const [image, wholeReads, width] of [
      [bigPng, 1, '552'],
      [lateJpeg, 2, '552'],
    ] as const) {
      const source = content();
      source.put('travel/cover.png', image);
      let read = 0;
      const readWhole = source.read.bind(source);
      source.read = async (key) => {
        if (key === 'travel/cover.png') read++;
        return readWhole(key);
      };
      const store = new MemoryStore();
      await memoryRuns(source, store)();
      // Once to publish it, and once more for its size only when its header was not enough.
      expect(read, `${image.byteLength} bytes`).toBe(wholeReads);
      expect(/<img class="image"[^>]*>/.exec(store.text('digests/2025-W02/index.html'))?.[0]).toContain(
        ` width="${width}"`,
      );
    }
  });

  it('skips an image over 10 MB without reading it, and says so', async () => {
    const source = content();
    source.put('travel/cover.png', new Uint8Array(10 * 1024 * 1024 + 1));
    const store = new MemoryStore();
    const report = await run(source, store);
    expect(store.objects.has('posts/trip/cover.png')).toBe(false);
    expect(store.objects.has('posts/trip/pics/view.png')).toBe(true);
    expect(report.skipped).toEqual([
      expect.objectContaining({
        file: 'travel/cover.png',
        message: 'the image is 10.0 MB, over the 10 MB limit',
      }),
    ]);
    expect(report.counts.published).toBe(1);
  });

  it('publishes the files an article links (PDF, audio) with their types, and says which are missing', async () => {
    const source = new MemorySource({
      '2025-01-10-talk.md': markdownArticle(
        { title: 'Talk', date: '2025-01-10' },
        '[The slides](talk/slides.pdf), [the recording](talk.mp3) and [the video](talk.mp4).\n',
      ),
      'talk/slides.pdf': new TextEncoder().encode('%PDF-1.7 slides'),
      // Over the image limit, under the one for other files.
      'talk.mp3': new Uint8Array(12 * 1024 * 1024),
    });
    const store = new MemoryStore();
    const report = await run(source, store);
    expect(store.objects.get('posts/talk/talk/slides.pdf')?.options.contentType).toBe('application/pdf');
    expect(store.text('posts/talk/talk/slides.pdf')).toBe('%PDF-1.7 slides');
    expect(store.objects.get('posts/talk/talk.mp3')?.options.contentType).toBe('audio/mpeg');
    expect(store.objects.get('posts/talk/talk.mp3')?.body.length).toBe(12 * 1024 * 1024);
    expect(report.counts).toMatchObject({ published: 1, images: 0, files: 2 });
    expect(report.warnings.map((w) => w.message)).toEqual([
      'the file talk.mp4 is not in the content, so its link is broken on the page and in the feeds',
    ]);

    source.put('talk.mp3', new Uint8Array(25 * 1024 * 1024 + 1));
    const tooLarge = await run(source, store);
    expect(tooLarge.skipped).toEqual([
      expect.objectContaining({
        file: 'talk.mp3',
        message: 'the file is 25.0 MB, over the 25 MB limit',
        fix: 'host it elsewhere (a podcast or video host, a file share) and link it by URL',
      }),
    ]);
    expect(tooLarge.deleted).toEqual(['posts/talk/talk.mp3']);
  });
});
