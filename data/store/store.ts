import { itemAt } from '../itemAt.js';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { Low } from 'lowdb';
import { CURRENT_SCHEMA_VERSION, type CollectionName, type Db, emptyDb, type RecordOf } from '../dbSchema.js';
import { appendLogText, auditPathFor } from './auditLog.js';
import { type AuditSource, fileAuditSource } from './auditSource.js';
import { DurableJsonFile } from './durableJsonFile.js';
import { OWNER_DIR_MODE, restrictStoreFiles } from './ownerOnly.js';
import { AppendQueue } from './appendQueue.js';
import { SnapshotFile } from './snapshotFile.js';
import { cutLog, loadDatabase, prepareFiles } from './storeLoad.js';
import { validateRecord } from './storeErrors.js';
import type { LogPosition, Pending, StoreOptions } from './storeTypes.js';
import { Transaction } from './transaction.js';
import { destroySubjectKeys, type SealingHooks, sealLogIfNeeded } from './sealOnOpen.js';
import { RecordJson } from './recordJson.js';
import { RecordIndexes } from './recordIndexes.js';
import { SubjectKeys } from './subjectKeys.js';
import { probeDisk, type StoreHealth, WritePause } from './writePause.js';
import { WriterLock } from './writerLock.js';
import type { Store as StoreApi } from './storeApi.js';

// Callers import the store's errors and the transaction from here, as before the store was split.
export * from './storeErrors.js';
export { type MoveOutDetails, Transaction } from './transaction.js';
export type { StoreHealth } from './writePause.js';
export type { StoreOptions } from './storeTypes.js';
export type { StoreBackend } from './storeApi.js';

/**
 * The database: one lowdb JSON file held in memory, one writer process (lock file), and the hash-chained
 * audit log, which is also the journal. A change is acknowledged once its log entries are appended and
 * synced (one small append, grouped with changes made meanwhile). The database file is a snapshot,
 * rewritten in the background once writes pause (and at least every few seconds under constant writes),
 * and on close; it records the log entry and byte offset it includes. Opening replays every complete
 * transaction logged after that point.
 */
export class FileStore implements StoreApi {
  readonly backend = 'file' as const;
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
  /** Keys sealing each data subject's personal fields in the audit log (see personalFields.ts). */
  keys: SubjectKeys = SubjectKeys.inMemory();
  /** For a reader: why the log past the database file could not be replayed (a writer refuses to open). */
  logDamage: string | null = null;
  private readonly low: Low<Db>;
  private readonly lock: WriterLock | null;
  private readonly indexes = new RecordIndexes();
  private readonly json = new RecordJson();
  private auditSeq = 0;
  private auditHash = '';
  /** Bytes in the log once every pending append is done: where the next entry will start. */
  private logBytes = 0;
  /** Appends are grouped; a settings change closes its group, and the next waits for its database file. */
  private readonly queue = new AppendQueue<Pending>((items) => this.runBatch(items));
  private readonly file: SnapshotFile;
  /** Where the log ends on disk with every acknowledged change: what a failed append is undone to. */
  private durable: LogPosition = { seq: 0, hash: '', bytes: 0 };
  /** Changes applied in memory whose append is queued or running, oldest first. */
  private inflight: Pending[] = [];
  /** Counts failed writes: changes queued before one are refused, not written after it. */
  private generation = 0;
  private readonly pause: WritePause;
  /** A new database's empty file, until its first change writes it. */
  private unwritten: string | null = null;
  private closed = false;

  private constructor(
    readonly path: string,
    readonly writable: boolean,
    now: () => Date,
    options: StoreOptions = {},
  ) {
    this.low = new Low<Db>(new DurableJsonFile<Db>(path), emptyDb());
    this.data = this.low.data;
    this.lock = writable ? new WriterLock(path) : null;
    this.file = new SnapshotFile(path);
    this.auditPath = auditPathFor(path);
    this.now = now;
    this.pause = new WritePause(() => this.probeWrites(), {
      firstRetryMs: options.retryMs ?? 1_000,
      maxRetryMs: 30_000,
      now,
      log: options.log ?? (() => {}),
    });
  }

