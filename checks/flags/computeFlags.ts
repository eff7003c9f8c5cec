import { actionFlags } from './actionFlags.js';
import { bookingFlags } from './bookingFlags.js';
import type { Flag, FlagData, FlagRuleSet } from './flagTypes.js';
import { severityOrder } from './flagTypes.js';
import { libraryFlags } from './libraryFlags.js';
import { latestReviews } from './periodicReviewFlags.js';
import { planFlags } from './planFlags.js';
import { premisesFlags } from './premisesFlags.js';
import { schoolFlags } from './schoolFlags.js';

import { trainingFlags } from './trainingFlags.js';

/** Every rule family; each area adds its own. */
export const ruleSets: FlagRuleSet[] = [
  premisesFlags,
  actionFlags,
  libraryFlags,
  schoolFlags,
  trainingFlags,
  planFlags,
  bookingFlags,
];

/** All flags for the data as of a London date, most severe first, then by due date. */
export function computeFlags(data: FlagData, asOf: string): Flag[] {
  const ctx = { latest: latestReviews(data.reviews) };
  const flags: Flag[] = [];
  for (const rules of ruleSets) {
    for (const f of rules(data, asOf, ctx)) flags.push(f);
  }
  return flags.sort(
    (a, b) =>
      severityOrder[a.severity] - severityOrder[b.severity] ||
      (a.dueOn ?? '').localeCompare(b.dueOn ?? '') ||
      a.subject.ref.localeCompare(b.subject.ref),
  );
}
