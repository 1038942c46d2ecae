import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { normalisePrefix, resolveBucket } from '../../bin/cli-aws.ts';
import { contentKeyOf, expandFolders, uploadContentType, uploadStatus } from '../../bin/cli-publish.ts';
import { copySource, rebuildOneLiner } from '../../bin/cli-rebuild.ts';
import { UsageError } from '../../bin/cli-shared.ts';

describe('broadsheet publish and rebuild, pure parts', () => {
  it('compares the MD5 of the bytes with the ETag', () => {
    const md5 = '5d41402abc4b2a76b9719d911017c592';
    expect(uploadStatus(md5, undefined)).toBe('new');
    expect(uploadStatus(md5, `"${md5}"`)).toBe('unchanged');
    expect(uploadStatus(md5, '"0123456789abcdef0123456789abcdef"')).toBe('changed');
    expect(uploadStatus(md5, `"${md5}-2"`)).toBe('changed');
  });

  it('stores Markdown and text with their own Content-Type', () => {
    expect(uploadContentType('2025-01-08-a.md')).toBe('text/markdown; charset=utf-8');
    expect(uploadContentType('2025-01-08-a.TXT')).toBe('text/plain; charset=utf-8');
    expect(uploadContentType('site.yaml')).toBe('application/yaml; charset=utf-8');
    expect(uploadContentType('pics/Harbour.JPG')).toBe('image/jpeg');
  });

  it("keeps a file's place inside the content folder, so an article's images stay beside it", () => {
    const content = join('/work', 'blog', 'content');
    expect(contentKeyOf(join(content, '2025-01-08-a.md'), content)).toBe('2025-01-08-a.md');
    expect(contentKeyOf(join(content, 'travel', 'pics', 'a.png'), content)).toBe('travel/pics/a.png');
    expect(contentKeyOf(join('/elsewhere', 'drafts', '2025-01-08-a.md'), content)).toBe('2025-01-08-a.md');
    expect(contentKeyOf(join(content, '..', 'cover.png'), content)).toBe('cover.png');
  });

  it('publishes a folder as what the publisher reads in it, each file keyed by its path inside', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'broadsheet-folder-'));
    for (const sub of ['pics', '.git', '_drafts']) await mkdir(join(dir, sub));
    for (const name of [
      '2025-01-08-a.md',
      'site.yaml',
      'pics/a.png',
      'page.html',
      '.DS_Store',
      '.git/x.md',
      '_drafts/b.md',
    ])
      await writeFile(join(dir, name), 'x');
    // As the publisher: `_drafts/b.md` is an article (only a name starting with `_` is left out).
    const leftOut: string[] = [];
    expect(
      await expandFolders([dir, 'missing.md'], (path, key) => leftOut.push(`${key} at ${path}`)),
    ).toEqual([
      { path: join(dir, '2025-01-08-a.md'), key: '2025-01-08-a.md' },
      { path: join(dir, '_drafts/b.md'), key: '_drafts/b.md' },
      { path: join(dir, 'pics/a.png'), key: 'pics/a.png' },
      { path: join(dir, 'site.yaml'), key: 'site.yaml' },
      { path: 'missing.md', key: 'missing.md' },
    ]);
    // Said, as the run would say it; not the hidden files, nor folders.
    expect(leftOut).toEqual([`page.html at ${join(dir, 'page.html')}`]);
  });

  it('normalises the prefix as the stack writes it', () => {
    expect(normalisePrefix('content')).toBe('content/');
    expect(normalisePrefix('/content//')).toBe('content/');
    expect(normalisePrefix('')).toBe('');
  });

  it('takes the bucket from --bucket, else from cdk-outputs.json, else says how to name it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'broadsheet-outputs-'));
    expect(await resolveBucket({ bucket: 'my-bucket', cwd: dir })).toBe('my-bucket');
    await expect(resolveBucket({ bucket: 'My_Bucket', cwd: dir })).rejects.toThrow(/not an S3 bucket name/);
    await expect(resolveBucket({ cwd: dir })).rejects.toThrow(
      /pass --bucket NAME, or deploy with .*--outputs-file/,
    );
    await writeFile(
      join(dir, 'cdk-outputs.json'),
      JSON.stringify({ Broadsheet: { ContentBucketName: 'from-outputs', SiteUrl: 'https://x/' } }),
    );
    expect(await resolveBucket({ cwd: dir })).toBe('from-outputs');
    await expect(resolveBucket({ cwd: dir, stack: 'Other' })).rejects.toThrow(/pass --stack Broadsheet/);
    await expect(resolveBucket({ cwd: dir, stack: 'Other' })).rejects.toBeInstanceOf(UsageError);
  });

  it('copies a key onto itself with the key URL-encoded and slashes kept', () => {
    expect(copySource('b', 'content/site.yaml')).toBe('b/content/site.yaml');
    expect(copySource('b', 'content/a b+c.md')).toBe('b/content/a%20b%2Bc.md');
    expect(rebuildOneLiner('b', 'content/site.yaml')).toContain('--metadata-directive REPLACE');
  });
});
