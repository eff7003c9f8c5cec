import { timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';

export class CsrfError extends Error {
  status = 403;
}

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Synchroniser token: every form carries the session's token in `_csrf` (or the `x-csrf-token` header);
 * a state-changing request without it is refused with 403. Bearer-token API calls are read-only and
 * never reach here with a state-changing method.
 */
export function setUpCsrf() {
  return (req: Request, res: Response, next: NextFunction) => {
    res.locals.csrfToken = req.session.csrfToken;
    if (SAFE.has(req.method)) return next();
    const given = (req.body?._csrf as string | undefined) ?? req.get('x-csrf-token') ?? '';
    const expected = req.session.csrfToken;
    const ok =
      typeof given === 'string' &&
      given.length === expected.length &&
      timingSafeEqual(Buffer.from(given), Buffer.from(expected));
    if (!ok)
      return next(
        new CsrfError(
          'The form has expired or did not come from this service. Go back, reload the page and try again.',
        ),
      );
    next();
  };
}
