import { timingSafeEqual } from 'node:crypto';
import { csrfSync } from 'csrf-sync';
import type { NextFunction, Request, Response } from 'express';

export class CsrfError extends Error {
  status = 403;
  constructor() {
    super('The form has expired or did not come from this service. Go back, reload the page and try again.');
  }
}

/**
 * Whether a token read by a route itself (a file upload's `_csrf` field) is the session's, compared in
 * constant time.
 */
export function tokenMatches(given: unknown, expected: string | null | undefined): boolean {
  return (
    typeof given === 'string' &&
    typeof expected === 'string' &&
    expected.length > 0 &&
    given.length === expected.length &&
    timingSafeEqual(Buffer.from(given), Buffer.from(expected))
  );
}

/**
 * Synchroniser token (csrf-sync): one random token per session, kept in the session; every form carries it
 * in `_csrf` (or the `x-csrf-token` header) and a state-changing request without it is refused with 403.
 * The token sent is compared in constant time (`tokenMatches`), as an upload's is.
 * Bearer-token API calls are read-only and never reach here with a state-changing method.
 *
 * A file upload's body is not parsed here: its route reads the `_csrf` field, which the form sends before
 * the file, and checks it with `tokenMatches` before it reads any of the file (server/forms/uploadForm.ts).
 * Only multipart requests to the paths in `checkedByRoute` are passed on for that; any other request
 * without a token in a parsed body or the header is refused here.
 */
export function setUpCsrf(opts: { checkedByRoute?: RegExp[] } = {}) {
  const checkedByRoute = opts.checkedByRoute ?? [];
  const { generateToken, csrfSynchronisedProtection } = csrfSync({
    // Compared with the session's token here, in constant time; csrf-sync then compares what this returns
    // with `===`, which on a match is the session's own token (and on no match, nothing: refused).
    getTokenFromRequest: (req) => {
      const field: unknown = req.body?._csrf;
      const given = typeof field === 'string' ? field : req.get('x-csrf-token');
      const stored = req.session?.csrfToken;
      return tokenMatches(given, stored) ? stored : undefined;
    },
    size: 32,
    // The path first: most requests are to no upload path and need not have their content type read.
    skipCsrfProtection: (req) =>
      checkedByRoute.some((p) => p.test(req.path)) && Boolean(req.is('multipart/form-data')),
  });
  return (req: Request, res: Response, next: NextFunction) => {
    if (req.apiToken) return next();
    // Made when a session first needs one; a visitor's new session keeps it only if it is kept itself.
    res.locals.csrfToken = generateToken(req);
    // Reading a page changes nothing: csrf-sync would let these methods through unchecked too.
    if (req.method === 'GET' || req.method === 'HEAD' || req.method === 'OPTIONS') return next();
    csrfSynchronisedProtection(req, res, (err?: unknown) => next(err ? new CsrfError() : undefined));
  };
}
