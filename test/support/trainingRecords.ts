import type {
  ActionPlan,
  Department,
  PlanActivity,
  PlanHeading,
  StaffRecord,
  TrainingSession,
} from '../../data/schemas/trainingSchemas.js';

const STAMP = '2026-01-05T09:00:00.000Z';
const base = (id: string) => ({ id, version: 1, createdAt: STAMP, updatedAt: STAMP });

export function departmentRecord(id: string, overrides: Partial<Department> = {}): Department {
  return {
    ...base(id),
    name: `Department ${id}`,
    staffRequiringTraining: 10,
    targetPercent: 90,
    ...overrides,
  };
}

export function sessionRecord(
  id: string,
  departmentId: string,
  overrides: Partial<TrainingSession> = {},
): TrainingSession {
  return {
    ...base(id),
    date: '2026-05-01',
    type: 'wrap',
    departmentId,
    attendees: 1,
    trainer: 'Prevent Coordinator',
    notes: null,
    ...overrides,
  };
}

export function staffRecord(
  id: string,
  departmentId: string,
  staffId: string,
  completedOn: string,
  overrides: Partial<StaffRecord> = {},
): StaffRecord {
  return {
    ...base(id),
    departmentId,
    staffId,
    name: `Person ${staffId}`,
    role: null,
    trainingType: 'prevent-awareness',
    completedOn,
    ...overrides,
  };
}

export function planRecord(overrides: Partial<ActionPlan> = {}): ActionPlan {
  return { ...base('plan'), title: 'Borough Prevent action plan', ownerEmail: null, ...overrides };
}

export function headingRecord(id: string, title: string, position = 0): PlanHeading {
  return { ...base(id), title, position };
}

export function activityRecord(
  id: string,
  headingId: string,
  overrides: Partial<PlanActivity> = {},
): PlanActivity {
  return {
    ...base(id),
    headingId,
    description: `Activity ${id}`,
    owner: 'Community Safety Manager',
    ownerEmail: null,
    dueOn: '2026-09-01',
    rag: 'green',
    completedOn: null,
    repeatMonths: null,
    progressNotes: [],
    ...overrides,
  };
}
