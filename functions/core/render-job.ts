import { type CheckedText, checkOutput, checkXmlParts } from './check-output.ts';
import { composeDigestEmail } from './digest/compose-digest-email.ts';
import { DIGEST_FILES, type Digest, PLACEHOLDER_RECIPIENT } from './digest/digest-model.ts';
import { renderDigestHtml } from './digest/render-digest-html.ts';
import { renderDigestText } from './digest/render-digest-text.ts';
import { type DocumentParts, joinParts } from './feed-fragments.ts';
import { FEED_FILES, type FeedSpec } from './feed-spec.ts';
import { shortHash } from './incremental-state.ts';
import { labelsOf } from './labels.ts';
import { renderArticlePage } from './render-article-page.ts';
import { renderAtom, renderAtomParts } from './render-atom.ts';
import { renderCheckedJsonFeed, renderJsonFeed } from './render-json-feed.ts';
import { renderRss, renderRssParts } from './render-rss.ts';
import type { SiteConfig } from './site-config.ts';
import { htmlBytesOf, type PublishedArticle, SENT_HTML_BYTES, type SiteModel } from './site-model.ts';

/**
 * A document whose files render from plain data (no model, no closures): a full build hands it to a
 * worker thread (`PublishOptions.renderer`). A feed is three files (RSS, Atom, JSON Feed) of one spec; a
 * digest three files (web page, text, message) of one digest; an article page one file.
 */
export type RenderDocument =
  | { readonly kind: 'feed'; readonly spec: FeedSpec }
  | {
      readonly kind: 'page';
      readonly site: { readonly config: SiteConfig; readonly siteUrl: string };
      readonly article: PublishedArticle;
    }
  | {
      readonly kind: 'digest';
      readonly site: { readonly config: SiteConfig; readonly siteUrl: string };
      readonly digest: Digest;
    };

/** An output rendered, strictly checked and encoded; or why it could not be. */
export type RenderedOutput =
  | { readonly bytes: Uint8Array; readonly hash: string }
  | { readonly error: string };

const encoder = new TextEncoder();

/** What a renderer gives: text, an XML document's parts, or text it has checked itself. */
export type RenderedBody = string | DocumentParts | CheckedText;

/**
 * Renders, checks (never an invalid feed online) and encodes one output; errors become values. An XML
 * document may come as `DocumentParts`: its bodies' bytes are checked and copied as they are.
 */
