import { z } from 'zod';
import { isoDate, isoDateTime, optionalText, recordBase } from './common.js';

/** One of the three policy documents: which version is in force, when it was approved, when it is next reviewed. */
export const policyDocSchema = z.object({
  version: optionalText,
  approvedOn: isoDate.nullable().default(null),
  nextReview: isoDate.nullable().default(null),
  url: optionalText,
});
export type PolicyDoc = z.infer<typeof policyDocSchema>;

/** A fact the filtering provider confirmed (IWF membership, CTIRU-list blocking): when, and the evidence. */
export const providerConfirmationSchema = z.object({
  confirmed: z.boolean().default(false),
  on: isoDate.nullable().default(null),
  evidence: optionalText,
});
export type ProviderConfirmation = z.infer<typeof providerConfirmationSchema>;

export const publicWifiValues = ['filtered', 'unfiltered', 'none'] as const;
export const policyDocKeys = ['filteringPolicy', 'accessAgreement', 'inappropriateUsePolicy'] as const;
export type PolicyDocKey = (typeof policyDocKeys)[number];

const emptyDoc = () => ({ version: null, approvedOn: null, nextReview: null, url: null });
const unconfirmed = () => ({ confirmed: false, on: null, evidence: null });

export function emptyFilteringProfile(): FilteringProfile {
  return {
    provider: null,
    product: null,
    iwf: unconfirmed(),
    ctiru: unconfirmed(),
    blockedCategories: [],
    childProfile: null,
    childAgeThreshold: null,
    publicPcCount: null,
    publicWifi: null,
    filteringPolicy: emptyDoc(),
    accessAgreement: emptyDoc(),
    inappropriateUsePolicy: emptyDoc(),
  };
}

/** How the library's public internet access is filtered, and the policies behind it (CHECKLISTS.md §3 (d)). */
export const filteringProfileSchema = z.object({
  provider: optionalText,
  product: optionalText,
  iwf: providerConfirmationSchema.default(unconfirmed),
  ctiru: providerConfirmationSchema.default(unconfirmed),
  blockedCategories: z.array(z.string()).default([]),
  childProfile: z.boolean().nullable().default(null),
  childAgeThreshold: z.number().int().nullable().default(null),
  publicPcCount: z.number().int().nullable().default(null),
  /** Public Wi-Fi covered by the filter, not covered, or none offered; null when not known. */
  publicWifi: z.enum(publicWifiValues).nullable().default(null),
  filteringPolicy: policyDocSchema.default(emptyDoc),
  /** The internet access agreement (acceptable use policy). */
  accessAgreement: policyDocSchema.default(emptyDoc),
  inappropriateUsePolicy: policyDocSchema.default(emptyDoc),
});
export type FilteringProfile = z.infer<typeof filteringProfileSchema>;

/**
 * A new attestation is due at once from `dueFrom` (London date of the change that caused it); an
 * attestation submitted before `since` no longer counts.
 */
export const reattestationSchema = z.object({
  dueFrom: isoDate,
  since: isoDateTime,
  reason: z.string().min(1),
});

export const librarySchema = z.object({
  ...recordBase,
  /** The library service (local authority) as the dataset spells it. Key: service + name. */
  service: z.string().min(1),
  name: z.string().min(1),
  address: optionalText,
  postcode: optionalText,
  uprn: optionalText,
  type: optionalText,
  statutory: z.boolean().nullable().default(null),
  yearOpened: z.number().int().nullable().default(null),
  /** A library with a closing year is closed: kept on the register, never reviewed or flagged. */
  yearClosed: z.number().int().nullable().default(null),
  /** The library's public email address from the dataset. */
  contactEmail: optionalText,
  filtering: filteringProfileSchema.default(emptyFilteringProfile),
  reattestation: reattestationSchema.nullable().default(null),
});
export type Library = z.infer<typeof librarySchema>;

export const filterTestResults = ['blocked', 'not-blocked'] as const;

/** One test of the filter: did the categories tried get blocked on this device or network? */
export const filterTestSchema = z.object({
  ...recordBase,
  libraryId: z.string().min(1),
  testedOn: isoDate,
  deviceOrNetwork: z.string().min(1),
  categoriesTried: z.array(z.string()).min(1),
  result: z.enum(filterTestResults),
  /** Of the categories tried, those that got through (a failed test); empty when all were blocked. */
  categoriesNotBlocked: z.array(z.string()).default([]),
  notes: optionalText,
  recordedBy: z.string(),
});
export type FilterTest = z.infer<typeof filterTestSchema>;

/** Collections of this area; each key becomes an array in the database file. */
export const libraryCollections = { libraries: librarySchema, filterTests: filterTestSchema };
