import { expect } from 'chai';
import request from 'supertest';
import { auditEntries } from '../../support/auditEntries.js';
import { startTestApp, type TestApp } from '../../support/testApp.js';
import { TestClock } from '../../support/testClock.js';
import { enrol, passwordStep, sendCode } from '../../support/twoFactorAgent.js';
import { totpCodeAt } from '../../../server/auth/totp.js';

// Discovery happens at the first single sign-on, so these password tests need no provider running.
const oidc = { issuer: 'https://login.example.test/tenant/v2.0', clientId: 'id', clientSecret: 'secret' };

describe('OIDC_ONLY: password sign-in only for the break-glass coordinator', () => {
  let t: TestApp;
  let clock: TestClock;
  beforeEach(async () => {
    clock = new TestClock('2026-03-14T10:00:00Z');
    t = await startTestApp({ now: clock.now, config: { oidc, passwordOnlyFor: 'coordinator@demo.test' } });
  });
  afterEach(() => t.close());

  it('when the sign-in page is shown, then single sign-on comes first and the password form is under emergency sign-in', async () => {
    const page = await request(t.app).get('/login');
    expect(page.text).to.include('Sign in with your council account');
    expect(page.text).to.include('Emergency sign-in with a password');
    expect(page.text.indexOf('Sign in with your council account')).to.be.below(
      page.text.indexOf('Emergency sign-in with a password'),
    );
  });

  it('when anyone else signs in with the right password, then they are refused and told to use their council account', async () => {
    const { agent, res } = await passwordStep(t, 'facilities@demo.test');
    expect(res.status).to.equal(400);
    expect(res.text).to.include(
      'Sign in with your council account. Password sign-in is for emergency access only',
    );
    expect(res.text).to.include('<details class="govuk-details" open>');
    expect((await agent.get('/')).headers.location).to.match(/^\/login/);
  });

  it('when the break-glass coordinator signs in with the password, then they must set up two-factor first, and later sign-ins need the code and are logged', async () => {
    const first = await passwordStep(t, 'coordinator@demo.test');
    expect(first.res.status).to.equal(303);
    expect((await first.agent.get('/')).headers.location).to.equal('/account/two-factor');
    const { secret } = await enrol(first.agent, clock.now);
    expect((await first.agent.get('/')).status).to.equal(200);

    clock.advanceMinutes(1);
    const second = await passwordStep(t, 'coordinator@demo.test');
    expect(second.res.headers.location).to.equal('/login/two-factor');
    expect((await sendCode(second.agent, totpCodeAt(secret, clock.now().getTime()))).status).to.equal(303);
    const logged = (await auditEntries(t)).filter((e) => e.action === 'sign-in');
    expect(logged).to.have.length(2);
    for (const e of logged) {
      expect(e.actor).to.equal('coordinator@demo.test');
      expect(e.after).to.deep.equal({ outcome: 'signed in', method: 'break-glass password' });
    }
  });

  it('when BREAK_GLASS_EMAIL names an account that is not a coordinator, then its password is refused too', async () => {
    await t.close();
    t = await startTestApp({ now: clock.now, config: { oidc, passwordOnlyFor: 'viewer@demo.test' } });
    const { agent, res } = await passwordStep(t, 'viewer@demo.test');
    expect(res.status).to.equal(400);
    expect((await agent.get('/')).headers.location).to.match(/^\/login/);
  });
});
