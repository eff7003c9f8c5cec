import cron from 'node-cron';
import { wallClock } from '../checks/londonDates.js';

/**
 * When a cron expression is due, worked out by us rather than by the running timer, so that catch-up after
 * downtime and the clock changes can be tested with an injected clock. Field syntax and meaning are
 * node-cron's (its parser expands names, ranges and steps; day of month AND day of week must both match).
 *
 * Clock changes: a wall time that occurs twice (the October change) counts once, at its first instant; a
 * wall time that does not exist (the March change) counts once, moved forward by the gap, as
 * `londonLocalToInstant` does. Either way a scheduled run fires once.
 */
export interface CronFields {
  second: number[];
  minute: number[];
  hour: number[];
  dayOfMonth: (number | string)[];
  month: number[];
  dayOfWeek: (number | string)[];
}

const parsedCache = new Map<string, CronFields>();

export function parseCron(expression: string): CronFields {
  let fields = parsedCache.get(expression);
  if (!fields) {
    if (!cron.validate(expression)) throw new Error(`"${expression}" is not a valid cron expression`);
    const p = cron.parse(expression);
    const asc = (xs: number[]) => [...new Set(xs)].sort((a, b) => a - b);
    fields = {
      second: asc(p.second),
      minute: asc(p.minute),
      hour: asc(p.hour),
      dayOfMonth: p.dayOfMonth,
      month: p.month,
      dayOfWeek: p.dayOfWeek,
    };
    parsedCache.set(expression, fields);
  }
  return fields;
}

interface YMD {
  y: number;
  m: number;
  d: number;
}

const wallParts = (ms: number, tz: string) => wallClock(ms, tz);

/** Offset of the zone from UTC at an instant, in ms (London: 0 or 3,600,000). */
function offsetAt(ms: number, tz: string): number {
  const p = wallParts(ms, tz);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return asUtc - Math.floor(ms / 1000) * 1000;
}

/** The instant of a wall-clock time in `tz`: the first one if it occurs twice, moved forward if skipped. */
export function zonedInstant(
  ymd: YMD,
  hour: number,
  minute: number,
  second: number,
  tz: string,
  dayOffsets: number[] = offsetsAround(ymd, tz),
): number {
  const naive = Date.UTC(ymd.y, ymd.m - 1, ymd.d, hour, minute, second);
  // No change of offset near this day (most days): one reading, nothing to check.
  if (dayOffsets.length === 1) return naive - dayOffsets[0];
  const offsets = dayOffsets;
  const readsBack = offsets
    .map((o) => naive - o)
    .filter((t) => {
      const p = wallParts(t, tz);
      return (
        p.year === ymd.y &&
        p.month === ymd.m &&
        p.day === ymd.d &&
        p.hour === hour &&
        p.minute === minute &&
        p.second === second
      );
    });
  if (readsBack.length > 0) return Math.min(...readsBack);
  // Skipped by the change: read with the offset before the change, which lands just after the gap.
  return naive - offsetAt(naive - 86_400_000, tz);
}

/** The distinct offsets in force from the day before to the day after (two on and next to a change). */
function offsetsAround(ymd: YMD, tz: string): number[] {
  const noon = Date.UTC(ymd.y, ymd.m - 1, ymd.d, 12);
  return [
    ...new Set([
      offsetAt(noon - 2 * 86_400_000, tz),
      offsetAt(noon - 86_400_000, tz),
      offsetAt(noon, tz),
      offsetAt(noon + 86_400_000, tz),
      offsetAt(noon + 2 * 86_400_000, tz),
    ]),
  ];
}

function localDay(ms: number, tz: string): YMD {
  const p = wallParts(ms, tz);
  return { y: p.year, m: p.month, d: p.day };
}

function shiftDay(day: YMD, n: number): YMD {
  const dt = new Date(Date.UTC(day.y, day.m - 1, day.d + n));
  return { y: dt.getUTCFullYear(), m: dt.getUTCMonth() + 1, d: dt.getUTCDate() };
}

const dayNumber = (day: YMD) => Date.UTC(day.y, day.m - 1, day.d) / 86_400_000;
const lastDayOfMonth = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate();

function nearestWeekday(y: number, m: number, target: number): number {
  const last = lastDayOfMonth(y, m);
  if (target < 1 || target > last) return -1;
  const wd = new Date(Date.UTC(y, m - 1, target)).getUTCDay();
  if (wd === 6) return target === 1 ? target + 2 : target - 1;
  if (wd === 0) return target === last ? target - 2 : target + 1;
  return target;
}

