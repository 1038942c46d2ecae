import {
  CreateBucketCommand,
  DeleteObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runStatus } from '../../bin/cli-status.ts';
import { getObject, s3Event, uploadFolder } from '../fixtures/s3-upload.ts';
import { FEEDPARSER_MISSING, hasFeedparser, parseFeed } from '../helpers/feedparser.ts';
import { validateJsonFeed } from '../helpers/json-feed.ts';
import {
  hasMotoServer,
  MOTO_MISSING,
  type MotoServer,
  motoEnv,
  s3ClientFor,
  startMotoServer,
} from '../helpers/moto-server.ts';
import { repoRoot } from '../helpers/paths.ts';
import { missing } from '../helpers/skip.ts';

const CONTENT_BUCKET = 'broadsheet-content';
const SITE_BUCKET = 'broadsheet-site';
const SITE_URL = 'https://d111111abcdef8.cloudfront.net/';

describe.skipIf(missing(hasMotoServer(), MOTO_MISSING))('handler against a real S3 API (moto_server)', () => {
  let moto: MotoServer;
  let s3: S3Client;
  let handler: (event: unknown) => Promise<unknown>;
  let uploaded: string[];

  beforeAll(async () => {
    moto = await startMotoServer();
    Object.assign(process.env, motoEnv(moto.endpoint), {
      CONTENT_BUCKET,
      SITE_BUCKET,
      SITE_URL,
      POWERTOOLS_LOG_LEVEL: 'WARN',
    });
    s3 = s3ClientFor(moto.endpoint);
    await s3.send(new CreateBucketCommand({ Bucket: CONTENT_BUCKET }));
    await s3.send(new CreateBucketCommand({ Bucket: SITE_BUCKET }));
    uploaded = await uploadFolder(s3, CONTENT_BUCKET, `${repoRoot}/content`, 'content/');
    ({ handler } = await import('../../functions/handler.ts'));
    await handler(s3Event(CONTENT_BUCKET, uploaded));
  });

  afterAll(async () => {
    await moto?.stop();
  });

  it('publishes every article page and the three feeds with their Content-Types', async () => {
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: SITE_BUCKET }));
    const keys = (listed.Contents ?? []).map((o) => o.Key).sort();
    // Tag feeds, archives and digests come on top; internal state stays under `_state/` and `_report.json`.
    expect(keys).toEqual(
      expect.arrayContaining([
        '_report.json',
        '_state/manifest.json',
        'atom.xml',
        'feed.json',
        'index.html',
        'posts/blinken-visits-paris/index.html',
        'posts/how-this-site-is-published/index.html',
        'posts/notes-on-the-ceasefire-talks/index.html',
        'posts/what-the-paris-visit-means/index.html',
        'rss.xml',
      ]),
    );
    expect(
      keys.filter((k) => k?.startsWith('_') && k !== '_report.json' && !k.startsWith('_state/')),
    ).toEqual([]);
    // Four article pages, and the image one of them shows (uploaded beside it in content/).
    expect(keys.filter((k) => k?.startsWith('posts/'))).toHaveLength(5);
    expect(
      (await getObject(s3, SITE_BUCKET, 'posts/how-this-site-is-published/weekly-digest.png')).contentType,
    ).toBe('image/png');
    expect((await getObject(s3, SITE_BUCKET, 'rss.xml')).contentType).toBe(
      'application/rss+xml; charset=utf-8',
    );
    expect((await getObject(s3, SITE_BUCKET, 'atom.xml')).contentType).toBe(
      'application/atom+xml; charset=utf-8',
    );
    expect((await getObject(s3, SITE_BUCKET, 'feed.json')).contentType).toBe(
      'application/feed+json; charset=utf-8',
    );
    expect((await getObject(s3, SITE_BUCKET, 'index.html')).contentType).toBe('text/html; charset=utf-8');
    const page = await getObject(s3, SITE_BUCKET, 'posts/blinken-visits-paris/index.html');
    expect(page.contentType).toBe('text/html; charset=utf-8');
    expect(page.text).toContain('<h2 id="supporting-ukraines-defence">Supporting Ukraine’s defence</h2>');
  });

  it.skipIf(missing(hasFeedparser(), FEEDPARSER_MISSING))(
    'writes RSS and Atom that Debian feedparser reads without bozo, every entry complete',
    async () => {
      for (const [key, version] of [
        ['rss.xml', 'rss20'],
        ['atom.xml', 'atom10'],
      ] as const) {
        const feed = await parseFeed((await getObject(s3, SITE_BUCKET, key)).text);
        expect(feed.bozo, `${key}: ${feed.bozo_exception}`).toBe(false);
        expect(feed.version).toBe(version);
        expect(feed.entries).toHaveLength(4);
        for (const entry of feed.entries) {
          expect(entry.title).toMatch(/\S/);
          expect(entry.link).toMatch(new RegExp(`^${SITE_URL}posts/[a-z0-9-]+/$`));
          expect(entry.id).toMatch(/^urn:uuid:/);
          expect(entry.published_parsed).toMatch(/^\d{4}-\d{2}-\d{2}T/);
          expect(entry.content[0]?.value.length).toBeGreaterThan(50);
        }
        expect(feed.entries.map((e) => e.title)).toContain('Blinken visits Paris');
      }
    },
  );

  it('writes a valid JSON Feed 1.1 with the same ids as the XML feeds', async () => {
    const json = JSON.parse((await getObject(s3, SITE_BUCKET, 'feed.json')).text);
    expect(validateJsonFeed(json)).toEqual([]);
    const rss = (await getObject(s3, SITE_BUCKET, 'rss.xml')).text;
    for (const item of json.items) expect(rss).toContain(`<guid isPermaLink="false">${item.id}</guid>`);
  });

  it('writes nothing again when the same event is replayed', async () => {
    const before = await getObject(s3, SITE_BUCKET, 'rss.xml');
    await handler(s3Event(CONTENT_BUCKET, uploaded));
    const report = JSON.parse((await getObject(s3, SITE_BUCKET, '_report.json')).text);
    expect(report.counts.written).toBe(0);
    expect((await getObject(s3, SITE_BUCKET, 'rss.xml')).etag).toBe(before.etag);
  });

  it('writes one metrics line per run, which the stack alarms on while an article is skipped', async () => {
    const key = 'content/undated-notes.md';
    // The metric lines of one run: Embedded Metric Format on stdout, which CloudWatch Logs turns into metrics.
    const metricsOf = async (event: unknown) => {
      const lines: string[] = [];
      const write = process.stdout.write;
      const disabled = process.env.POWERTOOLS_METRICS_DISABLED;
      delete process.env.POWERTOOLS_METRICS_DISABLED;
      process.stdout.write = ((chunk: string | Uint8Array) => {
        lines.push(String(chunk));
        return true;
      }) as typeof process.stdout.write;
      try {
        await handler(event);
      } finally {
        process.stdout.write = write;
        if (disabled !== undefined) process.env.POWERTOOLS_METRICS_DISABLED = disabled;
      }
      return lines
        .flatMap((l) => l.split('\n'))
        .filter((l) => l.includes('"_aws"'))
        .map((l) => JSON.parse(l));
    };
    await s3.send(
      new PutObjectCommand({
        Bucket: CONTENT_BUCKET,
        Key: key,
        Body: '---\ntitle: Notes\n---\n\nNo date.\n',
      }),
    );
    const [bad, ...more] = await metricsOf(s3Event(CONTENT_BUCKET, [key]));
    expect(more).toEqual([]);
    // What lib/publisher.ts's SkippedAlarm reads: namespace, the service dimension, the metric.
    expect(bad._aws.CloudWatchMetrics).toEqual([
      expect.objectContaining({ Namespace: 'Broadsheet', Dimensions: [['service']] }),
    ]);
    expect(bad._aws.CloudWatchMetrics[0].Metrics).toEqual(
      expect.arrayContaining([
        { Name: 'SkippedArticles', Unit: 'Count' },
        { Name: 'RunErrors', Unit: 'Count' },
      ]),
    );
    expect(bad).toMatchObject({ service: 'broadsheet', SkippedArticles: 1, RunErrors: 0 });

    await s3.send(new DeleteObjectCommand({ Bucket: CONTENT_BUCKET, Key: key }));
    const [fixed] = await metricsOf(s3Event(CONTENT_BUCKET, [key], 'ObjectRemoved:Delete'));
    expect(fixed).toMatchObject({ service: 'broadsheet', SkippedArticles: 0, RunErrors: 0 });
  });

  it('reports a file it does not publish (an author uploads post.html) until it is renamed', async () => {
    const reportOf = async () => JSON.parse((await getObject(s3, SITE_BUCKET, '_report.json')).text);
    const key = 'content/2025-03-01-post.html';
    await s3.send(new PutObjectCommand({ Bucket: CONTENT_BUCKET, Key: key, Body: '<h1>Post</h1>' }));
    await handler(s3Event(CONTENT_BUCKET, [key]));
    const said = [
      expect.objectContaining({ file: '2025-03-01-post.html', fix: expect.stringContaining('.md') }),
    ];
    expect((await reportOf()).warnings).toEqual(said);
    // A run for anything else says it too; the hourly one (a listing) as well.
    await handler(s3Event(CONTENT_BUCKET, uploaded));
    expect((await reportOf()).warnings).toEqual(said);
    await handler({ source: 'aws.events', 'detail-type': 'Scheduled Event', detail: {} });
    expect((await reportOf()).warnings).toEqual(said);
    await s3.send(new DeleteObjectCommand({ Bucket: CONTENT_BUCKET, Key: key }));
    await handler(s3Event(CONTENT_BUCKET, [key], 'ObjectRemoved:Delete'));
    expect((await reportOf()).warnings).toEqual([]);
  });

  it('answers SQS-wrapped S3 events with batchItemFailures, skipping test events', async () => {
    const sqsEvent = {
      Records: [
        { messageId: 'test', eventSource: 'aws:sqs', body: JSON.stringify({ Event: 's3:TestEvent' }) },
        {
          messageId: 'real',
          eventSource: 'aws:sqs',
          body: JSON.stringify(s3Event(CONTENT_BUCKET, uploaded)),
        },
        { messageId: 'junk', eventSource: 'aws:sqs', body: 'not json' },
      ],
    };
    expect(await handler(sqsEvent)).toEqual({ batchItemFailures: [{ itemIdentifier: 'junk' }] });
  });

  it('leaves the error of a run that fails before it reports, which status shows and exits 1 on', async () => {
    const status = async () => {
      const printed: string[] = [];
      const log = vi.spyOn(console, 'log').mockImplementation((line: string) => void printed.push(line));
      try {
        return { code: await runStatus(['--bucket', SITE_BUCKET]), text: printed.join('\n') };
      } finally {
        log.mockRestore();
      }
    };
    expect((await status()).code).toBe(0);
    const key = 'content/site.yaml';
    const before = await getObject(s3, CONTENT_BUCKET, key).catch(() => undefined);
    await s3.send(new PutObjectCommand({ Bucket: CONTENT_BUCKET, Key: key, Body: 'title: [unclosed\n' }));
    await expect(handler(s3Event(CONTENT_BUCKET, [key]))).rejects.toThrow(/site\.yaml/);
    const failed = await status();
    expect(failed.code).toBe(1);
    expect(failed.text).toMatch(/^last run FAILED \S+ \S+ UTC \(an upload of site\.yaml\): .*site\.yaml/);
    expect(failed.text).toContain('the last run that reported:');

    // Fixed: the next run reports, and status believes the newer.
    if (before) await s3.send(new PutObjectCommand({ Bucket: CONTENT_BUCKET, Key: key, Body: before.text }));
    else await s3.send(new DeleteObjectCommand({ Bucket: CONTENT_BUCKET, Key: key }));
    await handler(s3Event(CONTENT_BUCKET, [key]));
    const fixed = await status();
    expect(fixed.code).toBe(0);
    expect(fixed.text).not.toContain('FAILED');
  });
});
