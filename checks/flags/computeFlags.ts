import { itemAt } from '../../data/itemAt.js';
import { actionFlags } from './actionFlags.js';
import { bookingFlags } from './bookingFlags.js';
import type { Flag, FlagContext, FlagData, FlagRuleSet } from './flagTypes.js';
import { severityOrder } from './flagTypes.js';
import { filterTestFlags } from './filterTestFlags.js';
import { libraryFlags } from './libraryFlags.js';
import { LatestReviews } from './periodicReviewFlags.js';
import { planFlags } from './planFlags.js';
import { premisesFlags } from './premisesFlags.js';
import { schoolFlags } from './schoolFlags.js';

import { trainingFlags } from './trainingFlags.js';

/** Every rule family; each area adds its own. */
export const ruleSets: FlagRuleSet[] = [
  premisesFlags,
  actionFlags,
  libraryFlags,
  filterTestFlags,
  schoolFlags,
  trainingFlags,
  planFlags,
  bookingFlags,
];

/** All flags for the data as of a London date, most severe first, then by due date (none first), then by ref. */
export function computeFlags(data: FlagData, asOf: string): Flag[] {
  const ctx = { latest: new LatestReviews(data.reviews) };
  const flags: Flag[] = [];
  for (const rules of ruleSets) {
    for (const f of rules(data, asOf, ctx)) flags.push(f);
  }
  noteUnactioned(flags, data, ctx);
  return sortFlags(flags);
}

const NO_ACTION = '; no action recorded';

/**
 * A partially compliant review without any action raised from it leaves nobody owning the next step:
 * its flag says "no action recorded" (issue 16, item 5). One pass over the actions, only when there is
 * such a flag.
 */
function noteUnactioned(flags: Flag[], data: FlagData, ctx: FlagContext): void {
  let actioned: Set<string> | null = null;
  for (let i = 0; i < flags.length; i++) {
    const f = itemAt(flags, i);
    if (f.rule !== 'partially-compliant') continue;
    const review = ctx.latest.of(f.subject.type, f.subject.id);
    if (review?.outcome !== 'partially-compliant') continue;
    actioned ??= new Set(data.actions.map((a) => a.reviewId).filter((id): id is string => id !== null));
    if (!actioned.has(review.id)) flags[i] = { ...f, message: f.message + NO_ACTION };
  }
}

/** A number that orders ISO dates as they sort as text (not a day count: only the order matters); null first. */
function dateKey(iso: string | null): number {
  if (iso === null) return 0;
  const year =
    (iso.charCodeAt(0) - 48) * 1000 +
    (iso.charCodeAt(1) - 48) * 100 +
    (iso.charCodeAt(2) - 48) * 10 +
    (iso.charCodeAt(3) - 48);
  const month = (iso.charCodeAt(5) - 48) * 10 + (iso.charCodeAt(6) - 48);
  const day = (iso.charCodeAt(8) - 48) * 10 + (iso.charCodeAt(9) - 48);
  return year * 416 + month * 32 + day + 1;
}

const byRef = (a: Flag, b: Flag) =>
  a.subject.ref < b.subject.ref ? -1 : a.subject.ref > b.subject.ref ? 1 : 0;

/**
 * Sorted in linear time, so flag time grows with the data and not faster: a radix sort on a 32-bit key
 * (severity, due date), then each run of equal keys (flags due the same day) by ref.
 */
export function sortFlags(flags: readonly Flag[]): Flag[] {
  const n = flags.length;
  const keys = new Uint32Array(n);
  flags.forEach((f, i) => {
    keys[i] = severityOrder[f.severity] * 2 ** 23 + dateKey(f.dueOn);
  });
  let order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  let spare = new Uint32Array(n);
  const counts = new Uint32Array(65_537);
  // Typed arrays of fixed length, read only below it: a read past the end (0) cannot happen.
  const keyOf = (flag: number): number => keys[flag] ?? 0;
  for (const shift of [0, 16]) {
    counts.fill(0);
    for (const flag of order) {
      const bucket = ((keyOf(flag) >>> shift) & 0xffff) + 1;
      counts[bucket] = (counts[bucket] ?? 0) + 1;
    }
    for (let b = 1; b < counts.length; b++) counts[b] = (counts[b] ?? 0) + (counts[b - 1] ?? 0);
    for (const flag of order) {
      const bucket = (keyOf(flag) >>> shift) & 0xffff;
      const to = counts[bucket] ?? 0;
      counts[bucket] = to + 1;
      spare[to] = flag;
    }
    [order, spare] = [spare, order];
  }
  const flagAt = (position: number): Flag => itemAt(flags, itemAt(order, position));
  const keyAt = (position: number): number => keyOf(itemAt(order, position));
  const out = new Array<Flag>(n);
  for (let start = 0; start < n; ) {
    let end = start + 1;
    while (end < n && keyAt(end) === keyAt(start)) end++;
    if (end - start === 1) {
      out[start] = flagAt(start);
    } else {
      const run: Flag[] = [];
      for (let i = start; i < end; i++) run.push(flagAt(i));
      run.sort(byRef);
      run.forEach((flag, i) => {
        out[start + i] = flag;
      });
    }

    start = end;
  }
  return out;
}
