import { describe, expect, it } from 'vitest';
import { isSubheading, parseArticle, suggestKey } from '../../functions/core/parse-article.ts';
import { markdownArticle, SEED_KEY, SEED_TEXT } from '../fixtures/articles.ts';

const encode = (text: string) => new TextEncoder().encode(text);
const parse = (key: string, text: string | Uint8Array) =>
  parseArticle(key, typeof text === 'string' ? encode(text) : text, { timeZone: 'Europe/Paris' });

describe('parseArticle: the seed plain-text article', () => {
  const result = parse(SEED_KEY, SEED_TEXT);
  if (!result.ok) throw new Error(result.problem.message);
  const { article } = result;

  it('takes its title from the file name, since the text has none', () => {
    expect(article.title).toBe('Blinken visits Paris');
    expect(article.slug).toBe('blinken-visits-paris');
  });

  it('takes its date from the file-name prefix, midnight in the site time zone', () => {
    expect(article.published.toISOString()).toBe('2025-01-07T23:00:00.000Z');
  });

  it('makes one paragraph per line and a subheading of the short unpunctuated line', () => {
    const paragraphs = article.bodyHtml.match(/<p>/g) ?? [];
    expect(paragraphs).toHaveLength(14);
    expect(article.bodyHtml).toContain(
      '<h2 id="supporting-ukraines-defence">Supporting Ukraine’s defence</h2>',
    );
    expect(article.bodyHtml.match(/<h2[ >]/g)).toHaveLength(1);
  });

  it('keeps curly quotes and accents intact', () => {
    expect(article.bodyHtml).toContain('Légion d’honneur');
    expect(article.bodyHtml).toContain('Jean-Noël Barrot');
    expect(article.bodyHtml).toContain('“This is a world that we have to face together');
  });

  it('gets a stable derived id that is a URN', () => {
    const again = parse(SEED_KEY, SEED_TEXT);
    expect(again.ok && again.article.id).toBe(article.id);
    expect(article.id).toMatch(
      /^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
  });
});

describe('isSubheading', () => {
  it.each([
    ['Supporting Ukraine’s defence', true],
    ['Secretary Blinken also met with French Foreign Minister Jean-Noël Barrot.', false],
    ['“And we agree,” emphasised the French MFA.”', false],
    ['Is this a question?', false],
    ['', false],
  ])('%s → %s', (line, expected) => {
    expect(isSubheading(line)).toBe(expected);
  });
});

describe('parseArticle: Markdown with front matter', () => {
  it('reads every front matter field', () => {
    const result = parse(
      'posts/2025-01-10-x.md',
      markdownArticle({
        title: '"Paris, again"',
        date: '2025-01-10T09:30:00+01:00',
        updated: '2025-01-11',
        author: '{ name: Claire, email: claire@example.com }',
        tags: '[Diplomacy, europe, diplomacy]',
        summary: 'Short.',
        id: 'paris-2025',
        image: 'cover.jpg',
        slug: 'paris-again',
      }),
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const a = result.article;
    expect(a.title).toBe('Paris, again');
    expect(a.published.toISOString()).toBe('2025-01-10T08:30:00.000Z');
    expect(a.updated.toISOString()).toBe('2025-01-10T23:00:00.000Z');
    expect(a.author).toEqual({ name: 'Claire', email: 'claire@example.com' });
    expect(a.tags).toEqual(['Diplomacy', 'europe']);
    expect(a.summary).toBe('Short.');
    expect(a.slug).toBe('paris-again');
    expect(a.image).toBe('cover.jpg');
    expect(a.id).toMatch(/^urn:uuid:/);
    expect(result.warnings).toEqual([]);
  });

  it('keeps an id across a rename when the front matter gives one', () => {
    const a = parse('2025-01-10-old-name.md', markdownArticle({ id: 'keep-me' }));
    const b = parse('2025-01-10-new-name.md', markdownArticle({ id: 'keep-me' }));
    expect(a.ok && b.ok && a.article.id === b.article.id).toBe(true);
  });

  it('keeps a URI id as it is', () => {
    const r = parse('a.md', markdownArticle({ id: 'tag:example.com,2025:paris' }));
    expect(r.ok && r.article.id).toBe('tag:example.com,2025:paris');
  });

  it('makes a bare UUID id that UUID as a URN', () => {
    const r = parse('a.md', markdownArticle({ id: '7F1C2A90-0b7e-4c55-9a55-4a1f2b0c9e11' }));
    expect(r.ok && r.article.id).toBe('urn:uuid:7f1c2a90-0b7e-4c55-9a55-4a1f2b0c9e11');
  });

  it('takes the title from the first heading, and drops that heading from the body', () => {
    const r = parse('2025-01-10-x.md', '# The *real* title\n\nBody text.\n');
    expect(r.ok && r.article.title).toBe('The real title');
    expect(r.ok && r.article.bodyHtml).not.toContain('<h1');
  });

  it.each([
    ['# Using my_var_name', 'Using my_var_name'],
    ['# Q&amp;A: 5 \\* 3 \\< 20', 'Q&A: 5 * 3 < 20'],
    ['# `a_b &amp;` and [a link](https://example.com/) ![a cover](c.png)', 'a_b &amp; and a link a cover'],
    ['# Tom & Jerry’s <b>“best”</b> &copy;', 'Tom & Jerry’s “best” ©'],
    ['# one<br>two', 'one two'],
    // References to characters XML forbids are dropped, as in the source; `&#x80;` is € in HTML.
    ['# A&#1;B &#x80; C&#xFFFE;', 'AB € C'],
    ['Setext ~~title~~\n===', 'Setext title'],
  ])('takes the title %j as a reader sees it: %j', (heading, title) => {
    const r = parse('2025-01-10-x.md', `${heading}\n\nBody text.\n`);
    expect(r.ok && r.article.title).toBe(title);
  });

  it('falls back to the file name for the title', () => {
    const r = parse('2025-01-10-a-quiet-week.md', 'Just text.\n');
    expect(r.ok && r.article.title).toBe('A quiet week');
  });

  it('skips an article with no date, naming the fix', () => {
    const r = parse('undated.md', '---\ntitle: Undated\n---\nText\n');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problem.file).toBe('undated.md');
    expect(r.problem.message).toBe('the article has no date');
    expect(r.problem.fix).toContain('date: 2025-01-08');
  });

  it('names the line of a date that is not a date', () => {
    const r = parse('2025-01-08-paris.md', '---\ntitle: Paris\nauthor: Me\ndate: 8 Jan\n---\nText\n');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problem.line).toBe(4);
    expect(r.problem.message).toBe('date "8 Jan" is not an ISO 8601 date');
    expect(r.problem.fix).toContain('2025-01-08');
  });

  it('reports invalid YAML with its line', () => {
    const r = parse('2025-01-08-bad.md', '---\ntitle: ok\ntags: [a, b\n---\nText\n');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problem.line).toBeGreaterThanOrEqual(3);
  });

  it('publishes a numeric title as text, with a warning', () => {
    const r = parse('2025-01-08-n.md', markdownArticle({ title: '2025', colour: 'blue' }));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.article.title).toBe('2025');
    expect(r.warnings.map((w) => w.message)).toEqual([
      'unknown front matter key "colour" was ignored',
      'title 2025 is not text; published as "2025"',
    ]);
  });

  it('names the key an unknown one meant: its case, a typo, or what Hugo and Jekyll call it', () => {
    const meant = Object.fromEntries(
      [
        'Title',
        'titel',
        'tittle',
        'summery',
        'categories',
        'tag',
        'description',
        'lastmod',
        'last_modified_at',
        'publishDate',
        'cover',
        'featured_image',
        'images',
        'alias',
        'colour',
        'mood',
        'layout',
        'published',
        'x',
      ].map((k) => [k, suggestKey(k)]),
    );
    expect(meant).toEqual({
      Title: 'title',
      titel: 'title',
      tittle: 'title',
      summery: 'summary',
      categories: 'tags',
      tag: 'tags',
      description: 'summary',
      lastmod: 'updated',
      last_modified_at: 'updated',
      publishDate: 'date',
      cover: 'image',
      featured_image: 'image',
      images: 'image',
      alias: 'aliases',
      colour: undefined,
      mood: undefined,
      layout: undefined,
      // Jekyll's `published: false` is a draft: no guess that would get it backwards.
      published: undefined,
      x: undefined,
    });
    const r = parse('2025-01-08-hugo.md', markdownArticle({ categories: '[paris]' }));
    expect(r.ok && r.warnings).toEqual([
      {
        file: '2025-01-08-hugo.md',
        line: 4,
        message: 'unknown front matter key "categories" was ignored',
        fix: 'did you mean tags? Rename it (write tags as a list, e.g. tags: [paris, diplomacy]), or remove it',
      },
    ]);
  });

  it('guesses no key for a short word two edits from one (base is not date), only for a close one', () => {
    const r = parse(
      '2025-01-08-a.md',
      '---\ntitle: T\ndate: 2025-01-08\nbase: &b { draft: false }\nmore:\n  <<: *b\n---\nText.\n',
    );
    const noGuess = expect.stringMatching(/^remove it, or use one of: title, /);
    expect(r.ok && r.warnings.map((w) => [w.message, w.fix])).toEqual([
      ['unknown front matter key "base" was ignored', noGuess],
      ['unknown front matter key "more" was ignored', noGuess],
    ]);
    expect(['base', 'data', 'dates', 'daet', 'titl', 'aliass', 'sumary', 'episod'].map(suggestKey)).toEqual([
      undefined,
      'date',
      'date',
      'date',
      'title',
      'aliases',
      'summary',
      'episode',
    ]);
  });

  it('names an unknown key in the author, which would drop the email without a word', () => {
    const r = parse('2025-01-08-a.md', markdownArticle({ author: '{ name: Ana, emial: ana@example.com }' }));
    expect(r.ok && r.warnings).toEqual([
      {
        file: '2025-01-08-a.md',
        line: 4,
        message: 'unknown key "emial" in author was ignored',
        fix: 'did you mean email? Rename it, or remove it',
      },
    ]);
    expect(r.ok && r.article.author).toEqual({ name: 'Ana' });
  });

  it('rejects empty, binary and oversized files', () => {
    const empty = parse('2025-01-08-e.md', '');
    const binary = parse('2025-01-08-b.md', new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0, 1, 2]));
    const huge = parse('2025-01-08-h.md', new Uint8Array(2 * 1024 * 1024 + 1).fill(0x61));
    expect(!empty.ok && empty.problem.message).toBe('the file is empty');
    expect(!binary.ok && binary.problem.message).toBe('the file is not text (binary content)');
    expect(!huge.ok && huge.problem.message).toMatch(/over the 2 MB limit/);
  });
});

