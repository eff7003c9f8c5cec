import type { NextFunction, Request, Response } from 'express';
import type { ParamsDictionary } from 'express-serve-static-core';
import type { Role, User } from '../../data/schemas/accountSchemas.js';
import type { Store } from '../../data/store/store.js';
import { forbidden } from '../errors.js';
import { navFor } from '../navigation.js';

const PASSWORD_CHANGE_PATHS = new Set(['/account/password', '/logout']);

/** Puts the signed-in user (if still active and not signed out everywhere) on the request and the page. */
export function setUpAuthentication(store: Store) {
  return (req: Request, res: Response, next: NextFunction) => {
    const s = req.session;
    if (s.userId) {
      const user = store.get('users', s.userId);
      if (user?.active && user.sessionEpoch === s.epoch) req.user = user;
      else s.userId = null;
    }
    const u = req.user;
    // Pages for a signed-in user hold what only they may see: no copies in shared or browser caches.
    if (u) res.setHeader('Cache-Control', 'no-store');
    // A one-time password (new account, reset) must be replaced before anything else, unless the user
    // signed in with their council account and never needs it.
    const usedPassword = s.signInMethod !== 'single sign-on';
    if (u?.mustChangePassword && usedPassword && !req.apiToken && !PASSWORD_CHANGE_PATHS.has(req.path)) {
      return res.redirect(303, '/account/password');
    }
    res.locals.user = u ? { id: u.id, name: u.name, email: u.email, role: u.role } : null;
    const navigation = navFor(u?.role, req.path);
    res.locals.nav = navigation.items;
    res.locals.navSection = navigation.section;
    res.locals.currentPath = req.path;
    // Shown once. (Deleted rather than set to null: a visitor's new session stays as new, and unsaved.)
    res.locals.flash = s.flash ?? null;
    if (s.flash !== undefined) delete s.flash;
    next();
  };
}

function isApi(req: Request): boolean {
  return req.originalUrl.startsWith('/api/');
}

/** A request from a signed-in, active user: what a handler behind a role guard receives. */
export type SignedInRequest<P = ParamsDictionary> = Request<P> & { user: User };

/**
 * A role guard: use it as middleware (`router.get(path, staff, handler)`) or wrap a handler with it
 * (`router.get(path, staff((req, res) => …))`), which checks the same and gives the handler a typed
 * signed-in request, so it never needs a non-null assertion on the user.
 */
export interface RoleGuard {
  (req: Request, res: Response, next: NextFunction): void;
  <P = ParamsDictionary>(
    handler: (req: SignedInRequest<P>, res: Response, next: NextFunction) => unknown,
  ): (req: Request<P>, res: Response, next: NextFunction) => unknown;
}

/** Signed in with one of these roles; anonymous → sign-in page (or 401 for the API), wrong role → 403. */
export function requireRole(...roles: Role[]): RoleGuard {
  const check = (req: Request, res: Response, next: NextFunction): boolean => {
    if (!req.user) {
      if (isApi(req)) res.status(401).json({ error: 'Sign in or send an API token' });
      else res.redirect(303, `/login?next=${encodeURIComponent(req.originalUrl)}`);
      return false;
    }
    if (roles.length > 0 && !roles.includes(req.user.role)) {
      next(forbidden());
      return false;
    }
    return true;
  };
  function guard(...args: unknown[]): unknown {
    if (args.length === 1) {
      const handler = args[0] as (
        req: SignedInRequest<unknown>,
        res: Response,
        next: NextFunction,
      ) => unknown;
      // The handler's own result goes back to the router as it is: a promise (an async handler), whose
      // rejection the router passes on as an error, or nothing (a handler that answered at once).
      return (req: Request, res: Response, next: NextFunction) =>
        check(req, res, next) ? handler(req as SignedInRequest<unknown>, res, next) : undefined;
    }
    const [req, res, next] = args as [Request, Response, NextFunction];
    if (check(req, res, next)) next();
    return undefined;
  }
  return guard as RoleGuard;
}

export const anyRole = () => requireRole();
