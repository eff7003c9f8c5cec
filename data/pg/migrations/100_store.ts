import type { PgMigration } from '../pgMigrations.js';

/**
 * The store's tables (docs/postgresql.md). `store_head` is the one row every write updates: `rev` counts
 * committed changes (the cursor instances catch up by), with the audit log's head and the change that last
 * destroyed keys. Records are one row per record, JSON text as the store wrote it (text, not jsonb, so it
 * reads back byte for byte); a deleted record stays as a row without a body, so other instances learn of the
 * deletion. `pos` keeps the order records were created in.
 */
export const storeTables: PgMigration = {
  version: 100,
  name: 'records, audit log, settings and subject keys',
  sql: `
    CREATE TABLE store_head (
      id smallint PRIMARY KEY CHECK (id = 1),
      rev bigint NOT NULL,
      audit_seq bigint NOT NULL,
      audit_hash text NOT NULL,
      keys_rev bigint NOT NULL DEFAULT 0,
      schema_version integer NOT NULL
    );
    INSERT INTO store_head (id, rev, audit_seq, audit_hash, schema_version) VALUES (1, 0, 0, '', 1);

    CREATE TABLE records (
      collection text NOT NULL,
      id text NOT NULL,
      pos bigserial NOT NULL,
      rev bigint NOT NULL,
      body text,
      PRIMARY KEY (collection, id)
    );
    CREATE INDEX records_rev ON records (rev);

    CREATE TABLE audit_log (
      seq bigint PRIMARY KEY,
      rev bigint NOT NULL,
      line text NOT NULL
    );

    CREATE TABLE store_meta (
      id smallint PRIMARY KEY CHECK (id = 1),
      rev bigint NOT NULL,
      body text NOT NULL
    );

    CREATE TABLE subject_keys (
      subject text PRIMARY KEY,
      key text NOT NULL,
      rev bigint NOT NULL
    );
    CREATE INDEX subject_keys_rev ON subject_keys (rev);
  `,
};
