import { formatDate } from './londonDates.js';

export interface DueReasonInput {
  asOf: string;
  /** Names the review in the sentence, e.g. "library attestation". */
  what: string;
  /** The latest submitted review of the subject, if any. */
  latest: { completedOn: string | null; nextDue: string | null } | null;
  /** A change that made a new review due at once (a library's new filtering provider). */
  changed: { dueFrom: string; reason: string } | null;
  /** The next due date that applies, when the subject shortens the stored one (high-risk premises). */
  nextDue?: string | null;
  highRisk?: boolean;
}

/**
 * Why a review is due, in one sentence for the top of its form: "Due because the filtering provider
 * changed from A to B on 5 May 2026", "Due by 1 June 2026, 12 months after the last one on …".
 */
export function reviewDueReason({ asOf, what, latest, changed, nextDue, highRisk }: DueReasonInput): string {
  if (changed && changed.dueFrom <= asOf) return `Due because ${changed.reason}.`;
  if (!latest?.completedOn) return `Due because there is no ${what} on record yet.`;
  const due = nextDue ?? latest.nextDue;
  const last = formatDate(latest.completedOn);
  const risk = highRisk ? ' (every 6 months: the building is rated high risk)' : '';
  if (!due) return `The last ${what} was on ${last}.`;
  if (due < asOf) return `Overdue since ${formatDate(due)}: the last ${what} was on ${last}${risk}.`;
  if (changed) return `Due by ${formatDate(changed.dueFrom)} because ${changed.reason}.`;
  return `Due by ${formatDate(due)}: the last ${what} was on ${last}${risk}.`;
}
