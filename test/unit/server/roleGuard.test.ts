import express, { type NextFunction, type Request, type Response } from 'express';
import { expect } from 'chai';
import request from 'supertest';
import type { User } from '../../../data/schemas/accountSchemas.js';
import { HttpError } from '../../../server/errors.js';
import { requireRole } from '../../../server/middleware/setUpAuthentication.js';

/** A bare app whose "session" is a header, so only the guard is under test. */
function appWith(route: (app: express.Express) => void) {
  const app = express();
  app.use((req, _res, next) => {
    const role = req.get('x-role');
    if (role) req.user = { id: 'u1', email: 'ann@example.gov.uk', role } as User;
    next();
  });
  route(app);
  app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    res.status(err instanceof HttpError ? err.status : 500).send(String((err as Error).message));
  });
  return app;
}

describe('requireRole: a guard as middleware or wrapping a handler with a typed signed-in request', () => {
  const staff = requireRole('coordinator', 'facilities');
  const app = appWith((a) => {
    a.get('/middleware', staff, (req, res) => {
      res.send(`middleware ${req.user?.email}`);
    });
    // No assertion needed: the wrapped handler's req.user is a User.
    a.get(
      '/wrapped/:id',
      staff((req, res) => res.send(`wrapped ${req.user.email} ${req.params.id}`)),
    );
    a.get(
      '/api/wrapped',
      staff((req, res) => res.json({ email: req.user.email })),
    );
    a.get(
      '/fails',
      staff(async () => {
        throw new HttpError(409, 'changed since');
      }),
    );
  });

  it('when a permitted role asks, then both forms run the handler with the user', async () => {
    const m = await request(app).get('/middleware').set('x-role', 'facilities');
    expect(m.status).to.equal(200);
    expect(m.text).to.equal('middleware ann@example.gov.uk');
    const w = await request(app).get('/wrapped/b7').set('x-role', 'coordinator');
    expect(w.status).to.equal(200);
    expect(w.text).to.equal('wrapped ann@example.gov.uk b7');
  });

  it('when nobody is signed in, then a page sends them to sign in and the API answers 401; the handler never runs', async () => {
    for (const path of ['/middleware', '/wrapped/b7']) {
      const r = await request(app).get(path);
      expect(r.status, path).to.equal(303);
      expect(r.headers.location).to.equal(`/login?next=${encodeURIComponent(path)}`);
    }
    const api = await request(app).get('/api/wrapped');
    expect(api.status).to.equal(401);
    expect(api.body).to.deep.equal({ error: 'Sign in or send an API token' });
  });

  it('when another role asks, then both forms answer 403 and the handler never runs', async () => {
    for (const path of ['/middleware', '/wrapped/b7']) {
      const r = await request(app).get(path).set('x-role', 'viewer');
      expect(r.status, path).to.equal(403);
      expect(r.text).to.not.include('ann@example.gov.uk');
    }
  });

  it('when a wrapped handler rejects, then the error reaches the error handler', async () => {
    const r = await request(app).get('/fails').set('x-role', 'coordinator');
    expect(r.status).to.equal(409);
    expect(r.text).to.equal('changed since');
  });
});
