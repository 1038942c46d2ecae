/**
 * The CLI as an author runs it: `broadsheet …` in a fresh folder. Each command is spawned the way the
 * package's `bin` shebang runs it (`node --import tsx bin/broadsheet.ts`), with CI set so that progress
 * prints plain lines.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  CreateBucketCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { markdownArticle } from '../fixtures/articles.ts';
import { sqsEvent } from '../fixtures/corpus.ts';
import {
  drainQueue,
  enableS3ToSqs,
  hasMotoServer,
  MOTO_MISSING,
  type MotoServer,
  motoEnv,
  s3ClientFor,
  s3EventRecords,
  sqsClientFor,
  startMotoServer,
} from '../helpers/moto-server.ts';
import { repoRoot } from '../helpers/paths.ts';
import { missing } from '../helpers/skip.ts';

const BIN = join(repoRoot, 'bin', 'broadsheet.ts');
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const SITE_YAML = 'title: CLI Test Dispatch\nlanguage: en\ntimeZone: Europe/Paris\n';

interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function spawnCli(args: string[], cwd: string, env: Record<string, string> = {}): ChildProcess {
  return spawn(process.execPath, ['--import', TSX, BIN, ...args], {
    cwd,
    env: { ...process.env, CI: 'true', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

async function runCli(args: string[], cwd: string, env: Record<string, string> = {}): Promise<CliResult> {
  const child = spawnCli(args, cwd, env);
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (c: Buffer) => {
    stdout += c.toString();
  });
  child.stderr?.on('data', (c: Buffer) => {
    stderr += c.toString();
  });
  const [code] = (await once(child, 'close')) as [number | null];
  return { code, stdout, stderr };
}

async function project(files: Record<string, string> = {}): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'broadsheet-cli-'));
  await mkdir(join(dir, 'content'));
  await writeFile(join(dir, 'content', 'site.yaml'), SITE_YAML);
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir, 'content', name), text);
  return dir;
}

const BAD_ARTICLE = markdownArticle({ title: 'Bad date', date: '8 Jan' });

describe('broadsheet new, check, build', () => {
  it('new writes an article that check accepts and build publishes; it never overwrites', async () => {
    const dir = await project();
    const created = await runCli(['new', 'Hello from the CLI', '--tags', 'cli,e2e'], dir);
    expect(created.stderr).toBe('');
    expect(created.code).toBe(0);
    const path = created.stdout.trim();
    expect(path).toMatch(/^content\/\d{4}-\d{2}-\d{2}-hello-from-the-cli\.md$/);
    const text = await readFile(join(dir, path), 'utf8');
    expect(text).toMatch(/^title: "Hello from the CLI"$/m);
    expect(text).toMatch(/^tags: \[cli, e2e\]$/m);
    expect(text).toMatch(/^id: urn:uuid:[0-9a-f-]{36}$/m);

    const again = await runCli(['new', 'Hello from the CLI'], dir);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('already exists');
    expect(await readFile(join(dir, path), 'utf8')).toBe(text);

    const check = await runCli(['check', 'content'], dir);
    expect(check.code).toBe(0);
    expect(check.stdout).toContain('1 would be published, 0 would be skipped');

    const build = await runCli(['build', '--out', 'out', '--site-url', 'https://example.test/'], dir);
    expect(build.code).toBe(0);
    expect(build.stdout).toContain('built 1 article into out');
    expect(existsSync(join(dir, 'out/posts/hello-from-the-cli/index.html'))).toBe(true);
    expect(await readFile(join(dir, 'out/rss.xml'), 'utf8')).toContain('Hello from the CLI');
  });

  it('check exits 1 and names file, line and fix for an article the publisher would skip', async () => {
    const dir = await project({ '2025-01-08-bad.md': BAD_ARTICLE, '2025-01-09-good.md': markdownArticle() });
    const check = await runCli(['check'], dir);
    expect(check.code).toBe(1);
    expect(check.stdout).toContain(
      'content/2025-01-08-bad.md:3: error: date "8 Jan" is not an ISO 8601 date',
    );
    expect(check.stdout).toMatch(/\n {2}fix: write the date as ISO 8601/);
    expect(check.stdout).toContain('1 would be published, 1 would be skipped');
  });

  it('build exits 0 with skipped articles (listed), 2 with a clear message on a configuration error', async () => {
    const dir = await project({ '2025-01-08-bad.md': BAD_ARTICLE, '2025-01-09-good.md': markdownArticle() });
    const built = await runCli(['build', '--out', 'out'], dir);
    expect(built.code).toBe(0);
    expect(built.stdout).toContain('skipped 2025-01-08-bad.md:3: date "8 Jan"');

    // The site written into the content folder would be read back as articles by the next build.
    for (const out of ['content', 'content/site']) {
      const inside = await runCli(['build', '--out', out], dir);
      expect(inside.code, out).toBe(2);
      expect(inside.stderr, out).toContain('the next build would read the site as articles');
      expect(existsSync(join(dir, out, 'index.html')), out).toBe(false);
    }
    // A hidden folder in it is not read.
    expect((await runCli(['build', '--out', 'content/.site'], dir)).code).toBe(0);

    await writeFile(join(dir, 'content', 'site.yaml'), 'title: x\nfeeds:\n  limit: lots\n');
    const badConfig = await runCli(['build', '--out', 'out'], dir);
    expect(badConfig.code).toBe(2);
    expect(badConfig.stderr).toMatch(/^configuration error:\nsite\.yaml:3: feeds\.limit/);
    expect(badConfig.stderr).not.toMatch(/\n\s+at /);

    const noFolder = await runCli(['build', '--content', 'nope'], dir);
    expect(noFolder.code).toBe(2);
    expect(noFolder.stderr).toContain('folder not found');

    const badOption = await runCli(['build', '--frobnicate'], dir);
    expect(badOption.code).toBe(2);
    expect(badOption.stderr).toContain("Unknown option '--frobnicate'");
  });

  it('build takes the site URL from --site-url, else SITE_URL, else site.yaml, as the Lambda does', async () => {
    const dir = await project({ '2025-01-09-good.md': markdownArticle() });
    const channelLink = async () =>
      /<link>([^<]*)<\/link>/.exec(await readFile(join(dir, 'out/rss.xml'), 'utf8'))?.[1];
    expect(
      (await runCli(['build', '--out', 'out'], dir, { SITE_URL: 'https://env.example.org/' })).code,
    ).toBe(0);
    expect(await channelLink()).toBe('https://env.example.org/');
    const flag = ['build', '--out', 'out', '--site-url', 'https://flag.example.org/'];
    expect((await runCli(flag, dir, { SITE_URL: 'https://env.example.org/' })).code).toBe(0);
    expect(await channelLink()).toBe('https://flag.example.org/');
    const bad = await runCli(['build', '--out', 'out'], dir, { SITE_URL: 'news.example.org' });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('SITE_URL "news.example.org" is not a URL');
  });
});

describe.skipIf(missing(hasMotoServer(), MOTO_MISSING))(
  'broadsheet publish, rebuild and status against moto_server',
  () => {
    const BUCKET = 'broadsheet-content-e2e';
    let moto: MotoServer;
    let s3: S3Client;
    let sqs: SQSClient;
    let queueUrl: string;
    let dir: string;
    let env: Record<string, string>;

    const keys = async () =>
      ((await s3.send(new ListObjectsV2Command({ Bucket: BUCKET }))).Contents ?? []).map((o) => o.Key).sort();

    beforeAll(async () => {
      moto = await startMotoServer();
      s3 = s3ClientFor(moto.endpoint);
      sqs = sqsClientFor(moto.endpoint);
      await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
      queueUrl = await enableS3ToSqs({ s3, sqs, bucket: BUCKET, prefix: 'content/' });
      env = { ...motoEnv(moto.endpoint) };
      dir = await project({
        '2025-01-08-paris.md': markdownArticle({ title: 'Paris' }),
        '2025-01-09-notes.txt': 'Notes\nA first paragraph.\n',
        '2025-01-10-bad.md': BAD_ARTICLE,
      });
    });

    afterAll(async () => {
      await moto?.stop();
    });

    it('refuses the whole upload when one file would be skipped, naming the reason', async () => {
      const result = await runCli(
        ['publish', '--bucket', BUCKET, 'content/2025-01-08-paris.md', 'content/2025-01-10-bad.md'],
        dir,
        env,
      );
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(
        'content/2025-01-10-bad.md:3: error: date "8 Jan" is not an ISO 8601 date',
      );
      expect(result.stderr).toContain('nothing uploaded');
      expect(await keys()).toEqual([]);
    });

    it('--dry-run shows new files and uploads nothing', async () => {
      const result = await runCli(
        ['publish', '--dry-run', '--bucket', BUCKET, 'content/2025-01-08-paris.md', 'content/site.yaml'],
        dir,
        env,
      );
      expect(result.code).toBe(0);
      expect(result.stdout).toContain(`new  s3://${BUCKET}/content/2025-01-08-paris.md`);
      expect(result.stdout).toContain('dry run: 2 new, 0 changed, 0 unchanged; nothing uploaded');
      expect(await keys()).toEqual([]);
    });

    it('uploads with a Content-Type, then tells new, changed and unchanged apart', async () => {
      const files = ['content/2025-01-08-paris.md', 'content/2025-01-09-notes.txt', 'content/site.yaml'];
      const first = await runCli(['publish', '--bucket', BUCKET, ...files], dir, env);
      expect(first.stderr).toBe('');
      expect(first.code).toBe(0);
      expect(first.stdout).toContain('uploaded 3 files');
      expect(await keys()).toEqual([
        'content/2025-01-08-paris.md',
        'content/2025-01-09-notes.txt',
        'content/site.yaml',
      ]);
      const md = await s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'content/2025-01-08-paris.md' }));
      expect(md.ContentType).toBe('text/markdown; charset=utf-8');
      const txt = await s3.send(
        new HeadObjectCommand({ Bucket: BUCKET, Key: 'content/2025-01-09-notes.txt' }),
      );
      expect(txt.ContentType).toBe('text/plain; charset=utf-8');

      await writeFile(join(dir, 'content/2025-01-08-paris.md'), markdownArticle({ title: 'Paris, revised' }));
      const dry = await runCli(['publish', '--dry-run', '--bucket', BUCKET, ...files], dir, env);
      expect(dry.stdout).toMatch(/^changed +s3:\/\/\S+\/content\/2025-01-08-paris\.md/m);
      expect(dry.stdout).toMatch(/^unchanged +s3:\/\/\S+\/content\/2025-01-09-notes\.txt/m);
      expect(dry.stdout).toContain('dry run: 0 new, 1 changed, 2 unchanged');
    });

    it('uploads an image under its path in the content folder, typed as an image', async () => {
      await mkdir(join(dir, 'content/pics'), { recursive: true });
      await writeFile(join(dir, 'content/pics/harbour.png'), new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1, 2]));
      const result = await runCli(['publish', '--bucket', BUCKET, 'content/pics/harbour.png'], dir, env);
      expect(result.code).toBe(0);
      const head = await s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'content/pics/harbour.png' }));
      expect(head.ContentType).toBe('image/png');
      expect(head.ContentLength).toBe(6);
    });

    it('publishes a folder as the files the publisher reads in it, keys kept, refusing it all for one bad file', async () => {
      const refused = await runCli(['publish', '--dry-run', '--bucket', BUCKET, 'content'], dir, env);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain('2025-01-10-bad.md:3: error');

      const folder = join(dir, 'travel');
      await mkdir(join(folder, 'pics'), { recursive: true });
      await writeFile(
        join(folder, '2025-02-01-trip.md'),
        markdownArticle({ title: 'Trip' }, '![x](pics/x.png)\n'),
      );
      await writeFile(join(folder, 'pics/x.png'), new Uint8Array([0x89, 0x50, 0x4e, 0x47]));
      await writeFile(join(folder, 'page.html'), 'not published');
      const dry = await runCli(['publish', '--dry-run', '--bucket', BUCKET, 'travel'], dir, env);
      expect(dry.code).toBe(0);
      expect(dry.stdout).toContain(`new  s3://${BUCKET}/content/2025-02-01-trip.md`);
      expect(dry.stdout).toContain(`new  s3://${BUCKET}/content/pics/x.png`);
      expect(dry.stdout).toContain('dry run: 2 new, 0 changed, 0 unchanged; nothing uploaded');
    });

    it('takes the bucket from cdk-outputs.json, and says how to name one when there is none', async () => {
      const elsewhere = await mkdtemp(join(tmpdir(), 'broadsheet-nobucket-'));
      await copyFile(join(dir, 'content/2025-01-08-paris.md'), join(elsewhere, '2025-01-08-paris.md'));
      const none = await runCli(['publish', '2025-01-08-paris.md'], elsewhere, env);
      expect(none.code).toBe(2);
      expect(none.stderr).toContain('no content bucket given: pass --bucket NAME, or deploy with');

      await writeFile(
        join(elsewhere, 'cdk-outputs.json'),
        JSON.stringify({ Broadsheet: { ContentBucketName: BUCKET } }),
      );
      const viaOutputs = await runCli(['publish', '2025-01-08-paris.md'], elsewhere, env);
      expect(viaOutputs.code).toBe(0);
      expect(viaOutputs.stdout).toContain(
        `uploaded 1 file to s3://${BUCKET}/content/ (0 new, 1 changed, 0 unchanged)`,
      );
    });

    it('rebuild copies site.yaml onto itself, which the bucket reports as an ObjectCreated event', async () => {
      await drainQueue(sqs, queueUrl);
      const before = await s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'content/site.yaml' }));
      const result = await runCli(['rebuild', '--bucket', BUCKET], dir, env);
      expect(result.code).toBe(0);
      expect(result.stdout).toContain(`touched s3://${BUCKET}/content/site.yaml`);
      const records = s3EventRecords(await drainQueue(sqs, queueUrl));
      expect(records).toEqual([
        expect.objectContaining({ eventName: 'ObjectCreated:Copy', key: 'content/site.yaml' }),
      ]);
      const after = await s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'content/site.yaml' }));
      expect(after.ETag).toBe(before.ETag);
      expect(after.ContentType).toBe('application/yaml; charset=utf-8');
      expect(after.Metadata?.['rebuild-requested']).toMatch(/^\d{4}-/);
    });

    it('status reads the last report from the site bucket: exit 0, or 1 when the run failed or never ran', async () => {
      const site = 'broadsheet-site-e2e';
      await s3.send(new CreateBucketCommand({ Bucket: site }));
      const none = await runCli(['status', '--bucket', site], dir, env);
      expect(none.code).toBe(1);
      expect(none.stderr).toContain(
        `s3://${site}/_report.json does not exist yet: the publisher has not run`,
      );

      const report = {
        ranAt: '2025-01-10T09:30:00.000Z',
        siteUrl: 'https://news.example.com/',
        mode: 'events',
        counts: {
          sources: 2,
          published: 1,
          skipped: 1,
          heldBack: 0,
          read: 1,
          rendered: 9,
          written: 9,
          unchanged: 0,
          deleted: 0,
          requests: 14,
        },
        written: [],
        deleted: [],
        skipped: [
          {
            file: '2025-01-10-bad.md',
            line: 3,
            message: 'm',
            text: '2025-01-10-bad.md:3: date "8 Jan" is not an ISO 8601 date',
          },
        ],
        warnings: [],
        heldBack: [],
        errors: [],
      };
      const put = (body: unknown) =>
        s3.send(new PutObjectCommand({ Bucket: site, Key: '_report.json', Body: JSON.stringify(body) }));
      await put(report);
      // The bucket from cdk-outputs.json, as deploy --outputs-file writes it.
      const elsewhere = await mkdtemp(join(tmpdir(), 'broadsheet-status-'));
      await writeFile(
        join(elsewhere, 'cdk-outputs.json'),
        JSON.stringify({ Broadsheet: { ContentBucketName: BUCKET, SiteBucketName: site } }),
      );
      const ok = await runCli(['status'], elsewhere, env);
      expect(ok.code).toBe(0);
      expect(ok.stdout).toContain(
        'last run 2025-01-10 09:30:00 UTC (an upload), site https://news.example.com/',
      );
      expect(ok.stdout).toContain('that run: read 1, rendered 9, wrote 9, deleted 0; 14 S3 requests');
      expect(ok.stdout).toContain(
        'skipped (fix the line named, then upload the file again):\n  2025-01-10-bad.md:3: date',
      );
      const json = await runCli(['status', '--json', '--bucket', site], dir, env);
      expect(JSON.parse(json.stdout)).toEqual(report);

      await put({ ...report, errors: ['rss.xml: not well-formed'] });
      const failed = await runCli(['status', '--bucket', site], dir, env);
      expect(failed.code).toBe(1);
      expect(failed.stdout).toContain(
        'errors (the run failed; the last good copies stay online):\n  rss.xml: not well-formed',
      );

      const noOutput = await runCli(['status'], dir, env);
      expect(noOutput.code).toBe(2);
      expect(noOutput.stderr).toContain('no site bucket given');
    });

    it('publish --wait uploads, waits for the run that read the files, and says what became of each', async () => {
      const site = 'broadsheet-site-wait';
      await s3.send(new CreateBucketCommand({ Bucket: site }));
      // The deployed side, in this process: the handler, fed from the bucket's queue.
      Object.assign(process.env, motoEnv(moto.endpoint), {
        CONTENT_BUCKET: BUCKET,
        SITE_BUCKET: site,
        SITE_URL: 'https://news.example.com/',
        CONTENT_PREFIX: 'content/',
        POWERTOOLS_LOG_LEVEL: 'ERROR',
        POWERTOOLS_METRICS_DISABLED: 'true',
      });
      const { handler } = await import('../../functions/handler.ts');
      await drainQueue(sqs, queueUrl);
      await writeFile(join(dir, 'content', '2025-01-11-harbour.md'), markdownArticle({ title: 'Harbour' }));
      await writeFile(
        join(dir, 'content', '2025-01-12-later.md'),
        markdownArticle({ title: 'Later', draft: 'true' }),
      );
      const files = ['content/2025-01-11-harbour.md', 'content/2025-01-12-later.md'];
      const args = [
        'publish',
        '--wait',
        '--bucket',
        BUCKET,
        '--site-bucket',
        site,
        '--timeout',
        '60',
        ...files,
      ];
      let finished = false;
      const cli = runCli(args, dir, env).finally(() => {
        finished = true;
      });
      while (!finished) {
        const messages = await drainQueue(sqs, queueUrl);
        if (messages.length > 0) await handler(sqsEvent(messages));
        else await new Promise((resolve) => setTimeout(resolve, 200));
      }
      const result = await cli;
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('last run ');
      expect(result.stdout).toContain(
        'published  content/2025-01-11-harbour.md  https://news.example.com/posts/harbour/',
      );
      expect(result.stdout).toContain('held back  content/2025-01-12-later.md (draft)');
      expect(
        (await s3.send(new GetObjectCommand({ Bucket: site, Key: 'posts/harbour/index.html' }))).ContentType,
      ).toBe('text/html; charset=utf-8');

      // No run comes (the queue is not consumed): it says so when the time is up, and where to look.
      await writeFile(
        join(dir, 'content', '2025-01-11-harbour.md'),
        markdownArticle({ title: 'Harbour, fixed' }),
      );
      const unanswered = await runCli([...args.slice(0, 6), '--timeout', '2', files[0] as string], dir, env);
      expect(unanswered.code).toBe(1);
      expect(unanswered.stderr).toContain(
        `no run has reported in s3://${site}/_report.json within 2 s of the upload`,
      );
    });

    it('rebuild falls back to an article when the bucket has no site.yaml', async () => {
      const other = 'broadsheet-no-site-yaml';
      await s3.send(new CreateBucketCommand({ Bucket: other }));
      const empty = await runCli(['rebuild', '--bucket', other], dir, env);
      expect(empty.code).toBe(1);
      expect(empty.stderr).toContain('nothing to rebuild');
      await s3.send(new PutObjectCommand({ Bucket: other, Key: 'content/2025-01-08-a.md', Body: 'x' }));
      const dry = await runCli(['rebuild', '--dry-run', '--bucket', other], dir, env);
      expect(dry.stdout).toContain(`would copy s3://${other}/content/2025-01-08-a.md onto itself`);
    });
  },
);

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  await once(server, 'close');
  if (address === null || typeof address === 'string') throw new Error('no free port');
  return address.port;
}

async function poll<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 5_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('broadsheet preview', () => {
  let child: ChildProcess;
  let dir: string;
  let base: string;
  let output = '';

  beforeAll(async () => {
    dir = await project({
      '2025-01-08-paris.md': markdownArticle({ title: 'Paris in winter' }),
      '2025-01-09-bad.md': BAD_ARTICLE,
    });
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    child = spawnCli(['preview'], dir, { PORT: String(port) });
    child.stdout?.on('data', (c: Buffer) => {
      output += c.toString();
    });
    child.stderr?.on('data', (c: Buffer) => {
      output += c.toString();
    });
    await poll('the preview server', async () => ((await fetch(`${base}/`)).ok ? true : undefined), 30_000);
  });

  afterAll(async () => {
    if (child && child.exitCode === null) {
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
    }
  });

  it('says in the terminal what was built and what was skipped and why', () => {
    expect(output).toContain('initial build: built 1 article into .preview');
    expect(output).toContain('skipped 2025-01-09-bad.md:3: date "8 Jan"');
    expect(output).toContain(`serving http://localhost:${new URL(base).port}/`);
  });

  it('serves the home page with the skipped-articles banner and the reload script, which the built files lack', async () => {
    const home = await fetch(`${base}/`);
    expect(home.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const html = await home.text();
    expect(html).toContain('Paris in winter');
    expect(html).toContain('1 article skipped');
    expect(html).toContain('2025-01-09-bad.md:3: date &quot;8 Jan&quot; is not an ISO 8601 date');
    expect(html).toContain('new EventSource("/__reload")');
    const onDisk = await readFile(join(dir, '.preview', 'index.html'), 'utf8');
    expect(onDisk).not.toContain('<script');
    expect(onDisk).not.toContain('skipped');
  });

  it('serves the feed and the article page as they are published', async () => {
    const rss = await fetch(`${base}/rss.xml`);
    expect(rss.headers.get('content-type')).toBe('application/rss+xml; charset=utf-8');
    const xml = await rss.text();
    expect(xml).toContain('<title><![CDATA[Paris in winter]]></title>');
    expect(xml).not.toContain('EventSource');
    const page = await fetch(`${base}/posts/paris/`);
    expect(page.status).toBe(200);
    const article = await page.text();
    expect(article).toContain('Paris in winter');
    expect(article).not.toContain('broadsheet-preview');
    expect((await fetch(`${base}/_report.json`)).status).toBe(404);
  });

  it('answers the live-reload endpoint with an event stream and signals a rebuild; a new article appears', async () => {
    const controller = new AbortController();
    const events = await fetch(`${base}/__reload`, { signal: controller.signal });
    expect(events.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    const reader = events.body?.getReader();
    if (!reader) throw new Error('no event stream body');
    let received = '';
    const reload = (async () => {
      while (!received.includes('event: reload')) {
        const { value, done } = await reader.read();
        if (done) break;
        received += new TextDecoder().decode(value);
      }
      return received;
    })();

    await writeFile(
      join(dir, 'content', '2025-01-10-berlin.md'),
      markdownArticle({ title: 'Berlin in spring' }),
    );
    const home = await poll('the new article on the home page', async () => {
      const html = await (await fetch(`${base}/`)).text();
      return html.includes('Berlin in spring') ? html : undefined;
    });
    expect(home).toContain('/posts/berlin/');
    expect(await reload).toContain('event: reload');
    controller.abort();
  });
});
