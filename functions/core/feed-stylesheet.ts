import { ENGLISH_LABELS, type Labels } from './labels.ts';

/**
 * `feed.css`: how RSS and Atom documents look when a person opens them in a browser, through
 * `<?xml-stylesheet type="text/css"?>`. CSS rather than XSLT because Chromium is removing XSLT; CSS cannot
 * turn `<link>` text into anchors, so each item shows its address instead. It depends on the site's words
 * alone (the notice above the feed).
 */
const css = (notice: string) => `@namespace atom url(http://www.w3.org/2005/Atom);
@namespace content url(http://purl.org/rss/1.0/modules/content/);
@namespace dc url(http://purl.org/dc/elements/1.1/);
:root{color-scheme:light dark;background:#fffdf8;color:#1d1d1f}
@media (prefers-color-scheme:dark){:root{background:#161514;color:#ece8e1}}
rss,atom|feed{display:block;max-width:42rem;margin:0 auto;padding:1.5rem 1.25rem 4rem;font:1.125rem/1.6 Georgia,"Times New Roman",serif}
channel{display:block}
channel>*,item>*,atom|feed>*,atom|entry>*{display:none}
channel::before,atom|feed::before{display:block;margin-bottom:1.5rem;padding:.75rem 1rem;border:1px solid #c9bfae;border-radius:4px;font:.95rem/1.5 system-ui,sans-serif;content:${cssString(notice)}}
channel>title,atom|feed>atom|title{display:block;font-size:2rem;font-weight:bold;line-height:1.2;margin:.5rem 0}
channel>description,atom|feed>atom|subtitle{display:block;color:#777;margin-bottom:1.5rem}
item,atom|entry{display:block;padding:1rem 0;border-top:1px solid #c9bfae}
item>title,atom|entry>atom|title{display:block;font-size:1.3rem;font-weight:bold;line-height:1.3}
item>pubDate,atom|entry>atom|published{display:block;color:#777;font:.85rem system-ui,sans-serif}
item>description,atom|entry>atom|summary{display:block;margin:.3rem 0}
item>link{display:block;font:.85rem system-ui,sans-serif;color:#8a2c0d;overflow-wrap:anywhere}
atom|entry>atom|link[rel="alternate"]{display:block;font:.85rem system-ui,sans-serif;color:#8a2c0d;overflow-wrap:anywhere}
atom|entry>atom|link[rel="alternate"]::after{content:attr(href)}
`;

export function renderFeedStylesheet(labels: Labels = ENGLISH_LABELS): string {
  return css(labels.feedNotice);
}

/** A CSS string: a label from site.yaml may hold a quote, a backslash or a line break. */
function cssString(text: string): string {
  return `"${text.replace(/[\\"]/g, '\\$&').replace(/\r\n?|\n|\f/g, '\\A ')}"`;
}
