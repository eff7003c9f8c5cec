import { z } from 'zod';
import { isoDate, optionalText, recordBase } from './common.js';

/** A school from the DfE register (GIAS), matched on URN; `inScope` is worked out at import (SPEC §4). */
export const schoolSchema = z.object({
  ...recordBase,
  urn: z.string().regex(/^\d+$/),
  laCode: optionalText,
  laName: optionalText,
  establishmentNumber: optionalText,
  name: z.string().min(1),
  typeName: optionalText,
  phaseName: optionalText,
  statusName: optionalText,
  street: optionalText,
  locality: optionalText,
  address3: optionalText,
  town: optionalText,
  county: optionalText,
  postcode: optionalText,
  headTitle: optionalText,
  headFirstName: optionalText,
  headLastName: optionalText,
  openDate: isoDate.nullable().default(null),
  closeDate: isoDate.nullable().default(null),
  website: optionalText,
  telephone: optionalText,
  statutoryLowAge: z.number().int().nullable().default(null),
  statutoryHighAge: z.number().int().nullable().default(null),
  /** Open (or open but proposed to close) and of a SPOC phase: needs a Prevent lead and a yearly audit. */
  inScope: z.boolean(),
});
export type School = z.infer<typeof schoolSchema>;

export const leadRoles = ['dsl', 'deputy-dsl', 'other'] as const;
export const leadRoleLabels: Record<(typeof leadRoles)[number], string> = {
  dsl: 'Designated safeguarding lead',
  'deputy-dsl': 'Deputy designated safeguarding lead',
  other: 'Other',
};
/** Short role names for lists and the distribution CSV. */
export const leadRoleShort: Record<(typeof leadRoles)[number], string> = {
  dsl: 'DSL',
  'deputy-dsl': 'Deputy DSL',
  other: 'Other',
};

/** A school's Prevent lead (single point of contact). Current from `startOn` until the day before `endOn`. */
export const preventLeadSchema = z.object({
  ...recordBase,
  schoolId: z.string().min(1),
  name: z.string().min(1),
  role: z.enum(leadRoles),
  email: z.string().email().nullable().default(null),
  phone: optionalText,
  startOn: isoDate.nullable().default(null),
  endOn: isoDate.nullable().default(null),
  /** When the school last confirmed these contact details are right. */
  contactConfirmedOn: isoDate.nullable().default(null),
});
export type PreventLead = z.infer<typeof preventLeadSchema>;

export const trainingTypes = [
  'prevent-awareness-elearning',
  'prevent-referrals',
  'channel-awareness',
  'wrap',
  'council-session',
  'dsl-training',
  'other',
] as const;
export type TrainingType = (typeof trainingTypes)[number];
export const trainingTypeLabels: Record<TrainingType, string> = {
  'prevent-awareness-elearning': 'Home Office Prevent awareness e-learning',
  'prevent-referrals': 'Prevent referrals',
  'channel-awareness': 'Channel awareness',
  wrap: 'WRAP (Workshop to Raise Awareness of Prevent)',
  'council-session': 'Council Prevent session',
  'dsl-training': 'Designated safeguarding lead training',
  other: 'Other',
};

/** One training course a Prevent lead completed. */
export const leadTrainingSchema = z.object({
  ...recordBase,
  leadId: z.string().min(1),
  type: z.enum(trainingTypes),
  completedOn: isoDate,
  /** Certificate number, file name or other reference to the evidence. */
  evidenceRef: optionalText,
});
export type LeadTraining = z.infer<typeof leadTrainingSchema>;

export const terms = ['autumn', 'spring', 'summer'] as const;
export type Term = (typeof terms)[number];

const count = z.number().int().min(0);

/**
 * Home-education / children-missing-education pathway for one school term, borough-wide: numbers only,
 * never a child's details (CHECKLISTS.md §4(d)).
 */
export const homeEducationCountSchema = z.object({
  ...recordBase,
  /** Academic year by its first calendar year: 2025 is 2025/26. */
  academicYear: z.number().int().min(2000).max(2100),
  term: z.enum(terms),
  /** Pupils taken off roll for elective home education. */
  offRollForEhe: count,
  /** Children identified as missing education. */
  missingEducation: count,
  /** Of those, contacted by the elective home education team. */
  eheTeamContacted: count,
  safeguardingConcerns: count,
  preventConcerns: count,
  referralsToMash: count,
  referralsToPrevent: count,
  notes: optionalText,
});
export type HomeEducationCount = z.infer<typeof homeEducationCountSchema>;

/** Collections of this area; each key becomes an array in the database file. */
export const schoolCollections = {
  schools: schoolSchema,
  preventLeads: preventLeadSchema,
  leadTraining: leadTrainingSchema,
  homeEducationCounts: homeEducationCountSchema,
};
