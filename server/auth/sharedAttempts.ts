import { inPgTransaction, type PgClient, type PgPool } from '../../data/pg/pgPool.js';

/** A check counted in the shared table, or the time the key's oldest counted check leaves the window. */
export type Taken = { ok: true; id: string } | { ok: false; until: number };

/**
 * Checks of a secret counted per key (a client network) across every instance on one PostgreSQL database:
 * at most `max` in any `windowMs`. Each instance's own throttle (attemptThrottle.ts) still bounds what it
 * has in progress; this makes the limit one for all of them together.
 */
export interface SharedAttempts {
  /** Counts a check on `key` at `at`, unless `max` are already counted in the window before it. */
  take(key: string, at: number): Promise<Taken>;
  /** Uncounts a check that turned out right. */
  release(id: string): Promise<void>;
  /** Until when `key` is refused (its window is full), or null. */
  fullUntil(key: string, at: number): Promise<number | null>;
}

/** Prune old rows once every this many checks. */
const PRUNE_EVERY = 200;

export function pgSharedAttempts(pool: PgPool, limits: { max: number; windowMs: number }): SharedAttempts {
  let sincePrune = 0;
  /** How many checks of `key` the window before `at` holds, and when its oldest leaves it. */
  const counted = async (db: Pick<PgClient, 'query'>, key: string, at: number) => {
    const r = await db.query<{ n: number; oldest: Date | null }>(
      'SELECT count(*)::int AS n, min(at) AS oldest FROM sign_in_attempts WHERE key = $1 AND at > $2',
      [key, new Date(at - limits.windowMs)],
    );
    const row = r.rows[0] ?? { n: 0, oldest: null };
    return { n: row.n, until: (row.oldest?.getTime() ?? at) + limits.windowMs };
  };
  return {
    async take(key, at) {
      if (++sincePrune >= PRUNE_EVERY) {
        sincePrune = 0;
        await pool.query('DELETE FROM sign_in_attempts WHERE at <= $1', [new Date(at - limits.windowMs)]);
      }
      // One key's checks are counted one at a time across instances (a lock for this transaction).
      return inPgTransaction(pool, async (client) => {
        await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`sign-in:${key}`]);
        const held = await counted(client, key, at);
        if (held.n >= limits.max) return { ok: false, until: held.until } as const;
        const r = await client.query<{ id: string }>(
          'INSERT INTO sign_in_attempts (key, at) VALUES ($1, $2) RETURNING id',
          [key, new Date(at)],
        );
        return { ok: true, id: String(r.rows[0]?.id) } as const;
      });
    },
    async release(id) {
      await pool.query('DELETE FROM sign_in_attempts WHERE id = $1', [id]);
    },
    async fullUntil(key, at) {
      const held = await counted(pool, key, at);
      return held.n >= limits.max ? held.until : null;
    },
  };
}
