import type { Review } from '../../data/schemas/reviewSchemas.js';
import { addDays, formatDate } from '../londonDates.js';
import type { Flag, FlagSubject } from './flagTypes.js';

export const DUE_SOON_DAYS = 30;

/** The subject types reviewed periodically (SPEC §4): the flag rules look up only their latest reviews. */
export const PERIODIC_TYPES: ReadonlySet<string> = new Set(['premises', 'library', 'school', 'plan']);

/** Latest submitted review per subject, keyed `type:id`, in one pass; only of `types` when given. */
export function latestReviews(reviews: readonly Review[], types?: ReadonlySet<string>): Map<string, Review> {
  const latest = new Map<string, Review>();
  for (const r of reviews) {
    if (r.status !== 'submitted' || (types && !types.has(r.subjectType))) continue;
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

/** Latest submitted reviews per subject type and id, for the flag rules (no key strings built). */
export class LatestReviews {
  private readonly byType = new Map<string, Map<string, Review>>();

  /** One pass over the reviews, keeping only subjects of `types`. */
  constructor(reviews: readonly Review[], types: ReadonlySet<string> = PERIODIC_TYPES) {
    for (const type of types) this.byType.set(type, new Map());
    for (const r of reviews) {
      if (r.status !== 'submitted') continue;
      const latest = this.byType.get(r.subjectType);
      if (!latest) continue;
      const cur = latest.get(r.subjectId);
      if (!cur || isLater(r, cur)) latest.set(r.subjectId, r);
    }
  }

  of(type: string, id: string): Review | undefined {
    return this.byType.get(type)?.get(id);
  }
}

let dueSoon = { asOf: '', by: '' };

/** The last due date that counts as due soon as of `asOf`, worked out once per as-of date. */
function dueSoonBy(asOf: string): string {
  if (dueSoon.asOf !== asOf) dueSoon = { asOf, by: addDays(asOf, DUE_SOON_DAYS) };
  return dueSoon.by;
}

/**
 * A message per date, made once: at national scale thousands of subjects share each due date, so flags
 * share their message strings instead of building one each.
 */
export function messagesByDate(make: (date: string) => string): (date: string) => string {
  const made = new Map<string, string>();
  return (date) => {
    let text = made.get(date);
    if (text === undefined) {
      text = make(date);
      if (made.size >= 20_000) made.clear();
      made.set(date, text);
    }
    return text;
  };
}

/** Messages of one kind of review ("Premises audit"), each date's made once. */
interface ReviewMessages {
  none: string;
  overdue: (due: string) => string;
  dueSoon: (due: string) => string;
  nonCompliant: (completedOn: string) => string;
  partial: (completedOn: string) => string;
}
const messagesOf = new Map<string, ReviewMessages>();

function reviewMessages(what: string): ReviewMessages {
  let m = messagesOf.get(what);
  if (!m) {
    const lower = what.toLowerCase();
    m = {
      none: `No ${lower} on record`,
      overdue: messagesByDate((due) => `${what} overdue since ${formatDate(due)}`),
      dueSoon: messagesByDate((due) => `${what} due by ${formatDate(due)}`),
      nonCompliant: messagesByDate(
        (on) => `Latest ${lower} (${formatDate(on)}) found critical items not in place`,
      ),
      partial: messagesByDate((on) => `Latest ${lower} (${formatDate(on)}) found items needing action`),
    };
    messagesOf.set(what, m);
  }
  return m;
}

/**
 * The four review rules for a subject that needs periodic review: overdue (none on record, or next due
 * before as-of), due soon (within 30 days, never with overdue), and the latest outcome.
 * `what` names the review in messages, e.g. "Premises audit". `nextDue` overrides the review's own
 * (e.g. shortened since the subject became high risk).
 */
export function periodicReviewFlags(
  subject: FlagSubject,
  latest: Review | undefined,
  asOf: string,
  what: string,
  out: Flag[],
  nextDue: string | null | undefined = latest?.nextDue,
): void {
  if (!latest) {
    out.push({
      rule: 'review-overdue',
      severity: 'high',
      subject,
      dueOn: null,
      message: reviewMessages(what).none,
    });
    return;
  }
  const messages = reviewMessages(what);
  const due = nextDue ?? null;
  if (due && due < asOf) {
    out.push({
      rule: 'review-overdue',
      severity: 'high',
      subject,
      dueOn: due,
      message: messages.overdue(due),
    });
  } else if (due && due <= dueSoonBy(asOf)) {
    out.push({
      rule: 'review-due-soon',
      severity: 'low',
      subject,
      dueOn: due,
      message: messages.dueSoon(due),
    });
  }
  if (latest.outcome === 'non-compliant') {
    out.push({
      rule: 'non-compliant',
      severity: 'high',
      subject,
      dueOn: due,
      message: messages.nonCompliant(latest.completedOn ?? ''),
    });
  } else if (latest.outcome === 'partially-compliant') {
    out.push({
      rule: 'partially-compliant',
      severity: 'medium',
      subject,
      dueOn: due,
      message: messages.partial(latest.completedOn ?? ''),
    });
  }
}
