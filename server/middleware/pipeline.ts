import type { NextFunction, Request, RequestHandler, Response } from 'express';

/** A nested router as Express's own layers show it (for walks of the route tree; see byFirstSegment). */
interface NestedLayer {
  slash: true;
  handle: RequestHandler & { stack: unknown[] };
}

/**
 * The app's request handlers run one after another as one Express layer: each calls `next()` to go on, or
 * answers; an error (passed to `next`, thrown, or a rejected promise) skips the rest and goes to Express's
 * error handlers, as between Express's own layers. Express would match every one of them as a layer of its
 * router (a path check and bookkeeping per layer, per request); these take no path, so that work bought
 * nothing. Nested routers stay readable through `stack`, as in Express's router.
 */
export function pipeline(...handlers: RequestHandler[]): RequestHandler & { stack: NestedLayer[] } {
  const run = (req: Request, res: Response, done: NextFunction) => {
    let i = 0;
    const next = (err?: unknown): void => {
      if (err === 'router') {
        done();
        return;
      }
      if (err && err !== 'route') {
        done(err);
        return;
      }
      const handler = handlers[i++];
      if (!handler) {
        done();
        return;
      }
      try {
        const result: unknown = handler(req, res, next);
        if (result instanceof Promise) result.catch((e: unknown) => done(e ?? new Error('Rejected promise')));
      } catch (e) {
        done(e);
      }
    };
    next();
  };
  const stack = handlers
    .filter((h): h is NestedLayer['handle'] => Array.isArray((h as { stack?: unknown }).stack))
    .map((handle): NestedLayer => ({ slash: true, handle }));
  return Object.assign(run, { stack });
}
