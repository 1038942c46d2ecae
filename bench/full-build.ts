/**
 * One full build of a content folder into an empty folder, as `broadsheet build` does (`buildLocal`: on
 * the build thread, parsing and sanitising on worker threads), from the bundled modules. Run in its own
 * process by `bench/run.ts`, which reads the JSON line it prints: build time and the process's peak memory
 * (every thread included).
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildLocal } from '../bin/cli-build.ts';

const [contentDir, outDir, workerPath, threadPath, now] = process.argv.slice(2);
if (!contentDir || !outDir || !workerPath || !threadPath) {
  throw new Error('usage: full-build CONTENT OUT PARSE-WORKER.mjs BUILD-THREAD.mjs [NOW]');
}
const started = performance.now();
const report = await buildLocal({
  contentDir,
  outDir,
  siteUrl: 'https://bench.example.com/',
  now: new Date(now ?? '2025-06-01T12:00:00Z'),
  parseWorkerUrl: pathToFileURL(resolve(workerPath)),
  thread: pathToFileURL(resolve(threadPath)),
});
const ms = performance.now() - started;
process.stdout.write(
  `${JSON.stringify({ ms, maxRssMb: process.resourceUsage().maxRSS / 1024, published: report.counts.published, written: report.counts.written, errors: report.errors.length })}\n`,
);
