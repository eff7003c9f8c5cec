import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { Low } from 'lowdb';
import {
  CURRENT_SCHEMA_VERSION,
  type CollectionName,
  collectionSchemas,
  type Db,
  emptyDb,
  type Meta,
  metaSchema,
  type RecordOf,
} from '../dbSchema.js';
import {
  type AuditDraft,
  type AuditEntry,
  appendAuditLines,
  auditPathFor,
  chainEntry,
  redactSecrets,
} from './auditLog.js';
import { DurableJsonFile, removeStrayTempFiles, writeDurably } from './durableJsonFile.js';
import { migrate } from './migrations.js';
import { finishPendingRestore, restoreIsPending } from './restoreSwap.js';
import { WriterLock } from './writerLock.js';

export class NotFoundError extends Error {
  constructor(
    readonly collection: string,
    readonly id: string,
  ) {
    super(`No ${collection} record with id ${id}`);
  }
}

/** Saving over a newer version of a record: the caller shows "changed since you opened it". */
export class ConflictError extends Error {
  constructor(
    readonly collection: string,
    readonly current: unknown,
    readonly expectedVersion: number,
  ) {
    super(`The ${collection} record changed since it was opened (version ${expectedVersion} expected)`);
  }
}

export class ValidationError extends Error {
  constructor(
    readonly collection: string,
    readonly issues: { path: string; message: string }[],
  ) {
    super(`Invalid ${collection} record: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`);
  }
}

type Fields<C extends CollectionName> = Omit<RecordOf<C>, 'id' | 'version' | 'createdAt' | 'updatedAt'> & {
  id?: string;
};
type Patch<C extends CollectionName> = Partial<
  Omit<RecordOf<C>, 'id' | 'version' | 'createdAt' | 'updatedAt'>
>;

export interface StoreOptions {
  /** Take the writer lock (default true). Read-only users (reports, checks) pass false and cannot write. */
  write?: boolean;
  /** Validate every record on load (default true). */
  validateOnLoad?: boolean;
  /** Clock, for tests. */
  now?: () => Date;
}

/** A change in progress: every operation is validated, versioned, audited, and undone if the change fails. */
export class Transaction {
  readonly audit: AuditDraft[] = [];
  private readonly undo: (() => void)[] = [];
  readonly at: string;

  constructor(
    private readonly store: Store,
    readonly actor: string,
  ) {
    this.at = store.now().toISOString();
  }

  insert<C extends CollectionName>(collection: C, fields: Fields<C>): RecordOf<C> {
    const id = fields.id ?? randomUUID();
    if (this.store.get(collection, id))
      throw new Error(`A ${collection} record with id ${id} already exists`);
    const record = this.store.validate(collection, {
      ...fields,
      id,
      version: 1,
      createdAt: this.at,
      updatedAt: this.at,
    });
    const list = this.store.data[collection] as RecordOf<C>[];
    list.push(record);
    this.store.indexOf(collection).set(id, record);
    this.undo.push(() => {
      const i = list.lastIndexOf(record);
      if (i >= 0) list.splice(i, 1);
      this.store.indexOf(collection).delete(id);
    });
    this.audit.push(this.draft('create', collection, id, null, record));
    return record;
  }

  /**
   * Updates in place. With `expectedVersion`, a newer stored version is refused with ConflictError.
   * `erase: true` (removing personal data) logs which fields changed but not their values, so the
   * audit log does not keep what was erased.
   */
  update<C extends CollectionName>(
    collection: C,
    id: string,
    patch: Patch<C>,
    expectedVersion?: number,
    opts: { erase?: boolean } = {},
  ): RecordOf<C> {
    const current = this.store.get(collection, id);
    if (!current) throw new NotFoundError(collection, id);
    const cur = current as RecordOf<C> & { version: number };
    if (expectedVersion !== undefined && cur.version !== expectedVersion) {
      throw new ConflictError(collection, current, expectedVersion);
    }
    const before = structuredClone(current);
    const next = this.store.validate(collection, {
      ...cur,
      ...patch,
      id,
      version: cur.version + 1,
      createdAt: (cur as { createdAt: string }).createdAt,
      updatedAt: this.at,
    });
    Object.assign(cur, next);
    this.undo.push(() => {
      for (const k of Object.keys(cur)) delete (cur as Record<string, unknown>)[k];
      Object.assign(cur, before);
    });
    this.audit.push(
      opts.erase
        ? this.draft('erase', collection, id, null, { fields: Object.keys(patch), version: cur.version })
        : this.draft('update', collection, id, before, cur),
    );
    return cur;
  }

