import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkFile, checkFolder } from '../../bin/cli-check.ts';
import { isArticleKey } from '../../functions/core/article-key.ts';
import { isMediaKey } from '../../functions/core/media.ts';
import { isOtherFileKey } from '../../functions/core/other-files.ts';
import { silentLogger } from '../../functions/core/ports.ts';
import { publishSite } from '../../functions/core/publish-site.ts';
import { markdownArticle, NOW, SITE_URL } from '../fixtures/articles.ts';
import { pngOfSize } from '../fixtures/images.ts';
import { MemorySource, MemoryStore } from '../fixtures/memory.ts';

const text = (bytes: Uint8Array | undefined) => new TextDecoder().decode(bytes);
const ROBOTS = 'User-agent: *\nDisallow: /drafts/\n';

describe('files asked for by name at the root of the site', () => {
  it('are published from the top of the content, and are never articles anywhere', () => {
    for (const key of ['robots.txt', 'ads.txt', 'app-ads.txt', 'humans.txt', 'llms.txt', 'favicon.ico']) {
      expect(isMediaKey(key), key).toBe(true);
      expect(isArticleKey(key), key).toBe(false);
    }
    // In a folder or in other letters: crawlers would not find it there, so it is named, not published.
    for (const key of ['blog/robots.txt', 'Robots.txt', 'ADS.TXT', 'notes/llms.txt']) {
      expect(isArticleKey(key), key).toBe(false);
      expect(isOtherFileKey(key), key).toBe(true);
    }
    // Other text files stay articles; an icon in a folder is an image an article may show.
    expect(isArticleKey('2025-01-08-robots.md')).toBe(true);
    expect(isArticleKey('robots-and-humans.txt')).toBe(true);
    expect(isMediaKey('pics/favicon.ico')).toBe(true);
    expect(isOtherFileKey('_robots.txt')).toBe(false);
  });

  it("publish byte for byte, replace the site's robots.txt while they are there, and go when deleted", async () => {
    const icon = pngOfSize(32, 32);
    const source = new MemorySource({
      '2025-03-01-first.md': markdownArticle({ title: 'First', date: '2025-03-01' }),
      'robots.txt': ROBOTS,
      'ads.txt': 'google.com, pub-0000000000000000, DIRECT, f08c47fec0942fa0\n',
      'favicon.ico': icon,
      'blog/robots.txt': ROBOTS,
    });
    const store = new MemoryStore();
    const run = (changedKeys?: string[]) =>
      publishSite({ source, store, logger: silentLogger, now: NOW, siteUrl: SITE_URL, changedKeys });
    const noSitemap = expect.objectContaining({
      file: 'robots.txt',
      message: 'it names no sitemap, so search engines find the pages only by following links',
      fix: `add the line "Sitemap: ${SITE_URL}sitemap.xml", as the robots.txt the publisher writes has`,
    });
    // The top has a robots.txt of its own: moving this one there, over it, is not offered.
    const misplaced = expect.objectContaining({
      file: 'blog/robots.txt',
      fix: expect.stringMatching(/^delete it if robots\.txt says the same, or rename it _robots\.txt/),
    });

    const first = await run();
    expect(first.skipped).toEqual([]);
    expect(first.counts.sources).toBe(1);
    expect(first.warnings).toEqual(expect.arrayContaining([noSitemap, misplaced]));
    expect(text(store.objects.get('robots.txt')?.body)).toBe(ROBOTS);
    expect(store.objects.get('robots.txt')?.options.contentType).toBe('text/plain; charset=utf-8');
    expect(text(store.objects.get('ads.txt')?.body)).toContain('pub-0000000000000000');
    expect(store.objects.get('favicon.ico')?.body).toEqual(icon);
    expect(store.objects.get('favicon.ico')?.options.contentType).toBe('image/x-icon');
    expect([...store.objects.keys()].filter((k) => k.startsWith('blog/'))).toEqual([]);

    // An upload of an article: the verdict on robots.txt stays said, nothing is read again.
    source.put('2025-03-02-second.md', markdownArticle({ title: 'Second', date: '2025-03-02' }));
    const readsBefore = source.reads;
    const writesBefore = store.writes.length;
    const upload = await run(['2025-03-02-second.md']);
    expect(upload.mode).toBe('events');
    expect(upload.warnings).toEqual(expect.arrayContaining([noSitemap, misplaced]));
    expect(source.reads - readsBefore).toBe(1);
    expect(store.writes.slice(writesBefore)).not.toContain('robots.txt');

    // A new version with a sitemap: published, and the warning goes.
    const withSitemap = `${ROBOTS}Sitemap: ${SITE_URL}sitemap.xml\n`;
    source.put('robots.txt', withSitemap);
    const fixed = await run(['robots.txt']);
    expect(fixed.warnings).not.toContainEqual(noSitemap);
    expect(text(store.objects.get('robots.txt')?.body)).toBe(withSitemap);

    // Deleted: the publisher's own robots.txt is back, and ads.txt is gone from the site.
    source.files.delete('robots.txt');
    source.files.delete('ads.txt');
    await run(['robots.txt', 'ads.txt']);
    expect(text(store.objects.get('robots.txt')?.body)).toBe(
      `User-agent: *\nAllow: /\n\nSitemap: ${SITE_URL}sitemap.xml\n`,
    );
    expect(store.objects.has('ads.txt')).toBe(false);
    expect(store.objects.get('favicon.ico')?.body).toEqual(icon);
  });

  it('are checked by broadsheet check as the run checks them', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'broadsheet-root-'));
    await writeFile(join(dir, '2025-01-10-good.md'), markdownArticle({ title: 'Good' }));
    await writeFile(join(dir, 'robots.txt'), ROBOTS);
    await writeFile(join(dir, 'Humans.txt'), 'Team: us\n');
    const report = await checkFolder(dir, new Date('2025-06-01T12:00:00Z'));
    expect(report).toMatchObject({ checked: 1, published: 1, errors: [] });
    expect(report.warnings).toEqual([
      expect.objectContaining({ file: 'Humans.txt', fix: 'rename it humans.txt' }),
      expect.objectContaining({ file: 'robots.txt', message: expect.stringMatching(/names no sitemap/) }),
    ]);
    expect(await checkFile(join(dir, 'robots.txt'))).toEqual({ ok: true, warnings: [] });
  });
});
