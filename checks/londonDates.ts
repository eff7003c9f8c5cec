import { itemAt } from '../data/itemAt.js';
/** Dates are stored as ISO strings and computed in Europe/London, whatever the server's own time zone. */
export const LONDON = 'Europe/London';

/** The parts of a wall-clock reading, as numbers. */
export interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** The wall-clock reading of an instant (a Date or epoch ms) in a time zone (London unless given). */
export function wallClock(instant: Date | number, tz = LONDON): WallClock {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', {
      timeZone: tz,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(tz, f);
  }
  const out: Record<string, number> = {};
  for (const p of f.formatToParts(instant)) if (p.type !== 'literal') out[p.type] = Number(p.value);
  return out as unknown as WallClock;
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** The last London date worked out, for its UTC minute: pages ask for today's date on every request. */
let lastDate = { minute: Number.NaN, date: '' };

/** The London calendar date of an instant, as YYYY-MM-DD. */
export function londonDate(instant: Date | string): string {
  const dt = typeof instant === 'string' ? new Date(instant) : instant;
  // London's offset from UTC is a whole number of hours, so its date is the same for a whole UTC minute.
  const minute = Math.floor(dt.getTime() / 60_000);
  if (minute === lastDate.minute) return lastDate.date;
  const p = wallClock(dt);
  const date = `${pad(p.year, 4)}-${pad(p.month)}-${pad(p.day)}`;
  lastDate = { minute, date };
  return date;
}

/** The London wall-clock time of an instant, as YYYY-MM-DDTHH:MM. */
export function londonLocalDateTime(instant: Date): string {
  const p = wallClock(instant);
  return `${pad(p.year, 4)}-${pad(p.month)}-${pad(p.day)}T${pad(p.hour)}:${pad(p.minute)}`;
}

/** The instant of a London wall-clock time `YYYY-MM-DDTHH:MM` (a time skipped by the clock change moves forward). */
export function londonLocalToInstant(local: string): Date {
  const [d = '', t = '00:00'] = local.split('T');
  const [y = Number.NaN, m = Number.NaN, day = Number.NaN] = d.split('-').map(Number);
  const [hh = Number.NaN, mm = Number.NaN] = t.split(':').map(Number);
  const asUtc = Date.UTC(y, m - 1, day, hh, mm);
  // London is UTC+0 or UTC+1: try both offsets and keep the one that reads back as the wall time.
  for (const offsetHours of [1, 0]) {
    const candidate = new Date(asUtc - offsetHours * 3600_000);
    if (londonLocalDateTime(candidate) === `${d}T${pad(hh)}:${pad(mm)}`) return candidate;
  }
  return new Date(asUtc - 0);
}

export function isValidIsoDate(iso: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(iso)) return false;
  const [y = Number.NaN, m = Number.NaN, d = Number.NaN] = iso.split('-').map(Number);
  const dt = new Date(Date.UTC(y, m - 1, d));
  return dt.getUTCFullYear() === y && dt.getUTCMonth() === m - 1 && dt.getUTCDate() === d;
}

function fromIso(iso: string): Date {
  const [y = Number.NaN, m = Number.NaN, d = Number.NaN] = iso.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d));
}

function toIso(dt: Date): string {
  return `${pad(dt.getUTCFullYear(), 4)}-${pad(dt.getUTCMonth() + 1)}-${pad(dt.getUTCDate())}`;
}

export function addDays(iso: string, days: number): string {
  const dt = fromIso(iso);
  dt.setUTCDate(dt.getUTCDate() + days);
  return toIso(dt);
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysInMonth(year: number, month: number): number {
  if (month !== 2) return itemAt(MONTH_DAYS, month - 1);
  return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
}

/** Calendar months; a day past the end of the target month becomes its last day (31 Jan + 1 → 28/29 Feb). */
export function addMonths(iso: string, months: number): string {
  // Read by position, not split: flag rules call this for many subjects.
  const y = Number(iso.slice(0, 4));
  const m = Number(iso.slice(5, 7));
  const d = Number(iso.slice(8, 10));
  const total = y * 12 + (m - 1) + months;
  const ty = Math.floor(total / 12);
  const tm = total - ty * 12 + 1;
  return `${pad(ty, 4)}-${pad(tm)}-${pad(Math.min(d, daysInMonth(ty, tm)))}`;
}

/** Whole days from a to b (b − a). */
export function daysBetween(a: string, b: string): number {
  return Math.round((fromIso(b).getTime() - fromIso(a).getTime()) / 86_400_000);
}

/** English month names, January first. */
export const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/** Dates already formatted: flags and pages format the same few thousand dates over and over. */
const formatted = new Map<string, string>();

/** GOV.UK style: "23 November 2026". */
export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '';
  let text = formatted.get(iso);
  if (text === undefined) {
    const [y, m = Number.NaN, d] = iso.slice(0, 10).split('-').map(Number);
    text = `${d} ${MONTHS[m - 1]} ${y}`;
    if (formatted.size >= 50_000) formatted.clear();
    formatted.set(iso, text);
  }
  return text;
}

/** GOV.UK style date and time in London: "23 November 2026 at 2:05pm". */
export function formatDateTime(instant: string | Date | null | undefined): string {
  if (!instant) return '';
  const dt = typeof instant === 'string' ? new Date(instant) : instant;
  const p = wallClock(dt);
  const h12 = p.hour % 12 === 0 ? 12 : p.hour % 12;
  return `${formatDate(londonDate(dt))} at ${h12}:${pad(p.minute)}${p.hour < 12 ? 'am' : 'pm'}`;
}

/** Quarter of a date, e.g. "2026-Q4". */
export function quarterOf(iso: string): string {
  const [y, m = Number.NaN] = iso.split('-').map(Number);
  return `${y}-Q${Math.floor((m - 1) / 3) + 1}`;
}