describe('parseArticle: files saved in another encoding than UTF-8', () => {
  const text = '---\ntitle: Café crème\ndate: 2025-01-08\n---\n\nLe café “crème” coûte 2 €.\n';
  const utf8 = parse('2025-01-08-cafe.md', text);
  if (!utf8.ok) throw new Error(utf8.problem.message);
  // Windows-1252 for the few characters outside Latin-1 the text uses; Latin-1 for the rest.
  const cp1252 = (s: string) =>
    Uint8Array.from([...s], (ch) => ({ '€': 0x80, '“': 0x93, '”': 0x94 })[ch] ?? ch.charCodeAt(0));
  const utf16 = (s: string, order: 'le' | 'be') => {
    const units = new Uint8Array(2 + s.length * 2);
    units.set(order === 'le' ? [0xff, 0xfe] : [0xfe, 0xff]);
    for (let i = 0; i < s.length; i++) {
      const unit = s.charCodeAt(i);
      units.set(order === 'le' ? [unit & 0xff, unit >> 8] : [unit >> 8, unit & 0xff], 2 + i * 2);
    }
    return units;
  };

  it('reads a Windows-1252 file as Windows-1252 and says where to look', () => {
    const r = parse('2025-01-08-cafe.md', cp1252(text));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.article.title).toBe('Café crème');
    expect(r.article.bodyHtml).toBe(utf8.article.bodyHtml);
    expect(r.warnings).toEqual([
      {
        file: '2025-01-08-cafe.md',
        line: 2,
        message: 'the file is not UTF-8, so it was read as Windows-1252: "title: Café crème"',
        fix: 'check the accented letters on that line, then save the file as UTF-8 in your editor',
      },
    ]);
  });

  it('reads UTF-16 with a byte-order mark, either byte order, without a warning', () => {
    for (const order of ['le', 'be'] as const) {
      const r = parse('2025-01-08-cafe.md', utf16(`\uFEFF${text}`.slice(1), order));
      expect(r.ok && r.article).toEqual(utf8.article);
      expect(r.ok && r.warnings).toEqual([]);
    }
  });

  it('keeps a mostly UTF-8 file as UTF-8 and names the line with the stray bytes', () => {
    const bytes = new Uint8Array([
      ...encode('T\n\nThis line is fine: it’s UTF-8, but caf'),
      0xe9,
      ...encode(' is not.\n'),
    ]);
    const r = parse('2025-01-08-mixed.txt', bytes);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.article.bodyHtml).toContain('it’s UTF-8, but caf\uFFFD is not.');
    expect(r.warnings.map((w) => [w.line, w.message])).toEqual([
      [3, 'line 3 has bytes that are not UTF-8, shown as "\uFFFD": "…it’s UTF-8, but caf\uFFFD is not."'],
    ]);
  });
});

