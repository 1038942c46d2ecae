import type { S3Client } from '@aws-sdk/client-s3';
import type { Message, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mapLimit } from '../../functions/core/map-limit.ts';
import type { BuildReport } from '../../functions/core/publish-site.ts';
import {
  publicSite,
  referenceSite,
  seeded,
  shuffle,
  sqsEvent,
  storyKey,
  storyText,
} from '../fixtures/corpus.ts';
import { getObject, s3Event } from '../fixtures/s3-upload.ts';
import {
  drainQueue,
  hasMotoServer,
  MOTO_MISSING,
  type MotoServer,
  type Pipeline,
  startPipeline,
} from '../helpers/moto-server.ts';
import { missing } from '../helpers/skip.ts';

const CONTENT_BUCKET = 'burst-content';
const SITE_BUCKET = 'burst-site';
const PREFIX = 'content/';
const SITE_URL = 'https://burst.example.com/';

type Handler = (event: unknown) => Promise<unknown>;

describe.skipIf(missing(hasMotoServer(), MOTO_MISSING))(
  'a burst of uploads, edits and deletes through S3 → SQS',
  () => {
    let pipeline: Pipeline;
    let moto: MotoServer;
    let s3: S3Client;
    let sqs: SQSClient;
    let queueUrl: string;
    let handler: Handler;
    const put = (key: string, body: string) => pipeline.put(key, body);
    const remove = (key: string) => pipeline.remove(key);
    const report = () => pipeline.report();

    /** Delivers the queue's messages in shuffled batches of 10 with some duplicated; returns each run's report. */
    async function deliver(seed: number): Promise<BuildReport[]> {
      const random = seeded(seed);
      const messages = await drainQueue(sqs, queueUrl);
      const duplicated = [...messages, ...messages.filter(() => random() < 0.1)];
      const batches: Message[][] = [];
      const shuffled = shuffle(duplicated, random);
      for (let i = 0; i < shuffled.length; i += 10) batches.push(shuffled.slice(i, i + 10));
      const reports: BuildReport[] = [];
      for (const batch of batches) {
        expect(await handler(sqsEvent(batch))).toEqual({ batchItemFailures: [] });
        reports.push(await report());
      }
      return reports;
    }

    beforeAll(async () => {
      pipeline = await startPipeline({
        contentBucket: CONTENT_BUCKET,
        siteBucket: SITE_BUCKET,
        prefix: PREFIX,
        siteUrl: SITE_URL,
      });
      ({ moto, s3, sqs, queueUrl } = pipeline);
      ({ handler } = (await import('../../functions/handler.ts')) as { handler: Handler });
      await put('site.yaml', 'title: Burst\ntimeZone: UTC\nfeeds: { limit: 20 }\n');
      await mapLimit(
        Array.from({ length: 30 }, (_, i) => i),
        10,
        (i) => put(storyKey(i), storyText(i)),
      );
      await deliver(1);
    });

    afterAll(async () => {
      await moto?.stop();
    });

    it('publishes 200 uploads mixed with edits and deletes in a few runs, each article once, deleted ones nowhere', async () => {
      const added = Array.from({ length: 200 }, (_, i) => 100 + i);
      const deleted = [3, 7, 11, 15, 19, 104, 150, 299];
      // Uploads race with edits and deletes, as when a folder is synced while someone else works.
      await mapLimit(
        [
          ...added.map((i) => () => put(storyKey(i), storyText(i))),
          ...[0, 1, 2, 4, 5].map((i) => () => put(storyKey(i), storyText(i, 1))),
          ...[3, 7, 11, 15, 19].map((i) => () => remove(storyKey(i))),
        ],
        16,
        (task) => task(),
      );
      for (const i of [104, 150, 299]) await remove(storyKey(i));
      for (const i of [120, 121, 5]) await put(storyKey(i), storyText(i, 2));

      const reports = await deliver(2);
      // Coalesced: one run per batch of 10 events, none of them a full rebuild.
      expect(reports.length).toBeLessThanOrEqual(26);
      expect(reports.every((r) => r.mode === 'events')).toBe(true);
      const reads = reports.reduce((n, r) => n + (r.counts.read ?? 0), 0);
      expect(reads).toBeLessThanOrEqual(220);

      const site = await publicSite(s3, SITE_BUCKET);
      expect(site).toEqual(await referenceSite(s3, CONTENT_BUCKET, PREFIX, SITE_URL));
      const live = [...Array.from({ length: 30 }, (_, i) => i), ...added].filter((i) => !deleted.includes(i));
      // The home page shows the newest 20; its older pages (`page/<k>/`) hold full blocks. Each live story is
      // in exactly one block, or, when newer than every full block, on the home page.
      const home = site.get('index.html') ?? '';
      const blocks = [...site]
        .filter(([key]) => /^page\/\d+\/index\.html$/.test(key))
        .map(([, html]) => html);
      expect(blocks.length).toBeGreaterThan(0);
      const count = (html: string, i: number) => html.split(`${SITE_URL}posts/story-${i}/"`).length - 1;
      for (const i of live) {
        const inBlocks = blocks.reduce((n, html) => n + count(html, i), 0);
        expect(inBlocks || count(home, i), `story ${i} on the home page or one older page`).toBe(1);
      }
      const feed = JSON.parse(site.get('feed.json') ?? '{}') as { items: { id: string }[] };
      expect(new Set(feed.items.map((item) => item.id)).size).toBe(feed.items.length);
      expect(site.get('posts/story-121/index.html')).toContain('Story 121 (rev. 2)');
      expect(site.get('rss.xml')).toContain('Story 5 (rev. 2)');
      for (const i of deleted) {
        expect(site.has(`posts/story-${i}/index.html`)).toBe(false);
        // Its title is in no list, feed or digest (other articles' bodies may still link to it, as written).
        for (const [key, text] of site) {
          expect(text, `${key} still shows story ${i}`).not.toMatch(new RegExp(`Story ${i}(<| \\(rev|")`));
        }
      }
    }, 300_000);

    it('changes nothing but the report when the same events are replayed in any order', async () => {
      const before = await publicSite(s3, SITE_BUCKET);
      const keys = Array.from({ length: 40 }, (_, i) => `${PREFIX}${storyKey(100 + i)}`);
      await handler(s3Event(CONTENT_BUCKET, shuffle(keys, seeded(3))));
      await handler(s3Event(CONTENT_BUCKET, [...keys].reverse(), 'ObjectRemoved:Delete'));
      expect((await report()).counts.written).toBe(0);
      expect(await publicSite(s3, SITE_BUCKET)).toEqual(before);
    });

    it('heals missed events on the scheduled run', async () => {
      await put(storyKey(400), storyText(400));
      await put(storyKey(401), storyText(401));
      await remove(storyKey(120));
      await put(storyKey(0), storyText(0, 9));
      await drainQueue(sqs, queueUrl); // lost: never delivered
      await handler({ source: 'aws.events', 'detail-type': 'Scheduled Event', detail: {} });
      expect((await report()).mode).toBe('full');
      expect(await publicSite(s3, SITE_BUCKET)).toEqual(
        await referenceSite(s3, CONTENT_BUCKET, PREFIX, SITE_URL),
      );
    });

    it('never triggers itself: events for the site bucket or outside the content prefix do nothing', async () => {
      const before = await getObject(s3, SITE_BUCKET, '_report.json');
      expect(
        await handler(s3Event(SITE_BUCKET, ['rss.xml', '_state/manifest.json', 'content/x.md'])),
      ).toBeUndefined();
      expect(
        await handler(
          sqsEvent([{ MessageId: 'm1', Body: JSON.stringify(s3Event(CONTENT_BUCKET, ['drafts/x.md'])) }]),
        ),
      ).toEqual({
        batchItemFailures: [],
      });
      expect((await getObject(s3, SITE_BUCKET, '_report.json')).etag).toBe(before.etag);
    });
  },
);
