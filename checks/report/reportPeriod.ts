import { addDays, addMonths, formatDate, MONTHS } from '../londonDates.js';

/** A calendar quarter the board report covers, e.g. 2026-Q4 = 1 October to 31 December 2026. */
export interface ReportPeriod {
  id: string;
  start: string;
  end: string;
  /** "October to December 2026". */
  label: string;
}

const PERIOD = /^(\d{4})-Q([1-4])$/;

/** The quarter named `YYYY-Qn`, or null when the text is not one. */
export function parsePeriod(id: string): ReportPeriod | null {
  const m = PERIOD.exec(id.trim().toUpperCase());
  if (!m) return null;
  const year = Number(m[1]);
  const q = Number(m[2]);
  const firstMonth = (q - 1) * 3 + 1;
  const start = `${m[1]}-${String(firstMonth).padStart(2, '0')}-01`;
  const end = addDays(addMonths(start, 3), -1);
  return {
    id: `${m[1]}-Q${q}`,
    start,
    end,
    label: `${MONTHS[firstMonth - 1]} to ${MONTHS[firstMonth + 1]} ${year}`,
  };
}

/** The quarter a London date falls in. */
export function periodOf(iso: string): ReportPeriod {
  const [y, m = Number.NaN] = iso.split('-').map(Number);
  return parsePeriod(`${y}-Q${Math.floor((m - 1) / 3) + 1}`)!;
}

export function previousPeriod(period: ReportPeriod): ReportPeriod {
  return periodOf(addDays(period.start, -1));
}

/** The last `count` quarters up to and including the one of `today`, newest first. */
export function recentPeriods(today: string, count: number): ReportPeriod[] {
  let period = periodOf(today);
  const out = [period];
  while (out.length < count) {
    period = previousPeriod(period);
    out.push(period);
  }
  return out;
}

/** "1 October to 31 December 2026". */
export function periodDates(period: ReportPeriod): string {
  return `${formatDate(period.start)} to ${formatDate(period.end)}`;
}
