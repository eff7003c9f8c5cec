import { timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';

export class CsrfError extends Error {
  status = 403;
  constructor() {
    super('The form has expired or did not come from this service. Go back, reload the page and try again.');
  }
}

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Whether a form's token is the session's (compared in constant time). */
export function tokenMatches(given: unknown, expected: string | undefined): boolean {
  return (
    typeof given === 'string' &&
    typeof expected === 'string' &&
    expected.length > 0 &&
    given.length === expected.length &&
    timingSafeEqual(Buffer.from(given), Buffer.from(expected))
  );
}

/**
 * Synchroniser token: every form carries the session's token in `_csrf` (or the `x-csrf-token` header);
 * a state-changing request without it is refused with 403. Bearer-token API calls are read-only and
 * never reach here with a state-changing method.
 *
 * A file upload's body is not parsed here: its route reads the `_csrf` field, which the form sends before
 * the file, and checks it before it reads any of the file (server/forms/uploadForm.ts). Only multipart
 * requests to the paths in `checkedByRoute` are passed on for that; any other request without a token in
 * a parsed body or the header is refused here.
 */
export function setUpCsrf(opts: { checkedByRoute?: RegExp[] } = {}) {
  const checkedByRoute = opts.checkedByRoute ?? [];
  return (req: Request, res: Response, next: NextFunction) => {
    res.locals.csrfToken = req.session.csrfToken;
    if (SAFE.has(req.method)) return next();
    if (req.is('multipart/form-data') && checkedByRoute.some((p) => p.test(req.path))) return next();
    const given = (req.body?._csrf as string | undefined) ?? req.get('x-csrf-token') ?? '';
    if (!tokenMatches(given, req.session.csrfToken)) return next(new CsrfError());
    next();
  };
}
