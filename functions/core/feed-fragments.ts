/**
 * What the RSS and Atom renderers share to render each article's item once, not once per document. An
 * article is in ~2.4 documents per format (the main feed or an archive page, and its tags' feeds), and its
 * item's bytes never depend on the document: xml-js indents by depth only, every item sits at the same
 * depth, and every fix `feed-postprocess.ts` makes to items rewrites something within one element. So
 * each renderer caches an article's finished item (serialised by `feed`, then fixed) and builds a document
 * as `feed`'s rendering of it with only the items not cached yet (or one placeholder item), every item
 * spliced in where those were. Those items are rendered with a short stand-in for their content wherever
 * the content would come out verbatim, so that the HTML is never carried through `feed` at all, and most
 * come from their shape's stencil (`feed-stencil.ts`) without running `feed` for them.
 *
 * An item's content (the article's HTML, by far its longest text) is not held twice: a cached item is the
 * text before and after it, kept only where the render is exactly `before + content + after`.
 */

/** An item as `[before, after]` its content, or `[whole]` where the content could not be cut out. */
export type ItemFragment = readonly [string] | readonly [string, string];

/** Appends an item's text to `parts`: the content goes between the two halves of a cut item. */
export function pushItem(parts: (string | Uint8Array)[], fragment: ItemFragment, content: string): void {
  if (fragment.length === 1) parts.push(fragment[0]);
  else parts.push(fragment[0], content, fragment[1]);
}

/**
 * A rendered item (from the line break before its tag to its end tag) as an `ItemFragment` around
 * `content`, which `feed` writes as the item's last CDATA section (only escaped text and attributes come
 * after it). Where that section is not exactly `content` (one `feed` split at a `]]>`, an empty one a fix
 * removed), the whole item is kept.
 */
export function splitItem(item: string, content: string): ItemFragment {
  const end = item.lastIndexOf(']]>');
  const start = end - content.length;
  if (
    content !== '' &&
    start >= 9 &&
    item.startsWith('<![CDATA[', start - 9) &&
    item.slice(start, end) === content
  ) {
    // One flat copy of what is kept: slices of `item` would keep the whole render (every content in it) alive.
    const kept = [item.slice(0, start), item.slice(end)].join('');
    return [kept.slice(0, start), kept.slice(start)];
  }
  return [[item.slice(0, 1), item.slice(1)].join('')];
}

/**
 * A rendered feed cut around its items: the text before the first, each item (from the line break before
 * its `<item>` or `<entry>` to the end of its end tag), and the text after the last. Tags are looked for
 * outside CDATA sections only: there, `feed`'s output has no `<` but its own tags (text is escaped,
 * attribute values are URLs or carry a marker), while a section may hold anything an author wrote.
 */
export function cutItems(
  xml: string,
  name: 'item' | 'entry',
): { head: string; items: string[]; tail: string } {
  // `<entry>`, or `<entry xml:lang="fr">` for an article in a language of its own.
  const openTag = `<${name}`;
  const closeTag = `</${name}>`;
  const items: string[] = [];
  let start = -1;
  let first = -1;
  let last = -1;
  const scan = (from: number, to: number) => {
    const markup = xml.slice(from, to);
    let at = 0;
    for (;;) {
      const tag = start < 0 ? openTag : closeTag;
      const found = markup.indexOf(tag, at);
      if (found < 0) return;
      if (start < 0 && !'> '.includes(markup[found + tag.length] ?? '')) {
        at = found + tag.length;
        continue;
      }
      if (start < 0) {
        start = xml.lastIndexOf('\n', from + found);
        if (first < 0) first = start;
      } else {
        last = from + found + tag.length;
        items.push(xml.slice(start, last));
        start = -1;
      }
      at = found + tag.length;
    }
  };
  let at = 0;
  for (;;) {
    const open = xml.indexOf('<![CDATA[', at);
    if (open < 0) break;
    const close = xml.indexOf(']]>', open + 9);
    if (close < 0) throw new Error('unterminated CDATA section');
    scan(at, open);
    at = close + 3;
  }
  scan(at, xml.length);
  if (start >= 0 || first < 0) throw new Error(`no complete <${name}> in the feed`);
  return { head: xml.slice(0, first), items, tail: xml.slice(last) };
}

/** What stands in for an item's content while `feed` renders it; a number after it makes it unique. */
const STAND_IN = 'broadsheet-content-';

/**
 * Content `feed` writes as one CDATA section, unchanged, and no fix touches: not empty, no `]]>` (`feed`
 * splits the first), no U+FFFF (the empty-field marker of `feed-postprocess.ts`, removed with its section).
 */
const comesOutVerbatim = (content: string) =>
  content !== '' && !content.includes(']]>') && !content.includes('\uFFFF');

/**
 * A per-article cache of one format's items. The key is what an item depends on besides the article
 * (RSS: the feed's default author). An article is immutable (a changed one is a new object), so a warm
 * Lambda reuses its items from run to run, and an article let go takes its items with it.
 */
