import type { NextFunction, Request, Response } from 'express';

// escapeHtml lives in server/escapeHtml.ts (services use it too); exported here for code that imports it from here.
export { escapeHtml } from '../escapeHtml.js';

/** Every page can rely on these, even an error page rendered before sign-in was looked at. */
export function defaultLocals(req: Request, res: Response, next: NextFunction) {
  res.locals.user = null;
  res.locals.nav = [];
  res.locals.navSection = null;
  res.locals.flash = null;
  res.locals.csrfToken = '';
  res.locals.currentPath = req.path;
  next();
}
