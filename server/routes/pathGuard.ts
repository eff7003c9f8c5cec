import type { NextFunction, Request, RequestHandler, Response, Router } from 'express';

/** What the router package's layers carry that this reads (express 5 / router 2). */
interface LayerLike {
  rawPath?: unknown;
  slash?: boolean;
  route?: unknown;
  handle: { length: number; stack?: LayerLike[] };
}

/** The first segment of a literal path ("/bookings/:id" → "bookings"), or null when it may be anything. */
function literalFirstSegment(path: unknown): string | null {
  if (typeof path !== 'string' || !path.startsWith('/')) return null;
  const first = path.slice(1).split('/')[0] ?? '';
  return /^[\w.-]*$/.test(first) ? first.toLowerCase() : null;
}

/**
 * The first path segments a router can answer, or null when it may answer any path: a middleware without
 * a path (a role guard on the whole router), a route whose first segment is a parameter or a pattern.
 * Error handlers are left out: they see the errors of the requests that entered the router.
 */
export function firstSegmentsOf(stack: readonly LayerLike[]): Set<string> | null {
  const segments = new Set<string>();
  for (const layer of stack) {
    if (!layer.route && layer.handle.length === 4) continue;
    if (!layer.route && layer.slash) {
      const inner = layer.handle.stack ? firstSegmentsOf(layer.handle.stack) : null;
      if (!inner) return null;
      for (const s of inner) segments.add(s);
      continue;
    }
    const paths = Array.isArray(layer.rawPath) ? layer.rawPath : [layer.rawPath];
    for (const p of paths) {
      const s = literalFirstSegment(p);
      if (s === null) return null;
      segments.add(s);
    }
  }
  return segments;
}

/**
 * An area's router, entered only by requests under the paths its routes name. Express tries every route
 * of every router in turn, so a request for the last area would otherwise be matched against the
 * patterns of all the others first; this asks one question per area instead. Paths compare without
 * regard to case, as Express's routes do. A router that may answer any path is returned as it is.
 */
export function onlyItsPaths(router: Router): RequestHandler {
  const segments = firstSegmentsOf((router as unknown as { stack: LayerLike[] }).stack);
  if (!segments) return router;
  const guard = (req: Request, res: Response, next: NextFunction) => {
    const path = req.path;
    const end = path.indexOf('/', 1);
    const first = (end === -1 ? path.slice(1) : path.slice(1, end)).toLowerCase();
    if (segments.has(first)) return router(req, res, next);
    next();
  };
  // The router's routes stay readable through the guard, as a nested router's are (for walks of the
  // route tree, such as the authorization matrix's).
  return Object.assign(guard, { stack: (router as unknown as { stack: LayerLike[] }).stack });
}
