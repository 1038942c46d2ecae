import {
  type CloudFrontClient,
  GetInvalidationCommand,
  ListInvalidationsCommand,
} from '@aws-sdk/client-cloudfront';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getObject } from '../fixtures/s3-upload.ts';
import {
  cloudFrontClientFor,
  createDistribution,
  hasMotoServer,
  MOTO_MISSING,
  type Pipeline,
  type PipelineHandler,
  startPipeline,
} from '../helpers/moto-server.ts';
import { missing } from '../helpers/skip.ts';

const CONTENT_BUCKET = 'cdn-content';
const SITE_BUCKET = 'cdn-site';
const SITE_URL = 'https://cdn.example.com/';

describe.skipIf(missing(hasMotoServer(), MOTO_MISSING))(
  'CloudFront invalidation: the handler invalidates what an upload replaced, through S3 → SQS',
  () => {
    let pipeline: Pipeline;
    let handler: PipelineHandler;
    let cloudFront: CloudFrontClient;
    let distributionId: string;
    const invalidations = async () => {
      const list = await cloudFront.send(new ListInvalidationsCommand({ DistributionId: distributionId }));
      return list.InvalidationList?.Items ?? [];
    };

    beforeAll(async () => {
      pipeline = await startPipeline({
        contentBucket: CONTENT_BUCKET,
        siteBucket: SITE_BUCKET,
        prefix: 'content/',
        siteUrl: SITE_URL,
      });
      cloudFront = cloudFrontClientFor(pipeline.moto.endpoint);
      distributionId = await createDistribution(cloudFront, SITE_BUCKET);
      // The handler's own client finds moto through AWS_ENDPOINT_URL, as its S3 client does.
      process.env.DISTRIBUTION_ID = distributionId;
      ({ handler } = (await import('../../functions/handler.ts')) as { handler: PipelineHandler });
    });

    afterAll(async () => {
      delete process.env.DISTRIBUTION_ID;
      await pipeline?.moto.stop();
    });

    it('makes no invalidation for new pages, one with the replaced pages for an edit', async () => {
      await pipeline.put('site.yaml', 'title: Edge news\n');
      await pipeline.put(
        '2025-03-01-first.md',
        '---\ntitle: First\ndate: 2025-03-01\ntags: [port]\n---\n\nTypo.\n',
      );
      const first = await pipeline.deliver(handler);
      expect(first.written).toContain('posts/first/index.html');
      expect(first.cdn).toBeUndefined();
      expect(await invalidations()).toEqual([]);

      await pipeline.put(
        '2025-03-01-first.md',
        '---\ntitle: First\ndate: 2025-03-01\ntags: [port]\n---\n\nFixed.\n',
      );
      const edit = await pipeline.deliver(handler);
      expect((await getObject(pipeline.s3, SITE_BUCKET, 'posts/first/index.html')).text).toContain('Fixed.');
      expect(edit.cdn?.error).toBeUndefined();
      expect(edit.cdn?.paths).toEqual(
        expect.arrayContaining(['/posts/first/', '/posts/first/index.html', '/tags/port/']),
      );
      const made = await invalidations();
      expect(made).toHaveLength(1);
      const got = await cloudFront.send(
        new GetInvalidationCommand({ DistributionId: distributionId, Id: made[0]?.Id ?? '' }),
      );
      expect(got.Invalidation?.InvalidationBatch?.Paths?.Items).toEqual(edit.cdn?.paths);
      expect(got.Invalidation?.InvalidationBatch?.CallerReference).toMatch(/^broadsheet-/);
    });

    it('invalidates the pages of a deleted article', async () => {
      await pipeline.remove('2025-03-01-first.md');
      const removed = await pipeline.deliver(handler);
      expect(removed.deleted).toContain('posts/first/index.html');
      expect(removed.cdn?.paths).toEqual(
        expect.arrayContaining(['/posts/first/', '/posts/first/index.html']),
      );
      expect(await invalidations()).toHaveLength(2);
    });
  },
);
