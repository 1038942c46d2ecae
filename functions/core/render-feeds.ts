import { FEED_FILES, mainFeedSpec } from './feed-spec.ts';
import { renderAtom } from './render-atom.ts';
import { renderJsonFeed } from './render-json-feed.ts';
import { renderRss } from './render-rss.ts';
import type { Output } from './render-site.ts';
import type { SiteModel } from './site-model.ts';

/** Every feed document of the site: the main feed in three formats. */
export function renderFeeds(model: SiteModel): Output[] {
  const main = mainFeedSpec(model);
  return [
    { key: FEED_FILES.rss, body: renderRss(main) },
    { key: FEED_FILES.atom, body: renderAtom(main) },
    { key: FEED_FILES.json, body: renderJsonFeed(main) },
  ];
}
