import type { CollectionName, Db } from '../dbSchema.js';

/**
 * Each collection's id → record map over the in-memory data, built on first use; both backends keep it
 * up to date as they change the lists (transactions, and PostgreSQL's catch-up).
 */
export class RecordIndexes {
  private readonly indexes = new Map<CollectionName, Map<string, unknown>>();

  of(data: Db, collection: CollectionName): Map<string, unknown> {
    let index = this.indexes.get(collection);
    if (!index) {
      index = new Map();
      for (const rec of data[collection] as { id: string }[]) index.set(rec.id, rec);
      this.indexes.set(collection, index);
    }
    return index;
  }
}
