import { expect } from 'chai';
import request from 'supertest';
import { csrfFrom, DEMO_PASSWORD, startTestApp, type TestApp } from '../../support/testApp.js';

/** A fresh browser holding the sign-in page's CSRF token, ready to post at once. */
async function ready(t: TestApp) {
  const agent = request.agent(t.app);
  const csrf = csrfFrom((await agent.get('/login')).text);
  return { agent, csrf };
}

const post = (b: Awaited<ReturnType<typeof ready>>, email: string, password: string, address: string) =>
  b.agent
    .post('/login')
    .set('X-Forwarded-For', address)
    .type('form')
    .send({ _csrf: b.csrf, email, password, next: '/' });

describe('Security: sign-in throttling under concurrency (SPEC §10)', () => {
  let t: TestApp;
  beforeEach(async () => {
    // A real hash cost, so checks overlap as they would in production.
    t = await startTestApp({ config: { passwordHashCost: 14 } });
  });
  afterEach(() => t.close());

  it('when 29 wrong passwords and then the right one are sent at once, then none signs in and the account is locked', async () => {
    const browsers = await Promise.all(Array.from({ length: 30 }, () => ready(t)));
    const answers = await Promise.all(
      browsers.map((b, i) =>
        post(
          b,
          'facilities@demo.test',
          i < 29 ? `wrong-password-${i}` : DEMO_PASSWORD,
          `198.51.100.${i + 1}`,
        ),
      ),
    );
    const statuses = answers.map((r) => r.status);
    expect(
      statuses.filter((s) => s === 303),
      'signed in',
    ).to.deep.equal([]);
    expect(statuses.filter((s) => s === 400).length, 'password checks made').to.be.at.most(10);
    expect(statuses[29]).to.equal(429);
    expect(answers[29]?.text).to.include('This account is locked');
    for (const b of browsers) expect((await b.agent.get('/')).status).to.equal(303);
    expect(t.services.users.byEmail('facilities@demo.test')!.lockedUntil).to.not.equal(null);
  });

  it('when a right password signs in while a wrong one is still being checked, then the wrong one still counts', async () => {
    const throttle = t.services.signInThrottle;
    const user = t.services.users.byEmail('facilities@demo.test');
    if (!user) throw new Error('demo user expected');
    const wrong = await throttle.begin(user.email, user, '198.51.100.1');
    const right = await throttle.begin(user.email, user, '198.51.100.2');
    if (!wrong.ok || !right.ok) throw new Error('both checks let through');
    expect(await right.check.succeeded(), 'the right password signs in').to.equal(null);
    expect(t.services.users.byEmail(user.email)?.failedSignIns, 'the count starts again').to.deep.equal([]);
    expect(await wrong.check.failed()).to.equal(null);
    expect(t.services.users.byEmail(user.email)?.failedSignIns.length, 'the wrong one counted').to.equal(1);
  });

  it('when 30 guesses at different accounts come at once from one IPv6 /64, then at most 10 are checked', async () => {
    const browsers = await Promise.all(Array.from({ length: 30 }, () => ready(t)));
    const answers = await Promise.all(
      browsers.map((b, i) =>
        post(b, `nobody${i}@nowhere.test`, 'wrong-password-1', `2001:db8:1:2::${i.toString(16)}`),
      ),
    );
    expect(answers.filter((r) => r.status === 400).length).to.be.at.most(10);
    expect(answers.filter((r) => r.status === 429).length).to.be.at.least(20);
    const same64 = await post(await ready(t), 'coordinator@demo.test', DEMO_PASSWORD, '2001:db8:1:2:ffff::1');
    expect(same64.status, 'another address in the same /64').to.equal(429);
    const other64 = await post(await ready(t), 'coordinator@demo.test', DEMO_PASSWORD, '2001:db8:1:3::1');
    expect(other64.status, 'the next /64').to.equal(303);
  });

  it('when the current password on /account/password is guessed 10 times, then the 11th check is refused even if right', async () => {
    const a = await t.signIn('viewer@demo.test');
    const csrf = await a.refreshCsrf('/account/password');
    const guesses = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        a.agent
          .post('/account/password')
          .type('form')
          .send({
            _csrf: csrf,
            current: `wrong-guess-${i}`,
            password: 'A new long passphrase 1',
            confirm: 'A new long passphrase 1',
          }),
      ),
    );
    expect(guesses.filter((r) => r.status === 400).length).to.be.at.most(10);
    expect(guesses.some((r) => r.status === 429)).to.equal(true);
    const right = await a.agent.post('/account/password').type('form').send({
      _csrf: csrf,
      current: DEMO_PASSWORD,
      password: 'A new long passphrase 1',
      confirm: 'A new long passphrase 1',
    });
    expect(right.status).to.equal(429);
    expect(right.text).to.include('This account is locked');
    expect(await t.services.users.authenticate('viewer@demo.test', DEMO_PASSWORD)).to.not.equal(null);
  });
});
