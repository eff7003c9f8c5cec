import { groupOf, locationOf } from '../../support/pageParts.js';
import { expect } from 'chai';
import request from 'supertest';
import type { OidcSettings } from '../../../server/config.js';
import { auditEntries } from '../../support/auditEntries.js';
import { type IdpAccount, startTestIdp, type TestIdp } from '../../support/oidcTestProvider.js';
import { startTestApp, type TestApp } from '../../support/testApp.js';

// The app is reached in-process; this is only the address it tells the provider to send people back to.
const BASE = 'http://dueregard.test';
const CALLBACK = `${BASE}/auth/callback`;

const person = (email: string, verified = true): IdpAccount => ({
  sub: `sub-${email}`,
  email,
  email_verified: verified,
});

describe('Single sign-on with the council’s OpenID Connect provider (a real provider on loopback)', () => {
  let idp: TestIdp;
  let t: TestApp;
  const settings = (): OidcSettings => ({
    issuer: idp.issuer,
    clientId: idp.clientId,
    clientSecret: idp.clientSecret,
  });

  before(async () => {
    idp = await startTestIdp({ redirectUri: CALLBACK });
  });
  after(() => idp.close());
  beforeEach(async () => {
    t = await startTestApp({ config: { baseUrl: BASE, oidc: settings() } });
  });
  afterEach(() => t.close());

  /** A fresh browser: "Sign in with your council account", the provider, and back to the callback. */
  async function signInWith(account: IdpAccount, tamper?: (back: URL) => void) {
    const agent = request.agent(t.app);
    const start = await agent.get('/auth/login?next=%2Fpremises');
    expect(start.status, start.text).to.equal(303);
    const auth = new URL(locationOf(start));
    idp.signInAs(account);
    const back = await idp.authorize(auth.href, CALLBACK);
    tamper?.(back);
    const res = await agent.get(back.pathname + back.search);
    return { agent, res, auth, back };
  }

  const signInEntries = async () => (await auditEntries(t)).filter((e) => e.action === 'sign-in');

  it('when the sign-in page is shown, then it offers "Sign in with your council account", and the request to the provider uses PKCE (S256), state and nonce', async () => {
    const page = await request(t.app).get('/login');
    expect(page.text).to.include('Sign in with your council account');
    expect(page.text).to.include('href="/auth/login"');
    const start = await request(t.app).get('/auth/login');
    const auth = new URL(locationOf(start));
    expect(auth.origin).to.equal(idp.issuer);
    expect(auth.searchParams.get('response_type')).to.equal('code');
    expect(auth.searchParams.get('redirect_uri')).to.equal(CALLBACK);
    expect(auth.searchParams.get('code_challenge_method')).to.equal('S256');
    expect(auth.searchParams.get('code_challenge')).to.match(/^[\w-]{43}$/);
    expect(auth.searchParams.get('state')).to.match(/^[\w-]{20,}$/);
    expect(auth.searchParams.get('nonce')).to.match(/^[\w-]{20,}$/);
    expect(auth.searchParams.get('scope')).to.include('email');
  });

  it('when a coordinator signs in (email in another case), then they are signed in to their account with its role, and it is in the audit log', async () => {
    const { agent, res } = await signInWith(person('Coordinator@Demo.TEST'));
    expect(res.status).to.equal(303);
    expect(res.headers.location).to.equal('/premises');
    expect((await agent.get('/users')).status, 'a coordinator’s page').to.equal(200);
    const entries = await signInEntries();
    const user = t.services.users.byEmail('coordinator@demo.test')!;
    expect(entries.at(-1)).to.include({ actor: 'coordinator@demo.test', recordId: user.id });
    expect(entries.at(-1)!.after).to.deep.equal({ outcome: 'signed in', method: 'single sign-on' });

    // Local sign-out ends the session here (single logout at the provider is not attempted).
    const account = await agent.get('/account');
    const csrf = groupOf(/name="_csrf" value="([^"]+)"/, account.text);
    expect((await agent.post('/logout').type('form').send({ _csrf: csrf })).status).to.equal(303);
    expect((await agent.get('/users')).headers.location).to.match(/^\/login/);
  });

  it('when a library manager signs in, then they keep their role and see only their own libraries', async () => {
    const manager = t.services.users.byEmail('libraries@demo.test')!;
    const own = manager.libraryIds[0];
    const other = t.store.list('libraries').find((l) => !manager.libraryIds.includes(l.id))!;
    const { agent, res } = await signInWith(person('libraries@demo.test'));
    expect(res.status).to.equal(303);
    expect((await agent.get(`/libraries/${own}`)).status).to.equal(200);
    expect((await agent.get(`/libraries/${other.id}`)).status, 'another library').to.equal(404);
    expect((await agent.get('/users')).status, 'not a coordinator').to.equal(403);
  });

  it('when someone with no account signs in at the provider, then they are told to ask a coordinator, no account is made, and the refusal is logged', async () => {
    const before = t.store.list('users').length;
    const { agent, res } = await signInWith(person('new.starter@council.example'));
    expect(res.status).to.equal(403);
    expect(res.text).to.include('You do not have an account');
    expect(res.text).to.include('Ask your Prevent coordinator to add you');
    expect(res.text).to.include('new.starter@council.example');
    expect(t.store.list('users')).to.have.length(before);
    expect((await agent.get('/')).headers.location).to.match(/^\/login/);
    expect((await signInEntries()).at(-1)!.after).to.deep.include({
      outcome: 'refused',
      reason: 'no account has this email address',
      email: 'new.starter@council.example',
    });
  });

  it('when a deactivated account signs in at the provider, then it is refused and logged', async () => {
    const c = await t.signIn('coordinator@demo.test');
    const viewer = t.services.users.byEmail('viewer@demo.test')!;
    await c.post(`/users/${viewer.id}/deactivate`);
    const { agent, res } = await signInWith(person('viewer@demo.test'));
    expect(res.status).to.equal(403);
    expect(res.text).to.include('Your account has been deactivated');
    expect((await agent.get('/')).headers.location).to.match(/^\/login/);
    const last = (await signInEntries()).at(-1)!;
    expect(last.recordId).to.equal(viewer.id);
    expect(last.after).to.deep.include({ outcome: 'refused', reason: 'the account is deactivated' });
  });

  it('when the provider does not vouch for the email address, then the sign-in is refused', async () => {
    const { agent, res } = await signInWith(person('coordinator@demo.test', false));
    expect(res.status).to.equal(403);
    expect(res.text).to.include('did not tell us a confirmed email address');
    expect((await agent.get('/users')).headers.location).to.match(/^\/login/);
    expect((await signInEntries()).at(-1)!.after).to.deep.include({
      outcome: 'refused',
      reason: 'the email address was not verified',
    });
  });

  it('when the state in the return does not match the one sent, then the sign-in is refused', async () => {
    const { agent, res } = await signInWith(person('coordinator@demo.test'), (back) =>
      back.searchParams.set('state', 'forged-state-value-0123456789'),
    );
    expect(res.status).to.equal(400);
    expect(res.text).to.include('You could not be signed in');
    // The visitor reads plain words; the library's detail is for the audit log.
    expect(res.text).to.not.match(/invalid|OAUTH_|OPE_|expected/i);
    expect((await agent.get('/users')).headers.location).to.match(/^\/login/);
    const last = (await signInEntries()).at(-1)!.after as { outcome: string; reason: string };
    expect(last.outcome).to.equal('refused');
    expect(last.reason, last.reason).to.match(/state/i);
  });

  it('when forged returns keep coming from one address, then after ten it is locked out and the log stops growing', async () => {
    const forged = '/auth/callback?code=forged&state=forged&iss=' + encodeURIComponent(idp.issuer);
    const from = (i: number) =>
      request(t.app).get(forged).set('X-Forwarded-For', '203.0.113.99').query({ i });
    for (let i = 1; i <= 9; i++) expect((await from(i)).status, `return ${i}`).to.equal(400);
    const tenth = await from(10);
    expect(tenth.status).to.equal(400);
    const logged = (await signInEntries()).length;
    expect(logged).to.equal(10);
    const locked = await from(11);
    expect(locked.status).to.equal(429);
    expect(locked.text).to.include('too many failed sign-ins from your network');
    expect((await signInEntries()).length).to.equal(logged);
    expect((await request(t.app).get('/auth/login').set('X-Forwarded-For', '203.0.113.99')).status).to.equal(
      429,
    );
    // The coordinator reads the refusals in the audit log.
    const c = await t.signIn('coordinator@demo.test');
    expect((await c.get('/audit')).status).to.equal(200);
  });

  it('when the return claims another issuer, then the sign-in is refused', async () => {
    const { agent, res } = await signInWith(person('coordinator@demo.test'), (back) =>
      back.searchParams.set('iss', 'https://login.attacker.example'),
    );
    expect(res.status).to.equal(400);
    expect((await agent.get('/users')).headers.location).to.match(/^\/login/);
  });

  it('when the return is replayed after a sign-in, then it is refused (the sign-in in progress was used up)', async () => {
    const { agent, res, back } = await signInWith(person('coordinator@demo.test'));
    expect(res.status).to.equal(303);
    const other = request.agent(t.app);
    const replay = await other.get(back.pathname + back.search);
    expect(replay.status).to.equal(400);
    expect((await other.get('/users')).headers.location).to.match(/^\/login/);
    expect((await agent.get(back.pathname + back.search)).status, 'nor in the same browser').to.equal(400);
  });

  it('when the same code is exchanged twice with the right state, nonce and verifier, then the provider refuses the second', async () => {
    const oidc = t.services.oidc!;
    const { url, pending } = await oidc.start('/');
    idp.signInAs(person('coordinator@demo.test'));
    const back = await idp.authorize(url, CALLBACK);
    const identity = await oidc.finish(back, pending);
    expect(identity).to.include({ email: 'coordinator@demo.test', emailVerified: true });
    let refused: Error | null = null;
    await oidc.finish(back, pending).catch((err: Error) => {
      refused = err;
    });
    expect(refused).to.be.an('error');
    expect((refused as unknown as { reason: string }).reason).to.include('invalid_grant');
  });

  it('when the code has expired before it is exchanged, then the sign-in is refused', async function () {
    this.timeout(10_000);
    const shortIdp = await startTestIdp({ redirectUri: CALLBACK, codeTtlSeconds: 1 });
    const short = await startTestApp({
      config: {
        baseUrl: BASE,
        oidc: { issuer: shortIdp.issuer, clientId: shortIdp.clientId, clientSecret: shortIdp.clientSecret },
      },
    });
    try {
      const agent = request.agent(short.app);
      const start = await agent.get('/auth/login');
      shortIdp.signInAs(person('coordinator@demo.test'));
      const back = await shortIdp.authorize(locationOf(start), CALLBACK);
      await new Promise((r) => setTimeout(r, 2100));
      const res = await agent.get(back.pathname + back.search);
      expect(res.status).to.equal(400);
      expect((await agent.get('/users')).headers.location).to.match(/^\/login/);
    } finally {
      await short.close();
      await shortIdp.close();
    }
  });

  it('when OIDC_ISSUER names another issuer than the provider’s own, then single sign-on is refused as not working', async () => {
    await t.close();
    const wrong = settings();
    wrong.issuer = wrong.issuer.replace('127.0.0.1', 'localhost');
    t = await startTestApp({ config: { baseUrl: BASE, oidc: wrong } });
    const res = await request(t.app).get('/auth/login');
    expect(res.status).to.equal(503);
    expect(res.text).to.include('signing in with your council account is not working');
  });

  it('when REQUIRE_2FA is on, then a single sign-on is not sent to set up the app’s own second factor (the council’s sign-in has its own)', async () => {
    await t.close();
    t = await startTestApp({ config: { baseUrl: BASE, oidc: settings(), require2fa: true } });
    const { agent, res } = await signInWith(person('facilities@demo.test'));
    expect(res.headers.location).to.equal('/premises');
    expect((await agent.get('/premises')).status).to.equal(200);
  });

  it('when someone with a one-time password signs in with their council account, then they are not asked to change a password they do not use', async () => {
    await t.services.users.create('coordinator@demo.test', {
      email: 'new.officer@council.example',
      name: 'New Officer',
      role: 'facilities',
    });
    const { agent, res } = await signInWith(person('new.officer@council.example'));
    expect(res.headers.location).to.equal('/premises');
    expect((await agent.get('/premises')).status).to.equal(200);
  });
});
