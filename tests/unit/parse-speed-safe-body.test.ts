/**
 * The fast path for article bodies (`renderSafeMarkdown`) must give exactly what sanitize-html gives for
 * marked's HTML, and step aside for anything it does not vouch for (raw HTML, character references).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { shortHash } from '../../functions/core/incremental-state.ts';
import { lexMarkdown } from '../../functions/core/markdown.ts';
import { parseArticle, readArticle } from '../../functions/core/parse-article.ts';
import {
  hasRawHtml,
  htmlToPlainText,
  leadText,
  renderSafeMarkdown,
  sanitizeBody,
} from '../../functions/core/sanitize-body.ts';
import { articleBody, postPageKey, urlForKey } from '../../functions/core/site-model.ts';
import { parseAndSanitise } from '../../functions/core/source-parser.ts';
import { NASTY_SITE_URL, nastyContent } from '../fixtures/feeds/nasty-content.ts';

const PAGE = 'https://news.example.com/posts/an-article/';
// Lexed as parse-article.ts lexes.
const fast = (source: string) => renderSafeMarkdown(lexMarkdown(source).tokens, PAGE);
const slow = (source: string) => {
  const { tokens, toHtml } = lexMarkdown(source);
  return sanitizeBody(toHtml(tokens), PAGE);
};

/** Markdown without raw HTML, covering every token marked renders. */
const PLAIN_MARKDOWN: Record<string, string> = {
  paragraphs: 'One *em* and **strong** and ~~gone~~ and `a < b && "c"`.\n\nTwo: it\'s "quoted" > 3.',
  headings: '# One\n\n## Two\n\n### Three\n\n#### Four\n\n##### Five\n\n###### Six\n\nSetext\n======',
  'relative, absolute and odd links':
    '[up](../other/) [abs](https://example.org/a?b=1&c=2#d) [mail](mailto:a@example.com) ' +
    '[tel](tel:+33123) [title](x.html "A \\"title\\" & more") [empty]() [space](<a b.html>) ' +
    '[query](?q=1) [frag](#top) [proto-rel](//cdn.example.com/x) [unicode](/café/ü) [pct](/a%20b%25c)',
  'reference links':
    '[ref][r] and [Ref] and ![img][r]\n\n[r]: /ref/path "Ref title"\n[ref]: https://x.example/',
  autolinks: '<https://example.com/a_b> <me@example.com> www.example.com/x and https://example.org/y.',
  images:
    '![alt *em* `code`](pic.png "Pic title") ![](empty-alt.png) ![a "q"](/abs.png) ![x](https://cdn.example/p.jpg)',
  'image in a link': '[![logo](logo.png)](https://example.com/)',
  'code blocks':
    '```ts\nconst a = "<b>" && 1;\n```\n\n```c++\nint x;\n```\n\n```\nplain\n\n\n```\n\n    indented < code\n\n```\n```\n\n~~~ js extra words\nx\n~~~',
  lists:
    '- a\n- b\n  - nested\n  - list\n\n1. one\n2. two\n\n3. three\n4. four\n\n0. zero\n\n* loose\n\n* items\n',
  'task lists': '- [x] done\n- [ ] todo\n- [X] also done',
  table:
    '| left | centre | right | none |\n|:-----|:------:|------:|------|\n| a | **b** | `c` | [d](d.html) |\n| e |',
  'table without body': '| a | b |\n|---|---|',
  blockquote: '> quoted *text*\n>\n> > nested\n\n---\n\n***',
  'hard breaks': 'line one  \nline two\\\nline three',
  escapes: '\\*not em\\* \\<not a tag\\> \\& \\[x\\] \\`y\\`',
  ampersands: 'Q & A, AT&T, R&D, &copy 2025, & alone, a&b',
  'numeric references, which marked decodes itself': '&#233;t&#xE9; &#0; &#x110000; `&#233;`',
  'references to characters XML forbids, and to C1 controls': 'a&#1;b &#x80; &#xFFFE;c &#x9F; &#x85;',
  "heading ids, each once, never the layout's":
    '## Notes\n\n## Notes\n\n## Main\n\n## Q&A: “x” `a<b` *em* [l](x)\n\n## !!!\n\n## Café déjà\n\nSetext\n---',
  'brackets and carets that are no footnote': 'A regex: [^a-z]+ and x[^1] with no note.',
  'accents and symbols': 'Café déjà vu — “quotes” ‘single’ … € ™ Ωμέγα 日本語 🎉',
  'unsafe schemes are dropped':
    '[js](javascript:alert(1)) [vb](vbscript:x) [data](data:text/html,<b>) ![i](javascript:x)',
};

