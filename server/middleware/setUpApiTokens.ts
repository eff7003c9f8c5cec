import type { NextFunction, Request, Response } from 'express';
import { type ApiTokenService, tokenReader } from '../services/apiTokenService.js';

const READ = new Set(['GET', 'HEAD']);

/**
 * `Authorization: Bearer TOKEN` for scripts: only GET (and HEAD) requests to /api/* may use a token, and
 * they act as a read-only coordinator-level reader without a session (so no cookie, no CSRF token).
 * Anything else sent with a bearer token is refused with 403; an unknown or revoked token gets 401.
 */
export function setUpApiTokens(tokens: ApiTokenService) {
  return async (req: Request, res: Response, next: NextFunction) => {
    const header = req.get('authorization');
    if (!header) return next();
    const m = /^Bearer[ ]+(\S+)\s*$/i.exec(header);
    if (!m) {
      res.setHeader('WWW-Authenticate', 'Bearer');
      return res.status(401).json({ error: 'Send the token as "Authorization: Bearer TOKEN"' });
    }
    if (!READ.has(req.method) || !req.path.startsWith('/api/')) {
      return res.status(403).json({ error: 'API tokens can only read: use GET on /api/ addresses' });
    }
    const token = await tokens.authenticate(m[1] ?? '');
    if (!token) {
      res.setHeader('WWW-Authenticate', 'Bearer error="invalid_token"');
      return res.status(401).json({ error: 'This API token is not valid or was revoked' });
    }
    req.apiToken = token;
    req.user = tokenReader(token);
    next();
  };
}
