import { randomBytes } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';

/** Random bytes drawn 4 kB at a time: one call to the system's generator serves 256 requests. */
let pool = Buffer.alloc(0);
let used = 0;

/** A fresh 128-bit nonce, base64: never reused, unpredictable (from the CSPRNG). */
export function newNonce(): string {
  if (used + 16 > pool.length) {
    pool = randomBytes(4096);
    used = 0;
  }
  const nonce = pool.toString('base64', used, used + 16);
  used += 16;
  return nonce;
}

/**
 * Security headers on every response: a Content-Security-Policy whose scripts need this request's nonce
 * (no inline script runs otherwise, no 'unsafe-inline'), no framing, no MIME sniffing, and HSTS over https.
 */
export function setUpWebSecurity(opts: { https: boolean }) {
  // Only the nonce changes from one response to the next: the rest of the policy is joined once.
  const [before, after] = [
    "default-src 'self'",
    "script-src 'self' 'nonce-\0'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ]
    .join('; ')
    .split('\0') as [string, string];
  return (_req: Request, res: Response, next: NextFunction) => {
    const nonce = newNonce();
    res.locals.cspNonce = nonce;
    res.setHeader('Content-Security-Policy', before + nonce + after);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('X-Frame-Options', 'DENY');
    res.setHeader('Referrer-Policy', 'same-origin');
    res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
    res.setHeader('Permissions-Policy', 'camera=(), microphone=(), geolocation=()');
    if (opts.https) res.setHeader('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
    next();
  };
}
