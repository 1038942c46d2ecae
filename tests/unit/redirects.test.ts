import { describe, expect, it } from 'vitest';
import { parseArticle } from '../../functions/core/parse-article.ts';
import { silentLogger } from '../../functions/core/ports.ts';
import { publishSite } from '../../functions/core/publish-site.ts';
import { aliasKey } from '../../functions/core/redirects.ts';
import { markdownArticle, NOW, SITE_URL } from '../fixtures/articles.ts';
import { MemorySource, MemoryStore } from '../fixtures/memory.ts';

describe('aliasKey', () => {
  it('serves an old address from the key CloudFront asks S3 for', () => {
    expect(aliasKey('/2019/05/old-post/')).toBe('2019/05/old-post/index.html');
    expect(aliasKey('2019/05/old-post')).toBe('2019/05/old-post/index.html');
    expect(aliasKey('/old.html')).toBe('old.html');
    expect(aliasKey('/archives/Old.HTM')).toBe('archives/Old.HTM');
    expect(aliasKey('https://old.example.com/p/caf%C3%A9/')).toBe('p/café/index.html');
  });

  it('refuses what no page of the site can be', () => {
    for (const bad of [
      '/',
      '',
      '/a//b/',
      '/../x/',
      '/a/./b',
      '/_state/x/',
      '/?p=1',
      '/x/#top',
      '/x.php',
      '/a b/',
      '/%E0%A4%A/',
    ])
      expect(aliasKey(bad), bad).toBeUndefined();
  });
});

describe('front matter aliases', () => {
  it('keeps each good one once, as a key, and warns about the others with their line', () => {
    const bytes = new TextEncoder().encode(
      '---\ntitle: Moved\ndate: 2025-01-08\naliases: [/old/, /old, /x.php]\n---\n\nText.\n',
    );
    const result = parseArticle('2025-01-08-moved.md', bytes, { timeZone: 'UTC' });
    expect(result.ok && result.article.aliases).toEqual(['old/index.html']);
    expect(result.ok && result.warnings).toEqual([
      expect.objectContaining({
        line: 4,
        message: expect.stringContaining('the alias "/x.php" is not an address'),
      }),
    ]);
    const one = parseArticle(
      'a.md',
      new TextEncoder().encode('---\ndate: 2025-01-08\naliases: /old/\n---\nx\n'),
      {
        timeZone: 'UTC',
      },
    );
    expect(one.ok && one.article.aliases).toEqual(['old/index.html']);
  });
});

describe('publishSite: redirect pages', () => {
  const source = new MemorySource({
    '2025-01-08-moved.md': markdownArticle(
      { title: 'Moved', date: '2025-01-08', aliases: '[/2019/05/moved/, /moved.html, /posts/other/]' },
      'Text.\n',
    ),
    '2025-01-09-other.md': markdownArticle({ title: 'Other', date: '2025-01-09', aliases: '[/moved.html]' }),
  });
  const store = new MemoryStore();
  const run = (changedKeys?: string[]) =>
    publishSite({ source, store, logger: silentLogger, now: NOW, siteUrl: SITE_URL, changedKeys });
  const target = `${SITE_URL}posts/moved/`;

  it('writes a page at each old address that sends the reader on, after the article page', async () => {
    const report = await run();
    const page = store.text('2019/05/moved/index.html');
    expect(page).toContain(`<meta http-equiv="refresh" content="0; url=${target}">`);
    expect(page).toContain(`<link rel="canonical" href="${target}">`);
    expect(page).toContain('<meta name="robots" content="noindex">');
    expect(store.text('moved.html')).toContain(`url=${target}`);
    expect(store.writes.indexOf('2019/05/moved/index.html')).toBeGreaterThan(
      store.writes.indexOf('posts/moved/index.html'),
    );
    // An address the site uses, or one an older article has, stays what it is.
    expect(store.text('posts/other/index.html')).toContain('<h1>Other</h1>');
    expect(report.warnings.map((w) => `${w.file}: ${w.message}`)).toEqual([
      '2025-01-08-moved.md: the alias /posts/other/ is a page of the site already, so it was left out',
      '2025-01-09-other.md: the alias /moved.html is an alias of 2025-01-08-moved.md already, so it was left out',
    ]);
    expect(store.text('sitemaps/pages.xml')).not.toContain('moved');
  });

  it('follows the article when its slug changes, and removes the page when the alias goes', async () => {
    source.put(
      '2025-01-08-moved.md',
      markdownArticle({
        title: 'Moved',
        date: '2025-01-08',
        slug: 'moved-again',
        aliases: '[/2019/05/moved/]',
      }),
    );
    const changed = await run(['2025-01-08-moved.md']);
    expect(store.text('2019/05/moved/index.html')).toContain(`url=${SITE_URL}posts/moved-again/`);
    expect(changed.deleted).toEqual(['posts/moved/index.html']);
    // The address this article gave up is the other article's now.
    expect(store.text('moved.html')).toContain(`url=${SITE_URL}posts/other/`);
    expect(changed.warnings).toEqual([]);

    source.put(
      '2025-01-08-moved.md',
      markdownArticle({ title: 'Moved', date: '2025-01-08', slug: 'moved-again' }),
    );
    const dropped = await run(['2025-01-08-moved.md']);
    expect(dropped.deleted).toContain('2019/05/moved/index.html');
  });
});
