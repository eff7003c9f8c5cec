export type Answer = 'yes' | 'no' | 'na';

export type SubjectType = 'premises' | 'booking' | 'library' | 'school' | 'department' | 'action' | 'plan';

/** A condition on an earlier answer, e.g. P5 applies only when P2 is "yes". */
export interface AnswerCondition {
  question: string;
  answer: Answer;
}

export interface Question {
  id: string;
  /** Short heading shown above the question, e.g. "ASK", "CHECK", "DECIDE". */
  section?: string;
  text: string;
  help: string;
  /** Where the question comes from (guidance, policy, practice), kept with the question. */
  source: string;
  critical: boolean;
  /**
   * Records a fact about the subject that decides which later questions apply (P2: "is there hireable
   * space?"). Its "no" is not a finding: it does not affect the outcome and raises no action.
   */
  scoping?: boolean;
  /** N/A is offered for this question. */
  naAllowed: boolean;
  /** An N/A answer needs a short reason. */
  naNeedsReason: boolean;
  /** When set and the condition is not met, the question does not apply and counts as N/A. */
  appliesWhen?: AnswerCondition;
  /** Marked when the answer is confirmed from last review ("start from last review"). */
  confirmEachTime?: boolean;
}

export interface AttestationTemplate {
  /** Statement the person signs; `{subject}` and `{date}` are filled in. */
  statement: string;
  /**
   * Set when someone at the subject (e.g. "the school") attests and the signed-in user records it: the form
   * asks for that person's name, role and the date they confirmed, instead of the user's own.
   */
  onBehalfOf?: string;
}

export interface ChecklistTemplate {
  id: string;
  version: number;
  title: string;
  subjectType: SubjectType;
  /** Review interval in calendar months; null when checked once (bookings). */
  intervalMonths: number | null;
  questions: Question[];
  attestation?: AttestationTemplate;
  /**
   * What "start from last review" copies: every previous answer (default), or only the questions marked
   * `confirmEachTime`, the rest being answered afresh (e.g. the library attestation's filter test).
   */
  prefill?: 'every-answer' | 'confirm-each-time';
}
