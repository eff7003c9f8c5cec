import { type DecisionInput, decisionProblems } from '../../checks/bookingRules.js';
import { hirerReasonProblems } from '../../checks/hireRules.js';
import { addMonths, londonDate } from '../../checks/londonDates.js';
import { type Answers, noAnswers } from '../../checks/reviewRules.js';
import { getTemplate } from '../../checks/templates/index.js';
import type { User } from '../../data/schemas/accountSchemas.js';
import type { Booking, BookingDecision, BookingStatus } from '../../data/schemas/hallHireSchemas.js';
import type { Review } from '../../data/schemas/reviewSchemas.js';
import { checkVersion, type Store } from '../../data/store/store.js';
import { notFound } from '../errors.js';
import { type FieldErrors, InputError } from '../errors.js';
import type { BookingHooks } from './bookingService.js';
import type { BookingPermissions } from './bookingPermissions.js';
import type { ScreeningService } from './screeningService.js';

/** Regular hirers are re-checked once a year: a check of the last 12 months can be started from. */
const REGULAR_HIRER_MONTHS = 12;

/** A decision as typed: conditions one per line. */
export interface DecisionForm extends DecisionInput {
  version: number;
  /** The council's reason as the hirer of an online request is told it (refused, cancelled). */
  reasonForHirer?: string;
}

/** The checks a booking's decision rests on, and recording the decision. */
export function createDecisionService(
  store: Store,
  screening: ScreeningService,
  permissions: BookingPermissions,
  hooks: BookingHooks = {},
) {
  const checksReview = (booking: Booking): Review | undefined => {
    if (!booking.checksReviewId) return undefined;
    const r = store.get('reviews', booking.checksReviewId);
    return r?.status === 'submitted' ? r : undefined;
  };

  function criticalNos(review: Review | undefined): string[] {
    if (!review) return [];
    const template = getTemplate(review.templateId, review.templateVersion);
    return noAnswers(template, review.answers as Answers)
      .filter((q) => q.critical)
      .map((q) => q.id);
  }

  /** The hirer's most recent submitted check on any booking in the last 12 months (regular hirers). */
  function hirersRecentCheck(booking: Booking): Review | undefined {
    const since = addMonths(londonDate(store.now()), -REGULAR_HIRER_MONTHS);
    const ids = new Set(
      store
        .list('bookings')
        .filter((b) => b.hirerId === booking.hirerId && b.id !== booking.id)
        .map((b) => b.id),
    );
    let best: Review | undefined;
    for (const r of store.list('reviews')) {
      if (r.subjectType !== 'booking' || r.status !== 'submitted' || !ids.has(r.subjectId)) continue;
      if (!r.completedOn || r.completedOn < since) continue;
      if (!best || (r.submittedAt ?? '') > (best.submittedAt ?? '')) best = r;
    }
    return best;
  }

  /**
   * The same decision page sent again (back button, double click): the booking moved on by exactly the
   * one change that decision made, and its decision in force is this person's with the same content.
   * Then the decision is already recorded: it is returned, and nothing is written twice.
   */
  function repeatedDecision(user: User, booking: Booking, input: DecisionForm): BookingDecision | undefined {
    if (!booking.decisionId || booking.version !== input.version + 1) return undefined;
    const d = store.get('bookingDecisions', booking.decisionId);
    if (!d || d.decidedBy !== user.email || d.decision !== input.decision) return undefined;
    return d.rationale === input.rationale.trim() ? d : undefined;
  }

  /** The facts a decision depends on, for the form and for checking the decision. */
  function decisionContext(booking: Booking, user: User) {
    const review = checksReview(booking);
    return {
      status: booking.status,
      isCoordinator: user.role === 'coordinator',
      checksComplete: review !== undefined,
      checksOutcome: review?.outcome ?? null,
      criticalNos: criticalNos(review),
      openMatches: screening.openMatches(booking).length,
    };
  }

  return {
    checksReview,
    criticalNos,
    hirersRecentCheck,
    decisionContext,
    decisionsOf: (bookingId: string) =>
      store
        .list('bookingDecisions')
        .filter((d) => d.bookingId === bookingId)
        .sort((a, b) => b.decidedAt.localeCompare(a.decidedAt)),
    mayDecide: (booking: Booking, user: User) => permissions.permission(user, 'decide', booking).allowed,

    async decide(user: User, id: string, input: DecisionForm): Promise<BookingDecision> {
      const booking = store.get('bookings', id);
      if (!booking) throw notFound();
      const repeat = repeatedDecision(user, booking, input);
      if (repeat) return repeat;
      permissions.assertMay(user, 'decide', booking);
      const ctx = decisionContext(booking, user);
      const problems = [
        ...decisionProblems(input, ctx),
        ...hirerReasonProblems(booking, input.decision, input.reasonForHirer ?? ''),
      ];
      if (problems.length > 0) {
        const errors: FieldErrors = {};
        for (const p of problems) errors[p.field] ??= { text: p.message, href: `#${p.field}` };
        throw new InputError(errors);
      }
      const decision = input.decision as BookingDecision['decision'];
      const needsBalancing = decision === 'refused' || decision === 'approved-with-conditions';
      const coordinator = user.role === 'coordinator';
      return store.transact(user.email, (tx) => {
        // Sent twice at once (or through two instances): the other may have been recorded since the checks
        // above, which read memory before this change caught up. It is the answer, and nothing is written.
        const again = repeatedDecision(user, booking, input);
        if (again) return again;
        // A decision on a booking changed since the form was opened is refused whole.
        checkVersion('bookings', booking, input.version);
        const current = booking;
        const screened = screening.recordScreening(tx, current, user.email, 'decision', null);
        const record = tx.insert('bookingDecisions', {
          bookingId: id,
          decision,
          rationale: input.rationale.trim(),
          conditions: decision === 'approved-with-conditions' ? input.conditions : [],
          balancing: needsBalancing
            ? {
                expression: input.balancing.expression.trim(),
                equality: input.balancing.equality.trim(),
                alternatives: input.balancing.alternatives.trim(),
              }
            : null,
          decidedBy: user.email,
          decidedByRole: user.role,
          decidedAt: tx.at,
          decidedOn: londonDate(tx.at),
          previousStatus: booking.status,
          checksReviewId: booking.checksReviewId,
          screeningId: screened.id,
          ...(input.reasonForHirer?.trim() ? { reasonForHirer: input.reasonForHirer.trim() } : {}),
        });
        const cleared = coordinator
          ? [...new Set([...current.clearedEntryIds, ...screened.matches.map((m) => m.entryId)])]
          : current.clearedEntryIds;
        const decided = tx.update('bookings', id, {
          status: decision as BookingStatus,
          decisionId: record.id,
          clearedEntryIds: cleared,
        });
        hooks.decided?.(tx, record, decided);
        return record;
      });
    },
  };
}

export type DecisionService = ReturnType<typeof createDecisionService>;
