import { Cron } from 'croner';
import { wallClock } from '../checks/londonDates.js';

/**
 * When a cron expression is due, worked out from an injected clock rather than by a running timer, so that
 * catch-up after downtime and the clock changes can be tested. The evaluation is croner's: five fields,
 * day of month AND day of week (as node-cron, which validates REMINDER_CRON), in the given time zone.
 *
 * Clock changes follow croner's rule for fixed-time jobs (minutes and hours without a wildcard or step):
 * a wall time that occurs twice (the October change) runs once; one that does not exist (the March change)
 * runs once, at the first valid time after the gap. A job with a wildcard or step in its minutes or hours
 * runs at every instant it matches. Reminders are sent once per item whatever the count of runs.
 */
function schedule(expression: string, tz: string): Cron {
  return new Cron(expression, {
    timezone: tz,
    paused: true,
    domAndDow: true,
    mode: '5-part',
    fixedTimeRule: 'no-wildcard',
  });
}

/** Whether an expression can be evaluated here (five fields croner understands); config checks it at start. */
export function isEvaluableCron(expression: string): boolean {
  try {
    schedule(expression, 'Europe/London');
    return true;
  } catch {
    return false;
  }
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
  const cron = schedule(expression, tz);
  const from = Math.max(after.getTime(), upTo.getTime() - MAX_LOOKBACK_DAYS * 86_400_000);
  const out: Date[] = [];
  let next = cron.nextRun(new Date(from));
  while (next && next.getTime() <= upTo.getTime() && out.length < limit) {
    out.push(next);
    next = cron.nextRun(next);
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
  const [latest] = schedule(expression, tz).previousRuns(1, new Date(upTo.getTime() + 1000));
  return latest && latest.getTime() > upTo.getTime() - lookbackDays * 86_400_000 ? latest : null;
}

/** The local calendar date (YYYY-MM-DD) of an instant in `tz`. */
export function zonedDate(instant: Date, tz: string): string {
  const { year, month, day } = wallClock(instant, tz);
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}
