import juice from 'juice';
import {
  articleCount,
  ENGLISH_LABELS,
  escapeLabelText,
  fillLabel,
  type Labels,
  labelHtml,
  labelsOf,
} from '../labels.ts';
import { formatDate } from '../layout.ts';
import type { SiteModel } from '../site-model.ts';
import { enclosureDetails, escapeHtml, textDirection, truncateWords } from '../text.ts';
import type { Digest } from './digest-model.ts';

/**
 * Mail clients drop <head> styles, ignore flexbox and most selectors: the layout is nested tables, the CSS
 * is inlined by juice, and the only rules left in <style> are the phone media query (clients that keep it
 * use it, the others still get a fluid 600 px column).
 */
const CSS = `
body{margin:0;padding:0;background:#f4f1ea;-webkit-text-size-adjust:100%;-ms-text-size-adjust:100%}
table{border-collapse:collapse}
.outer{width:100%;background:#f4f1ea}
.container{width:100%;max-width:600px;background:#fffdf8;border:1px solid #e4ddd0}
.header{padding:24px 24px 16px;font-family:Georgia,'Times New Roman',serif;color:#1d1d1f;border-bottom:2px solid #1d1d1f}
.masthead{font-size:26px;line-height:1.2;font-weight:bold;color:#1d1d1f;text-decoration:none}
.label{margin:6px 0 0;font-family:-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;font-size:14px;line-height:1.4;color:#5f6368}
.label a{color:#5f6368}
.period{display:inline;margin:0;font:inherit}
.item{padding:22px 24px;border-bottom:1px solid #e4ddd0;font-family:Georgia,'Times New Roman',serif;color:#1d1d1f;word-break:break-word;overflow-wrap:anywhere}
.image{display:block;width:100%;height:auto;border:0;margin:0 0 14px}
.image-unsized{width:auto;max-width:100%}
.meta{margin:0 0 6px;font-family:-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;font-size:13px;line-height:1.4;color:#5f6368}
.title{margin:0 0 8px;font-size:22px;line-height:1.3;font-weight:bold}
.title a{color:#1d1d1f;text-decoration:none}
.summary{margin:0 0 10px;font-size:17px;line-height:1.55}
.enclosure{margin:0 0 10px;font-family:-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;font-size:15px}
.enclosure a{color:#8a2c0d}
.more{margin:0;font-family:-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;font-size:15px;font-weight:bold}
.more a{color:#8a2c0d}
.footer{padding:20px 24px 28px;font-family:-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;font-size:13px;line-height:1.5;color:#5f6368;word-break:break-word}
.footer a{color:#5f6368}
@media only screen and (max-width:620px){
.container{border-left:0 !important;border-right:0 !important}
.header,.item,.footer{padding-left:16px !important;padding-right:16px !important}
.title{font-size:20px !important}
}
`.trim();

// Fills the inbox preview after the preheader, so clients do not pull "View in your browser" into it.
const PREVIEW_FILLER = '&#847;&zwnj;&nbsp;'.repeat(40);

export type DigestHtmlVariant = 'email' | 'web';

/** The column's width inside the container's padding: no image is shown wider. */
const COLUMN_PX = 552;

const JUICE_OPTIONS = {
  preserveMediaQueries: true,
  removeStyleTags: true,
  preserveImportant: true,
  // The markup sets an image's width and height attributes: juice would copy CSS `auto` into them (not a
  // valid value), and the tables carry their widths already.
  applyWidthAttributes: false,
  applyHeightAttributes: false,
  applyAttributesTableElements: true,
} as const;

/** What a digest shows, every value already HTML-escaped (or, in the template, a slot). */
interface DigestValues {
  readonly language: string;
  /** `rtl` for a site in Arabic, Hebrew…: said on the html and the container (clients drop the html's). */
  readonly dir: string;
  readonly subject: string;
  readonly webUrl: string;
  readonly siteTitle: string;
  readonly digestFeedUrl: string;
  readonly preheader: string;
  readonly siteUrl: string;
  readonly label: string;
  readonly count: string;
  readonly unsubscribeUrl: string;
  readonly pastDigestsUrl: string;
  // The site's words (`labels.ts`), as HTML.
  readonly viewInBrowser: string;
  readonly digestsFeedTitle: string;
  readonly footer: string;
  readonly unsubscribe: string;
  readonly pastDigests: string;
  readonly items: readonly ItemValues[];
}

