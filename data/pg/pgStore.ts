import { CURRENT_SCHEMA_VERSION, type CollectionName, type Db, emptyDb, type RecordOf } from '../dbSchema.js';
import { auditPathFor } from '../store/auditLog.js';
import type { AuditSource } from '../store/auditSource.js';
import { RecordJson } from '../store/recordJson.js';
import { RecordIndexes } from '../store/recordIndexes.js';
import { destroySubjectKeys } from '../store/sealOnOpen.js';
import type { Store } from '../store/storeApi.js';
import { validateRecord } from '../store/storeErrors.js';
import { SubjectKeys } from '../store/subjectKeys.js';
import { Transaction } from '../store/transaction.js';
import type { StoreHealth } from '../store/writePause.js';
import { shareArchives } from '../store/archiveFiles.js';
import { PgArchiveMirror } from './pgArchives.js';
import { PgListener } from './pgListener.js';
import { migratePg } from './pgMigrations.js';
import { createPgPool, type PgClient, type PgPool } from './pgPool.js';
import { applyChanges, changedRecords } from './pgStoreApply.js';
import {
  destroyKeys,
  pgAuditSource,
  type PgChanges,
  readChanges,
  begin,
  type PgHead,
  writeChange,
} from './pgStoreRows.js';

export interface PgStoreOptions {
  /** Local path beside which the parts still kept in files live (see Store.path). */
  path: string;
  /** Take part in writing (default true). A reader never writes, and still follows the others. */
  write?: boolean;
  /** Validate every record on load (default true). */
  validateOnLoad?: boolean;
  now?: () => Date;
  /** Fallback poll for changes when a notification is missed (default 1 s). */
  pollMs?: number;
  /**
   * Follow the others' changes as they commit (default true). Without, memory is brought up to date only
   * by a write (which always catches up first) or `sync()`: enough for a one-shot command.
   */
  follow?: boolean;
  /** A pool to share (the process's one); by default the store makes its own and ends it on close. */
  pool?: PgPool;
}

/**
 * The PostgreSQL backend (SPEC §14): any number of instances over one database. Each keeps every record in
 * memory, as the file store does. A change runs in one PostgreSQL transaction that takes one advisory lock
 * (writers are serialised across instances), first applies what the others committed (so its version
 * checks see the latest data), runs `fn` on memory, writes the changed records, the hash-chained audit
 * entries, new subject keys and settings, and bumps the head's revision; it is acknowledged once committed,
 * and undone in memory if anything fails. Each commit notifies the others, which apply it (see PgListener).
 */
export class PgStore implements Store {
  readonly backend = 'postgres' as const;
  data: Db = emptyDb();
  revision = 0;
  readonly auditPath: string;
  readonly auditSource: AuditSource;
  readonly now: () => Date;
  keys: SubjectKeys;
  fileHead = { seq: 0, hash: '' };
  recovered = { transactions: 0, entries: 0, cut: 0 };
  logDamage: string | null = null;
  /** The revision of the database this instance's memory holds. */
  private rev = 0;
  private auditSeq = 0;
  private auditHash = '';
  private readonly indexes = new RecordIndexes();
  private readonly json = new RecordJson();
  /** One change or catch-up at a time in this instance: they all read and change the one memory. */
  private chain: Promise<unknown> = Promise.resolve();
  private catchUpQueued = false;
  private listener: PgListener | null = null;
  private closed = false;
  private lastError: Error | null = null;
  /** This instance's archive files, kept in step with the `archives` table (null without a folder). */
  readonly archives: PgArchiveMirror | null;

  private constructor(
    readonly pool: PgPool,
    private readonly ownsPool: boolean,
    readonly path: string,
    readonly writable: boolean,
    now: () => Date,
  ) {
    this.now = now;
    this.auditPath = auditPathFor(path);
    this.auditSource = pgAuditSource(pool);
    // Keys live in the subject_keys table: made in memory, stored by the transaction whose entries they seal.
    this.keys = SubjectKeys.inMemory();
    this.archives = path === ':memory:' ? null : new PgArchiveMirror(pool, path);
  }

