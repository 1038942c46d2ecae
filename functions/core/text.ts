/** Text helpers shared by the parsers and renderers. Pure, no dependencies. */
import { isUtf8 } from 'node:buffer';

// Characters XML 1.0 forbids (C0 controls but tab/LF/CR, U+FFFE/U+FFFF). Authors paste them
// from word processors; one of them makes a whole feed malformed, so they never reach a renderer.
// biome-ignore lint/suspicious/noControlCharactersInRegex: these are exactly the characters XML 1.0 forbids
const XML_ILLEGAL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

// One decoder each: `decode()` without `stream` starts afresh, so they are safe to reuse.
const utf8 = new TextDecoder('utf-8', { fatal: false, ignoreBOM: false });
const utf8Sample = new TextDecoder('utf-8', { fatal: false });

/** Decodes bytes as UTF-8 (invalid sequences become U+FFFD), drops a BOM, CRLF/CR → LF, removes XML-illegal characters. */
export function decodeText(bytes: Uint8Array): string {
  return cleanText(utf8.decode(bytes));
}

// Each step runs only when a cheap scan finds something for it: most texts need none of them, and the
// lone-surrogate pattern (lookbehind) is slow over long non-ASCII text.
// biome-ignore lint/suspicious/noControlCharactersInRegex: the same characters as XML_ILLEGAL
const HAS_XML_ILLEGAL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;
const HAS_SURROGATE = /[\uD800-\uDFFF]/;
const HAS_C1_CONTROL = /[\u0080-\u009F]/;

export function cleanText(text: string): string {
  let out = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (out.includes('\r')) out = out.replace(/\r\n?/g, '\n');
  if (HAS_XML_ILLEGAL.test(out)) out = out.replace(XML_ILLEGAL, '');
  if (HAS_SURROGATE.test(out)) out = out.replace(LONE_SURROGATE, '\uFFFD');
  if (HAS_C1_CONTROL.test(out)) {
    out = out.replace(C1_CONTROL, (ch) => CP1252[ch.charCodeAt(0) - 0x80]?.replace('_', '') ?? '');
  }
  return out;
}

// Lone surrogates (from a YAML "\uD800" escape) cannot be encoded as UTF-8 and are not XML characters.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

// U+0080–U+009F are text that was Windows-1252 but decoded as Latin-1 (a "smart quote" U+0092). Readers
// such as feedparser map them back to Windows-1252, so we do the same once, here, and every format agrees.
const C1_CONTROL = /[\u0080-\u009F]/g;
// `_` marks the five bytes Windows-1252 leaves undefined: dropped.
const CP1252 = '€_‚ƒ„…†‡ˆ‰Š‹Œ_Ž__‘’“”•–—˜™š›œ_žŸ';

/** True when the bytes look like a binary file rather than text (NUL bytes, or mostly undecodable). */
export function looksBinary(bytes: Uint8Array): boolean {
  const sample = bytes.subarray(0, 8192);
  if (sample.includes(0)) return true;
  // Valid UTF-8 without an encoded U+FFFD (EF BF BD) decodes to no U+FFFD at all: nothing to count.
  if (isUtf8(sample) && !hasEncodedReplacement(sample)) return false;
  const text = utf8Sample.decode(sample);
  let bad = 0;
  for (const ch of text) if (ch === '\uFFFD') bad++;
  return bad > 8 && bad / text.length > 0.1;
}

function hasEncodedReplacement(bytes: Uint8Array): boolean {
  for (let i = bytes.indexOf(0xef); i !== -1; i = bytes.indexOf(0xef, i + 1)) {
    if (bytes[i + 1] === 0xbf && bytes[i + 2] === 0xbd) return true;
  }
  return false;
}

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => HTML_ESCAPES[ch] ?? ch);
}

/** `Légion d’honneur!` → `legion-dhonneur`. Empty when nothing usable is left. */
export function slugify(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/['’‘`]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80)
    .replace(/-+$/g, '');
}

/** Cuts plain text at a word boundary so that it is at most `max` characters, adding an ellipsis. */
export function truncateWords(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= max) return flat;
  const cut = flat.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > max * 0.6 ? cut.slice(0, space) : cut).replace(/[\s,;:.–—-]+$/, '')}…`;
}

/** Removes CR, LF and other line breaks: for values that end up in one-line contexts (headers, titles). */
export function singleLine(text: string): string {
  return text.replace(/[\r\n\u2028\u2029\u0085]+/g, ' ').trim();
}
