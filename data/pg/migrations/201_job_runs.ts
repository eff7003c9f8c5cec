import type { PgMigration } from '../pgMigrations.js';

/** When each scheduled job last ran, on any instance: a run missed by all is caught up by the first to start. */
export const jobRunsStep: PgMigration = {
  version: 201,
  name: 'scheduled job runs',
  sql: `
    CREATE TABLE job_runs (
      name text PRIMARY KEY,
      last_run timestamptz NOT NULL,
      instance text NOT NULL
    );
  `,
};
