import { compile } from 'html-to-text';
import { Parser, Renderer, type Token, type Tokens } from 'marked';
import sanitizeHtml from 'sanitize-html';
import { codeClassName, highlightCode } from './highlight-code.ts';
import { HeadingIds, headingIdAttribute, isFootnoteToken } from './markdown.ts';
import { cleanText } from './text.ts';

/** A link or image URL as the body keeps it: absolute against the page, http(s), mailto or tel; else none. */
export function absoluteUrl(value: string | undefined, base: string): string | undefined {
  if (value === undefined) return undefined;
  try {
    const url = new URL(value.trim(), base);
    return ['http:', 'https:', 'mailto:', 'tel:'].includes(url.protocol) ? url.href : undefined;
  } catch {
    return undefined;
  }
}
const absolute = absoluteUrl;

/**
 * Removes anything executable (script, iframe, on* handlers, javascript: URLs) and makes every link and
 * image absolute against the article's own URL, so the same HTML works in pages, feeds and email.
 */
export function sanitizeBody(html: string, pageUrl: string): string {
  // sanitize-html writes what references name as characters: those XML forbids (`&#1;`) go, and U+0080–U+009F
  // become what HTML makes of them (`&#x80;` is €), as in the source text, so every format shows the same.
  return highlightCode(sanitizedText(html, pageUrl));
}

function sanitizedText(html: string, pageUrl: string): string {
  return cleanText(
    sanitizeHtml(html, {
      allowedTags: [
        ...sanitizeHtml.defaults.allowedTags.filter((t) => t !== 'wbr'),
        'img',
        'h1',
        'h2',
        'del',
        'ins',
        'sup',
        'sub',
        'input',
        // A part the reader opens (`<details><summary>Spoilers</summary>…`): no script, nothing hidden for good.
        'details',
        'summary',
        // Highlighted code (`highlight-code.ts`), so that a safe body sanitised again stays as it is.
        'span',
      ],
      allowedAttributes: {
        a: ['href', 'title', 'name', 'id', 'aria-label'],
        img: ['src', 'alt', 'title', 'width', 'height'],
        code: ['class'],
        span: ['class'],
        th: ['align', 'colspan', 'rowspan', 'scope'],
        td: ['align', 'colspan', 'rowspan'],
        ol: ['start'],
        input: ['type', 'checked', 'disabled'],
        details: ['open'],
        '*': ['id', 'lang', 'dir'],
      },
      allowedClasses: { code: [/^language-[\w-]+$/], span: [/^hljs-[\w-]+$/] },
      allowedSchemes: ['http', 'https', 'mailto', 'tel'],
      allowedSchemesAppliedToAttributes: ['href', 'src'],
      allowProtocolRelative: true,
      disallowedTagsMode: 'discard',
      nonTextTags: ['script', 'style', 'textarea', 'option', 'noscript', 'iframe', 'object', 'embed'],
      transformTags: {
        a: (tagName, attribs) => {
          const href = absolute(attribs.href, pageUrl);
          const { href: _drop, ...rest } = attribs;
          return { tagName, attribs: href ? { ...rest, href } : rest };
        },
        img: (tagName, attribs) => {
          const src = absolute(attribs.src, pageUrl);
          const { src: _drop, ...rest } = attribs;
          return {
            tagName,
            attribs: src ? { ...rest, src, alt: rest.alt ?? '' } : { ...rest, alt: rest.alt ?? '' },
          };
        },
        // A task list's checkbox, which the reader cannot tick. Any other input goes in the filter below:
        // renamed to a tag no rule allows, it lost its being void and took the next closing tag with it.
        input: (tagName, attribs) => ({ tagName, attribs: { ...attribs, disabled: '' } }),
      },
      exclusiveFilter: (frame) =>
        (frame.tag === 'img' && !frame.attribs.src) ||
        (frame.tag === 'input' && frame.attribs.type?.toLowerCase() !== 'checkbox'),
    }),
  );
}

/**
 * Renders Markdown tokens that hold no raw HTML straight to the bytes `sanitizeBody(marked's HTML, pageUrl)`
 * would give, without parsing HTML: a full build spends most of its time in sanitize-html otherwise.
 * Every tag and attribute below is one the allowlist keeps, written the way sanitize-html writes it
 * (text escapes `& < >`, attributes also `"`; void tags end in ` />`; `a` and `img` list their attributes
 * in the order the transforms leave them). Returns `undefined` when the tokens hold raw HTML or anything
 * else this renderer does not vouch for: the caller then sanitises marked's output as before.
 */
