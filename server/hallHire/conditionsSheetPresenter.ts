import { statusText } from '../../checks/bookingRules.js';
import { conditionsSheet } from '../../checks/conditionsSheetRules.js';
import { formatDate } from '../../checks/londonDates.js';
import type { Booking, BookingDecision, Hirer } from '../../data/schemas/hallHireSchemas.js';

export interface ConditionsSheetInput {
  booking: Booking;
  /** The decision the booking points at, if any (it may no longer stand). */
  decision: BookingDecision | null;
  hirer: Hirer | undefined;
  hallText: string;
  whenText: string;
}

/**
 * The page at /bookings/ID/conditions: the printable sheet while the booking is approved with
 * conditions; otherwise a page saying it is not approved, its status and why, with no conditions on it.
 */
export function conditionsSheetPage({
  booking: b,
  decision,
  hirer,
  hallText,
  whenText,
}: ConditionsSheetInput): {
  view: string;
  locals: Record<string, unknown>;
} {
  const sheet = conditionsSheet(b.status, decision);
  const common = {
    b,
    hallText,
    whenText,
    statusText: statusText[b.status],
    backLink: { href: `/bookings/${b.id}`, text: `Back to booking ${b.ref}` },
  };
  if (!sheet.printable) {
    return {
      view: 'pages/bookings/conditionsNotApproved',
      locals: { ...common, title: `No conditions sheet for booking ${b.ref}`, sheet },
    };
  }
  return {
    view: 'pages/bookings/conditions',
    locals: {
      ...common,
      title: `Conditions for booking ${b.ref}`,
      hirer,
      decision,
      decidedText: decision ? formatDate(decision.decidedOn) : '',
    },
  };
}
