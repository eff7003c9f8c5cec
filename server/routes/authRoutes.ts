import { Router } from 'express';
import { awaitSecondFactor, signIn } from '../auth/signIn.js';
import { auditSignIn } from '../auth/signInAudit.js';
import { str } from '../forms/formHelpers.js';
import type { Services } from '../services/createServices.js';

/** Only local paths: an open redirect through ?next= would help phishing. */
export function safeNext(next: unknown): string {
  return typeof next === 'string' && /^\/(?![/\\])/.test(next) ? next : '/';
}

export function authRoutes({ users, sessions, signInThrottle, config, twoFactor, store }: Services) {
  const router = Router();
  // What the sign-in page offers (SPEC §15): single sign-on when configured; passwords for everyone, or
  // under OIDC_ONLY only for the break-glass coordinator.
  const signInOptions = { sso: config.oidc !== null, breakGlassOnly: config.passwordOnlyFor !== null };
  const BREAK_GLASS_ONLY = 'Sign in with your council account. Password sign-in is for emergency access only';

  router.get('/login', (req, res) => {
    if (req.user) return res.redirect(303, '/');
    res.render('pages/auth/login', {
      title: 'Sign in',
      errors: {},
      values: {},
      next: safeNext(req.query.next),
      ...signInOptions,
    });
  });

  router.post('/login', async (req, res) => {
    const email = str(req.body, 'email');
    const password = typeof req.body?.password === 'string' ? req.body.password : '';
    const next = safeNext(req.body?.next);
    const address = req.ip ?? 'unknown';
    const refuse = (status: number, errors: Record<string, { text: string; href: string }>) =>
      res.status(status).render('pages/auth/login', {
        title: 'Sign in',
        errors,
        hasErrors: true,
        values: { email },
        next,
        ...signInOptions,
      });
    const errors: Record<string, { text: string; href: string }> = {};
    if (!email) errors.email = { text: 'Enter your email address', href: '#email' };
    if (!password) errors.password = { text: 'Enter your password', href: '#password' };
    if (Object.keys(errors).length > 0) return refuse(400, errors);
    const breakGlass = config.passwordOnlyFor !== null;
    // Under OIDC_ONLY every other address is refused before any password is checked.
    if (breakGlass && email.toLowerCase() !== config.passwordOnlyFor) {
      return refuse(400, { email: { text: BREAK_GLASS_ONLY, href: '#email' } });
    }
    const account = users.byEmail(email);
    const locked = signInThrottle.lockoutFor(account, address);
    if (locked) return refuse(429, { email: { text: locked.message, href: '#email' } });
    const user = await users.authenticate(email, password);
    if (!user) {
      const lock = await signInThrottle.recordFailure(account, address);
      if (lock) return refuse(429, { email: { text: lock.message, href: '#email' } });
      return refuse(400, { email: { text: 'Enter a correct email address and password', href: '#email' } });
    }
    if (breakGlass && user.role !== 'coordinator') {
      return refuse(400, { email: { text: BREAK_GLASS_ONLY, href: '#email' } });
    }
    // With a second factor the account's failure count is cleared only once the code is right: were the
    // password enough to clear it, someone who knows the password could guess codes without end.
    if (twoFactor.isEnrolled(user)) {
      awaitSecondFactor(sessions, req, res, user, next);
      return res.redirect(303, '/login/two-factor');
    }
    await signInThrottle.recordSuccess(user);
    // The break-glass account's sign-ins are in the audit log (with a second factor: once the code is right).
    if (breakGlass) {
      await auditSignIn(store, user.email, user.id, { outcome: 'signed in', method: 'break-glass password' });
    }
    signIn(sessions, req, res, user, 'password');
    res.redirect(303, user.mustChangePassword ? '/account/password' : next);
  });

  router.post('/logout', (req, res) => {
    sessions.destroy(req.session);
    res.clearCookie(sessions.cookieName, { path: '/' });
    res.redirect(303, '/login');
  });

  return router;
}
