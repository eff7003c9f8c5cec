import { formatDate } from '../../checks/londonDates.js';
import type { Hirer } from '../../data/schemas/hallHireSchemas.js';
import type { ListSpec } from '../lists/list.js';

/** One row of the hirers list: the hirer and how many live bookings they have. */
export interface HirerRow {
  hirer: Hirer;
  bookings: number;
}

const REMOVED = 'Details removed';
export const hirerNameText = (r: HirerRow) => (r.hirer.personalDataRemoved ? REMOVED : r.hirer.name);
const organisationText = (r: HirerRow) => (r.hirer.personalDataRemoved ? '' : (r.hirer.organisation ?? ''));
export const numbersText = (r: HirerRow) =>
  [
    r.hirer.charityNumber ? `Charity ${r.hirer.charityNumber}` : '',
    r.hirer.companyNumber ? `Company ${r.hirer.companyNumber}` : '',
  ]
    .filter(Boolean)
    .join(', ');
export const lastEventText = (r: HirerRow) =>
  r.hirer.lastEventOn ? formatDate(r.hirer.lastEventOn) : 'None';

/** The words a hirer is found by: names, organisation, other names and registration numbers. */
export const hirerWords = (h: Hirer) =>
  h.personalDataRemoved
    ? ''
    : `${h.name} ${h.organisation ?? ''} ${h.otherNames.join(' ')} ${h.charityNumber ?? ''} ${h.companyNumber ?? ''}`.toLowerCase();

/** The hirers list (/hirers): by name unless asked otherwise. */
export const HIRERS: ListSpec<HirerRow> = {
  path: '/hirers',
  noun: { one: 'hirer', many: 'hirers' },
  csvFile: 'hirers.csv',
  defaultSort: { sort: 'name', dir: 'asc' },
  columns: [
    { key: 'name', label: 'Hirer', sort: hirerNameText, csv: hirerNameText },
    { key: 'organisation', label: 'Organisation', sort: organisationText, csv: organisationText },
    { key: 'numbers', label: 'Registered numbers', sort: numbersText, csv: numbersText },
    { key: 'bookings', label: 'Bookings', numeric: true, sort: (r) => r.bookings, csv: (r) => r.bookings },
    { key: 'last', label: 'Latest event', sort: (r) => r.hirer.lastEventOn, csv: lastEventText },
  ],
};
