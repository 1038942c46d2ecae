import { shortHash } from './incremental-state.ts';
import {
  type ParseResult,
  parseArticle,
  RENDER_LIMIT_MS,
  readArticle,
  renderBody,
  withinRenderLimit,
} from './parse-article.ts';
import { leadText } from './sanitize-body.ts';
import { type ArticleBody, postPageKey, urlForKey } from './site-model.ts';
import { truncateWords } from './text.ts';
import { runWithin, TimeLimitExceeded } from './time-limit.ts';

/** One source file read by a run, to be parsed. */
export interface SourceToParse {
  readonly key: string;
  readonly bytes: Uint8Array;
}

export interface ParseContext {
  readonly timeZone: string;
  readonly siteUrl: string;
  /** `RENDER_LIMIT_MS` unless given (tests give less). */
  readonly renderLimitMs?: number;
}

/**
 * A parsed source; `body` when the parser also sanitised it ahead, at the URL its slug gives, with
 * `hash`, the `shortHash` of its HTML (worked out where the HTML was made, so the publisher need not).
 */
export interface ParsedSource {
  readonly key: string;
  readonly result: ParseResult;
  readonly body?: ArticleBody & {
    readonly url: string;
    readonly hash?: string;
    /** The HTML as UTF-8, where a worker handed it over so (`html` then decodes it on each use). */
    readonly bytes?: Uint8Array;
  };
}

/**
 * Parses one source. The default runs in-process and leaves sanitising to the model; a worker pool
 * (`functions/adapters/worker-parser.ts`) runs `parseAndSanitise` on other cores.
 */
export type ArticleParser = (item: SourceToParse, context: ParseContext) => Promise<ParsedSource>;

export const parseInProcess: ArticleParser = async (item, context) => ({
  key: item.key,
  result: parseArticle(item.key, item.bytes, context),
});

/**
 * The publisher's default: `parseAndSanitise` on this thread, as a worker does it, the HTML kept as
 * UTF-8. A first run in a 1 GB Lambda holds every body until the feeds are written: with the unsanitised
 * and the sanitised string of each, and sanitize-html run over all of them in one blocking pass (~10 s),
 * the bench's first run at 10,000 articles peaked at 761 MB and took 180 s; this way, 560–596 MB and 163–175 s.
 */
export const parseAheadInProcess: ArticleParser = async (item, context) => {
  const parsed = parseAndSanitise(item, context);
  return parsed.body ? withHtmlBytes(parsed, encoder.encode(parsed.body.html)) : parsed;
};

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * The parsed source with its body's HTML read from UTF-8 bytes on each use: 10,000 bodies of curly quotes
 * and accents are ~120 MB as (two-byte) strings and ~60 MB as bytes; each use decodes a short-lived copy.
 */
export function withHtmlBytes(parsed: ParsedSource, html: Uint8Array): ParsedSource {
  if (!parsed.body) return parsed;
  const body = { ...parsed.body };
  Object.defineProperty(body, 'html', { get: () => decoder.decode(html), enumerable: true });
  // Not enumerable: the parsed source compares (and clones) as the in-process parser's does.
  Object.defineProperty(body, 'bytes', { value: html });
  return { ...parsed, body };
}

/**
 * Parse and sanitise in one go, for a worker: the body is made absolute against the URL the slug gives
 * (`posts/<slug>/`). The model takes it when the article keeps that URL (always, unless two articles
 * share a slug) and sanitises again otherwise. The unsanitised body is dropped: it is not sent back.
 */
export function parseAndSanitise(item: SourceToParse, context: ParseContext): ParsedSource {
  const parsed = withinRenderLimit(item.key, item.bytes, context.renderLimitMs, () =>
    parseAndSanitiseNow(item, context),
  );
  return 'key' in parsed ? parsed : { key: item.key, result: parsed };
}

/**
 * `parseAndSanitise` of several sources, as a worker gets them queued: one guard for them all, since each
 * guard is a watchdog thread (~0.1 ms, ~1.4 s of a full build at 10,000 articles). The limit still holds
 * per article: when the shared guard stops one, that one runs again under a guard of its own (skipped
 * only if it alone runs past the limit), and the rest go on. A source that throws gives its error.
 */
export function parseEachAndSanitise(
  items: readonly SourceToParse[],
  context: ParseContext,
): (ParsedSource | Error)[] {
  const done: (ParsedSource | Error)[] = [];
  const attempt = (parse: () => ParsedSource) => {
    try {
      return parse();
    } catch (error) {
      // A stop at the limit is not caught here: V8 ends the guarded call, whatever catches it holds.
      return error instanceof Error ? error : new Error(String(error));
    }
  };
  while (done.length < items.length) {
    try {
      runWithin(context.renderLimitMs ?? RENDER_LIMIT_MS, () => {
        for (let i = done.length; i < items.length; i++) {
          const item = items[i] as SourceToParse;
          done.push(attempt(() => parseAndSanitiseNow(item, context)));
        }
      });
    } catch (error) {
      if (!(error instanceof TimeLimitExceeded)) throw error;
      if (done.length >= items.length) break;
      const item = items[done.length] as SourceToParse;
      done.push(attempt(() => parseAndSanitise(item, context)));
    }
  }
  return done;
}

/** `parseEachAndSanitise`, each body kept as UTF-8 as `parseAheadInProcess` keeps it. */
export function parseEachAhead(
  items: readonly SourceToParse[],
  context: ParseContext,
): (ParsedSource | Error)[] {
  return parseEachAndSanitise(items, context).map((parsed) =>
    parsed instanceof Error || !parsed.body
      ? parsed
      : withHtmlBytes(parsed, encoder.encode(parsed.body.html)),
  );
}

function parseAndSanitiseNow(item: SourceToParse, context: ParseContext): ParsedSource {
  const read = readArticle(item.key, item.bytes, context);
  if (!read.ok) return { key: item.key, result: read };
  const { article, warnings } = read;
  const url = urlForKey(context.siteUrl, postPageKey(article.slug));
  // The unsanitised HTML is never rendered here: the body goes straight to its safe form at `url`.
  const body = renderBody(item.key, item.bytes, () => {
    const html = read.body.safeHtml(url);
    // As `articleBody` (site-model.ts) gives it; a test holds the two together.
    return { html, summaryText: article.summary ?? truncateWords(leadText(html), 300) };
  });
  if (!body.ok) return { key: item.key, result: body };
  const { html, summaryText } = body.value;
  return {
    key: item.key,
    result: { ok: true, warnings, article: { ...article, bodyHtml: '' } },
    body: { html, summaryText, url, hash: shortHash(html) },
  };
}
