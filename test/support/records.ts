import type { Action, Review } from '../../data/schemas/reviewSchemas.js';
import type { Premises } from '../../data/schemas/premisesSchemas.js';

const STAMP = '2026-01-05T09:00:00.000Z';

/** The fields of a premises record as a transaction inserts them (no id, version or timestamps). */
export function premisesFields(ref: string, overrides: Partial<Premises> = {}) {
  return {
    ref,
    name: `Premises ${ref}`,
    uprn: null,
    address: null,
    postcode: null,
    ward: null,
    operator: null,
    buildingType: null,
    hireableSpace: null,
    publicIt: null,
    risk: null,
    riskRationale: null,
    siteManagerEmail: null,
    archived: false,
    ...overrides,
  };
}

/** A stored premises record, for building data for pure functions. */
export function premisesRecord(id: string, overrides: Partial<Premises> = {}): Premises {
  return {
    id,
    version: 1,
    createdAt: STAMP,
    updatedAt: STAMP,
    ...premisesFields(`REF-${id}`),
    ...overrides,
  };
}

/** A submitted premises audit of `subjectId`, completed on `completedOn`. */
export function reviewRecord(id: string, subjectId: string, overrides: Partial<Review> = {}): Review {
  return {
    id,
    version: 1,
    createdAt: STAMP,
    updatedAt: STAMP,
    templateId: 'premises-audit',
    templateVersion: 1,
    subjectType: 'premises',
    subjectId,
    status: 'submitted',
    answers: {},
    notes: null,
    evidence: [],
    startedBy: 'facilities@demo.test',
    startedFrom: null,
    submittedBy: 'facilities@demo.test',
    submittedAt: STAMP,
    completedOn: '2026-01-05',
    outcome: 'compliant',
    nextDue: '2027-01-05',
    attestation: null,
    ...overrides,
  };
}

export function actionRecord(id: string, overrides: Partial<Action> = {}): Action {
  return {
    id,
    version: 1,
    createdAt: STAMP,
    updatedAt: STAMP,
    subjectType: 'premises',
    subjectId: 'p1',
    reviewId: null,
    questionId: null,
    description: `Action ${id}`,
    ownerEmail: null,
    dueOn: '2026-06-01',
    status: 'open',
    closedAt: null,
    closedBy: null,
    closingNote: null,
    ...overrides,
  };
}

/** The fields of a viewer's account as a transaction inserts them, with a password hash. */
export function userFields(email: string, passwordHash: string) {
  return {
    email,
    name: 'A User',
    role: 'viewer' as const,
    passwordHash,
    active: true,
    libraryIds: [],
    mustChangePassword: false,
    sessionEpoch: 0,
    calendarTokenHash: null,
    failedSignIns: [],
    lockedUntil: null,
  };
}
