import { itemAt } from '../../../data/itemAt.js';
import { expect } from 'chai';
import request from 'supertest';
import { csrfFrom, startTestApp, type TestApp } from '../../support/testApp.js';
import { groupOf } from '../../support/pageParts.js';

describe('HTTP: signing in and access control', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
  });
  after(() => t.close());

  it('when anyone asks for /health, then it answers 200 {"status":"ok"} without sign-in', async () => {
    const res = await request(t.app).get('/health');
    expect(res.status).to.equal(200);
    expect(res.body).to.deep.equal({ status: 'ok' });
  });

  it('when an anonymous visitor opens a page, then they are sent to /login', async () => {
    const res = await request(t.app).get('/premises');
    expect(res.status).to.equal(303);
    expect(res.headers.location).to.equal('/login?next=%2Fpremises');
  });

  it('when an anonymous caller asks for /api/flags, then it answers 401', async () => {
    const res = await request(t.app).get('/api/flags');
    expect(res.status).to.equal(401);
  });

  it('when the password is right, then the user is signed in and sees the dashboard', async () => {
    const a = await t.signIn('facilities@demo.test');
    const res = await a.get('/');
    expect(res.status).to.equal(200);
    expect(res.text).to.include('<title>Dashboard — Due Regard</title>');
    expect(res.text).to.include('Fran Facilities');
  });

  it('when the password is wrong, then sign-in is refused with an error summary and the email kept', async () => {
    const agent = request.agent(t.app);
    const page = await agent.get('/login');
    const res = await agent
      .post('/login')
      .type('form')
      .send({ _csrf: csrfFrom(page.text), email: 'facilities@demo.test', password: 'wrong-password-123' });
    expect(res.status).to.equal(400);
    expect(res.text).to.include('govuk-error-summary');
    expect(res.text).to.include('Enter a correct email address and password');
    expect(res.text).to.include('value="facilities@demo.test"');
    expect(res.text).to.include('<title>Error: Sign in — Due Regard</title>');
    const after = await agent.get('/');
    expect(after.status).to.equal(303);
  });

  it('when a form is posted without its CSRF token, then it is refused with 403 and nothing changes', async () => {
    const a = await t.signIn('coordinator@demo.test');
    const before = t.store.list('premises').length;
    const res = await a.agent.post('/premises').type('form').send({ ref: 'X-1', name: 'No token hall' });
    expect(res.status).to.equal(403);
    expect(t.store.list('premises').length).to.equal(before);
  });

  it('when a form carries a token that is not this session’s (one character changed, another session’s, cut short), then it is refused with 403; the session’s own, in the field or the header, is taken', async () => {
    const a = await t.signIn('coordinator@demo.test');
    const other = await t.signIn('coordinator@demo.test');
    const before = t.store.list('premises').length;
    const last = a.csrf.slice(-1) === '0' ? '1' : '0';
    for (const token of [`${a.csrf.slice(0, -1)}${last}`, other.csrf, a.csrf.slice(0, 32), '']) {
      const res = await a.agent
        .post('/premises')
        .type('form')
        .send({ _csrf: token, ref: 'X-1', name: 'Bad token hall' });
      expect(res.status, `token ${token.slice(0, 8)}…`).to.equal(403);
    }
    expect(t.store.list('premises').length).to.equal(before);
    const byHeader = await a.agent.post('/premises').set('x-csrf-token', a.csrf).type('form').send({
      ref: 'X-HDR-1',
      name: 'Header token hall',
      address: '1 High Street',
      postcode: 'AB1 2CD',
      kind: 'community',
    });
    expect(byHeader.status, byHeader.text.slice(0, 300)).to.equal(303);
  });

  it('when sign-in succeeds, then the session id changes (no session fixation)', async () => {
    const agent = request.agent(t.app);
    const page = await agent.get('/login');
    const before = String(page.headers['set-cookie']);
    const res = await agent
      .post('/login')
      .type('form')
      .send({ _csrf: csrfFrom(page.text), email: 'viewer@demo.test', password: 'DueRegard-demo-1' });
    const after = String(res.headers['set-cookie']);
    expect(after).to.match(/dueregard=/);
    expect(after.split(';')[0]).to.not.equal(before.split(';')[0]);
    expect(after).to.match(/HttpOnly/i);
    expect(after).to.match(/SameSite=Lax/i);
  });

  it('when a user has the wrong role for a page, then it answers 403', async () => {
    const a = await t.signIn('viewer@demo.test');
    expect((await a.get('/premises')).status).to.equal(403);
    expect((await a.get('/users')).status).to.equal(403);
    const lib = await t.signIn('libraries@demo.test');
    expect((await lib.post('/premises', { ref: 'X-2', name: 'Nope' })).status).to.equal(403);
  });

  it('when a record id does not exist, then it answers 404', async () => {
    const a = await t.signIn('facilities@demo.test');
    expect((await a.get('/premises/does-not-exist')).status).to.equal(404);
    expect((await a.get('/reviews/does-not-exist')).status).to.equal(404);
  });

  it('when a signed-in user signs out, then their session no longer opens pages', async () => {
    const a = await t.signIn('facilities@demo.test');
    const out = await a.post('/logout');
    expect(out.status).to.equal(303);
    expect((await a.get('/')).status).to.equal(303);
  });

  it('when ?next= points off-site, then sign-in still lands on the dashboard', async () => {
    const agent = request.agent(t.app);
    const page = await agent.get('/login?next=//evil.example');
    const res = await agent
      .post('/login')
      .type('form')
      .send({
        _csrf: csrfFrom(page.text),
        email: 'viewer@demo.test',
        password: 'DueRegard-demo-1',
        next: '//evil.example',
      });
    expect(res.headers.location).to.equal('/');
  });

  it('when a coordinator deactivates a user, then that user is signed out and cannot sign in', async () => {
    const victim = await t.signIn('education@demo.test');
    const c = await t.signIn('coordinator@demo.test');
    const id = t.services.users.byEmail('education@demo.test')!.id;
    const res = await c.post(`/users/${id}/deactivate`);
    expect(res.status).to.equal(303);
    expect((await victim.get('/')).status).to.equal(303);
    let failed = false;
    try {
      await t.signIn('education@demo.test');
    } catch {
      failed = true;
    }
    expect(failed).to.equal(true);
    await c.post(`/users/${id}/reactivate`);
    await t.signIn('education@demo.test');
  });
});