  static async open(path: string, options: StoreOptions = {}): Promise<FileStore> {
    const store = new FileStore(path, options.write ?? true, options.now ?? (() => new Date()), options);
    if (store.writable) {
      mkdirSync(dirname(path), { recursive: true, mode: OWNER_DIR_MODE });
      await store.lock!.acquire(path);
      restrictStoreFiles(path);
    }
    try {
      prepareFiles(path, store.auditPath, store.writable);
      await store.load(options.validateOnLoad ?? true, options.deferCreate ?? false);
      if (store.writable) await sealLogIfNeeded(store, store.sealing());
      // A removal of personal data whose keys were not yet destroyed (a crash between the two) ends now.
      if (store.writable && store.data.meta.erasePending.length) await store.destroySubjectKeys();
    } catch (err) {
      store.lock?.release();
      throw err;
    }
    return store;
  }

  /** An in-memory store over given data, never written: for benchmarks and pure tests. */
  static inMemory(data: Db): FileStore {
    const store = new FileStore(':memory:', false, () => new Date());
    store.data = data;
    return store;
  }

  private async load(validate: boolean, deferCreate: boolean): Promise<void> {
    const exists = existsSync(this.path);
    if (!exists && !this.writable) throw new Error(`There is no database at ${this.path}`);
    await this.low.read();
    const raw = (this.low.data ?? emptyDb()) as unknown as Record<string, unknown>;
    this.keys = SubjectKeys.load(this.path);
    const loaded = await loadDatabase(
      raw,
      { db: this.path, audit: this.auditPath },
      { writable: this.writable, validate, keys: this.keys },
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
    this.durable = { seq: this.auditSeq, hash: this.auditHash, bytes: this.logBytes };
    // After a replay the file is brought up to date at once, so the next start does not replay it all again.
    if (!exists && deferCreate) this.unwritten = this.serialize();
    else if (!exists || loaded.migrated || loaded.recovered.transactions > 0)
      await this.file.write(this.serialize(), 0, true);
  }

  /**
   * Runs `fn` as one change by `actor`; resolves once the change is durable: its entries are in the audit
   * log (and, for a change of settings, the database file holding it is written).
   */
  async transact<T>(actor: string, fn: (tx: Transaction) => T): Promise<T> {
    if (!this.writable) throw new Error('This database was opened read-only');
    if (this.closed) throw new Error('The database is closed');
    this.pause.check();
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
    const needsFile = tx.metaChanged || tx.operations.some((op) => !op.replayable);
    // Personal fields go into the log sealed under their subject's key (made now for a new subject).
    tx.seal(this.keys);
    const { text, seq, hash } = tx.logText(this.auditSeq, this.auditHash, needsFile);
    this.auditSeq = seq;
    this.auditHash = hash;
    for (const op of tx.operations) if (op.record && op.recordJson) this.json.set(op.record, op.recordJson);
    this.logBytes += Buffer.byteLength(text);
    this.data.meta.auditSeq = this.auditSeq;
    this.data.meta.auditHash = this.auditHash;
    this.data.meta.auditOffset = this.logBytes;
    this.revision++;
    const snapshot = needsFile ? { text: this.serialize(), revision: this.revision } : null;
    const item: Pending = {
      text,
      snapshot,
      tx,
      after: { seq: this.auditSeq, hash: this.auditHash, bytes: this.logBytes },
      generation: this.generation,
    };
    this.inflight.push(item);
    const done = this.queue.push(item, snapshot !== null);
    if (!snapshot) this.scheduleSnapshot();
    return done;
  }

  private async runBatch(items: Pending[]): Promise<void> {
    // Queued before a write failed: undone already, never written after it.
    if (itemAt(items, 0).generation !== this.generation) throw this.pause.undone();
    try {
      // The lock file may have been deleted (a clean-up script): put back, so others are told who holds it.
      this.lock?.verify();
      // Keys made for these entries are on disk before the entries they sealed.
      await this.keys.flush();
      if (this.unwritten !== null) {
        await this.file.write(this.unwritten, 0, true);
        this.unwritten = null;
      }
      await appendLogText(this.auditPath, items.map((i) => i.text).join(''));
      const snapshot = items.at(-1)?.snapshot;
      if (snapshot) await this.file.write(snapshot.text, snapshot.revision);
    } catch (err) {
      throw this.undoUnwritten(err as Error);
    }
    this.durable = itemAt(items, items.length - 1).after;

    this.inflight.splice(0, items.length);
  }

  /**
   * A write failed: every change not yet durable (this group's and those queued after it) is undone in
   * memory, newest first, so no one sees a change that was never acknowledged, and saving pauses until the
   * disk writes again (see probeWrites). What the failed append left in the log is cut off before then.
   */
  private undoUnwritten(err: Error): Error {
    for (const item of this.inflight.reverse()) {
      item.tx.rollback();
      for (const op of item.tx.operations) if (op.record) this.json.forget(op.record);
    }
    this.inflight = [];
    this.generation++;
    ({ seq: this.auditSeq, hash: this.auditHash, bytes: this.logBytes } = this.durable);
    this.data.meta.auditSeq = this.auditSeq;
    this.data.meta.auditHash = this.auditHash;
    this.data.meta.auditOffset = this.logBytes;
    this.revision++;
    return this.pause.fail(err);
  }

  /** While paused: cuts the log back to its acknowledged end and proves the disk takes a write again. */
  private async probeWrites(): Promise<void> {
    if (existsSync(this.auditPath)) await cutLog(this.auditPath, this.durable.bytes);
    await probeDisk(this.path);
  }

  get auditSource(): AuditSource {
    return fileAuditSource(this.auditPath);
  }

  /** Database files written since open; the last background write's error, if it failed. */
  get snapshots(): { written: number; lastError: Error | null } {
    return this.file.stats;
  }

  /** The database file from memory, once every log entry it includes is on disk. */
  private async snapshotNow(): Promise<void> {
    // Paused, or nothing new; or a new database no change has written yet (it stays unwritten).
    if (this.pause.paused || this.revision <= this.file.revision || this.unwritten !== null) return;
    const revision = this.revision;
    const generation = this.generation;
    const text = this.serialize();
    await this.queue.last.catch(() => {});
    // A write failed meanwhile: the text holds changes that were then undone, never acknowledged.
    if (generation !== this.generation) return;
    await this.file.write(text, revision);
  }

  private scheduleSnapshot(): void {
    if (!this.closed) this.file.schedule(() => this.snapshotNow());
  }

  /** The database as JSON (see RecordJson). */
  private serialize(): string {
    return this.json.serialize(this.data);
  }

  /** A record's JSON as last committed. */
  jsonOf(record: object, remember = false): string {
    return this.json.of(record, remember);
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
      const snap = this.file.chain;
      await last.catch(() => {});
      await snap.catch(() => {});
      if (last === this.queue.last && snap === this.file.chain) return;
    }
  }

