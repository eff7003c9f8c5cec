import { createHmac } from 'node:crypto';
import { expect } from 'chai';
import { groupOf } from '../../support/pageParts.js';
import request from 'supertest';
import { csrfFrom, DEMO_PASSWORD, startTestApp, type TestApp } from '../../support/testApp.js';
import { TestClock } from '../../support/testClock.js';
import { itemAt } from '../../../data/itemAt.js';

/** One sign-in attempt in a fresh browser, from `address` (the app trusts X-Forwarded-For from loopback). */
async function attempt(t: TestApp, email: string, password: string, address = '198.51.100.7') {
  const agent = request.agent(t.app);
  const page = await agent.get('/login');
  const res = await agent
    .post('/login')
    .set('X-Forwarded-For', address)
    .type('form')
    .send({ _csrf: csrfFrom(page.text), email, password, next: '/' });
  return { agent, res };
}

describe('Security: sign-in throttling and lockout', () => {
  let t: TestApp;
  let clock: TestClock;
  beforeEach(async () => {
    clock = new TestClock('2026-03-14T10:00:00Z');
    t = await startTestApp({ now: clock.now });
  });
  afterEach(() => t.close());

  const fail = (email: string, i: number) => attempt(t, email, 'not-the-password-1', `203.0.113.${i}`);

  it('when an account has 10 failed sign-ins in 15 minutes, then it is locked for 15 minutes with a message saying until when and that a coordinator can unlock it', async () => {
    for (let i = 1; i <= 9; i++) {
      const { res } = await fail('facilities@demo.test', i);
      expect(res.status, `attempt ${i}`).to.equal(400);
      clock.advanceMinutes(1);
    }
    expect(t.services.users.byEmail('facilities@demo.test')!.failedSignIns).to.have.length(9);
    const { res } = await fail('facilities@demo.test', 10);
    expect(res.status).to.equal(429);
    // 10:09 UTC in March is 10:09 in London; locked for 15 minutes from then.
    expect(res.text).to.include('This account is locked after too many failed sign-ins');
    expect(res.text).to.include('Try again after 10:24am');
    expect(res.text).to.include('ask your Prevent coordinator to unlock it');
    const u = t.services.users.byEmail('facilities@demo.test')!;
    expect(u.lockedUntil).to.equal('2026-03-14T10:24:00.000Z');

    const right = await attempt(t, 'facilities@demo.test', DEMO_PASSWORD, '203.0.113.50');
    expect(right.res.status, 'the right password is refused while locked').to.equal(429);
    expect((await right.agent.get('/')).status).to.equal(303);

    clock.advanceMinutes(15);
    const later = await attempt(t, 'facilities@demo.test', DEMO_PASSWORD, '203.0.113.51');
    expect(later.res.status, 'signs in once the lock has ended').to.equal(303);
    expect(t.services.users.byEmail('facilities@demo.test')!.lockedUntil).to.equal(null);
  });

  it('when failures are spread over more than 15 minutes, then the older ones no longer count', async () => {
    for (let i = 1; i <= 9; i++) await fail('viewer@demo.test', i);
    clock.advanceMinutes(16);
    const { res } = await fail('viewer@demo.test', 10);
    expect(res.status).to.equal(400);
    expect(t.services.users.byEmail('viewer@demo.test')!.failedSignIns).to.have.length(1);
  });

  it('when a user signs in correctly, then their count of failures starts again', async () => {
    for (let i = 1; i <= 5; i++) await fail('viewer@demo.test', i);
    expect((await attempt(t, 'viewer@demo.test', DEMO_PASSWORD, '203.0.113.60')).res.status).to.equal(303);
    expect(t.services.users.byEmail('viewer@demo.test')!.failedSignIns).to.deep.equal([]);
  });

  it('when a coordinator unlocks a locked account from the Users page, then its owner can sign in at once', async () => {
    for (let i = 1; i <= 10; i++) await fail('education@demo.test', i);
    const id = t.services.users.byEmail('education@demo.test')!.id;
    const c = await t.signIn('coordinator@demo.test');
    const list = await c.get('/users');
    expect(list.text).to.include('Locked until 14 March 2026 at 10:15am');
    expect(list.text).to.include(`action="/users/${id}/unlock"`);
    const res = await c.post(`/users/${id}/unlock`);
    expect(res.status).to.equal(303);
    expect((await c.get('/users')).text).to.include('Eddie Education was unlocked');
    expect(t.services.users.byEmail('education@demo.test')!.lockedUntil).to.equal(null);
    expect((await attempt(t, 'education@demo.test', DEMO_PASSWORD, '203.0.113.70')).res.status).to.equal(303);
  });

  it('when anyone but a coordinator asks to unlock an account, then it is refused and the lock stays', async () => {
    for (let i = 1; i <= 10; i++) await fail('education@demo.test', i);
    const id = t.services.users.byEmail('education@demo.test')!.id;
    const f = await t.signIn('facilities@demo.test');
    expect((await f.post(`/users/${id}/unlock`)).status).to.equal(403);
    expect(t.services.users.byEmail('education@demo.test')!.lockedUntil).to.not.equal(null);
  });

  it('when one address fails 10 times across different accounts, then that address is locked, other addresses are not', async () => {
    const address = '192.0.2.44';
    const emails = ['a@nowhere.test', 'b@nowhere.test', 'viewer@demo.test', 'c@nowhere.test'];
    for (let i = 0; i < 9; i++) {
      const { res } = await attempt(t, itemAt(emails, i % emails.length), 'wrong-password-99', address);
      expect(res.status).to.equal(400);
    }
    const tenth = await attempt(t, 'd@nowhere.test', 'wrong-password-99', address);
    expect(tenth.res.status).to.equal(429);
    expect(tenth.res.text).to.include('too many failed sign-ins from your network');
    expect(tenth.res.text).to.include('Try again after 10:15am');
    const blocked = await attempt(t, 'coordinator@demo.test', DEMO_PASSWORD, address);
    expect(blocked.res.status, 'even the right password, from that address').to.equal(429);
    const elsewhere = await attempt(t, 'coordinator@demo.test', DEMO_PASSWORD, '192.0.2.45');
    expect(elsewhere.res.status).to.equal(303);
    clock.advanceMinutes(15);
    expect((await attempt(t, 'coordinator@demo.test', DEMO_PASSWORD, address)).res.status).to.equal(303);
  });

  it('when an unknown email fails, then nothing is written to the database', async () => {
    const before = t.store.revision;
    await attempt(t, 'nobody@nowhere.test', 'wrong-password-99');
    expect(t.store.revision).to.equal(before);
  });
});

