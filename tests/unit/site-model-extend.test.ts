import { describe, expect, it } from 'vitest';
import type { ParsedArticle } from '../../functions/core/parse-article.ts';
import {
  buildSiteModel,
  type LastModel,
  type PublishedMemo,
  type RememberedArticle,
} from '../../functions/core/site-model.ts';
import { markdownArticle } from '../fixtures/articles.ts';
import { baseConfig, parsed } from '../fixtures/site.ts';

const SITE_URL = 'https://news.example.com/';
const START = Date.parse('2025-03-01T12:00:00Z');
const hour = 3600_000;

/** An article `hours` after START: colliding slugs, ids and tag spellings on purpose. */
function article(n: number, hours: number, extra: Record<string, string> = {}): ParsedArticle {
  const date = new Date(START + hours * hour).toISOString();
  return parsed(
    `2025-article-${n}.md`,
    markdownArticle(
      {
        title: `"Story ${n % 4}"`,
        date,
        slug: `story-${n % 5}`,
        tags: n % 2 ? '[Paris, europe]' : '[paris]',
        ...extra,
      },
      `Body ${n} with [a link](../story-${n + 1}/).\n`,
    ),
  );
}

/** The memo as the publisher gives it: one version object per article, kept from run to run. */
function memoFor(versions: Map<ParsedArticle, object>): PublishedMemo {
  return {
    published: new WeakMap<ParsedArticle, RememberedArticle>(),
    versionOf: (a) => versions.get(a),
    last: {} as { current?: LastModel },
  };
}

// Bodies as a warm process has them: loaded lazily, with a version.
const bodyFor = (a: ParsedArticle) => ({
  html: () => a.bodyHtml,
  summaryText: a.summary ?? 'x',
  version: 'v',
});

const view = (result: ReturnType<typeof buildSiteModel>) => ({
  model: {
    ...result.model,
    articles: result.model.articles.map((a) => ({ ...a, html: a.html })),
  },
  heldBack: [...result.heldBack].sort((a, b) => (a.file < b.file ? -1 : 1)),
  warnings: result.warnings,
});

describe('buildSiteModel extending its last model', () => {
  it('adds newer articles to the last model exactly as a build from scratch would place them', () => {
    const versions = new Map<ParsedArticle, object>();
    const memo = memoFor(versions);
    const given: ParsedArticle[] = [];
    const add = (a: ParsedArticle) => {
      given.push(a);
      versions.set(a, {});
    };
    for (let n = 0; n < 12; n++) add(article(n, n));
    // A draft and an article scheduled for later are held back, and stay so.
    add(article(100, 1, { draft: 'true' }));
    add(article(101, 500));
    let now = new Date(START + 100 * hour);
    buildSiteModel(given, baseConfig, SITE_URL, now, bodyFor, memo);

    let carriedSteps = 0;
    for (let step = 0; step < 6; step++) {
      // One to three newer articles: their slugs and ids collide with older ones, tags change spelling.
      for (let k = 0; k <= step % 3; k++) add(article(200 + step * 3 + k, 20 + step * 5 + k));
      now = new Date(now.getTime() + hour);
      const warm = buildSiteModel(given, baseConfig, SITE_URL, now, bodyFor, memo);
      const cold = buildSiteModel(given, baseConfig, SITE_URL, now, bodyFor);
      expect(view(warm), `step ${step}`).toEqual(view(cold));
      if (warm.carried > 0) carriedSteps++;
    }
    expect(carriedSteps).toBe(6);

    // The scheduled article's date comes: a build from scratch, with the same result.
    now = new Date(START + 600 * hour);
    const due = buildSiteModel(given, baseConfig, SITE_URL, now, bodyFor, memo);
    expect(due.carried).toBe(0);
    expect(view(due)).toEqual(view(buildSiteModel(given, baseConfig, SITE_URL, now, bodyFor)));
  });

  it('builds from scratch when an older article is added, one is removed, or one changed version', () => {
    const versions = new Map<ParsedArticle, object>();
    const memo = memoFor(versions);
    const given = Array.from({ length: 8 }, (_, n) => article(n, n * 10));
    for (const a of given) versions.set(a, {});
    const now = new Date(START + 200 * hour);
    buildSiteModel(given, baseConfig, SITE_URL, now, bodyFor, memo);

    const older = article(50, 5);
    versions.set(older, {});
    const withOlder = [...given, older];
    const a = buildSiteModel(withOlder, baseConfig, SITE_URL, now, bodyFor, memo);
    expect(a.carried).toBe(0);
    expect(view(a)).toEqual(view(buildSiteModel(withOlder, baseConfig, SITE_URL, now, bodyFor)));

    const fewer = withOlder.slice(1);
    const b = buildSiteModel(fewer, baseConfig, SITE_URL, now, bodyFor, memo);
    expect(b.carried).toBe(0);
    expect(view(b)).toEqual(view(buildSiteModel(fewer, baseConfig, SITE_URL, now, bodyFor)));

    versions.set(fewer[2] as ParsedArticle, {});
    const newer = article(60, 150);
    versions.set(newer, {});
    const c = buildSiteModel([...fewer, newer], baseConfig, SITE_URL, now, bodyFor, memo);
    expect(c.carried).toBe(0);

    // Nothing changed since: the whole last model is carried over.
    const d = buildSiteModel([...fewer, newer], baseConfig, SITE_URL, now, bodyFor, memo);
    expect(d.carried).toBe(fewer.length + 1);
    expect(d.model.articles).toEqual(c.model.articles);
  });
});
