/**
 * `npm run bench`: full builds of 1,000 and 10,000 generated articles against Hugo on the same corpus,
 * one added article at 10,000 through the Lambda handler against moto_server, the bundled handler's size
 * and its import time. Prints medians, PASS/FAIL per target, and writes the figures to docs/bench.md.
 * Not a test: figures depend on the machine (and on whatever else runs on it).
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  statfsSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, DeleteObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { type BuildOptions, build } from 'esbuild';
import { mapLimit } from '../functions/core/map-limit.ts';
import type { BuildReport } from '../functions/core/publish-site.ts';
import { DEFAULT_PUBLISHER_MEMORY_MB } from '../lib/publisher.ts';
import { bundlePublisher, REQUIRE_BANNER, UNUSED_IN_BUNDLE } from '../lib/publisher-bundle.ts';
import { getObject, s3Event } from '../tests/fixtures/s3-upload.ts';
import {
  cloudFrontClientFor,
  createDistribution,
  motoEnv,
  s3ClientFor,
  startMotoServer,
} from '../tests/helpers/moto-server.ts';
import { CORPUS_NEWEST, corpusArticle, SITE_YAML, writeCorpus } from './corpus.ts';

const repo = new URL('..', import.meta.url).pathname;
const work = mkdtempSync(join(tmpdir(), 'broadsheet-bench-'));
const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
};
const fmt = (ms: number) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`);
const lines: string[] = [];
const say = (line: string) => {
  console.log(line);
  lines.push(line);
};
const verdicts: string[] = [];
const target = (name: string, ok: boolean, detail: string) => {
  const line = `${ok ? 'PASS' : 'FAIL'}  ${name}: ${detail}`;
  verdicts.push(line);
  say(line);
};

function ensureHugo(): string {
  const found = spawnSync('sh', ['-c', 'command -v hugo'], { encoding: 'utf8' }).stdout.trim();
  if (found) return found;
  console.log('hugo not found: installing Debian hugo with apt-get');
  execFileSync(
    'sh',
    ['-c', 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq hugo'],
    {
      stdio: 'inherit',
    },
  );
  return spawnSync('sh', ['-c', 'command -v hugo'], { encoding: 'utf8' }).stdout.trim();
}

/** Wall time and peak RSS of a child process, from GNU time when there is one. */
function timed(
  command: string,
  args: string[],
  cwd?: string,
): { ms: number; maxRssMb: number; cpuMs: number; stdout: string; stderr: string } {
  const started = performance.now();
  const result = spawnSync('/usr/bin/time', ['-f', 'MAXRSS=%M CPU=%U+%S', command, ...args], {
    cwd,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const ms = performance.now() - started;
  if (result.status !== 0) throw new Error(`${command} failed: ${result.stderr.slice(-2000)}`);
  const rss = Number(/MAXRSS=(\d+)/.exec(result.stderr)?.[1] ?? 0) / 1024;
  const cpu = /CPU=([\d.]+)\+([\d.]+)/.exec(result.stderr);
  const cpuMs = cpu ? (Number(cpu[1]) + Number(cpu[2])) * 1000 : 0;
  const stderr = result.stderr.replace(/^MAXRSS=\d+ CPU=\S+\n?/m, '');
  return { ms, maxRssMb: rss, cpuMs, stdout: result.stdout, stderr };
}

/** Files and bytes under a folder: what a build wrote. */
function sizeOf(dir: string): { files: number; mb: number } {
  let files = 0;
  let bytes = 0;
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    files++;
    bytes += statSync(join(entry.parentPath, entry.name)).size;
  }
  return { files, mb: bytes / 1024 / 1024 };
}

async function bundle(): Promise<{
  dir: string;
  handler: string;
  fullBuild: string;
  worker: string;
  thread: string;
  reference: string;
}> {
  const dir = join(work, 'bundle');
  mkdirSync(dir, { recursive: true });
  // `@aws-sdk/*` stays external, as in the stack: resolve it from this repository, as Lambda's runtime would.
  symlinkSync(join(repo, 'node_modules'), join(dir, 'node_modules'));
  // The handler exactly as the stack deploys it: index.mjs plus chunks/ (the pipeline, loaded on the first run).
  bundlePublisher(dir);
  const common = {
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    minify: true,
    mainFields: ['module', 'main'],
    banner: { js: REQUIRE_BANNER },
    logLevel: 'warning',
  } satisfies BuildOptions;
  await build({
    ...common,
    entryPoints: {
      'full-build': join(repo, 'bench/full-build.ts'),
      'parse-worker': join(repo, 'functions/adapters/parse-worker.ts'),
      'build-thread': join(repo, 'bin/build-thread-entry.ts'),
    },
    alias: UNUSED_IN_BUNDLE,
    // As the Lambda's: the main thread, which only waits for the build thread, never loads the pipeline.
    splitting: true,
    // Apart from the handler's chunks/, which the bench measures.
    chunkNames: 'build-chunks/[name]-[hash]',
    outdir: dir,
    outExtension: { '.js': '.mjs' },
  });
  // The yardstick in one file of its own, so that it leaves our bundles' chunks as they were.
  await build({
    ...common,
    entryPoints: [join(repo, 'bench/reference-build.ts')],
    outfile: join(dir, 'reference-build.mjs'),
  });
  return {
    dir,
    handler: join(dir, 'index.mjs'),
    fullBuild: join(dir, 'full-build.mjs'),
    worker: join(dir, 'parse-worker.mjs'),
    thread: join(dir, 'build-thread.mjs'),
    reference: join(dir, 'reference-build.mjs'),
  };
}

async function fullBuilds(files: Awaited<ReturnType<typeof bundle>>, hugo: string) {
  const results: Record<number, { ours: number; hugo: number; rss: number }> = {};
  for (const [count, runs] of [
    [1000, 5],
    [10_000, 3],
  ] as const) {
    const ours = join(work, `content-${count}`);
    const hugoSite = join(work, `hugo-${count}`);
    await writeCorpus(count, ours, hugoSite);
    const oursMs: number[] = [];
    const hugoMs: number[] = [];
    const rss: number[] = [];
    const oursCpu: number[] = [];
    const hugoCpu: number[] = [];
    const reference: { ms: number; rss: number; cpuMs: number }[] = [];
    // Each build writes to a folder of its own, and none is deleted before the bench ends: ext4 does not
    // reuse an inode freed in the last 60–300 s, so a build right after deleting the last one's 10,000
    // folders spent up to 7 s of system time walking past them (1.5 → 6.6 s over five builds here; 1.2–1.4 s
    // into fresh folders with nothing deleted).
    const out = (run: number) => join(work, `out-${count}-${run}`);
    const hugoOut = (run: number) => join(work, `hugo-out-${count}-${run}`);
    for (let run = 0; run < runs; run++) {
      const result = timed(process.execPath, [files.fullBuild, ours, out(run), files.worker, files.thread]);
      oursMs.push(result.ms);
      oursCpu.push(result.cpuMs);
      rss.push(result.maxRssMb);
      // A worker or the build thread out of heap leaves its work to the main thread: slower, worth saying.
      for (const line of result.stderr.trim().split('\n').filter(Boolean))
        say(`note (run ${run + 1}): ${line}`);
      const hugoRun = timed(hugo, ['--quiet', '-s', hugoSite, '-d', hugoOut(run)]);
      hugoMs.push(hugoRun.ms);
      hugoCpu.push(hugoRun.cpuMs);
      const referenceRun = timed(process.execPath, [
        files.reference,
        ours,
        join(work, `reference-out-${count}-${run}`),
      ]);
      reference.push({ ms: referenceRun.ms, rss: referenceRun.maxRssMb, cpuMs: referenceRun.cpuMs });
    }
    results[count] = { ours: median(oursMs), hugo: median(hugoMs), rss: median(rss) };
    say(
      `full build ${count}: ours ${fmt(median(oursMs))} (peak ${median(rss).toFixed(0)} MB), Hugo ${fmt(median(hugoMs))}, ` +
        `ratio ${(median(oursMs) / median(hugoMs)).toFixed(2)} (median of ${runs})`,
    );
    // Why the ratio is what it is: CPU (user + system, every thread) and what each build writes.
    const written = (dir: string) => {
      const { files, mb } = sizeOf(dir);
      return `${files} files, ${mb.toFixed(0)} MB`;
    };
    say(
      `  CPU ${count}: ours ${fmt(median(oursCpu))}, Hugo ${fmt(median(hugoCpu))}; ` +
        `written: ours ${written(out(runs - 1))}, Hugo ${written(hugoOut(runs - 1))}`,
    );
    // The yardstick the target was set against (0.54× Hugo and 360 MB on that machine): how this machine compares.
    const referenceMs = median(reference.map((r) => r.ms));
    say(
      `  reference ${count} (the issue's plain script: feed, gray-matter, marked, one thread; pages and the newest ` +
        `50 items per feed, no archives, digests or checks): ${fmt(referenceMs)} ` +
        `(CPU ${fmt(median(reference.map((r) => r.cpuMs)))}, peak ${median(reference.map((r) => r.rss)).toFixed(0)} MB), ` +
        `${(referenceMs / median(hugoMs)).toFixed(2)}× Hugo; ` +
        `ours ${(median(oursMs) / referenceMs).toFixed(2)}× the reference`,
    );
    if (count === 10_000) rebuild(files, ours, out(runs - 1), median(hugoMs));
  }
  return results;
}

/**
 * `broadsheet build` again into the last build's folder after one article is edited: every source is read
 * and compared with the state there, and only what shows the edited article is rendered and written.
 * Printed beside the full build, never instead of it: Hugo rebuilds everything each time.
 */
function rebuild(files: Awaited<ReturnType<typeof bundle>>, content: string, out: string, hugoMs: number) {
  const article = corpusArticle(5000);
  const path = join(content, article.name);
  const ms: number[] = [];
  const rss: number[] = [];
  try {
    for (let run = 0; run < 3; run++) {
      writeFileSync(path, `${article.text}\nEdited, take ${run + 1}.\n`);
      const result = timed(process.execPath, [files.fullBuild, content, out, files.worker, files.thread]);
      const report = JSON.parse(result.stdout.trim().split('\n').pop() ?? '{}') as { written?: number };
      if (!report.written) throw new Error(`the rebuild wrote nothing: ${result.stdout.slice(-500)}`);
      ms.push(result.ms);
      rss.push(result.maxRssMb);
    }
  } finally {
    writeFileSync(path, article.text);
  }
  say(
    `rebuild of 10000 into the last build's output, one article edited: ${fmt(median(ms))} ` +
      `(peak ${median(rss).toFixed(0)} MB), ${(median(ms) / hugoMs).toFixed(2)}× Hugo's full build (median of 3; not the target's figure)`,
  );
}

/**
 * The heap Lambda's Node.js bootstrap gives the default function: the old generation 90% of its memory
 * and each semi-space of the young one 5%.
 */
const LAMBDA_HEAP_MB = Math.round(DEFAULT_PUBLISHER_MEMORY_MB * 0.9);
const LAMBDA_SEMI_SPACE_MB = Math.round(DEFAULT_PUBLISHER_MEMORY_MB / 20);

/**
 * One scheduled run of the bundled handler (as deployed) in its own process, with the environment this
 * process set: its time, CPU and peak RSS (GNU time). Asynchronous, so that moto_server's pipes keep flowing.
 */
async function firstRun(bundledHandler: string): Promise<{ ms: number; cpuMs: number; maxRssMb: number }> {
  const script = `const { handler } = await import(${JSON.stringify(bundledHandler)});
await handler({ source: 'aws.events', 'detail-type': 'Scheduled Event', detail: {} });`;
  const started = performance.now();
  const child = spawn('/usr/bin/time', [
    '-f',
    'MAXRSS=%M CPU=%U+%S',
    process.execPath,
    `--max-old-space-size=${LAMBDA_HEAP_MB}`,
    `--max-semi-space-size=${LAMBDA_SEMI_SPACE_MB}`,
    '--input-type=module',
    '-e',
    script,
  ]);
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  child.stdout.resume();
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  const ms = performance.now() - started;
  const usage = /MAXRSS=(\d+) CPU=([\d.]+)\+([\d.]+)/.exec(stderr);
  if (code !== 0 || !usage) throw new Error(`first run failed: ${stderr.slice(-2000)}`);
  return {
    ms,
    cpuMs: (Number(usage[2]) + Number(usage[3])) * 1000,
    maxRssMb: Number(usage[1]) / 1024,
  };
}

async function incremental(count: number, runs: number, bundledHandler: string) {
  const moto = await startMotoServer();
  try {
    const contentBucket = 'bench-content';
    const siteBucket = 'bench-site';
    const s3 = s3ClientFor(moto.endpoint);
    await s3.send(new CreateBucketCommand({ Bucket: contentBucket }));
    await s3.send(new CreateBucketCommand({ Bucket: siteBucket }));
    await s3.send(new PutObjectCommand({ Bucket: contentBucket, Key: 'content/site.yaml', Body: SITE_YAML }));
    // As deployed: the site has a distribution, and a run that replaces pages invalidates them in it.
    const distributionId = await createDistribution(cloudFrontClientFor(moto.endpoint), siteBucket);
    await mapLimit(
      Array.from({ length: count }, (_, i) => i),
      32,
      async (i) => {
        const article = corpusArticle(i);
        await s3.send(
          new PutObjectCommand({ Bucket: contentBucket, Key: `content/${article.name}`, Body: article.text }),
        );
      },
    );
    Object.assign(process.env, motoEnv(moto.endpoint), {
      CONTENT_BUCKET: contentBucket,
      SITE_BUCKET: siteBucket,
      SITE_URL: 'https://bench.example.com/',
      DISTRIBUTION_ID: distributionId,
      POWERTOOLS_LOG_LEVEL: 'ERROR',
      POWERTOOLS_METRICS_DISABLED: 'true',
    });
    const first = await firstRun(bundledHandler);
    say(
      `first run at ${count} (scheduled; the bundled handler in its own process, heap capped at ${LAMBDA_HEAP_MB} MB (semi-spaces ${LAMBDA_SEMI_SPACE_MB} MB) ` +
        `as in the default ${DEFAULT_PUBLISHER_MEMORY_MB} MB function, no workers, against moto): ${fmt(first.ms)}, CPU ${fmt(first.cpuMs)}, peak ${first.maxRssMb.toFixed(0)} MB`,
    );
    const { handler } = await import('../functions/handler.ts');
    // This container's first run: the schedule's reconcile of the site just built (nothing to write).
    await handler({ source: 'aws.events', 'detail-type': 'Scheduled Event' });
    // The handler's time for one event, and the report it wrote.
    const change = async (event: ReturnType<typeof s3Event>, use = handler) => {
      const started = performance.now();
      await use(event);
      const ms = performance.now() - started;
      const report = JSON.parse((await getObject(s3, siteBucket, '_report.json')).text) as BuildReport;
      // The report counts requests before its own PUT.
      return { ms, requests: (report.counts.requests ?? 0) + 1, report };
    };
    // An author uploads today's article: dated a few minutes before the handler's clock, so it lands in
    // the current (unfinished) digest period, as a new article does.
    const upload = async (run: number, date: Date, use = handler) => {
      const iso = date.toISOString();
      const key = `content/${iso.slice(0, 10)}-added-${run}.md`;
      const text = `---\ntitle: Added ${run}\ndate: ${iso}\ntags: [europe]\n---\n\n${corpusArticle(run).text.split('---\n')[2]}`;
      await s3.send(new PutObjectCommand({ Bucket: contentBucket, Key: key, Body: text }));
      return { ...(await change(s3Event(contentBucket, [key]), use)), key };
    };
    const times: number[] = [];
    const requests: number[] = [];
    let last: BuildReport | undefined;
    for (let run = 0; run < runs; run++) {
      const done = await upload(run, new Date(Date.now() - (runs - run) * 60_000));
      times.push(done.ms);
      requests.push(done.requests);
      last = done.report;
    }
    // The same upload in a fresh container: the state's base is read and parsed again.
    const coldTimes: number[] = [];
    let newest = '';
    for (let run = 0; run < 3; run++) {
      const fresh = (await import(
        `../functions/handler.ts?cold=${run}`
      )) as typeof import('../functions/handler.ts');
      const done = await upload(100 + run, new Date(Date.now() - 30_000), fresh.handler);
      coldTimes.push(done.ms);
      newest = done.key;
    }
    // The author fixes the article just published (the newest), then takes it down: the same warm handler.
    const edits: Awaited<ReturnType<typeof change>>[] = [];
    for (let run = 0; run < 3; run++) {
      const text = (await getObject(s3, contentBucket, newest)).text.replace(
        /^title: .*$/m,
        `title: Fixed ${run}`,
      );
      await s3.send(new PutObjectCommand({ Bucket: contentBucket, Key: newest, Body: text }));
      edits.push(await change(s3Event(contentBucket, [newest])));
    }
    const edit = edits.sort((a, b) => a.ms - b.ms)[1] as (typeof edits)[number];
    say(
      `one edited article at ${count} (the newest, title changed): handler ${fmt(edit.ms)}, ` +
        `${edit.requests} S3 requests, ${edit.report.counts.written} written, ` +
        `${edit.report.cdn?.paths.length ?? 0} CloudFront paths invalidated (median of 3)`,
    );
    await s3.send(new DeleteObjectCommand({ Bucket: contentBucket, Key: newest }));
    const deleted = await change(s3Event(contentBucket, [newest], 'ObjectRemoved:Delete'));
    say(
      `one deleted article at ${count} (the newest): handler ${fmt(deleted.ms)}, ` +
        `${deleted.requests} S3 requests, ${deleted.report.counts.written} written, ${deleted.report.counts.deleted} deleted`,
    );
    // A back-dated article lands in a finished, unsent digest week: that week's digest files change too.
    const backdated = await upload(200, new Date(CORPUS_NEWEST - 3600_000));
    say(
      `one back-dated article at ${count} (into a finished digest week): handler ${fmt(backdated.ms)}, ` +
        `${backdated.requests} S3 requests, ${backdated.report.counts.written} written`,
    );
    say(
      `one added article at ${count}, cold container (state base read again): handler ${fmt(median(coldTimes))} (median of 3)`,
    );
    return { ms: median(times), requests: median(requests), runs, last, times };
  } finally {
    await moto.stop();
  }
}

/** Imports of each, alternating: 15 pairs (~8 s). */
const IMPORT_RUNS = 15;

function importTimes(files: Awaited<ReturnType<typeof bundle>>, runs: number) {
  const env = {
    ...process.env,
    AWS_REGION: 'us-east-1',
    CONTENT_BUCKET: 'bench-content',
    SITE_BUCKET: 'bench-site',
    SITE_URL: 'https://bench.example.com/',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
  const measure = (specifier: string) => {
    const code = `const t = performance.now(); await import(${JSON.stringify(specifier)}); process.stdout.write(String(performance.now() - t));`;
    const result = spawnSync(process.execPath, ['--input-type=module', '-e', code], {
      cwd: files.dir,
      env,
      encoding: 'utf8',
    });
    if (result.status !== 0) throw new Error(result.stderr);
    return Number(result.stdout);
  };
  const sdk: number[] = [];
  const ours: number[] = [];
  for (let run = 0; run < runs; run++) {
    sdk.push(measure('@aws-sdk/client-s3'));
    ours.push(measure('./index.mjs'));
  }
  // Single imports on this VM vary by ±50 ms with the load; each pair runs back to back, so the median of
  // the pairs' differences follows the load less than the difference of the two medians does.
  const extra = median(ours.map((ms, run) => ms - (sdk[run] as number)));
  return { sdk: median(sdk), ours: median(ours), extra };
}

/** `npm run bench -- --only=full|incremental`: one part, for working on it; docs/bench.md is left alone. */
const only = process.argv.find((a) => a.startsWith('--only='))?.slice('--only='.length);
const wanted = (part: 'full' | 'incremental') => only === undefined || only === part;

async function main() {
  say(
    `broadsheet bench — ${new Date().toISOString()} — ${cpus().length} cores, load ${loadavg()[0]?.toFixed(1)} at start`,
  );
  // Every full build keeps its folder until the end (see `fullBuilds`): ~3 GB at 1,000 and 10,000 articles.
  const { bavail, bsize } = statfsSync(work);
  const freeGb = (bavail * bsize) / 1024 ** 3;
  if (wanted('full') && freeGb < 4)
    throw new Error(`the bench needs ~4 GB free in ${work}; ${freeGb.toFixed(1)} GB is`);
  const hugo = ensureHugo();
  say(`hugo: ${execFileSync(hugo, ['version'], { encoding: 'utf8' }).trim()}`);
  const files = await bundle();
  const size = statSync(files.handler).size;
  const chunks = readdirSync(join(files.dir, 'chunks')).filter((f) => f.endsWith('.mjs'));
  const chunkKiB = chunks.map((f) => statSync(join(files.dir, 'chunks', f)).size / 1024);
  say(
    `bundled handler: index.mjs ${(size / 1024).toFixed(0)} KiB + ${chunks.length} chunks ` +
      `${chunkKiB.reduce((a, b) => a + b, 0).toFixed(0)} KiB (largest ${Math.max(...chunkKiB).toFixed(0)} KiB) ` +
      '(lib/publisher-bundle.ts, as deployed: ESM, node20, minified, split, @aws-sdk/* external)',
  );
  const imports = importTimes(files, IMPORT_RUNS);
  say(
    `import: bundled handler ${fmt(imports.ours)}, @aws-sdk/client-s3 alone ${fmt(imports.sdk)}, ` +
      `difference ${fmt(imports.extra)} (medians of ${IMPORT_RUNS} alternating runs; the difference is the median of each pair's)`,
  );
  const builds = wanted('full') ? await fullBuilds(files, hugo) : {};
  const inc = wanted('incremental') ? await incremental(10_000, 5, files.handler) : undefined;
  if (inc) {
    say(
      `one added article at 10,000: handler ${fmt(inc.ms)} [${inc.times.map((t) => t.toFixed(0)).join(', ')} ms], ` +
        `${inc.requests} S3 requests, ${inc.last?.counts.rendered} outputs rendered, ${inc.last?.counts.written} written, ` +
        `${inc.last?.cdn?.paths.length ?? 0} CloudFront paths invalidated (median of ${inc.runs})`,
    );
  }
  say(`load at end: ${loadavg()[0]?.toFixed(1)}`);

  const big = builds[10_000];
  if (big) {
    target(
      'full build of 10,000 ≤ 0.35× Hugo',
      big.ours <= 0.35 * big.hugo,
      `${(big.ours / big.hugo).toFixed(2)}×`,
    );
    target('full build of 10,000 < 400 MB peak', big.rss < 400, `${big.rss.toFixed(0)} MB`);
  }
  if (inc) {
    target('one added article at 10,000 < 300 ms', inc.ms < 300, fmt(inc.ms));
    target('one added article at 10,000 ≤ 20 S3 requests', inc.requests <= 20, String(inc.requests));
  }
  target(
    'bundled handler import ≤ 50 ms more than @aws-sdk/client-s3',
    imports.extra <= 50,
    `+${fmt(imports.extra)}`,
  );

  const doc = `# Benchmark

\`npm run bench\` (\`bench/run.ts\`): a deterministic corpus (\`bench/corpus.ts\`: ~800 words per article, front
matter, relative and absolute links, a list, code, accents, 1–2 of 12 tags, one article every 4 hours), built
by us (\`bench/full-build.ts\`: \`broadsheet build\`'s \`buildLocal\`, bundled, in its own process: the build on
a thread with a bounded heap, parse and sanitise on one worker thread fewer than the cores, article pages,
feeds and digests rendered and strictly checked there too, the build thread taking parses, feeds and digests
itself while the workers have work queued, written by the build thread to a fresh folder; GNU time for peak
RSS), by Debian's Hugo (same Markdown, minimal layouts, home/section/tag pages and RSS) and by the issue's
yardstick, a plain one-thread script using \`feed\`, \`gray-matter\` and \`marked\` (\`bench/reference-build.ts\`:
pages and the newest 50 items per feed, no archives, digests or checks), in the same run. Every build writes
to a folder of its own, all deleted when the bench ends: right after deleting a 10,000-folder output, ext4
(which skips inodes freed in the last minutes) made the next build spend up to 7 s more in the kernel.
The rebuild figure is the same build into the last build's folder after one article was edited (every
source read and compared with the state there, only what shows that article rendered): what a repeated
\`broadsheet build\` costs, printed beside the full build, not instead of it. The incremental figures are the Lambda handler in-process against moto_server (S3, and a CloudFront distribution whose invalidations each run makes), after a
first scheduled run built the 10,000-article site (the bundled handler as deployed, in its own process with a
heap capped as in the default 2 GB function: its time, CPU and peak RSS are printed) and the in-process handler's own
first run reconciled it: an article dated minutes before the clock (as an upload
is) through the same warm handler, five times; the same through a fresh handler module (a cold container,
which reads and parses the state's base again); the article just uploaded edited (its title, three times)
and then deleted, through the warm handler; and one back-dated article that lands in a finished, unsent
digest week (its digest files change too). Under each full build, a CPU line gives the user and system time
of every thread of each build (GNU time) and what each wrote to its folder.

Last run:

\`\`\`
${lines.join('\n')}
\`\`\`
`;
  if (only === undefined) writeFileSync(join(repo, 'docs/bench.md'), doc);
}

try {
  await main();
} finally {
  rmSync(work, { recursive: true, force: true });
}
