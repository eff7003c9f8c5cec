import type { PgMigration } from '../pgMigrations.js';

/**
 * Sessions shared by every instance (express-session through connect-pg-simple, which reads and writes
 * `sid`, `sess` and `expire`). `user_id` is taken from the session itself, so "sign out everywhere" and the
 * cap on anonymous sessions are one indexed statement each.
 */
export const sessionsTable: PgMigration = {
  version: 300,
  name: 'sessions',
  sql: `
    CREATE TABLE sessions (
      sid varchar NOT NULL PRIMARY KEY,
      sess json NOT NULL,
      expire timestamptz NOT NULL,
      user_id text GENERATED ALWAYS AS (sess ->> 'userId') STORED
    );
    CREATE INDEX sessions_expire ON sessions (expire);
    CREATE INDEX sessions_user_id ON sessions (user_id) WHERE user_id IS NOT NULL;
  `,
};
