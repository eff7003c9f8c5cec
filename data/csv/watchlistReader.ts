import { itemAt } from '../itemAt.js';
import { decodeCsv, ImportFileError } from './decodeCsv.js';
import { type CsvTable, cell, findColumns, parseTable } from './parseTable.js';
import type { ParseResult, RowError } from './rowError.js';
import { implausibleYear } from './plausibleYear.js';

/** One listed organisation or person, with the other names it is known by. */
export interface WatchlistRow {
  name: string;
  aliases: string[];
  type: 'organisation' | 'person';
  source: string;
  /** ISO date (YYYY-MM-DD) the entry was listed, when the file says. */
  listedOn: string | null;
  /** OFSI Group ID; null for the simple layout. */
  reference: string | null;
  /** OFSI sanctions regime, e.g. "Terrorism and Terrorist Financing". */
  regime: string | null;
}

export interface WatchlistReadOptions {
  /** Where the list came from, used when a row gives no source of its own. */
  source?: string;
}

export type WatchlistReadResult = ParseResult<WatchlistRow> & {
  format: 'simple' | 'ofsi';
  /** ISO date from the OFSI "Last Updated" line; null when the file has none. */
  asOf: string | null;
};

const OFSI_SOURCE = 'OFSI consolidated list';
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const UK_DATE = /^(\d{2})\/(\d{2})\/(\d{4})$/;
const LAST_UPDATED = /^"?Last Updated"?[ \t]*,[ \t]*"?([^",\r\n]*)/i;

/**
 * Reads a watch list: either the simple layout coordinators keep by hand (e.g. the Home Office proscribed
 * organisations) or the OFSI consolidated sanctions list (ConList.csv), whose rows are one name each and
 * are gathered into entries by Group ID.
 */
export function parseWatchlistCsv(buf: Buffer, options: WatchlistReadOptions = {}): WatchlistReadResult {
  const text = decodeCsv(buf);
  const errors: RowError[] = [];
  let asOf: string | null = null;
  const lastUpdated = LAST_UPDATED.exec(text);
  if (lastUpdated) {
    const stated = (lastUpdated[1] ?? '').trim();
    asOf = ukDate(stated);
    if (asOf === null) {
      errors.push({
        row: 1,
        column: 'Last Updated',
        message: `"${stated}" is not a date like 14/03/2026`,
      });
    }
  }
  const table = parseTable(text, { fromLine: lastUpdated ? 2 : 1 });
  const header = new Set(table.header.map((name) => name.toLowerCase()));

  let result: ParseResult<WatchlistRow>;
  let format: 'simple' | 'ofsi';
  if (header.has('name 6')) {
    format = 'ofsi';
    result = readOfsi(table, options.source ?? OFSI_SOURCE);
  } else if (header.has('name')) {
    format = 'simple';
    result = readSimple(table, options.source ?? null);
  } else {
    throw new ImportFileError(
      'The header is not a watch list: expected name,aliases,type,source,listed_on or the OFSI consolidated list (Name 6,Name 1,…,Group ID).',
    );
  }
  errors.push(...table.errors, ...result.errors);
  errors.sort((a, b) => a.row - b.row);
  return { rows: result.rows, errors, format, asOf };
}

function readSimple(table: CsvTable, defaultSource: string | null): ParseResult<WatchlistRow> {
  const { index: col, errors } = findColumns(
    table,
    ['name', 'type'] as const,
    ['aliases', 'source', 'listed_on'] as const,
  );
  if (errors.length > 0) return { rows: [], errors };
  const rows: WatchlistRow[] = [];
  const firstRowOfKey = new Map<string, number>();

  table.records.forEach((record, i) => {
    const row = itemAt(table.rowNumbers, i);
    const before = errors.length;
    const fail = (column: string, message: string) => errors.push({ row, column, message });

    const name = cell(record, col.name);
    if (name === null) fail('name', 'the name is blank');

    const typeValue = cell(record, col.type);
    const type = entryType(typeValue);
    if (typeValue === null) fail('type', 'the type is blank — use organisation or person');
    else if (type === null) fail('type', `"${typeValue}" is not a type — use organisation or person`);

    if (name !== null && type !== null) {
      const key = `${type}\u0000${comparable(name)}`;
      const first = firstRowOfKey.get(key);
      if (first !== undefined) {
        fail(
          'name',
          `${name} (${type}) is already on row ${first} — list each name once and put other spellings in aliases`,
        );
      } else firstRowOfKey.set(key, row);
    }

    const source = cell(record, col.source) ?? defaultSource;
    if (source === null)
      fail(
        'source',
        'the source is blank — say which list this name comes from, or give a source for the whole file',
      );

    const listedValue = cell(record, col.listed_on);
    const listedOn = listedValue === null ? null : isoDate(listedValue);
    if (listedValue !== null && listedOn === null)
      fail('listed_on', `"${listedValue}" is not a date like 2026-03-14`);
    const listedYear = listedOn === null ? null : implausibleYear(Number(listedOn.slice(0, 4)), 'record');
    if (listedYear) fail('listed_on', `"${listedValue}": ${listedYear}`);
    if (errors.length > before) return;

    rows.push({
      name: name!,
      aliases: uniqueAliases(name!, (cell(record, col.aliases) ?? '').split(';')),
      type: type!,
      source: source!,
      listedOn,
      reference: null,
      regime: null,
    });
  });
  return { rows, errors };
}

