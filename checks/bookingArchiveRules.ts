import type {
  Booking,
  BookingDecision,
  BookingScreening,
  BookingStatus,
} from '../data/schemas/hallHireSchemas.js';
import type { Action, Review } from '../data/schemas/reviewSchemas.js';
import type { FlagData } from './flags/flagTypes.js';
import { addMonths } from './londonDates.js';

/** How long a decided booking stays in the live data after its event. */
export const ARCHIVE_AFTER_MONTHS = 12;

/** Statuses nothing more happens to. Provisional, checks-complete and referred bookings stay live however old. */
export const FINAL_STATUSES: ReadonlySet<BookingStatus> = new Set([
  'approved',
  'approved-with-conditions',
  'refused',
  'cancelled',
]);

/** Bookings whose event ended before this London date (more than 12 months before `asOf`) may move. */
export function archiveCutoff(asOf: string): string {
  return addMonths(asOf, -ARCHIVE_AFTER_MONTHS);
}

/** The year of the archive file a booking goes to: the year its event starts. */
export function archiveYearOf(booking: Pick<Booking, 'start'>): number {
  return Number(booking.start.slice(0, 4));
}

/** A booking that may move to the archive, with every record that belongs only to it. */
export interface ArchiveGroup {
  booking: Booking;
  bookingDecisions: BookingDecision[];
  bookingScreenings: BookingScreening[];
  reviews: Review[];
  actions: Action[];
}

export interface ArchivePlan {
  cutoff: string;
  groups: ArchiveGroup[];
  /** Old enough and decided, but kept live: a flag is raised on them, or work on them is still open. */
  heldBack: { flagged: number; openWork: number };
}

/**
 * Which bookings move to the archive as of `asOf`: a final status, an event that ended more than 12 months
 * before, and nothing still open on it (no open action, no check in progress) nor any flag raised on it
 * (`flagged`: booking ids the flag rules name), so the flags never need the archive. One pass over each
 * collection.
 */
export function planBookingArchive(data: FlagData, asOf: string, flagged: ReadonlySet<string>): ArchivePlan {
  const cutoff = archiveCutoff(asOf);
  const groups = new Map<string, ArchiveGroup>();
  for (const b of data.bookings) {
    if (!FINAL_STATUSES.has(b.status) || b.end.slice(0, 10) >= cutoff) continue;
    groups.set(b.id, { booking: b, bookingDecisions: [], bookingScreenings: [], reviews: [], actions: [] });
  }
  const held = new Map<string, 'flagged' | 'openWork'>();
  for (const id of flagged) if (groups.has(id)) held.set(id, 'flagged');
  for (const d of data.bookingDecisions) groups.get(d.bookingId)?.bookingDecisions.push(d);
  for (const s of data.bookingScreenings) groups.get(s.bookingId)?.bookingScreenings.push(s);
  const reviewOf = new Map<string, string>();
  for (const r of data.reviews) {
    if (r.subjectType !== 'booking') continue;
    const g = groups.get(r.subjectId);
    if (!g) continue;
    g.reviews.push(r);
    reviewOf.set(r.id, r.subjectId);
    if (r.status !== 'submitted' && !held.has(r.subjectId)) held.set(r.subjectId, 'openWork');
  }
  for (const a of data.actions) {
    const bookingId =
      a.subjectType === 'booking' ? a.subjectId : a.reviewId ? reviewOf.get(a.reviewId) : undefined;
    const g = bookingId ? groups.get(bookingId) : undefined;
    if (!g || !bookingId) continue;
    g.actions.push(a);
    if (a.status === 'open' && !held.has(bookingId)) held.set(bookingId, 'openWork');
  }
  const heldBack = { flagged: 0, openWork: 0 };
  for (const [id, why] of held) {
    groups.delete(id);
    heldBack[why]++;
  }
  return { cutoff, groups: [...groups.values()], heldBack };
}
