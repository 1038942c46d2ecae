/**
 * Markdown as articles are written in it: GitHub Flavored Markdown (marked), footnotes (`marked-footnote`)
 * and GitHub's heading ids (`github-slugger`), so `[see below](#the-vote)` and `text[^1]` work as they do
 * on GitHub and in Hugo. Unsanitised HTML: `sanitize-body.ts` makes it safe (or renders the tokens safely).
 */
import { decodeHTML } from 'entities';
import GithubSlugger from 'github-slugger';
import { Marked, Renderer, type Token, type Tokens } from 'marked';
import markedFootnote from 'marked-footnote';
import { codeClassName } from './highlight-code.ts';
import { cleanText, escapeHtml } from './text.ts';

const plain = new Marked({ gfm: true, async: false });

/** Ids the page layout uses itself: a heading named so gets `main-1`. */
const LAYOUT_IDS = ['main'];

/** The ids of one document's headings, in order: GitHub's slugs, each once (`notes`, `notes-1`). */
export class HeadingIds {
  private readonly slugger = new GithubSlugger();

  constructor() {
    for (const id of LAYOUT_IDS) this.slugger.slug(id);
  }

  /** The next heading's id, or undefined for a heading with no letters or digits. */
  next(text: string): string | undefined {
    return this.slugger.slug(text) || undefined;
  }
}

/** ` id="…"` for a heading of `tokens`, or nothing. */
export function headingIdAttribute(ids: HeadingIds, tokens: readonly Token[]): string {
  const id = ids.next(inlineText(tokens));
  return id ? ` id="${escapeHtml(id)}"` : '';
}

class HeadingIdRenderer extends Renderer {
  private readonly ids = new HeadingIds();

  // `c++` and `c#` are no class the sanitiser keeps: the block is named by its language (`cpp`).
  override code(token: Tokens.Code): string {
    const fence = token.lang?.match(/^\S*/)?.[0] ?? '';
    const name = fence ? codeClassName(fence) : undefined;
    return super.code(name && name !== fence ? { ...token, lang: name } : token);
  }

  override heading({ tokens, depth }: Tokens.Heading): string {
    return `<h${depth}${headingIdAttribute(this.ids, tokens)}>${this.parser.parseInline(tokens)}</h${depth}>\n`;
  }
}

/** An article's tokens, and the unsanitised HTML of those (or some of those) tokens. */
export interface MarkdownDocument {
  readonly tokens: Token[];
  toHtml(tokens: Token[]): string;
}

/**
 * Lexes one article. Text without `[^` cannot hold a footnote and takes the plain instance; text with one
 * gets an instance of its own, since the footnote extension keeps per-document state between lexing and
 * rendering (and a body stopped by the time guard must not leave it to the next one).
 */
export function lexMarkdown(source: string): MarkdownDocument {
  const marked = source.includes('[^')
    ? new Marked({ gfm: true, async: false }).use(markedFootnote({ description: 'Notes' }))
    : plain;
  const tokens = marked.lexer(source);
  // The extension moves its list of notes to the end here (`marked.parse` would; `lexer` alone does not).
  const walk = marked.defaults.walkTokens;
  if (walk) marked.walkTokens(tokens, walk);
  // Text with `[^` and no note (a regular expression in prose) has an empty list: left out, so the
  // body can still take the fast path.
  const notes = tokens.findIndex((t) => t.type === 'footnotes');
  if (notes !== -1 && (tokens[notes] as Tokens.Generic).items.length === 0) tokens.splice(notes, 1);
  return {
    tokens,
    toHtml: (some) => marked.parser(some, { ...marked.defaults, renderer: new HeadingIdRenderer() }),
  };
}

/** True for the tokens only the footnote extension renders. */
export function isFootnoteToken(token: Token): boolean {
  return token.type === 'footnotes' || token.type === 'footnote' || token.type === 'footnoteRef';
}

/**
 * The text a reader sees of a heading's inline tokens: the title is that, exactly (`my_var`, `Q&amp;A` is
 * "Q&A", `\*` is "*"), without emphasis, link targets or HTML tags.
 */
export function inlineText(tokens: readonly Token[]): string {
  let text = '';
  for (const token of tokens) {
    // A tag is not text, but a line break between words still parts them.
    if (token.type === 'html') text += /^<br\b/i.test(token.text) ? ' ' : '';
    else if (token.type === 'br') text += ' ';
    else if (token.type === 'image') text += token.text;
    // Code and backslash escapes are shown as written; other text is HTML, whose entities show decoded.
    else if (token.type === 'codespan' || token.type === 'escape') text += token.text;
    else if ('tokens' in token && token.tokens) text += inlineText(token.tokens);
    // A reference can name a character XML forbids (`&#1;`): cleaned as the source text was.
    else if (token.type === 'text') text += cleanText(decodeHTML(token.text));
  }
  return text;
}

/**
 * A line of Markdown as the plain text a reader sees of it (`**Bold** and [a link](x.md)` → "Bold and a
 * link"): for a front matter summary, which goes where no HTML does (meta description, feeds' summary).
 */
