import { groupOf } from '../../support/pageParts.js';
import { expect } from 'chai';
import request from 'supertest';
import { csrfFrom, startTestApp, type TestApp } from '../../support/testApp.js';
import { TestClock } from '../../support/testClock.js';

/** The token in a calendar URL ("…/calendar/TOKEN.ics"). */
const tokenOf = (url: string) => groupOf(/\/calendar\/([^/]+)\.ics$/, url);

describe('Security: secret links and credentials end with the access they stand for (SPEC §10)', () => {
  let t: TestApp;
  let clock: TestClock;
  beforeEach(async () => {
    clock = new TestClock('2026-03-14T10:00:00Z');
    t = await startTestApp({ now: clock.now });
  });
  afterEach(() => t.close());

  const user = (email: string) => t.services.users.byEmail(email)!;
  const feed = (url: string) => request(t.app).get(`/calendar/${tokenOf(url)}.ics`);

  for (const [what, end] of [
    ['signs out everywhere', (id: string) => t.services.users.signOutEverywhere('test', id)],
    [
      'changes their password',
      (id: string) =>
        t.services.users.changePassword('test', id, 'DueRegard-demo-1', 'A brand new passphrase 7'),
    ],
    ['has their password reset', (id: string) => t.services.users.resetPassword('test', id)],
    ['is deactivated', (id: string) => t.services.users.setActive('test', id, false)],
  ] as const) {
    it(`when a user ${what}, then their calendar link stops working`, async () => {
      const url = await t.services.calendar.regenerate(user('facilities@demo.test'));
      expect((await feed(url)).status).to.equal(200);
      await end(user('facilities@demo.test').id);
      expect((await feed(url)).status).to.equal(404);
    });
  }

  it('when a one-time password is 72 hours old, then it no longer signs in, and says to ask for a new one', async () => {
    const { password } = await t.services.users.create('test', {
      email: 'new.person@demo.test',
      name: 'New Person',
      role: 'viewer',
    });
    const signIn = async () => {
      const agent = request.agent(t.app);
      const csrf = csrfFrom((await agent.get('/login')).text);
      return agent.post('/login').type('form').send({ _csrf: csrf, email: 'new.person@demo.test', password });
    };
    clock.advanceMinutes(72 * 60 - 1);
    const inTime = await signIn();
    expect(inTime.status).to.equal(303);
    expect(inTime.headers.location).to.equal('/account/password');
    clock.advanceMinutes(2);
    const late = await signIn();
    expect(late.status).to.equal(400);
    expect(late.text).to.include('Your one-time password has expired');
    expect((await t.services.users.resetPassword('test', user('new.person@demo.test').id)).password).to.be.a(
      'string',
    );
  });

  it('when the coordinator who made an API token is deactivated, then the token stops working', async () => {
    await t.services.users.create(
      'test',
      { email: 'second.coordinator@demo.test', name: 'Second', role: 'coordinator' },
      'Second coordinator pass 1',
    );
    const { token } = await t.services.apiTokens.create('second.coordinator@demo.test', 'Report script');
    const api = () => request(t.app).get('/api/flags').set('Authorization', `Bearer ${token}`);
    expect((await api()).status).to.equal(200);
    await t.services.users.setActive('coordinator@demo.test', user('second.coordinator@demo.test').id, false);
    expect((await api()).status).to.equal(401);
  });

  it('when a coordinator resets their own password, then they are shown the new one-time password and it works', async () => {
    const c = await t.signIn('coordinator@demo.test');
    const res = await c.post(`/users/${user('coordinator@demo.test').id}/reset-password`);
    expect(res.status).to.equal(303);
    expect(res.headers.location).to.equal('/account/password');
    const page = await c.get('/account/password');
    const shown = groupOf(/Your one-time password is (DR-[A-Za-z0-9_-]+)/, page.text);
    expect(await t.services.users.authenticate('coordinator@demo.test', shown)).to.not.equal(null);
  });
});

describe('Security: the sign-out cookie over https', () => {
  it('when the session cookie was Secure, then the cookie that clears it at sign-out is Secure too', async () => {
    const t = await startTestApp({
      config: { secureCookies: true, baseUrl: 'https://dueregard.council.test' },
    });
    try {
      // The test talks plain http, where a client would not send a Secure cookie back: send it by hand.
      const cookieOf = (res: request.Response) =>
        ([] as string[])
          .concat(res.headers['set-cookie'] ?? [])
          .find((c) => c.startsWith('__Host-dueregard='));
      const login = await request(t.app).get('/login');
      let cookie = cookieOf(login)!.split(';')[0] ?? '';
      expect(cookieOf(login)).to.match(/;\s*Secure/i);
      const signedIn = await request(t.app)
        .post('/login')
        .set('Cookie', cookie)
        .type('form')
        .send({ _csrf: csrfFrom(login.text), email: 'viewer@demo.test', password: 'DueRegard-demo-1' });
      expect(signedIn.status).to.equal(303);
      cookie = cookieOf(signedIn)!.split(';')[0] ?? '';
      const account = await request(t.app).get('/account').set('Cookie', cookie);
      const res = await request(t.app)
        .post('/logout')
        .set('Cookie', cookie)
        .type('form')
        .send({ _csrf: csrfFrom(account.text) });
      expect(res.status).to.equal(303);
      const cleared = cookieOf(res);
      expect(cleared, 'the session cookie is cleared').to.be.a('string');
      expect(cleared).to.match(/;\s*Secure/i);
      expect(cleared).to.match(/Expires=Thu, 01 Jan 1970/);
    } finally {
      await t.close();
    }
  });
});
