import { describe, expect, it } from 'vitest';
import { runMetrics } from '../../functions/adapters/run-metrics.ts';

const byName = (metrics: ReturnType<typeof runMetrics>) =>
  Object.fromEntries(metrics.map((m) => [m.name, m.value]));

const counts = { sources: 3, published: 2, skipped: 1, heldBack: 0, written: 4, unchanged: 0, deleted: 0 };

describe('runMetrics', () => {
  it('counts what a run that finished skipped, deferred and left unread', () => {
    expect(byName(runMetrics({ counts: { ...counts, deferred: 5 }, errors: [] }, 17, 146.4))).toEqual({
      RunErrors: 0,
      SkippedArticles: 1,
      DeferredOutputs: 5,
      UnreadSources: 0,
      S3Requests: 17,
      RunDuration: 146,
    });
  });

  it('writes SkippedArticles 0 when a run finds no bad article, so the alarm recovers', () => {
    expect(byName(runMetrics({ counts: { ...counts, skipped: 0 }, errors: [] }, 1, 1))).toMatchObject({
      SkippedArticles: 0,
    });
  });

  it('leaves out the counts of a run that failed (no report), so the skipped-article alarm keeps its state', () => {
    const metrics = byName(runMetrics(undefined, 3, 80));
    expect(metrics).toEqual({ RunErrors: 1, S3Requests: 3, RunDuration: 80 });
    expect(metrics).not.toHaveProperty('SkippedArticles');
  });
});
