import { type ParseResult, parseArticle } from './parse-article.ts';
import { type ArticleBody, articleBody, postPageKey, urlForKey } from './site-model.ts';

/** One source file read by a run, to be parsed. */
export interface SourceToParse {
  readonly key: string;
  readonly bytes: Uint8Array;
}

export interface ParseContext {
  readonly timeZone: string;
  readonly siteUrl: string;
}

/** A parsed source; `body` when the parser also sanitised it ahead, at the URL its slug gives. */
export interface ParsedSource {
  readonly key: string;
  readonly result: ParseResult;
  readonly body?: ArticleBody & { readonly url: string };
}

/**
 * Parses one source. The default runs in-process and leaves sanitising to the model; a worker pool
 * (`functions/adapters/worker-parser.ts`) runs `parseAndSanitise` on other cores.
 */
export type ArticleParser = (item: SourceToParse, context: ParseContext) => Promise<ParsedSource>;

export const parseInProcess: ArticleParser = async (item, context) => ({
  key: item.key,
  result: parseArticle(item.key, item.bytes, { timeZone: context.timeZone }),
});

/**
 * Parse and sanitise in one go, for a worker: the body is made absolute against the URL the slug gives
 * (`posts/<slug>/`). The model takes it when the article keeps that URL (always, unless two articles
 * share a slug) and sanitises again otherwise. The unsanitised body is dropped: it is not sent back.
 */
export function parseAndSanitise(item: SourceToParse, context: ParseContext): ParsedSource {
  const result = parseArticle(item.key, item.bytes, { timeZone: context.timeZone });
  if (!result.ok) return { key: item.key, result };
  const url = urlForKey(context.siteUrl, postPageKey(result.article.slug));
  const body = articleBody(result.article, url);
  return {
    key: item.key,
    result: { ...result, article: { ...result.article, bodyHtml: '' } },
    body: { ...body, url },
  };
}
