import { z } from 'zod';
import { isoDate, isoDateTime, localDateTime, optionalText, recordBase } from './common.js';

/** A hireable space inside premises. `premisesId` is read by the premises page. */
export const hallSchema = z.object({
  ...recordBase,
  premisesId: z.string().min(1),
  name: z.string().min(1),
  capacity: z.number().int().min(0).nullable().default(null),
  archived: z.boolean().default(false),
  /** Offered on the public request form (/hire). Optional so records written before it stay as they are. */
  bookableOnline: z.boolean().optional(),
});
export type Hall = z.infer<typeof hallSchema>;

/** A person who books, and the organisation they book for. Personal data: removed after retention. */
export const hirerSchema = z.object({
  ...recordBase,
  name: z.string().min(1),
  organisation: optionalText,
  otherNames: z.array(z.string().min(1)).default([]),
  charityNumber: optionalText,
  companyNumber: optionalText,
  email: optionalText,
  phone: optionalText,
  address: optionalText,
  /** London date of the hirer's latest event: the retention period counts from it. */
  lastEventOn: isoDate.nullable().default(null),
  /** Set when the retention job removed the personal data (the record stays so bookings keep their history). */
  personalDataRemoved: z.boolean().default(false),
});
export type Hirer = z.infer<typeof hirerSchema>;

export const speakerSchema = z.object({
  name: z.string().min(1),
  aliases: z.array(z.string().min(1)).default([]),
  affiliation: optionalText,
});
export type Speaker = z.infer<typeof speakerSchema>;

export const bookingStatuses = [
  'provisional',
  'checks-complete',
  'approved',
  'approved-with-conditions',
  'referred',
  'refused',
  'cancelled',
] as const;
export type BookingStatus = (typeof bookingStatuses)[number];

export const decisionValues = [
  'approved',
  'approved-with-conditions',
  'referred',
  'refused',
  'cancelled',
] as const;
export type DecisionValue = (typeof decisionValues)[number];

/** Which name on a booking was screened: the hirer, their organisation, another name, a speaker or an alias. */
export const screenRoles = ['hirer', 'organisation', 'other-name', 'speaker', 'speaker-alias'] as const;
export type ScreenRole = (typeof screenRoles)[number];

export const bookingSchema = z.object({
  ...recordBase,
  ref: z.string().min(1),
  hallId: z.string().min(1),
  /** London local time, YYYY-MM-DDTHH:MM. */
  start: localDateTime,
  end: localDateTime,
  eventTitle: optionalText,
  purpose: optionalText,
  expectedAttendance: z.number().int().min(0).nullable().default(null),
  /** Open to the public (true) or ticketed / invitation only (false). */
  openToPublic: z.boolean().nullable().default(null),
  hirerId: z.string().min(1),
  speakers: z.array(speakerSchema).default([]),
  bookingOfficerEmail: z.string().email().nullable().default(null),
  status: z.enum(bookingStatuses),
  /**
   * Normalised watch-list keys of every name on the booking (hirer, organisation, other names, speakers,
   * aliases), kept up to date on every save so the flags only look them up.
   */
  screenKeys: z.array(z.object({ key: z.string().min(1), role: z.enum(screenRoles) })).default([]),
  /** The submitted due-diligence check that completed the checks; cleared when the screened names change. */
  checksReviewId: z.string().nullable().default(null),
  /** The decision in force. */
  decisionId: z.string().nullable().default(null),
  /** Watch-list entries a coordinator has decided on for this booking: they no longer raise a flag. */
  clearedEntryIds: z.array(z.string()).default([]),
  /** Set when the retention job removed the hirer's and speakers' personal data from the booking. */
  personalDataRemoved: z.boolean().default(false),
  /** 'online': requested by the hirer on the public form (/hire); absent: entered or imported by staff. */
  origin: z.enum(['staff', 'online']).optional(),
});
export type Booking = z.infer<typeof bookingSchema>;

