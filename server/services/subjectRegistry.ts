import type { User } from '../../data/schemas/accountSchemas.js';
import type { Review } from '../../data/schemas/reviewSchemas.js';
import type { Store, Transaction } from '../../data/store/store.js';
import type { SubjectType } from '../../checks/templateTypes.js';

export interface SubjectInfo {
  type: SubjectType;
  id: string;
  ref: string;
  name: string;
  /** Page of the subject. */
  href: string;
  /** High-risk premises are reviewed every 6 months. */
  highRisk?: boolean;
  /** Who is reminded about this subject's reviews and actions. */
  ownerEmails?: string[];
  /** Set when the subject is not reviewed (e.g. a closed library): why, for the refusal message. */
  notReviewed?: string;
}

/** How one kind of reviewed subject is found and who may see or review it. Each area registers one. */
export interface SubjectKind {
  type: SubjectType;
  templateId: string;
  /** Names the review in messages, e.g. "Premises audit". */
  reviewName: string;
  describe(store: Store, id: string): SubjectInfo | undefined;
  canView(user: User, id: string): boolean;
  canEdit(user: User, id: string): boolean;
  /** Why `user` may not edit the subject's reviews in its present state, for the 403 page (else null). */
  editRefusal?(user: User, id: string): string | null;
  /**
   * Facts from the subject's record shown with its review form (e.g. a library's last filter test) and
   * kept with the review when it is submitted, so the review shows what they were at the time.
   */
  reviewFacts?(store: Store, id: string): ReviewFact[];
  /**
   * The review "start from last" copies, when it is not simply this subject's latest submitted one
   * (a booking can start from its regular hirer's check of the last year).
   */
  previousReview?(store: Store, id: string): Review | undefined;
  /** Runs inside the transaction that submits a review of this subject (a booking's status moves on). */
  onSubmitted?(tx: Transaction, review: Review, user: User): void;
}

export interface ReviewFact {
  key: string;
  value: string;
}

/**
 * The kinds of reviewed subject, built once in createServices: each area's service registers its kind and
 * the review, evidence, dashboard and reminder services look kinds up here. One registry per app, passed
 * in, so two apps in one process (tests, the CLI beside a server) never share or overwrite each other's.
 */
export function createSubjectRegistry() {
  const kinds = new Map<SubjectType, SubjectKind>();
  return {
    register(kind: SubjectKind): void {
      kinds.set(kind.type, kind);
    },
    kind(type: string): SubjectKind | undefined {
      return kinds.get(type as SubjectType);
    },
  };
}

export type SubjectRegistry = ReturnType<typeof createSubjectRegistry>;
