/**
 * Where each area registers the retention rules for the personal data it holds. `runRetention` imports
 * this file, so a rule added here applies wherever the job runs (the scheduler, the CLI, tests).
 * A rule: `dateOf` (pure: the date the period counts from), `redact` (a patch blanking the personal
 * fields, or 'delete') and `describe` (what is removed, for the log: counts only, never the data).
 */
import { removeEvidenceOfErasedBookings } from './evidenceRetention.js';
import { hallHireRetentionRules } from './hallHireRetention.js';
import {
  destroyKeysOfErasedSubjects,
  pruneReminderLog,
  removeOldOutboxEmails,
} from './personalDataRetention.js';
import { registerRetentionFollowUp, registerRetentionRule } from './retentionRegistry.js';

// Hall hire: hirers' and speakers' names and contact details (SPEC §8), counted from the event.
registerRetentionRule(hallHireRetentionRules[0]);
registerRetentionRule(hallHireRetentionRules[1]);
registerRetentionRule(hallHireRetentionRules[2]);

// Evidence files of a booking's due-diligence reviews go once the booking's personal data has gone.
registerRetentionFollowUp(removeEvidenceOfErasedBookings);

// The audit log's keys of erased subjects, old outbox emails and old reminder-log lines (SPEC §11).
registerRetentionFollowUp(destroyKeysOfErasedSubjects);
registerRetentionFollowUp(removeOldOutboxEmails);
registerRetentionFollowUp(pruneReminderLog);
