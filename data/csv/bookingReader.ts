import { itemAt } from '../itemAt.js';
import { decodeCsv } from './decodeCsv.js';
import { cell, findColumns, parseTable } from './parseTable.js';
import { isEmailAddress } from '../schemas/textLimits.js';
import { parseYesNo } from './premisesReader.js';
import type { ParseResult, RowError } from './rowError.js';
import { implausibleYear } from './plausibleYear.js';

/** One hall booking from the bookings import. Premises refs are checked against the register by the importer. */
export interface BookingRow {
  /** Row number in the file as a spreadsheet shows it (header = 1), for problems found by the importer. */
  row: number;
  bookingRef: string;
  premisesRef: string;
  hall: string;
  /** London local time, YYYY-MM-DDTHH:MM. */
  start: string;
  /** London local time, YYYY-MM-DDTHH:MM; always after `start`. */
  end: string;
  eventTitle: string | null;
  purpose: string | null;
  expectedAttendance: number | null;
  openToPublic: boolean | null;
  hirerName: string;
  organisation: string | null;
  otherNames: string[];
  charityNumber: string | null;
  companyNumber: string | null;
  speakers: string[];
  bookingOfficerEmail: string | null;
}

const REQUIRED = ['booking_ref', 'premises_ref', 'hall', 'start', 'end', 'hirer_name'] as const;
const COLUMNS = [
  ...REQUIRED,
  'event_title',
  'purpose',
  'expected_attendance',
  'open_to_public',
  'organisation',
  'other_names',
  'charity_number',
  'company_number',
  'speakers',
  'booking_officer_email',
] as const;

const BLANK_MESSAGES: Record<(typeof REQUIRED)[number], string> = {
  booking_ref: 'the booking reference is blank',
  premises_ref: 'the premises reference is blank — say which building the booking is in',
  hall: 'the hall is blank — say which room or hall is booked',
  start: 'the start date and time is blank',
  end: 'the end date and time is blank',
  hirer_name: 'the hirer’s name is blank',
};

const WHOLE_NUMBER = /^\d+$/;

/** Reads the bookings CSV (SPEC §7). Extra columns are ignored. */
export function parseBookingsCsv(buf: Buffer): ParseResult<BookingRow> {
  const table = parseTable(decodeCsv(buf));
  const { index: col, errors: missing } = findColumns(table, COLUMNS);
  if (missing.length > 0) return { rows: [], errors: missing };

  const rows: BookingRow[] = [];
  const errors: RowError[] = [...table.errors];
  const firstRowOfRef = new Map<string, number>();

  table.records.forEach((record, i) => {
    const row = itemAt(table.rowNumbers, i);
    const before = errors.length;
    const fail = (column: string, message: string) => errors.push({ row, column, message });

    const required = {} as Record<(typeof REQUIRED)[number], string | null>;
    for (const column of REQUIRED) {
      required[column] = cell(record, col[column]);
      if (required[column] === null) fail(column, BLANK_MESSAGES[column]);
    }
    const bookingRef = required.booking_ref;
    if (bookingRef !== null) {
      const first = firstRowOfRef.get(bookingRef.toLowerCase());
      if (first !== undefined)
        fail('booking_ref', `${bookingRef} is already on row ${first} — each booking may appear only once`);
      else firstRowOfRef.set(bookingRef.toLowerCase(), row);
    }

    const start = required.start === null ? null : localDateTime(required.start, 'start', fail);
    const end = required.end === null ? null : localDateTime(required.end, 'end', fail);
    // Same fixed-width format, so comparing the strings compares the times.
    if (start !== null && end !== null && end <= start) {
      fail('end', `the end (${end}) is not after the start (${start})`);
    }

    const attendanceValue = cell(record, col.expected_attendance);
    let expectedAttendance: number | null = null;
    if (attendanceValue !== null) {
      if (WHOLE_NUMBER.test(attendanceValue)) expectedAttendance = Number(attendanceValue);
      else fail('expected_attendance', `"${attendanceValue}" is not a whole number of people`);
    }

    const openValue = cell(record, col.open_to_public);
    const openToPublic = parseYesNo(openValue);
    if (openToPublic === undefined) fail('open_to_public', `"${openValue}" should be yes or no`);

    const bookingOfficerEmail = cell(record, col.booking_officer_email);
    if (bookingOfficerEmail !== null && !isEmailAddress(bookingOfficerEmail)) {
      fail('booking_officer_email', `"${bookingOfficerEmail}" is not an email address`);
    }
    if (errors.length > before) return;

    rows.push({
      row,
      bookingRef: bookingRef!,
      premisesRef: required.premises_ref!,
      hall: required.hall!,
      start: start!,
      end: end!,
      eventTitle: cell(record, col.event_title),
      purpose: cell(record, col.purpose),
      expectedAttendance,
      openToPublic: openToPublic ?? null,
      hirerName: required.hirer_name!,
      organisation: cell(record, col.organisation),
      otherNames: list(cell(record, col.other_names)),
      charityNumber: cell(record, col.charity_number),
      companyNumber: cell(record, col.company_number),
      speakers: list(cell(record, col.speakers)),
      bookingOfficerEmail,
    });
  });
  errors.sort((a, b) => a.row - b.row);
  return { rows, errors };
}

function list(value: string | null): string[] {
  if (value === null) return [];
  return value
    .split(';')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

const LOCAL_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?$/;
const MONTHS = [
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

/** Checks a London local date and time and returns it as YYYY-MM-DDTHH:MM, or null after reporting why not. */
function localDateTime(
  value: string,
  column: string,
  fail: (column: string, message: string) => void,
): string | null {
  const match = LOCAL_DATE_TIME.exec(value);
  const [year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0] = (match?.slice(1) ?? []).map(
    (part) => Number(part ?? 0),
  );

  if (!match || month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) {
    fail(column, `"${value}" is not a date and time like 2026-03-14T18:30`);
    return null;
  }
  const implausible = implausibleYear(year, 'event');
  if (implausible) {
    fail(column, `"${value}": ${implausible}`);
    return null;
  }
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day > daysInMonth) {
    fail(column, `"${value}" is not a real date: ${MONTHS[month - 1]} ${year} has ${daysInMonth} days`);
    return null;
  }
  // UK clocks go forward at 01:00 on the last Sunday of March, so 01:00–01:59 that night never happens.
  const lastSundayOfMarch = 31 - new Date(Date.UTC(year, 2, 31)).getUTCDay();
  if (month === 3 && day === lastSundayOfMarch && hour === 1) {
    fail(column, `"${value}" does not exist in London: the clocks go forward from 01:00 to 02:00 that night`);
    return null;
  }
  return `${match[1]}-${match[2]}-${match[3]}T${match[4]}:${match[5]}`;
}
