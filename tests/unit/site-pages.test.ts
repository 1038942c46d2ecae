import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../functions/core/ports.ts';
import type { ConfigError } from '../../functions/core/problems.ts';
import { publishSite } from '../../functions/core/publish-site.ts';
import { parseSiteConfig } from '../../functions/core/site-config.ts';
import { markdownArticle, NOW, SITE_URL } from '../fixtures/articles.ts';
import { MemorySource, MemoryStore } from '../fixtures/memory.ts';

describe('site.yaml pages', () => {
  it('reads each page with its slug (from the title unless given)', () => {
    const config = parseSiteConfig(
      'title: Dispatch\npages:\n  - title: About us\n    text: Hello.\n  - title: Contact\n    slug: write-to-us\n',
    );
    expect(config.pages).toEqual([
      { title: 'About us', slug: 'about-us', text: 'Hello.' },
      { title: 'Contact', slug: 'write-to-us', text: '' },
    ]);
  });

  it('refuses a slug the site uses itself, one taken twice, or one with other characters, naming the line', () => {
    expect(() => parseSiteConfig('pages:\n  - title: Feeds\n    slug: tags\n')).toThrow(
      "site.yaml:3: pages.0.slug: is a folder of the site's own (posts, tags, digests, page, archive, sitemaps)",
    );
    expect(() => parseSiteConfig('pages:\n  - title: Posts\n')).toThrow(
      "site.yaml:2: pages.0.title: makes the slug posts, a folder of the site's own: add another slug",
    );
    // A slug written out is the one at fault, not the title it would otherwise come from: one problem.
    const problems = (text: string) => {
      try {
        parseSiteConfig(text);
        return [];
      } catch (error) {
        return (error as ConfigError).problems;
      }
    };
    expect(problems('pages:\n  - title: Posts\n    slug: posts\n')).toEqual([
      {
        file: 'site.yaml',
        line: 3,
        message:
          "pages.0.slug: is a folder of the site's own (posts, tags, digests, page, archive, sitemaps)",
        fix: "write a slug of lower-case letters, digits and hyphens that is none of the site's folders (posts, tags, digests, page, archive, sitemaps), such as slug: about",
      },
    ]);
    expect(problems('pages:\n  - title: Posts\n')[0]?.fix).toBe(
      'add a line slug: … to the page (lower-case letters, digits and hyphens; none of posts, tags, digests, page, archive, sitemaps)',
    );
    // A page with no title: at the page's line, with what to write.
    expect(problems('title: T\npages:\n  - text: hi\n')).toEqual([
      {
        file: 'site.yaml',
        line: 3,
        message: 'pages.0: title is missing',
        fix: 'give the page a title (the header links it by that name): - { title: About, text: "…" }',
      },
    ]);
    // Not settings at all.
    expect(problems('- a\n- b\n')).toEqual([
      {
        file: 'site.yaml',
        line: 1,
        message: 'site.yaml is not a list of key: value lines',
        fix: 'write each setting on a line of its own, such as title: My site (see the README, Site settings)',
      },
    ]);
    expect(() => parseSiteConfig('pages:\n  - title: About\n  - title: about\n')).toThrow(
      'site.yaml:3: pages.1: about is the slug of another page',
    );
    expect(() => parseSiteConfig('pages:\n  - title: About\n    slug: About Us\n')).toThrow(
      'pages.0.slug: must be lower-case letters, digits and hyphens',
    );
    expect(() => parseSiteConfig('pages:\n  - title: About\n    body: x\n')).toThrow('body');
  });
});