export class ItemCache<A extends object> {
  readonly #items = new WeakMap<A, { key: string; fragment: ItemFragment }>();

  get(article: A, key: string): ItemFragment | undefined {
    const hit = this.#items.get(article);
    return hit && hit.key === key ? hit.fragment : undefined;
  }

  set(article: A, key: string, fragment: ItemFragment): void {
    this.#items.set(article, { key, fragment });
  }
}

/**
 * A document as its renderer hands it over: text, and each article's content that is its HTML as the UTF-8
 * bytes it came with (a worker-parsed body), spliced in as they are, never decoded (`renderDocument`).
 */
export type DocumentParts = readonly (string | Uint8Array)[];

const decoder = new TextDecoder();

/** The document as one string. */
export function joinParts(parts: DocumentParts): string {
  return parts.map((part) => (typeof part === 'string' ? part : decoder.decode(part))).join('');
}

export interface SpliceOptions<A extends object> {
  readonly name: 'item' | 'entry';
  readonly articles: readonly A[];
  readonly cache: ItemCache<A>;
  /** What an article's item depends on besides the article itself. */
  readonly key: (article: A) => string;
  readonly content: (article: A) => string;
  /**
   * The article's content as UTF-8, where it has it and `content` would be exactly that text, verbatim
   * (not empty, only XML characters, no `]]>`): then the bytes go in, and `content` is never asked.
   */
  readonly bytes?: (article: A) => Uint8Array | undefined;
  /** The document with `missing`'s items, each with the content `content` gives it. */
  readonly render: (missing: readonly A[], content: (article: A) => string) => string;
  /**
   * The article's item with `content`, as `render` would give it (from the line break before its tag),
   * where a stencil can tell without `feed` (`feed-stencil.ts`); `undefined` leaves it to `render`.
   */
  readonly stencil?: (article: A, content: string) => string | undefined;
}

/**
 * A document with each article's item: `render` renders it (one `feed` call, fixed) with the items not
 * cached yet, or with one placeholder item when all are; those items are cut out and cached, and the
 * document is what precedes the first item, every item in order, and what follows the last (the contents
 * `bytes` gives left as bytes; `joinParts` makes it one string).
 */
export function spliceItemParts<A extends object>(options: SpliceOptions<A>): DocumentParts {
  const { name, articles, cache, key, content } = options;
  const bytes = options.bytes ?? (() => undefined);
  const missing = articles.filter((article) => cache.get(article, key(article)) === undefined);
  // Carrying the HTML through `feed`, xml-js and the fixes' scans is over half the work of rendering an
  // item: each is rendered with a short stand-in for content that comes out verbatim, cut around it, and
  // its content goes back in below, as for every cached item.
  const standIns = new Map<A, string>();
  missing.forEach((article, i) => {
    if (bytes(article) || comesOutVerbatim(content(article))) standIns.set(article, `${STAND_IN}${i}`);
  });
  const standInOr = (article: A) => standIns.get(article) ?? content(article);
  // Most items come from their shape's stencil; `feed` renders the rest, and the document around them.
  const stencilled = new Map<A, ItemFragment>();
  if (options.stencil) {
    for (const article of missing) {
      const itemContent = standInOr(article);
      const item = options.stencil(article, itemContent);
      const fragment = item === undefined ? undefined : splitItem(item, itemContent);
      // Cut whole around a stand-in (never seen): `feed` renders it with its content, as below.
      if (fragment && !(fragment.length === 1 && standIns.has(article))) stencilled.set(article, fragment);
    }
  }
  const rest = stencilled.size > 0 ? missing.filter((article) => !stencilled.has(article)) : missing;
  const rendered = (contentOf: (article: A) => string) => {
    const cut = cutItems(options.render(rest, contentOf), name);
    if (cut.items.length !== Math.max(1, rest.length)) {
      throw new Error(`expected ${Math.max(1, rest.length)} <${name}> elements, found ${cut.items.length}`);
    }
    const fragments = rest.map((article, i) => splitItem(cut.items[i] as string, contentOf(article)));
    return { ...cut, fragments };
  };
  let document = rendered(standInOr);
  // A stand-in that did not come out as it went in (never seen): render the items with their content.
  if (document.fragments.some((fragment, i) => fragment.length === 1 && standIns.has(rest[i] as A))) {
    document = rendered(content);
  }
  const { head, tail, fragments } = document;
  rest.forEach((article, i) => {
    cache.set(article, key(article), fragments[i] as ItemFragment);
  });
  for (const [article, fragment] of stencilled) cache.set(article, key(article), fragment);
  const parts: (string | Uint8Array)[] = [head];
  for (const article of articles) {
    const fragment = cache.get(article, key(article)) as ItemFragment;
    // A cut item was cut around exactly `content`: where that is the bytes' text, the bytes go there.
    const utf8 = fragment.length === 2 ? bytes(article) : undefined;
    if (utf8) parts.push(fragment[0], utf8, fragment[1] as string);
    else pushItem(parts, fragment, content(article));
  }
  parts.push(tail);
  return parts;
}
