/** What a batch of Lambda events asks for: which objects changed, and which SQS messages were unreadable. */
export interface EventBatch {
  /** Every object the S3 records name, keys decoded (`content/My article.md`). */
  readonly objects: readonly { readonly bucket: string; readonly key: string }[];
  /** Decoded object keys named by the events (all buckets): for logs. */
  readonly keys: readonly string[];
  /** SQS message ids that could not be read as S3 notifications. */
  readonly badMessageIds: readonly string[];
  /** SQS message ids that were read (test events included). */
  readonly messageIds: readonly string[];
  /** True when the batch came from SQS and so must answer with batchItemFailures. */
  readonly fromSqs: boolean;
  /** True when the event carried S3 records (directly or in SQS); false for a scheduled run. */
  readonly fromS3: boolean;
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

function objectsOf(records: readonly S3Record[]): { bucket: string; key: string }[] {
  return records
    .filter((r) => r.s3?.object?.key !== undefined)
    .map((r) => {
      const raw = r.s3?.object?.key ?? '';
      let key = raw;
      try {
        key = decodeS3Key(raw);
      } catch {
        // A malformed escape: keep the raw key; the run re-reads it and finds nothing.
      }
      return { bucket: r.s3?.bucket?.name ?? '', key };
    });
}

const batchOf = (
  objects: { bucket: string; key: string }[],
  rest: Omit<EventBatch, 'objects' | 'keys'>,
): EventBatch => ({ objects, keys: objects.map((o) => o.key), ...rest });

/** Reads S3 notifications delivered directly or wrapped in SQS messages; anything else is a scheduled run. */
export function readEventBatch(event: unknown): EventBatch {
  const records = (event as { Records?: unknown })?.Records;
  if (!Array.isArray(records)) {
    return batchOf([], { badMessageIds: [], messageIds: [], fromSqs: false, fromS3: false });
  }
  const sqs = records.filter((r) => (r as { eventSource?: string }).eventSource === 'aws:sqs') as {
    messageId: string;
    body: string;
  }[];
  if (sqs.length === 0) {
    return batchOf(objectsOf(records as S3Record[]), {
      badMessageIds: [],
      messageIds: [],
      fromSqs: false,
      fromS3: true,
    });
  }

  const objects: { bucket: string; key: string }[] = [];
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
      objects.push(...objectsOf(body.Records));
      messageIds.push(message.messageId);
    } catch {
      badMessageIds.push(message.messageId);
    }
  }
  return batchOf(objects, { badMessageIds, messageIds, fromSqs: true, fromS3: true });
}

/**
 * The content keys (relative to `prefix`) that events name in the content bucket. Anything else (the
 * site bucket's own writes, keys outside the prefix) is ignored, so the publisher never triggers itself.
 */
export function changedContentKeys(batch: EventBatch, contentBucket: string, prefix: string): string[] {
  const keys = batch.objects
    .filter((o) => o.bucket === contentBucket && o.key.startsWith(prefix) && o.key.length > prefix.length)
    .map((o) => o.key.slice(prefix.length));
  return [...new Set(keys)].sort();
}

/**
 * The input of the stack's continuation rule: every few minutes the function looks whether the last run
 * stopped for time (one small read) and, if so, carries on. Not a trigger of its own making.
 */
export const CONTINUE_EVENT = { broadsheet: 'continue' } as const;

export const isContinuation = (event: unknown): boolean =>
  (event as { broadsheet?: unknown } | null)?.broadsheet === CONTINUE_EVENT.broadsheet;
