/**
 * Everything Broadsheet does around `feed` 6, the library that serialises our RSS 2.0 and Atom 1.0
 * (`render-rss.ts`, `render-atom.ts`): how strings are prepared before they are handed to it, and the small
 * fixes applied to its output where its API cannot express what we need. Each fix names the `feed` 6 (or
 * its writer, xml-js 1.6) limitation it works around and has its own test (tests/unit/feed-postprocess.test.ts).
 *
 * Two code points XML 1.0 forbids, U+FFFE and U+FFFF, serve as markers: every string is stripped of them
 * before it reaches `feed`, so in its output they can only be ours.
 */
import { type FeedSpec, mediaMimeType } from './feed-spec.ts';
import { htmlBytesOf, type PublishedArticle } from './site-model.ts';
import { isCdataBytes, removeNonXmlChars, xmlEscape } from './xml-writer.ts';

export const FH_NAMESPACE = 'http://purl.org/syndication/history/1.0';
export const ITUNES_NAMESPACE = 'http://www.itunes.com/dtds/podcast-1.0.dtd';
const ATOM_TYPE = 'application/atom+xml';

/** Stands for `<` in an attribute value (see `restoreAttributeLt`). */
const LT_MARKER = '\uFFFE';
/** Stands for an empty CDATA field (see `restoreEmptyFields`). */
const EMPTY_MARKER = '\uFFFF';

// ---- Before `feed` -------------------------------------------------------------------------------------

/**
 * Text that `feed` writes as an element's text (titles and descriptions of the channel, names, ids,
 * categories). xml-js turns every `&amp;` into `&` before escaping, so a literal `&amp;` would lose
 * `amp;`: escaping `&` first makes its "desanitising" give back exactly the original.
 */
export function feedText(text: string): string {
  return removeNonXmlChars(text).replaceAll('&', '&amp;');
}

/**
 * Text that `feed` writes as CDATA (item titles, descriptions, content). It splits only the first `]]>`:
 * every later one is split here (`]]>` → `]]]]><![CDATA[>`), leaving the first for the library. `feed`
 * drops an empty field, so an empty one becomes a marker that `restoreEmptyFields` empties again.
 */
export function feedCdata(text: string): string {
  const clean = removeNonXmlChars(text);
  return clean === '' ? EMPTY_MARKER : protectCdata(clean);
}

/**
 * An article's HTML as `feedCdata` prepares it. The same article is in several feed documents (its tags',
 * the main feed or an archive page, RSS and Atom), and its HTML is by far the longest text: the last
 * `PREPARED_KEPT` articles' are kept (the model's articles never change), which covers what an upload's
 * feeds show run after run. Not every article's: a Lambda holds its model's articles from run to run, and
 * a prepared copy of each body, as a string, took a first run at 20,000 articles from ~190 to ~530 MB of
 * heap while it wrote the feeds, and kept it there.
 */
export function feedContent(article: PublishedArticle): string {
  let prepared = preparedContent.get(article);
  if (prepared === undefined) {
    prepared = feedCdata(article.html);
    if (preparedContent.size >= PREPARED_KEPT) {
      preparedContent.delete(preparedContent.keys().next().value as PublishedArticle);
    }
  } else preparedContent.delete(article);
  // Last used last: the first key is the one to let go.
  preparedContent.set(article, prepared);
  return prepared;
}
const PREPARED_KEPT = 512;
const preparedContent = new Map<PublishedArticle, string>();

/**
 * The article's HTML as UTF-8 (a worker-parsed body), where `feedContent` would be exactly its text: not
 * empty, only XML characters, no `]]>` (checked on the bytes). A feed document then carries the bytes as
 * they are: the HTML is never decoded, scanned as text, or encoded again.
 */
export function feedContentBytes(article: PublishedArticle): Uint8Array | undefined {
  const bytes = htmlBytesOf(article);
  return bytes && bytes.length > 0 && isCdataBytes(bytes) ? bytes : undefined;
}

/** `]]>` → `]]]]><![CDATA[>` for every occurrence after the first (`feed` 6 escapes only the first). */
export function protectCdata(text: string): string {
  const first = text.indexOf(']]>');
  if (first < 0) return text;
  const head = text.slice(0, first + 3);
  return head + text.slice(first + 3).replaceAll(']]>', ']]]]><![CDATA[>');
}

/**
 * An attribute value `feed` writes as it is (the stylesheet href, attributes of our extensions): xml-js
 * escapes only `"` in attributes, so `&` is escaped here and `<` becomes a marker.
 */
export function feedAttribute(value: string): string {
  return feedTerm(value).replaceAll('&', '&amp;');
}

/** An Atom category term: `feed` escapes its `&` itself, but a `<` would reach the output raw. */
export function feedTerm(value: string): string {
  return removeNonXmlChars(value).replaceAll('<', LT_MARKER);
}

