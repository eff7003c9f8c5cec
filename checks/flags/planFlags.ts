import { PLAN_ID } from '../../data/schemas/trainingSchemas.js';
import { formatDate } from '../londonDates.js';
import type { Flag, FlagContext, FlagData } from './flagTypes.js';
import { periodicReviewFlags } from './periodicReviewFlags.js';

export const PLAN_REVIEW_NAME = 'Action plan review';

type ActivityDates = { rag: string; dueOn: string; completedOn: string | null };

/** Complete on `asOf`: marked complete, and not later than that day. */
export function activityDone(a: ActivityDates, asOf: string): boolean {
  return a.rag === 'complete' && (a.completedOn === null || a.completedOn <= asOf);
}

/** An activity of the plan is late when it is not complete by the day after its due date. */
export function activityLate(a: ActivityDates, asOf: string): boolean {
  return !activityDone(a, asOf) && a.dueOn < asOf;
}

/**
 * The action plan once set up: its quarterly review (the four review rules, subject type `plan`, ref =
 * the plan's title) and each late activity (`action-overdue`, subject type `action`, ref = activity id).
 */
export function planFlags(data: FlagData, asOf: string, { latest }: FlagContext): Flag[] {
  const out: Flag[] = [];
  const plan = data.actionPlans.find((p) => p.id === PLAN_ID);
  if (!plan) return out;
  const subject = { type: 'plan' as const, id: plan.id, ref: plan.title, name: plan.title };
  periodicReviewFlags(subject, latest.of('plan', plan.id), asOf, PLAN_REVIEW_NAME, out);
  for (const a of data.planActivities) {
    if (!activityLate(a, asOf)) continue;
    out.push({
      rule: 'action-overdue',
      severity: 'medium',
      subject: { type: 'action', id: a.id, ref: a.id, name: a.description },
      dueOn: a.dueOn,
      message: `Action plan activity overdue since ${formatDate(a.dueOn)}`,
    });
  }
  return out;
}
