/**
 * Digest periods: a day, an ISO week or a month of wall-clock time in the site's time zone. Pure: the
 * clock is never read, `now` is passed in.
 */
import { builtInLabels, fillLabel } from '../labels.ts';
import { toZoned, zonedTimeToUtc } from '../time.ts';

export type Cadence = 'daily' | 'weekly' | 'monthly';

/** A half-open span of time `[start, end)`, named by `key`: `2025-01-08`, `2025-W02` or `2025-01`. */
export interface Period {
  readonly key: string;
  readonly cadence: Cadence;
  readonly start: Date;
  readonly end: Date;
}

/** Matches every period key any cadence produces (and nothing that could escape a key prefix). */
export const PERIOD_KEY = /^(\d{4}-\d{2}-\d{2}|\d{4}-W\d{2}|\d{4}-\d{2})$/;

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

interface Day {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

/** Calendar arithmetic on a wall-clock day (UTC fields only, so no zone or DST gets in the way). */
function addDays(d: Day, days: number): Day & { weekday: number } {
  const t = new Date(Date.UTC(d.year, d.month - 1, d.day + days));
  const weekday = t.getUTCDay() === 0 ? 7 : t.getUTCDay();
  return { year: t.getUTCFullYear(), month: t.getUTCMonth() + 1, day: t.getUTCDate(), weekday };
}

const midnight = (d: Day, zone: string) => zonedTimeToUtc({ ...d, hour: 0 }, zone);

/** ISO 8601 week of a wall-clock day: the week (Monday first) belongs to the year of its Thursday. */
export function isoWeek(d: Day): { year: number; week: number; monday: Day } {
  const weekday = addDays(d, 0).weekday;
  const thursday = addDays(d, 4 - weekday);
  const dayOfYear =
    (Date.UTC(thursday.year, thursday.month - 1, thursday.day) - Date.UTC(thursday.year, 0, 1)) / 86_400_000;
  return { year: thursday.year, week: Math.floor(dayOfYear / 7) + 1, monday: addDays(d, 1 - weekday) };
}

/** The period that contains `instant`, in `zone`'s wall-clock time. */
export function periodOf(instant: Date, cadence: Cadence, zone: string): Period {
  const { key, start, end } = spanOf(instant, cadence, zone);
  return { key, cadence, start: new Date(start), end: new Date(end) };
}

interface Span {
  readonly key: string;
  readonly start: number;
  readonly end: number;
}

/**
 * A period depends only on the wall-clock day, the cadence and the zone, while working out its start and
 * end asks Intl for four offsets: a full build places 10,000 articles, a few hundred days. Bounded, since
 * a warm process serves many runs.
 */
const spans = new Map<string, Span>();
const MAX_SPANS = 20_000;

/** The span of each article date already placed: the same Date objects come back run after run. */
const spanByInstant = new WeakMap<
  Date,
  { readonly cadence: Cadence; readonly zone: string; readonly span: Span }
>();

function spanOf(instant: Date, cadence: Cadence, zone: string): Span {
  const placed = spanByInstant.get(instant);
  if (placed && placed.cadence === cadence && placed.zone === zone) return placed.span;
  const span = spanOfDay(instant, cadence, zone);
  spanByInstant.set(instant, { cadence, zone, span });
  return span;
}

function spanOfDay(instant: Date, cadence: Cadence, zone: string): Span {
  const local = toZoned(instant, zone);
  const day = `${cadence}\n${zone}\n${local.year}-${local.month}-${local.day}`;
  let span = spans.get(day);
  if (!span) {
    if (spans.size >= MAX_SPANS) spans.clear();
    span = computeSpan({ year: local.year, month: local.month, day: local.day }, cadence, zone);
    spans.set(day, span);
  }
  return span;
}

function computeSpan(today: Day, cadence: Cadence, zone: string): Span {
  const span = (key: string, first: Day, next: Day): Span => ({
    key,
    start: midnight(first, zone).getTime(),
    end: midnight(next, zone).getTime(),
  });
  switch (cadence) {
    case 'daily':
      return span(`${today.year}-${pad(today.month)}-${pad(today.day)}`, today, addDays(today, 1));
    case 'weekly': {
      const { year, week, monday } = isoWeek(today);
      return span(`${year}-W${pad(week)}`, monday, addDays(monday, 7));
    }
    case 'monthly': {
      const first: Day = { year: today.year, month: today.month, day: 1 };
      const next: Day =
        today.month === 12
          ? { year: today.year + 1, month: 1, day: 1 }
          : { ...first, month: today.month + 1 };
      return span(`${today.year}-${pad(today.month)}`, first, next);
    }
  }
}

/** A period is finished once its end is at or before `now`: only finished periods get a digest. */
export function isFinished(period: Period, now: Date): boolean {
  return period.end.getTime() <= now.getTime();
}

/** The newest finished period at `now`: the one just before the period `now` falls in. */
export function lastFinishedPeriod(now: Date, cadence: Cadence, zone: string): Period {
  const current = periodOf(now, cadence, zone);
  return periodOf(new Date(current.start.getTime() - 1), cadence, zone);
}

export interface Dated {
  readonly published: Date;
}

/**
 * Groups items by the period of their publication date. Periods come newest first, and so do the items
 * in each (the input's order breaks ties, so pass the model's newest-first list).
 */
export function groupByPeriod<T extends Dated>(
  items: readonly T[],
  cadence: Cadence,
  zone: string,
): { period: Period; items: T[] }[] {
  const contiguous = groupRuns(items, cadence, zone);
  if (contiguous) return contiguous;
  const groups = new Map<string, { period: Period; items: T[] }>();
  for (const item of items) {
    const span = spanOf(item.published, cadence, zone);
    let group = groups.get(span.key);
    if (!group) {
      const period = { key: span.key, cadence, start: new Date(span.start), end: new Date(span.end) };
      group = { period, items: [] };
      groups.set(span.key, group);
    }
    group.items.push(item);
  }
  const byNewest = <U extends Dated>(a: U, b: U) => b.published.getTime() - a.published.getTime();
  return (
    [...groups.values()]
      // The model's list is already newest first: then so is each group, and sorting is skipped.
      .map((g) => ({ period: g.period, items: newestFirst(g.items) ? g.items : [...g.items].sort(byNewest) }))
      .sort((a, b) => b.period.start.getTime() - a.period.start.getTime())
  );
}

/**
 * `groupByPeriod` for a list already newest first (the model's): each period is then one run of the list,
 * found by comparing dates with the current period's bounds, with a period worked out only where a run
 * starts. `undefined` when the list is not newest first or a period comes back after another (a zone whose
 * midnight moves): the general grouping handles those.
 */
function groupRuns<T extends Dated>(
  items: readonly T[],
  cadence: Cadence,
  zone: string,
): { period: Period; items: T[] }[] | undefined {
  const groups: { period: Period; items: T[] }[] = [];
  const seen = new Set<string>();
  let span: Span | undefined;
  let from = 0;
  let previous = Number.POSITIVE_INFINITY;
  const close = (to: number) => {
    if (!span) return;
    const period = { key: span.key, cadence, start: new Date(span.start), end: new Date(span.end) };
    groups.push({ period, items: items.slice(from, to) });
  };
  for (let i = 0; i < items.length; i++) {
    const item = items[i] as T;
    const time = item.published.getTime();
    if (time > previous) return undefined;
    previous = time;
    if (span && time >= span.start && time < span.end) continue;
    const next = spanOf(item.published, cadence, zone);
    if (span && next.key === span.key) continue;
    if (seen.has(next.key)) return undefined;
    seen.add(next.key);
    close(i);
    span = next;
    from = i;
  }
  close(items.length);
  return groups;
}

function newestFirst(items: readonly Dated[]): boolean {
  for (let i = 1; i < items.length; i++) {
    if ((items[i - 1] as Dated).published.getTime() < (items[i] as Dated).published.getTime()) return false;
  }
  return true;
}

/**
 * A human name for the period in the site's language: "8 January 2025", "Week of 30 December 2024",
 * "January 2025"; `weekOf` is the site's words for a week (its language's, unless `site.yaml` says).
 */
export function periodLabel(
  period: Period,
  language: string,
  zone: string,
  weekOf = builtInLabels(language).weekOf,
): string {
  const cacheKey = `${period.cadence}\n${period.start.getTime()}\n${language}\n${zone}\n${weekOf}`;
  let label = labels.get(cacheKey);
  if (label === undefined) {
    label = makeLabel(period, language, zone, weekOf);
    if (labels.size >= MAX_SPANS) labels.clear();
    labels.set(cacheKey, label);
  }
  return label;
}

/** Labels asked for on every run (every digest is planned each time): Intl formatters are slow to make. */
const labels = new Map<string, string>();

function makeLabel(period: Period, language: string, zone: string, weekOf: string): string {
  const format = (options: Intl.DateTimeFormatOptions) =>
    new Intl.DateTimeFormat(language, { ...options, timeZone: zone }).format(period.start);
  switch (period.cadence) {
    case 'daily':
      return format({ dateStyle: 'long' });
    case 'weekly':
      return fillLabel(weekOf, { date: format({ dateStyle: 'long' }) });
    case 'monthly':
      return format({ year: 'numeric', month: 'long' });
  }
}
