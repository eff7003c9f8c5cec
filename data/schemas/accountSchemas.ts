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
  // Two-factor (SPEC §15). Optional, so accounts made before it (and code that makes accounts) need no change.
  /** The confirmed TOTP secret (base32) of the user's authenticator app; absent or null without two-factor. */
  totpSecret: z.string().nullable().optional(),
  /** The last TOTP time step whose code was accepted: that code, and any earlier one, is refused after. */
  totpLastStep: z.number().int().min(0).optional(),
  totpEnabledAt: isoDateTime.nullable().optional(),
  /**
   * SHA-256 of each unused recovery code, space-separated. One string (not a list) so the audit log
   * shows it as a fingerprint like the other secret fields.
   */
  recoveryCodeHashes: z.string().optional(),
  /**
   * SHA-256 of the single-use link that lets an invited user set their password; null once used.
   * Optional so that accounts made before invitations (and code that builds whole user records) need not name it.
   */
  invitationTokenHash: z.string().nullable().optional(),
  invitationExpiresAt: isoDateTime.nullable().optional(),
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
