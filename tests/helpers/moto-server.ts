/**
 * A real S3/SQS/SESv2 API for tests: Python moto 5.2's `moto_server`, one per test file.
 *
 * What moto 5.2.1 does (checked against it with SDK v3 clients):
 * - Conditional writes: PutObject with `IfNoneMatch: '*'` on an existing key, or with `IfMatch` and a
 *   wrong ETag, fails with `PreconditionFailed` (HTTP 412). `IfMatch` on a missing key is `NoSuchKey` (404).
 *   GetObject/HeadObject with `IfNoneMatch: <current ETag>` fail with HTTP 304 (the SDK error is named
 *   `Unknown`: test `$metadata.httpStatusCode`). ETags are quoted MD5s.
 * - Bucket names follow S3's rules (3–63 chars): `b1` is `InvalidBucketName` (400).
 * - S3→SQS: PutBucketNotificationConfiguration with a QueueConfiguration first sends
 *   `{"Service":"Amazon S3","Event":"s3:TestEvent","Time":…,"Bucket":…}` (no `Records`). Then one message per
 *   change, `{"Records":[{eventVersion:"2.1",eventSource:"aws:s3",eventName:"ObjectCreated:Put"|
 *   "ObjectRemoved:Delete",s3:{bucket:{name,arn},object:{key,size,eTag}}}]}`, delivered synchronously
 *   (already in the queue when PutObject returns). Keys are form-encoded: spaces are `+`, `+` is `%2B`,
 *   UTF-8 is percent-encoded and, unlike AWS, `/` is `%2F` (`content%2Fhello+world+%C3%A9%2Bx.md`).
 *   Decode with `decodeURIComponent(key.replace(/\+/g, ' '))`. Prefix filter rules are honoured.
 * - SESv2: SendEmail from an address with no identity is `MessageRejected` (400, "Email address not
 *   verified"). CreateEmailIdentity of an address or of its domain is enough (no verification step), and a
 *   display name in FromEmailAddress is fine. Sent mail shows at `GET /moto-api/data.json` under
 *   `ses.Message` (Simple: keeps the Html body when there is one, else the Text body) and `ses.RawMessage`
 *   (Raw: `raw_data` is the MIME text; `destinations` repeats addresses given both in Destination and in
 *   the headers).
 * - `POST /moto-api/reset` empties every service.
 * - Clients built from the environment alone (`motoEnv`) reach it too: with an IP-address endpoint the SDK
 *   uses path-style URLs without `forcePathStyle`.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { CloudFrontClient, CreateDistributionCommand } from '@aws-sdk/client-cloudfront';
import {
  CreateBucketCommand,
  DeleteObjectCommand,
  PutBucketNotificationConfigurationCommand,
  PutObjectCommand,
  S3Client,
  type Event as S3EventName,
} from '@aws-sdk/client-s3';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  type Message,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import type { BuildReport } from '../../functions/core/publish-site.ts';
import { sqsEvent } from '../fixtures/corpus.ts';
import { getObject } from '../fixtures/s3-upload.ts';
import { probeOnce } from './skip.ts';

export const MOTO_MISSING =
  'moto_server not found: install it with  pip install "moto[server]==5.2.*"  (tests needing a real S3 API are skipped)';

export const MOTO_REGION = 'us-east-1';
export const MOTO_CREDENTIALS = { accessKeyId: 'AKIAEXAMPLE', secretAccessKey: 'secret' } as const;

/** True when `moto_server` runs (a pyenv shim without moto behind it does not count). */
export const hasMotoServer: () => boolean = probeOnce(
  () => spawnSync('moto_server', ['--help'], { stdio: 'ignore', timeout: 30_000 }).status === 0,
);

export interface MotoServer {
  /** `http://127.0.0.1:PORT` */
  readonly endpoint: string;
  readonly port: number;
  /** Stops the server and waits for it to exit. */
  stop(): Promise<void>;
  /** Empties every service (`POST /moto-api/reset`). */
  reset(): Promise<void>;
}

export interface StartMotoOptions {
  /** How long to wait for the server to answer. @default 20000 */
  readonly timeoutMs?: number;
}

const running = new Set<ChildProcess>();
let exitHookInstalled = false;