  static async open(url: string, options: PgStoreOptions): Promise<PgStore> {
    const pool = options.pool ?? createPgPool(url);
    const store = new PgStore(
      pool,
      !options.pool,
      options.path,
      options.write ?? true,
      options.now ?? (() => new Date()),
    );
    try {
      if (store.writable) await migratePg(pool);
      await store.load(options.validateOnLoad ?? true);
      if (store.archives) shareArchives(store.path, store.archives);
      if (options.follow ?? true) {
        store.listener = new PgListener(
          url,
          (payload) => {
            const rev = Number(payload);
            store.changed(payload !== null && Number.isFinite(rev) ? rev : null);
          },
          options.pollMs,
        );
        await store.listener.start();
      }
      if (store.writable && !store.data.meta.logSealedAt && store.auditSeq === 0)
        // A new database's log is sealed from its first entry.
        await store.transact('system', (tx) =>
          tx.setMeta((m) => {
            m.logSealedAt = tx.at;
          }),
        );
      if (store.writable && store.data.meta.erasePending.length) await store.destroySubjectKeys();
    } catch (err) {
      await store.listener?.stop();
      if (store.ownsPool) await pool.end().catch(() => {});
      throw err;
    }
    return store;
  }

  /** Every record, setting and key, in one snapshot. */
  private async load(validate: boolean): Promise<void> {
    const client = await this.pool.connect();
    try {
      const head = await begin(client, 'read');
      const changes = await readChanges(client, 0, head);
      // The archives in the same snapshot, before serving: the records moved out are in the files.
      await this.archives?.sync(client);
      await client.query('COMMIT');
      this.data = emptyDb();
      this.data.schemaVersion = head.schemaVersion;
      this.apply(changes, validate);
      this.fileHead = { seq: head.auditSeq, hash: head.auditHash };
    } finally {
      client.release();
    }
  }

  /** Applies what other instances committed, up to `changes.head`. */
  private apply(changes: PgChanges, validate = false): void {
    applyChanges(this.data, changes, {
      indexOf: (c) => this.indexOf(c),
      remember: (rec, json) => this.json.set(rec, json),
      keys: this.keys,
      validate,
    });
    this.rev = changes.head.rev;
    this.auditSeq = changes.head.auditSeq;
    this.auditHash = changes.head.auditHash;
    this.data.meta.auditSeq = this.auditSeq;
    this.data.meta.auditHash = this.auditHash;
    this.revision++;
  }

