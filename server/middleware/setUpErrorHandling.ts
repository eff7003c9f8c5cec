import type { NextFunction, Request, Response } from 'express';
import { formatDateTime } from '../../checks/londonDates.js';
import {
  ConflictError,
  MissingVersionError,
  NotFoundError,
  SavingPausedError,
} from '../../data/store/store.js';
import { conflictRows, resubmitFields } from '../forms/conflictRows.js';
import { CsrfError } from './setUpCsrf.js';
import { HttpError } from '../errors.js';

export function notFoundHandler() {
  return (req: Request, res: Response) => {
    if (req.originalUrl.startsWith('/api/')) return res.status(404).json({ error: 'Not found' });
    res.status(404).render('pages/errors/notFound', { title: 'Page not found' });
  };
}

/** One error handler: known errors get their page and status; anything else is a 500 without the stack in production. */
export function errorHandler(opts: {
  production: boolean;
  log?: (err: unknown) => void;
  /** A record's name by kind and id, for the conflict page's chosen records (a booking's hall). */
  nameOf?: (collection: string, id: string) => string;
}) {
  return (err: unknown, req: Request, res: Response, _next: NextFunction) => {
    if (res.headersSent) return;
    const api = req.originalUrl.startsWith('/api/');
    if (err instanceof SavingPausedError) {
      // Not a fault of the service's code: the disk. Clients may try again; it resumes by itself.
      res.set('Retry-After', '60');
      if (api) return res.status(503).json({ error: err.message });
      return res
        .status(503)
        .render('pages/errors/savingPaused', { title: 'Saving is paused', reason: err.reason });
    }
    if (err instanceof ConflictError) {
      const back = req.get('referer') ?? req.originalUrl;
      const current = err.current as Record<string, unknown>;
      const body = (req.body ?? {}) as Record<string, unknown>;
      // A plain form (not a file upload) can be sent again as it was, over the latest version.
      const resendable = req.method === 'POST' && Boolean(req.is('application/x-www-form-urlencoded'));
      return res.status(409).render('pages/errors/conflict', {
        title: 'This record changed since you opened it',
        rows: conflictRows(err.collection, current, body, opts.nameOf),
        resubmit: resendable
          ? { action: req.originalUrl, fields: resubmitFields(body, current.version, err.versionField) }
          : null,
        savedAt: typeof current.updatedAt === 'string' ? formatDateTime(current.updatedAt) : null,
        backHref: back,
      });
    }
    const status =
      err instanceof NotFoundError
        ? 404
        : err instanceof MissingVersionError
          ? 400
          : err instanceof HttpError || err instanceof CsrfError
            ? err.status
            : typeof (err as { status?: unknown })?.status === 'number' &&
                (err as { status: number }).status >= 400 &&
                (err as { status: number }).status < 500
              ? (err as { status: number }).status
              : 500;
    if (status >= 500) (opts.log ?? console.error)(err);
    if (api)
      return res.status(status).json({ error: status >= 500 ? 'Server error' : (err as Error).message });
    if (status === 404) return res.status(404).render('pages/errors/notFound', { title: 'Page not found' });
    if (status === 403) {
      return res.status(403).render('pages/errors/forbidden', {
        title: 'You do not have access to this page',
        message: (err as Error).message,
      });
    }
    if (status === 400 || status === 429) {
      return res.status(status).render('pages/errors/badRequest', {
        title: 'There is a problem',
        message: (err as Error).message,
      });
    }
    if (status < 500) {
      return res.status(status).render('pages/errors/serverError', {
        title: 'There is a problem',
        message: (err as Error).message,
        showStack: false,
        stack: '',
      });
    }
    res.status(500).render('pages/errors/serverError', {
      title: 'Sorry, there is a problem with the service',
      message: opts.production ? 'Try again later.' : (err as Error).message,
      showStack: !opts.production,
      stack: opts.production ? '' : ((err as Error).stack ?? ''),
    });
  };
}
