import { z } from 'zod';
import { recordBase } from './common.js';

/** What an evidence file may be; its content decides (checks/evidenceTypes.ts), never the browser. */
export const evidenceMediaTypes = [
  'application/pdf',
  'image/png',
  'image/jpeg',
  'text/plain',
  'text/csv',
] as const;
export type EvidenceMediaType = (typeof evidenceMediaTypes)[number];

/**
 * A file uploaded as evidence for a review. The bytes live in the evidence folder beside the database
 * (data/store/evidenceFiles.ts), named by this record's id, written durably before this record is saved.
 * The record (and the audit log) holds what the file is, never its content.
 */
export const evidenceSchema = z.object({
  ...recordBase,
  reviewId: z.string().min(1),
  /** The uploaded name, made safe to show and to offer as a download name. */
  filename: z.string().min(1).max(200),
  mediaType: z.enum(evidenceMediaTypes),
  size: z.number().int().min(1),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  description: z.string().min(1).max(200),
  uploadedBy: z.string().min(1),
});
export type Evidence = z.infer<typeof evidenceSchema>;

export const evidenceCollections = { evidence: evidenceSchema };
