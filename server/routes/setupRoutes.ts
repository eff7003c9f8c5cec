import { notFound, InputError } from '../errors.js';
import { Router } from 'express';
import { str } from '../forms/formHelpers.js';
import type { Services } from '../services/createServices.js';
import { SetupClosedError } from '../services/setupService.js';
import { signInAs } from './signInAs.js';

/** First run (SPEC §12): the setup link's page creates the first coordinator; once any account exists, 404. */
export function setupRoutes({ setup, sessions }: Services) {
  const router = Router();
  const render = (res: import('express').Response, token: string, values = {}, errors = {}) =>
    res.status(Object.keys(errors).length ? 400 : 200).render('pages/setup/index', {
      title: 'Set up Due Regard',
      token,
      values,
      errors,
      hasErrors: Object.keys(errors).length > 0,
    });

  router.get('/setup/:token', (req, res) => {
    const token = String(req.params.token);
    if (!setup.valid(token)) throw notFound();
    render(res, token);
  });

  router.post('/setup/:token', async (req, res) => {
    const token = String(req.params.token);
    const input = {
      name: str(req.body, 'name'),
      email: str(req.body, 'email'),
      password: typeof req.body?.password === 'string' ? req.body.password : '',
      confirm: typeof req.body?.confirm === 'string' ? req.body.confirm : '',
    };
    try {
      const user = await setup.complete(token, input);
      await signInAs(
        sessions,
        req,
        user,
        'Your account was created. Next, invite the people who will use Due Regard.',
      );
      res.redirect(303, '/users');
    } catch (err) {
      if (err instanceof SetupClosedError) throw notFound();
      if (!(err instanceof InputError)) throw err;
      render(res, token, { name: input.name, email: input.email }, err.errors);
    }
  });

  return router;
}
