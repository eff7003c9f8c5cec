import { createHash } from 'node:crypto';
import type { ImportKind } from '../../data/schemas/importSchemas.js';
import type { Store } from '../../data/store/store.js';
import type { PlannedImport } from '../services/importPlan.js';
import { type AnyImportResult, type ImportOptions, importKindDefs } from './importKinds.js';

/** The applying transaction found the data no longer what the preview was made from: nothing written. */
export class PreviewOutdatedError extends Error {
  constructor() {
    super(
      'The records this import changes were changed by someone else since the preview, so it was not applied. Preview again to see what it would do now.',
    );
  }
}

/** The file an import came from, as its history keeps it. */
export interface ImportSource {
  filename: string;
  size: number;
  sha256: string;
}

export const sha256Of = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/**
 * The one import path of the CLI and the browser (SPEC §7, §12): read the file (`readImport`, refused
 * whole with every bad row), see what it would do (`planImport`: the CLI's --dry-run and the browser's
 * preview), and apply it (`applyImport`), all or nothing.
 */
export function readImport(kind: ImportKind, bytes: Buffer, opts: ImportOptions): unknown {
  return importKindDefs[kind].read(bytes, opts);
}

export function planImport(
  store: Store,
  kind: ImportKind,
  read: unknown,
  opts: ImportOptions,
): PlannedImport<AnyImportResult> {
  return importKindDefs[kind].plan(store, read, opts);
}

/**
 * Plans again and writes, in one transaction, together with the import's history record (only when it
 * changes something: a re-import of the same file writes nothing). With `expectedDigest` (the preview's),
 * a plan that differs refuses with PreviewOutdatedError and nothing is written.
 */
export async function applyImport(
  store: Store,
  kind: ImportKind,
  read: unknown,
  opts: ImportOptions,
  meta: ImportSource & {
    actor: string;
    via: 'browser' | 'command line';
    id?: string;
    expectedDigest?: string;
  },
): Promise<PlannedImport<AnyImportResult>> {
  return store.transact(meta.actor, (tx) => {
    let planned: PlannedImport<AnyImportResult>;
    try {
      planned = planImport(store, kind, read, opts);
    } catch (err) {
      // Refused now but not at the preview (a department removed meanwhile…): the preview no longer holds.
      if (meta.expectedDigest !== undefined) throw new PreviewOutdatedError();
      throw err;
    }
    if (meta.expectedDigest !== undefined && planned.digest !== meta.expectedDigest)
      throw new PreviewOutdatedError();
    if (!planned.changes) return planned;
    planned.write(tx);
    const { created, updated, unchanged, skipped } = planned.result;
    tx.insert('imports', {
      ...(meta.id ? { id: meta.id } : {}),
      kind,
      via: meta.via,
      filename: meta.filename.slice(0, 255),
      size: meta.size,
      sha256: meta.sha256,
      importedBy: meta.actor,
      la: kind === 'schools' || kind === 'libraries' ? opts.la : [],
      source: kind === 'watchlist' ? opts.source : null,
      created,
      updated,
      unchanged,
      skipped,
    });
    return planned;
  });
}

/**
 * What the CLI prints and the browser shows about a result, besides the counts. `day` writes an ISO date
 * (the CLI keeps them as they are; pages say "15 January 2026").
 */
export function describeImport(
  kind: ImportKind,
  result: AnyImportResult,
  applied: boolean,
  day: (iso: string) => string = (iso) => iso,
): { lead: string[]; notes: string[] } {
  const def = importKindDefs[kind];
  return { lead: def.lead?.(result) ?? [], notes: def.notes?.(result, applied, day) ?? [] };
}
