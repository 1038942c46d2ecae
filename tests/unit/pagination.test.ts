import { describe, expect, it } from 'vitest';
import { planFeeds } from '../../functions/core/feed-spec.ts';
import { paginate, publishedBlockCount } from '../../functions/core/paginate.ts';
import { silentLogger } from '../../functions/core/ports.ts';
import { ConfigError } from '../../functions/core/problems.ts';
import { publishSite } from '../../functions/core/publish-site.ts';
import { type OutputPlan, planSite } from '../../functions/core/render-site.ts';
import { defaultSiteConfig, parseSiteConfig } from '../../functions/core/site-config.ts';
import { buildSiteModel, type SiteModel } from '../../functions/core/site-model.ts';
import { markdownArticle, NOW, SITE_URL } from '../fixtures/articles.ts';
import { MemorySource, MemoryStore } from '../fixtures/memory.ts';
import { baseConfig, parsed } from '../fixtures/site.ts';

/** Article i (1 = oldest), a day apart from 2025-01-01; even ones are also tagged "paris". */
function articleText(i: number): [string, string] {
  const day = new Date(Date.UTC(2025, 0, i)).toISOString().slice(0, 10);
  const tags = i % 2 === 0 ? '[europe, paris]' : '[europe]';
  return [`${day}-n${i}.md`, markdownArticle({ title: `N${i}`, date: day, tags })];
}

/** `count` articles N1…N<count>, list pages of `pageSize`. */
function modelOf(count: number, pageSize: number): SiteModel {
  const articles = Array.from({ length: count }, (_, i) => parsed(...articleText(i + 1)));
  return buildSiteModel(articles, { ...baseConfig, pageSize }, SITE_URL, NOW).model;
}

const htmlPlans = (model: SiteModel) =>
  new Map(
    planSite(model)
      .filter((p) => p.key.endsWith('index.html') && !p.key.startsWith('posts/'))
      .map((p) => [p.key, p]),
  );
const titlesOf = (plan: OutputPlan | undefined) => plan?.articles.map((a) => a.title);
const listKeys = (plans: Map<string, OutputPlan>, dir: string) =>
  [...plans.keys()].filter((k) => k.startsWith(`${dir}page/`)).sort();
/** Every href of a page, in order. */
const hrefs = (html: string) => [...html.matchAll(/<a [^>]*href="([^"]+)"/g)].map((m) => m[1] ?? '');
/** The key a site URL is served from (`…/page/2/` → `page/2/index.html`). */
const keyOf = (url: string) => `${url.slice(SITE_URL.length)}index.html`;

/**
 * Follows every link between list pages from `start` and returns the article URLs found on the way;
 * fails on a link to a list page that is not planned.
 */
function crawl(plans: Map<string, OutputPlan>, start: string): Set<string> {
  const found = new Set<string>();
  const seen = new Set<string>();
  const queue = [start];
  while (queue.length > 0) {
    const key = queue.shift() as string;
    if (seen.has(key)) continue;
    seen.add(key);
    const plan = plans.get(key);
    expect(plan, `link to ${key}`).toBeDefined();
    for (const href of hrefs(plan?.render() ?? '')) {
      if (href.startsWith(`${SITE_URL}posts/`)) found.add(href);
      else if (href.endsWith('/') && href.startsWith(SITE_URL)) queue.push(keyOf(href));
    }
  }
  return found;
}

describe('planSite', () => {
  it('lists one page per article first, in the model order, and no page after them (the publisher skips carried pages by position)', () => {
    const model = modelOf(25, 10);
    const plans = planSite(model, NOW);
    const n = model.articles.length;
    expect(plans.slice(0, n).map((p) => [p.phase, p.key, p.articles])).toEqual(
      model.articles.map((a) => ['page', a.pageKey, [a]]),
    );
    expect(plans.slice(n).filter((p) => p.phase === 'page' || p.key.startsWith('posts/'))).toEqual([]);
  });
});

describe('paginate', () => {
  it('cuts full blocks from the oldest, newest first within each, exactly like the feed archives', () => {
    const newestFirst = [7, 6, 5, 4, 3, 2, 1];
    expect(paginate(newestFirst, 3)).toEqual({
      latest: [7, 6, 5],
      blocks: [
        { number: 1, items: [3, 2, 1] },
        { number: 2, items: [6, 5, 4] },
      ],
    });
    // A block is published once an item newer than it exists: 6 items give one block, not two.
    expect(paginate([6, 5, 4, 3, 2, 1], 3).blocks).toHaveLength(1);
    expect(paginate([3, 2, 1], 3).blocks).toEqual([]);
    expect(paginate([], 3)).toEqual({ latest: [], blocks: [] });
    for (const count of [0, 1, 5, 6, 7, 30]) {
      const model = modelOf(count, 3);
      const archives = planFeeds({ ...model, config: { ...model.config, feeds: { limit: 3 } } }).filter((f) =>
        /^archive\//.test(f.dir),
      );
      expect(archives).toHaveLength(publishedBlockCount(count, 3));
    }
  });
});

