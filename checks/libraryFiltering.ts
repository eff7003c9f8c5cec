import type { FilteringProfile } from '../data/schemas/librarySchemas.js';
import { formatDate } from './londonDates.js';

/**
 * Inappropriate-content categories of the UK Safer Internet Centre "Appropriate filtering" checklist
 * (CHECKLISTS.md §3). Offered when recording blocked categories and filter tests; others can be typed.
 */
export const filterCategories = [
  'Discrimination',
  'Drugs / substance abuse',
  'Extremism',
  'Gambling',
  'Malware / hacking',
  'Pornography',
  'Piracy and copyright theft',
  'Self-harm',
  'Violence',
] as const;

/** Categories question L4 of the attestation expects blocked for every public profile. */
export const requiredBlockedCategories = ['Extremism', 'Discrimination', 'Violence'] as const;

export const policyDocNames = {
  filteringPolicy: 'Filtering policy',
  accessAgreement: 'Internet access agreement',
  inappropriateUsePolicy: 'Policy on inappropriate use',
} as const;

function providerKey(provider: string | null): string {
  return (provider ?? '').trim().replace(/\s+/g, ' ').toLowerCase();
}

/**
 * A change of filtering provider makes a new attestation due at once (CHECKLISTS.md §3 (c)). Recording
 * a provider for the first time is not a change; correcting its spelling or case is not either.
 */
export function providerChanged(before: string | null, after: string | null): boolean {
  return providerKey(before) !== '' && providerKey(before) !== providerKey(after);
}

/**
 * What the filtering profile is missing or has let lapse, in plain words, as of a London date: the
 * things an attestation would have to answer "no" to, so a manager can put them right first.
 */
export function profileGaps(profile: FilteringProfile, asOf: string): string[] {
  const gaps: string[] = [];
  if (!profile.provider) gaps.push('No filtering provider recorded');
  if (!profile.iwf.confirmed) gaps.push('IWF membership not confirmed by the provider');
  if (!profile.ctiru.confirmed) gaps.push('Blocking of the CTIRU list not confirmed by the provider');
  const blocked = new Set(profile.blockedCategories.map((c) => c.toLowerCase()));
  const missing = requiredBlockedCategories.filter((c) => !blocked.has(c.toLowerCase()));
  if (missing.length > 0) gaps.push(`Not recorded as blocked: ${missing.join(', ')}`);
  if (profile.publicWifi === 'unfiltered') gaps.push('Public Wi-Fi is not covered by the filter');
  for (const [key, name] of Object.entries(policyDocNames)) {
    const doc = profile[key as keyof typeof policyDocNames];
    if (!doc.approvedOn) gaps.push(`${name}: no approved version recorded`);
    else if (doc.nextReview && doc.nextReview < asOf)
      gaps.push(`${name}: review was due by ${formatDate(doc.nextReview)}`);
  }
  return gaps;
}
