import type { School } from '../../data/schemas/schoolSchemas.js';
import { flagsColumn, flagWords } from '../lists/flagsColumn.js';
import type { ListSpec } from '../lists/list.js';

/** One row of the schools list: the school, its current Prevent leads and its flags. */
export interface SchoolRow {
  school: School;
  leads: number;
  /** The school's flags by their labels (a lead never trained is not "expired": flagLabel). */
  flagLabels: readonly string[];
}

export const schoolFlagsText = (r: SchoolRow) => flagWords(r.flagLabels);

/** The schools list (/schools): by name unless asked otherwise. */
export const SCHOOLS: ListSpec<SchoolRow> = {
  path: '/schools',
  noun: { one: 'school', many: 'schools' },
  csvFile: 'schools.csv',
  defaultSort: { sort: 'name', dir: 'asc' },
  columns: [
    { key: 'name', label: 'School', sort: (r) => r.school.name, csv: (r) => r.school.name },
    { key: 'urn', label: 'URN', sort: (r) => r.school.urn, csv: (r) => r.school.urn },
    { key: 'phase', label: 'Phase', sort: (r) => r.school.phaseName, csv: (r) => r.school.phaseName ?? '' },
    {
      key: 'status',
      label: 'Status',
      sort: (r) => r.school.statusName,
      csv: (r) => r.school.statusName ?? '',
    },
    {
      key: 'scope',
      label: 'In scope',
      sort: (r) => (r.school.inScope ? 0 : 1),
      csv: (r) => (r.school.inScope ? 'Yes' : 'No'),
    },
    { key: 'leads', label: 'Current leads', numeric: true, sort: (r) => r.leads, csv: (r) => r.leads },
    flagsColumn((r) => r.flagLabels),
  ],
};
