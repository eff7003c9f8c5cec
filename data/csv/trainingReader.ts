import { itemAt } from '../itemAt.js';
import { type TrainingType, trainingTypeLabels, trainingTypes } from '../schemas/trainingSchemas.js';
import { decodeCsv } from './decodeCsv.js';
import { cell, findColumns, parseTable } from './parseTable.js';
import type { ParseResult, RowError } from './rowError.js';
import { implausibleYear } from './plausibleYear.js';

/** One completed course of one member of staff, from the staff training records import. */
export interface TrainingRow {
  row: number;
  department: string;
  staffId: string;
  name: string | null;
  role: string | null;
  trainingType: TrainingType;
  completedOn: string;
}

const REQUIRED = ['department', 'staff_id', 'training_type', 'completed_on'] as const;
const OPTIONAL = ['name', 'role'] as const;

const squash = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, '');

/** Training types by their id, their label, and the names HR systems commonly give them. */
const TYPE_NAMES = new Map<string, TrainingType>();
for (const t of trainingTypes) {
  TYPE_NAMES.set(squash(t), t);
  TYPE_NAMES.set(squash(trainingTypeLabels[t]), t);
}
for (const [alias, t] of [
  ['Workshop to Raise Awareness of Prevent', 'wrap'],
  ['Prevent awareness e-learning', 'prevent-awareness'],
  ['Home Office Prevent awareness', 'prevent-awareness'],
  ['Prevent referrals e-learning', 'prevent-referrals'],
  ['Home Office Prevent referrals', 'prevent-referrals'],
  ['Channel awareness e-learning', 'channel-awareness'],
  ['Home Office Channel awareness', 'channel-awareness'],
  ['Prevent briefing', 'council-briefing'],
  ['Council briefing', 'council-briefing'],
  ['Venue hire briefing', 'venue-hire-briefing'],
] as const) {
  TYPE_NAMES.set(squash(alias), t);
}

export function trainingTypeFrom(value: string): TrainingType | undefined {
  return TYPE_NAMES.get(squash(value));
}

function isRealIsoDate(value: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

/**
 * Reads the staff training records CSV: `department,staff_id,name,role,training_type,completed_on`
 * (name and role optional). A completion in the future, or the same person, course and date twice, is
 * refused. Departments are matched against the register by the import, not here.
 */
export function parseTrainingCsv(buf: Buffer, opts: { today: string }): ParseResult<TrainingRow> {
  const table = parseTable(decodeCsv(buf));
  const { index: col, errors: missing } = findColumns(table, REQUIRED, OPTIONAL);
  if (missing.length > 0) return { rows: [], errors: missing };

  const rows: TrainingRow[] = [];
  const errors: RowError[] = [...table.errors];
  const firstRowOfKey = new Map<string, number>();
  const known = trainingTypes.map((t) => `"${t}"`).join(', ');

  table.records.forEach((record, i) => {
    const row = itemAt(table.rowNumbers, i);
    const before = errors.length;
    const fail = (column: string, message: string) => errors.push({ row, column, message });

    const department = cell(record, col.department);
    if (department === null) fail('department', 'the department is blank');
    const staffId = cell(record, col.staff_id);
    if (staffId === null) fail('staff_id', 'the staff id is blank');

    const typeValue = cell(record, col.training_type);
    const trainingType = typeValue === null ? undefined : trainingTypeFrom(typeValue);
    if (typeValue === null) fail('training_type', 'the training type is blank');
    else if (!trainingType)
      fail('training_type', `"${typeValue}" is not a training type we know — use one of ${known}`);

    const completedOn = cell(record, col.completed_on);
    const realDate = completedOn !== null && isRealIsoDate(completedOn);
    const implausible = realDate ? implausibleYear(Number(completedOn.slice(0, 4)), 'record') : null;
    if (completedOn === null) fail('completed_on', 'the completion date is blank');
    else if (!realDate) fail('completed_on', `"${completedOn}" is not a date like 2025-03-14`);
    else if (implausible) fail('completed_on', `"${completedOn}": ${implausible}`);
    else if (completedOn > opts.today)
      fail('completed_on', `${completedOn} is in the future — give the date the training was completed`);

    if (staffId !== null && trainingType && completedOn !== null) {
      const key = `${staffId.toLowerCase()}|${trainingType}|${completedOn}`;
      const first = firstRowOfKey.get(key);
      if (first !== undefined)
        fail('staff_id', `${staffId}'s ${trainingType} on ${completedOn} is already on row ${first}`);
      else firstRowOfKey.set(key, row);
    }
    if (errors.length > before) return;

    rows.push({
      row,
      department: department!,
      staffId: staffId!,
      name: cell(record, col.name),
      role: cell(record, col.role),
      trainingType: trainingType!,
      completedOn: completedOn!,
    });
  });
  errors.sort((a, b) => a.row - b.row);
  return { rows, errors };
}
