import { decodeHTML } from 'entities';
import { escapeLabelText, labelHtml, labelsOf } from './labels.ts';
import { formatDate, renderLayout } from './layout.ts';
import type { PublishedArticle, SiteModel } from './site-model.ts';
import { enclosureDetails, escapeHtml, textDirection } from './text.ts';

export function renderArticlePage(model: SiteModel, article: PublishedArticle): string {
  const labels = labelsOf(model.config);
  const byline = article.author ? ` · ${escapeHtml(article.author.name)}` : '';
  const updated =
    article.updated.getTime() !== article.published.getTime()
      ? ` · ${labelHtml(labels.updatedOn, { date: `<time datetime="${article.updated.toISOString()}">${escapeHtml(formatDate(article.updated, model))}</time>` })}`
      : '';
  const tags =
    article.tags.length > 0
      ? `<ul class="tags" aria-label="${escapeLabelText(labels.tagsMenu)}">${article.tags
          .map(
            (t) =>
              `<li><a href="${escapeHtml(`${model.siteUrl}tags/${t.slug}/`)}">${escapeHtml(t.name)}</a></li>`,
          )
          .join('')}</ul>`
      : '';
  // The cover, unless the text opens with that same picture (shown twice in a row otherwise).
  const image =
    article.imageUrl && !sameUrl(openingImage(article.html), article.imageUrl)
      ? `<img src="${escapeHtml(article.imageUrl)}" alt="">\n`
      : '';
  const enclosure = enclosureBlock(article, model.siteUrl);
  // Its own language when its front matter names one; else its own direction, from its title's first letter,
  // so an Arabic article on an English site reads right to left either way.
  const language = article.language ?? '';
  const lang = language ? ` lang="${escapeHtml(language)}" dir="${textDirection(language)}"` : ' dir="auto"';
  const body = `<article${lang}>
<h1>${escapeHtml(article.title)}</h1>
<p class="meta"><time datetime="${article.published.toISOString()}">${escapeHtml(formatDate(article.published, model))}</time>${byline}${updated}</p>
${tags}
${image}${enclosure}${article.html}
</article>`;
  return renderLayout(model, {
    title: `${article.title} · ${model.config.title}`,
    description: article.summaryText,
    canonicalUrl: article.url,
    body,
    share: {
      type: 'article',
      title: article.title,
      image: article.imageUrl ?? firstImage(article.html),
      published: article.published,
      modified: article.updated,
      tags: article.tags.map((t) => t.name),
      author: article.author ?? model.config.author ?? { name: model.config.title },
    },
  });
}

/** The first image the body shows: what a shared link shows when the article names no `image`. */
function firstImage(html: string): string | undefined {
  const src = /<img\b[^>]*?\ssrc="([^"]+)"/.exec(html)?.[1];
  return src === undefined ? undefined : decodeHTML(src);
}

/** The image the body opens with, before any text, if it does. */
function openingImage(html: string): string | undefined {
  const at = html.indexOf('<img');
  if (
    at === -1 ||
    html
      .slice(0, at)
      .replace(/<[^>]*>/g, '')
      .trim() !== ''
  )
    return undefined;
  return firstImage(html);
}

/** True for two spellings of one address (`my pic.png` and `my%20pic.png`). */
function sameUrl(a: string | undefined, b: string): boolean {
  if (a === undefined) return false;
  try {
    return new URL(a).href === new URL(b).href;
  } catch {
    return a === b;
  }
}

/**
 * The front matter's enclosure, as a podcast's web page shows an episode: a player for a recording or
 * video published with the site (the CSP lets pages play only their own media), and a link with its size.
 */
function enclosureBlock(article: PublishedArticle, siteUrl: string): string {
  const { enclosureUrl: url, enclosureType: type } = article;
  if (!url || !type) return '';
  const src = escapeHtml(url);
  const kind = type.split('/')[0];
  const player =
    url.startsWith(siteUrl) && (kind === 'audio' || kind === 'video')
      ? `<${kind} controls preload="none" src="${src}"></${kind}>\n`
      : '';
  const name = fileName(url);
  const details = enclosureDetails(article.enclosureLength, article.episode?.duration);
  const size = details ? ` (${escapeHtml(details)})` : '';
  return `<figure class="enclosure">\n${player}<figcaption><a href="${src}">${escapeHtml(name)}</a>${size}</figcaption>\n</figure>\n`;
}

function fileName(url: string): string {
  const last = new URL(url).pathname.split('/').pop() ?? '';
  try {
    return decodeURIComponent(last) || url;
  } catch {
    return last || url;
  }
}
