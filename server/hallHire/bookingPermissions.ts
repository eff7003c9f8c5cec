import { HttpError } from '../errors.js';
import {
  type BookingAction,
  type BookingFacts,
  bookingPermission,
  hirerPermission,
  type Permission,
} from '../../checks/permissions.js';
import type { User } from '../../data/schemas/accountSchemas.js';
import type { Booking } from '../../data/schemas/hallHireSchemas.js';
import type { Store } from '../../data/store/store.js';

/**
 * checks/permissions.ts applied to stored bookings: the facts it needs (status, and who decided each
 * booking) read from the store, and a refusal thrown as 403 with the reason in plain words. Every hall
 * hire route and service asks here before it changes a booking, its hirer, names or checks.
 */
export function createBookingPermissions(store: Store) {
  function factsOf(booking: Booking): BookingFacts {
    const decidedByRoles: string[] = [];
    for (const d of store.list('bookingDecisions')) {
      if (d.bookingId === booking.id) decidedByRoles.push(d.decidedByRole);
    }
    return { status: booking.status, decidedByRoles };
  }

  const permission = (user: User, action: BookingAction, booking: Booking): Permission =>
    bookingPermission(user, action, factsOf(booking));

  const hirerPermissionFor = (user: User, hirerId: string): Permission =>
    hirerPermission(
      user,
      store
        .list('bookings')
        .filter((b) => b.hirerId === hirerId)
        .map(factsOf),
    );

  const refuse = (p: Permission): void => {
    if (!p.allowed) throw new HttpError(p.status, p.reason);
  };

  return {
    permission,
    hirerPermissionFor,
    /** Refuses with 403 and the reason when `user` may not do `action` to the booking. */
    assertMay: (user: User, action: BookingAction, booking: Booking) =>
      refuse(permission(user, action, booking)),
    /** Refuses with 403 and the reason when `user` may not change this hirer (one of their bookings is the coordinator's). */
    assertMayEditHirer: (user: User, hirerId: string) => refuse(hirerPermissionFor(user, hirerId)),
  };
}

export type BookingPermissions = ReturnType<typeof createBookingPermissions>;
