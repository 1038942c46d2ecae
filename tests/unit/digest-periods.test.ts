import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  groupByPeriod,
  isFinished,
  lastFinishedPeriod,
  periodLabel,
  periodOf,
} from '../../functions/core/digest/periods.ts';

const at = (iso: string) => new Date(iso);

describe('ISO weeks', () => {
  it('2025-W01 starts on Monday 2024-12-30 and ends on Monday 2025-01-06', () => {
    const week = periodOf(at('2024-12-30T12:00:00Z'), 'weekly', 'UTC');
    expect(week.key).toBe('2025-W01');
    expect(week.start.toISOString()).toBe('2024-12-30T00:00:00.000Z');
    expect(week.end.toISOString()).toBe('2025-01-06T00:00:00.000Z');
  });

  it('puts the days around New Year in the week of their Thursday', () => {
    expect(periodOf(at('2024-12-29T12:00:00Z'), 'weekly', 'UTC').key).toBe('2024-W52');
    expect(periodOf(at('2025-01-01T12:00:00Z'), 'weekly', 'UTC').key).toBe('2025-W01');
    expect(periodOf(at('2021-01-03T12:00:00Z'), 'weekly', 'UTC').key).toBe('2020-W53');
    expect(periodOf(at('2026-12-31T12:00:00Z'), 'weekly', 'UTC').key).toBe('2026-W53');
    expect(periodOf(at('2027-01-03T12:00:00Z'), 'weekly', 'UTC').key).toBe('2026-W53');
    expect(periodOf(at('2027-01-04T12:00:00Z'), 'weekly', 'UTC').key).toBe('2027-W01');
  });

  it('reads the week in the site time zone: 23:30 UTC on a Sunday is Monday in Paris', () => {
    const instant = at('2025-01-05T23:30:00Z');
    expect(periodOf(instant, 'weekly', 'UTC').key).toBe('2025-W01');
    const paris = periodOf(instant, 'weekly', 'Europe/Paris');
    expect(paris.key).toBe('2025-W02');
    // Monday 00:00 in Paris (UTC+1 in winter)
    expect(paris.start.toISOString()).toBe('2025-01-05T23:00:00.000Z');
  });

  it('crosses the year boundary by time zone: Tokyo is already in 2025-W01 while UTC is in 2024-W52', () => {
    const instant = at('2024-12-29T16:00:00Z');
    expect(periodOf(instant, 'weekly', 'UTC').key).toBe('2024-W52');
    expect(periodOf(instant, 'weekly', 'Asia/Tokyo').key).toBe('2025-W01');
  });

  it('keeps a week across a DST change at 7 days of wall clock (one hour short in UTC)', () => {
    const week = periodOf(at('2025-03-26T12:00:00Z'), 'weekly', 'Europe/Paris');
    expect(week.key).toBe('2025-W13');
    expect(week.start.toISOString()).toBe('2025-03-23T23:00:00.000Z');
    expect(week.end.toISOString()).toBe('2025-03-30T22:00:00.000Z');
  });
});

describe('daily and monthly periods', () => {
  it('names a day by its local date: New Year in UTC is still 31 December in New York', () => {
    const instant = at('2025-01-01T03:00:00Z');
    expect(periodOf(instant, 'daily', 'UTC').key).toBe('2025-01-01');
    expect(periodOf(instant, 'daily', 'America/New_York').key).toBe('2024-12-31');
    expect(periodOf(instant, 'monthly', 'America/New_York').key).toBe('2024-12');
    expect(periodOf(instant, 'monthly', 'UTC').key).toBe('2025-01');
  });

  it('gives the DST day its 23 hours', () => {
    const day = periodOf(at('2025-03-30T12:00:00Z'), 'daily', 'Europe/Paris');
    expect(day.key).toBe('2025-03-30');
    expect(day.end.getTime() - day.start.getTime()).toBe(23 * 3_600_000);
  });

  it('ends December on 1 January of the next year', () => {
    const month = periodOf(at('2025-12-15T12:00:00Z'), 'monthly', 'Europe/Paris');
    expect(month.key).toBe('2025-12');
    expect(month.start.toISOString()).toBe('2025-11-30T23:00:00.000Z');
    expect(month.end.toISOString()).toBe('2025-12-31T23:00:00.000Z');
  });
});

describe('finished periods', () => {
  it('a period is finished at its end, not before', () => {
    const week = periodOf(at('2025-01-08T12:00:00Z'), 'weekly', 'Europe/Paris');
    expect(isFinished(week, at('2025-01-12T22:59:59Z'))).toBe(false);
    expect(isFinished(week, week.end)).toBe(true);
  });

  it('the last finished period is the one before the current', () => {
    expect(lastFinishedPeriod(at('2025-01-06T00:30:00Z'), 'weekly', 'Europe/Paris').key).toBe('2025-W01');
    expect(lastFinishedPeriod(at('2025-01-01T00:30:00Z'), 'daily', 'UTC').key).toBe('2024-12-31');
    expect(lastFinishedPeriod(at('2025-01-01T00:30:00Z'), 'monthly', 'UTC').key).toBe('2024-12');
  });
});

describe('groupByPeriod', () => {
  it('groups newest period first, newest item first, and leaves empty periods out', () => {
    const items = [
      { id: 'c', published: at('2025-01-20T10:00:00Z') },
      { id: 'a', published: at('2025-01-06T10:00:00Z') },
      { id: 'b', published: at('2025-01-08T10:00:00Z') },
    ];
    const groups = groupByPeriod(items, 'weekly', 'Europe/Paris');
    expect(groups.map((g) => g.period.key)).toEqual(['2025-W04', '2025-W02']);
    expect(groups[1]?.items.map((i) => i.id)).toEqual(['b', 'a']);
  });

  it('groups a newest-first list (scanned run by run) exactly as any other order of it', () => {
    const zones = ['UTC', 'Europe/Paris', 'America/Sao_Paulo', 'Australia/Lord_Howe', 'Pacific/Chatham'];
    const cadences = ['daily', 'weekly', 'monthly'] as const;
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: Date.UTC(2019, 0, 1), max: Date.UTC(2026, 0, 1) }), {
          minLength: 1,
          maxLength: 300,
        }),
        fc.constantFrom(...zones),
        fc.constantFrom(...cadences),
        (times, zone, cadence) => {
          const items = times.map((t, i) => ({ id: i, published: new Date(t) }));
          const newest = [...items].sort((a, b) => b.published.getTime() - a.published.getTime());
          const shape = (list: typeof items) =>
            groupByPeriod(list, cadence, zone).map((g) => ({
              key: g.period.key,
              start: g.period.start.getTime(),
              end: g.period.end.getTime(),
              ids: g.items.map((i) => i.id),
            }));
          // The input order, unless sorted by chance, takes the general path.
          expect(shape(newest)).toEqual(shape(items));
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('periodLabel', () => {
  it('names the period in the site language', () => {
    const week = periodOf(at('2025-01-08T12:00:00Z'), 'weekly', 'Europe/Paris');
    expect(periodLabel(week, 'en-GB', 'Europe/Paris')).toBe('Week of 6 January 2025');
    const month = periodOf(at('2025-01-08T12:00:00Z'), 'monthly', 'Europe/Paris');
    expect(periodLabel(month, 'fr', 'Europe/Paris')).toBe('janvier 2025');
  });
});
