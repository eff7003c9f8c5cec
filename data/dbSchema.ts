import { z } from 'zod';
import { accountCollections } from './schemas/accountSchemas.js';
import { evidenceCollections } from './schemas/evidenceSchemas.js';
import { hallHireCollections } from './schemas/hallHireSchemas.js';
import { importCollections } from './schemas/importSchemas.js';
import { hireRequestCollections } from './schemas/hireRequestSchemas.js';
import { libraryCollections } from './schemas/librarySchemas.js';
import { premisesCollections } from './schemas/premisesSchemas.js';
import { returnCollections } from './schemas/returnSchemas.js';
import { reviewCollections } from './schemas/reviewSchemas.js';
import { schoolCollections } from './schemas/schoolSchemas.js';
import { trainingCollections } from './schemas/trainingSchemas.js';

/** Every stored collection and the schema of its records. Areas add theirs in data/schemas/. */
export const collectionSchemas = {
  ...accountCollections,
  ...premisesCollections,
  ...reviewCollections,
  ...hallHireCollections,
  ...hireRequestCollections,
  ...libraryCollections,
  ...schoolCollections,
  ...trainingCollections,
  ...evidenceCollections,
  ...importCollections,
  ...returnCollections,
};

export type CollectionName = keyof typeof collectionSchemas;
export type RecordOf<C extends CollectionName> = z.infer<(typeof collectionSchemas)[C]>;
export type Collections = { [C in CollectionName]: RecordOf<C>[] };

export const metaSchema = z.object({
  /** Sequence number and hash of the last audit entry this database state includes. */
  auditSeq: z.number().int().default(0),
  auditHash: z.string().default(''),
  /** Byte offset in the audit log just after that entry: opening replays the log from there. */
  auditOffset: z.number().int().min(0).default(0),
  /** Last run time of each scheduled job (ISO instant), for catch-up after downtime. */
  jobRuns: z.record(z.string(), z.string()).default({}),
  /** Free settings of areas (e.g. the demo marker). */
  settings: z.record(z.string(), z.unknown()).default({}),
  /**
   * Data subjects (e.g. `hirers/ID`) whose personal data retention removed and whose audit-log keys are
   * still to be destroyed: set in the same change as the removal, cleared once the keys are gone, so a
   * crash between the two is finished at the next start.
   */
  erasePending: z.array(z.string()).default([]),
  /** When retention destroyed audit-log keys (ISO instants): a backup made before one holds what it erased. */
  keysDestroyedAt: z.array(z.string()).default([]),
  /** The audit log seals personal fields (format 2) since this conversion; absent before it. */
  logSealedAt: z.string().nullable().default(null),
});
export type Meta = z.infer<typeof metaSchema>;

export const CURRENT_SCHEMA_VERSION = 1;

export type Db = { schemaVersion: number; meta: Meta } & Collections;

export function emptyDb(): Db {
  const db = { schemaVersion: CURRENT_SCHEMA_VERSION, meta: metaSchema.parse({}) } as Db;
  for (const name of Object.keys(collectionSchemas) as CollectionName[]) {
    (db as Record<string, unknown>)[name] = [];
  }
  return db;
}
