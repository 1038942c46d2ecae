import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { Message } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3ContentSource } from '../../functions/adapters/s3.ts';
import { getObject } from '../fixtures/s3-upload.ts';
import {
  drainQueue,
  hasMotoServer,
  MOTO_MISSING,
  type Pipeline,
  type PipelineHandler,
  startPipeline,
} from '../helpers/moto-server.ts';
import { missing } from '../helpers/skip.ts';

const CONTENT_BUCKET = 'media-content';
const SITE_BUCKET = 'media-site';
const PREFIX = 'content/';
const SITE_URL = 'https://media.example.com/';
const ARTICLE = [
  '---',
  'title: The harbour',
  'date: 2025-03-01',
  'image: harbour.png',
  '---',
  '',
  'At dawn: ![The harbour at dawn](photos/dawn.png)',
  '',
].join('\n');
// Any bytes: the publisher copies an image, it never decodes one.
const image = (seed: number) => Uint8Array.from({ length: 5000 }, (_, i) => (i * 31 + seed) % 256);

describe.skipIf(missing(hasMotoServer(), MOTO_MISSING))(
  'images uploaded beside an article, through S3 → SQS',
  () => {
    let pipeline: Pipeline;
    let s3: S3Client;
    let handler: PipelineHandler;
    const put = (key: string, body: string | Uint8Array) => pipeline.put(key, body);
    const siteBytes = async (key: string) => {
      const object = await s3.send(new GetObjectCommand({ Bucket: SITE_BUCKET, Key: key }));
      return object.Body?.transformToByteArray();
    };
    let delivered: Message[] = [];
    /** Runs the handler on what the queue holds, as the event source mapping would; the run's report. */
    const deliver = async (messages?: Message[]) => {
      messages ??= await drainQueue(pipeline.sqs, pipeline.queueUrl);
      delivered = messages;
      return pipeline.deliver(handler, messages);
    };

    beforeAll(async () => {
      pipeline = await startPipeline({
        contentBucket: CONTENT_BUCKET,
        siteBucket: SITE_BUCKET,
        prefix: PREFIX,
        siteUrl: SITE_URL,
      });
      s3 = pipeline.s3;
      ({ handler } = (await import('../../functions/handler.ts')) as { handler: PipelineHandler });
      await put('site.yaml', 'title: Harbour news\ntimeZone: UTC\n');
      await put('2025-03-01-harbour.md', ARTICLE);
      await deliver();
    });

    afterAll(async () => {
      await pipeline?.moto.stop();
    });

    it('publishes the images an author uploads after the article, at the URLs the page and feeds show', async () => {
      const before = await pipeline.report();
      expect(before.warnings.map((w) => w.message)).toEqual([
        'the image harbour.png is not in the content, so it is missing on the page and in the feeds',
        'the image photos/dawn.png is not in the content, so it is missing on the page and in the feeds',
      ]);

      await put('harbour.png', image(1));
      await put('photos/dawn.png', image(2));
      const report = await deliver();
      expect(report.mode).toBe('events');
      // The feeds too: the cover is their enclosure, whose length is now its size.
      expect(report.written).toEqual([
        'atom.xml',
        'posts/harbour/harbour.png',
        'posts/harbour/photos/dawn.png',
        'rss.xml',
      ]);
      expect(report.warnings).toEqual([]);
      expect(await siteBytes('posts/harbour/harbour.png')).toEqual(image(1));
      expect(await siteBytes('posts/harbour/photos/dawn.png')).toEqual(image(2));
      const stored = await getObject(s3, SITE_BUCKET, 'posts/harbour/photos/dawn.png');
      expect(stored.contentType).toBe('image/png');

      // The same events again (S3 delivers at least once): the images are still what the site has.
      const replayed = await deliver(delivered);
      expect(replayed.written).toEqual([]);
      expect(replayed.counts.requests).toBeLessThan(report.counts.requests ?? 0);

      const page = (await getObject(s3, SITE_BUCKET, 'posts/harbour/index.html')).text;
      expect(page).toContain(`src="${SITE_URL}posts/harbour/photos/dawn.png"`);
      expect((await getObject(s3, SITE_BUCKET, 'rss.xml')).text).toContain(
        `<enclosure length="5000" type="image/png" url="${SITE_URL}posts/harbour/harbour.png"/>`,
      );
    });

    it('reads the start of an image with one ranged GET (a cover is measured from its header)', async () => {
      const source = new S3ContentSource(s3, CONTENT_BUCKET, PREFIX);
      expect(await source.readStart('harbour.png', 100)).toEqual(image(1).subarray(0, 100));
      expect((await source.readStart('harbour.png', 1_000_000)).byteLength).toBe(5000);
    });

    it('replaces an image uploaded again and removes one deleted, touching nothing else', async () => {
      await put('photos/dawn.png', image(3));
      const replaced = await deliver();
      expect(replaced.written).toEqual(['posts/harbour/photos/dawn.png']);
      expect(await siteBytes('posts/harbour/photos/dawn.png')).toEqual(image(3));

      await pipeline.remove('photos/dawn.png');
      const removed = await deliver();
      expect(removed.written).toEqual([]);
      expect(removed.deleted).toEqual(['posts/harbour/photos/dawn.png']);
      await expect(siteBytes('posts/harbour/photos/dawn.png')).rejects.toThrow();
      expect(await siteBytes('posts/harbour/harbour.png')).toEqual(image(1));
    });

    it('publishes a PDF and a recording an article links, uploaded with it, typed for the browser', async () => {
      const pdf = new TextEncoder().encode('%PDF-1.7\n% the minutes\n');
      await put(
        'minutes/2025-03-02-council.md',
        '---\ntitle: Council\ndate: 2025-03-02\n---\n\n[Minutes](minutes.pdf), [recording](audio/council.mp3).\n',
      );
      await put('minutes/minutes.pdf', pdf);
      await put('minutes/audio/council.mp3', image(4));
      const report = await deliver();
      expect(report.mode).toBe('events');
      expect(report.written).toEqual(
        expect.arrayContaining(['posts/council/minutes.pdf', 'posts/council/audio/council.mp3']),
      );
      expect(report.counts).toMatchObject({ files: 2 });
      // The harbour's deleted photo is still reported; nothing about this article.
      expect(report.warnings.filter((w) => w.file.startsWith('minutes/'))).toEqual([]);
      const stored = await getObject(s3, SITE_BUCKET, 'posts/council/minutes.pdf');
      expect(stored.contentType).toBe('application/pdf');
      expect(await siteBytes('posts/council/minutes.pdf')).toEqual(pdf);
      expect((await getObject(s3, SITE_BUCKET, 'posts/council/audio/council.mp3')).contentType).toBe(
        'audio/mpeg',
      );
      const page = (await getObject(s3, SITE_BUCKET, 'posts/council/index.html')).text;
      expect(page).toContain(`href="${SITE_URL}posts/council/minutes.pdf"`);
    });

    it('publishes the photo a site.yaml page shows, uploaded beside site.yaml, and again when it alone changes', async () => {
      await put('me.png', image(5));
      await put(
        'site.yaml',
        'title: Harbour news\ntimeZone: UTC\npages:\n  - title: About\n    text: "![The editor](me.png)"\n',
      );
      const report = await deliver();
      expect(report.written).toEqual(expect.arrayContaining(['about/index.html', 'about/me.png']));
      expect(report.warnings.filter((w) => w.file === 'site.yaml')).toEqual([]);
      expect(await siteBytes('about/me.png')).toEqual(image(5));
      expect((await getObject(s3, SITE_BUCKET, 'about/me.png')).contentType).toBe('image/png');
      expect((await getObject(s3, SITE_BUCKET, 'about/index.html')).text).toContain(
        `src="${SITE_URL}about/me.png"`,
      );

      await put('me.png', image(6));
      const replaced = await deliver();
      expect(replaced.mode).toBe('events');
      expect(replaced.written).toEqual(['about/me.png']);
      expect(await siteBytes('about/me.png')).toEqual(image(6));
    });
  },
);
