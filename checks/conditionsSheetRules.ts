import type { BookingDecision, BookingStatus } from '../data/schemas/hallHireSchemas.js';
import { formatDate } from './londonDates.js';

export type ConditionsSheet =
  | { printable: true }
  | { printable: false; heading: string; why: string; mayGoAhead: boolean };

/**
 * A conditions sheet tells on-site staff the event may go ahead on these terms, so it prints only while
 * the booking is `approved-with-conditions` (SPEC §16). Otherwise: why not, in the officer's words. A
 * decision still linked to a booking that went back to provisional (its names changed) no longer stands.
 */
export function conditionsSheet(
  status: BookingStatus,
  decision: Pick<BookingDecision, 'decision' | 'decidedOn'> | null,
): ConditionsSheet {
  if (status === 'approved-with-conditions') return { printable: true };
  const on = decision ? formatDate(decision.decidedOn) : null;
  const notApproved = (why: string) => ({
    printable: false as const,
    heading: 'This booking is not approved',
    why,
    mayGoAhead: false,
  });
  const overtaken =
    decision && decision.decision !== status
      ? `The decision of ${on} no longer stands: the names on the booking changed after it, so `
      : '';
  switch (status) {
    case 'approved':
      return {
        printable: false,
        heading: 'This booking was approved without conditions',
        why: `It was approved${on ? ` on ${on}` : ''} with no conditions for on-site staff to check.`,
        mayGoAhead: true,
      };
    case 'provisional':
      return notApproved(
        overtaken
          ? `${overtaken}its due-diligence checks must be done again and a new decision recorded.`
          : 'Its due-diligence checks have not been completed, and no decision has been recorded.',
      );
    case 'checks-complete':
      return notApproved(
        overtaken
          ? `${overtaken}a new decision must be recorded. Its checks have been done again.`
          : 'Its due-diligence checks are complete, but no decision has been recorded yet.',
      );
    case 'referred':
      return notApproved('It was referred to the Prevent coordinator, who has not recorded a decision yet.');
    case 'refused':
      return notApproved(`It was refused${on ? ` on ${on}` : ''}. The event must not go ahead.`);
    case 'cancelled':
      return notApproved('It was cancelled. The event must not go ahead.');
  }
}
