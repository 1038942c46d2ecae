import { createHash } from 'node:crypto';
import { decodeHTML } from 'entities';
import type { Token, Tokens } from 'marked';
import { z } from 'zod';
import { type ArticleLink, linkArticleFiles, slugFromFileName, slugFromKey } from './article-links.ts';
import { fileTypeOf, imageTypeOf, mediaTypeOf } from './content-types.ts';
import { splitFrontMatter } from './front-matter.ts';
import { describeWrongValue } from './front-matter-values.ts';
import {
  droppedTags,
  type ForeignSyntax,
  foreignSyntax,
  HeadingIds,
  inlineText,
  lexMarkdown,
  type MarkdownDocument,
  markdownLineText,
  type UnlabelledImage,
  unlabelledImages,
  visitTokens,
} from './markdown.ts';
import type { Problem } from './problems.ts';
import { aliasKey } from './redirects.ts';
import { renderSafeMarkdown, sanitizeBody } from './sanitize-body.ts';
import { isLanguageTag, type Person } from './site-config.ts';
import {
  closestName,
  decodeArticle,
  escapeHtml,
  looksBinary,
  personFromText,
  singleLine,
  slugify,
  tagSlug,
} from './text.ts';
import { parseIsoDate, toZoned } from './time.ts';
import { runWithin, TimeLimitExceeded } from './time-limit.ts';

/** An article as read from its source file, before it has a URL. */
export interface ParsedArticle {
  readonly sourceKey: string;
  /** Stable identity: the same string in RSS guid, Atom id and JSON Feed id. */
  readonly id: string;
  readonly slug: string;
  readonly title: string;
  readonly published: Date;
  readonly updated: Date;
  readonly author?: Person;
  readonly tags: readonly string[];
  readonly summary?: string;
  /** As written: absolute URL or a path relative to the article's page. */
  readonly image?: string;
  /** The language it is written in, when not the site's (`language:` in its front matter). */
  readonly language?: string;
  /** A recording, video or document podcast apps and readers download with the item: as `image`. */
  readonly enclosure?: string;
  /** Old addresses, as the site keys of their redirect pages (`redirects.ts`). */
  readonly aliases?: readonly string[];
  /** What podcast apps show of an episode (front matter `duration`, `episode`, `season`…), when given. */
  readonly episode?: EpisodeInfo;
  /** Links in the body to other articles' files, rewritten to their pages: each run checks them. */
  readonly articleLinks?: readonly ArticleLink[];
  /** The line of each image or file the article names by a relative path, as written: for the warning when it is missing. */
  readonly mediaLines?: Readonly<Record<string, number>>;
  readonly draft: boolean;
  /** Unsanitised HTML of the body; the model sanitises it once the page URL is known. */
  readonly bodyHtml: string;
}

/** An episode's own podcast tags (RSS `itunes:duration`, `episode`, `season`, `episodeType`, `explicit`). */
export interface EpisodeInfo {
  /** `H:MM:SS`, `MM:SS` or whole seconds, as written. */
  readonly duration?: string;
  readonly number?: number;
  readonly season?: number;
  readonly type?: 'full' | 'trailer' | 'bonus';
  readonly explicit?: boolean;
}

export type ParseResult =
  | { readonly ok: true; readonly article: ParsedArticle; readonly warnings: readonly Problem[] }
  | { readonly ok: false; readonly problem: Problem };

/** An article's body, rendered only when asked for, in the form asked for. */
export interface ArticleBodySource {
  /** Unsanitised HTML: `ParsedArticle.bodyHtml`. */
  html(): string;
  /** The same bytes as `sanitizeBody(html(), pageUrl)`, without sanitize-html when the Markdown has no raw HTML. */
  safeHtml(pageUrl: string): string;
}

/** `parseArticle` with the body not rendered yet: a worker renders it once, safe, at the page URL. */
export type ReadResult =
  | {
      readonly ok: true;
      readonly article: Omit<ParsedArticle, 'bodyHtml'>;
      readonly body: ArticleBodySource;
      readonly warnings: readonly Problem[];
    }
  | { readonly ok: false; readonly problem: Problem };

export const MAX_ARTICLE_BYTES = 2 * 1024 * 1024;
export { ARTICLE_EXTENSIONS, isArticleKey } from './article-key.ts';

const FIXES: Record<string, string> = {
  title: 'write the title as text, e.g. title: "My article"',
  date: 'write the date as ISO 8601, e.g. date: 2025-01-08 or date: 2025-01-08T09:30:00+01:00',
  updated: 'write updated as ISO 8601, e.g. updated: 2025-01-09',
  author: 'write author: Jane Doe, or author: { name: Jane Doe, email: jane@example.com }',
  tags: 'write tags as a list, e.g. tags: [paris, diplomacy]',
  summary: 'write the summary as text on one line, in quotes if it contains a colon',
  draft: 'write draft: true or draft: false',
  id: 'write id as text that never changes, e.g. id: 2025-paris-visit',
  image: 'write image as a URL or a path relative to the article, e.g. image: cover.jpg',
  enclosure:
    'write enclosure as a URL or a path relative to the article of an audio, video or document file, e.g. enclosure: episode-12.mp3',
  duration: 'write the running time as H:MM:SS, MM:SS or seconds, e.g. duration: 42:10',
  episode: 'write the episode number as a whole number, e.g. episode: 12',
  season: 'write the season number as a whole number, e.g. season: 2',
  episodeType: 'write episodeType: full, trailer or bonus',
  explicit: 'write explicit: true or explicit: false',
  slug: 'write slug with letters, digits and hyphens, e.g. slug: paris-visit',
  aliases: 'write the old addresses as a list of paths, e.g. aliases: [/2019/05/old-post/, /posts/old-slug/]',
  language: 'write the language the article is written in as a tag, e.g. language: fr or language: ar',
};
const KNOWN_KEYS = Object.keys(FIXES);

