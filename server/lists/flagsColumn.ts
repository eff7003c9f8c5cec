import type { ListColumn } from './list.js';

/** A record's flags by their labels (checks/labels.ts: "No Prevent lead, Review overdue"), or "None". */
export const flagWords = (labels: readonly string[]): string => (labels.length ? labels.join(', ') : 'None');

/** The "Flags" column every list with flags has: in words, rows without flags sorted last. */
export function flagsColumn<R>(labelsOf: (row: R) => readonly string[]): ListColumn<R> {
  return {
    key: 'flags',
    label: 'Flags',
    sort: (r) => (labelsOf(r).length ? flagWords(labelsOf(r)) : ''),
    csv: (r) => flagWords(labelsOf(r)),
  };
}
