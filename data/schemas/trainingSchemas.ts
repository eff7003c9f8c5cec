import { z } from 'zod';
import { email, isoDate, optionalText, recordBase } from './common.js';

/** Prevent training courses and briefings (CHECKLISTS.md §5): every one counts as Prevent training. */
export const trainingTypes = [
  'wrap',
  'prevent-awareness',
  'prevent-referrals',
  'channel-awareness',
  'council-briefing',
  'venue-hire-briefing',
] as const;
export type TrainingType = (typeof trainingTypes)[number];

export const trainingTypeLabels: Record<TrainingType, string> = {
  wrap: 'WRAP (Workshop to Raise Awareness of Prevent)',
  'prevent-awareness': 'Home Office Prevent awareness e-learning',
  'prevent-referrals': 'Home Office Prevent referrals e-learning',
  'channel-awareness': 'Home Office Channel awareness e-learning',
  'council-briefing': 'Council Prevent briefing',
  'venue-hire-briefing': 'Venue-hire briefing',
};

/** A council department whose staff need Prevent training; the board report's training table has a row each. */
export const departmentSchema = z.object({
  ...recordBase,
  name: z.string().min(1),
  staffRequiringTraining: z.number().int().min(0),
  /** Share of staff who should be in date, in per cent (SPEC §4 default 90). */
  targetPercent: z.number().int().min(1).max(100).default(90),
});
export type Department = z.infer<typeof departmentSchema>;

/** One training session or course run delivered to a department: counted, not named. */
export const trainingSessionSchema = z.object({
  ...recordBase,
  date: isoDate,
  type: z.enum(trainingTypes),
  departmentId: z.string().min(1),
  attendees: z.number().int().min(0),
  trainer: z.string().min(1),
  notes: optionalText,
});
export type TrainingSession = z.infer<typeof trainingSessionSchema>;

/**
 * One training completion of one member of staff, from the optional HR import. Matched on
 * staff id + training type + completion date, so re-importing a file changes nothing.
 */
export const staffRecordSchema = z.object({
  ...recordBase,
  departmentId: z.string().min(1),
  staffId: z.string().min(1),
  name: optionalText,
  role: optionalText,
  trainingType: z.enum(trainingTypes),
  completedOn: isoDate,
});
export type StaffRecord = z.infer<typeof staffRecordSchema>;

/** The partnership's Prevent action plan as a whole: one record, id `plan`, reviewed quarterly. */
export const PLAN_ID = 'plan';
export const actionPlanSchema = z.object({
  ...recordBase,
  title: z.string().min(1),
  /** Who is reminded when the quarterly review is due (normally the Prevent coordinator). */
  ownerEmail: email.nullable().default(null),
});
export type ActionPlan = z.infer<typeof actionPlanSchema>;

export const planHeadingSchema = z.object({
  ...recordBase,
  title: z.string().min(1),
  position: z.number().int().min(0),
});
export type PlanHeading = z.infer<typeof planHeadingSchema>;

/** RAG status of an activity; "complete" is shown blue, as in BRAG board reports. */
export const ragStatuses = ['red', 'amber', 'green', 'complete'] as const;
export type RagStatus = (typeof ragStatuses)[number];

export const progressNoteSchema = z.object({
  on: isoDate,
  note: z.string().min(1),
  by: z.string().min(1),
});
export type ProgressNote = z.infer<typeof progressNoteSchema>;

/** One activity of the plan under a heading. Governance items only: never details of a Channel case. */
export const planActivitySchema = z.object({
  ...recordBase,
  headingId: z.string().min(1),
  description: z.string().min(1),
  /** The owning team, agency or post, as the plan names it. */
  owner: z.string().min(1),
  ownerEmail: email.nullable().default(null),
  dueOn: isoDate,
  rag: z.enum(ragStatuses),
  /** London date the activity was marked complete; lets past quarters be reported as they were. */
  completedOn: isoDate.nullable().default(null),
  /** A recurring item (the Channel information sharing agreement, renewed yearly) comes back when done. */
  repeatMonths: z.number().int().min(1).max(60).nullable().default(null),
  progressNotes: z.array(progressNoteSchema).default([]),
});
export type PlanActivity = z.infer<typeof planActivitySchema>;

/** Collections of this area; each key becomes an array in the database file. */
export const trainingCollections = {
  departments: departmentSchema,
  trainingSessions: trainingSessionSchema,
  staffRecords: staffRecordSchema,
  actionPlans: actionPlanSchema,
  planHeadings: planHeadingSchema,
  planActivities: planActivitySchema,
};

/** The six headings of the borough's 2016-17 Prevent action plan, which a new plan starts from. */
export const standardPlanHeadings = [
  'Governance and problem solving',
  'WRAP briefings and training',
  'Education and safeguarding children',
  'Channel panel processes',
  'Internet vigilance on council PCs, including libraries',
  'Council property and hall hiring',
] as const;
