import type { Review } from '../../data/schemas/reviewSchemas.js';
import { addDays, formatDate } from '../londonDates.js';
import type { Flag, FlagSubject } from './flagTypes.js';

export const DUE_SOON_DAYS = 30;

/** Latest submitted review per subject, keyed `type:id`, in one pass. */
export function latestReviews(reviews: readonly Review[]): Map<string, Review> {
  const latest = new Map<string, Review>();
  for (const r of reviews) {
    if (r.status !== 'submitted') continue;
    const key = `${r.subjectType}:${r.subjectId}`;
    const cur = latest.get(key);
    if (!cur || isLater(r, cur)) latest.set(key, r);
  }
  return latest;
}

function isLater(a: Review, b: Review): boolean {
  const ac = a.completedOn ?? '';
  const bc = b.completedOn ?? '';
  if (ac !== bc) return ac > bc;
  return (a.submittedAt ?? '') > (b.submittedAt ?? '');
}

/**
 * The four review rules for a subject that needs periodic review: overdue (none on record, or next due
 * before as-of), due soon (within 30 days, never with overdue), and the latest outcome.
 * `what` names the review in messages, e.g. "Premises audit".
 */
export function periodicReviewFlags(
  subject: FlagSubject,
  latest: Review | undefined,
  asOf: string,
  what: string,
  out: Flag[],
): void {
  if (!latest) {
    out.push({
      rule: 'review-overdue',
      severity: 'high',
      subject,
      dueOn: null,
      message: `No ${what.toLowerCase()} on record`,
    });
    return;
  }
  const due = latest.nextDue;
  if (due && due < asOf) {
    out.push({
      rule: 'review-overdue',
      severity: 'high',
      subject,
      dueOn: due,
      message: `${what} overdue since ${formatDate(due)}`,
    });
  } else if (due && due <= addDays(asOf, DUE_SOON_DAYS)) {
    out.push({
      rule: 'review-due-soon',
      severity: 'low',
      subject,
      dueOn: due,
      message: `${what} due by ${formatDate(due)}`,
    });
  }
  if (latest.outcome === 'non-compliant') {
    out.push({
      rule: 'non-compliant',
      severity: 'high',
      subject,
      dueOn: due,
      message: `Latest ${what.toLowerCase()} (${formatDate(latest.completedOn)}) found critical items not in place`,
    });
  } else if (latest.outcome === 'partially-compliant') {
    out.push({
      rule: 'partially-compliant',
      severity: 'medium',
      subject,
      dueOn: due,
      message: `Latest ${what.toLowerCase()} (${formatDate(latest.completedOn)}) found items needing action`,
    });
  }
}