  /** Runs `fn` after everything queued before it in this instance. */
  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.chain.catch(() => {}).then(fn);
    this.chain = run;
    return run;
  }

  /** A notification (or the poll): catch up unless this instance already holds that revision. */
  private changed(rev: number | null): void {
    if (this.closed || this.catchUpQueued || (rev !== null && rev <= this.rev)) return;
    this.catchUpQueued = true;
    void this.exclusive(async () => {
      this.catchUpQueued = false;
      if (this.closed) return;
      await this.catchUp();
    }).catch((err) => {
      this.lastError = err as Error;
    });
  }

  /** Reads and applies the others' changes in one consistent snapshot. */
  private async catchUp(): Promise<void> {
    const client = await this.pool.connect();
    try {
      await this.catchUpWith(client, await begin(client, 'read'));
      await client.query('COMMIT');
      this.lastError = null;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => {});
      throw err;
    } finally {
      client.release();
    }
  }

  /** Applies what was committed up to `head`, as seen inside the caller's transaction. */
  private async catchUpWith(client: PgClient, head: PgHead): Promise<void> {
    if (head.rev === this.rev) return;
    if (head.rev < this.rev)
      throw new Error('The PostgreSQL database is older than this instance holds (was it restored?)');
    const changes = await readChanges(client, this.rev, head);
    // An archive run writes the table before it moves records out: in this snapshot the files come first.
    await this.archives?.sync(client);
    this.apply(changes);
  }

  /** Applies every change committed by other instances so far (tests, and callers that must see them now). */
  sync(): Promise<void> {
    return this.exclusive(() => this.catchUp());
  }

  /**
   * Runs `fn` as one change by `actor`; resolves once it is committed in PostgreSQL. Another instance's
   * change committed first is applied before `fn` runs, so version checks see it.
   */
  async transact<T>(actor: string, fn: (tx: Transaction) => T): Promise<T> {
    if (!this.writable) throw new Error('This database was opened read-only');
    if (this.closed) throw new Error('The database is closed');
    return this.exclusive(() => this.runTransaction(actor, fn));
  }

  private async runTransaction<T>(actor: string, fn: (tx: Transaction) => T): Promise<T> {
    const client = await this.pool.connect();
    let applied: Transaction | null = null;
    const before = { seq: this.auditSeq, hash: this.auditHash, meta: this.data.meta };
    let newKeys: { subject: string; key: string }[] = [];
    try {
      await this.catchUpWith(client, await begin(client, 'write'));
      const tx = new Transaction(this, actor);
      let result: T;
      try {
        result = fn(tx);
        if (result instanceof Promise) throw new Error('transact callbacks must be synchronous');
      } catch (err) {
        tx.rollback();
        throw err;
      }
      applied = tx;
      if (tx.operations.length === 0 && !tx.metaChanged) {
        await client.query('COMMIT');
        return result;
      }
      tx.seal(this.keys);
      newKeys = this.keys.takeNew();
      const { text, seq, hash } = tx.logText(this.auditSeq, this.auditHash, false);
      const lines = text.split('\n').filter((l) => l.length > 0);
      const first = seq - lines.length + 1;
      const rev = this.rev + 1;
      this.data.meta.auditSeq = seq;
      this.data.meta.auditHash = hash;
      await writeChange(client, {
        rev,
        records: changedRecords(tx.operations),
        audit: lines.map((line, i) => ({ seq: first + i, line })),
        keys: newKeys,
        meta: tx.metaChanged ? JSON.stringify(this.data.meta) : null,
        auditSeq: seq,
        auditHash: hash,
      });
      await client.query('COMMIT');
      this.rev = rev;
      this.auditSeq = seq;
      this.auditHash = hash;
      for (const op of tx.operations) if (op.record && op.recordJson) this.json.set(op.record, op.recordJson);
      this.revision++;
      return result;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => {});
      if (applied) {
        // Never acknowledged: undone in memory. Had the commit gone through after all (a connection lost
        // while committing), the next catch-up reads it back, since this instance's revision stays behind.
        applied.rollback();
        for (const op of applied.operations) if (op.record) this.json.forget(op.record);
        this.keys.forget(newKeys.map((k) => k.subject));
        this.auditSeq = before.seq;
        this.auditHash = before.hash;
        this.data.meta.auditSeq = before.seq;
        this.data.meta.auditHash = before.hash;
        this.revision++;
      }
      throw err;
    } finally {
      client.release();
    }
  }

  /** Destroys keys in PostgreSQL (a change of its own, which the others apply), then the settings change. */
  destroySubjectKeys(also: Iterable<string> = []): Promise<number> {
    return destroySubjectKeys(this, also, (subjects) =>
      this.exclusive(async () => {
        const doomed = [...new Set(subjects)].filter((s) => this.keys.has(s));
        if (doomed.length === 0) return 0;
        const client = await this.pool.connect();
        try {
          await this.catchUpWith(client, await begin(client, 'write'));
          await destroyKeys(client, this.rev + 1, doomed);
          await client.query('COMMIT');
          this.rev++;
        } catch (err) {
          await client.query('ROLLBACK').catch(() => {});
          throw err;
        } finally {
          client.release();
        }
        return this.keys.destroy(doomed);
      }),
    );
  }

  /** `degraded` while this instance cannot read the others' changes (the database is unreachable). */
  health(): StoreHealth {
    if (!this.lastError) return { status: 'ok' };
    return {
      status: 'degraded',
      reason: `the PostgreSQL database cannot be reached (${this.lastError.message})`,
      since: this.now().toISOString(),
      retries: 0,
    };
  }

  async flushed(): Promise<void> {
    for (;;) {
      const last = this.chain;
      await last.catch(() => {});
      if (last === this.chain) return;
    }
  }

  copyForBackup(): Promise<never> {
    return Promise.reject(
      new Error('A PostgreSQL database is backed up from the database itself (see docs/postgresql.md)'),
    );
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.flushed();
    await this.listener?.stop();
    if (this.archives) shareArchives(this.path, null, this.archives);
    if (this.ownsPool) await this.pool.end().catch(() => {});
  }

  list<C extends CollectionName>(collection: C): readonly RecordOf<C>[] {
    return this.data[collection] as RecordOf<C>[];
  }

  get<C extends CollectionName>(collection: C, id: string): RecordOf<C> | undefined {
    return this.indexOf(collection).get(id) as RecordOf<C> | undefined;
  }

  indexOf(collection: CollectionName): Map<string, unknown> {
    return this.indexes.of(this.data, collection);
  }

  validate<C extends CollectionName>(collection: C, value: unknown): RecordOf<C> {
    return validateRecord(collection, value);
  }

  jsonOf(record: object, remember = false): string {
    return this.json.of(record, remember);
  }

  get schemaVersion(): number {
    return this.data.schemaVersion ?? CURRENT_SCHEMA_VERSION;
  }
}
