import { spocScope } from '../../checks/schoolRules.js';
import { ImportFileError } from '../../data/csv/decodeCsv.js';
import { type GiasReadResult, type GiasSchoolRow, parseGiasCsv } from '../../data/csv/giasReader.js';
import type { School } from '../../data/schemas/schoolSchemas.js';
import type { Store } from '../../data/store/store.js';
import {
  commitPlan,
  type ImportCounts,
  ImportRefusedError,
  type PlannedImport,
  PlanRecorder,
} from './importPlan.js';

export interface SchoolImportOptions {
  /** `--la`: local authorities by code or name. */
  la?: string[];
  dryRun: boolean;
  /** Phases in SPOC scope (config `spocPhases`). */
  spocPhases: readonly string[];
  /** Told what is happening, for a long file on a terminal. */
  progress?: (message: string) => void;
}

type SchoolFields = Omit<School, 'id' | 'version' | 'createdAt' | 'updatedAt'>;

/** Every field the import sets; a school whose stored values all match is unchanged. */
const FIELDS = [
  'urn',
  'laCode',
  'laName',
  'establishmentNumber',
  'name',
  'typeName',
  'phaseName',
  'statusName',
  'street',
  'locality',
  'address3',
  'town',
  'county',
  'postcode',
  'headTitle',
  'headFirstName',
  'headLastName',
  'openDate',
  'closeDate',
  'website',
  'telephone',
  'statutoryLowAge',
  'statutoryHighAge',
  'inScope',
] as const satisfies readonly (keyof SchoolFields)[];

function fieldsOf(row: GiasSchoolRow, inScope: boolean): SchoolFields {
  return {
    urn: row.urn,
    laCode: row.laCode,
    laName: row.laName,
    establishmentNumber: row.establishmentNumber,
    name: row.name,
    typeName: row.typeName,
    phaseName: row.phaseName,
    statusName: row.statusName,
    street: row.street,
    locality: row.locality,
    address3: row.address3,
    town: row.town,
    county: row.county,
    postcode: row.postcode,
    headTitle: row.headTitle,
    headFirstName: row.headFirstName,
    headLastName: row.headLastName,
    openDate: row.openDate,
    closeDate: row.closeDate,
    website: row.website,
    telephone: row.telephone,
    statutoryLowAge: row.statutoryLowAge,
    statutoryHighAge: row.statutoryHighAge,
    inScope,
  };
}

/** Every value is a string, number, boolean or null, so === is the whole comparison. */
function sameFields(school: School, fields: SchoolFields): boolean {
  for (const key of FIELDS) if ((school[key] ?? null) !== fields[key]) return false;
  return true;
}

const n = (count: number) => count.toLocaleString('en-GB');

/**
 * Reads a GIAS download; any problem refuses the whole file with every reason (ImportRefusedError). The
 * CLI runs it before opening the database, so a refused file never touches it.
 */
export function readSchoolsFile(
  file: Buffer,
  options: Pick<SchoolImportOptions, 'la' | 'progress'> = {},
): GiasReadResult {
  const progress = options.progress ?? (() => {});
  progress(`Reading ${(file.length / 1_048_576).toFixed(1)} MB…`);
  let read: GiasReadResult;
  try {
    read = parseGiasCsv(file, { la: options.la });
  } catch (err) {
    // Empty, binary or headerless: the whole file is refused, reported against its first row.
    if (err instanceof ImportFileError)
      throw new ImportRefusedError([{ row: 1, column: '', message: err.message }]);
    throw err;
  }
  if (read.errors.length > 0) throw new ImportRefusedError(read.errors);
  progress(
    `Read ${n(read.rows.length)} schools${read.skipped ? ` (${n(read.skipped)} of other authorities skipped)` : ''}; matching on URN…`,
  );
  return read;
}

/**
 * `import schools`: the GIAS download, all or nothing, matched on URN and updated in place. Built for the
 * national file: one parse, one Map of stored schools by URN, one pass over the rows, one transaction.
 */
export async function importSchools(
  store: Store,
  actor: string,
  file: Buffer,
  options: SchoolImportOptions,
): Promise<ImportCounts> {
  return saveSchools(store, actor, readSchoolsFile(file, options), options);
}

/**
 * What an import of a file already read will do. Built for the national file: one Map of stored schools
 * by URN, one pass over the rows; the writes are one transaction.
 */
export function planSchools(
  store: Store,
  read: GiasReadResult,
  options: Omit<SchoolImportOptions, 'la' | 'dryRun'>,
): PlannedImport {
  const progress = options.progress ?? (() => {});
  const byUrn = new Map<string, School>();
  for (const s of store.list('schools')) byUrn.set(s.urn, s);
  const inScope = spocScope(options.spocPhases);
  const creates: SchoolFields[] = [];
  const updates: { id: string; fields: SchoolFields }[] = [];
  const recorder = new PlanRecorder();
  let unchanged = 0;
  for (const row of read.rows) {
    const fields = fieldsOf(row, inScope(row.statusName, row.phaseName));
    const existing = byUrn.get(row.urn);
    const label = `${row.urn} ${row.name}`;
    if (!existing) {
      creates.push(fields);
      recorder.row('created', label, fields);
    } else if (sameFields(existing, fields)) {
      unchanged++;
      recorder.row('unchanged', label, existing.id);
    } else {
      updates.push({ id: existing.id, fields });
      recorder.row('updated', label, existing.id, existing.version, fields);
    }
  }
  return {
    result: { created: creates.length, updated: updates.length, unchanged, skipped: read.skipped },
    samples: recorder.samples,
    digest: recorder.digest(),
    changes: creates.length > 0 || updates.length > 0,
    write(tx) {
      progress(`Saving ${n(creates.length)} new and ${n(updates.length)} changed schools…`);
      for (const fields of creates) tx.insert('schools', fields);
      for (const u of updates) tx.update('schools', u.id, u.fields);
    },
  };
}

/** Creates and updates the schools of a file already read, in one transaction (none for a dry run). */
export async function saveSchools(
  store: Store,
  actor: string,
  read: GiasReadResult,
  options: Omit<SchoolImportOptions, 'la'>,
): Promise<ImportCounts> {
  return commitPlan(store, actor, planSchools(store, read, options), options.dryRun);
}
