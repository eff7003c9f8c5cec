import { expect } from 'chai';
import request from 'supertest';
import { createApp } from '../../../server/app.js';
import { createSessions, type Sessions } from '../../../server/middleware/setUpSession.js';
import { csrfFrom, DEMO_PASSWORD, startTestApp, type TestApp } from '../../support/testApp.js';

const CAP = 50;

describe('Security: anonymous traffic holds a bounded amount of memory (SPEC §10)', () => {
  let t: TestApp;
  let app: ReturnType<typeof createApp>;
  let sessions: Sessions;
  before(async () => {
    t = await startTestApp();
    // The same app with a small cap on anonymous sessions, so a flood past it is quick to send.
    sessions = createSessions({
      secret: 'test-secret-0123456789abcdef0123456789',
      secure: false,
      idleTimeoutMinutes: 30,
      maxAnonymous: CAP,
    });
    app = createApp({ ...t.services, sessions });
  });
  after(() => t.close());

  it('when cookie-less requests are redirected to sign in, refused or not found, then no session is kept and no cookie set', async () => {
    const before = await sessions.count();
    for (let i = 0; i < 100; i++) {
      const res = await request(app).get(i % 2 ? '/' : `/no-such-page-${i}`);
      expect(res.status).to.be.oneOf([303, 404]);
      expect(res.headers['set-cookie']).to.equal(undefined);
    }
    for (let i = 0; i < 20; i++) expect((await request(app).post('/bookings')).status).to.equal(403);
    expect(await sessions.count()).to.equal(before);
  });

  it('when a flood of cookie-less visitors open the sign-in page, then at most the cap of anonymous sessions is held, and a signed-in visitor keeps theirs', async () => {
    const signedIn = request.agent(app);
    const page = await signedIn.get('/login');
    expect(page.headers['set-cookie']?.[0]).to.match(/^dueregard=/);
    const login = await signedIn
      .post('/login')
      .type('form')
      .send({ _csrf: csrfFrom(page.text), email: 'viewer@demo.test', password: DEMO_PASSWORD });
    expect(login.status).to.equal(303);
    for (let i = 0; i < CAP * 4; i++) await request(app).get('/login');
    expect(await sessions.count()).to.be.at.most(CAP + 1);
    expect((await signedIn.get('/account')).status, 'still signed in').to.equal(200);
  });

  it('when a visitor opens the sign-in page and signs in, then it works as before (the page’s session is kept for its form)', async () => {
    const agent = request.agent(app);
    const page = await agent.get('/login');
    const res = await agent
      .post('/login')
      .type('form')
      .send({ _csrf: csrfFrom(page.text), email: 'facilities@demo.test', password: DEMO_PASSWORD });
    expect(res.status).to.equal(303);
    expect(res.headers.location).to.equal('/');
  });
});
