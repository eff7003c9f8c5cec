import type { NextFunction, Request, Response } from 'express';
import type { Role } from '../../data/schemas/accountSchemas.js';
import type { Store } from '../../data/store/store.js';
import { navFor } from '../navigation.js';

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export const forbidden = () => new HttpError(403, 'You do not have access to this page');
export const notFound = () => new HttpError(404, 'Page not found');

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
    const usedPassword = s.data.signInMethod !== 'single sign-on';
    if (u?.mustChangePassword && usedPassword && !req.apiToken && !PASSWORD_CHANGE_PATHS.has(req.path)) {
      return res.redirect(303, '/account/password');
    }
    res.locals.user = u ? { id: u.id, name: u.name, email: u.email, role: u.role } : null;
    res.locals.nav = navFor(u?.role, req.path);
    res.locals.currentPath = req.path;
    res.locals.flash = s.flash;
    s.flash = null;
    next();
  };
}

function isApi(req: Request): boolean {
  return req.originalUrl.startsWith('/api/');
}

/** Signed in with one of these roles; anonymous → sign-in page (or 401 for the API), wrong role → 403. */
export function requireRole(...roles: Role[]) {
  return (req: Request, res: Response, next: NextFunction) => {
    if (!req.user) {
      if (isApi(req)) return res.status(401).json({ error: 'Sign in or send an API token' });
      return res.redirect(303, `/login?next=${encodeURIComponent(req.originalUrl)}`);
    }
    if (roles.length > 0 && !roles.includes(req.user.role)) return next(forbidden());
    next();
  };
}

export const anyRole = () => requireRole();
