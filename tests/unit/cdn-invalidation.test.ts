import { describe, expect, it } from 'vitest';
import { readPublisherEnv } from '../../functions/adapters/env.ts';
import {
  type CdnInvalidator,
  invalidationPaths,
  MAX_INVALIDATION_PATHS,
} from '../../functions/core/cdn-invalidation.ts';
import { silentLogger } from '../../functions/core/ports.ts';
import { publishSite } from '../../functions/core/publish-site.ts';
import { markdownArticle, NOW, SITE_URL } from '../fixtures/articles.ts';
import { MemorySource, MemoryStore } from '../fixtures/memory.ts';

describe('invalidationPaths', () => {
  it('names a page both as its key and as the folder URL readers follow', () => {
    expect(invalidationPaths(['posts/first/index.html', 'tags/index.html'])).toEqual([
      '/posts/first/',
      '/posts/first/index.html',
      '/tags/',
      '/tags/index.html',
    ]);
  });

  it('leaves out what caches keep 5 minutes (feeds, the home page, sitemaps, the latest digest) and the state', () => {
    const polled = [
      'index.html',
      'rss.xml',
      'tags/paris/atom.xml',
      'feed.json',
      'feeds.opml',
      'sitemap.xml',
      'digests/latest/index.html',
      '_state/manifest.json',
      '_report.json',
    ];
    expect(invalidationPaths(polled)).toEqual([]);
    expect(invalidationPaths([...polled, 'digests/2025-W02/index.html', '404.html'])).toEqual([
      '/404.html',
      '/digests/2025-W02/',
      '/digests/2025-W02/index.html',
    ]);
  });

  it('percent-encodes each segment as a browser asks for it, and a star, which would be a wildcard', () => {
    expect(invalidationPaths(['talks/the talk.m4a', 'posts/café/x*y.png'])).toEqual([
      '/posts/caf%C3%A9/x%2Ay.png',
      '/talks/the%20talk.m4a',
    ]);
  });

  it('sorts and names each path once', () => {
    expect(invalidationPaths(['b.png', 'a.png', 'b.png'])).toEqual(['/a.png', '/b.png']);
  });

  it(`asks for one /* instead of more than ${MAX_INVALIDATION_PATHS} paths`, () => {
    const pages = (n: number) => Array.from({ length: n }, (_, i) => `posts/p${i}/index.html`);
    expect(invalidationPaths(pages(MAX_INVALIDATION_PATHS / 2))).toHaveLength(MAX_INVALIDATION_PATHS);
    expect(invalidationPaths(pages(MAX_INVALIDATION_PATHS / 2 + 1))).toEqual(['/*']);
  });
});

describe('publishSite with a CDN', () => {
  const calls: string[][] = [];
  const recorder: CdnInvalidator = {
    async invalidate(paths) {
      calls.push([...paths]);
    },
  };
  const source = new MemorySource({
    'site.yaml': 'title: Dispatch\n',
    '2025-01-08-first.md': markdownArticle({ title: 'First', date: '2025-01-08', tags: '[paris]' }),
    '2025-01-09-second.md': markdownArticle({ title: 'Second', date: '2025-01-09', tags: '[rome]' }),
  });
  const store = new MemoryStore();
  const run = (changedKeys?: string[], cdn: CdnInvalidator = recorder) =>
    publishSite({ source, store, logger: silentLogger, now: NOW, siteUrl: SITE_URL, cdn, changedKeys });

  it('invalidates nothing on the first build (nothing was cached) nor when nothing changed', async () => {
    const first = await run();
    expect(first.written.length).toBeGreaterThan(10);
    expect(calls).toEqual([]);
    expect(first.cdn).toBeUndefined();
    await run();
    expect(calls).toEqual([]);
  });

  it('invalidates the pages an edit replaced, after they are written, and not the feeds', async () => {
    source.put(
      '2025-01-08-first.md',
      markdownArticle({ title: 'First', date: '2025-01-08', tags: '[paris]' }, 'Fixed a typo.\n'),
    );
    const before = store.text('posts/first/index.html');
    let seen = '';
    const report = await run(['2025-01-08-first.md'], {
      async invalidate(paths) {
        seen = store.text('posts/first/index.html');
        calls.push([...paths]);
      },
    });
    expect(seen).not.toBe(before);
    expect(seen).toContain('Fixed a typo.');
    expect(report.written).toContain('rss.xml');
    expect(calls).toHaveLength(1);
    const paths = calls[0] ?? [];
    expect(paths).toEqual(expect.arrayContaining(['/posts/first/', '/posts/first/index.html']));
    expect(paths).toEqual(expect.arrayContaining(['/tags/paris/', '/tags/paris/index.html']));
    expect(paths.filter((p) => /\.(xml|json)$/.test(p) || p === '/index.html')).toEqual([]);
    expect(paths.some((p) => p.includes('rome'))).toBe(false);
    expect(report.cdn).toEqual({ paths });
  });

  it("leaves a new article's own page out, and invalidates a deleted article's page", async () => {
    calls.length = 0;
    source.put(
      '2025-01-10-third.md',
      markdownArticle({ title: 'Third', date: '2025-01-10', tags: '[rome]' }),
    );
    const added = await run(['2025-01-10-third.md']);
    expect(added.written).toContain('posts/third/index.html');
    expect((calls[0] ?? []).some((p) => p.startsWith('/posts/third/'))).toBe(false);

    calls.length = 0;
    source.files.delete('2025-01-09-second.md');
    const removed = await run(['2025-01-09-second.md']);
    expect(removed.deleted).toContain('posts/second/index.html');
    expect(calls[0]).toEqual(expect.arrayContaining(['/posts/second/', '/posts/second/index.html']));
  });

  it('publishes all the same when the invalidation fails, and says so in the report', async () => {
    source.put('2025-01-10-third.md', markdownArticle({ title: 'Third, fixed', date: '2025-01-10' }));
    const report = await run(['2025-01-10-third.md'], {
      async invalidate() {
        throw new Error('TooManyInvalidationsInProgress');
      },
    });
    expect(report.errors).toEqual([]);
    expect(store.text('posts/third/index.html')).toContain('Third, fixed');
    expect(report.cdn?.paths).toEqual(expect.arrayContaining(['/posts/third/']));
    expect(report.cdn?.error).toBe('TooManyInvalidationsInProgress');
  });
});

describe('DISTRIBUTION_ID', () => {
  const base = { CONTENT_BUCKET: 'content', SITE_BUCKET: 'site' };

  it('is optional, and read when set', () => {
    expect(readPublisherEnv(base).DISTRIBUTION_ID).toBeUndefined();
    expect(readPublisherEnv({ ...base, DISTRIBUTION_ID: '' }).DISTRIBUTION_ID).toBeUndefined();
    expect(readPublisherEnv({ ...base, DISTRIBUTION_ID: 'E2QWRUHAPOMQZL' }).DISTRIBUTION_ID).toBe(
      'E2QWRUHAPOMQZL',
    );
  });

  it('refuses what is not a distribution id, saying what it should be', () => {
    expect(() => readPublisherEnv({ ...base, DISTRIBUTION_ID: 'd111.cloudfront.net' })).toThrow(
      /DISTRIBUTION_ID: not a CloudFront distribution id/,
    );
  });
});
