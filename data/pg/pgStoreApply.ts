import { type CollectionName, collectionSchemas, type Db, metaSchema } from '../dbSchema.js';
import { validateRecord } from '../store/storeErrors.js';
import type { SubjectKeys } from '../store/subjectKeys.js';
import type { Operation } from '../store/transaction.js';
import type { PgChanges, RecordRow } from './pgStoreRows.js';

/**
 * The rows a transaction's operations leave: each record it created or changed with its JSON as the
 * transaction left it; each it deleted, erased away or moved to an archive without a body. Notes change
 * no record.
 */
export function changedRecords(operations: readonly Operation[]): RecordRow[] {
  const rows = new Map<string, RecordRow>();
  const put = (collection: string, id: string, body: string | null) =>
    rows.set(`${collection}\u0000${id}`, { collection, id, body });
  for (const op of operations) {
    if (op.record && op.recordJson !== null) put(op.collection, op.recordId, op.recordJson);
    else if (op.action === 'delete' || op.action === 'erase') put(op.collection, op.recordId, null);
    else if (op.action === 'archive') {
      const files = (JSON.parse(op.afterJson) as { files?: { ids?: Record<string, string[]> }[] }).files;
      for (const f of files ?? [])
        for (const [collection, ids] of Object.entries(f.ids ?? {}))
          for (const id of ids) put(collection, id, null);
    }
  }
  return [...rows.values()];
}

export interface ApplyTarget {
  indexOf(collection: CollectionName): Map<string, unknown>;
  /** Remembers a record's JSON as committed (the store's RecordJson). */
  remember(record: object, json: string): void;
  keys: SubjectKeys;
  /** Validate each record (on open); otherwise records are taken as committed, already validated. */
  validate: boolean;
}

/**
 * Applies committed changes to the memory: a changed record is replaced in place (whoever holds it sees
 * the change, as after a local update), a new one goes at the end, a deleted one leaves its list (each
 * list compacted once). Settings and keys follow; keys destroyed meanwhile are forgotten.
 */
export function applyChanges(data: Db, changes: PgChanges, target: ApplyTarget): void {
  const gone = new Map<CollectionName, Set<string>>();
  for (const row of changes.records) {
    if (!Object.hasOwn(collectionSchemas, row.collection))
      throw new Error(
        `The database holds records of "${row.collection}", which this version of Due Regard does not know`,
      );
    const collection = row.collection as CollectionName;
    const index = target.indexOf(collection);
    const existing = index.get(row.id) as Record<string, unknown> | undefined;
    if (row.body === null) {
      if (existing) {
        index.delete(row.id);
        const set = gone.get(collection) ?? new Set<string>();
        set.add(row.id);
        gone.set(collection, set);
      }
      continue;
    }
    const parsed = JSON.parse(row.body) as Record<string, unknown>;
    const rec = (target.validate ? validateRecord(collection, parsed) : parsed) as Record<string, unknown>;
    if (existing) {
      for (const k of Object.keys(existing)) delete existing[k];
      Object.assign(existing, rec);
      if (!target.validate) target.remember(existing, row.body);
    } else {
      (data[collection] as unknown[]).push(rec);
      index.set(row.id, rec);
      if (!target.validate) target.remember(rec, row.body);
    }
  }
  for (const [collection, ids] of gone) {
    const list = data[collection] as { id: string }[];
    let kept = 0;
    for (const rec of list) if (!ids.has(rec.id)) list[kept++] = rec;
    list.length = kept;
  }
  if (changes.meta !== null) data.meta = metaSchema.parse(JSON.parse(changes.meta));
  for (const { subject, key } of changes.keys) target.keys.adopt(subject, key);
  if (changes.keptSubjects) {
    const kept = changes.keptSubjects;
    target.keys.forget(target.keys.subjects().filter((s) => !kept.has(s)));
  }
}
