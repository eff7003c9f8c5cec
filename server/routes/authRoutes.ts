import { Router } from 'express';
import { TEXT_LIMITS, tooLongMessage } from '../../checks/limits.js';
import { str } from '../forms/formHelpers.js';
import type { Services } from '../services/createServices.js';
import { ONE_TIME_PASSWORD_HOURS } from '../services/userService.js';

/** Only local paths: an open redirect through ?next= would help phishing. */
export function safeNext(next: unknown): string {
  return typeof next === 'string' && /^\/(?![/\\])/.test(next) ? next : '/';
}

export function authRoutes({ users, sessions, signInThrottle }: Services) {
  const router = Router();

  router.get('/login', (req, res) => {
    if (req.user) return res.redirect(303, '/');
    res.render('pages/auth/login', {
      title: 'Sign in',
      errors: {},
      values: {},
      next: safeNext(req.query.next),
    });
  });

  router.post('/login', async (req, res) => {
    const email = str(req.body, 'email');
    const password = typeof req.body?.password === 'string' ? req.body.password : '';
    const next = safeNext(req.body?.next);
    const address = req.ip ?? 'unknown';
    const refuse = (status: number, errors: Record<string, { text: string; href: string }>) =>
      res
        .status(status)
        .render('pages/auth/login', { title: 'Sign in', errors, hasErrors: true, values: { email }, next });
    const errors: Record<string, { text: string; href: string }> = {};
    if (!email) errors.email = { text: 'Enter your email address', href: '#email' };
    else if (email.length > TEXT_LIMITS.email)
      errors.email = { text: tooLongMessage('Email address', TEXT_LIMITS.email), href: '#email' };
    if (!password) errors.password = { text: 'Enter your password', href: '#password' };
    else if (password.length > TEXT_LIMITS.password)
      errors.password = { text: tooLongMessage('Password', TEXT_LIMITS.password), href: '#password' };
    // Refused before the throttle and the hash: a hostile value costs one length check.
    if (Object.keys(errors).length > 0) return refuse(400, errors);
    const account = users.byEmail(email);
    // Counted before the hash is checked, so guesses sent at once cannot all slip under the limit.
    const gate = signInThrottle.begin(email, account, address);
    if (!gate.ok) return refuse(429, { email: { text: gate.lockout.message, href: '#email' } });
    const user = await users.authenticate(email, password);
    const lock = user ? await gate.check.succeeded() : await gate.check.failed();
    if (lock) return refuse(429, { email: { text: lock.message, href: '#email' } });
    if (!user) {
      return refuse(400, { email: { text: 'Enter a correct email address and password', href: '#email' } });
    }
    if (users.oneTimePasswordExpired(user)) {
      const text = `Your one-time password has expired: it worked for ${ONE_TIME_PASSWORD_HOURS} hours. Ask your Prevent coordinator to reset your password.`;
      return refuse(400, { password: { text, href: '#password' } });
    }
    const session = sessions.regenerate(req.session);
    session.userId = user.id;
    session.epoch = user.sessionEpoch;
    sessions.setCookie(res, session);
    res.redirect(303, user.mustChangePassword ? '/account/password' : next);
  });

  router.post('/logout', (req, res) => {
    sessions.destroy(req.session);
    sessions.clearCookie(res);
    res.redirect(303, '/login');
  });

  return router;
}
