import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { expect } from 'chai';
import { AppRequest, AppResponse } from '../../../server/requestShapes.js';
import { startTestApp, type TestAgent, type TestApp } from '../../support/testApp.js';

/** A request's own fields, named (symbols by their descriptions). */
const fieldsOf = (o: object) => [
  ...Object.getOwnPropertyNames(o),
  ...Object.getOwnPropertySymbols(o).map((s) => `symbol ${s.description}`),
];

/**
 * Fields Express's router and Node add that the app cannot make beforehand: their symbols are private to
 * those packages.
 */
/** The server a signed-in agent's requests go to (the app's own, see testApp.ts). */
const serverOf = (agent: TestAgent) => (agent.agent as unknown as { app: Server }).app;

const NOT_OURS = new Set(['symbol router.tracing.matchedRoute', 'symbol kUniqueHeaders']);

describe('The app server’s requests and responses start with every field the app gives them (server/requestShapes.ts)', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp({ production: true });
  });
  after(async () => t.close());

  /** Fields each request and response gained while the app handled it, for the paths asked. */
  async function fieldsAdded(paths: string[]) {
    const agent = await t.signIn('coordinator@demo.test');
    const added: { path: string; req: string[]; res: string[] }[] = [];
    const server = serverOf(agent);
    const watch = (req: IncomingMessage, res: ServerResponse) => {
      expect(req).to.be.instanceOf(AppRequest);
      expect(res).to.be.instanceOf(AppResponse);
      const before = { req: new Set(fieldsOf(req)), res: new Set(fieldsOf(res)) };
      res.once('close', () =>
        added.push({
          path: (req as IncomingMessage & { originalUrl?: string }).originalUrl ?? '',
          req: fieldsOf(req).filter((f) => !before.req.has(f) && !NOT_OURS.has(f)),
          res: fieldsOf(res).filter((f) => !before.res.has(f) && !NOT_OURS.has(f)),
        }),
      );
    };
    server.prependListener('request', watch);
    try {
      for (const path of paths) expect((await agent.get(path)).status, path).to.equal(200);
    } finally {
      server.off('request', watch);
    }
    return added;
  }

  it('when a signed-in officer opens the dashboard and a sorted, filtered list (twice: made, then kept), then no request or response gains a field', async () => {
    const paths = [
      '/',
      '/',
      '/bookings?when=all&sort=hirer&dir=desc',
      '/bookings?when=all&sort=hirer&dir=desc',
    ];
    const added = await fieldsAdded(paths);
    expect(added.map((a) => a.path)).to.deep.equal(paths);
    for (const a of added)
      expect({ path: a.path, req: a.req, res: a.res }).to.deep.equal({ path: a.path, req: [], res: [] });
  });

  it('when a request is served, then the fields made beforehand hold what Express and the app put in them', async () => {
    const agent = await t.signIn('coordinator@demo.test');
    const server = serverOf(agent);
    let seen: { user?: string; session: boolean; query: unknown; status: number } | undefined;
    const watch = (req: IncomingMessage, res: ServerResponse) =>
      res.once('close', () => {
        const r = req as unknown as { user?: { email: string }; session?: object; query: unknown };
        seen = { user: r.user?.email, session: Boolean(r.session), query: r.query, status: res.statusCode };
      });
    server.prependListener('request', watch);
    try {
      await agent.get('/bookings?when=past&page=1');
    } finally {
      server.off('request', watch);
    }
    expect(seen).to.deep.equal({
      user: 'coordinator@demo.test',
      session: true,
      query: { when: 'past', page: '1' },
      status: 200,
    });
  });
});
