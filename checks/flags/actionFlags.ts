import { formatDate } from '../londonDates.js';
import type { Flag, FlagData } from './flagTypes.js';
import { messagesByDate } from './periodicReviewFlags.js';

const overdueSince = messagesByDate((due) => `Action overdue since ${formatDate(due)}`);

/** An open action past its due date. */
export function actionFlags(data: FlagData, asOf: string): Flag[] {
  const out: Flag[] = [];
  for (const a of data.actions) {
    if (a.status !== 'open' || !(a.dueOn < asOf)) continue;
    out.push({
      rule: 'action-overdue',
      severity: 'medium',
      subject: { type: 'action', id: a.id, ref: a.id, name: a.description },
      dueOn: a.dueOn,
      message: overdueSince(a.dueOn),
    });
  }
  return out;
}
