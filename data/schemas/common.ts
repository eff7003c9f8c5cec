import { z } from 'zod';

export const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date like 2026-03-14');
export const isoDateTime = z.string().min(10);
/** London local date-time without offset, as entered and imported: YYYY-MM-DDTHH:MM. */
export const localDateTime = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/, 'a date and time like 2026-03-14T18:30');
export const email = z.string().email();
export const optionalText = z.string().nullable().default(null);

/** Fields every stored record carries: its id, its version (for conflict detection) and timestamps. */
export const recordBase = {
  id: z.string().min(1),
  version: z.number().int().min(1),
  createdAt: isoDateTime,
  updatedAt: isoDateTime,
};

export const answerValue = z.enum(['yes', 'no', 'na']);
