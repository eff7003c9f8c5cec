import type { FlagData } from '../flags/flagTypes.js';
import { londonDate } from '../londonDates.js';

/**
 * The data as it stood at the end of a past London date, as far as records carry dates: reviews completed
 * by then, and review actions open then (closed later counts as open; raised from a later review is left
 * out). Other records are taken as they are now. Used to report a past quarter and its change.
 */
export function dataAsOf(data: FlagData, asOf: string): FlagData {
  const reviews = [];
  const later = new Set<string>();
  for (const r of data.reviews) {
    if (r.status !== 'submitted' || r.completedOn === null) continue;
    if (r.completedOn <= asOf) reviews.push(r);
    else later.add(r.id);
  }
  const actions = [];
  for (const a of data.actions) {
    if (a.reviewId !== null && later.has(a.reviewId)) continue;
    const closedLater = a.status === 'closed' && a.closedAt !== null && londonDate(a.closedAt) > asOf;
    actions.push(closedLater ? { ...a, status: 'open' as const, closedAt: null, closedBy: null } : a);
  }
  return { ...data, reviews, actions };
}