describe('parseArticle: images with no description', () => {
  it('warns, with the line, about each image a screen reader could only call "image"', () => {
    const body = [
      'Intro with ![A chart of the vote](chart.png) described.', // line 6
      '',
      '![](boats.jpg)', // 8
      '',
      '- a list with ![ ](in-list.png)', // 10
      '',
      '| a | b |',
      '|---|---|',
      '| [![](linked.png)](https://example.com/) | <img src="cell.png"> |', // 14
      '',
      '<figure><img src="/abs/raw.png" width="20"></figure>', // 16
      '',
      '<img alt="" src="decoration.png"> <img alt="Map" src="map.png">',
      '',
      '![](boats.jpg)', // 20: the same image again, on its own line
      '',
      'A note.[^1]',
      '',
      '[^1]: See ![](in-note.png).', // 24
    ].join('\n');
    const r = parse('2025-01-08-pictures.md', markdownArticle({}, body));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.warnings.map((w) => [w.line, w.message.replace(/ has no description.*/, '')])).toEqual([
      [8, 'the image boats.jpg'],
      [10, 'the image in-list.png'],
      [14, 'the image linked.png'],
      [14, 'the image cell.png'],
      [16, 'the image /abs/raw.png'],
      [20, 'the image boats.jpg'],
      [24, 'the image in-note.png'],
    ]);
    expect(r.warnings[0]).toEqual({
      file: '2025-01-08-pictures.md',
      line: 8,
      message:
        'the image boats.jpg has no description, so a screen reader says only "image" or its file name',
      fix: 'say what it shows between the brackets: ![Fishing boats at dawn](dawn.jpg); a purely decorative one can be <img alt="" src="…">',
    });
    // Published all the same.
    expect(r.article.bodyHtml).toContain('boats.jpg');
  });

  it('says nothing about described images, or text with no image in it', () => {
    for (const body of ['![Boats](boats.jpg)\n', 'No pictures, only ![brackets] and an <imgur> word.\n']) {
      const r = parse('2025-01-08-fine.md', markdownArticle({}, body));
      expect(r.ok && r.warnings, body).toEqual([]);
    }
  });
});

