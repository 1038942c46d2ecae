import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { z } from 'zod';
import { CommandError, UsageError } from './cli-shared.ts';

export const CDK_OUTPUTS_FILE = 'cdk-outputs.json';
export const DEFAULT_STACK = 'Broadsheet';
const BUCKET_OUTPUT = 'ContentBucketName';
/** The stack output naming the site bucket (`broadsheet status` reads its `_report.json`). */
export const SITE_BUCKET_OUTPUT = 'SiteBucketName';

const bucketName = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/,
    'is not an S3 bucket name (3–63 lowercase letters, digits, dots, hyphens)',
  );

const cdkOutputs = z.record(z.string(), z.record(z.string(), z.unknown()));

const howToNameTheBucket = (output: string) =>
  `pass --bucket NAME, or deploy with  npx cdk deploy --outputs-file ${CDK_OUTPUTS_FILE}  and run this from the same folder (the stack output ${output} names the bucket)`;

/**
 * The content bucket: `--bucket`, else the `ContentBucketName` output (or `output`) of `--stack` in
 * `cdk-outputs.json` (written by `cdk deploy --outputs-file`). The CLI does not call CloudFormation: that
 * would need another SDK client and credentials allowed to describe stacks, for one string the deploy
 * already wrote down.
 */
export async function resolveBucket(options: {
  bucket?: string;
  stack?: string;
  cwd?: string;
  output?: string;
}): Promise<string> {
  const output = options.output ?? BUCKET_OUTPUT;
  const what = output === BUCKET_OUTPUT ? 'content bucket' : 'site bucket';
  if (options.bucket !== undefined) {
    const checked = bucketName.safeParse(options.bucket);
    if (!checked.success)
      throw new UsageError(`--bucket "${options.bucket}" ${checked.error.issues[0]?.message}`);
    return checked.data;
  }
  const stack = options.stack ?? DEFAULT_STACK;
  const path = resolve(options.cwd ?? '.', CDK_OUTPUTS_FILE);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    throw new UsageError(`no ${what} given: ${howToNameTheBucket(output)}`);
  }
  let outputs: z.output<typeof cdkOutputs>;
  try {
    outputs = cdkOutputs.parse(JSON.parse(text));
  } catch {
    throw new UsageError(
      `${path} is not the JSON that cdk deploy --outputs-file writes: delete it, or ${howToNameTheBucket(output)}`,
    );
  }
  const value = outputs[stack]?.[output];
  if (typeof value !== 'string') {
    const stacks = Object.keys(outputs).filter((s) => typeof outputs[s]?.[output] === 'string');
    throw new UsageError(
      `${path} has no ${output} for stack "${stack}"${stacks.length > 0 ? `: pass --stack ${stacks.join(' or --stack ')}` : `: ${howToNameTheBucket(output)} (redeploy if it is missing)`}`,
    );
  }
  return value;
}

/** `content/` as the stack configures it: no leading slash, one trailing slash (or empty for the root). */
export function normalisePrefix(prefix: string): string {
  const trimmed = prefix.replace(/^\/+/, '').replace(/\/+$/, '');
  return trimmed === '' ? '' : `${trimmed}/`;
}

/** The errors people meet when talking to S3 from a laptop, each with what to do. */
export function explainAwsError(error: unknown, bucket: string): Error {
  const e = error as {
    name?: string;
    message?: string;
    code?: string;
    $metadata?: { httpStatusCode?: number };
  };
  const status = e.$metadata?.httpStatusCode;
  const message = e.message ?? String(error);
  if (e.name === 'CredentialsProviderError' || /credential/i.test(message))
    return new CommandError(
      'no AWS credentials found: run  aws configure  or  aws sso login, or set AWS_PROFILE (or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY)',
    );
  if (/region is missing/i.test(message))
    return new CommandError(
      'no AWS region set: set AWS_REGION (the region you deployed the stack to) or AWS_PROFILE',
    );
  if (e.name === 'NoSuchBucket' || (e.name === 'NotFound' && status === 404))
    return new CommandError(
      `bucket ${bucket} does not exist: check --bucket, or redeploy and refresh ${CDK_OUTPUTS_FILE}`,
    );
  if (e.name === 'AccessDenied' || e.name === 'Forbidden' || status === 403)
    return new CommandError(
      `access denied to bucket ${bucket}: use credentials allowed to read and write it (s3:GetObject, s3:PutObject, s3:ListBucket), or check the account and AWS_PROFILE`,
    );
  if (e.code === 'ECONNREFUSED' || /ECONNREFUSED|ENOTFOUND|getaddrinfo/.test(message))
    return new CommandError(
      `cannot reach S3${process.env.AWS_ENDPOINT_URL_S3 ? ` at ${process.env.AWS_ENDPOINT_URL_S3} (AWS_ENDPOINT_URL_S3)` : ''}: ${message}`,
    );
  return error instanceof Error ? error : new Error(message);
}