interface ItemValues {
  readonly url: string;
  /** The image's URL; none, no image. */
  readonly imageUrl?: string;
  /** The pixel size it is shown at (its own, at most the column's); none, unknown. */
  readonly imageWidth?: string;
  readonly imageHeight?: string;
  readonly published: string;
  readonly date: string;
  /** The author's name; none or empty, no author. */
  readonly author?: string;
  readonly title: string;
  readonly summary: string;
  /** The front matter's enclosure and its link text ("Listen (12.3 MB)"); none, no enclosure. */
  readonly enclosureUrl?: string;
  readonly enclosureLabel?: string;
  /** The link to the article, in the site's words (the same in every item). */
  readonly readArticle: string;
}

/**
 * The digest as HTML: `email` is the message's HTML part (with a "view in your browser" link), `web` is
 * `digests/<period>/index.html`. Same content, same inlined CSS, every URL absolute, no script.
 *
 * The CSS and the markup are fixed and only values vary, so juice inlines once per variant a template
 * holding every kind of item with numbered slots for the values, and a digest is that template with its
 * escaped values filled in: byte for byte what juicing the whole digest gives (`juiceDigestHtml`, which
 * a test compares), at a fraction of the cost.
 */
export function renderDigestHtml(model: SiteModel, digest: Digest, variant: DigestHtmlVariant): string {
  const template = digestTemplate(variant);
  const values = digestValues(model, digest);
  const fill = (piece: string, slots: readonly string[]) =>
    piece.replace(SLOT, (_all, index: string) => slots[Number(index)] ?? '');
  const head = [
    values.language,
    values.subject,
    values.webUrl,
    values.siteTitle,
    values.digestFeedUrl,
    values.preheader,
    values.siteUrl,
    values.label,
    values.count,
    values.unsubscribeUrl,
    values.pastDigestsUrl,
    values.dir,
    values.viewInBrowser,
    values.digestsFeedTitle,
    values.footer,
    values.unsubscribe,
    values.pastDigests,
  ];
  const items = values.items.map((item) =>
    fill(template.items[itemShape(item)] as string, [
      item.url,
      item.imageUrl ?? '',
      item.published,
      item.date,
      item.author ?? '',
      item.title,
      item.summary,
      item.enclosureUrl ?? '',
      item.enclosureLabel ?? '',
      item.imageWidth ?? '',
      item.imageHeight ?? '',
      item.readArticle,
    ]),
  );
  return fill(template.head, head) + items.join('\n') + fill(template.foot, head);
}

/** The reference: the whole digest juiced as one document. */
export function juiceDigestHtml(model: SiteModel, digest: Digest, variant: DigestHtmlVariant): string {
  return juice(digestMarkup(digestValues(model, digest), variant), JUICE_OPTIONS);
}

function digestValues(model: SiteModel, digest: Digest): DigestValues {
  const { config, siteUrl } = model;
  const labels = labelsOf(config);
  const e = escapeHtml;
  const lead = digest.articles[0];
  const preheader = truncateWords(
    [lead?.summaryText, ...digest.articles.slice(1).map((a) => a.title)].filter(Boolean).join(' · '),
    140,
  );
  return {
    language: e(config.language),
    dir: textDirection(config.language),
    subject: e(digest.subject),
    webUrl: e(digest.webUrl),
    siteTitle: e(config.title),
    digestFeedUrl: e(`${siteUrl}digests/rss.xml`),
    preheader: e(preheader),
    siteUrl: e(siteUrl),
    label: e(digest.label),
    count: escapeLabelText(articleCount(labels, digest.articles.length)),
    unsubscribeUrl: e(digest.unsubscribeUrl),
    pastDigestsUrl: e(`${siteUrl}digests/`),
    viewInBrowser: escapeLabelText(labels.viewInBrowser),
    digestsFeedTitle: e(fillLabel(labels.digestsFeedTitle, { site: config.title })),
    footer: labelHtml(labels.digestFooter, { site: e(config.title) }),
    unsubscribe: escapeLabelText(labels.unsubscribe),
    pastDigests: escapeLabelText(labels.pastDigests),
    items: digest.articles.map((a) => ({
      url: e(a.url),
      ...(a.imageUrl ? { imageUrl: e(a.imageUrl), ...shownSize(a.imageWidth, a.imageHeight) } : {}),
      published: a.published.toISOString(),
      date: e(formatDate(a.published, model)),
      ...(a.author ? { author: e(a.author.name) } : {}),
      title: e(a.title),
      summary: e(a.summaryText),
      ...(a.enclosureUrl && a.enclosureType
        ? {
            enclosureUrl: e(a.enclosureUrl),
            enclosureLabel: e(
              enclosureLabel(a.enclosureType, a.enclosureLength, a.episode?.duration, labels),
            ),
          }
        : {}),
      readArticle: escapeLabelText(labels.readArticle),
    })),
  };
}

