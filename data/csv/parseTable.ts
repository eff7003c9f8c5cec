import { parse } from 'csv-parse/sync';
import { type CsvBytes, decodeCsvBytes, fixWindows1252, ImportFileError } from './decodeCsv.js';
import { columnKind, TEXT_LIMITS } from '../schemas/textLimits.js';
import { itemAt } from '../itemAt.js';
import type { RowError } from './rowError.js';
import { splitPlainCsv } from './splitPlainCsv.js';

export interface CsvTable {
  /** Column names, trimmed. */
  header: string[];
  /** Row number of the header line: 1, or 2 after an OFSI "Last Updated" line. */
  headerRow: number;
  /** Data records with exactly one value per column; malformed records are left out and reported. */
  records: string[][];
  /** Row number of each record in `records`, as a spreadsheet shows it. */
  rowNumbers: number[];
  firstDataRow: number;
  /** Records that could not be read as a whole row (wrong number of values, unclosed quote). */
  errors: RowError[];
}

export interface ParseTableOptions {
  /** Line on which the header starts (1-based), to step over a preamble such as "Last Updated,…". */
  fromLine?: number;
  /**
   * The columns the caller reads (names as in `findColumns`). On the fast path for large files, values of
   * other columns are not copied out (they read '' when blank, `NOT_READ` otherwise).
   */
  columns?: readonly string[];
}

interface CsvFailure {
  code?: string;
  records?: number;
}

/**
 * Splits CSV text into a header and records. Fully blank lines are skipped. Records with too few values
 * (a file cut short) or an unclosed quote are reported as row errors rather than thrown, so the officer
 * sees every problem at once. Given checked bytes (`checkCsvBytes`), a file of one record per line is
 * parsed from the bytes without decoding it first (the national GIAS file); any other is decoded and
 * read as text, with the same result.
 */
export function parseTable(input: string | CsvBytes, options: ParseTableOptions = {}): CsvTable {
  const fromLine = options.fromLine ?? 1;
  if (typeof input !== 'string') {
    const quick = fromLine === 1 ? readLineRecords(input, options.columns) : null;
    return quick ? tableOf(quick, []) : parseTable(decodeCsvBytes(input), options);
  }
  const text = input;
  const errors: RowError[] = [];
  let raw: RawRecords;
  try {
    raw = readRecords(text, fromLine);
  } catch (err) {
    const failure = err as CsvFailure;
    if (typeof failure.records !== 'number') throw err;
    if (failure.records === 0) {
      throw new ImportFileError(
        'The header line could not be read: it opens a quoted value that is never closed.',
      );
    }
    // csv-parse gives up on the whole text; keep the records before the broken one and report that one.
    raw = readRecords(text, fromLine, failure.records);
    errors.push(brokenRecordError(text, raw, failure));
  }
  return tableOf(raw, errors);
}

