import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Logger } from '@aws-lambda-powertools/logger';
import { cloudFrontInvalidator } from './adapters/cloudfront.ts';
import { emitMetrics, METRIC_NAMESPACE } from './adapters/emf-metrics.ts';
import { readPublisherEnv } from './adapters/env.ts';
import { fromPowertools } from './adapters/logger.ts';
import { runMetrics } from './adapters/run-metrics.ts';
import { countRequests, createS3Client, S3ContentSource, S3SiteStore } from './adapters/s3.ts';
import { changedContentKeys, isContinuation, readEventBatch } from './adapters/s3-events.ts';
import { httpHubNotifier } from './adapters/websub-hub.ts';
import type { BuildReport, StateCache } from './core/publish-site.ts';
import { encodeRunFailure, FAILURE_KEY } from './core/run-failure.ts';

const SERVICE = process.env.POWERTOOLS_SERVICE_NAME ?? 'broadsheet';
const powertools = new Logger({ serviceName: SERVICE });
const logger = fromPowertools(powertools);
const env = readPublisherEnv(process.env);
const client = createS3Client();
const requests = countRequests(client);
const source = new S3ContentSource(client, env.CONTENT_BUCKET, env.CONTENT_PREFIX);
const store = new S3SiteStore(client, env.SITE_BUCKET);
// Used only when site.yaml names a WebSub hub (`feeds.hub`).
const hubNotifier = httpHubNotifier();
// Set by the stack: pages a run replaces or deletes leave CloudFront's cache at once.
const cdn = env.DISTRIBUTION_ID ? cloudFrontInvalidator(env.DISTRIBUTION_ID) : undefined;
// Once bundled, this entry names the pipeline's chunks by content hash: its own hash changes whenever a
// renderer may render differently, which makes the next run re-render everything.
const rendererVersion = createHash('sha256')
  .update(readFileSync(fileURLToPath(import.meta.url)))
  .digest('hex')
  .slice(0, 16);

// The pipeline (Markdown, sanitiser, feeds, digests) loads on the first run, not at cold start.
const loadCore = () => import('./core/publish-site.ts');
// What the last run of this warm container committed: the next run skips re-reading the state's base.
let stateCache: StateCache | undefined;

/** The part of the Lambda context the handler reads. */
export interface LambdaTimeLeft {
  getRemainingTimeInMillis(): number;
}

/**
 * How long before the timeout a run stops rendering: long enough for the outputs in flight, the HTML
 * shards and the commit (seconds at 10,000 articles), short of a quarter of a 1-minute timeout.
 */
const stopMarginMs = (remainingAtStart: number) => Math.min(30_000, remainingAtStart / 4);

export interface SqsBatchResponse {
  batchItemFailures: { itemIdentifier: string }[];
}

/**
 * S3 notifications (direct or through SQS) name what changed: the run re-reads those keys on top of the
 * manifest. The continuation rule's event (`CONTINUE_EVENT`) carries on a run that stopped for time, if
 * any (see `tick`). Any other event (the hourly schedule) lists and reconciles everything, which heals
 * missed events and publishes scheduled articles. Events for other buckets or outside CONTENT_PREFIX do
 * nothing.
 */
export async function handler(
  event: unknown,
  context?: LambdaTimeLeft,
): Promise<SqsBatchResponse | { published: number } | undefined> {
  const started = performance.now();
  const continuation = isContinuation(event);
  if (continuation && !(await tick(context))) return undefined;
  const batch = readEventBatch(event);
  const failures = batch.badMessageIds.map((itemIdentifier) => ({ itemIdentifier }));
  if (failures.length > 0) logger.error('unreadable messages', { messageIds: batch.badMessageIds });
  // A continuation names no key: the manifest's records and its unfinished outputs are the work.
  const changedKeys = continuation
    ? []
    : batch.fromS3
      ? changedContentKeys(batch, env.CONTENT_BUCKET, env.CONTENT_PREFIX)
      : undefined;
  if (changedKeys?.length === 0 && !continuation) {
    // Only test events, unreadable messages, or objects the publisher does not read (its own site bucket).
    if (batch.keys.length > 0) logger.info('events ignored', { keys: batch.keys.slice(0, 20) });
    return batch.fromSqs ? { batchItemFailures: failures } : undefined;
  }
  logger.info('run started', {
    changed: changedKeys?.slice(0, 20),
    events: continuation ? 'continuation' : (changedKeys?.length ?? 'scheduled'),
  });
  const requestsBefore = requests.count();
  let report: BuildReport | undefined;
  try {
    const { publishSite, createStateCache } = await loadCore();
    stateCache ??= createStateCache();
    // One reading of the clock: the publisher and the digest sender agree on which period is finished.
    const now = new Date();
    const outOfTime = context && outOfTimeFor(context);
    report = await publishSite({
      source,
      store,
      logger,
      now,
      siteUrl: env.SITE_URL,
      changedKeys,
      rendererVersion,
      requestCount: requests.count,
      stateCache,
      outOfTime,
      hubNotifier,
      cdn,
    });
    if (changedKeys === undefined && !report.counts.deferred && !report.counts.unread) {
      // Scheduled run: after the site is reconciled, so the digest sent is the one published.
      // Off unless SENDER_EMAIL and CONTACT_LIST are set; a claim in S3 makes each send happen once.
      const { runDigestSends } = await import('./adapters/send-digests-run.ts');
      await runDigestSends({ env: process.env, now, logger, s3: client, outOfTime });
    }
    return batch.fromSqs ? { batchItemFailures: failures } : { published: report.counts.published };
  } catch (error) {
    logger.error('run failed', { error: error as Error });
    await recordFailure(error, changedKeys);
    if (!batch.fromSqs) throw error;
    // The whole batch goes back to the queue; after 5 receives the DLQ and its alarm take over.
    return {
      batchItemFailures: [...batch.messageIds, ...batch.badMessageIds].map((itemIdentifier) => ({
        itemIdentifier,
      })),
    };
  } finally {
    summarise(report, requests.count() - requestsBefore, performance.now() - started);
  }
}