/** An image's size scaled down to the column, never up; none when its size is unknown. */
function shownSize(width: number | undefined, height: number | undefined) {
  if (!width || !height) return {};
  const shown = Math.min(width, COLUMN_PX);
  return {
    imageWidth: String(shown),
    imageHeight: String(Math.max(1, Math.round((height * shown) / width))),
  };
}

function digestMarkup(v: DigestValues, variant: DigestHtmlVariant): string {
  const items = v.items.map(itemMarkup).join('\n');
  return `${headMarkup(v, variant)}${items}${footMarkup(v)}`;
}

function headMarkup(v: DigestValues, variant: DigestHtmlVariant): string {
  const browserLink = variant === 'email' ? ` · <a href="${v.webUrl}">${v.viewInBrowser}</a>` : '';
  const head =
    variant === 'web'
      ? `<link rel="canonical" href="${v.webUrl}">\n<link rel="alternate" type="application/rss+xml" title="${v.digestsFeedTitle} (RSS)" href="${v.digestFeedUrl}">\n`
      : '';
  // The web page's one <h1> is the period, styled as the line it sits in; the email keeps its paragraph.
  const label =
    variant === 'web'
      ? `<div class="label"><h1 class="period">${v.label}</h1> · ${v.count}</div>`
      : `<p class="label">${v.label} · ${v.count}${browserLink}</p>`;
  return `<!doctype html>
<html lang="${v.language}" dir="${v.dir}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="x-apple-disable-message-reformatting">
<meta name="color-scheme" content="light">
<meta name="supported-color-schemes" content="light">
<title>${v.subject}</title>
${head}<style>${CSS}</style>
</head>
<body>
<div class="preheader" style="display:none;max-height:0;overflow:hidden;mso-hide:all;font-size:1px;line-height:1px;color:#f4f1ea;opacity:0">${v.preheader}${PREVIEW_FILLER}</div>
<table role="presentation" class="outer" width="100%" cellpadding="0" cellspacing="0" border="0"><tr><td align="center">
<!--[if mso]><table role="presentation" width="600" cellpadding="0" cellspacing="0" border="0"><tr><td><![endif]-->
<table role="presentation" class="container" dir="${v.dir}" width="100%" cellpadding="0" cellspacing="0" border="0">
<tr><td class="header">
<a class="masthead" href="${v.siteUrl}">${v.siteTitle}</a>
${label}
</td></tr>
`;
}

function itemMarkup(a: ItemValues): string {
  const meta = [`<time datetime="${a.published}">${a.date}</time>`, a.author ?? '']
    .filter(Boolean)
    .join(' · ');
  // Outlook (Word) sizes an image by its width attribute alone, ignoring max-width. A known size is shown
  // as it is (at most the column's) and shrinks with a phone's screen; an unknown one (a URL, an SVG) takes
  // its own width in the other clients, while Outlook gets the column's rather than a photo's full width.
  const img = a.imageWidth
    ? `<img class="image" src="${a.imageUrl}" width="${a.imageWidth}" height="${a.imageHeight}" style="max-width:${a.imageWidth}px" alt="">`
    : `<img class="image image-unsized" src="${a.imageUrl}" width="${COLUMN_PX}" alt="">`;
  const image = a.imageUrl ? `<a class="image-link" href="${a.url}">${img}</a>\n` : '';
  // An article with no text has no summary: no empty paragraph (a gap in the HTML and the text part).
  const summary = a.summary ? `<p class="summary">${a.summary}</p>\n` : '';
  return `<tr><td class="item">
${image}<p class="meta">${meta}</p>
<h2 class="title"><a href="${a.url}">${a.title}</a></h2>
${summary}${a.enclosureUrl ? `<p class="enclosure"><a href="${a.enclosureUrl}">${a.enclosureLabel}</a></p>\n` : ''}<p class="more"><a href="${a.url}">${a.readArticle}</a></p>
</td></tr>`;
}