/** What other tools call our keys (Hugo, Jekyll, WordPress exports): an article moved here keeps them. */
const OTHER_NAMES: Record<string, string> = {
  categories: 'tags',
  category: 'tags',
  tag: 'tags',
  keywords: 'tags',
  description: 'summary',
  excerpt: 'summary',
  subtitle: 'summary',
  lastmod: 'updated',
  modified: 'updated',
  lastmodifiedat: 'updated',
  publishdate: 'date',
  pubdate: 'date',
  cover: 'image',
  thumbnail: 'image',
  featuredimage: 'image',
  hero: 'image',
  authors: 'author',
  permalink: 'slug',
  url: 'slug',
  audio: 'enclosure',
  uuid: 'id',
  guid: 'id',
  lang: 'language',
  locale: 'language',
};

/** The key an unknown one most likely meant: another tool's name for it, its case, or a typo of it. */
export function suggestKey(unknown: string): string | undefined {
  const bare = unknown.toLowerCase().replace(/[-_\s]/g, '');
  // Its own name in other case first (`Title`), then another tool's name for it, then a typo of one.
  return (
    KNOWN_KEYS.find((k) => k.toLowerCase() === bare) ?? OTHER_NAMES[bare] ?? closestName(unknown, KNOWN_KEYS)
  );
}

const scalarText = z.union([z.string(), z.number(), z.boolean()]).transform((v) => String(v));
const tagObject = z.object({ name: scalarText }).transform((tag) => tag.name);
const yesNo = z.boolean({ error: (issue) => `${JSON.stringify(issue.input)} is not true or false` });
const frontMatterSchema = z.object({
  title: scalarText.optional(),
  date: z.union([z.string(), z.date()]).optional(),
  updated: z.union([z.string(), z.date()]).optional(),
  author: z
    .union([
      z.string().min(1),
      z.object({ name: z.string().min(1), email: z.email().optional(), url: z.url().optional() }),
    ])
    .optional(),
  // A list item may be empty, or Ghost's `{ name: Paris }`.
  tags: z.union([z.array(z.union([scalarText, tagObject, z.null()])), z.string()]).optional(),
  summary: scalarText.optional(),
  draft: yesNo.optional(),
  id: scalarText.optional(),
  image: z.string().min(1).optional(),
  enclosure: z.string().min(1).optional(),
  language: z
    .string()
    .regex(/^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$/, {
      error: (issue) => `"${String(issue.input)}" is not a language tag`,
    })
    .refine(isLanguageTag, { error: (issue) => `"${String(issue.input)}" is not a language tag` })
    .optional(),
  duration: z
    .union(
      [
        z.number().int().positive(),
        z.string().regex(/^\d+(?::[0-5]\d){0,2}$/, {
          error: (issue) => `"${String(issue.input)}" is not a running time`,
        }),
      ],
      { error: (issue) => `"${String(issue.input)}" is not a running time` },
    )
    .transform(String)
    .optional(),
  episode: z.number().int().positive().optional(),
  season: z.number().int().positive().optional(),
  episodeType: z.enum(['full', 'trailer', 'bonus']).optional(),
  explicit: yesNo.optional(),
  slug: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]*$/i, {
      error: (issue) =>
        `"${String(issue.input)}" has characters an address cannot take (only letters a–z, digits and hyphens)`,
    })
    .optional(),
  aliases: z.union([z.array(scalarText), z.string()]).optional(),
});

const FILE_DATE = /^(\d{4}-\d{2}-\d{2})[-_ ]?/;
// A date at the start of a name written without its zeros (`2025-3-9-notes.md`): not read as one.
const UNPADDED_FILE_DATE = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[-_ ]|$)/;
const TEXT_FRONT_MATTER = /^\s*(?:---|\+\+\+)[ \t]*\n[ \t]*["']?[\w-]+["']?[ \t]*[:=]/;

const EMBED_FIX =
  'link to it instead, [Watch the talk](https://www.youtube.com/watch?v=…), or show a picture that links to it';
const DROPPED_WHY: Record<string, string> = {
  iframe: "pages and feeds show no other site's frames (players, maps, forms)",
  object: "pages and feeds show no other site's frames or plug-ins",
  embed: "pages and feeds show no other site's frames or plug-ins",
  script: 'pages, feeds and email carry no scripts',
  video: 'a player is not something every feed reader and mail app can show',
  audio: 'a player is not something every feed reader and mail app can show',
  form: 'pages carry no forms',
  style: 'every page has the site’s style, and feed readers and mail apps their own',
};
const DROPPED_FIXES: Record<string, string> = {
  iframe: EMBED_FIX,
  object: EMBED_FIX,
  embed: EMBED_FIX,
  video:
    'link the file, [Watch the clip](clip.mp4), or name it as the enclosure to make the article an episode',
  audio: 'link the file, [Listen](talk.mp3), or name it as the enclosure to make the article an episode',
  form: 'link to the form where it lives',
  script: 'remove it',
  style: 'remove it; emphasis, headings and lists are Markdown’s',
};

const FOREIGN_NAMES: Record<string, string> = {
  shortcode: 'the Hugo shortcode',
  liquid: 'the Liquid tag',
  wikilink: 'the wiki link',
};
const FOREIGN_OWNERS: Record<string, string> = {
  shortcode: "Hugo's",
  liquid: "Jekyll's",
  wikilink: "Obsidian's",
};
const FOREIGN_FIXES: Record<string, string> = {
  shortcode: 'write what it made in Markdown or HTML (a link to the video, an image, a quote)',
  liquid: 'write its result (the address, the text), or put it in `backticks` to show it as code',
  wikilink:
    "write a Markdown link to the article's file, [Its title](2025-01-08-its-file.md), or a picture as ![What it shows](photo.png)",
};

/** The fix for syntax shown as written; for a link Markdown did not make, in the link's own words. */
function foreignFix(kind: ForeignSyntax['kind'], raw: string): string {
  if (kind === 'spaced') {
    const address = singleLine(/\]\(([^)]*)\)$/.exec(raw)?.[1] ?? '').trim();
    return `write the address as ${address.replace(/\s+/g, '%20')}, or put it in <>: (<${address}>)`;
  }
  if (kind === 'reference') {
    const name = /\]\[([^\]]*)\]$/.exec(raw)?.[1] ?? '';
    return `add a line "[${name}]: https://…" below the paragraph, or write the address in the link: [text](https://…)`;
  }
  return FOREIGN_FIXES[kind] ?? '';
}

