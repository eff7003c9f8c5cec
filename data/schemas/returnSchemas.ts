import { z } from 'zod';
import { leadRoles, trainingTypes } from './schoolSchemas.js';
import { isoDate, isoDateTime, optionalText, recordBase } from './common.js';
import { reviewAnswerSchema } from './reviewSchemas.js';

export const returnStatuses = ['sent', 'opened', 'draft', 'submitted', 'bounced', 'ended'] as const;
export type ReturnStatus = (typeof returnStatuses)[number];

/** A lead as the school confirms or corrects it in its return; `key` is the lead's id, or new-… for one added. */
export const returnLeadSchema = z.object({
  key: z.string().min(1),
  leadId: z.string().nullable(),
  name: z.string().min(1),
  role: z.enum(leadRoles),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  /** False: the school says this person is no longer its Prevent lead. */
  stillLead: z.boolean(),
});
export type ReturnLead = z.infer<typeof returnLeadSchema>;

export const returnTrainingSchema = z.object({
  key: z.string().min(1),
  /** The `key` of the lead in the return's leads. */
  leadKey: z.string().min(1),
  type: z.enum(trainingTypes),
  completedOn: isoDate,
  evidenceRef: optionalText,
});
export type ReturnTraining = z.infer<typeof returnTrainingSchema>;

/**
 * One school's annual return (SPEC §13): sent by the education team, filled in by the school through
 * its personal links, and on submission turned into a school audit, lead updates and training records.
 */
export const schoolReturnSchema = z.object({
  ...recordBase,
  schoolId: z.string().min(1),
  status: z.enum(returnStatuses),
  sentBy: z.string(),
  sentAt: isoDateTime,
  /** The last London date its links work. */
  lastDay: isoDate,
  openedAt: isoDateTime.nullable().default(null),
  /** What the mail server said when it refused the email (status `bounced`). */
  bounce: optionalText,
  /** null until the school has been through the leads task. */
  leads: z.array(returnLeadSchema).nullable().default(null),
  training: z.array(returnTrainingSchema).default([]),
  trainingDone: z.boolean().default(false),
  answers: z.record(z.string(), reviewAnswerSchema).default({}),
  auditSaved: z.boolean().default(false),
  notes: optionalText,
  submittedAt: isoDateTime.nullable().default(null),
  attestation: z.object({ name: z.string(), role: z.string() }).nullable().default(null),
  /** The school audit recorded from it. */
  reviewId: z.string().nullable().default(null),
  endedAt: isoDateTime.nullable().default(null),
});
export type SchoolReturn = z.infer<typeof schoolReturnSchema>;

/** One personal link to a return: only the SHA-256 of its token is kept. */
export const returnLinkSchema = z.object({
  ...recordBase,
  returnId: z.string().min(1),
  tokenHash: z.string().regex(/^[0-9a-f]{64}$/),
  email: z.string(),
  leadId: z.string().nullable(),
  /** Why it was issued: the first email, a reminder before expiry. */
  purpose: z.enum(['invitation', 'reminder-14', 'reminder-3']),
  endedAt: isoDateTime.nullable().default(null),
});
export type ReturnLink = z.infer<typeof returnLinkSchema>;

/** A Prevent update emailed to every current lead, one message each. */
export const bulletinSchema = z.object({
  ...recordBase,
  subject: z.string().min(1),
  body: z.string().min(1),
  sentBy: z.string(),
  sentAt: isoDateTime,
  recipients: z.array(z.string()),
});
export type Bulletin = z.infer<typeof bulletinSchema>;

export const returnCollections = {
  schoolReturns: schoolReturnSchema,
  returnLinks: returnLinkSchema,
  bulletins: bulletinSchema,
};
