import { describe, expect, it } from 'vitest';
import { slugFromFileName } from '../../functions/core/article-links.ts';
import { parseArticle } from '../../functions/core/parse-article.ts';
import { markdownArticle, SITE_URL } from '../fixtures/articles.ts';
import { MemorySource, MemoryStore, memoryRuns } from '../fixtures/memory.ts';

const parse = (key: string, text: string) =>
  parseArticle(key, new TextEncoder().encode(text), { timeZone: 'Europe/Paris' });

describe('links to another article by its file', () => {
  it('become links to its page, wherever they are in the text, keeping the #fragment', () => {
    const body = [
      'See [the talks](2025-01-15-ceasefire-talks.md#the-vote).', // line 6
      '',
      '- [a list item](../notes/2025-01-02-my%20notes.markdown)',
      '',
      '| a |',
      '|---|',
      '| [in a table](plain.txt) |',
      '',
      'A note.[^1] [Itself](2025-01-10-here.md), [elsewhere](https://github.com/x/y/blob/main/a.md),',
      '[hidden](_draft.md), [a PDF](slides.pdf), [site root](/posts/x.md).',
      '',
      '[^1]: From [the visit](2025-01-08-Blinken-visits-Paris.txt).',
    ].join('\n');
    const r = parse('travel/2025-01-10-here.md', markdownArticle({}, body));
    if (!r.ok) throw new Error(r.problem.message);
    expect(r.article.articleLinks).toEqual([
      {
        ref: '2025-01-15-ceasefire-talks.md#the-vote',
        key: 'travel/2025-01-15-ceasefire-talks.md',
        slug: 'ceasefire-talks',
        line: 6,
      },
      {
        ref: '../notes/2025-01-02-my%20notes.markdown',
        key: 'notes/2025-01-02-my notes.markdown',
        slug: 'my-notes',
        line: 8,
      },
      { ref: 'plain.txt', key: 'travel/plain.txt', slug: 'plain', line: 12 },
      {
        ref: '2025-01-08-Blinken-visits-Paris.txt',
        key: 'travel/2025-01-08-Blinken-visits-Paris.txt',
        slug: 'blinken-visits-paris',
        line: 17,
      },
    ]);
    const html = r.article.bodyHtml;
    expect(html).toContain('<a href="../ceasefire-talks/#the-vote">the talks</a>');
    expect(html).toContain('<a href="../my-notes/">a list item</a>');
    expect(html).toContain('<a href="../plain/">in a table</a>');
    expect(html).toContain('<a href="../blinken-visits-paris/">the visit</a>');
    // Left as written: itself, other sites, hidden files, files that are no articles, paths from the root.
    for (const kept of [
      '2025-01-10-here.md',
      'https://github.com/x/y/blob/main/a.md',
      '_draft.md',
      'slides.pdf',
      '/posts/x.md',
    ])
      expect(html, kept).toContain(`href="${kept}"`);
  });

  it("in the article's own HTML are rewritten as Markdown links are", () => {
    const body = [
      '<p>See <a href="2025-01-15-talks.md#the-vote" title="x">the talks</a>.</p>', // line 6
      '',
      "Inline <a class='x' href='../notes/2025-01-02-a&amp;b.md'>notes</a>, <a data-href=\"x.md\" href=https://example.com/a.md>away</a>.",
    ].join('\n');
    const r = parse('travel/2025-01-10-here.md', markdownArticle({}, body));
    if (!r.ok) throw new Error(r.problem.message);
    expect(r.article.articleLinks).toEqual([
      { ref: '2025-01-15-talks.md#the-vote', key: 'travel/2025-01-15-talks.md', slug: 'talks', line: 6 },
      { ref: '../notes/2025-01-02-a&b.md', key: 'notes/2025-01-02-a&b.md', slug: 'a-b', line: 8 },
    ]);
    const html = r.article.bodyHtml;
    expect(html).toContain('<a href="../talks/#the-vote" title="x">the talks</a>');
    expect(html).toContain(`<a class='x' href="../a-b/">notes</a>`);
    // Another site's file, and a `data-href` that is not the link, are left as written.
    expect(html).toContain('<a data-href="x.md" href=https://example.com/a.md>away</a>');
  });

  it('reach an article whose name and title have no Latin letters', async () => {
    const source = new MemorySource({
      '2025-01-10-one.md': markdownArticle(
        { title: 'One', date: '2025-01-10' },
        'See [Kyiv](2025-01-11-київ.md).\n',
      ),
      '2025-01-11-київ.md': markdownArticle({ title: 'Київ', date: '2025-01-11' }),
    });
    const store = new MemoryStore();
    const report = await memoryRuns(source, store)();
    expect(report.warnings).toEqual([]);
    const href = /<a href="([^"]+)">Kyiv<\/a>/.exec(store.text('posts/one/index.html'))?.[1] ?? '';
    expect(store.objects.has(`${href.slice(SITE_URL.length)}index.html`)).toBe(true);
  });

  it('give the page the parser gives the file when its front matter names no slug', () => {
    for (const key of [
      '2025-01-15-ceasefire-talks.md',
      'a/b/Ceasefire Talks.MD',
      '2025-01-15_ceasefire-talks.txt',
    ])
      expect(slugFromFileName(key), key).toBe('ceasefire-talks');
    const r = parse('2025-01-15-ceasefire-talks.md', markdownArticle({ title: 'Other' }));
    expect(r.ok && r.article.slug).toBe('ceasefire-talks');
  });

  it('are checked on every run: a moved or missing article is named, with the line and the fix', async () => {
    const source = new MemorySource({
      '2025-01-10-one.md': markdownArticle(
        { title: 'One', date: '2025-01-10' },
        'See [two](2025-01-11-two.md#part) and [three](2025-01-12-three.md).\n',
      ),
      '2025-01-11-two.md': markdownArticle({ title: 'Two', date: '2025-01-11' }, '## Part\n\nHello.\n'),
    });
    const store = new MemoryStore();
    const run = memoryRuns(source, store);
    const first = await run();
    // Absolute in the page and in every feed, as any relative link is.
    expect(store.text('posts/one/index.html')).toContain(`<a href="${SITE_URL}posts/two/#part">two</a>`);
    expect(store.text('feed.json')).toContain(`<a href=\\"${SITE_URL}posts/two/#part\\">two</a>`);
    expect(first.warnings).toEqual([
      {
        file: '2025-01-10-one.md',
        line: 6,
        message:
          'the link to 2025-01-12-three.md goes to an article that is not published (not in the content, skipped, a draft or not yet due), so it is broken',
        fix: 'publish 2025-01-12-three.md, or correct the link',
        text: expect.any(String),
      },
    ]);

    // The article arrives (an upload): the warning goes, and the link works.
    source.put('2025-01-12-three.md', markdownArticle({ title: 'Three', date: '2025-01-12' }));
    expect((await run(['2025-01-12-three.md'])).warnings).toEqual([]);
    expect(store.objects.has('posts/three/index.html')).toBe(true);

    // Two takes a slug of its own: the link's address becomes a redirect page to it, and works.
    source.put('2025-01-11-two.md', markdownArticle({ title: 'Two', date: '2025-01-11', slug: 'second' }));
    expect((await run(['2025-01-11-two.md'])).warnings).toEqual([]);
    expect(store.objects.has('posts/second/index.html')).toBe(true);
    expect(store.text('posts/two/index.html')).toContain(
      `<meta http-equiv="refresh" content="0; url=${SITE_URL}posts/second/">`,
    );
    const cold = new MemoryStore();
    await run(undefined, cold, undefined);
    expect(cold.text('posts/two/index.html')).toBe(store.text('posts/two/index.html'));

    // Another article holds that address: no redirect can lead there, and the link is named with the fix.
    source.put('2025-01-09-other.md', markdownArticle({ title: 'Other', date: '2025-01-09', slug: 'two' }));
    expect((await run(['2025-01-09-other.md'])).warnings).toEqual([
      expect.objectContaining({
        file: '2025-01-10-one.md',
        line: 6,
        message:
          'the link to 2025-01-11-two.md#part goes to posts/two/, but that article is published at posts/second/',
        fix: 'link to its page instead: (../second/), or give it no slug of its own',
      }),
    ]);
    expect(store.text('posts/two/index.html')).toContain('<title>Other');
    // And when it is deleted, a run of the upload alone says so too.
    source.files.delete('2025-01-09-other.md');
    source.files.delete('2025-01-11-two.md');
    expect((await run(['2025-01-09-other.md', '2025-01-11-two.md'])).warnings).toEqual([
      expect.objectContaining({
        message: expect.stringContaining(
          'the link to 2025-01-11-two.md#part goes to an article that is not published',
        ),
      }),
    ]);
  });
});

describe("links by file in site.yaml's pages", () => {
  it('are checked and mended as an article’s are', async () => {
    const source = new MemorySource({
      'site.yaml':
        'title: Site\npages:\n  - { title: About, text: "Start with [the first](2025-01-10-one.md), then [a lost one](2025-01-12-gone.md)." }\n',
      '2025-01-10-one.md': markdownArticle({ title: 'One', date: '2025-01-10', slug: 'first' }, 'Hello.\n'),
    });
    const store = new MemoryStore();
    const report = await memoryRuns(source, store)();
    expect(store.text('about/index.html')).toContain(`<a href="${SITE_URL}posts/one/">the first</a>`);
    // The article has a slug of its own: the address the link names sends readers on to it.
    expect(store.text('posts/one/index.html')).toContain(
      `<meta http-equiv="refresh" content="0; url=${SITE_URL}posts/first/">`,
    );
    expect(report.warnings).toEqual([
      expect.objectContaining({
        file: 'site.yaml',
        message: expect.stringContaining(
          'the link to 2025-01-12-gone.md goes to an article that is not published',
        ),
      }),
    ]);
  });
});
