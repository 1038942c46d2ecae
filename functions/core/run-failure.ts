/**
 * A run that fails before it reports (a `site.yaml` that does not parse, S3 refusing past its retries)
 * writes no `_report.json`: the last report then describes the run before, and said the site was fine.
 * The handler leaves this record instead, and `broadsheet status` and `publish` read both and believe the
 * newer. Its own small module: the CLI reads it without loading the pipeline.
 */
export const FAILURE_KEY = '_failure.json';

export interface RunFailure {
  readonly failedAt: string;
  /** What the run was woken by: an upload's keys (the first few), or the schedule. */
  readonly run: string;
  readonly error: string;
}

export function encodeRunFailure(failure: RunFailure): Uint8Array {
  return new TextEncoder().encode(`${JSON.stringify(failure, null, 2)}\n`);
}

/** The failure record, or undefined for one that is not (a damaged object is no failure to report). */
export function decodeRunFailure(text: string | undefined): RunFailure | undefined {
  if (!text) return undefined;
  try {
    const raw = JSON.parse(text) as Partial<RunFailure>;
    return typeof raw.failedAt === 'string' && typeof raw.error === 'string' && typeof raw.run === 'string'
      ? { failedAt: raw.failedAt, run: raw.run, error: raw.error }
      : undefined;
  } catch {
    return undefined;
  }
}

/** The failure, when it came after the last report (or there is none): the state of things now. */
export function failureSince(
  failure: RunFailure | undefined,
  reportRanAt: string | undefined,
): RunFailure | undefined {
  if (!failure) return undefined;
  return reportRanAt === undefined || Date.parse(failure.failedAt) > Date.parse(reportRanAt)
    ? failure
    : undefined;
}

/** How `status` says it, above the last report. */
export function formatRunFailure(failure: RunFailure): string[] {
  return [
    `last run FAILED ${failure.failedAt.replace('T', ' ').replace(/\.\d+Z$/, ' UTC')} (${failure.run}): ${failure.error}`,
    'the site online is the one the last good run published; fix what the error names, and the next run (an upload, or the hourly run) publishes',
  ];
}
