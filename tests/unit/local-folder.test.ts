/**
 * A local `content/` as authors keep one: an article or a notes folder linked in from elsewhere is
 * published as if it were there; a link back up the tree is no loop, and a link to nothing is no crash:
 * it is reported with its fix, as a bad article is.
 */
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkFolder, readSiteConfig } from '../../bin/cli-check.ts';
import { expandFolders } from '../../bin/cli-publish.ts';
import { LocalContentSource } from '../../functions/adapters/local-folder.ts';
import { silentLogger } from '../../functions/core/ports.ts';
import { publishSite } from '../../functions/core/publish-site.ts';
import { MemoryStore } from '../fixtures/memory.ts';

let root: string;
let content: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'broadsheet-links-'));
  content = join(root, 'content');
  const elsewhere = join(root, 'elsewhere');
  await mkdir(join(content, 'pics'), { recursive: true });
  await mkdir(join(elsewhere, 'notes'), { recursive: true });
  await mkdir(join(content, '.git'));
  await writeFile(join(content, '2025-01-08-here.md'), '# Here\n\nA file in the folder.\n');
  await writeFile(join(content, '.git', '2025-01-08-hidden.md'), '# Hidden\n');
  await writeFile(join(elsewhere, '2025-01-09-linked.md'), '# Linked\n\nA file linked in.\n');
  await writeFile(join(elsewhere, 'notes', '2025-01-10-noted.md'), '# Noted\n\nIn a linked folder.\n');
  await symlink(join(elsewhere, '2025-01-09-linked.md'), join(content, '2025-01-09-linked.md'));
  await symlink(join(elsewhere, 'notes'), join(content, 'notes'));
  // A link to the folder itself, and one to nothing.
  await symlink(content, join(content, 'pics', 'loop'));
  await symlink(join(elsewhere, 'gone.md'), join(content, '2025-01-11-broken.md'));
  // An editor's lock file is a hidden link to nothing: not the author's article.
  await symlink('user@host.1234', join(content, '.#2025-01-08-here.md'));
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('a content folder with symbolic links', () => {
  it('lists linked files and the files of linked folders, each once, and no hidden folder', async () => {
    const listed = await new LocalContentSource(content).list();
    const keys = listed
      .filter((e) => !e.unreadable)
      .map((e) => e.key)
      .sort();
    expect(keys).toEqual(['2025-01-08-here.md', '2025-01-09-linked.md', 'notes/2025-01-10-noted.md']);
    expect(listed.filter((e) => e.unreadable).map((e) => e.key)).toEqual(['2025-01-11-broken.md']);
  });

  it('publishes them, as the build and the publish command read them', async () => {
    const store = new MemoryStore();
    const result = await publishSite({
      source: new LocalContentSource(content),
      store,
      logger: silentLogger,
      now: new Date('2025-02-01T00:00:00Z'),
      siteUrl: 'https://example.com/',
    });
    expect(result.skipped).toMatchObject([
      {
        file: '2025-01-11-broken.md',
        message: `the file is a symbolic link to ${join(root, 'elsewhere', 'gone.md')}, which does not exist`,
        fix: 'point the link at an existing file, or delete it',
      },
    ]);
    const titles = (JSON.parse(store.text('feed.json')).items as { title: string }[]).map((i) => i.title);
    expect(titles.sort()).toEqual(['Here', 'Linked', 'Noted']);
    const broken: string[] = [];
    const uploads = (await expandFolders([content], undefined, (path) => broken.push(path))).map(
      (f) => f.key,
    );
    expect(uploads).toEqual(['2025-01-08-here.md', '2025-01-09-linked.md', 'notes/2025-01-10-noted.md']);
    expect(broken).toEqual([join(content, '2025-01-11-broken.md')]);
  });

  it('is an error to broadsheet check, which exits 1 on it as on an article the run would skip', async () => {
    const report = await checkFolder(content, new Date('2025-02-01T00:00:00Z'));
    expect(report.errors.map((e) => e.file)).toEqual(['2025-01-11-broken.md']);
    expect(report.published).toBe(3);
  });

  it('stops at a site.yaml that links to nothing, naming the file and the fix', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'broadsheet-broken-config-'));
    try {
      await writeFile(join(folder, '2025-01-08-here.md'), '# Here\n');
      await symlink('nowhere.yaml', join(folder, 'site.yaml'));
      const run = publishSite({
        source: new LocalContentSource(folder),
        store: new MemoryStore(),
        logger: silentLogger,
        now: new Date('2025-02-01T00:00:00Z'),
        siteUrl: 'https://example.com/',
      });
      await expect(run).rejects.toThrow(
        'site.yaml: the file is a symbolic link to nowhere.yaml, which does not exist (point the link at an existing file, or delete it)',
      );
      const { problems } = await readSiteConfig(folder);
      expect(problems.map((p) => p.message)).toEqual([
        'the file is a symbolic link to nowhere.yaml, which does not exist',
      ]);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });

  it('reads the start of a file, or all of a shorter one, through a link too', async () => {
    const source = new LocalContentSource(content);
    expect(new TextDecoder().decode(await source.readStart('2025-01-09-linked.md', 8))).toBe('# Linked');
    expect((await source.readStart('2025-01-08-here.md', 1 << 20)).byteLength).toBe(
      '# Here\n\nA file in the folder.\n'.length,
    );
  });
});