function footMarkup(v: DigestValues): string {
  return `
<tr><td class="footer">
<p>${v.footer} <a href="${v.unsubscribeUrl}">${v.unsubscribe}</a></p>
<p><a href="${v.siteUrl}">${v.siteUrl}</a> · <a href="${v.pastDigestsUrl}">${v.pastDigests}</a></p>
</td></tr>
</table>
<!--[if mso]></td></tr></table><![endif]-->
</td></tr></table>
</body>
</html>
`;
}

// ---- The juiced template ---------------------------------------------------------------------------

/** A numbered slot: private-use characters around an index. Templates hold no other text of ours. */
const slot = (index: number) => `\uE000${index}\uE001`;
const SLOT = /\uE000(\d+)\uE001/g;
/** Where the juiced template is cut into head, one piece per kind of item, and foot. */
const CUT = '<!--broadsheet-digest-cut-->';

/**
 * The kinds of item: with or without an author (1), an image (2), an enclosure (4), a summary (8), and an
 * image of known size (16, only with 2).
 */
const itemShape = (item: ItemValues): number =>
  (item.author ? 1 : 0) |
  (item.imageUrl ? 2 : 0) |
  (item.enclosureUrl ? 4 : 0) |
  (item.summary ? 8 : 0) |
  (item.imageWidth ? 16 : 0);
const SHAPES = Array.from({ length: 32 }, (_, shape) => shape);

interface DigestTemplate {
  readonly head: string;
  /** By `itemShape`. */
  readonly items: readonly string[];
  readonly foot: string;
}

const templates = new Map<DigestHtmlVariant, DigestTemplate>();

function digestTemplate(variant: DigestHtmlVariant): DigestTemplate {
  const cached = templates.get(variant);
  if (cached) return cached;
  const [language, subject, webUrl, siteTitle, digestFeedUrl, preheader, siteUrl, label, count] = [
    0, 1, 2, 3, 4, 5, 6, 7, 8,
  ].map(slot) as [string, string, string, string, string, string, string, string, string];
  const values: DigestValues = {
    language,
    subject,
    webUrl,
    siteTitle,
    digestFeedUrl,
    preheader,
    siteUrl,
    label,
    count,
    unsubscribeUrl: slot(9),
    pastDigestsUrl: slot(10),
    dir: slot(11),
    viewInBrowser: slot(12),
    digestsFeedTitle: slot(13),
    footer: slot(14),
    unsubscribe: slot(15),
    pastDigests: slot(16),
    items: [],
  };
  const item = (shape: number): ItemValues => ({
    url: slot(0),
    ...(shape & 2 ? { imageUrl: slot(1) } : {}),
    ...((shape & 18) === 18 ? { imageWidth: slot(9), imageHeight: slot(10) } : {}),
    published: slot(2),
    date: slot(3),
    ...(shape & 1 ? { author: slot(4) } : {}),
    title: slot(5),
    summary: shape & 8 ? slot(6) : '',
    ...(shape & 4 ? { enclosureUrl: slot(7), enclosureLabel: slot(8) } : {}),
    readArticle: slot(11),
  });
  const markup = [
    headMarkup(values, variant),
    ...SHAPES.map((shape) => itemMarkup(item(shape))),
    footMarkup(values),
  ].join(CUT);
  const pieces = juice(markup, JUICE_OPTIONS).split(CUT);
  if (pieces.length !== SHAPES.length + 2) throw new Error('the digest template lost its cut marks in juice');
  const template: DigestTemplate = {
    head: pieces[0] as string,
    items: pieces.slice(1, -1),
    foot: pieces[pieces.length - 1] as string,
  };
  templates.set(variant, template);
  return template;
}

/**
 * "Listen (12.3 MB, 42:10)", "Watch", "Download (2 MB)": what the link to an enclosure does, its size and,
 * for an episode that gives it, its running time.
 */
export function enclosureLabel(
  type: string,
  length: number | undefined,
  duration?: string,
  labels: Labels = ENGLISH_LABELS,
): string {
  const kind = type.split('/')[0];
  const verb = kind === 'audio' ? labels.listen : kind === 'video' ? labels.watch : labels.download;
  const details = enclosureDetails(length, duration);
  return details ? `${verb} (${details})` : verb;
}
