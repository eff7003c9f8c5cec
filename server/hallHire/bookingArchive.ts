import type { ArchiveReader } from '../../data/store/archiveFiles.js';
import type { Booking, BookingDecision, BookingScreening } from '../../data/schemas/hallHireSchemas.js';
import type { Action, Review } from '../../data/schemas/reviewSchemas.js';
import type { Store } from '../../data/store/store.js';

/** An archived booking with the records that moved with it. */
export interface ArchivedBooking {
  booking: Booking;
  year: number;
  decisions: BookingDecision[];
  screenings: BookingScreening[];
  reviews: Review[];
  actions: Action[];
}

/** Thrown by a change to an archived booking: the page says why it cannot be changed. */
export class ArchivedBookingError extends Error {
  readonly status = 409;
  constructor(readonly booking: Booking) {
    super(
      `Booking ${booking.ref} is archived: it was decided and its event ended more than 12 months ago, so it can no longer be changed.`,
    );
  }
}

/**
 * Reads decided bookings that moved to the per-year archive files (jobs/archiveJob.ts). Live data always
 * wins: a booking still live (a move cut short) is never answered from the archive. Files are read only
 * when one of these is called, and kept until they change.
 */
export function createBookingArchive(store: Store, archive: ArchiveReader) {
  const live = (id: string) => store.get('bookings', id) !== undefined;

  /** Every archived booking not also live. */
  function bookings(): Booking[] {
    return archive.list('bookings').filter((b) => !live(b.id));
  }

  function find(id: string): ArchivedBooking | undefined {
    if (live(id)) return undefined;
    let found: { booking: Booking; year: number } | undefined;
    for (const year of archive.years()) {
      const b = archive.get(year, 'bookings', id);
      if (b && (!found || found.booking.version < b.version)) found = { booking: b, year };
    }
    if (!found) return undefined;
    const years = [found.year];
    const reviews = archive
      .list('reviews', years)
      .filter((r) => r.subjectType === 'booking' && r.subjectId === id);
    const reviewIds = new Set(reviews.map((r) => r.id));
    return {
      ...found,
      decisions: archive
        .list('bookingDecisions', years)
        .filter((d) => d.bookingId === id)
        .sort((a, b) => b.decidedAt.localeCompare(a.decidedAt)),
      screenings: archive
        .list('bookingScreenings', years)
        .filter((s) => s.bookingId === id)
        .sort((a, b) => b.at.localeCompare(a.at)),
      reviews: reviews.sort((a, b) => (b.submittedAt ?? '').localeCompare(a.submittedAt ?? '')),
      actions: archive
        .list('actions', years)
        .filter(
          (a) =>
            (a.subjectType === 'booking' && a.subjectId === id) ||
            (a.reviewId !== null && reviewIds.has(a.reviewId)),
        ),
    };
  }

  /** The decision in force on each archived booking, by booking id. */
  function decisionsById(): Map<string, BookingDecision> {
    const out = new Map<string, BookingDecision>();
    for (const d of archive.list('bookingDecisions')) out.set(d.id, d);
    return out;
  }

  /**
   * The archived booking (not also live) holding this booking reference, any case: refs stay unique across
   * live and archived bookings. Read from the files' reference index, cached until a file changes.
   */
  function byRef(ref: string): { id: string; year: number } | undefined {
    return archive.bookingsByRef(ref).find((f) => !live(f.id));
  }

  return {
    find,
    byRef,
    bookings,
    decisionsById,
    /** Archived bookings of these hirers, newest first. */
    ofHirers(hirerIds: ReadonlySet<string>): Booking[] {
      if (archive.years().length === 0) return [];
      return bookings()
        .filter((b) => hirerIds.has(b.hirerId))
        .sort((a, b) => b.start.localeCompare(a.start));
    },
  };
}

export type BookingArchive = ReturnType<typeof createBookingArchive>;
