import type { Department, StaffRecord, TrainingSession } from '../data/schemas/trainingSchemas.js';
import { addMonths } from './londonDates.js';

/** Each person refreshes their Prevent training every 2 years (CHECKLISTS.md §5(c)). */
export const TRAINING_REFRESH_MONTHS = 24;
export const DEFAULT_TARGET_PERCENT = 90;

/** Training completed on `completedOn` is in date on `asOf` up to and including its refresh date. */
export function trainingInDate(completedOn: string, asOf: string): boolean {
  return completedOn <= asOf && addMonths(completedOn, TRAINING_REFRESH_MONTHS) >= asOf;
}

/** The first date training must have been completed on or after to be in date on `asOf`. */
export function trainingWindowStart(asOf: string): string {
  return addMonths(asOf, -TRAINING_REFRESH_MONTHS);
}

export interface DepartmentTraining {
  department: Department;
  required: number;
  trained: number;
  /**
   * Where "staff trained" comes from: distinct staff in the imported staff records, or (for a department
   * without staff records) attendees of its sessions in the last 2 years, at most the staff requiring training.
   */
  basis: 'staff-records' | 'sessions';
  belowTarget: boolean;
}

interface TrainingData {
  departments: readonly Department[];
  trainingSessions: readonly TrainingSession[];
  staffRecords: readonly StaffRecord[];
}

/** Trained share below target, in whole numbers: trained/required < target/100. Nobody required → never. */
export function isBelowTarget(trained: number, required: number, targetPercent: number): boolean {
  return required > 0 && trained * 100 < targetPercent * required;
}

/**
 * Per cent in whole numbers, rounded half up (SPEC §16: 8 of 12 is 67%, 1 of 8 is 13%), in integers so no
 * floating-point error moves a half; at most 100 (staff records can name more people than the
 * department's count). Null when nothing is required. Whether a share is below target is decided on the
 * counts (`isBelowTarget`), never on this rounded figure.
 */
export function sharePercent(part: number, whole: number): number | null {
  return whole > 0 ? Math.min(100, Math.floor((part * 200 + whole) / (whole * 2))) : null;
}

/**
 * "Staff trained" per department as of a date, in one pass over the records. A person counts once, in the
 * department of their latest training on or before `asOf`, when that training is in date.
 */
export function departmentTraining(data: TrainingData, asOf: string): DepartmentTraining[] {
  const latestByStaff = new Map<string, StaffRecord>();
  for (const r of data.staffRecords) {
    if (r.completedOn > asOf) continue;
    const key = r.staffId.toLowerCase();
    const cur = latestByStaff.get(key);
    if (!cur || r.completedOn > cur.completedOn) latestByStaff.set(key, r);
  }
  const withRecords = new Set<string>();
  const trainedByRecords = new Map<string, number>();
  for (const r of latestByStaff.values()) {
    withRecords.add(r.departmentId);
    if (trainingInDate(r.completedOn, asOf)) {
      trainedByRecords.set(r.departmentId, (trainedByRecords.get(r.departmentId) ?? 0) + 1);
    }
  }
  const from = trainingWindowStart(asOf);
  const attendees = new Map<string, number>();
  for (const s of data.trainingSessions) {
    if (s.date < from || s.date > asOf) continue;
    attendees.set(s.departmentId, (attendees.get(s.departmentId) ?? 0) + s.attendees);
  }
  return data.departments.map((department) => {
    const required = department.staffRequiringTraining;
    const basis = withRecords.has(department.id) ? 'staff-records' : 'sessions';
    const trained =
      basis === 'staff-records'
        ? (trainedByRecords.get(department.id) ?? 0)
        : Math.min(required, attendees.get(department.id) ?? 0);
    return {
      department,
      required,
      trained,
      basis,
      belowTarget: isBelowTarget(trained, required, department.targetPercent),
    };
  });
}

/** Sessions delivered per department between two London dates, both included. */
export function sessionsDelivered(
  sessions: readonly TrainingSession[],
  from: string,
  to: string,
): Map<string, number> {
  const out = new Map<string, number>();
  for (const s of sessions) {
    if (s.date < from || s.date > to) continue;
    out.set(s.departmentId, (out.get(s.departmentId) ?? 0) + 1);
  }
  return out;
}
