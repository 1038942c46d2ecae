import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { createS3Client } from '../functions/adapters/s3.ts';
import type { BuildReport } from '../functions/core/publish-site.ts';
import {
  decodeRunFailure,
  FAILURE_KEY,
  failureSince,
  formatRunFailure,
  type RunFailure,
} from '../functions/core/run-failure.ts';
import { DEFAULT_STACK, explainAwsError, resolveBucket, SITE_BUCKET_OUTPUT } from './cli-aws.ts';
import { CommandError, parseCommandArgs, plural, UsageError } from './cli-shared.ts';

// publish-site.ts's REPORT_KEY, not imported: that module loads the whole pipeline, which status never runs.
const REPORT_KEY = '_report.json';

const MODES: Record<string, string> = {
  events: 'an upload',
  full: 'a full run: the schedule, a rebuild or site.yaml',
};

/**
 * The last run's report as an author reads it: when, what is online, what was skipped and how to fix it,
 * what is held back, and whether the run failed. Nothing here is new: it is `_report.json`, sorted out.
 */
export function formatReport(report: BuildReport): string[] {
  const c = report.counts;
  const lines = [
    `last run ${report.ranAt.replace('T', ' ').replace(/\.\d+Z$/, ' UTC')}${report.mode ? ` (${MODES[report.mode]})` : ''}, site ${report.siteUrl}`,
    `online: ${plural(c.published, 'article')}${c.images ? `, ${plural(c.images, 'image')}` : ''}${c.files ? `, ${plural(c.files, 'file')}` : ''}; ` +
      `${c.skipped} skipped, ${c.heldBack} held back`,
    `that run: read ${c.read ?? 0}, rendered ${c.rendered ?? 0}, wrote ${c.written}, deleted ${c.deleted}` +
      // A local build counts none.
      (c.requests ? `; ${plural(c.requests, 'S3 request')}` : ''),
  ];
  if (c.deferred || c.unread) {
    lines.push(
      `stopped for time: ${c.unread ? `${plural(c.unread, 'source')} unread` : `${plural(c.deferred ?? 0, 'output')} left`}; the next run carries on within minutes`,
    );
  }
  const section = (title: string, items: readonly string[]) => {
    if (items.length > 0) lines.push(title, ...items.map((item) => `  ${item}`));
  };
  section(
    'skipped (fix the line named, then upload the file again):',
    report.skipped.map((p) => p.text),
  );
  section(
    'warnings (published all the same):',
    report.warnings.map((p) => p.text),
  );
  section(
    'held back:',
    report.heldBack.map((h) =>
      h.reason === 'draft'
        ? `${h.file}: draft`
        : `${h.file}: scheduled${h.publishAt ? ` for ${h.publishAt}` : ''}`,
    ),
  );
  if (report.cdn) {
    lines.push(
      report.cdn.error
        ? `CloudFront: not invalidated (${report.cdn.error}); the replaced pages refresh within the hour`
        : `CloudFront: invalidated ${plural(report.cdn.paths.length, 'path')}`,
    );
  }
  if (report.hub) {
    lines.push(
      report.hub.error
        ? `WebSub: ${report.hub.url} not notified (${report.hub.error})`
        : `WebSub: notified ${report.hub.url} of ${plural(report.hub.feeds.length, 'feed')}`,
    );
  }
  section('errors (the run failed; the last good copies stay online):', report.errors);
  return lines;
}

/** An object of the site bucket as text, or undefined when there is none. */
async function readText(s3: S3Client, bucket: string, key: string): Promise<string | undefined> {
  try {
    const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return (await object.Body?.transformToString('utf-8')) ?? '';
  } catch (error) {
    if ((error as { name?: string }).name === 'NoSuchKey') return undefined;
    throw explainAwsError(error, bucket);
  }
}

/** What `status` prints: a failure newer than the report first, then the last report (the site online). */
export function statusLines(report: BuildReport | undefined, failure: RunFailure | undefined): string[] {
  const lines = failure ? formatRunFailure(failure) : [];
  if (report) lines.push(...(failure ? ['', 'the last run that reported:'] : []), ...formatReport(report));
  return lines;
}

/** The report in the site bucket, or undefined when no run has written one. */
async function readReport(s3: S3Client, bucket: string): Promise<BuildReport | undefined> {
  const text = await readText(s3, bucket, REPORT_KEY);
  return text === undefined ? undefined : (JSON.parse(text) as BuildReport);
}

/** The record of a failed run that wrote no report, when it is newer than the report. */
async function readFailure(
  s3: S3Client,
  bucket: string,
  report: BuildReport | undefined,
): Promise<RunFailure | undefined> {
  return failureSince(decodeRunFailure(await readText(s3, bucket, FAILURE_KEY)), report?.ranAt);
}

/**
 * The report of the first run that started after `since`: a run's clock is read when it starts, after the
 * events it handles were sent, so an earlier run cannot have read the files uploaded before `since`.
 * Allows this machine's clock to be ahead of AWS's by `skewMs`.
 */
export async function waitForReport(
  s3: S3Client,
  bucket: string,
  since: Date,
  options: { timeoutMs: number; pollMs?: number; skewMs?: number },
): Promise<BuildReport> {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    const report = await readReport(s3, bucket);
    const after = (at: string) => Date.parse(at) >= since.getTime() - (options.skewMs ?? 2_000);
    if (report && after(report.ranAt)) return report;
    // A run after the upload failed before it could report: waiting longer shows nothing more.
    const failure = await readFailure(s3, bucket, report);
    if (failure && after(failure.failedAt))
      throw new CommandError(
        `${formatRunFailure(failure).join('\n')}\n(npx broadsheet status shows it again)`,
      );
    if (Date.now() >= deadline) {
      throw new CommandError(
        `no run has reported in s3://${bucket}/${REPORT_KEY} within ${Math.round(options.timeoutMs / 1000)} s of the upload: ` +
          'the queue may be busy, or the publisher failing (its alarm says so); run  npx broadsheet status  later',
      );
    }
    await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 2_000));
  }
}

/**
 * `broadsheet status`: reads `_report.json` from the site bucket (`--bucket`, else the stack output
 * `SiteBucketName`). Exit 1 when the last run failed, or there is no report yet.
 */
export async function runStatus(args: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, {
    bucket: { type: 'string' },
    stack: { type: 'string', default: DEFAULT_STACK },
    json: { type: 'boolean', default: false },
  });
  if (positionals.length > 0)
    throw new UsageError(`status takes no file names (got ${positionals.join(' ')})`);
  const bucket = await resolveBucket({
    bucket: values.bucket,
    stack: values.stack,
    output: SITE_BUCKET_OUTPUT,
  });
  const s3 = createS3Client();
  const report = await readReport(s3, bucket);
  const failure = await readFailure(s3, bucket, report);
  if (!report && !failure) {
    throw new CommandError(
      `s3://${bucket}/${REPORT_KEY} does not exist yet: the publisher has not run (upload an article, or wait for the hourly run)`,
    );
  }
  // The report as it is, with the failure beside its fields when a later run failed.
  if (values.json) console.log(JSON.stringify(failure ? { ...report, failure } : report, null, 2));
  else console.log(statusLines(report, failure).join('\n'));
  return failure || (report && report.errors.length > 0) ? 1 : 0;
}
