/**
 * Any article an author can write: each hostile input publishes (or is skipped with file, line and fix)
 * without breaking any output. The same content set is validated with real readers in
 * tests/integration/feed-validity.test.ts.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { LocalContentSource } from '../../functions/adapters/local-folder.ts';
import { silentLogger } from '../../functions/core/ports.ts';
import { type BuildReport, publishSite } from '../../functions/core/publish-site.ts';
import { sanitizeBody } from '../../functions/core/sanitize-body.ts';
import {
  NASTY_NOW,
  NASTY_PUBLISHED,
  NASTY_SITE_URL,
  NASTY_SKIPPED,
  nastyContent,
} from '../fixtures/feeds/nasty-content.ts';
import { MemorySource, MemoryStore } from '../fixtures/memory.ts';
import { childElements, parseXmlStrict, textOf, type XmlElement } from '../helpers/xml.ts';

const run = (source: MemorySource | LocalContentSource, store: MemoryStore, now = NASTY_NOW) =>
  publishSite({ source, store, logger: silentLogger, now, siteUrl: NASTY_SITE_URL });

interface Item {
  id: string;
  url: string;
  title: string;
  content_html: string;
  summary: string;
}
/** Every item of the main feed: subscription document and archive pages. */
const allItems = (store: MemoryStore): Item[] =>
  [...store.objects.keys()]
    .filter((k) => /^(archive\/\d+\/)?feed\.json$/.test(k))
    .flatMap((k) => JSON.parse(store.text(k)).items as Item[]);
const item = (store: MemoryStore, slug: string) =>
  allItems(store).find((i) => i.url === `${NASTY_SITE_URL}posts/${slug}/`) as Item;

// biome-ignore lint/suspicious/noControlCharactersInRegex: asserting that outputs carry none of them
const CONTROL_OR_CR = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u0080-\u009F\r]/;

const store = new MemoryStore();
let report: BuildReport;
let elapsed = 0;
beforeAll(async () => {
  const started = performance.now();
  report = await run(new MemorySource(nastyContent()), store);
  elapsed = performance.now() - started;
});

