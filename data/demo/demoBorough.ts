import type { Store, Transaction } from '../store/store.js';
import { type DemoContext, demoAccounts } from './demoContext.js';
import { loadDemoEvidence } from './demoEvidence.js';
import { demoHallHire } from './demoHallHire.js';
import { demoLibrariesPart } from './demoLibraries.js';
import { demoPremises } from './demoPremises.js';
import { demoSchools } from './demoSchools.js';
import { demoTraining } from './demoTraining.js';

export interface DemoIds {
  users: Map<string, string>;
  premises: Map<string, string>;
}

/** Each area's part of the demo, run in order inside one transaction. */
export const demoParts: ((tx: Transaction, ctx: DemoContext, ids: DemoIds) => void)[] = [
  demoLibrariesPart,
  demoHallHire,
  demoSchools,
  demoTraining,
];

/** Loads the demo borough into an empty database; refuses a database that already holds data. */
export async function loadDemo(store: Store, ctx: DemoContext): Promise<void> {
  if (store.list('users').length > 0 || store.list('premises').length > 0) {
    throw new Error('The database is not empty; the demo loads only into an empty database');
  }
  await store.transact('demo', (tx) => {
    const users = new Map<string, string>();
    for (const a of demoAccounts) {
      const u = tx.insert('users', {
        ...a,
        passwordHash: ctx.passwordHash,
        active: true,
        libraryIds: [],
        mustChangePassword: false,
        sessionEpoch: 0,
        calendarTokenHash: null,
        failedSignIns: [],
        lockedUntil: null,
      });
      users.set(a.email, u.id);
    }
    const ids: DemoIds = { users, premises: demoPremises(tx, ctx) };
    for (const part of demoParts) part(tx, ctx, ids);
    tx.setMeta((m) => {
      m.settings.demo = true;
    });
  });
  // Evidence files go on disk before their records, so they are added once the reviews exist.
  await loadDemoEvidence(store);
}
