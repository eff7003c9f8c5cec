import type { Answer, ChecklistTemplate, Question } from './templateTypes.js';
import { addMonths } from './londonDates.js';

export interface AnswerRecord {
  answer: Answer | null;
  reason?: string | null;
  note?: string | null;
  toConfirm?: boolean;
  /** Set when the answer to confirm was filled in from the records, not carried over from last review. */
  from?: 'records';
}
export type Answers = Record<string, AnswerRecord | undefined>;
export type Outcome = 'compliant' | 'partially-compliant' | 'non-compliant';

/** A question applies unless its "applies when" condition on an earlier answer is not met. */
export function questionApplies(question: Question, answers: Answers): boolean {
  if (!question.appliesWhen) return true;
  return answers[question.appliesWhen.question]?.answer === question.appliesWhen.answer;
}

/** The answer that counts: a question that does not apply counts as N/A whatever was typed. */
export function effectiveAnswer(question: Question, answers: Answers): Answer | null {
  if (!questionApplies(question, answers)) return 'na';
  return answers[question.id]?.answer ?? null;
}

/** Any critical "no" → non-compliant; else any "no" → partially compliant; else compliant. */
export function reviewOutcome(template: ChecklistTemplate, answers: Answers): Outcome {
  let anyNo = false;
  for (const q of noAnswers(template, answers)) {
    if (q.critical) return 'non-compliant';
    anyNo = true;
  }
  return anyNo ? 'partially-compliant' : 'compliant';
}

export interface AnswerProblem {
  questionId: string;
  message: string;
}

/**
 * What stops a review being submitted: unanswered applicable questions, N/A where not allowed or without
 * a reason, and answers carried over from last review that were not confirmed.
 */
export function answerProblems(template: ChecklistTemplate, answers: Answers): AnswerProblem[] {
  const problems: AnswerProblem[] = [];
  for (const q of template.questions) {
    if (!questionApplies(q, answers)) continue;
    const a = answers[q.id];
    if (!a?.answer) {
      problems.push({ questionId: q.id, message: `Answer question ${q.id}` });
    } else if (a.answer === 'na' && !q.naAllowed) {
      problems.push({ questionId: q.id, message: `Question ${q.id} cannot be answered "not applicable"` });
    } else if (a.answer === 'na' && q.naNeedsReason && !a.reason?.trim()) {
      problems.push({ questionId: q.id, message: `Give a reason why question ${q.id} is not applicable` });
    } else if (a.toConfirm) {
      problems.push({
        questionId: q.id,
        message: `Confirm or change the answer to question ${q.id} from last review`,
      });
    }
  }
  return problems;
}

/** Questions answered "no" that apply and are not scoping questions: each can raise an action. */
export function noAnswers(template: ChecklistTemplate, answers: Answers): Question[] {
  return template.questions.filter((q) => !q.scoping && effectiveAnswer(q, answers) === 'no');
}

/** The interval in months for a subject: high-risk premises are reviewed every 6 months instead of 12. */
export function reviewIntervalMonths(
  template: ChecklistTemplate,
  opts: { highRisk?: boolean } = {},
): number | null {
  if (template.intervalMonths === null) return null;
  if (opts.highRisk && template.subjectType === 'premises') return Math.min(6, template.intervalMonths);
  return template.intervalMonths;
}

/** Next due = completion date + interval in calendar months (Europe/London dates). */
export function nextDueDate(
  template: ChecklistTemplate,
  completedOn: string,
  opts: { highRisk?: boolean } = {},
): string | null {
  const months = reviewIntervalMonths(template, opts);
  return months === null ? null : addMonths(completedOn, months);
}

/**
 * "Start from last review": every previous answer is copied and marked to confirm, except questions the
 * template has since dropped (and, for templates that pre-fill only `confirmEachTime` questions, the
 * questions answered afresh each time). Reasons and notes come too, so nothing has to be typed again.
 */
export function prefillFromPrevious(template: ChecklistTemplate, previous: Answers): Answers {
  const out: Answers = {};
  const onlyMarked = template.prefill === 'confirm-each-time';
  for (const q of template.questions) {
    const prev = previous[q.id];
    if (!prev?.answer || (onlyMarked && !q.confirmEachTime)) continue;
    out[q.id] = {
      answer: prev.answer,
      reason: prev.reason ?? null,
      note: prev.note ?? null,
      toConfirm: true,
    };
  }
  return out;
}
