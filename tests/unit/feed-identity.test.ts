import { describe, expect, it } from 'vitest';
import { mainFeedSpec } from '../../functions/core/feed-spec.ts';
import { renderAtom } from '../../functions/core/render-atom.ts';
import { renderJsonFeed } from '../../functions/core/render-json-feed.ts';
import { renderRss } from '../../functions/core/render-rss.ts';
import { buildSiteModel, type PublishedArticle } from '../../functions/core/site-model.ts';
import { markdownArticle, NOW, SITE_URL } from '../fixtures/articles.ts';
import { baseConfig, parsed } from '../fixtures/site.ts';

const publish = (key: string, text: string): PublishedArticle => {
  const article = buildSiteModel([parsed(key, text)], baseConfig, SITE_URL, NOW).model.articles[0];
  if (!article) throw new Error('not published');
  return article;
};

describe('stable identity', () => {
  const original = publish('2025-01-10-visit.md', markdownArticle({ title: 'Visit' }, 'First text.\n'));

  it('keeps a derived id when the text, the title or the time of day change', () => {
    expect(publish('2025-01-10-visit.md', markdownArticle({ title: 'Visit' }, 'Edited text.\n')).id).toBe(
      original.id,
    );
    expect(publish('2025-01-10-visit.md', markdownArticle({ title: 'A new title' })).id).toBe(original.id);
    expect(
      publish('2025-01-10-visit.md', markdownArticle({ title: 'Visit', date: '2025-01-10T18:00' })).id,
    ).toBe(original.id);
  });

  it('keeps the id across a rename when the front matter gives an id or a slug', () => {
    const withId = (key: string) => publish(key, markdownArticle({ title: 'Visit', id: 'paris-visit-2025' }));
    expect(withId('2025-01-10-visit.md').id).toBe(withId('drafts/renamed.md').id);
    const withSlug = (key: string) => publish(key, markdownArticle({ title: 'Visit', slug: 'visit' }));
    expect(withSlug('renamed-again.md').id).toBe(original.id);
  });

  it('moves updated, never published, when the author marks an edit', () => {
    const edited = publish(
      '2025-01-10-visit.md',
      markdownArticle({ title: 'Visit', updated: '2025-02-03T09:00:00Z' }, 'Edited text.\n'),
    );
    expect(edited.id).toBe(original.id);
    expect(edited.published).toEqual(original.published);
    expect(edited.updated.toISOString()).toBe('2025-02-03T09:00:00.000Z');
    const spec = (a: PublishedArticle) => mainFeedSpec({ ...buildModelOf(a) });
    const before = renderAtom(spec(original));
    const after = renderAtom(spec(edited));
    expect(after).toContain('<updated>2025-02-03T09:00:00.000Z</updated>');
    expect(after).toContain(`<published>${original.published.toISOString()}</published>`);
    expect(before).not.toContain('2025-02-03');
    expect(renderRss(spec(edited))).toContain(`<pubDate>${original.published.toUTCString()}</pubDate>`);
    const item = JSON.parse(renderJsonFeed(spec(edited))).items[0];
    expect([item.date_published, item.date_modified]).toEqual([
      original.published.toISOString(),
      '2025-02-03T09:00:00.000Z',
    ]);
  });

  it('uses one id string for the RSS guid, Atom id and JSON Feed id', () => {
    const spec = mainFeedSpec(buildModelOf(original));
    expect(renderRss(spec)).toContain(`<guid isPermaLink="false">${original.id}</guid>`);
    expect(renderAtom(spec)).toContain(`<id>${original.id}</id>`);
    expect(JSON.parse(renderJsonFeed(spec)).items[0].id).toBe(original.id);
  });
});

function buildModelOf(article: PublishedArticle) {
  const model = buildSiteModel([], baseConfig, SITE_URL, NOW).model;
  return { ...model, articles: [article], updated: article.updated };
}
