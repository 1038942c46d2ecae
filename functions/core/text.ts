/** Text helpers shared by the parsers and renderers. Pure, no dependencies. */
import { Buffer, isUtf8 } from 'node:buffer';

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

/** An article's text and, when it was not UTF-8, what the author should know (1-based line). */
export interface DecodedArticle {
  readonly text: string;
  readonly note?: { readonly line: number; readonly message: string; readonly fix: string };
}

/**
 * Reads an article's bytes as its author meant them. UTF-8 is the norm; a UTF-16 byte-order mark (what
 * older Windows editors call "Unicode") is honoured; bytes that are not UTF-8 and hold no UTF-8 sequence
 * at all are a single-byte file from an older editor, read as Windows-1252 (which Latin-1 is a subset
 * of) rather than published as U+FFFD; a mix keeps U+FFFD. Either way the note says so and where.
 */
export function decodeArticle(bytes: Uint8Array): DecodedArticle {
  const bom = utf16Bom(bytes);
  if (bom) {
    const units = Buffer.from(bytes.subarray(2, 2 + ((bytes.byteLength - 2) & ~1)));
    if (bom === 'be') units.swap16();
    return { text: cleanText(units.toString('utf16le')) };
  }
  if (isUtf8(bytes)) return { text: decodeText(bytes) };
  const asUtf8 = decodeText(bytes);
  const bad = asUtf8.indexOf('\uFFFD');
  if (/[\u0080-\uFFFC\uFFFE-\uFFFF]/.test(asUtf8)) {
    const line = lineAt(asUtf8, bad);
    return {
      text: asUtf8,
      note: {
        line,
        message: `line ${line} has bytes that are not UTF-8, shown as "\uFFFD": ${quoteAround(asUtf8, bad)}`,
        fix: `retype those characters, then save the file as UTF-8`,
      },
    };
  }
  // Latin-1 decoding, then cleanText maps U+0080–U+009F to Windows-1252: exactly Windows-1252.
  const text = cleanText(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1'));
  const first = text.search(/[\u0080-\uFFFF]/);
  const line = lineAt(text, first);
  return {
    text,
    note: {
      line,
      message: `the file is not UTF-8, so it was read as Windows-1252: ${quoteAround(text, first)}`,
      fix: 'check the accented letters on that line, then save the file as UTF-8 in your editor',
    },
  };
}

/** The byte order a UTF-16 byte-order mark at the start names, if there is one. */
function utf16Bom(bytes: Uint8Array): 'le' | 'be' | undefined {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'le';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'be';
  return undefined;
}

function lineAt(text: string, index: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < index; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

/** Up to 20 characters either side of `index` on its line, quoted: enough to find the place in an editor. */
function quoteAround(text: string, index: number): string {
  const lineStart = text.lastIndexOf('\n', index) + 1;
  const lineEnd = text.indexOf('\n', index) === -1 ? text.length : text.indexOf('\n', index);
  const start = Math.max(lineStart, index - 20);
  const end = Math.min(lineEnd, index + 21);
  return `"${start > lineStart ? '…' : ''}${text.slice(start, end).trim()}${end < lineEnd ? '…' : ''}"`;
}

/** True when the bytes look like a binary file rather than text (NUL bytes, or mostly undecodable). */
export function looksBinary(bytes: Uint8Array): boolean {
  const sample = bytes.subarray(0, 8192);
  // UTF-16 (which decodeArticle reads) is half NUL bytes in Latin text.
  if (utf16Bom(sample)) return false;
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

/** A letter of a script other than Latin (Україна, 日本, Ελλάδα): `slugify` cannot spell it. */
const NON_LATIN_LETTER = /(?!\p{Script=Latin})\p{L}/u;

/**
 * A tag's slug (its page and feeds: `tags/<slug>/`): `slugify`'s, or for a tag with letters of another
 * script, or nothing ASCII at all (an emoji), `t-` and a hash of its name, so that the tag is never
 * dropped or merged into another (`日本 2025` is not `2025`, `C++` not `C`) and its address is one every
 * reader takes.
 */
export function tagSlug(name: string): string {
  // `C++`, `C#` and `F#` are not `C` and `F`: the signs after a letter are spelt out (`c-plus-plus`).
  const ascii = slugify(name.replace(/(?<=[\p{L}\p{N}+])\+/gu, ' plus ').replace(/(?<=\p{L})#/gu, ' sharp '));
  if (ascii && !NON_LATIN_LETTER.test(name)) return ascii;
  // FNV-1a over the code points of the name as `slugify` would compare it: case and form do not count.
  let hash = 0x811c9dc5;
  for (const char of name.normalize('NFKC').toLowerCase().trim()) {
    hash ^= char.codePointAt(0) ?? 0;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return `t-${hash.toString(16).padStart(8, '0')}`;
}

/** Cuts plain text at a word boundary so that it is at most `max` characters, adding an ellipsis. */
export function truncateWords(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= max) return flat;
  const cut = flat.slice(0, characterBoundary(flat, max - 1));
  const space = cut.lastIndexOf(' ');
  return `${(space > max * 0.6 ? cut.slice(0, space) : cut).replace(/[\s,;:.–—-]+$/, '')}…`;
}

const graphemes = new Intl.Segmenter('und', { granularity: 'grapheme' });

/**
 * The last place at or before `end` where `text` can be cut between characters as a reader sees them: not
 * inside an emoji's surrogate pair (half of one is no character, and no UTF-8), a ZWJ sequence or a letter
 * with its accent. ASCII around `end` (most text) needs no segmenting.
 */
function characterBoundary(text: string, end: number): number {
  if (!/[\u0080-\uffff]/.test(text.slice(Math.max(0, end - 1), end + 1))) return end;
  let at = 0;
  for (const { index } of graphemes.segment(text.slice(0, end + 32))) {
    if (index > end) break;
    at = index;
  }
  return at;
}

/** Removes CR, LF and other line breaks: for values that end up in one-line contexts (headers, titles). */
export function singleLine(text: string): string {
  return text.replace(/[\r\n\u2028\u2029\u0085]+/g, ' ').trim();
}

/** A running time (`1:02:03`, `42:10` or whole seconds) in seconds. */
export function durationSeconds(duration: string): number {
  return duration.split(':').reduce((total, part) => total * 60 + Number(part), 0);
}

/** A running time as people read it: whole seconds (`3790`) as `1:03:10`; `42:10` as written. */
export function formatDuration(duration: string): string {
  if (!/^\d+$/.test(duration)) return duration;
  const total = Number(duration);
  const [h, m, s] = [Math.floor(total / 3600), Math.floor((total % 3600) / 60), total % 60];
  const two = (n: number) => String(n).padStart(2, '0');
  return h > 0 ? `${h}:${two(m)}:${two(s)}` : `${m}:${two(s)}`;
}

/** `12.3 MB, 42:10`: the size and running time an enclosure's link shows, each when known. */
export function enclosureDetails(length: number | undefined, duration: string | undefined): string {
  return [
    length === undefined ? '' : formatSize(length),
    duration === undefined ? '' : formatDuration(duration),
  ]
    .filter(Boolean)
    .join(', ');
}

export function formatSize(bytes: number): string {
  if (bytes < 1024 * 1024) return `${Math.max(1, Math.round(bytes / 1024))} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/**
 * The one name of `names` that `name` most likely meant: the same but for case, `-`, `_` and spaces, else
 * the only one close to it among names of 4 or more letters: one edit away (a letter added, dropped,
 * changed, or two swapped), or two when the longer name has 6 letters or more (`alias` → `aliases`). Two
 * edits in a short word make another word (`base` is not `date`). For "did you mean" in errors; undefined
 * when there is no single answer.
 */
export function closestName(name: string, names: readonly string[]): string | undefined {
  const bare = (text: string) => text.toLowerCase().replace(/[-_\s]/g, '');
  const wanted = bare(name);
  const same = names.find((n) => bare(n) === wanted);
  if (same) return same;
  if (wanted.length < 4) return undefined;
  const near = names.filter((n) => n.length >= 4 && isNear(wanted, bare(n)));
  return near.length === 1 ? near[0] : undefined;
}

function isNear(a: string, b: string): boolean {
  const distance = editDistance(a, b);
  return distance <= 1 || (distance === 2 && Math.max(a.length, b.length) >= 6);
}

/** Levenshtein distance with adjacent swaps (`titel` → `title` is one edit). */
function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) (d[0] as number[])[j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const row = d[i] as number[];
      const up = d[i - 1] as number[];
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row[j] = Math.min((up[j] as number) + 1, (row[j - 1] as number) + 1, (up[j - 1] as number) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        row[j] = Math.min(row[j] as number, ((d[i - 2] as number[])[j - 2] as number) + 1);
    }
  }
  return (d[a.length] as number[])[b.length] as number;
}

/**
 * A person written as mail programs write one, `Jane Doe <jane@example.com>`: the name and the address
 * apart. Anything else is a name. (An address a mail server would refuse is the caller's to check.)
 */
export function personFromText(text: string): { name: string; email?: string } {
  const match = /^\s*(.*?)\s*<([^<>\s@]+@[^<>\s@]+\.[^<>\s@]+)>\s*$/.exec(text);
  if (!match) return { name: text };
  const name = (match[1] ?? '').replace(/^"(.*)"$/, '$1').trim();
  return { name: name || (match[2] as string), email: match[2] as string };
}

/** Scripts written right to left, and languages written in one of them unless a script is named. */
const RTL_SCRIPTS = new Set(['arab', 'hebr', 'thaa', 'syrc', 'nkoo', 'adlm', 'rohg', 'samr', 'mand']);
const RTL_LANGUAGES = new Set([
  'ar',
  'arc',
  'ckb',
  'dv',
  'fa',
  'he',
  'iw',
  'ks',
  'ps',
  'sd',
  'ug',
  'ur',
  'yi',
]);

/**
 * The direction a site's language is written in (`ar`, `he-IL`, `fa`, `az-Arab`: right to left), for the
 * page's `dir`: without it an Arabic or Hebrew page is laid out left to right and its sentences read wrong.
 */
export function textDirection(language: string): 'rtl' | 'ltr' {
  const [base = '', ...subtags] = language.toLowerCase().split(/[-_]/);
  const script = subtags.find((tag) => tag.length === 4);
  return (script ? RTL_SCRIPTS.has(script) : RTL_LANGUAGES.has(base)) ? 'rtl' : 'ltr';
}
