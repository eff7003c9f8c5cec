import { type Answers, answerProblems } from './reviewRules.js';
import type { ChecklistTemplate } from './templateTypes.js';

/** One section of a long checklist: answered on its own page, `/reviews/ID/section/NUMBER`. */
export interface ReviewSection {
  /** 1-based, in the order the sections first appear. */
  number: number;
  title: string;
  questionIds: string[];
}

export type SectionStatus = 'Not started' | 'In progress' | 'Completed';

/**
 * The sections of a checklist, in the order they first appear (a question keeps its number wherever its
 * section is). None for a checklist without sections, or with only one: it stays on one page.
 */
export function reviewSections(template: ChecklistTemplate): ReviewSection[] {
  const sections: ReviewSection[] = [];
  for (const q of template.questions) {
    if (!q.section) return [];
    let section = sections.find((s) => s.title === q.section);
    if (!section) {
      section = { number: sections.length + 1, title: q.section, questionIds: [] };
      sections.push(section);
    }
    section.questionIds.push(q.id);
  }
  return sections.length > 1 ? sections : [];
}

/**
 * Where a section stands: completed when every question in it passes the checks a submit makes
 * (answered, a reason where one is needed, carried-over answers confirmed); else not started while none
 * of its questions has an answer, and in progress once one has.
 */
export function sectionStatus(
  template: ChecklistTemplate,
  section: ReviewSection,
  answers: Answers,
): SectionStatus {
  const ids = new Set(section.questionIds);
  if (!answerProblems(template, answers).some((p) => ids.has(p.questionId))) return 'Completed';
  return section.questionIds.some((id) => answers[id]?.answer) ? 'In progress' : 'Not started';
}

/** The section a question is answered in, for the "Change" links of check your answers. */
export function sectionOfQuestion(sections: readonly ReviewSection[], questionId: string) {
  return sections.find((s) => s.questionIds.includes(questionId));
}
