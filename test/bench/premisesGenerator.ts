import { itemAt } from '../../data/itemAt.js';
import { addDays, addMonths } from '../../checks/londonDates.js';
import type { Premises } from '../../data/schemas/premisesSchemas.js';
import type { Action, Review } from '../../data/schemas/reviewSchemas.js';
import { actionRecord, premisesRecord, reviewRecord } from '../support/records.js';
import { benchId, loadedList } from './benchIds.js';

const WARDS = ['Abbey', 'Brookside', 'Castle', 'Dockside', 'Elmfield', 'Fairview', 'Greenway', 'Harbour'];
const TYPES = ['Community centre', 'Library', 'Leisure centre', 'Town hall', 'Youth centre', 'Depot'];

/**
 * Premises with a realistic spread for the flag rules and the dashboard: most audited within the last
 * 18 months (some overdue, some due soon, some never), outcomes mostly compliant, a few open actions.
 * Deterministic for a given count and as-of date, so runs compare.
 */
export function generatePremisesData(
  count: number,
  asOf: string,
): { premises: Premises[]; reviews: Review[]; actions: Action[] } {
  const premises = loadedList<Premises>();
  const reviews = loadedList<Review>();
  const actions = loadedList<Action>();
  for (let i = 0; i < count; i++) {
    const id = benchId('premises', i);
    const risk = i % 10 === 0 ? 'high' : i % 3 === 0 ? 'medium' : 'low';
    premises.push(
      premisesRecord(id, {
        ref: `BP${String(i).padStart(6, '0')}`,
        name: `${itemAt(TYPES, i % TYPES.length)} ${i}`,
        ward: itemAt(WARDS, i % WARDS.length),
        buildingType: itemAt(TYPES, i % TYPES.length),
        hireableSpace: i % 2 === 0,
        publicIt: i % 4 === 0,
        risk,
        riskRationale: risk === 'high' ? 'Large hireable hall, late opening' : null,
        siteManagerEmail: `manager${i % 50}@council.test`,
      }),
    );
    if (i % 12 === 5) continue; // never audited
    const completedOn = addDays(asOf, -((i * 37) % 540));
    const outcome = i % 17 === 0 ? 'non-compliant' : i % 7 === 0 ? 'partially-compliant' : 'compliant';
    const reviewId = benchId('review', i);
    reviews.push(
      reviewRecord(reviewId, id, {
        completedOn,
        submittedAt: `${completedOn}T10:00:00.000Z`,
        outcome,
        nextDue: addMonths(completedOn, risk === 'high' ? 6 : 12),
      }),
    );
    if (outcome !== 'compliant') {
      actions.push(
        actionRecord(benchId('action', i), {
          subjectId: id,
          reviewId,
          questionId: 'P5',
          dueOn: addDays(completedOn, 60),
          ownerEmail: `manager${i % 50}@council.test`,
        }),
      );
    }
  }
  return { premises: premises.done(), reviews: reviews.done(), actions: actions.done() };
}
