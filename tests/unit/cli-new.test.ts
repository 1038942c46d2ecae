import { describe, expect, it } from 'vitest';
import { formatLocalIso, renderNewArticle } from '../../bin/cli-new.ts';
import { UsageError } from '../../bin/cli-shared.ts';
import { parseArticle } from '../../functions/core/parse-article.ts';

const NOW = new Date('2025-01-08T08:30:05.123Z');
const encode = (text: string) => new TextEncoder().encode(text);

describe('broadsheet new', () => {
  it('writes the date with the local offset, or Z for UTC', () => {
    expect(formatLocalIso(NOW, 60)).toBe('2025-01-08T09:30:05+01:00');
    expect(formatLocalIso(NOW, -330)).toBe('2025-01-08T03:00:05-05:30');
    expect(formatLocalIso(NOW, 0)).toBe('2025-01-08T08:30:05Z');
  });

  it('names the file after the local day and the slug, and fills the front matter the parser reads back', () => {
    const article = renderNewArticle({
      title: 'Hello, World: à Paris',
      tags: ['europe', " c'est la vie "],
      now: NOW,
      id: 'urn:uuid:00000000-0000-4000-8000-000000000000',
    });
    expect(article.fileName).toMatch(/^2025-01-0[78]-hello-world-a-paris\.md$/);
    const parsed = parseArticle(article.fileName, encode(article.text), { timeZone: 'UTC' });
    if (!parsed.ok) throw new Error(parsed.problem.message);
    expect(parsed.warnings).toEqual([]);
    expect(parsed.article).toMatchObject({
      title: 'Hello, World: à Paris',
      tags: ['europe', "c'est la vie"],
      id: 'urn:uuid:00000000-0000-4000-8000-000000000000',
      draft: false,
      published: new Date('2025-01-08T08:30:05Z'),
    });
  });

  it('has optional keys that parse as written once their # is removed, as the skeleton says', () => {
    const { fileName, text } = renderNewArticle({ title: 'Episode', tags: [], now: NOW, id: 'urn:uuid:x' });
    const uncommented = text.replace(/^# (\w+:)/gm, '$1');
    expect(uncommented).not.toBe(text);
    const parsed = parseArticle(fileName, encode(uncommented), { timeZone: 'UTC' });
    if (!parsed.ok) throw new Error(parsed.problem.message);
    expect(parsed.warnings).toEqual([]);
    expect(parsed.article).toMatchObject({
      summary: expect.any(String),
      image: 'cover.jpg',
      enclosure: 'episode.mp3',
      episode: { duration: '42:10' },
    });
  });

  it('gives every article a fresh urn:uuid id', () => {
    const a = renderNewArticle({ title: 'Same', now: NOW });
    const b = renderNewArticle({ title: 'Same', now: NOW });
    expect(a.text).toMatch(/^id: urn:uuid:[0-9a-f-]{36}$/m);
    expect(a.text).not.toBe(b.text);
  });

  it('keeps --date as written and takes the file day from it', () => {
    const article = renderNewArticle({ title: 'Late', date: '2025-03-01T23:30:00-05:00' });
    expect(article.fileName).toBe('2025-03-01-late.md');
    expect(article.text).toContain('date: 2025-03-01T23:30:00-05:00\n');
  });

  it('refuses an empty title and a date that is not ISO 8601, naming the fix', () => {
    expect(() => renderNewArticle({ title: '  ' })).toThrow(UsageError);
    expect(() => renderNewArticle({ title: 'x', date: '8 Jan' })).toThrow(
      /not an ISO 8601 date \(write e\.g\./,
    );
  });

  it('still finds a file name for a title without Latin letters', () => {
    const article = renderNewArticle({
      title: '東京',
      now: NOW,
      id: 'urn:uuid:abcdef12-0000-4000-8000-000000000000',
    });
    expect(article.fileName).toMatch(/-article-abcdef12\.md$/);
  });
});
