import { Logger } from '@aws-lambda-powertools/logger';
import { readPublisherEnv } from './adapters/env.ts';
import { fromPowertools } from './adapters/logger.ts';
import { createS3Client, S3ContentSource, S3SiteStore } from './adapters/s3.ts';
import { readEventBatch } from './adapters/s3-events.ts';
import { publishSite } from './core/publish-site.ts';

const powertools = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'broadsheet' });
const logger = fromPowertools(powertools);
const env = readPublisherEnv(process.env);
const client = createS3Client();
const source = new S3ContentSource(client, env.CONTENT_BUCKET, env.CONTENT_PREFIX);
const store = new S3SiteStore(client, env.SITE_BUCKET);

export interface SqsBatchResponse {
  batchItemFailures: { itemIdentifier: string }[];
}

/**
 * S3 notifications (direct or through SQS) and scheduled events all mean "something may have changed":
 * each run reconciles the whole content bucket, so duplicated, reordered or lost events cost nothing.
 */
export async function handler(event: unknown): Promise<SqsBatchResponse | { published: number } | undefined> {
  const batch = readEventBatch(event);
  const failures = batch.badMessageIds.map((itemIdentifier) => ({ itemIdentifier }));
  if (failures.length > 0) logger.error('unreadable messages', { messageIds: batch.badMessageIds });
  if (batch.fromSqs && batch.keys.length === 0) {
    // Only S3 test events (or unreadable messages): nothing changed.
    return { batchItemFailures: failures };
  }
  logger.info('run started', { changed: batch.keys.slice(0, 20), events: batch.keys.length });
  try {
    const report = await publishSite({ source, store, logger, now: new Date(), siteUrl: env.SITE_URL });
    return batch.fromSqs ? { batchItemFailures: failures } : { published: report.counts.published };
  } catch (error) {
    logger.error('run failed', { error: error as Error });
    if (!batch.fromSqs) throw error;
    // The whole batch goes back to the queue; after a few tries the DLQ and its alarm take over.
    return {
      batchItemFailures: [...batch.messageIds, ...batch.badMessageIds].map((itemIdentifier) => ({
        itemIdentifier,
      })),
    };
  }
}
