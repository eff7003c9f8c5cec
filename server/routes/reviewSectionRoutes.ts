import { Router } from 'express';
import type { Answers } from '../../checks/reviewRules.js';
import type { User } from '../../data/schemas/accountSchemas.js';
import { reviewSections } from '../../checks/reviewSections.js';
import { str } from '../forms/formHelpers.js';
import { anyRole } from '../middleware/setUpAuthentication.js';
import type { Services } from '../services/createServices.js';
import { notFound, saveForm } from '../errors.js';
import { reviewPageRenderer } from './reviewPage.js';
import { readAnswers } from './reviewRoutes.js';

/**
 * A long checklist, one section per page (issue 20, item 1): `/reviews/ID` lists the sections with their
 * status, and `/reviews/ID/section/N` answers one. Saving a section merges its answers into the draft
 * over the version the page was opened at, and goes back to the list; "Save and continue" first checks
 * the section as a submit would, "Save and come back later" keeps it as it is.
 */
export function reviewSectionRoutes(services: Services) {
  const { reviews } = services;
  const router = Router();
  const renderReview = reviewPageRenderer(services);

  /** The review and the section asked for; 404 when the checklist has no such section. */
  function sectionOf(user: User, reviewId: string, number: string, need: 'view' | 'edit') {
    const found = reviews.reviewFor(user, reviewId, need);
    const section = reviewSections(found.template).find((s) => String(s.number) === number);
    if (!section) throw notFound();
    return { ...found, section };
  }

  router.get(
    '/reviews/:id/section/:number',
    anyRole()((req, res) => {
      const { review, section } = sectionOf(
        req.user,
        String(req.params.id),
        String(req.params.number),
        'view',
      );
      // A submitted review (or one the person may only read) has no section to answer: its page shows it.
      const kind = services.subjects.kind(review.subjectType);
      if (review.status !== 'draft' || !kind?.canEdit(req.user, review.subjectId)) {
        return res.redirect(303, `/reviews/${review.id}`);
      }
      renderReview(res, req.user, review.id, { section });
    }),
  );

  router.post(
    '/reviews/:id/section/:number',
    anyRole()(async (req, res) => {
      const { review, template, section } = sectionOf(
        req.user,
        String(req.params.id),
        String(req.params.number),
        'edit',
      );
      const saved = review.answers as Answers;
      const refuted = reviews.consistency.contradictions(review, saved).map((c) => c.questionId);
      const answers: Answers = {
        ...saved,
        ...readAnswers(req.body, section.questionIds, saved, new Set(refuted)),
      };
      // The notes are asked for on the last section's page; the other pages keep them as saved.
      const last = section.number === reviewSections(template).length;
      const notes = last ? str(req.body, 'notes') || null : review.notes;
      const typed = review.draftAttestation;
      const result = await saveForm(() =>
        reviews.save(req.user, review.id, {
          answers,
          notes,
          version: Number.parseInt(str(req.body, 'version'), 10),
          submit: false,
          ...(str(req.body, 'intent') === 'continue' ? { checkQuestions: section.questionIds } : {}),
          ...(typed ? { attestation: typed } : {}),
        }),
      );
      // A review submitted meanwhile shows as submitted, with the reason nothing changed.
      if (!result.ok && review.status !== 'draft') {
        return renderReview(res, req.user, review.id, { errors: result.errors });
      }
      if (!result.ok) {
        return renderReview(res, req.user, review.id, {
          section,
          errors: result.errors,
          answers,
          notes,
          ticks: {
            confirm: section.questionIds.filter((id) => str(req.body, `confirm-${id}`) === 'yes'),
            all: str(req.body, 'confirmAll') === 'yes',
          },
        });
      }
      req.session.flash = {
        text:
          str(req.body, 'intent') === 'continue'
            ? `Your answers to ${section.title} were saved`
            : `Your answers to ${section.title} were saved as a draft. You can come back to them later`,
      };
      res.redirect(303, `/reviews/${review.id}#sections`);
    }),
  );

  return router;
}