/**
 * The id to hand `feed` for an Atom entry. `feed` 6 passes entry ids through `new URL()`, which rewrites
 * some (`https://example.com` → `…/`, upper-case schemes, non-ASCII) and throws on others; those get a
 * stand-in that `restoreAtomEntryIds` replaces with the exact id. The stand-in holds spaces, which no
 * article id has (ids are URIs without whitespace), so it can never be mistaken for a real one.
 */
export function atomEntryId(id: string, index: number): string {
  return URL.canParse(id) && new URL(id).href === id ? id : `${ID_STAND_IN}${index}`;
}
const ID_STAND_IN = 'urn:broadsheet:id to restore ';

// ---- After `feed` --------------------------------------------------------------------------------------

/**
 * Every fix RSS needs, in order. The channel fixes touch only what precedes the first item; the markers
 * are looked for first and are rarely there, so the document is usually not copied at all.
 */
export function fixRss(xml: string, spec: FeedSpec): string {
  const at = indexOrEnd(xml, '<item>');
  let head = cssStylesheet(xml.slice(0, at));
  if (spec.items.length === 0) head = dropBuildDate(head);
  // `feed` declares the iTunes namespace only with its own podcast option, whose tags are not Apple's.
  if (spec.podcast)
    head = head.replace('<rss version="2.0"', `<rss version="2.0" xmlns:itunes="${ITUNES_NAMESPACE}"`);
  return fixRssItems(head + xml.slice(at));
}

/**
 * The fixes `fixRss` applies past the channel's own elements. Each rewrites a pattern that lies within
 * one element and holds no line break, so applied to each `<item>` apart (cut at the line break before
 * it, as `feed-fragments.ts` does) they give the same bytes as applied to the whole document.
 */
export function fixRssItems(xml: string): string {
  return restoreAttributeLt(restoreEmptyFields(xml));
}

/** Every fix Atom needs, in order: the feed's own (before the first entry), then one pass for the rest. */
export function fixAtom(xml: string, spec: FeedSpec): string {
  const at = indexOrEnd(xml, '<entry>');
  let head = cssStylesheet(xml.slice(0, at));
  head = atomLanguage(head, spec.language);
  head = atomArchiveLinks(head, spec);
  const ids = xml.includes(ID_STAND_IN) ? spec.items.map((a) => a.id) : undefined;
  const languages = spec.items.some((a) => a.language) ? spec.items.map((a) => a.language) : undefined;
  return fixAtomEntries(head + xml.slice(at), ids, languages);
}

/**
 * The fixes `fixAtom` applies past the feed's own elements, `ids` being the entries' exact ids by
 * position when any has a stand-in (`atomEntryId`). Like `fixRssItems`, each is local to one element (a
 * CDATA section, a tag, an `<id>`), so an entry fixed apart, given its own id as `ids[0]` and rendered
 * with stand-in index 0, is byte for byte what it is in its document, unless some real id is itself a
 * stand-in's text (`hasIdStandIn`).
 */
export function fixAtomEntries(
  xml: string,
  ids?: readonly string[],
  /** Each entry's own language by position (front matter `language:`), when any has one. */
  languages?: readonly (string | undefined)[],
): string {
  const restoreIds = ids ? entryIdRestorer(ids) : undefined;
  let entry = 0;
  // A language tag is letters, digits and hyphens (`isLanguageTag`): nothing to escape in the attribute.
  const entryLanguages = (markup: string) =>
    markup.replace(/<entry>/g, () => {
      const language = languages?.[entry++];
      return language ? `<entry xml:lang="${language}">` : '<entry>';
    });
  return outsideCdata(
    xml,
    (markup) => {
      let out = enclosureTypesIn(textTypesIn(markup));
      if (restoreIds) out = restoreIds(out);
      if (languages) out = entryLanguages(out);
      return restoreAttributeLt(out);
    },
    restoreEmptyField,
  );
}

/** True when `text` holds `atomEntryId`'s stand-in (never in an id `parseArticle` makes: it has spaces). */
export const hasIdStandIn = (text: string) => text.includes(ID_STAND_IN);

const indexOrEnd = (text: string, search: string) => {
  const at = text.indexOf(search);
  return at < 0 ? text.length : at;
};

/**
 * Applies `fix` to the markup of `xml` and never to the text inside CDATA sections, which can hold
 * anything an author wrote (`<title type="html">` included). Outside CDATA, `feed`'s output has no raw
 * `<` but its own tags (text is escaped; attribute values are URLs or carry `LT_MARKER`). `section`, when
 * given, maps each whole CDATA section (`<![CDATA[…]]>`). The document is copied once, at the end.
 */
export function outsideCdata(
  xml: string,
  fix: (markup: string) => string,
  section: (cdata: string) => string = (cdata) => cdata,
): string {
  const parts: string[] = [];
  let at = 0;
  for (;;) {
    const open = xml.indexOf('<![CDATA[', at);
    if (open < 0) {
      parts.push(fix(xml.slice(at)));
      return parts.join('');
    }
    const close = xml.indexOf(']]>', open + 9);
    if (close < 0) throw new Error('unterminated CDATA section');
    parts.push(fix(xml.slice(at, open)), section(xml.slice(open, close + 3)));
    at = close + 3;
  }
}

