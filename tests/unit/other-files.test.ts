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

  it("call an editor's backup a backup, and never offer a name that is taken", () => {
    const content = new Set(['ok.md', 'notes/post.md', 'notes/_post.html', 'robots.txt', 'site.yaml']);
    const exists = (key: string) => content.has(key);
    expect(otherFileProblem('ok.md~', exists)).toEqual({
      file: 'ok.md~',
      message: 'not published: a backup copy of ok.md that an editor or a tool left',
      fix: 'delete it, or move it out of the content (or rename it _ok.md~) to keep it without this warning',
    });
    for (const [key, of] of [
      ['drafts/#ok.md#', 'ok.md'],
      ['ok.md.bak', 'ok.md'],
      ['ok.md.orig', 'ok.md'],
      ['2025-01-08-a.txt.swp', '2025-01-08-a.txt'],
      ['cover.png.BAK', 'cover.png'],
    ] as const)
      expect(otherFileProblem(key, exists).message, key).toBe(
        `not published: a backup copy of ${of} that an editor or a tool left`,
      );
    // Beside the article it would become, or its hidden name: those are not offered.
    expect(otherFileProblem('notes/post.html', exists).fix).toBe(
      'delete it if post.md has its text, or move it out of the content to keep it unpublished',
    );
    expect(otherFileProblem('ok.rtf', exists).fix).toBe(
      'delete it if ok.md has its text, or rename it _ok.rtf to keep it unpublished without this warning',
    );
    expect(otherFileProblem('pics/ROBOTS.TXT', exists).fix).toBe(
      'delete it if robots.txt says the same, or rename it _ROBOTS.TXT to keep it unpublished without this warning',
    );
    expect(otherFileProblem('posts/site.yaml', exists).fix).toBe(
      'move its settings into the site.yaml at the top of the content, or rename it _site.yaml to keep it unread without this warning',
    );
  });

  it("name an editor's backup beside its article as such in a run, offering no name", async () => {
    const result = await publishSite({
      source: new MemorySource({
        '2025-03-01-ok.md': markdownArticle({ title: 'OK', date: '2025-03-01' }),
        '2025-03-01-ok.md~': markdownArticle({ title: 'OK', date: '2025-03-01' }),
        'old.html': '<p>Old</p>',
        'old.md': markdownArticle({ title: 'Old', date: '2025-03-02' }),
      }),
      store: new MemoryStore(),
      logger: silentLogger,
      now: NOW,
      siteUrl: SITE_URL,
    });
    expect(result.warnings.map((w) => [w.file, w.message, w.fix])).toEqual([
      [
        '2025-03-01-ok.md~',
        'not published: a backup copy of 2025-03-01-ok.md that an editor or a tool left',
        'delete it, or move it out of the content (or rename it _2025-03-01-ok.md~) to keep it without this warning',
      ],
      [
        'old.html',
        expect.stringMatching(/^not published: the publisher reads/),
        'delete it if old.md has its text, or rename it _old.html to keep it unpublished without this warning',
      ],
    ]);
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

    // Its article arrives beside it: the next full run's advice no longer offers the name it took.
    const renameFix = (report: { warnings: readonly { file: string; fix: string }[] }) =>
      report.warnings.find((w) => w.file === '2025-03-02-post.html')?.fix;
    expect(renameFix(first)).toContain('rename it 2025-03-02-post.md');
    source.put('2025-03-02-post.md', markdownArticle({ title: 'Second', date: '2025-03-02' }));
    expect(renameFix(await run())).not.toContain('rename it 2025-03-02-post.md');
    source.files.delete('2025-03-02-post.md');
    expect(renameFix(await run())).toContain('rename it 2025-03-02-post.md');

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
