import { hostname } from 'node:os';
import type { PgPool } from '../data/pg/pgPool.js';

/**
 * Who runs a scheduled job when several instances share one database. `exclusive` runs `fn` only if this
 * instance holds the job's lock (else answers 'busy' at once: another instance is running it), passing the
 * last run any instance recorded and a way to record this one, both under the lock.
 */
export interface RunCoordinator {
  /** Whether other instances run the same jobs (their last runs count, not only the job's own record). */
  readonly shared: boolean;
  exclusive(
    job: string,
    fn: (shared: { lastRun: Date | null; record(at: Date): Promise<void> }) => Promise<void>,
  ): Promise<'ran' | 'busy'>;
}

/**
 * One process on the file store: its writer lock already makes it the only one, the scheduler's own map
 * keeps a job from overlapping itself, and each job records its last run in the database (meta.jobRuns).
 */
export const localRunCoordinator: RunCoordinator = {
  shared: false,
  async exclusive(_job, fn) {
    await fn({ lastRun: null, record: async () => {} });
    return 'ran';
  },
};

/** The class half of the two-key advisory lock: "DR" jobs. The other half is the job name's hash. */
const JOB_LOCK_CLASS = 0x4452;

/**
 * Many instances on PostgreSQL: a session advisory lock per job (try-lock, so the loser skips rather than
 * queue up to run it again), held on one connection for the whole run, so an instance that dies mid-run
 * releases it with its connection; and `job_runs` holding each job's last run for every instance.
 */
export function pgRunCoordinator(
  pool: PgPool | (() => Promise<PgPool>),
  instance = defaultInstance(),
): RunCoordinator {
  // Asked for at the first run, not when the services are built (a CLI command may never schedule anything).
  const connect = () =>
    (typeof pool === 'function' ? pool() : Promise.resolve(pool)).then((p) => p.connect());
  return {
    shared: true,
    async exclusive(job, fn) {
      const client = await connect();
      // A connection whose unlock failed may still hold the lock: it is closed, not put back in the pool.
      let broken: Error | undefined;
      // The server may end this connection while the job runs (restart, failover): that must not crash the
      // process; the lock went with it, and the job's own writes are what they were.
      const onError = (err: Error) => {
        broken = err;
      };
      client.on('error', onError);
      try {
        const locked = await client.query<{ ok: boolean }>(
          'SELECT pg_try_advisory_lock($1, hashtext($2)) AS ok',
          [JOB_LOCK_CLASS, job],
        );
        if (!locked.rows[0]?.ok) return 'busy';
        try {
          const row = await client.query<{ last_run: Date }>(
            'SELECT last_run FROM job_runs WHERE name = $1',
            [job],
          );
          await fn({
            lastRun: row.rows[0]?.last_run ?? null,
            record: async (at) => {
              await client.query(
                `INSERT INTO job_runs (name, last_run, instance) VALUES ($1, $2, $3)
                 ON CONFLICT (name) DO UPDATE SET last_run = GREATEST(job_runs.last_run, EXCLUDED.last_run),
                   instance = EXCLUDED.instance`,
                [job, at, instance],
              );
            },
          });
          return 'ran';
        } finally {
          await client
            .query('SELECT pg_advisory_unlock($1, hashtext($2))', [JOB_LOCK_CLASS, job])
            .catch((err: Error) => {
              broken = err;
            });
        }
      } finally {
        client.off('error', onError);
        client.release(broken);
      }
    },
  };
}

function defaultInstance(): string {
  return `${hostname()}:${process.pid}`;
}
