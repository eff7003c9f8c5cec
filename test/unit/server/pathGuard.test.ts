import { expect } from 'chai';
import express, { type NextFunction, type Request, type Response, Router } from 'express';
import request from 'supertest';
import { routes } from '../../../server/routes/index.js';
import { firstSegmentsOf, onlyItsPaths } from '../../../server/routes/pathGuard.js';
import { startTestApp } from '../../support/testApp.js';

type Stack = Parameters<typeof firstSegmentsOf>[0];
const stackOf = (r: unknown) => (r as { stack: Stack }).stack;

/** An app with the area behind its guard, then a catch-all that says which requests passed it by. */
function appWith(area: Router) {
  const app = express();
  const entered: string[] = [];
  app.use((req, _res, next) => {
    entered.push(req.path);
    next();
  });
  app.use(onlyItsPaths(area));
  app.use((req, res) => res.status(404).send(`not here: ${req.path}`));
  return { app, entered };
}

describe('Routing: an area is entered only by requests under its paths (server/routes/pathGuard.ts)', () => {
  it('when an area names /bookings and /halls, then those are its first segments, in lower case', () => {
    const r = Router();
    r.get('/bookings', (_req, res) => res.send('list'));
    r.get('/Bookings/:id', (_req, res) => res.send('one'));
    const nested = Router();
    nested.post('/halls/:id/edit', (_req, res) => res.send('edit'));
    r.use(nested);
    expect([...(firstSegmentsOf(stackOf(r)) ?? [])].sort()).to.deep.equal(['bookings', 'halls']);
  });

  it('when an area has a route whose first segment is a parameter, or a middleware for every path, then it may answer anything', () => {
    const byParam = Router();
    byParam.get('/:anything', (_req, res) => res.send('x'));
    expect(firstSegmentsOf(stackOf(byParam))).to.equal(null);
    const guarded = Router();
    guarded.use((_req, _res, next) => next());
    guarded.get('/audit', (_req, res) => res.send('x'));
    expect(firstSegmentsOf(stackOf(guarded))).to.equal(null);
    expect(onlyItsPaths(guarded)).to.equal(guarded);
  });

  it('when an area has an error handler, then the handler does not widen its paths', () => {
    const r = Router();
    r.get('/audit', (_req, res) => res.send('x'));
    r.use((err: unknown, _req: Request, _res: Response, next: NextFunction) => next(err));
    expect([...(firstSegmentsOf(stackOf(r)) ?? [])]).to.deep.equal(['audit']);
  });

  it('when its paths are requested, in any case and with a trailing slash, then the area answers as Express would without the guard', async () => {
    const r = Router();
    r.get('/bookings', (_req, res) => res.send('list'));
    r.get('/bookings/:id', (req, res) => res.send(`one ${req.params.id}`));
    const { app } = appWith(r);
    expect((await request(app).get('/bookings')).text).to.equal('list');
    expect((await request(app).get('/BOOKINGS/')).text).to.equal('list');
    expect((await request(app).get('/Bookings/b-1')).text).to.equal('one b-1');
  });

  it('when another path is requested, then the area is passed by and the next handler answers', async () => {
    const r = Router();
    let reached = 0;
    r.use('/bookings', (_req, _res, next) => {
      reached++;
      next();
    });
    r.get('/bookings', (_req, res) => res.send('list'));
    const { app } = appWith(r);
    const res = await request(app).get('/bookingsX');
    expect(res.status).to.equal(404);
    expect(res.text).to.equal('not here: /bookingsX');
    expect((await request(app).get('/premises/bookings')).status).to.equal(404);
    expect(reached).to.equal(0);
  });

  it('when the dashboard area names only "/", then only the home page enters it', async () => {
    const r = Router();
    r.get('/', (_req, res) => res.send('home'));
    const { app } = appWith(r);
    expect((await request(app).get('/')).text).to.equal('home');
    expect((await request(app).get('/?page=2')).text).to.equal('home');
    expect((await request(app).get('/bookings')).status).to.equal(404);
  });

  it('when a walk of the route tree reads the guard, then it finds the area’s routes', () => {
    const r = Router();
    r.get('/bookings', (_req, res) => res.send('list'));
    const guard = onlyItsPaths(r) as unknown as { stack: Stack };
    expect(guard).to.not.equal(r);
    expect(guard.stack).to.equal(stackOf(r));
  });

  it('when the app’s areas are built, then every one is behind its guard (none names a path it cannot narrow)', async () => {
    const t = await startTestApp();
    try {
      const areas = stackOf(routes(t.services)) as unknown as { handle: { name: string } }[];
      expect(areas.length).to.be.greaterThan(20);
      expect(areas.filter((l) => l.handle.name !== 'guard')).to.deep.equal([]);
    } finally {
      await t.close();
    }
  });
});
