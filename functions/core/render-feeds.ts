import { FEED_FILES, FEED_STYLESHEET_KEY, type FeedSpec, OPML_KEY, planFeeds } from './feed-spec.ts';
import { renderFeedStylesheet } from './feed-stylesheet.ts';
import { renderAtom } from './render-atom.ts';
import { renderJsonFeed } from './render-json-feed.ts';
import { renderOpml } from './render-opml.ts';
import { renderRss } from './render-rss.ts';
import type { OutputPlan, RenderJob } from './render-site.ts';
import { planTagPages } from './render-tag-page.ts';
import type { SiteModel } from './site-model.ts';

/** One feed document in the three formats, at `dir` (`''` for the site's main feed). */
export function planFeed(spec: FeedSpec, dir: string): OutputPlan[] {
  // Links to other documents (prev-archive) depend on how many articles exist, not only on the items.
  const dependsOn = [spec.title, spec.prevArchive?.atom ?? '', spec.current?.atom ?? ''].join('\n');
  const plan = (format: RenderJob['format']): OutputPlan => {
    const job: RenderJob = { kind: 'feed', format, spec };
    return {
      key: dir + FEED_FILES[format],
      articles: spec.items,
      withHtml: true,
      phase: 'index',
      dependsOn,
      render: () => renderJob(job),
      job,
    };
  };
  return [plan('rss'), plan('atom'), plan('json')];
}

/** Renders a job, on whichever thread has it. */
export function renderJob(job: RenderJob): string {
  switch (job.format) {
    case 'rss':
      return renderRss(job.spec);
    case 'atom':
      return renderAtom(job.spec);
    case 'json':
      return renderJsonFeed(job.spec);
  }
}

/**
 * Every feed document of the site: the main feed and one per tag, each in three formats with its
 * RFC 5005 archive pages; the tag pages with their older pages; `feeds.opml`; and `feed.css`, which makes feeds readable in a browser.
 */
export function renderFeeds(model: SiteModel): OutputPlan[] {
  const tagNames = model.tags.map((t) => `${t.slug}\t${t.name}`).join('\n');
  return [
    ...planFeeds(model).flatMap(({ spec, dir }) => planFeed(spec, dir)),
    ...model.tags.flatMap((tag) => planTagPages(model, tag)),
    {
      key: OPML_KEY,
      articles: [],
      withHtml: false,
      phase: 'index',
      dependsOn: tagNames,
      render: () => renderOpml(model),
    },
    {
      key: FEED_STYLESHEET_KEY,
      articles: [],
      withHtml: false,
      phase: 'index',
      render: renderFeedStylesheet,
    },
  ];
}
