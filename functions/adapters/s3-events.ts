/** What a batch of Lambda events asks for: which content keys changed, and which SQS messages were unreadable. */
export interface EventBatch {
  /** Decoded object keys (`content/My article.md`) named by the events; logged, not trusted. */
  readonly keys: readonly string[];
  /** SQS message ids that could not be read as S3 notifications. */
  readonly badMessageIds: readonly string[];
  /** SQS message ids that were read (test events included). */
  readonly messageIds: readonly string[];
  /** True when the batch came from SQS and so must answer with batchItemFailures. */
  readonly fromSqs: boolean;
}

interface S3Record {
  readonly eventSource?: string;
  readonly eventName?: string;
  readonly s3?: { readonly bucket?: { readonly name?: string }; readonly object?: { readonly key?: string } };
}

/** S3 event keys are URL-encoded with `+` for spaces. */
export function decodeS3Key(key: string): string {
  return decodeURIComponent(key.replace(/\+/g, ' '));
}

function keysOf(records: readonly S3Record[]): string[] {
  return records
    .filter((r) => r.s3?.object?.key !== undefined)
    .map((r) => {
      const raw = r.s3?.object?.key ?? '';
      try {
        return decodeS3Key(raw);
      } catch {
        return raw;
      }
    });
}

/** Reads S3 notifications delivered directly or wrapped in SQS messages; anything else is a scheduled run. */
export function readEventBatch(event: unknown): EventBatch {
  const records = (event as { Records?: unknown })?.Records;
  if (!Array.isArray(records)) return { keys: [], badMessageIds: [], messageIds: [], fromSqs: false };
  const sqs = records.filter((r) => (r as { eventSource?: string }).eventSource === 'aws:sqs') as {
    messageId: string;
    body: string;
  }[];
  if (sqs.length === 0)
    return { keys: keysOf(records as S3Record[]), badMessageIds: [], messageIds: [], fromSqs: false };

  const keys: string[] = [];
  const badMessageIds: string[] = [];
  const messageIds: string[] = [];
  for (const message of sqs) {
    try {
      const body = JSON.parse(message.body) as { Event?: string; Records?: S3Record[] };
      if (body.Event === 's3:TestEvent') {
        messageIds.push(message.messageId);
        continue;
      }
      if (!Array.isArray(body.Records)) throw new Error('no Records');
      keys.push(...keysOf(body.Records));
      messageIds.push(message.messageId);
    } catch {
      badMessageIds.push(message.messageId);
    }
  }
  return { keys, badMessageIds, messageIds, fromSqs: true };
}
