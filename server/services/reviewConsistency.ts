import {
  type KnownFacts,
  type RecordedAnswer,
  answersFromRecords,
  contradictions,
  recordedAnswers,
} from '../../checks/answerConsistency.js';
import { latestReviews, PERIODIC_TYPES } from '../../checks/flags/periodicReviewFlags.js';
import { premisesNextDue } from '../../checks/flags/premisesFlags.js';
import { londonDate } from '../../checks/londonDates.js';
import type { Answers } from '../../checks/reviewRules.js';
import { reviewDueReason } from '../../checks/reviewDueReason.js';
import { isCurrentLead, PREVENT_TRAINING } from '../../checks/schoolRules.js';
import { leadRoleShort } from '../../data/schemas/schoolSchemas.js';
import type { Review } from '../../data/schemas/reviewSchemas.js';
import type { Store } from '../../data/store/store.js';
import type { SubjectRegistry } from './subjectRegistry.js';

/**
 * Reviews checked against what the product already holds (issue 16, item 4): what the records say per
 * question, answers of "yes" they contradict, the answers a school audit fills in from its records, and
 * why a review is due. The rules are in checks/answerConsistency.ts; this gathers the facts.
 */
/** "School Prevent audit" → "school Prevent audit": words continued inside a sentence. */
const lowerFirst = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);

export function createReviewConsistency(store: Store, subjects: SubjectRegistry) {
  const today = () => londonDate(store.now());

  /** The latest submitted review of a subject other than `exceptId`. */
  function latestOther(subjectType: string, subjectId: string, exceptId?: string): Review | undefined {
    return latestReviews(
      store
        .list('reviews')
        .filter((r) => r.subjectType === subjectType && r.subjectId === subjectId && r.id !== exceptId),
    ).get(`${subjectType}:${subjectId}`);
  }

  function facts(subjectType: string, subjectId: string, previousId: string | null): KnownFacts {
    const asOf = today();
    switch (subjectType) {
      case 'premises': {
        const previous = previousId ? store.get('reviews', previousId) : undefined;
        if (!previous) return { asOf };
        return {
          asOf,
          previousAuditActions: store.list('actions').filter((a) => a.reviewId === previous.id),
        };
      }
      case 'school': {
        const leads = store
          .list('preventLeads')
          .filter((l) => l.schoolId === subjectId && isCurrentLead(l, asOf));
        return {
          asOf,
          currentLeads: leads.map((l) => ({
            role: `Prevent lead (${leadRoleShort[l.role]})`,
            contactConfirmedOn: l.contactConfirmedOn,
            lastPreventTraining:
              store
                .list('leadTraining')
                .filter((t) => t.leadId === l.id && PREVENT_TRAINING.has(t.type) && t.completedOn <= asOf)
                .map((t) => t.completedOn)
                .sort()
                .pop() ?? null,
          })),
        };
      }
      case 'library': {
        const library = store.get('libraries', subjectId);
        if (!library) return { asOf };
        const last = store
          .list('filterTests')
          .filter((t) => t.libraryId === subjectId && t.testedOn <= asOf)
          .map((t) => t.testedOn)
          .sort()
          .pop();
        return { asOf, libraryProfile: library.filtering, lastFilterTestOn: last ?? null };
      }
      default:
        return { asOf };
    }
  }

  /** What the records say for a draft: the previous audit is the one it started from, else the latest. */
  function recorded(review: Review): RecordedAnswer[] {
    const previousId =
      review.startedFrom ?? latestOther(review.subjectType, review.subjectId, review.id)?.id ?? null;
    return recordedAnswers(review.templateId, facts(review.subjectType, review.subjectId, previousId));
  }

  return {
    recorded,
    contradictions: (review: Review, answers: Answers) => contradictions(answers, recorded(review)),

    /** Answers a new review fills in from the records (each to confirm), e.g. a school's lead and training. */
    answersFromRecords(templateId: string, subjectType: string, subjectId: string): Answers {
      const previousId = latestOther(subjectType, subjectId)?.id ?? null;
      return answersFromRecords(
        templateId,
        recordedAnswers(templateId, facts(subjectType, subjectId, previousId)),
      );
    },

    /** Why a periodic review is due, for the top of its form; null for one-off checks (bookings). */
    dueReason(review: Review): string | null {
      if (!PERIODIC_TYPES.has(review.subjectType)) return null;
      const kind = subjects.kind(review.subjectType);
      const latest = latestOther(review.subjectType, review.subjectId, review.id) ?? null;
      let changed: { dueFrom: string; reason: string } | null = null;
      let nextDue: string | null | undefined;
      let highRisk = false;
      if (review.subjectType === 'library') {
        const re = store.get('libraries', review.subjectId)?.reattestation;
        if (re && !(latest?.submittedAt && latest.submittedAt >= re.since)) changed = re;
      } else if (review.subjectType === 'premises') {
        const p = store.get('premises', review.subjectId);
        if (p) {
          nextDue = premisesNextDue(p, latest ?? undefined);
          highRisk = p.risk === 'high';
        }
      }
      return reviewDueReason({
        asOf: today(),
        what: lowerFirst(kind?.reviewName ?? 'Review'),
        latest,
        changed,
        nextDue,
        highRisk,
      });
    },
  };
}

export type ReviewConsistency = ReturnType<typeof createReviewConsistency>;
