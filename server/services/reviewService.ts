import { formatDate, londonDate } from '../../checks/londonDates.js';
import {
  type Answers,
  answerProblems,
  nextDueDate,
  noAnswers,
  prefillFromPrevious,
  reviewOutcome,
} from '../../checks/reviewRules.js';
import type { ChecklistTemplate } from '../../checks/templateTypes.js';
import { getTemplate } from '../../checks/templates/index.js';
import type { User } from '../../data/schemas/accountSchemas.js';
import type { Review, ReviewAnswer } from '../../data/schemas/reviewSchemas.js';
import type { Store } from '../../data/store/store.js';
import { forbidden, HttpError, notFound } from '../errors.js';
import { createReviewConsistency } from './reviewConsistency.js';
import type { SubjectInfo, SubjectRegistry } from './subjectRegistry.js';
import { type FieldErrors, InputError } from '../errors.js';

export interface AttestationInput {
  name: string;
  role: string;
  /** The date fields as typed (kept on a draft so they come back as they were). */
  date?: { day: string; month: string; year: string };
  /** For an attestation given on behalf of the subject: the ISO date they confirmed, or why it is unreadable. */
  confirmedOn?: string | null;
  confirmedOnError?: string | null;
}

/** Reviews of any subject against its checklist template: draft, save, submit (then immutable), actions. */
export function createReviewService(store: Store, subjects: SubjectRegistry) {
  const subjectKind = subjects.kind;
  const consistency = createReviewConsistency(store, subjects);

  function subjectOf(type: string, id: string, user: User, mode: 'view' | 'edit'): SubjectInfo {
    const kind = subjectKind(type);
    const info = kind?.describe(store, id);
    if (!kind || !info || !kind.canView(user, id)) throw notFound();
    if (mode === 'edit' && !kind.canEdit(user, id)) {
      const reason = kind.editRefusal?.(user, id);
      throw reason ? new HttpError(403, reason) : forbidden();
    }
    return info;
  }

  function reviewFor(user: User, reviewId: string, mode: 'view' | 'edit') {
    const review = store.get('reviews', reviewId);
    if (!review) throw notFound();
    const subject = subjectOf(review.subjectType, review.subjectId, user, mode);
    const template = getTemplate(review.templateId, review.templateVersion);
    return { review, subject, template };
  }

  /**
   * Whether `review` is this person's submission of the very form being sent again: submitted by them, from
   * the version the form was opened at (the submission made it the next one), with the same answers and
   * notes. Anything else sent to a submitted review is refused as a change, so nothing typed is dropped.
   */
  function sameSubmission(
    review: Review,
    user: User,
    input: { submit: boolean; version: number; answers: Answers; notes: string | null },
  ) {
    return (
      input.submit &&
      review.status === 'submitted' &&
      review.submittedBy === user.email &&
      review.version === input.version + 1 &&
      (review.notes ?? null) === input.notes &&
      JSON.stringify(review.answers) === JSON.stringify(input.answers)
    );
  }

  function history(subjectType: string, subjectId: string): Review[] {
    return store
      .list('reviews')
      .filter((r) => r.subjectType === subjectType && r.subjectId === subjectId)
      .sort((a, b) => (b.submittedAt ?? b.createdAt).localeCompare(a.submittedAt ?? a.createdAt));
  }

  const latestSubmitted = (subjectType: string, subjectId: string) =>
    history(subjectType, subjectId).find((r) => r.status === 'submitted');

  /** The latest submitted review of every subject of a type, in one pass over the reviews (for lists). */
  function latestSubmittedOf(subjectType: string): Map<string, Review> {
    const latest = new Map<string, Review>();
    for (const r of store.list('reviews')) {
      if (r.subjectType !== subjectType || r.status !== 'submitted') continue;
      const seen = latest.get(r.subjectId);
      if (!seen || (r.submittedAt ?? r.createdAt) > (seen.submittedAt ?? seen.createdAt))
        latest.set(r.subjectId, r);
    }
    return latest;
  }

  return {
    reviewFor,
    history,
    latestSubmitted,
    latestSubmittedOf,
    actionsFor: (subjectType: string, subjectId: string) =>
      store.list('actions').filter((a) => a.subjectType === subjectType && a.subjectId === subjectId),

    /** Starts a draft (or returns the one already open); "from last" copies the last answers to confirm. */
    async start(user: User, subjectType: string, subjectId: string, fromLast: boolean): Promise<Review> {
      const info = subjectOf(subjectType, subjectId, user, 'edit');
      if (info.notReviewed) throw new HttpError(400, info.notReviewed);
      const existing = history(subjectType, subjectId).find((r) => r.status === 'draft');
      if (existing) return existing;
      const kind = subjectKind(subjectType)!;
      const template = getTemplate(kind.templateId);
      const last = fromLast
        ? (latestSubmitted(subjectType, subjectId) ?? kind.previousReview?.(store, subjectId))
        : undefined;
      // Carried over from last time, then what the records say for the questions taken from them.
      const answers = {
        ...(last ? prefillFromPrevious(template, last.answers as Answers) : {}),
        ...consistency.answersFromRecords(template.id, subjectType, subjectId),
      };
      return store.transact(user.email, (tx) =>
        tx.insert('reviews', {
          templateId: template.id,
          templateVersion: template.version,
          subjectType: subjectType as Review['subjectType'],
          subjectId,
          status: 'draft',
          answers: answers as Record<string, ReviewAnswer>,
          notes: last?.notes ?? null,
          evidence: last?.evidence ?? [],
          startedBy: user.email,
          startedFrom: last?.id ?? null,
          submittedBy: null,
          submittedAt: null,
          completedOn: null,
          outcome: null,
          nextDue: null,
          attestation: null,
        }),
      );
    },

    sameSubmission,

    /**
     * Saves a draft's answers; with `submit`, checks them and makes the review final; with `check`, checks
     * them as a submit would and, when they pass, saves them as the draft "check your answers" shows.
     */
    async save(
      user: User,
      reviewId: string,
      input: {
        answers: Answers;
        notes: string | null;
        version: number;
        submit: boolean;
        check?: boolean;
        /** One section's questions, checked as a submit would check them, then saved as the draft. */
        checkQuestions?: readonly string[];
        attestation?: AttestationInput;
      },
    ): Promise<Review> {
      const { review, subject, template } = reviewFor(user, reviewId, 'edit');
      if (sameSubmission(review, user, input)) return review;
      if (review.status !== 'draft') {
        throw new InputError({
          review: { text: 'This review was submitted and cannot be changed; start a new one', href: '#' },
        });
      }
      const answers = input.answers as Record<string, ReviewAnswer>;
      const only = input.checkQuestions ? new Set(input.checkQuestions) : null;
      const inScope = (questionId: string) => !only || only.has(questionId);
      if (input.submit || input.check || only) {
        const errors: FieldErrors = {};
        for (const p of answerProblems(template, input.answers).filter((x) => inScope(x.questionId))) {
          errors[`answer-${p.questionId}`] = { text: p.message, href: `#answer-${p.questionId}` };
        }
        // A "yes" the records contradict is refused, naming what they hold, until it is changed or
        // confirmed on its own with a note saying why it is right. A form older than the draft gets the
        // "changed since you opened it" page instead, where the person's answers are kept.
        const current = input.version === review.version;
        for (const c of current ? consistency.contradictions(review, input.answers) : []) {
          if (!inScope(c.questionId)) continue;
          const a = input.answers[c.questionId];
          if (!a || (!a.toConfirm && a.note?.trim())) continue;
          const said = a.toConfirm ? 'the answer carried over is “Yes”' : 'you answered “Yes”';
          const fix = a.toConfirm
            ? 'Change the answer, or tick “Confirm this answer” and add a note saying why it is still right'
            : 'Change the answer, or add a note saying why it is right';
          errors[`answer-${c.questionId}`] = {
            text: `${c.questionId}: ${said}, but the records say otherwise: ${c.message} ${fix}`,
            href: `#answer-${c.questionId}`,
          };
        }
        // A section's page holds no attestation: it is checked with the whole review.
        const onBehalfOf = only ? undefined : template.attestation?.onBehalfOf;
        if (template.attestation && !only) {
          if (!input.attestation?.name?.trim()) {
            errors['attest-name'] = {
              text: onBehalfOf
                ? `Enter the full name of the person at ${onBehalfOf} who confirmed the answers`
                : 'Enter your full name to sign the attestation',
              href: '#attest-name',
            };
          }
          if (!input.attestation?.role?.trim()) {
            errors['attest-role'] = {
              text: onBehalfOf ? 'Enter their role' : 'Enter your role',
              href: '#attest-role',
            };
          }
        }
        if (onBehalfOf) {
          const date = input.attestation?.confirmedOn;
          const problem =
            input.attestation?.confirmedOnError ??
            (!date
              ? 'Enter the date they confirmed the answers'
              : date > londonDate(store.now())
                ? 'The date they confirmed must be today or in the past'
                : null);
          if (problem) errors['attest-date'] = { text: problem, href: '#attest-date-day' };
        }
        if (Object.keys(errors).length > 0) throw new InputError(errors);
      }
      const now = store.now();
      const completedOn = londonDate(now);
      const facts = input.submit
        ? subjectKind(review.subjectType)?.reviewFacts?.(store, review.subjectId)
        : undefined;
      return store.transact(user.email, (tx) => {
        // Sent twice at once (or through two instances): memory may have caught up with the first
        // submission only now. It is the answer, and nothing is written.
        const latest = store.get('reviews', reviewId);
        if (latest && sameSubmission(latest, user, input)) return latest;
        if (!input.submit) {
          const typed = input.attestation;
          const draftAttestation =
            template.attestation && typed
              ? { name: typed.name, role: typed.role, ...(typed.date ? { date: typed.date } : {}) }
              : null;
          return tx.update(
            'reviews',
            reviewId,
            { answers, notes: input.notes, draftAttestation },
            input.version,
          );
        }
        const outcome = reviewOutcome(template, input.answers);
        const submitted = tx.update(
          'reviews',
          reviewId,
          {
            answers,
            notes: input.notes,
            status: 'submitted',
            submittedBy: user.email,
            submittedAt: now.toISOString(),
            completedOn,
            outcome,
            nextDue: nextDueDate(template, completedOn, { highRisk: subject.highRisk }),
            attestation: template.attestation
              ? {
                  name: input.attestation!.name.trim(),
                  role: input.attestation!.role.trim(),
                  statement: attestationStatement(
                    template,
                    subject,
                    (template.attestation.onBehalfOf && input.attestation!.confirmedOn) || completedOn,
                  ),
                  at: now.toISOString(),
                  templateVersion: template.version,
                  ...(template.attestation.onBehalfOf
                    ? { confirmedOn: input.attestation!.confirmedOn! }
                    : {}),
                }
              : null,
            draftAttestation: null,
            ...(facts ? { facts } : {}),
          },
          input.version,
        );
        subjectKind(review.subjectType)?.onSubmitted?.(tx, submitted, user);
        return submitted;
      });
    },

    consistency,

    noAnswers: (template: ChecklistTemplate, review: Review) =>
      noAnswers(template, review.answers as Answers),

    async raiseAction(
      user: User,
      reviewId: string,
      input: { questionId: string; description: string; ownerEmail: string; dueOn: string },
    ) {
      const { review } = reviewFor(user, reviewId, 'edit');
      return store.transact(user.email, (tx) =>
        tx.insert('actions', {
          subjectType: review.subjectType,
          subjectId: review.subjectId,
          reviewId: review.id,
          questionId: input.questionId || null,
          description: input.description,
          ownerEmail: input.ownerEmail || null,
          dueOn: input.dueOn,
          status: 'open',
          closedAt: null,
          closedBy: null,
          closingNote: null,
        }),
      );
    },

    /** Raises several actions on a submitted review in one change (the follow-up step after submitting). */
    async raiseActions(
      user: User,
      reviewId: string,
      inputs: { questionId: string; description: string; ownerEmail: string | null; dueOn: string }[],
    ) {
      const { review } = reviewFor(user, reviewId, 'edit');
      return store.transact(user.email, (tx) =>
        inputs.map((input) =>
          tx.insert('actions', {
            subjectType: review.subjectType,
            subjectId: review.subjectId,
            reviewId: review.id,
            questionId: input.questionId,
            description: input.description,
            ownerEmail: input.ownerEmail,
            dueOn: input.dueOn,
            status: 'open',
            closedAt: null,
            closedBy: null,
            closingNote: null,
          }),
        ),
      );
    },

    async closeAction(user: User, actionId: string, note: string | null) {
      const action = store.get('actions', actionId);
      if (!action) throw notFound();
      subjectOf(action.subjectType, action.subjectId, user, 'edit');
      return store.transact(user.email, (tx) =>
        tx.update('actions', actionId, {
          status: 'closed',
          closedAt: store.now().toISOString(),
          closedBy: user.email,
          closingNote: note,
        }),
      );
    },

    actionSubject: (user: User, actionId: string) => {
      const action = store.get('actions', actionId);
      if (!action) throw notFound();
      return { action, subject: subjectOf(action.subjectType, action.subjectId, user, 'view') };
    },
  };
}

export function attestationStatement(
  template: ChecklistTemplate,
  subject: SubjectInfo,
  date: string,
): string {
  return (template.attestation?.statement ?? '')
    .replace('{subject}', subject.name)
    .replace('{date}', formatDate(date));
}

export type ReviewService = ReturnType<typeof createReviewService>;