export const listVersionSchema = z.object({
  listId: z.string(),
  source: z.string(),
  asOf: isoDate,
  /** The list record's version: bumped whenever the list's entries change. */
  listVersion: z.number().int(),
  entries: z.number().int(),
});
export type ListVersion = z.infer<typeof listVersionSchema>;

export const screeningMatchSchema = z.object({
  role: z.enum(screenRoles),
  /** The name on the booking that matched. */
  name: z.string(),
  entryId: z.string(),
  listId: z.string(),
  source: z.string(),
  asOf: isoDate,
  entryName: z.string(),
  entryType: z.enum(['organisation', 'person']),
  matchedText: z.string(),
  via: z.enum(['name', 'alias']),
  reason: z.string(),
});
export type ScreeningMatch = z.infer<typeof screeningMatchSchema>;

/** One watch-list check of a booking's names: which list versions it ran against and what matched. */
export const bookingScreeningSchema = z.object({
  ...recordBase,
  bookingId: z.string(),
  /** London date the event ends: the retention period of the names recorded here counts from it. */
  eventDay: isoDate,
  at: isoDateTime,
  by: z.string(),
  why: z.enum(['checks-submitted', 'decision', 'requested']),
  reviewId: z.string().nullable().default(null),
  lists: z.array(listVersionSchema),
  matches: z.array(screeningMatchSchema),
});
export type BookingScreening = z.infer<typeof bookingScreeningSchema>;

export const balancingSchema = z.object({
  /** Freedom of expression and assembly (ECHR articles 10 and 11, Human Rights Act 1998). */
  expression: z.string().min(1),
  /** Equality Act 2010 duties, including the public sector equality duty. */
  equality: z.string().min(1),
  /** The less restrictive options weighed. */
  alternatives: z.string().min(1),
});
export type Balancing = z.infer<typeof balancingSchema>;

export const bookingDecisionSchema = z.object({
  ...recordBase,
  bookingId: z.string(),
  decision: z.enum(decisionValues),
  rationale: z.string().min(1),
  conditions: z.array(z.string().min(1)).default([]),
  balancing: balancingSchema.nullable().default(null),
  decidedBy: z.string(),
  decidedByRole: z.string(),
  decidedAt: isoDateTime,
  decidedOn: isoDate,
  previousStatus: z.enum(bookingStatuses),
  /** The due-diligence check in force when the decision was made. */
  checksReviewId: z.string().nullable().default(null),
  screeningId: z.string().nullable().default(null),
  /**
   * The council's reason as the hirer is told it (email, status page): a field of its own, so screening
   * details and internal reasons never reach the hirer.
   */
  reasonForHirer: z.string().nullable().optional(),
});
export type BookingDecision = z.infer<typeof bookingDecisionSchema>;

/** One loaded watch list (e.g. the OFSI consolidated list), matched on its source when re-imported. */
export const watchlistSchema = z.object({
  ...recordBase,
  source: z.string().min(1),
  asOf: isoDate,
  format: z.enum(['simple', 'ofsi']),
  entryCount: z.number().int().min(0),
  importedAt: isoDateTime,
  importedBy: z.string(),
});
export type WatchlistRecord = z.infer<typeof watchlistSchema>;

export const watchlistEntrySchema = z.object({
  ...recordBase,
  listId: z.string(),
  name: z.string().min(1),
  aliases: z.array(z.string()).default([]),
  type: z.enum(['organisation', 'person']),
  listedOn: isoDate.nullable().default(null),
  /** OFSI Group ID; null in the simple layout. */
  reference: optionalText,
  regime: optionalText,
});
export type WatchlistEntryRecord = z.infer<typeof watchlistEntrySchema>;

/** Collections of this area; each key becomes an array in the database file. */
export const hallHireCollections = {
  halls: hallSchema,
  hirers: hirerSchema,
  bookings: bookingSchema,
  bookingDecisions: bookingDecisionSchema,
  bookingScreenings: bookingScreeningSchema,
  watchlists: watchlistSchema,
  watchlistEntries: watchlistEntrySchema,
};
