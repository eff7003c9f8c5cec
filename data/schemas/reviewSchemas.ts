import { z } from 'zod';
import { answerValue, isoDate, isoDateTime, optionalText, recordBase } from './common.js';

export const subjectTypes = [
  'premises',
  'booking',
  'library',
  'school',
  'department',
  'action',
  'plan',
] as const;
export const subjectTypeSchema = z.enum(subjectTypes);

export const reviewAnswerSchema = z.object({
  answer: answerValue.nullable(),
  reason: optionalText,
  note: optionalText,
  /** Pre-filled from the previous review and not yet confirmed. */
  toConfirm: z.boolean().default(false),
  /** Set when the answer to confirm was filled in from the subject's records, not from last review. */
  from: z.enum(['records']).optional(),
});
export type ReviewAnswer = z.infer<typeof reviewAnswerSchema>;

export const outcomes = ['compliant', 'partially-compliant', 'non-compliant'] as const;

export const attestationSchema = z.object({
  name: z.string().min(1),
  role: z.string().min(1),
  statement: z.string().min(1),
  at: isoDateTime,
  templateVersion: z.number().int(),
  /** When the person confirmed, if they attested through someone else (a school through the education team). */
  confirmedOn: isoDate.nullable().optional(),
});

export const reviewSchema = z.object({
  ...recordBase,
  templateId: z.string(),
  templateVersion: z.number().int(),
  subjectType: subjectTypeSchema,
  subjectId: z.string(),
  status: z.enum(['draft', 'submitted']),
  answers: z.record(z.string(), reviewAnswerSchema),
  notes: optionalText,
  evidence: z.array(z.object({ label: z.string(), url: z.string() })).default([]),
  startedBy: z.string(),
  startedFrom: z.string().nullable().default(null),
  submittedBy: z.string().nullable().default(null),
  submittedAt: isoDateTime.nullable().default(null),
  /** London date the review was completed; next due is counted from it. */
  completedOn: isoDate.nullable().default(null),
  outcome: z.enum(outcomes).nullable().default(null),
  nextDue: isoDate.nullable().default(null),
  attestation: attestationSchema.nullable().default(null),
  /** The attestation as typed on a draft (name, role, date fields), kept for "save and come back". */
  draftAttestation: z
    .object({
      name: z.string(),
      role: z.string(),
      date: z.object({ day: z.string(), month: z.string(), year: z.string() }).optional(),
    })
    .nullable()
    .optional(),
  /** Facts from the subject's record when the review was submitted (e.g. the last filter test date). */
  facts: z.array(z.object({ key: z.string(), value: z.string() })).optional(),
});
export type Review = z.infer<typeof reviewSchema>;

export const actionSchema = z.object({
  ...recordBase,
  subjectType: subjectTypeSchema,
  subjectId: z.string(),
  reviewId: z.string().nullable(),
  questionId: z.string().nullable(),
  description: z.string().min(1),
  ownerEmail: z.string().email().nullable(),
  dueOn: isoDate,
  status: z.enum(['open', 'closed']),
  closedAt: isoDateTime.nullable().default(null),
  closedBy: z.string().nullable().default(null),
  closingNote: optionalText,
  /** Set on an action raised by itself when a library's filter test failed: that test. */
  filterTestId: z.string().optional(),
});
export type Action = z.infer<typeof actionSchema>;

export const reviewCollections = { reviews: reviewSchema, actions: actionSchema };
