import type { PgMigration } from '../pgMigrations.js';

/**
 * Sign-in checks counted against a client network, shared by every instance (SPEC §10, §14): one row per
 * check, written before the password is checked and removed when it was right, so instances together
 * check at most the limit per network in the window. Rows older than the window are pruned as they go.
 */
export const signInAttemptsStep: PgMigration = {
  version: 205,
  name: 'sign-in attempts',
  sql: `
    CREATE TABLE sign_in_attempts (
      id bigserial PRIMARY KEY,
      key text NOT NULL,
      at timestamptz NOT NULL
    );
    CREATE INDEX sign_in_attempts_key_at ON sign_in_attempts (key, at);
  `,
};
