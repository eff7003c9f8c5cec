import type { Response } from 'express';

/**
 * CSV for people to open in Excel or LibreOffice, safe from formula injection.
 *
 *   const csv = toCsv(['Name', 'Due'], rows.map((r) => [r.name, r.dueOn]));
 *   sendCsv(res, 'actions.csv', csv);
 *
 * A text cell that starts with = + - @ (after any spaces), a tab or a carriage return could be read
 * as a formula, so it gets a leading apostrophe (the spreadsheet shows the text as typed). Numbers,
 * booleans and empty values are written as they are, so pass numbers as numbers (the text "-5"
 * becomes '-5). Cells are quoted when needed (RFC 4180), rows end with CRLF, and the file starts with
 * a UTF-8 byte order mark so Excel reads accents and "’" correctly.
 */

export type CsvValue = string | number | boolean | null | undefined | Date;

export const UTF8_BOM = '\uFEFF';

// Also after leading spaces, which some spreadsheet imports trim.
const FORMULA_START = /^[\t\r]|^\s*[=+\-@]/;

/** One cell's text: neutralised against formulas, quoted if it holds a comma, quote or line break. */
export function csvCell(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  let text = value instanceof Date ? value.toISOString() : String(value);
  if (FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) || text !== text.trim() ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A whole file: BOM, header row, then one row per record. */
export function toCsv(header: readonly string[], rows: Iterable<readonly CsvValue[]>): string {
  const lines = [header.map(csvCell).join(',')];
  for (const row of rows) lines.push(row.map(csvCell).join(','));
  return `${UTF8_BOM}${lines.join('\r\n')}\r\n`;
}

/** Sends CSV text as a download named `filename` (letters, digits, dot, dash and underscore only). */
export function sendCsv(res: Response, filename: string, csv: string): void {
  const safe = filename.replace(/[^A-Za-z0-9._-]/g, '_');
  res.setHeader('Content-Type', 'text/csv; charset=utf-8');
  res.setHeader('Content-Disposition', `attachment; filename="${safe}"`);
  res.send(csv);
}
