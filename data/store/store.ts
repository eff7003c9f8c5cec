import { existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { Low } from 'lowdb';
import {
  CURRENT_SCHEMA_VERSION,
  type CollectionName,
  collectionSchemas,
  type Db,
  emptyDb,
  type RecordOf,
} from '../dbSchema.js';
import { appendLogText, auditPathFor, serializeEntry, type TxMark } from './auditLog.js';
import { DurableJsonFile, removeStrayTempFiles, writeDurably } from './durableJsonFile.js';
import { finishPendingRestore, restoreIsPending } from './restoreSwap.js';
import { AppendQueue } from './appendQueue.js';
import { cutLog, loadDatabase } from './storeLoad.js';
import { ValidationError } from './storeErrors.js';
import { Transaction } from './transaction.js';
import { WriterLock } from './writerLock.js';

// Callers import the store's errors and the transaction from here, as before the store was split.
export {
  ConflictError,
  checkVersion,
  MissingVersionError,
  NotFoundError,
  ValidationError,
} from './storeErrors.js';
export { type MoveOutDetails, Transaction } from './transaction.js';

export interface StoreOptions {
  /** Take the writer lock (default true). Read-only users (reports, checks) pass false and cannot write. */
  write?: boolean;
  /** Validate every record on load (default true). */
  validateOnLoad?: boolean;
  /** Clock, for tests. */
  now?: () => Date;
}

/** Writes pause this long before the database file is rewritten from memory… */
const SNAPSHOT_QUIET_MS = 250;
/** …and under constant writes it is rewritten at least this often. */
const SNAPSHOT_MAX_DELAY_MS = 5_000;

/** Log text waiting to be appended, and for a settings change the database file to write after it. */
interface Pending {
  text: string;
  snapshot: { text: string; revision: number } | null;
}

/**
 * The database: one lowdb JSON file held in memory, one writer process (lock file), and the hash-chained
 * audit log, which is also the journal. A change is acknowledged once its log entries are appended and
 * synced (one small append, grouped with changes made meanwhile). The database file is a snapshot,
 * rewritten in the background once writes pause (and at least every few seconds under constant writes),
 * and on close; it records the log entry and byte offset it includes. Opening replays every complete
 * transaction logged after that point.
 */
export class Store {
  data: Db;
  /** Increases on every committed change; lets callers cache what they derive from the data. */
  revision = 0;
  readonly auditPath: string;
  readonly now: () => Date;
  /** The audit head the database file itself recorded when opened (before replay), for `audit verify`. */
  fileHead: { seq: number; hash: string } = { seq: 0, hash: '' };
  /**
   * What opening found in the log past the database file: transactions (and their entries) replayed, and
   * entries or torn lines past them that were never acknowledged (a writer cuts them off; a reader skips them).
   */
  recovered = { transactions: 0, entries: 0, cut: 0 };
  /** For a reader: why the log past the database file could not be replayed (a writer refuses to open). */
  logDamage: string | null = null;
  /** Database files written since open; the last background write's error, if it failed. */
  snapshots = { written: 0, lastError: null as Error | null };
  private readonly low: Low<Db>;
  private readonly lock: WriterLock | null;
  private readonly indexes = new Map<CollectionName, Map<string, unknown>>();
  /** Each record's JSON as last written to the log, reused to write the database file. */
  private readonly json = new WeakMap<object, string>();
  private auditSeq = 0;
  private auditHash = '';
  /** Bytes in the log once every pending append is done: where the next entry will start. */
  private logBytes = 0;
  /** Appends are grouped; a settings change closes its group, and the next waits for its database file. */
  private readonly queue = new AppendQueue<Pending>((items) => this.runBatch(items));
  private snapshotChain: Promise<void> = Promise.resolve();
  /** The revision the database file on disk holds. */
  private fileRevision = 0;
  private snapshotTimer: NodeJS.Timeout | null = null;
  private dirtySince: number | null = null;
  private failed: Error | null = null;
  private closed = false;

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
      await store.lock!.acquire(path);
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
    const loaded = await loadDatabase(
      raw,
      { db: this.path, audit: this.auditPath },
      { writable: this.writable, validate },
    );
    const { db } = loaded;
    this.fileHead = loaded.fileHead;
    this.recovered = loaded.recovered;
    this.logDamage = loaded.logDamage;
    this.data = db;
    this.low.data = db;
    if (!this.writable) return;
    if (loaded.logEnd < loaded.logSize) await cutLog(this.auditPath, loaded.logEnd);
    this.auditSeq = db.meta.auditSeq;
    this.auditHash = db.meta.auditHash;
    this.logBytes = loaded.logEnd;
    // After a replay the file is brought up to date at once, so the next start does not replay it all again.
    if (!exists || loaded.migrated || loaded.recovered.transactions > 0)
      await this.writeSnapshot(this.serialize(), 0, true);
  }

  /**
   * Runs `fn` as one change by `actor`; resolves once the change is durable: its entries are in the audit
   * log (and, for a change of settings, the database file holding it is written).
   */
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
    if (tx.operations.length === 0 && !tx.metaChanged) {
      await this.queue.last.catch(() => {});
      return result;
    }
    await this.commit(tx);
    return result;
  }

  /** Chains the transaction's entries onto the log and queues them (synchronous up to the returned promise). */
  private commit(tx: Transaction): Promise<void> {
    const ops = tx.operations;
    const needsFile = tx.metaChanged || ops.some((op) => !op.replayable);
    const mark: TxMark | undefined = ops.length
      ? {
          first: this.auditSeq + 1,
          count: ops.length,
          ...(needsFile ? { snapshot: true as const } : {}),
        }
      : undefined;
    let text = '';
    for (const op of ops) {
      const seq = this.auditSeq + 1;
      const { line, hash } = serializeEntry(
        {
          seq,
          at: tx.at,
          actor: tx.actor,
          action: op.action,
          collection: op.collection,
          recordId: op.recordId,
        },
        op.beforeJson,
        op.afterJson,
        mark,
        this.auditHash,
      );
      this.auditSeq = seq;
      this.auditHash = hash;
      text += `${line}\n`;
    }
    for (const op of ops) if (op.record && op.recordJson) this.json.set(op.record, op.recordJson);
    this.logBytes += Buffer.byteLength(text);
    this.data.meta.auditSeq = this.auditSeq;
    this.data.meta.auditHash = this.auditHash;
    this.data.meta.auditOffset = this.logBytes;
    this.revision++;
    const snapshot = needsFile ? { text: this.serialize(), revision: this.revision } : null;
    const done = this.queue.push({ text, snapshot }, snapshot !== null);
    if (!snapshot) this.scheduleSnapshot();
    return done;
  }

  private async runBatch(items: Pending[]): Promise<void> {
    if (this.failed) throw this.failed;
    try {
      // The lock file may have been deleted (a clean-up script): put back, so others are told who holds it.
      this.lock?.verify();
      await appendLogText(this.auditPath, items.map((i) => i.text).join(''));
      const snapshot = items.at(-1)?.snapshot;
      if (snapshot) await this.writeSnapshot(snapshot.text, snapshot.revision);
    } catch (err) {
      // Memory now holds a change that is not durable: refuse further changes until a restart replays the log.
      this.failed = err as Error;
      throw err;
    }
  }

  /** Writes the database file unless a newer one was written meanwhile; one write at a time. */
  private writeSnapshot(text: string, revision: number, force = false): Promise<void> {
    const run = this.snapshotChain
      .catch(() => {})
      .then(async () => {
        if (revision <= this.fileRevision && !force) return;
        await writeDurably(this.path, text);
        this.fileRevision = Math.max(this.fileRevision, revision);
        this.snapshots.written++;
      });
    this.snapshotChain = run;
    return run;
  }

  /** The database file from memory, once every log entry it includes is on disk. */
  private async snapshotNow(): Promise<void> {
    if (this.failed || this.revision <= this.fileRevision) return;
    const revision = this.revision;
    const text = this.serialize();
    await this.queue.last;
    await this.writeSnapshot(text, revision);
  }

  private scheduleSnapshot(): void {
    if (this.closed) return;
    const now = Date.now();
    this.dirtySince ??= now;
    const due = Math.min(now + SNAPSHOT_QUIET_MS, this.dirtySince + SNAPSHOT_MAX_DELAY_MS);
    if (this.snapshotTimer) clearTimeout(this.snapshotTimer);
    this.snapshotTimer = setTimeout(
      () => {
        this.snapshotTimer = null;
        this.dirtySince = null;
        this.snapshotNow().then(
          () => {
            this.snapshots.lastError = null;
          },
          (err) => {
            this.snapshots.lastError = err as Error;
          },
        );
      },
      Math.max(0, due - now),
    );
    this.snapshotTimer.unref();
  }

  /**
   * The database as JSON, records from their JSON as last logged: a snapshot costs a concatenation, not a
   * serialisation of every record.
   */
  private serialize(): string {
    const parts: string[] = [];
    for (const [key, value] of Object.entries(this.data)) {
      if (value === undefined) continue;
      if (Array.isArray(value) && key in collectionSchemas) {
        const items = new Array<string>(value.length);
        for (let i = 0; i < value.length; i++) items[i] = this.jsonOf(value[i], true);
        parts.push(`${JSON.stringify(key)}:[${items.join(',')}]`);
      } else {
        parts.push(`${JSON.stringify(key)}:${JSON.stringify(value)}`);
      }
    }
    return `{${parts.join(',')}}`;
  }

  /** A record's JSON as last committed. */
  jsonOf(record: object, remember = false): string {
    let text = this.json.get(record);
    if (text === undefined) {
      text = JSON.stringify(record);
      if (remember) this.json.set(record, text);
    }
    return text;
  }

  /**
   * A consistent copy for a backup: the database as of the last logged change, with its head, and how many
   * bytes of the log hold the entries up to that head.
   */
  async copyForBackup(): Promise<{ dbText: string; head: { seq: number; hash: string }; logBytes: number }> {
    for (;;) {
      const last = this.queue.last;
      await last;
      if (last === this.queue.last && this.queue.idle) break;
    }
    // Nothing pending: memory, the log and the head agree from here to the return.
    return {
      dbText: this.serialize(),
      head: { seq: this.data.meta.auditSeq, hash: this.data.meta.auditHash },
      logBytes: this.data.meta.auditOffset,
    };
  }

  /** Waits for every write in progress (log appends, and a database file being written). */
  async flushed(): Promise<void> {
    for (;;) {
      const last = this.queue.last;
      const snap = this.snapshotChain;
      await last.catch(() => {});
      await snap.catch(() => {});
      if (last === this.queue.last && snap === this.snapshotChain) return;
    }
  }

  /** Refuses new changes, waits for those in progress, writes the database file and releases the lock. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.snapshotTimer) clearTimeout(this.snapshotTimer);
    this.snapshotTimer = null;
    try {
      await this.flushed();
      if (this.writable) await this.snapshotNow();
    } finally {
      this.lock?.release();
    }
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
