import { isEmailAddress } from '../../checks/email.js';
import { Router } from 'express';
import { addMonths } from '../../checks/londonDates.js';
import type { Answers } from '../../checks/reviewRules.js';
import type { Answer } from '../../checks/templateTypes.js';
import { readDateInput, str } from '../forms/formHelpers.js';
import { anyRole } from '../middleware/setUpAuthentication.js';
import type { Services } from '../services/createServices.js';
import { notFound, saveForm } from '../errors.js';
import { checkPageRenderer, draftAsForm } from './reviewCheckPage.js';
import { afterSubmit } from './reviewFollowUpRoutes.js';
import { reviewPageRenderer } from './reviewPage.js';

const ANSWERS = new Set(['yes', 'no', 'na']);

/**
 * Reads the review form: `answer-Q` radios, `comment-Q`, and `confirm-Q` for carried-over answers. The
 * one-tick "confirm all" leaves out `notForConfirmAll`: questions the records contradict.
 */
export function readAnswers(
  body: Record<string, unknown>,
  questionIds: string[],
  previous: Answers,
  notForConfirmAll: ReadonlySet<string> = new Set(),
): Answers {
  const answers: Answers = {};
  for (const id of questionIds) {
    const raw = str(body, `answer-${id}`);
    const answer = ANSWERS.has(raw) ? (raw as Answer) : null;
    const prev = previous[id];
    // A carried-over answer stays "to confirm" until it is ticked as confirmed or changed.
    const confirmed =
      str(body, `confirm-${id}`) === 'yes' ||
      (str(body, 'confirmAll') === 'yes' && !notForConfirmAll.has(id));
    const toConfirm = Boolean(prev?.toConfirm && answer === prev.answer && !confirmed);
    // One visible field per question: the reason when "not applicable", otherwise a note.
    const comment = str(body, `comment-${id}`) || null;
    answers[id] = {
      answer,
      reason: answer === 'na' ? comment : null,
      note: answer === 'na' ? null : comment,
      toConfirm,
      ...(toConfirm && prev?.from ? { from: prev.from } : {}),
    };
  }
  return answers;
}

