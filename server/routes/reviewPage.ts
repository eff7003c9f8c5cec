import type { Response } from 'express';
import { contradictions } from '../../checks/answerConsistency.js';
import { checksOutcomeTag } from '../../checks/bookingRules.js';
import { ACCEPTED_EXTENSIONS, ACCEPTED_TYPES_TEXT } from '../../checks/evidenceTypes.js';
import { formatDate, formatDateTime } from '../../checks/londonDates.js';
import { type Answers, questionApplies } from '../../checks/reviewRules.js';
import { type ReviewSection, reviewSections, sectionStatus } from '../../checks/reviewSections.js';
import type { Evidence } from '../../data/schemas/evidenceSchemas.js';
import { forbidden, notFound } from '../errors.js';
import type { Services } from '../services/createServices.js';
import { DESCRIPTION_INPUT, DESCRIPTION_MAX, FILE_INPUT, sizeText } from '../services/evidenceService.js';

export interface ReviewPageExtra {
  errors?: Record<string, { text: string; href: string }>;
  answers?: Answers;
  notes?: string | null;
  attestation?: Record<string, unknown>;
  /** The evidence description as typed, when an upload was refused. */
  evidenceDescription?: string;
  /** The "confirm" ticks as sent: per question, and "I have checked every answer to confirm". */
  ticks?: ConfirmTicks;
  /** One section's page of a long checklist, instead of its task list. */
  section?: ReviewSection;
}

export interface ConfirmTicks {
  confirm: string[];
  all: boolean;
}

const TYPE_LABELS: Record<Evidence['mediaType'], string> = {
  'application/pdf': 'PDF',
  'image/png': 'PNG image',
  'image/jpeg': 'JPEG image',
  'text/plain': 'Text',
  'text/csv': 'CSV',
};

/** A file's size for people: "830 bytes", "12 KB", "1.4 MB". */
export function fileSizeText(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/** A review's evidence files as the pages list them, each with its download link. */
export function evidenceRows(files: readonly Evidence[]) {
  return files.map((e) => ({
    id: e.id,
    filename: e.filename,
    description: e.description,
    type: TYPE_LABELS[e.mediaType],
    size: fileSizeText(e.size),
    added: `${formatDateTime(e.createdAt)} by ${e.uploadedBy}`,
    href: `/reviews/${e.reviewId}/evidence/${e.id}/download`,
  }));
}

/**
 * The page of one review: the form while it is a draft the user may edit, else the read-only view (with
 * its evidence files). A long checklist with sections shows its task list instead of the form, and each
 * section on its own page (`extra.section`). 400 when `extra.errors` has any.
 */
export function reviewPageRenderer(services: Services) {
  const { reviews, store, subjects } = services;
  return function renderReview(
    res: Response,
    user: Express.Request['user'],
    reviewId: string,
    extra: ReviewPageExtra = {},
  ) {
    if (!user) throw forbidden();
    const { review, subject, template } = reviews.reviewFor(user, reviewId, 'view');
    const kind = subjects.kind(review.subjectType);
    if (!kind) throw notFound();
    const saved = review.answers as Answers;
    const answers = extra.answers ?? saved;
    // An answer carried over stays offered for confirming while it is unchanged, ticked or not, so a
    // refused submit shows each tick as it was sent.
    const toConfirm = Object.fromEntries(
      template.questions.map((q) => {
        const was = saved[q.id];
        const offered = Boolean(was?.toConfirm && was.answer === answers[q.id]?.answer);
        return [q.id, offered ? (was?.from === 'records' ? 'records' : 'last') : false];
      }),
    );
    const editable = review.status === 'draft' && kind.canEdit(user, review.subjectId);
    const hasErrors = Boolean(extra.errors && Object.keys(extra.errors).length > 0);
    const sections = editable ? reviewSections(template) : [];
    const { section } = extra;
    // The task list, unless a section is asked for, or a submit from check your answers was refused
    // (then the whole form shows what to put right).
    const view = section
      ? 'section'
      : sections.length > 0 && !hasErrors
        ? 'tasks'
        : editable
          ? 'form'
          : 'show';
    const tasks = sections.map((s) => ({
      ...s,
      status: sectionStatus(template, s, answers),
      href: `/reviews/${review.id}/section/${s.number}`,
    }));
    const questions = section
      ? template.questions.filter((q) => section.questionIds.includes(q.id))
      : template.questions;
    // A submitted review shows the facts kept with it; a draft shows them as they are now.
    const facts =
      review.status === 'submitted'
        ? (review.facts ?? [])
        : (kind.reviewFacts?.(store, review.subjectId) ?? []);
    // A draft is checked against the records as they are now: what they say next to each question, and
    // the "yes" answers they contradict.
    const recorded = editable ? reviews.consistency.recorded(review) : [];
    // A booking's checks never read "Compliant" while a watch-list match is open (the decision waits on it).
    const booking = review.subjectType === 'booking' ? store.get('bookings', review.subjectId) : undefined;
    const outcomeTag = booking
      ? checksOutcomeTag(review.outcome ?? null, services.bookings.openMatches(booking).length)
      : null;
    const contradicted = new Set(contradictions(answers, recorded).map((c) => c.questionId));
    res.status(hasErrors ? 400 : 200).render(`pages/reviews/${view}`, {
      questions,
      section: section ? { ...section, last: section.number === sections.length } : null,
      tasks,
      backLink: section ? { href: `/reviews/${review.id}`, text: 'Back to the sections' } : null,
      allComplete: tasks.every((t) => t.status === 'Completed'),
      facts,
      recorded: Object.fromEntries(
        recorded.map((r) => [r.questionId, { ...r, contradicted: contradicted.has(r.questionId) }]),
      ),
      dueReason: editable ? reviews.consistency.dueReason(review) : null,
      title: `${kind.reviewName}: ${subject.name}`,
      review,
      outcomeTag,
      subject,
      template,
      reviewName: kind.reviewName,
      answers,
      toConfirm,
      ticks: extra.ticks ?? { confirm: [], all: false },
      applies: Object.fromEntries(template.questions.map((q) => [q.id, questionApplies(q, answers)])),
      notes: extra.notes ?? review.notes,
      errors: extra.errors ?? {},
      hasErrors,
      attestation: extra.attestation ?? review.draftAttestation ?? {},
      completedText: formatDate(review.completedOn),
      nextDueText: formatDate(review.nextDue),
      noAnswers: review.status === 'submitted' ? reviews.noAnswers(template, review) : [],
      actions: reviews
        .actionsFor(review.subjectType, review.subjectId)
        .filter((a) => a.reviewId === review.id),
      canEdit: kind.canEdit(user, review.subjectId),
      formatDate,
      evidence: reviewEvidence(services, review.id, editable, extra.evidenceDescription),
    });
  };
}

/** What the evidence section of a review's pages shows: the files, and the upload form's settings. */
export function reviewEvidence(
  { evidence }: Services,
  reviewId: string,
  editable: boolean,
  description = '',
) {
  const files = evidence.ofReview(reviewId);
  return {
    files: evidenceRows(files),
    editable,
    full: files.length >= evidence.maxFiles,
    maxFiles: evidence.maxFiles,
    maxText: sizeText(evidence.maxBytes),
    typesText: ACCEPTED_TYPES_TEXT,
    accept: ACCEPTED_EXTENSIONS,
    descriptionMax: DESCRIPTION_MAX,
    fileInput: FILE_INPUT,
    descriptionInput: DESCRIPTION_INPUT,
    description,
  };
}
