/**
 * Articles as other tools write them (Jekyll, Hugo, Obsidian, WordPress and Ghost exports): what they
 * mean is what gets published, above all a draft stays a draft, and what cannot be is named.
 */
import { describe, expect, it } from 'vitest';
import { isPublishable } from '../../functions/core/article-key.ts';
import { parseArticle } from '../../functions/core/parse-article.ts';
import { sanitizeBody } from '../../functions/core/sanitize-body.ts';
import { parseSiteConfig } from '../../functions/core/site-config.ts';

const parse = (key: string, text: string) =>
  parseArticle(key, new TextEncoder().encode(text), { timeZone: 'Europe/Paris' });
const article = (key: string, text: string) => {
  const result = parse(key, text);
  if (!result.ok) throw new Error(`${result.problem.message} (${result.problem.fix})`);
  return result;
};
/** An article titled T whose body, from line 5, is `lines`. */
const withBody = (...lines: string[]) => ['---', 'title: T', '---', '', ...lines, ''].join('\n');
const problem = (key: string, text: string) => {
  const result = parse(key, text);
  if (result.ok) throw new Error('published');
  return result.problem;
};

describe('front matter from other tools', () => {
  it('keeps their drafts unpublished: Jekyll `published: false` and `_drafts/`, WordPress and Ghost `status`', () => {
    const fm = (lines: string) => `---\ntitle: T\ndate: 2025-01-08\n${lines}\n---\nText.\n`;
    expect(article('a.md', fm('published: false')).article.draft).toBe(true);
    for (const status of ['draft', 'Draft', 'pending', 'private'])
      expect(article('a.md', fm(`status: ${status}`)).article.draft, status).toBe(true);
    expect(article('_drafts/2025-01-08-a.md', fm('')).article.draft).toBe(true);
    expect(article('blog/_drafts/a.md', fm('')).article.draft).toBe(true);
    // Published ones publish, without a warning about a key we understood.
    const live = article('a.md', fm('published: true\nstatus: publish'));
    expect(live.article.draft).toBe(false);
    expect(live.warnings).toEqual([]);
    expect(article('_posts/2025-01-08-a.md', fm('')).article.draft).toBe(false);
    // Our own key says last: draft: false publishes whatever else the front matter says.
    expect(article('a.md', fm('status: draft\ndraft: false')).article.draft).toBe(false);
  });

  it('reads our keys in any letter case, as Hugo does', () => {
    const { article: a, warnings } = article(
      'a.md',
      '---\nTitle: Capitals\nDate: 2025-01-08\nTags: [x]\nDraft: true\n---\nText.\n',
    );
    expect(a).toMatchObject({ title: 'Capitals', tags: ['x'], draft: true });
    expect(warnings).toEqual([]);
    // Both spellings: ours is read, the other named.
    const both = article('a.md', '---\ntitle: Ours\nTitle: Theirs\ndate: 2025-01-08\n---\nText.\n');
    expect(both.article.title).toBe('Ours');
    expect(both.warnings).toEqual([
      expect.objectContaining({ line: 3, message: 'unknown front matter key "Title" was ignored' }),
    ]);
    // A bad value under another case is named at its own line.
    expect(problem('a.md', '---\ntitle: T\nDate: 8 Jan\n---\nText.\n')).toMatchObject({ line: 3 });
  });

  it('takes an empty key as not given, and the tags Ghost and YAML give', () => {
    const { article: a } = article(
      '2025-01-09-nulls.md',
      '---\ntitle:\nsummary:\ndate:\ntags: [2025, null, {name: Ghost}]\n---\nText.\n',
    );
    expect(a).toMatchObject({ title: 'Nulls', tags: ['2025', 'Ghost'] });
    expect(a.summary).toBeUndefined();
  });

  it('reads front matter after blank lines, with its lines true', () => {
    const { article: a } = article(
      'a.md',
      '\n\n---\ntitle: After blanks\ndate: 2025-01-08\ntags: [x]\n---\nText.\n',
    );
    expect(a).toMatchObject({ title: 'After blanks', tags: ['x'] });
    expect(problem('a.md', '\n\n---\ntitle: T\ndate: 8 Jan\n---\nText.\n')).toMatchObject({ line: 5 });
    // A rule and a line of text after a blank line are the body, as before.
    expect(article('2025-01-08-a.md', '\n---\nNot front matter\n---\nText.\n').article.title).toBe(
      'Not front matter',
    );
  });

  it('names the date written under another name, and a file name whose date is no date', () => {
    expect(problem('a.md', '---\ntitle: T\npublishDate: 2025-01-08\n---\nText.\n')).toEqual({
      file: 'a.md',
      line: 3,
      message: 'the article has no date: "publishDate" is not a key the publisher reads',
      fix: 'rename publishDate to date (write the date as ISO 8601, e.g. date: 2025-01-08 or date: 2025-01-08T09:30:00+01:00)',
    });
    expect(problem('a.md', '---\ntitle: T\npublished: 2025-01-08\n---\nText.\n').fix).toMatch(
      /^rename published to date/,
    );
    expect(problem('2025-13-45-notes.md', '---\ntitle: T\n---\nText.\n')).toEqual({
      file: '2025-13-45-notes.md',
      line: 1,
      message: 'the article has no date: 2025-13-45 at the start of the file name is not a date',
      fix: 'correct the date in the file name (2025-01-08-notes.md), or add "date: 2025-01-08" to the front matter',
    });
    // A date without its zeros: the name it should have, not a second date in front of it.
    expect(problem('2025-3-9-short-prefix.md', '---\ntitle: T\n---\nText.\n')).toEqual({
      file: '2025-3-9-short-prefix.md',
      line: 1,
      message:
        'the article has no date: 2025-3-9 at the start of the file name is not read as one (a date is written with two-digit months and days: 2025-03-09)',
      fix: 'rename the file 2025-03-09-short-prefix.md, or add "date: 2025-03-09" to the front matter',
    });
    expect(problem('2025-3-9.txt', 'Text.\n').fix).toBe(
      'rename the file 2025-03-09.txt, or add "date: 2025-03-09" to the front matter',
    );
    expect(problem('2025-2-30_notes.md', '---\ntitle: T\n---\nText.\n')).toMatchObject({
      message: 'the article has no date: 2025-2-30 at the start of the file name is not a date',
      fix: 'correct the date in the file name (2025-01-08-notes.md), or add "date: 2025-01-08" to the front matter',
    });
  });

  it("leaves the repository's own files alone: README, LICENSE, CHANGELOG", () => {
    for (const key of ['README.md', 'blog/readme.txt', 'LICENSE', 'LICENCE.md', 'CHANGELOG.md'])
      expect(isPublishable(key), key).toBe(false);
    for (const key of ['2025-01-08-readme-driven-development.md', 'readmes.md'])
      expect(isPublishable(key), key).toBe(true);
  });

  it('names shortcodes, Liquid and wiki links, which are published as written, once each, not in code', () => {
    const { warnings } = article(
      '2025-01-08-a.md',
      withBody(
        'Watch {{< youtube abc >}} and {{< youtube def >}}.',
        '',
        'See [[My Note]] and ![[photo.png]].',
        '',
        '{% include signup.html %} at {{ site.url }}',
        '',
        'Code is fine: `{{ x }}`, `[[y]]`.',
        '',
        '```',
        '{% raw %}',
        '```',
      ),
    );
    expect(warnings.map((w) => [w.line, w.message])).toEqual([
      [5, "the Hugo shortcode {{< youtube abc >}} is published as written (Hugo's, not Markdown)"],
      [7, "the wiki link [[My Note]] is published as written (Obsidian's, not Markdown)"],
      [9, "the Liquid tag {% include signup.html %} is published as written (Jekyll's, not Markdown)"],
    ]);
    expect(
      article('2025-01-08-b.md', '---\ntitle: T\n---\nOnly `{{ code }}` and\n\n    {% indented %}\n')
        .warnings,
    ).toEqual([]);
  });

  it('reads Markdown habits in a plain-text article: # headings and front matter', () => {
    const headed = article(
      '2025-01-08-a.txt',
      '# Heading line\nA paragraph that goes on.\n## Part two\nMore text.\n',
    );
    expect(headed.article.title).toBe('Heading line');
    expect(headed.article.bodyHtml).toBe(
      '<p>A paragraph that goes on.</p>\n<h2 id="part-two">Part two</h2>\n<p>More text.</p>',
    );
    const fm = article(
      'a.txt',
      '---\ntitle: From front matter\ndate: 2025-02-01\ntags: [x]\n---\nA paragraph.\n',
    );
    expect(fm.article).toMatchObject({
      title: 'From front matter',
      tags: ['x'],
      bodyHtml: '<p>A paragraph.</p>',
    });
    expect(fm.article.published.toISOString()).toBe('2025-01-31T23:00:00.000Z'); // midnight in Paris
    // A line of dashes is no title, and text after it is no front matter.
    const rule = article('2025-01-08-rule.txt', '---\nNot front matter, a rule.\nText.\n');
    expect(rule.article.title).toBe('Rule');
  });

  it('shows a summary written in Markdown as the text a reader sees of it', () => {
    const summary = (text: string) =>
      article('2025-01-08-a.md', `---\ntitle: T\nsummary: ${JSON.stringify(text)}\n---\nBody.\n`).article
        .summary;
    expect(summary('**Bold** and [a link](x.md), `code`, ~~gone~~')).toBe('Bold and a link, code, gone');
    expect(summary('snake_case and 2 * 3 * 4, Q&A')).toBe('snake_case and 2 * 3 * 4, Q&A');
  });

  it('keeps <details>, and names the embeds and tags it leaves out, once each, with their line', () => {
    const { article: a, warnings } = article(
      '2025-01-08-a.md',
      withBody(
        '<details><summary>The answer</summary>Forty-two.</details>',
        '',
        '<iframe src="https://www.youtube.com/embed/x"></iframe>',
        '',
        'Two players: <video src="a.mp4"></video> and <video src="b.mp4"></video>.',
        '',
        'Text <script>alert(1)</script>.',
      ),
    );
    const page = sanitizeBody(a.bodyHtml, 'https://news.example.com/posts/a/');
    expect(page).toContain('<details><summary>The answer</summary>Forty-two.</details>');
    expect(page).not.toMatch(/iframe|video|script|alert/);
    expect(warnings.map((w) => [w.line, w.message])).toEqual([
      [7, "the <iframe> was left out: pages and feeds show no other site's frames (players, maps, forms)"],
      [9, 'the <video> was left out: a player is not something every feed reader and mail app can show'],
      [11, 'the <script> was left out: pages, feeds and email carry no scripts'],
    ]);
  });

  it('names a link Markdown did not make: an address with a space, a reference defined nowhere', () => {
    const { warnings } = article(
      '2025-01-08-a.md',
      withBody(
        'See ![the view](my pic.png), [fine](<my pic.png>) and [titled](https://x.example "A title").',
        '',
        'As [the report][report] says, and [this][ok]; matrix[i][j] is code-like prose.',
        '',
        '[ok]: https://example.com',
      ),
    );
    expect(warnings.map((w) => [w.line, w.message, w.fix])).toEqual([
      [
        5,
        'the link ![the view](my pic.png) is published as text: its address has a space',
        'write the address as my%20pic.png, or put it in <>: (<my pic.png>)',
      ],
      [
        7,
        'the link [the report][report] is published as text: no line defines [report]',
        'add a line "[report]: https://…" below the paragraph, or write the address in the link: [text](https://…)',
      ],
    ]);
  });

  it('says what is wrong with a slug or a running time in words, not a pattern', () => {
    const fm = (line: string) => `---\ntitle: T\ndate: 2025-01-08\n${line}\n---\nText.\n`;
    expect(problem('a.md', fm('slug: Über uns!')).message).toBe(
      'front matter slug: "Über uns!" has characters an address cannot take (only letters a–z, digits and hyphens)',
    );
    expect(problem('a.md', fm('duration: 42 minutes')).message).toBe(
      'front matter duration: "42 minutes" is not a running time',
    );
  });

  it('names what would be published oddly: no text, a recording as image, updated before date, files out of reach', () => {
    const odd = article(
      '2025-01-08-a.md',
      '---\ntitle: Only front matter\nimage: episode.mp3\nupdated: 2024-01-01\n---\n',
    );
    expect(odd.article.image).toBeUndefined();
    expect(odd.article.updated).toEqual(odd.article.published);
    expect(odd.warnings.map((w) => [w.line, w.message])).toEqual([
      [3, 'the image "episode.mp3" is not a picture, so it was left out'],
      [4, 'updated is before the date the article was published, so it was ignored'],
      [6, 'the article has no text: it is published with its title only'],
    ]);
    const outside = article(
      '2025-01-08-b.md',
      '---\ntitle: T\n---\n\n![up](../up.png) and [doc](sub/../../x.pdf), [in](sub/../in.pdf)\n',
    );
    expect(outside.warnings.map((w) => [w.line, w.message])).toEqual([
      [5, "the image ../up.png is outside the article's folder, so it is not published"],
      [5, "the file sub/../../x.pdf is outside the article's folder, so it is not published"],
    ]);
    // The same for the front matter's cover and the article's own HTML, each at its line.
    const elsewhere = article(
      'sub/2025-12-02-c.md',
      '---\ntitle: T\nimage: ../cover.png\n---\n\nText <img alt="u" src=\'../up.png\'>\n\n<a href="../x.pdf">doc</a>\n',
    );
    expect(elsewhere.warnings.map((w) => [w.line, w.message])).toEqual([
      [6, "the image ../up.png is outside the article's folder, so it is not published"],
      [8, "the file ../x.pdf is outside the article's folder, so it is not published"],
      [3, "the image ../cover.png is outside the article's folder, so it is not published"],
    ]);
  });

  it('reads an author written as mail programs write one, in front matter and site.yaml', () => {
    const { article: a } = article(
      '2025-01-08-a.md',
      '---\ntitle: T\nauthor: Claire Dubois <claire@example.com>\n---\nText.\n',
    );
    expect(a.author).toEqual({ name: 'Claire Dubois', email: 'claire@example.com' });
    expect(parseSiteConfig('author: "\\"The Desk\\" <desk@example.com>"\n').author).toEqual({
      name: 'The Desk',
      email: 'desk@example.com',
    });
    // Anything else is a name.
    expect(parseSiteConfig('author: Jane <not an address>\n').author).toEqual({
      name: 'Jane <not an address>',
    });
  });

  it('names a tag with no letter or digit, and a pasted list of keywords', () => {
    const few = article('2025-01-08-a.md', '---\ntitle: T\ntags: [paris, "?", "#", ""]\n---\nText.\n');
    expect(few.article.tags).toEqual(['paris']);
    expect(few.warnings.map((w) => [w.line, w.message])).toEqual([
      [3, 'the tag "?" has no letter or digit, so it was left out'],
      [3, 'the tag "#" has no letter or digit, so it was left out'],
    ]);
    // A list written one item a line: each at its own line, as are the aliases.
    const listed = article(
      '2025-01-08-c.md',
      '---\ntitle: T\ntags:\n  - paris\n  - ~\n  - "?"\naliases:\n  - /old/\n  - "/x?p=1"\n---\nText.\n',
    );
    expect(listed.warnings.map((w) => [w.line, w.message.slice(0, 19)])).toEqual([
      [6, 'the tag "?" has no '],
      [9, 'the alias "/x?p=1" '],
    ]);
    const many = Array.from({ length: 31 }, (_, i) => `k${i}`).join(', ');
    const pasted = article('2025-01-08-b.md', `---\ntitle: T\ntags: [${many}]\n---\nText.\n`);
    expect(pasted.article.tags).toHaveLength(31);
    expect(pasted.warnings.map((w) => w.message)).toEqual([
      'the article has 31 tags, and each is a page and three feeds of the site',
    ]);
  });

  it('skips an article at its first wrong line, naming the other wrong keys, so all are fixed in one go', () => {
    expect(
      problem('a.md', '---\ntitle: T\ndate: 2025-01-08\nslug: Über!\ndraft: maybe\n---\nText.\n'),
    ).toMatchObject({
      line: 4,
      message:
        'front matter slug: "Über!" has characters an address cannot take (only letters a–z, digits and hyphens); also wrong: draft (line 5)',
    });
    expect(problem('a.md', '---\ntitle: T\ndate: 2025-01-08\ndraft: maybe\n---\nText.\n').message).toBe(
      'front matter draft: "maybe" is not true or false',
    );
  });

  it('says what a refused value is and what to write, in words, for the first wrong key and the others', () => {
    const wrong = (lines: string) => {
      const { message, fix } = problem('a.md', `---\ntitle: T\n${lines}\n---\nText.\n`);
      return [message, fix];
    };
    const dated = (line: string) => wrong(`${line}\ndate: 2025-01-08`);
    expect(dated('tags: 42')).toEqual([
      'front matter tags: 42 is a number, not a list of tags',
      'write tags as a list, e.g. tags: [paris, diplomacy]',
    ]);
    expect(wrong('date: 1741000000')).toEqual([
      'front matter date: 1741000000 is a number (a Unix time?), not a date',
      'write it as ISO 8601: date: 2025-03-03T11:06:40Z',
    ]);
    expect(wrong('date: 2025')).toEqual([
      'front matter date: 2025 is a year, not a whole date',
      'write the whole date, e.g. date: 2025-01-08 or date: 2025-01-08T09:30:00+01:00',
    ]);
    expect(problem('a.md', '---\ntitle: [a, b]\ndate: 2025-01-08\n---\nText.\n')).toMatchObject({
      line: 2,
      message: 'front matter title: [a, b] is a list, not text',
      fix: 'put the text in quotes: title: "[a, b]"',
    });
    expect(dated('author: [Ann, Bob]')).toEqual([
      'front matter author: [Ann, Bob] is a list, and an article has one author',
      'write one, e.g. author: Ann, or all as one name in quotes: author: "Ann and Bob"',
    ]);
    expect(dated('author: { name: Ann, email: ann-at-example }')).toEqual([
      'front matter author: email "ann-at-example" is not an email address',
      'write the address as jane@example.com, or remove email',
    ]);
    expect(dated('image: 3')[0]).toBe('front matter image: 3 is a number, not a path or URL');
    // Every wrong key has its fix, not only the first.
    expect(wrong('date: 2025-01-08\nauthor: [Ann, Bob]\ndraft: maybe\ntags: 42')).toEqual([
      'front matter author: [Ann, Bob] is a list, and an article has one author; also wrong: draft (line 5), tags (line 6)',
      'write one, e.g. author: Ann, or all as one name in quotes: author: "Ann and Bob"; draft: write draft: true or draft: false; tags: write tags as a list, e.g. tags: [paris, diplomacy]',
    ]);
  });
});
