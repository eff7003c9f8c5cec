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

interface PdfObject {
  dict: string;
  /** The stream's content, inflated when Flate-compressed (as pdfkit writes by default); '' if none. */
  stream: string;
}

/** The numbered objects of a PDF (`N 0 obj … endobj`), each with its dictionary and stream. */
function pdfObjects(pdf: Buffer): Map<number, PdfObject> {
  const text = pdf.toString('latin1');
  const objects = new Map<number, PdfObject>();
  const re = /(\d+) 0 obj\b/g;
  let m: RegExpExecArray | null = re.exec(text);
  while (m !== null) {
    const start = m.index + m[0].length;
    const end = text.indexOf('endobj', start);
    const body = text.slice(start, end);
    const s = /(?<!end)stream\r?\n/.exec(body);
    let stream = '';
    let dict = body;
    if (s) {
      dict = body.slice(0, s.index);
      const from = start + s.index + s[0].length;
      const raw = pdf.subarray(from, text.indexOf('endstream', from));
      stream = (dict.includes('/FlateDecode') ? inflateSync(raw) : raw).toString('latin1');
    }
    objects.set(Number(m[1]), { dict, stream });
    re.lastIndex = end + 'endobj'.length;
    m = re.exec(text);
  }
  return objects;
}

/** Every stream of a PDF, inflated when it is Flate-compressed. */
export function pdfStreams(pdf: Buffer): string[] {
  return [...pdfObjects(pdf).values()].filter((o) => o.stream !== '').map((o) => o.stream);
}

const utf16 = (hex: string) => {
  const units: number[] = [];
  for (let i = 0; i + 3 < hex.length; i += 4) units.push(Number.parseInt(hex.slice(i, i + 4), 16));
  return String.fromCharCode(...units);
};

/** A ToUnicode CMap (bfchar and bfrange, with or without an array): character code (hex) → text. */
function parseCMap(cmap: string): Map<number, string> {
  const map = new Map<number, string>();
  for (const block of cmap.match(/beginbfchar[\s\S]*?endbfchar/g) ?? []) {
    for (const [, code = '', text = ''] of block.matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F\s]+)>/g)) {
      map.set(Number.parseInt(code, 16), utf16(text.replace(/\s/g, '')));
    }
  }
  for (const block of cmap.match(/beginbfrange[\s\S]*?endbfrange/g) ?? []) {
    const re = /<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*(\[[^\]]*\]|<[0-9a-fA-F\s]+>)/g;
    for (const [, lo = '', hi = '', target = ''] of block.matchAll(re)) {
      const from = Number.parseInt(lo, 16);
      const to = Number.parseInt(hi, 16);
      if (target.startsWith('[')) {
        const items = [...target.matchAll(/<([0-9a-fA-F\s]+)>/g)].map((x) =>
          utf16((x[1] ?? '').replace(/\s/g, '')),
        );
        items.forEach((t, i) => {
          if (from + i <= to) map.set(from + i, t);
        });
      } else {
        const base = Number.parseInt(target.slice(1, -1).replace(/\s/g, ''), 16);
        for (let c = from; c <= to; c++) map.set(c, String.fromCharCode(base + c - from));
      }
    }
  }
  return map;
}

/** Font resource name (F1, F2 …) → its ToUnicode map, for fonts that have one (embedded fonts). */
function fontMaps(objects: Map<number, PdfObject>): Map<string, Map<number, string>> {
  const byObject = new Map<number, Map<number, string>>();
  for (const [n, o] of objects) {
    const ref = /\/ToUnicode (\d+) 0 R/.exec(o.dict);
    const cmap = ref && objects.get(Number(ref[1]));
    if (cmap) byObject.set(n, parseCMap(cmap.stream));
  }
  const byName = new Map<string, Map<number, string>>();
  for (const o of objects.values()) {
    const fonts = /\/Font\s*<<([^>]*)>>/.exec(o.dict);
    for (const [, name = '', n] of fonts?.[1]?.matchAll(/\/(\S+?)\s+(\d+) 0 R/g) ?? []) {
      const map = byObject.get(Number(n));
      if (map) byName.set(name, map);
    }
  }
  return byName;
}

/**
 * Hex strings <…> and literal strings (…) shown by Tj / TJ, one line per text object (BT … ET). Hex strings
 * in an embedded font are two-byte codes read through the font's ToUnicode map; others are WinAnsi bytes.
 */
function textOfContent(content: string, fonts: Map<string, Map<number, string>>): string[] {
  const lines: string[] = [];
  let font: Map<number, string> | undefined;
  for (const block of content.match(/BT[\s\S]*?ET/g) ?? []) {
    let line = '';
    const re = /\/(\S+)\s+[\d.]+\s+Tf|<([0-9a-fA-F\s]*)>|\(((?:\\.|[^\\)])*)\)/g;
    let m: RegExpExecArray | null = re.exec(block);
    while (m !== null) {
      if (m[1] !== undefined) {
        font = fonts.get(m[1]);
      } else if (m[2] !== undefined) {
        const hex = m[2].replace(/\s/g, '');
        if (font) {
          for (let i = 0; i + 3 < hex.length; i += 4)
            line += font.get(Number.parseInt(hex.slice(i, i + 4), 16)) ?? '\ufffd';
        } else {
          const bytes: number[] = [];
          for (let i = 0; i + 1 < hex.length; i += 2) bytes.push(Number.parseInt(hex.slice(i, i + 2), 16));
          line += decodeBytes(bytes);
        }
      } else {
        line += (m[3] ?? '').replace(/\\([()\\])/g, '$1');
      }
      m = re.exec(block);
    }
    lines.push(line);
  }
  return lines;
}

/** The text a reader would extract: each page's text objects in order, one per line, pages joined. */
export function pdfText(pdf: Buffer): string {
  const objects = pdfObjects(pdf);
  const fonts = fontMaps(objects);
  return [...objects.values()]
    .map((o) => o.stream)
    .filter((s) => /\bBT\b/.test(s) && /\bET\b/.test(s))
    .flatMap((s) => textOfContent(s, fonts))
    .join('\n');
}

/** Names of the fonts a PDF uses, and whether each is embedded (has a font file). */
export function pdfFonts(pdf: Buffer): { name: string; embedded: boolean }[] {
  const objects = pdfObjects(pdf);
  const out: { name: string; embedded: boolean }[] = [];
  for (const o of objects.values()) {
    const base = /\/Type\s*\/Font\b[\s\S]*?\/BaseFont\s*\/(\S+)/.exec(o.dict);
    if (!base || /\/Subtype\s*\/CIDFontType2/.test(o.dict)) continue;
    const descendant = /\/DescendantFonts\s*\[\s*(\d+) 0 R/.exec(o.dict);
    const cid = descendant ? objects.get(Number(descendant[1])) : undefined;
    const descriptorRef = /\/FontDescriptor (\d+) 0 R/.exec(cid?.dict ?? o.dict);
    const descriptor = descriptorRef ? objects.get(Number(descriptorRef[1])) : undefined;
    out.push({ name: base[1] ?? '', embedded: /\/FontFile[23]? \d+ 0 R/.test(descriptor?.dict ?? '') });
  }
  return out;
}

/** Number of page objects (/Type /Page, not /Pages). */
export function pdfPageCount(pdf: Buffer): number {
  return (pdf.toString('latin1').match(/\/Type\s*\/Page(?![a-zA-Z])/g) ?? []).length;
}
