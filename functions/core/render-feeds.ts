import { FEED_FILES, type FeedSpec, mainFeedSpec } from './feed-spec.ts';
import { renderAtom } from './render-atom.ts';
import { renderJsonFeed } from './render-json-feed.ts';
import { renderRss } from './render-rss.ts';
import type { OutputPlan } from './render-site.ts';
import type { SiteModel } from './site-model.ts';

/** One feed in the three formats, at `dir` (`''` for the site's main feed). */
export function planFeed(spec: FeedSpec, dir: string): OutputPlan[] {
  const plan = (file: string, render: (s: FeedSpec) => string): OutputPlan => ({
    key: dir + file,
    articles: spec.items,
    withHtml: true,
    phase: 'index',
    render: () => render(spec),
  });
  return [
    plan(FEED_FILES.rss, renderRss),
    plan(FEED_FILES.atom, renderAtom),
    plan(FEED_FILES.json, renderJsonFeed),
  ];
}

/** Every feed document of the site: the main feed in three formats. */
export function renderFeeds(model: SiteModel): OutputPlan[] {
  return planFeed(mainFeedSpec(model), '');
}