describe('home page and its older pages', () => {
  it('shows the newest pageSize articles on index.html and links "Older articles" to the newest block', () => {
    const plans = htmlPlans(modelOf(7, 3));
    const home = plans.get('index.html');
    expect(titlesOf(home)).toEqual(['N7', 'N6', 'N5']);
    expect(home?.withHtml).toBe(false);
    expect(home?.phase).toBe('index');
    const html = home?.render() ?? '';
    expect(html).toMatch(
      /<a class="older" rel="next" href="https:\/\/news\.example\.com\/page\/2\/">Older articles/,
    );
    expect(html).not.toContain('Newer articles');
    expect(html).toContain('<link rel="canonical" href="https://news.example.com/">');
    expect(html).toContain('<link rel="alternate" type="application/rss+xml"');
    expect(html).not.toContain('/posts/n4/');
  });

  it('puts full blocks at page/<k>/, oldest first, each listing its block newest first with newer/older links', () => {
    const plans = htmlPlans(modelOf(7, 3));
    expect(listKeys(plans, '')).toEqual(['page/1/index.html', 'page/2/index.html']);
    expect(titlesOf(plans.get('page/1/index.html'))).toEqual(['N3', 'N2', 'N1']);
    expect(titlesOf(plans.get('page/2/index.html'))).toEqual(['N6', 'N5', 'N4']);
    const newest = plans.get('page/2/index.html')?.render() ?? '';
    expect(newest).toContain('<link rel="canonical" href="https://news.example.com/page/2/">');
    expect(newest).toMatch(/<a class="newer" rel="prev" href="https:\/\/news\.example\.com\/">/);
    expect(newest).toMatch(/<a class="older" rel="next" href="https:\/\/news\.example\.com\/page\/1\/">/);
    expect(newest.indexOf('/posts/n6/')).toBeLessThan(newest.indexOf('/posts/n4/'));
    const oldest = plans.get('page/1/index.html')?.render() ?? '';
    expect(oldest).toMatch(/<a class="newer" rel="prev" href="https:\/\/news\.example\.com\/page\/2\/">/);
    expect(oldest).not.toContain('class="older"');
  });

  it('has no pager and no block page while every article fits on the home page', () => {
    for (const count of [0, 1, 3]) {
      const plans = htmlPlans(modelOf(count, 3));
      expect(listKeys(plans, '')).toEqual([]);
      expect(titlesOf(plans.get('index.html'))).toHaveLength(count);
      expect(plans.get('index.html')?.render()).not.toContain('class="pager"');
    }
    expect(htmlPlans(modelOf(0, 3)).get('index.html')?.render()).toContain('No articles yet.');
  });

  it('defaults to 20 articles per page', () => {
    expect(defaultSiteConfig.pageSize).toBe(20);
    const plans = htmlPlans(modelOf(45, defaultSiteConfig.pageSize));
    expect(titlesOf(plans.get('index.html'))).toHaveLength(20);
    expect(listKeys(plans, '')).toEqual(['page/1/index.html', 'page/2/index.html']);
  });

  it('reaches every article from the home page by following links, for any count and page size', () => {
    for (const pageSize of [1, 2, 3, 5]) {
      for (let count = 0; count <= 4 * pageSize + 1; count++) {
        const model = modelOf(count, pageSize);
        const reached = crawl(htmlPlans(model), 'index.html');
        expect(reached, `${count} articles, ${pageSize} a page`).toEqual(
          new Set(model.articles.map((a) => a.url)),
        );
      }
    }
  });

  it('keeps a full block page byte for byte when a newer article is added; the last one changes only its "newer" link when the next block appears', () => {
    const rendered = (model: SiteModel) =>
      new Map(
        [...htmlPlans(model)]
          .filter(([key]) => /(^|\/)page\//.test(key))
          .map(([key, plan]) => [
            key,
            { html: plan.render(), articles: titlesOf(plan), dependsOn: plan.dependsOn },
          ]),
      );
    const before = rendered(modelOf(10, 3)); // blocks 1–3, N10 on the home page only
    const after = rendered(modelOf(11, 3)); // one newer article: same blocks
    expect([...after.keys()]).toEqual([...before.keys()]);
    for (const [key, page] of before) expect(after.get(key), key).toEqual(page);

    const next = rendered(modelOf(13, 3)); // N13 completes block 4
    expect(next.get('page/4/index.html')?.articles).toEqual(['N12', 'N11', 'N10']);
    const changed = [...before.keys()].filter((key) => next.get(key)?.html !== before.get(key)?.html);
    expect(changed.sort()).toEqual(['page/3/index.html', 'tags/europe/page/3/index.html']);
    expect(next.get('page/3/index.html')?.articles).toEqual(before.get('page/3/index.html')?.articles);
    expect(next.get('page/3/index.html')?.html).toContain(
      'href="https://news.example.com/page/4/"><span aria-hidden="true">←</span> Newer articles',
    );
  });
});

describe('tag pages and their older pages', () => {
  it("shows the tag's newest pageSize articles and full blocks of that tag at tags/<slug>/page/<k>/", () => {
    const plans = htmlPlans(modelOf(11, 2)); // paris: N2, N4, N6, N8, N10
    expect(titlesOf(plans.get('tags/paris/index.html'))).toEqual(['N10', 'N8']);
    expect(listKeys(plans, 'tags/paris/')).toEqual([
      'tags/paris/page/1/index.html',
      'tags/paris/page/2/index.html',
    ]);
    expect(titlesOf(plans.get('tags/paris/page/1/index.html'))).toEqual(['N4', 'N2']);
    expect(titlesOf(plans.get('tags/paris/page/2/index.html'))).toEqual(['N8', 'N6']);
    const page = plans.get('tags/paris/page/2/index.html')?.render() ?? '';
    expect(page).toContain('<link rel="canonical" href="https://news.example.com/tags/paris/page/2/">');
    expect(page).toContain('href="https://news.example.com/tags/paris/rss.xml"');
    expect(page).toMatch(/<a class="newer" rel="prev" href="https:\/\/news\.example\.com\/tags\/paris\/">/);
    expect(page).toMatch(
      /<a class="older" rel="next" href="https:\/\/news\.example\.com\/tags\/paris\/page\/1\/">/,
    );
    expect(plans.get('tags/paris/page/1/index.html')?.dependsOn).toContain('paris');
  });

  it('reaches every article of a tag, and only those, from its tag page', () => {
    for (const pageSize of [1, 2, 3]) {
      for (let count = 0; count <= 14; count++) {
        const model = modelOf(count, pageSize);
        const plans = htmlPlans(model);
        for (const tag of model.tags) {
          const reached = [...crawl(plans, `tags/${tag.slug}/index.html`)];
          // The crawl also follows the header's link home; the tag's own pages list only its articles.
          const tagged = model.articles
            .filter((a) => a.tags.some((t) => t.slug === tag.slug))
            .map((a) => a.url);
          expect(reached).toEqual(expect.arrayContaining(tagged));
          const ownPages = [...plans.keys()].filter((k) => k.startsWith(`tags/${tag.slug}/`));
          const listed = new Set(ownPages.flatMap((k) => plans.get(k)?.articles.map((a) => a.url) ?? []));
          expect(listed, `${tag.slug}, ${count} articles, ${pageSize} a page`).toEqual(new Set(tagged));
        }
      }
    }
  });
});

describe('incremental publishing of list pages', () => {
  const site = (count: number) =>
    new MemorySource({
      'site.yaml': 'title: Dispatch\ntimeZone: UTC\npageSize: 5\n',
      ...Object.fromEntries(Array.from({ length: count }, (_, i) => articleText(i + 1))),
    });
  const run = (source: MemorySource, store: MemoryStore, changedKeys?: string[]) =>
    publishSite({ source, store, logger: silentLogger, now: NOW, siteUrl: SITE_URL, changedKeys });

  it('writes the home page and no block page for a new article, then one new block and one changed link', async () => {
    const source = site(43); // blocks 1–8, N41–N43 on the home page only; "paris" has 21 articles, 4 blocks
    const store = new MemoryStore();
    await run(source, store);
    expect(store.objects.has('page/8/index.html')).toBe(true);
    expect(store.objects.has('page/9/index.html')).toBe(false);

    const add = (...numbers: number[]) =>
      numbers.map((i) => {
        const [key, text] = articleText(i);
        source.put(key, text);
        return key;
      });
    const added = await run(source, store, add(44));
    // Digests (the articles are dated in the past) aside.
    const html = (written: readonly string[]) =>
      written.filter((k) => k.endsWith('.html') && !k.startsWith('digests/')).sort();
    expect(html(added.written)).toEqual([
      'index.html',
      'posts/n44/index.html',
      'tags/europe/index.html',
      'tags/index.html',
      'tags/paris/index.html',
    ]);

    // 46 articles: block 9 (N41–N45) appears, and block 8 links "newer" to it.
    const report = await run(source, store, add(45, 46));
    expect(html(report.written).filter((k) => !k.startsWith('posts/'))).toEqual([
      'index.html',
      'page/8/index.html',
      'page/9/index.html',
      'tags/europe/index.html',
      'tags/europe/page/8/index.html',
      'tags/europe/page/9/index.html',
      'tags/index.html',
      'tags/paris/index.html',
    ]);
    expect(store.text('page/9/index.html')).toContain('/posts/n45/');
  });
});

describe('pageSize in site.yaml', () => {
  it('is optional and takes a whole number', () => {
    expect(parseSiteConfig('title: x\n').pageSize).toBe(20);
    expect(parseSiteConfig('pageSize: 7\n').pageSize).toBe(7);
  });

  it.each(['0', '2.5', '"ten"', '1001', ''])(
    'rejects pageSize: %s, naming site.yaml, the line and the fix',
    (value) => {
      let error: unknown;
      try {
        parseSiteConfig(`title: Dispatch\npageSize: ${value}\n`);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ConfigError);
      const message = (error as Error).message;
      expect(message).toContain(
        'site.yaml:2: pageSize: must be a whole number of articles per page, from 1 to 1000',
      );
      expect(message).toContain(
        '(write a whole number such as pageSize: 20, or remove the line to get the default, 20)',
      );
    },
  );
});
