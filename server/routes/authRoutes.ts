import { Router } from 'express';
import { TEXT_LIMITS, tooLongMessage } from '../../checks/limits.js';
import { awaitSecondFactor, signIn } from '../auth/signIn.js';
import { auditSignIn } from '../auth/signInAudit.js';
import { str } from '../forms/formHelpers.js';
import type { Services } from '../services/createServices.js';
import { ONE_TIME_PASSWORD_HOURS } from '../services/userService.js';

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
    else if (email.length > TEXT_LIMITS.email)
      errors.email = { text: tooLongMessage('Email address', TEXT_LIMITS.email), href: '#email' };
    if (!password) errors.password = { text: 'Enter your password', href: '#password' };
    else if (password.length > TEXT_LIMITS.password)
      errors.password = { text: tooLongMessage('Password', TEXT_LIMITS.password), href: '#password' };
    // Refused before the throttle and the hash: a hostile value costs one length check.
    if (Object.keys(errors).length > 0) return refuse(400, errors);
    const breakGlass = config.passwordOnlyFor !== null;
    // Under OIDC_ONLY every other address is refused before any password is checked.
    if (breakGlass && email.toLowerCase() !== config.passwordOnlyFor) {
      return refuse(400, { email: { text: BREAK_GLASS_ONLY, href: '#email' } });
    }
    const account = users.byEmail(email);
    // Counted before the hash is checked, so guesses sent at once cannot all slip under the limit.
    const gate = await signInThrottle.begin(email, account, address);
    if (!gate.ok) return refuse(429, { email: { text: gate.lockout.message, href: '#email' } });
    const user = await users.authenticate(email, password);
    // An account with a second factor has its failures cleared only once the code is right.
    const lock = !user
      ? await gate.check.failed()
      : twoFactor.isEnrolled(user)
        ? await gate.check.passedFirstFactor()
        : await gate.check.succeeded();
    if (lock) return refuse(429, { email: { text: lock.message, href: '#email' } });
    if (!user) {
      return refuse(400, { email: { text: 'Enter a correct email address and password', href: '#email' } });
    }
    if (users.oneTimePasswordExpired(user)) {
      const text = `Your one-time password has expired: it worked for ${ONE_TIME_PASSWORD_HOURS} hours. Ask your Prevent coordinator to reset your password.`;
      return refuse(400, { password: { text, href: '#password' } });
    }
    if (breakGlass && user.role !== 'coordinator') {
      return refuse(400, { email: { text: BREAK_GLASS_ONLY, href: '#email' } });
    }
    if (twoFactor.isEnrolled(user)) {
      await awaitSecondFactor(sessions, req, user, next);
      return res.redirect(303, '/login/two-factor');
    }
    // The break-glass account's sign-ins are in the audit log (with a second factor: once the code is right).
    if (breakGlass) {
      await auditSignIn(store, user.email, user.id, { outcome: 'signed in', method: 'break-glass password' });
    }
    await signIn(sessions, req, user, 'password');
    res.redirect(303, user.mustChangePassword ? '/account/password' : next);
  });

  router.post('/logout', async (req, res) => {
    await sessions.destroy(req, res);
    res.redirect(303, '/login');
  });

  return router;
}
