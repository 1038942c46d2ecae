import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { articlesTagged } from '../../functions/core/feed-spec.ts';
import { markExtension } from '../../functions/core/memo.ts';
import { paginate } from '../../functions/core/paginate.ts';
import type { PublishedArticle, SiteModel } from '../../functions/core/site-model.ts';

const SLUGS = ['paris', 'rome', 'oslo'];
let serial = 0;
/** Just what pagination and the tag index read: identity and tags (a repeated slug on purpose). */
const item = (tagMask: number) =>
  ({
    n: serial++,
    tags: SLUGS.filter((_, i) => tagMask & (1 << i)).flatMap((slug) =>
      slug === 'rome'
        ? [
            { name: 'Rome', slug },
            { name: 'rome', slug },
          ]
        : [{ name: slug, slug }],
    ),
  }) as unknown as PublishedArticle;

const ids = (list: readonly PublishedArticle[]) => list.map((a) => (a as unknown as { n: number }).n);
const view = (paged: ReturnType<typeof paginate<PublishedArticle>>) => ({
  latest: ids(paged.latest),
  blocks: paged.blocks.map((b) => ({ number: b.number, items: ids(b.items) })),
});
/** Stable blocks as the docs define them: k-th `size` items from the oldest, once a newer item exists. */
const reference = (list: readonly PublishedArticle[], size: number) => {
  const oldestFirst = ids(list).reverse();
  const count = Math.floor(Math.max(0, list.length - 1) / size);
  return {
    latest: ids(list.slice(0, size)),
    blocks: Array.from({ length: count }, (_, i) => ({
      number: i + 1,
      items: oldestFirst.slice(i * size, (i + 1) * size).reverse(),
    })),
  };
};
const modelOf = (articles: readonly PublishedArticle[]) => ({ articles }) as unknown as SiteModel;

describe('pagination and tag lists of a list extended by newer items', () => {
  it('equal those of the same list built from scratch, and keep the older blocks', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 7 }),
        fc.array(fc.integer({ min: 0, max: 7 }), { maxLength: 40 }),
        fc.array(
          fc.record({
            added: fc.array(fc.integer({ min: 0, max: 7 }), { maxLength: 9 }),
            look: fc.boolean(),
          }),
          { minLength: 1, maxLength: 8 },
        ),
        (size, first, steps) => {
          let list: readonly PublishedArticle[] = first.map(item);
          for (const { added, look } of steps) {
            const older = list;
            // The last run paginated its list (or, sometimes, planned nothing from it).
            const olderPaged = look ? paginate(older, size) : undefined;
            // Newest first: the added items go in front.
            list = [...added.map(item).reverse(), ...older];
            markExtension(list, older);
            const paged = paginate(list, size);
            expect(view(paged)).toEqual(reference(list, size));
            for (const [k, block] of olderPaged?.blocks.entries() ?? []) expect(paged.blocks[k]).toBe(block);
            for (const slug of SLUGS) {
              const tagged = articlesTagged(modelOf(list), { name: slug, slug });
              const expected = list.filter((a) => a.tags.some((t) => t.slug === slug));
              expect(ids(tagged)).toEqual(ids(expected));
              // A tag list is itself an extension: its pages keep their blocks too.
              expect(view(paginate(tagged, size))).toEqual(reference(tagged, size));
            }
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
