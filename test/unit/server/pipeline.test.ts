import { expect } from 'chai';
import express, { type NextFunction, type Request, type Response, Router } from 'express';
import request from 'supertest';
import { pipeline } from '../../../server/middleware/pipeline.js';
import { startTestApp } from '../../support/testApp.js';
import { walkRoutes } from '../../support/walkRoutes.js';

/** An app with the handlers as one pipeline, then a catch-all and an error handler that say what reached them. */
function appWith(...handlers: express.RequestHandler[]) {
  const app = express();
  app.use(pipeline(...handlers));
  app.use((req, res) => res.status(404).send(`not answered: ${req.path}`));
  app.use((err: Error, _req: Request, res: Response, _next: NextFunction) => {
    res.status(500).send(`error: ${err.message}`);
  });
  return app;
}

const mark =
  (name: string) =>
  (_req: Request, res: Response, next: NextFunction): void => {
    res.locals.seen = [...((res.locals.seen as string[] | undefined) ?? []), name];
    next();
  };
const answer = (_req: Request, res: Response) => {
  res.send((res.locals.seen as string[]).join(','));
};

describe('The request pipeline: the app’s handlers as one Express layer (server/middleware/pipeline.ts)', () => {
  it('when every handler calls next, then they run in order and the last one answers', async () => {
    const res = await request(appWith(mark('a'), mark('b'), mark('c'), answer)).get('/x');
    expect(res.status).to.equal(200);
    expect(res.text).to.equal('a,b,c');
  });

  it('when a handler answers, then the handlers after it do not run', async () => {
    let ranAfter = false;
    const app = appWith(mark('a'), answer, () => {
      ranAfter = true;
    });
    expect((await request(app).get('/')).text).to.equal('a');
    expect(ranAfter).to.equal(false);
  });

  it('when no handler answers, then the request goes on to the app’s next layer', async () => {
    const res = await request(appWith(mark('a'), mark('b'))).get('/nowhere');
    expect(res.status).to.equal(404);
    expect(res.text).to.equal('not answered: /nowhere');
  });

  it('when a handler passes an error, throws, or returns a rejected promise, then the rest are skipped and the error handler answers', async () => {
    let ranAfter = 0;
    const after = (_req: Request, _res: Response, next: NextFunction) => {
      ranAfter++;
      next();
    };
    const passed = appWith((_req, _res, next) => next(new Error('passed')), after);
    const thrown = appWith(() => {
      throw new Error('thrown');
    }, after);
    const rejected = appWith(async () => {
      throw new Error('rejected');
    }, after);
    expect((await request(passed).get('/')).text).to.equal('error: passed');
    expect((await request(thrown).get('/')).text).to.equal('error: thrown');
    expect((await request(rejected).get('/')).text).to.equal('error: rejected');
    expect(ranAfter).to.equal(0);
  });

  it('when a handler calls next("router"), then the rest are skipped and the request goes on past the pipeline', async () => {
    const res = await request(appWith((_req, _res, next) => next('router'), answer)).get('/p');
    expect(res.text).to.equal('not answered: /p');
  });

  it('when a router is one of the handlers, then its routes answer and a walk of the route tree still finds them', async () => {
    const area = Router();
    area.get('/things/:id', (req, res) => {
      res.send(`thing ${req.params.id}`);
    });
    const app = appWith(mark('a'), area);
    expect((await request(app).get('/things/7')).text).to.equal('thing 7');
    expect(walkRoutes(app)).to.include('GET /things/:id');
  });

  it('when the whole app is walked, then its routes are all found through the pipeline', async () => {
    const t = await startTestApp();
    try {
      const found = walkRoutes(t.app);
      expect(found).to.include.members(['GET /', 'GET /login', 'POST /logout', 'GET /bookings']);
      expect(found.length).to.be.greaterThan(100);
    } finally {
      await t.close();
    }
  });
});
