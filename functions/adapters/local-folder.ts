import { mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import type { ContentSource, SiteStore, SourceEntry } from '../core/ports.ts';

/** Articles from a folder on disk (`content/`): the CLI's and the tests' ContentSource. */
export class LocalContentSource implements ContentSource {
  constructor(private readonly root: string) {}

  async list(): Promise<SourceEntry[]> {
    const names = await readdir(this.root, { recursive: true, withFileTypes: true });
    const files = names.filter((d) => d.isFile());
    return Promise.all(
      files.map(async (d) => {
        const path = join(d.parentPath, d.name);
        const info = await stat(path);
        return {
          key: relative(this.root, path).split(sep).join('/'),
          size: info.size,
          version: `${info.mtimeMs}-${info.size}`,
        };
      }),
    );
  }

  async read(key: string): Promise<Uint8Array> {
    return readFile(this.pathOf(key));
  }

  private pathOf(key: string): string {
    const path = join(this.root, ...key.split('/'));
    if (relative(this.root, path).startsWith('..')) throw new Error(`key outside the content folder: ${key}`);
    return path;
  }
}

/** The site written to a folder (`broadsheet build --out`); Content-Type is implied by the file name. */
export class LocalSiteStore implements SiteStore {
  constructor(private readonly root: string) {}

  async read(key: string): Promise<Uint8Array | undefined> {
    try {
      return await readFile(this.pathOf(key));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  async write(key: string, body: Uint8Array): Promise<void> {
    const path = this.pathOf(key);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, body);
  }

  async delete(key: string): Promise<void> {
    await rm(this.pathOf(key), { force: true });
  }

  private pathOf(key: string): string {
    const path = join(this.root, ...key.split('/'));
    if (relative(this.root, path).startsWith('..')) throw new Error(`key outside the site folder: ${key}`);
    return path;
  }
}