describe('HTTP: errors', () => {
  it('when a handler fails in production, then the 500 page hides the stack', async () => {
    const t = await startTestApp({ production: true });
    try {
      const a = await t.signIn('facilities@demo.test');
      // A review of a template version that does not exist makes the handler throw.
      const r = itemAt(t.store.list('reviews'), 0);
      (r as { templateVersion: number }).templateVersion = 999;
      const res = await a.get(`/reviews/${r.id}`);
      expect(res.status).to.equal(500);
      expect(res.text).to.include('Sorry, there is a problem with the service');
      expect(res.text).to.not.match(/at .+:\d+:\d+/);
      expect(res.text).to.not.include('has no version 999');
    } finally {
      await t.close();
    }
  });

  it('when a handler fails in development, then the 500 page shows the stack', async () => {
    const t = await startTestApp();
    try {
      const a = await t.signIn('facilities@demo.test');
      const r = itemAt(t.store.list('reviews'), 0);
      (r as { templateVersion: number }).templateVersion = 999;
      const res = await a.get(`/reviews/${r.id}`);
      expect(res.status).to.equal(500);
      expect(res.text).to.include('has no version 999');
      expect(res.text).to.match(/<pre[^>]*>[\s\S]*at /);
    } finally {
      await t.close();
    }
  });

  it('when any page is served, then security headers are set and scripts carry a nonce', async () => {
    const t = await startTestApp();
    try {
      const res = await request(t.app).get('/login');
      const csp = res.headers['content-security-policy'] ?? '';
      expect(csp).to.match(/script-src 'self' 'nonce-[^']+'/);
      expect(csp).to.not.include('unsafe-inline');
      expect(csp).to.include("frame-ancestors 'none'");
      expect(res.headers['x-content-type-options']).to.equal('nosniff');
      const nonce = groupOf(/'nonce-([^']+)'/, csp);
      const scripts = res.text.match(/<script[^>]*>/g) ?? [];
      expect(scripts.length).to.be.greaterThan(0);
      for (const s of scripts) expect(s).to.include(`nonce="${nonce}"`);
    } finally {
      await t.close();
    }
  });
});
