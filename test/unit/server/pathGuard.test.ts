import { expect } from 'chai';
import express, { type NextFunction, type Request, type Response, Router } from 'express';
import request from 'supertest';
import { routes } from '../../../server/routes/index.js';
import { byFirstSegment, firstSegmentsOf } from '../../../server/routes/pathGuard.js';
import { startTestApp } from '../../support/testApp.js';

type Stack = Parameters<typeof firstSegmentsOf>[0];
const stackOf = (r: unknown) => (r as { stack: Stack }).stack;

/** An app with the areas behind one dispatch, then a catch-all that says which requests passed them by. */
function appWith(...areas: Router[]) {
  const app = express();
  const entered: string[] = [];
  app.use((req, _res, next) => {
    entered.push(req.path);
    next();
  });
  app.use(byFirstSegment(...areas));
  app.use((req, res) => res.status(404).send(`not here: ${req.path}`));
  app.use((err: Error, _req: Request, res: Response, _next: NextFunction) => {
    res.status(500).send(`error: ${err.message}`);
  });
  return { app, entered };
}

describe('Routing: an area is entered only by requests under its paths, found by their first segment (server/routes/pathGuard.ts)', () => {
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
  });

  it('when an area may answer any path, then every request tries it, in its place among the areas', async () => {
    const seen: string[] = [];
    const first = Router();
    first.get('/bookings', (_req, _res, next) => {
      seen.push('bookings area');
      next();
    });
    const anywhere = Router();
    anywhere.use((req, _res, next) => {
      seen.push(`any-path area: ${req.path}`);
      next();
    });
    const last = Router();
    last.get('/bookings', (_req, res) => res.send('list'));
    const { app } = appWith(first, anywhere, last);
    expect((await request(app).get('/bookings')).text).to.equal('list');
    expect((await request(app).get('/elsewhere')).status).to.equal(404);
    expect(seen).to.deep.equal(['bookings area', 'any-path area: /bookings', 'any-path area: /elsewhere']);
  });

  it('when two areas name the same first segment, then they are tried in their order, and an error in one goes to the error handler', async () => {
    const one = Router();
    one.get('/halls/:id', (req, _res, next) =>
      next(req.params.id === 'bad' ? new Error('bad hall') : undefined),
    );
    const two = Router();
    two.get('/halls/:id', (req, res) => res.send(`hall ${req.params.id}`));
    two.get('/halls', (_req, res) => res.send('halls'));
    const { app } = appWith(one, two);
    expect((await request(app).get('/halls/h-1')).text).to.equal('hall h-1');
    expect((await request(app).get('/halls')).text).to.equal('halls');
    const failed = await request(app).get('/halls/bad');
    expect(failed.status).to.equal(500);
    expect(failed.text).to.equal('error: bad hall');
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

  it('when a walk of the route tree reads the dispatch, then it finds each area’s routes, in order', () => {
    const r = Router();
    r.get('/bookings', (_req, res) => res.send('list'));
    const s = Router();
    s.get('/halls', (_req, res) => res.send('halls'));
    const dispatch = byFirstSegment(r, s) as unknown as { stack: { slash: boolean; handle: unknown }[] };
    expect(dispatch.stack.map((l) => l.handle)).to.deep.equal([r, s]);
    expect(dispatch.stack.every((l) => l.slash)).to.equal(true);
    expect([...(firstSegmentsOf(dispatch.stack as unknown as Stack) ?? [])].sort()).to.deep.equal([
      'bookings',
      'halls',
    ]);
  });

  it('when the app’s areas are built, then every one names the paths it answers (none is tried for every request)', async () => {
    const t = await startTestApp();
    try {
      const areas = stackOf(routes(t.services));
      expect(areas.length).to.be.greaterThan(20);
      const anyPath = areas.filter((l) => firstSegmentsOf(stackOf(l.handle)) === null);
      expect(anyPath).to.deep.equal([]);
    } finally {
      await t.close();
    }
  });
});
