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

const stackOf = (router: Router) => (router as unknown as { stack: LayerLike[] }).stack;

/** A request's first path segment, in lower case ("/Bookings/b-1" → "bookings", "/" → ""). */
function firstSegment(path: string): string {
  const end = path.indexOf('/', 1);
  return (end === -1 ? path.slice(1) : path.slice(1, end)).toLowerCase();
}

/**
 * Areas' routers, each entered only by requests under the paths its routes name: one look-up of the
 * request's first segment finds the areas that may answer it, in their order, and only those are tried.
 * Express would try every route of every area in turn (a request for the last area matched against the
 * patterns of all the others first); here the cost of a request does not grow with the number of areas.
 * Paths compare without regard to case, as Express's routes do. An area that may answer any path (a
 * middleware without a path, a route whose first segment is a parameter) is tried for every request, in
 * its place among the others.
 */
export function byFirstSegment(...routers: Router[]): RequestHandler & { stack: LayerLike[] } {
  const areas = routers.map((router) => ({ router, segments: firstSegmentsOf(stackOf(router)) }));
  const anyPath = areas.filter((a) => a.segments === null).map((a) => a.router);
  const bySegment = new Map<string, Router[]>();
  for (const { segments } of areas)
    for (const s of segments ?? [])
      if (!bySegment.has(s))
        bySegment.set(
          s,
          areas.filter((a) => a.segments === null || a.segments.has(s)).map((a) => a.router),
        );
  const dispatch = (req: Request, res: Response, next: NextFunction) => {
    const candidates = bySegment.get(firstSegment(req.path)) ?? anyPath;
    // Most paths have one area or none: no state to carry from one area to the next.
    if (candidates.length <= 1) {
      const only = candidates[0];
      if (only) only(req, res, next);
      else next();
      return;
    }
    let i = 0;
    const tryNext = (err?: unknown) => {
      if (err) return next(err);
      const router = candidates[i++];
      if (!router) return next();
      router(req, res, tryNext);
    };
    tryNext();
  };
  // The areas' routes stay readable through the dispatch, as nested routers' are (for walks of the
  // route tree, such as the authorization matrix's).
  return Object.assign(dispatch, { stack: areas.map((a) => ({ slash: true, handle: a.router })) });
}
