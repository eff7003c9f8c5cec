import { createHash, randomInt } from 'node:crypto';
import { generateSecret, generateSync, generateURI, verifySync } from 'otplib';

/** RFC 6238 as SPEC §15 fixes it: SHA-1, 6 digits, 30-second steps (what every authenticator app does). */
export const TOTP_PERIOD_SECONDS = 30;
/** A code from the step before or after is still accepted: phones' clocks drift and people type slowly. */
const TOLERANCE_SECONDS = 30;
export const RECOVERY_CODE_COUNT = 10;
const ISSUER = 'Due Regard';

/** A new shared secret: 20 random bytes (RFC 4226's recommended 160 bits), base32. */
export function newTotpSecret(): string {
  return generateSecret({ length: 20 });
}

/** The `otpauth://` link an authenticator app reads from the QR code. */
export function totpUri(secret: string, accountEmail: string): string {
  return generateURI({ issuer: ISSUER, label: accountEmail, secret, period: TOTP_PERIOD_SECONDS, digits: 6 });
}

/** The secret in groups of four, easier to type into an app than one long run of letters. */
export function groupedSecret(secret: string): string {
  return secret.match(/.{1,4}/g)?.join(' ') ?? secret;
}

/** The QR code as inline SVG, drawn here (no image service ever sees the secret). */
export async function qrCodeSvg(uri: string): Promise<string> {
  // Loaded when first needed: every CLI run builds the services, and few need a QR code.
  const { default: QRCode } = await import('qrcode');
  const svg = await QRCode.toString(uri, { type: 'svg', margin: 2, errorCorrectionLevel: 'M' });
  return svg.replace(
    '<svg ',
    '<svg role="img" aria-label="QR code to scan with your authenticator app" width="200" height="200" ',
  );
}

/** Only the digits of what was typed: GOV.UK asks services to accept spaces and dashes in codes. */
export function normaliseCode(typed: string): string {
  return typed.replace(/[\s-]/g, '');
}

/**
 * Whether `code` is the authenticator's code at `nowMs` (or one step either side), for a step after
 * `lastStep`: a code once accepted, and any older one, is refused. Returns the step to remember.
 */
export function checkTotp(secret: string, code: string, nowMs: number, lastStep: number): number | null {
  const token = normaliseCode(code);
  if (!/^\d{6}$/.test(token)) return null;
  const result = verifySync({
    secret,
    token,
    epoch: Math.floor(nowMs / 1000),
    epochTolerance: TOLERANCE_SECONDS,
    afterTimeStep: lastStep,
  });
  return result.valid && 'timeStep' in result ? result.timeStep : null;
}

/** The current code (for tests and the browser journey, which play the part of the phone). */
export function totpCodeAt(secret: string, nowMs: number): string {
  return generateSync({ secret, epoch: Math.floor(nowMs / 1000) });
}

// Letters and digits that cannot be mistaken for each other when read off paper (no 0/o, 1/l/i).
const RECOVERY_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';

/** Ten codes of 16 characters (about 78 bits each, so a plain SHA-256 of each is a safe way to keep them). */
export function newRecoveryCodes(): string[] {
  return Array.from({ length: RECOVERY_CODE_COUNT }, () => {
    let raw = '';
    for (let i = 0; i < 16; i++) raw += RECOVERY_ALPHABET[randomInt(RECOVERY_ALPHABET.length)];
    return raw.match(/.{4}/g)!.join('-');
  });
}

/** A recovery code as typed (any case, with or without dashes and spaces) → the hash kept for it. */
export function recoveryCodeHash(typed: string): string {
  return createHash('sha256').update(normaliseCode(typed).toLowerCase()).digest('hex');
}

/** Whether what was typed looks like a recovery code rather than a 6-digit code. */
export function looksLikeRecoveryCode(typed: string): boolean {
  return /^[a-z0-9]{16}$/i.test(normaliseCode(typed));
}
