import { itemAt } from '../data/itemAt.js';
import { addMonths, londonDate } from '../checks/londonDates.js';
import { basename } from 'node:path';
import {
  ARCHIVED_COLLECTIONS,
  type ArchivedCollection,
  archivePathFor,
  archiveYears,
  readArchiveFile,
  withArchiveWrites,
  writeArchiveFile,
} from '../data/store/archiveFiles.js';
import { PERSONAL_FIELDS } from '../data/store/personalFields.js';
import type { Store } from '../data/store/store.js';
import type { RetentionCount, RetentionFollowUp, RetentionRule } from './retentionRegistry.js';
import { RETENTION_FOLLOW_UPS, RETENTION_RULES } from './retentionRules.js';

export type { RetentionRule } from './retentionRegistry.js';

export interface RetentionOptions {
  /** The London date the job runs as of. */
  asOf: string;
  /** Config RETENTION_YEARS (default 6). */
  retentionYears: number;
  /** Rules to apply; RETENTION_RULES when left out. */
  rules?: readonly RetentionRule[];
  /** Steps after the rules (e.g. evidence files of erased bookings); RETENTION_FOLLOW_UPS when left out. */
  followUps?: readonly RetentionFollowUp[];
  /** Counts what would be removed and writes nothing. */
  dryRun?: boolean;
}

export type { RetentionCount } from './retentionRegistry.js';

export interface RetentionResult {
  asOf: string;
  /** Records dated before this London date were past the period. */
  keptFrom: string;
  counts: RetentionCount[];
  /** Records changed or deleted in all (live and archived). */
  total: number;
  /** Archive files that could not be read, so nothing in them was removed (the run then fails). */
  damagedArchives: string[];
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
  const rules = opts.rules ?? RETENTION_RULES;
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
  const archived = await applyRetentionToArchives(store, rules, keptFrom, opts.dryRun ?? false);
  const counts: RetentionCount[] = plan.map(({ rule, patches }, i) => {
    const inArchives = itemAt(archived.counts, i);
    return {
      collection: rule.collection,
      describe: rule.describe,
      redacted: patches.filter((p) => p.patch !== 'delete').length + inArchives.redacted,
      deleted: patches.filter((p) => p.patch === 'delete').length + inArchives.deleted,
      ...(inArchives.redacted + inArchives.deleted > 0 ? { archived: inArchives } : {}),
    };
  });
  const total = counts.reduce((n, c) => n + c.redacted + c.deleted, 0);
  if (total > 0 && !opts.dryRun) {
    await store.transact('retention', (tx) => {
      for (const { rule, patches } of plan) {
        for (const { id, patch } of patches) {
          // A rule may meet a record another rule already deleted this run.
          if (!store.get(rule.collection, id)) continue;
          if (patch === 'delete') tx.remove(rule.collection, id, { erase: true });
          else tx.update(rule.collection, id, patch as never, undefined, { erase: true });
        }
      }
      // Their audit-log keys are destroyed next (destroySubjectKeys); pending until then, so a crash finishes it.
      const subjects = new Set(archived.subjects);
      for (const { rule, patches } of plan)
        for (const { id } of patches) {
          const record = store.get(rule.collection, id) ?? { id };
          const subject = PERSONAL_FIELDS[rule.collection]?.subject(record as Record<string, unknown>);
          if (subject) subjects.add(subject);
        }
      if (subjects.size)
        tx.setMeta((m) => {
          m.erasePending = [...new Set([...m.erasePending, ...subjects])];
        });
      for (const c of counts) {
        if (c.redacted + c.deleted === 0) continue;
        tx.note('retention', c.collection, '-', {
          rule: c.describe,
          asOf: opts.asOf,
          retentionYears: opts.retentionYears,
          datedBefore: keptFrom,
          redacted: c.redacted,
          deleted: c.deleted,
          ...(c.archived ? { inArchives: c.archived, archiveFiles: archived.files } : {}),
        });
      }
    });
  }
  for (const step of opts.dryRun ? [] : (opts.followUps ?? RETENTION_FOLLOW_UPS)) {
    const count = await step(store, { asOf: opts.asOf, keptFrom });
    if (count) counts.push(count);
  }
  if (archived.damaged.length)
    throw new Error(
      `Retention could not read ${archived.damaged.join('; ')}; personal data in it was not removed. Restore it from a backup.`,
    );
  return {
    asOf: opts.asOf,
    keptFrom,
    counts,
    total: counts.reduce((n, c) => n + c.redacted + c.deleted, 0),
    damagedArchives: archived.damaged,
  };
}

/**
 * The same rules over the archive files of past bookings (hirers stay live, so only rules of archived
 * collections apply). Each file with something to remove is rewritten whole and durably before the run's
 * audit entries are written, so the log never counts a removal that did not happen. A damaged file is
 * left as it is and named, so the rest still runs.
 */
async function applyRetentionToArchives(
  store: Store,
  rules: readonly RetentionRule[],
  keptFrom: string,
  dryRun: boolean,
): Promise<{
  counts: { redacted: number; deleted: number }[];
  files: string[];
  damaged: string[];
  subjects: string[];
}> {
  const counts = rules.map(() => ({ redacted: 0, deleted: 0 }));
  const subjects: string[] = [];
  const files: string[] = [];
  const damaged: string[] = [];
  const archivable = new Set<string>(ARCHIVED_COLLECTIONS);
  if ((!store.writable && !dryRun) || !rules.some((r) => archivable.has(r.collection)))
    return { counts, files, damaged, subjects };
  await withArchiveWrites(store.path, async () => {
    const at = store.now().toISOString();
    for (const year of archiveYears(store.path)) {
      let file: ReturnType<typeof readArchiveFile>;
      try {
        file = readArchiveFile(store.path, year);
      } catch (err) {
        damaged.push((err as Error).message);
        continue;
      }
      if (!file) continue;
      let changed = false;
      const records = file.records as unknown as Record<ArchivedCollection, Record<string, unknown>[]>;
      rules.forEach((rule, i) => {
        if (!archivable.has(rule.collection)) return;
        const list = records[rule.collection as ArchivedCollection];
        const kept: Record<string, unknown>[] = [];
        for (const record of list) {
          const date = rule.dateOf(record as never);
          if (!date || dayOf(date) >= keptFrom) {
            kept.push(record);
            continue;
          }
          const patch = rule.redact(record as never) as Record<string, unknown> | 'delete';
          if (patch === 'delete') {
            const subject = PERSONAL_FIELDS[rule.collection]?.subject(record);
            if (subject) subjects.push(subject);
            itemAt(counts, i).deleted++;
            changed = true;
            continue;
          }
          const fields = Object.entries(patch).filter(([k, v]) => !same(record[k], v));
          if (fields.length === 0) {
            kept.push(record);
            continue;
          }
          itemAt(counts, i).redacted++;

          changed = true;
          const subject = PERSONAL_FIELDS[rule.collection]?.subject(record);
          if (subject) subjects.push(subject);
          kept.push({
            ...record,
            ...Object.fromEntries(fields),
            version: (record.version as number) + 1,
            updatedAt: at,
          });
        }
        records[rule.collection as ArchivedCollection] = kept;
      });
      if (!changed || dryRun) continue;
      await writeArchiveFile(store.path, year, records, at);
      files.push(basename(archivePathFor(store.path, year)));
    }
  });
  return { counts, files, damaged, subjects };
}
