import { isUtf8 } from 'node:buffer';
import iconv from 'iconv-lite';

/**
 * The whole file cannot be read (empty, not text, no header, a layout we do not know).
 * Readers throw it; problems with particular rows are returned as RowErrors instead.
 */
export class ImportFileError extends Error {
  override name = 'ImportFileError';
}

const UTF8_BOM = [0xef, 0xbb, 0xbf];

// Windows-1252 is Latin-1 except for 0x80–0x9F (curly quotes, dashes, €). Decoding as Latin-1 in native
// code and fixing up those few characters is several times faster than iconv-lite on a national GIAS file.
const WINDOWS_1252_EXTRAS = new Map<string, string>();
for (let byte = 0x80; byte <= 0x9f; byte++) {
  WINDOWS_1252_EXTRAS.set(String.fromCharCode(byte), iconv.decode(Buffer.from([byte]), 'win1252'));
}

function decodeWindows1252(buf: Buffer): string {
  return fixWindows1252(buf.toString('latin1'));
}

/** Text read as Latin-1 with Windows-1252's characters put in place of 0x80–0x9F. */
export function fixWindows1252(latin1: string): string {
  return latin1.replace(/[\x80-\x9f]/g, (ch) => WINDOWS_1252_EXTRAS.get(ch) ?? ch);
}

/**
 * The bytes of an uploaded CSV, checked but not yet decoded: a large file can be handed to csv-parse as
 * bytes, which saves decoding it to text only for csv-parse to encode it again. `encoding` is how to read
 * values: UTF-8, or Latin-1 to be fixed up as Windows-1252 (`fixWindows1252`).
 */
export interface CsvBytes {
  bytes: Buffer;
  encoding: 'utf8' | 'latin1';
}

/** A UTF-16 byte order mark, or text whose every other byte is NUL (ASCII in UTF-16 without a mark). */
function isUtf16(buf: Buffer): boolean {
  if (buf.length >= 2 && ((buf[0] === 0xff && buf[1] === 0xfe) || (buf[0] === 0xfe && buf[1] === 0xff)))
    return true;
  const sample = buf.subarray(0, 64 - (Math.min(buf.length, 64) % 2));
  if (sample.length < 4) return false;
  let evenNul = 0;
  let oddNul = 0;
  for (let i = 0; i < sample.length; i += 2) {
    if (sample[i] === 0) evenNul++;
    if (sample[i + 1] === 0) oddNul++;
  }
  const pairs = sample.length / 2;
  return (oddNul === pairs && evenNul === 0) || (evenNul === pairs && oddNul === 0);
}

/** What a file with binary content most likely is, told by its first bytes, and what to do. */
function binaryProblem(body: Buffer): string {
  const saveAs = 'save it as "CSV UTF-8" or "CSV (Comma delimited)" and try again.';
  if (body[0] === 0x50 && body[1] === 0x4b && body[2] === 0x03 && body[3] === 0x04)
    return `The file is a zip file, such as an Excel workbook (.xlsx), not a CSV text file. In Excel, ${saveAs}`;
  if (body[0] === 0xd0 && body[1] === 0xcf && body[2] === 0x11 && body[3] === 0xe0)
    return `The file is an Excel 97-2003 workbook (.xls), not a CSV text file. In Excel, ${saveAs}`;
  return `The file is not a CSV text file (it contains binary data). If it came from a spreadsheet, ${saveAs}`;
}

/** The checks `decodeCsv` makes (empty, binary, blank), without decoding; a byte order mark is dropped. */
export function checkCsvBytes(buf: Buffer): CsvBytes {
  const hasBom =
    buf.length >= 3 && buf[0] === UTF8_BOM[0] && buf[1] === UTF8_BOM[1] && buf[2] === UTF8_BOM[2];
  const body = hasBom ? buf.subarray(3) : buf;
  if (body.length === 0) throw new ImportFileError('The file is empty.');
  // Text files in UTF-8 or Windows-1252 never contain NUL bytes; Excel workbooks, zip files and UTF-16 do.
  if (isUtf16(buf)) {
    throw new ImportFileError(
      'The file is UTF-16 text ("Unicode text"), which imports do not read. Save it as "CSV UTF-8" (in Excel: Save As, then "CSV UTF-8 (Comma delimited)") and try again.',
    );
  }
  if (body.indexOf(0) !== -1) throw new ImportFileError(binaryProblem(body));
  const bytes: CsvBytes = { bytes: body, encoding: isUtf8(body) ? 'utf8' : 'latin1' };
  // Blank as decodeCsv finds it: decoded only when it starts with a character past ASCII (a rare file).
  let i = 0;
  const byteAt = (at: number): number => body[at] ?? 0; // only read below body.length
  while (i < body.length && (byteAt(i) === 0x20 || (byteAt(i) >= 0x09 && byteAt(i) <= 0x0d))) i++;
  if (i === body.length || (byteAt(i) >= 0x80 && decodeCsvBytes(bytes).trim() === ''))
    throw new ImportFileError('The file has no header line: it contains only blank lines.');
  return bytes;
}

export function decodeCsvBytes({ bytes, encoding }: CsvBytes): string {
  return encoding === 'utf8' ? bytes.toString('utf8') : decodeWindows1252(bytes);
}

/**
 * Turns the bytes of an uploaded CSV into text. Valid UTF-8 (with or without a byte order mark) is read
 * as UTF-8; anything else is read as Windows-1252, which is what GIAS and the OFSI list are published in
 * and what Excel writes when it saves "CSV (Comma delimited)".
 */
export function decodeCsv(buf: Buffer): string {
  return decodeCsvBytes(checkCsvBytes(buf));
}
