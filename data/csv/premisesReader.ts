import { itemAt } from '../itemAt.js';
import { isEmailAddress } from '../schemas/textLimits.js';
import { decodeCsv } from './decodeCsv.js';
import { cell, findColumns, parseTable } from './parseTable.js';
import type { ParseResult, RowError } from './rowError.js';

/** One council building from the premises register import. */
export interface PremisesRow {
  ref: string;
  name: string;
  uprn: string | null;
  address: string | null;
  postcode: string | null;
  ward: string | null;
  operator: string | null;
  buildingType: string | null;
  hireableSpace: boolean | null;
  publicIt: boolean | null;
  /** null when the building has not been rated yet. */
  risk: 'low' | 'medium' | 'high' | null;
  siteManagerEmail: string | null;
}

const COLUMNS = [
  'ref',
  'name',
  'uprn',
  'address',
  'postcode',
  'ward',
  'operator',
  'building_type',
  'hireable_space',
  'public_it',
  'risk',
  'site_manager_email',
] as const;

const UPRN = /^\d{1,12}$/;
const YES = new Set(['yes', 'y', 'true']);
const NO = new Set(['no', 'n', 'false']);

/** yes/no, y/n or true/false in any case; blank is "not known". Undefined for anything else. */
export function parseYesNo(value: string | null): boolean | null | undefined {
  if (value === null) return null;
  const answer = value.toLowerCase();
  if (YES.has(answer)) return true;
  if (NO.has(answer)) return false;
  return undefined;
}

/** Reads the premises register CSV (SPEC §7). Extra columns are ignored. */
export function parsePremisesCsv(buf: Buffer): ParseResult<PremisesRow> {
  const table = parseTable(decodeCsv(buf));
  const { index: col, errors: missing } = findColumns(table, COLUMNS);
  if (missing.length > 0) return { rows: [], errors: missing };

  const rows: PremisesRow[] = [];
  const errors: RowError[] = [...table.errors];
  const firstRowOfRef = new Map<string, number>();

  table.records.forEach((record, i) => {
    const row = itemAt(table.rowNumbers, i);
    const before = errors.length;
    const fail = (column: string, message: string) => errors.push({ row, column, message });

    const ref = cell(record, col.ref);
    if (ref === null) fail('ref', 'the premises reference is blank');
    else {
      const first = firstRowOfRef.get(ref.toLowerCase());
      if (first !== undefined)
        fail('ref', `${ref} is already on row ${first} — each premises may appear only once`);
      else firstRowOfRef.set(ref.toLowerCase(), row);
    }
    const name = cell(record, col.name);
    if (name === null) fail('name', 'the premises name is blank');

    const uprn = cell(record, col.uprn);
    if (uprn !== null && !UPRN.test(uprn))
      fail('uprn', `"${uprn}" is not a UPRN — a UPRN is a number of up to 12 digits`);

    const yesNo = (column: 'hireable_space' | 'public_it') => {
      const value = cell(record, col[column]);
      const answer = parseYesNo(value);
      if (answer === undefined) fail(column, `"${value}" should be yes or no`);
      return answer ?? null;
    };
    const hireableSpace = yesNo('hireable_space');
    const publicIt = yesNo('public_it');

    const riskValue = cell(record, col.risk);
    const risk = riskValue === null ? null : riskValue.toLowerCase();
    if (risk !== null && risk !== 'low' && risk !== 'medium' && risk !== 'high') {
      fail(
        'risk',
        `"${riskValue}" is not a risk rating — use low, medium or high, or leave it blank if not yet rated`,
      );
    }

    const siteManagerEmail = cell(record, col.site_manager_email);
    if (siteManagerEmail !== null && !isEmailAddress(siteManagerEmail)) {
      fail('site_manager_email', `"${siteManagerEmail}" is not an email address`);
    }
    if (errors.length > before) return;

    rows.push({
      ref: ref!,
      name: name!,
      uprn,
      address: cell(record, col.address),
      postcode: cell(record, col.postcode),
      ward: cell(record, col.ward),
      operator: cell(record, col.operator),
      buildingType: cell(record, col.building_type),
      hireableSpace,
      publicIt,
      risk: risk as PremisesRow['risk'],
      siteManagerEmail,
    });
  });
  errors.sort((a, b) => a.row - b.row);
  return { rows, errors };
}
