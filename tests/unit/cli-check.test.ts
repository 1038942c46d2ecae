import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildLocal } from '../../bin/cli-build.ts';
import { checkFile, checkFolder, describeCheck, formatCheckProblem } from '../../bin/cli-check.ts';
import { markdownArticle } from '../fixtures/articles.ts';
import { jpegOfSize, pngOfSize } from '../fixtures/images.ts';

const NOW = new Date('2025-06-01T12:00:00Z');

async function folder(files: Record<string, string | Uint8Array>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'broadsheet-check-'));
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
  return dir;
}

describe('broadsheet check', () => {
  it('formats a problem as file:line, severity, message, then the fix', () => {
    expect(
      formatCheckProblem(
        'error',
        { file: 'a.md', line: 3, message: 'date "8 Jan" is bad', fix: 'write 2025-01-08' },
        'content',
      ),
    ).toBe('content/a.md:3: error: date "8 Jan" is bad\n  fix: write 2025-01-08');
  });

  it('reports what the publisher would skip, with warnings and held-back articles apart', async () => {
    const dir = await folder({
      'site.yaml': 'title: Dispatch\ntimeZone: Europe/Paris\n',
      '2025-01-10-good.md': markdownArticle({ title: 'Good', colour: 'blue' }),
      '2025-01-11-bad.md': markdownArticle({ date: '8 Jan' }),
      '2025-01-12-draft.md': markdownArticle({ title: 'Draft', draft: 'true' }),
      'notes.jpg': 'not an article',
    });
    const report = await checkFolder(dir, NOW);
    expect(report).toMatchObject({ checked: 3, published: 1 });
    expect(report.errors).toEqual([expect.objectContaining({ file: '2025-01-11-bad.md', line: 3 })]);
    expect(report.warnings).toEqual([expect.objectContaining({ file: '2025-01-10-good.md', line: 4 })]);
    expect(report.heldBack).toEqual([{ file: '2025-01-12-draft.md', reason: 'draft' }]);
    expect(describeCheck(report, 'content')).toMatch(
      /checked 3 articles in content: 1 would be published, 1 would be skipped, 1 held back .*, 1 warning$/,
    );
  });

  it('warns about an image an article shows that is not beside it, and refuses one over 10 MB', async () => {
    const dir = await folder({
      '2025-01-10-trip.md': markdownArticle(
        { title: 'Trip', image: 'cover.png' },
        '![view](view.png) and ![lost](lost.png)\n',
      ),
      'view.png': 'png',
    });
    await writeFile(join(dir, 'cover.png'), new Uint8Array(10 * 1024 * 1024 + 1));
    const report = await checkFolder(dir, NOW);
    expect(report.warnings).toEqual([
      expect.objectContaining({
        file: '2025-01-10-trip.md',
        line: 7,
        message: expect.stringContaining('lost.png'),
      }),
    ]);
    expect(report.errors).toEqual([
      expect.objectContaining({ file: 'cover.png', message: 'the image is 10.0 MB, over the 10 MB limit' }),
    ]);
    // The summary counts it as a file left out, not as a skipped article.
    expect(describeCheck(report, 'content').split('\n').at(-1)).toBe(
      'checked 1 article in content: 1 would be published, 0 would be skipped, 1 image or file left out, 1 warning',
    );
  });

  it('warns about an enclosure that is not in the folder, at its front matter line', async () => {
    const dir = await folder({
      '2025-01-10-episode.md': markdownArticle({ title: 'Episode', enclosure: 'audio/ep1.mp3' }),
    });
    const report = await checkFolder(dir, NOW);
    expect(report.warnings).toEqual([
      expect.objectContaining({
        file: '2025-01-10-episode.md',
        line: 4,
        message:
          'the file audio/ep1.mp3 is not in the content, so its link is broken on the page and in the feeds',
      }),
    ]);
  });

  it('warns when the icon site.yaml names is not in the folder', async () => {
    const missingIcon = await checkFolder(
      await folder({ 'site.yaml': 'title: x\nicon: logo/icon.png\n' }),
      NOW,
    );
    expect(missingIcon.warnings).toEqual([
      expect.objectContaining({
        file: 'site.yaml',
        fix: "add logo/icon.png to the content (its path from site.yaml's folder), or correct icon",
      }),
    ]);
    const present = await checkFolder(
      await folder({ 'site.yaml': 'title: x\nicon: icon.png\n', 'icon.png': pngOfSize(64, 64) }),
      NOW,
    );
    expect(present.warnings).toEqual([]);
    // Its bytes are judged as the run judges them.
    const wide = await checkFolder(
      await folder({ 'site.yaml': 'title: x\nicon: icon.png\n', 'icon.png': pngOfSize(200, 50) }),
      NOW,
    );
    expect(wide.warnings).toEqual([
      expect.objectContaining({
        file: 'icon.png',
        message: expect.stringMatching(/200 × 50 px, not square/),
      }),
    ]);
  });

  it('names the image a wrong path most likely meant, as the run does', async () => {
    const dir = await folder({
      '2025-01-10-a.md': markdownArticle({}, 'A view: ![The view](View.PNG)\n'),
      'view.png': 'png',
    });
    expect((await checkFolder(dir, NOW)).warnings).toEqual([
      expect.objectContaining({
        line: 6,
        fix: 'the content has view.png: names are case-sensitive once uploaded, so write view.png in the article, or rename the file',
      }),
    ]);
  });

  it('warns about a file the run would leave out, as the run does', async () => {
    const report = await checkFolder(
      await folder({ '2025-01-10-a.md': markdownArticle(), 'post.html': '<p>x</p>', '_kept.html': 'x' }),
      NOW,
    );
    expect(report.warnings).toEqual([
      expect.objectContaining({ file: 'post.html', fix: expect.stringContaining('rename it post.md') }),
    ]);
    expect(report.published).toBe(1);
  });

  it('warns when the podcast cover site.yaml names is not in the folder, as the run does', async () => {
    const yaml = 'title: x\npodcast: { image: cover.jpg, category: Technology }\n';
    const missingCover = await checkFolder(await folder({ 'site.yaml': yaml }), NOW);
    expect(missingCover.warnings).toEqual([
      expect.objectContaining({ message: expect.stringContaining('no owner email') }),
      expect.objectContaining({
        file: 'site.yaml',
        message: 'the podcast cover cover.jpg is not in the content, so podcast apps show no artwork',
      }),
    ]);
    const present = await checkFolder(
      await folder({ 'site.yaml': yaml, 'cover.jpg': jpegOfSize(3000, 3000) }),
      NOW,
    );
    // No author, so no owner email: the run's warning too.
    expect(present.warnings).toEqual([
      expect.objectContaining({ file: 'site.yaml', message: expect.stringContaining('no owner email') }),
    ]);
    // A cover Apple would refuse, read from its bytes as the run reads them when it publishes it.
    const small = await checkFolder(
      await folder({ 'site.yaml': yaml, 'cover.jpg': pngOfSize(800, 800) }),
      NOW,
    );
    expect(small.warnings).toEqual([
      expect.objectContaining({ message: expect.stringContaining('no owner email') }),
      expect.objectContaining({
        file: 'cover.jpg',
        message: 'the podcast cover is a PNG image under a name that says image/jpeg',
      }),
    ]);
  });

  it('warns, with its line, about an alias that a page of the site or an older article already has', async () => {
    const dir = await folder({
      '2025-01-10-first.md': markdownArticle({ title: 'First', aliases: '[/old/, /2019/05/moved]' }),
      '2025-01-12-second.md': markdownArticle({
        title: 'Second',
        aliases: '\n  - /fine/\n  - /posts/first\n  - /2019/05/moved/',
      }),
    });
    const report = await checkFolder(dir, NOW);
    expect(report.warnings).toEqual([
      expect.objectContaining({
        file: '2025-01-12-second.md',
        line: 6,
        message: 'the alias /posts/first/ is a page of the site already, so it was left out',
      }),
      expect.objectContaining({
        file: '2025-01-12-second.md',
        line: 7,
        message: 'the alias /2019/05/moved/ is an alias of 2025-01-10-first.md already, so it was left out',
      }),
    ]);
    // The run leaves out the same two, and says so in its report.
    const built = await buildLocal({ contentDir: dir, outDir: `${dir}-out`, now: NOW, thread: false });
    expect(built.warnings.map((w) => w.message)).toEqual(report.warnings.map((w) => w.message));
  });

  it('warns about an image a site.yaml page shows that is not beside site.yaml, with the line', async () => {
    const dir = await folder({
      'site.yaml':
        'title: x\npages:\n  - title: About\n    text: |\n      Hello.\n\n      ![Me](me.png) ![Us](us.png)\n',
      'me.png': 'png',
    });
    const report = await checkFolder(dir, NOW);
    expect(report.warnings).toEqual([
      expect.objectContaining({ file: 'site.yaml', line: 7, message: expect.stringContaining('us.png') }),
    ]);
  });

  it('treats a bad site.yaml as an error with its line', async () => {
    const dir = await folder({ 'site.yaml': 'title: x\nfeeds:\n  limit: none\n' });
    const report = await checkFolder(dir, NOW);
    expect(report.errors).toEqual([expect.objectContaining({ file: 'site.yaml', line: 3 })]);
    expect(describeCheck(report, 'c')).toContain('site.yaml has errors');
  });

  it('checks one file against the site.yaml beside it, takes images and documents, and refuses anything else', async () => {
    const files = {
      '2025-01-10-a.md': markdownArticle(),
      'photo.png': 'x',
      'notes.docx': 'x',
      'page.html': 'x',
      '_notes.md': 'x',
    };
    const dir = await folder(files);
    expect(await checkFile(join(dir, '2025-01-10-a.md'))).toMatchObject({ ok: true });
    expect(await checkFile(join(dir, 'photo.png'))).toEqual({ ok: true, warnings: [] });
    expect(await checkFile(join(dir, 'notes.docx'))).toEqual({ ok: true, warnings: [] });
    expect(await checkFile(join(dir, 'page.html'))).toMatchObject({
      ok: false,
      problem: {
        message: expect.stringMatching(/^not published: the publisher reads .md/),
        fix: expect.stringContaining('rename it page.md'),
      },
    });
    expect(await checkFile(join(dir, '_notes.md'))).toMatchObject({
      ok: false,
      problem: { fix: 'rename it without the leading _ to publish it' },
    });
  });
});
