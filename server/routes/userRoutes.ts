import { Router } from 'express';
import { formatDateTime } from '../../checks/londonDates.js';
import { roles } from '../../data/schemas/accountSchemas.js';
import { str, strs } from '../forms/formHelpers.js';
import { notFound, requireRole } from '../middleware/setUpAuthentication.js';
import type { Services } from '../services/createServices.js';
import { saveForm } from '../errors.js';

export const roleNames: Record<string, string> = {
  coordinator: 'Prevent coordinator',
  facilities: 'Facilities',
  'library-manager': 'Library manager',
  education: 'Education team',
  viewer: 'Viewer',
};

export function userRoutes({ users, sessions, store, signInThrottle }: Services) {
  const router = Router();
  const coordinator = requireRole('coordinator');
  const libraries = () =>
    ((store.data as unknown as { libraries?: { id: string; name: string }[] }).libraries ?? []).map((l) => ({
      value: l.id,
      text: l.name,
    }));

  router.get('/users', coordinator, (req, res) => {
    const oneTime = req.session.data.oneTimePassword as { email: string; password: string } | undefined;
    delete req.session.data.oneTimePassword;
    res.render('pages/users/list', {
      title: 'Users',
      users: users.list().map((u) => ({
        ...u,
        lockedText: signInThrottle.isLocked(u) ? formatDateTime(u.lockedUntil) : null,
      })),
      roleNames,
      oneTime: oneTime ?? null,
    });
  });

  router.get('/users/new', coordinator, (_req, res) => {
    res.render('pages/users/form', {
      title: 'Add a user',
      values: {},
      errors: {},
      roles,
      roleNames,
      libraries: libraries(),
    });
  });

  router.post('/users', coordinator, async (req, res) => {
    const input = {
      name: str(req.body, 'name'),
      email: str(req.body, 'email'),
      role: str(req.body, 'role'),
      libraryIds: strs(req.body, 'libraryIds'),
    };
    const saved = await saveForm(async () => {
      const { user, password } = await users.create(req.user!.email, input);
      req.session.data.oneTimePassword = { email: user.email, password };
      res.redirect(303, '/users');
    });
    if (!saved.ok) {
      res.status(400).render('pages/users/form', {
        title: 'Add a user',
        values: input,
        errors: saved.errors,
        hasErrors: true,
        roles,
        roleNames,
        libraries: libraries(),
      });
    }
  });

  router.post('/users/:id/deactivate', coordinator, async (req, res) => {
    const u = users.get(String(req.params.id));
    if (!u) throw notFound();
    if (u.id === req.user!.id) {
      req.session.flash = { text: 'You cannot deactivate your own account' };
      return res.redirect(303, '/users');
    }
    await users.setActive(req.user!.email, u.id, false);
    sessions.destroyAllFor(u.id);
    req.session.flash = { text: `${u.name} was deactivated and signed out` };
    res.redirect(303, '/users');
  });

  router.post('/users/:id/reactivate', coordinator, async (req, res) => {
    const u = users.get(String(req.params.id));
    if (!u) throw notFound();
    await users.setActive(req.user!.email, u.id, true);
    req.session.flash = { text: `${u.name} was reactivated` };
    res.redirect(303, '/users');
  });

  router.post('/users/:id/unlock', coordinator, async (req, res) => {
    const u = users.get(String(req.params.id));
    if (!u) throw notFound();
    await users.unlock(req.user!.email, u.id);
    req.session.flash = { text: `${u.name} was unlocked and can sign in again` };
    res.redirect(303, '/users');
  });

  router.post('/users/:id/reset-password', coordinator, async (req, res) => {
    const u = users.get(String(req.params.id));
    if (!u) throw notFound();
    const { user, password } = await users.resetPassword(req.user!.email, u.id);
    sessions.destroyAllFor(u.id);
    if (u.id === req.user!.id) {
      // Their own: this session ended with the others, so a new one carries them to choosing a password.
      const session = sessions.regenerate(req.session);
      session.userId = user.id;
      session.epoch = user.sessionEpoch;
      session.flash = {
        title: 'Your password was reset',
        text: `Your one-time password is ${password} — enter it below as your current password, then choose a new one.`,
      };
      sessions.setCookie(res, session);
      return res.redirect(303, '/account/password');
    }
    req.session.data.oneTimePassword = { email: user.email, password };
    res.redirect(303, '/users');
  });

  return router;
}