describe('Security: sessions', () => {
  let t: TestApp;
  let clock: TestClock;
  beforeEach(async () => {
    clock = new TestClock('2026-03-14T10:00:00Z');
    t = await startTestApp({ now: clock.now });
  });
  afterEach(() => t.close());

  it('when someone signs in, then the session id before sign-in no longer opens anything (no fixation)', async () => {
    const agent = request.agent(t.app);
    const page = await agent.get('/login');
    const before = groupOf(/dueregard=([^;]+)/, String(page.headers['set-cookie']));
    const res = await agent
      .post('/login')
      .type('form')
      .send({ _csrf: csrfFrom(page.text), email: 'viewer@demo.test', password: DEMO_PASSWORD });
    const after = groupOf(/dueregard=([^;]+)/, String(res.headers['set-cookie']));
    expect(after).to.not.equal(before);
    expect((await request(t.app).get('/').set('Cookie', `dueregard=${after}`)).status).to.equal(200);
    expect((await request(t.app).get('/').set('Cookie', `dueregard=${before}`)).status).to.equal(303);
  });

  it('when a session cookie’s id or signature is changed, or the id is signed under another secret, then it opens nothing', async () => {
    const page = await request(t.app).get('/login');
    const first = /dueregard=([^;]+)/.exec(String(page.headers['set-cookie']))?.[1] ?? '';
    const login = await request(t.app)
      .post('/login')
      .set('Cookie', `dueregard=${first}`)
      .type('form')
      .send({ _csrf: csrfFrom(page.text), email: 'viewer@demo.test', password: DEMO_PASSWORD });
    const value = decodeURIComponent(
      /dueregard=([^;]+)/.exec(String(login.headers['set-cookie']))?.[1] ?? '',
    );
    const m = /^s:([^.]+)\.(.+)$/.exec(value);
    if (!m?.[1] || !m[2]) throw new Error(`Not a signed session cookie: ${value}`);
    const [id, mac] = [m[1], m[2]];
    const open = (v: string) =>
      request(t.app)
        .get('/account')
        .set('Cookie', `dueregard=${encodeURIComponent(v)}`);
    expect((await open(value)).status, 'the genuine cookie').to.equal(200);
    const flip = (c: string) => (c === 'A' ? 'B' : 'A');
    expect((await open(`s:${flip(id.charAt(0))}${id.slice(1)}.${mac}`)).status, 'a changed id').to.equal(303);
    expect(
      (await open(`s:${id}.${mac.slice(0, -1)}${flip(mac.slice(-1))}`)).status,
      'a changed signature',
    ).to.equal(303);
    const otherMac = createHmac('sha256', 'another-secret-0123456789abcdef0123456789')
      .update(id)
      .digest('base64');
    expect((await open(`s:${id}.${otherMac.replace(/=+$/, '')}`)).status, 'another secret').to.equal(303);
    expect((await open(value)).status, 'the genuine cookie still').to.equal(200);
  });

  it('when a signed-in session is idle longer than the idle timeout, then it is signed out; activity within it keeps it alive', async () => {
    const a = await t.signIn('viewer@demo.test');
    clock.advanceMinutes(59);
    expect((await a.get('/')).status).to.equal(200);
    clock.advanceMinutes(59);
    expect((await a.get('/')).status, 'activity restarted the idle clock').to.equal(200);
    clock.advanceMinutes(61);
    const res = await a.get('/');
    expect(res.status).to.equal(303);
    expect(res.headers.location).to.equal('/login?next=%2F');
  });

  it('when a signed-in session has timed out, then it is removed and the redirect to sign in keeps no new session in its place', async () => {
    const a = await t.signIn('viewer@demo.test');
    const held = await t.services.sessions.count();
    expect(held).to.be.at.least(1);
    clock.advanceMinutes(61);
    const res = await a.get('/');
    expect(res.status).to.equal(303);
    expect(res.headers['set-cookie'], 'no cookie for an empty session').to.equal(undefined);
    expect(await t.services.sessions.count()).to.equal(held - 1);
  });

  it('when a session has been signed in for 12 hours, then it ends however active it was', async () => {
    const a = await t.signIn('viewer@demo.test');
    for (let i = 0; i < 14; i++) {
      clock.advanceMinutes(50);
      expect((await a.get('/account')).status, `after ${(i + 1) * 50} minutes`).to.equal(200);
    }
    clock.advanceMinutes(50);
    expect((await a.get('/account')).status).to.equal(303);
  });

  it('when many anonymous visitors come and go, then their expired sessions are swept out of memory', async () => {
    for (let i = 0; i < 20; i++) await request(t.app).get('/login');
    const held = await t.services.sessions.count();
    expect(held).to.be.at.least(20);
    clock.advanceMinutes(61);
    await t.services.sessions.prune();
    expect(await t.services.sessions.count()).to.equal(0);
  });
});