export function reviewRoutes(services: Services) {
  const { reviews, store } = services;
  const router = Router();

  router.post(
    '/reviews/start',
    anyRole()(async (req, res) => {
      const subjectType = str(req.body, 'subjectType');
      const subjectId = str(req.body, 'subjectId');
      if (!services.subjects.kind(subjectType)) throw notFound();
      const review = await reviews.start(req.user, subjectType, subjectId, str(req.body, 'from') === 'last');
      res.redirect(303, `/reviews/${review.id}`);
    }),
  );

  const renderReview = reviewPageRenderer(services);
  const renderCheck = checkPageRenderer(services);

  router.get('/reviews/:id', anyRole(), (req, res) => renderReview(res, req.user, String(req.params.id)));

  router.post(
    '/reviews/:id',
    anyRole()(async (req, res) => {
      const { review, template } = reviews.reviewFor(req.user, String(req.params.id), 'edit');
      const intent = str(req.body, 'intent');
      const submit = intent === 'submit';
      // "Submit" on the check-your-answers page sends the draft it showed, as saved.
      const fromCheck = submit && str(req.body, 'step') === 'check';
      // A check page older than the draft (changed in another tab, or by a colleague) submits nothing:
      // the answers as they are now are shown to check again. Nothing of the person's is lost: what
      // their page showed was a saved draft.
      const version = Number.parseInt(str(req.body, 'version'), 10);
      const body = fromCheck ? draftAsForm(review) : req.body;
      // Answers as saved that the records contradict: "confirm all" does not confirm them.
      const refuted = reviews.consistency
        .contradictions(review, review.answers as Answers)
        .map((c) => c.questionId);
      const answers = readAnswers(
        body,
        template.questions.map((q) => q.id),
        review.answers as Answers,
        new Set(refuted),
      );
      const notes = str(body, 'notes') || null;
      // The same submit sent again (a second click): not a change, so it goes on to the confirmation.
      const again = reviews.sameSubmission(review, req.user, { submit, version, answers, notes });
      if (fromCheck && !again && version !== review.version) {
        return renderCheck(res, req.user, review.id, {
          status: 409,
          notice: 'The answers changed since you opened this page. Check them again before you submit.',
        });
      }
      const confirmed = template.attestation?.onBehalfOf
        ? readDateInput(body, 'attest-date', 'the date they confirmed', false)
        : null;
      const attestation = {
        name: str(body, 'attest-name'),
        role: str(body, 'attest-role'),
        confirmedOn: confirmed?.iso ?? null,
        confirmedOnError: confirmed?.error ?? null,
        ...(confirmed ? { date: confirmed.parts } : {}),
      };
      const saved = await saveForm(() =>
        reviews.save(req.user, review.id, {
          answers,
          notes,
          version,
          submit,
          check: intent === 'check',
          attestation,
        }),
      );
      if (!saved.ok) {
        return renderReview(res, req.user, review.id, {
          errors: saved.errors,
          answers,
          notes,
          attestation: { ...attestation, date: confirmed?.parts },
          ticks: {
            confirm: template.questions.map((q) => q.id).filter((id) => str(body, `confirm-${id}`) === 'yes'),
            all: str(body, 'confirmAll') === 'yes',
          },
        });
      }
      if (intent === 'check') return res.redirect(303, `/reviews/${review.id}/check`);
      if (submit) {
        // An audit or attestation with answers of "no" goes to the step offering their actions first.
        const next = afterSubmit(saved.value, reviews.noAnswers(template, saved.value).length);
        return res.redirect(303, next ?? `/reviews/${review.id}/confirmation`);
      }
      req.session.flash = { text: 'Your answers were saved as a draft. You can come back to them later' };
      res.redirect(303, `/reviews/${review.id}`);
    }),
  );

  router.get(
    '/reviews/:id/actions/new',
    anyRole()((req, res) => {
      const { review, subject, template } = reviews.reviewFor(req.user, String(req.params.id), 'edit');
      const q = template.questions.find((x) => x.id === str(req.query, 'question'));
      res.render('pages/reviews/actionForm', {
        title: 'Raise an action',
        review,
        subject,
        question: q ?? null,
        values: {
          description: q ? `Put right: ${q.text}` : '',
          ownerEmail: '',
          due: addMonths(store.now().toISOString().slice(0, 10), 1),
        },
        errors: {},
      });
    }),
  );

  router.post(
    '/reviews/:id/actions',
    anyRole()(async (req, res) => {
      const { review, subject, template } = reviews.reviewFor(req.user, String(req.params.id), 'edit');
      const questionId = str(req.body, 'questionId');
      const description = str(req.body, 'description');
      const ownerEmail = str(req.body, 'ownerEmail').toLowerCase();
      const due = readDateInput(req.body, 'due', 'a due date');
      const errors: Record<string, { text: string; href: string }> = {};
      if (!description) errors.description = { text: 'Describe the action', href: '#description' };
      if (ownerEmail && !isEmailAddress(ownerEmail)) {
        errors.ownerEmail = {
          text: 'Enter the owner’s email address in the correct format',
          href: '#ownerEmail',
        };
      }
      if (due.error) errors.due = { text: due.error, href: '#due-day' };
      if (Object.keys(errors).length > 0 || !due.iso) {
        return res.status(400).render('pages/reviews/actionForm', {
          title: 'Raise an action',
          review,
          subject,
          question: template.questions.find((x) => x.id === questionId) ?? null,
          values: { description, ownerEmail, due: due.parts },
          errors,
          hasErrors: true,
        });
      }
      await reviews.raiseAction(req.user, review.id, {
        questionId,
        description,
        ownerEmail,
        dueOn: due.iso,
      });
      req.session.flash = { text: 'The action was raised' };
      res.redirect(303, `/reviews/${review.id}`);
    }),
  );

  router.post(
    '/actions/:id/close',
    anyRole()(async (req, res) => {
      const { action, subject } = reviews.actionSubject(req.user, String(req.params.id));
      await reviews.closeAction(req.user, action.id, str(req.body, 'note') || null);
      req.session.flash = { text: 'The action was closed' };
      res.redirect(303, action.reviewId ? `/reviews/${action.reviewId}` : subject.href);
    }),
  );

  return router;
}
