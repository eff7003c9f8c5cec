import { latestReviews } from '../flags/periodicReviewFlags.js';
import { premisesNextDue } from '../flags/premisesFlags.js';
import type { ComplianceMeasure } from './complianceMeasures.js';

/**
 * Premises on the register (not archived) whose latest audit completed by `asOf` is not overdue on `asOf`,
 * by the same rule as the premises `review-overdue` flag (high-risk premises due 6 months after).
 */
export const premisesAuditedMeasure: ComplianceMeasure = {
  id: 'premises-audited',
  area: 'Premises',
  label: 'Premises audited and in date',
  compute(data, { asOf }) {
    const latest = latestReviews(
      data.reviews.filter(
        (r) => r.subjectType === 'premises' && r.completedOn !== null && r.completedOn <= asOf,
      ),
    );
    let total = 0;
    let met = 0;
    for (const p of data.premises) {
      if (p.archived) continue;
      total++;
      const review = latest.get(`premises:${p.id}`);
      const due = premisesNextDue(p, review);
      if (due !== null && due >= asOf) met++;
    }
    return { met, total };
  },
};
