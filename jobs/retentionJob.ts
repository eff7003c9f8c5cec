import { addMonths, londonDate } from '../checks/londonDates.js';
import type { Store } from '../data/store/store.js';
import {
  type RetentionCount,
  type RetentionFollowUp,
  type RetentionRule,
  retentionFollowUps,
  retentionRules,
} from './retentionRegistry.js';
import './retentionRules.js';

export { type RetentionRule, registerRetentionRule } from './retentionRegistry.js';

export interface RetentionOptions {
  /** The London date the job runs as of. */
  asOf: string;
  /** Config RETENTION_YEARS (default 6). */
  retentionYears: number;
  /** Rules to apply; every registered rule when left out. */
  rules?: readonly RetentionRule[];
  /** Steps after the rules (e.g. evidence files of erased bookings); every registered one when left out. */
  followUps?: readonly RetentionFollowUp[];
}

export type { RetentionCount } from './retentionRegistry.js';

export interface RetentionResult {
  asOf: string;
  /** Records dated before this London date were past the period. */
  keptFrom: string;
  counts: RetentionCount[];
  /** Records changed or deleted in all. */
  total: number;
}

/** The London date a rule's date string falls on. */
function dayOf(value: string): string {
  return /(Z|[+-]\d{2}:?\d{2})$/.test(value) ? londonDate(new Date(value)) : value.slice(0, 10);
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * Removes personal data older than the retention period from every collection with a rule, in one
 * change by "retention". The audit log records which records and fields were removed and how many,
 * never the data itself. Nothing past the period: nothing is written.
 */
export async function runRetention(store: Store, opts: RetentionOptions): Promise<RetentionResult> {
  const keptFrom = addMonths(opts.asOf, -12 * opts.retentionYears);
  const rules = opts.rules ?? retentionRules();
  const plan = rules.map((rule) => {
    const patches: { id: string; patch: Record<string, unknown> | 'delete' }[] = [];
    for (const record of store.list(rule.collection) as readonly { id: string }[]) {
      const date = rule.dateOf(record as never);
      if (!date || dayOf(date) >= keptFrom) continue;
      const patch = rule.redact(record as never) as Record<string, unknown> | 'delete';
      if (patch !== 'delete') {
        const changed = Object.entries(patch).filter(
          ([k, v]) => !same((record as Record<string, unknown>)[k], v),
        );
        if (changed.length === 0) continue;
        patches.push({ id: record.id, patch: Object.fromEntries(changed) });
      } else patches.push({ id: record.id, patch });
    }
    return { rule, patches };
  });
  const counts: RetentionCount[] = plan.map(({ rule, patches }) => ({
    collection: rule.collection,
    describe: rule.describe,
    redacted: patches.filter((p) => p.patch !== 'delete').length,
    deleted: patches.filter((p) => p.patch === 'delete').length,
  }));
  const total = counts.reduce((n, c) => n + c.redacted + c.deleted, 0);
  if (total > 0) {
    await store.transact('retention', (tx) => {
      for (const { rule, patches } of plan) {
        for (const { id, patch } of patches) {
          // A rule may meet a record another rule already deleted this run.
          if (!store.get(rule.collection, id)) continue;
          if (patch === 'delete') tx.remove(rule.collection, id, { erase: true });
          else tx.update(rule.collection, id, patch as never, undefined, { erase: true });
        }
      }
      for (const c of counts) {
        if (c.redacted + c.deleted === 0) continue;
        tx.note('retention', c.collection, '-', {
          rule: c.describe,
          asOf: opts.asOf,
          retentionYears: opts.retentionYears,
          datedBefore: keptFrom,
          redacted: c.redacted,
          deleted: c.deleted,
        });
      }
    });
  }
  for (const step of opts.followUps ?? retentionFollowUps()) {
    const count = await step(store);
    if (count) counts.push(count);
  }
  return { asOf: opts.asOf, keptFrom, counts, total: counts.reduce((n, c) => n + c.redacted + c.deleted, 0) };
}
