/**
 * `assertWellFormedXml` parses CDATA-heavy documents with their sections stubbed out; its verdict must be
 * exactly saxes's on the whole document, CDATA in comments, attributes and processing instructions included.
 */
import fc from 'fast-check';
import { SaxesParser } from 'saxes';
import { describe, expect, it } from 'vitest';
import { assertWellFormedXml, checkXmlParts } from '../../functions/core/check-output.ts';
import { isCdataBytes, isXmlText } from '../../functions/core/xml-writer.ts';

function saxesVerdict(xml: string): string | undefined {
  const parser = new SaxesParser({ xmlns: true, position: true });
  let failure: Error | undefined;
  parser.on('error', (error) => {
    failure ??= error;
  });
  parser.write(xml).close();
  return failure?.message;
}

function verdict(xml: string): string | undefined {
  try {
    assertWellFormedXml(xml);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

const FRAGMENTS = [
  '<![CDATA[',
  ']]>',
  'text',
  '<b>',
  '</b>',
  '<c/>',
  '<!--',
  '-->',
  '<?pi ',
  '?>',
  '<d a="',
  '">',
  '&amp;',
  '&',
  '<',
  '\u0001',
  '\uFFFE',
  '\uD83D\uDE00',
  '\uD83D',
  '\uDE00',
  '\r\n',
  '\n',
];

describe('assertWellFormedXml', () => {
  it('passes feed-shaped documents and names the line and column of an error after CDATA', () => {
    const ok = '<?xml version="1.0"?>\n<rss><item><![CDATA[a <b> ]]]]><![CDATA[> c]]></item></rss>';
    expect(verdict(ok)).toBeUndefined();
    const broken = '<?xml version="1.0"?>\n<rss><item><![CDATA[x\ny]]></item>\n<oops></rss>';
    expect(verdict(broken)).toBe(saxesVerdict(broken));
    expect(verdict(broken)).toMatch(/^4:\d+: /);
  });

  // (saxes 6 lets a lone high surrogate followed by a BMP character through; the verdict stays saxes's.)
  it('rejects what XML 1.0 forbids inside CDATA: controls, U+FFFE, lone low surrogates', () => {
    for (const bad of ['\u0001', '\uFFFE', '\uDE00', '\uDE00\uD83D']) {
      const xml = `<a><![CDATA[x${bad}y]]></a>`;
      expect(verdict(xml)).toBeDefined();
      expect(verdict(xml)).toBe(saxesVerdict(xml));
    }
    expect(verdict('<a><![CDATA[\uD83D\uDE00]]></a>')).toBeUndefined();
  });

  it('gives saxes’s verdict on any mix of CDATA, comments, attributes and instructions', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...FRAGMENTS), { maxLength: 14 }), (parts) => {
        const xml = `<root>${parts.join('')}</root>`;
        expect(verdict(xml)).toBe(saxesVerdict(xml));
      }),
      { numRuns: 3000 },
    );
  });
});

const utf8 = (text: string) => new TextEncoder().encode(text);

describe('checkXmlParts (bodies as UTF-8 bytes, never decoded)', () => {
  it('passes a feed-shaped document whose bodies sit alone in CDATA sections', () => {
    const body = utf8('<p>Déjà vu — “quoted” ]] > and ]></p>');
    const parts = ['<rss><item><![CDATA[', body, ']]></item><item><![CDATA[', body, ']]></item></rss>'];
    expect(checkXmlParts('rss.xml', parts)).toBe(true);
  });

  it('does not vouch for bodies with ]]> or characters XML forbids, nor for a section in a comment', () => {
    const wrap = (body: Uint8Array, before = '<a><![CDATA[', after = ']]></a>') =>
      checkXmlParts('atom.xml', [before, body, after]);
    for (const bad of ['a]]>b', 'x\u0001y', 'x\uFFFFy', 'x\uFFFEy']) expect(wrap(utf8(bad))).toBe(false);
    expect(wrap(utf8('a -- b'), '<a><!--<![CDATA[', ']]>--></a>')).toBe(false);
    expect(wrap(utf8('a ?> b'), '<a><?pi <![CDATA[', ']]> ?></a>')).toBe(false);
    expect(wrap(utf8('ok'), '<a>', '</a>')).toBe(false);
    expect(checkXmlParts('feed.json', ['{"a":"', utf8('x'), '"}'])).toBe(false);
  });

  it('reads the bytes as isXmlText reads their text, plus no ]]>', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...FRAGMENTS, ']', '>', 'é', '\uFFFF', '\uFFFD', '\uD7FF', '\uE000'), {
          maxLength: 10,
        }),
        (pieces) => {
          const bytes = utf8(pieces.join(''));
          const text = new TextDecoder().decode(bytes);
          expect(isCdataBytes(bytes)).toBe(isXmlText(text) && !text.includes(']]>'));
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('never calls a document well-formed that saxes rejects, whatever surrounds the bodies', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.constantFrom(...FRAGMENTS), fc.constantFrom(...FRAGMENTS).map(utf8)), {
          maxLength: 14,
        }),
        (pieces) => {
          const parts = ['<root>', ...pieces, '</root>'];
          const text = parts.map((p) => (typeof p === 'string' ? p : new TextDecoder().decode(p))).join('');
          if (checkXmlParts('rss.xml', parts)) expect(saxesVerdict(text)).toBeUndefined();
        },
      ),
      { numRuns: 5000 },
    );
  });
});
