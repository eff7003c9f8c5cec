import { createHash, randomUUID } from 'node:crypto';
import { deflateSync } from 'node:zlib';
import type { EvidenceMediaType } from '../schemas/evidenceSchemas.js';
import type { Review } from '../schemas/reviewSchemas.js';
import { evidenceFilesFor } from '../pg/pgEvidenceFiles.js';
import type { Store } from '../store/store.js';

/** A one-page PDF with a title and a few lines in Helvetica (ASCII only), byte offsets worked out. */
export function demoPdf(title: string, lines: string[]): Buffer {
  const esc = (s: string) => s.replace(/[\\()]/g, (c) => `\\${c}`);
  const text = [`BT /F1 16 Tf 72 770 Td (${esc(title)}) Tj /F1 11 Tf`]
    .concat(lines.map((l) => `0 -20 Td (${esc(l)}) Tj`))
    .concat('ET')
    .join('\n');
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>',
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
    `<< /Length ${text.length} >>\nstream\n${text}\nendstream`,
  ];
  let out = '%PDF-1.4\n';
  const offsets = objects.map((body, i) => {
    const at = out.length;
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
    return at;
  });
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  out += offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('');
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Buffer): number {
  let c = 0xffffffff;
  for (const b of bytes) c = (CRC_TABLE[(c ^ b) & 0xff] ?? 0) ^ (c >>> 8);

  return (c ^ 0xffffffff) >>> 0;
}

function pngChunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/** A small picture of a browser showing a "blocked" page: a blue bar, a red panel on grey. */
export function demoPng(width = 160, height = 90): Buffer {
  const row = width * 3 + 1;
  const raw = Buffer.alloc(row * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const blocked = y > 36 && y < 64 && x > 24 && x < width - 24;
      const rgb = y < 14 ? [29, 112, 184] : blocked ? [212, 53, 28] : [243, 242, 241];
      raw.set(rgb, y * row + 1 + x * 3);
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr),
    pngChunk('IDAT', deflateSync(raw)),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

interface DemoFile {
  review: (reviews: readonly Review[]) => Review | undefined;
  filename: string;
  mediaType: EvidenceMediaType;
  description: string;
  uploadedBy: string;
  bytes: () => Buffer;
}

const submitted = (type: Review['subjectType'], by?: string) => (reviews: readonly Review[]) =>
  reviews.find((r) => r.subjectType === type && r.status === 'submitted' && (!by || r.startedBy === by));

const demoFiles: DemoFile[] = [
  {
    review: submitted('premises'),
    filename: 'Site visit notes.pdf',
    mediaType: 'application/pdf',
    description: 'Notes from the site visit, with the hire terms seen on the noticeboard',
    uploadedBy: 'facilities@demo.test',
    bytes: () =>
      demoPdf('Site visit notes', [
        'Hire terms and conditions on display in the lobby.',
        'Booking form asks for the event purpose and speakers.',
        'Site manager briefed on the Prevent duty.',
      ]),
  },
  {
    review: submitted('library', 'libraries@demo.test'),
    filename: 'Blocked test page on a public PC.png',
    mediaType: 'image/png',
    description: 'Screenshot of the filter blocking the test page on a public computer',
    uploadedBy: 'libraries@demo.test',
    bytes: () => demoPng(),
  },
  {
    review: submitted('booking'),
    filename: 'Charity register extract.pdf',
    mediaType: 'application/pdf',
    description: 'Charity Commission register entry for the hiring organisation',
    uploadedBy: 'facilities@demo.test',
    bytes: () =>
      demoPdf('Register of charities: extract', [
        'Status: registered. Accounts filed on time.',
        'Charitable objects match the stated purpose of the event.',
      ]),
  },
];

/**
 * Evidence files on a few of the demo's submitted reviews (a premises audit, a library attestation, a
 * booking's due diligence), so the demo shows the evidence section. Each file is written durably before
 * its record is saved, as an upload would be.
 */
export async function loadDemoEvidence(store: Store): Promise<void> {
  if (!store.writable) return;
  const folder = evidenceFilesFor(store);
  const reviews = store.list('reviews');
  const files = demoFiles.flatMap((f) => {
    const review = f.review(reviews);
    return review ? [{ f, review, bytes: f.bytes(), id: randomUUID() }] : [];
  });
  for (const { id, bytes } of files) await folder.put(id, bytes);
  const records = files.map(({ f, review, bytes, id }) => {
    const { review: _, bytes: __, ...fields } = f;
    return {
      ...fields,
      id,
      reviewId: review.id,
      size: bytes.length,
      sha256: createHash('sha256').update(bytes).digest('hex'),
    };
  });
  if (records.length === 0) return;
  await store.transact('demo', (tx) => {
    for (const r of records) tx.insert('evidence', r);
  });
}
