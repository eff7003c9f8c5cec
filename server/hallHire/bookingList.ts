import type { User } from '../../data/schemas/accountSchemas.js';
import type { Booking, Hall } from '../../data/schemas/hallHireSchemas.js';
import type { Premises } from '../../data/schemas/premisesSchemas.js';
import type { Store } from '../../data/store/store.js';
import type { BookingArchive } from './bookingArchive.js';

export interface BookingFilter {
  status?: string;
  q?: string;
  premisesId?: string;
  /** Words of the building's name or reference. */
  building?: string;
  when?: string;
  mine?: string;
  /** 'yes': archived bookings too (decided, more than a year past), read from the archive files. */
  archived?: string;
  /** 'online': only requests hirers made on the public form. */
  origin?: string;
}

/** The bookings list: filtered by status, words, premises (or words of its name), when and officer; soonest first (latest for past). */
export function createBookingList(
  store: Store,
  archived: BookingArchive,
  premisesOf: (hall: Hall | undefined) => Premises | undefined,
) {
  return function list(filter: BookingFilter, user: User, today: string) {
    const q = filter.q?.trim().toLowerCase();
    const building = filter.building?.trim().toLowerCase();
    const rows = [];
    const archivedIds = new Set<string>();
    const all: readonly Booking[] =
      filter.archived === 'yes'
        ? [...store.list('bookings'), ...archived.bookings()]
        : store.list('bookings');
    if (filter.archived === 'yes')
      for (const b of all) if (!store.get('bookings', b.id)) archivedIds.add(b.id);
    for (const b of all) {
      if (filter.status && b.status !== filter.status) continue;
      if (filter.origin === 'online' && b.origin !== 'online') continue;
      if (filter.mine && b.bookingOfficerEmail !== user.email.toLowerCase()) continue;
      const day = b.start.slice(0, 10);
      if (filter.when === 'upcoming' && day < today) continue;
      if (filter.when === 'past' && day >= today) continue;
      const hall = store.get('halls', b.hallId);
      if (filter.premisesId && hall?.premisesId !== filter.premisesId) continue;
      const premises = premisesOf(hall);
      if (building && !`${premises?.name ?? ''} ${premises?.ref ?? ''}`.toLowerCase().includes(building))
        continue;
      const hirer = store.get('hirers', b.hirerId);
      if (
        q &&
        !`${b.ref} ${b.eventTitle ?? ''} ${hirer?.name ?? ''} ${hirer?.organisation ?? ''}`
          .toLowerCase()
          .includes(q)
      )
        continue;
      rows.push({ booking: b, hall, premises, hirer, archived: archivedIds.has(b.id) });
    }
    const past = filter.when === 'past';
    return rows.sort((a, b) =>
      past ? b.booking.start.localeCompare(a.booking.start) : a.booking.start.localeCompare(b.booking.start),
    );
  };
}
