import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Request, Response } from 'express';
import { readCookie } from '../middleware/cookies.js';

/** A form stays good this long after the page was served (then the visitor reloads it). */
const MAX_AGE_MS = 2 * 60 * 60_000;

/**
 * CSRF for public forms, holding nothing on the server (SPEC §10: anonymous visits grow no server
 * memory): a signed double-submit token. The browser gets a random value in an HttpOnly, SameSite=Strict
 * cookie; the form carries `issuedAt.HMAC(cookie, issuedAt)`. A post is accepted only with the cookie,
 * a token made for that cookie under the server's key, and not older than two hours. Another site can
 * neither read the cookie nor make a token for it. Independent of the staff session and its CSRF.
 */
export function createPublicCsrf(opts: { secret: string; secure: boolean; now: () => number }) {
  const key = createHmac('sha256', opts.secret).update('due-regard public form csrf').digest();
  const cookieName = opts.secure ? '__Host-dueregard-public' : 'dueregard-public';
  const mac = (cookie: string, issuedAt: string) =>
    createHmac('sha256', key).update(`${cookie}.${issuedAt}`).digest('base64url');

  /** The visitor's cookie value (made and set if missing or malformed). */
  function cookieOf(req: Request, res: Response): string {
    const existing = readCookie(req.headers.cookie, cookieName);
    if (existing && /^[A-Za-z0-9_-]{22}$/.test(existing)) return existing;
    const value = randomBytes(16).toString('base64url');
    res.cookie(cookieName, value, {
      httpOnly: true,
      sameSite: 'strict',
      secure: opts.secure,
      path: '/',
      maxAge: MAX_AGE_MS,
    });
    return value;
  }

  return {
    /** A token for the page being served (sets the cookie when the visitor has none). */
    token(req: Request, res: Response): string {
      const cookie = cookieOf(req, res);
      const issuedAt = String(opts.now());
      return `${issuedAt}.${mac(cookie, issuedAt)}`;
    },

    /** Whether a post carries a good token for its cookie. */
    valid(req: Request): boolean {
      const cookie = readCookie(req.headers.cookie, cookieName);
      const given = typeof req.body?._csrf === 'string' ? (req.body._csrf as string) : '';
      if (!cookie || given.length > 100) return false;
      const dot = given.indexOf('.');
      const issuedAt = given.slice(0, dot);
      if (dot < 1 || !/^\d{1,15}$/.test(issuedAt)) return false;
      const age = opts.now() - Number(issuedAt);
      if (age < 0 || age > MAX_AGE_MS) return false;
      const expected = Buffer.from(mac(cookie, issuedAt));
      const actual = Buffer.from(given.slice(dot + 1));
      return expected.length === actual.length && timingSafeEqual(expected, actual);
    },
  };
}

export type PublicCsrf = ReturnType<typeof createPublicCsrf>;