function killOnExit(child: ChildProcess): void {
  running.add(child);
  child.once('exit', () => running.delete(child));
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const c of running) c.kill('SIGKILL');
  });
}

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  await once(server, 'close');
  if (address === null || typeof address === 'string') throw new Error('could not find a free port');
  return address.port;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

/**
 * Starts `moto_server -H 127.0.0.1 -p <free port>` and resolves once it answers HTTP. Retries with another
 * port if the chosen one was taken in the meantime. Stop it in `afterAll`.
 */
export async function startMotoServer(options: StartMotoOptions = {}): Promise<MotoServer> {
  const timeoutMs = options.timeoutMs ?? 20_000;
  const deadline = Date.now() + timeoutMs;
  let lastOutput = '';
  for (let attempt = 1; attempt <= 3; attempt++) {
    const port = await freePort();
    const endpoint = `http://127.0.0.1:${port}`;
    const child = spawn('moto_server', ['-H', '127.0.0.1', '-p', String(port)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    killOnExit(child);
    // Keep the pipes flowing (moto logs every request) and the tail for error messages.
    let output = '';
    const keep = (chunk: Buffer) => {
      output = (output + chunk.toString('utf8')).slice(-4_000);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    let spawnError: Error | undefined;
    child.once('error', (err) => {
      spawnError = err;
    });

    while (Date.now() < deadline && child.exitCode === null && spawnError === undefined) {
      try {
        const res = await fetch(`${endpoint}/moto-api/`, { signal: AbortSignal.timeout(2_000) });
        await res.arrayBuffer();
        if (res.ok) {
          return {
            endpoint,
            port,
            stop: () => stopChild(child),
            reset: async () => {
              const r = await fetch(`${endpoint}/moto-api/reset`, { method: 'POST' });
              await r.arrayBuffer();
              if (!r.ok) throw new Error(`moto reset failed: HTTP ${r.status}`);
            },
          };
        }
      } catch {
        // not listening yet
      }
      await sleep(100);
    }
    await stopChild(child);
    if (spawnError !== undefined) throw new Error(`${MOTO_MISSING} (${spawnError.message})`);
    lastOutput = output;
    if (Date.now() >= deadline) break;
  }
  throw new Error(`moto_server did not answer within ${timeoutMs} ms; its last output:\n${lastOutput}`);
}

const clientConfig = (endpoint: string) => ({ endpoint, region: MOTO_REGION, credentials: MOTO_CREDENTIALS });

export function s3ClientFor(endpoint: string): S3Client {
  return new S3Client({ ...clientConfig(endpoint), forcePathStyle: true });
}

export function sqsClientFor(endpoint: string): SQSClient {
  return new SQSClient(clientConfig(endpoint));
}

export function sesClientFor(endpoint: string): SESv2Client {
  return new SESv2Client(clientConfig(endpoint));
}

export function cloudFrontClientFor(endpoint: string): CloudFrontClient {
  return new CloudFrontClient(clientConfig(endpoint));
}

/** A distribution in moto in front of `bucket` (only its id matters: invalidations are made in it). */
export async function createDistribution(cloudFront: CloudFrontClient, bucket: string): Promise<string> {
  const created = await cloudFront.send(
    new CreateDistributionCommand({
      DistributionConfig: {
        CallerReference: `broadsheet-${bucket}`,
        Comment: bucket,
        Enabled: true,
        Origins: {
          Quantity: 1,
          Items: [
            {
              Id: 'site',
              DomainName: `${bucket}.s3.amazonaws.com`,
              S3OriginConfig: { OriginAccessIdentity: '' },
            },
          ],
        },
        DefaultCacheBehavior: {
          TargetOriginId: 'site',
          ViewerProtocolPolicy: 'redirect-to-https',
          MinTTL: 0,
          ForwardedValues: { QueryString: false, Cookies: { Forward: 'none' } },
          TrustedSigners: { Enabled: false, Quantity: 0 },
        },
      },
    }),
  );
  const id = created.Distribution?.Id;
  if (!id) throw new Error('moto created a distribution without an id');
  return id;
}

export interface MotoEnv {
  AWS_ENDPOINT_URL_S3: string;
  AWS_ENDPOINT_URL: string;
  AWS_REGION: string;
  AWS_ACCESS_KEY_ID: string;
  AWS_SECRET_ACCESS_KEY: string;
}

/**
 * Environment under which code that builds its own clients (`new S3Client({})`) talks to moto: spread it
 * into a child's `env`, or `vi.stubEnv` each entry.
 */
export function motoEnv(endpoint: string): MotoEnv {
  return {
    AWS_ENDPOINT_URL_S3: endpoint,
    AWS_ENDPOINT_URL: endpoint,
    AWS_REGION: MOTO_REGION,
    AWS_ACCESS_KEY_ID: MOTO_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: MOTO_CREDENTIALS.secretAccessKey,
  };
}

export interface S3ToSqsOptions {
  readonly s3: S3Client;
  readonly sqs: SQSClient;
  readonly bucket: string;
  /** Only keys starting with this prefix notify. @default every key */
  readonly prefix?: string;
  /** @default `${bucket}-events` */
  readonly queueName?: string;
  /** @default ['s3:ObjectCreated:*', 's3:ObjectRemoved:*'] */
  readonly events?: S3EventName[];
}

/**
 * Creates a queue and points the bucket's notifications at it; returns the queue URL. The queue's first
 * message is moto's `s3:TestEvent` (no `Records`).
 */
export async function enableS3ToSqs(options: S3ToSqsOptions): Promise<string> {
  const { s3, sqs, bucket, prefix } = options;
  const { QueueUrl } = await sqs.send(
    new CreateQueueCommand({ QueueName: options.queueName ?? `${bucket}-events` }),
  );
  if (QueueUrl === undefined) throw new Error('CreateQueue returned no QueueUrl');
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }),
  );
  const QueueArn = Attributes?.QueueArn;
  if (QueueArn === undefined) throw new Error('GetQueueAttributes returned no QueueArn');
  await s3.send(
    new PutBucketNotificationConfigurationCommand({
      Bucket: bucket,
      NotificationConfiguration: {
        QueueConfigurations: [
          {
            QueueArn,
            Events: options.events ?? ['s3:ObjectCreated:*', 's3:ObjectRemoved:*'],
            ...(prefix === undefined
              ? {}
              : { Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: prefix }] } } }),
          },
        ],
      },
    }),
  );
  return QueueUrl;
}

