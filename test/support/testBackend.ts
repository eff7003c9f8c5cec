import type { StoreBackend } from '../../data/store/storeApi.js';
import { createTestPgDatabase } from './pgDatabase.js';

/**
 * Which backend the data and integration suites run on: the file store by default, PostgreSQL with
 * `DUEREGARD_TEST_BACKEND=postgres` (`npm run test:pg`). Each test app then gets a database of its own,
 * migrated (reset and reused within a mocha run: test/support/pgDatabase.ts).
 */
export const TEST_BACKEND: StoreBackend =
  process.env.DUEREGARD_TEST_BACKEND === 'postgres' ? 'postgres' : 'file';

/**
 * A `DATABASE_URL` for a new test app (a PostgreSQL database of its own, schema steps applied, and its drop), or none on the
 * file backend.
 */
export async function testDatabaseUrl(
  label: string,
): Promise<{ databaseUrl: string | null; drop: () => Promise<void> }> {
  if (TEST_BACKEND !== 'postgres') return { databaseUrl: null, drop: async () => {} };
  const db = await createTestPgDatabase(label, { migrated: true });
  return { databaseUrl: db.url, drop: () => db.drop() };
}

/**
 * Describes a test that holds only for the file store, with the reason in its name, so the PostgreSQL run
 * leaves it out visibly (mocha's --grep "file store only" --invert). Use: `it(fileOnly('reason', 'title'), …)`.
 */
export function fileOnly(reason: string, title: string): string {
  return `${title} [file store only: ${reason}]`;
}