/**
 * The front matter with our keys in any letter case read as ours (`Title`, `Draft`: Hugo's keys are
 * case-insensitive), unless the key itself is there too; `lineOf` finds a key under the name it was written.
 */
function ownKeys(
  data: Record<string, unknown>,
  lineOf: (key: string, item?: number) => number | undefined,
): { data: Record<string, unknown>; lineOf: (key: string, item?: number) => number | undefined } {
  const written = new Map<string, string>();
  const own: Record<string, unknown> = {};
  let changed = false;
  for (const [name, value] of Object.entries(data)) {
    // `summary:` with nothing after it: not given, as in Hugo and Jekyll (not a skipped article).
    if (value === null) {
      changed = true;
      continue;
    }
    const known = KNOWN_KEYS.find((k) => k.toLowerCase() === name.toLowerCase());
    if (known && known !== name && !Object.hasOwn(data, known) && !written.has(known)) {
      own[known] = value;
      written.set(known, name);
      changed = true;
    } else own[name] = value;
  }
  if (!changed) return { data, lineOf };
  return { data: own, lineOf: (key, item) => lineOf(written.get(key) ?? key, item) };
}

/** How other tools mark a draft: Jekyll's `published: false`, WordPress's and Ghost's `status: draft`. */
const STATUSES = ['draft', 'pending', 'private', 'publish', 'published', 'scheduled', 'future'];
const isDraftSignal = (name: string, value: unknown) =>
  (name === 'published' && typeof value === 'boolean') ||
  (name === 'status' && typeof value === 'string' && STATUSES.includes(value.trim().toLowerCase()));

function otherToolsDraft(data: Record<string, unknown>): boolean {
  const status = typeof data.status === 'string' ? data.status.trim().toLowerCase() : '';
  return data.published === false || ['draft', 'pending', 'private'].includes(status);
}

/** The episode's tags the front matter gives; nothing when it gives none (most articles). */
function episodeOf(fm: z.output<typeof frontMatterSchema>): { episode?: EpisodeInfo } {
  const episode: EpisodeInfo = {
    ...(fm.duration !== undefined ? { duration: fm.duration } : {}),
    ...(fm.episode !== undefined ? { number: fm.episode } : {}),
    ...(fm.season !== undefined ? { season: fm.season } : {}),
    ...(fm.episodeType !== undefined ? { type: fm.episodeType } : {}),
    ...(fm.explicit !== undefined ? { explicit: fm.explicit } : {}),
  };
  return Object.keys(episode).length > 0 ? { episode } : {};
}

/** Parses one source file. Never throws: a bad article becomes a Problem that names the file, line and fix. */
export function parseArticle(key: string, bytes: Uint8Array, options: ParseOptions): ParseResult {
  return withinRenderLimit(key, bytes, options.renderLimitMs, (): ParseResult => {
    const read = readArticle(key, bytes, options);
    if (!read.ok) return read;
    const body = renderBody(key, bytes, () => read.body.html());
    if (!body.ok) return body;
    return { ok: true, warnings: read.warnings, article: { ...read.article, bodyHtml: body.value } };
  });
}

export interface ParseOptions {
  readonly timeZone: string;
  /** How long parsing one article may take before it is skipped (`RENDER_LIMIT_MS` unless given). */
  readonly renderLimitMs?: number;
}

/**
 * Time one article may take to parse and render. The bench's articles take ~1 ms and a plain 2 MB one
 * ~0.3 s; only input that makes marked backtrack without end gets near this (100 KB of `_a_a…` keeps it
 * busy for minutes), and no article may hold a run up that long: in a Lambda, a run that dies at its
 * timeout and again on every retry.
 */
export const RENDER_LIMIT_MS = 5_000;

/**
 * `parse()`, stopped once it has run `limitMs`: then the Problem that skips the article. One guard for
 * the whole article, not one per step: each costs a watchdog thread.
 */
export function withinRenderLimit<T>(
  key: string,
  bytes: Uint8Array,
  limitMs: number | undefined,
  parse: () => T,
): T | { readonly ok: false; readonly problem: Problem } {
  const limit = limitMs ?? RENDER_LIMIT_MS;
  try {
    return runWithin(limit, parse);
  } catch (error) {
    if (!(error instanceof TimeLimitExceeded)) throw error;
    return skipped(
      key,
      busiestLine(decodeArticle(bytes).text),
      `the article took over ${limit / 1000} s to render, so it was stopped`,
      'simplify the Markdown there: marked slows down on hundreds of _ or * inside words and on lists nested hundreds deep',
    );
  }
}

/** The Problem that skips the article, with the line where known. */
function skipped(key: string, line: number | undefined, message: string, fix: string) {
  return { ok: false, problem: { file: key, ...(line ? { line } : {}), message, fix } } as const;
}

/**
 * What `render` gives, or the Problem that skips the article. Markdown nested thousands deep (a run of
 * `>`, `*` or `[`) overflows the recursive parser's stack: that one file must not stop the run.
 */
