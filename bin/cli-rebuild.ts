import {
  CopyObjectCommand,
  HeadObjectCommand,
  type HeadObjectCommandOutput,
  ListObjectsV2Command,
  type ListObjectsV2CommandOutput,
  type S3Client,
} from '@aws-sdk/client-s3';
import { createS3Client } from '../functions/adapters/s3.ts';
import { isArticleKey } from '../functions/core/parse-article.ts';
import { SITE_CONFIG_FILE } from '../functions/core/site-config.ts';
import { DEFAULT_STACK, explainAwsError, normalisePrefix, resolveBucket } from './cli-aws.ts';
import { CommandError, parseCommandArgs, UsageError } from './cli-shared.ts';

/** The shell equivalent, for the README and for people without this CLI. */
export function rebuildOneLiner(bucket: string, key: string): string {
  return `aws s3 cp s3://${bucket}/${key} s3://${bucket}/${key} --metadata-directive REPLACE --metadata rebuild-requested=$(date -u +%FT%TZ)`;
}

/** CopySource is `bucket/key` with the key URL-encoded, slashes kept. */
export function copySource(bucket: string, key: string): string {
  return `${bucket}/${encodeURIComponent(key).replace(/%2F/g, '/')}`;
}

async function head(s3: S3Client, bucket: string, key: string): Promise<HeadObjectCommandOutput | undefined> {
  try {
    return await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
  } catch (error) {
    if ((error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404)
      return undefined;
    throw explainAwsError(error, bucket);
  }
}

/** site.yaml, else the first article under the prefix: any ObjectCreated event starts a full run. */
async function pickTrigger(
  s3: S3Client,
  bucket: string,
  prefix: string,
): Promise<{ key: string; head: HeadObjectCommandOutput }> {
  const siteYaml = `${prefix}${SITE_CONFIG_FILE}`;
  const found = await head(s3, bucket, siteYaml);
  if (found) return { key: siteYaml, head: found };
  let listed: ListObjectsV2CommandOutput;
  try {
    listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, MaxKeys: 100 }));
  } catch (error) {
    throw explainAwsError(error, bucket);
  }
  const key = listed.Contents?.map((o) => o.Key ?? '').find((k) => isArticleKey(k.slice(prefix.length)));
  const article = key ? await head(s3, bucket, key) : undefined;
  if (!key || !article) {
    throw new CommandError(
      `nothing to rebuild: s3://${bucket}/${prefix} has no site.yaml and no article (publish one with broadsheet publish FILE)`,
    );
  }
  return { key, head: article };
}

export const REBUILD_USAGE =
  'rebuild  [--bucket NAME] [--prefix content/] [--stack Broadsheet] [--dry-run]   re-run the publisher over everything';

/**
 * `broadsheet rebuild`: copies `content/site.yaml` onto itself with fresh metadata. The copy is an
 * ObjectCreated event like any upload, and every run reconciles the whole bucket, so this re-publishes
 * everything through the normal path (queue, retries, alarms) with no extra permission to invoke the Lambda.
 */
export async function runRebuild(args: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, {
    bucket: { type: 'string' },
    prefix: { type: 'string', default: 'content/' },
    stack: { type: 'string', default: DEFAULT_STACK },
    'dry-run': { type: 'boolean', default: false },
  });
  if (positionals.length > 0)
    throw new UsageError(`rebuild takes no file names (got ${positionals.join(' ')})`);
  const prefix = normalisePrefix(values.prefix);
  const bucket = await resolveBucket({ bucket: values.bucket, stack: values.stack });
  const s3 = createS3Client();
  const trigger = await pickTrigger(s3, bucket, prefix);
  if (values['dry-run']) {
    console.log(`dry run: would copy s3://${bucket}/${trigger.key} onto itself to start a full run`);
    console.log(`the same by hand: ${rebuildOneLiner(bucket, trigger.key)}`);
    return 0;
  }
  try {
    await s3.send(
      new CopyObjectCommand({
        Bucket: bucket,
        Key: trigger.key,
        CopySource: copySource(bucket, trigger.key),
        // S3 refuses a copy onto itself unless something changes; REPLACE must restate what we keep.
        MetadataDirective: 'REPLACE',
        ContentType: trigger.head.ContentType,
        CacheControl: trigger.head.CacheControl,
        Metadata: { ...trigger.head.Metadata, 'rebuild-requested': new Date().toISOString() },
      }),
    );
  } catch (error) {
    throw explainAwsError(error, bucket);
  }
  console.log(
    `touched s3://${bucket}/${trigger.key}: the publisher re-runs over everything within a minute (only files whose bytes change are rewritten)`,
  );
  return 0;
}
