import type { Library } from '../../data/schemas/librarySchemas.js';
import type { Review } from '../../data/schemas/reviewSchemas.js';
import { latestReviews } from '../flags/periodicReviewFlags.js';
import type { ComplianceMeasure } from './complianceMeasures.js';

/** Open on a London date: not closed, or closed only in a later year (the dataset records the year). */
export function libraryOpenOn(library: Library, asOf: string): boolean {
  return library.yearClosed === null || library.yearClosed > Number(asOf.slice(0, 4));
}

/**
 * The attestation counts on `asOf` when it is not past its next due date and no change that made a new
 * one due (a new filtering provider) had taken effect by then without a later attestation.
 */
export function attestationInDate(library: Library, review: Review | undefined, asOf: string): boolean {
  if (!review?.nextDue || review.nextDue < asOf) return false;
  const re = library.reattestation;
  if (re && re.dueFrom <= asOf && !(review.submittedAt && review.submittedAt >= re.since)) return false;
  return true;
}

/**
 * Libraries open and in review scope on `asOf` whose latest attestation completed by then was in date
 * then (SPEC §16), by the same rule as the library `review-overdue` flag.
 */
export const librariesAttestedMeasure: ComplianceMeasure = {
  id: 'libraries-attested',
  area: 'Libraries',
  label: 'Libraries with an attestation in date',
  compute(data, { asOf }) {
    const latest = latestReviews(
      data.reviews.filter(
        (r) => r.subjectType === 'library' && r.completedOn !== null && r.completedOn <= asOf,
      ),
    );
    let total = 0;
    let met = 0;
    for (const library of data.libraries) {
      if (!libraryOpenOn(library, asOf)) continue;
      total++;
      if (attestationInDate(library, latest.get(`library:${library.id}`), asOf)) met++;
    }
    return { met, total };
  },
};
