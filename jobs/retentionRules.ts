/**
 * The retention rules for the personal data each area holds, as plain lists: `runRetention` applies these
 * unless it is given others, so a rule added here applies wherever the job runs (the scheduler, the CLI).
 * Lists rather than a registry filled on import: nothing depends on which file was imported first.
 * A rule: `dateOf` (pure: the date the period counts from), `redact` (a patch blanking the personal
 * fields, or 'delete') and `describe` (what is removed, for the log: counts only, never the data).
 */
import { removeEvidenceOfErasedBookings } from './evidenceRetention.js';
import { hallHireRetentionRules } from './hallHireRetention.js';
import { hireRequestRetention } from './hireRequestRetention.js';
import {
  destroyKeysOfErasedSubjects,
  pruneReminderLog,
  removeOldOutboxEmails,
} from './personalDataRetention.js';
import type { RetentionFollowUp, RetentionRule } from './retentionRegistry.js';

export const RETENTION_RULES: readonly RetentionRule[] = [
  // Hall hire: hirers' and speakers' names and contact details (SPEC §8), counted from the event.
  ...(hallHireRetentionRules as readonly RetentionRule[]),
  // Online hall-hire requests: where the hirer's emails went.
  hireRequestRetention as unknown as RetentionRule,
];

export const RETENTION_FOLLOW_UPS: readonly RetentionFollowUp[] = [
  // Evidence files of a booking's due-diligence reviews go once the booking's personal data has gone.
  removeEvidenceOfErasedBookings,
  // The audit log's keys of erased subjects, old outbox emails and old reminder-log lines (SPEC §11).
  destroyKeysOfErasedSubjects,
  removeOldOutboxEmails,
  pruneReminderLog,
];
