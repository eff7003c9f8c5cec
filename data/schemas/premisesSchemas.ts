import { z } from 'zod';
import { optionalText, recordBase } from './common.js';

export const riskRatings = ['low', 'medium', 'high'] as const;

export const premisesSchema = z.object({
  ...recordBase,
  ref: z.string().min(1),
  name: z.string().min(1),
  uprn: optionalText,
  address: optionalText,
  postcode: optionalText,
  ward: optionalText,
  operator: optionalText,
  buildingType: optionalText,
  hireableSpace: z.boolean().nullable().default(null),
  publicIt: z.boolean().nullable().default(null),
  risk: z.enum(riskRatings).nullable().default(null),
  riskRationale: optionalText,
  siteManagerEmail: z.string().email().nullable().default(null),
  archived: z.boolean().default(false),
});
export type Premises = z.infer<typeof premisesSchema>;

export const premisesCollections = { premises: premisesSchema };