/** Receives until the queue answers empty, deleting what it received; returns the messages in order. */
export async function drainQueue(sqs: SQSClient, queueUrl: string): Promise<Message[]> {
  const all: Message[] = [];
  for (;;) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }),
    );
    if (Messages.length === 0) return all;
    all.push(...Messages);
    await sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle })),
      }),
    );
  }
}

export interface S3EventRecordSummary {
  /** e.g. `ObjectCreated:Put`, `ObjectRemoved:Delete` */
  readonly eventName: string;
  readonly bucket: string;
  /** The key as it arrived (form-encoded). */
  readonly rawKey: string;
  /** The decoded key. */
  readonly key: string;
}

/** The S3 records carried by SQS messages, test events skipped, keys decoded. */
export function s3EventRecords(messages: readonly Message[]): S3EventRecordSummary[] {
  return messages.flatMap((m) => {
    const body = JSON.parse(m.Body ?? '{}') as {
      Records?: { eventName: string; s3: { bucket: { name: string }; object: { key: string } } }[];
    };
    return (body.Records ?? []).map((r) => ({
      eventName: r.eventName,
      bucket: r.s3.bucket.name,
      rawKey: r.s3.object.key,
      key: decodeURIComponent(r.s3.object.key.replace(/\+/g, ' ')),
    }));
  });
}

/** True for moto's (and S3's) `s3:TestEvent` message body. */
export function isS3TestEvent(body: string | undefined): boolean {
  if (body === undefined) return false;
  const parsed = JSON.parse(body) as { Event?: unknown };
  return parsed.Event === 's3:TestEvent';
}

export type SentEmail =
  | {
      readonly kind: 'simple';
      readonly id: string;
      readonly from: string;
      readonly to: string[];
      readonly cc: string[];
      readonly bcc: string[];
      readonly subject: string;
      /** The Html body when one was sent, else the Text body (moto keeps only one). */
      readonly body: string;
    }
  | {
      readonly kind: 'raw';
      readonly id: string;
      readonly from: string;
      /** Recipients, without moto's duplicates. */
      readonly to: string[];
      /** The whole MIME message. */
      readonly raw: string;
    };

