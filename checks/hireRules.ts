import type { Booking, BookingDecision, BookingStatus } from '../data/schemas/hallHireSchemas.js';
import { type FieldProblem, firstDayBeyond, LEAD_TIME_WORKING_DAYS } from './bookingRules.js';
import { LIMITS } from './limits.js';
import { formatDate } from './londonDates.js';

/**
 * The earliest day an online request may start: more than the lead time (10 working days) away, so the
 * council's checks can be done before the event (SPEC §4's `booking-checks-incomplete` would flag it).
 */
export function earliestOnlineStart(today: string): string {
  return firstDayBeyond(today, LEAD_TIME_WORKING_DAYS);
}

/** What the hirer is told about their request: the same words on the status page and in the emails. */
export interface HirerStatus {
  /** Short status, e.g. "Approved with conditions". */
  title: string;
  /** One or two sentences saying what it means for them. */
  text: string;
  /** Conditions of an approval with conditions, else empty. */
  conditions: string[];
  /** The council's reason as written for the hirer (refused or cancelled), else null. */
  reason: string | null;
  /** Whether a decision they should hear about is recorded. */
  decided: boolean;
}

/**
 * The hirer's view of a booking. Built only from the status and the decision's hirer-facing fields
 * (`conditions`, `reasonForHirer`): never the rationale, the screening or any watch-list match, so none
 * of those can reach the hirer by this path. A referral is still "being considered" to them.
 */
export function hirerStatus(
  status: BookingStatus,
  decision: Pick<BookingDecision, 'decision' | 'conditions' | 'reasonForHirer'> | null,
): HirerStatus {
  const reason = decision?.reasonForHirer?.trim() || null;
  switch (status) {
    case 'approved':
      return {
        title: 'Approved',
        text: 'Your booking is approved. The venue will contact you about payment and access.',
        conditions: [],
        reason: null,
        decided: true,
      };
    case 'approved-with-conditions':
      return {
        title: 'Approved with conditions',
        text: 'Your booking is approved on the conditions below. The event must keep to them.',
        conditions: decision?.conditions ?? [],
        reason: null,
        decided: true,
      };
    case 'refused':
      return {
        title: 'Refused',
        text: 'The council cannot accept this booking.',
        conditions: [],
        reason,
        decided: true,
      };
    case 'cancelled':
      return {
        title: 'Cancelled',
        text: 'This booking has been cancelled.',
        conditions: [],
        reason,
        decided: true,
      };
    default:
      return {
        title: 'Being considered',
        text: 'We have your request and are checking it. We will email you when a decision is made.',
        conditions: [],
        reason: null,
        decided: false,
      };
  }
}

/** "14 March 2027, 18:30 to 21:00", or across two days "14 March 2027 18:30 to 15 March 2027 01:00". */
export function bookingWhenText(start: string, end: string): string {
  const day = start.slice(0, 10);
  const endDay = end.slice(0, 10);
  return day === endDay
    ? `${formatDate(day)}, ${start.slice(11)} to ${end.slice(11)}`
    : `${formatDate(day)} ${start.slice(11)} to ${formatDate(endDay)} ${end.slice(11)}`;
}

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
