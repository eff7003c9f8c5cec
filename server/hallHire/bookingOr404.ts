import type { Booking } from '../../data/schemas/hallHireSchemas.js';
import { notFound } from '../errors.js';
import { ArchivedBookingError } from './bookingArchive.js';
import type { BookingService } from './bookingService.js';

/** A live booking; an archived one is refused with a page saying why it cannot be changed. */
export function bookingOr404(bookings: BookingService, id: unknown): Booking {
  const b = bookings.get(String(id));
  if (b) return b;
  const old = bookings.archived.find(String(id));
  if (old) throw new ArchivedBookingError(old.booking);
  throw notFound();
}