  /** Deletes a record. `erase: true` (removing personal data) logs the deletion without the record's content. */
  remove<C extends CollectionName>(collection: C, id: string, opts: { erase?: boolean } = {}): void {
    const current = this.store.get(collection, id);
    if (!current) throw new NotFoundError(collection, id);
    const list = this.store.data[collection] as RecordOf<C>[];
    const i = list.indexOf(current);
    list.splice(i, 1);
    this.store.indexOf(collection).delete(id);
    this.undo.push(() => {
      list.splice(i, 0, current);
      this.store.indexOf(collection).set(id, current);
    });
    this.audit.push(
      opts.erase
        ? this.draft('erase', collection, id, null, { deleted: true })
        : this.draft('delete', collection, id, current, null),
    );
  }

  /** Non-record state (job run times, settings). Not audited: nothing a person changed. */
  setMeta(fn: (meta: Meta) => void): void {
    const before = structuredClone(this.store.data.meta);
    fn(this.store.data.meta);
    this.undo.push(() => {
      this.store.data.meta = before;
    });
  }

  /** Records something in the audit log that is not a record change (e.g. a purge, an export). */
  note(action: string, collection: string, recordId: string, details: unknown): void {
    this.audit.push(this.draft(action, collection, recordId, null, details));
  }

  rollback(): void {
    for (const fn of this.undo.reverse()) fn();
  }

  /**
   * Copies `before` and `after`: an entry is hashed when the change commits but written by a later flush,
   * and records are changed in place, so a live reference would be written as a later state than was hashed.
   * Secret fields (password and token hashes) are logged only as fingerprints.
   */
  private draft(
    action: string,
    collection: string,
    recordId: string,
    before: unknown,
    after: unknown,
  ): AuditDraft {
    return {
      at: this.at,
      actor: this.actor,
      action,
      collection,
      recordId,
      before: redactSecrets(structuredClone(before)),
      after: redactSecrets(structuredClone(after)),
    };
  }
}

/**
 * The database: one lowdb JSON file held in memory, one writer process (lock file), every change
 * written durably and appended to the hash-chained audit log before it is acknowledged.
 */
export class Store {
  data: Db;
  /** Increases on every committed change; lets callers cache what they derive from the data. */
  revision = 0;
  readonly auditPath: string;
  readonly now: () => Date;
  private readonly low: Low<Db>;
  private readonly lock: WriterLock | null;
  private readonly indexes = new Map<CollectionName, Map<string, unknown>>();
  private pendingAudit: AuditEntry[] = [];
  private auditSeq = 0;
  private auditHash = '';
  private pendingFlush: Promise<void> | null = null;
  private running: Promise<void> | null = null;
  private failed: Error | null = null;
  private closed = false;
  /** Log entries past the database's head found at open: written, but their change was never saved. */
  private unsaved: { from: number; to: number } | null = null;

  private constructor(
    readonly path: string,
    readonly writable: boolean,
    now: () => Date,
  ) {
    this.low = new Low<Db>(new DurableJsonFile<Db>(path), emptyDb());
    this.data = this.low.data;
    this.lock = writable ? new WriterLock(path) : null;
    this.auditPath = auditPathFor(path);
    this.now = now;
  }

