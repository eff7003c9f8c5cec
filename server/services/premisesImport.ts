import { parsePremisesCsv } from '../../data/csv/premisesReader.js';
import type { Store } from '../../data/store/store.js';
import { applyUpserts, type ImportCounts, ImportRefusedError, planUpserts } from './importPlan.js';

/** `import premises`: all or nothing, matched on `ref`, updated in place. */
export async function importPremises(
  store: Store,
  actor: string,
  file: Buffer,
  dryRun: boolean,
): Promise<ImportCounts> {
  const { rows, errors } = parsePremisesCsv(file);
  if (errors.length > 0) throw new ImportRefusedError(errors);
  const byRef = new Map(store.list('premises').map((p) => [p.ref.toLowerCase(), p]));
  const plan = planUpserts<'premises'>(
    rows.map((r) => ({
      existing: byRef.get(r.ref.toLowerCase()),
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
  );
  return applyUpserts(store, actor, 'premises', plan, { dryRun });
}