export function markdownLineText(line: string): string {
  if (!/[*_`[\]\\<&~]/.test(line)) return line;
  let text = '';
  for (const token of plain.lexer(line))
    if ('tokens' in token && token.tokens) text += inlineText(token.tokens);
  return text.trim() || line;
}

/** An image the text shows with nothing for those who cannot see it: its Markdown or tag, and its address. */
export interface UnlabelledImage {
  readonly raw: string;
  readonly ref: string;
}

const IMG_TAG = /<img\b[^>]*>/gi;

/**
 * Images with no text alternative: `![](x.png)` (or only spaces between the brackets), and an `<img>`
 * with no `alt` at all. `<img alt="">` is how HTML marks a picture as decoration, so it is left alone.
 */
export function unlabelledImages(tokens: readonly Token[]): UnlabelledImage[] {
  const found: UnlabelledImage[] = [];
  visitTokens(tokens, (token) => {
    if (token.type === 'image' && String(token.text).trim() === '')
      found.push({ raw: token.raw, ref: String(token.href) });
    else if (token.type === 'html')
      for (const tag of token.raw.match(IMG_TAG) ?? [])
        if (!/\salt\s*=/i.test(tag))
          found.push({ raw: tag, ref: /\ssrc\s*=\s*["']?([^"'\s>]+)/i.exec(tag)?.[1] ?? tag });
  });
  return found;
}

/** Syntax other tools run or link that Markdown shows as it is written: the first of each kind found. */
export interface ForeignSyntax {
  readonly raw: string;
  readonly kind: 'shortcode' | 'liquid' | 'wikilink' | 'spaced' | 'reference';
}

const FOREIGN: readonly [ForeignSyntax['kind'], RegExp][] = [
  ['shortcode', /\{\{[<%].*?[%>]\}\}/],
  ['liquid', /(?<!\{)\{%.*?%\}(?!\})|\{\{(?![<%]).*?\}\}/],
  ['wikilink', /!?\[\[[^\]\n]+\]\]/],
  // Markdown that did not become a link: an address with a space, a reference defined nowhere.
  ['spaced', /!?\[[^\]\n]*\]\((?!<)[^)\n]*?\s[^)\n]*\)/],
  // Not `matrix[i][j]`: a reference link's text does not follow a word.
  ['reference', /(?<![\w\]])!?\[[^\]\n]+\]\[[^\]\n]+\]/],
];

/**
 * Hugo shortcodes (`{{< youtube id >}}`), Jekyll's Liquid (`{% include x %}`, `{{ site.url }}`) and
 * Obsidian's wiki links (`[[Note]]`, `![[photo.png]]`) in an article's text (not its code), and links
 * Markdown did not make (`[photo](my photo.jpg)`, `[text][nowhere]`): published as written, so the
 * author is told. Looked for only when the source has `{{`, `{%`, `[[`, `](` or `][`.
 */
export function foreignSyntax(tokens: readonly Token[]): ForeignSyntax[] {
  const found = new Map<ForeignSyntax['kind'], ForeignSyntax>();
  visitTokens(tokens, (token) => {
    if (token.type !== 'text' || token.tokens) return;
    for (const [kind, pattern] of FOREIGN) {
      if (found.has(kind)) continue;
      const match = pattern.exec(token.raw);
      if (match) found.set(kind, { raw: match[0], kind });
    }
  });
  return [...found.values()];
}

/** Tags the sanitiser leaves out (`sanitize-body.ts`) that an author writes on purpose: the first of each. */
export function droppedTags(tokens: readonly Token[]): { raw: string; tag: string }[] {
  const found = new Map<string, string>();
  visitTokens(tokens, (token) => {
    if (token.type !== 'html') return;
    for (const match of token.raw.matchAll(DROPPED_TAG)) {
      const tag = (match[1] as string).toLowerCase();
      if (!found.has(tag)) found.set(tag, match[0]);
    }
  });
  return [...found].map(([tag, raw]) => ({ tag, raw }));
}

const DROPPED_TAG = /<(iframe|script|object|embed|video|audio|form|style)\b[^>]*>?/gi;

/**
 * Calls `visit` on every token of an article that is shown, in order, nested ones included: inline
 * tokens, list items, table cells, and each footnote once (a note is lexed where it is written, shown
 * as nothing, and listed again in `footnotes`, where it is shown).
 */
export function visitTokens(tokens: readonly Token[], visit: (token: Tokens.Generic) => void): void {
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) {
      for (const item of value) walk(item);
      return;
    }
    if (!value || typeof value !== 'object') return;
    const token = value as Tokens.Generic;
    if (token.type === 'footnote') return;
    // Table cells have no type: only their tokens.
    if (token.type !== undefined) visit(token);
    if (token.type === 'footnotes') for (const note of token.items ?? []) walk(note.content);
    else walk(token.items);
    walk(token.tokens);
    walk(token.header);
    walk(token.rows);
  };
  walk(tokens);
}