describe('titles and bodies with markup, emoji, RTL, ]]>, control characters, BOM, CRLF, bad bytes', () => {
  it('publishes every one with its exact title, in every format', () => {
    for (const { slug, title } of NASTY_PUBLISHED) {
      expect(item(store, slug)?.title, slug).toBe(title);
      expect(store.text(`posts/${slug}/index.html`)).toContain(
        `<h1>${title.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')}</h1>`,
      );
    }
    const xmlTitles = new Set<string>();
    for (const key of [...store.objects.keys()].filter((k) => /^(archive\/\d+\/)?(rss|atom)\.xml$/.test(k))) {
      const root = parseXmlStrict(store.text(key));
      const entries =
        root.local === 'rss'
          ? childElements(childElements(root, 'channel')[0] as XmlElement, 'item')
          : childElements(root, 'entry');
      for (const entry of entries) xmlTitles.add(textOf(childElements(entry, 'title')[0] as XmlElement));
    }
    expect([...xmlTitles].sort()).toEqual(NASTY_PUBLISHED.map((a) => a.title).sort());
  });

  it('keeps `]]>` however often it occurs', () => {
    expect(item(store, 'cdata').content_html).toContain('Text ]]&gt; and ]]]]&gt; too.');
    expect(item(store, 'cdata').content_html).toContain('&lt;![CDATA[ x ]]&gt; y ]]&gt;');
    expect(item(store, 'markup-title').content_html).toContain(
      '5 &lt; 6 &amp; "quotes" \'single\' and ]]&gt; and again ]]&gt; and &amp; literally.',
    );
  });

  it('drops XML-illegal control characters and reads C1 characters as Windows-1252', () => {
    const controls = item(store, 'controls');
    expect(controls.summary).toBe('bell and esc');
    expect(controls.content_html).toContain('Body with  controls and C1 ’ quote.');
    // Email (digest.eml) needs CRLF; every web output has neither CR nor control characters.
    for (const key of [...store.objects.keys()].filter((k) => /\.(xml|json|html|opml)$/.test(k))) {
      expect(store.text(key), key).not.toMatch(CONTROL_OR_CR);
    }
  });

  it('reads a byte-order mark and CRLF line endings', () => {
    expect(item(store, 'bom-crlf').content_html).toBe('<p>Line one.</p>\n<p>Line two.</p>\n');
    expect(store.objects.has('tags/paris/index.html')).toBe(true);
  });

  it('replaces stray bytes in a UTF-8 file with U+FFFD, publishes the rest and names the line', () => {
    expect(item(store, 'invalid-utf8').content_html).toMatch(/It’s UTF-8\. Bad \uFFFD\(\uFFFD+ bytes\./);
    expect(report.warnings).toContainEqual(
      expect.objectContaining({ file: '2025-01-06-invalid-utf8.md', line: 5 }),
    );
  });
});

describe('raw HTML in Markdown', () => {
  it('removes script, iframe, event handlers and javascript: URLs; keeps tables, code, images, headings', () => {
    // The page's one data block (schema.org JSON-LD, no `<` inside) runs nothing; everything else is checked.
    const page = store
      .text('posts/raw-html/index.html')
      .replace(/<script type="application\/ld\+json">[^<]*<\/script>\n/, '');
    for (const bad of [
      '<script',
      '<iframe',
      'onclick',
      'onerror',
      'onload',
      'javascript:',
      'JaVaScRiPt',
      '<svg',
      '<object',
      '<form',
      'data:text/html',
      'style="color',
    ]) {
      expect(page.toLowerCase(), bad).not.toContain(bad.toLowerCase());
    }
    expect(page).toContain('<table>');
    expect(page).toContain('<pre><code class="language-js">');
    expect(page).toContain('<h2 id="a-heading">A heading</h2>');
    expect(page).toContain(
      '<img alt="alt text" src="https://news.example.com/posts/raw-html/pics/photo.png" />',
    );
  });
});

describe('a form field in raw HTML', () => {
  it('is dropped without taking the next closing tag with it; a task list checkbox stays, disabled', () => {
    const page = 'https://news.example.com/posts/x/';
    expect(sanitizeBody('<p>Text <input type="text"> more <b>bold</b> and <i>it</i></p>', page)).toBe(
      '<p>Text  more <b>bold</b> and <i>it</i></p>',
    );
    expect(sanitizeBody('<p><input name="p"></p><table><tr><td>x</td></tr></table><p>after</p>', page)).toBe(
      '<p></p><table><tr><td>x</td></tr></table><p>after</p>',
    );
    expect(sanitizeBody('<p>a<input type="hidden" value="v">b</p>', page)).toBe('<p>ab</p>');
    expect(sanitizeBody('<ul><li><input type="Checkbox" checked> done</li></ul>', page)).toBe(
      '<ul><li><input type="Checkbox" checked disabled /> done</li></ul>',
    );
  });
});

describe('relative links and images', () => {
  it('are absolute against the article URL on the page and in the feeds', () => {
    const page = store.text('posts/relative/index.html');
    const html = item(store, 'relative').content_html;
    for (const text of [page, html]) {
      expect(text).toContain('href="https://news.example.com/posts/markup-title/"');
      expect(text).toContain('src="https://news.example.com/posts/relative/img/a.png"');
    }
    expect(page).toContain('<img src="https://news.example.com/posts/relative/cover.jpg" alt="">');
  });
});

describe('files that cannot be published', () => {
  it('are skipped with the file, the line when known and the fix, in _report.json', () => {
    const saved = JSON.parse(store.text('_report.json')) as BuildReport;
    expect(saved.skipped.map((s) => s.file).sort()).toEqual(Object.keys(NASTY_SKIPPED).sort());
    for (const problem of saved.skipped) {
      expect(problem.line, problem.file).toBe(NASTY_SKIPPED[problem.file]);
      expect(problem.fix.length, problem.file).toBeGreaterThan(10);
      expect(problem.text).toContain(problem.file);
    }
    expect(saved.skipped.find((s) => s.file.includes('alias-bomb'))?.message).toMatch(/alias/i);
    expect(saved.skipped.find((s) => s.file.includes('bad-date'))?.message).toBe(
      'date "next Tuesday" is not an ISO 8601 date',
    );
    expect(saved.skipped.find((s) => s.file.includes('deep-quotes'))?.message).toBe(
      'the Markdown is nested too deeply to render',
    );
  });

  it('do not stop the others, and the run stays quick', () => {
    expect(report.counts.published).toBe(NASTY_PUBLISHED.length);
    expect(report.errors).toEqual([]);
    expect(elapsed).toBeLessThan(5000);
  });
});

describe('odd but valid front matter', () => {
  it('publishes a numeric title as text and ignores unknown keys, with warnings', () => {
    expect(item(store, 'number-title').title).toBe('2025');
    expect(report.warnings.map((w) => [w.file, w.line, w.message])).toEqual(
      expect.arrayContaining([
        ['2025-01-09-number-title.md', 2, 'title 2025 is not text; published as "2025"'],
        ['2025-01-09-number-title.md', 3, 'unknown front matter key "mood" was ignored'],
      ]),
    );
  });
});

describe('drafts, scheduled articles and URL clashes', () => {
  it('holds back drafts, publishes a future article on the first run at its date', async () => {
    expect(report.heldBack.map((h) => h.file)).toEqual(['2025-01-10-draft.md', '2025-12-01-future.md']);
    expect(store.objects.has('posts/draft/index.html')).toBe(false);
    expect(store.objects.has('posts/future/index.html')).toBe(false);
    const later = new MemoryStore();
    const due = await run(new MemorySource(nastyContent()), later, new Date('2025-11-30T23:00:00Z'));
    expect(due.heldBack.map((h) => h.file)).toEqual(['2025-01-10-draft.md']);
    expect(later.text('feed.json')).toContain('"title": "Future"');
  });

  it('gives two articles that want the same URL one each, with a warning', () => {
    expect(item(store, 'same').title).toBe('Same one');
    expect(item(store, 'same-2').title).toBe('Same two');
    expect(
      report.warnings.some(
        (w) => w.file === 'notes/2025-01-12-same.md' && w.message.includes('posts/same-2/'),
      ),
    ).toBe(true);
  });
});

describe('file names with spaces, accents and +', () => {
  it('give sane slugs from memory and from a folder on disk', async () => {
    expect(item(store, 'cafe-au-lait-creme').title).toBe('Café au lait + crème');
    const dir = await mkdtemp(join(tmpdir(), 'broadsheet-names-'));
    try {
      await writeFile(join(dir, '2025-01-13-Café au lait + crème.md'), 'Café.\n');
      // macOS writes names decomposed (e + U+0301).
      await writeFile(join(dir, '2025-01-14-Déjà vu.md'.normalize('NFD')), 'Again.\n');
      await writeFile(join(dir, '2025-01-15-C++ & you.md'), 'Plus.\n');
      const local = new MemoryStore();
      const result = await run(new LocalContentSource(dir), local);
      expect(result.skipped).toEqual([]);
      const titles = Object.fromEntries(
        (JSON.parse(local.text('feed.json')).items as Item[]).map((i) => [
          i.url.replace(`${NASTY_SITE_URL}posts/`, ''),
          i.title,
        ]),
      );
      expect(titles).toEqual({
        'cafe-au-lait-creme/': 'Café au lait + crème',
        'deja-vu/': 'Déjà vu',
        'c-you/': 'C++ & you',
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
