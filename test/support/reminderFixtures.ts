import { addDays } from '../../checks/londonDates.js';
import type { Store } from '../../data/store/store.js';

/** A Wednesday: the weekly summary due is Monday 2 March 2026's. */
export const REMINDER_AS_OF = '2026-03-04';

/**
 * The demo borough (loaded as of REMINDER_AS_OF) with owners spread out, so that each recipient's digest is
 * distinct: Hillcrest Youth Centre (review due in ~3 weeks) gets a caretaker with no account; an action at
 * the Town Hall due in 5 days goes to the education team; an action with no owner at the Civic Offices
 * Annexe (no site manager) due tomorrow goes to the coordinator. Facilities keeps the overdue rest.
 */
export async function spreadDemoOwners(store: Store): Promise<void> {
  const byRef = (ref: string) => store.list('premises').find((p) => p.ref === ref)!;
  await store.transact('test', (tx) => {
    tx.update('premises', byRef('NB-003').id, { siteManagerEmail: 'caretaker@northbrook.example' });
    tx.update('premises', byRef('NB-010').id, { siteManagerEmail: null });
    const common = {
      subjectType: 'premises' as const,
      reviewId: null,
      questionId: null,
      status: 'open' as const,
      closedAt: null,
      closedBy: null,
      closingNote: null,
    };
    tx.insert('actions', {
      ...common,
      subjectId: byRef('NB-001').id,
      description: 'Brief the education team on the Town Hall hire policy',
      ownerEmail: 'education@demo.test',
      dueOn: addDays(REMINDER_AS_OF, 5),
    });
    tx.insert('actions', {
      ...common,
      subjectId: byRef('NB-010').id,
      description: 'Name a site manager for the Annexe',
      ownerEmail: null,
      dueOn: addDays(REMINDER_AS_OF, 1),
    });
  });
}