/** Header and records from what csv-parse read, with short and long rows reported. */
function tableOf(raw: RawRecords, errors: RowError[]): CsvTable {
  const { records: all, rowNumbers: allRows } = raw;
  let first = 0;
  while (first < all.length && isBlank(itemAt(all, first))) first++;
  const headerRecord = all[first];
  if (headerRecord === undefined)
    throw new ImportFileError('The file has no header line: it contains only blank lines.');
  const header = headerRecord.map((name) => name.trim());
  const headerRow = itemAt(allRows, first);

  // Some copies of the OFSI list carry an extra leading comma in the header only.
  const next = all[first + 1];
  if (header.length > 1 && header[0] === '' && next !== undefined && next.length === header.length - 1) {
    header.shift();
  }

  const width = header.length;
  const records: string[][] = [];
  const rowNumbers: number[] = [];
  // Every cell is bounded like the form field it feeds (SPEC §10): a longer one refuses its row.
  const limits = header.map((name) => TEXT_LIMITS[columnKind(name)]);
  const tooLong = (record: string[], row: number): boolean => {
    for (let j = 0; j < width; j++) {
      const length = itemAt(record, j).length;
      const limit = itemAt(limits, j);
      if (length <= limit) continue;
      errors.push({
        row,
        column: itemAt(header, j),
        message: `this value is ${length.toLocaleString('en-GB')} characters long; it can be at most ${limit.toLocaleString('en-GB')}`,
      });
      return true;
    }
    return false;
  };
  for (let i = first + 1; i < all.length; i++) {
    const record = itemAt(all, i);
    const row = itemAt(allRows, i);
    if (record[0]?.trim() === '' && isBlank(record)) {
      // A line of only commas (as Excel writes for an empty row) is a blank line.
    } else if (record.length === width) {
      if (tooLong(record, row)) continue;
      records.push(record);
      rowNumbers.push(row);
    } else if (record.length < width) {
      errors.push({
        row,
        column: itemAt(header, record.length),
        message: `this row stops after ${record.length} of the ${width} columns, so "${header[record.length]}" and the columns after it are missing — the file may have been cut short or the row split over two lines`,
      });
    } else if (record.slice(width).every((value) => value.trim() === '')) {
      // Trailing empty values past the last column (a stray comma at the end of the line) carry nothing.
      if (tooLong(record, row)) continue;
      records.push(record.slice(0, width));
      rowNumbers.push(row);
    } else {
      errors.push({
        row,
        column: itemAt(header, width - 1),
        message: `this row has ${record.length} values but the header has ${width} columns — a value containing a comma may be missing its quotes`,
      });
    }
  }
  return { header, headerRow, records, rowNumbers, firstDataRow: rowNumbers[0] ?? headerRow + 1, errors };
}

interface RawRecords {
  records: string[][];
  rowNumbers: number[];
  /** Last physical line read by csv-parse. */
  lastLine: number;
}

const C1 = /[\x80-\x9f]/;

const CSV_OPTIONS = { relax_column_count: true, relax_quotes: true, skip_empty_lines: true } as const;

/**
 * The records of a file in which every line is one record (no blank lines, no value spanning lines, LF or
 * CRLF endings): then a record's row number is its line. Plain lines are split by `splitPlainCsv`; other
 * one-record-per-line files by csv-parse without a callback per record, which is most of the time it
 * spends on a large file. Null for any other file (or one csv-parse refuses).
 */
function readLineRecords({ bytes, encoding }: CsvBytes, columns?: readonly string[]): RawRecords | null {
  const wanted = columns && new Set(columns.map((name) => name.trim().toLowerCase()));
  const readColumns =
    wanted && ((header: string[]) => header.map((name) => wanted.has(name.trim().toLowerCase())));
  let records = splitPlainCsv(bytes.toString(encoding), readColumns);
  try {
    records ??= parse(bytes, { ...CSV_OPTIONS, encoding }) as string[][];
  } catch {
    return null;
  }
  const windows1252 = encoding === 'latin1';
  const fixLines: number[] = [];
  let line = 0;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (b === undefined) break;
    if (b === 0x0a) line++;
    else if (b === 0x0d) {
      if (bytes[i + 1] !== 0x0a) return null;
    } else if (windows1252 && b >= 0x80 && b <= 0x9f && fixLines.at(-1) !== line) fixLines.push(line);
  }
  const ended = bytes.length > 0 && bytes[bytes.length - 1] === 0x0a;
  if (records.length !== line + (ended ? 0 : 1)) return null;
  // Windows-1252's characters in 0x80–0x9F came out as Latin-1 control characters: put them right.
  for (const l of fixLines) {
    const record = itemAt(records, l);
    for (let v = 0; v < record.length; v++) {
      const value = itemAt(record, v);
      if (C1.test(value)) record[v] = fixWindows1252(value);
    }
  }
  const rowNumbers = new Array<number>(records.length);
  for (let i = 0; i < records.length; i++) rowNumbers[i] = i + 1;
  return { records, rowNumbers, lastLine: records.length };
}

