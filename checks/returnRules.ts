import type { ReturnLead, ReturnStatus, ReturnTraining } from '../data/schemas/returnSchemas.js';
import { addDays, daysBetween } from './londonDates.js';
import { type Answers, answerProblems } from './reviewRules.js';
import type { ChecklistTemplate } from './templateTypes.js';

/** Reminders to schools that have not submitted: 14 and 3 days before the link's last day. */
export const RETURN_REMINDER_DAYS = [14, 3] as const;
export type ReturnReminderStage = 'reminder-14' | 'reminder-3';

/** The last day a return sent on `sentOn` can be opened: `days` days on. */
export function returnLastDay(sentOn: string, days: number): string {
  return addDays(sentOn, days);
}

/**
 * Which reminder is due as of a date, if any: the 3-day one from 3 days before the last day, else the
 * 14-day one from 14 days before. A run that missed the 14-day window sends only the 3-day reminder.
 */
export function returnReminderDue(lastDay: string, asOf: string): ReturnReminderStage | null {
  const left = daysBetween(asOf, lastDay);
  if (left < 0) return null;
  if (left <= 3) return 'reminder-3';
  if (left <= 14) return 'reminder-14';
  return null;
}

/** Whether a return's link still opens (a submitted one opens to its receipt until the last day). */
export function returnLinkOpens(
  ret: { status: ReturnStatus; lastDay: string },
  link: { endedAt: string | null },
  today: string,
): boolean {
  return ret.status !== 'ended' && link.endedAt === null && today <= ret.lastDay;
}

/** A return still waiting for the school: sent (or bounced) and neither submitted, ended nor expired. */
export function returnIsOpen(ret: { status: ReturnStatus; lastDay: string }, today: string): boolean {
  return ret.status !== 'submitted' && ret.status !== 'ended' && today <= ret.lastDay;
}

export type TaskState = 'completed' | 'in-progress' | 'not-started' | 'cannot-start' | 'optional';

export interface ReturnProgress {
  leads: TaskState;
  training: TaskState;
  audit: TaskState;
  check: TaskState;
}

interface ReturnDraft {
  leads: ReturnLead[] | null;
  training: ReturnTraining[];
  trainingDone: boolean;
  answers: Answers;
  auditSaved: boolean;
}

/** The task list's states (GOV.UK "complete multiple tasks" pattern). */
export function returnProgress(template: ChecklistTemplate, r: ReturnDraft): ReturnProgress {
  const leads: TaskState = r.leads === null ? 'not-started' : 'completed';
  const training: TaskState = r.trainingDone
    ? 'completed'
    : r.training.length > 0
      ? 'in-progress'
      : 'optional';
  const audit: TaskState = !r.auditSaved
    ? 'not-started'
    : answerProblems(template, r.answers).length === 0
      ? 'completed'
      : 'in-progress';
  const check: TaskState = leads === 'completed' && audit === 'completed' ? 'not-started' : 'cannot-start';
  return { leads, training, audit, check };
}

/** What stops a return being submitted, in the order of the task list; each names the task to go back to. */
export function returnProblems(
  template: ChecklistTemplate,
  r: ReturnDraft,
): { task: 'leads' | 'audit'; text: string }[] {
  const problems: { task: 'leads' | 'audit'; text: string }[] = [];
  if (r.leads === null) problems.push({ task: 'leads', text: 'Confirm or correct your Prevent lead' });
  else if (!r.leads.some((l) => l.stillLead))
    problems.push({ task: 'leads', text: 'Give at least one person who is your Prevent lead now' });
  const unanswered = answerProblems(template, r.answers).length;
  if (unanswered > 0)
    problems.push({
      task: 'audit',
      text: `Answer every audit question (${unanswered} still ${unanswered === 1 ? 'needs' : 'need'} an answer)`,
    });
  return problems;
}

/** Days from `asOf` to the last day, for reminder wording. */
export const daysLeft = (lastDay: string, asOf: string) => daysBetween(asOf, lastDay);
