import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../functions/core/ports.ts';
import { publishSite } from '../../functions/core/publish-site.ts';
import { parseSiteConfig } from '../../functions/core/site-config.ts';
import { markdownArticle, NOW, SITE_URL } from '../fixtures/articles.ts';
import { MemorySource, MemoryStore } from '../fixtures/memory.ts';

const png = (n: number) => new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, n]);

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
    expect(store.objects.get('icon.png')?.body).toEqual(png(2));

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