/** Markdown the fast path must refuse, so the sanitizer sees it. */
const RAW_HTML: Record<string, string> = {
  'block script': '<script>alert(1)</script>\n\ntext',
  'inline script': 'text <script>alert(1)</script> more',
  'event handler': 'an <img src="x.png" onerror="alert(1)"> image',
  'inline tag': 'some <b onclick="x()">bold</b> text',
  'html in a list': '- item <span>x</span>',
  'html in a table': '| a |\n|---|\n| <i>b</i> |',
  'html in a heading': '## Title <em>x</em>',
  'html in link text': '[a <b>b</b>](x.html)',
  comment: 'text <!-- hidden --> more',
  'block html': '<div>\n\n*md*\n\n</div>',
};

describe('renderSafeMarkdown (fast path)', () => {
  for (const [name, source] of Object.entries(PLAIN_MARKDOWN)) {
    it(`gives the sanitizer's bytes: ${name}`, () => {
      const html = fast(source);
      expect(html).toBeDefined();
      expect(html).toBe(slow(source));
      // Nothing left for the sanitizer to change: the fast path emits only what the allowlist keeps.
      expect(sanitizeBody(html ?? '', PAGE)).toBe(html);
    });
  }

  it('drops what XML forbids and shows C1 references as HTML does (€), on both paths', () => {
    const source = PLAIN_MARKDOWN['references to characters XML forbids, and to C1 controls'] as string;
    expect(fast(source)).toBe('<p>ab € c Ÿ …</p>\n');
    expect(slow(source)).toBe(fast(source));
  });

  it('takes the slow path for any raw HTML token, block or inline, at any depth', () => {
    for (const [name, source] of Object.entries(RAW_HTML)) {
      expect(hasRawHtml(lexMarkdown(source).tokens), name).toBe(true);
      expect(fast(source), name).toBeUndefined();
    }
    for (const [name, source] of Object.entries(PLAIN_MARKDOWN)) {
      expect(hasRawHtml(lexMarkdown(source).tokens), name).toBe(false);
    }
  });

  it("gives headings GitHub's ids, once each, and leaves `main` to the layout", () => {
    expect(fast('## Notes\n\n## Notes\n\n## Main\n\n## Q&A: “x” *em*\n\n## !!!')).toBe(
      '<h2 id="notes">Notes</h2>\n<h2 id="notes-1">Notes</h2>\n<h2 id="main-1">Main</h2>\n' +
        '<h2 id="qa-x-em">Q&amp;A: “x” <em>em</em></h2>\n<h2>!!!</h2>\n',
    );
  });

  it('renders footnotes on the slow path, linked both ways from the page', () => {
    const source = 'Claim[^src] and another[^2].\n\n[^src]: The source.\n[^2]: Second *note*.';
    expect(fast(source)).toBeUndefined();
    const html = slow(source);
    expect(html).toContain(
      '<sup><a id="footnote-ref-src" href="https://news.example.com/posts/an-article/#footnote-src">1</a></sup>',
    );
    expect(html).toContain(
      '<li id="footnote-src">\n<p>The source. <a aria-label="Back to reference src" href="https://news.example.com/posts/an-article/#footnote-ref-src">↩</a></p>',
    );
    expect(html).toContain('<p>Second <em>note</em>.');
    expect(html.indexOf('<section>')).toBeGreaterThan(html.indexOf('another'));
    // Another document numbers its own notes from 1: nothing is left over from this one.
    expect(slow('Only[^x].\n\n[^x]: One.')).toContain('>1</a></sup>');
    expect(leadText(html)).toBe('Claim and another.');
  });

  it('takes the slow path for character references it would have to decode', () => {
    for (const source of [
      'caf&eacute;',
      'R&D; & &#233;',
      '&#38;lt;',
      '[a](x&amp;y.html)',
      'AT&T;',
      '![&quot;](p.png)',
    ]) {
      expect(fast(source), source).toBeUndefined();
    }
  });

  it('neutralises javascript: links and images on the fast path', () => {
    const html = fast(
      '[a](javascript:alert(1)) [b](JaVaScRiPt:alert(1)) [c]( javascript:alert(1)) [d](java%0ascript:x) ' +
        '[e](&#x6A;avascript:x) ![f](javascript:alert(1)) ![g](vbscript:x) [h](data:text/html;base64,PHNjcmlwdD4=)',
    );
    // The character reference sends this one document down the slow path; test the rest on the fast one.
    expect(html).toBeUndefined();
    const safe = fast(
      '[a](javascript:alert(1)) [b](JaVaScRiPt:alert(1)) [c]( javascript:alert(1)) [d](java%0ascript:x) ' +
        '![f](javascript:alert(1)) ![g](vbscript:x) [h](data:text/html;base64,PHNjcmlwdD4=)',
    );
    expect(safe).toBeDefined();
    expect(safe?.toLowerCase()).not.toMatch(/javascript:|vbscript:|data:|<img/);
    expect(safe).toContain('<a>a</a>');
    expect(safe).toContain('<a href="https://news.example.com/posts/an-article/java%0ascript:x">d</a>');
  });

  it('makes links and images absolute against the page', () => {
    expect(fast('[up](../x/) ![p](p.png "T")')).toBe(
      '<p><a href="https://news.example.com/posts/x/">up</a> ' +
        '<img alt="p" title="T" src="https://news.example.com/posts/an-article/p.png" /></p>\n',
    );
  });
});

