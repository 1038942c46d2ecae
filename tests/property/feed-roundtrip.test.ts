/**
 * Random titles and bodies, hostile fragments mixed in, always give well-formed RSS and Atom whose text
 * reads back exactly (strict XML parser), a valid JSON Feed, and no executable markup.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkOutput } from '../../functions/core/check-output.ts';
import { mainFeedSpec } from '../../functions/core/feed-spec.ts';
import { parseArticle } from '../../functions/core/parse-article.ts';
import { renderAtom } from '../../functions/core/render-atom.ts';
import { renderJsonFeed } from '../../functions/core/render-json-feed.ts';
import { renderRss } from '../../functions/core/render-rss.ts';
import { buildSiteModel } from '../../functions/core/site-model.ts';
import { cleanText, escapeHtml, singleLine } from '../../functions/core/text.ts';
import { NOW, SITE_URL } from '../fixtures/articles.ts';
import { baseConfig } from '../fixtures/site.ts';
import { childElements, parseXmlStrict, textOf, type XmlElement } from '../helpers/xml.ts';

const FRAGMENTS = [
  '<',
  '>',
  '&',
  '&amp;',
  '&#39;',
  '&nbsp;',
  '"',
  "'",
  ']]>',
  ']]]]>',
  '<![CDATA[',
  '</b>',
  '<b>',
  '\u0000',
  '\u0001',
  '\u000B',
  '\u001F',
  '\u0085',
  '\u0092',
  '\uFEFF',
  '\uFFFE',
  '\uFFFF',
  '\uD800',
  '\uDFFF',
  '\r\n',
  '\r',
  '\n',
  '\t',
  '\u2028',
  '😀',
  '👩‍👩‍👧',
  'עברית',
  '\u200F',
  'مرحبا',
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '[x](javascript:alert(1))',
  '<iframe src=//evil>',
  '# ',
  '---',
  '`',
  '*',
];

const text = fc
  .array(fc.oneof(fc.string({ unit: 'binary', maxLength: 12 }), fc.constantFrom(...FRAGMENTS)), {
    maxLength: 12,
  })
  .map((parts) => parts.join(''));

// A raw NUL byte makes a file binary, and many undecodable bytes too: both are skipped by design.
const bodyText = text.map((t) => t.replaceAll(String.fromCharCode(0), '').replace(/[\uD800-\uDFFF]/g, ''));

const encoder = new TextEncoder();

function publish(title: string, body: string) {
  const source = `---\ntitle: ${JSON.stringify(title)}\ndate: 2025-01-10\n---\n\n${body}\n`;
  const result = parseArticle('2025-01-10-random.md', encoder.encode(source), { timeZone: 'UTC' });
  if (!result.ok) throw new Error(`not published: ${result.problem.message}`);
  const { model } = buildSiteModel([result.article], baseConfig, SITE_URL, NOW);
  const article = model.articles[0];
  if (!article) throw new Error('not in the model');
  return { article, spec: mainFeedSpec(model) };
}

const only = (parent: XmlElement, local: string) => {
  const found = childElements(parent, local)[0];
  if (!found) throw new Error(`no <${local}>`);
  return found;
};

describe('any title and body', () => {
  it('give well-formed RSS and Atom whose title, summary and content read back exactly', () => {
    fc.assert(
      fc.property(text, bodyText, (title, body) => {
        const { article, spec } = publish(title, body);
        const written = singleLine(cleanText(title));
        if (written !== '') expect(article.title).toBe(written);
        expect(article.title).not.toBe('');

        const rss = renderRss(spec);
        checkOutput('rss.xml', rss);
        const item = only(only(parseXmlStrict(rss), 'channel'), 'item');
        expect(textOf(only(item, 'title'))).toBe(article.title);
        expect(textOf(only(item, 'encoded'))).toBe(article.html);
        expect(textOf(only(item, 'description'))).toBe(escapeHtml(article.summaryText));

        const atom = renderAtom(spec);
        checkOutput('atom.xml', atom);
        const entry = only(parseXmlStrict(atom), 'entry');
        expect(textOf(only(entry, 'title'))).toBe(article.title);
        expect(textOf(only(entry, 'content'))).toBe(article.html);
        expect(textOf(only(entry, 'summary'))).toBe(article.summaryText);

        const json = renderJsonFeed(spec);
        checkOutput('feed.json', json);
        const parsed = JSON.parse(json).items[0];
        expect([parsed.title, parsed.content_html]).toEqual([article.title, article.html]);
      }),
      { numRuns: 300 },
    );
  });

  it('never carry executable markup in the article HTML', () => {
    fc.assert(
      fc.property(bodyText, (body) => {
        const { article } = publish('t', body);
        // Text is escaped, so every `<` left in the HTML opens a real element.
        expect(article.html).not.toMatch(/<(script|iframe|object|embed|svg)\b/i);
        expect(article.html).not.toMatch(/<[^>]*\son\w+\s*=/i);
        expect(article.html).not.toMatch(/<[^>]*(href|src)\s*=\s*["']?\s*(javascript|data|vbscript):/i);
      }),
      { numRuns: 300 },
    );
  });
});
