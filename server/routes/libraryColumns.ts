import type { FlagRule } from '../../checks/flags/flagTypes.js';
import { formatDate } from '../../checks/londonDates.js';
import type { Library } from '../../data/schemas/librarySchemas.js';
import { ruleLabel } from '../../checks/labels.js';
import { flagsColumn, flagWords } from '../lists/flagsColumn.js';
import type { ListSpec } from '../lists/list.js';

/** One row of the libraries list: the library, open or closed, its last attestation and its flags. */
export interface LibraryRow {
  library: Library;
  closed: boolean;
  /** ISO date of the latest submitted attestation, or null. */
  lastAttestedOn: string | null;
  flags: readonly FlagRule[];
}

export const libraryStatusText = (r: LibraryRow) =>
  r.closed ? `Closed ${r.library.yearClosed ?? ''}`.trim() : 'Open';
export const lastAttestedText = (r: LibraryRow) =>
  r.closed ? 'Not reviewed' : r.lastAttestedOn ? formatDate(r.lastAttestedOn) : 'Never';
export const libraryFlagsText = (r: LibraryRow) => flagWords(r.flags.map(ruleLabel));

/** The libraries list (/libraries): by name unless asked otherwise. */
export const LIBRARIES: ListSpec<LibraryRow> = {
  path: '/libraries',
  noun: { one: 'library', many: 'libraries' },
  csvFile: 'libraries.csv',
  defaultSort: { sort: 'name', dir: 'asc' },
  columns: [
    { key: 'name', label: 'Library', sort: (r) => r.library.name, csv: (r) => r.library.name },
    { key: 'service', label: 'Service', sort: (r) => r.library.service, csv: (r) => r.library.service },
    { key: 'status', label: 'Status', sort: libraryStatusText, csv: libraryStatusText },
    {
      key: 'attested',
      label: 'Last attested',
      sort: (r) => (r.closed ? null : (r.lastAttestedOn ?? '0000-00-00')),
      csv: lastAttestedText,
    },
    flagsColumn((r) => r.flags.map(ruleLabel)),
  ],
};