  static async open(path: string, options: StoreOptions = {}): Promise<Store> {
    const store = new Store(path, options.write ?? true, options.now ?? (() => new Date()));
    if (store.writable) {
      mkdirSync(dirname(path), { recursive: true });
      store.lock!.acquire(path);
    }
    try {
      if (store.writable) {
        removeStrayTempFiles(path);
        finishPendingRestore(path);
      } else if (restoreIsPending(path)) {
        throw new Error(
          `A restore of ${path} was interrupted; start the server (or run restore again) to finish it before reading.`,
        );
      }
      await store.load(options.validateOnLoad ?? true);
      if (store.unsaved) {
        // Say so in the log itself, so nobody reads those entries as changes that happened.
        const { from, to } = store.unsaved;
        store.unsaved = null;
        await store.transact('system', (tx) =>
          tx.note('unsaved-changes', 'database', basename(path), {
            entries: { from, to },
            explanation: `Audit entries ${from} to ${to} describe a change that was never saved: the service stopped (a crash or power cut) after logging it and before saving it, and nobody was told it had been saved.`,
          }),
        );
      }
    } catch (err) {
      store.lock?.release();
      throw err;
    }
    return store;
  }

  /** An in-memory store over given data, never written: for benchmarks and pure tests. */
  static inMemory(data: Db): Store {
    const store = new Store(':memory:', false, () => new Date());
    store.data = data;
    return store;
  }

  private async load(validate: boolean): Promise<void> {
    const exists = existsSync(this.path);
    if (!exists && !this.writable) throw new Error(`There is no database at ${this.path}`);
    await this.low.read();
    const raw = (this.low.data ?? emptyDb()) as unknown as Record<string, unknown>;
    const { db, migrated } = migrate(raw);
    db.meta = metaSchema.parse(db.meta ?? {});
    for (const name of Object.keys(collectionSchemas) as CollectionName[]) {
      const list = (db as Record<string, unknown>)[name];
      if (!Array.isArray(list)) {
        (db as Record<string, unknown>)[name] = [];
        continue;
      }
      if (validate) {
        list.forEach((rec, i) => {
          const parsed = collectionSchemas[name].safeParse(rec);
          if (!parsed.success) {
            throw new Error(
              `The database ${this.path} holds an invalid ${name} record (#${i + 1}): ${parsed.error.issues[0]?.message}`,
            );
          }
          list[i] = parsed.data;
        });
      }
    }
    this.data = db;
    this.low.data = db;
    if (this.writable) {
      // The log is written first, so its last entry is normally at or past the database's head. A log
      // that ends before the head lost entries: carry on from the head so the gap stays visible to
      // verification instead of being papered over by new entries.
      const tail = await readLastAuditEntry(this.auditPath);
      const fromLog = tail !== null && tail.seq >= db.meta.auditSeq;
      this.auditSeq = fromLog ? tail.seq : db.meta.auditSeq;
      this.auditHash = fromLog ? tail.hash : db.meta.auditHash;
      if (fromLog && tail.seq > db.meta.auditSeq) this.unsaved = { from: db.meta.auditSeq + 1, to: tail.seq };
      if (!exists || migrated) await this.low.write();
    }
  }

  /** Runs `fn` as one change by `actor`; resolves once the change is on disk and in the audit log. */
  async transact<T>(actor: string, fn: (tx: Transaction) => T): Promise<T> {
    if (!this.writable) throw new Error('This database was opened read-only');
    if (this.closed) throw new Error('The database is closed');
    if (this.failed)
      throw new Error(
        `The database could not be saved earlier (${this.failed.message}); restart the service`,
      );
    const tx = new Transaction(this, actor);
    let result: T;
    try {
      result = fn(tx);
      if (result instanceof Promise) throw new Error('transact callbacks must be synchronous');
    } catch (err) {
      tx.rollback();
      throw err;
    }
    for (const draft of tx.audit) {
      const entry = chainEntry(draft, this.auditSeq + 1, this.auditHash);
      this.auditSeq = entry.seq;
      this.auditHash = entry.hash;
      this.pendingAudit.push(entry);
    }
    this.data.meta.auditSeq = this.auditSeq;
    this.data.meta.auditHash = this.auditHash;
    this.revision++;
    await this.scheduleFlush();
    return result;
  }

