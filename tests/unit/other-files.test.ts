import { describe, expect, it } from 'vitest';
import { isOtherFileKey, otherFileProblem } from '../../functions/core/other-files.ts';
import { silentLogger } from '../../functions/core/ports.ts';
import { publishSite } from '../../functions/core/publish-site.ts';
import { markdownArticle, NOW, SITE_URL } from '../fixtures/articles.ts';
import { MemorySource, MemoryStore } from '../fixtures/memory.ts';

describe('files the publisher does not publish', () => {
  it('are the ones that are neither articles, media, site.yaml, hidden, nor folder markers', () => {
    for (const key of ['post.html', 'notes/draft.rtf', 'READ-ME', 'pics/site.yaml', 'post.mdx'])
      expect(isOtherFileKey(key), key).toBe(true);
    for (const key of ['a.md', 'a.MARKDOWN', 'a.txt', 'site.yaml', 'pics/a.png', 'talk.mp3', 'slides.docx'])
      expect(isOtherFileKey(key), key).toBe(false);
    // Hidden, or the repository's own (a content folder in Git has a README): never read, never warned about.
    for (const key of [
      '_post.html',
      '.DS_Store',
      '.git/config',
      'pics/',
      'pics/_raw.psd',
      'README',
      'README.md',
      'notes/LICENSE.txt',
      'CHANGELOG.md',
    ])
      expect(isOtherFileKey(key), key).toBe(false);
  });

  it('name the way to publish them, or to keep them quietly', () => {
    expect(otherFileProblem('2025-03-01-post.html')).toEqual({
      file: '2025-03-01-post.html',
      message:
        'not published: the publisher reads .md, .markdown and .txt articles, and the images and files (PDF, audio, video…) they show or link',
      fix: 'rename it 2025-03-01-post.md (Markdown keeps its HTML, made safe), or _2025-03-01-post.html to keep it unpublished without this warning',
    });
    expect(otherFileProblem('drafts/notes.rtf').fix).toBe(
      'save it as Markdown (notes.md) or plain text (notes.txt), or rename it _notes.rtf to keep it unpublished without this warning',
    );
    expect(otherFileProblem('posts/site.yaml').message).toBe(
      "not read: only the site.yaml at the top of the content is the site's settings",
    );
  });

  it('are warned about on every run while they are there, and never published or counted', async () => {
    const source = new MemorySource({
      '2025-03-01-first.md': markdownArticle({ title: 'First', date: '2025-03-01' }),
      '2025-03-02-post.html': '<h1>Second</h1><p>Written in HTML.</p>',
      'pics/': '',
      '_notes.html': 'kept on purpose',
    });
    const store = new MemoryStore();
    const run = (changedKeys?: string[]) =>
      publishSite({ source, store, logger: silentLogger, now: NOW, siteUrl: SITE_URL, changedKeys });
    const html = expect.objectContaining({
      file: '2025-03-02-post.html',
      message: expect.stringMatching(/^not published/),
    });

    const first = await run();
    expect(first.warnings).toEqual([html]);
    expect(first.counts.sources).toBe(1);
    expect(first.skipped).toEqual([]);
    expect([...store.objects.keys()].filter((k) => /post|notes|pics/.test(k))).toEqual([
      'posts/first/index.html',
    ]);

    // An upload of an article (the manifest's records, no listing): still said.
    source.put('2025-03-03-third.md', markdownArticle({ title: 'Third', date: '2025-03-03' }));
    const upload = await run(['2025-03-03-third.md']);
    expect(upload.mode).toBe('events');
    expect(upload.warnings).toEqual([html]);
    expect(upload.counts.sources).toBe(2);

    // Its own upload event: a new one is said at once; a deleted one is no longer said.
    source.put('2025-03-04-letter.docx.txt.bak', 'x');
    expect((await run(['2025-03-04-letter.docx.txt.bak'])).warnings).toEqual([
      html,
      expect.objectContaining({ file: '2025-03-04-letter.docx.txt.bak' }),
    ]);
    source.files.delete('2025-03-02-post.html');
    source.files.delete('2025-03-04-letter.docx.txt.bak');
    const removed = await run(['2025-03-02-post.html', '2025-03-04-letter.docx.txt.bak']);
    expect(removed.mode).toBe('events');
    expect(removed.warnings).toEqual([]);
    expect((await run()).warnings).toEqual([]);
  });
});
