/**
 * Stable pagination, shared by RFC 5005 feed archives and the HTML list pages (home, tags): block k holds
 * the k-th `size` items counted from the OLDEST, and is published once more than k × size items exist. A
 * published block is therefore full, and a newer item never changes which items it holds; the newest
 * `size` items (the subscription feed, the home page) always include those after the last block.
 */

import type { Pager } from './layout.ts';
import { olderPartOf } from './memo.ts';
import type { OutputPlan } from './render-site.ts';
import { type PublishedArticle, sameMembers } from './site-model.ts';

/** One published block: number k (1 = oldest) and its items, newest first. */
export interface Block<T> {
  readonly number: number;
  readonly items: readonly T[];
}

/** A list cut into stable blocks. */
export interface Paged<T> {
  /** The newest `size` items, newest first (the feed itself, the home page, a tag page). */
  readonly latest: readonly T[];
  /** Every published block, oldest (1) first. */
  readonly blocks: readonly Block<T>[];
}

/** How many blocks of `size` are published when `total` items exist: those with a newer item after them. */
export function publishedBlockCount(total: number, size: number): number {
  return Math.floor(Math.max(0, total - 1) / size);
}

/**
 * Cuts `newestFirst` into the newest `size` items and the published blocks. The same list gives the same
 * result, and a list marked as an extension of an older one (see `markExtension`) keeps the older list's
 * blocks, the same objects, so planners memoised on them find them again after an upload.
 */
export function paginate<T>(newestFirst: readonly T[], size: number): Paged<T> {
  const known = pagedLists.get(newestFirst)?.get(size);
  if (known) return known as Paged<T>;
  const total = newestFirst.length;
  const older = olderPartOf(newestFirst);
  const kept = older
    ? (pagedLists.get(older)?.get(size)?.blocks as readonly Block<T>[] | undefined)
    : undefined;
  const blocks: Block<T>[] = kept ? [...kept] : [];
  for (let k = blocks.length + 1; k <= publishedBlockCount(total, size); k++) {
    // Block k is oldest-first positions [(k-1)·size, k·size); in the newest-first list it ends at total-(k-1)·size.
    blocks.push({ number: k, items: newestFirst.slice(total - k * size, total - (k - 1) * size) });
  }
  const paged: Paged<T> = { latest: newestFirst.slice(0, size), blocks };
  const bySize = pagedLists.get(newestFirst) ?? new Map<number, Paged<unknown>>();
  pagedLists.set(newestFirst, bySize);
  bySize.set(size, paged);
  return paged;
}
const pagedLists = new WeakMap<readonly unknown[], Map<number, Paged<unknown>>>();

/** The folder of block page k of a list whose first page lives in `listDir` (`''`, `tags/paris/`). */
export const blockPageDir = (listDir: string, k: number) => `${listDir}page/${k}/`;

/** One page of a paginated article list: the first page (home, tag page) or a block page. */
export interface ListPage {
  /** `${dir}index.html` for the first page, `${dir}page/<k>/index.html` for block k. */
  readonly key: string;
  /** Canonical URL. */
  readonly url: string;
  /** The block number; undefined on the first page. */
  readonly block?: number;
  /** Exactly what the page lists, newest first. */
  readonly articles: readonly PublishedArticle[];
  readonly pager: Pager;
}

/**
 * The pages of an article list whose first page lives in `dir`: the first page shows the newest `size`
 * articles and links "older" to the newest block; block k links "older" to k - 1 and "newer" to k + 1,
 * or to the first page from the newest block. Following "older" from the first page reaches every article.
 */
export function listPages(
  siteUrl: string,
  dir: string,
  newestFirst: readonly PublishedArticle[],
  size: number,
): { first: ListPage; blocks: ListPage[] } {
  const { latest, blocks } = paginate(newestFirst, size);
  const blockUrl = (k: number) => siteUrl + blockPageDir(dir, k);
  return {
    first: {
      key: `${dir}index.html`,
      url: siteUrl + dir,
      articles: latest,
      pager: { older: blocks.length > 0 ? blockUrl(blocks.length) : undefined },
    },
    blocks: blocks.map(({ number: k, items }) => ({
      key: `${blockPageDir(dir, k)}index.html`,
      url: blockUrl(k),
      block: k,
      articles: items,
      pager: {
        newer: k === blocks.length ? siteUrl + dir : blockUrl(k + 1),
        older: k > 1 ? blockUrl(k - 1) : undefined,
      },
    })),
  };
}

/**
 * One plan per list page. A page's plan names exactly its own articles, so a block page is rendered again
 * only when its block or its links change (its "newer" link moves once, when the next block appears).
 * `dependsOn` is what every page shows besides its articles (a tag's name).
 */
export function planListPages(
  pages: { first: ListPage; blocks: readonly ListPage[] },
  dependsOn: string,
  render: (page: ListPage) => string,
  inputs: string,
  /** What the first page alone also shows (the home page's list of every feed). */
  firstDependsOn?: string,
): OutputPlan[] {
  return [...pages.blocks, pages.first].map((page): OutputPlan => {
    const own = page === pages.first && firstDependsOn !== undefined ? [firstDependsOn] : [];
    const pageDependsOn = [dependsOn, ...own, page.pager.newer ?? '', page.pager.older ?? ''].join('\n');
    // `render` must depend on nothing but the page, `dependsOn` and `inputs` (site URL and configuration):
    // then the same page under the same inputs gets its plan of an earlier run back (a warm process).
    const memoKey = `${inputs}${page.key}\n${pageDependsOn}`;
    const known = listPlans.get(memoKey);
    if (known && sameMembers(known.articles, page.articles)) return known;
    const plan: OutputPlan = {
      key: page.key,
      articles: page.articles,
      withHtml: false,
      phase: 'index',
      dependsOn: pageDependsOn,
      render: () => render(page),
    };
    if (listPlans.size >= MAX_LIST_PLANS) listPlans.clear();
    listPlans.set(memoKey, plan);
    return plan;
  });
}
const listPlans = new Map<string, OutputPlan>();
const MAX_LIST_PLANS = 20_000;
