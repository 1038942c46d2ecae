import { FEED_FILES, FEED_STYLESHEET_KEY, type FeedSpec, OPML_KEY, planFeeds } from './feed-spec.ts';
import { renderFeedStylesheet } from './feed-stylesheet.ts';
import { labelsOf } from './labels.ts';
import type { AlternateFeed } from './layout.ts';
import { memoized } from './memo.ts';
import { type RenderJob, renderJob } from './render-job.ts';
import { renderOpml } from './render-opml.ts';
import type { OutputPlan } from './render-site.ts';
import { planTagPages } from './render-tag-page.ts';
import { planTopicsPage } from './render-topics-page.ts';
import type { SiteModel } from './site-model.ts';

/**
 * One feed document in the three formats, at `dir` (`''` for the site's main feed). The plans render from
 * the spec alone, so the same spec object (see `planFeeds`' memo) gets the same plans back.
 */
export function planFeed(spec: FeedSpec, dir: string): OutputPlan[] {
  return memoized(plansOf, spec, dir, () => makeFeedPlans(spec, dir));
}
const plansOf = new WeakMap<FeedSpec, Map<string, OutputPlan[]>>();

function makeFeedPlans(spec: FeedSpec, dir: string): OutputPlan[] {
  // Links to other documents (prev-archive) depend on how many articles exist, not only on the items.
  const dependsOn = [spec.title, spec.prevArchive?.atom ?? '', spec.current?.atom ?? ''].join('\n');
  const document = { kind: 'feed', spec } as const;
  return Object.values(FEED_FILES).map((file): OutputPlan => {
    const job: RenderJob = { document, file };
    return {
      key: dir + file,
      articles: spec.items,
      withHtml: true,
      phase: 'index',
      dependsOn,
      render: () => renderJob(job),
      job,
    };
  });
}

/**
 * Every feed document of the site: the main feed and one per tag, each in three formats with its
 * RFC 5005 archive pages; the tag pages with their older pages and the topics page; `feeds.opml` (which lists `digestFeed` too,
 * once there is one); and `feed.css`, which makes feeds readable in a browser.
 */
export function renderFeeds(model: SiteModel, digestFeed?: AlternateFeed): OutputPlan[] {
  const tagNames = model.tags.map((t) => `${t.slug}\t${t.name}`).join('\n');
  return [
    ...planFeeds(model).flatMap(({ spec, dir }) => planFeed(spec, dir)),
    ...model.tags.flatMap((tag) => planTagPages(model, tag)),
    ...planTopicsPage(model),
    {
      key: OPML_KEY,
      articles: [],
      withHtml: false,
      phase: 'index',
      dependsOn: digestFeed ? `${digestFeed.rss}\n${tagNames}` : tagNames,
      render: () => renderOpml(model, digestFeed),
    },
    {
      key: FEED_STYLESHEET_KEY,
      articles: [],
      withHtml: false,
      phase: 'index',
      render: () => renderFeedStylesheet(labelsOf(model.config)),
    },
  ];
}
