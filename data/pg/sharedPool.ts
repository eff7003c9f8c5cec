import { migratePg } from './pgMigrations.js';
import { createPgPool, type PgPool } from './pgPool.js';

/**
 * The process's one pool per `DATABASE_URL`, its schema brought up to date once: the reminder log, job
 * runs, evidence and the rest ask for it by URL rather than each opening connections of their own.
 */
interface Shared {
  pool: PgPool;
  ready: Promise<PgPool>;
}

const pools = new Map<string, Shared>();

/** The pool for `url`, created on first use; `ready` resolves once the schema steps are applied. */
export function sharedPgPool(url: string): Shared {
  let shared = pools.get(url);
  if (!shared) {
    const pool = createPgPool(url);
    const ready = migratePg(pool).then(() => pool);
    // Not awaited by everyone at once: a failure is reported by whoever awaits `ready`.
    ready.catch(() => {});
    shared = { pool, ready };
    pools.set(url, shared);
  }
  return shared;
}

/** The pool for `url` once its schema is up to date. */
export function readyPgPool(url: string): Promise<PgPool> {
  return sharedPgPool(url).ready;
}

/** Closes the pool for `url` (the server at stop; a test before dropping its database). */
export async function closeSharedPgPool(url: string): Promise<void> {
  const shared = pools.get(url);
  if (!shared) return;
  pools.delete(url);
  await shared.ready.catch(() => {});
  await shared.pool.end();
}
