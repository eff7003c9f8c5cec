import type { CollectionName, RecordOf } from '../data/dbSchema.js';
import type { Store } from '../data/store/store.js';

/**
 * How long personal data is kept: one rule per collection that holds it. A rule says which date the
 * retention period counts from and what to remove once it has passed.
 */
export interface RetentionRule<C extends CollectionName = CollectionName> {
  collection: C;
  /**
   * The date the period counts from (for a booking, the event): an ISO date, a London local date-time
   * (`2026-03-14T18:30`) or an ISO instant. null keeps the record (nothing to count from yet).
   */
  dateOf(record: RecordOf<C>): string | null;
  /**
   * What to remove: a patch that blanks the personal fields (the result must still be a valid record,
   * e.g. a required name becomes "Removed"), or 'delete' to drop the whole record. A patch that
   * changes nothing (already removed) is skipped, so runs can repeat.
   */
  redact(record: RecordOf<C>): Partial<RecordOf<C>> | 'delete';
  /** Plain words for the audit log, e.g. "hirers' names and contact details, 6 years after their last booking". */
  describe: string;
}

/** What one rule (or follow-up) removed, for the result and the log. */
export interface RetentionCount {
  /** A collection, or what a follow-up step removed from (e.g. "auditLog", "outbox"). */
  collection: string;
  describe: string;
  redacted: number;
  deleted: number;
  /** Of these, in the archive files of past bookings (rewritten durably); absent when none there. */
  archived?: { redacted: number; deleted: number };
}

/**
 * A step run after the rules' change, for what a record patch cannot say (files beside the database that
 * go with removed personal data). It makes its own audited change and returns what it removed, or null.
 */
export type RetentionFollowUp = (store: Store, ctx: RetentionContext) => Promise<RetentionCount | null>;

/** The run a follow-up step belongs to: its date, and the date before which records were past the period. */
export interface RetentionContext {
  asOf: string;
  keptFrom: string;
}