export function renderOutput(key: string, render: () => RenderedBody): RenderedOutput {
  try {
    const body = render();
    if (isChecked(body)) {
      const bytes = encoder.encode(body.checked);
      return { bytes, hash: shortHash(bytes) };
    }
    if (typeof body !== 'string') {
      const bytes = checkXmlParts(key, body) ? encodeParts(body) : undefined;
      if (bytes) return { bytes, hash: shortHash(bytes) };
    }
    const text = typeof body === 'string' ? body : joinParts(body);
    checkOutput(key, text);
    const bytes = encoder.encode(text);
    return { bytes, hash: shortHash(bytes) };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

function isChecked(body: RenderedBody): body is CheckedText {
  return typeof body === 'object' && 'checked' in body;
}

/** The parts as one UTF-8 array: each run of text encoded once, each body's bytes copied in. */
function encodeParts(parts: DocumentParts): Uint8Array {
  const chunks: Uint8Array[] = [];
  let size = 0;
  let text: string[] = [];
  const flush = () => {
    if (text.length === 0) return;
    const chunk = encoder.encode(text.join(''));
    chunks.push(chunk);
    size += chunk.length;
    text = [];
  };
  for (const part of parts) {
    if (typeof part === 'string') text.push(part);
    else {
      flush();
      chunks.push(part);
      size += part.length;
    }
  }
  flush();
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.length;
  }
  return bytes;
}

/** One file of a document: its name in the document's folder (`rss.xml`, `digest.eml`, …). */
export interface RenderJob {
  readonly document: RenderDocument;
  readonly file: string;
}

/** The files a document has, by name in its folder. */
export function documentFiles(document: RenderDocument): readonly string[] {
  if (document.kind === 'page') return [PAGE_FILE];
  return document.kind === 'feed' ? Object.values(FEED_FILES) : Object.values(DIGEST_FILES);
}

/** An article page's file in its folder (`posts/<slug>/index.html`). */
export const PAGE_FILE = 'index.html';

/** Renders one file of a document, on whichever thread has it. */
export function renderJob(job: RenderJob): string {
  const { document, file } = job;
  if (document.kind === 'page') {
    if (file === PAGE_FILE) {
      const site = { ...document.site, articles: [], tags: [], updated: new Date(0) };
      return renderArticlePage(site, document.article);
    }
  } else if (document.kind === 'feed') {
    if (file === FEED_FILES.rss) return renderRss(document.spec);
    if (file === FEED_FILES.atom) return renderAtom(document.spec);
    if (file === FEED_FILES.json) return renderJsonFeed(document.spec);
  } else {
    const renderer = digestFiles(document);
    if (file in renderer) return renderer[file as keyof typeof renderer]();
  }
  throw new Error(`no ${file} in a ${document.kind} document`);
}

/**
 * `renderJob`, with RSS and Atom as `DocumentParts` (each worker-parsed body goes in as its bytes) and
 * the JSON Feed checked on its data, not read back.
 */
export function renderJobParts(job: RenderJob): RenderedBody {
  const { document, file } = job;
  if (document.kind === 'feed' && file === FEED_FILES.rss) return renderRssParts(document.spec);
  if (document.kind === 'feed' && file === FEED_FILES.atom) return renderAtomParts(document.spec);
  if (document.kind === 'feed' && file === FEED_FILES.json) return renderCheckedJsonFeed(document.spec);
  return renderJob(job);
}

/** Every file of a document rendered, checked and encoded (a worker's job): `dir` is its folder. */
export function renderDocument(dir: string, document: RenderDocument): Record<string, RenderedOutput> {
  const digest = document.kind === 'digest' ? digestFiles(document) : undefined;
  const rendered: Record<string, RenderedOutput> = {};
  for (const file of documentFiles(document)) {
    rendered[file] = renderOutput(dir + file, () =>
      digest ? digest[file as keyof typeof digest]() : renderJobParts({ document, file }),
    );
  }
  return rendered;
}

/** A digest's three files; the text and the message share one rendering of the email HTML. */
export function digestFiles(document: Extract<RenderDocument, { kind: 'digest' }>) {
  const { digest } = document;
  // The digest renderers read only the configuration and the site URL of the model.
  const model: SiteModel = { ...document.site, articles: [], tags: [], updated: digest.date };
  let emailHtml: string | undefined;
  const html = () => {
    emailHtml ??= renderDigestHtml(model, digest, 'email');
    return emailHtml;
  };
  // The text file and the message's text part: html-to-text once (~10 ms a digest), not twice.
  let plainText: string | undefined;
  const text = () => {
    plainText ??= renderDigestText(html());
    return plainText;
  };
  return {
    [DIGEST_FILES.html]: () => renderDigestHtml(model, digest, 'web'),
    [DIGEST_FILES.text]: text,
    [DIGEST_FILES.email]: () =>
      composeDigestEmail({
        subject: digest.subject,
        from: digest.from,
        to: { ...PLACEHOLDER_RECIPIENT, name: labelsOf(document.site.config).subscriber },
        date: digest.date,
        messageId: digest.messageId,
        unsubscribeUrl: digest.unsubscribeUrl,
        text: text(),
        html: html(),
      }),
  } as Record<(typeof DIGEST_FILES)[keyof typeof DIGEST_FILES], () => string>;
}

/**
 * The document as it crosses to another thread: a digest's articles go without their bodies; a page's
 * article and a feed's items with their bodies as the UTF-8 bytes the parser gave, where there are such
 * (half the size of the string, shared not copied, never decoded on this thread), which `received` turns
 * back into HTML.
 */
export function transferable(document: RenderDocument): RenderDocument {
  if (document.kind === 'digest') return { ...document, digest: digestForJob(document.digest) };
  if (document.kind === 'page') return { ...document, article: sendable(document.article) };
  return { ...document, spec: { ...document.spec, items: document.spec.items.map(sendable) } };
}

/** The article with its HTML as bytes, where it has them (`received` makes it HTML again). */
function sendable(article: PublishedArticle): PublishedArticle {
  const bytes = htmlBytesOf(article);
  if (!bytes) return article;
  // One copy (every item of every feed a worker renders comes through here), not `withoutBody`'s and a spread.
  const copy = withoutBody(article);
  copy.html = '';
  copy.bodyHtml = '';
  copy[SENT_HTML_BYTES] = bytes;
  return copy as unknown as PublishedArticle;
}

const decoder = new TextDecoder();

/** A document as `transferable` sent it, with every article's HTML a string again. */
export function received(document: RenderDocument): RenderDocument {
  if (document.kind === 'digest') return document;
  if (document.kind === 'page') return { ...document, article: withHtml(document.article) };
  return { ...document, spec: { ...document.spec, items: document.spec.items.map(withHtml) } };
}

function withHtml(item: PublishedArticle): PublishedArticle {
  const bytes = (item as unknown as Record<string, Uint8Array | undefined>)[SENT_HTML_BYTES];
  // Decoded for JSON Feed and pages; RSS and Atom take the bytes, which stay (`htmlBytesOf` finds them).
  return bytes ? ({ ...item, html: decoder.decode(bytes) } as PublishedArticle) : item;
}

/** The article's own fields but its bodies, read without calling a body's getter. */
function withoutBody(article: PublishedArticle): Record<string, unknown> {
  const copy: Record<string, unknown> = {};
  const fields = article as unknown as Record<string, unknown>;
  for (const key of Object.keys(fields)) if (key !== 'html' && key !== 'bodyHtml') copy[key] = fields[key];
  return copy;
}

/**
 * A digest as a job sends its articles without their bodies (a digest shows titles and summaries), and
 * never touches `html`: on an incremental run it is a getter for a body that may not be loaded.
 */
export function digestForJob(digest: Digest): Digest {
  const articles = digest.articles.map(
    (article) => ({ ...withoutBody(article), html: '', bodyHtml: '' }) as unknown as PublishedArticle,
  );
  return { ...digest, articles };
}
