import { itemAt } from '../itemAt.js';
import { isEmailAddress } from '../schemas/textLimits.js';
import { decodeCsv, ImportFileError } from './decodeCsv.js';
import { type CsvTable, cell, findColumns, parseTable } from './parseTable.js';
import type { ParseResult, RowError } from './rowError.js';
import { implausibleYear } from './plausibleYear.js';

/** One public library, from whichever of the three published layouts the file uses. */
export interface LibraryRow {
  /** The library service (local authority) that reports it, as the file spells it. */
  service: string;
  name: string;
  address1: string | null;
  address2: string | null;
  address3: string | null;
  postcode: string | null;
  uprn: string | null;
  type: string | null;
  statutory: boolean | null;
  yearOpened: number | null;
  yearClosed: number | null;
  email: string | null;
}

export type LibraryLayout = 'ace-enhanced' | 'ace-snake-case' | 'libraries-hacked';

export interface LibraryReadOptions {
  /** Keep only these library services; "Barnet" also matches "London Borough of Barnet". */
  la?: string[];
}

export type LibraryReadResult = ParseResult<LibraryRow> & {
  layout: LibraryLayout;
  /** Rows left out because they belong to another library service. */
  skipped: number;
};

type Field = Exclude<keyof LibraryRow, 'statutory'>;

interface Layout {
  id: LibraryLayout;
  /** Header name that identifies the layout (compared in lower case). */
  marker: string;
  columns: Record<Field, string>;
  /** Statutory column, or a pattern for the yearly ones ("Statutory in 2023"), of which the latest is used. */
  statutory: string | RegExp;
}

const LAYOUTS: Layout[] = [
  {
    id: 'ace-enhanced',
    marker: 'reporting service',
    columns: {
      service: 'Reporting service',
      name: 'Name',
      address1: 'Address 1',
      address2: 'Address 2',
      address3: 'Address 3',
      postcode: 'Postcode',
      uprn: 'Unique property reference number',
      type: 'Type',
      yearOpened: 'Year opened',
      yearClosed: 'Year closed',
      email: 'Email or website',
    },
    statutory: /^Statutory in (\d{4})$/i,
  },
  {
    id: 'ace-snake-case',
    marker: 'reporting',
    columns: {
      service: 'reporting',
      name: 'name',
      address1: 'address1',
      address2: 'address2',
      address3: 'address3',
      postcode: 'postcode',
      uprn: 'uprn',
      type: 'type',
      yearOpened: 'opened',
      yearClosed: 'closed',
      email: 'email',
    },
    statutory: /^statutory_(\d{2})$/i,
  },
  {
    id: 'libraries-hacked',
    marker: 'local authority',
    columns: {
      service: 'Local authority',
      name: 'Library name',
      address1: 'Address 1',
      address2: 'Address 2',
      address3: 'Address 3',
      postcode: 'Postcode',
      uprn: 'Unique property reference number',
      type: 'Type of library',
      yearOpened: 'Year opened',
      yearClosed: 'Year closed',
      email: 'Email address',
    },
    statutory: 'Statutory',
  },
];

const REQUIRED: Field[] = ['service', 'name'];
const YEAR = /^\d{4}$/;

/**
 * Reads a list of public libraries: the Arts Council England basic dataset (enhanced layout or the
 * snake_case copy) or the Libraries Hacked "Libraries" schema, told apart by their headers.
 */
