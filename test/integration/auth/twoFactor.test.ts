import { expect } from 'chai';
import { totpCodeAt } from '../../../server/auth/totp.js';
import { auditTextOf, storedTextOf } from '../../support/storeBackends.js';
import { csrfFrom, startTestApp, type TestApp } from '../../support/testApp.js';
import { TestClock } from '../../support/testClock.js';
import { enrol, passwordStep, secretFrom, sendCode } from '../../support/twoFactorAgent.js';
import { itemAt } from '../../../data/itemAt.js';

const EMAIL = 'facilities@demo.test';

describe('Two-factor authentication (TOTP) for password accounts', () => {
  let t: TestApp;
  let clock: TestClock;
  const code = (secret: string) => totpCodeAt(secret, clock.now().getTime());

  beforeEach(async () => {
    clock = new TestClock('2026-03-14T10:00:00Z');
    t = await startTestApp({ now: clock.now });
  });
  afterEach(() => t.close());

  /** Signs in with the password (no second factor yet) and enrols. */
  async function enrolled() {
    const { agent } = await passwordStep(t, EMAIL);
    return enrol(agent, clock.now);
  }

  it('when a user sets it up, then the page shows the secret as text and a QR code drawn here, a wrong first code is refused, and the right one turns it on with 10 recovery codes shown once', async () => {
    const { agent } = await passwordStep(t, EMAIL);
    const page = await agent.get('/account/two-factor');
    expect(page.status).to.equal(200);
    expect(page.text).to.include('<svg role="img" aria-label="QR code to scan with your authenticator app"');
    expect(page.text).to.not.match(/<img[^>]+qr/i);
    const secret = secretFrom(page.text);
    expect(secret).to.match(/^[A-Z2-7]{32}$/);
    expect((await agent.get('/account/two-factor')).text, 'a reload keeps the same secret').to.include(
      secret.slice(0, 4),
    );
    const wrong = await agent
      .post('/account/two-factor')
      .type('form')
      .send({ _csrf: csrfFrom(page.text), code: '12345' });
    expect(wrong.status).to.equal(400);
    expect(wrong.text).to.include('The security code must be 6 numbers');
    expect(t.services.users.byEmail(EMAIL)!.totpSecret ?? null).to.equal(null);

    const right = await agent
      .post('/account/two-factor')
      .type('form')
      .send({ _csrf: csrfFrom(page.text), code: code(secret) });
    expect(right.status).to.equal(303);
    expect(right.headers.location).to.equal('/account/two-factor/recovery-codes');
    const shown = await agent.get('/account/two-factor/recovery-codes');
    const codes = [...shown.text.matchAll(/<li><code>([a-z0-9-]+)<\/code><\/li>/g)].map((m) => m[1] ?? '');
    expect(codes).to.have.length(10);
    expect(new Set(codes).size).to.equal(10);
    expect((await agent.get('/account/two-factor/recovery-codes')).status, 'shown once').to.equal(303);

    const user = t.services.users.byEmail(EMAIL)!;
    expect(user.totpSecret).to.equal(secret);
    expect(user.recoveryCodeHashes!.split(' ')).to.have.length(10);
    // The codes are kept only as hashes, and neither they nor the secret reach the audit log.
    await t.store.flushed();
    const log = await auditTextOf(t.store);
    const files = (await storedTextOf(t.store)) + log;
    for (const c of codes) expect(files).to.not.include(c);
    expect(log).to.not.include(secret);
  });

  it('when an enrolled user signs in, then the password alone does not sign them in, and the security code does', async () => {
    const { secret } = await enrolled();
    clock.advanceMinutes(1);
    const { agent, res } = await passwordStep(t, EMAIL);
    expect(res.status).to.equal(303);
    expect(res.headers.location).to.equal('/login/two-factor');
    expect((await agent.get('/')).headers.location, 'not signed in yet').to.match(/^\/login/);
    const page = await agent.get('/login/two-factor');
    expect(page.text).to.include('autocomplete="one-time-code"');
    expect(page.text).to.include('inputmode="numeric"');
    const done = await sendCode(agent, code(secret));
    expect(done.status).to.equal(303);
    expect(done.headers.location).to.equal('/');
    expect((await agent.get('/')).status).to.equal(200);
  });

  it('when a user sets it up and signs in with a code, then the audit log says both in words, never the code’s time step', async () => {
    const { secret } = await enrolled();
    clock.advanceMinutes(1);
    const { agent } = await passwordStep(t, EMAIL);
    expect((await sendCode(agent, code(secret))).status).to.equal(303);
    const coordinator = await t.signIn('coordinator@demo.test');
    const html = (await coordinator.get('/audit?collection=users&who=fran')).text;
    const text = (/<main[\s\S]*?<\/main>/.exec(html)?.[0] ?? '')
      .replace(/<details[\s\S]*?<\/details>/g, ' ')
      .replace(/<(select|script)[\s\S]*?<\/\1>/g, ' ')
      .replace(/<[^>]+>/g, ' ')
      .replace(/\s+/g, ' ')
      .replace(/ ,/g, ',');
    expect(text).to.include('Fran Facilities set up two-factor authentication for the user Fran Facilities');
    expect(text).to.include(
      'Fran Facilities recorded the security code used to sign in as the user Fran Facilities, so it cannot be used again',
    );
    expect(text).to.not.match(/Totp|last step/i);
  });

  it('when the same code is sent a second time, then it is refused, even in another browser', async () => {
    const { secret } = await enrolled();
    clock.advanceMinutes(1);
    const used = code(secret);
    const first = await passwordStep(t, EMAIL);
    expect((await sendCode(first.agent, used)).status).to.equal(303);
    const second = await passwordStep(t, EMAIL);
    const again = await sendCode(second.agent, used);
    expect(again.status).to.equal(400);
    expect(again.text).to.include('The security code is not right');
    expect((await second.agent.get('/')).headers.location).to.match(/^\/login/);
    clock.advanceMinutes(1);
    expect((await sendCode(second.agent, code(secret))).status, 'the next code works').to.equal(303);
  });

  it('when two browsers send the same right code at the same moment, then exactly one is signed in', async () => {
    const { secret } = await enrolled();
    clock.advanceMinutes(1);
    const a = await passwordStep(t, EMAIL);
    const b = await passwordStep(t, EMAIL);
    const same = code(secret);
    const answers = await Promise.all([sendCode(a.agent, same), sendCode(b.agent, same)]);
    expect(answers.map((r) => r.status).sort()).to.deep.equal([303, 400]);
  });

  it('when a recovery code is used, then it signs in once and never again, and the page says how many are left', async () => {
    const { codes } = await enrolled();
    const first = await passwordStep(t, EMAIL);
    const ok = await sendCode(first.agent, itemAt(codes, 3).toUpperCase().replace(/-/g, ' '), {
      recovery: true,
    });
    expect(ok.status).to.equal(303);
    expect((await first.agent.get('/')).text).to.include('You have 9 left');
    const second = await passwordStep(t, EMAIL);
    const again = await sendCode(second.agent, itemAt(codes, 3), { recovery: true });
    expect(again.status).to.equal(400);
    expect(again.text).to.include('The recovery code is not right, or it has been used already');
    expect(t.services.users.byEmail(EMAIL)!.recoveryCodeHashes!.split(' ')).to.have.length(9);
  });

  it('when wrong codes are sent 10 times, then the account is locked like after wrong passwords, and even the right code is refused', async () => {
    const { secret } = await enrolled();
    clock.advanceMinutes(1);
    const { agent } = await passwordStep(t, EMAIL);
    for (let i = 1; i <= 9; i++) {
      const res = await sendCode(agent, '000000', { address: `203.0.113.${i}` });
      expect(res.status, `attempt ${i}`).to.equal(400);
    }
    const tenth = await sendCode(agent, '000000', { address: '203.0.113.10' });
    expect(tenth.status).to.equal(429);
    expect(tenth.text).to.include('This account is locked after too many failed sign-ins');
    const right = await sendCode(agent, code(secret), { address: '203.0.113.11' });
    expect(right.status).to.equal(429);
    expect((await agent.get('/')).headers.location).to.match(/^\/login/);
  });

  it('when someone who knows the password enters it again between wrong codes, then the wrong codes still add up to a lockout', async () => {
    await enrolled();
    clock.advanceMinutes(1);
    for (let i = 1; i <= 9; i++) {
      const { agent } = await passwordStep(t, EMAIL, undefined, `203.0.113.${i}`);
      const res = await sendCode(agent, '000000', { address: `203.0.113.${i}` });
      expect(res.status, `attempt ${i}`).to.equal(400);
    }
    const { agent, res } = await passwordStep(t, EMAIL, undefined, '203.0.113.10');
    expect(res.headers.location).to.equal('/login/two-factor');
    const tenth = await sendCode(agent, '000000', { address: '203.0.113.10' });
    expect(tenth.status).to.equal(429);
    expect(tenth.text).to.include('This account is locked');
  });

  it('when REQUIRE_2FA is on, then a password sign-in leads to enrolment before any other page, and after it the user carries on', async () => {
    await t.close();
    t = await startTestApp({ now: clock.now, config: { require2fa: true } });
    const { agent } = await passwordStep(t, EMAIL);
    for (const path of ['/', '/premises', '/account']) {
      const res = await agent.get(path);
      expect(res.status, path).to.equal(303);
      expect(res.headers.location, path).to.equal('/account/two-factor');
    }
    await enrol(agent, clock.now);
    expect((await agent.get('/premises')).status).to.equal(200);
  });

  it('when a coordinator resets a user’s second factor, then it is logged, and the user signs in with the password alone until they enrol again', async () => {
    await enrolled();
    const id = t.services.users.byEmail(EMAIL)!.id;
    const c = await t.signIn('coordinator@demo.test');
    expect((await c.get('/users')).text).to.include(`action="/users/${id}/reset-two-factor"`);
    const res = await c.post(`/users/${id}/reset-two-factor`);
    expect(res.status).to.equal(303);
    expect((await c.get('/users')).text).to.include('two-factor authentication was reset');
    const user = t.services.users.byEmail(EMAIL)!;
    expect(user.totpSecret).to.equal(null);
    expect(user.recoveryCodeHashes).to.equal('');
    await t.store.flushed();
    const log: { recordId: string; actor: string; after: Record<string, unknown> }[] = (
      await auditTextOf(t.store)
    )
      .trim()
      .split('\n')
      .map((l: string) => JSON.parse(l));
    const entry = log.filter((e) => e.recordId === id).at(-1)!;
    expect(entry.actor).to.equal('coordinator@demo.test');
    expect(entry.after.totpSecret).to.equal(null);
    const { res: signedIn } = await passwordStep(t, EMAIL);
    expect(signedIn.headers.location).to.equal('/');
  });

  it('when someone other than a coordinator asks to reset a second factor, then they are refused and nothing changes', async () => {
    await enrolled();
    const id = t.services.users.byEmail(EMAIL)!.id;
    const viewer = await t.signIn('viewer@demo.test');
    expect((await viewer.post(`/users/${id}/reset-two-factor`)).status).to.equal(403);
    expect(t.services.users.byEmail(EMAIL)!.totpSecret).to.be.a('string');
  });
});
