import { CURRENT_SCHEMA_VERSION, type Db } from '../dbSchema.js';

type RawDb = Record<string, unknown>;

/**
 * Each step takes a database at version N-1 to version N. A file with no `schemaVersion` is version 0
 * (the first prototype's files, which kept audit state at top level).
 */
const steps: Record<number, (db: RawDb) => void> = {
  1: (db) => {
    const meta = (db.meta ?? {}) as Record<string, unknown>;
    if (typeof db.lastAuditSeq === 'number') meta.auditSeq = db.lastAuditSeq;
    if (typeof db.lastAuditHash === 'string') meta.auditHash = db.lastAuditHash;
    delete db.lastAuditSeq;
    delete db.lastAuditHash;
    db.meta = meta;
  },
};

export function migrate(raw: RawDb): { db: Db; migrated: boolean } {
  const from = typeof raw.schemaVersion === 'number' ? raw.schemaVersion : 0;
  if (from > CURRENT_SCHEMA_VERSION) {
    throw new Error(
      `The database is schema version ${from}, newer than this version of Due Regard understands (${CURRENT_SCHEMA_VERSION}); upgrade the app.`,
    );
  }
  for (let v = from + 1; v <= CURRENT_SCHEMA_VERSION; v++) {
    steps[v]?.(raw);
    raw.schemaVersion = v;
  }
  return { db: raw as unknown as Db, migrated: from !== CURRENT_SCHEMA_VERSION };
}
