import type { PgPool } from './pgPool.js';
import { MIGRATIONS } from './migrations/index.js';

/** One versioned step of the PostgreSQL schema. Steps are applied in order, each once, each in a transaction. */
export interface PgMigration {
  version: number;
  name: string;
  sql: string;
}

/** Advisory lock key that serialises migrations when several instances start at once. */
const MIGRATION_LOCK = 0x44520001;

/**
 * Brings the database schema up to date: creates `schema_migrations` if missing, then applies every step
 * whose version it does not hold yet. Safe to call from several instances at once (an advisory lock makes
 * the others wait, then find nothing to do). Returns the versions it applied.
 */
export async function migratePg(
  pool: PgPool,
  migrations: readonly PgMigration[] = MIGRATIONS,
): Promise<number[]> {
  checkOrder(migrations);
  const client = await pool.connect();
  const applied: number[] = [];
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await client.query(
      `CREATE TABLE IF NOT EXISTS schema_migrations (
         version integer PRIMARY KEY,
         name text NOT NULL,
         applied_at timestamptz NOT NULL DEFAULT now()
       )`,
    );
    const done = await client.query<{ version: number }>('SELECT version FROM schema_migrations');
    const have = new Set(done.rows.map((row) => row.version));
    for (const step of migrations) {
      if (have.has(step.version)) continue;
      await client.query('BEGIN');
      try {
        await client.query(step.sql);
        await client.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [
          step.version,
          step.name,
        ]);
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK').catch(() => {});
        throw new Error(
          `Database schema step ${step.version} (${step.name}) failed: ${(err as Error).message}`,
        );
      }
      applied.push(step.version);
    }
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => {});
    client.release();
  }
  return applied;
}

/** The versions the database holds, lowest first. */
export async function appliedPgVersions(pool: PgPool): Promise<number[]> {
  const exists = await pool.query<{ t: string | null }>("SELECT to_regclass('schema_migrations') AS t");
  if (!exists.rows[0]?.t) return [];
  const rows = await pool.query<{ version: number }>(
    'SELECT version FROM schema_migrations ORDER BY version',
  );
  return rows.rows.map((row) => row.version);
}

function checkOrder(migrations: readonly PgMigration[]): void {
  let last = 0;
  for (const step of migrations) {
    if (step.version <= last)
      throw new Error(`Database schema steps out of order at ${step.version} (${step.name})`);
    last = step.version;
  }
}
