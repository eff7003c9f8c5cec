import { itemAt } from '../data/itemAt.js';
import shipped from './bank-holidays.json' with { type: 'json' };
/**
 * Working days in England and Wales. Dates are ISO `YYYY-MM-DD` strings handled as whole days (a day
 * number counted from 1970-01-01), so no time zone or daylight-saving change can shift a date.
 *
 * Bank holidays follow the rules in force since 1978 (earlier years get the same rules, which is not
 * historically exact), plus the one-off changes proclaimed since 1995.
 */

/** Days from 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's days_from_civil). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146097 + dayOfEra - 719468;
}

function civilFromDays(days: number): { year: number; month: number; day: number } {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const dayOfEra = z - era * 146097;
  const yearOfEra = Math.floor(
    (dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36524) - Math.floor(dayOfEra / 146096)) /
      365,
  );
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const mp = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

const MONTH_LENGTHS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysInMonth(year: number, month: number): number {
  if (month !== 2) return itemAt(MONTH_LENGTHS, month - 1);

  return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
}

/** The number written in `text` from `start` to `end`, or -1 if any character there is not a digit. */
function digitsAt(text: string, start: number, end: number): number {
  let value = 0;
  for (let i = start; i < end; i += 1) {
    const digit = text.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value;
}

// Parsed by hand rather than by a regular expression: flags parse two dates per booking.
function toDayNumber(iso: string): number {
  if (iso.length === 10 && iso.charCodeAt(4) === 45 && iso.charCodeAt(7) === 45) {
    const year = digitsAt(iso, 0, 4);
    const month = digitsAt(iso, 5, 7);
    const day = digitsAt(iso, 8, 10);
    if (year >= 0 && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month)) {
      return daysFromCivil(year, month, day);
    }
  }
  throw new RangeError(`Not a date in the form YYYY-MM-DD: "${iso}"`);
}

const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n));

function toIso(days: number): string {
  const { year, month, day } = civilFromDays(days);
  return `${String(year).padStart(4, '0')}-${pad2(month)}-${pad2(day)}`;
}

/** 0 = Sunday … 6 = Saturday; 1970-01-01 was a Thursday. */
function dayOfWeek(days: number): number {
  return (((days + 4) % 7) + 7) % 7;
}

const isWeekend = (days: number): boolean => {
  const dow = dayOfWeek(days);
  return dow === 0 || dow === 6;
};

/** Easter Sunday by the anonymous Gregorian algorithm (Meeus/Jones/Butcher). */
function easterSunday(year: number): number {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return daysFromCivil(year, month, day);
}

function firstMonday(year: number, month: number): number {
  const first = daysFromCivil(year, month, 1);
  return first + ((8 - dayOfWeek(first)) % 7);
}

function lastMonday(year: number, month: number): number {
  const last = daysFromCivil(year, month, daysInMonth(year, month));
  return last - ((dayOfWeek(last) + 6) % 7);
}

/** A fixed-date holiday that falls on a weekend moves to the next weekday not already a holiday. */
function withSubstitutes(fixed: number[]): number[] {
  const taken = new Set(fixed.filter((day) => !isWeekend(day)));
  for (const day of fixed) {
    if (!isWeekend(day)) continue;
    let substitute = day + 1;
    while (isWeekend(substitute) || taken.has(substitute)) substitute += 1;
    taken.add(substitute);
  }
  return [...taken];
}

interface OneOffChange {
  /** Regular holidays moved to another day, as ISO from → ISO to. */
  moved?: Record<string, string>;
  added?: string[];
}

/** One-off changes made by royal proclamation under the Banking and Financial Dealings Act 1971. */
const ONE_OFF_CHANGES: Record<number, OneOffChange> = {
  1995: { moved: { '1995-05-01': '1995-05-08' } }, // VE Day 50th anniversary
  1999: { added: ['1999-12-31'] }, // Millennium
  2002: { moved: { '2002-05-27': '2002-06-04' }, added: ['2002-06-03'] }, // Golden Jubilee
  2011: { added: ['2011-04-29'] }, // Royal wedding
  2012: { moved: { '2012-05-28': '2012-06-04' }, added: ['2012-06-05'] }, // Diamond Jubilee
  2020: { moved: { '2020-05-04': '2020-05-08' } }, // VE Day 75th anniversary
  2022: { moved: { '2022-05-30': '2022-06-02' }, added: ['2022-06-03', '2022-09-19'] }, // Platinum Jubilee; state funeral
  2023: { added: ['2023-05-08'] }, // Coronation
};