describe('Security: your account page', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await startTestApp();
  });
  afterEach(() => t.close());

  it('when a user signs out everywhere, then every one of their sessions ends and other users stay signed in', async () => {
    const laptop = await t.signIn('facilities@demo.test');
    const phone = await t.signIn('facilities@demo.test');
    const colleague = await t.signIn('viewer@demo.test');
    expect((await laptop.get('/')).text, 'the name in the header links to the account page').to.match(
      /<a [^>]*href="\/account">Fran Facilities/,
    );
    const page = await laptop.get('/account');
    expect(page.status).to.equal(200);
    expect(page.text).to.include('Sign out everywhere');
    const epoch = t.services.users.byEmail('facilities@demo.test')!.sessionEpoch;
    const res = await laptop.post('/account/sign-out-everywhere');
    expect(res.status).to.equal(303);
    expect(res.headers.location).to.equal('/login');
    expect((await laptop.agent.get('/login')).text).to.include('You were signed out on every device');
    expect((await laptop.get('/')).status).to.equal(303);
    expect((await phone.get('/')).status).to.equal(303);
    expect((await colleague.get('/')).status).to.equal(200);
    expect(t.services.users.byEmail('facilities@demo.test')!.sessionEpoch).to.equal(epoch + 1);
  });

  it('when a session from before "sign out everywhere" is still held in memory, then the epoch alone refuses it', async () => {
    const old = await t.signIn('facilities@demo.test');
    // As if the sessions had not been dropped (e.g. another process): only the epoch protects.
    await t.services.users.signOutEverywhere('test', t.services.users.byEmail('facilities@demo.test')!.id);
    expect((await old.get('/')).status).to.equal(303);
  });

  it('when a new password is too short, common, mistyped, or the current one is wrong, then it is refused with the reason and nothing changes', async () => {
    const a = await t.signIn('viewer@demo.test');
    const hash = t.services.users.byEmail('viewer@demo.test')!.passwordHash;
    const cases: [Record<string, string>, string][] = [
      [
        { current: DEMO_PASSWORD, password: 'short-pw', confirm: 'short-pw' },
        'Password must be at least 12 characters',
      ],
      [
        { current: DEMO_PASSWORD, password: 'password1234', confirm: 'password1234' },
        'Password is too common; choose a longer phrase',
      ],
      [
        { current: DEMO_PASSWORD, password: 'correct horse battery', confirm: 'correct horse batter' },
        'The passwords do not match',
      ],
      [
        { current: 'not-my-password', password: 'correct horse battery', confirm: 'correct horse battery' },
        'Your current password is wrong',
      ],
      [{ current: DEMO_PASSWORD, password: DEMO_PASSWORD, confirm: DEMO_PASSWORD }, 'must be different'],
    ];
    for (const [form, message] of cases) {
      const res = await a.post('/account/password', form);
      expect(res.status, message).to.equal(400);
      expect(res.text).to.include('govuk-error-summary');
      expect(res.text).to.include(message);
      expect(res.text).to.include('<title>Error: Change your password — Due Regard</title>');
    }
    expect(t.services.users.byEmail('viewer@demo.test')!.passwordHash).to.equal(hash);
  });

  it('when a user changes their password, then the new one works, the old one does not, and their other sessions end', async () => {
    const here = await t.signIn('viewer@demo.test');
    const elsewhere = await t.signIn('viewer@demo.test');
    const res = await here.post('/account/password', {
      current: DEMO_PASSWORD,
      password: 'correct horse battery staple',
      confirm: 'correct horse battery staple',
    });
    expect(res.status).to.equal(303);
    const account = await here.get('/account');
    expect(account.status, 'this session carries on').to.equal(200);
    expect(account.text).to.include('Your password was changed');
    expect((await elsewhere.get('/')).status).to.equal(303);
    expect((await attempt(t, 'viewer@demo.test', DEMO_PASSWORD)).res.status).to.equal(400);
    expect((await attempt(t, 'viewer@demo.test', 'correct horse battery staple')).res.status).to.equal(303);
  });

  it('when someone signs in with a one-time password, then every page sends them to change it first', async () => {
    const c = await t.signIn('coordinator@demo.test');
    // New accounts are invited; a reset gives a one-time password.
    await c.post('/users', { name: 'New Starter', email: 'new.starter@demo.test', role: 'facilities' });
    await c.post(`/users/${t.services.users.byEmail('new.starter@demo.test')!.id}/reset-password`);
    const shown = await c.get('/users');
    const oneTime = groupOf(/id="one-time-password">([^<]+)</, shown.text);
    const { agent, res } = await attempt(t, 'new.starter@demo.test', oneTime);
    expect(res.headers.location).to.equal('/account/password');
    const dash = await agent.get('/premises');
    expect(dash.status).to.equal(303);
    expect(dash.headers.location).to.equal('/account/password');
    const page = await agent.get('/account/password');
    expect(page.text).to.include('You signed in with a one-time password');
    await agent
      .post('/account/password')
      .type('form')
      .send({
        _csrf: csrfFrom(page.text),
        current: oneTime,
        password: 'a long new pass phrase',
        confirm: 'a long new pass phrase',
      });
    expect((await agent.get('/premises')).status).to.equal(200);
    expect(t.services.users.byEmail('new.starter@demo.test')!.mustChangePassword).to.equal(false);
  });
});