function readRecords(text: string, fromLine: number, to?: number): RawRecords {
  const rowNumbers: number[] = [];
  let lastLine = fromLine - 1;
  let emptyLines = 0;
  let overcount = 0;
  const records = parse(text, {
    from_line: fromLine,
    to,
    // relax_quotes: a stray " inside an unquoted value (5" screen) is kept as text rather than refusing the file.
    ...CSV_OPTIONS,
    on_record: (record: string[], context) => {
      // csv-parse reports the line a record ends on; a spreadsheet numbers it by the line it starts on.
      const skipped = context.empty_lines - emptyLines;
      let end = context.lines - overcount;
      if (end - lastLine - skipped > 1) {
        // A value spanning lines: csv-parse counts a CRLF inside quotes as two lines.
        let extra = 0;
        for (const value of record) extra += value.split('\r\n').length - 1;
        overcount += extra;
        end -= extra;
      }
      rowNumbers.push(lastLine + 1 + skipped);
      lastLine = end;
      emptyLines = context.empty_lines;
      return record;
    },
  });
  return { records, rowNumbers, lastLine };
}

function isBlank(record: string[]): boolean {
  for (const value of record) if (value.trim() !== '') return false;
  return true;
}

/** Finds where the record csv-parse could not finish begins, and which column its open quote is in. */
function brokenRecordError(text: string, good: RawRecords, failure: CsvFailure): RowError {
  const header = itemAt(good.records, 0).map((name) => name.trim());
  const lines = text.split(/\r\n|\n|\r/);
  let line = good.lastLine; // 0-based index of the line after the last good record
  while (line < lines.length && itemAt(lines, line).trim() === '') line++;
  const rest = lines.slice(line).join('\n');

  let row = line + 1;
  let field = 0;
  let atFieldStart = true;
  let inQuote = false;
  let quoteRow = row;
  let quoteField = 0;
  for (let i = 0; i < rest.length; i++) {
    const ch = rest[i];
    if (inQuote) {
      if (ch === '"') {
        if (rest[i + 1] === '"') i++;
        else inQuote = false;
      } else if (ch === '\n') {
        row++;
      }
    } else if (ch === '"' && atFieldStart) {
      inQuote = true;
      quoteRow = row;
      quoteField = field;
    } else if (ch === ',') {
      field++;
      atFieldStart = true;
      continue;
    } else if (ch === '\n') {
      row++;
      field = 0;
      atFieldStart = true;
      continue;
    }
    atFieldStart = false;
  }

  const column = header[quoteField] ?? header[header.length - 1] ?? '';
  if (failure.code === 'CSV_QUOTE_NOT_CLOSED' || inQuote) {
    return {
      row: quoteRow,
      column,
      message:
        'a quoted value starts here but is never closed (no matching ") — the file may have been cut short',
    };
  }
  return { row: line + 1, column: '', message: 'this row could not be read as CSV' };
}

export interface ColumnLookup<K extends string> {
  /** Position of each named column in a record; -1 for an optional column the file does not have. */
  index: Record<K, number>;
  /** One error per required column the header lacks, on the header row and naming the column. */
  errors: RowError[];
}

/** Finds columns by name (trimmed, any case), so files whose columns are in another order still read. */
export function findColumns<K extends string>(
  table: CsvTable,
  required: readonly K[],
  optional: readonly K[] = [],
): ColumnLookup<K> {
  const positions = new Map<string, number>();
  table.header.forEach((name, i) => {
    const key = name.toLowerCase();
    if (!positions.has(key)) positions.set(key, i);
  });
  const index = {} as Record<K, number>;
  const errors: RowError[] = [];
  for (const name of required) {
    index[name] = positions.get(name.toLowerCase()) ?? -1;
    if (index[name] === -1) {
      errors.push({ row: table.headerRow, column: name, message: `the header has no "${name}" column` });
    }
  }
  for (const name of optional) index[name] = positions.get(name.toLowerCase()) ?? -1;
  return { index, errors };
}

/** The trimmed value of a cell, or null when it is blank or the column is absent (index -1). */
export function cell(record: string[], index: number): string | null {
  if (index < 0) return null;
  const value = itemAt(record, index).trim();

  return value === '' ? null : value;
}
