/**
 * One full build of a content folder into an empty folder, as `broadsheet build` does, with parsing and
 * sanitising on worker threads. Bundled and run in its own process by `bench/run.ts`, which reads the
 * JSON line it prints: build time and the process's peak memory (workers included).
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { LocalContentSource, LocalSiteStore } from '../functions/adapters/local-folder.ts';
import { createWorkerParser } from '../functions/adapters/worker-parser.ts';
import { silentLogger } from '../functions/core/ports.ts';
import { publishSite } from '../functions/core/publish-site.ts';

const [contentDir, outDir, workerPath, now] = process.argv.slice(2);
if (!contentDir || !outDir || !workerPath) throw new Error('usage: full-build CONTENT OUT WORKER.mjs [NOW]');
const started = performance.now();
const workers = createWorkerParser(pathToFileURL(resolve(workerPath)));
try {
  const report = await publishSite({
    source: new LocalContentSource(contentDir),
    store: new LocalSiteStore(outDir),
    logger: silentLogger,
    now: new Date(now ?? '2025-06-01T12:00:00Z'),
    siteUrl: 'https://bench.example.com/',
    parser: workers.parse,
    renderer: workers.render,
    concurrency: 64,
  });
  const ms = performance.now() - started;
  process.stdout.write(
    `${JSON.stringify({ ms, maxRssMb: process.resourceUsage().maxRSS / 1024, published: report.counts.published, written: report.counts.written, workersAlive: workers.alive() })}\n`,
  );
} finally {
  await workers.close();
}