const NAME_PARTS = ['Name 1', 'Name 2', 'Name 3', 'Name 4', 'Name 5'] as const;
const PRIMARY_ALIAS_TYPES = new Set(['primary name', 'prime alias']);

interface OfsiName {
  name: string;
  primary: boolean;
  type: 'organisation' | 'person';
  listedOn: string | null;
  regime: string | null;
}

function readOfsi(table: CsvTable, source: string): ParseResult<WatchlistRow> {
  const { index: col, errors } = findColumns(
    table,
    ['Name 6', 'Group Type'] as const,
    [...NAME_PARTS, 'Alias Type', 'Listed On', 'Regime', 'Group ID'] as const,
  );
  if (errors.length > 0) return { rows: [], errors };
  // Each row is one name; a listed person or organisation is all the rows sharing its Group ID.
  const groups = new Map<string, { reference: string | null; names: OfsiName[] }>();

  table.records.forEach((record, i) => {
    const row = itemAt(table.rowNumbers, i);
    const before = errors.length;
    const fail = (column: string, message: string) => errors.push({ row, column, message });

    // Name 6 is the surname or the organisation's name; Name 1–5 are given names, so they come first.
    const parts: string[] = [];
    for (const part of NAME_PARTS) {
      const value = cell(record, col[part]);
      if (value !== null) parts.push(value);
    }
    const surname = cell(record, col['Name 6']);
    if (surname !== null) parts.push(surname);
    const name = parts.join(' ').replace(/\s+/g, ' ');
    if (name === '') fail('Name 6', 'this row has no name: Name 1 to Name 6 are all blank');

    const groupType = cell(record, col['Group Type']);
    const type = groupType === null ? null : ofsiType(groupType);
    if (type === null)
      fail('Group Type', `"${groupType ?? ''}" is not a group type — expected Individual, Entity or Ship`);

    const listedValue = cell(record, col['Listed On']);
    const listedOn = listedValue === null ? null : ukDate(listedValue);
    if (listedValue !== null && listedOn === null)
      fail('Listed On', `"${listedValue}" is not a date like 14/03/2026`);
    if (errors.length > before) return;

    const reference = cell(record, col['Group ID']);
    const key = reference ?? `row ${row}`;
    let group = groups.get(key);
    if (!group) {
      group = { reference, names: [] };
      groups.set(key, group);
    }
    const aliasType = cell(record, col['Alias Type']);
    group.names.push({
      name,
      primary: aliasType !== null && PRIMARY_ALIAS_TYPES.has(aliasType.toLowerCase()),
      type: type!,
      listedOn,
      regime: cell(record, col.Regime),
    });
  });

  const rows: WatchlistRow[] = [];
  for (const { reference, names } of groups.values()) {
    const main = names.find((n) => n.primary) ?? itemAt(names, 0);
    rows.push({
      name: main.name,
      aliases: uniqueAliases(
        main.name,
        names.map((n) => n.name),
      ),
      type: main.type,
      source,
      listedOn: main.listedOn ?? names.find((n) => n.listedOn !== null)?.listedOn ?? null,
      reference,
      regime: main.regime ?? names.find((n) => n.regime !== null)?.regime ?? null,
    });
  }
  return { rows, errors };
}

function entryType(value: string | null): 'organisation' | 'person' | null {
  switch (value?.toLowerCase()) {
    case 'organisation':
    case 'organization':
      return 'organisation';
    case 'person':
      return 'person';
    default:
      return null;
  }
}

function ofsiType(value: string): 'organisation' | 'person' | null {
  switch (value.toLowerCase()) {
    case 'individual':
      return 'person';
    // A ship is matched like an organisation: by the name it trades under.
    case 'entity':
    case 'ship':
      return 'organisation';
    default:
      return null;
  }
}

function comparable(name: string): string {
  return name.toLowerCase().replace(/\s+/g, ' ').trim();
}

/** Trimmed, blanks dropped, each spelling once, and never the main name itself. */
function uniqueAliases(name: string, candidates: string[]): string[] {
  const seen = new Set([comparable(name)]);
  const aliases: string[] = [];
  for (const candidate of candidates) {
    const alias = candidate.trim().replace(/\s+/g, ' ');
    const key = comparable(alias);
    if (alias === '' || seen.has(key)) continue;
    seen.add(key);
    aliases.push(alias);
  }
  return aliases;
}

function isoDate(value: string): string | null {
  const match = ISO_DATE.exec(value);
  return match && isRealDate(match[1], match[2], match[3]) ? value : null;
}

function ukDate(value: string): string | null {
  const match = UK_DATE.exec(value);
  return match && isRealDate(match[3], match[2], match[1]) ? `${match[3]}-${match[2]}-${match[1]}` : null;
}

function isRealDate(yyyy: string | undefined, mm: string | undefined, dd: string | undefined): boolean {
  const date = new Date(Date.UTC(Number(yyyy), Number(mm) - 1, Number(dd)));
  return (
    date.getUTCFullYear() === Number(yyyy) &&
    date.getUTCMonth() === Number(mm) - 1 &&
    date.getUTCDate() === Number(dd)
  );
}
