import { itemAt } from '../itemAt.js';
import { checkCsvBytes } from './decodeCsv.js';
import { cell, findColumns, parseTable } from './parseTable.js';
import type { ParseResult, RowError } from './rowError.js';
import { implausibleYear } from './plausibleYear.js';

/** One establishment from the DfE "Get Information about Schools" (GIAS) `edubasealldata` download. */
export interface GiasSchoolRow {
  urn: string;
  laCode: string | null;
  laName: string | null;
  establishmentNumber: string | null;
  name: string;
  typeName: string | null;
  phaseName: string | null;
  statusName: string | null;
  street: string | null;
  locality: string | null;
  address3: string | null;
  town: string | null;
  county: string | null;
  postcode: string | null;
  headTitle: string | null;
  headFirstName: string | null;
  headLastName: string | null;
  /** ISO date (YYYY-MM-DD). */
  openDate: string | null;
  /** ISO date (YYYY-MM-DD). */
  closeDate: string | null;
  website: string | null;
  telephone: string | null;
  statutoryLowAge: number | null;
  statutoryHighAge: number | null;
}

export interface GiasReadOptions {
  /** Keep only these local authorities, each given as its code ("302") or name ("Barnet"). */
  la?: string[];
}

export type GiasReadResult = ParseResult<GiasSchoolRow> & {
  /** Rows left out because they belong to another local authority. */
  skipped: number;
};

const REQUIRED = [
  'URN',
  'LA (code)',
  'LA (name)',
  'EstablishmentName',
  'TypeOfEstablishment (name)',
  'EstablishmentStatus (name)',
  'PhaseOfEducation (name)',
  'Postcode',
] as const;

const OPTIONAL = [
  'EstablishmentNumber',
  'OpenDate',
  'CloseDate',
  'StatutoryLowAge',
  'StatutoryHighAge',
  'Street',
  'Locality',
  'Address3',
  'Town',
  'County (name)',
  'SchoolWebsite',
  'TelephoneNum',
  'HeadTitle (name)',
  'HeadFirstName',
  'HeadLastName',
] as const;

const WHOLE_NUMBER = /^\d+$/;
const GIAS_DATE = /^(\d{2})-(\d{2})-(\d{4})$/;

/**
 * Reads a GIAS `edubasealldata` CSV (2018/19 133-column or 2024 139-column layout; columns are found by
 * name). Built for the national file: one csv-parse pass into arrays, then plain loops over the few
 * columns we keep.
 */
export function parseGiasCsv(buf: Buffer, options: GiasReadOptions = {}): GiasReadResult {
  const table = parseTable(checkCsvBytes(buf), { columns: [...REQUIRED, ...OPTIONAL] });
  const { index: col, errors: missing } = findColumns(table, REQUIRED, OPTIONAL);
  if (missing.length > 0) return { rows: [], errors: missing, skipped: 0 };

  const wanted =
    options.la && options.la.length > 0 ? new Set(options.la.map((la) => la.trim().toLowerCase())) : null;
  const rows: GiasSchoolRow[] = [];
  const errors: RowError[] = [...table.errors];
  const firstRowOfUrn = new Map<string, number>();
  let skipped = 0;

  const { records, rowNumbers } = table;
  for (let i = 0; i < records.length; i++) {
    const record = itemAt(records, i);
    const laCode = cell(record, col['LA (code)']);
    const laName = cell(record, col['LA (name)']);
    if (
      wanted !== null &&
      !(laCode !== null && wanted.has(laCode.toLowerCase())) &&
      !(laName !== null && wanted.has(laName.toLowerCase()))
    ) {
      skipped++;
      continue;
    }

    const row = itemAt(rowNumbers, i);
    const before = errors.length;
    const fail = (column: string, message: string) => errors.push({ row, column, message });

    const urn = cell(record, col.URN);
    if (urn === null) fail('URN', 'the URN is blank — every school needs its unique reference number');
    else if (!WHOLE_NUMBER.test(urn) || Number(urn) === 0) {
      fail('URN', `"${urn}" is not a URN — a URN is a whole number such as 100492`);
    } else {
      const first = firstRowOfUrn.get(urn);
      if (first !== undefined) {
        fail('URN', `URN ${urn} is already on row ${first} — each school may appear only once in the file`);
      } else firstRowOfUrn.set(urn, row);
    }

    const name = cell(record, col.EstablishmentName);
    if (name === null) fail('EstablishmentName', 'the school name is blank');

    const openDate = giasDate(record, col.OpenDate, 'OpenDate', fail);
    const closeDate = giasDate(record, col.CloseDate, 'CloseDate', fail);
    const statutoryLowAge = age(record, col.StatutoryLowAge, 'StatutoryLowAge', fail);
    const statutoryHighAge = age(record, col.StatutoryHighAge, 'StatutoryHighAge', fail);
    if (errors.length > before) continue;

    rows.push({
      urn: urn!,
      laCode,
      laName,
      establishmentNumber: cell(record, col.EstablishmentNumber),
      name: name!,
      typeName: cell(record, col['TypeOfEstablishment (name)']),
      phaseName: cell(record, col['PhaseOfEducation (name)']),
      statusName: cell(record, col['EstablishmentStatus (name)']),
      street: cell(record, col.Street),
      locality: cell(record, col.Locality),
      address3: cell(record, col.Address3),
      town: cell(record, col.Town),
      county: cell(record, col['County (name)']),
      postcode: cell(record, col.Postcode),
      headTitle: cell(record, col['HeadTitle (name)']),
      headFirstName: cell(record, col.HeadFirstName),
      headLastName: cell(record, col.HeadLastName),
      openDate,
      closeDate,
      website: cell(record, col.SchoolWebsite),
      telephone: cell(record, col.TelephoneNum),
      statutoryLowAge,
      statutoryHighAge,
    });
  }
  errors.sort((a, b) => a.row - b.row);
  return { rows, errors, skipped };
}

type Fail = (column: string, message: string) => void;

/** GIAS writes dates as DD-MM-YYYY; we store ISO dates. */
function giasDate(record: string[], index: number, column: string, fail: Fail): string | null {
  const value = cell(record, index);
  if (value === null) return null;
  const match = GIAS_DATE.exec(value);
  if (match) {
    const [, dd, mm, yyyy] = match;
    const date = new Date(Date.UTC(Number(yyyy), Number(mm) - 1, Number(dd)));
    const implausible = implausibleYear(Number(yyyy), 'establishment');
    if (implausible) {
      fail(column, `"${value}": ${implausible}`);
      return null;
    }
    if (date.getUTCMonth() === Number(mm) - 1 && date.getUTCDate() === Number(dd))
      return `${yyyy}-${mm}-${dd}`;
  }
  fail(column, `"${value}" is not a date like 01-09-2024 (day-month-year)`);
  return null;
}

function age(record: string[], index: number, column: string, fail: Fail): number | null {
  const value = cell(record, index);
  if (value === null) return null;
  if (WHOLE_NUMBER.test(value)) return Number(value);
  fail(column, `"${value}" is not an age in whole years`);
  return null;
}
