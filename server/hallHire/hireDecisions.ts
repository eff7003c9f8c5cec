import { LIMITS } from '../../checks/limits.js';
import type { Booking } from '../../data/schemas/hallHireSchemas.js';
import type { FieldProblem } from '../../checks/bookingRules.js';

/**
 * The reason for the hirer: its own field, so nothing of the rationale, the screening or internal notes
 * reaches the hirer. A refusal of an online request needs one (the hirer is emailed it); it is optional
 * for a cancellation and has no place on other decisions.
 */
export function hirerReasonProblems(booking: Booking, decision: string, reason: string): FieldProblem[] {
  const text = reason.trim();
  if (text.length > LIMITS.freeText)
    return [
      {
        field: 'reasonForHirer',
        message: `The reason for the hirer must be ${LIMITS.freeText.toLocaleString('en-GB')} characters or fewer`,
      },
    ];
  if (booking.origin === 'online' && decision === 'refused' && !text)
    return [
      {
        field: 'reasonForHirer',
        message:
          'Give the reason the hirer will be told: this request was made online and they are emailed it',
      },
    ];
  if (text && decision !== 'refused' && decision !== 'cancelled')
    return [
      {
        field: 'reasonForHirer',
        message:
          'Only a refusal or a cancellation gives the hirer a reason: choose that decision or clear the reason',
      },
    ];
  return [];
}
