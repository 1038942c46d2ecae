import {
  CreateBucketCommand,
  DeleteObjectCommand,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import type { Message, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mapLimit } from '../../functions/core/map-limit.ts';
import {
  figureBytes,
  figureKey,
  publicSite,
  readBucket,
  referenceSite,
  seeded,
  shuffle,
  sqsEvent,
  storyKey,
  storyText,
  storyWithFigure,
} from '../fixtures/corpus.ts';
import { type FaultProxy, startFaultProxy } from '../fixtures/fault-proxy.ts';
import {
  drainQueue,
  enableS3ToSqs,
  hasMotoServer,
  MOTO_MISSING,
  type MotoServer,
  motoEnv,
  s3ClientFor,
  sqsClientFor,
  startMotoServer,
} from '../helpers/moto-server.ts';
import { missing } from '../helpers/skip.ts';

const CONTENT_BUCKET = 'faults-content';
const SITE_BUCKET = 'faults-site';
const PREFIX = 'content/';
const SITE_URL = 'https://faults.example.com/';
const MAX_RECEIVES = 5;

type Handler = (event: unknown) => Promise<unknown>;
interface InFlight {
  readonly message: Message;
  receives: number;
}

describe.skipIf(missing(hasMotoServer(), MOTO_MISSING))(
  'S3 faults during a burst (fault-injecting proxy)',
  () => {
    let moto: MotoServer;
    let proxy: FaultProxy;
    let s3: S3Client;
    let sqs: SQSClient;
    let queueUrl: string;
    let handler: Handler;
    const put = (key: string, body: string | Uint8Array) =>
      s3.send(new PutObjectCommand({ Bucket: CONTENT_BUCKET, Key: PREFIX + key, Body: body }));

    /**
     * What the SQS event source mapping does: batches of 10, failed items back to the queue, after
     * MAX_RECEIVES receives to the dead-letter queue. Returns how many runs failed.
     */
    async function poll(pending: InFlight[], dlq: InFlight[], random: () => number, maxRuns = Infinity) {
      let failedRuns = 0;
      for (let runs = 0; pending.length > 0 && runs < maxRuns; runs++) {
        const batch = shuffle(pending.splice(0, 10), random);
        for (const item of batch) item.receives++;
        const answer = (await handler(sqsEvent(batch.map((b) => b.message)))) as {
          batchItemFailures: { itemIdentifier: string }[];
        };
        const failed = new Set(answer.batchItemFailures.map((f) => f.itemIdentifier));
        if (failed.size > 0) {
          failedRuns++;
          await expectLastGoodSiteOnline();
        }
        for (const item of batch.filter((b) => failed.has(b.message.MessageId ?? ''))) {
          (item.receives >= MAX_RECEIVES ? dlq : pending).push(item);
        }
      }
      return failedRuns;
    }

    /** After a failed run, every item of every main feed still links to a page that is there. */
    async function expectLastGoodSiteOnline() {
      const site = await publicSite(s3, SITE_BUCKET);
      const rss = site.get('rss.xml') ?? '';
      const links = [...rss.matchAll(/<link>([^<]+)<\/link>/g)].map((m) => m[1] ?? '').slice(1);
      expect(links.length).toBeGreaterThan(0);
      for (const link of links) {
        expect(site.has(`${link.slice(SITE_URL.length)}index.html`), `page of ${link}`).toBe(true);
      }
    }

    beforeAll(async () => {
      moto = await startMotoServer();
      proxy = await startFaultProxy({ target: moto.endpoint, seed: 42, rate: 0.3 });
      // The handler's S3 client goes through the proxy; the test's own clients talk to moto directly.
      Object.assign(process.env, motoEnv(moto.endpoint), {
        AWS_ENDPOINT_URL_S3: proxy.endpoint,
        CONTENT_BUCKET,
        SITE_BUCKET,
        SITE_URL,
        CONTENT_PREFIX: PREFIX,
        POWERTOOLS_LOG_LEVEL: 'CRITICAL',
        POWERTOOLS_METRICS_DISABLED: 'true',
      });
      s3 = s3ClientFor(moto.endpoint);
      sqs = sqsClientFor(moto.endpoint);
      await s3.send(new CreateBucketCommand({ Bucket: CONTENT_BUCKET }));
      await s3.send(new CreateBucketCommand({ Bucket: SITE_BUCKET }));
      queueUrl = await enableS3ToSqs({ s3, sqs, bucket: CONTENT_BUCKET, prefix: PREFIX });
      ({ handler } = (await import('../../functions/handler.ts')) as { handler: Handler });
      await put('site.yaml', 'title: Faults\ntimeZone: UTC\nfeeds: { limit: 15 }\n');
      for (let i = 0; i < 20; i++) await put(storyKey(i), storyText(i));
      const first = (await drainQueue(sqs, queueUrl)).map((message) => ({ message, receives: 0 }));
      await poll(first, [], seeded(1));
    });

    afterAll(async () => {
      await proxy?.close();
      await moto?.stop();
    });

    it('ends with the same site, byte for byte, as a build without faults once retries and redrive have run', async () => {
      await mapLimit(
        [
          ...Array.from(
            { length: 60 },
            (_, i) => () =>
              put(storyKey(100 + i), i % 10 === 0 ? storyWithFigure(100 + i) : storyText(100 + i)),
          ),
          // Images beside some new articles (and one no article shows), racing with their articles.
          ...[100, 110, 120, 130, 200].map((i) => () => put(figureKey(i), figureBytes(i))),
          ...[0, 2, 4, 6, 8].map((i) => () => put(storyKey(i), storyText(i, 1))),
          ...[1, 3, 5, 7].map(
            (i) => () =>
              s3.send(new DeleteObjectCommand({ Bucket: CONTENT_BUCKET, Key: PREFIX + storyKey(i) })),
          ),
        ],
        16,
        (task) => task(),
      );
      const random = seeded(7);
      const pending: InFlight[] = shuffle(await drainQueue(sqs, queueUrl), random).map((message) => ({
        message,
        receives: 0,
      }));
      const dlq: InFlight[] = [];

      // A flaky S3: the SDK retries most failures away; some runs still fail and their messages return.
      proxy.mode = 'flaky';
      let failedRuns = await poll(pending, dlq, random, 4);
      // An outage: every run fails, the site stays as it was, the messages pile up towards the DLQ.
      proxy.mode = 'down';
      while (dlq.length === 0) failedRuns += await poll(pending, dlq, random, 1);
      expect(failedRuns).toBeGreaterThanOrEqual(MAX_RECEIVES);
      // Recovery: redeliveries, then a redrive of the dead-letter queue.
      proxy.mode = 'off';
      await poll(pending, dlq, random);
      const redriven = dlq.splice(0).map((item) => ({ message: item.message, receives: 0 }));
      expect(redriven.length).toBeGreaterThan(0);
      await poll(redriven, dlq, random);
      expect(dlq).toEqual([]);

      for (const fault of [
        'delay',
        'internal-error',
        'service-unavailable',
        'slow-down',
        'reset',
        'reset-after',
      ] as const) {
        expect(proxy.stats[fault], fault).toBeGreaterThan(0);
      }
      const site = await publicSite(s3, SITE_BUCKET);
      expect(site).toEqual(await referenceSite(s3, CONTENT_BUCKET, PREFIX, SITE_URL));
      expect([...site.keys()].filter((key) => key.endsWith('.png'))).toEqual(
        [100, 110, 120, 130].map((i) => `posts/story-${i}/figure-${i}.png`),
      );
      // Compared as text above; the images byte for byte too.
      const objects = await readBucket(s3, SITE_BUCKET, 'posts/');
      for (const i of [100, 110, 120, 130])
        expect(objects.get(`story-${i}/figure-${i}.png`)).toEqual(figureBytes(i));
    }, 600_000);
  },
);
