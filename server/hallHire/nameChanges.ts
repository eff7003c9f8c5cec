import { namesToScreen, screenKeysOf } from '../../checks/bookingRules.js';
import { londonLocalToInstant } from '../../checks/londonDates.js';
import type { Booking, Hirer } from '../../data/schemas/hallHireSchemas.js';
import type { Store, Transaction } from '../../data/store/store.js';

/**
 * When the names screened on a booking change, its checks no longer cover them: the check in force is
 * set aside and a booking waiting on it, or approved for an event still to come, is provisional again.
 * Sets the new keys on `patch`; says whether the names changed and whether the booking went back.
 */
export function applyNameChange(
  booking: Booking,
  newKeys: Booking['screenKeys'],
  patch: Partial<Booking>,
  now: Date,
): { changed: boolean; reset: boolean } {
  const before = booking.screenKeys
    .map((k) => k.key)
    .sort()
    .join('\n');
  const after = newKeys
    .map((k) => k.key)
    .sort()
    .join('\n');
  patch.screenKeys = newKeys;
  const roles = JSON.stringify(booking.screenKeys) !== JSON.stringify(newKeys);
  if (before === after) return { changed: roles, reset: false };
  if (booking.status === 'refused' || booking.status === 'cancelled') return { changed: true, reset: false };
  if (londonLocalToInstant(booking.end).getTime() <= now.getTime()) return { changed: true, reset: false };
  patch.checksReviewId = null;
  if (['checks-complete', 'approved', 'approved-with-conditions'].includes(booking.status)) {
    patch.status = 'provisional';
  }
  return { changed: true, reset: booking.checksReviewId !== null || patch.status === 'provisional' };
}

/** Keeps every booking of a hirer in step after the hirer's names changed. Returns the refs sent back. */
export function refreshHirersBookings(
  store: Store,
  tx: Transaction,
  hirer: Hirer,
  except: ReadonlySet<string> = new Set(),
): string[] {
  const reset: string[] = [];
  for (const b of store.list('bookings')) {
    if (b.hirerId !== hirer.id || except.has(b.id)) continue;
    const patch: Partial<Booking> = {};
    const result = applyNameChange(b, screenKeysOf(namesToScreen(hirer, b.speakers)), patch, store.now());
    if (result.reset) reset.push(b.ref);
    if (result.changed) tx.update('bookings', b.id, patch);
  }
  return reset;
}
