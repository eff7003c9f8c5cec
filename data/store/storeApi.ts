import type { CollectionName, Db, RecordOf } from '../dbSchema.js';
import type { AuditSource } from './auditSource.js';
import type { SubjectKeys } from './subjectKeys.js';
import type { Transaction } from './transaction.js';
import type { StoreHealth } from './writePause.js';

/** Which backend holds the data: the embedded file store (`FileStore`) or PostgreSQL (`PgStore`). */
export type StoreBackend = 'file' | 'postgres';

/**
 * What services, routes and jobs use of the database, whichever backend holds it (SPEC §14). Both keep
 * every record in memory (`data`, read synchronously: flags and the dashboard stay fast) and change it
 * only through `transact`, which checks versions, writes the hash-chained audit log and resolves once
 * the change is durable. `FileStore` (data/store/store.ts) is one process over one JSON file;
 * `PgStore` (data/pg/pgStore.ts) is any number of instances over one PostgreSQL database, each applying
 * the others' committed changes. `openStore` (data/store/openStore.ts) picks one from the configuration.
 */
export interface Store {
  readonly backend: StoreBackend;
  /** Every record, in memory. Read freely; change only inside `transact`. */
  data: Db;
  /** Increases on every change this instance makes or applies; lets callers cache what they derive. */
  revision: number;
  readonly now: () => Date;
  /**
   * The database file (file store), or for PostgreSQL the local path beside which the parts not yet
   * moved into PostgreSQL live (archive files, evidence folders, the reminder log): see docs/postgresql.md.
   */
  readonly path: string;
  /** The audit log file (file store only; PostgreSQL holds the log in its `audit_log` table). */
  readonly auditPath: string;
  /** The audit log, read wherever this backend keeps it (the audit page, `audit verify`). */
  readonly auditSource: AuditSource;
  readonly writable: boolean;
  /** Keys sealing each data subject's personal fields in the audit log (see personalFields.ts). */
  keys: SubjectKeys;
  /** The audit head the database held when opened, for `audit verify`. */
  fileHead: { seq: number; hash: string };
  /** What opening replayed or cut (file store; always zero for PostgreSQL, whose commits are atomic). */
  recovered: { transactions: number; entries: number; cut: number };
  /** For a file-store reader: why the log past the database file could not be replayed. */
  logDamage: string | null;
  readonly schemaVersion: number;

  transact<T>(actor: string, fn: (tx: Transaction) => T): Promise<T>;
  list<C extends CollectionName>(collection: C): readonly RecordOf<C>[];
  get<C extends CollectionName>(collection: C, id: string): RecordOf<C> | undefined;
  indexOf(collection: CollectionName): Map<string, unknown>;
  validate<C extends CollectionName>(collection: C, value: unknown): RecordOf<C>;
  /** A record's JSON as last committed. */
  jsonOf(record: object, remember?: boolean): string;
  health(): StoreHealth;
  /** Waits for every write in progress. */
  flushed(): Promise<void>;
  /** Destroys the audit-log keys of subjects whose personal data was removed (see sealOnOpen.ts). */
  destroySubjectKeys(also?: Iterable<string>): Promise<number>;
  /** A consistent copy of the file store for a backup (the PostgreSQL backup is `backup` on the database). */
  copyForBackup(): Promise<{ dbText: string; head: { seq: number; hash: string }; logBytes: number }>;
  close(): Promise<void>;
}
