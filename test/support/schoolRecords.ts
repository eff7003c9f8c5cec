import type { LeadTraining, PreventLead, School } from '../../data/schemas/schoolSchemas.js';

const STAMP = '2026-01-05T09:00:00.000Z';
const base = (id: string) => ({ id, version: 1, createdAt: STAMP, updatedAt: STAMP });

/** A stored school record (open secondary, in SPOC scope unless overridden), for pure functions. */
export function schoolRecord(id: string, overrides: Partial<School> = {}): School {
  return {
    ...base(id),
    urn: String(100000 + Number(id.replace(/\D/g, '') || 0)),
    laCode: '302',
    laName: 'Barnet',
    establishmentNumber: null,
    name: `School ${id}`,
    typeName: 'Academy converter',
    phaseName: 'Secondary',
    statusName: 'Open',
    street: null,
    locality: null,
    address3: null,
    town: null,
    county: null,
    postcode: null,
    headTitle: null,
    headFirstName: null,
    headLastName: null,
    openDate: null,
    closeDate: null,
    website: null,
    telephone: null,
    statutoryLowAge: 11,
    statutoryHighAge: 18,
    inScope: true,
    ...overrides,
  };
}

export function leadRecord(id: string, schoolId: string, overrides: Partial<PreventLead> = {}): PreventLead {
  return {
    ...base(id),
    schoolId,
    name: `Lead ${id}`,
    role: 'dsl',
    email: `${id}@school.test`,
    phone: null,
    startOn: null,
    endOn: null,
    contactConfirmedOn: null,
    ...overrides,
  };
}

export function leadTrainingRecord(
  id: string,
  leadId: string,
  completedOn: string,
  overrides: Partial<LeadTraining> = {},
): LeadTraining {
  return {
    ...base(id),
    leadId,
    type: 'prevent-awareness-elearning',
    completedOn,
    evidenceRef: null,
    ...overrides,
  };
}
