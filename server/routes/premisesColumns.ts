import type { FlagRule } from '../../checks/flags/flagTypes.js';
import { formatDate } from '../../checks/londonDates.js';
import type { Premises } from '../../data/schemas/premisesSchemas.js';
import type { Review } from '../../data/schemas/reviewSchemas.js';
import { ruleLabel } from '../../checks/labels.js';
import { flagsColumn, flagWords } from '../lists/flagsColumn.js';
import type { ListSpec } from '../lists/list.js';

/** One row of the premises list: the building, its latest submitted audit and its flags. */
export interface PremisesRow {
  premises: Premises;
  last: Review | undefined;
  flags: readonly FlagRule[];
}

export const outcomeText: Record<string, string> = {
  compliant: 'Compliant',
  'partially-compliant': 'Partially compliant',
  'non-compliant': 'Non-compliant',
};

export const riskText: Record<string, string> = { high: 'High', medium: 'Medium', low: 'Low' };

const risk = (r: PremisesRow) => (r.premises.risk ? (riskText[r.premises.risk] ?? '') : 'Not rated');
const riskOrder: Record<string, number> = { high: 0, medium: 1, low: 2 };
export const lastAuditText = (r: PremisesRow) => (r.last ? formatDate(r.last.completedOn) : 'Never');
export const outcomeOf = (r: PremisesRow) =>
  r.last?.outcome ? (outcomeText[r.last.outcome] ?? '') : 'Not assessed';
/** A building never audited is due now. */
export const nextDueText = (r: PremisesRow) => (r.last ? formatDate(r.last.nextDue) : 'Now (never audited)');
export const premisesFlagsText = (r: PremisesRow) => flagWords(r.flags.map(ruleLabel));

/** The premises list (/premises): by name unless asked otherwise. */
export const PREMISES: ListSpec<PremisesRow> = {
  path: '/premises',
  noun: { one: 'building', many: 'buildings' },
  csvFile: 'premises.csv',
  defaultSort: { sort: 'name', dir: 'asc' },
  columns: [
    { key: 'name', label: 'Building', sort: (r) => r.premises.name, csv: (r) => r.premises.name },
    { key: 'ref', label: 'Reference', sort: (r) => r.premises.ref, csv: (r) => r.premises.ref },
    { key: 'ward', label: 'Ward', sort: (r) => r.premises.ward, csv: (r) => r.premises.ward ?? '' },
    { key: 'risk', label: 'Risk', sort: (r) => riskOrder[r.premises.risk ?? ''] ?? null, csv: risk },
    { key: 'last', label: 'Last audit', sort: (r) => r.last?.completedOn ?? '', csv: lastAuditText },
    { key: 'outcome', label: 'Outcome', sort: (r) => (r.last?.outcome ? outcomeOf(r) : ''), csv: outcomeOf },
    {
      key: 'due',
      label: 'Next due',
      sort: (r) => (r.last ? (r.last.nextDue ?? '') : '0000-00-00'),
      csv: nextDueText,
    },
    flagsColumn((r) => r.flags.map(ruleLabel)),
  ],
};
