import { CreateBucketCommand, HeadObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTINUE_EVENT } from '../../functions/adapters/s3-events.ts';
import { mapLimit } from '../../functions/core/map-limit.ts';
import type { BuildReport } from '../../functions/core/publish-site.ts';
import type { LambdaTimeLeft } from '../../functions/handler.ts';
import { publicSite, referenceSite, storyKey, storyText } from '../fixtures/corpus.ts';
import { getObject, s3Event } from '../fixtures/s3-upload.ts';
import {
  hasMotoServer,
  MOTO_MISSING,
  type MotoServer,
  motoEnv,
  s3ClientFor,
  startMotoServer,
} from '../helpers/moto-server.ts';
import { missing } from '../helpers/skip.ts';

const CONTENT_BUCKET = 'timeout-content';
const SITE_BUCKET = 'timeout-site';
const PREFIX = 'content/';
const SITE_URL = 'https://timeout.example.com/';
const ARTICLES = 300;

type Handler = (event: unknown, context?: LambdaTimeLeft) => Promise<unknown>;

/**
 * A Lambda context whose clock is the handler's own questions: a minute left for the first `asks`, then
 * 5 s (under the handler's margin of a quarter of the first reading), as if the timeout were near.
 */
const contextWithTimeFor = (asks: number): LambdaTimeLeft => {
  let asked = 0;
  return { getRemainingTimeInMillis: () => (asked++ <= asks ? 60_000 : 5_000) };
};

describe.skipIf(missing(hasMotoServer(), MOTO_MISSING))(
  'a first run too big for the Lambda timeout (moto_server)',
  () => {
    let moto: MotoServer;
    let s3: S3Client;
    let handler: Handler;
    const keys = Array.from({ length: ARTICLES }, (_, i) => `${PREFIX}${storyKey(i)}`);
    const report = async () =>
      JSON.parse((await getObject(s3, SITE_BUCKET, '_report.json')).text) as BuildReport;

    beforeAll(async () => {
      moto = await startMotoServer();
      Object.assign(process.env, motoEnv(moto.endpoint), {
        CONTENT_BUCKET,
        SITE_BUCKET,
        CONTENT_PREFIX: PREFIX,
        SITE_URL,
        POWERTOOLS_LOG_LEVEL: 'ERROR',
        POWERTOOLS_METRICS_DISABLED: 'true',
      });
      s3 = s3ClientFor(moto.endpoint);
      await s3.send(new CreateBucketCommand({ Bucket: CONTENT_BUCKET }));
      await s3.send(new CreateBucketCommand({ Bucket: SITE_BUCKET }));
      await s3.send(
        new PutObjectCommand({
          Bucket: CONTENT_BUCKET,
          Key: `${PREFIX}site.yaml`,
          Body: 'title: Timeout\ntimeZone: UTC\n',
        }),
      );
      await mapLimit(
        keys.map((key, i) => [key, storyText(i)] as const),
        16,
        ([key, body]) => s3.send(new PutObjectCommand({ Bucket: CONTENT_BUCKET, Key: key, Body: body })),
      );
      ({ handler } = (await import('../../functions/handler.ts')) as { handler: Handler });
    }, 120_000);

    afterAll(async () => {
      await moto?.stop();
    });

    it('commits what it read and wrote before the timeout, and the next runs publish the rest', async () => {
      const runs: BuildReport[] = [];
      // The upload of the whole folder: its run has time to read ~250 of the 300 sources, and stops there
      // with the site as it was (empty) and the 250 recorded.
      await handler(s3Event(CONTENT_BUCKET, keys), contextWithTimeFor(250));
      runs.push(await report());
      expect(runs[0]?.counts).toMatchObject({ published: runs[0]?.counts.read, rendered: 0, written: 0 });
      expect(runs[0]?.counts.unread).toBeGreaterThan(0);
      expect((runs[0]?.counts.read ?? 0) + (runs[0]?.counts.unread ?? 0)).toBe(ARTICLES);
      expect(await publicSite(s3, SITE_BUCKET)).toEqual(new Map());

      // The continuation rule's runs (every timeout + 1 minutes) carry on from the manifest: the first reads the
      // rest and renders what it has time for (~250 outputs of ~600), the next ones read no article again.
      for (let step = 0; step < 6 && (runs.at(-1)?.counts.deferred ?? 0) > 0; step++) {
        await handler(CONTINUE_EVENT, contextWithTimeFor(250));
        runs.push(await report());
        expect(runs.at(-1)?.counts.unread).toBe(0);
        // Sources were unread: the first lists the content; the others render from the manifest alone.
        expect(runs.at(-1)?.mode).toBe(step === 0 ? 'full' : 'events');
        expect(runs.at(-1)?.counts.read).toBe(step === 0 ? runs[0]?.counts.unread : 0);
        expect(runs.at(-1)?.counts.written).toBeGreaterThan(0);
      }
      expect(runs.at(-1)?.counts.deferred).toBe(0);
      expect(runs.length).toBeGreaterThan(1);
      expect(await publicSite(s3, SITE_BUCKET)).toEqual(
        await referenceSite(s3, CONTENT_BUCKET, PREFIX, SITE_URL),
      );

      // Finished: the next tick of the rule reads the manifest, finds nothing left, and runs nothing.
      const reportBefore = await s3.send(new HeadObjectCommand({ Bucket: SITE_BUCKET, Key: '_report.json' }));
      expect(await handler(CONTINUE_EVENT, contextWithTimeFor(250))).toBeUndefined();
      const reportAfter = await s3.send(new HeadObjectCommand({ Bucket: SITE_BUCKET, Key: '_report.json' }));
      expect(reportAfter.ETag).toBe(reportBefore.ETag);
      expect(reportAfter.LastModified).toEqual(reportBefore.LastModified);
    }, 300_000);
  },
);
