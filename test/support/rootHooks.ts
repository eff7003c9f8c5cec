import { dropReused, reuseDatabases } from './pgDatabase.js';

/**
 * Root hooks of the unit and integration run (`.mocharc.cjs`): a test database given back is reset and
 * reused by the next test instead of dropped and created again; all are dropped at the end of the run
 * (test/support/pgDatabase.ts).
 */
reuseDatabases();

export const mochaHooks = {
  async afterAll(this: Mocha.Context) {
    this.timeout(120_000);
    await dropReused();
  },
};