describe('Security: which client address the sign-in lockout counts (TRUST_PROXY)', () => {
  /** Ten failures from one X-Forwarded-For address, then the right password from another. */
  async function lockOneThenTryAnother(t: TestApp): Promise<number> {
    for (let i = 0; i < 10; i++) await attempt(t, `x${i}@nowhere.test`, 'wrong-password-99', '192.0.2.10');
    return (await attempt(t, 'coordinator@demo.test', DEMO_PASSWORD, '192.0.2.20')).res.status;
  }

  it('when the proxy on loopback is trusted (the default), then two forwarded addresses are locked out separately', async () => {
    const t = await startTestApp();
    try {
      expect(t.config.trustProxy).to.deep.equal(['loopback']);
      expect(await lockOneThenTryAnother(t)).to.equal(303);
      expect((await attempt(t, 'coordinator@demo.test', DEMO_PASSWORD, '192.0.2.10')).res.status).to.equal(
        429,
      );
    } finally {
      await t.close();
    }
  });

  it('when no proxy is trusted (TRUST_PROXY=false), then X-Forwarded-For is ignored and both are the one connecting address', async () => {
    const t = await startTestApp({ config: { trustProxy: false } });
    try {
      expect(await lockOneThenTryAnother(t)).to.equal(429);
    } finally {
      await t.close();
    }
  });

  it('when a proxy elsewhere is trusted but not loopback, then the loopback client’s X-Forwarded-For is not believed', async () => {
    const t = await startTestApp({ config: { trustProxy: ['10.0.0.0/8'] } });
    try {
      expect(await lockOneThenTryAnother(t)).to.equal(429);
    } finally {
      await t.close();
    }
  });
});
