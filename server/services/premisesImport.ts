import { type PremisesRow, parsePremisesCsv } from '../../data/csv/premisesReader.js';
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

/** Reads a premises file; any bad row refuses it whole. */
export function readPremisesFile(file: Buffer): PremisesRow[] {
  const { rows, errors } = parsePremisesCsv(file);
  if (errors.length > 0) throw new ImportRefusedError(errors);
  return rows;
}

/** What `import premises` will do: matched on `ref`, updated in place. */
export function planPremises(store: Store, rows: PremisesRow[]): PlannedImport {
  const byRef = new Map(store.list('premises').map((p) => [p.ref.toLowerCase(), p]));
  const recorder = new PlanRecorder();
  const plan = planUpserts<'premises'>(
    rows.map((r) => ({
      existing: byRef.get(r.ref.toLowerCase()),
      label: `${r.ref} ${r.name}`,
      fields: {
        ref: r.ref,
        name: r.name,
        uprn: r.uprn,
        address: r.address,
        postcode: r.postcode,
        ward: r.ward,
        operator: r.operator,
        buildingType: r.buildingType,
        hireableSpace: r.hireableSpace,
        publicIt: r.publicIt,
        risk: r.risk,
        siteManagerEmail: r.siteManagerEmail?.toLowerCase() ?? null,
      },
    })),
    recorder,
  );
  return plannedUpserts('premises', plan, recorder);
}

/** `import premises`: all or nothing, matched on `ref`, updated in place. */
export async function importPremises(
  store: Store,
  actor: string,
  file: Buffer,
  dryRun: boolean,
): Promise<ImportCounts> {
  return commitPlan(store, actor, planPremises(store, readPremisesFile(file)), dryRun);
}
