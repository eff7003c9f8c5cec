import { Router } from 'express';
import { signIn, signInMethodOf } from '../auth/signIn.js';
import type { User } from '../../data/schemas/accountSchemas.js';
import { anyRole } from '../middleware/setUpAuthentication.js';
import type { Services } from '../services/createServices.js';
import { InputError, saveForm } from '../errors.js';
import { roleNames } from './userRoutes.js';

/** The signed-in user's own account: change password, sign out everywhere. */
export function accountRoutes({ users, sessions, signInThrottle }: Services) {
  const router = Router();
  const signedIn = anyRole();

  router.get(
    '/account',
    signedIn((req, res) => {
      const u = req.user;
      res.render('pages/account/index', {
        title: 'Your account',
        account: { name: u.name, email: u.email, role: roleNames[u.role] ?? u.role },
        twoFactorOn: Boolean(u.totpSecret),
      });
    }),
  );

  const passwordPage = (user: User, errors = {}) => ({
    title: 'Change your password',
    errors,
    hasErrors: Object.keys(errors).length > 0,
    oneTime: user.mustChangePassword,
  });

  router.get(
    '/account/password',
    signedIn((req, res) => {
      res.render('pages/account/password', passwordPage(req.user));
    }),
  );

  router.post(
    '/account/password',
    signedIn(async (req, res) => {
      const field = (name: string) =>
        typeof req.body?.[name] === 'string' ? (req.body[name] as string) : '';
      const current = field('current');
      const password = field('password');
      const confirm = field('confirm');
      const errors: Record<string, { text: string; href: string }> = {};
      if (!current) errors.current = { text: 'Enter your current password', href: '#current' };
      if (!password) errors.password = { text: 'Enter a new password', href: '#password' };
      else if (confirm !== password)
        errors.confirm = { text: 'The passwords do not match', href: '#confirm' };
      if (Object.keys(errors).length === 0) {
        // The current password is a guess like any sign-in: the same throttle counts it before it is checked.
        const gate = await signInThrottle.begin(req.user.email, req.user, req.ip ?? 'unknown');
        const lock = !gate.ok
          ? gate.lockout
          : (await users.checkPassword(req.user.id, current))
            ? await gate.check.succeeded()
            : await gate.check.failed();
        if (lock) {
          const locked = { current: { text: lock.message, href: '#current' } };
          return res.status(429).render('pages/account/password', passwordPage(req.user, locked));
        }
      }
      const saved = await saveForm(async () => {
        if (Object.keys(errors).length > 0) throw new InputError(errors);
        const user = await users.changePassword(req.user.email, req.user.id, current, password);
        // Every other session ended with the new epoch; this one carries on under a new id.
        await sessions.destroyAllFor(user.id);
        const session = await signIn(sessions, req, user, signInMethodOf(req.session));
        session.flash = {
          text: 'Your password was changed. Any other sessions you had open were signed out.',
        };
        res.redirect(303, '/account');
      });
      if (!saved.ok) {
        res.status(400).render('pages/account/password', passwordPage(req.user, saved.errors));
      }
    }),
  );

  router.post(
    '/account/sign-out-everywhere',
    signedIn(async (req, res) => {
      await users.signOutEverywhere(req.user.email, req.user.id);
      await sessions.destroyAllFor(req.user.id);
      const fresh = await sessions.regenerate(req);
      fresh.flash = { text: 'You were signed out on every device, including this one.' };
      res.redirect(303, '/login');
    }),
  );

  return router;
}
