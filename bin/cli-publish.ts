import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { basename, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { HeadBucketCommand, HeadObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { brokenLinkProblem, listFiles } from '../functions/adapters/local-folder.ts';
import { createS3Client } from '../functions/adapters/s3.ts';
import { isArticleKey } from '../functions/core/article-key.ts';
import { mediaTypeOf } from '../functions/core/content-types.ts';
import { mapLimit } from '../functions/core/map-limit.ts';
import { isMediaKey } from '../functions/core/media.ts';
import { isOtherFileKey, otherFileProblem } from '../functions/core/other-files.ts';
import type { BuildReport } from '../functions/core/publish-site.ts';
import { SITE_CONFIG_FILE } from '../functions/core/site-config.ts';
import { postPageKey } from '../functions/core/site-model.ts';
import {
  DEFAULT_STACK,
  explainAwsError,
  normalisePrefix,
  resolveBucket,
  SITE_BUCKET_OUTPUT,
} from './cli-aws.ts';
import { checkFile, formatCheckProblem } from './cli-check.ts';
import { createProgress } from './cli-progress.ts';
import { parseCommandArgs, plural, UsageError } from './cli-shared.ts';
import { formatReport, waitForReport } from './cli-status.ts';

export type UploadStatus = 'new' | 'changed' | 'unchanged';

export interface PlannedUpload {
  readonly path: string;
  readonly key: string;
  readonly bytes: Uint8Array;
  readonly md5: string;
  readonly contentType: string;
  /** An article's slug, as the check read it (`publish --wait` names its page). */
  readonly slug?: string;
}

/** The Content-Type an author's file is stored with (the Lambda ignores it; browsers and the console do not). */
export function uploadContentType(name: string): string {
  if (name === SITE_CONFIG_FILE) return 'application/yaml; charset=utf-8';
  const media = mediaTypeOf(name);
  if (media) return media;
  if (/\.txt$/i.test(name)) return 'text/plain; charset=utf-8';
  return 'text/markdown; charset=utf-8';
}

/**
 * The key a file is uploaded under, after the prefix: its path inside `./content` (so `pics/a.png` stays
 * where the articles beside it look for it), else its name.
 */
export function contentKeyOf(path: string, contentDir = resolve('content')): string {
  const inside = relative(contentDir, resolve(path));
  if (inside && !inside.startsWith('..') && !isAbsolute(inside)) return inside.split(sep).join('/');
  return basename(path);
}

/**
 * The files to publish and their keys: a file under the key `contentKeyOf` gives it; a folder replaced by
 * what the publisher reads inside it (articles, images and other media, `site.yaml`; nothing hidden), each
 * keyed by its path inside that folder, so media keep their place beside the articles. A missing path stays, to be reported.
 */
export async function expandFolders(
  paths: readonly string[],
  /** Told of each file in a folder that is left out as the publisher would not publish it (not hidden ones). */
  leftOut: (path: string, key: string) => void = () => undefined,
  /** Told of each symbolic link in a folder that leads nowhere, with where it points. */
  broken: (path: string, target: string) => void = () => undefined,
): Promise<{ path: string; key: string }[]> {
  const files: { path: string; key: string }[] = [];
  for (const path of paths) {
    const info = await stat(path).catch(() => undefined);
    if (!info?.isDirectory()) {
      files.push({ path, key: contentKeyOf(path) });
      continue;
    }
    const names = (await listFiles(path, (key, target) => broken(join(path, key), target))).sort();
    for (const name of names) {
      if (isArticleKey(name) || isMediaKey(name) || name === SITE_CONFIG_FILE)
        files.push({ path: join(path, name), key: name });
      else if (isOtherFileKey(name)) leftOut(join(path, name), name);
    }
  }
  return files;
}

/**
 * new / changed / unchanged from HeadObject's ETag: for a single-part upload to an SSE-S3 bucket (what
 * this CLI does, and how the stack encrypts) the ETag is the MD5 of the bytes. A multipart ETag (`…-N`)
 * cannot be compared and counts as changed.
 */
export function uploadStatus(md5: string, etag: string | undefined): UploadStatus {
  if (etag === undefined) return 'new';
  return etag.replace(/"/g, '').toLowerCase() === md5 ? 'unchanged' : 'changed';
}

async function headStatus(s3: S3Client, bucket: string, upload: PlannedUpload): Promise<UploadStatus> {
  try {
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: upload.key }));
    return uploadStatus(upload.md5, head.ETag);
  } catch (error) {
    const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
    if (e.name === 'NotFound' || e.$metadata?.httpStatusCode === 404) return 'new';
    throw explainAwsError(error, bucket);
  }
}

export const PUBLISH_USAGE =
  'publish  FILE|DIR… [--bucket NAME] [--prefix content/] [--stack Broadsheet] [--dry-run] [--wait]   check, then upload to the content bucket';

/**
 * `broadsheet publish FILE…`: every file is checked with the publisher's parser first; one bad file means
 * nothing is uploaded. Unchanged files are not uploaded again (no event, no run).
 */