describe('publishSite: standalone pages', () => {
  const ABOUT =
    'title: Dispatch\npages:\n  - title: About\n    text: "We *write*. [Feed](../rss.xml). [Our first](2025-01-08-first.md#start)"\n';
  const source = new MemorySource({
    'site.yaml': ABOUT,
    '2025-01-08-first.md': markdownArticle({ title: 'First', date: '2025-01-08' }),
  });
  const store = new MemoryStore();
  const run = (changedKeys?: string[]) =>
    publishSite({ source, store, logger: silentLogger, now: NOW, siteUrl: SITE_URL, changedKeys });
  const nav = `<nav class="pages" aria-label="Pages">\n<a href="${SITE_URL}about/">About</a>\n</nav>`;

  it('publishes the page at /<slug>/, links it from every page, and names it in the sitemap', async () => {
    await run();
    const about = store.text('about/index.html');
    expect(about).toContain('<h1>About</h1>\n<p>We <em>write</em>.');
    expect(about).toContain(`<a href="${SITE_URL}rss.xml">Feed</a>`);
    // A link to an article's file goes to its page, as in an article.
    expect(about).toContain(`<a href="${SITE_URL}posts/first/#start">Our first</a>`);
    expect(about).toContain(`<link rel="canonical" href="${SITE_URL}about/">`);
    expect(about).toContain('<meta name="description" content="We write. Feed. Our first">');
    for (const key of ['index.html', 'posts/first/index.html', '404.html', 'about/index.html'])
      expect(store.text(key), key).toContain(nav);
    expect(store.text('sitemaps/pages.xml')).toContain(`<loc>${SITE_URL}about/</loc>`);
    expect(store.text('rss.xml')).not.toContain('about/');
  });

  it('leaves the page alone when an article is added, and removes it with its links when site.yaml drops it', async () => {
    source.put('2025-01-09-second.md', markdownArticle({ title: 'Second', date: '2025-01-09' }));
    const added = await run(['2025-01-09-second.md']);
    expect(added.written).not.toContain('about/index.html');
    expect(store.text('posts/second/index.html')).toContain(nav);

    source.put('site.yaml', 'title: Dispatch\n');
    const dropped = await run(['site.yaml']);
    expect(dropped.deleted).toContain('about/index.html');
    expect(store.objects.has('about/index.html')).toBe(false);
    expect(store.text('posts/first/index.html')).not.toContain('nav class="pages"');
    expect(store.text('sitemaps/pages.xml')).not.toContain('about/');
  });
});

describe('publishSite: images and files a standalone page shows', () => {
  const site = (text: string) => `title: Dispatch\npages:\n  - title: About\n    text: "${text}"\n`;
  const photo = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]);
  const run = (source: MemorySource, store: MemoryStore, changedKeys?: string[]) =>
    publishSite({ source, store, logger: silentLogger, now: NOW, siteUrl: SITE_URL, changedKeys });

  it('publishes them beside the page from beside site.yaml, again only when they change, and warns about missing ones', async () => {
    const source = new MemorySource({
      'site.yaml': site('![Me](me.png) and [my CV](files/cv.pdf) and ![gone](gone.png)'),
      '2025-01-08-first.md': markdownArticle({ title: 'First', date: '2025-01-08' }),
      'me.png': photo,
      'files/cv.pdf': '%PDF-1.4',
    });
    const store = new MemoryStore();
    const report = await run(source, store);
    expect(store.objects.get('about/me.png')?.body).toEqual(photo);
    expect(store.objects.get('about/me.png')?.options).toMatchObject({ contentType: 'image/png' });
    expect(store.objects.get('about/files/cv.pdf')?.options).toMatchObject({
      contentType: 'application/pdf',
    });
    const about = store.text('about/index.html');
    expect(about).toContain(`<img alt="Me" src="${SITE_URL}about/me.png"`);
    expect(about).toContain(`<a href="${SITE_URL}about/files/cv.pdf">my CV</a>`);
    expect(report.counts).toMatchObject({ images: 1, files: 1 });
    expect(report.warnings).toEqual([
      expect.objectContaining({
        file: 'site.yaml',
        message: 'the image gone.png is not in the content, so it is missing on the page',
        fix: 'upload gone.png beside site.yaml, or correct the path',
      }),
    ]);

    // An upload of the photo alone (an S3 event) copies it again, and nothing else.
    source.put('me.png', new Uint8Array([...photo, 9]));
    const changed = await run(source, store, ['me.png']);
    expect(changed.written).toEqual(['about/me.png']);
    expect(store.objects.get('about/me.png')?.body).toEqual(new Uint8Array([...photo, 9]));

    // The page drops the CV: its copy goes.
    source.put('site.yaml', site('![Me](me.png)'));
    const dropped = await run(source, store, ['site.yaml']);
    expect(dropped.deleted).toEqual(['about/files/cv.pdf']);
    expect(dropped.warnings).toEqual([]);
  });
});
