import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type AuditEntry, parseAuditText, readAuditEntries } from '../../data/store/auditLog.js';
import { PgStore } from '../../data/pg/pgStore.js';
import { readAuditLines } from '../../data/pg/pgStoreRows.js';
import { openStore } from '../../data/store/openStore.js';
import type { Store } from '../../data/store/store.js';
import type { StoreOptions } from '../../data/store/storeTypes.js';
import { createTestPgDatabase, type TestPgDatabase } from './pgDatabase.js';

/**
 * One database on one backend for the store's contract tests: opened (and opened again, as another start
 * or another instance would) through `openStore`, its audit log read back wherever the backend keeps it.
 */
export interface BackendDb {
  open(options?: StoreOptions): Promise<Store>;
  auditEntries(store: Store): Promise<AuditEntry[]>;
  /** Closes every store it opened and removes the database. */
  dispose(): Promise<void>;
}

export const BACKENDS = ['file', 'postgres'] as const;

export function backendDbs(label: string): (backend: (typeof BACKENDS)[number]) => Promise<BackendDb> {
  return async (backend) => {
    const dir = mkdtempSync(join(tmpdir(), `dueregard-${label}-`));
    const dbPath = join(dir, 'dueregard.json');
    const pg: TestPgDatabase | null = backend === 'postgres' ? await createTestPgDatabase(label) : null;
    const opened: Store[] = [];
    return {
      async open(options) {
        const store = await openStore({ dbPath, databaseUrl: pg?.url ?? null }, options);
        opened.push(store);
        return store;
      },
      async auditEntries(store) {
        if (store instanceof PgStore)
          return parseAuditText(
            (await readAuditLines(store.pool, 0, 1_000_000)).map((l) => `${l.line}\n`).join(''),
          );
        return readAuditEntries(store.auditPath);
      },
      async dispose() {
        for (const s of opened.reverse()) await s.close().catch(() => {});
        await pg?.drop();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  };
}

/** The audit log's text, one entry a line, wherever the store's backend keeps it (the file, or PostgreSQL). */
export async function auditTextOf(store: Store): Promise<string> {
  const { lines } = await store.auditSource.linesAfter(0);
  return lines.map((l) => `${l.text}\n`).join('');
}

/** Everything the database holds of its records as stored: the database file, or every row of PostgreSQL's tables. */
export async function storedTextOf(store: Store): Promise<string> {
  await store.flushed();
  if (store instanceof PgStore) {
    const rows = await store.pool.query<{ body: string | null }>(
      'SELECT body FROM records UNION ALL SELECT body FROM store_meta',
    );
    return rows.rows.map((r) => r.body ?? '').join('\n');
  }
  return readFileSync(store.path, 'utf8');
}