export function renderSafeMarkdown(tokens: Token[], pageUrl: string): string | undefined {
  // Footnotes are rendered by their extension, which this renderer does not know.
  if (hasRawHtml(tokens) || tokens.some(isFootnoteToken)) return undefined;
  try {
    const html = new Parser({ gfm: true, renderer: new SafeRenderer(pageUrl) }).parse(tokens);
    // marked writes numeric references (`&#x80;`) as characters: cleaned as `sanitizeBody` cleans them.
    // Only then: the source text was cleaned already, and a scan of every body costs ~20 µs.
    return highlightCode(tokens.some((t) => t.raw.includes('&#')) ? cleanText(html) : html);
  } catch (error) {
    if (error instanceof NotVouchedFor) return undefined;
    throw error;
  }
}

/** True when any token, block or inline, at any depth, is raw HTML. */
export function hasRawHtml(tokens: readonly Token[]): boolean {
  for (const token of tokens) {
    if (token.type === 'html') return true;
    if (token.type === 'list') {
      for (const item of (token as Tokens.List).items) if (hasRawHtml(item.tokens)) return true;
    } else if (token.type === 'table') {
      const { header, rows } = token as Tokens.Table;
      for (const cell of header) if (hasRawHtml(cell.tokens)) return true;
      for (const row of rows) for (const cell of row) if (hasRawHtml(cell.tokens)) return true;
    } else {
      const children = (token as Partial<Tokens.Generic>).tokens;
      if (children && hasRawHtml(children)) return true;
    }
  }
  return false;
}

class NotVouchedFor extends Error {
  constructor(what: string) {
    super(`the fast renderer does not vouch for ${what}`);
    this.name = 'NotVouchedFor';
  }
}

