import { createHash, createHmac } from 'node:crypto';

/** A status link's token: 43 base64url characters (256 bits). */
export const HIRE_TOKEN = /^[A-Za-z0-9_-]{43}$/;

export const sha256Hex = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * Status links of online hall-hire requests. The token is an HMAC of the request's id under a key
 * derived from the server's secret, so the emails sent later can carry the link again, while the
 * database holds only the token's SHA-256 (a copy of the database alone opens no status page).
 */
export function createHireLinks(secret: string, baseUrl: string) {
  const key = createHmac('sha256', secret).update('due-regard hire status links').digest();
  const token = (requestId: string) => createHmac('sha256', key).update(requestId).digest('base64url');
  return {
    token,
    /** The key of the public forms' CSRF tokens (server/public/hireCsrf.ts), apart from the links' key. */
    csrfSecret: createHmac('sha256', secret).update('due-regard public form csrf').digest('hex'),
    hashOf: (t: string) => sha256Hex(t),
    statusUrl: (requestId: string) => `${baseUrl}/hire/${token(requestId)}`,
  };
}

export type HireLinks = ReturnType<typeof createHireLinks>;
