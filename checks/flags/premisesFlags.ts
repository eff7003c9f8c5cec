import type { Flag, FlagContext, FlagData } from './flagTypes.js';
import { periodicReviewFlags } from './periodicReviewFlags.js';

/** Every premises on the register (not archived) needs a periodic Prevent audit. */
export function premisesFlags(data: FlagData, asOf: string, { latest }: FlagContext): Flag[] {
  const out: Flag[] = [];
  for (const p of data.premises) {
    if (p.archived) continue;
    const subject = { type: 'premises' as const, id: p.id, ref: p.ref, name: p.name };
    periodicReviewFlags(subject, latest.get(`premises:${p.id}`), asOf, 'Premises audit', out);
  }
  return out;
}
