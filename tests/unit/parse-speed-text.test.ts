/** `cleanText` and `looksBinary` skip work they do not need; the answers stay those of the plain chain. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cleanText, decodeText, looksBinary } from '../../functions/core/text.ts';

const CP1252 = '€_‚ƒ„…†‡ˆ‰Š‹Œ_Ž__‘’“”•–—˜™š›œ_žŸ';
// The definition, one replace after another over the whole text.
const cleanTextReference = (text: string) =>
  text
    .replace(/^\uFEFF/, '')
    .replace(/\r\n?/g, '\n')
    // biome-ignore lint/suspicious/noControlCharactersInRegex: the characters XML 1.0 forbids
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '')
    .replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD')
    .replace(/[\u0080-\u009F]/g, (ch) => CP1252[ch.charCodeAt(0) - 0x80]?.replace('_', '') ?? '');

const looksBinaryReference = (bytes: Uint8Array) => {
  const sample = bytes.subarray(0, 8192);
  // A UTF-16 byte-order mark: text, which decodeArticle reads as UTF-16.
  if ((sample[0] === 0xff && sample[1] === 0xfe) || (sample[0] === 0xfe && sample[1] === 0xff)) return false;
  if (sample.includes(0)) return true;
  const text = new TextDecoder('utf-8', { fatal: false }).decode(sample);
  let bad = 0;
  for (const ch of text) if (ch === '\uFFFD') bad++;
  return bad > 8 && bad / text.length > 0.1;
};

const tricky = fc.constantFrom(
  'a',
  'é',
  ' ',
  '\n',
  '\r',
  '\r\n',
  '\uFEFF',
  '\u0000',
  '\u0008',
  '\u000B',
  '\u001F',
  '\u0080',
  '\u0081',
  '\u0092',
  '\u009F',
  '\uD83C',
  '\uDF89',
  '🎉',
  '\uFFFD',
  '\uFFFE',
  '\uFFFF',
);

describe('cleanText', () => {
  it('gives what the plain chain of replacements gives', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(tricky, fc.string({ unit: 'binary' })), { maxLength: 30 }), (parts) => {
        const text = parts.join('');
        expect(cleanText(text)).toBe(cleanTextReference(text));
      }),
      { numRuns: 3000 },
    );
  });

  it('leaves clean text as it is', () => {
    const text = 'Café déjà vu — “quotes” 🎉\n\tend';
    expect(cleanText(text)).toBe(text);
  });
});

describe('decodeText and looksBinary', () => {
  it('agree with the plain definitions on random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.boolean(), (bytes, big) => {
        const input = big
          ? new Uint8Array(9000).map((_, i) => bytes[i % Math.max(1, bytes.length)] ?? 65)
          : bytes;
        expect(looksBinary(input)).toBe(looksBinaryReference(input));
        expect(decodeText(input)).toBe(
          cleanTextReference(new TextDecoder('utf-8', { fatal: false, ignoreBOM: false }).decode(input)),
        );
      }),
      { numRuns: 2000 },
    );
  });

  it('counts U+FFFD written as valid UTF-8 as the plain definition does', () => {
    for (const text of ['\uFFFD'.repeat(20), `${'\uFFFD'.repeat(9)}ab`, `a${'\uFFFD'.repeat(3)}`, 'plain']) {
      const bytes = new TextEncoder().encode(text);
      expect(looksBinary(bytes), text).toBe(looksBinaryReference(bytes));
    }
    expect(looksBinary(new TextEncoder().encode('\uFFFD'.repeat(20)))).toBe(true);
  });

  it('decodes a second text afresh after an invalid sequence at the end of the first', () => {
    expect(decodeText(new Uint8Array([0x61, 0xe2, 0x82]))).toBe('a\uFFFD');
    expect(decodeText(new Uint8Array([0xac, 0x62]))).toBe('\uFFFDb');
  });
});
