import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { validateJsonFeed } from '../helpers/json-feed.ts';
import { hasShared, SHARED_MISSING, sharedPath } from '../helpers/paths.ts';
import { missing } from '../helpers/skip.ts';

const example = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(sharedPath('schemas', 'jsonfeed-examples', name), 'utf8')) as Record<
    string,
    unknown
  >;

const base = {
  version: 'https://jsonfeed.org/version/1.1',
  title: 'Harness',
  home_page_url: 'https://example.org/',
  feed_url: 'https://example.org/feed.json',
  authors: [{ name: 'Ada' }],
  items: [
    { id: 'urn:broadsheet:a', url: 'https://example.org/a.html', title: 'A', content_html: '<p>A</p>' },
    { id: 'urn:broadsheet:b', url: 'https://example.org/b.html', title: 'B', content_text: 'B' },
  ],
};

// The validator is the schema in ../shared plus its own rules: tested whole, or not at all.
describe.skipIf(missing(hasShared(), SHARED_MISSING))('validateJsonFeed', () => {
  it.each(['simple.json', 'microblog.json', 'podcast.json'])('accepts the 1.1 example %s', (name) => {
    expect(validateJsonFeed(example(name))).toEqual([]);
  });

  it('accepts a minimal feed', () => {
    expect(validateJsonFeed(base)).toEqual([]);
  });

  it('rejects a feed without version, or with version 1', () => {
    const { version: _, ...noVersion } = base;
    expect(validateJsonFeed(noVersion).join('\n')).toMatch(/version/);
    expect(validateJsonFeed({ ...base, version: 'https://jsonfeed.org/version/1' })).toEqual([
      '/version: must be "https://jsonfeed.org/version/1.1", got "https://jsonfeed.org/version/1"',
    ]);
  });

  it('rejects numeric, empty and repeated item ids', () => {
    const [a, b] = base.items;
    expect(validateJsonFeed({ ...base, items: [{ ...a, id: 1 }] })).toEqual(['/items/0/id: must be string']);
    expect(validateJsonFeed({ ...base, items: [{ ...a, id: ' ' }] })).toEqual([
      '/items/0/id: must not be empty',
    ]);
    expect(validateJsonFeed({ ...base, items: [a, { ...b, id: a?.id }] })).toEqual([
      '/items/1/id: "urn:broadsheet:a" repeats /items/0/id',
    ]);
  });

  it('rejects the deprecated author and relative or non-http URLs', () => {
    const [a] = base.items;
    expect(validateJsonFeed({ ...base, author: { name: 'Ada' } })).toEqual([
      '/author: deprecated in JSON Feed 1.1, use "authors" (an array)',
    ]);
    expect(validateJsonFeed({ ...base, items: [{ ...a, url: '/a.html' }] })).toContain(
      '/items/0/url: "/a.html" is not an absolute URL',
    );
    expect(validateJsonFeed({ ...base, items: [{ ...a, image: 'file:///etc/passwd' }] })).toEqual([
      '/items/0/image: "file:///etc/passwd" is not an http(s) URL',
    ]);
  });

  it('rejects an item without content', () => {
    const [a] = base.items;
    const { content_html: _, ...noContent } = a ?? {};
    expect(validateJsonFeed({ ...base, items: [noContent] })).not.toEqual([]);
  });
});