  /** What sealing an old log at open (sealOnOpen.ts) changes inside the store. */
  private sealing(): SealingHooks {
    return {
      writeFile: async () => {
        this.revision++;
        // A new database the CLI has not written yet stays unwritten until its first change.
        if (this.unwritten !== null) this.unwritten = this.serialize();
        else await this.file.write(this.serialize(), this.revision, true);
      },
      adoptHead: (head, bytes) => {
        this.auditSeq = head.seq;
        this.auditHash = head.hash;
        this.logBytes = bytes;
        this.durable = { seq: head.seq, hash: head.hash, bytes };
        this.fileHead = { ...head };
      },
    };
  }

  /** Destroys the audit-log keys of subjects whose personal data was removed (see sealOnOpen.ts). */
  destroySubjectKeys(also: Iterable<string> = []): Promise<number> {
    return destroySubjectKeys(this, also);
  }

  /** Refuses new changes, waits for those in progress, writes the database file and releases the lock. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.file.cancel();
    this.pause.stop();
    try {
      await this.flushed();
      // Paused: what a failed append left in the log goes, so the log verifies (if the disk allows).
      if (this.pause.paused && existsSync(this.auditPath))
        await cutLog(this.auditPath, this.durable.bytes).catch(() => {});
      if (this.writable) await this.snapshotNow();
    } finally {
      this.lock?.release();
    }
  }

  /** `degraded` (with the reason in plain words) while saving is paused after a failed write. */
  health(): StoreHealth {
    return this.pause.health();
  }

  list<C extends CollectionName>(collection: C): readonly RecordOf<C>[] {
    return this.data[collection] as RecordOf<C>[];
  }

  get<C extends CollectionName>(collection: C, id: string): RecordOf<C> | undefined {
    return this.indexOf(collection).get(id) as RecordOf<C> | undefined;
  }

  /** id → record, built on first use and kept up to date by transactions. */
  indexOf(collection: CollectionName): Map<string, unknown> {
    return this.indexes.of(this.data, collection);
  }

  validate<C extends CollectionName>(collection: C, value: unknown): RecordOf<C> {
    return validateRecord(collection, value);
  }

  get schemaVersion(): number {
    return this.data.schemaVersion ?? CURRENT_SCHEMA_VERSION;
  }
}

/** The file store by its name from before there were two backends; the type `Store` is both backends' interface. */
export const Store = FileStore;
export type Store = StoreApi;
