import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getObject } from '../fixtures/s3-upload.ts';
import {
  hasMotoServer,
  MOTO_MISSING,
  type Pipeline,
  type PipelineHandler,
  startPipeline,
} from '../helpers/moto-server.ts';
import { missing } from '../helpers/skip.ts';

const CONTENT_BUCKET = 'websub-content';
const SITE_BUCKET = 'websub-site';
const PREFIX = 'content/';
const SITE_URL = 'https://websub.example.com/';

describe.skipIf(missing(hasMotoServer(), MOTO_MISSING))(
  'WebSub: the handler tells the hub site.yaml names, through S3 → SQS',
  () => {
    let pipeline: Pipeline;
    let handler: PipelineHandler;
    const pings: { type?: string; urls: string[] }[] = [];
    const hubServer = createServer(async (req, res) => {
      let body = '';
      for await (const chunk of req) body += chunk;
      const form = new URLSearchParams(body);
      if (form.get('hub.mode') === 'publish')
        pings.push({ type: req.headers['content-type'], urls: form.getAll('hub.url') });
      res.statusCode = 204;
      res.end();
    });
    const put = (key: string, body: string) => pipeline.put(key, body);
    const deliver = () => pipeline.deliver(handler);

    beforeAll(async () => {
      await new Promise<void>((resolve) => hubServer.listen(0, '127.0.0.1', resolve));
      pipeline = await startPipeline({
        contentBucket: CONTENT_BUCKET,
        siteBucket: SITE_BUCKET,
        prefix: PREFIX,
        siteUrl: SITE_URL,
      });
      ({ handler } = (await import('../../functions/handler.ts')) as { handler: PipelineHandler });
    });

    afterAll(async () => {
      await pipeline?.moto.stop();
      await new Promise<void>((resolve) => hubServer.close(() => resolve()));
    });

    it('names the hub in the feeds and pings it with the feeds an upload changed', async () => {
      const hub = `http://127.0.0.1:${(hubServer.address() as AddressInfo).port}/`;
      await put('site.yaml', `title: Hub news\nfeeds:\n  hub: ${hub}\n`);
      await put('2025-03-01-first.md', '---\ntitle: First\ndate: 2025-03-01\ntags: [port]\n---\n\nText.\n');
      const first = await deliver();
      expect(first.hub).toMatchObject({ url: hub });
      expect(first.hub?.error).toBeUndefined();
      expect((await getObject(pipeline.s3, SITE_BUCKET, 'rss.xml')).text).toContain(
        `<atom:link href="${hub}" rel="hub"/>`,
      );
      expect(pings).toHaveLength(1);
      expect(pings[0]?.type).toBe('application/x-www-form-urlencoded');
      expect(pings[0]?.urls).toEqual(
        expect.arrayContaining([`${SITE_URL}rss.xml`, `${SITE_URL}tags/port/feed.json`]),
      );

      pings.length = 0;
      await put('2025-03-02-second.md', '---\ntitle: Second\ndate: 2025-03-02\n---\n\nMore.\n');
      const second = await deliver();
      expect(second.mode).toBe('events');
      expect(pings).toHaveLength(1);
      expect(pings[0]?.urls).toEqual(expect.arrayContaining([`${SITE_URL}rss.xml`, `${SITE_URL}atom.xml`]));
      expect(pings[0]?.urls.some((u) => u.includes('tags/port/'))).toBe(false);
    });
  },
);
