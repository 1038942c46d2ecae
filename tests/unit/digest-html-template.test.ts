/**
 * `renderDigestHtml` fills a template juiced once per variant; it must give exactly what juicing the whole
 * digest gives (`juiceDigestHtml`), whatever the values: hostile text, every kind of item, any count.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildDigests } from '../../functions/core/digest/digest-model.ts';
import { juiceDigestHtml, renderDigestHtml } from '../../functions/core/digest/render-digest-html.ts';
import { DIGEST_NOW, digestModel, withArticle } from '../fixtures/digests.ts';

const HOSTILE = [
  '<',
  '&',
  '&amp;',
  '"',
  "'",
  '{{x}}',
  '<% y %>',
  '\uE0000\uE001',
  '<!--broadsheet-digest-cut-->',
  '</td></tr>',
  '<style>.title{color:red}</style>',
  'class="title"',
  '😀',
  '\u00A0',
  '\n',
];

/** No `<%` or `{{` left open in the value, as juice pairs them (EJS first, then Handlebars). */
const closedCodeBlocks = (value: string) =>
  !/<%|\{\{/.test(value.replace(/<%[\s\S]*?%>/g, '').replace(/\{\{[\s\S]*?\}\}/g, ''));

const text = fc
  .array(fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom(...HOSTILE)), { maxLength: 6 })
  .map((parts) => parts.join(''));

describe('renderDigestHtml', () => {
  it('is the whole digest juiced, for both variants', () => {
    const model = digestModel();
    for (const digest of buildDigests(model, DIGEST_NOW)) {
      for (const variant of ['email', 'web'] as const) {
        expect(renderDigestHtml(model, digest, variant)).toBe(juiceDigestHtml(model, digest, variant));
      }
    }
  });

  it('stays the whole digest juiced with hostile titles, summaries, authors, images and enclosures', () => {
    const enclosures = fc.option(
      fc.record({
        type: fc.constantFrom('audio/mpeg', 'video/mp4', 'application/pdf'),
        length: fc.option(fc.nat(), { nil: undefined }),
      }),
      { nil: undefined },
    );
    fc.assert(
      fc.property(
        text,
        text,
        text,
        fc.constantFrom('none', 'url', 'sized'),
        fc.boolean(),
        enclosures,
        (title, summary, name, image, author, enclosure) => {
          // juice hides `{{…}}` and `<%…%>` from its parser: one opened in a value and closed in a later
          // one hides the markup between from the reference (not from the template, which never passes
          // author text through juice). Such values are the next test's.
          fc.pre([title, summary, name].every(closedCodeBlocks));
          let model = digestModel();
          model = withArticle(model, 1, {
            title,
            summaryText: summary,
            imageUrl:
              image !== 'none' ? `https://example.com/${encodeURIComponent(name)}.jpg?a=1&b="2"` : undefined,
            ...(image === 'sized' ? { imageWidth: title.length + 1, imageHeight: summary.length + 1 } : {}),
            author: author ? { name } : undefined,
            ...(enclosure
              ? {
                  enclosureUrl: `https://example.com/${encodeURIComponent(name)}.mp3?a=1&b="2"`,
                  enclosureType: enclosure.type,
                  enclosureLength: enclosure.length,
                }
              : {}),
          });
          for (const digest of buildDigests(model, DIGEST_NOW)) {
            for (const variant of ['email', 'web'] as const) {
              expect(renderDigestHtml(model, digest, variant)).toBe(juiceDigestHtml(model, digest, variant));
            }
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  // juice swaps `{{…}}` for `JUICE_CODE_BLOCK_<n>_` and back, so it rewrote such text in a title when the
  // digest also held `{{…}}`; the template never passes author text through juice.
  it('keeps text that looks like juice’s code-block stand-ins', () => {
    const title = '{{x}} JUICE_CODE_BLOCK_0_';
    const model = withArticle(digestModel(), 1, { title });
    const digest = buildDigests(model, DIGEST_NOW).find((d) => d.articles.some((a) => a.title === title));
    expect(digest).toBeDefined();
    if (digest) expect(renderDigestHtml(model, digest, 'web')).toContain(`>${title}</a></h2>`);
  });

  // Found by the property above: `{{` in a title closed by the `}}` of its summary. Juicing the whole
  // digest would hide the markup between; the template shows both as written, styled as any item.
  it('shows a {{ opened in one value and closed in another as written', () => {
    const model = withArticle(digestModel(), 1, { title: '{{', summaryText: '{{x}}' });
    const digest = buildDigests(model, DIGEST_NOW).find((d) => d.articles.some((a) => a.title === '{{'));
    expect(digest).toBeDefined();
    if (!digest) return;
    const html = renderDigestHtml(model, digest, 'email');
    expect(html).toMatch(/>\{\{<\/a><\/h2>/);
    expect(html).toContain('{{x}}');
    expect(html).not.toContain('JUICE_CODE_BLOCK');
  });
});
