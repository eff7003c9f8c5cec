import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { dirname } from 'node:path';
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
  appendLogText,
  auditPathFor,
  hasSecrets,
  redactSecrets,
  SECRET_FIELDS,
  serializeEntry,
  type TxMark,
} from './auditLog.js';
import { DurableJsonFile, removeStrayTempFiles, writeDurably } from './durableJsonFile.js';
import { applyTail, type LogHead, readLogTail } from './journal.js';
import { sealJson } from './personalFields.js';
import { adoptSealedLog, discardSealedLog, finishLogSealing, writeSealedLog } from './sealLog.js';
import { archiveYears, readArchiveFile } from './archiveFiles.js';
import { keysPathFor, SubjectKeys } from './subjectKeys.js';
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

/** A save that names no version (or not a whole number) of the record it was opened at: bad input, not a conflict. */
export class MissingVersionError extends Error {
  constructor(readonly collection: string) {
    super(
      'The form was sent without the version of the record it was opened at, so nothing was saved. Reload the page and make your changes again.',
    );
  }
}

/** Refuses a save over another version than the one opened: MissingVersionError, or ConflictError when it changed. */
export function checkVersion(
  collection: string,
  current: { version: number },
  expectedVersion: number,
): void {
  if (!Number.isInteger(expectedVersion) || expectedVersion < 1) throw new MissingVersionError(collection);
  if (current.version !== expectedVersion) throw new ConflictError(collection, current, expectedVersion);
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

/** Writes pause this long before the database file is rewritten from memory… */
const SNAPSHOT_QUIET_MS = 250;
/** …and under constant writes it is rewritten at least this often. */
const SNAPSHOT_MAX_DELAY_MS = 5_000;

/** One audited operation of a transaction, its record already serialised for the log. */
interface Operation {
  action: string;
  collection: string;
  recordId: string;
  beforeJson: string;
  afterJson: string;
  /** The live record after the operation (create, update), and its whole JSON, remembered at commit. */
  record: object | null;
  recordJson: string | null;
  /**
   * Whether the log entry alone can redo it at open. Not when it leaves out what it changed (an erasure,
   * a new secret): the change is then acknowledged only once the database file holding it is written.
   */
  replayable: boolean;
}

/**
 * What an `archive` audit entry records: the files records moved to, with their ids per collection (the
 * log replays the move from these), and any counts or dates the caller adds for people reading the log.
 */
export interface MoveOutDetails {
  /** The collection the move is about, for the log's search (e.g. "bookings"). */
  collection: string;
  files: { file: string; ids: Partial<Record<CollectionName, string[]>>; [k: string]: unknown }[];
  [k: string]: unknown;
}

/** A change in progress: every operation is validated, versioned, audited, and undone if the change fails. */
export class Transaction {
  readonly operations: Operation[] = [];
  /** Set by setMeta: the log cannot replay settings, so the change is acknowledged with the database file. */
  metaChanged = false;
  private readonly undo: (() => void)[] = [];
  /** JSON of records as this transaction left them so far (an update's `before` within the transaction). */
  private readonly latest = new Map<object, string>();
  readonly at: string;

  constructor(
    private readonly store: Store,
    readonly actor: string,
  ) {
    this.at = store.now().toISOString();
  }

  insert<C extends CollectionName>(collection: C, fields: Fields<C>): RecordOf<C> {
    const id = fields.id ?? randomUUID();
    // A new random id cannot be taken; a given one is checked.
    if (fields.id !== undefined && this.store.get(collection, id))
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
    this.record('create', collection, id, 'null', record);
    return record;
  }

  /**
   * Updates in place. With `expectedVersion`, a newer stored version is refused with ConflictError (and a
   * version that is not a whole number, as from a form without its version field, with MissingVersionError).
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
    if (expectedVersion !== undefined) checkVersion(collection, cur, expectedVersion);
    const beforeJson = this.loggedJson(cur);
    const next = this.store.validate(collection, {
      ...cur,
      ...patch,
      id,
      version: cur.version + 1,
      createdAt: (cur as { createdAt: string }).createdAt,
      updatedAt: this.at,
    });
    // Validation builds new values for every field, so the fields replaced below are never changed in
    // place: a shallow copy is enough to undo.
    const before = { ...cur };
    Object.assign(cur, next);
    this.undo.push(() => {
      for (const k of Object.keys(cur)) delete (cur as Record<string, unknown>)[k];
      Object.assign(cur, before);
    });
    if (opts.erase) {
      // What was erased stays out of the log; the log cannot replay this change (see Operation.replayable).
      this.operations.push({
        action: 'erase',
        collection,
        recordId: id,
        beforeJson: 'null',
        afterJson: JSON.stringify({ fields: Object.keys(patch), version: cur.version }),
        record: cur,
        recordJson: this.remember(cur),
        replayable: false,
      });
    } else {
      // A changed secret is logged as a fingerprint only, so the log cannot replay it.
      const secretKept = [...SECRET_FIELDS].every(
        (k) => (before as Record<string, unknown>)[k] === (cur as Record<string, unknown>)[k],
      );
      this.record('update', collection, id, beforeJson, cur, secretKept);
    }
    return cur;
  }

  /** Deletes a record. `erase: true` (removing personal data) logs the deletion without the record's content. */
  remove<C extends CollectionName>(collection: C, id: string, opts: { erase?: boolean } = {}): void {
    const current = this.store.get(collection, id);
    if (!current) throw new NotFoundError(collection, id);
    const beforeJson = opts.erase ? 'null' : this.loggedJson(current);
    const list = this.store.data[collection] as RecordOf<C>[];
    const i = list.indexOf(current);
    list.splice(i, 1);
    this.store.indexOf(collection).delete(id);
    this.undo.push(() => {
      list.splice(i, 0, current);
      this.store.indexOf(collection).set(id, current);
    });
    this.operations.push({
      action: opts.erase ? 'erase' : 'delete',
      collection,
      recordId: id,
      // An erased record's content stays out of the log; the log replays it as a delete all the same.
      beforeJson: opts.erase ? 'null' : beforeJson,
      afterJson: opts.erase ? '{"deleted":true}' : 'null',
      record: null,
      recordJson: null,
      replayable: true,
    });
  }

  /**
   * Non-record state (job run times, settings). Not audited: nothing a person changed. The log cannot
   * replay it, so the change is acknowledged once the database file holding it is written.
   */
  setMeta(fn: (meta: Meta) => void): void {
    const before = structuredClone(this.store.data.meta);
    fn(this.store.data.meta);
    this.metaChanged = true;
    this.undo.push(() => {
      this.store.data.meta = before;
    });
  }

  /**
   * Moves records out of the live data (to archive files the caller has already written durably) as ONE
   * audit entry, `archive`, whose `after` is `details`: which files, how many, and the ids moved (no
   * record content). The log replays it by removing those ids again. Each list is compacted once, so
   * moving many records costs one pass per collection.
   */
  moveOut(details: MoveOutDetails): void {
    const byCollection = new Map<CollectionName, Set<string>>();
    for (const f of details.files) {
      for (const [c, ids] of Object.entries(f.ids) as [CollectionName, string[]][]) {
        if (!(c in collectionSchemas)) throw new Error(`Unknown collection ${c}`);
        const set = byCollection.get(c) ?? new Set<string>();
        for (const id of ids) {
          if (!this.store.get(c, id)) throw new NotFoundError(c, id);
          set.add(id);
        }
        byCollection.set(c, set);
      }
    }
    for (const [c, ids] of byCollection) {
      const list = this.store.data[c] as { id: string }[];
      const before = list.slice();
      const index = this.store.indexOf(c);
      let kept = 0;
      for (let i = 0; i < list.length; i++) {
        const rec = list[i];
        if (ids.has(rec.id)) index.delete(rec.id);
        else list[kept++] = rec;
      }
      list.length = kept;
      this.undo.push(() => {
        list.length = 0;
        for (const rec of before) {
          list.push(rec);
          index.set(rec.id, rec);
        }
      });
    }
    this.operations.push({
      action: 'archive',
      collection: details.collection,
      recordId: '-',
      beforeJson: 'null',
      afterJson: JSON.stringify(details),
      record: null,
      recordJson: null,
      replayable: true,
    });
  }

  /** Records something in the audit log that is not a record change (e.g. a purge, an export). */
  note(action: string, collection: string, recordId: string, details: unknown): void {
    this.operations.push({
      action,
      collection,
      recordId,
      beforeJson: 'null',
      afterJson: JSON.stringify(details ?? null),
      record: null,
      recordJson: null,
      replayable: true,
    });
  }

  rollback(): void {
    for (const fn of this.undo.reverse()) fn();
  }

  /**
   * Serialised now: the entry shows the record as this operation left it, even if a later one changes it.
   * Secret fields (password and token hashes) are logged only as fingerprints.
   */
  private record(
    action: string,
    collection: string,
    recordId: string,
    beforeJson: string,
    rec: object,
    secretKept = false,
  ): void {
    const recordJson = this.remember(rec);
    const secret = hasSecrets(rec);
    this.operations.push({
      action,
      collection,
      recordId,
      beforeJson,
      afterJson: secret ? JSON.stringify(redactSecrets(rec)) : recordJson,
      record: rec,
      recordJson,
      // Replay takes an unchanged secret back from the record as it was (its fingerprint matches).
      replayable: !secret || secretKept,
    });
  }

  /** The record's whole JSON as this operation leaves it. */
  private remember(rec: object): string {
    const json = JSON.stringify(rec);
    this.latest.set(rec, json);
    return json;
  }

  /** The record as the log shows it before this operation: secrets as fingerprints. */
  private loggedJson(rec: object): string {
    if (hasSecrets(rec)) return JSON.stringify(redactSecrets(rec));
    return this.latest.get(rec) ?? this.store.jsonOf(rec);
  }
}

/** Log text waiting to be appended, and for a settings change the database file to write after it. */
interface Pending {
  text: string;
  snapshot: { text: string; revision: number } | null;
}

interface Batch {
  items: Pending[];
  done: Promise<void>;
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
  /** Database files written since open; the last background write's error, if it failed. */
  snapshots = { written: 0, lastError: null as Error | null };
  /** Keys sealing each data subject's personal fields in the audit log (see personalFields.ts). */
  keys: SubjectKeys = SubjectKeys.inMemory();
  private readonly low: Low<Db>;
  private readonly lock: WriterLock | null;
  private readonly indexes = new Map<CollectionName, Map<string, unknown>>();
  /** Each record's JSON as last written to the log, reused to write the database file. */
  private readonly json = new WeakMap<object, string>();
  private auditSeq = 0;
  private auditHash = '';
  /** Bytes in the log once every pending append is done: where the next entry will start. */
  private logBytes = 0;
  private openBatch: Batch | null = null;
  private lastBatch: Promise<void> = Promise.resolve();
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
      store.lock!.acquire(path);
    }
    try {
      if (store.writable) {
        removeStrayTempFiles(path);
        removeStrayTempFiles(keysPathFor(path));
        finishPendingRestore(path);
        finishLogSealing(path, store.auditPath);
      } else if (restoreIsPending(path)) {
        throw new Error(
          `A restore of ${path} was interrupted; start the server (or run restore again) to finish it before reading.`,
        );
      }
      await store.load(options.validateOnLoad ?? true);
      if (store.writable) await store.sealLogIfNeeded();
      // A removal of personal data whose keys were not yet destroyed (a crash between the two) ends now.
      if (store.writable && store.data.meta.erasePending.length) await store.destroySubjectKeys();
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
    const head = headOfFile(raw);
    const tail = await readLogTail(this.auditPath, head);
    if (tail.damage && this.writable) {
      throw new Error(
        `The audit log ${this.auditPath} cannot be replayed onto the database: ${tail.damage}. Changes saved after the database file was last written would be lost, so it was not opened. Run "npx dueregard audit verify", then restore the latest backup.`,
      );
    }
    // Replayed before migrating: the log's records have the shape of the file they belong to.
    this.keys = SubjectKeys.load(this.path);
    this.recovered.entries = applyTail(
      raw,
      tail.transactions,
      new Set(Object.keys(collectionSchemas)),
      this.keys,
    );
    this.recovered.transactions = tail.transactions.length;
    this.recovered.cut = tail.damage ? 0 : tail.unacknowledged;
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
    this.fileHead = { seq: head.seq, hash: head.hash };
    const last = tail.transactions.at(-1);
    const lastEntry = last?.entries.at(-1);
    if (last && lastEntry) {
      db.meta.auditSeq = lastEntry.seq;
      db.meta.auditHash = lastEntry.hash;
    }
    // Entries past `end` were never acknowledged: the log goes on from there. (Damage stops only a reader here.)
    db.meta.auditOffset = tail.damage ? (last?.end ?? tail.size) : tail.end;
    this.data = db;
    this.low.data = db;
    if (!this.writable) return;
    if (tail.end < tail.size) await cutLog(this.auditPath, tail.end);
    this.auditSeq = db.meta.auditSeq;
    this.auditHash = db.meta.auditHash;
    this.logBytes = tail.end;
    // After a replay the file is brought up to date at once, so the next start does not replay it all again.
    if (!exists || migrated || last) await this.writeSnapshot(this.serialize(), 0, true);
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
      await this.lastBatch.catch(() => {});
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
      // Personal fields go into the log sealed under their subject's key (made now for a new subject).
      op.beforeJson = sealJson(op.collection, op.beforeJson, this.keys);
      op.afterJson = sealJson(op.collection, op.afterJson, this.keys);
    }
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
    const done = this.enqueue({ text, snapshot });
    if (!snapshot) this.scheduleSnapshot();
    return done;
  }

  /**
   * Appends are grouped: changes made while one append runs go out together in the next. A settings
   * change closes its group, and the group after it waits until its database file is written.
   */
  private enqueue(item: Pending): Promise<void> {
    let batch = this.openBatch;
    if (!batch) {
      const items: Pending[] = [];
      const started = this.lastBatch.catch(() => {});
      const done = started.then(() => {
        if (this.openBatch === created) this.openBatch = null;
        return this.runBatch(items);
      });
      const created: Batch = { items, done };
      batch = created;
      this.openBatch = batch;
      this.lastBatch = done;
    }
    batch.items.push(item);
    if (item.snapshot) this.openBatch = null;
    return batch.done;
  }

  private async runBatch(items: Pending[]): Promise<void> {
    if (this.failed) throw this.failed;
    try {
      // Keys made for these entries are on disk before the entries they sealed.
      await this.keys.flush();
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
    await this.lastBatch;
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
      const last = this.lastBatch;
      await last;
      if (last === this.lastBatch && !this.openBatch) break;
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
      const last = this.lastBatch;
      const snap = this.snapshotChain;
      await last.catch(() => {});
      await snap.catch(() => {});
      if (last === this.lastBatch && snap === this.snapshotChain) return;
    }
  }

  /** Refuses new changes, waits for those in progress, writes the database file and releases the lock. */
  /**
   * Converts a log written before personal fields were sealed (a database from before this version, or a
   * restored old backup): a sealed copy is written beside it, the database file records the copy's head,
   * then the copy replaces the log (see sealLog.ts: a crash at any point is finished or redone at the next
   * open). The conversion is logged, and the keys of subjects whose data retention had already removed
   * are destroyed at once, so what the old log held of them becomes unreadable.
   */
  private async sealLogIfNeeded(): Promise<void> {
    if (this.data.meta.logSealedAt) return;
    await this.flushed();
    const sealed = await writeSealedLog(this.auditPath, this.keys);
    await this.keys.flush();
    const meta = this.data.meta;
    if (sealed.entries === 0) {
      // Nothing logged yet: there is nothing to convert, and the log is sealed from its first entry.
      discardSealedLog(this.auditPath);
      meta.logSealedAt = this.now().toISOString();
      this.revision++;
      await this.writeSnapshot(this.serialize(), this.revision, true);
      return;
    }
    meta.auditSeq = sealed.head.seq;
    meta.auditHash = sealed.head.hash;
    meta.auditOffset = sealed.bytes;
    meta.logSealedAt = this.now().toISOString();
    this.auditSeq = sealed.head.seq;
    this.auditHash = sealed.head.hash;
    this.logBytes = sealed.bytes;
    this.revision++;
    await this.writeSnapshot(this.serialize(), this.revision, true);
    adoptSealedLog(this.auditPath);
    this.fileHead = { ...sealed.head };
    if (sealed.sealed === 0) return;
    await this.transact('system', (tx) =>
      tx.note('seal', 'auditLog', '-', {
        what: "personal fields sealed under each data subject's key",
        entries: sealed.entries,
        sealed: sealed.sealed,
      }),
    );
    const erased: string[] = [];
    for (const h of this.list('hirers')) if (h.personalDataRemoved) erased.push(`hirers/${h.id}`);
    for (const b of this.list('bookings')) if (b.personalDataRemoved) erased.push(`bookings/${b.id}`);
    for (const year of archiveYears(this.path))
      for (const b of readArchiveFile(this.path, year)?.records.bookings ?? [])
        if (b.personalDataRemoved) erased.push(`bookings/${b.id}`);
    await this.destroySubjectKeys(erased);
  }

  /**
   * Destroys the audit-log keys of data subjects whose personal data was removed: those the last removal
   * left pending and any `also` given. The keys go first (atomically), then the pending list is cleared,
   * so a crash in between only repeats the destruction. Returns how many keys were destroyed.
   */
  async destroySubjectKeys(also: Iterable<string> = []): Promise<number> {
    const pending = this.data.meta.erasePending;
    const destroyed = await this.keys.destroy([...pending, ...also]);
    if (pending.length || destroyed)
      await this.transact('retention', (tx) => {
        tx.setMeta((m) => {
          m.erasePending = [];
          if (destroyed) m.keysDestroyedAt = [...m.keysDestroyedAt, tx.at];
        });
        if (destroyed) tx.note('erase-keys', 'auditLog', '-', { keysDestroyed: destroyed });
      });
    return destroyed;
  }

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

/** The head a database file records (version 0 files kept it at top level). */
function headOfFile(raw: Record<string, unknown>): LogHead {
  const meta = (raw.meta ?? {}) as { auditSeq?: unknown; auditHash?: unknown; auditOffset?: unknown };
  const seq = typeof meta.auditSeq === 'number' ? meta.auditSeq : raw.lastAuditSeq;
  const hash = typeof meta.auditHash === 'string' ? meta.auditHash : raw.lastAuditHash;
  return {
    seq: typeof seq === 'number' ? seq : 0,
    hash: typeof hash === 'string' ? hash : '',
    offset: typeof meta.auditOffset === 'number' ? meta.auditOffset : 0,
  };
}

/**
 * Cuts what a crash left past the last acknowledged transaction (a torn line, a transaction not wholly
 * written): never acknowledged, since a change is acknowledged only once all its entries are synced.
 * Only the writer, holding the lock, does this.
 */
async function cutLog(path: string, length: number): Promise<void> {
  const handle = await open(path, 'r+');
  try {
    await handle.truncate(length);
    await handle.sync();
  } finally {
    await handle.close();
  }
}
