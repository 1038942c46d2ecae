import {
  DeleteObjectCommand,
  GetObjectCommand,
  type GetObjectCommandOutput,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  type S3ClientConfig,
} from '@aws-sdk/client-s3';
import {
  type ContentSource,
  type FetchedSource,
  PreconditionFailedError,
  type SiteStore,
  type SourceEntry,
  type VersionedObject,
  type WriteOptions,
} from '../core/ports.ts';

/** HTTP requests sent by a client, retries included: what S3 sees and bills. */
export interface RequestCounter {
  readonly count: () => number;
}

/**
 * An S3 client for the run. The SDK itself honours AWS_ENDPOINT_URL_S3 / AWS_ENDPOINT_URL, so the same
 * bundle talks to a local S3 API server; path-style addressing is what such servers answer.
 * Retries: the SDK's standard mode (exponential backoff with full jitter, longer for SlowDown), 6 attempts
 * in all; a run that still fails goes back to the queue.
 */
export function createS3Client(config: S3ClientConfig = {}): S3Client {
  const local = Boolean(process.env.AWS_ENDPOINT_URL_S3 ?? process.env.AWS_ENDPOINT_URL);
  return new S3Client({ forcePathStyle: local, maxAttempts: 6, retryMode: 'standard', ...config });
}

/** Counts every HTTP attempt the client makes (a middleware below the retry loop). */
export function countRequests(client: S3Client): RequestCounter {
  let count = 0;
  client.middlewareStack.add(
    (next) => async (args) => {
      count++;
      return next(args);
    },
    { step: 'deserialize', name: 'broadsheetRequestCounter', override: true },
  );
  return { count: () => count };
}

const statusOf = (error: unknown) =>
  (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
const nameOf = (error: unknown) => (error as { name?: string }).name;
const isNotFound = (error: unknown) => nameOf(error) === 'NoSuchKey' || statusOf(error) === 404;

/** Articles under `prefix` in the content bucket. */
export class S3ContentSource implements ContentSource {
  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
    private readonly prefix: string,
  ) {}

  async list(): Promise<SourceEntry[]> {
    const entries: SourceEntry[] = [];
    let token: string | undefined;
    do {
      const page = await this.client.send(
        new ListObjectsV2Command({ Bucket: this.bucket, Prefix: this.prefix, ContinuationToken: token }),
      );
      for (const object of page.Contents ?? []) {
        if (!object.Key || object.Key.endsWith('/')) continue;
        entries.push({
          key: object.Key.slice(this.prefix.length),
          size: object.Size ?? 0,
          version: object.ETag ?? '',
        });
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return entries;
  }

  async read(key: string): Promise<Uint8Array> {
    const object = await this.client.send(
      new GetObjectCommand({ Bucket: this.bucket, Key: this.prefix + key }),
    );
    if (!object.Body) throw new Error(`s3://${this.bucket}/${this.prefix}${key} has no body`);
    return object.Body.transformToByteArray();
  }

  /** One ranged GET. */
  async readStart(key: string, bytes: number): Promise<Uint8Array> {
    const object = await this.client.send(
      new GetObjectCommand({ Bucket: this.bucket, Key: this.prefix + key, Range: `bytes=0-${bytes - 1}` }),
    );
    if (!object.Body) throw new Error(`s3://${this.bucket}/${this.prefix}${key} has no body`);
    return object.Body.transformToByteArray();
  }

  /**
   * One GET: 304 when the ETag is still the known one, 404 when deleted; an oversized body is not read.
   * With `maxBytes` 0 (an image: only its version and size are wanted) a HEAD, which leaves the
   * connection open for the next request instead of closing it mid-body.
   */
  async fetch(key: string, options: { knownVersion?: string; maxBytes: number }): Promise<FetchedSource> {
    if (options.maxBytes === 0) return this.head(key, options.knownVersion);
    let object: GetObjectCommandOutput;
    try {
      object = await this.client.send(
        new GetObjectCommand({
          Bucket: this.bucket,
          Key: this.prefix + key,
          ...(options.knownVersion ? { IfNoneMatch: options.knownVersion } : {}),
        }),
      );
    } catch (error) {
      if (statusOf(error) === 304 && options.knownVersion) {
        return { status: 'unchanged', entry: { key, size: 0, version: options.knownVersion } };
      }
      if (isNotFound(error)) return { status: 'missing' };
      throw error;
    }
    const entry = { key, size: object.ContentLength ?? 0, version: object.ETag ?? '' };
    if (entry.size > options.maxBytes) {
      // Close the connection instead of reading megabytes we would refuse anyway.
      (object.Body as { destroy?: () => void } | undefined)?.destroy?.();
      return { status: 'too-large', entry };
    }
    if (!object.Body) throw new Error(`s3://${this.bucket}/${this.prefix}${key} has no body`);
    return { status: 'read', entry, bytes: await object.Body.transformToByteArray() };
  }

  private async head(key: string, knownVersion: string | undefined): Promise<FetchedSource> {
    try {
      const object = await this.client.send(
        new HeadObjectCommand({
          Bucket: this.bucket,
          Key: this.prefix + key,
          ...(knownVersion ? { IfNoneMatch: knownVersion } : {}),
        }),
      );
      const entry = { key, size: object.ContentLength ?? 0, version: object.ETag ?? '' };
      return entry.size > 0
        ? { status: 'too-large', entry }
        : { status: 'read', entry, bytes: new Uint8Array() };
    } catch (error) {
      if (statusOf(error) === 304 && knownVersion) {
        return { status: 'unchanged', entry: { key, size: 0, version: knownVersion } };
      }
      if (isNotFound(error)) return { status: 'missing' };
      throw error;
    }
  }
}

/** The public site and its `_state/` in the site bucket. */
export class S3SiteStore implements SiteStore {
  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
  ) {}

  async read(key: string): Promise<Uint8Array | undefined> {
    return (await this.readWithEtag(key))?.body;
  }

  async readWithEtag(key: string): Promise<VersionedObject | undefined> {
    try {
      const object = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      const body = await object.Body?.transformToByteArray();
      return body && { body, etag: object.ETag ?? '' };
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  async write(key: string, body: Uint8Array, options: WriteOptions): Promise<void> {
    await this.client.send(this.put(key, body, options));
  }

  /**
   * `If-Match` on the ETag read earlier, or `If-None-Match: *` to create. 412 (another writer won), 409
   * (a concurrent conditional write in flight) and 404 (replaced by a delete) all mean: start again.
   */
  async writeIfMatch(
    key: string,
    body: Uint8Array,
    options: WriteOptions,
    etag: string | undefined,
  ): Promise<string> {
    try {
      const result = await this.client.send(
        this.put(key, body, options, etag === undefined ? { IfNoneMatch: '*' } : { IfMatch: etag }),
      );
      return result.ETag ?? '';
    } catch (error) {
      const status = statusOf(error);
      if (status === 412 || status === 409 || isNotFound(error) || nameOf(error) === 'PreconditionFailed') {
        throw new PreconditionFailedError(key);
      }
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
  }

  private put(key: string, body: Uint8Array, options: WriteOptions, condition = {}) {
    return new PutObjectCommand({
      Bucket: this.bucket,
      Key: key,
      Body: body,
      ContentType: options.contentType,
      CacheControl: options.cacheControl,
      ...condition,
    });
  }
}
