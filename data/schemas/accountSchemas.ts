import { z } from 'zod';
import { email, isoDateTime, recordBase } from './common.js';

export const roles = ['coordinator', 'facilities', 'library-manager', 'education', 'viewer'] as const;
export const roleSchema = z.enum(roles);
export type Role = z.infer<typeof roleSchema>;

export const userSchema = z.object({
  ...recordBase,
  email: email,
  name: z.string().min(1),
  role: roleSchema,
  passwordHash: z.string().min(1),
  active: z.boolean(),
  /** Libraries this user manages (library-manager role). */
  libraryIds: z.array(z.string()).default([]),
  mustChangePassword: z.boolean().default(false),
  /** When the one-time password given at creation or reset stops working (72 hours on). */
  oneTimePasswordExpiresAt: isoDateTime.nullable().optional(),
  /** Bumped to end every session of the user ("sign out everywhere", deactivation, reset). */
  sessionEpoch: z.number().int().default(0),
  calendarTokenHash: z.string().nullable().default(null),
  failedSignIns: z.array(isoDateTime).default([]),
  lockedUntil: isoDateTime.nullable().default(null),
});
export type User = z.infer<typeof userSchema>;

export const apiTokenSchema = z.object({
  ...recordBase,
  name: z.string().min(1),
  tokenHash: z.string().min(1),
  createdBy: z.string(),
  revokedAt: isoDateTime.nullable().default(null),
  lastUsedAt: isoDateTime.nullable().default(null),
});
export type ApiToken = z.infer<typeof apiTokenSchema>;

export const accountCollections = { users: userSchema, apiTokens: apiTokenSchema };
