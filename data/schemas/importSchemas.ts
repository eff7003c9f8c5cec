import { z } from 'zod';
import { recordBase } from './common.js';

/** What can be imported (SPEC §7, §12): the CLI's `import KIND` and the browser's `kind`. */
export const importKinds = ['schools', 'libraries', 'premises', 'bookings', 'watchlist', 'training'] as const;
export const importKindSchema = z.enum(importKinds);
export type ImportKind = z.infer<typeof importKindSchema>;

/**
 * One applied import, kept as its history: who, when (createdAt), which file (name, size, SHA-256), with
 * which options, and what it did. Saved in the same transaction as the import's changes, so the audit log
 * holds both together.
 */
export const importRecordSchema = z.object({
  ...recordBase,
  kind: importKindSchema,
  via: z.enum(['browser', 'command line']),
  filename: z.string().min(1).max(255),
  size: z.number().int().min(0),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  importedBy: z.string().min(1),
  la: z.array(z.string()).default([]),
  source: z.string().nullable().default(null),
  created: z.number().int().min(0),
  updated: z.number().int().min(0),
  unchanged: z.number().int().min(0),
  skipped: z.number().int().min(0),
});
export type ImportRecord = z.infer<typeof importRecordSchema>;

export const importCollections = { imports: importRecordSchema };
