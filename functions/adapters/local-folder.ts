import { createHash } from 'node:crypto';
import { closeSync, mkdirSync, openSync, readFileSync, readSync, writeFileSync } from 'node:fs';
import { readdir, readFile, readlink, realpath, rm, stat } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import {
  type ContentSource,
  type FetchedSource,
  PreconditionFailedError,
  type SiteStore,
  type SourceEntry,
  type VersionedObject,
} from '../core/ports.ts';

/** What a symbolic link to nothing is, and the fix: shared by the build and `broadsheet publish`. */
export function brokenLinkProblem(target: string): { message: string; fix: string } {
  return {
    message: `the file is a symbolic link to ${target}, which does not exist`,
    fix: 'point the link at an existing file, or delete it',
  };
}

const isMissing = (error: unknown) => (error as NodeJS.ErrnoException).code === 'ENOENT';

/**
 * The files under `root`, as `/`-separated paths inside it, following symbolic links to files and folders
 * (an author who links a notes folder or one article into `content/` means them to be published; Node's
 * recursive `readdir` neither descends into a linked folder nor says a linked file is one). A folder is
 * walked once however many links lead to it, so a link to a parent ends. A broken link is no file: it is
 * told to `broken` (with where it points), so that the caller can say so instead of leaving it out unseen.
 */
export async function listFiles(
  root: string,
  broken: (key: string, target: string) => void = () => undefined,
): Promise<string[]> {
  const files: string[] = [];
  const walked = new Set<string>();
  const walk = async (folder: string, prefix: string): Promise<void> => {
    const real = await realpath(folder);
    if (walked.has(real)) return;
    walked.add(real);
    // In name order, so that which of two links to one folder gives its files their keys is not chance.
    const entries = (await readdir(folder, { withFileTypes: true })).sort((a, b) =>
      a.name < b.name ? -1 : 1,
    );
    for (const entry of entries) {
      const path = join(folder, entry.name);
      let isFolder = entry.isDirectory();
      if (entry.isSymbolicLink()) {
        const target = await stat(path).catch(() => undefined);
        if (!target) {
          // A hidden one (`.#draft.md`, an editor's lock) is no more published than a hidden file.
          if (!entry.name.startsWith('.'))
            broken(`${prefix}${entry.name}`, await readlink(path).catch(() => '?'));
          continue;
        }
        isFolder = target.isDirectory();
        if (!isFolder && !target.isFile()) continue;
      } else if (!isFolder && !entry.isFile()) continue;
      // A hidden folder (`.git`) publishes nothing: not walked.
      if (isFolder) {
        if (!entry.name.startsWith('.')) await walk(path, `${prefix}${entry.name}/`);
      } else files.push(`${prefix}${entry.name}`);
    }
  };
  await walk(root, '');
  return files;
}

/** Articles from a folder on disk (`content/`): the CLI's and the tests' ContentSource. */
export class LocalContentSource implements ContentSource {
  constructor(private readonly root: string) {}

  async list(): Promise<SourceEntry[]> {
    const brokenLinks: SourceEntry[] = [];
    const files = await listFiles(this.root, (key, target) =>
      brokenLinks.push({ key, size: 0, version: `broken-${target}`, unreadable: brokenLinkProblem(target) }),
    );
    const entries = await Promise.all(
      files.map(async (key) => {
        const info = await stat(join(this.root, ...key.split('/')));
        return { key, size: info.size, version: `${info.mtimeMs}-${info.size}` };
      }),
    );
    return [...entries, ...brokenLinks];
  }

  // Synchronous, as `LocalSiteStore.write` (see there): a full build reads 10,000 files.
  async read(key: string): Promise<Uint8Array> {
    return readFileSync(this.pathOf(key));
  }

  async readStart(key: string, bytes: number): Promise<Uint8Array> {
    const file = openSync(this.pathOf(key), 'r');
    try {
      const buffer = Buffer.alloc(bytes);
      return buffer.subarray(0, readSync(file, buffer, 0, bytes, 0));
    } finally {
      closeSync(file);
    }
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

  /**
   * Synchronous on purpose: a write to a local folder is a copy into the page cache, and each of
   * `fs/promises`' open, write and close is a trip through libuv's thread pool that costs more than the
   * call. A full build of 10,000 articles (13,000 files, here written on the build thread) took 2–2.5 s
   * less on tmpfs (`docs/architecture.md`); on this machine's disk, where ext4's own work grows from run
   * to run, from 4 s less to 1 s more, with less system time in every pair.
   */
  async write(key: string, body: Uint8Array): Promise<void> {
    const path = this.pathOf(key);
    const dir = dirname(path);
    // 13,000 files in a full build: one mkdir per folder, not per file.
    if (!this.folders.has(dir)) {
      mkdirSync(dir, { recursive: true });
      this.folders.add(dir);
    }
    try {
      writeFileSync(path, body);
    } catch (error) {
      // The folder went away since (someone cleaned the output): make it again.
      if (!isMissing(error)) throw error;
      mkdirSync(dir, { recursive: true });
      writeFileSync(path, body);
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
