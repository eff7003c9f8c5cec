import { createHash, type Hash } from 'node:crypto';
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

export const sampleCategories = ['created', 'updated', 'unchanged', 'skipped'] as const;
export type SampleCategory = (typeof sampleCategories)[number];
/** One row of a preview, in words: what the record is (its reference and name). */
export type ImportSamples = Record<SampleCategory, string[]>;

/** How many rows of each kind a preview shows. */
export const SAMPLE_ROWS = 10;

/**
 * What an import will do, worked out from the file and the data as they stand, before anything is
 * written. `digest` fingerprints every write it will make and the version of every record it will
 * change: planned again later, an equal digest means the data it depends on has not changed meanwhile,
 * so applying it does exactly what the preview showed. `write` makes the changes inside one transaction.
 */
export interface PlannedImport<R extends ImportCounts = ImportCounts> {
  result: R;
  samples: ImportSamples;
  digest: string;
  /** Anything to write (a re-import of the same file has nothing). */
  changes: boolean;
  write(tx: Transaction): void;
}

/** Collects a plan's first rows of each kind and its fingerprint as the plan is made. */
export class PlanRecorder {
  readonly samples: ImportSamples = { created: [], updated: [], unchanged: [], skipped: [] };
  private readonly hash: Hash = createHash('sha256');

  /** A row's outcome: shown if among the first few of its kind; `parts` go into the fingerprint. */
  row(category: SampleCategory, label: string, ...parts: unknown[]): void {
    if (this.samples[category].length < SAMPLE_ROWS) this.samples[category].push(label);
    this.add(category, ...parts);
  }

  /** Something else the plan depends on (a new hall, a hirer's update…). */
  add(...parts: unknown[]): void {
    for (const p of parts) this.hash.update(typeof p === 'string' ? p : JSON.stringify(p ?? null));
    this.hash.update('\u0000');
  }

  digest(): string {
    return this.hash.digest('hex');
  }
}

/** Writes a plan in one transaction (nothing for a dry run or a plan without changes); returns its result. */
export async function commitPlan<R extends ImportCounts>(
  store: Store,
  actor: string,
  planned: PlannedImport<R>,
  dryRun: boolean,
): Promise<R> {
  if (!dryRun && planned.changes) await store.transact(actor, (tx) => planned.write(tx));
  return planned.result;
}

type Fields<C extends CollectionName> = Partial<RecordOf<C>>;

export interface UpsertPlan<C extends CollectionName> {
  creates: Fields<C>[];
  updates: { id: string; patch: Fields<C> }[];
  unchanged: number;
}

const sameValue = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/**
 * Sorts incoming records into new, changed and unchanged, comparing only the fields the import sets.
 * With a recorder, each row is labelled and fingerprinted (a changed record by its id and version).
 */
export function planUpserts<C extends CollectionName>(
  incoming: { existing: RecordOf<C> | undefined; fields: Fields<C>; label?: string }[],
  recorder?: PlanRecorder,
): UpsertPlan<C> {
  const plan: UpsertPlan<C> = { creates: [], updates: [], unchanged: 0 };
  for (const { existing, fields, label = '' } of incoming) {
    if (!existing) {
      plan.creates.push(fields);
      recorder?.row('created', label, fields);
      continue;
    }
    const { id, version } = existing as { id: string; version: number };
    const changed = Object.entries(fields).some(
      ([k, v]) => !sameValue((existing as Record<string, unknown>)[k], v),
    );
    if (changed) {
      plan.updates.push({ id, patch: fields });
      recorder?.row('updated', label, id, version, fields);
    } else {
      plan.unchanged++;
      recorder?.row('unchanged', label, id);
    }
  }
  return plan;
}

/** An upsert plan as a PlannedImport: inserts and updates in `collection`, then `extra`. */
export function plannedUpserts<C extends CollectionName>(
  collection: C,
  plan: UpsertPlan<C>,
  recorder: PlanRecorder,
  opts: { skipped?: number; extra?: (tx: Transaction) => void } = {},
): PlannedImport {
  return {
    result: {
      created: plan.creates.length,
      updated: plan.updates.length,
      unchanged: plan.unchanged,
      skipped: opts.skipped ?? 0,
    },
    samples: recorder.samples,
    digest: recorder.digest(),
    changes: plan.creates.length > 0 || plan.updates.length > 0 || Boolean(opts.extra),
    write(tx) {
      for (const fields of plan.creates) tx.insert(collection, fields as never);
      for (const u of plan.updates) tx.update(collection, u.id, u.patch as never);
      opts.extra?.(tx);
    },
  };
}

/** Applies a plan in one transaction (all or nothing). A dry run only counts. */
export async function applyUpserts<C extends CollectionName>(
  store: Store,
  actor: string,
  collection: C,
  plan: UpsertPlan<C>,
  opts: { dryRun: boolean; skipped?: number; extra?: (tx: Transaction) => void },
): Promise<ImportCounts> {
  return commitPlan(store, actor, plannedUpserts(collection, plan, new PlanRecorder(), opts), opts.dryRun);
}
