/**
 * A tiny XML serialiser for `feeds.opml` and the few elements `feed-postprocess.ts` adds to `feed`'s
 * output. Every text and attribute goes through `xmlEscape`, so no author text can close an element, open
 * a CDATA section or carry a character XML 1.0 forbids: the output is well-formed by construction (and
 * still checked strictly before it is written).
 */

// XML 1.0 Char excludes C0 controls but tab/LF/CR, U+FFFE/U+FFFF and lone surrogates.
const NOT_XML_CHAR =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: these are exactly the characters XML 1.0 forbids
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

// Anything outside the Basic Multilingual Plane's XML characters, surrogates included: a single character
// class scans several times faster than `NOT_XML_CHAR`'s look-arounds, and most text matches nothing.
const MAYBE_NOT_XML_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD]/;

/** Drops the characters XML 1.0 cannot carry (C0 controls but tab/LF/CR, U+FFFE/U+FFFF, lone surrogates). */
export function removeNonXmlChars(text: string): string {
  return MAYBE_NOT_XML_CHAR.test(text) ? text.replace(NOT_XML_CHAR, '') : text;
}

/** True when `text` holds only characters XML 1.0 can carry (what `removeNonXmlChars` would keep). */
export function isXmlText(text: string): boolean {
  if (!MAYBE_NOT_XML_CHAR.test(text)) return true;
  NOT_XML_CHAR.lastIndex = 0;
  const bad = NOT_XML_CHAR.test(text);
  NOT_XML_CHAR.lastIndex = 0;
  return !bad;
}

/**
 * True when UTF-8 `bytes` (as `TextEncoder` writes them: never a surrogate) may stand as a CDATA section's
 * whole text: only XML 1.0 characters, and no `]]>`. Read on the bytes, so an article's HTML kept as UTF-8
 * is checked without being decoded; remembered per array (a feed document's RSS and Atom share one).
 */
export function isCdataBytes(bytes: Uint8Array): boolean {
  let verdict = cdataVerdicts.get(bytes);
  if (verdict === undefined) {
    verdict = scanCdataBytes(bytes);
    cdataVerdicts.set(bytes, verdict);
  }
  return verdict;
}
const cdataVerdicts = new WeakMap<Uint8Array, boolean>();

function scanCdataBytes(bytes: Uint8Array): boolean {
  const n = bytes.length;
  for (let i = 0; i < n; i++) {
    const b = bytes[i] as number;
    // Most bytes: printable ASCII but `>`, or the lead and continuation bytes of accents and quotes.
    if (b >= 0x20 && b !== 0x3e && b < 0xed) continue;
    if (b < 0x20) {
      if (b !== 0x09 && b !== 0x0a && b !== 0x0d) return false;
    } else if (b === 0x3e) {
      if (i >= 2 && bytes[i - 1] === 0x5d && bytes[i - 2] === 0x5d) return false;
    } else if (b === 0xed) {
      // U+D800–U+DFFF (ED A0–BF ..): a surrogate, which UTF-8 never carries.
      if ((bytes[i + 1] ?? 0) >= 0xa0) return false;
    } else if (b === 0xef) {
      // U+FFFE and U+FFFF (EF BF BE, EF BF BF).
      if (bytes[i + 1] === 0xbf && ((bytes[i + 2] ?? 0) & 0xfe) === 0xbe) return false;
    }
  }
  return true;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };

/** Escapes text for element content and double-quoted attributes; drops characters XML cannot carry. */
export function xmlEscape(text: string): string {
  return removeNonXmlChars(text).replace(/[&<>"]/g, (ch) => ESCAPES[ch] ?? ch);
}

export type Attributes = Readonly<Record<string, string | undefined>>;

/** A node is serialised XML; `undefined` and `false` children are skipped so optional fields read simply. */
export type XmlChild = string | undefined | false;

const attrs = (attributes: Attributes) =>
  Object.entries(attributes)
    .filter((entry): entry is [string, string] => entry[1] !== undefined)
    .map(([name, value]) => ` ${name}="${xmlEscape(value)}"`)
    .join('');

/** An element with child elements (already serialised), one per line. */
export function element(name: string, attributes: Attributes, children: readonly XmlChild[]): string {
  const inner = children.filter((c): c is string => typeof c === 'string' && c !== '');
  if (inner.length === 0) return `<${name}${attrs(attributes)}/>`;
  return `<${name}${attrs(attributes)}>\n${inner.join('\n')}\n</${name}>`;
}

/** An element holding text (escaped here). */
export function textElement(name: string, text: string, attributes: Attributes = {}): string {
  return `<${name}${attrs(attributes)}>${xmlEscape(text)}</${name}>`;
}

/** An empty element: `<link rel="self" href="…"/>`. */
export function emptyElement(name: string, attributes: Attributes): string {
  return `<${name}${attrs(attributes)}/>`;
}

/** The XML declaration plus, when given, a CSS stylesheet for people who open the document in a browser. */
export function xmlProlog(stylesheetUrl?: string): string {
  const declaration = '<?xml version="1.0" encoding="utf-8"?>';
  return stylesheetUrl
    ? `${declaration}\n<?xml-stylesheet href="${xmlEscape(stylesheetUrl)}" type="text/css"?>\n`
    : `${declaration}\n`;
}
