import type { NextFunction, Request, Response } from 'express';
import type { Config } from '../config.js';
import { signInMethodOf } from './signIn.js';

/** Where someone who must enrol may still go: the enrolment pages, a one-time password change, sign-out. */
const OPEN_PATHS = new Set([
  '/account/two-factor',
  '/account/two-factor/recovery-codes',
  '/account/password',
  '/logout',
]);

/**
 * REQUIRE_2FA (and, under OIDC_ONLY, the break-glass coordinator always): a password sign-in without a
 * second factor leads to its enrolment before anything else. Single sign-on sessions are left alone:
 * the council's identity provider applies its own second factor.
 */
export function requireTwoFactorEnrolment(config: Pick<Config, 'require2fa' | 'passwordOnlyFor'>) {
  return (req: Request, res: Response, next: NextFunction) => {
    const u = req.user;
    if (!u || req.apiToken || u.totpSecret || OPEN_PATHS.has(req.path)) return next();
    const required = config.require2fa || config.passwordOnlyFor === u.email.toLowerCase();
    if (!required || signInMethodOf(req.session) !== 'password') return next();
    res.redirect(303, '/account/two-factor');
  };
}