export async function runPublish(args: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, {
    bucket: { type: 'string' },
    prefix: { type: 'string', default: 'content/' },
    stack: { type: 'string', default: DEFAULT_STACK },
    'dry-run': { type: 'boolean', default: false },
    wait: { type: 'boolean', default: false },
    'site-bucket': { type: 'string' },
    timeout: { type: 'string', default: '180' },
  });
  const timeoutSeconds = Number(values.timeout);
  if (!Number.isFinite(timeoutSeconds) || timeoutSeconds <= 0)
    throw new UsageError(`--timeout "${values.timeout}" is not a number of seconds`);
  if (positionals.length === 0)
    throw new UsageError('publish needs the files to upload: broadsheet publish content/2025-01-08-paris.md');
  const prefix = normalisePrefix(values.prefix);

  let bad = 0;
  const uploads: PlannedUpload[] = [];
  // The folder the key is inside of: a name the advice would give is looked for there.
  const leftOut = (path: string, key: string) => {
    const folder = path.slice(0, path.length - key.length);
    const exists = (other: string) => existsSync(join(folder, other));
    console.error(formatCheckProblem('warning', { ...otherFileProblem(key, exists), file: path }, ''));
  };
  const broken = (path: string, target: string) => {
    bad++;
    console.error(formatCheckProblem('error', { file: path, ...brokenLinkProblem(target) }, ''));
  };
  for (const { path, key } of await expandFolders(positionals, leftOut, broken)) {
    const result = await checkFile(path).catch((error: unknown) => {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new UsageError(`file not found: ${path}`);
      throw error;
    });
    if (!result.ok) {
      bad++;
      console.error(formatCheckProblem('error', { ...result.problem, file: path }, ''));
      continue;
    }
    for (const warning of result.warnings)
      console.error(formatCheckProblem('warning', { ...warning, file: path }, ''));
    const bytes = await readFile(path);
    uploads.push({
      path,
      key: prefix + key,
      bytes,
      md5: createHash('md5').update(bytes).digest('hex'),
      contentType: uploadContentType(basename(path)),
      ...(result.slug ? { slug: result.slug } : {}),
    });
  }
  if (bad > 0) {
    console.error(
      `${plural(bad, 'file')} would be skipped by the publisher: nothing uploaded (fix them and run again)`,
    );
    return 1;
  }
  const byKey = new Map<string, string>();
  for (const u of uploads) {
    const other = byKey.get(u.key);
    if (other !== undefined)
      throw new UsageError(`${other} and ${u.path} would both be uploaded as ${u.key}: rename one`);
    byKey.set(u.key, u.path);
  }

  const bucket = await resolveBucket({ bucket: values.bucket, stack: values.stack });
  // Named before anything is uploaded: a wait that cannot find the report should not start.
  const siteBucket = values.wait
    ? await resolveBucket({ bucket: values['site-bucket'], stack: values.stack, output: SITE_BUCKET_OUTPUT })
    : undefined;
  const s3 = createS3Client();
  try {
    await s3.send(new HeadBucketCommand({ Bucket: bucket }));
  } catch (error) {
    throw explainAwsError(error, bucket);
  }

  const comparing = createProgress('comparing', uploads.length);
  let compared = 0;
  const statuses = await mapLimit(uploads, 8, async (u) => {
    const status = await headStatus(s3, bucket, u);
    comparing.update(++compared);
    return status;
  });
  comparing.finish();

  const toUpload = uploads.filter((_, i) => statuses[i] !== 'unchanged');
  const dryRun = values['dry-run'];
  const uploading = createProgress('uploading', toUpload.length);
  let uploaded = 0;
  if (!dryRun) {
    await mapLimit(toUpload, 8, async (u) => {
      try {
        await s3.send(
          new PutObjectCommand({
            Bucket: bucket,
            Key: u.key,
            Body: u.bytes,
            ContentType: u.contentType,
            // S3 rejects the upload if the bytes arrive damaged.
            ContentMD5: Buffer.from(u.md5, 'hex').toString('base64'),
          }),
        );
      } catch (error) {
        throw explainAwsError(error, bucket);
      }
      uploading.update(++uploaded);
    });
    uploading.finish();
  }
  // A run that started after this moment read the files (see waitForReport).
  const uploadedAt = new Date();

  const width = Math.max(...statuses.map((s) => s.length));
  uploads.forEach((u, i) => {
    console.log(`${(statuses[i] ?? '').padEnd(width)}  s3://${bucket}/${u.key}  (${u.path})`);
  });
  const count = (s: UploadStatus) => statuses.filter((x) => x === s).length;
  const summary = `${count('new')} new, ${count('changed')} changed, ${count('unchanged')} unchanged`;
  console.log(
    dryRun
      ? `dry run: ${summary}; nothing uploaded`
      : `uploaded ${plural(toUpload.length, 'file')} to s3://${bucket}/${prefix} (${summary})${toUpload.length > 0 ? '; the site updates within a minute' : ''}`,
  );
  if (siteBucket === undefined || dryRun || toUpload.length === 0) return 0;
  return reportOn(
    toUpload,
    prefix,
    await waitForReport(s3, siteBucket, uploadedAt, { timeoutMs: timeoutSeconds * 1000 }),
  );
}

/** After `--wait`: the run's report, then what became of each article uploaded. Exit 1 if one was skipped or the run failed. */
function reportOn(uploaded: readonly PlannedUpload[], prefix: string, report: BuildReport): number {
  console.log(formatReport(report).join('\n'));
  let skipped = 0;
  for (const u of uploaded) {
    if (!isArticleKey(u.key)) continue;
    const problem = report.skipped.find((p) => prefix + p.file === u.key);
    const held = report.heldBack.find((h) => prefix + h.file === u.key);
    if (problem) skipped++;
    // Its page, when the run wrote the one its slug names (an older article with that slug keeps it).
    const page =
      u.slug !== undefined && report.written.includes(postPageKey(u.slug))
        ? `${report.siteUrl}posts/${u.slug}/`
        : '';
    console.log(
      `${problem ? 'skipped' : held ? 'held back' : 'published'}  ${u.path}${problem ? `: ${problem.text}` : held ? ` (${held.reason})` : page ? `  ${page}` : ''}`,
    );
  }
  return skipped > 0 || report.errors.length > 0 ? 1 : 0;
}