function computeBankHolidays(year: number): number[] {
  const easter = easterSunday(year);
  const newYear = withSubstitutes([daysFromCivil(year, 1, 1)]);
  const christmas = withSubstitutes([daysFromCivil(year, 12, 25), daysFromCivil(year, 12, 26)]);
  let days = [
    ...newYear,
    easter - 2,
    easter + 1,
    firstMonday(year, 5),
    lastMonday(year, 5),
    lastMonday(year, 8),
    ...christmas,
  ];
  const change = ONE_OFF_CHANGES[year];
  if (change) {
    const moved = new Map(
      Object.entries(change.moved ?? {}).map(([from, to]) => [toDayNumber(from), toDayNumber(to)]),
    );
    days = days.map((day) => moved.get(day) ?? day);
    days.push(...(change.added ?? []).map(toDayNumber));
  }
  return [...new Set(days)].sort((x, y) => x - y);
}

const shippedBankHolidays: string[] = shipped['england-and-wales'].events.map((e) => e.date);

// Memoised per year: flags ask about the same few years for a great many bookings.
const holidayCache = new Map<number, { sorted: number[]; set: Set<number> }>();

/** Years the published data covers take their dates from it; other years are computed by the rules. */
let published = publishedByYear(shippedBankHolidays);

function holidaysOf(year: number): { sorted: number[]; set: Set<number> } {
  let entry = holidayCache.get(year);
  if (!entry) {
    const sorted = published.get(year) ?? computeBankHolidays(year);
    entry = { sorted, set: new Set(sorted) };
    holidayCache.set(year, entry);
  }
  return entry;
}

function publishedByYear(dates: readonly string[]): Map<number, number[]> {
  const byYear = new Map<number, number[]>();
  for (const iso of dates) {
    const year = Number(iso.slice(0, 4));
    byYear.set(year, [...(byYear.get(year) ?? []), toDayNumber(iso)]);
  }
  for (const days of byYear.values()) days.sort((x, y) => x - y);
  return byYear;
}

/**
 * The England and Wales dates from a file in GOV.UK's `bank-holidays.json` format
 * (`{ "england-and-wales": { "events": [{ "title", "date" }, …] } }`). Throws a plain-English Error.
 */
export function parseBankHolidaysJson(text: string): string[] {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new Error('the bank holidays file is not valid JSON');
  }
  const events = (data as { 'england-and-wales'?: { events?: unknown } })?.['england-and-wales']?.events;
  if (!Array.isArray(events) || events.length === 0) {
    throw new Error(
      'the bank holidays file has no "england-and-wales" events (expected GOV.UK\'s bank-holidays.json format)',
    );
  }
  return events.map((e, i) => {
    const date = (e as { date?: unknown })?.date;
    if (typeof date !== 'string' || !isRealIsoDate(date)) {
      throw new Error(`event ${i + 1} of the bank holidays file has no real "date" like 2026-12-25`);
    }
    return date;
  });
}

function isRealIsoDate(date: string): boolean {
  try {
    return toIso(toDayNumber(date)) === date;
  } catch {
    return false;
  }
}

/** Replaces the published dates (a council's own copy of bank-holidays.json); years it covers use only it. */
export function useBankHolidays(dates: readonly string[]): void {
  published = publishedByYear(dates);
  holidayCache.clear();
}

/** The England and Wales bank holidays of a year, as sorted ISO dates. */
export function bankHolidays(year: number): string[] {
  if (!Number.isInteger(year) || year < 1 || year > 9999) {
    throw new RangeError(`Not a year between 1 and 9999: ${year}`);
  }
  return holidaysOf(year).sorted.map(toIso);
}

export function isBankHoliday(isoDate: string): boolean {
  const days = toDayNumber(isoDate);
  return holidaysOf(civilFromDays(days).year).set.has(days);
}

/** Monday to Friday and not an England and Wales bank holiday. */
export function isWorkingDay(isoDate: string): boolean {
  const days = toDayNumber(isoDate);
  return !isWeekend(days) && !holidaysOf(civilFromDays(days).year).set.has(days);
}

/**
 * Working days counting the days after `asOf` up to and including `eventDay`; 0 when the event day is
 * `asOf` or earlier. An event on the next working day is 1 working day away.
 */
export function workingDaysUntil(asOf: string, eventDay: string): number {
  const from = toDayNumber(asOf);
  const to = toDayNumber(eventDay);
  if (to <= from) return 0;

  // Weekdays in (from, to]: whole weeks hold five each, then walk the remainder (under a week).
  const span = to - from;
  let count = Math.floor(span / 7) * 5;
  for (let day = from + Math.floor(span / 7) * 7 + 1; day <= to; day += 1) {
    if (!isWeekend(day)) count += 1;
  }

  const lastYear = civilFromDays(to).year;
  for (let year = civilFromDays(from + 1).year; year <= lastYear; year += 1) {
    for (const holiday of holidaysOf(year).sorted) {
      if (holiday > from && holiday <= to && !isWeekend(holiday)) count -= 1;
    }
  }
  return count;
}
