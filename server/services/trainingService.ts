import { londonDate } from '../../checks/londonDates.js';
import { periodOf } from '../../checks/report/reportPeriod.js';
import {
  DEFAULT_TARGET_PERCENT,
  type DepartmentTraining,
  departmentTraining,
  sessionsDelivered,
  sharePercent,
} from '../../checks/trainingRules.js';
import {
  type Department,
  type TrainingSession,
  type TrainingType,
  trainingTypes,
} from '../../data/schemas/trainingSchemas.js';
import type { Store } from '../../data/store/store.js';
import { type FieldErrors, InputError } from '../errors.js';

export interface DepartmentInput {
  name: string;
  staffRequiringTraining: string;
  targetPercent: string;
}

export interface SessionInput {
  /** ISO date, or null when the date fields did not make a date (the route names the problem). */
  date: string | null;
  dateError: string | null;
  type: string;
  departmentId: string;
  attendees: string;
  trainer: string;
  notes: string;
}

const WHOLE = /^\d+$/;

export interface DepartmentFigures extends DepartmentTraining {
  percent: number | null;
  sessionsThisQuarter: number;
}

/** Departments, their training sessions and the imported staff records. Figures come from checks/trainingRules. */
export function createTrainingService(store: Store) {
  const today = () => londonDate(store.now());
  const byName = (name: string) =>
    store.list('departments').find((d) => d.name.trim().toLowerCase() === name.trim().toLowerCase());

  function validateDepartment(input: DepartmentInput, currentId?: string): FieldErrors {
    const errors: FieldErrors = {};
    const name = input.name.trim();
    if (!name) errors.name = { text: 'Enter the name of the department', href: '#name' };
    else if (name.length > 100)
      errors.name = { text: 'Department name must be 100 characters or fewer', href: '#name' };
    else if (byName(name) && byName(name)!.id !== currentId)
      errors.name = { text: `There is already a department called ${byName(name)!.name}`, href: '#name' };
    const staff = input.staffRequiringTraining.trim();
    if (!staff)
      errors.staffRequiringTraining = {
        text: 'Enter how many staff need Prevent training',
        href: '#staffRequiringTraining',
      };
    else if (!WHOLE.test(staff) || Number(staff) > 1_000_000)
      errors.staffRequiringTraining = {
        text: 'Staff requiring training must be a whole number, like 40',
        href: '#staffRequiringTraining',
      };
    const target = input.targetPercent.trim();
    if (target && (!WHOLE.test(target) || Number(target) < 1 || Number(target) > 100))
      errors.targetPercent = {
        text: 'Target must be a whole number from 1 to 100',
        href: '#targetPercent',
      };
    return errors;
  }

  const departmentFields = (input: DepartmentInput) => ({
    name: input.name.trim(),
    staffRequiringTraining: Number(input.staffRequiringTraining.trim()),
    targetPercent: input.targetPercent.trim() ? Number(input.targetPercent.trim()) : DEFAULT_TARGET_PERCENT,
  });

  function validateSession(input: SessionInput): FieldErrors {
    const errors: FieldErrors = {};
    if (input.dateError) errors.date = { text: input.dateError, href: '#date-day' };
    else if (input.date && input.date > today())
      errors.date = { text: 'The date must be today or in the past', href: '#date-day' };
    if (!trainingTypes.includes(input.type as TrainingType))
      errors.type = { text: 'Select the type of training', href: '#type' };
    if (!store.get('departments', input.departmentId))
      errors.departmentId = { text: 'Select the department trained', href: '#departmentId' };
    const attendees = input.attendees.trim();
    if (!attendees) errors.attendees = { text: 'Enter how many people attended', href: '#attendees' };
    else if (!WHOLE.test(attendees) || Number(attendees) > 100_000)
      errors.attendees = { text: 'Attendees must be a whole number, like 12', href: '#attendees' };
    if (!input.trainer.trim())
      errors.trainer = { text: 'Enter who delivered the training', href: '#trainer' };
    return errors;
  }

  const sessionFields = (input: SessionInput) => ({
    date: input.date!,
    type: input.type as TrainingType,
    departmentId: input.departmentId,
    attendees: Number(input.attendees.trim()),
    trainer: input.trainer.trim(),
    notes: input.notes.trim() || null,
  });

  return {
    today,
    /** Every department with its figures as of `asOf`, by name. */
    departments(asOf: string): DepartmentFigures[] {
      const quarter = periodOf(asOf);
      const sessions = sessionsDelivered(store.list('trainingSessions'), quarter.start, asOf);
      return departmentTraining(store.data, asOf)
        .map((t) => ({
          ...t,
          percent: sharePercent(t.trained, t.required),
          sessionsThisQuarter: sessions.get(t.department.id) ?? 0,
        }))
        .sort((a, b) => a.department.name.localeCompare(b.department.name));
    },
    department: (id: string) => store.get('departments', id),
    sessions(departmentId?: string): TrainingSession[] {
      return store
        .list('trainingSessions')
        .filter((s) => !departmentId || s.departmentId === departmentId)
        .sort((a, b) => b.date.localeCompare(a.date) || a.createdAt.localeCompare(b.createdAt));
    },
    session: (id: string) => store.get('trainingSessions', id),
    staffRecords: (departmentId: string) =>
      store
        .list('staffRecords')
        .filter((r) => r.departmentId === departmentId)
        .sort((a, b) => a.staffId.localeCompare(b.staffId) || b.completedOn.localeCompare(a.completedOn)),

    async createDepartment(actor: string, input: DepartmentInput): Promise<Department> {
      const errors = validateDepartment(input);
      if (Object.keys(errors).length > 0) throw new InputError(errors);
      return store.transact(actor, (tx) => tx.insert('departments', departmentFields(input)));
    },

    async updateDepartment(actor: string, id: string, input: DepartmentInput, version: number) {
      const errors = validateDepartment(input, id);
      if (Object.keys(errors).length > 0) throw new InputError(errors);
      return store.transact(actor, (tx) => tx.update('departments', id, departmentFields(input), version));
    },

    async createSession(actor: string, input: SessionInput): Promise<TrainingSession> {
      const errors = validateSession(input);
      if (Object.keys(errors).length > 0) throw new InputError(errors);
      return store.transact(actor, (tx) => tx.insert('trainingSessions', sessionFields(input)));
    },

    async updateSession(actor: string, id: string, input: SessionInput, version: number) {
      const errors = validateSession(input);
      if (Object.keys(errors).length > 0) throw new InputError(errors);
      return store.transact(actor, (tx) => tx.update('trainingSessions', id, sessionFields(input), version));
    },

    async deleteSession(actor: string, id: string): Promise<void> {
      await store.transact(actor, (tx) => tx.remove('trainingSessions', id));
    },
  };
}

export type TrainingService = ReturnType<typeof createTrainingService>;
