import type { PgMigration } from '../pgMigrations.js';

/**
 * Archives on PostgreSQL: one row a year, the body the exact text of the year's archive file (so
 * `checkArchive` verifies it as it does a file) and the SHA-256 of that text. The table is the truth;
 * each instance keeps the files beside its `DUEREGARD_DB` as a read cache of it (see data/pg/pgArchives.ts).
 */
export const archivesStep: PgMigration = {
  version: 203,
  name: 'archives',
  sql: `
    CREATE TABLE archives (
      year integer PRIMARY KEY CHECK (year BETWEEN 1000 AND 9999),
      body text NOT NULL,
      sha256 text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
      written_at timestamptz NOT NULL DEFAULT now()
    );
  `,
};
