/** The CloudWatch namespace of the publisher's metrics (the stack's alarms read it too). */
export const METRIC_NAMESPACE = 'Broadsheet';

/** One CloudWatch metric value. */
export interface MetricValue {
  readonly name: string;
  readonly unit: 'Count' | 'Milliseconds';
  readonly value: number;
}

/**
 * Writes one CloudWatch Embedded Metric Format line: CloudWatch Logs turns it into metrics, no API call
 * and no extra package in the bundle. `POWERTOOLS_METRICS_DISABLED=true` silences it (tests).
 */
export function emitMetrics(
  namespace: string,
  service: string,
  metrics: readonly MetricValue[],
  timestamp: number,
  write: (line: string) => void = (line) => process.stdout.write(line),
): void {
  if (process.env.POWERTOOLS_METRICS_DISABLED === 'true') return;
  const line: Record<string, unknown> = {
    _aws: {
      Timestamp: timestamp,
      CloudWatchMetrics: [
        {
          Namespace: namespace,
          Dimensions: [['service']],
          Metrics: metrics.map((m) => ({ Name: m.name, Unit: m.unit })),
        },
      ],
    },
    service,
  };
  for (const metric of metrics) line[metric.name] = metric.value;
  write(`${JSON.stringify(line)}\n`);
}