/** node-cron's day-of-month tokens: numbers, L, L-n, nW, LW. */
function dayOfMonthMatches(field: (number | string)[], { y, m, d }: YMD): boolean {
  for (const v of field) {
    if (v === d) return true;
    if (typeof v !== 'string') continue;
    if (v === 'L' && d === lastDayOfMonth(y, m)) return true;
    const w = /^(\d{1,2}|L)W$/.exec(v);
    if (w && nearestWeekday(y, m, w[1] === 'L' ? lastDayOfMonth(y, m) : Number(w[1])) === d) return true;
    const off = /^L-(\d{1,2})$/.exec(v);
    if (off && lastDayOfMonth(y, m) - Number(off[1]) === d) return true;
  }
  return false;
}

/** node-cron's day-of-week tokens: numbers (0 = Sunday), nL (last n-day of the month), n#k (k-th n-day). */
function dayOfWeekMatches(field: (number | string)[], { y, m, d }: YMD): boolean {
  const wd = new Date(Date.UTC(y, m - 1, d)).getUTCDay();
  for (const v of field) {
    if (v === wd) return true;
    if (typeof v !== 'string') continue;
    const nth = /^([0-7])#([1-5])$/.exec(v);
    if (nth && Number(nth[1]) % 7 === wd && Math.floor((d - 1) / 7) + 1 === Number(nth[2])) return true;
    const last = /^([0-7])L$/i.exec(v);
    if (last && Number(last[1]) % 7 === wd && d + 7 > lastDayOfMonth(y, m)) return true;
  }
  return false;
}

/** The scheduled instants on one local calendar day, ascending, each once. */
function timesOnDay(fields: CronFields, day: YMD, tz: string): number[] {
  if (
    !fields.month.includes(day.m) ||
    !dayOfMonthMatches(fields.dayOfMonth, day) ||
    !dayOfWeekMatches(fields.dayOfWeek, day)
  )
    return [];
  const offsets = offsetsAround(day, tz);
  const out = new Set<number>();
  for (const h of fields.hour)
    for (const mi of fields.minute)
      for (const s of fields.second) out.add(zonedInstant(day, h, mi, s, tz, offsets));
  return [...out].sort((a, b) => a - b);
}

/** Never look further back than this: catch-up only needs to know a run was missed, not every one. */
const MAX_LOOKBACK_DAYS = 400;

/**
 * The instants `expression` is scheduled at in `tz` after `after` and up to and including `upTo`, ascending,
 * at most `limit` of them (the earliest). Pure: the clock is whatever the caller passes.
 */
export function scheduledTimesBetween(
  expression: string,
  tz: string,
  after: Date,
  upTo: Date,
  limit = 1000,
): Date[] {
  const fields = parseCron(expression);
  const from = Math.max(after.getTime(), upTo.getTime() - MAX_LOOKBACK_DAYS * 86_400_000);
  const to = upTo.getTime();
  const out: Date[] = [];
  if (!(to > from)) return out;
  // One day either side: a day's times can fall outside its own UTC date.
  let day = shiftDay(localDay(from, tz), -1);
  const lastDay = dayNumber(shiftDay(localDay(to, tz), 1));
  while (dayNumber(day) <= lastDay && out.length < limit) {
    for (const t of timesOnDay(fields, day, tz)) {
      if (t > from && t <= to && (out.length === 0 || out[out.length - 1].getTime() !== t)) {
        out.push(new Date(t));
        if (out.length >= limit) break;
      }
    }
    day = shiftDay(day, 1);
  }
  return out;
}

/** The latest scheduled instant at or before `upTo`, looking back at most `lookbackDays`; null if none. */
export function latestScheduledTime(
  expression: string,
  tz: string,
  upTo: Date,
  lookbackDays: number,
): Date | null {
  const fields = parseCron(expression);
  const to = upTo.getTime();
  const from = to - lookbackDays * 86_400_000;
  let day = shiftDay(localDay(to, tz), 1);
  const firstDay = dayNumber(shiftDay(localDay(from, tz), -1));
  while (dayNumber(day) >= firstDay) {
    const times = timesOnDay(fields, day, tz).filter((t) => t <= to && t > from);
    if (times.length > 0) return new Date(times[times.length - 1]);
    day = shiftDay(day, -1);
  }
  return null;
}

/** The local calendar date (YYYY-MM-DD) of an instant in `tz`. */
export function zonedDate(instant: Date, tz: string): string {
  const { y, m, d } = localDay(instant.getTime(), tz);
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}
