import type { PgMigration } from '../pgMigrations.js';

/** Evidence files on PostgreSQL: the bytes, their size and SHA-256 (checked on every read), by evidence id. */
export const evidenceFilesStep: PgMigration = {
  version: 202,
  name: 'evidence files',
  sql: `
    CREATE TABLE evidence_files (
      id text PRIMARY KEY,
      bytes bytea NOT NULL,
      size integer NOT NULL,
      sha256 text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
      stored_at timestamptz NOT NULL DEFAULT now()
    );
  `,
};