describe('both paths neutralise hostile bodies', () => {
  const hostile = [
    '[x](javascript:alert(1))',
    '![x](javascript:alert(1))',
    '<script>alert(1)</script>',
    '<a href="javascript:alert(1)" onclick="x()">x</a>',
    '<img src=x onerror=alert(1)>',
    'text <svg onload=alert(1)>',
    '[x](&#106;avascript:alert(1))',
    '<iframe src="https://evil.example/"></iframe>',
  ];
  for (const source of hostile) {
    it(source, () => {
      const body = readArticle(
        'posts/x.md',
        new TextEncoder().encode(`---\ndate: 2025-01-08\n---\n${source}\n`),
        {
          timeZone: 'UTC',
        },
      );
      if (!body.ok) throw new Error(body.problem.message);
      const html = body.body.safeHtml(PAGE).toLowerCase();
      expect(html).not.toMatch(/<script|<iframe|<svg|javascript:|\son\w+=/);
      expect(html).toBe(sanitizeBody(body.body.html(), PAGE).toLowerCase());
    });
  }
});

describe('fast path against sanitize-html, random Markdown', () => {
  const pieces = [
    'word',
    'café',
    ' ',
    '\n',
    '\n\n',
    '*',
    '**',
    '_',
    '~~',
    '`',
    '```js\n',
    '\n```\n',
    '    ',
    '# ',
    '## ',
    '> ',
    '- ',
    '1. ',
    '- [ ] ',
    '- [x] ',
    '| a | b |\n|---|:-:|\n',
    ' | ',
    '[',
    ']',
    '(',
    ')',
    '](',
    '![',
    '[t](../x/ "t")',
    '[j](javascript:alert(1))',
    '![i](i.png)',
    '<https://example.com/>',
    'www.example.org',
    'a@example.com',
    '"',
    "'",
    '&',
    '&amp;',
    '&#233;',
    '&#38;',
    '<',
    '>',
    '\\',
    '  \n',
    '---\n',
    '[r]: /ref\n',
    '[r]',
    '<b>',
    '<!-- c -->',
  ];
  it('gives the same bytes whenever it answers', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...pieces), { maxLength: 40 }), (parts) => {
        const source = parts.join('');
        const html = fast(source);
        if (html !== undefined) {
          expect(html).toBe(slow(source));
          expect(sanitizeBody(html, PAGE)).toBe(html);
        }
      }),
      { numRuns: 1500 },
    );
  });
});