describe('parseArticle: TOML front matter, as Hugo writes it', () => {
  const hugo = [
    '+++',
    'title = "From Hugo"',
    'date = 2025-01-10T09:30:00',
    'tags = ["paris", "europe"]',
    'summary = "A summary"',
    'draft = false',
    '',
    '[author]',
    'name = "Ana"',
    'email = "ana@example.com"',
    '+++',
    '',
    'Body **here**.',
    '',
  ].join('\n');

  it('publishes as its YAML twin would, a date without an offset in the site time zone', () => {
    const r = parse('2025-01-10-from-hugo.md', hugo);
    const yaml = parse(
      '2025-01-10-from-hugo.md',
      markdownArticle(
        {
          title: 'From Hugo',
          date: '2025-01-10T09:30:00',
          tags: '[paris, europe]',
          summary: 'A summary',
          draft: 'false',
          author: '{ name: Ana, email: ana@example.com }',
        },
        'Body **here**.\n',
      ),
    );
    expect(r.ok && r.warnings).toEqual([]);
    expect(r.ok && r.article).toEqual(yaml.ok && yaml.article);
    expect(r.ok && r.article.published.toISOString()).toBe('2025-01-10T08:30:00.000Z');
  });

  it('names the line of a bad value, and of a key the schema refuses', () => {
    const bad = parse('2025-01-10-a.md', '+++\ntitle = "x"\ndate = \n+++\nText.\n');
    expect(!bad.ok && bad.problem).toEqual({
      file: '2025-01-10-a.md',
      line: 3,
      message: 'front matter is not valid TOML: invalid value',
      fix: 'fix the TOML (key = "value", text in quotes, lists as ["a", "b"]), or write the front matter as YAML between --- lines',
    });
    const badDate = parse('2025-01-10-a.md', '+++\ntitle = "x"\ndate = "soon"\n+++\nText.\n');
    expect(!badDate.ok && badDate.problem.line).toBe(3);
    const table = parse('2025-01-10-a.md', '+++\ntitle = "x"\n\n[author]\nname = ""\n+++\nText.\n');
    expect(!table.ok && table.problem.line).toBe(4);
    const open = parse('2025-01-10-a.md', '+++\ntitle = "x"\nText.\n');
    expect(!open.ok && open.problem.message).toBe('front matter starts with +++ but never ends');
  });
});
