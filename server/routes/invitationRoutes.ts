import { notFound, InputError } from '../errors.js';
import { Router } from 'express';
import type { Services } from '../services/createServices.js';
import { signInAs } from './signInAs.js';

/** An invited user's single-use link: choose a password, then signed in. Unknown, used or expired: 404. */
export function invitationRoutes({ invitations, sessions }: Services) {
  const router = Router();
  const render = (
    res: import('express').Response,
    token: string,
    user: { name: string; email: string },
    errors = {},
  ) =>
    res.status(Object.keys(errors).length ? 400 : 200).render('pages/auth/invitation', {
      title: 'Choose your password',
      token,
      invited: { name: user.name, email: user.email },
      errors,
      hasErrors: Object.keys(errors).length > 0,
    });

  router.get('/invitation/:token', (req, res) => {
    const token = String(req.params.token);
    const user = invitations.userFor(token);
    if (!user) throw notFound();
    render(res, token, user);
  });

  router.post('/invitation/:token', async (req, res) => {
    const token = String(req.params.token);
    const invited = invitations.userFor(token);
    if (!invited) throw notFound();
    const password = typeof req.body?.password === 'string' ? req.body.password : '';
    const confirm = typeof req.body?.confirm === 'string' ? req.body.confirm : '';
    try {
      const user = await invitations.accept(token, password, confirm);
      await signInAs(sessions, req, user, 'Your password is set and you are signed in');
      res.redirect(303, '/');
    } catch (err) {
      if (!(err instanceof InputError)) throw err;
      render(res, token, invited, err.errors);
    }
  });

  return router;
}