// What marked's escape leaves as a character reference (and the HTML parser would then decode): the
// fast path would have to decode it as sanitize-html does, so such text takes the slow path instead.
const CHARACTER_REFERENCE = /&(?:#\d{1,7}|#[Xx][a-fA-F0-9]{1,6}|\w+);/;

/** The value sanitize-html reads back from marked's escaped output: the same text, unless it holds a reference. */
function plain(value: string): string {
  if (value.includes('&') && CHARACTER_REFERENCE.test(value))
    throw new NotVouchedFor('a character reference');
  return value;
}

const escapeText = (text: string) =>
  /[&<>]/.test(text) ? text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;') : text;
const escapeAttribute = (text: string) => escapeText(text).replace(/"/g, '&quot;');

/** marked's `cleanUrl`: the href it writes, or null when it writes none. */
function cleanUrl(href: string): string | null {
  try {
    return encodeURI(href).replace(/%25/g, '%');
  } catch {
    return null;
  }
}

/** marked's renderer, writing what sanitize-html would write back (see `renderSafeMarkdown`). */
class SafeRenderer extends Renderer {
  private readonly pageUrl: string;
  private readonly ids = new HeadingIds();

  constructor(pageUrl: string) {
    super();
    this.pageUrl = pageUrl;
  }

  override code({ text, lang, escaped }: Tokens.Code): string {
    if (escaped) throw new NotVouchedFor('pre-escaped code');
    const language = (lang ?? '').match(/^\S*/)?.[0] ?? '';
    const code = text ? `${text.replace(/\n$/, '')}\n` : '';
    // The allowlist keeps only `language-[\w-]+`: an alias such as `c++` is named by its language.
    const name = language ? codeClassName(plain(language)) : undefined;
    const open = name ? `<code class="language-${name}">` : '<code>';
    return `<pre>${open}${escapeText(code)}</code></pre>\n`;
  }

  override html(): string {
    throw new NotVouchedFor('raw HTML');
  }

  override heading({ tokens, depth }: Tokens.Heading): string {
    return `<h${depth}${headingIdAttribute(this.ids, tokens)}>${this.parser.parseInline(tokens)}</h${depth}>\n`;
  }

  override hr(): string {
    return '<hr />\n';
  }

  override checkbox({ checked }: Tokens.Checkbox): string {
    return `<input ${checked ? 'checked ' : ''}disabled type="checkbox" /> `;
  }

  override codespan({ text }: Tokens.Codespan): string {
    return `<code>${escapeText(text)}</code>`;
  }

  override br(): string {
    return '<br />';
  }

  override link({ href, title, text, tokens, autolink }: Tokens.Link): string {
    const inner = autolink ? escapeText(text) : this.parser.parseInline(tokens);
    const cleanHref = cleanUrl(href);
    if (cleanHref === null) return inner;
    const url = absoluteUrl(autolink ? cleanHref : plain(cleanHref), this.pageUrl);
    const titleAttribute = title ? ` title="${escapeAttribute(plain(title))}"` : '';
    const hrefAttribute = url ? ` href="${escapeAttribute(url)}"` : '';
    return `<a${titleAttribute}${hrefAttribute}>${inner}</a>`;
  }

  override image({ href, title, text, tokens }: Tokens.Image): string {
    const alt = plain(tokens ? this.parser.parseInline(tokens, this.parser.textRenderer) : text);
    const cleanHref = cleanUrl(href);
    if (cleanHref === null) return escapeText(alt);
    const src = absoluteUrl(plain(cleanHref), this.pageUrl);
    // sanitize-html drops an image without a safe src altogether.
    if (!src) return '';
    const titleAttribute = title ? ` title="${escapeAttribute(plain(title))}"` : '';
    return `<img alt="${escapeAttribute(alt)}"${titleAttribute} src="${escapeAttribute(src)}" />`;
  }

  override text(token: Tokens.Text | Tokens.Escape): string {
    if ('tokens' in token && token.tokens) return this.parser.parseInline(token.tokens);
    if ('escaped' in token && token.escaped) throw new NotVouchedFor('pre-escaped text');
    return escapeText(plain(token.text));
  }
}

/** Plain text of the first paragraph that has any: the summary when the author gave none. */
export function leadText(html: string): string {
  // The first paragraph with text: one that holds only a picture (an article opening with its photo)
  // would leave the summary, the meta description and the digest's item empty.
  const paragraphs = /<p[\s>][\s\S]*?<\/p>/gi;
  for (let match = paragraphs.exec(html); match; match = paragraphs.exec(html)) {
    const text = simpleParagraphText(match[0]) ?? htmlToPlainText(match[0]);
    if (text !== '') return text;
  }
  return '';
}

// The inline markup sanitised Markdown puts in a paragraph, exactly as sanitize-html (and the fast path)
// writes it. Attribute values hold no `>` (it is escaped), so `[^>]*` cannot run past a tag.
const SIMPLE_INLINE_TAG =
  /<\/?(?:em|strong|del|code|sup|sub|ins)>|<a(?: title="[^"<>]*")?(?: href="[^"<>]*")?>|<\/a>|<img [^<>]*\/>|<input (?:checked )?disabled type="checkbox" \/>|<br \/>/g;
const OTHER_MARKUP = /[<>]|&(?!(?:amp|lt|gt|quot);)/;
const ENTITY = /&(amp|lt|gt|quot);/g;
const ENTITY_TEXT: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"' };

/**
 * What `htmlToPlainText` gives for `<p>…</p>` holding only text and the inline tags above (a test holds the
 * two together), without building a DOM; `undefined` for anything else. Images are skipped, a line break
 * is a space, and html-to-text's own whitespace (which counts U+200B) collapses with the rest.
 */
function simpleParagraphText(paragraph: string): string | undefined {
  if (!paragraph.startsWith('<p>')) return undefined;
  const inner = paragraph.slice(3, -4).replace(SIMPLE_INLINE_TAG, (tag) => (tag === '<br />' ? ' ' : ''));
  if (OTHER_MARKUP.test(inner)) return undefined;
  return inner
    .replace(ENTITY, (_, name: string) => ENTITY_TEXT[name] ?? '')
    .replace(/[\s\u200B]+/g, ' ')
    .trim();
}

// Compiled once: `convert()` re-reads its options on every call, a cost paid per article on a full build.
const toPlainText = compile({
  wordwrap: false,
  selectors: [
    { selector: 'a', options: { ignoreHref: true } },
    { selector: 'img', format: 'skip' },
    // A footnote's number is not part of the sentence it marks.
    { selector: 'sup > a[id^="footnote-ref-"]', format: 'skip' },
    { selector: 'h1', options: { uppercase: false } },
    { selector: 'h2', options: { uppercase: false } },
    { selector: 'h3', options: { uppercase: false } },
  ],
});

export function htmlToPlainText(html: string): string {
  return toPlainText(html).replace(/\s+/g, ' ').trim();
}
