import type { Booking, BookingScreening, Hirer } from '../data/schemas/hallHireSchemas.js';

/*
 * Retention of hirers' and speakers' personal data (SPEC §8: kept for the retention period after the
 * event, then removed). Each rule has the shape of the retention job's RetentionRule: the date the period
 * counts from, and the patch that removes the personal fields while keeping what the council needs as
 * evidence (dates, venue, organisation, checks, decisions). Listed in RETENTION_RULES
 * (jobs/retentionRules.ts), which the retention job applies.
 */

export const bookingRetention = {
  collection: 'bookings' as const,
  dateOf: (b: Booking): string | null => b.end,
  redact: (_b: Booking): Partial<Booking> => ({
    eventTitle: null,
    purpose: null,
    speakers: [],
    screenKeys: [],
    personalDataRemoved: true,
  }),
  describe:
    "speakers' names and the event title and purpose of bookings, after the retention period from the event",
};

export const hirerRetention = {
  collection: 'hirers' as const,
  // Counted from the hirer's latest event, so a regular hirer's record stays while they keep booking.
  dateOf: (h: Hirer): string | null => h.lastEventOn ?? h.createdAt,
  redact: (_h: Hirer): Partial<Hirer> => ({
    name: 'Removed',
    otherNames: [],
    email: null,
    phone: null,
    address: null,
    personalDataRemoved: true,
  }),
  describe:
    "hirers' names, other names and contact details, after the retention period from their latest event",
};

export const screeningRetention = {
  collection: 'bookingScreenings' as const,
  dateOf: (s: BookingScreening): string | null => s.eventDay,
  redact: (s: BookingScreening): Partial<BookingScreening> => ({
    matches: s.matches.map((m) => ({
      ...m,
      name: 'Removed',
      reason: `A name on the booking matched “${m.matchedText}” on ${m.source}`,
    })),
  }),
  describe: 'the booking names recorded in watch-list screenings, after the retention period from the event',
};

export const hallHireRetentionRules = [bookingRetention, hirerRetention, screeningRetention];
