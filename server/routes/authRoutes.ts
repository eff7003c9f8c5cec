import { Router } from 'express';
import { str } from '../forms/formHelpers.js';
import type { Services } from '../services/createServices.js';

/** Only local paths: an open redirect through ?next= would help phishing. */
export function safeNext(next: unknown): string {
  return typeof next === 'string' && /^\/(?![/\\])/.test(next) ? next : '/';
}

export function authRoutes({ users, sessions }: Services) {
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
    const errors: Record<string, { text: string; href: string }> = {};
    if (!email) errors.email = { text: 'Enter your email address', href: '#email' };
    if (!password) errors.password = { text: 'Enter your password', href: '#password' };
    const user = Object.keys(errors).length === 0 ? await users.authenticate(email, password) : null;
    if (!user) {
      if (Object.keys(errors).length === 0) {
        errors.email = { text: 'Enter a correct email address and password', href: '#email' };
      }
      return res
        .status(400)
        .render('pages/auth/login', { title: 'Sign in', errors, hasErrors: true, values: { email }, next });
    }
    const session = sessions.regenerate(req.session);
    session.userId = user.id;
    session.epoch = user.sessionEpoch;
    sessions.setCookie(res, session);
    res.redirect(303, next);
  });

  router.post('/logout', (req, res) => {
    sessions.destroy(req.session);
    res.clearCookie(sessions.cookieName, { path: '/' });
    res.redirect(303, '/login');
  });

  return router;
}
