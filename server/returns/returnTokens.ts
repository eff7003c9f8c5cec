import { createHash, randomBytes } from 'node:crypto';

/** 32 random bytes (256 bits), base64url: 43 characters. */
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

export const hashReturnToken = (token: string) => createHash('sha256').update(token).digest('hex');

/** A new personal link token and the hash that is all the database keeps of it. */
export function newReturnToken(): { token: string; tokenHash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, tokenHash: hashReturnToken(token) };
}

/** The hash of a token as it arrives in a URL, or null for anything not shaped like one (never hashed). */
export function hashIfTokenShaped(raw: string): string | null {
  return TOKEN_SHAPE.test(raw) ? hashReturnToken(raw) : null;
}
