/**
 * Front matter is read by js-yaml first and by `yaml` where js-yaml cannot (see `splitFrontMatter`): for
 * any front matter, what an article gets is what `yaml` alone gives, and YAML `yaml` rejects is rejected.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LineCounter, parseDocument } from 'yaml';
import { splitFrontMatter } from '../../functions/core/front-matter.ts';
import { cleanText } from '../../functions/core/text.ts';

const VALUES = [
  'Plain words',
  'café — “curly”',
  '"quoted: with colon"',
  "'it''s'",
  '"\\u00e9\\t\\u0001"',
  '1',
  '-12',
  '1.5',
  '1e3',
  '0x1F',
  '0o17',
  '017',
  '.inf',
  '-.Inf',
  '.nan',
  '~',
  'null',
  'Null',
  'true',
  'True',
  'FALSE',
  'yes',
  'off',
  '2025-01-01',
  '2020-11-07T20:00:00.000Z',
  '2020-11-07 20:00:00',
  '[a, b]',
  '[a, "b, c"]',
  '[]',
  '{}',
  '{a: 1}',
  'value # a comment',
  'a: b',
  '"unterminated',
  '"closed" then more',
  "'closed' then more",
  '"two\n  lines"',
  "'two\n  lines'",
  '[a,\n  b]',
  '[open',
  'plain\n  continued',
  '\n  nested: map\n  other: 2',
  '"esc \\" quote"',
  '\n bad: indent\n  worse: indent',
  '@reserved',
  '`tick',
  '%percent',
  '&anchor value',
  '*alias',
  '!!str 12',
  '|\n  line one\n  line two',
  '>\n  folded\n  text',
  '\n  - one\n  - two',
  '',
  '- not a mapping',
  'tab\there',
  '::',
  '? complex',
];
const KEYS = ['title', 'date', 'tags', 'summary', 'author', 'title', 'draft', '<<', 'x y'];

/** What `yaml` alone made of it: the data, or that it is an error. */
function reference(yamlText: string): unknown {
  const doc = parseDocument(yamlText, { lineCounter: new LineCounter(), uniqueKeys: true });
  if (doc.errors.length > 0) return 'error';
  try {
    const data = doc.toJS({ maxAliasCount: 50 }) ?? {};
    if (typeof data !== 'object' || Array.isArray(data)) return 'error';
    return JSON.parse(JSON.stringify(data, (_, v) => (typeof v === 'string' ? cleanText(v) : v)));
  } catch {
    return 'error';
  }
}

const frontMatter = fc
  .array(fc.tuple(fc.constantFrom(...KEYS), fc.constantFrom(...VALUES)), { minLength: 0, maxLength: 5 })
  .map((pairs) => pairs.map(([key, value]) => `${key}: ${value}`).join('\n'));

describe('front matter read by js-yaml or by yaml', () => {
  it('gives what yaml alone gives, and rejects what yaml rejects', () => {
    fc.assert(
      fc.property(frontMatter, (yamlText) => {
        const result = splitFrontMatter(`---\n${yamlText}\n---\nBody\n`, 'a.md');
        const expected = reference(yamlText);
        if (expected === 'error') expect(result).toHaveProperty('message');
        else {
          expect(result).toHaveProperty('data');
          if ('data' in result) {
            expect(JSON.parse(JSON.stringify(result.data))).toEqual(expected);
            expect(result.body).toBe('Body\n');
          }
        }
      }),
      { numRuns: 5000 },
    );
  });

  it('still points at the line of a value', () => {
    const result = splitFrontMatter('---\ntitle: A\ndate: not a date\n---\nBody\n', 'a.md');
    expect('lineOf' in result && result.lineOf('date')).toBe(3);
  });
});
