import type { Premises } from '../../data/schemas/premisesSchemas.js';
import type { Review } from '../../data/schemas/reviewSchemas.js';
import { addMonths } from '../londonDates.js';
import type { Flag, FlagContext, FlagData } from './flagTypes.js';
import { periodicReviewFlags } from './periodicReviewFlags.js';

const HIGH_RISK_MONTHS = 6;

/**
 * A review stores its next due date under the risk rating of the day; premises rated high risk since are
 * due 6 months after it, not at the later date stored.
 */
export function premisesNextDue(p: Premises, review: Review | undefined): string | null {
  if (!review?.nextDue) return null;
  if (p.risk === 'high' && review.completedOn) {
    const shortened = addMonths(review.completedOn, HIGH_RISK_MONTHS);
    if (shortened < review.nextDue) return shortened;
  }
  return review.nextDue;
}

/** Every premises on the register (not archived) needs a periodic Prevent audit. */
export function premisesFlags(data: FlagData, asOf: string, { latest }: FlagContext): Flag[] {
  const out: Flag[] = [];
  for (const p of data.premises) {
    if (p.archived) continue;
    const subject = { type: 'premises' as const, id: p.id, ref: p.ref, name: p.name };
    const review = latest.of('premises', p.id);
    periodicReviewFlags(subject, review, asOf, 'Premises audit', out, premisesNextDue(p, review));
  }
  return out;
}
