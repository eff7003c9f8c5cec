import { expect } from 'chai';
import express from 'express';
import session, { type SessionData } from 'express-session';
import request from 'supertest';
import { startTestApp, type TestApp } from '../../support/testApp.js';

/**
 * The app's session layer (server/middleware/setUpSession.ts) in place of express-session's middleware:
 * sessions made by express-session (the release before) still open, and a request saves its session only
 * when it changed it.
 */
describe('Sessions: the app’s own request layer over express-session’s stores', () => {
  /** The secret startTestApp gives the app's services. */
  const SECRET = 'test-secret-0123456789abcdef0123456789';
  let t: TestApp;
  let now: number;
  beforeEach(async () => {
    now = Date.parse('2026-12-07T10:00:00Z');
    t = await startTestApp({ now: () => new Date(now) });
  });
  afterEach(() => t.close());

  it('when a browser brings a session cookie made by express-session (before this layer), then it is still signed in', async () => {
    const coordinator = t.store.list('users').find((u) => u.email === 'coordinator@demo.test')!;
    // express-session itself, over the app's own store, makes the session and its cookie as it did.
    const before = express();
    before.use(
      session({
        name: t.services.sessions.cookieName,
        secret: SECRET,
        store: t.services.sessions.store,
        resave: false,
        saveUninitialized: false,
      }),
    );
    before.get('/made', (req, res) => {
      const s = req.session as typeof req.session & Partial<SessionData>;
      s.userId = coordinator.id;
      s.epoch = coordinator.sessionEpoch;
      s.signInMethod = 'password';
      s.createdAt = now;
      s.lastSeen = now;
      res.send('made');
    });
    const made = await request(before).get('/made');
    const cookie = /^[^;]+/.exec(String(made.headers['set-cookie']))?.[0];
    expect(cookie, 'express-session set a cookie').to.match(/^dueregard=s%3A/);

    const page = await request(t.app).get('/').set('Cookie', cookie!);
    expect(page.status).to.equal(200);
    expect(page.text).to.contain('Casey Coordinator');
    expect(page.headers['set-cookie'], 'the same session: no new cookie').to.equal(undefined);
  });

  it('when a session cookie is malformed (broken encoding, no signature, far too long), then it opens nothing, keeps nothing and the visitor is asked to sign in', async () => {
    const before = await t.services.sessions.count();
    for (const value of ['s%3A%E0%A4%A', 's%3Aabc', `s%3A${'a'.repeat(5_000)}.${'b'.repeat(43)}`, '%%%']) {
      const res = await request(t.app).get('/').set('Cookie', `dueregard=${value}`);
      expect(res.status, value.slice(0, 20)).to.equal(303);
      expect(res.headers.location).to.match(/^\/login/);
      expect(res.headers['set-cookie'], 'a redirect keeps no session').to.equal(undefined);
    }
    expect(await t.services.sessions.count()).to.equal(before);
  });

  it('when a signed-in officer opens pages that change nothing in the session, then it is not written again; a minute on, their activity is written once', async () => {
    const officer = await t.signIn('coordinator@demo.test');
    await officer.get('/');
    const store = t.services.sessions.store;
    const set = store.set.bind(store);
    let writes = 0;
    store.set = (sid, s, cb) => {
      writes++;
      set(sid, s, cb);
    };
    for (let i = 0; i < 5; i++) expect((await officer.get('/')).status).to.equal(200);
    expect(writes, 'page views that changed nothing').to.equal(0);
    now += 61_000;
    await officer.get('/');
    await officer.get('/');
    expect(writes, 'a minute later: last seen moved on once').to.equal(1);
  });

  it('when a request changes the session (a new id and a message for the next page), then the next request has both', async () => {
    const officer = await t.signIn('coordinator@demo.test');
    const res = await officer.post('/account/sign-out-everywhere');
    expect(res.status).to.equal(303);
    expect(String(res.headers['set-cookie']), 'a new session id').to.match(/^dueregard=s%3A/);
    const next = await officer.get(res.headers.location as string);
    expect(next.status).to.equal(200);
    expect(next.text).to.contain('You were signed out on every device, including this one.');
  });
});
