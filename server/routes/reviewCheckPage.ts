import type { Response } from 'express';
import { PERIODIC_TYPES } from '../../checks/flags/periodicReviewFlags.js';
import { formatDate, londonDate } from '../../checks/londonDates.js';
import { type Answers, noAnswers, questionApplies, reviewOutcome } from '../../checks/reviewRules.js';
import { reviewSections, sectionOfQuestion, sectionStatus } from '../../checks/reviewSections.js';
import type { User } from '../../data/schemas/accountSchemas.js';
import type { Review } from '../../data/schemas/reviewSchemas.js';
import { forbidden } from '../errors.js';
import type { Services } from '../services/createServices.js';
import { attestationStatement } from '../services/reviewService.js';
import { reviewEvidence } from './reviewPage.js';

const ANSWER_TEXT: Record<string, string> = { yes: 'Yes', no: 'No', na: 'Not applicable' };

/**
 * A draft as the review form would send it: what "Submit" on the check-your-answers page submits, so the
 * review is made final with exactly the answers that page showed (the version guards against a change
 * in between).
 */
export function draftAsForm(review: Review): Record<string, string> {
  const form: Record<string, string> = { notes: review.notes ?? '' };
  for (const [id, a] of Object.entries(review.answers)) {
    if (a.answer) form[`answer-${id}`] = a.answer;
    const comment = a.answer === 'na' ? a.reason : a.note;
    if (comment) form[`comment-${id}`] = comment;
  }
  const typed = review.draftAttestation;
  if (typed) {
    form['attest-name'] = typed.name;
    form['attest-role'] = typed.role;
    if (typed.date) {
      form['attest-date-day'] = typed.date.day;
      form['attest-date-month'] = typed.date.month;
      form['attest-date-year'] = typed.date.year;
    }
  }
  return form;
}

/**
 * "Check your answers" for a draft that passed every check a submit makes: the answers by section with a
 * "Change" link to each, the evidence (added here, before submitting), and the one "Submit" button.
 * 400 when `errors` has any (an evidence upload refused on this page).
 */
export function checkPageRenderer(services: Services) {
  const { reviews, store, subjects } = services;
  return function renderCheck(
    res: Response,
    user: User | undefined,
    reviewId: string,
    extra: {
      errors?: Record<string, { text: string; href: string }>;
      evidenceDescription?: string;
      /** Why the page is shown again instead of submitting, with the status to answer. */
      notice?: string;
      status?: number;
    } = {},
  ) {
    if (!user) throw forbidden();
    const { review, subject, template } = reviews.reviewFor(user, reviewId, 'edit');
    const kind = subjects.kind(review.subjectType);
    if (!kind || review.status !== 'draft') return res.redirect(303, `/reviews/${review.id}`);
    const answers = review.answers as Answers;
    // A checklist in sections is checked once every section is completed; until then, its task list.
    const inSections = reviewSections(template);
    if (inSections.some((s) => sectionStatus(template, s, answers) !== 'Completed') && !extra.status) {
      return res.redirect(303, `/reviews/${review.id}`);
    }
    // "Change" goes to the question on the page that asks it: its section's, or the one form.
    const pageOf = (questionId: string | null) => {
      const section = questionId ? sectionOfQuestion(inSections, questionId) : inSections.at(-1);
      return section ? `/reviews/${review.id}/section/${section.number}` : `/reviews/${review.id}`;
    };
    const change = (anchor: string, what: string, questionId: string | null = null) => [
      { href: `${pageOf(questionId)}#${anchor}`, text: 'Change', visuallyHiddenText: what },
    ];
    const sections: { title: string | null; rows: unknown[] }[] = [];
    for (const q of template.questions) {
      const title = q.section ?? null;
      let section = sections.at(-1);
      if (!section || section.title !== title) {
        section = { title, rows: [] };
        sections.push(section);
      }
      const a = answers[q.id];
      const shown = questionApplies(q, answers)
        ? (ANSWER_TEXT[a?.answer ?? ''] ?? 'Not answered')
        : 'Not applicable (does not apply)';
      const comment = a?.answer === 'na' ? a.reason : a?.note;
      section.rows.push({
        key: `${q.id}. ${q.text}`,
        value: comment ? `${shown}: ${comment}` : shown,
        actions: change(`question-${q.id}`, `the answer to ${q.id}`, q.id),
      });
    }
    const typed = review.draftAttestation;
    const onBehalfOf = template.attestation?.onBehalfOf;
    const attestationRows = template.attestation
      ? [
          {
            key: onBehalfOf ? 'Confirmed by' : 'Your name',
            value: typed?.name ?? '',
            actions: change('attest-name', 'the name'),
          },
          {
            key: onBehalfOf ? 'Their role' : 'Your role',
            value: typed?.role ?? '',
            actions: change('attest-role', 'the role'),
          },
          ...(onBehalfOf && typed?.date
            ? [
                {
                  key: 'Date they confirmed',
                  value: formatDate(
                    `${typed.date.year}-${typed.date.month.padStart(2, '0')}-${typed.date.day.padStart(2, '0')}`,
                  ),
                  actions: change('attest-date-day', 'the date they confirmed'),
                },
              ]
            : []),
        ]
      : [];
    const today = londonDate(store.now());
    const hasErrors = Boolean(extra.errors && Object.keys(extra.errors).length > 0);
    res.status(extra.status ?? (hasErrors ? 400 : 200)).render('pages/reviews/check', {
      notice: extra.notice ?? null,
      title: `Check your answers: ${kind.reviewName}, ${subject.name}`,
      backLink: { href: `/reviews/${review.id}`, text: 'Back to the answers' },
      review,
      subject,
      reviewName: kind.reviewName,
      sections,
      // A booking's checks lead to its decision, which weighs more than the answers: no outcome here.
      outcome: PERIODIC_TYPES.has(review.subjectType) ? reviewOutcome(template, answers) : null,
      noCount: noAnswers(template, answers).length,
      notesRows: [{ key: 'Notes', value: review.notes || 'None', actions: change('notes', 'the notes') }],
      attestationRows,
      statement: template.attestation
        ? attestationStatement(template, subject, onBehalfOf ? (draftDate(review) ?? today) : today)
        : null,
      onBehalfOf: onBehalfOf ?? null,
      errors: extra.errors ?? {},
      hasErrors,
      evidence: reviewEvidence(services, review.id, true, extra.evidenceDescription),
    });
  };
}

function draftDate(review: Review): string | null {
  const d = review.draftAttestation?.date;
  return d ? `${d.year}-${d.month.padStart(2, '0')}-${d.day.padStart(2, '0')}` : null;
}
