import pg from 'pg';

/**
 * One connection pool per process for a `DATABASE_URL`. Every PostgreSQL part of the store (records, the
 * audit log, reminders, evidence, archives, sessions, job locks) takes its connections from here.
 */
export type PgPool = pg.Pool;
export type PgClient = pg.PoolClient;

export interface PgPoolOptions {
  /** Most connections this process holds at once (default 10). */
  max?: number;
  /** Shown in `pg_stat_activity`, so a council DBA can tell whose connections these are. */
  applicationName?: string;
}

export function createPgPool(url: string, options: PgPoolOptions = {}): PgPool {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max ?? 10,
    application_name: options.applicationName ?? 'due-regard',
    idleTimeoutMillis: 30_000,
    connectionTimeoutMillis: 10_000,
  });
  // An idle connection the server drops (restart, failover) must not crash the process; the next query reconnects.
  pool.on('error', () => {});
  return pool;
}

/** Runs `fn` inside one transaction on one connection: committed if it resolves, rolled back if it throws. */
export async function inPgTransaction<T>(pool: PgPool, fn: (client: PgClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    throw err;
  } finally {
    client.release();
  }
}
