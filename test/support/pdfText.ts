import { inflateSync } from 'node:zlib';

/** WinAnsi bytes 0x80–0x9F that differ from Latin-1 (the standard fonts' encoding). */
const WIN_ANSI: Record<number, string> = {
  128: '€',
  130: '‚',
  131: 'ƒ',
  132: '„',
  133: '…',
  134: '†',
  135: '‡',
  136: 'ˆ',
  137: '‰',
  138: 'Š',
  139: '‹',
  140: 'Œ',
  142: 'Ž',
  145: '‘',
  146: '’',
  147: '“',
  148: '”',
  149: '•',
  150: '–',
  151: '—',
  152: '˜',
  153: '™',
  154: 'š',
  155: '›',
  156: 'œ',
  158: 'ž',
  159: 'Ÿ',
};

function decodeBytes(bytes: number[]): string {
  return bytes.map((b) => WIN_ANSI[b] ?? String.fromCharCode(b)).join('');
}

/** Every stream of a PDF, inflated when it is Flate-compressed (as pdfkit writes by default). */
export function pdfStreams(pdf: Buffer): string[] {
  const text = pdf.toString('latin1');
  const out: string[] = [];
  const re = /(?<!end)stream\r?\n/g;
  let m: RegExpExecArray | null = re.exec(text);
  while (m !== null) {
    const start = m.index + m[0].length;
    const end = text.indexOf('endstream', start);
    const dict = text.slice(text.lastIndexOf('<<', m.index), m.index);
    const raw = pdf.subarray(start, end);
    out.push((dict.includes('/FlateDecode') ? inflateSync(raw) : raw).toString('latin1'));
    re.lastIndex = end + 'endstream'.length;
    m = re.exec(text);
  }
  return out;
}

/** Hex strings <…> and literal strings (…) shown by Tj / TJ, one line per text object (BT … ET). */
function textOfContent(content: string): string[] {
  const lines: string[] = [];
  for (const block of content.match(/BT[\s\S]*?ET/g) ?? []) {
    let line = '';
    const re = /<([0-9a-fA-F\s]*)>|\(((?:\\.|[^\\)])*)\)/g;
    let m: RegExpExecArray | null = re.exec(block);
    while (m !== null) {
      if (m[1] !== undefined) {
        const hex = m[1].replace(/\s/g, '');
        const bytes: number[] = [];
        for (let i = 0; i + 1 < hex.length; i += 2) bytes.push(Number.parseInt(hex.slice(i, i + 2), 16));
        line += decodeBytes(bytes);
      } else {
        line += m[2].replace(/\\([()\\])/g, '$1');
      }
      m = re.exec(block);
    }
    lines.push(line);
  }
  return lines;
}

/** The text a reader would extract: each page's text objects in order, one per line, pages joined. */
export function pdfText(pdf: Buffer): string {
  return pdfStreams(pdf)
    .filter((s) => /\bBT\b/.test(s) && /\bET\b/.test(s))
    .flatMap(textOfContent)
    .join('\n');
}

/** Number of page objects (/Type /Page, not /Pages). */
export function pdfPageCount(pdf: Buffer): number {
  return (pdf.toString('latin1').match(/\/Type\s*\/Page(?![a-zA-Z])/g) ?? []).length;
}