interface MotoSesData {
  ses?: {
    Message?: {
      id: string;
      source: string;
      subject: string;
      body: string;
      destinations: { ToAddresses?: string[]; CcAddresses?: string[]; BccAddresses?: string[] };
    }[];
    RawMessage?: { id: string; source: string; destinations: string[]; raw_data: string }[];
  };
}

/** Mail sent through moto's SES/SESv2 since the last reset, simple messages first, then raw ones. */
export async function readSentEmails(endpoint: string): Promise<SentEmail[]> {
  const res = await fetch(`${endpoint}/moto-api/data.json`);
  if (!res.ok) throw new Error(`GET /moto-api/data.json: HTTP ${res.status}`);
  const data = (await res.json()) as MotoSesData;
  const simple: SentEmail[] = (data.ses?.Message ?? []).map((m) => ({
    kind: 'simple',
    id: m.id,
    from: m.source,
    to: m.destinations.ToAddresses ?? [],
    cc: m.destinations.CcAddresses ?? [],
    bcc: m.destinations.BccAddresses ?? [],
    subject: m.subject,
    body: m.body,
  }));
  const raw: SentEmail[] = (data.ses?.RawMessage ?? []).map((m) => ({
    kind: 'raw',
    id: m.id,
    from: m.source,
    to: [...new Set(m.destinations)],
    raw: m.raw_data,
  }));
  return [...simple, ...raw];
}

export interface PipelineOptions {
  readonly contentBucket: string;
  readonly siteBucket: string;
  readonly prefix: string;
  readonly siteUrl: string;
}

/** moto with what the deployed stack has: both buckets, S3 → SQS on the content prefix. */
export interface Pipeline {
  readonly moto: MotoServer;
  readonly s3: S3Client;
  readonly sqs: SQSClient;
  readonly queueUrl: string;
  /** Uploads a content file by its key under the prefix, as an author would. */
  put(key: string, body: string | Uint8Array): Promise<unknown>;
  remove(key: string): Promise<unknown>;
  /** The site's `_report.json`: what the last run did. */
  report(): Promise<BuildReport>;
  /**
   * Runs `handler` on `messages` (default: all the queue holds) as the event source mapping would, expects
   * no batch item failures, and returns the run's report.
   */
  deliver(handler: (event: unknown) => Promise<unknown>, messages?: readonly Message[]): Promise<BuildReport>;
}

/** A pipeline's handler: an S3 or SQS event in, the handler's answer out. */
export type PipelineHandler = (event: unknown) => Promise<unknown>;

/**
 * Starts moto with a content and a site bucket and the content bucket's events going to a queue, and
 * sets the handler's environment (read when `functions/handler.ts` is first imported) to match.
 */
export async function startPipeline(options: PipelineOptions): Promise<Pipeline> {
  const moto = await startMotoServer();
  Object.assign(process.env, motoEnv(moto.endpoint), {
    CONTENT_BUCKET: options.contentBucket,
    SITE_BUCKET: options.siteBucket,
    SITE_URL: options.siteUrl,
    CONTENT_PREFIX: options.prefix,
    POWERTOOLS_LOG_LEVEL: 'ERROR',
    POWERTOOLS_METRICS_DISABLED: 'true',
  });
  const s3 = s3ClientFor(moto.endpoint);
  const sqs = sqsClientFor(moto.endpoint);
  await s3.send(new CreateBucketCommand({ Bucket: options.contentBucket }));
  await s3.send(new CreateBucketCommand({ Bucket: options.siteBucket }));
  const queueUrl = await enableS3ToSqs({ s3, sqs, bucket: options.contentBucket, prefix: options.prefix });
  const { contentBucket, siteBucket, prefix } = options;
  const report = async () =>
    JSON.parse((await getObject(s3, siteBucket, '_report.json')).text) as BuildReport;
  return {
    moto,
    s3,
    sqs,
    queueUrl,
    put: (key, body) =>
      s3.send(new PutObjectCommand({ Bucket: contentBucket, Key: prefix + key, Body: body })),
    remove: (key) => s3.send(new DeleteObjectCommand({ Bucket: contentBucket, Key: prefix + key })),
    report,
    async deliver(handler, messages) {
      const answer = await handler(sqsEvent(messages ?? (await drainQueue(sqs, queueUrl))));
      if (JSON.stringify(answer) !== JSON.stringify({ batchItemFailures: [] }))
        throw new Error(`the handler reported failures: ${JSON.stringify(answer)}`);
      return report();
    },
  };
}
