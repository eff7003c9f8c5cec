import { PgStore } from '../pg/pgStore.js';
import { FileStore } from './store.js';
import type { Store } from './storeApi.js';
import type { StoreOptions } from './storeTypes.js';

/** Where the data is: the settings `DUEREGARD_DB` (file store) and `DATABASE_URL` (PostgreSQL). */
export interface StoreLocation {
  dbPath: string;
  databaseUrl: string | null;
}

/**
 * Opens the database the settings name: PostgreSQL when `DATABASE_URL` is set (SPEC §14; `dbPath` then
 * only places the parts still kept in files beside it), else the embedded file store at `dbPath`.
 */
export async function openStore(where: StoreLocation, options: StoreOptions = {}): Promise<Store> {
  if (where.databaseUrl)
    return PgStore.open(where.databaseUrl, {
      path: where.dbPath,
      write: options.write,
      validateOnLoad: options.validateOnLoad,
      now: options.now,
    });
  return FileStore.open(where.dbPath, options);
}
