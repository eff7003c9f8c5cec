import { itemAt } from '../itemAt.js';
import { randomUUID } from 'node:crypto';
import { type CollectionName, collectionSchemas, type Meta, type RecordOf } from '../dbSchema.js';
import { hasSecrets, redactSecrets, SECRET_FIELDS, serializeEntry, type TxMark } from './auditLog.js';
import { sealJson } from './personalFields.js';
import type { Store } from './storeApi.js';
import type { SubjectKeys } from './subjectKeys.js';
import { checkVersion, NotFoundError } from './storeErrors.js';

type Fields<C extends CollectionName> = Omit<RecordOf<C>, 'id' | 'version' | 'createdAt' | 'updatedAt'> & {
  id?: string;
};
type Patch<C extends CollectionName> = Partial<
  Omit<RecordOf<C>, 'id' | 'version' | 'createdAt' | 'updatedAt'>
>;

/** One audited operation of a transaction, its record already serialised for the log. */
export interface Operation {
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
        const rec = itemAt(list, i);
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

  /**
   * The transaction's log lines, chained on from entry `seq` (hash `prev`), and the head after them. Each
   * entry carries the transaction's mark; `needsFile` marks a change only the database file can hold.
   */
  logText(seq: number, prev: string, needsFile: boolean): { text: string; seq: number; hash: string } {
    const ops = this.operations;
    const mark: TxMark | undefined = ops.length
      ? { first: seq + 1, count: ops.length, ...(needsFile ? { snapshot: true as const } : {}) }
      : undefined;
    let text = '';
    let hash = prev;
    for (const op of ops) {
      seq++;
      const entry = serializeEntry(
        {
          seq,
          at: this.at,
          actor: this.actor,
          action: op.action,
          collection: op.collection,
          recordId: op.recordId,
        },
        op.beforeJson,
        op.afterJson,
        mark,
        hash,
      );
      hash = entry.hash;
      text += `${entry.line}\n`;
    }
    return { text, seq, hash };
  }

  /** Seals each operation's personal fields for the log under their subject's key (made now for a new subject). */
  seal(keys: SubjectKeys): void {
    for (const op of this.operations) {
      op.beforeJson = sealJson(op.collection, op.beforeJson, keys);
      op.afterJson = sealJson(op.collection, op.afterJson, keys);
    }
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
