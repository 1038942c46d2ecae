import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import {
  type ContentSource,
  type FetchedSource,
  PreconditionFailedError,
  type SiteStore,
  type SourceEntry,
  type VersionedObject,
} from '../core/ports.ts';

const isMissing = (error: unknown) => (error as NodeJS.ErrnoException).code === 'ENOENT';

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

  async fetch(key: string, options: { knownVersion?: string; maxBytes: number }): Promise<FetchedSource> {
    let info: Awaited<ReturnType<typeof stat>>;
    try {
      info = await stat(this.pathOf(key));
    } catch (error) {
      if (isMissing(error)) return { status: 'missing' };
      throw error;
    }
    const entry = { key, size: info.size, version: `${info.mtimeMs}-${info.size}` };
    if (entry.version === options.knownVersion) return { status: 'unchanged', entry };
    if (entry.size > options.maxBytes) return { status: 'too-large', entry };
    return { status: 'read', entry, bytes: await this.read(key) };
  }

  private pathOf(key: string): string {
    const path = join(this.root, ...key.split('/'));
    if (relative(this.root, path).startsWith('..')) throw new Error(`key outside the content folder: ${key}`);
    return path;
  }
}

/**
 * The site written to a folder (`broadsheet build --out`); Content-Type is implied by the file name.
 * ETags are SHA-256 of the bytes; the conditional write is check-then-write, enough for one process.
 */
export class LocalSiteStore implements SiteStore {
  private readonly folders = new Set<string>();
  constructor(private readonly root: string) {}

  async read(key: string): Promise<Uint8Array | undefined> {
    try {
      return await readFile(this.pathOf(key));
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
  }

  async readWithEtag(key: string): Promise<VersionedObject | undefined> {
    const body = await this.read(key);
    return body && { body, etag: etagOf(body) };
  }

  async write(key: string, body: Uint8Array): Promise<void> {
    const path = this.pathOf(key);
    const dir = dirname(path);
    // 13,000 files in a full build: one mkdir per folder, not per file.
    if (!this.folders.has(dir)) {
      await mkdir(dir, { recursive: true });
      this.folders.add(dir);
    }
    try {
      await writeFile(path, body);
    } catch (error) {
      // The folder went away since (someone cleaned the output): make it again.
      if (!isMissing(error)) throw error;
      await mkdir(dir, { recursive: true });
      await writeFile(path, body);
    }
  }

  async writeIfMatch(
    key: string,
    body: Uint8Array,
    _options: unknown,
    etag: string | undefined,
  ): Promise<string> {
    const current = await this.read(key);
    if ((current && etagOf(current)) !== etag) throw new PreconditionFailedError(key);
    await this.write(key, body);
    return etagOf(body);
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

const etagOf = (body: Uint8Array) => `"${createHash('sha256').update(body).digest('hex')}"`;
