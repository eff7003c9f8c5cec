import { parseTrainingCsv, type TrainingRow } from '../../data/csv/trainingReader.js';
import type { ParseResult, RowError } from '../../data/csv/rowError.js';
import type { Store } from '../../data/store/store.js';
import {
  commitPlan,
  type ImportCounts,
  ImportRefusedError,
  type PlannedImport,
  PlanRecorder,
  plannedUpserts,
  planUpserts,
} from './importPlan.js';

/**
 * What `import training` will do (refused with every bad row, the file's and its unknown departments): staff training records, each row one completed course, matched on
 * staff id + training type + completion date and updated in place (name, role, department). The
 * department must already be on the register (matched on its name, any case).
 */
export function planTraining(store: Store, parsed: ParseResult<TrainingRow>): PlannedImport {
  const { rows, errors } = parsed;
  const departments = new Map(store.list('departments').map((d) => [d.name.trim().toLowerCase(), d]));
  const unknown: RowError[] = [];
  for (const r of rows) {
    if (!departments.has(r.department.toLowerCase())) {
      unknown.push({
        row: r.row,
        column: 'department',
        message: `there is no department called "${r.department}" — add it under Training first`,
      });
    }
  }
  const all = [...errors, ...unknown].sort((a, b) => a.row - b.row);
  if (all.length > 0) throw new ImportRefusedError(all);

  const existing = new Map(
    store
      .list('staffRecords')
      .map((s) => [`${s.staffId.toLowerCase()}|${s.trainingType}|${s.completedOn}`, s]),
  );
  const recorder = new PlanRecorder();
  const plan = planUpserts<'staffRecords'>(
    rows.map((r) => ({
      existing: existing.get(`${r.staffId.toLowerCase()}|${r.trainingType}|${r.completedOn}`),
      label: `${r.name} (${r.department}), ${r.completedOn}`,
      fields: {
        departmentId: departments.get(r.department.toLowerCase())!.id,
        staffId: r.staffId,
        name: r.name,
        role: r.role,
        trainingType: r.trainingType,
        completedOn: r.completedOn,
      },
    })),
    recorder,
  );
  return plannedUpserts('staffRecords', plan, recorder);
}

/** `import training`: all or nothing (see planTraining). */
export async function importTraining(
  store: Store,
  actor: string,
  file: Buffer,
  opts: { dryRun: boolean; today: string },
): Promise<ImportCounts> {
  return commitPlan(store, actor, planTraining(store, parseTrainingCsv(file, opts)), opts.dryRun);
}
