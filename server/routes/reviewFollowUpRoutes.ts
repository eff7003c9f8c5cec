import { itemAt } from '../../data/itemAt.js';
import { type Response, Router } from 'express';
import { PERIODIC_TYPES } from '../../checks/flags/periodicReviewFlags.js';
import { isEmailAddress } from '../../checks/email.js';
import { addMonths, londonDate } from '../../checks/londonDates.js';
import type { Question } from '../../checks/templateTypes.js';
import type { Review } from '../../data/schemas/reviewSchemas.js';
import { type DateParts, readDateInput, str } from '../forms/formHelpers.js';
import { anyRole } from '../middleware/setUpAuthentication.js';
import type { Services } from '../services/createServices.js';
import type { FieldErrors } from '../errors.js';

/** SPEC §10 bound on free text. */
const MAX_DESCRIPTION = 5000;

interface ActionValues {
  raise: boolean;
  description: string;
  ownerEmail: string;
  due: DateParts | string;
}

/**
 * The step between submitting an audit or attestation and its confirmation (issue 16, item 5): each
 * answer of "no" without an action is offered one (what, owner, due date), so somebody owns the next
 * step; the person may also go on without. Booking checks have their own decision step instead.
 */
export function reviewFollowUpRoutes({ reviews, store }: Services) {
  const router = Router();

  /** Answers of "no" on a submitted review that have no action yet. */
  function unactioned(review: Review, questions: Question[]): Question[] {
    const actioned = new Set(
      reviews
        .actionsFor(review.subjectType, review.subjectId)
        .filter((a) => a.reviewId === review.id)
        .map((a) => a.questionId),
    );
    return questions.filter((q) => !actioned.has(q.id));
  }

  function render(
    res: Response,
    ctx: ReturnType<typeof reviews.reviewFor>,
    questions: Question[],
    values: Record<string, ActionValues>,
    errors: FieldErrors = {},
  ) {
    const hasErrors = Object.keys(errors).length > 0;
    res.status(hasErrors ? 400 : 200).render('pages/reviews/followUp', {
      title: `Actions for the answers of “no”: ${ctx.subject.name}`,
      review: ctx.review,
      subject: ctx.subject,
      questions,
      values,
      errors,
      hasErrors,
    });
  }

  router.get(
    '/reviews/:id/follow-up',
    anyRole()((req, res) => {
      const ctx = reviews.reviewFor(req.user, String(req.params.id), 'edit');
      // A draft has no outcome yet: its answers may still change, so it is sent back to its form.
      if (ctx.review.status !== 'submitted') return res.redirect(303, `/reviews/${ctx.review.id}`);
      const questions = unactioned(ctx.review, reviews.noAnswers(ctx.template, ctx.review));
      const due = addMonths(londonDate(store.now()), 1);
      const values = Object.fromEntries(
        questions.map((q) => [
          q.id,
          { raise: true, description: `Put right: ${q.text}`, ownerEmail: req.user.email, due },
        ]),
      );
      render(res, ctx, questions, values);
    }),
  );

  router.post(
    '/reviews/:id/follow-up',
    anyRole()(async (req, res) => {
      const ctx = reviews.reviewFor(req.user, String(req.params.id), 'edit');
      if (ctx.review.status !== 'submitted') return res.redirect(303, `/reviews/${ctx.review.id}`);
      const questions = unactioned(ctx.review, reviews.noAnswers(ctx.template, ctx.review));
      // The confirmation page lists the actions raised and what happens next.
      const done = () => res.redirect(303, `/reviews/${ctx.review.id}/confirmation`);
      if (str(req.body, 'intent') === 'skip' || questions.length === 0) return done();
      const errors: FieldErrors = {};
      const values: Record<string, ActionValues> = {};
      const inputs: { questionId: string; description: string; ownerEmail: string | null; dueOn: string }[] =
        [];
      for (const q of questions) {
        const raise = str(req.body, `raise-${q.id}`) === 'yes';
        const description = str(req.body, `description-${q.id}`);
        const ownerEmail = str(req.body, `owner-${q.id}`).toLowerCase();
        const due = readDateInput(req.body, `due-${q.id}`, `a due date for ${q.id}`);
        values[q.id] = { raise, description, ownerEmail, due: due.parts };
        if (!raise) continue;
        if (!description) {
          errors[`description-${q.id}`] = {
            text: `Describe the action for ${q.id}`,
            href: `#description-${q.id}`,
          };
        } else if (description.length > MAX_DESCRIPTION) {
          errors[`description-${q.id}`] = {
            text: `The action for ${q.id} must be ${MAX_DESCRIPTION.toLocaleString('en-GB')} characters or fewer`,
            href: `#description-${q.id}`,
          };
        }
        if (ownerEmail && !isEmailAddress(ownerEmail)) {
          errors[`owner-${q.id}`] = {
            text: `Enter the owner’s email address for ${q.id} in the correct format, like name@example.com`,
            href: `#owner-${q.id}`,
          };
        }
        if (due.error) errors[`due-${q.id}`] = { text: due.error, href: `#due-${q.id}-day` };
        inputs.push({ questionId: q.id, description, ownerEmail: ownerEmail || null, dueOn: due.iso ?? '' });
      }
      if (inputs.length === 0 && Object.keys(errors).length === 0) {
        errors.actions = {
          text: 'Select the answers to raise an action for, or continue without raising actions',
          href: `#raise-${itemAt(questions, 0).id}`,
        };
      }
      if (Object.keys(errors).length > 0) return render(res, ctx, questions, values, errors);
      await reviews.raiseActions(req.user, ctx.review.id, inputs);
      done();
    }),
  );

  return router;
}

/** Where a submitted review goes next: the follow-up step when an audit or attestation has any "no". */
export function afterSubmit(review: Review, noCount: number): string | null {
  return PERIODIC_TYPES.has(review.subjectType) && noCount > 0 ? `/reviews/${review.id}/follow-up` : null;
}
