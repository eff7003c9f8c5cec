import { formatDate } from '../londonDates.js';
import type { Flag, FlagContext, FlagData } from './flagTypes.js';
import { periodicReviewFlags } from './periodicReviewFlags.js';

const WHAT = 'Library attestation';

/**
 * Every open library needs its manager's annual attestation; closed libraries (with a closing year) are
 * never flagged. A change such as a new filtering provider makes a new attestation due at once: from
 * that date the attestation submitted before the change no longer counts, so the library is overdue
 * (and the old outcome no longer stands) until a new one is submitted.
 */
export function libraryFlags(data: FlagData, asOf: string, { latest }: FlagContext): Flag[] {
  const out: Flag[] = [];
  for (const library of data.libraries) {
    if (library.yearClosed !== null) continue;
    const subject = { type: 'library' as const, id: library.id, ref: library.name, name: library.name };
    let review = latest.of('library', library.id);
    const re = library.reattestation;
    if (re && !(review?.submittedAt && review.submittedAt >= re.since)) {
      if (re.dueFrom <= asOf) {
        out.push({
          rule: 'review-overdue',
          severity: 'high',
          subject,
          dueOn: re.dueFrom,
          message: `New ${WHAT.toLowerCase()} due since ${formatDate(re.dueFrom)}: ${re.reason}`,
        });
        continue;
      }
      // As of a date before the change, the new attestation is due on the day of the change.
      if (review?.nextDue && re.dueFrom < review.nextDue) review = { ...review, nextDue: re.dueFrom };
    }
    periodicReviewFlags(subject, review, asOf, WHAT, out);
  }
  return out;
}
