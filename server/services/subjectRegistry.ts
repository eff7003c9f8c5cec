import type { User } from '../../data/schemas/accountSchemas.js';
import type { Store } from '../../data/store/store.js';
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
}

const kinds = new Map<SubjectType, SubjectKind>();

export function registerSubjectKind(kind: SubjectKind): void {
  kinds.set(kind.type, kind);
}

export function subjectKind(type: string): SubjectKind | undefined {
  return kinds.get(type as SubjectType);
}
