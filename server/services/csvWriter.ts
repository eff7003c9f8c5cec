/** A cell a spreadsheet would run as a formula (=, +, -, @, and tab or CR that some read the same way). */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * One CSV value, safe to open in Excel: a value that would start a formula gets a leading `'` (OWASP CSV
 * injection), and a value with a comma, quote or line break is quoted.
 */
export function csvCell(value: string | number | null | undefined): string {
  let s = value === null || value === undefined ? '' : String(value);
  if (FORMULA_START.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/** A whole CSV file: UTF-8 byte order mark (so Excel reads accents right), CRLF line ends. */
export function toCsv(header: string[], rows: (string | number | null)[][]): string {
  const lines = [header, ...rows].map((r) => r.map(csvCell).join(','));
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
