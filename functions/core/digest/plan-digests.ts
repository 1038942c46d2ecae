import { FEED_FILES, type FeedSpec, mainFeedSpec } from '../feed-spec.ts';
import { articleCount, escapeLabelText, fillLabel, labelHtml, labelsOf } from '../labels.ts';
import { type AlternateFeed, formatDate, renderLayout } from '../layout.ts';
import { memoized } from '../memo.ts';
import { planFeed } from '../render-feeds.ts';
import { digestFiles, type RenderDocument } from '../render-job.ts';
import type { OutputPlan } from '../render-site.ts';
import type { PublishedArticle, SiteModel } from '../site-model.ts';
import { escapeHtml } from '../text.ts';
import {
  buildDigests,
  DIGEST_FILES,
  DIGESTS_DIR,
  type Digest,
  LATEST_DIR,
  UNSUBSCRIBE_DIR,
} from './digest-model.ts';

/** A digest output: `digestPeriod` names the period whose digest it shows (for freezing sent digests). */
export interface DigestPlan extends OutputPlan {
  readonly digestPeriod?: string;
}

/**
 * Every digest output at `now`: for each finished period with articles `digests/<period>/index.html`,
 * `digest.txt` and `digest.eml`; the newest again under `digests/latest/`; `digests/index.html`; the
 * unsubscribe page; and a feed of the digests. Without `now` (or without a finished period) nothing:
 * which periods are finished is the only thing `now` decides.
 */
export function planDigests(model: SiteModel, now?: Date): DigestPlan[] {
  if (!now) return [];
  const digests = buildDigests(model, now);
  const newestDigest = digests[0];
  if (!newestDigest) return [];
  const everyArticle = digests.flatMap((d) => d.articles);
  return [
    ...digests.flatMap((digest) => planOneDigest(model, digest, digest.dir)),
    ...planOneDigest(model, newestDigest, LATEST_DIR),
    {
      key: `${DIGESTS_DIR}index.html`,
      articles: everyArticle,
      withHtml: false,
      phase: 'index',
      dependsOn: digests.map((d) => d.period.key).join('\n'),
      render: () => renderDigestIndex(model, digests),
    },
    {
      key: `${UNSUBSCRIBE_DIR}index.html`,
      articles: [],
      withHtml: false,
      phase: 'index',
      render: () => renderUnsubscribePage(model),
    },
    ...planDigestFeed(model, digests),
  ];
}

/**
 * A digest's plans render from the digest alone (and the site configuration it was built with): the same
 * Digest object (see buildDigests' memo) gets the same plans, so a warm process does not rebuild hundreds.
 */
function planOneDigest(model: SiteModel, digest: Digest, dir: string): DigestPlan[] {
  return memoized(plansOf, digest, dir, () => makeDigestPlans(model, digest, dir));
}
const plansOf = new WeakMap<Digest, Map<string, DigestPlan[]>>();

function makeDigestPlans(model: SiteModel, digest: Digest, dir: string): DigestPlan[] {
  const document: RenderDocument = {
    kind: 'digest',
    site: { config: model.config, siteUrl: model.siteUrl },
    digest,
  };
  const files = digestFiles(document);
  return Object.values(DIGEST_FILES).map(
    (file): DigestPlan => ({
      key: dir + file,
      articles: digest.articles,
      withHtml: false,
      phase: 'index',
      dependsOn: digest.period.key,
      digestPeriod: digest.period.key,
      render: files[file],
      job: { document, file },
    }),
  );
}

function renderDigestIndex(model: SiteModel, digests: readonly Digest[]): string {
  const { config, siteUrl } = model;
  const labels = labelsOf(config);
  const e = escapeHtml;
  const items = digests
    .map(
      (d) => `<li>
<p class="meta"><time datetime="${d.period.start.toISOString()}">${e(d.label)}</time> · ${escapeLabelText(articleCount(labels, d.articles.length))}</p>
<h2><a href="${e(d.webUrl)}">${e(d.articles.map((a) => a.title).join(' · '))}</a></h2>
</li>`,
    )
    .join('\n');
  const feeds = `<a href="${e(siteUrl + DIGESTS_DIR + FEED_FILES.rss)}">RSS</a>, <a href="${e(siteUrl + DIGESTS_DIR + FEED_FILES.atom)}">Atom</a>, <a href="${e(siteUrl + DIGESTS_DIR + FEED_FILES.json)}">JSON Feed</a>`;
  const intro = labelHtml(labels.digestsIntro, {
    site: e(config.title),
    cadence: escapeLabelText(labels[config.digest.cadence]),
    feeds,
  });
  const body = `<h1>${escapeLabelText(labels.digestsTitle)}</h1>
<p>${intro}</p>
<ol class="articles">
${items}
</ol>`;
  return renderLayout(model, {
    title: `${labels.digestsTitle} · ${config.title}`,
    canonicalUrl: siteUrl + DIGESTS_DIR,
    body,
    extraFeeds: [digestFeedLinks(model)],
  });
}

