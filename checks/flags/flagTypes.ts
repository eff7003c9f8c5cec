import type { Db } from '../../data/dbSchema.js';
import type { LatestReviews } from './periodicReviewFlags.js';
import type { SubjectType } from '../templateTypes.js';

export type Severity = 'critical' | 'high' | 'medium' | 'low';

export type FlagRule =
  | 'review-overdue'
  | 'review-due-soon'
  | 'non-compliant'
  | 'partially-compliant'
  | 'action-overdue'
  | 'booking-checks-incomplete'
  | 'booking-watchlist-match'
  | 'spoc-missing'
  | 'spoc-training-expired'
  | 'spoc-contact-stale'
  | 'training-below-target'
  | 'filter-test-failed';

export interface FlagSubject {
  type: SubjectType;
  id: string;
  ref: string;
  name: string;
}

/** One finding of the compliance checker (SPEC §4). */
export interface Flag {
  rule: FlagRule;
  severity: Severity;
  subject: FlagSubject;
  dueOn: string | null;
  message: string;
}

/** Read-only view of the database the rules work on. */
export type FlagData = Readonly<Db>;

/** What several rule families need, worked out once per run. */
export interface FlagContext {
  /** Latest submitted review per subject: `latest.of('premises', id)`. */
  latest: LatestReviews;
}

/** A rule family: a pure function of the data and the "as of" London date. */
export type FlagRuleSet = (data: FlagData, asOf: string, ctx: FlagContext) => Flag[];

export const severityOrder: Record<Severity, number> = { critical: 0, high: 1, medium: 2, low: 3 };
