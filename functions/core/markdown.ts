/**
 * Markdown as articles are written in it: GitHub Flavored Markdown (marked), footnotes (`marked-footnote`)
 * and GitHub's heading ids (`github-slugger`), so `[see below](#the-vote)` and `text[^1]` work as they do
 * on GitHub and in Hugo. Unsanitised HTML: `sanitize-body.ts` makes it safe (or renders the tokens safely).
 */
import { decodeHTML } from 'entities';
import GithubSlugger from 'github-slugger';
import { Marked, Renderer, type Token, type Tokens } from 'marked';
import markedFootnote from 'marked-footnote';
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
