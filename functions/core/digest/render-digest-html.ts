import juice from 'juice';
import { formatDate } from '../layout.ts';
import type { SiteModel } from '../site-model.ts';
import { escapeHtml, truncateWords } from '../text.ts';
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
.item{padding:22px 24px;border-bottom:1px solid #e4ddd0;font-family:Georgia,'Times New Roman',serif;color:#1d1d1f;word-break:break-word;overflow-wrap:anywhere}
.image{display:block;width:100%;max-width:552px;height:auto;border:0;margin:0 0 14px}
.meta{margin:0 0 6px;font-family:-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;font-size:13px;line-height:1.4;color:#5f6368}
.title{margin:0 0 8px;font-size:22px;line-height:1.3;font-weight:bold}
.title a{color:#1d1d1f;text-decoration:none}
.summary{margin:0 0 10px;font-size:17px;line-height:1.55}
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

/**
 * The digest as HTML: `email` is the message's HTML part (with a "view in your browser" link), `web` is
 * `digests/<period>/index.html`. Same content, same inlined CSS, every URL absolute, no script.
 */
export function renderDigestHtml(model: SiteModel, digest: Digest, variant: DigestHtmlVariant): string {
  const { config, siteUrl } = model;
  const e = escapeHtml;
  const lead = digest.articles[0];
  const preheader = truncateWords(
    [lead?.summaryText, ...digest.articles.slice(1).map((a) => a.title)].filter(Boolean).join(' · '),
    140,
  );
  const items = digest.articles
    .map((a) => {
      const meta = [
        `<time datetime="${a.published.toISOString()}">${e(formatDate(a.published, model))}</time>`,
        a.author ? e(a.author.name) : '',
      ]
        .filter(Boolean)
        .join(' · ');
      const image = a.imageUrl
        ? `<a href="${e(a.url)}"><img class="image" src="${e(a.imageUrl)}" width="552" alt=""></a>\n`
        : '';
      return `<tr><td class="item">
${image}<p class="meta">${meta}</p>
<h2 class="title"><a href="${e(a.url)}">${e(a.title)}</a></h2>
<p class="summary">${e(a.summaryText)}</p>
<p class="more"><a href="${e(a.url)}">Read the article</a></p>
</td></tr>`;
    })
    .join('\n');
  const count = `${digest.articles.length} ${digest.articles.length === 1 ? 'article' : 'articles'}`;
  const browserLink = variant === 'email' ? ` · <a href="${e(digest.webUrl)}">View in your browser</a>` : '';
  const head =
    variant === 'web'
      ? `<link rel="canonical" href="${e(digest.webUrl)}">\n<link rel="alternate" type="application/rss+xml" title="${e(config.title)} digests (RSS)" href="${e(`${siteUrl}digests/rss.xml`)}">\n`
      : '';
  const html = `<!doctype html>
<html lang="${e(config.language)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="x-apple-disable-message-reformatting">
<meta name="color-scheme" content="light">
<meta name="supported-color-schemes" content="light">
<title>${e(digest.subject)}</title>
${head}<style>${CSS}</style>
</head>
<body>
<div class="preheader" style="display:none;max-height:0;overflow:hidden;mso-hide:all;font-size:1px;line-height:1px;color:#f4f1ea;opacity:0">${e(preheader)}${PREVIEW_FILLER}</div>
<table role="presentation" class="outer" width="100%" cellpadding="0" cellspacing="0" border="0"><tr><td align="center">
<!--[if mso]><table role="presentation" width="600" cellpadding="0" cellspacing="0" border="0"><tr><td><![endif]-->
<table role="presentation" class="container" width="100%" cellpadding="0" cellspacing="0" border="0">
<tr><td class="header">
<a class="masthead" href="${e(siteUrl)}">${e(config.title)}</a>
<p class="label">${e(digest.label)} · ${count}${browserLink}</p>
</td></tr>
${items}
<tr><td class="footer">
<p>You are receiving this digest because you subscribed to ${e(config.title)}. <a href="${e(digest.unsubscribeUrl)}">Unsubscribe</a></p>
<p><a href="${e(siteUrl)}">${e(siteUrl)}</a> · <a href="${e(`${siteUrl}digests/`)}">Past digests</a></p>
</td></tr>
</table>
<!--[if mso]></td></tr></table><![endif]-->
</td></tr></table>
</body>
</html>
`;
  return juice(html, {
    preserveMediaQueries: true,
    removeStyleTags: true,
    preserveImportant: true,
    applyWidthAttributes: true,
    applyAttributesTableElements: true,
  });
}
