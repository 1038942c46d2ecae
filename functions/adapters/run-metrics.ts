import type { BuildReport } from '../core/publish-site.ts';
import type { MetricValue } from './emf-metrics.ts';

/**
 * The CloudWatch metrics of one run. A run that failed has no report, so its counts are unknown, not 0:
 * they are left out. A SkippedArticles of 0 would turn the skipped-article alarm OK during an outage;
 * with no value it keeps its state (it ignores missing data), and RunErrors and the error alarm say why.
 */
export function runMetrics(
  report: Pick<BuildReport, 'counts' | 'errors'> | undefined,
  s3Requests: number,
  durationMs: number,
): MetricValue[] {
  const c = report?.counts;
  return [
    { name: 'RunErrors', unit: 'Count', value: report === undefined ? 1 : report.errors.length },
    ...(c
      ? ([
          { name: 'SkippedArticles', unit: 'Count', value: c.skipped },
          { name: 'DeferredOutputs', unit: 'Count', value: c.deferred ?? 0 },
          { name: 'UnreadSources', unit: 'Count', value: c.unread ?? 0 },
        ] as const)
      : []),
    { name: 'S3Requests', unit: 'Count', value: s3Requests },
    { name: 'RunDuration', unit: 'Milliseconds', value: Math.round(durationMs) },
  ];
}