  /** A flush not yet started includes every change made before it starts; writes never overlap. */
  private scheduleFlush(): Promise<void> {
    if (this.pendingFlush) return this.pendingFlush;
    const previous = this.running ?? Promise.resolve();
    const flush = previous
      .catch(() => {})
      .then(() => {
        this.pendingFlush = null;
        const run = this.flushNow();
        this.running = run;
        return run.finally(() => {
          if (this.running === run) this.running = null;
        });
      });
    this.pendingFlush = flush;
    return flush;
  }

  private async flushNow(): Promise<void> {
    const entries = this.pendingAudit;
    this.pendingAudit = [];
    const snapshot = JSON.stringify(this.data);
    try {
      // The audit log is written ahead of the database: an entry can describe a change a crash cut off,
      // but no acknowledged change is ever missing from the log.
      await appendAuditLines(this.auditPath, entries);
      await writeDurably(this.path, snapshot);
    } catch (err) {
      this.failed = err as Error;
      throw err;
    }
  }

  /** Waits for every write in progress. */
  async flushed(): Promise<void> {
    while (this.pendingFlush || this.running) {
      await (this.pendingFlush ?? this.running)?.catch(() => {});
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await this.flushed();
    this.closed = true;
    this.lock?.release();
  }

  list<C extends CollectionName>(collection: C): readonly RecordOf<C>[] {
    return this.data[collection] as RecordOf<C>[];
  }

  get<C extends CollectionName>(collection: C, id: string): RecordOf<C> | undefined {
    return this.indexOf(collection).get(id) as RecordOf<C> | undefined;
  }

  /** id → record, built on first use and kept up to date by transactions. */
  indexOf(collection: CollectionName): Map<string, unknown> {
    let index = this.indexes.get(collection);
    if (!index) {
      index = new Map();
      for (const rec of this.data[collection] as { id: string }[]) index.set(rec.id, rec);
      this.indexes.set(collection, index);
    }
    return index;
  }

  validate<C extends CollectionName>(collection: C, value: unknown): RecordOf<C> {
    const parsed = collectionSchemas[collection].safeParse(value);
    if (!parsed.success) {
      throw new ValidationError(
        collection,
        parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
      );
    }
    return parsed.data as RecordOf<C>;
  }

  get schemaVersion(): number {
    return this.data.schemaVersion ?? CURRENT_SCHEMA_VERSION;
  }
}

/**
 * The last complete audit entry. A crash while appending can leave a torn last line (no newline): that
 * entry was never acknowledged (a change is acknowledged only after its whole line is synced), so the
 * torn bytes are cut off here, where the writer holds the lock.
 */
async function readLastAuditEntry(path: string): Promise<AuditEntry | null> {
  if (!existsSync(path)) return null;
  const handle = await open(path, 'r+');
  try {
    const { size } = await handle.stat();
    if (size === 0) return null;
    const length = Math.min(size, 1 << 20);
    const buf = Buffer.alloc(length);
    await handle.read(buf, 0, length, size - length);
    if (buf[length - 1] !== 0x0a) {
      const lastNewline = buf.lastIndexOf(0x0a);
      if (lastNewline < 0 && size > length)
        throw new Error(`The audit log ${path} ends with an entry too long to read`);
      const keep = size - length + lastNewline + 1;
      await handle.truncate(keep);
      await handle.sync();
      return readLastAuditEntryFrom(buf.subarray(0, lastNewline + 1));
    }
    return readLastAuditEntryFrom(buf);
  } finally {
    await handle.close();
  }
}

function readLastAuditEntryFrom(buf: Buffer): AuditEntry | null {
  const lines = buf
    .toString('utf8')
    .split('\n')
    .filter((l) => l.trim() !== '');
  const last = lines.at(-1);
  return last ? (JSON.parse(last) as AuditEntry) : null;
}