/** For `broadsheet status` (the log and the metrics have it already): best effort, S3 may be what failed. */
async function recordFailure(error: unknown, changedKeys: readonly string[] | undefined): Promise<void> {
  const run =
    changedKeys === undefined
      ? 'the hourly run'
      : changedKeys.length === 0
        ? 'a run carrying on one that stopped for time'
        : `an upload of ${changedKeys.slice(0, 3).join(', ')}${changedKeys.length > 3 ? ', …' : ''}`;
  const message = error instanceof Error ? error.message : String(error);
  try {
    await store.write(
      FAILURE_KEY,
      encodeRunFailure({ failedAt: new Date().toISOString(), run, error: message.slice(0, 2000) }),
      { contentType: 'application/json; charset=utf-8', cacheControl: 'no-store' },
    );
  } catch (writeError) {
    logger.warn('failure not recorded for broadsheet status', { error: writeError as Error });
  }
}

/**
 * A run that would not finish before the timeout commits what it wrote and leaves the rest to the next
 * run (an upload's, or the hourly schedule's) rather than be killed and retried from nothing: the first
 * run over a big site, on a small timeout, then takes a few runs instead of never finishing.
 */
/**
 * The continuation rule's tick, every few minutes: true when the last run stopped for time (its manifest
 * says so) and this run must carry it on. Otherwise it carries on a digest sending that paused for time,
 * if any (a long list at SES's rate), and there is nothing more to do.
 */
async function tick(context: LambdaTimeLeft | undefined): Promise<boolean> {
  const { MANIFEST_KEY, unfinishedIn } = await import('./core/incremental-state.ts');
  const unfinished = unfinishedIn(await store.read(MANIFEST_KEY));
  if (unfinished) {
    logger.info('carrying on a run that stopped for time', { unfinished });
    return true;
  }
  try {
    const { runDigestSends } = await import('./adapters/send-digests-run.ts');
    const outOfTime = context && outOfTimeFor(context);
    await runDigestSends({
      env: process.env,
      now: new Date(),
      logger,
      s3: client,
      outOfTime,
      resumeOnly: true,
    });
  } catch (error) {
    logger.error('carrying on a paused digest failed', { error: error as Error });
    throw error;
  }
  return false;
}

function outOfTimeFor(context: LambdaTimeLeft): () => boolean {
  const margin = stopMarginMs(context.getRemainingTimeInMillis());
  return () => context.getRemainingTimeInMillis() < margin;
}

/** One summary line and the run's metrics, whether it worked or not. */
function summarise(report: BuildReport | undefined, s3Requests: number, durationMs: number): void {
  const c = report?.counts;
  logger.info('run summary', {
    ok: report !== undefined && report.errors.length === 0,
    mode: report?.mode,
    articles: c?.sources,
    images: c?.images,
    files: c?.files,
    hub: report?.hub && (report.hub.error ? 'not notified' : `notified of ${report.hub.feeds.length} feeds`),
    cdn:
      report?.cdn && (report.cdn.error ? 'not invalidated' : `invalidated ${report.cdn.paths.length} paths`),
    read: c?.read,
    rendered: c?.rendered,
    written: c?.written,
    skipped: c?.skipped,
    deleted: c?.deleted,
    attempts: c?.attempts,
    deferred: c?.deferred,
    unread: c?.unread,
    s3Requests,
    durationMs: Math.round(durationMs),
  });
  emitMetrics(METRIC_NAMESPACE, SERVICE, runMetrics(report, s3Requests, durationMs), Date.now());
}
