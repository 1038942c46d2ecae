/**
 * `assertWellFormedXml` parses CDATA-heavy documents with their sections stubbed out; its verdict must be
 * exactly saxes's on the whole document, CDATA in comments, attributes and processing instructions included.
 */
import fc from 'fast-check';
import { SaxesParser } from 'saxes';
import { describe, expect, it } from 'vitest';
import { assertWellFormedXml } from '../../functions/core/check-output.ts';

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
