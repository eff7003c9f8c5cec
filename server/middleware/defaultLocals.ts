import type { NextFunction, Request, Response } from 'express';

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** For pages that build small bits of HTML (table cells with links): every value goes through this. */
export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]);
}

/** Every page can rely on these, even an error page rendered before sign-in was looked at. */
export function defaultLocals(req: Request, res: Response, next: NextFunction) {
  res.locals.user = null;
  res.locals.nav = [];
  res.locals.flash = null;
  res.locals.csrfToken = '';
  res.locals.currentPath = req.path;
  next();
}