function renderUnsubscribePage(model: SiteModel): string {
  const { config, siteUrl } = model;
  const labels = labelsOf(config);
  const e = escapeHtml;
  // A static page cannot know who is asking: the working unsubscribe link is the personal one each sent
  // digest carries (added by Amazon SES, which then stops sending to that address).
  const body = `<h1>${escapeLabelText(labels.unsubscribe)}</h1>
<p>${labelHtml(labels.unsubscribeText, { site: e(config.title) })}</p>
<p>${escapeLabelText(labels.unsubscribeHelp)}</p>
<p><a href="${e(siteUrl + DIGESTS_DIR)}">${escapeLabelText(labels.pastDigests)}</a></p>`;
  return renderLayout(model, {
    title: `${labels.unsubscribe} · ${config.title}`,
    canonicalUrl: siteUrl + UNSUBSCRIBE_DIR,
    body,
  });
}

/** The digests' feed in its three formats. */
export function digestFeedLinks(model: SiteModel): AlternateFeed {
  const base = model.siteUrl + DIGESTS_DIR;
  return {
    title: fillLabel(labelsOf(model.config).digestsFeedTitle, { site: model.config.title }),
    rss: base + FEED_FILES.rss,
    atom: base + FEED_FILES.atom,
    json: base + FEED_FILES.json,
  };
}

/**
 * The digests as a feed (`digests/rss.xml`, `atom.xml`, `feed.json`) through the site's own feed renderers:
 * each digest becomes one item whose content is its list of articles. The spec starts from the main feed's
 * so it gets every field the renderers need; the plans list the real articles they show.
 */
function planDigestFeed(model: SiteModel, digests: readonly Digest[]): DigestPlan[] {
  const { config } = model;
  const shown = digests.slice(0, config.feeds.limit);
  const items = shown.map((d) => digestAsFeedItem(model, d));
  const links = digestFeedLinks(model);
  const spec: FeedSpec = {
    ...mainFeedSpec(model),
    title: links.title,
    description: fillLabel(labelsOf(config).digestsFeedDescription, {
      cadence: labelsOf(config)[config.digest.cadence],
      site: config.title,
    }),
    homeUrl: model.siteUrl + DIGESTS_DIR,
    links: { rss: links.rss, atom: links.atom, json: links.json },
    updated: new Date(Math.max(0, ...items.map((i) => i.updated.getTime()))),
    items,
    prevArchive: undefined,
    current: undefined,
    // Digests are no episodes.
    podcast: undefined,
  };
  const articles = shown.flatMap((d) => d.articles);
  const dependsOn = shown.map((d) => d.period.key).join('\n');
  return planFeed(spec, DIGESTS_DIR).map((plan) => ({ ...plan, articles, withHtml: false, dependsOn }));
}

/** A digest in the shape the feed renderers take: id and link are the web version's URL. */
function digestAsFeedItem(model: SiteModel, digest: Digest): PublishedArticle {
  let item = feedItems.get(digest);
  if (!item) {
    item = makeFeedItem(model, digest);
    feedItems.set(digest, item);
  }
  return item;
}
/** The same object for the same digest: the feed renderers cache what they make of an item by identity. */
const feedItems = new WeakMap<Digest, PublishedArticle>();

function makeFeedItem(model: SiteModel, digest: Digest): PublishedArticle {
  const e = escapeHtml;
  const html = `<ul>\n${digest.articles
    .map(
      (a) =>
        `<li><a href="${e(a.url)}">${e(a.title)}</a> (${e(formatDate(a.published, model))})<br>${e(a.summaryText)}</li>`,
    )
    .join('\n')}\n</ul>`;
  const updated = new Date(
    Math.max(digest.date.getTime(), ...digest.articles.map((a) => a.updated.getTime())),
  );
  return {
    sourceKey: digest.dir,
    id: digest.webUrl,
    slug: digest.period.key,
    title: `${model.config.title}: ${digest.label}`,
    published: digest.date,
    updated,
    tags: [],
    draft: false,
    bodyHtml: html,
    pageKey: digest.dir + DIGEST_FILES.html,
    url: digest.webUrl,
    html,
    summaryText: digest.articles.map((a) => a.title).join(' · '),
  };
}