export function renderBody<T>(
  key: string,
  bytes: Uint8Array,
  render: () => T,
): { readonly ok: true; readonly value: T } | { readonly ok: false; readonly problem: Problem } {
  try {
    return { ok: true, value: render() };
  } catch (error) {
    const message = (error as Error).message;
    if (!/call stack/i.test(message)) {
      const problem = {
        file: key,
        message: `the body could not be rendered: ${message}`,
        fix: 'simplify the Markdown there',
      };
      return { ok: false, problem };
    }
    return skipped(
      key,
      longestMarkerRun(decodeArticle(bytes).text),
      'the Markdown is nested too deeply to render',
      'remove the long run of nested quote (>), emphasis (*, _) or bracket markers; a few levels are enough',
    );
  }
}

/** The 1-based line with the longest run of one nesting marker (50 at least), where deep nesting starts. */
function longestMarkerRun(text: string): number | undefined {
  let best = 49;
  let bestLine: number | undefined;
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    for (const run of (lines[i] as string).matchAll(/([>*_~[(])(?:\s*\1){49,}/g)) {
      const length = run[0].replace(/\s/g, '').length;
      if (length > best) {
        best = length;
        bestLine = i + 1;
      }
    }
  }
  return bestLine;
}

/**
 * The 1-based line with the most Markdown markers (emphasis, brackets, quotes, code, indentation by two
 * spaces), 50 at least: where a body too slow to render is hardest to parse.
 */
function busiestLine(text: string): number | undefined {
  let best = 49;
  let bestLine: number | undefined;
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    const markers = line.match(/[_*~[\]()>`]/g)?.length ?? 0;
    const indent = (line.length - line.trimStart().length) / 2;
    if (markers + indent > best) {
      best = markers + indent;
      bestLine = i + 1;
    }
  }
  return bestLine;
}

/** `parseArticle`, leaving the body to be rendered by the caller (unsanitised, or safe at its URL). */
export function readArticle(key: string, bytes: Uint8Array, options: ParseOptions): ReadResult {
  const fail = (message: string, fix: string, line?: number): ReadResult => ({
    ok: false,
    problem: { file: key, line, message, fix },
  });
  if (bytes.byteLength === 0) return fail('the file is empty', 'write the article or delete the file');
  if (bytes.byteLength > MAX_ARTICLE_BYTES) {
    return fail(
      `the file is ${(bytes.byteLength / 1024 / 1024).toFixed(1)} MB, over the 2 MB limit`,
      'split the article or move large media out of the text',
    );
  }
  if (looksBinary(bytes)) {
    return fail(
      'the file is not text (binary content)',
      'save the article as UTF-8 text, or remove the file',
    );
  }
  const { text, note } = decodeArticle(bytes);
  if (text.trim() === '') return fail('the file has no text', 'write the article or delete the file');

  const name = key.split('/').pop() ?? key;
  const stem = name.replace(/\.[^.]+$/, '');
  const fileDate = FILE_DATE.exec(stem)?.[1];
  const nameWithoutDate = stem.replace(FILE_DATE, '');
  const isText = name.toLowerCase().endsWith('.txt');

  // A plain-text article may open with front matter too (`---` and keys), as a Markdown one does.
  const split =
    isText && !TEXT_FRONT_MATTER.test(text)
      ? { data: {}, bodyLine: 1, body: text, lineOf: () => undefined }
      : splitFrontMatter(text, key);
  if ('message' in split) return { ok: false, problem: split };

  const warnings: Problem[] = note ? [{ file: key, ...note }] : [];
  const { data, lineOf } = ownKeys(split.data, split.lineOf);
  const parsed = frontMatterSchema.safeParse(data);
  if (!parsed.success) {
    // One problem per file, at the first wrong line; the others are named, to be fixed in one go.
    const byLine = [...parsed.error.issues].sort(
      (a, b) => (lineOf(String(a.path[0])) ?? Infinity) - (lineOf(String(b.path[0])) ?? Infinity),
    );
    // Each key's first issue, said in words an author reads, with what to write instead.
    const said = new Map<string, { message: string; fix: string }>();
    for (const issue of byLine) {
      const field = String(issue.path[0] ?? '');
      if (said.has(field)) continue;
      const fix = FIXES[field] ?? 'fix the front matter';
      said.set(field, describeWrongValue(field, issue, data[field], fix) ?? { message: issue.message, fix });
    }
    const [[field, first] = ['', { message: 'invalid', fix: 'fix the front matter' }], ...others] = said;
    const also = others.map(([other]) => `${other} (line ${lineOf(other) ?? '?'})`).join(', ');
    const alsoFix = others.map(([other, { fix }]) => `; ${other}: ${fix}`).join('');
    return fail(
      `front matter ${field}: ${first.message}${also ? `; also wrong: ${also}` : ''}`,
      `${first.fix}${alsoFix}`,
      lineOf(field),
    );
  }
  const fm = parsed.data;
  for (const unknownKey of Object.keys(data).filter(
    (k) => !KNOWN_KEYS.includes(k) && !isDraftSignal(k, data[k]),
  )) {
    const meant = suggestKey(unknownKey);
    warnings.push({
      file: key,
      line: lineOf(unknownKey),
      message: `unknown front matter key "${unknownKey}" was ignored`,
      fix: meant
        ? `did you mean ${meant}? Rename it (${FIXES[meant]}), or remove it`
        : `remove it, or use one of: ${KNOWN_KEYS.join(', ')}`,
    });
  }
  // An author's email under another name (`emial`) would be dropped without a word.
  const authorData = data.author;
  if (authorData && typeof authorData === 'object' && !Array.isArray(authorData)) {
    const personKeys = ['name', 'email', 'url'];
    for (const unknownKey of Object.keys(authorData).filter((k) => !personKeys.includes(k))) {
      const meant = closestName(unknownKey, personKeys);
      warnings.push({
        file: key,
        line: lineOf('author'),
        message: `unknown key "${unknownKey}" in author was ignored`,
        fix: meant ? `did you mean ${meant}? Rename it, or remove it` : 'author takes name, email and url',
      });
    }
  }
  if (typeof data.title === 'number' || typeof data.title === 'boolean') {
    warnings.push({
      file: key,
      line: lineOf('title'),
      message: `title ${String(data.title)} is not text; published as "${fm.title}"`,
      fix: `quote the title: title: "${String(data.title)}"`,
    });
  }

  const readDate = (field: 'date' | 'updated'): Date | undefined | Problem => {
    const value = fm[field];
    if (value === undefined) return undefined;
    const date = value instanceof Date ? value : parseIsoDate(value, options.timeZone);
    if (!date || Number.isNaN(date.getTime())) {
      return {
        file: key,
        line: lineOf(field),
        message: `${field} "${String(value)}" is not an ISO 8601 date`,
        fix: FIXES[field] ?? '',
      };
    }
    return date;
  };
  const date = readDate('date');
  if (date && 'message' in date) return { ok: false, problem: date };
  const updatedValue = readDate('updated');
  if (updatedValue && 'message' in updatedValue) return { ok: false, problem: updatedValue };
  const published = date ?? (fileDate ? parseIsoDate(fileDate, options.timeZone) : undefined);
  if (!published) {
    // The date under another tool's name (`publishDate:`), or a file name whose date is no date.
    const other = Object.keys(data).find(
      (k) => k !== 'date' && (suggestKey(k) === 'date' || k === 'published') && data[k] !== false,
    );
    if (other !== undefined)
      return fail(
        `the article has no date: "${other}" is not a key the publisher reads`,
        `rename ${other} to date (${FIXES.date})`,
        lineOf(other) ?? 1,
      );
    if (fileDate)
      return fail(
        `the article has no date: ${fileDate} at the start of the file name is not a date`,
        `correct the date in the file name (2025-01-08-${nameWithoutDate}${name.slice(stem.length)}), or add "date: 2025-01-08" to the front matter`,
        1,
      );
    const unpadded = UNPADDED_FILE_DATE.exec(stem);
    if (unpadded) {
      const [written, year, month, day] = unpadded as unknown as [string, string, string, string];
      const padded = `${year}-${month.padStart(2, '0')}-${day.padStart(2, '0')}`;
      const rest = `${stem.slice(written.length)}${name.slice(stem.length)}`;
      const renamed = `${padded}${rest.startsWith('.') ? '' : '-'}${rest}`;
      const shown = written.replace(/[-_ ]$/, '');
      return parseIsoDate(padded, options.timeZone)
        ? fail(
            `the article has no date: ${shown} at the start of the file name is not read as one (a date is written with two-digit months and days: ${padded})`,
            `rename the file ${renamed}, or add "date: ${padded}" to the front matter`,
            1,
          )
        : fail(
            `the article has no date: ${shown} at the start of the file name is not a date`,
            `correct the date in the file name (2025-01-08-${rest}), or add "date: 2025-01-08" to the front matter`,
            1,
          );
    }
    return fail(
      'the article has no date',
      `add "date: 2025-01-08" to the front matter, or start the file name with the date: 2025-01-08-${stem}${name.slice(stem.length)}`,
      1,
    );
  }

  const lineInBody = (at: number) => split.bodyLine + countLines(split.body, at);
  const lineOfRaw = (raw: string) => {
    const at = split.body.indexOf(raw);
    return at === -1 ? undefined : lineInBody(at);
  };
  const lexed = renderBody(key, bytes, () =>
    isText ? textToHtml(split.body) : markdownToHtml(split.body, key, lineOfRaw),
  );
  if (!lexed.ok) return lexed;
  const body = lexed.value;
  const fmTitle = fm.title !== undefined ? singleLine(fm.title) : '';
  const title = fmTitle || body.title || titleFromFileName(nameWithoutDate || stem);
  // Each image by the line it is on: the first occurrence of its text after the one before.
  let from = 0;
  for (const { raw, ref } of body.unlabelled ?? []) {
    const at = split.body.indexOf(raw, from);
    from = at === -1 ? from : at + raw.length;
    warnings.push({
      file: key,
      ...(at === -1 ? {} : { line: lineInBody(at) }),
      message: `the image ${singleLine(ref)} has no description, so a screen reader says only "image" or its file name`,
      fix: 'say what it shows between the brackets: ![Fishing boats at dawn](dawn.jpg); a purely decorative one can be <img alt="" src="…">',
    });
  }
  for (const { raw, kind } of body.foreign ?? []) {
    const line = lineOfRaw(raw);
    warnings.push({
      file: key,
      ...(line === undefined ? {} : { line }),
      message:
        kind === 'spaced'
          ? `the link ${singleLine(raw)} is published as text: its address has a space`
          : kind === 'reference'
            ? `the link ${singleLine(raw)} is published as text: no line defines [${/\]\[([^\]]*)\]$/.exec(raw)?.[1] ?? ''}]`
            : `${FOREIGN_NAMES[kind]} ${singleLine(raw)} is published as written (${FOREIGN_OWNERS[kind]}, not Markdown)`,
      fix: foreignFix(kind, raw),
    });
  }
  for (const { raw, tag } of body.dropped ?? []) {
    const line = lineOfRaw(raw);
    warnings.push({
      file: key,
      ...(line === undefined ? {} : { line }),
      message: `the <${tag}> was left out: ${DROPPED_WHY[tag] ?? 'pages carry no such element'}`,
      fix: DROPPED_FIXES[tag] ?? 'write it in Markdown, or leave it out',
    });
  }
  const slug = fm.slug?.toLowerCase() ?? (slugFromFileName(key) || slugify(title) || slugFromKey(key));
  const { tags, dropped } = normaliseTags(fm.tags);
  for (const { tag, item } of dropped)
    warnings.push({
      file: key,
      line: lineOf('tags', item),
      message: `the tag "${tag}" has no letter or digit, so it was left out`,
      fix: 'write the tag as a word, or remove it',
    });
  // Each tag is a page and three feeds: a pasted keyword list makes thousands of files.
  if (tags.length > MAX_TAGS)
    warnings.push({
      file: key,
      line: lineOf('tags'),
      message: `the article has ${tags.length} tags, and each is a page and three feeds of the site`,
      fix: 'keep the few that say what it is about',
    });
  const author: Person | undefined =
    fm.author === undefined
      ? undefined
      : typeof fm.author === 'string'
        ? personFromText(singleLine(fm.author))
        : fm.author;

  const aliases: string[] = [];
  for (const [index, alias] of (typeof fm.aliases === 'string'
    ? [fm.aliases]
    : (fm.aliases ?? [])
  ).entries()) {
    const aliasAt = aliasKey(alias);
    if (aliasAt && !aliases.includes(aliasAt)) aliases.push(aliasAt);
    else if (!aliasAt)
      warnings.push({
        file: key,
        line: lineOf('aliases', index),
        message: `the alias "${singleLine(alias)}" is not an address a page of this site can have, so it was left out`,
        fix: 'write a path such as /2019/05/old-post/ or /old-post.html (no query, no _ folders)',
      });
  }

  // Typed by its extension, as every published file is: one no reader can type is left out.
  const enclosure = fm.enclosure?.trim();
  const enclosureType = enclosure && fileTypeOf(enclosure.replace(/[?#].*$/, ''));
  if (enclosure && !enclosureType) {
    warnings.push({
      file: key,
      line: lineOf('enclosure'),
      message: `the enclosure "${singleLine(enclosure)}" is not an audio, video or document file (mp3, m4a, ogg, mp4, pdf…), so it was left out`,
      fix: imageTypeOf(enclosure.replace(/[?#].*$/, ''))
        ? 'give a picture as image: instead'
        : 'name the file with the extension of its type, or leave enclosure out',
    });
  }

  // A picture named by `image` is what pages, shares and feeds show: a recording or a document is none.
  const image = fm.image?.trim();
  const imagePath = image?.replace(/[?#].*$/, '') ?? '';
  const notPicture = image !== undefined && !imageTypeOf(imagePath) && fileTypeOf(imagePath) !== undefined;
  if (notPicture)
    warnings.push({
      file: key,
      line: lineOf('image'),
      message: `the image "${singleLine(image)}" is not a picture, so it was left out`,
      fix: 'name it as the enclosure (enclosure: …) to attach it to the item, and give a picture as image',
    });
  if (updatedValue && updatedValue < published)
    warnings.push({
      file: key,
      line: lineOf('updated'),
      message: 'updated is before the date the article was published, so it was ignored',
      fix: 'correct updated (the date of the last change), or remove it',
    });
  if (split.body.trim() === '')
    warnings.push({
      file: key,
      line: split.bodyLine,
      message: 'the article has no text: it is published with its title only',
      fix: 'write it below the front matter, or add draft: true until it is written',
    });
  const media = mediaLinesField(
    body.mediaLines,
    [
      [fm.image, 'image'],
      [enclosure && enclosureType ? enclosure : undefined, 'enclosure'],
    ],
    lineOf,
  );
  for (const href of Object.keys(media.mediaLines ?? {}))
    if (!new URL(href, 'http://page/of/article/').pathname.startsWith('/of/article/'))
      warnings.push({
        file: key,
        line: media.mediaLines?.[href],
        message: `${imageTypeOf(href.replace(/[?#].*$/, '')) ? 'the image' : 'the file'} ${singleLine(href)} is outside the article's folder, so it is not published`,
        fix: 'keep it beside the article (or in a folder under it) and write its path from there',
      });

  return {
    ok: true,
    warnings,
    article: {
      sourceKey: key,
      id: articleId(fm.id, published, slug, options.timeZone),
      slug,
      title,
      published,
      updated: updatedValue && updatedValue > published ? updatedValue : published,
      author,
      tags,
      summary: fm.summary ? markdownLineText(singleLine(fm.summary)) : undefined,
      image: notPicture ? undefined : fm.image,
      ...(fm.language ? { language: fm.language } : {}),
      ...(enclosure && enclosureType ? { enclosure } : {}),
      ...(aliases.length > 0 ? { aliases } : {}),
      ...(body.articleLinks ? { articleLinks: body.articleLinks } : {}),
      ...media,
      ...episodeOf(fm),
      draft: fm.draft ?? (otherToolsDraft(data) || key.split('/').includes('_drafts')),
    },
    body: fmTitle ? body.withTitle : body.withoutTitle,
  };
}

/** The body's media lines with the front matter's relative `image` and `enclosure`, when there are any. */
function mediaLinesField(
  body: Readonly<Record<string, number>> | undefined,
  frontMatter: readonly (readonly [string | undefined, string])[],
  /** Asked only for a relative path: on the fast path it parses the front matter again (~0.3 ms). */
  lineOf: (key: string) => number | undefined,
): { mediaLines?: Readonly<Record<string, number>> } {
  const lines: Record<string, number> = { ...body };
  for (const [href, field] of frontMatter) {
    if (!href || Object.hasOwn(lines, href) || !isRelativeMediaPath(href)) continue;
    const line = lineOf(field);
    if (line !== undefined) lines[href] = line;
  }
  return Object.keys(lines).length > 0 ? { mediaLines: lines } : {};
}

/** More is a keyword list pasted in: said, not refused. */
const MAX_TAGS = 30;

function normaliseTags(tags: string | readonly (string | null)[] | undefined): {
  tags: string[];
  /** With the place of each in the front matter's list (none for `tags: a, b`). */
  dropped: { tag: string; item?: number }[];
} {
  const list = typeof tags === 'string' ? tags.split(',') : (tags ?? []);
  const seen = new Set<string>();
  const out: string[] = [];
  const dropped: { tag: string; item?: number }[] = [];
  for (const [index, raw] of list.entries()) {
    if (raw === null) continue;
    const tag = singleLine(raw);
    // A tag is a word, a number or a pictograph in any script; punctuation alone is none.
    if (!/[\p{L}\p{N}\p{Extended_Pictographic}]/u.test(tag)) {
      if (tag !== '') dropped.push(typeof tags === 'string' ? { tag } : { tag, item: index });
    } else if (!seen.has(tagSlug(tag))) {
      seen.add(tagSlug(tag));
      out.push(tag);
    }
  }
  return { tags: out, dropped };
}

/**
 * A front matter `id` wins (kept when the file or slug changes). Otherwise the id is derived from the
 * publication day and slug, so editing the text or time never changes it.
 */
export function articleId(
  explicit: string | undefined,
  published: Date,
  slug: string,
  timeZone = 'UTC',
): string {
  if (explicit !== undefined && explicit.trim() !== '') {
    const id = explicit.trim();
    // Atom needs an IRI; keep real URIs as they are, wrap anything else in a stable UUID URN.
    if (/^[a-z][a-z0-9+.-]*:\S+$/i.test(id) && !/\s/.test(id)) return id;
    // A bare UUID (what `broadsheet new` and most tools write) is that UUID as a URN, so readers see it.
    if (UUID.test(id)) return `urn:uuid:${id.toLowerCase()}`;
    return `urn:uuid:${uuidFromName(`id:${id}`)}`;
  }
  // The day as the author wrote it (site time zone): adding a time of day to a date keeps the id.
  const { year, month, day } = toZoned(published, timeZone);
  const date = `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  return `urn:uuid:${uuidFromName(`article:${date}:${slug}`)}`;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A name-based UUID (version 5 layout, SHA-1) so derived ids are valid URNs and stable forever. */
function uuidFromName(name: string): string {
  const hash = createHash('sha1').update(`broadsheet:${name}`).digest();
  hash[6] = ((hash[6] ?? 0) & 0x0f) | 0x50;
  hash[8] = ((hash[8] ?? 0) & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** Line breaks in `text` before `end`. */
function countLines(text: string, end: number): number {
  let lines = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < end; i = text.indexOf('\n', i + 1)) lines++;
  return lines;
}

function titleFromFileName(stem: string): string {
  // NFC: macOS writes file names decomposed (e + U+0301), which would show as two characters in some readers.
  const words = stem
    .normalize('NFC')
    .replace(/[-_\s]+/g, ' ')
    .trim();
  return words ? words.charAt(0).toUpperCase() + words.slice(1) : 'Untitled';
}

interface BodyHtml {
  readonly withTitle: ArticleBodySource;
  /** Without the heading that opens the article when that heading is its title. */
  readonly withoutTitle: ArticleBodySource;
  readonly title?: string;
  /** Images shown with no text for those who cannot see them (Markdown only). */
  readonly unlabelled?: readonly UnlabelledImage[];
  /** Links to other articles' files, rewritten to their pages (`article-links.ts`). */
  readonly articleLinks?: readonly ArticleLink[];
  /** Relative paths to images and files, as written, by the line they are first on. */
  readonly mediaLines?: Readonly<Record<string, number>>;
  /** Other tools' shortcodes, templates and wiki links, shown as written (`markdown.ts`). */
  readonly foreign?: readonly ForeignSyntax[];
  /** Raw HTML tags the sanitiser leaves out (an `<iframe>` player, a `<video>`): the first of each. */
  readonly dropped?: readonly { raw: string; tag: string }[];
}

function markdownToHtml(source: string, key: string, lineOf: (raw: string) => number | undefined): BodyHtml {
  const document = lexMarkdown(source);
  const { tokens } = document;
  // Before any HTML is made of the tokens: `[the talks](2025-01-15-talks.md)` becomes a link to its page.
  const articleLinks = linkArticleFiles(tokens, source, key, lineOf);
  // A file named `a#b.png` or `100%.png`: its name, not a fragment or a broken escape (rare: looked for cheaply).
  if (/\]\(<|%(?![0-9A-Fa-f]{2})|\]\([^)\s]*[#?][^)\s]*\.\w+\)/.test(source)) encodeFileNames(tokens);
  // Looked for only in text that can show an image (most articles cannot: no walk over their tokens).
  const unlabelled = source.includes('![') || /<img/i.test(source) ? unlabelledImages(tokens) : [];
  const mediaLines =
    source.includes('](') || source.includes(']:') || /\s(?:src|href)\s*=/i.test(source)
      ? mediaLinesOf(tokens, lineOf)
      : {};
  // Walked only when the text may hold one (every link has `](`; few have a space before their `)`).
  const foreign = /\{\{|\{%|\[\[|\]\[|\]\((?!<)[^)\n]*?\s/.test(source) ? foreignSyntax(tokens) : [];
  const dropped = source.includes('<') ? droppedTags(tokens) : [];
  return {
    ...markdownToHtmlOf(document),
    ...(unlabelled.length > 0 ? { unlabelled } : {}),
    ...(articleLinks.length > 0 ? { articleLinks } : {}),
    ...(Object.keys(mediaLines).length > 0 ? { mediaLines } : {}),
    ...(foreign.length > 0 ? { foreign } : {}),
    ...(dropped.length > 0 ? { dropped } : {}),
  };
}

/** A relative path (no scheme, not from the root, not a fragment) whose name says an image or file. */
function isRelativeMediaPath(href: string): boolean {
  return (
    !/^(?:[a-z][a-z0-9+.-]*:|[/#])/i.test(href) && mediaTypeOf(href.replace(/[?#].*$/, '')) !== undefined
  );
}

/**
 * Writes the address of each image and link to a relative file as a URL of that file's name: a `%` that
 * starts no escape is `%25` (`100%.png`), and a `#` or `?` with no file name before it but one after it is
 * part of the name (`a#b.png` is the file, not `a` and a fragment), as the author who named the file meant.
 * Without this the page asks for another file, and the check of missing files never sees it.
 */
function encodeFileNames(tokens: Token[]): void {
  visitTokens(tokens, (token) => {
    if (token.type !== 'image' && token.type !== 'link') return;
    let href = String(token.href);
    if (/^(?:[a-z][a-z0-9+.-]*:|\/\/)/i.test(href)) return;
    href = href.replace(/%(?![0-9A-Fa-f]{2})/g, '%25');
    const cut = href.search(/[#?]/);
    if (
      cut > 0 &&
      mediaTypeOf(href.slice(0, cut)) === undefined &&
      !/\.(?:md|markdown|txt)$/i.test(href.slice(0, cut))
    )
      if (mediaTypeOf(href) !== undefined) href = href.replaceAll('#', '%23').replaceAll('?', '%3F');
    token.href = href;
  });
}

/** The line of each image and link in `tokens` to a relative image or file, first occurrence. */
function mediaLinesOf(tokens: Token[], lineOf: (raw: string) => number | undefined): Record<string, number> {
  const lines: Record<string, number> = {};
  const note = (href: string, raw: string) => {
    if (Object.hasOwn(lines, href) || !isRelativeMediaPath(href)) return;
    const line = lineOf(raw);
    if (line !== undefined) lines[href] = line;
  };
  visitTokens(tokens, (token) => {
    if (token.type === 'image' || token.type === 'link') note(String(token.href), String(token.raw));
    // `<img src="…">`, `<a href="…">`, `<source src="…">` in the article's own HTML, at their own line.
    else if (token.type === 'html')
      for (const match of String(token.text).matchAll(SRC_OR_HREF)) {
        const value = match[1] ?? match[2] ?? match[3] ?? '';
        note(decodeHTML(value), match[0]);
      }
  });
  return lines;
}

/** An attribute that names a file, quoted either way or not at all. */
const SRC_OR_HREF = /\s(?:src|href)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+))/gi;

function markdownToHtmlOf(document: MarkdownDocument): BodyHtml {
  const { tokens } = document;
  const firstContent = tokens.findIndex((t) => t.type !== 'space');
  const heading = tokens.find((t): t is Tokens.Heading => t.type === 'heading');
  const withTitle = markdownBody(document, tokens);
  if (!heading) return { withTitle, withoutTitle: withTitle };
  const title = singleLine(inlineText(heading.tokens));
  // Only a heading that opens the article is its title; dropping it avoids printing the title twice.
  const withoutTitle =
    tokens[firstContent] === heading
      ? markdownBody(
          document,
          tokens.filter((t) => t !== heading),
        )
      : withTitle;
  return { withTitle, withoutTitle, title: title || undefined };
}

function markdownBody(document: MarkdownDocument, tokens: Token[]): ArticleBodySource {
  let html: string | undefined;
  const unsanitised = () => {
    html ??= document.toHtml(tokens);
    return html;
  };
  return {
    html: unsanitised,
    safeHtml: (pageUrl) => renderSafeMarkdown(tokens, pageUrl) ?? sanitizeBody(unsanitised(), pageUrl),
  };
}

function htmlBody(html: string): ArticleBodySource {
  return { html: () => html, safeHtml: (pageUrl) => sanitizeBody(html, pageUrl) };
}

const CLOSING_PUNCTUATION = /[.!?…:;,"”’'»)\]]$/;

/** One paragraph per line; a short line without closing punctuation is a subheading. */
export function isSubheading(line: string): boolean {
  const trimmed = line.trim();
  // A line of signs only (`---`, `***`: a plain-text rule) says nothing a heading would.
  return (
    trimmed.length > 0 &&
    trimmed.length <= 90 &&
    !CLOSING_PUNCTUATION.test(trimmed) &&
    /[\p{L}\p{N}]/u.test(trimmed)
  );
}

const MARKED_HEADING = /^#{1,6}[ \t]+(.*?)[ \t#]*$/;

function textToHtml(text: string): BodyHtml {
  const lines = text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
  // A line written as a Markdown heading (`# Title`, `## Part`) is a heading, without its signs.
  const heading = (line: string) => MARKED_HEADING.exec(line)?.[1];
  const isHeading = (line: string) => heading(line) !== undefined || isSubheading(line);
  const render = (list: string[]) => {
    // Subheadings get ids as Markdown headings do.
    const ids = new HeadingIds();
    const block = (line: string) => {
      if (!isHeading(line)) return `<p>${escapeHtml(line)}</p>`;
      const words = heading(line) ?? line;
      const id = ids.next(words);
      return `<h2${id ? ` id="${escapeHtml(id)}"` : ''}>${escapeHtml(words)}</h2>`;
    };
    return list.map(block).join('\n');
  };
  const [first, ...rest] = lines;
  // A heading-like first line followed by text is the title the text gives itself.
  if (first && rest.length > 0 && isHeading(first)) {
    const title = heading(first) ?? first;
    return { withTitle: htmlBody(render(lines)), withoutTitle: htmlBody(render(rest)), title };
  }
  const body = htmlBody(render(lines));
  return { withTitle: body, withoutTitle: body };
}
