import { addDays, addMonths, londonDate } from '../../checks/londonDates.js';
import { normaliseName } from '../../checks/nameMatching.js';
import { loadDemo } from '../../data/demo/demoBorough.js';
import { DEMO_PASSWORD, demoAccounts } from '../../data/demo/demoContext.js';
import type { Store } from '../../data/store/store.js';
import { runArchive } from '../../jobs/archiveJob.js';
import { hashPassword } from './passwords.js';

export { DEMO_PASSWORD, demoAccounts };

/** Loads the demo borough with dates relative to today (London) and the SPEC's demo password. */
export async function setUpDemo(
  store: Store,
  opts: { passwordHashCost: number; today?: string },
): Promise<void> {
  const passwordHash = await hashPassword(DEMO_PASSWORD, opts.passwordHashCost);
  const today = opts.today ?? londonDate(store.now());
  await loadDemo(store, { today, addDays, addMonths, normaliseName, passwordHash });
  // Decided bookings more than a year past go to the archive files, as the daily job would move them.
  await runArchive(store, { asOf: today });
}
