import { itemAt } from '../data/itemAt.js';
import type { EvidenceMediaType } from '../data/schemas/evidenceSchemas.js';

/**
 * Which files are accepted as review evidence, decided by their content: the first bytes ("magic
 * bytes") for PDF, PNG and JPEG, and for plain text and CSV the whole content being UTF-8 text without
 * control characters. The browser's content type is never consulted, and the file name's extension
 * must agree with what the content is.
 */
export type EvidenceKind = 'pdf' | 'png' | 'jpeg' | 'text';

interface KindInfo {
  label: string;
  magic: number[] | null;
  /** Extension (lower case, with the dot) → media type it is served as. */
  extensions: Record<string, EvidenceMediaType>;
}

export const evidenceKinds: Record<EvidenceKind, KindInfo> = {
  pdf: { label: 'PDF', magic: [0x25, 0x50, 0x44, 0x46, 0x2d], extensions: { '.pdf': 'application/pdf' } },
  png: {
    label: 'PNG',
    magic: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a],
    extensions: { '.png': 'image/png' },
  },
  jpeg: {
    label: 'JPEG',
    magic: [0xff, 0xd8, 0xff],
    extensions: { '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg' },
  },
  text: { label: 'text', magic: null, extensions: { '.txt': 'text/plain', '.csv': 'text/csv' } },
};

/** "PDF, PNG, JPEG, TXT or CSV", for messages and the upload hint. */
export const ACCEPTED_TYPES_TEXT = 'PDF, PNG, JPEG, TXT or CSV';
/** For the file input's `accept` (a hint to the browser's file picker only). */
export const ACCEPTED_EXTENSIONS = Object.values(evidenceKinds)
  .flatMap((k) => Object.keys(k.extensions))
  .join(',');

/** Longest magic number: what must be seen before a binary kind can be told. */
const HEAD_BYTES = 8;

/** Control characters a text file may hold: tab, line feed, form feed, carriage return. */
const TEXT_CONTROLS = new Set([0x09, 0x0a, 0x0c, 0x0d]);

/**
 * Looks at a file's bytes as they stream in (nothing is kept but the first few bytes) and says at the
 * end what kind of file it is, or null when it is none of the accepted kinds.
 */
export class EvidenceContentCheck {
  private head: number[] = [];
  private size = 0;
  private text = true;
  private readonly decoder = new TextDecoder('utf-8', { fatal: true });

  push(chunk: Uint8Array): void {
    this.size += chunk.length;
    for (let i = 0; i < chunk.length && this.head.length < HEAD_BYTES; i++) this.head.push(itemAt(chunk, i));
    if (!this.text) return;
    try {
      const decoded = this.decoder.decode(chunk, { stream: true });
      for (let i = 0; i < decoded.length; i++) {
        const c = decoded.charCodeAt(i);
        if ((c < 0x20 && !TEXT_CONTROLS.has(c)) || (c >= 0x7f && c < 0xa0)) {
          this.text = false;
          break;
        }
      }
    } catch {
      this.text = false;
    }
  }

  /** The kind of the whole file pushed so far; null when it is empty or not an accepted kind. */
  finish(): EvidenceKind | null {
    if (this.size === 0) return null;
    for (const [kind, info] of Object.entries(evidenceKinds) as [EvidenceKind, KindInfo][]) {
      if (info.magic?.every((b, i) => this.head[i] === b)) return kind;
    }
    if (!this.text) return null;
    try {
      this.decoder.decode();
    } catch {
      return null;
    }
    return 'text';
  }
}

/** The kind of a whole file held in memory (demo files, tests). */
export function evidenceKindOf(bytes: Uint8Array): EvidenceKind | null {
  const check = new EvidenceContentCheck();
  check.push(bytes);
  return check.finish();
}

/** Control and invisible format characters (bidirectional overrides, zero-width), and reserved ones. */
const UNSAFE_CHARACTERS = /[\p{Cc}\p{Cf}<>:"/\\|?*]/gu;
const MAX_NAME = 120;

/**
 * The uploaded file's name made safe to store, show and offer as a download name: no folders, no
 * control, bidirectional-override or reserved characters, no leading dots, at most 120 characters
 * (the extension kept). An empty result becomes "evidence".
 */
export function safeEvidenceFilename(raw: string): string {
  const base = raw.split(/[\\/]/).pop() ?? '';
  let name = base.normalize('NFC').replace(UNSAFE_CHARACTERS, '').replace(/\s+/g, ' ').trim();
  name = name.replace(/^[.\s]+/, '').replace(/[.\s]+$/, '');
  if (name.length > MAX_NAME) {
    const ext = extensionOf(name);
    name = `${name.slice(0, MAX_NAME - ext.length).trimEnd()}${ext}`;
  }
  return name || 'evidence';
}

/** ".pdf" from "Site visit.PDF"; "" without an extension. */
export function extensionOf(filename: string): string {
  const m = /(\.[A-Za-z0-9]{1,8})$/.exec(filename);
  return m?.[1]?.toLowerCase() ?? '';
}

export type EvidenceTypeResult = { mediaType: EvidenceMediaType } | { problem: string };

/**
 * Whether the content (`kind`, from EvidenceContentCheck) and the name agree on an accepted type: the
 * media type to store and serve it as, or what is wrong, in words for the error summary.
 */
export function evidenceType(filename: string, kind: EvidenceKind | null): EvidenceTypeResult {
  const ext = extensionOf(filename);
  const named = (Object.entries(evidenceKinds) as [EvidenceKind, KindInfo][]).find(
    ([, info]) => ext in info.extensions,
  );
  // A name promising a PDF or an image, on content that is something else of no use as one.
  if (!kind || (kind === 'text' && named && named[0] !== 'text')) {
    return {
      problem: named
        ? `The selected file is not a real ${named[1].label} file, although its name ends in ${ext}. Upload a ${ACCEPTED_TYPES_TEXT} file`
        : `The selected file must be a ${ACCEPTED_TYPES_TEXT}`,
    };
  }
  const info = evidenceKinds[kind];
  const mediaType = info.extensions[ext];
  if (mediaType) return { mediaType };
  // Text under another name (a web page, a script) is not something to rename: it is not accepted.
  if (kind === 'text') return { problem: `The selected file must be a ${ACCEPTED_TYPES_TEXT}` };
  const expected = Object.keys(info.extensions).join(' or ');
  return {
    problem: ext
      ? `The selected file is a ${info.label} file but its name ends in ${ext}. Rename it to end in ${expected}, then upload it again`
      : `The selected file’s name must end in ${expected} (it is a ${info.label} file)`,
  };
}
