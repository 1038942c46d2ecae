/**
 * An upload that brings an article and its new cover image: the image's header is read before the model
 * is built, so that the model is built once, not once without the cover's size and again with it.
 */
import { describe, expect, it, vi } from 'vitest';
import * as siteModel from '../../functions/core/site-model.ts';
import { markdownArticle } from '../fixtures/articles.ts';
import { pngOfSize } from '../fixtures/images.ts';
import { MemorySource, MemoryStore, memoryRuns } from '../fixtures/memory.ts';

vi.mock('../../functions/core/site-model.ts', async (original) => {
  const actual = await original<typeof siteModel>();
  return { ...actual, buildSiteModel: vi.fn(actual.buildSiteModel) };
});

describe('an upload with a new cover image', () => {
  it('builds the model once, with the cover’s pixel size', async () => {
    const source = new MemorySource({
      'site.yaml': 'title: Dispatch\ntimeZone: Europe/Paris\n',
      'travel/2025-01-08-first.md': markdownArticle({ title: 'First', date: '2025-01-08' }, 'Before.\n'),
    });
    const store = new MemoryStore();
    const go = memoryRuns(source, store);
    await go();

    source.put(
      'travel/2025-01-10-trip.md',
      markdownArticle({ title: 'Trip', date: '2025-01-10', image: 'cover.png' }, 'The view.\n'),
    );
    source.put('travel/cover.png', pngOfSize(256, 256));
    const builds = vi.mocked(siteModel.buildSiteModel);
    builds.mockClear();
    await go(['travel/2025-01-10-trip.md', 'travel/cover.png']);
    expect(builds).toHaveBeenCalledTimes(1);
    const cover = /<img class="image"[^>]*>/.exec(store.text('digests/2025-W02/index.html'))?.[0];
    expect(cover).toMatch(/ width="256" height="256"/);

    // The same bytes as a cold build, which measures covers after its model.
    const cold = new MemoryStore();
    await go(undefined, cold, undefined);
    expect(cold.text('digests/2025-W02/index.html')).toBe(store.text('digests/2025-W02/index.html'));
  });
});
