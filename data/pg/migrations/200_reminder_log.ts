import type { PgMigration } from '../pgMigrations.js';

/**
 * The reminder log on PostgreSQL: every email sent or given up on (one row each, the entry as JSON), and
 * the once-only key of each reminder sent — (item, stage, recipient) unique, so no two instances can both
 * record the same reminder as sent.
 */
export const reminderLogStep: PgMigration = {
  version: 200,
  name: 'reminder log',
  sql: `
    CREATE TABLE reminder_log (
      id bigserial PRIMARY KEY,
      at timestamptz NOT NULL,
      status text NOT NULL CHECK (status IN ('sent', 'failed')),
      recipient text NOT NULL,
      entry jsonb NOT NULL
    );
    CREATE INDEX reminder_log_at ON reminder_log (at);
    CREATE TABLE reminder_sent (
      item_key text NOT NULL,
      stage text NOT NULL,
      recipient text NOT NULL,
      log_id bigint NOT NULL REFERENCES reminder_log (id) ON DELETE CASCADE,
      PRIMARY KEY (item_key, stage, recipient)
    );
  `,
};
