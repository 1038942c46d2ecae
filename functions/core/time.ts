/** Time-zone arithmetic with Intl only: the core never reads the clock, it is handed `now`. */

/** Offset of `zone` from UTC at `instant`, in minutes (Paris in winter: 60). */
const partFormats = new Map<string, Intl.DateTimeFormat>();

export function zoneOffsetMinutes(instant: Date, zone: string): number {
  // UTC has no offset: skip Intl, which costs ~40 µs a call and digests ask for every article.
  if (zone === 'UTC' || zone === 'Etc/UTC') return 0;
  let format = partFormats.get(zone);
  if (!format) {
    // One formatter per zone: constructing one costs ~100× using it, and every date goes through here.
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    partFormats.set(zone, format);
  }
  const parts = format.formatToParts(instant);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const asUtc = Date.UTC(
    get('year'),
    get('month') - 1,
    get('day'),
    get('hour'),
    get('minute'),
    get('second'),
  );
  return Math.round((asUtc - Math.floor(instant.getTime() / 1000) * 1000) / 60_000);
}

/** The UTC instant of a wall-clock time in `zone`. */
export function zonedTimeToUtc(
  wall: { year: number; month: number; day: number; hour?: number; minute?: number; second?: number },
  zone: string,
): Date {
  const guess = Date.UTC(
    wall.year,
    wall.month - 1,
    wall.day,
    wall.hour ?? 0,
    wall.minute ?? 0,
    wall.second ?? 0,
  );
  // Two passes settle the offset across a DST change.
  let offset = zoneOffsetMinutes(new Date(guess), zone);
  offset = zoneOffsetMinutes(new Date(guess - offset * 60_000), zone);
  return new Date(guess - offset * 60_000);
}

/** Wall-clock parts of `instant` in `zone`. */
export function toZoned(
  instant: Date,
  zone: string,
): { year: number; month: number; day: number; weekday: number } {
  const shifted = new Date(instant.getTime() + zoneOffsetMinutes(instant, zone) * 60_000);
  return {
    year: shifted.getUTCFullYear(),
    month: shifted.getUTCMonth() + 1,
    day: shifted.getUTCDate(),
    weekday: shifted.getUTCDay() === 0 ? 7 : shifted.getUTCDay(),
  };
}

export function isValidTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

const ISO_DATE =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?\s*(Z|[+-]\d{2}:?\d{2})?)?$/i;

/**
 * Parses an ISO 8601 date or date-time. A value without an offset is wall-clock time in `zone`.
 * Returns undefined for anything else (including impossible dates like 2025-02-30).
 */
export function parseIsoDate(value: string, zone: string): Date | undefined {
  const m = ISO_DATE.exec(value.trim());
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, frac, tz] = m;
  const wall = {
    year: Number(y),
    month: Number(mo),
    day: Number(d),
    hour: Number(h ?? 0),
    minute: Number(mi ?? 0),
    second: Number(s ?? 0),
  };
  const probe = new Date(Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second));
  if (
    probe.getUTCFullYear() !== wall.year ||
    probe.getUTCMonth() !== wall.month - 1 ||
    probe.getUTCDate() !== wall.day ||
    wall.hour > 23 ||
    wall.minute > 59 ||
    wall.second > 59
  ) {
    return undefined;
  }
  const ms = frac ? Math.floor(Number(`0.${frac}`) * 1000) : 0;
  if (tz) {
    const sign = tz.toUpperCase() === 'Z' ? 0 : tz.startsWith('-') ? -1 : 1;
    const digits = tz.replace(/[^0-9]/g, '');
    const offset = sign === 0 ? 0 : sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4)));
    return new Date(probe.getTime() + ms - offset * 60_000);
  }
  return new Date(zonedTimeToUtc(wall, zone).getTime() + ms);
}