describe('parseAndSanitise', () => {
  const context = { timeZone: 'UTC', siteUrl: 'https://news.example.com/' };
  const sources = {
    'posts/plain.md':
      '---\ntitle: Plain\ndate: 2025-01-08\n---\n## Lead heading\n\nLead *para* with [a link](../x/).\n\nMore.',
    'posts/raw.md': '---\ndate: 2025-01-08\n---\n# Raw\n\n<p onclick="x()">Lead <b>raw</b></p>\n\nafter',
    'posts/summary.md': '---\ndate: 2025-01-08\nsummary: Given\n---\nText',
    'posts/2025-01-08-plain.txt': 'A title\n\nFirst line of text.\nSecond one.',
  };
  for (const [key, text] of Object.entries(sources)) {
    it(`gives the body and summary the model would give: ${key}`, () => {
      const bytes = new TextEncoder().encode(text);
      const parsed = parseArticle(key, bytes, { timeZone: 'UTC' });
      if (!parsed.ok) throw new Error(parsed.problem.message);
      const url = urlForKey(context.siteUrl, postPageKey(parsed.article.slug));
      const fromWorker = parseAndSanitise({ key, bytes }, context);
      const body = articleBody(parsed.article, url);
      expect(fromWorker.body).toEqual({ ...body, url, hash: shortHash(body.html) });
      expect(fromWorker.result).toEqual({ ...parsed, article: { ...parsed.article, bodyHtml: '' } });
    });
  }
});

describe('leadText without a DOM', () => {
  // The first paragraph whose text html-to-text finds not empty.
  const leadTextReference = (html: string) =>
    (html.match(/<p[\s>][\s\S]*?<\/p>/gi) ?? []).map(htmlToPlainText).find((text) => text !== '') ?? '';
  const inline = [
    'word',
    'café',
    ' ',
    '  ',
    '\n',
    '\t',
    '\u00A0',
    '\u200B',
    '\u2003',
    '&amp;',
    '&lt;',
    '&gt;',
    '&quot;',
    '&amp;lt;',
    '&#39;',
    '&nbsp;',
    '"',
    "'",
    '<em>',
    '</em>',
    '<strong>',
    '</strong>',
    '<code>',
    '</code>',
    '<del>',
    '</del>',
    '<br />',
    '<a href="https://example.com/a?b=1&amp;c=2">',
    '<a title="T &quot;x&quot;" href="https://example.com/">',
    '<a>',
    '</a>',
    '<img alt="alt" src="https://example.com/p.png" />',
    '<img alt="" title="t" src="https://example.com/p.png" />',
    '<input checked disabled type="checkbox" />',
    '<input disabled type="checkbox" />',
    '<span>',
    '</span>',
    '<b class="x">',
    '<p>',
  ];
  it('gives what html-to-text gives', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...inline), { maxLength: 30 }),
        fc.constantFrom('<p>', '<p class="x">', '<ul>\n<li><p>'),
        (parts, open) => {
          const html = `<h2>Head</h2>\n${open}${parts.join('')}</p>\n<p>second</p>`;
          expect(leadText(html)).toBe(leadTextReference(html));
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('gives what html-to-text gives for every fixed case above, on both paths', () => {
    for (const source of [...Object.values(PLAIN_MARKDOWN), ...Object.values(RAW_HTML)]) {
      const html = fast(source) ?? slow(source);
      expect(leadText(html), source).toBe(leadTextReference(html));
    }
  });
});

describe('parseAndSanitise on the hostile corpus', () => {
  it('gives, for every article, the body and summary the model would give', () => {
    const context = { timeZone: 'UTC', siteUrl: NASTY_SITE_URL };
    for (const [key, content] of Object.entries(nastyContent())) {
      const bytes = typeof content === 'string' ? new TextEncoder().encode(content) : content;
      const parsed = parseArticle(key, bytes, { timeZone: 'UTC' });
      const fromWorker = parseAndSanitise({ key, bytes }, context);
      if (!parsed.ok) {
        expect(fromWorker.result, key).toEqual(parsed);
        continue;
      }
      const url = urlForKey(context.siteUrl, postPageKey(parsed.article.slug));
      const body = articleBody(parsed.article, url);
      expect(fromWorker.body, key).toEqual({ ...body, url, hash: shortHash(body.html) });
    }
  });
});
