import type { FlagRule } from '../../checks/flags/flagTypes.js';
import { ruleLabels } from '../../checks/report/boardReport.js';
import type { ListColumn } from './list.js';

/** A record's flags in words ("No Prevent lead, Review overdue"), or "None". */
export const flagWords = (flags: readonly FlagRule[]): string =>
  flags.length ? flags.map((f) => ruleLabels[f]).join(', ') : 'None';

/** The "Flags" column every list with flags has: in words, rows without flags sorted last. */
export function flagsColumn<R>(flagsOf: (row: R) => readonly FlagRule[]): ListColumn<R> {
  return {
    key: 'flags',
    label: 'Flags',
    sort: (r) => (flagsOf(r).length ? flagWords(flagsOf(r)) : ''),
    csv: (r) => flagWords(flagsOf(r)),
  };
}
