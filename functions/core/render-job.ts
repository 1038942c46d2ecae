import { checkOutput } from './check-output.ts';
import { composeDigestEmail } from './digest/compose-digest-email.ts';
import { DIGEST_FILES, type Digest, PLACEHOLDER_RECIPIENT } from './digest/digest-model.ts';
import { renderDigestHtml } from './digest/render-digest-html.ts';
import { renderDigestText } from './digest/render-digest-text.ts';
import { FEED_FILES, type FeedSpec } from './feed-spec.ts';
import { shortHash } from './incremental-state.ts';
import { renderAtom } from './render-atom.ts';
import { renderJsonFeed } from './render-json-feed.ts';
import { renderRss } from './render-rss.ts';
import type { SiteConfig } from './site-config.ts';
import type { PublishedArticle, SiteModel } from './site-model.ts';

/**
 * A document whose files render from plain data (no model, no closures): a full build hands it to a
 * worker thread (`PublishOptions.renderer`). A feed is three files (RSS, Atom, JSON Feed) of one spec; a
 * digest three files (web page, text, message) of one digest.
 */
export type RenderDocument =
  | { readonly kind: 'feed'; readonly spec: FeedSpec }
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

/** Renders, checks (never an invalid feed online) and encodes one output; errors become values. */
export function renderOutput(key: string, render: () => string): RenderedOutput {
  try {
    const body = render();
    checkOutput(key, body);
    const bytes = encoder.encode(body);
    return { bytes, hash: shortHash(bytes) };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

/** One file of a document: its name in the document's folder (`rss.xml`, `digest.eml`, …). */
export interface RenderJob {
  readonly document: RenderDocument;
  readonly file: string;
}

/** The files a document has, by name in its folder. */
export function documentFiles(document: RenderDocument): readonly string[] {
  return document.kind === 'feed' ? Object.values(FEED_FILES) : Object.values(DIGEST_FILES);
}

/** Renders one file of a document, on whichever thread has it. */
export function renderJob(job: RenderJob): string {
  const { document, file } = job;
  if (document.kind === 'feed') {
    if (file === FEED_FILES.rss) return renderRss(document.spec);
    if (file === FEED_FILES.atom) return renderAtom(document.spec);
    if (file === FEED_FILES.json) return renderJsonFeed(document.spec);
  } else {
    const renderer = digestFiles(document);
    if (file in renderer) return renderer[file as keyof typeof renderer]();
  }
  throw new Error(`no ${file} in a ${document.kind} document`);
}

/** Every file of a document rendered, checked and encoded (a worker's job): `dir` is its folder. */
export function renderDocument(dir: string, document: RenderDocument): Record<string, RenderedOutput> {
  const digest = document.kind === 'digest' ? digestFiles(document) : undefined;
  const rendered: Record<string, RenderedOutput> = {};
  for (const file of documentFiles(document)) {
    rendered[file] = renderOutput(dir + file, () =>
      digest ? digest[file as keyof typeof digest]() : renderJob({ document, file }),
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
  const text = () => renderDigestText(html());
  return {
    [DIGEST_FILES.html]: () => renderDigestHtml(model, digest, 'web'),
    [DIGEST_FILES.text]: text,
    [DIGEST_FILES.email]: () =>
      composeDigestEmail({
        subject: digest.subject,
        from: digest.from,
        to: PLACEHOLDER_RECIPIENT,
        date: digest.date,
        messageId: digest.messageId,
        unsubscribeUrl: digest.unsubscribeUrl,
        text: text(),
        html: html(),
      }),
  } as Record<(typeof DIGEST_FILES)[keyof typeof DIGEST_FILES], () => string>;
}

/** The document as it crosses to another thread: a digest's articles go without their bodies. */
export function transferable(document: RenderDocument): RenderDocument {
  return document.kind === 'digest' ? { ...document, digest: digestForJob(document.digest) } : document;
}

/**
 * A digest as a job sends its articles without their bodies (a digest shows titles and summaries), and
 * never touches `html`: on an incremental run it is a getter for a body that may not be loaded.
 */
export function digestForJob(digest: Digest): Digest {
  const articles = digest.articles.map((article) => {
    const copy: Record<string, unknown> = {};
    const fields = article as unknown as Record<string, unknown>;
    for (const key of Object.keys(fields)) if (key !== 'html' && key !== 'bodyHtml') copy[key] = fields[key];
    return { ...copy, html: '', bodyHtml: '' } as unknown as PublishedArticle;
  });
  return { ...digest, articles };
}
