import { formatDate } from '../londonDates.js';
import type { Flag, FlagData } from './flagTypes.js';

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
      message: `Action overdue since ${formatDate(a.dueOn)}`,
    });
  }
  return out;
}
