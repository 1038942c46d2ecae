import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../functions/core/ports.ts';
import { publishSite } from '../../functions/core/publish-site.ts';
import { parseSiteConfig } from '../../functions/core/site-config.ts';
import { iconProblem } from '../../functions/core/site-icon.ts';
import { markdownArticle, NOW, SITE_URL } from '../fixtures/articles.ts';
import { gifOfSize, jpegOfSize, pngOfSize } from '../fixtures/images.ts';
import { MemorySource, MemoryStore } from '../fixtures/memory.ts';

const png = (n: number) => pngOfSize(64 * n, 64 * n);

describe('site.yaml icon', () => {
  it('takes an image in the content or an http(s) URL, and refuses anything else with its line', () => {
    expect(parseSiteConfig('icon: icon.png\n').icon).toBe('icon.png');
    expect(parseSiteConfig('icon: https://cdn.example.com/i.svg\n').icon).toBe(
      'https://cdn.example.com/i.svg',
    );
    for (const bad of ['icon.txt', '../icon.png', '_icon.png', 'javascript:alert(1)', '"https://x/a&b.png"'])
      expect(() => parseSiteConfig(`title: T\nicon: ${bad}\n`), bad).toThrow(
        /site\.yaml:2: icon: must be an image/,
      );
  });

  const source = new MemorySource({
    'site.yaml': 'title: Dispatch\nicon: icon.png\n',
    'icon.png': png(1),
    '2025-01-08-first.md': markdownArticle({ title: 'First', date: '2025-01-08' }),
  });
  const store = new MemoryStore();
  const run = (changedKeys?: string[]) =>
    publishSite({ source, store, logger: silentLogger, now: NOW, siteUrl: SITE_URL, changedKeys });
  const url = `${SITE_URL}icon.png`;

  it('publishes the icon and names it in every page and feed format', async () => {
    await run();
    expect(store.objects.get('icon.png')?.body).toEqual(png(1));
    expect(store.objects.get('icon.png')?.options.contentType).toBe('image/png');
    for (const key of ['index.html', 'posts/first/index.html', '404.html'])
      expect(store.text(key), key).toContain(`<link rel="icon" href="${url}" type="image/png">`);
    expect(store.text('rss.xml')).toContain(
      `<image>\n            <title>Dispatch</title>\n            <url>${url}</url>\n            <link>${SITE_URL}</link>\n        </image>`,
    );
    expect(store.text('atom.xml')).toContain(`<icon>${url}</icon>`);
    expect(JSON.parse(store.text('feed.json'))).toMatchObject({ icon: url, favicon: url });
  });

  it('reads the icon again only when it changes, and warns when it is missing', async () => {
    const reads = source.reads;
    const again = await run();
    expect(source.reads).toBe(reads);
    expect(again.written).toEqual([]);

    source.put('icon.png', png(2));
    const replaced = await run(['icon.png']);
    expect(replaced.written).toEqual(['icon.png']);
    expect(replaced.warnings).toEqual([]);
    expect(store.objects.get('icon.png')?.body).toEqual(png(2));

    // Not square: said by the run that publishes it, and by every run while it stays, unread.
    source.put('icon.png', pngOfSize(400, 100));
    const wide = expect.objectContaining({
      file: 'icon.png',
      message: 'the icon is 400 × 100 px, not square, so browsers and feed readers squash or crop it',
    });
    expect((await run(['icon.png'])).warnings).toEqual([wide]);
    const readsBefore = source.reads;
    expect((await run()).warnings).toEqual([wide]);
    expect(source.reads).toBe(readsBefore);

    source.files.delete('icon.png');
    const gone = await run();
    expect(gone.deleted).toEqual(['icon.png']);
    expect(gone.warnings).toEqual([
      expect.objectContaining({
        file: 'site.yaml',
        message: 'the icon icon.png is not in the content, so pages and feeds name a missing image',
      }),
    ]);
  });
});

describe('the icon', () => {
  it('passes a square picture of any size, and says what browsers and readers would show badly', () => {
    for (const [key, bytes] of [
      ['icon.png', pngOfSize(512, 512)],
      ['favicon.jpg', jpegOfSize(32, 32)],
      ['i.gif', gifOfSize(16, 16)],
    ] as const)
      expect(iconProblem(key, bytes), key).toBeUndefined();
    const svg = (attributes: string) =>
      new TextEncoder().encode(`<svg xmlns="http://www.w3.org/2000/svg" ${attributes}></svg>`);
    expect(iconProblem('logo.svg', svg(''))).toBeUndefined();
    expect(iconProblem('logo.svg', svg('viewBox="0 0 10 10"'))).toBeUndefined();
    expect(iconProblem('logo.svg', svg('viewBox="0 0 30 10"'))?.message).toBe(
      'the icon is 30 × 10 px, not square, so browsers and feed readers squash or crop it',
    );
    expect(iconProblem('icon.png', jpegOfSize(64, 64))).toEqual({
      file: 'icon.png',
      message: 'the icon is a JPEG image under a name that says image/png, which some readers refuse',
      fix: 'rename it to end in .jpg and correct icon',
    });
    expect(iconProblem('icon.png', new TextEncoder().encode('<html>not found</html>'))).toEqual({
      file: 'icon.png',
      message: 'the icon is not a picture: its bytes are no known image format',
      fix: 'replace icon.png with a square picture (a PNG of 512 × 512 px suits every reader)',
    });
  });
});
