/**
 * WebSub (W3C, formerly PubSubHubbub): with `feeds.hub` set, every subscription feed names the hub, and
 * after a run the publisher tells the hub which of them changed, so readers subscribed through it (Feedly,
 * Inoreader, NewsBlur…) get a new article in seconds instead of at their next poll. Archive pages never
 * change once written and name no hub.
 */

/** Tells a hub that feeds changed (the publish ping: `hub.mode=publish`, one `hub.url` per feed). */
export interface HubNotifier {
  publish(hub: string, feedUrls: readonly string[]): Promise<void>;
}

const FEED_FILE = /(^|\/)(rss\.xml|atom\.xml|feed\.json)$/;
const ARCHIVE_PAGE = /(^|\/)archive\/\d+\/[^/]+$/;

/** The subscription feeds among the keys a run wrote, as absolute URLs, in order. */
export function changedFeedUrls(written: readonly string[], siteUrl: string): string[] {
  return written.filter((key) => FEED_FILE.test(key) && !ARCHIVE_PAGE.test(key)).map((key) => siteUrl + key);
}

/** The form body of a publish ping (the hub reads it as `application/x-www-form-urlencoded`). */
export function publishPingBody(feedUrls: readonly string[]): string {
  const form = new URLSearchParams({ 'hub.mode': 'publish' });
  for (const url of feedUrls) form.append('hub.url', url);
  return form.toString();
}
