import { z } from 'zod';
import { isoDate, optionalText, recordBase } from './common.js';

/**
 * A hall-hire request made online (/hire): the booking it created, the hash of its status link's token
 * (the token itself is never stored) and where the hirer's emails go. The contact address is personal
 * data: retention blanks it with the booking's other personal data.
 */
export const hireRequestSchema = z.object({
  ...recordBase,
  bookingId: z.string().min(1),
  /** SHA-256 (hex) of the status link's token. */
  tokenHash: z.string().regex(/^[0-9a-f]{64}$/),
  /** SHA-256 (hex) of the check-answers page's submission key: the same page sent twice makes one request. */
  submissionHash: z.string().regex(/^[0-9a-f]{64}$/),
  contactEmail: optionalText,
  /** London date the event ends: retention counts from it. */
  eventDay: isoDate,
  personalDataRemoved: z.boolean().default(false),
});
export type HireRequest = z.infer<typeof hireRequestSchema>;

export const notificationKinds = [
  'referral',
  'decision',
  'online-request',
  'filter-test-failed',
  'hirer-acknowledgement',
  'hirer-decision',
] as const;
export type NotificationKind = (typeof notificationKinds)[number];

/** Stands for the hirer among a notification's recipients: their address is looked up when it is sent. */
export const HIRER_RECIPIENT = 'hirer';

/**
 * An email owed because something happened (a referral, a decision, an online request, a failed filter
 * test), recorded in the same change as the event so a crash cannot lose it. The mail path sends it to
 * each recipient once (the sent log says who has had it) and then marks it done.
 */
export const notificationSchema = z.object({
  ...recordBase,
  kind: z.enum(notificationKinds),
  /** The booking, library… the email is about, and the record that caused it (decision, filter test). */
  subjectId: z.string().min(1),
  recordId: z.string().min(1),
  /** Staff email addresses, or HIRER_RECIPIENT. */
  to: z.array(z.string().min(1)),
  doneAt: z.string().nullable().default(null),
  /** Runs that left a recipient unsent; after MAX_NOTIFICATION_RUNS the notification is given up. */
  failedRuns: z.number().int().min(0).default(0),
  lastError: optionalText,
});
export type Notification = z.infer<typeof notificationSchema>;

export const hireRequestCollections = {
  hireRequests: hireRequestSchema,
  notifications: notificationSchema,
};
