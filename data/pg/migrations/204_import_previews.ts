import type { PgMigration } from '../pgMigrations.js';

/**
 * Import previews on PostgreSQL: the uploaded file (bytes and SHA-256, until it is applied or not needed) and
 * the preview's state as JSON text, so a preview read on one instance can be confirmed on another.
 * `applying` marks a preview one instance is applying: a second confirmation waits or is refused.
 */
export const importPreviewsStep: PgMigration = {
  version: 204,
  name: 'import previews',
  sql: `
    CREATE TABLE import_previews (
      id text PRIMARY KEY,
      user_id text NOT NULL,
      kind text NOT NULL,
      status text NOT NULL,
      started_at bigint NOT NULL,
      state text NOT NULL,
      bytes bytea,
      sha256 text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
      applying timestamptz
    );
    CREATE INDEX import_previews_user ON import_previews (user_id);
  `,
};
