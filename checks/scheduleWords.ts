import { MONTHS } from './londonDates.js';

/**
 * A five-field schedule (minute hour day-of-month month day-of-week, as REMINDER_CRON) in words for
 * people: "each working day at 7am", "Mondays at 7am". Pure. Returns null for a schedule these words do
 * not cover (steps, ranges of hours, particular days of the month): the page then lists the next runs.
 */
const DAY_NAMES = ['Sundays', 'Mondays', 'Tuesdays', 'Wednesdays', 'Thursdays', 'Fridays', 'Saturdays'];

/** Whole numbers from a list of numbers and ranges ("1-5", "1,3,5"); null if anything else is in it. */
function numbers(field: string, min: number, max: number): number[] | null {
  const out = new Set<number>();
  for (const part of field.split(',')) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part);
    if (!m?.[1]) return null;
    const from = Number(m[1]);
    const to = m[2] === undefined ? from : Number(m[2]);
    if (from < min || to > max || to < from) return null;
    for (let n = from; n <= to; n++) out.add(n);
  }
  return [...out].sort((a, b) => a - b);
}

/** "7am", "7:30am", "12 noon", "midnight", "6:05pm". */
export function timeInWords(hour: number, minute: number): string {
  if (minute === 0 && hour === 0) return 'midnight';
  if (minute === 0 && hour === 12) return 'midday';
  const h = hour % 12 === 0 ? 12 : hour % 12;
  const m = minute === 0 ? '' : `:${String(minute).padStart(2, '0')}`;
  return `${h}${m}${hour < 12 ? 'am' : 'pm'}`;
}

/** "Mondays, Wednesdays and Fridays". */
function list(words: string[]): string {
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} and ${words.at(-1)}`;
}

function daysInWords(dow: string): string | null {
  if (dow === '*') return 'every day';
  const days = numbers(dow, 0, 7);
  if (!days) return null;
  // 7 is Sunday too.
  const set = [...new Set(days.map((d) => d % 7))].sort((a, b) => a - b);
  if (set.join(',') === '1,2,3,4,5') return 'each working day';
  if (set.join(',') === '0,6') return 'at weekends';
  if (set.length === 7) return 'every day';
  // Monday first, as a week reads in the UK.
  const ordered = [...set.filter((d) => d !== 0), ...set.filter((d) => d === 0)];
  return list(ordered.map((d) => DAY_NAMES[d] ?? ''));
}

function monthsInWords(month: string): string | null {
  if (month === '*') return '';
  const months = numbers(month, 1, 12);
  if (!months) return null;
  return ` in ${list(months.map((m) => MONTHS[m - 1] ?? ''))}`;
}

export function scheduleInWords(expression: string): string | null {
  const fields = expression.trim().split(/\s+/);
  if (fields.length !== 5) return null;
  const [minute = '', hour = '', dom = '', month = '', dow = ''] = fields;
  const minutes = numbers(minute, 0, 59);
  const hours = numbers(hour, 0, 23);
  if (!minutes || !hours || minutes.length !== 1 || dom !== '*') return null;
  const m = minutes[0] ?? 0;
  const times = list(hours.map((h) => timeInWords(h, m)));
  const days = daysInWords(dow);
  const months = monthsInWords(month);
  if (days === null || months === null) return null;
  return `${days.charAt(0).toUpperCase()}${days.slice(1)} at ${times}${months}`;
}