/** `feed` 6 writes its stylesheet instruction as `type="text/xsl"` only; feed.css is CSS. */
export function cssStylesheet(xml: string): string {
  return xml.replace(
    /^(<\?xml [^>]*\?>\s*<\?xml-stylesheet [^>]*?) type="text\/xsl"\?>/,
    '$1 type="text/css"?>',
  );
}

/** `feed` 6 always writes `lastBuildDate` (the clock when not given); a feed without items has no date. */
export function dropBuildDate(xml: string): string {
  return xml.replace(/\n[ \t]*<lastBuildDate>[^<]*<\/lastBuildDate>/, '');
}

/** `feed` 6 has no language for Atom: `xml:lang` goes on the root (its first `<feed …>` is the root). */
export function atomLanguage(xml: string, language: string): string {
  const root = '<feed xmlns="http://www.w3.org/2005/Atom">';
  return xml.replace(root, () => `${root.slice(0, -1)} xml:lang="${xmlEscape(language)}">`);
}

/**
 * `feed` 6's Atom has only alternate, self and hub links and no extension elements: RFC 5005's `current`
 * and `prev-archive` links and `fh:archive` (with its namespace) go after the feed's self link.
 */
export function atomArchiveLinks(xml: string, spec: FeedSpec): string {
  const link = (rel: string, href: string) =>
    `<link rel="${rel}" type="${ATOM_TYPE}" href="${xmlEscape(href)}"/>`;
  const added = [
    spec.current && link('current', spec.current.atom),
    spec.prevArchive && link('prev-archive', spec.prevArchive.atom),
    spec.current && `<fh:archive xmlns:fh="${FH_NAMESPACE}"/>`,
  ].filter((x): x is string => typeof x === 'string');
  if (added.length === 0) return xml;
  // The feed's own links come before any entry, so the first self link is the feed's.
  return xml.replace(/(\n([ \t]*)<link rel="self" href="[^"]*"\/>)/, (_all, self: string, indent: string) =>
    [self, ...added].join(`\n${indent}`),
  );
}

/** `feed` 6 types every entry title and summary `html`; ours are plain text (`a <b> c` is not markup). */
export function atomTextTypes(xml: string): string {
  return outsideCdata(xml, textTypesIn);
}

const textTypesIn = (markup: string) => markup.replace(/<(title|summary) type="html">/g, '<$1 type="text">');

/**
 * `feed` 6 types an Atom enclosure `image/<extension>` (`image/jpg` is no MIME type, nor `image/mp3`) and
 * ignores the type it is given: the type is taken from the extension again (`mediaMimeType`).
 */
export function atomEnclosureTypes(xml: string): string {
  return outsideCdata(xml, enclosureTypesIn);
}

function enclosureTypesIn(markup: string): string {
  if (!markup.includes('<link rel="enclosure"')) return markup;
  return markup.replace(
    /(<link rel="enclosure" href="([^"]*)"[^>]*? type=")([^"]*)"/g,
    (all, head, href, _type) => {
      const type = mediaMimeType(String(href).replaceAll('&amp;', '&'));
      return type ? `${head}${type}"` : all;
    },
  );
}

/** Puts back the exact id of each entry that `atomEntryId` gave a stand-in (`new URL()` in `feed` 6). */
export function restoreAtomEntryIds(xml: string, ids: readonly string[]): string {
  if (!xml.includes(ID_STAND_IN)) return xml;
  return outsideCdata(xml, entryIdRestorer(ids));
}

function entryIdRestorer(ids: readonly string[]): (markup: string) => string {
  const standIn = new RegExp(`<id>${ID_STAND_IN}(\\d+)</id>`, 'g');
  return (markup) =>
    markup.includes(ID_STAND_IN)
      ? markup.replace(standIn, (all, index) => {
          const id = ids[Number(index)];
          return id === undefined ? all : `<id>${xmlEscape(id)}</id>`;
        })
      : markup;
}

/** `feed` 6 leaves out an empty description, summary or content: the element stays, empty. */
export function restoreEmptyFields(xml: string): string {
  return xml.includes(EMPTY_MARKER) ? xml.replaceAll(EMPTY_SECTION, '') : xml;
}

const EMPTY_SECTION = `<![CDATA[${EMPTY_MARKER}]]>`;
const restoreEmptyField = (cdata: string) => (cdata === EMPTY_SECTION ? '' : cdata);

/** xml-js (`feed` 6's writer) escapes only `"` in attribute values: a `<` (as `LT_MARKER`) becomes `&lt;`. */
export function restoreAttributeLt(xml: string): string {
  return xml.includes(LT_MARKER) ? xml.replaceAll(LT_MARKER, '&lt;') : xml;
}

/**
 * An enclosure's `length` as `feed` is handed it: digits in a string (its type says number), which xml-js
 * writes as they are. A number would make each length its own item shape (`feed-stencil.ts`), so every
 * item with an image in the content would be rendered through `feed`; a string is a stencil slot.
 */
export function lengthText(bytes: number): number {
  return String(bytes) as unknown as number;
}
