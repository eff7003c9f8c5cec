import { Router } from 'express';
import { PERIODIC_TYPES } from '../../checks/flags/periodicReviewFlags.js';
import { formatDate } from '../../checks/londonDates.js';
import { anyRole } from '../middleware/setUpAuthentication.js';
import type { Services } from '../services/createServices.js';
import { checkPageRenderer } from './reviewCheckPage.js';

/**
 * The end of a review's journey (issue 20, item 1): "check your answers" before the one irreversible
 * submit, and the confirmation panel after it saying what happens next.
 */
export function reviewCheckRoutes(services: Services) {
  const { reviews, subjects } = services;
  const router = Router();
  const renderCheck = checkPageRenderer(services);

  router.get(
    '/reviews/:id/check',
    anyRole()((req, res) => renderCheck(res, req.user, String(req.params.id))),
  );

  router.get(
    '/reviews/:id/confirmation',
    anyRole()((req, res) => {
      const { review, subject, template } = reviews.reviewFor(req.user, String(req.params.id), 'view');
      const kind = subjects.kind(review.subjectType);
      // A draft has nothing to confirm yet: it goes back to its form.
      if (!kind || review.status !== 'submitted') return res.redirect(303, `/reviews/${review.id}`);
      const actions = reviews
        .actionsFor(review.subjectType, review.subjectId)
        .filter((a) => a.reviewId === review.id && a.status === 'open')
        .map((a) => ({
          description: a.description,
          due: formatDate(a.dueOn),
          owner: a.ownerEmail,
        }));
      res.render('pages/reviews/confirmation', {
        title: `${kind.reviewName} submitted: ${subject.name}`,
        review,
        subject,
        reviewName: kind.reviewName,
        periodic: PERIODIC_TYPES.has(review.subjectType),
        nextDueText: review.nextDue ? formatDate(review.nextDue) : null,
        noCount: reviews.noAnswers(template, review).length,
        actions,
      });
    }),
  );

  return router;
}