export function parseLibrariesCsv(buf: Buffer, options: LibraryReadOptions = {}): LibraryReadResult {
  const table = parseTable(decodeCsv(buf));
  const layout = detectLayout(table);
  const fields = Object.keys(layout.columns) as Field[];
  const { index: col, errors: missing } = findColumns(
    table,
    REQUIRED.map((f) => layout.columns[f]),
    fields.filter((f) => !REQUIRED.includes(f)).map((f) => layout.columns[f]),
  );
  const statutoryColumn = statutoryColumnOf(table, layout.statutory);
  if (missing.length > 0) return { rows: [], errors: missing, layout: layout.id, skipped: 0 };
  const at = (record: string[], field: Field) => cell(record, col[layout.columns[field]] ?? -1);

  const wanted = options.la && options.la.length > 0 ? new Set(options.la.map(serviceKey)) : null;
  const rows: LibraryRow[] = [];
  const errors: RowError[] = [...table.errors];
  const firstRowOfKey = new Map<string, number>();
  let skipped = 0;

  table.records.forEach((record, i) => {
    const service = at(record, 'service');
    if (wanted !== null && (service === null || !wanted.has(serviceKey(service)))) {
      skipped++;
      return;
    }
    const row = itemAt(table.rowNumbers, i);
    const before = errors.length;
    const fail = (column: string, message: string) => errors.push({ row, column, message });

    const name = at(record, 'name');
    if (service === null) fail(layout.columns.service, 'the library service is blank');
    if (name === null) fail(layout.columns.name, 'the library name is blank');
    if (service !== null && name !== null) {
      const key = libraryKey(service, name);
      const first = firstRowOfKey.get(key);
      if (first !== undefined)
        fail(
          layout.columns.name,
          `${name} (${service}) is already on row ${first} — each library may appear only once`,
        );
      else firstRowOfKey.set(key, row);
    }

    const year = (field: 'yearOpened' | 'yearClosed') => {
      const value = at(record, field);
      if (value === null) return null;
      const implausible = YEAR.test(value) ? implausibleYear(Number(value), 'establishment') : null;
      if (YEAR.test(value) && !implausible) return Number(value);
      fail(
        layout.columns[field],
        implausible ? `"${value}": ${implausible}` : `"${value}" is not a year like 2019`,
      );
      return null;
    };
    const yearOpened = year('yearOpened');
    const yearClosed = year('yearClosed');

    let statutory: boolean | null = null;
    const statutoryValue = statutoryColumn ? cell(record, statutoryColumn.index) : null;
    if (statutoryValue !== null) {
      const answer = statutoryValue.toLowerCase();
      if (answer === 'yes') statutory = true;
      else if (answer === 'no') statutory = false;
      else fail(statutoryColumn!.name, `"${statutoryValue}" should be Yes or No`);
    }
    if (errors.length > before) return;

    // The ACE column holds an email address or a website; only an address is any use for reminders.
    const contact = at(record, 'email');
    rows.push({
      service: service!,
      name: name!,
      address1: at(record, 'address1'),
      address2: at(record, 'address2'),
      address3: at(record, 'address3'),
      postcode: at(record, 'postcode'),
      uprn: at(record, 'uprn'),
      type: at(record, 'type'),
      statutory,
      yearOpened,
      yearClosed,
      email: contact !== null && isEmailAddress(contact) ? contact : null,
    });
  });
  errors.sort((a, b) => a.row - b.row);
  return { rows, errors, layout: layout.id, skipped };
}

function detectLayout(table: CsvTable): Layout {
  const names = new Set(table.header.map((name) => name.toLowerCase()));
  const layout = LAYOUTS.find((l) => names.has(l.marker));
  if (!layout) {
    throw new ImportFileError(
      'The header is not one of the library layouts we read: the Arts Council England basic dataset ("Reporting service","Name",… or reporting,name,…) or the Libraries Hacked schema (Local authority,Library name,…).',
    );
  }
  return layout;
}

/** The statutory flag column; for the yearly ACE columns, the most recent year. */
function statutoryColumnOf(table: CsvTable, spec: string | RegExp): { name: string; index: number } | null {
  let best: { name: string; index: number; year: number } | null = null;
  for (const [index, name] of table.header.entries()) {
    if (typeof spec === 'string') {
      if (name.toLowerCase() === spec.toLowerCase()) return { name, index };
      continue;
    }
    const match = spec.exec(name);
    if (match && (best === null || Number(match[1]) > best.year))
      best = { name, index, year: Number(match[1]) };
  }
  return best;
}

// Longest first, so "County Council" goes before "Council".
const AUTHORITY_WORDS =
  /\b(metropolitan borough council|county borough council|county council|borough council|district council|city council|council|london borough of|royal borough of|city of)\b/g;

/** "London Borough of Barnet", "Barnet Council" and "Barnet" all become "barnet". */
export function serviceKey(service: string): string {
  return service
    .toLowerCase()
    .replace(AUTHORITY_WORDS, ' ')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/** The natural key of a library: its service (however the authority is spelled) and its name. */
export function libraryKey(service: string, name: string): string {
  return `${serviceKey(service)}\u0000${name.trim().toLowerCase()}`;
}
