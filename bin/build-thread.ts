import { Worker } from 'node:worker_threads';
import type { BuildReport } from '../functions/core/publish-site.ts';

/**
 * A large local build runs on a worker thread with a bounded heap, because V8 grows a heap by a factor
 * it picks from the heap's limit: under the main thread's default limit (GBs) a 10,000-article build's
 * heap swells to twice what it holds live between major collections (peak RSS 490–550 MB measured);
 * under a 384 MB limit (and an 8 MB young generation) it stays close to it: 386–396 MB,
 * the same CPU time (55–59 s of user time either way on this noisy 2-core machine).
 * Anything the thread cannot finish (out of heap on a huge site, an error) this thread runs again, as
 * before: a build is idempotent, so the second run gives the same bytes or the same error.
 */

/** What the build thread is asked to do: plain data (it is copied to the thread). */
export interface ThreadBuildRequest {
  readonly contentDir: string;
  readonly outDir: string;
  readonly siteUrl?: string;
  /** ISO 8601: the build's clock reading. */
  readonly now: string;
  readonly verbose?: boolean;
  /** Progress lines, drawn by the thread and written to this thread's stderr. */
  readonly progress: boolean;
  /** The parse worker module (the bench passes its bundled `.mjs`). @default parse-worker.ts */
  readonly parseWorkerUrl?: string;
}

/** The thread's answers. */
export type BuildThreadMessage =
  | { readonly progress: string }
  | { readonly report: BuildReport }
  | { readonly failed: string };

/**
 * Live heap of a full build is ~9 KB per article (~90 MB at 10,000): a limit of 30 KB per article, 384 MB
 * at least, leaves three times that and keeps V8's growth factor low.
 */
export const buildThreadHeapMb = (articles: number) => Math.max(384, Math.ceil(articles * 0.03));

/**
 * Runs `bin/build-thread-entry.ts` (or its bundled `.mjs`, `entry`) with `request`; resolves with the
 * report, or `undefined` when the thread did not finish (the caller builds on this thread instead).
 */
export function buildOnThread(
  request: ThreadBuildRequest,
  heapMb: number,
  entry: URL = new URL('./build-thread-entry.ts', import.meta.url),
  onFailure: (reason: string) => void = () => {},
): Promise<BuildReport | undefined> {
  const stderr = process.stderr;
  const workerData = {
    entry: entry.href,
    request,
    terminal: { isTTY: stderr.isTTY === true, columns: stderr.columns },
  };
  // An 8 MB young generation (the parse workers have 16: `WORKER_LIMITS` in worker-parser.ts). Ten
  // alternating pairs at 10,000 articles: the same time (medians 13.6 and 13.7 s), a peak 18 MB lower
  // (medians 366 and 384 MiB; highest 382 and 396).
  const resourceLimits = { maxOldGenerationSizeMb: heapMb, maxYoungGenerationSizeMb: 8 };
  // From source (tsx, the CLI), through the same small loader as the parse workers.
  const worker = entry.pathname.endsWith('.ts')
    ? new Worker(new URL('../functions/adapters/ts-worker.mjs', import.meta.url), {
        workerData,
        resourceLimits,
      })
    : new Worker(entry, { workerData, resourceLimits });
  return new Promise((resolve) => {
    let report: BuildReport | undefined;
    let failure = '';
    worker.on('message', (message: BuildThreadMessage) => {
      if ('progress' in message) stderr.write(message.progress);
      else if ('report' in message) report = message.report;
      else failure = message.failed;
    });
    worker.on('error', (error: Error & { code?: string }) => {
      failure = error.code === 'ERR_WORKER_OUT_OF_MEMORY' ? `out of heap (${heapMb} MB)` : error.message;
    });
    worker.on('exit', (code) => {
      if (!report) onFailure(failure || `exit code ${code}`);
      resolve(report);
    });
  });
}
