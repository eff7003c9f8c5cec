import { statusText } from '../../checks/bookingRules.js';
import type { FlagRule } from '../../checks/flags/flagTypes.js';
import type { Booking, Hall, Hirer } from '../../data/schemas/hallHireSchemas.js';
import type { Premises } from '../../data/schemas/premisesSchemas.js';
import { ruleLabel } from '../../checks/labels.js';
import { flagsColumn, flagWords } from '../lists/flagsColumn.js';
import type { ListSpec } from '../lists/list.js';
import { whenText } from './bookingPresenters.js';

/** One row of the bookings list (bookingList.ts) with the flags raised on the booking. */
export interface BookingRow {
  booking: Booking;
  hall: Hall | undefined;
  premises: Premises | undefined;
  hirer: Hirer | undefined;
  archived: boolean;
  flags: readonly FlagRule[];
}

export const whereText = (r: BookingRow) =>
  (r.premises ? r.premises.name : '') + (r.hall ? `, ${r.hall.name}` : '');

export function hirerText(r: BookingRow): string {
  if (!r.hirer) return '';
  if (r.hirer.personalDataRemoved) return 'Removed';
  return r.hirer.name + (r.hirer.organisation ? ` (${r.hirer.organisation})` : '');
}

export const flagsText = (r: BookingRow) => flagWords(r.flags.map(ruleLabel));

const statusOf = (r: BookingRow) => statusText[r.booking.status] + (r.archived ? ' (archived)' : '');

/** The bookings list (/bookings): its columns, sorts and CSV. Soonest first unless asked otherwise. */
export const BOOKINGS: ListSpec<BookingRow> = {
  path: '/bookings',
  noun: { one: 'booking', many: 'bookings' },
  csvFile: 'bookings.csv',
  defaultSort: { sort: 'when', dir: 'asc' },
  columns: [
    { key: 'ref', label: 'Booking', sort: (r) => r.booking.ref, csv: (r) => r.booking.ref },
    { key: 'event', label: 'Event', csvOnly: true, csv: (r) => r.booking.eventTitle ?? '' },
    { key: 'when', label: 'When', sort: (r) => r.booking.start, csv: (r) => whenText(r.booking) },
    { key: 'where', label: 'Where', sort: whereText, csv: whereText },
    { key: 'hirer', label: 'Hirer', sort: hirerText, csv: hirerText },
    { key: 'status', label: 'Status', sort: statusOf, csv: statusOf },
    flagsColumn((r) => r.flags.map(ruleLabel)),
  ],
};
