import {
  CreateBucketCommand,
  DeleteObjectCommand,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countRequests, S3ContentSource, S3SiteStore } from '../../functions/adapters/s3.ts';
import { decodeHead, MANIFEST_KEY } from '../../functions/core/incremental-state.ts';
import { silentLogger } from '../../functions/core/ports.ts';
import { publishSite } from '../../functions/core/publish-site.ts';
import { publicSite, readBucket, referenceSite, storyKey, storyText } from '../fixtures/corpus.ts';
import {
  hasMotoServer,
  MOTO_MISSING,
  type MotoServer,
  s3ClientFor,
  startMotoServer,
} from '../helpers/moto-server.ts';
import { missing } from '../helpers/skip.ts';

const CONTENT_BUCKET = 'race-content';
const SITE_BUCKET = 'race-site';
const PREFIX = 'content/';
const SITE_URL = 'https://race.example.com/';
const NOW = new Date('2025-06-01T12:00:00Z');

/**
 * A client whose conditional PUT of the manifest (the `n`-th one: 1 = the run's intent, 2 = its commit)
 * waits until `release` is called: the run is frozen there while another run does all its work.
 */
function gatedClient(endpoint: string, n: number) {
  const client = s3ClientFor(endpoint);
  let seen = 0;
  let release!: () => void;
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  let reached!: () => void;
  const atGate = new Promise<void>((resolve) => {
    reached = resolve;
  });
  client.middlewareStack.add(
    (next) => async (args) => {
      const input = args.input as { Key?: string; IfMatch?: string; IfNoneMatch?: string };
      if (input.Key === MANIFEST_KEY && (input.IfMatch || input.IfNoneMatch) && ++seen === n) {
        reached();
        await released;
      }
      return next(args);
    },
    { step: 'initialize', name: 'gate' },
  );
  return { client, release, atGate };
}

describe.skipIf(missing(hasMotoServer(), MOTO_MISSING))(
  'two runs that overlap (conditional manifest writes)',
  () => {
    let moto: MotoServer;
    let s3: S3Client;
    const put = (key: string, body: string) =>
      s3.send(new PutObjectCommand({ Bucket: CONTENT_BUCKET, Key: PREFIX + key, Body: body }));
    const runWith = (client: S3Client, changedKeys?: string[]) => {
      const requests = countRequests(client);
      return publishSite({
        source: new S3ContentSource(client, CONTENT_BUCKET, PREFIX),
        store: new S3SiteStore(client, SITE_BUCKET),
        logger: silentLogger,
        now: NOW,
        siteUrl: SITE_URL,
        changedKeys,
        requestCount: requests.count,
      });
    };

    beforeAll(async () => {
      moto = await startMotoServer();
      s3 = s3ClientFor(moto.endpoint);
      await s3.send(new CreateBucketCommand({ Bucket: CONTENT_BUCKET }));
      await s3.send(new CreateBucketCommand({ Bucket: SITE_BUCKET }));
      for (let i = 0; i < 12; i++) await put(storyKey(i), storyText(i));
      await runWith(s3);
    });

    afterAll(async () => {
      await moto?.stop();
    });

    it('loses no update when a run is overtaken before it writes anything (412 on its intent, then a retry)', async () => {
      await put(storyKey(50), storyText(50));
      await put(storyKey(51), storyText(51));
      const a = gatedClient(moto.endpoint, 1);
      const runA = runWith(a.client, [storyKey(50)]);
      await a.atGate;
      // B starts after A read the manifest and commits first.
      const b = await runWith(s3ClientFor(moto.endpoint), [storyKey(51)]);
      expect(b.counts.attempts).toBe(1);
      a.release();
      const reportA = await runA;
      expect(reportA.counts.attempts).toBe(2);

      const site = await publicSite(s3, SITE_BUCKET);
      expect(site.get('index.html')).toContain('/posts/story-50/');
      expect(site.get('index.html')).toContain('/posts/story-51/');
      expect(site).toEqual(await referenceSite(s3, CONTENT_BUCKET, PREFIX, SITE_URL, NOW));
    });

    it('loses no update when a run is overtaken after writing outputs (412 on its commit, stale writes redone)', async () => {
      await put(storyKey(60), storyText(60));
      await put(storyKey(1), storyText(1, 1));
      const a = gatedClient(moto.endpoint, 2);
      const runA = runWith(a.client, [storyKey(60)]);
      await a.atGate;
      // A has written its feeds (with story 60) and waits to commit; B, unaware of 60, rewrites them.
      const b = await runWith(s3ClientFor(moto.endpoint), [storyKey(1)]);
      expect(b.written).toContain('rss.xml');
      a.release();
      const reportA = await runA;
      expect(reportA.counts.attempts).toBe(2);

      const site = await publicSite(s3, SITE_BUCKET);
      expect(site.get('rss.xml')).toContain('Story 60');
      expect(site.get('rss.xml')).toContain('Story 1 (rev. 1)');
      expect(site).toEqual(await referenceSite(s3, CONTENT_BUCKET, PREFIX, SITE_URL, NOW));
      const decoded = decodeHead((await readBucket(s3, SITE_BUCKET, '_state/')).get('manifest.json'));
      // A small site's state fits in the head: no base.
      const head = 'head' in decoded ? decoded.head : undefined;
      expect(head?.base).toBe('');
      expect(head?.dirty).toEqual([]);
      expect(Object.keys(head?.sources ?? {})).toContain(storyKey(60));
    });

    it('repairs what a run that died after its intent left behind', async () => {
      await put(storyKey(70), storyText(70));
      const a = gatedClient(moto.endpoint, 2);
      const runA = runWith(a.client, [storyKey(70)]);
      await a.atGate;
      // The run "dies" here: its outputs are written, its commit never happens. Then the article goes
      // again: the right site is the one the manifest already describes, so only the intent says what to redo.
      await s3.send(new DeleteObjectCommand({ Bucket: CONTENT_BUCKET, Key: PREFIX + storyKey(70) }));
      const b = await runWith(s3ClientFor(moto.endpoint));
      expect(b.counts.attempts).toBe(1);
      expect(b.deleted).toContain('posts/story-70/index.html');
      expect(await publicSite(s3, SITE_BUCKET)).toEqual(
        await referenceSite(s3, CONTENT_BUCKET, PREFIX, SITE_URL, NOW),
      );
      a.release();
      await runA; // finishes after a retry, and still leaves the right site
      expect(await publicSite(s3, SITE_BUCKET)).toEqual(
        await referenceSite(s3, CONTENT_BUCKET, PREFIX, SITE_URL, NOW),
      );
    });
  },
);
