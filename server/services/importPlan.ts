import type { RowError } from '../../data/csv/rowError.js';
import type { CollectionName, RecordOf } from '../../data/dbSchema.js';
import type { Store, Transaction } from '../../data/store/store.js';

export interface ImportCounts {
  created: number;
  updated: number;
  unchanged: number;
  skipped: number;
}

/** A file with any bad row: nothing is written, every reason is listed. */
export class ImportRefusedError extends Error {
  constructor(readonly errors: RowError[]) {
    super(`The file was refused: ${errors.length} ${errors.length === 1 ? 'problem' : 'problems'}`);
  }
}

export function formatRowErrors(errors: RowError[]): string {
  return errors
    .map((e) =>
      e.column ? `row ${e.row}, column "${e.column}": ${e.message}` : `row ${e.row}: ${e.message}`,
    )
    .join('\n');
}

type Fields<C extends CollectionName> = Partial<RecordOf<C>>;

export interface UpsertPlan<C extends CollectionName> {
  creates: Fields<C>[];
  updates: { id: string; patch: Fields<C> }[];
  unchanged: number;
}

/** Sorts incoming records into new, changed and unchanged, comparing only the fields the import sets. */
export function planUpserts<C extends CollectionName>(
  incoming: { existing: RecordOf<C> | undefined; fields: Fields<C> }[],
): UpsertPlan<C> {
  const plan: UpsertPlan<C> = { creates: [], updates: [], unchanged: 0 };
  for (const { existing, fields } of incoming) {
    if (!existing) {
      plan.creates.push(fields);
      continue;
    }
    const changed = Object.entries(fields).some(
      ([k, v]) =>
        JSON.stringify((existing as Record<string, unknown>)[k] ?? null) !== JSON.stringify(v ?? null),
    );
    if (changed) plan.updates.push({ id: (existing as { id: string }).id, patch: fields });
    else plan.unchanged++;
  }
  return plan;
}

/** Applies a plan in one transaction (all or nothing). A dry run only counts. */
export async function applyUpserts<C extends CollectionName>(
  store: Store,
  actor: string,
  collection: C,
  plan: UpsertPlan<C>,
  opts: { dryRun: boolean; skipped?: number; extra?: (tx: Transaction) => void },
): Promise<ImportCounts> {
  const counts = {
    created: plan.creates.length,
    updated: plan.updates.length,
    unchanged: plan.unchanged,
    skipped: opts.skipped ?? 0,
  };
  if (opts.dryRun || (counts.created === 0 && counts.updated === 0 && !opts.extra)) return counts;
  await store.transact(actor, (tx) => {
    for (const fields of plan.creates) tx.insert(collection, fields as never);
    for (const u of plan.updates) tx.update(collection, u.id, u.patch as never);
    opts.extra?.(tx);
  });
  return counts;
}
