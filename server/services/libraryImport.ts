import { type LibraryLayout, libraryKey, parseLibrariesCsv } from '../../data/csv/libraryReader.js';
import type { Store } from '../../data/store/store.js';
import {
  commitPlan,
  type ImportCounts,
  ImportRefusedError,
  type PlannedImport,
  PlanRecorder,
  plannedUpserts,
  planUpserts,
} from './importPlan.js';

export const layoutNames: Record<LibraryLayout, string> = {
  'ace-enhanced': 'Arts Council England basic dataset, enhanced layout',
  'ace-snake-case': 'Arts Council England basic dataset, snake_case layout',
  'libraries-hacked': 'Libraries Hacked libraries schema',
};

export type LibraryImportResult = ImportCounts & {
  layout: LibraryLayout;
  /** Libraries in the file (after the --la filter) that have a closing year. */
  closed: number;
};

/** `--la` matched nothing in the file: refused (exit 1) rather than quietly importing nothing. */
export class NoServiceMatchedError extends Error {
  refused = true;
}

/**
 * Reads and checks a libraries file before the database is opened, so a refused file never touches it:
 * any bad row refuses the whole file, and so does an `--la` that matches nothing.
 */
export function readLibraryImport(file: Buffer, la: string[] = []) {
  const parsed = parseLibrariesCsv(file, { la });
  if (parsed.errors.length > 0) throw new ImportRefusedError(parsed.errors);
  if (la.length > 0 && parsed.rows.length === 0 && parsed.skipped > 0) {
    const services = [...new Set(parseLibrariesCsv(file).rows.map((r) => r.service))].sort();
    throw new NoServiceMatchedError(
      `No library in the file belongs to ${la.map((s) => `"${s}"`).join(' or ')}; nothing was written. The file's library services: ${services.slice(0, 12).join(', ')}${services.length > 12 ? ', …' : ''}`,
    );
  }
  return parsed;
}

/**
 * What `import libraries` will do: matched on library service + name (the service however the authority
 * is spelled, so "Barnet" and "London Borough of Barnet" are one), updated in place. Only the dataset's
 * fields are set: filtering profiles, managers and attestations are kept.
 */
export function planLibraries(
  store: Store,
  parsed: ReturnType<typeof readLibraryImport>,
): PlannedImport<LibraryImportResult> {
  const { rows, layout, skipped } = parsed;
  const byKey = new Map(store.list('libraries').map((l) => [libraryKey(l.service, l.name), l]));
  const recorder = new PlanRecorder();
  const plan = planUpserts<'libraries'>(
    rows.map((r) => ({
      existing: byKey.get(libraryKey(r.service, r.name)),
      label: `${r.name} (${r.service})`,
      fields: {
        service: r.service,
        name: r.name,
        address: [r.address1, r.address2, r.address3].filter(Boolean).join(', ') || null,
        postcode: r.postcode?.toUpperCase() ?? null,
        uprn: r.uprn,
        type: r.type,
        statutory: r.statutory,
        yearOpened: r.yearOpened,
        yearClosed: r.yearClosed,
        contactEmail: r.email?.toLowerCase() ?? null,
      },
    })),
    recorder,
  );
  const planned = plannedUpserts('libraries', plan, recorder, { skipped });
  return {
    ...planned,
    result: { ...planned.result, layout, closed: rows.filter((r) => r.yearClosed !== null).length },
  };
}

/** `import libraries`: all or nothing (see planLibraries). */
export async function importLibraries(
  store: Store,
  actor: string,
  parsed: ReturnType<typeof readLibraryImport>,
  dryRun: boolean,
): Promise<LibraryImportResult> {
  return commitPlan(store, actor, planLibraries(store, parsed), dryRun);
}
